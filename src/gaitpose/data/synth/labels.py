"""Joint labels from the geometry: projected pixels, camera depth and COCO visibility."""
from __future__ import annotations

import numpy as np

from gaitpose.skeleton import JOINTS

VISIBLE, OCCLUDED, UNLABELLED = 2, 1, 0


def project(points_nx3_cam: np.ndarray, intrinsics: tuple[float, float, float, float]) -> np.ndarray:
    """Pinhole projection of camera-frame points → N×2 pixels (centres at integer coordinates)."""
    fx, fy, cx, cy = intrinsics
    p = np.asarray(points_nx3_cam, dtype=float)
    return np.stack([fx * p[:, 0] / p[:, 2] + cx, fy * p[:, 1] / p[:, 2] + cy], axis=1)


def joint_labels(joints_8x3_cam: np.ndarray, depth_hxw_m: np.ndarray, intrinsics: tuple[float, float, float, float],
                 margins_8_m: np.ndarray) -> np.ndarray:
    """8×3 [x, y, v]: v = 2 when the first surface on the joint's pixel lies within the joint's own
    margin in front of it, 1 when something nearer covers it, 0 (and x = y = 0) when outside the image.
    """
    assert joints_8x3_cam.shape == (len(JOINTS), 3)
    return point_labels(joints_8x3_cam, depth_hxw_m, intrinsics, margins_8_m)


def point_labels(points_nx3_cam: np.ndarray, depth_hxw_m: np.ndarray, intrinsics: tuple[float, float, float, float],
                 margins_n_m: np.ndarray) -> np.ndarray:
    """N×3 [x, y, v] of any body points (the joints, the heels and toe tips), as `joint_labels`."""
    xy = project(points_nx3_cam, intrinsics)
    height, width = depth_hxw_m.shape
    col, row = np.round(xy[:, 0]).astype(int), np.round(xy[:, 1]).astype(int)
    inside = (col >= 0) & (col < width) & (row >= 0) & (row < height) & (points_nx3_cam[:, 2] > 0)
    hit = np.full(len(points_nx3_cam), np.inf)
    hit[inside] = depth_hxw_m[row[inside], col[inside]]
    visible = hit >= points_nx3_cam[:, 2] - margins_n_m
    v = np.where(inside, np.where(visible, VISIBLE, OCCLUDED), UNLABELLED)
    out = np.column_stack([xy, v]).astype(float)
    out[~inside, :2] = 0.0
    return out
