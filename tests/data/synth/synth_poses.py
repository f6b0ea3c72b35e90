"""A hand-built mid-stance pose (world: z up, walking +x, left = +y) for renderer tests."""
from __future__ import annotations

import numpy as np


def mid_stance_pose(height_m: float = 1.75) -> dict[str, np.ndarray]:
    """Left leg straight under the hip, right leg swinging forward with a bent knee (metres)."""
    s = height_m / 1.75
    hip_z, thigh, shank = 0.92 * s, 0.43 * s, 0.43 * s
    pose = {"pelvis": np.array([0.0, 0.0, hip_z]), "neck": np.array([0.0, 0.0, 1.47 * s]),
            "head": np.array([0.02, 0.0, 1.62 * s])}
    for side, y in (("left", 0.09), ("right", -0.09)):
        pose[f"{side}_hip"] = np.array([0.0, y * s, hip_z])
        pose[f"{side}_shoulder"] = np.array([0.0, 2.2 * y * s, 1.43 * s])
    pose["left_knee"] = pose["left_hip"] - [0, 0, thigh]
    pose["left_ankle"] = pose["left_knee"] - [0, 0, shank - 0.08 * s]
    th, ph = np.deg2rad(25), np.deg2rad(-20)  # thigh forward, shank backward (knee flexed 45°)
    pose["right_knee"] = pose["right_hip"] + thigh * np.array([np.sin(th), 0, -np.cos(th)])
    pose["right_ankle"] = pose["right_knee"] + (shank - 0.08 * s) * np.array([np.sin(ph), 0, -np.cos(ph)])
    for side in ("left", "right"):
        a = pose[f"{side}_ankle"]
        pose[f"{side}_heel"] = a + [-0.05 * s, 0, -a[2]] if side == "left" else a + [-0.05 * s, 0, -0.07 * s]
        pose[f"{side}_toe"] = pose[f"{side}_heel"] + [0.25 * s, 0, 0]
    return pose

