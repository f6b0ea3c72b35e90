"""`--video`: one walk per subject as a landscape mp4 plus its exact ground truth in the SPEC §9 files.

Truth comes from the walker, never from the rendered pixels: its segment angles (sagittal plane,
positive forward), its events at their exact times and its footprints. The stride table, step
lengths (footprint distance and the paper's D_sl), D_ps and the per-side means are computed by the
same functions the gait analysis uses (`gaitpose.gait.spatiotemporal`), fed with that exact truth,
so truth and analysis differ only in what they measure, never in how they count.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.data.synth.frame_renderer import FrameRenderer
from gaitpose.data.synth.motion import Walk
from gaitpose.data.synth.recording import sample_recording
from gaitpose.formats import (ANGLE_COLUMNS, EVENT_COLUMNS, STRIDE_COLUMNS, write_csv_atomic, write_json_atomic,
                              write_keypoints_csv)
from gaitpose.gait import spatiotemporal as st
from gaitpose.skeleton import JOINTS, SIDES
from gaitpose.videowriter import VideoWriter


def truth_events(walk: Walk) -> dict[str, dict[str, list[float]]]:
    """side → event → exact times as fractional frames, inside the recording (the gait code's events)."""
    out: dict[str, dict[str, list[float]]] = {s: {"heel_strike": [], "toe_off": []} for s in SIDES}
    for side, name, time_s in walk.truth.events:
        out[side][name].append(time_s * walk.fps)
    return out


def truth_footprints(walk: Walk) -> dict[str, list[tuple[float, float]]]:
    """side → [(heel-strike fractional frame, heel position along the walking direction, m)] for every
    footprint of the walk (also those before the first frame, so the first step has its predecessor)."""
    return {s: [(t * walk.fps, walk.facing * heel_x) for t, heel_x, _ in walk.truth.footprints[s]] for s in SIDES}


def _side_stat(strides: list[st.Stride], name: str) -> dict[str, float]:
    """{left, right, mean} of a stride field: per-side means, and the mean over all strides."""
    values = {s: [getattr(x, name) for x in strides if x.side == s and np.isfinite(getattr(x, name))] for s in SIDES}
    out = {s: float(np.mean(values[s])) if values[s] else float("nan") for s in SIDES}
    both = values["left"] + values["right"]
    out["mean"] = float(np.mean(both)) if both else float("nan")
    return out


def truth_tables(walk: Walk, direction: str) -> tuple[list, st.StrideSet, dict[str, Any]]:
    """(events rows, strides, summary) of the walk within its frames, SPEC §8 definitions."""
    fps, truth = walk.fps, walk.truth
    events = truth_events(walk)
    rows = sorted(((side, name, int(round(f)), f / fps) for side, kinds in events.items()
                   for name, frames in kinds.items() for f in frames), key=lambda r: (r[3], r[0]))
    strides = st.build_strides(events, {s: np.ones(walk.n_frames, bool) for s in SIDES}, fps)
    st.add_double_support(strides, events, fps)
    thigh, shank = {s: truth.thigh_m for s in SIDES}, {s: truth.shank_m for s in SIDES}
    paper = st.paper_step_lengths(truth.angles_deg, events, thigh, shank)
    st.add_lengths(strides, truth_footprints(walk), paper, fps)

    stance, swing = _side_stat(strides.strides, "stance_time_s"), _side_stat(strides.strides, "swing_time_s")
    cycle = _side_stat(strides.strides, "stride_time_s")["mean"]
    angles = truth.angles_deg
    summary = {
        "fps": fps, "n_frames": walk.n_frames, "walking_direction": direction,
        "mode": "treadmill" if truth.params.treadmill else "overground",
        "n_strides": {s: sum(x.side == s for x in strides.strides) for s in SIDES},
        "cadence_steps_per_min": 120.0 / cycle, "gait_cycle_s": cycle,
        "speed_m_s": _side_stat(strides.strides, "speed_m_s")["mean"],
        "phase_symmetry_index": st.phase_symmetry_index(cycle, stance, swing),
        "step_length_m": _side_stat(strides.strides, "step_length_m"),
        "step_length_paper_m": _side_stat(strides.strides, "step_length_paper_m"),
        "step_length_method": "footprints" + (" on the belt" if truth.params.treadmill else ""),
        "stride_length_m": _side_stat(strides.strides, "stride_length_m"),
        "stance_time_s": stance, "swing_time_s": swing,
        "stance_pct": _side_stat(strides.strides, "stance_pct"),
        "double_support_s": _side_stat(strides.strides, "double_support_s"),
        "hip_rom_deg": {s: float(np.ptp(angles[f"{s}_hip_deg"])) for s in SIDES},
        "knee_rom_deg": {s: float(np.ptp(angles[f"{s}_knee_deg"])) for s in SIDES},
        "thigh_m": thigh, "shank_m": shank, "height_m": walk.height_m,
        "belt_speed_m_s": truth.belt_speed_m_s,
        "source": "gaitpose synth ground truth (kinematic walker, exact events and footprints)",
    }
    return rows, strides, summary


def stride_rows(strides: st.StrideSet, fps: float) -> list[list[Any]]:
    return [[s.side, int(round(s.start_frame)), int(round(s.end_frame)), s.stride_time_s, s.stance_time_s,
             s.swing_time_s, s.stance_pct, s.step_length_m, s.stride_length_m, s.speed_m_s] for s in strides.strides]


def write_truth(out_dir: Path, walk: Walk, keypoints_tx8x3: np.ndarray, camera: dict, direction: str) -> None:
    """keypoints.csv, angles.csv, events.csv, strides.csv, summary.json and camera.json."""
    write_keypoints_csv(out_dir / "keypoints.csv", keypoints_tx8x3, walk.fps)
    angles = walk.truth.angles_deg
    rows = [[f, f / walk.fps] + [angles[c][f] for c in ANGLE_COLUMNS[2:]] for f in range(walk.n_frames)]
    write_csv_atomic(out_dir / "angles.csv", ANGLE_COLUMNS, rows)
    events, strides, summary = truth_tables(walk, direction)
    write_csv_atomic(out_dir / "events.csv", EVENT_COLUMNS, events)
    write_csv_atomic(out_dir / "strides.csv", STRIDE_COLUMNS, stride_rows(strides, walk.fps))
    write_json_atomic(out_dir / "summary.json", summary)
    write_json_atomic(out_dir / "camera.json", camera)


def write_video(args: tuple) -> tuple[Path, int]:
    """Render subject `index`'s walk as a video (worker entry point) → (video path, frames rendered)."""
    config, index, seed = args
    rng = np.random.default_rng(seed)
    rec = sample_recording(rng, index, config.video_size, config.preset, config.fps, config.video_seconds)
    renderer = FrameRenderer(rec.setup)
    out_dir = config.out_dir / "videos" / rec.name
    keypoints = np.zeros((rec.walk.n_frames, len(JOINTS), 3))
    width, height = config.video_size
    with VideoWriter(out_dir / "video.mp4", config.fps, width, height, crf=config.video_crf) as writer:
        for f in range(rec.walk.n_frames):
            frame = renderer.render(rec.walk.pose(f), rng, depth=False)
            writer.write(frame.bgr)
            keypoints[f] = frame.keypoints_8x3
    # keypoints.csv holds the exact projections; joints outside the image are left empty.
    exact = np.full_like(keypoints, np.nan)
    on = keypoints[..., 2] > 0
    exact[on] = keypoints[on]
    exact[..., 2] = np.where(on, 1.0, np.nan)
    write_truth(out_dir, rec.walk, exact, rec.setup.view.camera_json(), rec.walk.image_direction(rec.setup.view))
    return out_dir / "video.mp4", rec.walk.n_frames
