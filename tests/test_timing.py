"""Frame time stamps (issue 16): the effective rate, variable-rate detection and resampling, by hand."""
import numpy as np
import pytest

from gaitpose.timing import frame_timing, resample_uniform


def test_frame_timing_by_hand():
    # 30 fps with one frame dropped (an interval of 2/30): the median interval is 1/30, the dropped
    # frame's interval is 100 % off it → variable.
    t = np.array([0, 1, 2, 4, 5, 6]) / 30
    timing = frame_timing(t)
    assert timing.effective_fps == pytest.approx(30.0)
    assert timing.variable and timing.interval_spread == pytest.approx(1.0)
    # evenly spaced with 5 % jitter on one interval: not variable; unreadable frames (NaN) are skipped
    t = np.array([0, 1, 2.05, 3, np.nan, 5]) / 30
    timing = frame_timing(t)
    assert not timing.variable and timing.effective_fps == pytest.approx(30.0)
    assert timing.interval_spread == pytest.approx(0.05)
    assert frame_timing(np.array([0.0])) is None                  # one stamped frame says nothing
    assert frame_timing(np.array([0.0, 0.1, 0.1])) is None        # time stamps that do not increase


def test_resample_uniform_by_hand():
    # Frames at 0, 1, 2, 4, 5 (×1/30 s), x = 10·frame: the grid at 30 fps is 0…5; frame 3 is the
    # midpoint of 2 and 4 (x 30, score of the nearer frame: a tie takes the earlier); frame 1 has its
    # point missing, so the grid instant 1 is missing too.
    t = np.array([0, 1, 2, 4, 5]) / 30
    pts = np.zeros((5, 1, 3))
    pts[:, 0, 0] = 10 * np.array([0, 1, 2, 4, 5])
    pts[:, 0, 2] = [1.0, 0.9, 0.8, 0.7, 0.6]
    pts[1, 0, :2] = np.nan
    grid, out = resample_uniform(t, pts, 30.0)
    np.testing.assert_allclose(grid, np.arange(6) / 30)
    np.testing.assert_allclose(out[[0, 2, 3, 4, 5], 0, 0], [0, 20, 30, 40, 50])
    assert np.isnan(out[1, 0, 0])
    assert out[2, 0, 2] == 0.8 and out[5, 0, 2] == 0.6
    # a gap of 3 intervals (more than MAX_BRIDGE_INTERVALS = 2.5) is not bridged
    t = np.array([0, 1, 4, 5]) / 30
    pts = np.ones((4, 1, 3))
    _, out = resample_uniform(t, pts, 30.0)
    assert np.isnan(out[2:4, 0, 0]).all() and np.isfinite(out[[0, 1, 4, 5], 0, 0]).all()
