"""The real-clip table's measures, worked by hand on two-frame tracks."""
import numpy as np

from gaitpose.metrics import torso_lengths_px
from gaitpose.real_clips import frames_with_joints, side_agnostic_distances


def _teacher():
    """Frame 0: shoulders at y 0, hips at y 100 (torso 100 px); knees y 150, ankles y 200; left at x 0, right x 10.
    Frame 1: the same, torso 50 px (hips at y 50) and one shoulder missing."""
    kp = np.zeros((2, 8, 3))
    kp[..., 2] = 1.0
    for side, x in ((0, 0.0), (1, 10.0)):
        kp[0, 0 + side, :2] = (x, 0.0)
        kp[0, 2 + side, :2] = (x, 100.0)
        kp[0, 4 + side, :2] = (x, 150.0)
        kp[0, 6 + side, :2] = (x, 200.0)
    kp[1] = kp[0]
    kp[1, 2:4, 1] = 50.0
    kp[1, 0, :2] = np.nan
    return kp


def test_torso_length_is_the_mean_shoulder_hip_distance_of_the_sides_found():
    np.testing.assert_allclose(torso_lengths_px(_teacher()), [100.0, 50.0])


def test_side_agnostic_distance_forgives_exchanged_legs_but_not_misplaced_ones():
    ref = _teacher()
    pred = ref.copy()
    pred[0, [6, 7]] = pred[0, [7, 6]]                 # ankles exchanged in frame 0: distance 0
    pred[0, 4, 0] += 30.0                             # left knee 30 px off (torso 100): pair mean 0.15
    d = side_agnostic_distances(pred, ref)
    # 4 pairs in frame 0, 3 in frame 1 (the shoulder pair is incomplete there); order: pairs, then frames
    assert len(d) == 7
    np.testing.assert_allclose(sorted(d), [0, 0, 0, 0, 0, 0, 0.15])


def test_frames_with_joints_need_four_joints_above_the_score():
    kp = _teacher()
    kp[1, :5, 2] = 0.2                                # frame 1: only joints 5, 6, 7 above 0.3
    assert frames_with_joints(kp, 0.3).tolist() == [True, False]
    assert frames_with_joints(kp, 0.1).tolist() == [True, True]
