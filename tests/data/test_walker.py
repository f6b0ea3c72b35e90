"""The kinematic walker: feet that roll without skating, exact events and footprints (hand numbers)."""
import numpy as np
import pytest

from gaitpose.data.walker import WalkerParams, simulate

# cycle 1.2 s at 100 fps: heel strikes (0.0, 0.6 s + k·1.2) and toe offs (+0.72 s) fall on frames.
BASE = dict(height_m=1.75, cycle_s=1.2, stride_length_m=1.4, stance_fraction=(0.6, 0.6), fps=100.0, n_cycles=3)


def _stance_mask(result, side):
    t = result.time_s
    mask = np.zeros(len(t), bool)
    for start in result.footprints[side][:, 0]:  # every heel strike, also those before t = 0
        mask |= (t >= start - 1e-9) & (t <= start + result.stance_time_s[side] + 1e-9)
    return mask


@pytest.mark.parametrize("facing", [1, -1])
def test_stance_foot_does_not_slide(facing):
    r = simulate(WalkerParams(**BASE, facing=facing))
    for side in ("left", "right"):
        heel, toe = r.points[f"{side}_heel"], r.points[f"{side}_toe"]
        stance = _stance_mask(r, side)
        # In stance the foot touches the floor (heel, toe or both) ...
        assert np.all(np.minimum(heel[stance, 2], toe[stance, 2]) < 1e-9)
        # ... and a point touching the floor stays where it landed: footprint heel / toe x.
        prints = r.footprints[side]
        for pts, col in ((heel, 1), (toe, 2)):
            on_floor = stance & (pts[:, 2] < 1e-9)
            for f in np.flatnonzero(on_floor):
                i = np.searchsorted(prints[:, 0], r.time_s[f] + 1e-9) - 1
                assert pts[f, 0] == pytest.approx(prints[i, col], abs=1e-9)
        # In swing the foot is clear of the floor.
        swing = ~_stance_mask(r, side)
        assert np.all(np.minimum(heel[swing, 2], toe[swing, 2]) > 0)


def test_events_exact_and_physical():
    r = simulate(WalkerParams(**BASE))
    hs_left = [e[2] for e in r.events if e[:2] == ("left", "heel_strike")]
    to_left = [e[2] for e in r.events if e[:2] == ("left", "toe_off")]
    hs_right = [e[2] for e in r.events if e[:2] == ("right", "heel_strike")]
    np.testing.assert_allclose(hs_left, [0.0, 1.2, 2.4], atol=1e-9)
    to_right = [e[2] for e in r.events if e[:2] == ("right", "toe_off")]
    # 3 cycles of 1.2 s sampled to 3.59 s; right heel strike half a cycle later; stance 0.72 s.
    np.testing.assert_allclose(to_left, [0.72, 1.92, 3.12], atol=1e-9)
    np.testing.assert_allclose(hs_right, [0.6, 1.8, 3.0], atol=1e-9)
    np.testing.assert_allclose(to_right, [0.12, 1.32, 2.52], atol=1e-9)
    heel, toe = r.points["left_heel"], r.points["left_toe"]
    f_hs, f_to = 120, 192  # 1.2 s and 1.92 s at 100 fps
    assert heel[f_hs, 2] == pytest.approx(0.0, abs=1e-9) and heel[f_hs - 1, 2] > 1e-4
    assert toe[f_to, 2] == pytest.approx(0.0, abs=1e-9) and toe[f_to + 1, 2] > 1e-5


def test_step_length_is_footprint_distance():
    r = simulate(WalkerParams(**BASE))
    # Symmetric timing at constant speed: each step is half the stride, 0.7 m.
    assert [round(s[2], 9) for s in r.steps] == [0.7] * len(r.steps)
    for side, time, step in r.steps:
        other = "right" if side == "left" else "left"
        f = int(round(time * r.params.fps))
        prev = r.footprints[other][r.footprints[other][:, 0] < time][-1]
        assert r.points[f"{side}_heel"][f, 0] - prev[1] == pytest.approx(step, abs=1e-9)
    assert r.speed_m_s == pytest.approx(1.4 / 1.2)


def test_segment_lengths_winter_ratios_and_angles():
    r = simulate(WalkerParams(**BASE))
    assert r.thigh_m == pytest.approx(0.245 * 1.75) and r.shank_m == pytest.approx(0.246 * 1.75)
    for side in ("left", "right"):
        thigh = np.linalg.norm(r.points[f"{side}_knee"] - r.points[f"{side}_hip"], axis=1)
        shank = np.linalg.norm(r.points[f"{side}_ankle"] - r.points[f"{side}_knee"], axis=1)
        np.testing.assert_allclose(thigh, 0.245 * 1.75, atol=1e-9)
        np.testing.assert_allclose(shank, 0.246 * 1.75, atol=1e-9)
        d = r.points[f"{side}_knee"] - r.points[f"{side}_hip"]
        np.testing.assert_allclose(r.angles_deg[f"{side}_thigh_deg"], np.degrees(np.arctan2(d[:, 0], -d[:, 2])), atol=1e-9)
        knee = r.angles_deg[f"{side}_knee_deg"]
        assert knee.min() >= 0 and 50 < knee.max() < 70  # normal gait peaks near 60° (Perry 2010)


