"""Accuracy of the whole job on synthetic walks with known truth (`python -m gaitpose.walk_accuracy DIR…`).

Each DIR is a `gaitpose synth --video` sequence folder (video.mp4 + truth files). The video is
analysed as a user would (bundled or given weights, truth segment lengths and camera intrinsics, as
a clinician measures them), then the summary is compared with the truth and the angle curves with
`gaitpose compare`'s measures, and every true heel strike and toe off with the nearest found event of
its side and kind (`event_errors_s`). Prints one table; writes JSON with `--json`.
"""
from __future__ import annotations

import argparse
import csv
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
from gaitpose.report.writers import absolute_frame

ANGLES = ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg")
EVENTS = ("heel_strike", "toe_off")
MAX_EVENT_ERROR_S = 0.25     # a true event with no found event of its side and kind this near is missed


def event_errors_s(found_s: dict[str, dict[str, list[float]]], truth_s: dict[str, dict[str, list[float]]],
                   max_error_s: float = MAX_EVENT_ERROR_S) -> dict[str, dict[str, Any]]:
    """Per event kind: each true event (side → kind → times in s) against the nearest found one of the same
    side and kind → {"errors_s": found − true for those within `max_error_s`, "missed": the others}."""
    out: dict[str, dict[str, Any]] = {kind: {"errors_s": [], "missed": 0} for kind in EVENTS}
    for side, kinds in truth_s.items():
        for kind in EVENTS:
            found = np.asarray(found_s.get(side, {}).get(kind, []), dtype=float)
            for t in kinds.get(kind, []):
                d = found - t
                if len(d) and np.min(np.abs(d)) <= max_error_s:
                    out[kind]["errors_s"].append(float(d[np.argmin(np.abs(d))]))
                else:
                    out[kind]["missed"] += 1
    return out


def read_truth_events(path: Path) -> dict[str, dict[str, list[float]]]:
    """A synth truth events.csv (side,event,frame,time_s) → side → kind → exact times in s."""
    out: dict[str, dict[str, list[float]]] = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["side"], {}).setdefault(row["event"], []).append(float(row["time_s"]))
    return out


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
    found_s = {side: {kind: [absolute_frame(result, f) / result.fps for f in rows_]
                      for kind, rows_ in kinds.items()} for side, kinds in result.events.items()}
    events = event_errors_s(found_s, read_truth_events(sequence_dir / "events.csv"))
    errors = {label: d for label, _, _, d, _ in rows}
    for kind in EVENTS:
        errs = np.abs(events[kind]["errors_s"])
        errors[f"{kind.replace('_', ' ')} median |err|"] = float(np.median(errs)) if len(errs) else float("nan")
        errors[f"{kind.replace('_', ' ')} mean err"] = float(np.mean(events[kind]["errors_s"])) if len(errs) else float("nan")
        errors[f"{kind.replace('_', ' ')} missed"] = float(events[kind]["missed"])
    return {
        "sequence": _label(sequence_dir),
        "event_source": result.summary.get("event_source"),
        "foot_points_source": result.summary.get("foot_points_source"),
        "event_errors_s": events,
        "errors": errors,
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
    for kind in EVENTS:
        pooled = np.concatenate([r["event_errors_s"][kind]["errors_s"] for r in results])
        missed = sum(r["event_errors_s"][kind]["missed"] for r in results)
        if len(pooled):
            print(f"{kind} over all walks: median |err| {1000 * np.median(np.abs(pooled)):.0f} ms, mean err "
                  f"{1000 * np.mean(pooled):+.0f} ms, 90 % within {1000 * np.percentile(np.abs(pooled), 90):.0f} ms "
                  f"({len(pooled)} found, {missed} missed)")
    sources = {str(r["foot_points_source"] or "none") + ": " + "/".join(sorted(set((r["event_source"] or {}).values())))
               for r in results}
    print("events from: " + "; ".join(sorted(sources)))
    if args.json_path:
        write_json_atomic(args.json_path, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
