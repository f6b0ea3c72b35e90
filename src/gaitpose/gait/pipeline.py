"""The whole `gaitpose gait` job as two functions: analyse (pure) and write (side effects).

    result = analyze_keypoints(keypoints_tx8x3, fps, GaitOptions(height_m=1.75))
    write_gait_outputs(result, out_dir)

`keypoints_tx8x3`: T×8×3 [x, y, score] in original-frame pixels (skeleton order, NaN where a joint
was not found). Everything is computed before anything is written, so a failure (GaitposeError)
leaves the output folder untouched.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.data.walker import SHANK_RATIO, THIGH_RATIO  # Winter (2009) ratios, defined once
from gaitpose.errors import GaitposeError
from gaitpose.gait import clean as clean_mod
from gaitpose.gait import cycles, events as events_mod, geometry, passes as passes_mod, spatiotemporal as st
from gaitpose.skeleton import FOOT_POINTS, SIDE_JOINTS, SIDES
from gaitpose.timing import resample_uniform

LOW_SCORE_HINT = 0.3   # share of joints below --min-score from which a failure suggests lowering it
# Below this share of frames agreeing (see clean.ankle_labels_by_crossings) the report warns that the
# left/right identity of the legs may be exchanged.
LEFT_RIGHT_CONFIDENT = 0.75
# A pass reports its numbers from one complete stride per side (gait-lab walkways give 3–4 strides per pass,
# part of them entering or leaving the view); with fewer than two of a side it is flagged as few.
MIN_STRIDES_PER_SIDE = 2
# summary["walking_direction"] from the sorted set of the analysed passes' directions
WALKING_DIRECTION_NAMES = {(1,): "right", (-1,): "left", (-1, 1): "both"}
# A rhythm no walk has: faster than about 180 steps/min is running (fast adult walking reaches about
# 150, young children about 170), and a stride time varying by more than a fifth of its mean is far
# beyond even pathological gait (a few per cent healthy, about 10 % in severe disorders). Either means the
# legs were most likely not followed; the numbers are kept but flagged.
MAX_WALKING_CADENCE_STEPS_PER_MIN = 180.0
MAX_STRIDE_TIME_CV = 0.2


@dataclass
class GaitOptions:
    """User options of SPEC §9. Lengths in metres; pairs are (left, right)."""

    height_m: float | None = None
    thigh_m: tuple[float, float] | None = None
    shank_m: tuple[float, float] | None = None
    camera: geometry.Camera = field(default_factory=geometry.Camera)
    direction: str = "auto"              # auto | left | right (the way the subject faces in the image)
    floor_angle_deg: float | None = None  # floor line in the image, counter-clockwise + (right end up); None: estimate
    treadmill_speed_m_s: float | None = None
    cutoff_hz: float = 6.0               # Winter (2009): 6 Hz for walking kinematics
    max_gap_s: float = 0.2
    min_score: float = 0.3
    min_strides: int = 3                 # fewer: a warning in the report
    norms: dict | None = None            # from `gaitpose norms build` (reference band, deviation scores)
    reference_angles: dict[str, np.ndarray] | None = None  # angle column → series at the same fps
    feet_source: str | None = None       # who found the foot points (e.g. a 12-point GaitPoseNet); None: given


@dataclass
class GaitResult:
    fps: float
    frames: np.ndarray
    keypoints_tx8x3: np.ndarray          # cleaned, filtered, pixels
    angles: dict[str, np.ndarray]        # SPEC §9 angle columns (degrees), T each
    events: dict[str, dict[str, list[float]]]  # side → event → fractional frames
    strides: st.StrideSet
    summary: dict[str, Any]
    curves: dict[str, dict]              # cycle-normalised mean ± SD
    notes: list[str]
    forward_m: dict[str, np.ndarray] | None = None  # forward ankle position (m) per side (belt frame)
    norms: dict | None = None
    plane_xy_tx8x2: np.ndarray | None = None  # camera-plane joints the events came from: floor level, y up, x forward (mirrored where a pass walks left)


def segment_lengths(options: GaitOptions) -> tuple[dict[str, float], dict[str, float]] | None:
    """Per-side thigh and shank lengths: given, or height × Winter (2009) ratios; None when neither."""
    if options.thigh_m is not None or options.shank_m is not None:
        if options.thigh_m is None or options.shank_m is None:
            raise GaitposeError("--thigh-m and --shank-m must be given together")
        thigh, shank = dict(zip(SIDES, options.thigh_m)), dict(zip(SIDES, options.shank_m))
    elif options.height_m is not None:
        if not options.height_m > 0:
            raise GaitposeError(f"--height-m: expected a positive height in metres, got {options.height_m}")
        thigh = {s: THIGH_RATIO * options.height_m for s in SIDES}
        shank = {s: SHANK_RATIO * options.height_m for s in SIDES}
    else:
        return None
    for name, d in (("--thigh-m", thigh), ("--shank-m", shank)):
        if not all(np.isfinite(v) and v > 0 for v in d.values()):
            raise GaitposeError(f"{name}: expected positive lengths in metres, got {list(d.values())}")
    return thigh, shank


def _median_length(xy: np.ndarray, a: int, b: int) -> float:
    d = np.linalg.norm(xy[:, a] - xy[:, b], axis=1)
    return float(np.nanmedian(d)) if np.isfinite(d).any() else float("nan")


def _side_stat(values: dict[str, list[float]]) -> dict[str, float]:
    out = {s: float(np.mean(values[s])) if values[s] else float("nan") for s in SIDES}
    both = values["left"] + values["right"]
    out["mean"] = float(np.mean(both)) if both else float("nan")
    out["sd"] = float(np.std(both)) if len(both) > 1 else float("nan")
    return out


def analyze_keypoints(keypoints_tx8x3: np.ndarray, fps: float, options: GaitOptions | None = None,
                      frames: np.ndarray | None = None, feet_tx4x3: np.ndarray | None = None) -> GaitResult:
    """Keypoint tracks → angles, events, strides, summary. Raises GaitposeError on unusable input.

    `feet_tx4x3` (optional; skeleton.FOOT_POINTS: heels and toe tips, pixels): heel strike then comes
    from the heel and toe off from the toe, per side where they were found in most frames."""
    options = options or GaitOptions()
    if not (np.isfinite(fps) and fps > 0):
        raise GaitposeError(f"fps: expected a positive frame rate, got {fps}")
    kp = np.asarray(keypoints_tx8x3, float)
    if kp.ndim != 3 or kp.shape[1:] != (8, 3):
        raise GaitposeError(f"keypoints: expected T×8×3, got {kp.shape}")
    lengths = segment_lengths(options)
    notes: list[str] = []
    T = len(kp)
    frames = np.arange(T) if frames is None else np.asarray(frames)
    for side in SIDES:
        for part, j in SIDE_JOINTS[side].items():
            if part != "shoulder" and (np.isfinite(kp[:, j, 0]) & (np.nan_to_num(kp[:, j, 2], nan=1) >= options.min_score)).sum() < 3:
                raise GaitposeError(f"keypoints: no usable {side}_{part} (fewer than 3 frames found with score ≥ {options.min_score})")

    # Body scale in pixels for the swap repair: median hip–ankle distance.
    scale_px = np.nanmedian([_median_length(kp[..., :2], SIDE_JOINTS[s]["hip"], SIDE_JOINTS[s]["ankle"]) for s in SIDES])
    kp_clean, report = clean_mod.clean_keypoints(kp, fps, options.min_score, options.max_gap_s, options.cutoff_hz,
                                                 float(scale_px) if np.isfinite(scale_px) and scale_px > 0 else 1.0)
    if not report.filtered:
        notes.append(f"low-pass filter skipped: {options.cutoff_hz} Hz is too close to the Nyquist frequency at {fps} fps")
    swaps = sum((report.swapped_frames or {}).values())
    if swaps:
        notes.append(f"left/right swaps repaired: {report.swapped_frames}")
    if report.implausible_knees:
        notes.append(f"knees dropped where a thigh or shank was more than {100 * clean_mod.KNEE_LENGTH_TOLERANCE:.0f} % "
                     f"off its usual length (then interpolated over short gaps): {report.implausible_knees} knee points")
    agreement = report.ankle_label_agreement
    if agreement is not None and agreement < LEFT_RIGHT_CONFIDENT:
        notes.append(f"which leg is LEFT is uncertain: the keypoint labels agreed with the legs followed through "
                     f"their crossings on only {100 * agreement:.0f} % of frames; each leg is followed consistently, "
                     "but left and right values may be exchanged")

    if options.direction not in ("auto", "left", "right"):
        raise GaitposeError(f"--direction: expected auto, left or right, got {options.direction!r}")
    xy = geometry.to_camera_plane(kp_clean, options.camera)
    thigh_len = np.nanmean([_median_length(xy, SIDE_JOINTS[s]["hip"], SIDE_JOINTS[s]["knee"]) for s in SIDES])
    shank_len = np.nanmean([_median_length(xy, SIDE_JOINTS[s]["knee"], SIDE_JOINTS[s]["ankle"]) for s in SIDES])
    segmentation = walking_passes(xy, fps, float(thigh_len + shank_len), options)  # pelvis travel: a small roll is no matter
    if segmentation.left_out:
        notes.append(f"{len(segmentation.left_out)} stretch{'es' if len(segmentation.left_out) > 1 else ''} of "
                     "movement not taken as passes: " + "; ".join(segmentation.left_out))
    if not segmentation.passes:
        raise _too_few_strides(kp, report, options, 0, "no walking pass found: " + (
            "; ".join(segmentation.left_out) or "the hips never travelled and no foot stepped"))
    treadmill = all(p.mode == passes_mod.TREADMILL for p in segmentation.passes)
    # Floor / camera roll: rotate so that the floor line is horizontal.
    if options.floor_angle_deg is not None:
        floor_rad, floor_source = np.radians(options.floor_angle_deg), "given"
    elif treadmill:
        floor_rad, floor_source = 0.0, "assumed level (treadmill: no footprints to fit; give --floor-angle)"
    else:
        est = geometry.estimate_floor_angle(xy, min_span=0.5 * thigh_len)
        floor_rad, floor_source = (est, "estimated from the ankles at rest") if est is not None else (0.0, "assumed level")
    xy = geometry.rotate(xy, -floor_rad)

    directions = [_pass_direction(p, xy, thigh_len, options, notes) for p in segmentation.passes]
    # Everything from here on works in the walker's own frame: x mirrored where a pass walks left, so every
    # pass walks towards +x (the same arithmetic as a direction of −1, which only ever multiplies x).
    direction_t = _nearest_pass_direction(segmentation.passes, directions, T)
    xy_fwd = xy.copy()
    xy_fwd[..., 0] *= direction_t[:, None]
    angles = geometry.joint_angles(xy_fwd, 1)
    in_pass = np.zeros(T, bool)
    for p in segmentation.passes:
        in_pass[p.start_frame:p.end_frame + 1] = True
    xy_walk = np.where(in_pass[:, None, None], xy_fwd, np.nan)   # no stride or footprint outside the passes

    feet_xy = feet_fwd = None
    if feet_tx4x3 is not None:
        feet = np.asarray(feet_tx4x3, float)
        if feet.shape != (T, len(FOOT_POINTS), 3):
            raise GaitposeError(f"foot points: expected T×{len(FOOT_POINTS)}×3 with T = {T}, got {feet.shape}")
        ankles = kp_clean[:, [SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]], :2]
        feet = clean_mod.clean_feet(feet, ankles, fps, options.min_score, options.max_gap_s, options.cutoff_hz)
        feet_xy = geometry.rotate(geometry.to_camera_plane(feet, options.camera), -floor_rad)
        feet_fwd = feet_xy.copy()
        feet_fwd[..., 0] *= direction_t[:, None]
    ev = _events_in_passes(xy_fwd, segmentation.passes, fps, feet_fwd)
    # judged on the frames the events were found in (the passes joined), as `detect_events` judges them
    feet_in_passes = None if feet_xy is None else _joined_passes(feet_xy, segmentation.passes)
    event_source = {s: "heel and toe" if feet_in_passes is not None and events_mod.feet_usable(feet_in_passes, s)
                    else "ankle" for s in SIDES}
    valid = {s: np.isfinite(xy_walk[:, SIDE_JOINTS[s]["ankle"], 0]) & np.isfinite(geometry.pelvis(xy_walk)[:, 0])
             for s in SIDES}
    strides = st.StrideSet()
    for p in segmentation.passes:  # pairs of heel strikes within one pass; the median check over all
        paired = st.pair_strides(_events_within(ev, p.start_frame, p.end_frame), valid, fps)
        strides.strides += paired.strides
        strides.dropped += paired.dropped
    st.drop_irregular(strides, fps)
    if len(strides.strides) < 2:
        raise _too_few_strides(kp, report, options, len(strides.strides), _passes_text(segmentation.passes))
    st.add_double_support(strides, ev, fps)
    early_s, late_s = events_mod.TOE_OFF_ERROR_S
    if "ankle" in event_source.values():
        real_early, real_late = events_mod.TOE_OFF_ERROR_REAL_S
        notes.append(f"toe off comes from the ankle alone (the skeleton has no toe): on real walks (motion capture) 90 % "
                     f"of toe offs were found within {-real_early:.2f} s early and {real_late:.2f} s late, on synthetic "
                     f"walkers up to {-early_s:.2f} s early and {late_s:.2f} s late (late in slow, asymmetric gait), so "
                     "stance, swing, double support and D_ps are less certain than cycle time, cadence and step length")
    else:
        real_early, real_late = events_mod.TOE_OFF_ERROR_REAL_FEET_S
        notes.append(f"heel strike from the heel, toe off from the toe (foot points from {_feet_source(options)}): "
                     f"on real walks (motion capture) 90 % of toe offs were found within {-real_early:.2f} s early "
                     f"and {real_late:.2f} s late")
    if feet_tx4x3 is not None and "ankle" in event_source.values():
        notes.append("heel and toe points were given but found in too few frames for "
                     + " and ".join(s for s in SIDES if event_source[s] == "ankle") + ": its events come from the ankle")

    forward_m = None
    step_method = "none (give --height-m or --thigh-m/--shank-m)"
    if lengths is not None:
        thigh_m, shank_m = lengths
        scale = {}
        for s in SIDES:
            j = SIDE_JOINTS[s]
            seg = _median_length(xy, j["hip"], j["knee"]) + _median_length(xy, j["knee"], j["ankle"])
            scale[s] = (thigh_m[s] + shank_m[s]) / seg  # metres per camera-plane unit = depth of that leg
        t_s = np.arange(T) / fps
        belt = options.treadmill_speed_m_s or 0.0
        forward_m = {s: xy_walk[:, SIDE_JOINTS[s]["ankle"], 0] * scale[s] + belt * t_s for s in SIDES}
        paper = st.paper_step_lengths(angles, ev, thigh_m, shank_m)
        if treadmill and options.treadmill_speed_m_s is None:
            st.add_lengths(strides, None, paper, fps)
            for s in strides.strides:
                s.step_length_m = s.step_length_paper_m
            step_method = "paper D_sl (treadmill without --treadmill-speed)"
        else:
            st.add_lengths(strides, _footprints_in_passes(forward_m, ev, segmentation.passes, fps), paper, fps)
            step_method = "footprints" + (" on the belt (--treadmill-speed)" if treadmill else "")
        if not options.camera.known:
            notes.append("no --camera: principal point unknown, step lengths assume the camera axis is at the image origin")
    else:
        notes.append("no body height or segment lengths: lengths and speed not computed")

    if len(strides.strides) < options.min_strides:
        notes.append(f"only {len(strides.strides)} strides (wanted ≥ {options.min_strides}): treat the averages with care")
    notes += [f"dropped {d}" for d in strides.dropped]

    pass_table = [_pass_summary(p, d, strides, angles, frames, fps, options, ev)
                  for p, d in zip(segmentation.passes, directions)]
    for row in pass_table:
        if row["status"] == "skipped":
            notes.append(f"pass {row['pass']} ({row['start_s']:.2f}–{row['end_s']:.2f} s) skipped: {row['reason']}")
        elif row["few_strides"]:
            notes.append(f"pass {row['pass']} ({row['start_s']:.2f}–{row['end_s']:.2f} s): few strides "
                         f"({row['n_strides']['left']} left, {row['n_strides']['right']} right)")
    analysed = [(p, d) for p, d, row in zip(segmentation.passes, directions, pass_table) if row["status"] == "analysed"]
    summary = _summary(angles, strides, fps, T, sorted({d for _, d in analysed}), treadmill, options, lengths,
                       step_method, float(np.degrees(floor_rad)), floor_source, report)
    summary["few_strides"] = min(summary["n_strides"].values()) < MIN_STRIDES_PER_SIDE
    rhythm = implausible_rhythm(summary["cadence_steps_per_min"], summary["gait_cycle_s"]["mean"],
                                summary["gait_cycle_s"]["sd"])
    summary["rhythm_plausible"] = not rhythm
    notes += rhythm
    summary["passes"] = pass_table
    curves = cycles.cycle_curves(angles, strides.strides)
    summary["cycle_curves"] = curves
    if lengths is not None:
        summary["metres_per_px"] = float(np.mean(list(scale.values())) / options.camera.fx)
    if options.norms is not None:
        summary["deviation_deg"] = cycles.deviation_scores(curves, options.norms)
    if options.reference_angles is not None:
        from gaitpose.gait.similarity import similarity
        # A lag of half a cycle or more aligns another cycle of a periodic curve: search less.
        cycle_s = summary["gait_cycle_s"]["mean"]
        max_lag = int(min(2.0, 0.45 * cycle_s if np.isfinite(cycle_s) else 2.0) * fps)
        summary["similarity"] = {c: similarity(angles[c], np.asarray(ref, float), max_lag=max_lag)
                                 for c, ref in options.reference_angles.items() if c in angles}
    summary["event_source"] = event_source
    summary["foot_points_source"] = _feet_source(options) if feet_tx4x3 is not None else None
    summary["notes"] = notes
    kp_out = kp_clean.copy()
    return GaitResult(fps=fps, frames=frames, keypoints_tx8x3=kp_out, angles=angles, events=ev, strides=strides,
                      summary=summary, curves=curves, notes=notes, forward_m=forward_m, norms=options.norms,
                      plane_xy_tx8x2=xy_fwd)


def _feet_source(options: GaitOptions) -> str:
    return options.feet_source or "the keypoints file's foot columns"


def implausible_rhythm(cadence_steps_per_min: float, cycle_mean_s: float, cycle_sd_s: float) -> list[str]:
    """Notes for a cadence or a stride-time variation that no walk has (empty when plausible or unknown):
    the gait events then most likely followed noise, not the feet."""
    notes = []
    if np.isfinite(cadence_steps_per_min) and cadence_steps_per_min > MAX_WALKING_CADENCE_STEPS_PER_MIN:
        notes.append(f"implausible rhythm: {cadence_steps_per_min:.0f} steps/min is faster than walking (above "
                     f"{MAX_WALKING_CADENCE_STEPS_PER_MIN:.0f}); the legs were most likely not followed, so the "
                     "timing numbers are not to be trusted: check overlay.mp4")
    cv = cycle_sd_s / cycle_mean_s if cycle_mean_s > 0 else float("nan")
    if np.isfinite(cv) and cv > MAX_STRIDE_TIME_CV:
        notes.append(f"implausible rhythm: the stride time varies by {100 * cv:.0f} % of its mean (more than "
                     f"{100 * MAX_STRIDE_TIME_CV:.0f} %); the legs were most likely not followed, so the timing "
                     "numbers are not to be trusted: check overlay.mp4")
    return notes


def analyze_by_time_stamps(keypoints: np.ndarray, feet: np.ndarray | None, times_s: np.ndarray, fps: float,
                           options: GaitOptions) -> GaitResult:
    """A variable-frame-rate video: the tracks resampled by their time stamps onto a uniform grid at the
    effective rate `fps`, then analysed; output rows are that grid's samples (frame = round(time · fps))."""
    points = keypoints if feet is None else np.concatenate([keypoints, feet], axis=1)
    grid_s, resampled = resample_uniform(times_s, points, fps)
    result = analyze_keypoints(resampled[:, :8], fps, options, frames=np.round(grid_s * fps).astype(int),
                               feet_tx4x3=None if feet is None else resampled[:, 8:])
    result.notes.insert(0, f"variable frame rate: the tracks were resampled by the frames' time stamps to "
                           f"{fps:.2f} frames/s (their median interval); every time comes from the time stamps, "
                           "and the rows of the outputs are the resampled instants")
    return result


