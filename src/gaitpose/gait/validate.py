"""Accuracy of the gait analysis on synthetic walkers with exact truth: `python -m gaitpose.gait.validate`.

Each case: a kinematic walker (`gaitpose.data.walker`) seen by a pinhole camera 4.5 m to its side
(1920×1080, fx = fy = 1100, level; overground 2° roll, estimated by the analysis from the
footprints — on a treadmill there are none, so those cases use an unrolled camera), 1.5 px Gaussian noise on every joint
and 2 % of the joints dropped at random; then `analyze_keypoints` with the camera intrinsics and the
true height. Errors against the walker's truth:

* angle RMSE (deg) of hip and knee, both sides, over every frame;
* gait cycle and cadence (%), stance and swing time per side (ms), D_ps;
* step length (cm): each measured step against the footprint distance of the nearest true step;
* events (ms): for each true event inside the recording (0.25 s from either end), the nearest
  detected event of the same side and kind.

And how visible toe off is at all in the ankle (`toe_off_visibility_sd`): until toe off the ankle
turns about the toe on the floor; the most the true ankle leaves that circle in the 150 ms after
toe off, in standard deviations of the analysis' own ankle noise. Where that stays near 3, no
method working from the ankle can place toe off within the 150 ms target, whatever it knows.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from gaitpose.data.camera import PinholeCamera
from gaitpose.data.mocap import MocapPass, read_walk
from gaitpose.data.walker import WalkerParams, WalkerResult, simulate
from gaitpose.errors import GaitposeError
from gaitpose.gait.events import extrema, foot_signal
from gaitpose.gait.geometry import Camera
from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
from gaitpose.gait.spatiotemporal import phase_symmetry_index
from gaitpose.skeleton import FOOT_POINTS, SIDE_JOINTS, SIDES

THRESHOLDS = {"angle_rmse_deg": 2.0, "cycle_pct": 2.0, "cadence_pct": 2.0, "step_cm": 3.0,
              "stance_ms": 60.0, "swing_ms": 60.0, "dps": 0.05, "event_ms": 150.0}
EDGE_S = 0.25

SYMMETRIC = WalkerParams(height_m=1.75, cycle_s=1.1, stride_length_m=1.4, n_cycles=5)
ASYMMETRIC = WalkerParams(height_m=1.70, cycle_s=1.6, stride_length_m=1.0, stance_fraction=(0.68, 0.58),
                          knee_flexion_scale=(1.0, 0.7), toe_off_pitch_deg=-25.0, n_cycles=5)
SLOW_EXO = WalkerParams(height_m=1.65, cycle_s=3.0, stride_length_m=0.6, stance_fraction=(0.68, 0.58),
                        knee_flexion_scale=(1.0, 0.7), knee_peak_deg=50.0, toe_off_pitch_deg=-12.0, n_cycles=4)
FAST = WalkerParams(height_m=1.80, cycle_s=0.8, stride_length_m=1.5, n_cycles=7)


@dataclass
class Case:
    name: str
    params: WalkerParams
    seed: int = 0


def default_cases() -> list[Case]:
    cases = []
    seed = 0
    for fps in (30.0, 60.0, 120.0):
        for base, label in ((SYMMETRIC, "sym"), (ASYMMETRIC, "asym"), (SLOW_EXO, "exo3s"), (FAST, "fast0.8s")):
            for facing in (1, -1):
                for treadmill in (False, True):
                    seed += 1
                    name = f"{label} {int(fps)}fps {'R' if facing > 0 else 'L'} {'tread' if treadmill else 'over'}"
                    cases.append(Case(name, replace(base, fps=fps, facing=facing, treadmill=treadmill,
                                                    right_phase=0.5, start_x_m=0.0), seed))
    return cases


def observe(walk: WalkerResult, seed: int, noise_px: float = 1.5, drop: float = 0.02,
            roll_deg: float = 2.0) -> tuple[np.ndarray, PinholeCamera]:
    """Project the 8 joints through a side camera, add noise and dropped joints → T×8×3 pixels."""
    kp, _, cam = observe_with_feet(walk, seed, noise_px, drop, roll_deg)
    return kp, cam


def observe_with_feet(walk: WalkerResult, seed: int, noise_px: float = 1.5, drop: float = 0.02,
                      roll_deg: float = 2.0) -> tuple[np.ndarray, np.ndarray, PinholeCamera]:
    """`observe`, and the walker's heels and toe tips seen the same way (T×4×3, skeleton.FOOT_POINTS;
    their noise is drawn after the joints', so the joints are the same as `observe`'s)."""
    rng = np.random.default_rng(seed)
    pel = walk.points["pelvis"]
    centre = np.array([(pel[:, 0].min() + pel[:, 0].max()) / 2, 0.0, 0.9])
    cam = PinholeCamera.look_at(1100, 1100, 959.5, 539.5, centre + np.array([0.0, -4.5, 0.0]), centre, roll_deg)
    out = []
    for world in (walk.keypoints_tx8x3(), np.stack([walk.points[p] for p in FOOT_POINTS], axis=1)):
        kp = film(cam, world, rng, noise_px)
        kp[rng.random(kp.shape[:2]) < drop] = np.nan
        out.append(kp)
    return out[0], out[1], cam


def film(cam: PinholeCamera, world_txkx3: np.ndarray, rng: np.random.Generator, noise_px: float) -> np.ndarray:
    """World points through the camera with Gaussian pixel noise → T×K×3 pixels, score 1."""
    px, _ = cam.project(world_txkx3)
    px = px + rng.normal(0, noise_px, px.shape)
    return np.concatenate([px, np.ones(px.shape[:2] + (1,))], axis=-1)


def evaluate(case: Case) -> dict[str, float]:
    walk = simulate(case.params)
    kp, cam = observe(walk, case.seed, roll_deg=0.0 if case.params.treadmill else 2.0)
    fps = case.params.fps
    belt = walk.belt_speed_m_s if case.params.treadmill else None
    res = analyze_keypoints(kp, fps, GaitOptions(height_m=case.params.height_m, treadmill_speed_m_s=belt,
                                                 camera=Camera(cam.fx, cam.fy, cam.cx, cam.cy, known=True)))
    out: dict[str, float] = {}
    errs = []
    for name in ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg"):
        d = res.angles[name] - walk.angles_deg[name]
        errs.append(np.sqrt(np.nanmean(d ** 2)))
    out["angle_rmse_deg"] = float(max(errs))
    p = case.params
    s = res.summary
    out["cycle_pct"] = 100 * abs(s["gait_cycle_s"]["mean"] - p.cycle_s) / p.cycle_s
    out["cadence_pct"] = 100 * abs(s["cadence_steps_per_min"] - 120 / p.cycle_s) / (120 / p.cycle_s)
    out["stance_ms"] = 1000 * max(abs(s["stance_time_s"][side] - walk.stance_time_s[side]) for side in ("left", "right"))
    out["swing_ms"] = 1000 * max(abs(s["swing_time_s"][side] - walk.swing_time_s[side]) for side in ("left", "right"))
    true_dps = phase_symmetry_index(p.cycle_s, walk.stance_time_s, walk.swing_time_s)
    out["dps"] = abs(s["phase_symmetry_index"] - true_dps)
    step_err = []
    for stride in res.strides.strides:
        if np.isfinite(stride.step_length_m):
            t_hs = stride.start_frame / fps
            cand = [st for st in walk.steps if st[0] == stride.side]
            if cand:
                true = min(cand, key=lambda x: abs(x[1] - t_hs))
                step_err.append(abs(stride.step_length_m - true[2]))
    out["step_cm"] = 100 * max(step_err) if step_err else float("nan")
    signed = signed_event_errors_ms(walk, res.events, fps)
    ev_err = [abs(e) for _, e in signed]
    out["event_ms"] = max(ev_err) if ev_err else float("nan")
    out["n_strides"] = float(len(res.strides.strides))
    visibility = toe_off_visibility_sd(walk, cam, res.keypoints_tx8x3[..., :2])
    out["toe_off_visibility_sd"] = min(visibility) if visibility else float("nan")
    for kind in ("heel_strike", "toe_off"):
        errs = [e for k, e in signed if k == kind and np.isfinite(e)]
        out[f"{kind}_min_ms"] = min(errs) if errs else float("nan")
        out[f"{kind}_max_ms"] = max(errs) if errs else float("nan")
    return out


def departure_from_circle_px(point_px_nx2: np.ndarray, pivot_px_nx2: np.ndarray) -> float:
    """Largest | |point − pivot| − its value in the first row | over the rows (px): how far a point
    that turned about a pivot until row 0 has left that circle since."""
    r = np.linalg.norm(point_px_nx2 - pivot_px_nx2, axis=1)
    return float(np.max(np.abs(r - r[0])))


def toe_off_visibility_sd(walk: WalkerResult, cam: PinholeCamera, cleaned_px_tx8x2: np.ndarray,
                          window_s: float = THRESHOLDS["event_ms"] / 1000) -> list[float]:
    """Per true toe off: how far the true ankle leaves the circle about the toe within `window_s`,
    in SDs of the cleaned ankle's error (px). The pivot stays where the toe left the floor (on a
    treadmill it travels with the belt)."""
    p, fps = walk.params, walk.params.fps
    n_after = int(round(window_s * fps))
    out = []
    for side in SIDES:
        ankle_px, _ = cam.project(walk.points[f"{side}_ankle"])
        err = cleaned_px_tx8x2[:, SIDE_JOINTS[side]["ankle"]] - ankle_px
        sd_px = float(np.std(err[np.all(np.isfinite(err), axis=1)]))
        for ev_side, kind, t in walk.events:
            i0 = int(np.floor(t * fps))
            if ev_side != side or kind != "toe_off" or t < EDGE_S or i0 + n_after >= len(walk.time_s):
                continue
            frames = np.arange(i0, i0 + n_after + 1)
            belt_shift_m = -p.facing * walk.belt_speed_m_s * (frames - i0) / fps if p.treadmill else 0 * frames
            pivot = walk.points[f"{side}_toe"][i0] + np.outer(belt_shift_m, [1.0, 0.0, 0.0])
            pivot_px, _ = cam.project(pivot)
            out.append(departure_from_circle_px(ankle_px[frames], pivot_px) / sd_px)
    return out


def signed_event_errors_ms(walk: WalkerResult, events: dict[str, dict[str, list[float]]],
                           fps: float) -> list[tuple[str, float]]:
    """(kind, detected − true in ms) for each true event inside the recording; ±inf when none was found."""
    out = []
    t_end = walk.time_s[-1]
    for side, kind, t in walk.events:
        if EDGE_S <= t <= t_end - EDGE_S:
            found = np.array(events[side][kind]) / fps
            out.append((kind, 1000 * float(found[np.argmin(np.abs(found - t))] - t) if len(found) else np.inf))
    return out


def main() -> int:
    cols = list(THRESHOLDS) + ["n_strides", "toe_off_visibility_sd"]
    print(f"{'case':28s} " + " ".join(f"{c[:14]:>14s}" for c in cols))
    worst = {c: 0.0 for c in THRESHOLDS}
    failed = 0
    signed: dict[str, tuple[float, float, float, float]] = {}
    visible: dict[str, list[float]] = {}
    for case in default_cases():
        r = evaluate(case)
        group = case.name.split()[0]
        prev = signed.get(group, (np.inf, -np.inf, np.inf, -np.inf))
        signed[group] = (min(prev[0], r["heel_strike_min_ms"]), max(prev[1], r["heel_strike_max_ms"]),
                         min(prev[2], r["toe_off_min_ms"]), max(prev[3], r["toe_off_max_ms"]))
        visible.setdefault(" ".join(case.name.split()[:2]), []).append(r["toe_off_visibility_sd"])
        bad = [c for c in THRESHOLDS if not r[c] <= THRESHOLDS[c]]
        failed += bool(bad)
        for c in THRESHOLDS:
            worst[c] = max(worst[c], r[c]) if np.isfinite(r[c]) else np.inf
        print(f"{case.name:28s} " + " ".join(f"{r[c]:14.3f}" for c in cols) + ("  FAIL " + ",".join(bad) if bad else ""))
    print(f"{'worst':28s} " + " ".join(f"{worst[c]:14.3f}" for c in THRESHOLDS))
    print(f"{'threshold':28s} " + " ".join(f"{THRESHOLDS[c]:14.3f}" for c in THRESHOLDS))
    print(f"{failed} of {len(default_cases())} cases outside a threshold")
    print("signed event errors (detected - true), ms, by walker:")
    for group, (lo_hs, hi_hs, lo_to, hi_to) in signed.items():
        print(f"  {group:10s} heel strike {lo_hs:+7.0f} .. {hi_hs:+7.0f}   toe off {lo_to:+7.0f} .. {hi_to:+7.0f}")
    print("toe off visibility: the least any toe off's true ankle leaves the circle about the toe within "
          f"{THRESHOLDS['event_ms']:.0f} ms, in SDs of the ankle noise, by walker and frame rate:")
    for group, values in visible.items():
        print(f"  {group:16s} {min(values):6.1f}")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# Real motion capture (issue 13): CMU walks seen from the side, with a plain Zeni baseline.

MOCAP_FPS = (30.0, 60.0)
MOCAP_DISTANCE_M = 4.5
MOCAP_NOISE_PX = 1.5
IMAGE_W, IMAGE_H = 1920, 1080


def observe_pass(walk: MocapPass, seed: int, noise_px: float = MOCAP_NOISE_PX,
                 roll_deg: float = 2.0) -> tuple[np.ndarray, np.ndarray, PinholeCamera]:
    """The pass's 8 joints and 4 foot points through a level side camera MOCAP_DISTANCE_M to the
    walker's right (1920×1080, fx = fy = 1100, rolled by `roll_deg`) with Gaussian pixel noise; points
    outside the image are missing. → (T×8×3, T×4×3 pixels with score 1, the camera)."""
    rng = np.random.default_rng(seed)
    pel = (walk.points["left_hip"] + walk.points["right_hip"]) / 2
    centre = np.array([(pel[:, 0].min() + pel[:, 0].max()) / 2, float(np.mean(pel[:, 1])), 0.9])
    cam = PinholeCamera.look_at(1100, 1100, (IMAGE_W - 1) / 2, (IMAGE_H - 1) / 2,
                                centre + np.array([0.0, -MOCAP_DISTANCE_M, 0.0]), centre, roll_deg)
    world = np.concatenate([walk.keypoints_tx8x3(), np.stack([walk.points[p] for p in FOOT_POINTS], axis=1)], axis=1)
    kp = film(cam, world, rng, noise_px)
    x, y = kp[..., 0], kp[..., 1]
    outside = (x < 0) | (x > IMAGE_W - 1) | (y < 0) | (y > IMAGE_H - 1)
    kp[outside] = np.nan
    return kp[:, :8], kp[:, 8:], cam


def zeni_events(xy_tx8x2: np.ndarray, fps: float, direction: int,
                cycle_s: float) -> dict[str, dict[str, list[float]]]:
    """The plain Zeni et al. (2008) rule on the same keypoints: heel strike at the forward maxima of
    ankle − pelvis, toe off at its backward minima (no refinement)."""
    out = {}
    for side in SIDES:
        x = foot_signal(xy_tx8x2, side, direction)
        out[side] = {"heel_strike": extrema(x, fps, cycle_s, maximum=True),
                     "toe_off": extrema(x, fps, cycle_s, maximum=False)}
    return out


def match_events(true_events: list[tuple[str, str, float]], found: dict[str, dict[str, list[float]]],
                 fps: float, duration_s: float, window_s: float) -> dict[str, list[float] | int]:
    """Signed errors (s, detected − true) per kind for each true event at least EDGE_S inside the
    recording whose nearest detection of its side and kind is within `window_s`; missed (no such
    detection) and extra (detections inside the same span that are no true event's nearest) counted."""
    out: dict[str, list[float] | int] = {"heel_strike": [], "toe_off": [], "missed": 0, "extra": 0}
    used: set[tuple[str, str, int]] = set()
    for side, kind, t in true_events:
        if not EDGE_S <= t <= duration_s - EDGE_S:
            continue
        times = np.asarray(found[side][kind], float) / fps
        k = int(np.argmin(np.abs(times - t))) if len(times) else -1
        if k < 0 or abs(times[k] - t) > window_s:
            out["missed"] += 1                                             # type: ignore[operator]
            continue
        used.add((side, kind, k))
        out[kind].append(float(times[k] - t))                              # type: ignore[union-attr]
    for side in SIDES:
        for kind in ("heel_strike", "toe_off"):
            for k, f in enumerate(found[side][kind]):
                if EDGE_S <= f / fps <= duration_s - EDGE_S and (side, kind, k) not in used:
                    out["extra"] += 1                                      # type: ignore[operator]
    return out


def evaluate_mocap(walk: MocapPass, seed: int) -> tuple[dict[str, float], dict[str, list[float]]]:
    """One real pass at its frame rate: the errors of the pipeline on the 8 joints, of the pipeline
    given the heel and toe too (`feet_…`), and of the plain Zeni rule on the pipeline's joints
    (`zeni_…`), and every matched event's signed error (s) by method and kind; ({"failed": 1, "error":
    reason}, {}) when the 8-joint analysis stops."""
    kp, feet, cam = observe_pass(walk, seed)
    fps = walk.fps
    options = GaitOptions(thigh_m=walk.thigh_m, shank_m=walk.shank_m,
                          camera=Camera(cam.fx, cam.fy, cam.cx, cam.cy, known=True))
    try:
        res = analyze_keypoints(kp, fps, options)
        res_feet = analyze_keypoints(kp, fps, options, feet_tx4x3=feet)
    except GaitposeError as e:
        return {"failed": 1.0, "error": str(e)}, {}  # type: ignore[dict-item]
    out: dict[str, float] = {"failed": 0.0}
    signed: dict[str, list[float]] = {}
    errs = []
    for name in ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg"):
        d = res.angles[name] - walk.angles_deg[name]
        errs.append(float(np.sqrt(np.nanmean(d ** 2))))
    out["hip_rmse_deg"] = max(errs[:2])
    out["knee_rmse_deg"] = max(errs[2:])
    duration = len(walk.time_s) / fps
    window = 0.5 * (walk.cycle_s if np.isfinite(walk.cycle_s) else 1.0)
    cycle = res.summary["gait_cycle_s"]["mean"]
    base = zeni_events(res.plane_xy_tx8x2, fps, 1, cycle) if np.isfinite(cycle) else \
        {s: {"heel_strike": [], "toe_off": []} for s in SIDES}
    # the plain rule counted where the pipeline looks: inside the walking passes it found
    spans = [(p["start_frame"], p["end_frame"]) for p in res.summary.get("passes", [])] or [(0, len(kp) - 1)]
    base = {s: {k: [f for f in v if any(a <= f <= b for a, b in spans)] for k, v in kinds.items()}
            for s, kinds in base.items()}
    for tag, found in (("", res.events), ("feet_", res_feet.events), ("zeni_", base)):
        m = match_events(walk.events, found, fps, duration, window)
        for kind in ("heel_strike", "toe_off"):
            e = np.abs(np.asarray(m[kind], float)) * 1000
            out[f"{tag}{kind}_ms"] = float(np.median(e)) if len(e) else float("nan")
            out[f"{tag}{kind}_signed_ms"] = float(np.median(m[kind])) * 1000 if len(e) else float("nan")
            signed[f"{tag}{kind}"] = list(m[kind])                          # type: ignore[arg-type]
        out[f"{tag}missed"] = float(m["missed"])
        out[f"{tag}extra"] = float(m["extra"])
        both = np.concatenate([np.asarray(m[k], float) for k in ("heel_strike", "toe_off")])
        out[f"{tag}event_ms"] = float(np.median(np.abs(both)) * 1000) if len(both) else float("nan")
    for tag, r in (("", res), ("feet_", res_feet)):
        s = r.summary
        for key in ("stance", "swing"):
            d = [abs(s[f"{key}_time_s"][side] - getattr(walk, f"{key}_time_s")[side]) for side in SIDES
                 if np.isfinite(getattr(walk, f"{key}_time_s")[side]) and np.isfinite(s[f"{key}_time_s"][side])]
            out[f"{tag}{key}_ms"] = 1000 * max(d) if d else float("nan")
    out["cycle_pct"] = 100 * abs(cycle - walk.cycle_s) / walk.cycle_s if np.isfinite(walk.cycle_s) else float("nan")
    step_err = []
    for stride in res.strides.strides:
        if np.isfinite(stride.step_length_m):
            t_hs = stride.start_frame / fps
            cand = [st_ for st_ in walk.steps if st_[0] == stride.side and abs(st_[1] - t_hs) <= window]
            if cand:
                true = min(cand, key=lambda x: abs(x[1] - t_hs))
                step_err.append(abs(stride.step_length_m - true[2]))
    out["step_cm"] = 100 * float(np.median(step_err)) if step_err else float("nan")
    return out, signed

MOCAP_COLUMNS = ("hip_rmse_deg", "knee_rmse_deg", "heel_strike_ms", "toe_off_ms", "zeni_heel_strike_ms",
                 "zeni_toe_off_ms", "feet_heel_strike_ms", "feet_toe_off_ms", "missed", "extra", "zeni_missed",
                 "zeni_extra", "stance_ms", "swing_ms", "feet_stance_ms", "feet_swing_ms", "cycle_pct", "step_cm")
# Issue 13's targets over all walks at 60 fps (medians; events: the median |error| of every event).
MOCAP_TARGETS = {"heel_strike_ms": 17.0, "toe_off_ms": 50.0, "stance_ms": 40.0, "swing_ms": 40.0,
                 "hip_rmse_deg": 2.0, "knee_rmse_deg": 2.0, "step_cm": 3.0,
                 "feet_heel_strike_ms": 17.0, "feet_toe_off_ms": 33.0}


def mocap_cases(directory: str) -> tuple[list[MocapPass], list[str]]:
    """Every straight pass of every BVH walk in `directory` (sorted by name), and the walks left out
    with their reason."""
    files = sorted(Path(directory).glob("*.bvh"))
    if not files:
        raise GaitposeError(f"{directory}: no .bvh files")
    passes, skipped = [], []
    for f in files:
        found, why = read_walk(f)
        passes += found
        if why:
            skipped.append(f"{f.stem}: {why}")
    return passes, skipped


def mocap_main(directory: str) -> int:
    """Print the per-pass table and the pooled medians for each camera rate, pipeline beside Zeni."""
    passes, skipped = mocap_cases(directory)
    print(f"{len(passes)} straight passes from {directory}; left out: {'; '.join(skipped) or 'none'}")
    for fps in MOCAP_FPS:
        print(f"\n=== {fps:.0f} fps (side camera {MOCAP_DISTANCE_M} m, {MOCAP_NOISE_PX} px noise) ===")
        print(f"{'pass':12s} " + " ".join(f"{c.replace('heel_strike', 'hs').replace('toe_off', 'to')[:11]:>11s}"
                                          for c in MOCAP_COLUMNS))
        rows, failed, worse = [], [], []
        pooled: dict[str, list[float]] = {}
        for k, walk in enumerate(passes):
            r, signed = evaluate_mocap(walk.subsample(int(round(walk.fps / fps))), seed=1000 + k)
            for key, values in signed.items():
                pooled.setdefault(key, []).extend(values)
            if r.get("failed"):
                failed.append(f"{walk.name} ({r['error']})")
                print(f"{walk.name:12s} analysis stopped: {r['error']}")
                continue
            rows.append(r)
            print(f"{walk.name:12s} " + " ".join(f"{r[c]:11.1f}" for c in MOCAP_COLUMNS))
            if r["event_ms"] > r["zeni_event_ms"]:
                worse.append(walk.name)
        table = {c: np.array([r[c] for r in rows], float) for c in MOCAP_COLUMNS}
        print(f"{'median':12s} " + " ".join(f"{np.nanmedian(table[c]):11.1f}" for c in MOCAP_COLUMNS))
        print(f"{'total':12s} " + " ".join(f"{np.nansum(table[c]):11.0f}" if c.endswith(("missed", "extra"))
                                            else f"{'':11s}" for c in MOCAP_COLUMNS))
        if failed:
            print(f"analysis stopped on {len(failed)} of {len(passes)} passes: {'; '.join(failed)}")
        print(f"passes where the pipeline's median event error is worse than Zeni's: {len(worse)} "
              f"({', '.join(worse)})")
        print("every matched event, detected − true (ms): median, 5th and 95th percentile, and how many")
        for key in sorted(pooled):
            v = 1000 * np.asarray(pooled[key])
            if len(v):
                print(f"  {key:22s} {np.median(v):+7.1f}  {np.percentile(v, 5):+7.1f} … {np.percentile(v, 95):+7.1f}"
                      f"  (n = {len(v)})")
        if fps == 60.0:
            for c, limit in MOCAP_TARGETS.items():
                v = float(np.nanmedian(table[c]))
                print(f"  target {c:16s} median {v:7.1f}  ≤ {limit:5.1f}  {'ok' if v <= limit else 'NOT MET'}")
    return 0


if __name__ == "__main__":
    import sys
    if len(sys.argv) == 3 and sys.argv[1] == "--mocap":
        raise SystemExit(mocap_main(sys.argv[2]))
    if len(sys.argv) > 1:
        print("usage: python -m gaitpose.gait.validate [--mocap DIR_OF_BVH_WALKS]", file=sys.stderr)
        raise SystemExit(2)
    raise SystemExit(main())
