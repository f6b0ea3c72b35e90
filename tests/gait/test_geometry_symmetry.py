"""Geometry, D_ps, swap repair and floor estimation, pinned with hand-worked numbers."""
import math

import numpy as np
import pytest

from gaitpose.gait.clean import fill_short_gaps, repair_swaps
from gaitpose.gait.geometry import Camera, estimate_floor_angle, joint_angles, segment_angle_deg, to_camera_plane
from gaitpose.gait.spatiotemporal import phase_symmetry_index


def test_segment_angle_sign_follows_walking_direction():
    top, bottom = np.array([[0.0, 0.0]]), np.array([[1.0, -1.0]])  # down and to image right
    assert segment_angle_deg(top, bottom, +1)[0] == pytest.approx(45.0)
    assert segment_angle_deg(top, bottom, -1)[0] == pytest.approx(-45.0)


def test_knee_flexion_and_non_square_pixels():
    # Pixels (y down): hip (100, 100), knee (150, 200), ankle (100, 300); fx = 1, fy = 2 halves the
    # vertical extent: thigh vector (50, -50) → 45° forward, shank (-50, -50) → -45°, knee 90°.
    kp = np.full((1, 8, 3), np.nan)
    kp[0, 2] = (100, 100, 1)
    kp[0, 4] = (150, 200, 1)
    kp[0, 6] = (100, 300, 1)
    xy = to_camera_plane(kp, Camera(fx=1.0, fy=2.0))
    a = joint_angles(xy, +1)
    assert a["left_thigh_deg"][0] == pytest.approx(45.0)
    assert a["left_shank_deg"][0] == pytest.approx(-45.0)
    assert a["left_knee_deg"][0] == pytest.approx(90.0)


def test_phase_symmetry_index_by_hand():
    assert phase_symmetry_index(1.2, {"left": 0.72, "right": 0.72}, {"left": 0.48, "right": 0.48}) == pytest.approx(1.0)
    expected = math.sqrt(1.2 / 1.0) * (0.62 * 0.60 / 0.66 + 0.38 * 0.34 / 0.40)
    assert phase_symmetry_index(1.0, {"left": 0.60, "right": 0.66}, {"left": 0.40, "right": 0.34}) == pytest.approx(expected)


def test_floor_angle_from_resting_ankles():
    # Footprints on a line tilted 5° (counter-clockwise), swing arcs above it.
    t = np.linspace(0, 4 * np.pi, 400)
    along = np.linspace(0, 4, 400)
    lift = 0.15 * np.clip(np.sin(t), 0, None)
    tilt = math.radians(5)
    xy = np.full((400, 8, 2), np.nan)
    for ankle, phase in ((6, 0.0), (7, np.pi)):
        lift_k = 0.15 * np.clip(np.sin(t + phase), 0, None)
        xy[:, ankle, 0] = along * math.cos(tilt) - lift_k * math.sin(tilt)
        xy[:, ankle, 1] = along * math.sin(tilt) + lift_k * math.cos(tilt)
    assert math.degrees(estimate_floor_angle(xy, min_span=0.5)) == pytest.approx(5.0, abs=0.05)
    del lift


def test_swap_repair_restores_swapped_frames():
    t = np.arange(60) / 30
    kp = np.zeros((60, 8, 3))
    kp[..., 2] = 1
    for j, phase in enumerate(np.repeat([0.0, np.pi], 4).reshape(2, 4).T.ravel()):
        kp[:, j, 0] = 100 * np.sin(2 * np.pi * t + phase) + 10 * j
        kp[:, j, 1] = 20 * j
    bad = kp.copy()
    for f in (10, 11, 30):
        bad[f, [4, 5, 6, 7]] = kp[f, [5, 4, 7, 6]]
    fixed, counts, agreement = repair_swaps(bad, body_scale=100.0)
    assert agreement is None                       # no frame rate: continuity decides
    np.testing.assert_allclose(fixed, kp)
    assert counts["knee"] == 3 and counts["ankle"] == 3


def test_short_gaps_filled_long_gaps_kept():
    x = np.arange(20, dtype=float)
    x[3:5] = np.nan       # 2 frames: filled
    x[10:16] = np.nan     # 6 frames: kept
    y = fill_short_gaps(x, max_gap_frames=3)
    assert y[3] == pytest.approx(3.0) and y[4] == pytest.approx(4.0)
    assert np.isnan(y[10:16]).all()


