"""Edges of gait/events.py that mutation testing found unpinned (issue 17), worked out by hand.

The foot tracks here are built from their frame-to-frame steps d[t] = x[t+1] − x[t], so that the speed
np.gradient reads is exact: v[t] = (d[t−1] + d[t]) / 2 inside the track, v[0] = d[0], v[−1] = d[−1].
Every expected frame below follows from those speeds by the rule in the docstring of the function.
"""
import warnings

import numpy as np
import pytest

from gaitpose.gait.events import (_autocorrelation, _first_period, _window, detect_events, estimate_cycle_s, extrema,
                                  feet_usable, refine_heel_strike, refine_toe_off)
from gaitpose.skeleton import FOOT_INDEX, SIDE_JOINTS


def _track(steps: list[float]) -> np.ndarray:
    """Positions from frame-to-frame steps, starting at 0 (len(steps) + 1 frames)."""
    return np.concatenate([[0.0], np.cumsum(steps)])


# ---------------------------------------------------------------------------------------------------------------
# refine_heel_strike: the heel's forward speed, measured from its foot-flat speed, falls through `fraction` of
# the swing's peak after that peak. 10 fps, a 4 s cycle (half a cycle: 20 frames) throughout.
#
# HEEL: a heel on a treadmill belt moving back 1 unit a frame. Steps d: −1 on frames 0-9 (stance), then the
# swing 2, 4, 6, 8, 10, 12, 14, 14 (frames 10-17) and 10, 6, 2 (18-20), then −1 again (21-58): 60 frames.
# Speeds v: −1 on 0-9; v[10] = (−1 + 2)/2 = 0.5; 3, 5, 7, 9, 11, 13 on 11-16; v[17] = (14 + 14)/2 = 14 (the
# peak); v[18] = (14 + 10)/2 = 12, v[19] = 8, v[20] = 4, v[21] = (2 − 1)/2 = 0.5; −1 from 22 on.
# With toe offs at 10 and 40 and Zeni's heel strike at 22: the swing is v[10…22], the stance v[22…39]
# (18 frames), its middle half (stance[4:13] = v[26…34]) all −1: the foot-flat speed is −1, so the speed
# relative to it is v + 1: 1.5 at 10, 15 at the peak 17, then 13, 9, 5 (frame 20), 1.5 (21), 0 from 22.
# 20 % of the peak is 3, crossed between 20 (5) and 21 (1.5): 20 + (5 − 3)/(5 − 1.5) = 20 + 4/7.
# ---------------------------------------------------------------------------------------------------------------
HEEL_STEPS = [-1.0] * 10 + [2, 4, 6, 8, 10, 12, 14, 14] + [10, 6, 2] + [-1.0] * 38
HEEL_HS = 20 + 4 / 7


