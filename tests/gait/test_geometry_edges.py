"""Geometry at its edges, worked by hand (the cases mutation testing found unpinned): a rotation at a
generic angle on T×8×2 tracks, the floor line's preconditions, the walking direction from a pelvis seen
on part of the recording, and from the knees in the three leg postures of a stride."""
import math

import numpy as np
import pytest

from gaitpose.gait.geometry import _lower_envelope_slope, detect_direction, estimate_floor_angle, knee_facing, rotate
from gaitpose.skeleton import SIDE_JOINTS


def test_rotation_by_thirty_degrees_of_tracks():
    # cos 30° = √3/2, sin 30° = 1/2: (1, 2) → (√3/2 − 1, 1/2 + √3); (3, −1) → (3√3/2 + 1/2, 3/2 − √3/2).
    # The input is T×J×2 (one frame, two joints), as the pipeline passes it.
    out = rotate(np.array([[[1.0, 2.0], [3.0, -1.0]]]), math.radians(30))
    r3 = math.sqrt(3)
    np.testing.assert_allclose(out, [[[r3 / 2 - 1, 0.5 + r3], [3 * r3 / 2 + 0.5, 1.5 - r3 / 2]]], atol=1e-12)


def _ankles(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """T×8×2 with both ankles at (x, y) and every other joint missing."""
    xy = np.full((len(x), 8, 2), np.nan)
    xy[:, 6, 0] = xy[:, 7, 0] = x
    xy[:, 6, 1] = xy[:, 7, 1] = y
    return xy


def test_floor_line_preconditions():
    # A level floor (y constant) is a line of slope 0, not "no line".
    x = np.linspace(0.0, 2.0, 30)
    assert estimate_floor_angle(_ankles(x, np.full(30, -1.0)), min_span=0.5) == pytest.approx(0.0, abs=1e-12)
    # Ankles spanning 0.6 (camera-plane units, less than 1) with min_span 0.5: the line is fitted.
    x = np.linspace(0.0, 0.6, 30)
    assert estimate_floor_angle(_ankles(x, 0.1 * x), min_span=0.5) == pytest.approx(math.atan(0.1))
    # Exactly 10 frames with ankles are enough (the other 10 missing).
    x = np.r_[np.linspace(0.0, 2.0, 10), np.full(10, np.nan)]
    assert estimate_floor_angle(_ankles(x, 0.2 * x), min_span=0.5) == pytest.approx(math.atan(0.2))
    # The fit itself needs 10 points spread along x.
    assert _lower_envelope_slope(np.stack([np.arange(9.0), np.zeros(9)], 1)) is None
    assert _lower_envelope_slope(np.stack([np.full(12, 3.0), np.arange(12.0)], 1)) is None


def _legs(n: int, pelvis_x: np.ndarray, knee_x: float, ankle_x: float) -> np.ndarray:
    """T×8×2, X right, Y up: both hips at (pelvis_x, 1), knees at (pelvis_x + knee_x, 0.5), ankles at
    (pelvis_x + ankle_x, 0)."""
    xy = np.zeros((n, 8, 2))
    xy[:, [2, 3], 0] = pelvis_x[:, None]
    xy[:, [2, 3], 1] = 1.0
    xy[:, [4, 5], 0] = pelvis_x[:, None] + knee_x
    xy[:, [4, 5], 1] = 0.5
    xy[:, [6, 7], 0] = pelvis_x[:, None] + ankle_x
    return xy


def test_direction_from_the_knees_in_each_posture_of_a_stride():
    # On a treadmill (pelvis still) the knee lies in front of the hip–ankle line. At mid-height (y 0.5) that
    # line is at x = ankle_x / 2, so the knee is in front when knee_x > ankle_x / 2:
    # ankle ahead (heel strike) 0.4 / knee 0.3 (line at 0.2); ankle behind (late stance) −0.4 / knee 0.1
    # (line at −0.2); ankle far behind −0.6 / knee −0.1 (line at −0.3): all facing +x. Mirrored: facing −x.
    still = np.zeros(12)
    for knee_x, ankle_x in ((0.3, 0.4), (0.1, -0.4), (-0.1, -0.6)):
        assert detect_direction(_legs(12, still, knee_x, ankle_x), thigh_len=0.5) == (1, True), (knee_x, ankle_x)
        assert detect_direction(_legs(12, still, -knee_x, -ankle_x), thigh_len=0.5) == (-1, True), (knee_x, ankle_x)
    # Straight legs all along (knee on the line): no evidence either way; facing +x is the default.
    assert detect_direction(_legs(12, still, 0.2, 0.4), thigh_len=0.5) == (1, True)


def test_direction_from_the_pelvis_travel_over_the_frames_it_is_seen():
    # Knees behind the line (they alone would say −x), pelvis moving +0.1 a frame.
    n = 20
    # Camera-plane units are small: +0.03 a frame travels 0.03 × 19 = 0.57, at least a thigh of 0.5.
    assert detect_direction(_legs(n, 0.03 * np.arange(n), knee_x=-0.1, ankle_x=0.0), thigh_len=0.5) == (1, False)
    xy = _legs(n, 0.1 * np.arange(n), knee_x=-0.1, ankle_x=0.0)
    # Hips missing on frames 0-4: the pelvis is seen on frames 5-19, travelling 0.1 × (19 − 5) = 1.4. That is
    # at least a thigh of 1.35 (overground), but less than one of 2.0 (treadmill, the knees decide).
    xy[:5, [2, 3]] = np.nan
    assert detect_direction(xy, thigh_len=1.35) == (1, False)
    assert detect_direction(xy, thigh_len=2.0) == (-1, True)
    # Seen on two frames only (5 and 19): their travel, 1.4, still counts.
    xy[6:19, [2, 3]] = np.nan
    assert detect_direction(xy, thigh_len=1.35) == (1, False)


def test_floor_line_weights_each_ankle_by_its_span_and_takes_an_exact_min_span():
    # Left ankle on y = 0.1 x over x 0…2, right ankle on y = 0.3 x over x 0…1: the angles are weighted by the
    # spans along x (2 and 1), not averaged nor weighted by the rise (0.2 and 0.3).
    xy = np.full((40, 8, 2), np.nan)
    xy[:, 6, 0] = np.linspace(0.0, 2.0, 40)
    xy[:, 6, 1] = 0.1 * xy[:, 6, 0]
    xy[:, 7, 0] = np.linspace(0.0, 1.0, 40)
    xy[:, 7, 1] = 0.3 * xy[:, 7, 0]
    assert estimate_floor_angle(xy, min_span=0.5) == pytest.approx((2 * math.atan(0.1) + math.atan(0.3)) / 3)
    # A span of exactly min_span is enough.
    x = np.linspace(0.0, 0.5, 30)
    assert estimate_floor_angle(_ankles(x, 0.1 * x), min_span=0.5) == pytest.approx(math.atan(0.1))


def test_lower_envelope_refits_on_the_lowest_quarter():
    # 10 resting ankle positions on a level floor (y 0, x 0…0.9) and 10 swing positions 0.2 above it, all on
    # the right (x 0.5…0.95). The fit through all 20 rises to the right; the lowest quarter of its residuals
    # (5 points) are resting positions on the right, all at y 0: refitted, the line is level, and stays so.
    p = np.r_[np.stack([np.arange(10) / 10, np.zeros(10)], 1), np.stack([0.5 + np.arange(10) / 20, np.full(10, 0.2)], 1)]
    assert _lower_envelope_slope(p) == pytest.approx(0.0, abs=1e-9)


def test_lower_envelope_keeps_its_fit_when_a_quarter_is_too_few_points():
    # 3 points on y = 0.1 x at x 3, 4, 5 and 9 points 0.5 above that line at x 0…8: both groups centred on
    # x = 4, so the fit through all 12 has slope 0.1 (residuals −0.375 and +0.125). Its lowest quarter (the
    # 1/4 quantile, at position 2.75 of 12: 0.0) is the 3 lower points, fewer than 5: the fit stands.
    x_low, x_high = np.array([3.0, 4.0, 5.0]), np.arange(9.0)
    p = np.r_[np.stack([x_low, 0.1 * x_low], 1), np.stack([x_high, 0.1 * x_high + 0.5], 1)]
    assert _lower_envelope_slope(p) == pytest.approx(math.atan(0.1))


def test_distortion_removed_from_points_off_both_axes():
    from gaitpose.gait.geometry import Camera, to_camera_plane

    # k1 = 0.1, fx = fy = 200, principal point (100, 100). Undistorted (0.5, 0): r² 0.25, seen at 0.5 · 1.025 =
    # 0.5125 → (202.5, 100) px. Undistorted (0, 0.25) (below the centre in the image): r² 0.0625, seen at
    # 0.25 · 1.00625 = 0.2515625 → (100, 150.3125) px, and 0.25 *down* is −0.25 with Y up. Scores 0.7.
    kp = np.full((1, 8, 3), np.nan)
    kp[0, 0] = (202.5, 100.0, 0.7)
    kp[0, 1] = (100.0, 150.3125, 0.7)
    xy = to_camera_plane(kp, Camera(fx=200.0, fy=200.0, cx=100.0, cy=100.0, dist=(0.1, 0.0, 0.0, 0.0)))
    np.testing.assert_allclose(xy[0, :2], [[0.5, 0.0], [0.0, -0.25]], atol=1e-4)
    assert xy.shape == (1, 8, 2) and np.isnan(xy[0, 2:]).all()


def test_knee_facing_by_hand():
    # Y up; both hips at (10, 5), both ankles at (11, 3): the hip→ankle line runs (1, −2), |a − h| = √5, and at
    # the knees' height y = 4.2 it passes x = 10.4. Left knee (10.7, 4.2): cross product 1·(−0.8) − (−2)·0.7 =
    # 0.6, so 0.6/√5 in front; right knee (10.5, 4.2): −0.8 + 1.0 = 0.2, 0.2/√5. In units of 0.5:
    # (1.2 + 0.4)/√5 = 1.6/√5 (facing right).
    xy = np.full((3, 8, 2), np.nan)
    j = {side: SIDE_JOINTS[side] for side in ("left", "right")}
    for side, knee_x in (("left", 10.7), ("right", 10.5)):
        xy[:, j[side]["hip"]] = (10.0, 5.0)
        xy[:, j[side]["knee"]] = (knee_x, 4.2)
        xy[:, j[side]["ankle"]] = (11.0, 3.0)
    xy[1] *= (-1.0, 1.0)                               # frame 1 mirrored: facing left, −1.6/√5
    # Frame 2: no left knee (the right leg alone counts), and the right ankle at (11.25, 3) = hip + 2.5 × (knee −
    # hip): the knee lies on the hip→ankle line, 0.
    xy[2, j["left"]["knee"]] = np.nan
    xy[2, j["right"]["ankle"]] = (11.25, 3.0)
    f = knee_facing(xy, 0.5)
    assert f[0] == pytest.approx(1.6 / math.sqrt(5)) and f[1] == pytest.approx(-1.6 / math.sqrt(5))
    assert f[2] == pytest.approx(0.0, abs=1e-12)
    xy[2, j["right"]["hip"]] = np.nan
    assert np.isnan(knee_facing(xy, 0.5)[2])           # no whole leg: unknown
