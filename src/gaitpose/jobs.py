"""The jobs that span the pipeline: `analyze` (video → keypoints → gait → report), `eval` and `demo`.

They live above the layers (predict never imports gait; gait never imports torch) and compose them.
"""
from __future__ import annotations

import json
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.gait.pipeline import GaitOptions, analyze_by_time_stamps, analyze_keypoints, write_gait_outputs
from gaitpose.predict.analyze import AnalyzeOptions, analyze_video, stage_line
from gaitpose.report.writers import absolute_frame


def analyze(video: str | Path, out_dir: str | Path, options: AnalyzeOptions, gait_options: GaitOptions,
            session: dict | None = None) -> tuple[dict[str, Any], Any]:
    """Run `gaitpose analyze`; returns (analysis record, GaitResult or None when the gait step failed).
    `session` (gait.commands.session_info) heads the report; default: no subject, today."""
    from gaitpose.gait.commands import session_info
    from gaitpose.report.clinical import write_report

    results: list[Any] = []
    session = session or session_info(gait_options.camera)
    session = {**session, "video": str(Path(video).resolve())}

    def run_gait(keypoints: np.ndarray, fps: float, frames: np.ndarray, min_score: float,
                 feet: np.ndarray | None = None, times_s: np.ndarray | None = None, feet_source: str | None = None):
        options = replace(gait_options, min_score=min_score, feet_source=feet_source)
        if times_s is None:
            result = analyze_keypoints(keypoints, fps, options, frames=frames, feet_tx4x3=feet)
        else:
            result = analyze_by_time_stamps(keypoints, feet, times_s, fps, options)
        write_gait_outputs(result, out_dir, session)
        results.append(result)
        if times_s is None:
            events = [(side, kind, int(round(absolute_frame(result, f))))
                      for side, kinds in result.events.items() for kind, rows in kinds.items() for f in rows]
            return result.angles, events
        # for the overlay: angles at each video frame's time, each event on the video frame nearest in time
        grid_s = result.frames / result.fps
        ok = np.isfinite(times_s)
        angles = {c: np.interp(times_s, grid_s, a, left=np.nan, right=np.nan) for c, a in result.angles.items()}
        events = [(side, kind, int(frames[ok][np.argmin(np.abs(times_s[ok] - absolute_frame(result, f) / result.fps))]))
                  for side, kinds in result.events.items() for kind, rows in kinds.items() for f in rows]
        return angles, events

    record = analyze_video(video, out_dir, options, run_gait)
    if results:  # again, now that analysis.json names the model that found the keypoints
        write_report(out_dir, video)
    return record, (results[0] if results else None)


def evaluate(data: str, keypoints: str = "gaitposenet", weights: str | None = None, json_path: str | None = None,
             flip: bool = False, batch_size: int = 8) -> dict[str, Any]:
    """`gaitpose eval`: GaitPoseNet (default) or the MediaPipe teacher (`keypoints="mediapipe"`, each image
    on its own) scored by the same code on the same letterboxed images (train.evaluate.evaluate_file)."""
    from gaitpose.predict.backends import KEYPOINT_SOURCES
    from gaitpose.train.evaluate import evaluate_file

    if keypoints not in KEYPOINT_SOURCES:
        raise GaitposeError(f"--keypoints: expected one of {', '.join(KEYPOINT_SOURCES)}, got {keypoints!r}")
    if keypoints == "gaitposenet":
        return evaluate_file(data, weights=weights, json_path=json_path, flip=flip, batch_size=batch_size)
    if flip:
        raise GaitposeError("--flip is GaitPoseNet's flip test; it does not apply to --keypoints mediapipe")
    from gaitpose.predict.teacher import TeacherBackend

    teacher = TeacherBackend(static=True)
    try:
        # `weights` still fixes the image size, so both sources are scored on identical inputs.
        return evaluate_file(data, weights=weights, json_path=json_path, batch_size=batch_size,
                             keypoints_fn=teacher, keypoints_name=keypoints)
    finally:
        teacher.pose.close()


def demo_assets() -> Path:
    """The bundled demo walk: video.mp4 and its ground truth in the files `gaitpose gait` writes."""
    return Path(str(resources.files("gaitpose") / "assets" / "demo"))


