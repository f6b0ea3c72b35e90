"""Event extrema: what counts as a turning point of the foot's oscillation."""
import warnings

import numpy as np
import pytest

from gaitpose.gait.events import estimate_cycle_s, extrema, refine_toe_off


def test_a_bump_right_after_missing_frames_is_not_an_event():
    # A cosine with maxima at frames 50 and 110 (cycle 60 frames = 2 s at 30 fps). The recording starts
    # with a missing frame, then rises from -0.3 into a bump of 0.16 at frame 5 (a keypoint glitch) and
    # falls into the cosine. The bump stands 0.46 above the lowest frame before it, less than 30 % of
    # the signal's 5-95 % range (2 · 0.988 · 0.3 = 0.59), so it is no event — it was one while the
    # missing frame counted as -inf and made any later bump look infinitely prominent.
    t = np.arange(180.0)
    s = np.cos(2 * np.pi * (t - 50) / 60)
    s[:6] = [np.nan, -0.3, -0.25, -0.1, 0.0, 0.16]
    assert extrema(s, fps=30.0, cycle_s=2.0, maximum=True) == pytest.approx([50.0, 110.0])


def test_extrema_on_both_sides_of_a_gap_are_kept():
    # The same cosine with frames 70-89 missing: the maxima at 50 and 110 and the minimum at 140 stand
    # well inside their runs of valid frames; the minimum at 80 falls in the gap and is not invented.
    t = np.arange(180.0)
    s = np.cos(2 * np.pi * (t - 50) / 60)
    s[70:90] = np.nan
    assert extrema(s, fps=30.0, cycle_s=2.0, maximum=True) == pytest.approx([50.0, 110.0])
    assert extrema(s, fps=30.0, cycle_s=2.0, maximum=False) == pytest.approx([20.0, 140.0])


def test_toe_off_stays_at_the_position_minimum_when_mid_stance_is_missing():
    # Heel strike at frame 0, the ankle's backward extreme at frame 40; frames 10-30 (the middle of
    # that stance) are missing, so the foot-flat speed is unknown: no refinement, and no warning.
    ankle = np.concatenate([np.zeros(40), np.linspace(0.0, 1.0, 20) ** 2])
    ankle[10:31] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert refine_toe_off(ankle, 40.0, [0.0, 59.0], fps=30.0, cycle_s=2.0) == 40.0


def _sine_walk(labels_swapped_every_s: float | None = None):
    """8 s at 30 fps of a 1.2 s gait: foot signals ±sin, optionally with the legs' labels exchanged in
    alternate stretches; and the distance between the feet, which no label exchange changes."""
    t = np.arange(240) / 30.0
    s = np.sin(2 * np.pi * t / 1.2)
    m = np.ones_like(t) if labels_swapped_every_s is None else np.where(np.floor(t / labels_swapped_every_s) % 2, -1.0, 1.0)
    return [s * m, -s * m], np.abs(2 * s)


def test_cycle_from_the_feet_apart_when_leg_labels_were_exchanged():
    # Labels exchanged every 1.8 s: each "foot" signal now repeats every 3.6 s and its first strong
    # autocorrelation peak is at 1.8 s, neither one step (0.6 s) nor two; the feet-apart distance
    # peaks every step (0.6 s), so the cycle is two steps, 1.2 s.
    feet, apart = _sine_walk(labels_swapped_every_s=1.8)
    assert estimate_cycle_s(feet, 30.0) == pytest.approx(1.8)
    assert estimate_cycle_s(feet, 30.0, apart) == pytest.approx(1.2)
    clean, apart = _sine_walk()
    assert estimate_cycle_s(clean, 30.0, apart) == pytest.approx(1.2)