def walking_passes(xy_tx8x2: np.ndarray, fps: float, leg_length: float, options: GaitOptions) -> passes_mod.Segmentation:
    """The recording's passes (gaitpose.gait.passes) from the pelvis and ankles (and, to see turns where the
    hips stay in place in the image, the knees' facing); with --treadmill-speed the
    user has said it is one treadmill walk: one pass over the whole recording."""
    T = len(xy_tx8x2)
    if options.treadmill_speed_m_s is not None:
        return passes_mod.Segmentation([passes_mod.Pass(1, 0, T - 1, 0.0, (T - 1) / fps, 0, 0.0, passes_mod.TREADMILL)])
    pelvis_x = geometry.pelvis(xy_tx8x2)[:, 0]
    feet_x = xy_tx8x2[:, [SIDE_JOINTS[s]["ankle"] for s in SIDES], 0]
    visible = np.isfinite(pelvis_x) & np.isfinite(feet_x).all(axis=1)
    return passes_mod.find_passes(pelvis_x, np.arange(T) / fps, leg_length, feet_x, visible,
                                  facing_t=geometry.knee_facing(xy_tx8x2, leg_length))


def _pass_direction(p: passes_mod.Pass, xy_tx8x2: np.ndarray, thigh_len: float, options: GaitOptions,
                    notes: list[str]) -> int:
    """+1 / −1: the hips' travel; walking in place: --direction, else the knees (geometry.detect_direction)."""
    given = {"right": 1, "left": -1}.get(options.direction)
    if p.direction != 0:
        if given is not None and given != p.direction:
            notes.append(f"--direction {options.direction}: pass {p.index} travels {p.direction_name}; "
                         "the hips' travel decides")
        return p.direction
    if options.treadmill_speed_m_s is None:
        notes.append(f"pass {p.index} ({p.start_s:.2f}–{p.end_s:.2f} s): the hips stayed in place in the image (a "
                     "treadmill, or a camera that follows the walker, where a turn cannot be seen from the hips); "
                     "facing " + ("from --direction" if given is not None else "from the knees"))
    if given is not None:
        return given
    return geometry.detect_direction(xy_tx8x2[p.start_frame:p.end_frame + 1], thigh_len)[0]


