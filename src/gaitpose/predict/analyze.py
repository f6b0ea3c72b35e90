"""`gaitpose analyze VIDEO --out DIR`: video → keypoints → gait analysis → report and overlay.

Partial results are never lost: keypoints.csv is written as soon as the network has run, so a
failure of the gait step (no person, fewer than two strides) still leaves the tracks, and
`analysis.json` says what happened.
"""
from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic, write_json_atomic, write_keypoints_csv
from gaitpose.predict.backends import make_backend
from gaitpose.predict.follow import FollowParams
from gaitpose.predict.track import Tracks, track_video
from gaitpose.predict.video import VideoInfo, iter_frames, probe_video
from gaitpose.skeleton import FOOT_POINTS, NUM_JOINTS
from gaitpose.timing import frame_timing


DEFAULT_MIN_SCORE = 0.3     # for a model without a calibrated threshold (and the teacher)


@dataclass
class AnalyzeOptions:
    keypoints: str = "gaitposenet"    # or "mediapipe": the teacher's keypoints through the same pipeline
    weights: str | None = None        # checkpoint; None = bundled model
    onnx: str | None = None           # run this ONNX file with ONNX Runtime instead
    device: str = "auto"
    threads: int = 0
    batch_size: int = 8
    start_s: float = 0.0
    end_s: float | None = None
    fps: float | None = None          # overrides the container's frame rate
    follow: bool = True               # crop around the subject
    flip: bool = False                # flip test (slower, PyTorch only)
    input_size: int | None = None     # network input size (default: the checkpoint's)
    overlay: bool = True
    min_score: float | None = None    # None: the model's calibrated threshold (gaitpose calibrate), else 0.3
    progress: bool = True
    person: int = 1                   # which of the people who walk (1: the one who walks most)


def analyze_video(video: str | Path, out_dir: str | Path, options: AnalyzeOptions,
                  run_gait: Callable[[np.ndarray, float, np.ndarray], Any] | None = None) -> dict[str, Any]:
    """Run the whole job; returns the analysis record written to `analysis.json`.

    `run_gait(keypoints T×8×3, fps, frames T, min_score, feet T×4×3 or None, times_s T or None, feet_source)` does
    the gait analysis and writes its files into `out_dir`, returning (angles dict of T arrays, events
    list of (side, event, frame)) for the overlay. `times_s` (the frames' own time stamps) is given
    when the video has a variable frame rate; `fps` is then the effective rate. The network's own tracks are kept as `keypoints_raw.csv` (and as
    `keypoints.csv` until the gait step replaces it with the cleaned tracks); a backend that finds the
    heels and toe tips (a 12-point GaitPoseNet, the teacher) adds their columns there and gives them to the
    gait step with `feet_source`, its name for the summary and the report (None without feet).
    """
    out_dir = Path(out_dir)
    info = probe_video(video, options.fps)
    if options.start_s < 0 or (options.end_s is not None and options.end_s <= options.start_s):
        raise GaitposeError(f"--start/--end: expected 0 <= start < end, got {options.start_s} and {options.end_s}")
    if options.person < 1:
        raise GaitposeError(f"--person: expected 1 or more, got {options.person}")
    if options.person != 1 and not options.follow:
        raise GaitposeError("--person: choosing a person needs the follower; drop --no-follow")
    backend = make_backend(options.weights, options.onnx, options.device, options.threads, options.flip,
                           options.input_size, options.keypoints)
    min_score = resolve_min_score(options.min_score, backend)
    tracks = track_video(info, backend, options.start_s, options.end_s, options.batch_size, options.follow,
                         follow_params=FollowParams(min_score=min_score), progress=options.progress,
                         person=options.person)
    if len(tracks.frames) == 0:
        raise GaitposeError(f"{video}: no frame in the requested range ({options.start_s}–{options.end_s} s)")
    ended = ended_early(info, int(tracks.frames[-1]) + 1, options.end_s)
    out_dir.mkdir(parents=True, exist_ok=True)
    joints = tracks.keypoints[:, :NUM_JOINTS]
    feet = tracks.keypoints[:, NUM_JOINTS:NUM_JOINTS + len(FOOT_POINTS)] \
        if tracks.keypoints.shape[1] >= NUM_JOINTS + len(FOOT_POINTS) else None
    feet_source = getattr(backend, "feet_source", None) if feet is not None else None
    stamps = tracks.times_s if options.fps is None else None      # --fps overrides the container's timing
    for name in ("keypoints_raw.csv", "keypoints.csv"):
        write_keypoints_csv(out_dir / name, joints, info.fps, frames=tracks.frames, feet_tx4x3=feet, times_s=stamps)
    record: dict[str, Any] = {
        "video": str(video), "fps": info.fps, "frame_size": [info.width, info.height],
        "frames_analysed": int(len(tracks.frames)), "first_frame": int(tracks.frames[0]),
        "unreadable_frames": tracks.unreadable_frames,
        "frames_without_subject": int(tracks.frames_without_subject),
        "backend": backend.name, "foot_points": feet_source, "keypoint_frames_per_s": round(tracks.frames_per_s, 2),
        "options": asdict(options), "status": "keypoints written",
        "person_analysed": tracks.person, "people": write_people(tracks, out_dir),
    }
    if ended is not None:
        record["ended_early"] = ended
    record["min_score"] = min_score
    record["stage_seconds"] = {"motion_prepass": round(tracks.prepass_seconds, 3),
                               "keypoints": round(tracks.seconds - tracks.prepass_seconds, 3)}
    fps, times_s = info.fps, None
    timing = frame_timing(stamps) if stamps is not None else None
    if timing is not None:
        record["timing"] = {"container_fps": info.fps, **timing.as_dict()}
        if timing.variable:
            fps, times_s = timing.effective_fps, tracks.times_s
        elif abs(timing.effective_fps - info.fps) > 0.01 * info.fps:
            fps = timing.effective_fps      # the container's rate is not what its time stamps say
    found = np.isfinite(joints[..., 0]) & (joints[..., 2] >= min_score)
    if found.sum(axis=1).max(initial=0) < 4:
        record["status"] = "no person found"
        write_json_atomic(out_dir / "analysis.json", record)
        raise GaitposeError(f"{video}: {ended + '; ' if ended else ''}no person found in {len(tracks.frames)} frames "
                            f"(keypoints.csv kept in {out_dir}; see analysis.json)")
    angles, events = {}, []
    if run_gait is not None:
        t0 = time.perf_counter()
        try:
            angles, events = run_gait(joints, fps, tracks.frames, min_score, feet, times_s, feet_source)
            record["status"] = "complete"
        except GaitposeError as exc:
            record["status"] = f"gait analysis failed: {exc}"
            record["stage_seconds"]["gait"] = round(time.perf_counter() - t0, 3)
            write_json_atomic(out_dir / "analysis.json", record)
            if options.overlay:
                _overlay(info, tracks, out_dir, options, angles, events, min_score)
            kept = "keypoints.csv and overlay.mp4" if options.overlay else "keypoints.csv"
            raise GaitposeError(f"{video}: {ended}; {exc} ({kept} kept in {out_dir})" if ended
                                else f"{exc} ({kept} kept in {out_dir})") from None
        record["stage_seconds"]["gait"] = round(time.perf_counter() - t0, 3)
    if options.overlay:
        t0 = time.perf_counter()
        _overlay(info, tracks, out_dir, options, angles, events, min_score)
        record["stage_seconds"]["overlay"] = round(time.perf_counter() - t0, 3)
    write_json_atomic(out_dir / "analysis.json", record)
    return record


