"""Event extrema: what counts as a turning point of the foot's oscillation."""
import warnings

import numpy as np
import pytest

from gaitpose.gait.events import extrema, refine_toe_off


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
