"""Accuracy of the whole job on synthetic walks with known truth (`python -m gaitpose.walk_accuracy DIR…`).

Each DIR is a `gaitpose synth --video` sequence folder (video.mp4 + truth files). The video is
analysed as a user would (bundled or given weights, truth segment lengths and camera intrinsics, as
a clinician measures them), then the summary is compared with the truth and the angle curves with
`gaitpose compare`'s measures. Prints one table; writes JSON with `--json`.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_json_atomic
from gaitpose.gait.commands import load_camera
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.gait.readers import read_angles_csv
from gaitpose.jobs import analyze, compare_with_truth
from gaitpose.predict.analyze import AnalyzeOptions

ANGLES = ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg")


def _label(sequence_dir: Path) -> str:
    """`DATASET/SEQUENCE` for a `synth --video` folder (DATASET/videos/SEQUENCE), else the folder name."""
    parent = sequence_dir.resolve().parent
    return f"{parent.parent.name}/{sequence_dir.name}" if parent.name == "videos" else sequence_dir.name


def walk_accuracy(sequence_dir: Path, options: AnalyzeOptions) -> dict[str, Any]:
    truth = json.loads((sequence_dir / "summary.json").read_text())
    reference = read_angles_csv(sequence_dir / "angles.csv")[0]
    gait_options = GaitOptions(thigh_m=(truth["thigh_m"]["left"], truth["thigh_m"]["right"]),
                               shank_m=(truth["shank_m"]["left"], truth["shank_m"]["right"]),
                               camera=load_camera(str(sequence_dir / "camera.json")), reference_angles=reference)
    out = tempfile.mkdtemp(prefix="gaitpose-walk-")
    try:
        record, result = analyze(sequence_dir / "video.mp4", out, options, gait_options)
    except GaitposeError as exc:  # the folder stays, as the message says, for a look at what failed
        return {"sequence": _label(sequence_dir), "failed": str(exc), "errors": {}, "angles": {}}
    shutil.rmtree(out, ignore_errors=True)
    rows = compare_with_truth(result.summary, truth)
    sim = result.summary.get("similarity", {})
    return {
        "sequence": _label(sequence_dir),
        "errors": {label: d for label, _, _, d, _ in rows},
        "angles": {a: {k: sim[a][k] for k in ("rmse", "S", "r", "lag_frames")} for a in ANGLES if a in sim},
        "keypoint_frames_per_s": record["keypoint_frames_per_s"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sequences", nargs="+", help="synth --video sequence folders")
    parser.add_argument("--weights", default=None)
    parser.add_argument("--onnx", default=None)
    parser.add_argument("--size", type=int, default=None)
    parser.add_argument("--json", dest="json_path", default=None)
    args = parser.parse_args(argv)
    options = AnalyzeOptions(weights=args.weights, onnx=args.onnx, input_size=args.size, overlay=False, progress=False)
    results = [walk_accuracy(Path(d), options) for d in args.sequences]
    for r in results:
        if "failed" in r:
            print(f"{r['sequence']}: analysis failed: {r['failed']}")
    results = [r for r in results if "failed" not in r]
    if not results:
        return 1
    labels = list(results[0]["errors"])
    print(f"{'':<26}" + "".join(f"{r['sequence']:>20}" for r in results) + f"{'mean |err|':>12}")
    for label in labels:
        errs = [r["errors"][label] for r in results]
        print(f"{label:<26}" + "".join(f"{e:>+20.3f}" for e in errs) + f"{np.nanmean(np.abs(errs)):>12.3f}")
    for angle in ANGLES:
        rmse = [r["angles"].get(angle, {}).get("rmse", np.nan) for r in results]
        s_val = [r["angles"].get(angle, {}).get("S", np.nan) for r in results]
        print(f"{angle + ' RMSE':<26}" + "".join(f"{e:>20.2f}" for e in rmse) + f"{np.nanmean(rmse):>12.2f}")
        print(f"{angle + ' S':<26}" + "".join(f"{e:>20.3f}" for e in s_val) + f"{np.nanmean(s_val):>12.3f}")
    if args.json_path:
        write_json_atomic(args.json_path, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
