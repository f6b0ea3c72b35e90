#!/bin/bash
# Whole-command `gaitpose analyze` frames/s on the demo walk (240 frames) and the outdoor clip (230
# frames) for several ONNX files, alternated in one run (the machine is shared and noisy: compare
# within a run). Usage: scripts/analyze_speed_models.sh A.onnx B.onnx …  (run from the repo root)
set -e
G=.venv/bin/gaitpose
D=src/gaitpose/assets/demo/video.mp4
R=../shared/data/video/walk_outdoor_sagittal.mp4
OUT=$(mktemp -d); LOG=$(mktemp)
for round in 1 2; do
  for onnx in "$@"; do
    for clip in demo real; do
      if [ $clip = demo ]; then V=$D; N=240; else V=$R; N=230; fi
      t0=$(date +%s.%N); $G analyze $V --out $OUT/x --onnx $onnx > $LOG 2>&1 || true; t1=$(date +%s.%N)
      echo "round $round | $onnx | $clip | $(echo "$N / ($t1 - $t0)" | bc -l | cut -c1-5) frames/s whole command | network $(grep -io "[0-9.]* frames/s" $LOG | tail -1)"
    done
  done
done
rm -rf $OUT $LOG
