"""A walk as the renderer sees it: named 3D points over time, plus the walker's exact truth.

The kinematics come from `gaitpose.data.walker` (the one walker); this module only adapts a
GaitStyle to its parameters and offers what the renderer needs (a pose per frame, which frames
are in view).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gaitpose.data.synth.frame_renderer import View
from gaitpose.data.synth.labels import project
from gaitpose.data.synth.presets import GaitStyle
from gaitpose.errors import GaitposeError
from gaitpose.skeleton import JOINTS

POINT_NAMES: tuple[str, ...] = JOINTS + ("left_heel", "right_heel", "left_toe", "right_toe", "pelvis", "neck", "head")


@dataclass(frozen=True)
class Walk:
    """points: name → T×3 world positions (metres, z up) at `fps`; truth: the walker's exact result."""

    fps: float
    points: dict[str, np.ndarray]
    truth: Any = None

    @property
    def n_frames(self) -> int:
        return len(self.points["pelvis"])

    def pose(self, frame: int) -> dict[str, np.ndarray]:
        return {name: p[frame] for name, p in self.points.items()}

    def view_centre_x_m(self) -> float:
        """Where along the walking line the camera should look (the middle of the pelvis path)."""
        x = self.points["pelvis"][:, 0]
        return float((x.min() + x.max()) / 2)

    def frames_in_view(self, view: View, margin_px: float = 0.0) -> np.ndarray:
        """Indices of frames whose 8 joints all project inside the image (at least one frame)."""
        joints = np.stack([self.points[j] for j in JOINTS], axis=1)  # T×8×3
        cam = view.to_camera(joints.reshape(-1, 3))
        xy = project(cam, view.intrinsics).reshape(len(joints), len(JOINTS), 2)
        lo, hi = margin_px, view.size_px - 1 - margin_px
        inside = np.all((xy >= lo) & (xy <= hi), axis=(1, 2)) & np.all(cam[:, 2].reshape(len(joints), -1) > 0, axis=1)
        idx = np.flatnonzero(inside)
        return idx if len(idx) else np.array([int(np.argmin(np.abs(self.points["pelvis"][:, 0] - self.view_centre_x_m())))])


def simulate_walk(rng: np.random.Generator, style: GaitStyle, height_m: float, fps: float) -> Walk:
    """Run the walker for `style` → Walk (about four gait cycles)."""
    try:
        from gaitpose.data import walker  # noqa: F401
    except ImportError:
        raise GaitposeError("the kinematic walker (gaitpose.data.walker) is not installed yet") from None
    raise GaitposeError("walker adapter not written yet")
