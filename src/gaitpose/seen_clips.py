"""Joints where the person is in view: `analyze` at defaults against MediaPipe on the full frame
(`python -m gaitpose.seen_clips CLIP… [--json OUT] [--cache DIR]`; issue 16's measure for clips with
turns, pauses and several people).

`real_clips` counts the frames with joints among *all* frames, and runs the teacher through the same
follower as GaitPoseNet, so both miss the same stretches. Here the teacher (MediaPipe Pose, video
mode, `make teacher`) looks at every whole frame on its own, and a frame where it **sees the person**
is one with at least `SEEN_MIN_JOINTS` (4) of our 8 joints at visibility ≥ `SEEN_MIN_VISIBILITY`
(0.5). Per clip: how many frames it sees the person in, the share of those where `analyze` (GaitPoseNet
at its defaults) gives joints (`real_clips.frames_with_joints`: 4 joints at the calibrated score),
the same within the analysed person's walking span ± 1 s (with several people the teacher also sees the
others, whom `analyze` rightly leaves out), the median distance of those joints to the teacher's there (torso lengths, either side assignment),
and the passes and cadence of both: `analyze`'s, and the gait step's on the teacher's full-frame
keypoints (with its heels and toes). The teacher's full-frame keypoints do not depend on our code,
so they are kept in `--cache` and one teacher run serves the runs before and after a change.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
from gaitpose.predict.analyze import AnalyzeOptions
from gaitpose.predict.video import iter_frames, probe_video
from gaitpose.real_clips import clips_parser, frames_with_joints, measure_clips, run_analyze, side_agnostic_distances
from gaitpose.skeleton import FOOT_POINTS, NUM_JOINTS

SEEN_MIN_JOINTS = 4           # of our 8 joints, as `analyze` counts a frame with a person
SEEN_MIN_VISIBILITY = 0.5     # MediaPipe's own "visible" (its landmark visibility)
SPAN_MARGIN_S = 1.0           # several people: also counted within the analysed person's span ± this


def teacher_sees(points_tx8x3: np.ndarray) -> np.ndarray:
    """T bools: the teacher sees the person (≥ SEEN_MIN_JOINTS joints found at visibility ≥ SEEN_MIN_VISIBILITY)."""
    kp = np.asarray(points_tx8x3, dtype=float)[:, :NUM_JOINTS]
    found = np.isfinite(kp[..., 0]) & (np.nan_to_num(kp[..., 2]) >= SEEN_MIN_VISIBILITY)
    return found.sum(axis=1) >= SEEN_MIN_JOINTS


def share_where_seen(with_joints: np.ndarray, seen: np.ndarray) -> float:
    """Of the frames where the teacher sees the person, the share with joints (NaN when it sees no one)."""
    seen = np.asarray(seen, bool)
    return float(np.asarray(with_joints, bool)[seen].mean()) if seen.any() else float("nan")


def full_frame_teacher(video: Path, cache_dir: Path | None) -> tuple[np.ndarray, np.ndarray, float]:
    """MediaPipe Pose (video mode) on every whole frame → (frame indices T, points T×13×3 in frame pixels:
    the 8 joints, heels, toes, nose; NaN where no one is found, or the frame did not decode, fps).
    Cached in `cache_dir` under the clip's name, size and modification time."""
    from gaitpose.predict.teacher import TEACHER_POINTS, MediaPipePose

    info = probe_video(video)
    stat = video.stat()
    key = hashlib.sha1(f"{video.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    cached = cache_dir / f"{video.stem}-{key}.npz" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        data = np.load(cached)
        return data["frames"], data["points"], float(data["fps"])
    pose = MediaPipePose(static=False)
    frames, points = [], []
    try:
        for index, frame in iter_frames(info):
            frames.append(index)
            if frame is None:
                points.append(np.full((len(TEACHER_POINTS), 3), np.nan))
            else:
                points.append(pose.points(cv2.cvtColor(frame, cv2.COLOR_BGR2RGB)))
    finally:
        pose.close()
    out = np.asarray(frames, int), np.stack(points), info.fps
    if cached is not None:
        cache_dir.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".part.npz")
        np.savez(tmp, frames=out[0], points=out[1], fps=out[2])
        tmp.replace(cached)
    return out


def _passes(summary: dict[str, Any]) -> list[str]:
    """Each analysed pass as 'start–end s direction cadence'."""
    return [f"{p['start_s']:.1f}-{p['end_s']:.1f}s {p['direction']} {p.get('cadence_steps_per_min', float('nan')):.0f}"
            for p in summary.get("passes", []) if p.get("status") == "analysed"]


def teacher_gait(points_tx13x3: np.ndarray, fps: float) -> tuple[str, dict[str, Any]]:
    """The gait step on the teacher's full-frame keypoints (joints below the visibility threshold missing;
    heels and toes for the events) → (status, summary)."""
    kp = np.array(points_tx13x3[:, :NUM_JOINTS], float)
    feet = np.array(points_tx13x3[:, NUM_JOINTS:NUM_JOINTS + len(FOOT_POINTS)], float)
    try:
        result = analyze_keypoints(kp, fps, GaitOptions(min_score=SEEN_MIN_VISIBILITY), feet_tx4x3=feet)
    except GaitposeError as exc:
        return str(exc), {}
    return "ok", result.summary