def _nearest_pass_direction(passes: list[passes_mod.Pass], directions: list[int], n_frames: int) -> np.ndarray:
    """Per frame (T) the direction of its pass, or outside the passes of the nearest one (angles.csv
    keeps every frame; events come from the passes only)."""
    rows = np.arange(n_frames)
    frames_away = np.stack([np.maximum(p.start_frame - rows, 0) + np.maximum(rows - p.end_frame, 0) for p in passes])
    return np.asarray(directions, float)[np.argmin(frames_away, axis=0)]


def _joined_passes(tracks: np.ndarray, passes: list[passes_mod.Pass]) -> np.ndarray:
    """The rows of the passes end to end, one NaN row between two passes (T'×…)."""
    pieces = []
    for p in passes:
        if pieces:
            pieces.append(np.full((1,) + tracks.shape[1:], np.nan))
        pieces.append(tracks[p.start_frame:p.end_frame + 1])
    return np.concatenate(pieces)


def _events_in_passes(xy_fwd_tx8x2: np.ndarray, passes: list[passes_mod.Pass], fps: float,
                      feet_fwd_tx4x2: np.ndarray | None = None) -> dict[str, dict[str, list[float]]]:
    """Heel strikes and toe offs (fractional rows of the recording) found in the passes only.

    The passes are put end to end, one missing frame between them (no extremum spans two passes), and the
    events found in that as in one walk towards +x: so standing, turning and out-of-view stretches neither
    add events nor thin out the autocorrelation that sets the cycle; a recording that is one pass from
    start to end is analysed exactly as before passes. Foot points (heels, toe tips) are joined the same way."""
    joined_start, length = [], 0
    for k, p in enumerate(passes):
        length += k > 0
        joined_start.append(length)
        length += p.end_frame - p.start_frame + 1
    events, _ = events_mod.detect_events(_joined_passes(xy_fwd_tx8x2, passes), fps, 1,
                                         None if feet_fwd_tx4x2 is None else _joined_passes(feet_fwd_tx4x2, passes))
    starts = np.array(joined_start)
    shift = np.array([p.start_frame for p in passes]) - starts   # joined position + shift = row of the recording
    return {side: {kind: [float(f + shift[np.searchsorted(starts, f, side="right") - 1]) for f in frames]
                   for kind, frames in kinds.items()} for side, kinds in events.items()}


