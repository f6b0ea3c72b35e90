"""World convention and small vector helpers shared by the body, exoskeleton and scene builders.

World: metres, floor at z = 0, z up; the walker progresses along ±x and its lateral axis is y.
"""
from __future__ import annotations

import numpy as np

UP = np.array([0.0, 0.0, 1.0])


def unit(v: np.ndarray) -> np.ndarray:
    """v / |v| (last axis)."""
    v = np.asarray(v, dtype=float)
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def frame(axis_z: np.ndarray, hint_x: np.ndarray) -> np.ndarray:
    """Rotation whose third column is unit(axis_z) and first column the part of hint_x orthogonal to it."""
    z = unit(axis_z)
    x = unit(hint_x - (hint_x @ z) * z)
    return np.stack([x, np.cross(z, x), z], axis=1)


def body_axes(pose: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(forward, right) unit vectors of the body in the floor plane, from the hips."""
    right = pose["right_hip"] - pose["left_hip"]
    right = unit(right - (right @ UP) * UP)
    return np.cross(UP, right), right


def sagittal_angle_rad(vector: np.ndarray, forward: np.ndarray) -> float:
    """Angle of a segment vector from the downward vertical, positive forward (SPEC §8 sign)."""
    return float(np.arctan2(vector @ forward, -(vector @ UP)))


def two_link(root: np.ndarray, target: np.ndarray, l1: float, l2: float, bend: np.ndarray) -> np.ndarray:
    """Middle joint (knee, elbow) of a chain of lengths l1, l2 from `root` to `target`, bent towards `bend`."""
    to = target - root
    dist = float(np.clip(np.linalg.norm(to), abs(l1 - l2) + 1e-6, l1 + l2 - 1e-6))
    axis = unit(to)
    along = (l1 * l1 - l2 * l2 + dist * dist) / (2 * dist)
    side = np.sqrt(max(l1 * l1 - along * along, 0.0))
    return root + along * axis + side * unit(bend - (bend @ axis) * axis)
