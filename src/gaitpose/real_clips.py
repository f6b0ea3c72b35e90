"""`gaitpose analyze` at its defaults on real walking clips, beside the teacher in the same run
(`python -m gaitpose.real_clips CLIP… [--json OUT]`).

For every clip the whole job runs twice as a new user would run it (no option but the keypoint
source): with GaitPoseNet (bundled, or --weights / --onnx) and with MediaPipe Pose (`--keypoints
mediapipe`, needs `make teacher`). Per clip: exit status, share of frames with joints, the median
distance of GaitPoseNet's joints to the teacher's in torso lengths, and the cadence of both. No
truth exists for these clips; the teacher is the yardstick, and it can be wrong too.
"""
from __future__ import annotations

import argparse
import json
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

import numpy as np

from gaitpose.data.real_split import is_validation_clip
from gaitpose.errors import GaitposeError
from gaitpose.formats import read_keypoints_csv, write_json_atomic
from gaitpose.metrics import torso_lengths_px
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.jobs import analyze
from gaitpose.predict.analyze import DEFAULT_MIN_SCORE, AnalyzeOptions
from gaitpose.skeleton import FLIP_PAIRS, SIDE_JOINTS

MIN_JOINTS_FOR_A_FRAME = 4      # as `analyze` counts a frame with a person


def frames_with_joints(keypoints_tx8x3: np.ndarray, min_score: float) -> np.ndarray:
    """T bools: at least MIN_JOINTS_FOR_A_FRAME joints found with score ≥ min_score."""
    kp = np.asarray(keypoints_tx8x3, dtype=float)
    found = np.isfinite(kp[..., 0]) & (kp[..., 2] >= min_score)
    return found.sum(axis=1) >= MIN_JOINTS_FOR_A_FRAME


def side_agnostic_distances(pred_tx8x3: np.ndarray, ref_tx8x3: np.ndarray) -> np.ndarray:
    """Distances (in torso lengths of `ref`) of each predicted joint to the reference, per left/right pair
    taking whichever assignment of the two sides is closer (side views often exchange the labels).

    Only frames where both joints of a pair are found in both tracks count; returns a flat array.
    """
    pred, ref = np.asarray(pred_tx8x3, float), np.asarray(ref_tx8x3, float)
    torso = torso_lengths_px(ref)
    out = []
    for a, b in FLIP_PAIRS:
        same = np.linalg.norm(pred[:, a, :2] - ref[:, a, :2], axis=1) + np.linalg.norm(pred[:, b, :2] - ref[:, b, :2], axis=1)
        swap = np.linalg.norm(pred[:, a, :2] - ref[:, b, :2], axis=1) + np.linalg.norm(pred[:, b, :2] - ref[:, a, :2], axis=1)
        best = np.fmin(same, swap) / 2 / torso              # mean of the two joints' distances
        out.append(best[np.isfinite(best)])
    return np.concatenate(out)


def run_analyze(video: Path, options: AnalyzeOptions) -> dict[str, Any]:
    """`analyze` into a temporary folder, as a user runs it: status ("ok" or the one-line error without the
    kept-files part), the summary, the frames and keypoints of keypoints_raw.csv (None without it) and
    analysis.json's record ({} without it). The folder is removed."""
    out = Path(tempfile.mkdtemp(prefix="gaitpose-clip-"))
    try:
        try:
            _, result = analyze(video, out, options, GaitOptions())
            status, summary = "ok", result.summary if result is not None else {}
        except GaitposeError as exc:
            status, summary = str(exc).split(" (keypoints.csv")[0], {}
        raw, written = out / "keypoints_raw.csv", out / "analysis.json"
        frames, _, keypoints = read_keypoints_csv(raw) if raw.is_file() else (None, None, None)
        record = json.loads(written.read_text()) if written.is_file() else {}
        return {"status": status, "summary": summary, "frames": frames, "keypoints": keypoints, "record": record}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _run(video: Path, options: AnalyzeOptions) -> dict[str, Any]:
    run = run_analyze(video, options)
    min_score = run["record"].get("min_score")
    return {**run, "min_score": DEFAULT_MIN_SCORE if min_score is None else float(min_score)}


