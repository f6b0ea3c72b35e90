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