def test_treadmill_pelvis_in_place_and_belt_moves_foot():
    r = simulate(WalkerParams(**BASE, treadmill=True))
    np.testing.assert_allclose(r.points["pelvis"][:, 0], 0.0, atol=1e-9)
    assert r.belt_speed_m_s == pytest.approx(1.4 / 1.2)
    heel = r.points["left_heel"]
    f = np.flatnonzero((heel[:, 2] < 1e-9) & (np.arange(len(heel)) > 5))[:10]
    np.testing.assert_allclose(np.diff(heel[f, 0]), -r.belt_speed_m_s / 100, atol=1e-9)


def test_facing_left_mirrors_x_and_lateral():
    a = simulate(WalkerParams(**BASE, facing=1))
    b = simulate(WalkerParams(**BASE, facing=-1))
    np.testing.assert_allclose(b.points["left_knee"][:, 0], -a.points["left_knee"][:, 0], atol=1e-12)
    np.testing.assert_allclose(b.points["left_knee"][:, 1], -a.points["left_knee"][:, 1], atol=1e-12)
    assert a.points["left_hip"][0, 1] == pytest.approx(0.0875)  # 0.1·H/2 to the walker's left (+y)
    np.testing.assert_allclose(b.angles_deg["left_knee_deg"], a.angles_deg["left_knee_deg"], atol=1e-12)


def test_start_phase_shifts_the_schedule_and_keeps_the_walk():
    # start_phase 0.25 of 1.2 s: t = 0 is 0.3 s after a left heel strike, so left heel strikes at
    # 0.9, 2.1, 3.3 s and right ones (half a cycle later) at 0.3, 1.5, 2.7 s; toe offs 0.72 s after each.
    r = simulate(WalkerParams(**BASE, start_phase=0.25))
    times = {(s, e): [t for side, ev, t in r.events if (side, ev) == (s, e)] for s in ("left", "right")
             for e in ("heel_strike", "toe_off")}
    np.testing.assert_allclose(times["left", "heel_strike"], [0.9, 2.1, 3.3], atol=1e-9)
    np.testing.assert_allclose(times["right", "heel_strike"], [0.3, 1.5, 2.7], atol=1e-9)
    np.testing.assert_allclose(times["left", "toe_off"], [0.42, 1.62, 2.82], atol=1e-9)
    np.testing.assert_allclose(times["right", "toe_off"], [1.02, 2.22, 3.42], atol=1e-9)
    # The same walk 0.3 s (30 frames) later, moved back by the 0.35 m the pelvis covers in 0.3 s.
    base = simulate(WalkerParams(**{**BASE, "n_cycles": 4}))
    for name in ("pelvis", "left_knee", "right_ankle", "left_toe"):
        shifted = base.points[name][30:30 + len(r.time_s)] - [1.4 / 1.2 * 0.3, 0.0, 0.0]
        np.testing.assert_allclose(r.points[name], shifted, atol=1e-6)


@pytest.mark.parametrize("extra", [
    dict(),                                                                                # normal
    dict(cycle_s=1.6, stride_length_m=1.0, stance_fraction=(0.68, 0.58), knee_flexion_scale=(1.0, 0.7),
         toe_off_pitch_deg=-25.0),                                                          # asymmetric
    dict(cycle_s=3.0, stride_length_m=0.6, stance_fraction=(0.68, 0.58), knee_flexion_scale=(1.0, 0.7),
         knee_peak_deg=50.0, toe_off_pitch_deg=-12.0),                                      # slow exo
])
def test_swing_foot_never_goes_back_behind_its_toe_off_position(extra):
    """Once the toe leaves the floor the ankle only moves forward (overground, world frame): a foot that
    swung back behind the toe would make toe off invisible to any kinematic detector."""
    r = simulate(WalkerParams(**{**BASE, **extra}))
    for side in ("left", "right"):
        ankle_x = r.points[f"{side}_ankle"][:, 0]
        for s, kind, t in r.events:
            if s != side or kind != "toe_off":
                continue
            nxt = [t2 for s2, k2, t2 in r.events if s2 == side and k2 == "heel_strike" and t2 > t]
            swing = (r.time_s >= t) & (r.time_s <= (nxt[0] if nxt else r.time_s[-1]))
            i0 = np.flatnonzero(swing)[0]
            assert np.all(ankle_x[swing] >= ankle_x[i0] - 0.005), (side, t)
