"""Every quantity a synthetic walker's truth has, held near what the method reaches (not 3–10× above).

The walkers, camera, noise (1.5 px) and dropped joints (2 %) are those of `gaitpose.gait.validate`.
Bounds are the errors this method reached on these exact walkers (printed by
`python -m gaitpose.gait.validate` and by these tests' messages) with a margin of about a third;
events are matched to the truth one to one, so a missed or an extra event is counted, not hidden
by the nearest neighbour. From the 8 joints heel strike comes slightly early (the ankle's forward
peak comes just before the heel lands) and toe off late on the asymmetric walker's long stance; with
the walker's heels and toe tips as foot points, toe off comes 10–36 ms early. The signed bounds say so.
"""
from dataclasses import dataclass, replace

import numpy as np
import pytest

from gaitpose.data.walker import simulate
from gaitpose.gait.geometry import Camera
from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
from gaitpose.gait.spatiotemporal import phase_symmetry_index
from gaitpose.gait.validate import ASYMMETRIC, EDGE_S, SYMMETRIC, Case, observe, observe_with_feet
from gaitpose.skeleton import SIDE_JOINTS, SIDES


@dataclass(frozen=True)
class Bounds:
    """Signed error bounds (detected − true, ms) per event kind and per stride's stance and swing, the
    most a stride's double support may be off (ms), and the most D_ps may be off."""

    heel_strike_ms: tuple[float, float]
    toe_off_ms: tuple[float, float]
    stance_ms: tuple[float, float]
    swing_ms: tuple[float, float]
    double_support_ms: float
    dps: float


# (case, bounds, with the walker's heels and toe tips as foot points)
WALKERS = [
    # Zeni's extrema delayed as on real walks (events.py): measured heel strike −7…+8 ms, toe off −9…0 ms,
    # stance −12…+3 ms, swing −6…+12 ms, double support −12…+3 ms, D_ps 0.017 off
    (Case("sym 60 R over", replace(SYMMETRIC, fps=60.0), seed=1),
     Bounds((-20, 20), (-20, 10), (-25, 15), (-15, 25), 25, 0.025), False),
    # measured: heel strike −7…+10 ms, toe off −6…+6 ms, stance −8…+11 ms, swing −8…+6 ms,
    # double support −14…+13 ms, D_ps 0.007 off
    (Case("sym 30 L tread", replace(SYMMETRIC, fps=30.0, facing=-1, treadmill=True), seed=2),
     Bounds((-20, 25), (-20, 20), (-20, 25), (-20, 20), 30, 0.025), False),
    # The asymmetric walker's longer stance (68 %) ends late by Zeni's rule on our walker model, and the
    # real walks' toe-off delay for its 1.6 s cycle (60 ms) makes it later: measured heel strike −20…+14 ms,
    # toe off +46…+152 ms, stance +32…+155 ms, swing −157…−41 ms, double support +185…+222 ms, D_ps 0.088
    # off (docs/results.md §8: the walker model and real walks disagree here).
    (Case("asym 60 R over", replace(ASYMMETRIC, fps=60.0), seed=3),
     Bounds((-35, 25), (20, 180), (0, 185), (-190, -10), 250, 0.11), False),
    # With the heels and toe tips: measured heel strike −9…−3 ms, toe off −30…−19 ms, stance −22…−18 ms,
    # swing +16…+26 ms, double support −44…−34 ms, D_ps 0.001 off
    (Case("sym 60 R over", replace(SYMMETRIC, fps=60.0), seed=1),
     Bounds((-20, 5), (-45, -5), (-35, -5), (5, 40), 60, 0.02), True),
    # measured heel strike −18…−3 ms, toe off −36…−22 ms, stance −31…−12 ms, swing +14…+29 ms,
    # double support −57…−23 ms, D_ps 0.015 off
    (Case("sym 30 L tread", replace(SYMMETRIC, fps=30.0, facing=-1, treadmill=True), seed=2),
     Bounds((-30, 5), (-50, -10), (-45, 0), (0, 45), 75, 0.025), True),
    # measured heel strike −34…+11 ms, toe off −25…−10 ms, stance −36…+20 ms, swing −15…+31 ms,
    # double support −22…+5 ms, D_ps 0.031 off
    (Case("asym 60 R over", replace(ASYMMETRIC, fps=60.0), seed=3),
     Bounds((-50, 25), (-40, 5), (-55, 35), (-30, 45), 35, 0.045), True),
]