def test_pair_midpoint_uses_the_present_point_and_stays_silent():
    import warnings

    from gaitpose.gait.geometry import mean_of_present

    pairs = np.array([[[0, 0], [2, 4]], [[np.nan, np.nan], [1, 3]], [[np.nan, np.nan], [np.nan, np.nan]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mid = mean_of_present(pairs)
    np.testing.assert_array_equal(mid[:2], [[1, 2], [1, 3]])
    assert np.isnan(mid[2]).all()


def test_ankle_labels_follow_the_legs_through_their_crossings():
    """Ankles crossing every 0.5 s (x = ±50 sin(2π t)); the detector mislabels 30 % of frames at random
    (the side-view failure): each leg is recovered, and the labels' agreement is reported."""
    from gaitpose.gait.clean import ankle_labels_by_crossings

    fps = 30.0
    t = np.arange(120) / fps
    kp = np.zeros((120, 8, 3))
    kp[..., 2] = 1.0
    kp[:, 6, 0], kp[:, 7, 0] = 50 * np.sin(2 * np.pi * t), -50 * np.sin(2 * np.pi * t)
    kp[:, 6, 1] = kp[:, 7, 1] = 300.0
    rng = np.random.default_rng(0)
    flipped = rng.random(120) < 0.3
    bad = kp.copy()
    bad[flipped, 6], bad[flipped, 7] = kp[flipped, 7], kp[flipped, 6]
    swap, agreement = ankle_labels_by_crossings(bad, fps)
    clear = np.abs(kp[:, 6, 0] - kp[:, 7, 0]) > 0.25 * 0.4 * 100 * 0.988   # away from the crossings
    np.testing.assert_array_equal(swap[clear], flipped[clear])
    # agreement also counts the frames at the crossings (order undefined there, 8 of 120 frames)
    assert agreement == pytest.approx(1 - flipped.mean(), abs=0.07)
    fixed, counts, reported = repair_swaps(bad, body_scale=100.0, fps=fps)
    np.testing.assert_allclose(fixed[:, 6:, :2], kp[:, 6:, :2], atol=1e-9)   # continuity settles the crossings
    assert reported == pytest.approx(agreement)


def test_step_lengths_need_a_recent_footprint_ahead_of_the_other_foot():
    from gaitpose.gait.spatiotemporal import Stride, StrideSet, add_lengths
    # Left strides 30→90 and 90→150 (60 frames each at 30 fps). Footprints (m): right at frame 0 (0.2 m)
    # and frame 60 (1.5 m), left at 30 (0.9 m), 90 (1.2 m) and 150 (2.1 m).
    prints = {"left": [(30.0, 0.9), (90.0, 1.2), (150.0, 2.1)], "right": [(0.0, 0.2), (60.0, 1.5)]}
    strides = StrideSet([Stride("left", 30.0, 90.0, 70.0, 2.0, 4 / 3, 2 / 3, 66.7),
                         Stride("left", 90.0, 150.0, 130.0, 2.0, 4 / 3, 2 / 3, 66.7)])
    add_lengths(strides, prints, {"left": {}, "right": {}}, fps=30.0)
    first, second = strides.strides
    assert first.step_length_m == pytest.approx(0.7)       # 0.9 − 0.2, the right footprint of frame 0
    assert first.stride_length_m == pytest.approx(0.3)     # 1.2 − 0.9
    assert first.speed_m_s == pytest.approx(0.15)          # 0.3 m in 2 s
    assert math.isnan(second.step_length_m)                # 1.2 − 1.5 = −0.3: landed behind the right foot
    assert second.stride_length_m == pytest.approx(0.9)    # 2.1 − 1.2
    assert strides.dropped == ["left step at 3.00 s: step length -0.30 m (the foot landed behind the other: "
                               "legs exchanged or a foot misplaced)"]
    # A right footprint older than one stride (frame 0 for the stride starting at 90) is not used.
    late = StrideSet([Stride("left", 90.0, 150.0, 130.0, 2.0, 4 / 3, 2 / 3, 66.7)])
    add_lengths(late, {"left": prints["left"], "right": [(0.0, 0.2)]}, {"left": {}, "right": {}}, fps=30.0)
    assert math.isnan(late.strides[0].step_length_m) and late.dropped == []


def test_pixels_to_camera_plane_by_hand():
    # (150, 50) px with fx 50, fy 25 and the principal point at (100, 100): x = (150 − 100)/50 = 1,
    # y = (50 − 100)/25 = −2 down, so 2 up.
    kp = np.array([[[150.0, 50.0, 1.0], [np.nan, np.nan, np.nan]] + [[100.0, 100.0, 1.0]] * 6])
    xy = to_camera_plane(kp, Camera(fx=50.0, fy=25.0, cx=100.0, cy=100.0))
    np.testing.assert_allclose(xy[0, 0], [1.0, 2.0])
    assert np.isnan(xy[0, 1]).all()
    np.testing.assert_allclose(xy[0, 2], [0.0, 0.0])


def test_distortion_is_removed():
    # Radial k1 = 0.1: an undistorted point at x = 0.5 is seen at 0.5 (1 + 0.1 · 0.25) = 0.5125, i.e.
    # 100 + 200 · 0.5125 = 202.5 px with fx = 200, cx = 100; removing the distortion brings it back.
    kp = np.full((1, 8, 3), np.nan)
    kp[0, 0] = (202.5, 100.0, 1.0)
    kp[0, 1] = (100.0, 100.0, 1.0)
    xy = to_camera_plane(kp, Camera(fx=200.0, fy=200.0, cx=100.0, cy=100.0, dist=(0.1, 0.0, 0.0, 0.0)))
    np.testing.assert_allclose(xy[0, 0], [0.5, 0.0], atol=1e-4)
    np.testing.assert_allclose(xy[0, 1], [0.0, 0.0], atol=1e-9)
    assert np.isnan(xy[0, 2:]).all()


def test_rotation_and_trunk_relative_hip_by_hand():
    from gaitpose.gait.geometry import rotate

    np.testing.assert_allclose(rotate(np.array([[1.0, 0.0], [0.0, 2.0]]), math.pi / 2), [[0.0, 1.0], [-2.0, 0.0]],
                               atol=1e-12)
    # Shoulders at (1, 10), hips at (0, 0), knees at (0, −5): the trunk leans forward by atan(1/10) =
    # 5.71° (from shoulder down to hip the line points back: −5.71°), the thigh hangs straight (0°),
    # so the hip is flexed 5.71° relative to the trunk.
    xy = np.zeros((1, 8, 2))
    xy[0, [0, 1]] = (1.0, 10.0)
    xy[0, [4, 5]] = (0.0, -5.0)
    xy[0, [6, 7]] = (0.0, -10.0)
    a = joint_angles(xy, +1)
    assert a["left_hip_trunk_deg"][0] == pytest.approx(math.degrees(math.atan(0.1)))
    assert a["right_hip_trunk_deg"][0] == pytest.approx(math.degrees(math.atan(0.1)))
    assert a["left_hip_deg"][0] == pytest.approx(0.0) and a["left_knee_deg"][0] == pytest.approx(0.0)


def _standing_legs(n: int, pelvis_x: np.ndarray, knee_ahead: float) -> np.ndarray:
    """T×8×2: hips at (pelvis_x, 0), knees `knee_ahead` along +x at y −1, ankles below the hips at y −2."""
    xy = np.zeros((n, 8, 2))
    xy[:, [0, 1], 1] = 1.0
    xy[:, [0, 1, 2, 3], 0] = pelvis_x[:, None]
    xy[:, [4, 5], 0] = pelvis_x[:, None] + knee_ahead
    xy[:, [4, 5], 1] = -1.0
    xy[:, [6, 7], 0] = pelvis_x[:, None]
    xy[:, [6, 7], 1] = -2.0
    return xy


def test_walking_direction_from_the_pelvis_or_on_a_treadmill_from_the_knees():
    from gaitpose.gait.geometry import detect_direction

    n = 20
    # the pelvis travels 1.9 (more than a thigh length, 1.0) to the right, or to the left
    assert detect_direction(_standing_legs(n, np.linspace(0, 1.9, n), 0.1), thigh_len=1.0) == (1, False)
    assert detect_direction(_standing_legs(n, np.linspace(0, -1.9, n), -0.1), thigh_len=1.0) == (-1, False)
    # it travels 0.5 only: a treadmill, and the knees, in front of the hip–ankle line, show the way
    assert detect_direction(_standing_legs(n, np.linspace(0, 0.5, n), 0.1), thigh_len=1.0) == (1, True)
    assert detect_direction(_standing_legs(n, np.linspace(0, 0.5, n), -0.1), thigh_len=1.0) == (-1, True)


def test_no_floor_line_without_enough_ankle_travel():
    xy = np.zeros((40, 8, 2))
    xy[:, 6, 0] = np.linspace(0, 0.3, 40)
    xy[:, 7, 0] = np.linspace(0, 0.3, 40)
    assert estimate_floor_angle(xy, min_span=0.5) is None
    xy[:, 6, 0] = xy[:, 7, 0] = np.linspace(0, 2.0, 40)
    xy[:, 6, 1] = xy[:, 7, 1] = 0.1 * np.linspace(0, 2.0, 40)    # a straight line at atan(0.1)
    assert estimate_floor_angle(xy, min_span=0.5) == pytest.approx(math.atan(0.1))
    xy[5:, 6] = np.nan                                           # left ankle: only 5 frames → right alone
    assert estimate_floor_angle(xy, min_span=0.5) == pytest.approx(math.atan(0.1))