def _events_within(events: dict[str, dict[str, list[float]]], first: int, last: int) -> dict[str, dict[str, list[float]]]:
    return {side: {kind: [f for f in frames if first <= f <= last] for kind, frames in kinds.items()}
            for side, kinds in events.items()}


def _footprints_in_passes(forward_m: dict[str, np.ndarray], events: dict[str, dict[str, list[float]]],
                          passes: list[passes_mod.Pass], fps: float) -> dict[str, list[tuple[float, float]]]:
    """st.footprints of each pass from its own events, in time order. A heel strike whose toe off is found only
    in a later pass (the walker stopped, turned or left the view first) has no footprint, as it has no stride:
    its stance would run over the turn into the walk back, whose x is mirrored."""
    out: dict[str, list[tuple[float, float]]] = {s: [] for s in SIDES}
    for p in passes:
        for side, prints in st.footprints(forward_m, _events_within(events, p.start_frame, p.end_frame), fps).items():
            out[side] += prints
    return out


def _passes_text(passes: list[passes_mod.Pass]) -> str:
    return "passes: " + ", ".join(f"{p.index} at {p.start_s:.2f}–{p.end_s:.2f} s {p.direction_name}" for p in passes)


def _too_few_strides(kp: np.ndarray, report: clean_mod.CleaningReport, options: GaitOptions, n_strides: int,
                     where: str) -> GaitposeError:
    """The one-line error of a recording without two strides, with a hint where the cause can be seen."""
    T = len(kp)
    detected = int(np.isfinite(kp[..., 0]).sum())
    low = report.low_score_points / detected if detected else 0.0
    hint = (f"; {100 * low:.0f} % of the detected joints scored below --min-score {options.min_score:g} "
            "(a lower --min-score keeps them)" if low > LOW_SCORE_HINT else "")
    with_joints = int(np.isfinite(kp[..., 0]).any(axis=1).sum())
    if with_joints < 0.5 * T:  # e.g. the person was not found in most frames of a video
        hint += f"; joints were found in only {with_joints} of {T} frames"
    return GaitposeError(f"keypoints: fewer than two strides found ({n_strides}; {where}); "
                         f"the walk is too short or the legs were not tracked{hint}")