def _analyse(case: Case, kp: np.ndarray | None = None, with_feet: bool = False):
    walk = simulate(case.params)
    observed, feet, cam = observe_with_feet(walk, case.seed, roll_deg=0.0 if case.params.treadmill else 2.0)
    belt = walk.belt_speed_m_s if case.params.treadmill else None
    res = analyze_keypoints(observed if kp is None else kp, case.params.fps,
                            GaitOptions(height_m=case.params.height_m, treadmill_speed_m_s=belt,
                                        camera=Camera(cam.fx, cam.fy, cam.cx, cam.cy, known=True)),
                            feet_tx4x3=feet if with_feet else None)
    return walk, res


def match_events(true_s: list[float], found_s: list[float], window_s: float, t_end_s: float
                 ) -> tuple[list[float], int, int]:
    """One-to-one matching, nearest first, within `window_s` → (found − true in ms for each matched
    true event, missed true events inside [EDGE_S, t_end_s − EDGE_S], extra found events that match
    no true event at all)."""
    pairs = sorted((abs(f - t), i, j) for i, t in enumerate(true_s) for j, f in enumerate(found_s)
                   if abs(f - t) <= window_s)
    used_t, used_f, errors = set(), set(), []
    for _, i, j in pairs:
        if i not in used_t and j not in used_f:
            used_t.add(i)
            used_f.add(j)
            errors.append(1000 * (found_s[j] - true_s[i]))
    missed = sum(1 for i, t in enumerate(true_s) if i not in used_t and EDGE_S <= t <= t_end_s - EDGE_S)
    extra = len(found_s) - len(used_f)
    return errors, missed, extra


def test_matching_counts_missed_and_extra_events_by_hand():
    # True events at 1, 2, 3 s; found at 1.02 (matched, +20 ms), 2.5 (0.5 s from both 2 and 3:
    # outside a 0.3 s window → extra) and 3.01 (+10 ms); the true event at 2 s is missed.
    errors, missed, extra = match_events([1.0, 2.0, 3.0], [1.02, 2.5, 3.01], 0.3, 4.0)
    assert errors == pytest.approx([10.0, 20.0])
    assert (missed, extra) == (1, 1)
    # Two detections near one true event: one is matched, the other is extra.
    errors, missed, extra = match_events([1.0], [0.95, 1.03], 0.3, 2.0)
    assert errors == pytest.approx([30.0]) and (missed, extra) == (0, 1)


def _true_double_support_s(walk, side: str, start_s: float) -> float:
    """Heel strike → other toe off, plus other heel strike → own toe off, from the walker's events."""
    own_to = min(t for s, k, t in walk.events if s == side and k == "toe_off" and t > start_s)
    other = "right" if side == "left" else "left"
    to_o = [t for s, k, t in walk.events if s == other and k == "toe_off" and start_s < t < own_to]
    hs_o = [t for s, k, t in walk.events if s == other and k == "heel_strike" and start_s < t < own_to]
    return (to_o[0] - start_s) + (own_to - hs_o[0])


@pytest.fixture(scope="module", params=WALKERS, ids=lambda w: w[0].name + (" feet" if w[2] else ""))
def analysed(request):
    case, bounds, with_feet = request.param
    walk, res = _analyse(case, with_feet=with_feet)
    assert set(res.summary["event_source"].values()) == {"heel and toe" if with_feet else "ankle"}
    return case, bounds, walk, res


