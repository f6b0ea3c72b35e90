"""One recording set-up (room, camera, props, subject, sensor) rendered frame by frame.

The room and static props are ray cast once; each frame adds the moving body (plus exoskeleton
and walker frame), contact shadows, joint labels from the exact depth, the sensor's depth and the
degraded colour image. Given a real photograph (a `Backdrop`), the room is replaced by it: the ray
hits on the person and props are composited over the photograph, which takes the room's contact
shadows, and depth readings are kept on the rendered solids only (the photograph has no depth).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.camera import PinholeCamera
from gaitpose.data.synth import props as props_mod
from gaitpose.data.synth.bodies import ArmStyle, Subject, arm_points, body_solids, joint_margins_m
from gaitpose.data.synth.composite import Backdrop, composite
from gaitpose.data.synth.degrade import CameraLook, finish_image, vignette_map
from gaitpose.data.synth.depth_sensor import DepthSensor, sensor_depth_mm
from gaitpose.data.synth.exoskeleton import Exoskeleton, exoskeleton_solids
from gaitpose.data.synth.geometry import body_axes
from gaitpose.data.synth.labels import joint_labels, point_labels
from gaitpose.data.synth.raycast import pixel_rays, render_solids
from gaitpose.data.synth.scene import Room, apply_contact_shadows, contact_shadow_factor, render_room
from gaitpose.data.synth.solids import Solid, to_camera
from gaitpose.skeleton import FOOT_POINTS, JOINTS


@dataclass(frozen=True)
class View:
    """A pinhole camera (intrinsics in pixels, world→camera pose) and the image it fills."""

    camera: PinholeCamera
    width_px: int
    height_px: int

    @property
    def intrinsics(self) -> tuple[float, float, float, float]:
        c = self.camera
        return c.fx, c.fy, c.cx, c.cy

    def to_camera(self, points_nx3: np.ndarray) -> np.ndarray:
        return self.camera.to_camera(points_nx3)

    def camera_json(self) -> dict:
        """camera.json of a recording: SPEC §9 intrinsics plus the image size and the pose."""
        c = self.camera
        return c.intrinsics_json() | {"width": self.width_px, "height": self.height_px,
                                      "rotation": c.rotation, "translation": c.translation}


@dataclass(frozen=True)
class Setup:
    """Everything fixed during one recording."""

    subject: Subject
    arm_style: ArmStyle
    exoskeleton: Exoskeleton | None
    prop: props_mod.Prop
    room: Room
    view: View
    sensor: DepthSensor
    look: CameraLook


@dataclass
class RenderedFrame:
    bgr: np.ndarray  # H×W×3 uint8
    depth_mm: np.ndarray | None  # H×W uint16, sensor model (0 = no reading); None when not asked for
    depth_exact_m: np.ndarray  # H×W float32, inf = nothing
    solid_id: np.ndarray  # H×W int16, -1 room, ≥ 0 index into `solids`
    keypoints_8x3: np.ndarray  # x, y, v (COCO)
    joints_cam_8x3: np.ndarray  # exact joint centres in camera coordinates (m)
    solids: list[Solid]
    feet_4x3: np.ndarray | None = None  # heels and toe tips (skeleton.FOOT_POINTS), x, y, v like the joints


class FrameRenderer:
    """Renders poses of one Setup; build once per recording."""

    def __init__(self, setup: Setup) -> None:
        self.setup = setup
        v = setup.view
        self.rays = pixel_rays(*v.intrinsics, v.width_px, v.height_px)
        self.background = render_room(setup.room, self.rays, v.camera.rotation, v.camera.translation)
        self.static_solids = to_camera(props_mod.static_prop_solids(setup.prop), v.camera.rotation, v.camera.translation)
        buffers = self.background.buffers
        render_solids(buffers, self.static_solids, self.rays, v.intrinsics, self.background.light)
        # Floor pixels hidden by props take no shadow.
        keep = buffers.solid_id.reshape(-1)[self.background.floor_index] < 0
        self.background.floor_index = self.background.floor_index[keep]
        self.background.floor_xy_m = self.background.floor_xy_m[keep]
        self.vignette = vignette_map(v.height_px, v.width_px, setup.look.vignette)
        self.margins_m = joint_margins_m(setup.subject)

    def moving_solids(self, pose: dict[str, np.ndarray]) -> list[Solid]:
        """Body, exoskeleton and walker frame for one pose (world coordinates)."""
        s = self.setup
        forward, right = body_axes(pose)
        hip_mid = (pose["left_hip"] + pose["right_hip"]) / 2
        grips = props_mod.grip_points(s.prop, hip_mid, forward, right)
        solids = body_solids(pose, s.subject, arm_points(pose, s.subject, s.arm_style, grips))
        if s.exoskeleton is not None:
            solids += exoskeleton_solids(pose, s.subject, s.exoskeleton)
        if s.prop.kind == "walker_frame":
            solids += props_mod.walker_frame_solids(s.prop, hip_mid, forward, right)
        return solids

    def render(self, pose: dict[str, np.ndarray], rng: np.random.Generator, depth: bool = True,
               backdrop: Backdrop | None = None) -> RenderedFrame:
        """One frame of `pose`; `depth=False` skips the depth sensor (videos have no depth channel);
        `backdrop` (a photograph of the frame's size) replaces the room."""
        s, v = self.setup, self.setup.view
        buffers = self.background.buffers.copy()
        hip_mid = (pose["left_hip"] + pose["right_hip"]) / 2
        feet = [(pose[f"{side}_heel"] + pose[f"{side}_toe"]) / 2 for side in ("left", "right")]
        blobs = [[hip_mid[0], hip_mid[1], 0.25, 0.35]] + [
            [f[0], f[1], 0.12, 0.5 * np.exp(-max(f[2], 0.0) / 0.1)] for f in feet]
        shadow_f = contact_shadow_factor(self.background, np.array(blobs))
        apply_contact_shadows(buffers, self.background, shadow_f)
        solids = to_camera(self.moving_solids(pose), v.camera.rotation, v.camera.translation)
        first = len(self.static_solids)
        render_solids(buffers, solids, self.rays, v.intrinsics, self.background.light, first_id=first)
        joints_cam = v.to_camera(np.array([pose[j] for j in JOINTS]))
        keypoints = joint_labels(joints_cam, buffers.depth_m, v.intrinsics, self.margins_m)
        # heels and toe tips lie on the shoe's sole: the ankle's margin (the shoe's radius) holds for them
        feet_cam = v.to_camera(np.array([pose[p] for p in FOOT_POINTS]))
        ankle_margin = self.margins_m[JOINTS.index("left_ankle")]
        feet = point_labels(feet_cam, buffers.depth_m, v.intrinsics, np.full(len(FOOT_POINTS), ankle_margin))
        moving = buffers.solid_id >= first
        rgb = buffers.rgb
        if backdrop is not None:
            shadow = np.ones(v.height_px * v.width_px, np.float32)
            shadow[self.background.floor_index] = shadow_f
            photo = backdrop.rgb_linear * shadow.reshape(v.height_px, v.width_px, 1)
            rgb = composite(rgb, buffers.solid_id >= 0, photo, backdrop.edge_sigma_px)
        bgr = finish_image(rgb, moving, s.look, self.vignette, rng)
        depth_mm = sensor_depth_mm(buffers.depth_m, s.sensor, rng) if depth else None
        if depth_mm is not None and backdrop is not None:
            depth_mm[buffers.solid_id < 0] = 0  # no reading: the photograph's depth is unknown
        ids = np.where(moving, buffers.solid_id - first, -1).astype(np.int16)
        return RenderedFrame(bgr, depth_mm, buffers.depth_m, ids, keypoints, joints_cam, solids, feet)
