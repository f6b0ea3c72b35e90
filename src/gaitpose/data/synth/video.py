"""`--video`: one walk per subject as an mp4 plus its exact ground truth in the SPEC §9 files.

Truth comes from the walker's geometry and events, never from the rendered pixels: segment angles
from the 3D joints (sagittal plane, positive forward), events at their exact times, step lengths
between footprints, and the summary of SPEC §9 computed from those.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gaitpose.data.synth.frame_renderer import FrameRenderer
from gaitpose.data.synth.motion import Walk
from gaitpose.formats import (ANGLE_COLUMNS, EVENT_COLUMNS, STRIDE_COLUMNS, write_csv_atomic, write_json_atomic,
                              write_keypoints_csv)
from gaitpose.skeleton import JOINTS
from gaitpose.videowriter import VideoWriter

SIDES = ("left", "right")
T0_S, T_T, T_W = 1.2, 0.62, 0.38  # SPEC §8 phase symmetry constants


def segment_angles_deg(walk: Walk) -> dict[str, np.ndarray]:
    """Thigh and shank angles from the downward vertical (positive in the walking direction), hip and
    knee angles, and hip flexion relative to the trunk, per side (T each)."""
    p, forward = walk.points, walk.facing

    def angle(v: np.ndarray) -> np.ndarray:
        return np.degrees(np.arctan2(forward * v[:, 0], -v[:, 2]))

    hip_mid = (p["left_hip"] + p["right_hip"]) / 2
    trunk = angle(hip_mid - (p["left_shoulder"] + p["right_shoulder"]) / 2)  # shoulder-mid → hip line
    out: dict[str, np.ndarray] = {}
    for side in SIDES:
        thigh = angle(p[f"{side}_knee"] - p[f"{side}_hip"])
        shank = angle(p[f"{side}_ankle"] - p[f"{side}_knee"])
        out |= {f"{side}_thigh_deg": thigh, f"{side}_shank_deg": shank, f"{side}_hip_deg": thigh,
                f"{side}_knee_deg": thigh - shank, f"{side}_hip_trunk_deg": thigh - trunk}
    return out


def truth_tables(walk: Walk, direction: str) -> tuple[list, list, dict]:
    """(events rows, stride rows, summary) of the walk within its frames."""
    truth, fps = walk.truth, walk.fps
    duration = (walk.n_frames - 1) / fps
    events = []
    for side in SIDES:
        for name, times in (("heel_strike", truth.heel_strike_s[side]), ("toe_off", truth.toe_off_s[side])):
            for t in times[(times >= 0) & (times <= duration)]:
                events.append((side, name, int(round(t * fps)), float(t)))
    events.sort(key=lambda e: (e[3], e[0]))
    # Footprints in time order (both sides): a step is the distance from the previous footprint.
    prints = sorted((t, side, x) for side in SIDES for t, x in zip(truth.heel_strike_s[side], truth.footprint_x_m[side]))
    step_before = {(side, t): x - px for (pt, _, px), (t, side, x) in zip(prints[:-1], prints[1:])}
    strides, stance, swing, steps, stride_len = [], {s: [] for s in SIDES}, {s: [] for s in SIDES}, \
        {s: [] for s in SIDES}, {s: [] for s in SIDES}
    for side in SIDES:
        hs, to, fx = truth.heel_strike_s[side], truth.toe_off_s[side], truth.footprint_x_m[side]
        for k in range(len(hs) - 1):
            if hs[k] < 0 or hs[k + 1] > duration:
                continue
            cycle = hs[k + 1] - hs[k]
            st, sw = to[k] - hs[k], hs[k + 1] - to[k]
            length = fx[k + 1] - fx[k]
            step = step_before.get((side, hs[k + 1]), np.nan)
            strides.append((side, int(round(hs[k] * fps)), int(round(hs[k + 1] * fps)), cycle, st, sw,
                            100 * st / cycle, step, length, length / cycle))
            stance[side].append(st), swing[side].append(sw), steps[side].append(step), stride_len[side].append(length)

    def lr(values: dict[str, list]) -> dict:
        left, right = (float(np.mean(values[s])) if values[s] else float("nan") for s in SIDES)
        return {"left": left, "right": right, "mean": float(np.nanmean([left, right]))}

    angles = segment_angles_deg(walk)
    cycle = float(np.mean([r[3] for r in strides])) if strides else float("nan")
    st_l, st_r, sw_l, sw_r = (lr(stance)["left"], lr(stance)["right"], lr(swing)["left"], lr(swing)["right"])
    d_ps = np.sqrt(T0_S / cycle) * (T_T * min(st_l, st_r) / max(st_l, st_r) + T_W * min(sw_l, sw_r) / max(sw_l, sw_r))
    summary = {
        "fps": fps, "n_frames": walk.n_frames, "walking_direction": direction,
        "cadence_steps_per_min": 2 * 60.0 / cycle, "gait_cycle_s": cycle,
        "speed_m_s": float(np.mean([r[9] for r in strides])) if strides else float("nan"),
        "phase_symmetry_index": float(d_ps),
        "step_length_m": lr(steps), "step_length_paper_m": lr(_paper_steps(walk, angles)),
        "stride_length_m": lr(stride_len), "stance_time_s": lr(stance), "swing_time_s": lr(swing),
        "hip_rom_deg": {s: float(np.ptp(angles[f"{s}_hip_deg"])) for s in SIDES},
        "knee_rom_deg": {s: float(np.ptp(angles[f"{s}_knee_deg"])) for s in SIDES},
        "thigh_m": {s: truth.thigh_m for s in SIDES}, "shank_m": {s: truth.shank_m for s in SIDES},
        "height_m": walk.height_m, "source": "gaitpose synth ground truth",
    }
    return events, strides, summary


def _paper_steps(walk: Walk, angles: dict[str, np.ndarray]) -> dict[str, list]:
    """SPEC §8 D_sl at each heel strike (leading minus trailing leg), per leading side."""
    truth, out = walk.truth, {s: [] for s in SIDES}
    rad = {k: np.radians(v) for k, v in angles.items()}
    for side, other in (("left", "right"), ("right", "left")):
        for t in truth.heel_strike_s[side]:
            f = int(round(t * walk.fps))
            if 0 <= f < walk.n_frames:
                lead = truth.thigh_m * np.sin(rad[f"{side}_thigh_deg"][f]) + truth.shank_m * np.sin(rad[f"{side}_shank_deg"][f])
                trail = truth.thigh_m * np.sin(rad[f"{other}_thigh_deg"][f]) + truth.shank_m * np.sin(rad[f"{other}_shank_deg"][f])
                out[side].append(lead - trail)
    return out


def write_truth(out_dir: Path, walk: Walk, keypoints_tx8x3: np.ndarray, camera: dict, direction: str) -> None:
    """keypoints.csv, angles.csv, events.csv, strides.csv, summary.json and camera.json."""
    write_keypoints_csv(out_dir / "keypoints.csv", keypoints_tx8x3, walk.fps)
    angles = segment_angles_deg(walk)
    rows = [[f, f / walk.fps] + [angles[c][f] for c in ANGLE_COLUMNS[2:]] for f in range(walk.n_frames)]
    write_csv_atomic(out_dir / "angles.csv", ANGLE_COLUMNS, rows)
    events, strides, summary = truth_tables(walk, direction)
    write_csv_atomic(out_dir / "events.csv", EVENT_COLUMNS, events)
    write_csv_atomic(out_dir / "strides.csv", STRIDE_COLUMNS, strides)
    write_json_atomic(out_dir / "summary.json", summary)
    write_json_atomic(out_dir / "camera.json", camera)


def write_video(args: tuple) -> tuple[Path, int]:
    """Render subject `index`'s whole walk (worker entry point) → (video path, frames rendered)."""
    from gaitpose.data.synth.generate import sample_recording
    config, index, seed = args
    rng = np.random.default_rng(seed)
    rec = sample_recording(rng, index, config.size_px, config.preset, config.fps, wide=True)
    renderer = FrameRenderer(rec.setup)
    out_dir = config.out_dir / "videos" / rec.name
    keypoints = np.zeros((rec.walk.n_frames, len(JOINTS), 3))
    with VideoWriter(out_dir / "video.mp4", config.fps, config.size_px, config.size_px) as writer:
        for f in range(rec.walk.n_frames):
            frame = renderer.render(rec.walk.pose(f), rng)
            writer.write(frame.bgr)
            keypoints[f] = frame.keypoints_8x3
    # keypoints.csv holds the exact projections; joints outside the image are left empty.
    exact = np.full_like(keypoints, np.nan)
    on = keypoints[..., 2] > 0
    exact[on] = keypoints[on]
    exact[..., 2] = np.where(on, 1.0, np.nan)
    v = rec.setup.view
    camera = {"fx": v.fx, "fy": v.fy, "cx": v.cx, "cy": v.cy, "width": v.size_px, "height": v.size_px,
              "rotation": v.rotation, "translation": v.translation}
    write_truth(out_dir, rec.walk, exact, camera, rec.walk.image_direction(v))
    return out_dir / "video.mp4", rec.walk.n_frames