def test_events_signed_errors_and_none_missed_or_extra(analysed):
    case, bounds, walk, res = analysed
    fps, t_end = case.params.fps, walk.time_s[-1]
    for kind, (lo, hi) in (("heel_strike", bounds.heel_strike_ms), ("toe_off", bounds.toe_off_ms)):
        for side in SIDES:
            true_s = [t for s, k, t in walk.events if s == side and k == kind]
            found_s = [f / fps for f in res.events[side][kind]]
            errors, missed, extra = match_events(true_s, found_s, 0.3 * case.params.cycle_s, t_end)
            assert (missed, extra) == (0, 0), (side, kind, true_s, found_s)
            assert len(errors) >= 3, (side, kind, errors)
            assert lo <= min(errors) and max(errors) <= hi, (side, kind, np.round(errors))


def test_cycle_cadence_and_speed(analysed):
    case, _, walk, res = analysed
    s, p = res.summary, case.params
    # measured: cycle within 0.001 s of the truth (0.06 %), cadence within 0.1 steps/min
    assert s["gait_cycle_s"]["mean"] == pytest.approx(p.cycle_s, rel=0.003)
    assert s["cadence_steps_per_min"] == pytest.approx(120 / p.cycle_s, rel=0.003)
    for stride in res.strides.strides:
        assert stride.stride_time_s == pytest.approx(p.cycle_s, abs=0.045)   # heel strikes vary by 34 ms
    if not p.treadmill:
        assert s["speed_m_s"] == pytest.approx(walk.speed_m_s, rel=0.01)
    else:
        assert s["speed_m_s"] == walk.belt_speed_m_s


def test_stance_swing_and_double_support_per_stride(analysed):
    case, bounds, walk, res = analysed
    fps = case.params.fps
    lo, hi = bounds.stance_ms
    n = {side: 0 for side in SIDES}
    for stride in res.strides.strides:
        n[stride.side] += 1
        stance_err = 1000 * (stride.stance_time_s - walk.stance_time_s[stride.side])
        swing_err = 1000 * (stride.swing_time_s - walk.swing_time_s[stride.side])
        assert lo <= stance_err <= hi, (stride.side, stride.start_frame / fps, stance_err)
        assert bounds.swing_ms[0] <= swing_err <= bounds.swing_ms[1], (stride.side, stride.start_frame / fps, swing_err)
        assert stride.swing_time_s == pytest.approx(stride.stride_time_s - stride.stance_time_s)
        assert stride.stance_pct == pytest.approx(100 * stride.stance_time_s / stride.stride_time_s)
        start_s = min((t for s, k, t in walk.events if s == stride.side and k == "heel_strike"),
                      key=lambda t: abs(t - stride.start_frame / fps))
        ds_err = 1000 * (stride.double_support_s - _true_double_support_s(walk, stride.side, start_s))
        assert abs(ds_err) <= bounds.double_support_ms, (stride.side, start_s, ds_err)
    # every full stride inside the recording was kept: 5 cycles → 3 or 4 per side
    assert min(n.values()) >= 3 and res.strides.dropped == [], (n, res.strides.dropped)


def test_phase_symmetry_index(analysed):
    case, bounds, walk, res = analysed
    true_dps = phase_symmetry_index(case.params.cycle_s, walk.stance_time_s, walk.swing_time_s)
    # measured: see WALKERS (the threshold of issue 6 is 0.05)
    assert res.summary["phase_symmetry_index"] == pytest.approx(true_dps, abs=bounds.dps)


def test_step_and_stride_lengths(analysed):
    case, _, walk, res = analysed
    fps = case.params.fps
    matched = 0
    for stride in res.strides.strides:
        t_hs = stride.start_frame / fps
        side_steps = [st for st in walk.steps if st[0] == stride.side]
        true = min(side_steps, key=lambda st: abs(st[1] - t_hs))
        assert abs(true[1] - t_hs) < 0.1                                 # the step the stride starts with
        if np.isfinite(stride.step_length_m):
            matched += 1
            # measured: within 6 mm of the footprint distance
            assert stride.step_length_m == pytest.approx(true[2], abs=0.01), (stride.side, t_hs)
        if np.isfinite(stride.stride_length_m):
            assert stride.stride_length_m == pytest.approx(case.params.stride_length_m, abs=0.012)
    assert matched >= len(res.strides.strides) - 1      # the first stride has no footprint of the other foot before it


