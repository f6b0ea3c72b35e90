"""A pinhole camera: intrinsics (fx, fy, cx, cy) and a pose from position, look-at point and roll.

Camera axes follow OpenCV: x right, y down, z forward (optical axis). World: z up (see
`gaitpose.data.walker`). Pixel centres are at integer coordinates:
`u = fx·x_c/z_c + cx`, `v = fy·y_c/z_c + cy` (SPEC §8 inverts this).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

WORLD_UP = np.array([0.0, 0.0, 1.0])


@dataclass(frozen=True)
class PinholeCamera:
    """World→camera: p_c = R·p_w + t. `rotation` rows are the camera x, y, z axes in world coordinates."""

    fx: float
    fy: float
    cx: float
    cy: float
    rotation: np.ndarray      # 3×3
    translation: np.ndarray   # 3

    @classmethod
    def look_at(cls, fx: float, fy: float, cx: float, cy: float, position_m: np.ndarray,
                target_m: np.ndarray, roll_deg: float = 0.0) -> "PinholeCamera":
        """Camera at `position_m` looking at `target_m`, horizon level, then rolled by `roll_deg`.

        Positive roll turns the camera clockwise about its optical axis as seen from behind it, so
        the image content turns counter-clockwise on screen (x right, y down).
        """
        eye = np.asarray(position_m, float)
        z = np.asarray(target_m, float) - eye
        z = z / np.linalg.norm(z)
        x = np.cross(z, WORLD_UP)
        if np.linalg.norm(x) < 1e-9:
            raise ValueError("look_at: the optical axis is vertical; roll is undefined")
        x = x / np.linalg.norm(x)
        y = np.cross(z, x)
        c, s = np.cos(np.deg2rad(roll_deg)), np.sin(np.deg2rad(roll_deg))
        rotation = np.stack([c * x + s * y, -s * x + c * y, z])
        return cls(float(fx), float(fy), float(cx), float(cy), rotation, -rotation @ eye)

    def to_camera(self, points_world_nx3: np.ndarray) -> np.ndarray:
        """World points (…×3) → camera coordinates (…×3)."""
        p = np.asarray(points_world_nx3, float)
        return p @ self.rotation.T + self.translation

    def project(self, points_world_nx3: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """World points (…×3) → (pixels …×2, depth …) where depth is z along the optical axis (m)."""
        pc = self.to_camera(points_world_nx3)
        z = pc[..., 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            u = self.fx * pc[..., 0] / z + self.cx
            v = self.fy * pc[..., 1] / z + self.cy
        return np.stack([u, v], axis=-1), z

    def intrinsics_json(self) -> dict[str, float]:
        """The `--camera CAMERA.json` contents of SPEC §9."""
        return {"fx": self.fx, "fy": self.fy, "cx": self.cx, "cy": self.cy}