def test_cycle_kept_when_the_feet_apart_repeat_only_once_per_cycle():
    # Strongly asymmetric steps (one twice as long as the other): the feet-apart distance repeats once
    # per cycle, so its period (1.2 s) agrees with the feet's own and the cycle stays 1.2 s, not 2.4.
    t = np.arange(240) / 30.0
    s = np.sin(2 * np.pi * t / 1.2)
    apart = np.abs(s) * np.where(s > 0, 1.0, 0.5)
    assert estimate_cycle_s([s, -s], 30.0, apart) == pytest.approx(1.2)


def test_a_slower_feet_apart_rhythm_does_not_lengthen_the_cycle():
    # The feet signals repeat every 1.2 s; a noisy feet-apart distance that repeats every 1.8 s
    # (0.9 s "steps") would make the cycle 1.8 s: slower than the feet, so it is not taken.
    t = np.arange(240) / 30.0
    s = np.sin(2 * np.pi * t / 1.2)
    apart = 1 + np.sin(2 * np.pi * t / 0.9)
    assert estimate_cycle_s([s, -s], 30.0, apart) == pytest.approx(1.2)


def _cosine_swing_walk(n_frames: int = 400, stride: float = 100.0, direction: int = 1) -> np.ndarray:
    """T×8×2 camera-plane points of a walk worked out by hand (1 frame = 10 ms at 100 fps, cycle 100
    frames). The pelvis (both hips) moves forward 1 unit a frame, from −80. Each foot rests for 60 frames
    (stance), then swings 100 units forward in 40 frames with speed 2.5 (1 − cos 2πs), s = 0…1 through
    the swing, so its forward speed is 0 at both ends of the swing and 5 at its middle. The left foot's
    stance starts at frames 0, 100, 200, …, the right foot's at 50, 150, …"""
    from gaitpose.skeleton import SIDE_JOINTS

    t = np.arange(n_frames, dtype=float)

    def foot(start: float) -> np.ndarray:
        k = np.floor((t - start) / 100)
        tau = t - start - 100 * k
        s = np.clip((tau - 60) / 40, 0, 1)
        return start + 100 * k + stride * (s - np.sin(2 * np.pi * s) / (2 * np.pi))

    xy = np.zeros((n_frames, 8, 2))
    xy[..., 1] = 1.0
    for side, start in (("left", 0.0), ("right", 50.0)):
        j = SIDE_JOINTS[side]
        xy[:, j["hip"], 0] = t - 80
        xy[:, j["ankle"], 0] = foot(start)
    xy[..., 0] *= direction
    return xy


# Worked by hand for `_cosine_swing_walk`:
# * the foot relative to the pelvis, ankle − pelvis, changes at (foot speed − 1) a frame: it falls through
#   the stance and rises once the swing speed passes 1, 2.5 (1 − cos 2πs) = 1 → cos 2πs = 0.6 →
#   s = acos(0.6) / 2π = 0.14758, i.e. 5.903 frames into the swing (the minimum, Zeni's toe off) and
#   5.903 frames before its end (the maximum, Zeni's heel strike): left heel strikes at 94.097, 194.097,
#   294.097, right ones 50 frames later (44.097 … 344.097).
# * with the foot as heel and toe (foot points), the speeds are read: the central difference of the
#   foot's position gives the speed 2.5 (1 − cos 2πs · sin(ω)/ω), ω = 2π/40 (sin ω/ω = 0.995893), peak
#   4.98973 at mid-swing; foot-flat speed 0. Toe off: 10 % of the peak (FOOT_TOE_OFF_FRACTION),
#   0.498973, reached where cos 2πs = (1 − 0.199589)/0.995893 = 0.803712, s = 0.101496: 4.060 frames
#   into the swing. Heel strike: 20 % of the peak (FOOT_HEEL_STRIKE_FRACTION), 0.997946, where
#   cos 2πs = (1 − 0.399178)/0.995893 = 0.603299 on the way down, s = 1 − 0.146926: 34.123 frames into
#   the swing on the exact curve; the speed is interpolated linearly between frames 34 (1.03657) and
#   35 (0.73949), which puts the crossing at 34.130, 5.870 frames before the swing ends.
HS_LEFT = [94.097, 194.097, 294.097]
HS_RIGHT = [44.097, 144.097, 244.097, 344.097]
SWING_INTO_ZENI_TO = 5.903
SWING_INTO_TO = 4.060
HS_BEFORE_SWING_END = 5.870


