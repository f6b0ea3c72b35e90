"""A walk as the renderer sees it: named 3D points over time, plus the walker's exact truth.

The kinematics should come from `gaitpose.data.walker` (the one walker); until it lands they come
from `stand_in_walker`. This module adapts a GaitStyle to the walker's parameters and offers what
the renderer needs (a pose per frame, which frames are in view).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gaitpose.data.synth.frame_renderer import View
from gaitpose.data.synth.labels import project
from gaitpose.data.synth.presets import GaitStyle
from gaitpose.data.synth.stand_in_walker import WalkParams, simulate
from gaitpose.skeleton import JOINTS

POINT_NAMES: tuple[str, ...] = JOINTS + ("left_heel", "right_heel", "left_toe", "right_toe", "pelvis", "neck", "head")


@dataclass(frozen=True)
class Walk:
    """points: name → T×3 world positions (metres, z up) at `fps`; truth: the walker's exact result."""

    fps: float
    points: dict[str, np.ndarray]
    truth: Any = None
    height_m: float = float("nan")
    facing: float = 1.0  # walking towards +x (1) or -x (-1)

    @property
    def n_frames(self) -> int:
        return len(self.points["pelvis"])

    def pose(self, frame: int) -> dict[str, np.ndarray]:
        return {name: p[frame] for name, p in self.points.items()}

    def image_direction(self, view: View) -> str:
        """'left' or 'right': the way the subject faces in the image."""
        pelvis = self.points["pelvis"][0]
        ends = view.to_camera(np.stack([pelvis, pelvis + [self.facing, 0.0, 0.0]]))
        xy = project(ends, view.intrinsics)
        return "right" if xy[1, 0] > xy[0, 0] else "left"

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


def simulate_walk(rng: np.random.Generator, style: GaitStyle, height_m: float, fps: float,
                  n_cycles: float = 3.0) -> Walk:
    """Walk `n_cycles` gait cycles in `style`, facing a random way, starting at a random phase."""
    lift = tuple(0.09 * height_m / 1.75 * k for k in style.knee_flexion_scale)
    params = WalkParams(height_m=height_m, cycle_s=style.cycle_s, stride_m=0.8 * height_m * style.step_scale,
                        stance_fraction=style.stance_fraction, swing_lift_m=lift, ankle_scale=style.ankle_scale,
                        right_phase=0.5, n_cycles=n_cycles, fps=fps, treadmill=style.treadmill,
                        facing=float(rng.choice([-1.0, 1.0])),
                        trunk_lean_deg=float(rng.uniform(0, 4) + (6.0 if style.exoskeleton else 0.0)))
    points, truth = simulate(params)
    return Walk(fps, points, truth, height_m, params.facing)
