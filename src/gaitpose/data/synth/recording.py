"""Random recordings: a subject's walk and its set-up (a side-view camera placed for the walk, room,
props, sensor and look). Shared by the dataset frames (`generate`) and the videos (`video`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.camera import PinholeCamera
from gaitpose.data.synth.bodies import ArmStyle, Subject, sample_subject
from gaitpose.data.synth.degrade import sample_look
from gaitpose.data.synth.depth_sensor import sample_sensor
from gaitpose.data.synth.exoskeleton import Exoskeleton, sample_exoskeleton
from gaitpose.data.synth.frame_renderer import Setup, View
from gaitpose.data.synth.motion import Walk, simulate_walk
from gaitpose.data.synth.presets import GaitStyle, sample_style
from gaitpose.data.synth.props import Prop, sample_prop
from gaitpose.data.synth.scene import sample_room


def sample_view(rng: np.random.Generator, width_px: int, height_px: int, view_centre_x_m: float,
                subject_height_m: float, view_width_m: float) -> tuple[View, float]:
    """A side camera roughly perpendicular to the walking line (y = 0) → (view, camera side ±1).

    The focal length makes about `view_width_m` of the walking line fill the image width; yaw,
    pitch and roll are small random tilts; the principal point is within 2 % of the image centre.
    """
    side = float(rng.choice([-1.0, 1.0]))
    distance = rng.uniform(2.5, 5.0)
    eye = np.array([view_centre_x_m + rng.uniform(-0.3, 0.3), side * distance, rng.uniform(0.5, 1.4)])
    yaw = np.deg2rad(rng.uniform(-10, 10))
    target = np.array([view_centre_x_m + distance * np.tan(yaw), 0.0, subject_height_m * rng.uniform(0.42, 0.55)])
    roll_deg = rng.uniform(-3, 3)
    focal = width_px * distance / view_width_m
    cx = (width_px - 1) / 2 + rng.uniform(-0.02, 0.02) * width_px
    cy = (height_px - 1) / 2 + rng.uniform(-0.02, 0.02) * height_px
    camera = PinholeCamera.look_at(focal, focal, cx, cy, eye, target, roll_deg)
    return View(camera, width_px, height_px), side


def sample_setup(rng: np.random.Generator, image_size: tuple[int, int], subject: Subject, arm_style: ArmStyle,
                 exoskeleton: Exoskeleton | None, prop: Prop, view_centre_x_m: float, view_width_m: float) -> Setup:
    """Everything fixed during one recording; `image_size` is (width, height) in pixels."""
    width_px, height_px = image_size
    view, side = sample_view(rng, width_px, height_px, view_centre_x_m, subject.height_m, view_width_m)
    scale_px = max(width_px, height_px)
    camera_y_m = float((-view.camera.rotation.T @ view.camera.translation)[1])  # distance from the walking line
    return Setup(subject, arm_style, exoskeleton, prop, sample_room(rng, side, view_centre_x_m), view,
                 sample_sensor(rng, scale_px, abs(camera_y_m)), sample_look(rng, scale_px))


@dataclass(frozen=True)
class Recording:
    """One subject's walk and the set-up it is filmed in."""

    name: str
    style: GaitStyle
    walk: Walk
    setup: Setup


def sample_recording(rng: np.random.Generator, index: int, image_size: tuple[int, int], preset: str, fps: float,
                     seconds: float | None = None) -> Recording:
    """Subject, gait, walk and filming set-up of subject `index`, image_size = (width, height).

    Dataset frames (`seconds` None): three gait cycles, the camera framing about one body length.
    Videos (`seconds` given): a wide view of about 3–3.6 body heights of the walkway, so an
    overground walker crosses the frame (and a fast one enters and leaves it), like a clinic recording.
    """
    height_m = float(rng.uniform(1.5, 1.9))
    style = sample_style(rng, preset)
    walk = simulate_walk(rng, style, height_m, fps, 3.0 if seconds is None else seconds / style.cycle_s)
    subject = sample_subject(rng, height_m)
    centre_x = walk.view_centre_x_m()
    hip_height = float(np.mean(walk.points["pelvis"][:, 2]))
    prop = sample_prop(rng, style.prop, (centre_x - 3.0, centre_x + 3.0), hip_height)
    exo = sample_exoskeleton(rng, style.exo_design) if style.exoskeleton else None
    view_width = height_m * (rng.uniform(1.1, 1.7) if seconds is None else rng.uniform(3.0, 3.6))
    setup = sample_setup(rng, image_size, subject, style.arm, exo, prop, centre_x, view_width)
    return Recording(f"s{index:04d}", style, walk, setup)
