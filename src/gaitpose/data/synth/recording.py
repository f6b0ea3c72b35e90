"""Random recording set-ups: a side-view camera placed for the walk, room, props, sensor and look."""
from __future__ import annotations

import numpy as np

from gaitpose.data.synth.bodies import ArmStyle, Subject
from gaitpose.data.synth.degrade import sample_look
from gaitpose.data.synth.depth_sensor import sample_sensor
from gaitpose.data.synth.exoskeleton import Exoskeleton
from gaitpose.data.synth.frame_renderer import Setup, View
from gaitpose.data.synth.geometry import UP, unit
from gaitpose.data.synth.props import Prop
from gaitpose.data.synth.scene import sample_room


def look_at(eye_m: np.ndarray, target_m: np.ndarray, roll_rad: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """World→camera (R, t) of an OpenCV camera (x right, y down, z forward) at eye looking at target."""
    z = unit(target_m - eye_m)
    x = unit(np.cross(z, UP))
    y = np.cross(z, x)
    c, s = np.cos(roll_rad), np.sin(roll_rad)
    R = np.stack([c * x + s * y, -s * x + c * y, z])
    return R, -R @ eye_m


def sample_view(rng: np.random.Generator, size_px: int, view_centre_x_m: float, subject_height_m: float,
                view_width_m: float) -> tuple[View, float]:
    """A side camera roughly perpendicular to the walking line (y = 0) → (view, camera side ±1).

    The focal length makes about `view_width_m` of the walking line fill the image width; yaw,
    pitch and roll are small random tilts.
    """
    side = float(rng.choice([-1.0, 1.0]))
    distance = rng.uniform(2.5, 5.0)
    eye = np.array([view_centre_x_m + rng.uniform(-0.3, 0.3), side * distance, rng.uniform(0.5, 1.4)])
    yaw = np.deg2rad(rng.uniform(-10, 10))
    target = np.array([view_centre_x_m + distance * np.tan(yaw), 0.0, subject_height_m * rng.uniform(0.42, 0.55)])
    R, t = look_at(eye, target, np.deg2rad(rng.uniform(-3, 3)))
    focal = size_px * distance / view_width_m
    c = (size_px - 1) / 2
    return View(focal, focal, c + rng.uniform(-0.02, 0.02) * size_px, c + rng.uniform(-0.02, 0.02) * size_px,
                size_px, R, t), side


def sample_setup(rng: np.random.Generator, size_px: int, subject: Subject, arm_style: ArmStyle,
                 exoskeleton: Exoskeleton | None, prop: Prop, view_centre_x_m: float, view_width_m: float) -> Setup:
    view, side = sample_view(rng, size_px, view_centre_x_m, subject.height_m, view_width_m)
    return Setup(subject, arm_style, exoskeleton, prop, sample_room(rng, side, view_centre_x_m), view,
                 sample_sensor(rng, size_px), sample_look(rng, size_px))