def _pass_summary(p: passes_mod.Pass, direction: int, strides: st.StrideSet, angles: dict[str, np.ndarray],
                  frames: np.ndarray, fps: float, options: GaitOptions,
                  events: dict[str, dict[str, list[float]]]) -> dict[str, Any]:
    """One row of passes.csv / summary["passes"]: where and which way, and its strides' numbers; a pass
    without a complete stride is skipped, one with fewer than two strides of a side flagged as few."""
    first, last = int(frames[p.start_frame]), int(frames[p.end_frame])
    row: dict[str, Any] = {"pass": p.index, "start_frame": first, "end_frame": last, "start_s": first / fps,
                           "end_s": last / fps, "direction": "right" if direction > 0 else "left", "mode": p.mode,
                           "travel_leg_lengths": p.travel_legs}
    mine = [x for x in strides.strides if p.start_frame <= x.start_frame <= p.end_frame]
    if not mine:
        inside = _events_within(events, p.start_frame, p.end_frame)
        n_hs = sum(len(inside[s]["heel_strike"]) for s in SIDES)
        return {**row, "status": "skipped", "few_strides": True,
                "reason": f"no complete stride ({n_hs} heel strikes in {p.duration_s:.1f} s)"}
    numbers = gait_numbers(angles, mine, options, p.mode == passes_mod.TREADMILL)
    return {**row, "status": "analysed", "reason": "",
            "few_strides": min(numbers["n_strides"].values()) < MIN_STRIDES_PER_SIDE, **numbers}



