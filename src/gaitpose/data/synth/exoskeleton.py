"""A lower-limb rehabilitation exoskeleton as solids attached to the body.

Modelled on powered hip–knee orthoses (Ekso, ReWalk, Indego-like): flat uprights along the
outside of thigh and shank, a motor housing on each hip and knee axis (which hides the joint from
a side camera, as on real devices), cuffs with straps round thigh and shank, a hip belt and a back
frame with a battery pack. Sizes are typical of those devices, not of any one model.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.bodies import LEG_RADII_M, Subject
from gaitpose.data.synth.geometry import body_axes, frame, unit
from gaitpose.data.synth.materials import Material
from gaitpose.data.synth.solids import Box, Capsule, Cylinder, Ellipsoid, Solid

FRAME_COLOURS = ((0.6, 0.6, 0.62), (0.85, 0.85, 0.85), (0.05, 0.05, 0.06), (0.05, 0.15, 0.45), (0.5, 0.05, 0.05))


@dataclass(frozen=True)
class Exoskeleton:
    frame: Material
    actuator: Material
    strap: Material
    motor_radius_m: float
    motor_depth_m: float
    bar_width_m: float


def sample_exoskeleton(rng: np.random.Generator) -> Exoskeleton:
    frame_colour = FRAME_COLOURS[rng.integers(len(FRAME_COLOURS))]
    motor = FRAME_COLOURS[rng.integers(len(FRAME_COLOURS))]
    return Exoskeleton(
        frame=Material(frame_colour, "plain", specular=0.35),
        actuator=Material(motor, "stripes", tuple(c * 0.6 for c in motor), 0.012, 0.45),
        strap=Material(tuple(float(c) for c in rng.uniform(0.02, 0.25, 3)), "fabric", (0.3, 0.3, 0.3), 0.01),
        motor_radius_m=float(rng.uniform(0.045, 0.065)),
        motor_depth_m=float(rng.uniform(0.04, 0.06)),
        bar_width_m=float(rng.uniform(0.03, 0.045)),
    )


def exoskeleton_solids(pose: dict[str, np.ndarray], subject: Subject, exo: Exoskeleton) -> list[Solid]:
    """Exoskeleton solids (world coordinates) fitted to the body in `pose`."""
    forward, right = body_axes(pose)
    r_thigh, r_knee, r_calf, r_ankle = (subject.radius_m(r) for r in LEG_RADII_M)
    hip_mid = (pose["left_hip"] + pose["right_hip"]) / 2
    sh_mid = (pose["left_shoulder"] + pose["right_shoulder"]) / 2
    trunk_up = unit(sh_mid - hip_mid)
    hip_half = float(np.linalg.norm(pose["right_hip"] - pose["left_hip"])) / 2
    bar_t = 0.012
    solids: list[Solid] = []
    for side, outward in (("left", -right), ("right", right)):
        hip, knee, ankle = pose[f"{side}_hip"], pose[f"{side}_knee"], pose[f"{side}_ankle"]
        # Hip motor: beside the pelvis on the hip's flexion axis; knee motor: beside the knee.
        hip_gap = 0.9 * r_thigh + 0.01
        knee_gap = 0.5 * (r_thigh + r_knee) + 0.01
        hip_motor = hip + hip_gap * outward
        knee_motor = knee + knee_gap * outward
        for centre, gap in ((hip_motor, 0.0), (knee_motor, 0.0)):
            solids.append(Cylinder(exo.actuator, f"{side}_exo_motor", centre + gap * outward,
                                   centre + exo.motor_depth_m * outward, exo.motor_radius_m))
        for top, bottom, gap in ((hip, knee, (hip_gap + knee_gap) / 2), (knee, ankle - 0.25 * (ankle - knee), knee_gap)):
            axis = bottom - top
            centre = (top + bottom) / 2 + (gap + bar_t) * outward
            rot = frame(axis, forward)  # x: forward, y: lateral, z: along the segment
            solids.append(Box(exo.frame, f"{side}_exo_bar", centre, rot,
                              np.array([exo.bar_width_m / 2, bar_t, np.linalg.norm(axis) / 2])))
        # Cuffs round thigh and shank (short, slightly wider than the limb).
        for top, bottom, frac, radius in ((hip, knee, 0.55, r_thigh), (knee, ankle, 0.3, r_calf), (knee, ankle, 0.72, r_ankle)):
            c = top + frac * (bottom - top)
            half = 0.03 * unit(bottom - top)
            solids.append(Cylinder(exo.strap, f"{side}_exo_cuff", c - half, c + half, radius + 0.012))
        # Hip belt segment joining the motor to the back frame.
        solids.append(Capsule(exo.strap, f"{side}_exo_belt", hip_motor + 0.03 * trunk_up,
                              hip_mid - 0.12 * forward + 0.6 * hip_half * outward + 0.05 * trunk_up, 0.02))
    back_rot = frame(trunk_up, forward)
    solids += [
        Box(exo.frame, "exo_back", hip_mid - subject.radius_m(0.13) * forward + 0.28 * (sh_mid - hip_mid), back_rot,
            np.array([0.02, hip_half + 0.05, 0.2])),
        Box(exo.actuator, "exo_battery", hip_mid - subject.radius_m(0.17) * forward + 0.22 * (sh_mid - hip_mid),
            back_rot, np.array([0.035, 0.09, 0.11])),
        Ellipsoid(exo.strap, "exo_belt", hip_mid + 0.1 * (sh_mid - hip_mid), back_rot,
                  np.array([subject.radius_m(0.118), hip_half + 0.9 * r_thigh + 0.008, 0.045])),
    ]
    return solids
