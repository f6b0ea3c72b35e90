"""A walk as the renderer sees it: named 3D points over time, plus the walker's exact truth.

The kinematics come from `gaitpose.data.walker` (the one walker): this module maps a GaitStyle and
a subject onto `WalkerParams` (facing either way, starting anywhere in the gait cycle) and offers
what the renderer needs (a pose per frame, which frames are in view).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.frame_renderer import View
from gaitpose.data.synth.presets import GaitStyle
from gaitpose.data.walker import WalkerParams, WalkerResult, simulate
from gaitpose.skeleton import JOINTS

# What the renderer draws; the arms are posed by the renderer itself (they may hold a prop).
POINT_NAMES: tuple[str, ...] = JOINTS + ("left_heel", "right_heel", "left_toe", "right_toe", "pelvis", "neck", "head")


@dataclass(frozen=True)
class Walk:
    """points: name → T×3 world positions (metres, z up) at `truth.params.fps`; truth: the walker's result."""

    points: dict[str, np.ndarray]
    truth: WalkerResult

    @property
    def fps(self) -> float:
        return self.truth.params.fps

    @property
    def height_m(self) -> float:
        return self.truth.params.height_m

    @property
    def facing(self) -> int:
        """+1: walking towards +x; −1: towards −x."""
        return self.truth.params.facing

    @property
    def n_frames(self) -> int:
        return len(self.points["pelvis"])

    def pose(self, frame: int) -> dict[str, np.ndarray]:
        return {name: p[frame] for name, p in self.points.items()}

    def image_direction(self, view: View) -> str:
        """'left' or 'right': the way the subject faces in the image."""
        pelvis = self.points["pelvis"][0]
        xy, _ = view.camera.project(np.stack([pelvis, pelvis + [self.facing, 0.0, 0.0]]))
        return "right" if xy[1, 0] > xy[0, 0] else "left"

    def view_centre_x_m(self) -> float:
        """Where along the walking line the camera should look (the middle of the pelvis path)."""
        x = self.points["pelvis"][:, 0]
        return float((x.min() + x.max()) / 2)

    def frames_in_view(self, view: View, margin_px: float = 0.0) -> np.ndarray:
        """Indices of frames whose 8 joints all project inside the image (at least one frame)."""
        joints = np.stack([self.points[j] for j in JOINTS], axis=1)  # T×8×3
        xy, depth = view.camera.project(joints)  # T×8×2, T×8
        inside = ((xy[..., 0] >= margin_px) & (xy[..., 0] <= view.width_px - 1 - margin_px)
                  & (xy[..., 1] >= margin_px) & (xy[..., 1] <= view.height_px - 1 - margin_px) & (depth > 0))
        idx = np.flatnonzero(inside.all(axis=1))
        return idx if len(idx) else np.array([int(np.argmin(np.abs(self.points["pelvis"][:, 0] - self.view_centre_x_m())))])


def walker_params(rng: np.random.Generator, style: GaitStyle, height_m: float, fps: float, n_cycles: float) -> WalkerParams:
    """The walker settings of `style` for one subject: individual thigh/shank proportions (±4 %),
    a random facing (±x) and a random start phase, so recordings do not all begin at a left heel strike."""
    return WalkerParams(
        height_m=height_m, thigh_scale=float(rng.uniform(0.96, 1.04)), shank_scale=float(rng.uniform(0.96, 1.04)),
        cycle_s=style.cycle_s, stride_length_m=0.8 * height_m * style.step_scale,
        stance_fraction=style.stance_fraction, knee_flexion_scale=style.knee_flexion_scale,
        right_phase=style.right_phase, start_phase=float(rng.uniform(0.0, 1.0)),
        heel_strike_pitch_deg=style.heel_strike_pitch_deg, toe_off_pitch_deg=style.toe_off_pitch_deg,
        trunk_lean_deg=style.trunk_lean_deg, n_cycles=n_cycles, fps=fps, treadmill=style.treadmill,
        facing=int(rng.choice([-1, 1])))


def simulate_walk(rng: np.random.Generator, style: GaitStyle, height_m: float, fps: float,
                  n_cycles: float = 3.0) -> Walk:
    """Walk `n_cycles` gait cycles in `style`, facing a random way, starting at a random phase."""
    truth = simulate(walker_params(rng, style, height_m, fps, n_cycles))
    return Walk({name: truth.points[name] for name in POINT_NAMES}, truth)