@pytest.mark.parametrize("direction", [1, -1])
def test_detect_events_on_a_walk_worked_by_hand(direction):
    from gaitpose.gait.events import detect_events

    events, cycle_s = detect_events(_cosine_swing_walk(direction=direction), fps=100.0, direction=direction)
    assert cycle_s == pytest.approx(1.0)
    # Heel strike: Zeni's maximum delayed by the 18 ms real walks show (1.8 frames at 100 fps); toe off: no
    # delay at a 1.0 s cycle (0.205 × 1.0 − 0.219 < 0).
    assert events["left"]["heel_strike"] == pytest.approx([h + 1.8 for h in HS_LEFT], abs=0.02)
    assert events["right"]["heel_strike"] == pytest.approx([h + 1.8 for h in HS_RIGHT], abs=0.02)
    # Toe offs inside the walk: the left foot's swings start at 60, 160, 260, 360; the right's at 110, 210,
    # 310 (the one at 10 is 10 frames into the record: its minimum at 15.9 stands only ~16 units above
    # the record's first frame, under 30 % of the signal's range, so it is no event). The parabola
    # through three frames puts the minimum within 0.02 of a frame of the exact one.
    assert events["left"]["toe_off"] == pytest.approx([s + SWING_INTO_ZENI_TO for s in (60, 160, 260, 360)], abs=0.03)
    assert events["right"]["toe_off"] == pytest.approx([s + SWING_INTO_ZENI_TO for s in (110, 210, 310)], abs=0.03)


def test_ankle_events_are_delayed_as_on_real_walks():
    from gaitpose.gait.events import detect_events, zeni_toe_off_delay_s

    # The toe-off delay: 0.205 s per s of cycle − 0.219 s, within 0 … 0.060 s.
    assert [zeni_toe_off_delay_s(c) for c in (0.5, 1.0, 1.2, 1.25, 1.5, 3.0)] == pytest.approx(
        [0.0, 0.0, 0.027, 0.03725, 0.060, 0.060], abs=1e-9)
    # The same frames read at 80 fps: a 1.25 s cycle (100 frames). Heel strike 0.018 × 80 = 1.44 frames after
    # Zeni's maximum; toe off 0.03725 × 80 = 2.98 frames after its minimum.
    events, cycle_s = detect_events(_cosine_swing_walk(), fps=80.0, direction=1)
    assert cycle_s == pytest.approx(1.25)
    assert events["left"]["heel_strike"] == pytest.approx([h + 1.44 for h in HS_LEFT], abs=0.02)
    assert events["left"]["toe_off"] == pytest.approx([s + SWING_INTO_ZENI_TO + 2.98 for s in (60, 160, 260, 360)],
                                                      abs=0.03)


