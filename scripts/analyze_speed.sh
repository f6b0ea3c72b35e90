#!/bin/bash
# End-to-end `gaitpose analyze` speed on the demo walk and the real clip; run from the repo root with
# nothing else on the CPU. Prints: label | seconds for the whole command | the network stage's
# frames/s. Whole-command frames/s = frames / seconds (demo: 240 frames; real clip: 230 frames).
set -e
mkdir -p runs
LOG=$(mktemp)
OUT=$(mktemp -d)
G=.venv/bin/gaitpose
D=src/gaitpose/assets/demo/video.mp4
R=../shared/data/video/walk_outdoor_sagittal.mp4
$G export --onnx runs/lite512.onnx --size 512 > /dev/null
run() {
  local label=$1; shift
  local t0=$(date +%s.%N); $G analyze "$@" > "$LOG" 2>&1 || true; local t1=$(date +%s.%N)
  echo "$label | $(echo "$t1 - $t0" | bc) s | $(grep -io "[0-9.]* frames/s[^|]*" "$LOG" | tail -1)"
}
run "demo onnx256 overlay" $D --out $OUT/1 --height-m 1.687
run "demo onnx256 no-overlay" $D --out $OUT/2 --no-overlay --height-m 1.687
run "demo onnx512 overlay" $D --out $OUT/3 --onnx runs/lite512.onnx --size 512 --height-m 1.687
run "demo pytorch256 overlay" $D --out $OUT/4 --weights src/gaitpose/assets/gaitposenet_lite.pt --height-m 1.687
run "demo pytorch512 overlay" $D --out $OUT/5 --weights src/gaitpose/assets/gaitposenet_lite.pt --size 512 --height-m 1.687
run "real onnx256 overlay" $R --out $OUT/6 --min-score 0.1 --height-m 1.65
rm -rf "$OUT" "$LOG"