ENDED_EARLY_FRACTION = 0.9    # fewer frames than this share of the header's count: the file ends early
#                               (containers without an index estimate the count from the duration, a few % off)


def ended_early(info: VideoInfo, frames_read: int, end_s: float | None) -> str | None:
    """The sentence for a video whose frames stop well before the count its header announces (a truncated
    copy, a recording cut by a full card), or None. Only when the whole file was asked for (no --end)."""
    if end_s is not None or info.n_frames <= 0 or frames_read >= ENDED_EARLY_FRACTION * info.n_frames:
        return None
    return (f"the video ends after frame {frames_read} of the {info.n_frames} its header announces (a truncated or "
            "damaged file?); the frames read were analysed")


def stage_line(record: dict[str, Any]) -> str:
    """Where `analyze`'s time went (analysis.json's stage_seconds), for the console: the video is decoded
    once for the motion pre-pass, once for the keypoints and, unless --no-overlay, once for the overlay."""
    s = record.get("stage_seconds") or {}
    names = {"motion_prepass": "motion pre-pass (a decode of its own)", "keypoints": "keypoints",
             "gait": "gait analysis", "overlay": "overlay (a decode of its own; --no-overlay skips it)"}
    return "time: " + ", ".join(f"{label} {s[key]:.1f} s" for key, label in names.items() if key in s)


def write_people(tracks: Tracks, out_dir: Path) -> list[dict[str, Any]]:
    """The people seen walking, for analysis.json (most walking first; times in seconds from the start of
    the file), each thumbnail written beside the report as `person-N.jpg`."""
    people = []
    for rank, walker in enumerate(tracks.people, 1):
        thumbnail = None
        if rank in tracks.thumbnails:
            ok, jpg = cv2.imencode(".jpg", tracks.thumbnails[rank], [cv2.IMWRITE_JPEG_QUALITY, 85])
            if ok:
                thumbnail = f"person-{rank}.jpg"
                write_bytes_atomic(out_dir / thumbnail, jpg.tobytes())
        people.append({"person": rank, "walking_s": walker.walking_s, "first_seen_s": walker.first_s,
                       "last_seen_s": walker.last_s, "analysed": rank == tracks.person, "thumbnail": thumbnail})
    return people


def resolve_min_score(asked: float | None, backend: object) -> float:
    """The score below which a joint is missing: the user's --min-score, else the model's calibrated
    threshold (`gaitpose calibrate`, stored with the weights), else DEFAULT_MIN_SCORE."""
    if asked is not None:
        if not 0.0 <= asked < 1.0:
            raise GaitposeError(f"--min-score: expected a score in [0, 1), got {asked}")
        return float(asked)
    calibrated = getattr(backend, "min_score", None)
    return float(calibrated) if calibrated is not None else DEFAULT_MIN_SCORE


def _overlay(info: VideoInfo, tracks: Tracks, out_dir: Path, options: AnalyzeOptions,
             angles: dict[str, np.ndarray], events: list[tuple[str, str, int]], min_score: float) -> None:
    from gaitpose.report.overlay import render_overlay

    end_s = (tracks.frames[-1] + 1) / info.fps
    render_overlay(iter_frames(info, options.start_s, end_s), str(out_dir / "overlay.mp4"), info.fps,
                   (info.width, info.height), tracks.frames, tracks.keypoints[:, :NUM_JOINTS], angles, events, min_score)