@pytest.mark.parametrize("direction", [1, -1])
def test_detect_events_from_heel_and_toe_worked_by_hand(direction):
    # The same walk with each foot's heel and toe moving exactly as its ankle (a foot reduced to a point):
    # the events now come from their speeds (worked out above).
    from gaitpose.gait.events import detect_events
    from gaitpose.skeleton import FOOT_INDEX, SIDE_JOINTS

    xy = _cosine_swing_walk(direction=direction)
    feet = np.full((len(xy), 4, 2), np.nan)
    for side in ("left", "right"):
        for part in ("heel", "toe"):
            feet[:, FOOT_INDEX[side][part]] = xy[:, SIDE_JOINTS[side]["ankle"]]
    events, _ = detect_events(xy, fps=100.0, direction=direction, feet_xy_tx4x2=feet)
    assert events["left"]["heel_strike"] == pytest.approx([e - HS_BEFORE_SWING_END for e in (100, 200, 300)], abs=0.01)
    assert events["right"]["heel_strike"] == pytest.approx([e - HS_BEFORE_SWING_END for e in (50, 150, 250, 350)],
                                                           abs=0.01)
    assert events["left"]["toe_off"] == pytest.approx([s + SWING_INTO_TO for s in (60, 160, 260, 360)], abs=0.01)
    assert events["right"]["toe_off"] == pytest.approx([s + SWING_INTO_TO for s in (110, 210, 310)], abs=0.01)
    # a side whose foot points are missing in more than a fifth of the frames falls back to the ankle
    feet[:100, FOOT_INDEX["right"]["toe"]] = np.nan
    events, _ = detect_events(xy, fps=100.0, direction=direction, feet_xy_tx4x2=feet)
    assert events["right"]["toe_off"] == pytest.approx([s + SWING_INTO_ZENI_TO for s in (110, 210, 310)], abs=0.03)
    assert events["left"]["toe_off"] == pytest.approx([s + SWING_INTO_TO for s in (60, 160, 260, 360)], abs=0.01)


def test_toe_off_refinement_by_hand_overground_and_on_a_belt():
    # The ankle rests until frame 20, then accelerates at 1 unit/frame² to frame 30 and slows down
    # symmetrically to rest at frame 40: x = (t − 20)² / 2 on 20…30. Central differences: v = t − 20 on
    # 21…29 (exact for a parabola), 9.5 at the peak frame 30, and (x21 − x19)/2 = 0.25 at frame 20.
    # Foot-flat speed 0 (middle of the stance 0…25); 10 % of the peak is 0.95, crossed between frame 20
    # (0.25) and 21 (1.0): 20 + (0.95 − 0.25)/(1 − 0.25) = 20.933.
    t = np.arange(60, dtype=float)
    ankle = np.where(t <= 30, 0.5 * np.clip(t - 20, 0, None) ** 2, 100 - 0.5 * np.clip(40 - t, 0, None) ** 2)
    assert refine_toe_off(ankle, 25.0, [0.0, 45.0], fps=30.0, cycle_s=1.5) == pytest.approx(20 + 0.7 / 0.75)
    # On a treadmill the resting foot moves back with the belt (−0.8 a frame): the speed is measured from
    # the foot-flat speed, so the same toe off comes out.
    belt = ankle - 0.8 * t
    assert refine_toe_off(belt, 25.0, [0.0, 45.0], fps=30.0, cycle_s=1.5) == pytest.approx(20 + 0.7 / 0.75)
    # Without a heel strike before it, the search starts half a cycle (22.5 frames) before Zeni's toe off.
    assert refine_toe_off(ankle, 25.0, [45.0], fps=30.0, cycle_s=1.5) == pytest.approx(20 + 0.7 / 0.75)
    # A swing with a missing frame cannot be read: Zeni's toe off stays.
    gap = ankle.copy()
    gap[33] = np.nan
    assert refine_toe_off(gap, 25.0, [0.0, 45.0], fps=30.0, cycle_s=1.5) == 25.0


