"""Pinhole camera: projections worked out by hand."""
import numpy as np
import pytest

from gaitpose.data.camera import PinholeCamera


def _side_camera(roll_deg=0.0):
    # 3 m to the walker's right (−y), 1 m high, looking at (0, 0, 1).
    return PinholeCamera.look_at(1000, 1000, 640, 360, [0, -3, 1], [0, 0, 1], roll_deg)


def test_axis_point_at_principal_point_with_depth():
    px, depth = _side_camera().project(np.array([[0.0, 0.0, 1.0]]))
    np.testing.assert_allclose(px, [[640, 360]], atol=1e-9)
    assert depth[0] == pytest.approx(3.0)


def test_world_x_is_image_right_and_up_is_image_up():
    px, _ = _side_camera().project(np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 2.5]]))
    np.testing.assert_allclose(px[0], [640 + 1000 / 3, 360], atol=1e-9)
    np.testing.assert_allclose(px[1], [640, 360 - 1500 / 3], atol=1e-9)


def test_roll_90_turns_content_counter_clockwise():
    px, _ = _side_camera(90.0).project(np.array([[1.0, 0.0, 1.0]]))
    np.testing.assert_allclose(px[0], [640, 360 - 1000 / 3], atol=1e-9)


def test_depth_of_point_nearer_camera():
    _, depth = _side_camera().project(np.array([[0.0, -1.0, 1.0]]))
    assert depth[0] == pytest.approx(2.0)