def clip_row(video: Path, options: AnalyzeOptions) -> dict[str, Any]:
    """Both runs of one clip → one table row."""
    ours = _run(video, options)
    teacher = _run(video, replace(options, keypoints="mediapipe", weights=None, onnx=None))
    row: dict[str, Any] = {"clip": video.as_posix(), "held_out": is_validation_clip(video),
                           "status": ours["status"], "teacher_status": teacher["status"]}
    for who, run in (("", ours), ("teacher_", teacher)):
        kp = run["keypoints"]
        row[f"{who}frames_with_joints"] = float(frames_with_joints(kp, run["min_score"]).mean()) if kp is not None else 0.0
        row[f"{who}min_score"] = run["min_score"]
        row[f"{who}cadence_steps_per_min"] = run["summary"].get("cadence_steps_per_min", float("nan"))
    if ours["keypoints"] is not None and teacher["keypoints"] is not None \
            and len(ours["keypoints"]) == len(teacher["keypoints"]):
        d = side_agnostic_distances(ours["keypoints"], teacher["keypoints"])
        row["median_torso_lengths_to_teacher"] = float(np.median(d)) if len(d) else float("nan")
    else:
        row["median_torso_lengths_to_teacher"] = float("nan")
    return row


def format_table(rows: list[dict[str, Any]]) -> str:
    """A markdown table, one row per clip."""
    lines = ["| clip | held out | exit | frames with joints | teacher frames | median distance to teacher (torso lengths) "
             "| cadence | teacher cadence |", "|---|---|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        exit_text = "0" if r["status"] == "ok" else f"2: {r['status'][:70]}"
        lines.append(f"| {r['clip']} | {'yes' if r['held_out'] else ''} | {exit_text} | {r['frames_with_joints']:.2f} "
                     f"| {r['teacher_frames_with_joints']:.2f} | {r['median_torso_lengths_to_teacher']:.3f} "
                     f"| {r['cadence_steps_per_min']:.1f} | {r['teacher_cadence_steps_per_min']:.1f} |")
    ok = sum(r["status"] == "ok" for r in rows)
    lines.append(f"\n{ok} of {len(rows)} clips exit 0 with GaitPoseNet, "
                 f"{sum(r['teacher_status'] == 'ok' for r in rows)} with the teacher.")
    return "\n".join(lines)


def clips_parser(description: str) -> argparse.ArgumentParser:
    """The command line the clip measurements share: clips, GaitPoseNet's --weights / --onnx, --json OUT."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("clips", nargs="+", help="video files")
    parser.add_argument("--weights", default=None)
    parser.add_argument("--onnx", default=None)
    parser.add_argument("--json", dest="json_path", default=None)
    return parser


def measure_clips(args: argparse.Namespace, row_of: Callable[[Path, AnalyzeOptions], dict[str, Any]],
                  progress_line: Callable[[dict[str, Any]], str],
                  table: Callable[[list[dict[str, Any]]], str]) -> int:
    """Run `analyze` at its defaults (no overlay) on each clip, one row each, printing a line per clip as it
    finishes, then the table; the rows to --json."""
    options = AnalyzeOptions(weights=args.weights, onnx=args.onnx, overlay=False, progress=False)
    rows = []
    for clip in args.clips:
        rows.append(row_of(Path(clip), options))
        print(f"{clip}: {progress_line(rows[-1])}", flush=True)
    print(table(rows))
    if args.json_path:
        write_json_atomic(args.json_path, rows)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = clips_parser(__doc__.splitlines()[0]).parse_args(argv)
    return measure_clips(args, clip_row, lambda row: row["status"], format_table)


if __name__ == "__main__":
    raise SystemExit(main())