def ours(video: Path, options: AnalyzeOptions) -> dict[str, Any]:
    """`analyze` at `options` → status, summary, frames T, keypoints T×8×3, min-score and the analysed
    person's walking span (first to last seen, s; None when no walker was followed)."""
    run = run_analyze(video, options)
    record = run["record"]
    frames, kp = run["frames"], run["keypoints"]
    if kp is None:
        frames, kp = np.zeros(0, int), np.zeros((0, NUM_JOINTS, 3))
    span = next(((p["first_seen_s"], p["last_seen_s"]) for p in record.get("people", []) if p["analysed"]), None)
    return {"status": run["status"], "summary": run["summary"], "frames": np.asarray(frames, int), "keypoints": kp,
            "min_score": float(record.get("min_score", np.nan)), "span_s": span}


def clip_row(video: Path, options: AnalyzeOptions, cache_dir: Path | None) -> dict[str, Any]:
    """One clip: the teacher on whole frames, `analyze` at defaults → one table row."""
    t_frames, t_points, fps = full_frame_teacher(video, cache_dir)
    seen = teacher_sees(t_points)
    run = ours(video, options)
    status, summary, frames, kp, min_score = (run[k] for k in ("status", "summary", "frames", "keypoints", "min_score"))
    joints = np.zeros(len(t_frames), bool)
    ours_kp = np.full((len(t_frames), NUM_JOINTS, 3), np.nan)
    row_of = {int(f): i for i, f in enumerate(t_frames)}
    if len(kp):
        rows = np.array([row_of.get(int(f), -1) for f in frames])
        keep = rows >= 0
        joints[rows[keep]] = frames_with_joints(kp[keep], min_score)
        ours_kp[rows[keep]] = kp[keep]
    both = joints & seen
    ref = np.array(t_points[:, :NUM_JOINTS], float)
    ref[np.nan_to_num(ref[..., 2]) < SEEN_MIN_VISIBILITY] = np.nan
    pred = ours_kp.copy()
    pred[np.nan_to_num(pred[..., 2]) < min_score] = np.nan
    d = side_agnostic_distances(pred[both], ref[both]) if both.any() else np.zeros(0)
    t_status, t_summary = teacher_gait(t_points, fps)
    in_span = np.ones(len(t_frames), bool)           # several people: the analysed one's walking span ± 1 s
    if run["span_s"] is not None:
        first, last = run["span_s"]
        in_span = (t_frames >= (first - SPAN_MARGIN_S) * fps) & (t_frames <= (last + SPAN_MARGIN_S) * fps)
    return {"clip": video.as_posix(), "frames": int(len(t_frames)), "teacher_sees": int(seen.sum()),
            "with_joints": int(joints.sum()), "with_joints_where_seen": int(both.sum()),
            "share_where_seen": share_where_seen(joints, seen),
            "span_s": run["span_s"], "teacher_sees_in_span": int((seen & in_span).sum()),
            "share_where_seen_in_span": share_where_seen(joints[in_span], seen[in_span]),
            "median_torso_lengths_to_teacher": float(np.median(d)) if len(d) else float("nan"),
            "status": status, "passes": _passes(summary),
            "cadence_steps_per_min": summary.get("cadence_steps_per_min", float("nan")),
            "teacher_status": t_status, "teacher_passes": _passes(t_summary),
            "teacher_cadence_steps_per_min": t_summary.get("cadence_steps_per_min", float("nan"))}


def format_table(rows: list[dict[str, Any]]) -> str:
    """A markdown table, one row per clip."""
    lines = ["| clip | teacher sees (of frames) | joints where seen | in the person's span | median distance (torso lengths) | exit "
             "| passes (start-end, direction, cadence) | cadence | teacher: passes | teacher cadence |",
             "|---|---:|---:|---:|---:|---|---|---:|---|---:|"]
    for r in rows:
        exit_text = "0" if r["status"] == "ok" else f"2: {r['status'][:50]}"
        lines.append(f"| {r['clip']} | {r['teacher_sees']} ({r['frames']}) | {r['share_where_seen']:.2f} "
                     f"| {r['share_where_seen_in_span']:.2f} of {r['teacher_sees_in_span']} | {r['median_torso_lengths_to_teacher']:.3f} | {exit_text} | {'; '.join(r['passes'])} "
                     f"| {r['cadence_steps_per_min']:.1f} | {'; '.join(r['teacher_passes']) or r['teacher_status'][:40]} "
                     f"| {r['teacher_cadence_steps_per_min']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = clips_parser(__doc__.splitlines()[0])
    parser.add_argument("--cache", default="out/seen_teacher", help="folder for the teacher's full-frame keypoints")
    args = parser.parse_args(argv)
    cache = Path(args.cache) if args.cache else None
    return measure_clips(args, lambda clip, options: clip_row(clip, options, cache),
                         lambda r: f"{r['share_where_seen']:.2f} of {r['teacher_sees']} seen frames; {r['status'][:60]}",
                         format_table)


if __name__ == "__main__":
    raise SystemExit(main())