def test_heel_strike_on_a_belt_worked_by_hand():
    heel = _track(HEEL_STEPS)
    assert len(heel) == 60
    assert refine_heel_strike(heel, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    # Overground (the same heel, the belt's −1 a frame taken away): speeds 1 higher, foot flat 0, the same
    # speeds relative to it, the same heel strike.
    overground = heel + np.arange(60.0)
    assert refine_heel_strike(overground, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    # A fraction of a half: level 7.5, crossed between 19 (9) and 20 (5): 19 + 1.5/4.
    assert refine_heel_strike(heel, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0, fraction=0.5) == pytest.approx(19.375)


def test_heel_strike_reads_the_swing_up_to_zenis_heel_strike_only():
    # Zeni's heel strike at 16, on the rise: the peak is looked for on 10…16 only, so it is v[16] = 13
    # (relative 14), not the higher v[17]; 20 % of 14 is 2.8, crossed between 20 (5) and 21 (1.5):
    # 20 + 2.2/3.5. (The stance is v[16…39], its middle v[22…33], all −1.)
    heel = _track(HEEL_STEPS)
    assert refine_heel_strike(heel, 16.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(20 + 2.2 / 3.5)


def test_heel_strike_foot_flat_speed_is_the_median_of_the_middle_half_of_the_stance():
    # HEEL with a stance speed that drifts: steps −1 + (t − 21)/8 from frame 21 on, so v[21] = (2 − 1)/2 = 0.5
    # still and v[t] = −1 + (t − 21.5)/8 from 22 on. Next toe off at 42: the stance is v[22…41] (20 frames),
    # its middle half stance[5:15] = v[27…36], median (v[31] + v[32])/2 = (0.1875 + 0.3125)/2 = 0.25.
    # Relative speeds: 14 − 0.25 = 13.75 at the peak, level 2.75; 4 − 0.25 = 3.75 at 20, 0.5 − 0.25 = 0.25
    # at 21: 20 + (3.75 − 2.75)/(3.75 − 0.25) = 20 + 1/3.5. (Any other stretch of the stance gives another
    # median: v[26…36] → 0.1875 → 20.3; v[27] alone → −0.3125; v[27…41] → 0.5625; v[27…33] → 0.0625.)
    steps = HEEL_STEPS[:21] + [-1 + (t - 21) / 8 for t in range(21, 59)]
    heel = _track(steps)
    assert refine_heel_strike(heel, 22.0, [10.0, 42.0], fps=10.0, cycle_s=4.0) == pytest.approx(20 + 1 / 3.5)


def test_heel_strike_shortest_swing_and_stance_that_are_read():
    heel = _track(HEEL_STEPS)
    # A stance of 3 frames (next toe off at 25: v[22…24]; middle v[22], v[23]: foot flat −1): read, the same.
    assert refine_heel_strike(heel, 22.0, [10.0, 25.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    # A stance of 2 frames (toe off at 24): not read, Zeni's heel strike stays.
    assert refine_heel_strike(heel, 22.0, [10.0, 24.0], fps=10.0, cycle_s=4.0) == 22.0
    # A swing of 3 frames (toe off at 20: v[20…22]): the peak is v[20] = 4 (relative 5), level 1, crossed
    # between 21 (1.5) and 22 (0): 21 + 0.5/1.5.
    assert refine_heel_strike(heel, 22.0, [20.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(21 + 1 / 3)
    # A swing of 2 frames (toe off at 21): not read.
    assert refine_heel_strike(heel, 22.0, [21.0, 40.0], fps=10.0, cycle_s=4.0) == 22.0


def test_heel_strike_with_missing_heel_positions():
    heel = _track(HEEL_STEPS)
    # Frame 23 missing: v[22] and v[24] unknown. v[22] is the swing's last frame (Zeni's heel strike): the
    # swing cannot be read, Zeni's stays (although the crossing, at 20.57, lies before it).
    gap = heel.copy()
    gap[23] = np.nan
    assert refine_heel_strike(gap, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == 22.0
    # Frame 24 missing: v[23] and v[25] unknown, both after the swing and after the crossing: read as before.
    gap = heel.copy()
    gap[24] = np.nan
    assert refine_heel_strike(gap, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    # Zeni's heel strike at 18 (the swing v[10…18], the stance v[18…39], its middle v[23…33]: −1) puts the
    # crossing in the stance. Frame 21 missing: v[20] and v[22] unknown; going down from the peak the speed
    # is still above the level at 19 (relative 9) and unknown at 20: the crossing cannot be read.
    gap = heel.copy()
    gap[21] = np.nan
    assert refine_heel_strike(gap, 18.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == 18.0
    # Frame 23 missing there: v[22] and v[24] unknown, after the crossing (between 20 and 21): read.
    gap = heel.copy()
    gap[23] = np.nan
    assert refine_heel_strike(gap, 18.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    # The toe off at 17 starts the swing at the peak itself. Frame 15 missing makes v[14] and v[16] unknown,
    # before the swing: the heel strike is read from the peak on as before (the frame before it is not needed).
    gap = heel.copy()
    gap[15] = np.nan
    assert refine_heel_strike(gap, 22.0, [17.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)


def test_heel_strike_exactly_at_the_level_is_the_crossing():
    # Overground heel, steps 0 on 0-9, 4, 8, 12, 16, 16, 12, 8, 4 on 10-17, 0 from 18 (40 frames). Speeds:
    # 0 to 9, v[10] = 2, 6, 10, 14, 16 (frame 14, the peak), 14, 10, 6 (frame 17), v[18] = 2, 0 from 19.
    # Toe offs 8 and 30, Zeni's heel strike 16: foot flat 0 (the stance v[16…29], middle v[19…25]).
    # With a fraction of 3/8 the level is 6, exactly the speed at 17: the speed has reached the level there,
    # so the crossing is 16 + (10 − 6)/(10 − 6) = 17, and frame 18 is not needed: with frame 19 missing
    # (v[18], v[20] unknown) it is still 17.
    heel = _track([0.0] * 10 + [4, 8, 12, 16, 16, 12, 8, 4] + [0.0] * 21)
    assert refine_heel_strike(heel, 16.0, [8.0, 30.0], fps=10.0, cycle_s=4.0, fraction=0.375) == 17.0
    heel[19] = np.nan
    assert refine_heel_strike(heel, 16.0, [8.0, 30.0], fps=10.0, cycle_s=4.0, fraction=0.375) == 17.0
    # The default 20 %: level 3.2, crossed between 17 (6) and 18 (2): 17 + 2.8/4 — but v[18] is unknown now.
    assert refine_heel_strike(heel, 16.0, [8.0, 30.0], fps=10.0, cycle_s=4.0) == 16.0


def test_heel_strike_without_a_forward_swing_stays_at_zenis():
    # A heel point that goes back through the "swing" (steps −2 on 0-11, then 0: 30 frames; speeds −2 to 11,
    # v[12] = −1, 0 from 13): its fastest swing frame, −1 at 12, is slower than its foot flat (0), so the
    # level, 20 % of −1, is −0.2 and the speed never falls through it before the next toe off (25) or,
    # without one, the end of the recording (12 + 20 frames, past the last frame 29): Zeni's stays.
    heel = _track([-2.0] * 12 + [0.0] * 17)
    assert refine_heel_strike(heel, 12.0, [5.0, 25.0], fps=10.0, cycle_s=4.0) == 12.0
    assert refine_heel_strike(heel, 12.0, [5.0], fps=10.0, cycle_s=4.0) == 12.0


# ---------------------------------------------------------------------------------------------------------------
# refine_toe_off: the toe's forward speed, measured from its foot-flat speed, last rises through `fraction` of
# the swing's peak before that peak. TOE: an overground toe, steps 0 on 0-10, 4, 8, 12, 16, 16, 12, 8, 4 on
# 11-18, 0 from 19 (40 frames). Speeds: 0 to 10, v[11] = 2, 6, 10, 14 (frame 14), 16 (15, the peak), 14, 10,
# 6, v[19] = 2, 0 from 20. Heel strikes 0 and 25, Zeni's toe off 14: the stance v[0…13] (middle v[3…9]: 0),
# the swing v[14…25], its peak 16 at 15. 10 % of it, 1.6, is crossed between 10 (0) and 11 (2): 10.8.
# ---------------------------------------------------------------------------------------------------------------
TOE_STEPS = [0.0] * 11 + [4, 8, 12, 16, 16, 12, 8, 4] + [0.0] * 20


def test_toe_off_worked_by_hand_and_a_peak_at_the_window_end():
    toe = _track(TOE_STEPS)
    assert refine_toe_off(toe, 14.0, [0.0, 25.0], fps=10.0, cycle_s=4.0) == pytest.approx(10.8)
    # Zeni's toe off 13 and the next heel strike at 15: the swing v[13…15] ends at the peak. Frame 17
    # missing makes v[16] (after the window) and v[18] unknown: the toe off is read as before.
    gap = toe.copy()
    gap[17] = np.nan
    assert refine_toe_off(gap, 13.0, [0.0, 15.0], fps=10.0, cycle_s=4.0) == pytest.approx(10.8)


def test_toe_off_with_the_toe_missing_inside_its_rise():
    # Frame 11 missing: v[10] and v[12] unknown. From the peak (15) down, 14 and 13 are above the level and
    # 12 is unknown, before the swing: the crossing cannot be read, Zeni's toe off stays.
    toe = _track(TOE_STEPS)
    toe[11] = np.nan
    assert refine_toe_off(toe, 14.0, [0.0, 25.0], fps=10.0, cycle_s=4.0) == 14.0


def test_toe_off_exactly_at_the_level_is_the_crossing():
    # A fraction of 3/8: the level is 6, exactly the speed at 12; it has not risen through the level there,
    # so the crossing is 12 + (6 − 6)/(10 − 6) = 12, and frame 11 is not needed: with frame 10 missing
    # (v[9], v[11] unknown; the foot flat still 0 from v[3…8]) it is still 12.
    toe = _track(TOE_STEPS)
    assert refine_toe_off(toe, 14.0, [0.0, 25.0], fps=10.0, cycle_s=4.0, fraction=0.375) == 12.0
    toe[10] = np.nan
    assert refine_toe_off(toe, 14.0, [0.0, 25.0], fps=10.0, cycle_s=4.0, fraction=0.375) == 12.0


def test_toe_off_without_a_forward_swing_stays_at_zenis():
    # A toe that goes back in its "swing" (steps 0 on 0-19, −2 from 20: speeds 0 to 19, v[20] = −1, −2 on):
    # the swing's fastest frame (−1, at 20) is slower than the foot flat (0); the level is −0.1 and the speed
    # stays above it back to the heel strike at 10: no rise through it, Zeni's stays.
    toe = _track([0.0] * 20 + [-2.0] * 19)
    assert refine_toe_off(toe, 20.0, [10.0, 30.0], fps=10.0, cycle_s=4.0) == 20.0


# ---------------------------------------------------------------------------------------------------------------
# The search window, foot points usable, and detect_events' edges
# ---------------------------------------------------------------------------------------------------------------
def test_window_without_events_around_is_half_a_cycle_within_the_recording():
    # 10 fps, a 2 s cycle: half a cycle is 10 frames. Anchor 5: 5 − 10 < 0, the window starts at frame 0;
    # anchor 95 of 100 frames: 95 + 10 is past the last frame, 99.
    assert _window(5.0, [], 100, fps=10.0, cycle_s=2.0) == (0, 5, 15)
    assert _window(95.0, [], 100, fps=10.0, cycle_s=2.0) == (85, 95, 99)
    # events of the other kind: from the first whole frame after the one before to the last one before the next
    assert _window(50.4, [20.2, 50.4, 80.7], 100, fps=10.0, cycle_s=2.0) == (21, 50, 80)


def test_feet_usable_needs_four_fifths_of_the_frames():
    feet = np.zeros((10, 4, 2))
    feet[:2, FOOT_INDEX["left"]["heel"]] = np.nan       # left heel missing in 2 of 10 frames: exactly 80 %
    assert feet_usable(feet, "left")
    feet[2, FOOT_INDEX["left"]["toe"]] = np.nan         # toe missing in a third frame: 70 %
    assert not feet_usable(feet, "left")
    assert feet_usable(feet, "right")
    with warnings.catch_warnings():
        warnings.simplefilter("error")                  # no "mean of empty slice"
        assert feet_usable(np.zeros((0, 4, 2)), "left") is False


def test_detect_events_on_a_clip_too_short_for_a_cycle():
    # The first 12 frames (0.4 s at 30 fps) of a 1.2 s walk, ankles at ±sin(2πt/36 frames), hips at 0: shorter
    # than the shortest cycle searched (0.5 s, 15 frames), and the distance between the ankles, 2 sin, only
    # rises to its maximum (frame 9) and a little past it: at the lags with enough pairs (7 and 8: more than
    # 0.3 · 12) every pair is a frame below the mean with one above it, so no positive correlation, no step.
    # No cycle, no events.
    s = np.sin(2 * np.pi * np.arange(12) / 36)
    xy = np.zeros((12, 8, 2))
    xy[:, SIDE_JOINTS["left"]["ankle"], 0] = s
    xy[:, SIDE_JOINTS["right"]["ankle"], 0] = -s
    assert detect_events(xy, fps=30.0, direction=1) == (
        {"left": {"heel_strike": [], "toe_off": []}, "right": {"heel_strike": [], "toe_off": []}}, None)


def test_detect_events_takes_the_cycle_from_the_feet_apart():
    # The walk of test_events.py::test_cycle_from_the_feet_apart_when_leg_labels_were_exchanged as keypoints:
    # hips at 0, ankles at ±sin(2πt/1.2 s) with the legs' labels exchanged every 1.8 s, 8 s at 30 fps. Each
    # ankle alone repeats every 3.6 s (first strong autocorrelation peak 1.8 s); the distance between the
    # ankles, |2 sin|, every step (0.6 s): the cycle is two steps, 1.2 s.
    t = np.arange(240) / 30.0
    s = np.sin(2 * np.pi * t / 1.2) * np.where(np.floor(t / 1.8) % 2, -1.0, 1.0)
    xy = np.zeros((240, 8, 2))
    xy[..., 1] = 1.0
    xy[:, SIDE_JOINTS["left"]["ankle"], 0] = s
    xy[:, SIDE_JOINTS["right"]["ankle"], 0] = -s
    _, cycle_s = detect_events(xy, fps=30.0, direction=1)
    assert cycle_s == pytest.approx(1.2)


# ---------------------------------------------------------------------------------------------------------------
# extrema and the parabola through the peak
# ---------------------------------------------------------------------------------------------------------------
def test_extrema_need_five_valid_frames():
    # 5 frames 0, 1, 3, 2, 0: range (5 %…95 % quantiles) 0…2.8, the peak at 2 stands 3 above both ends. The
    # parabola through 1, 3, 2 peaks at 2 + 0.5 (1 − 2)/(1 − 6 + 2) = 2 + 1/6. With 4 frames: none.
    assert extrema(np.array([0.0, 1, 3, 2, 0]), fps=10.0, cycle_s=1.0, maximum=True) == pytest.approx([2 + 1 / 6])
    assert extrema(np.array([0.0, 1, 3, 2, 0]), fps=10.0, cycle_s=1.0, maximum=False) == []
    assert extrema(np.array([0.0, 3, 2, 0]), fps=10.0, cycle_s=1.0, maximum=True) == []


def test_extrema_in_every_run_of_three_or_more_valid_frames():
    # Runs of valid frames: 1-3 (0, 4, 1), 5 (1, a single frame), 7-11 (0, 1, 2, 1, 0). The 9 valid values
    # sorted: 0 0 0 1 1 1 1 2 4; 95 % quantile 2 + 0.6 · 2 = 3.2, 5 %: 0; prominence needed 0.96. The run of
    # three has its peak at 2 (4, standing 3 above the higher end), refined by the parabola through 0, 4, 1:
    # 2 + 0.5 (0 − 1)/(0 − 8 + 1) = 2 + 1/14; the single frame is skipped; the last run peaks at 9 (symmetric).
    s = np.array([np.nan, 0, 4, 1, np.nan, 1, np.nan, 0, 1, 2, 1, 0])
    assert extrema(s, fps=10.0, cycle_s=1.0, maximum=True) == pytest.approx([2 + 1 / 14, 9.0])


def test_extrema_closer_than_six_tenths_of_a_cycle_keep_the_higher():
    # 5 fps, a 2 s cycle: maxima at least 0.6 · 2 · 5 = 6 frames apart. Peaks at 1 (4) and 3 (3), both well
    # above 30 % of the range (3.65): the lower one is dropped.
    s = np.array([0.0, 4, 0, 3, 0, 0, 0, 0])
    assert extrema(s, fps=5.0, cycle_s=2.0, maximum=True) == pytest.approx([1.0])


def test_a_flat_topped_extremum_is_its_middle():
    # Three equal frames: scipy's peak is the middle one (3), the parabola through 3, 3, 3 is flat: 3.0.
    # Two equal frames: the peak is the first (2); the parabola through 1, 3, 3 peaks half-way: 2.5.
    assert extrema(np.array([0.0, 1, 3, 3, 3, 1, 0]), fps=10.0, cycle_s=1.0, maximum=True) == [3.0]
    assert extrema(np.array([0.0, 1, 3, 3, 1, 0, 0]), fps=10.0, cycle_s=1.0, maximum=True) == pytest.approx([2.5])


# ---------------------------------------------------------------------------------------------------------------
# The cycle: autocorrelation and its first peak
# ---------------------------------------------------------------------------------------------------------------
def test_autocorrelation_by_hand_with_a_missing_frame():
    # 2, –, −1, 0, 1, −2: mean 0 over the 5 valid frames. Per lag, the sum of products of valid pairs over
    # their count, NaN unless more than 0.3 · 6 = 1.8 pairs:
    # lag 0: (4 + 1 + 0 + 1 + 4)/5 = 2; lag 1: pairs (2,3), (3,4), (4,5): (0 + 0 − 2)/3; lag 2: pairs (0,2),
    # (2,4), (3,5): (−2 − 1 + 0)/3 = −1; lag 3: pairs (0,3), (2,5): (0 + 2)/2 = 1; lags 4, 5: one pair each.
    x = np.array([2.0, np.nan, -1, 0, 1, -2])
    assert _autocorrelation([x], 9) == pytest.approx([2, -2 / 3, -1, 1, np.nan, np.nan], nan_ok=True)
    assert _autocorrelation([x], 3) == pytest.approx([2, -2 / 3, -1, 1])


def test_autocorrelation_sums_the_signals_and_needs_more_than_three_tenths_of_the_pairs():
    # 1, 0, −1: lags 0, 1, 2 → 2/3, 0, −1 (one pair, 1 > 0.3 · 3); 2, −1, −1: → 6/3 = 2, (−2 + 1)/2, −2.
    pair = [np.array([1.0, 0, -1]), np.array([2.0, -1, -1])]
    assert _autocorrelation(pair, 2) == pytest.approx([8 / 3, -0.5, -3])
    # +1, −1, … over 10 frames: lag L has 10 − L pairs, each product (−1)^L; lag 7 has exactly 3 = 0.3 · 10
    # pairs, not more: NaN from there.
    alternating = np.array([1.0, -1] * 5)
    assert _autocorrelation([alternating], 9) == pytest.approx([1, -1, 1, -1, 1, -1, 1] + [np.nan] * 3, nan_ok=True)


def test_first_period_edges():
    # a peak one lag before the last one computed is found; one at the last lag searched is not known to be a peak
    assert _first_period(np.array([1.0, 0.0, 0.5, 0.0]), 1, 10) == 2
    assert _first_period(np.array([1.0, 0.2, 0.1, 0.5, 0.3]), 1, 3) is None
    # a lag without enough pairs (NaN) is no peak: the period is the peak at 4
    assert _first_period(np.array([1.0, 0.5, np.nan, 0.2, 0.6, 0.1]), 1, 5) == 4
    # a highest peak of exactly 0 is no positive correlation
    assert _first_period(np.array([1.0, -0.5, 0.0, -0.5]), 1, 3) is None
    # a peak of exactly 0.8 of the highest is "nearly as high": the first one, at 2, is the period
    assert _first_period(np.array([1.0, 0.0, 0.8, 0.0, 1.0, 0.0]), 1, 5) == 2


def _sines(period_frames: float, n: int = 240) -> np.ndarray:
    return np.sin(2 * np.pi * np.arange(n) / period_frames)


def test_cycle_search_starts_at_half_a_second():
    # A 0.3 s rhythm (9 frames at 30 fps, 27 whole periods in 243 frames): its autocorrelation peaks at every
    # multiple of 9 frames, equally high (½ cos(2πL/9) to within 0.004 at lag 18, where the neighbouring lags are
    # 0.12 lower). The search starts at 0.5 s (15 frames): the first peak in it is 18 frames, 0.6 s.
    assert estimate_cycle_s([_sines(9, 243)], 30.0) == pytest.approx(0.6)


def test_cycle_kept_when_the_feet_apart_say_about_two_steps():
    # Feet every 1.2 s (36 frames at 30 fps); a feet-apart distance repeating every 0.5 s (15 frames), a
    # little faster than two per cycle: 36 is within 25 % of 2 × 15 (|36 − 30| = 6 ≤ 7.5), so the feet's own
    # period stands (the distance is not taken for two steps of a 1.0 s cycle).
    assert estimate_cycle_s([_sines(36), -_sines(36)], 30.0, 1 + _sines(15)) == pytest.approx(1.2)
    # At the bound: feet every 40 frames, the distance every 16: |40 − 32| = 8 = 0.25 · 2 · 16: still
    # "about two steps", 40 frames = 4/3 s. (Each peak of these whole-period sines is higher than its
    # neighbouring lags by more than the remainder of the part period: worked as in the test above.)
    assert estimate_cycle_s([_sines(40), -_sines(40)], 30.0, 1 + _sines(16)) == pytest.approx(4 / 3)


def test_cycle_from_the_feet_apart_alone():
    # Feet signals without rhythm (still: their autocorrelation is 0 at every lag, no peak): the cycle is two
    # steps of the feet-apart distance, whose period is searched from half the shortest cycle (7 frames at
    # 30 fps) to half the longest (75 frames, 2.5 s). A distance repeating every 2 s (60 frames; 20 s, so the
    # remainder of the part period, under 0.001, is below the 0.0027 by which lag 60 stands above 59 and 61):
    # two steps, 4 s.
    still = np.zeros(600)
    assert estimate_cycle_s([still, still], 30.0, 1 + _sines(60, 600)) == pytest.approx(4.0)
    # A distance repeating every 0.2 s (6 frames): the search starts at 7, its first peak there is 12
    # (½ cos(2πL/6): 0.25, −0.25, −0.5, −0.25, 0.25, 0.5 on lags 7…12): two steps, 24 frames, 0.8 s.
    assert estimate_cycle_s([still, still], 30.0, 1 + _sines(6)) == pytest.approx(0.8)


def test_cycle_and_step_at_the_end_of_their_search():
    # 10 fps: the cycle is searched up to 5 s (lag 50), the step up to 2.5 s (lag 25); a peak is known as one
    # only with a lag after it. A 4.9 s rhythm (49 frames, 10 whole periods) peaks at lag 49, the last one but
    # one: ½ cos(2πL/49) stands 0.004 above lags 48 and 50 there, more than the remainder of their part
    # period (under 0.0012). Found: 4.9 s.
    assert estimate_cycle_s([_sines(49, 490)], 10.0) == pytest.approx(4.9)
    # Still feet and a feet-apart distance repeating every 2.4 s (24 frames, 10 periods): the step, at the
    # last lag but one of its search (0.017 above its neighbours), is found; the cycle is two steps, 4.8 s.
    still = np.zeros(240)
    assert estimate_cycle_s([still, still], 10.0, 1 + _sines(24)) == pytest.approx(4.8)


def test_a_foot_point_held_still_gives_zenis_frame_not_nan():
    # A tracker that holds its last point (or a gap filled with a straight line): the heel's or the toe's
    # speed is the same in swing and in foot flat (here 0 everywhere), so the swing has no peak above the
    # foot-flat speed and there is no crossing to read: the ankle's (Zeni's) frame is kept.
    from gaitpose.gait.events import refine_heel_strike, refine_toe_off

    assert refine_heel_strike(np.zeros(30), 12.0, [5.0, 25.0], 10.0, 4.0) == 12.0
    assert refine_toe_off(np.zeros(40), 20.0, [10.0, 30.0], 10.0, 4.0) == 20.0
    # a track gliding at a constant speed: the same
    assert refine_heel_strike(np.arange(30.0), 12.0, [5.0, 25.0], 10.0, 4.0) == 12.0


def test_slow_foot_points_are_refined_as_fast_ones():
    # The rules are relative (a fraction of the swing's own peak), so a heel or toe moving a hundredth as
    # fast — a swing peak of 0.15 or 0.16 units a frame above the foot flat, under one — gives the same frames.
    heel = _track(HEEL_STEPS) * 0.01
    assert refine_heel_strike(heel, 22.0, [10.0, 40.0], fps=10.0, cycle_s=4.0) == pytest.approx(HEEL_HS)
    toe = _track(TOE_STEPS) * 0.01
    assert refine_toe_off(toe, 14.0, [0.0, 25.0], fps=10.0, cycle_s=4.0) == pytest.approx(10.8)

