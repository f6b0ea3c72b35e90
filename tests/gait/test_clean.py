"""Cleaning: knees that break a rigid thigh or shank are dropped."""
import numpy as np

from gaitpose.gait.clean import drop_implausible_knees
from gaitpose.skeleton import SIDE_JOINTS


def test_knee_off_the_leg_is_dropped_and_a_slightly_moved_one_kept():
    # Both legs straight down: hip (0, 0), knee (0, 40), ankle (0, 80) → thigh = shank = 40 px.
    kp = np.full((20, 8, 3), 1.0)
    for side in ("left", "right"):
        j = SIDE_JOINTS[side]
        kp[:, j["hip"], :2] = (0, 0)
        kp[:, j["knee"], :2] = (0, 40)
        kp[:, j["ankle"], :2] = (0, 80)
    left_knee = SIDE_JOINTS["left"]["knee"]
    kp[5, left_knee, :2] = (35, 40)   # thigh = shank = hypot(35, 40) = 53.2 px: 33 % long → dropped
    kp[6, left_knee, :2] = (10, 40)   # hypot(10, 40) = 41.2 px: 3 % long → kept
    kp[7, left_knee, :2] = (0, 25)    # thigh 25 px (−37.5 %), shank 55 px (+37.5 %) → dropped
    out, dropped = drop_implausible_knees(kp)
    assert dropped == 2
    assert np.isnan(out[5, left_knee, :2]).all() and np.isnan(out[7, left_knee, :2]).all()
    assert (out[6, left_knee, :2] == (10, 40)).all()
    assert np.isfinite(np.delete(out[:, left_knee, 0], [5, 7])).all()
    assert np.isfinite(out[:, SIDE_JOINTS["right"]["knee"], 0]).all()


def test_score_threshold_and_gap_filling_by_hand():
    import pytest

    from gaitpose.gait.clean import apply_score_threshold, fill_short_gaps

    kp = np.ones((3, 8, 3))
    kp[0, 0, 2] = 0.29
    kp[1, 1, 2] = 0.3                                  # exactly at the threshold: kept
    kp[2, 2, :2] = np.nan                              # already missing: not counted
    kp[2, 2, 2] = 0.0
    out, low = apply_score_threshold(kp, 0.3)
    assert low == 1 and np.isnan(out[0, 0, :2]).all() and out[0, 0, 2] == 0.29
    assert np.isfinite(out[1, 1, :2]).all() and np.isfinite(kp[0, 0, :2]).all()     # input untouched
    x = np.array([np.nan, 1.0, np.nan, np.nan, np.nan, 5.0, np.nan, np.nan, np.nan, np.nan, 10.0, np.nan])
    y = fill_short_gaps(x, max_gap_frames=3)
    np.testing.assert_allclose(y[1:6], [1.0, 2.0, 3.0, 4.0, 5.0])   # a gap of exactly 3 is filled
    assert np.isnan(y[[0, 6, 7, 8, 9, 11]]).all()                  # ends and the 4-frame gap stay
    assert np.isnan(fill_short_gaps(np.array([np.nan, 1.0, np.nan]), 3)[[0, 2]]).all()


def test_lowpass_has_its_cutoff_where_asked():
    import pytest

    from gaitpose.gait.clean import lowpass

    # The forwards-backwards 2nd-order Butterworth squares the filter's gain; designed at 6/0.802 Hz it
    # passes 6 Hz at 1/√2 (−3 dB; Winter 2009, §3.4.4), 1 Hz almost whole and 20 Hz hardly at all.
    t = np.arange(1000) / 100.0
    middle = slice(300, 700)

    def gain(f_hz: float) -> float:
        return float(np.abs(lowpass(np.sin(2 * np.pi * f_hz * t), 100.0, 6.0)[middle]).max())

    assert gain(6.0) == pytest.approx(2 ** -0.5, abs=0.01)
    assert gain(1.0) == pytest.approx(1.0, abs=0.01)
    assert gain(20.0) < 0.02
    # a run of 15 frames or fewer is left as it is; so is everything when the cutoff nears Nyquist
    short = np.r_[np.sin(np.arange(15.0)), np.nan, np.sin(np.arange(30.0))]
    y = lowpass(short, 100.0, 6.0)
    np.testing.assert_array_equal(y[:16], short[:16])
    assert not np.allclose(y[16:], short[16:])
    np.testing.assert_array_equal(lowpass(short, 10.0, 6.0), short)


def test_cleaning_report_counts_by_hand():
    from gaitpose.gait.clean import clean_keypoints

    # 40 frames of a still skeleton (no swaps, every segment its usual length); joint 0 has a 3-frame
    # gap (filled at 30 fps with max_gap 0.1 s = 3 frames) and joint 1 a 5-frame gap (kept); joint 2
    # scores 0.1 on 2 frames (removed, then filled).
    kp = np.zeros((40, 8, 3))
    kp[..., 2] = 0.9
    kp[:, :, 0] = np.arange(8) * 10.0
    kp[:, :, 1] = [0, 0, 50, 50, 100, 100, 150, 150]
    kp[10:13, 0] = np.nan                              # missing joints (as read from a CSV: no score either)
    kp[20:25, 1] = np.nan
    kp[30:32, 2, 2] = 0.1
    out, report = clean_keypoints(kp, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=6.0, body_scale=100.0)
    assert report.low_score_points == 2
    assert report.filled_points == 3 + 2 and report.missing_points == 5
    assert report.filtered and report.implausible_knees == 0
    assert np.isnan(out[20:25, 1, :2]).all() and np.isnan(out[20:25, 1, 2]).all()
    np.testing.assert_allclose(out[10:13, 0, :2], [[0.0, 0.0]] * 3, atol=1e-9)
    assert (out[30:32, 2, 2] == 0.0).all()           # a removed, then filled point has no score of its own:
    assert (out[10:13, 0, 2] == 0.0).all()           # 0, as a filled point never detected