# (label, summary key, side or None, unit) of the numbers the demo compares with the truth
_DEMO_ROWS = [
    ("gait cycle", "gait_cycle_s", "mean", "s"),
    ("cadence", "cadence_steps_per_min", None, "steps/min"),
    ("speed", "speed_m_s", None, "m/s"),
    ("step length L", "step_length_m", "left", "m"),
    ("step length R", "step_length_m", "right", "m"),
    ("step length (paper D_sl)", "step_length_paper_m", "mean", "m"),
    ("stride length", "stride_length_m", "mean", "m"),
    ("stance time L", "stance_time_s", "left", "s"),
    ("stance time R", "stance_time_s", "right", "s"),
    ("swing time L", "swing_time_s", "left", "s"),
    ("swing time R", "swing_time_s", "right", "s"),
    ("phase symmetry D_ps", "phase_symmetry_index", None, ""),
    ("hip ROM L", "hip_rom_deg", "left", "deg"),
    ("hip ROM R", "hip_rom_deg", "right", "deg"),
    ("knee ROM L", "knee_rom_deg", "left", "deg"),
    ("knee ROM R", "knee_rom_deg", "right", "deg"),
]


def _value(summary: dict, key: str, side: str | None) -> float:
    value = summary.get(key)
    if isinstance(value, dict):
        value = value.get(side or "mean")
    return float(value) if isinstance(value, (int, float)) else float("nan")


def compare_with_truth(measured: dict, truth: dict) -> list[tuple[str, float, float, float, str]]:
    """(label, measured, truth, measured − truth, unit) for every demo number."""
    rows = []
    for label, key, side, unit in _DEMO_ROWS:
        m, t = _value(measured, key, side), _value(truth, key, side)
        rows.append((label, m, t, m - t, unit))
    return rows


def format_truth_table(rows: list[tuple[str, float, float, float, str]]) -> str:
    lines = [f"{'':<26}{'measured':>10}{'truth':>10}{'error':>10}"]
    for label, m, t, d, unit in rows:
        lines.append(f"{label:<26}{m:>10.3f}{t:>10.3f}{d:>+10.3f}  {unit}")
    return "\n".join(lines)


def demo(out_dir: str | Path = "gaitpose-demo", progress: bool = True) -> dict[str, Any]:
    """Analyse the bundled demo walk with the bundled model; print the summary against the truth."""
    from gaitpose.gait.commands import load_camera, session_info
    from gaitpose.gait.readers import read_angles_csv

    assets = demo_assets()
    video = assets / "video.mp4"
    if not video.is_file():
        raise GaitposeError(f"{video}: the bundled demo walk is missing from this installation")
    truth = json.loads((assets / "summary.json").read_text())
    gait_options = GaitOptions(
        thigh_m=(truth["thigh_m"]["left"], truth["thigh_m"]["right"]),
        shank_m=(truth["shank_m"]["left"], truth["shank_m"]["right"]),
        camera=load_camera(str(assets / "camera.json")),
        reference_angles=read_angles_csv(assets / "angles.csv")[0],
    )
    out_dir = Path(out_dir)
    print(f"analysing the bundled demo walk ({video.name}: synthetic, exoskeleton-assisted, ground truth known)")
    session = session_info(gait_options.camera, label="bundled demo walk (synthetic, exoskeleton-assisted)")
    record, result = analyze(video, out_dir, AnalyzeOptions(progress=progress), gait_options, session)
    rows = compare_with_truth(result.summary, truth)
    table = format_truth_table(rows)
    print(table)
    similarity = result.summary.get("similarity") or {}
    if similarity:
        print("angle curves against the truth (after aligning in time):")
        for name, s in similarity.items():
            if isinstance(s, dict) and "rmse" in s:
                print(f"  {name:<22} RMSE {s['rmse']:.2f}°  r {s.get('r', float('nan')):.3f}  lag {s.get('lag_frames', 0)} frames")
    print(f"keypoints at {record['keypoint_frames_per_s']:.1f} frames/s ({record['backend']})")
    print(stage_line(record))
    print(f"report: {out_dir / 'report.html'}   overlay: {out_dir / 'overlay.mp4'}")
    return {"record": record, "truth_table": rows}