def gait_numbers(angles: dict[str, np.ndarray], strides: list[st.Stride], options: GaitOptions,
                 treadmill: bool) -> dict[str, Any]:
    """The numbers of a set of strides (a pass, or all passes pooled): per side, mean of both and SD over
    the strides (`_side_stat`), cadence, D_ps, symmetry ratios and range of motion."""
    by = {s: [x for x in strides if x.side == s] for s in SIDES}

    def field_stat(name: str) -> dict[str, float]:
        return _side_stat({s: [getattr(x, name) for x in by[s] if np.isfinite(getattr(x, name))] for s in SIDES})

    stance, swing = field_stat("stance_time_s"), field_stat("swing_time_s")
    cycle = field_stat("stride_time_s")
    rom = {}
    for joint in ("hip", "knee"):
        rom[joint] = {}
        for s in SIDES:
            vals = []
            for x in by[s]:
                seg = angles[f"{s}_{joint}_deg"][int(np.ceil(x.start_frame)):int(np.floor(x.end_frame)) + 1]
                if np.isfinite(seg).all() and len(seg):
                    vals.append(float(seg.max() - seg.min()))
            rom[joint][s] = float(np.mean(vals)) if vals else float("nan")
    step, stride_len = field_stat("step_length_m"), field_stat("stride_length_m")
    speed = field_stat("speed_m_s")
    return {
        "n_strides": {s: len(by[s]) for s in SIDES},
        "cadence_steps_per_min": 120.0 / cycle["mean"] if cycle["mean"] > 0 else float("nan"),
        "gait_cycle_s": cycle,
        "speed_m_s": (options.treadmill_speed_m_s if treadmill and options.treadmill_speed_m_s else speed["mean"]),
        "phase_symmetry_index": st.phase_symmetry_index(cycle["mean"], stance, swing),
        "step_length_m": step, "step_length_paper_m": field_stat("step_length_paper_m"),
        "stride_length_m": stride_len,
        "stance_time_s": stance, "swing_time_s": swing, "stance_pct": field_stat("stance_pct"),
        "double_support_s": field_stat("double_support_s"),
        "symmetry_ratio": {"stance": st.symmetry_ratio(stance["left"], stance["right"]),
                           "swing": st.symmetry_ratio(swing["left"], swing["right"]),
                           "step_length": st.symmetry_ratio(step["left"], step["right"])},
        "hip_rom_deg": rom["hip"], "knee_rom_deg": rom["knee"],
    }


