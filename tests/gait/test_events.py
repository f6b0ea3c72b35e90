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