def test_angles(analysed):
    case, _, walk, res = analysed
    # measured: hip RMSE ≤ 0.88°, knee ≤ 1.50°, bias under 0.16° (issue 6 threshold: 2°)
    for side in SIDES:
        for joint, limit in (("hip", 1.1), ("knee", 1.8)):
            d = res.angles[f"{side}_{joint}_deg"] - walk.angles_deg[f"{side}_{joint}_deg"]
            assert np.sqrt(np.nanmean(d ** 2)) <= limit, (side, joint)
            assert abs(np.nanmean(d)) <= 0.3, (side, joint)
            assert np.isfinite(d).mean() > 0.97


def _exchange_legs(kp: np.ndarray, frames: np.ndarray) -> np.ndarray:
    """Knee and ankle labels exchanged (left ↔ right) on the given frames."""
    out = kp.copy()
    for part in ("knee", "ankle"):
        a, b = SIDE_JOINTS["left"][part], SIDE_JOINTS["right"][part]
        out[frames, a], out[frames, b] = kp[frames, b], kp[frames, a]
    return out


def _swapped_walk():
    """The symmetric walker at 30 fps (5.5 s, 165 frames) with both the knee and the ankle labels
    exchanged for the last 0.5 s of every 1.5 s (45 frames, a third of the walk), and its analysis."""
    case = Case("sym 30 R over swapped", replace(SYMMETRIC, fps=30.0), seed=4)
    walk = simulate(case.params)
    kp, _ = observe(walk, case.seed)
    t = np.arange(len(kp)) / case.params.fps
    stretches = np.flatnonzero((t % 1.5) >= 1.0)
    _, res = _analyse(case, _exchange_legs(kp, stretches))
    rmse = {f"{side}_{joint}": float(np.sqrt(np.nanmean((res.angles[f"{side}_{joint}_deg"]
                                                         - walk.angles_deg[f"{side}_{joint}_deg"]) ** 2)))
            for side in SIDES for joint in ("hip", "knee")}
    return case, walk, res, stretches, rmse


def test_swap_repair_on_a_walker_with_leg_labels_exchanged_in_stretches():
    # Without the repair every angle is off by 13° RMSE. With it (measured) hips 0.82° / 0.88° and knees
    # 1.54° / 1.50° (the same walker without exchanged labels: see test_angles_*): the crossings put the
    # ankles right, the shank lengths and the knees' continuity the knees, and the continuity of whole legs
    # the frames next to a crossing where knee and ankle were exchanged together. Bounds: issue 17's 2°
    # for the knees, the hips with a third to spare.
    case, walk, res, stretches, rmse = _swapped_walk()
    for name, limit in (("left_hip", 1.2), ("right_hip", 1.2), ("left_knee", 2.0), ("right_knee", 2.0)):
        assert rmse[name] < limit, (name, rmse)
    assert res.summary["data_quality"]["swapped_frames"]["ankle"] >= len(stretches) - 3
    assert res.summary["data_quality"]["swapped_frames"]["knee"] >= len(stretches) - 3
    assert res.summary["gait_cycle_s"]["mean"] == pytest.approx(case.params.cycle_s, rel=0.01)
    for side in SIDES:
        true_hs = [tt for s, k, tt in walk.events if s == side and k == "heel_strike"]
        _, missed, extra = match_events(true_hs, [f / 30.0 for f in res.events[side]["heel_strike"]],
                                        0.3 * case.params.cycle_s, walk.time_s[-1])
        assert (missed, extra) == (0, 0), side