def _summary(angles, strides: st.StrideSet, fps: float, n_frames: int, directions: list[int], treadmill: bool,
             options: GaitOptions, lengths, step_method: str, floor_deg: float, floor_source: str,
             report: clean_mod.CleaningReport) -> dict[str, Any]:
    numbers = gait_numbers(angles, strides.strides, options, treadmill)
    out: dict[str, Any] = {
        "fps": fps, "n_frames": n_frames,
        "walking_direction": WALKING_DIRECTION_NAMES[tuple(directions)],
        "mode": "treadmill" if treadmill else "overground",
        **numbers,
        "phase_symmetry_note": "D_ps = sqrt(T0/T)·(…) with T0 = 1.2 s; it exceeds 1 when the cycle is shorter than 1.2 s",
        "step_length_method": step_method,
        "floor_angle_deg": floor_deg, "floor_angle_source": floor_source,
        "data_quality": {"low_score_points": report.low_score_points, "swapped_frames": report.swapped_frames,
                         "ankle_label_agreement": report.ankle_label_agreement,
                         "implausible_knees": report.implausible_knees,
                         "filled_points": report.filled_points, "missing_points": report.missing_points,
                         "filter_cutoff_hz": options.cutoff_hz if report.filtered else None},
    }
    if lengths is not None:
        out["thigh_m"], out["shank_m"] = lengths
    if options.height_m is not None:
        out["height_m"] = options.height_m
    return out


def write_gait_outputs(result: GaitResult, out_dir: str | Path, session: dict | None = None) -> None:
    """Write the SPEC §9 output folder (every file atomically). See gaitpose.report.writers; `session`
    (subject, date, camera, versions: gait.commands.session_info) heads the report."""
    from gaitpose.report.writers import write_all
    write_all(result, Path(out_dir), session)