def test_toe_off_search_is_bounded_by_the_heel_strikes_around_it():
    # 10 fps, a 4 s cycle (half a cycle: 20 frames). The ankle ends its previous swing at 5 units a frame
    # until frame 20 (heel strike), rests on 20…30, then x = (t − 30)²/2 on 30…40 and 100 − (50 − t)²/2
    # on 40…50; the next heel strike is called at 45, and a keypoint glitch at frame 48 (+100).
    # Central differences: v = 2.5 at 20, 0 on 21…29, 0.25 at 30, t − 30 on 31…39, 9.5 at 40 (peak).
    # Foot flat from the stance 20…30 (its middle: 0); 10 % of the peak, 0.95, is crossed between 30
    # (0.25) and 31 (1): 30 + 0.7/0.75. Searching half a cycle either side instead would take the end
    # of the last swing into the foot-flat speed (median 3.75 → 34.325) and the glitch as the peak.
    t = np.arange(60, dtype=float)
    x = np.where(t < 20, -5 * (20 - t), 0.0)
    x = np.where((t >= 30) & (t <= 40), 0.5 * (t - 30) ** 2, x)
    x = np.where(t > 40, 100 - 0.5 * np.clip(50 - t, 0, None) ** 2, x)
    x[48] += 100
    x[55] += 300                                   # a second glitch, beyond half a cycle
    expected = 30 + 0.7 / 0.75
    assert refine_toe_off(x, 30.0, [20.0, 45.0], fps=10.0, cycle_s=4.0) == pytest.approx(expected)
    # a heel strike at the toe-off frame itself bounds neither side
    assert refine_toe_off(x, 30.0, [20.0, 30.0, 45.0], fps=10.0, cycle_s=4.0) == pytest.approx(expected)
    # Without a heel strike before it the search starts half a cycle back, at frame 10: the foot-flat
    # speed is the median of v[15…24] = (5 × 5, 2.5, 4 × 0) = 3.75, the peak 9.5 − 3.75 = 5.75, 10 % of
    # it 0.575 above 3.75 is crossed between 34 (rel 0.25) and 35 (1.25): 34 + 0.325.
    assert refine_toe_off(x, 30.0, [45.0], fps=10.0, cycle_s=4.0) == pytest.approx(34.325)
    # Without one after it the search ends half a cycle on, at 50, and takes the glitch (v[47] = 53,
    # v[46] = 4) for the swing's peak: 46 + (5.3 − 4)/(53 − 4).
    assert refine_toe_off(x, 30.0, [20.0], fps=10.0, cycle_s=4.0) == pytest.approx(46 + 1.3 / 49)
    # The shortest stance and swing that are read: 3 frames each. Stance 27…29 (foot flat 0) gives the
    # same toe off; stance 28…29 is too short (Zeni's stays). A swing 30…32 (next heel strike at 32):
    # peak v[32] = 2, 10 % = 0.2, crossed between 29 (0) and 30 (0.25): 29.8.
    assert refine_toe_off(x, 30.0, [27.0, 45.0], fps=10.0, cycle_s=4.0) == pytest.approx(expected)
    assert refine_toe_off(x, 30.0, [28.0, 45.0], fps=10.0, cycle_s=4.0) == 30.0
    assert refine_toe_off(x, 30.0, [20.0, 32.0], fps=10.0, cycle_s=4.0) == pytest.approx(29.8)
    assert refine_toe_off(x, 30.0, [20.0, 31.0], fps=10.0, cycle_s=4.0) == 30.0
    # A missing ankle at the next heel strike (frame 45) makes v[44] unknown, inside the swing: no
    # refinement. One at 47 touches v[46] and v[48], after the swing: refined as before.
    gap = x.copy()
    gap[45] = np.nan
    assert refine_toe_off(gap, 30.0, [20.0, 45.0], fps=10.0, cycle_s=4.0) == 30.0
    gap = x.copy()
    gap[47] = np.nan
    assert refine_toe_off(gap, 30.0, [20.0, 45.0], fps=10.0, cycle_s=4.0) == pytest.approx(expected)


def test_no_positive_autocorrelation_peak_means_no_period():
    """A short clip's autocorrelation can peak below zero only (here -0.3 at lag 3): 0.8 × a negative
    maximum lies above it, so no peak qualified and the search raised IndexError; now there is no period."""
    from gaitpose.gait.events import _first_period
    acc = np.array([1.0, -0.2, -0.5, -0.3, -0.6, -0.4])
    assert _first_period(acc, 1, 5) is None
    acc[3] = 0.5                                  # a positive peak at lag 3 is the period
    assert _first_period(acc, 1, 5) == 3
