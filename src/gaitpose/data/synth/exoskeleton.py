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
# The held-out design's colours: none is near a FRAME_COLOURS entry (orange, yellow, teal, lime, purple).
SHELL_COLOURS = ((0.9, 0.35, 0.03), (0.95, 0.8, 0.05), (0.0, 0.5, 0.45), (0.45, 0.8, 0.1), (0.4, 0.1, 0.55))
STRAP_COLOURS = ((0.95, 0.15, 0.4), (0.1, 0.7, 0.95), (0.95, 0.55, 0.1))
DESIGNS: tuple[str, ...] = ("frame", "shell")


@dataclass(frozen=True)
class Exoskeleton:
    frame: Material
    actuator: Material
    strap: Material
    motor_radius_m: float
    motor_depth_m: float
    bar_width_m: float
    design: str = "frame"


def sample_exoskeleton(rng: np.random.Generator, design: str = "frame") -> Exoskeleton:
    """A random exoskeleton of `design` (one of DESIGNS); the frame design draws exactly what it always drew."""
    if design not in DESIGNS:
        raise ValueError(f"unknown exoskeleton design {design!r}: expected one of {', '.join(DESIGNS)}")
    if design == "shell":
        shell = SHELL_COLOURS[rng.integers(len(SHELL_COLOURS))]
        housing = SHELL_COLOURS[rng.integers(len(SHELL_COLOURS))]
        strap = STRAP_COLOURS[rng.integers(len(STRAP_COLOURS))]
        return Exoskeleton(
            frame=Material(shell, "plain", specular=0.6),
            actuator=Material(housing, "checker", tuple(c * 0.5 for c in housing), 0.02, 0.5),
            strap=Material(strap, "stripes", tuple(c * 0.7 for c in strap), 0.008, 0.05),
            motor_radius_m=float(rng.uniform(0.06, 0.08)),  # half the side of the square housings
            motor_depth_m=float(rng.uniform(0.05, 0.07)),
            bar_width_m=float(rng.uniform(0.07, 0.09)),  # the plates' width
            design="shell",
        )
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


def _fit(pose: dict[str, np.ndarray], subject: Subject) -> tuple:
    """What both designs are fitted to: the body's forward and right axes, the leg radii (thigh, knee,
    calf, ankle), the mid-hip and mid-shoulder points, the trunk's up axis and half the hip width."""
    forward, right = body_axes(pose)
    radii = tuple(subject.radius_m(r) for r in LEG_RADII_M)
    hip_mid = (pose["left_hip"] + pose["right_hip"]) / 2
    sh_mid = (pose["left_shoulder"] + pose["right_shoulder"]) / 2
    hip_half = float(np.linalg.norm(pose["right_hip"] - pose["left_hip"])) / 2
    return forward, right, radii, hip_mid, sh_mid, unit(sh_mid - hip_mid), hip_half


def exoskeleton_solids(pose: dict[str, np.ndarray], subject: Subject, exo: Exoskeleton) -> list[Solid]:
    """Exoskeleton solids (world coordinates) fitted to the body in `pose`."""
    if exo.design == "shell":
        return _shell_solids(pose, subject, exo)
    forward, right, (r_thigh, r_knee, r_calf, r_ankle), hip_mid, sh_mid, trunk_up, hip_half = _fit(pose, subject)
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


def _shell_solids(pose: dict[str, np.ndarray], subject: Subject, exo: Exoskeleton) -> list[Solid]:
    """The held-out `shell` design fitted to the body in `pose`."""
    forward, right, (r_thigh, r_knee, r_calf, r_ankle), hip_mid, sh_mid, trunk_up, hip_half = _fit(pose, subject)
    plate_t = 0.015
    housing = np.array([exo.motor_radius_m, exo.motor_depth_m / 2, exo.motor_radius_m])
    solids: list[Solid] = []
    for side, outward in (("left", -right), ("right", right)):
        hip, knee, ankle = pose[f"{side}_hip"], pose[f"{side}_knee"], pose[f"{side}_ankle"]
        heel, toe = pose[f"{side}_heel"], pose[f"{side}_toe"]
        hip_gap = 0.9 * r_thigh + 0.015
        knee_gap = 0.5 * (r_thigh + r_knee) + 0.015
        # Square housings on the hip and knee axes, turned with the thigh and the shank.
        for centre, gap, along in ((hip, hip_gap, knee - hip), (knee, knee_gap, ankle - knee)):
            solids.append(Box(exo.actuator, f"{side}_exo_housing", centre + (gap + housing[1]) * outward,
                              frame(along, forward), housing))
        # Moulded plates: wide, thin, along the outside of thigh and shank, ending at the housings.
        for top, bottom, gap in ((hip, knee, (hip_gap + knee_gap) / 2), (knee, ankle, knee_gap)):
            axis = bottom - top
            length = float(np.linalg.norm(axis))
            centre = (top + bottom) / 2 + (gap + plate_t) * outward
            solids.append(Box(exo.frame, f"{side}_exo_plate", centre, frame(axis, forward),
                              np.array([exo.bar_width_m / 2, plate_t, 0.36 * length])))
        # Wide straps round thigh and shank.
        for top, bottom, frac, radius in ((hip, knee, 0.4, r_thigh), (hip, knee, 0.75, r_knee), (knee, ankle, 0.45, r_calf)):
            c = top + frac * (bottom - top)
            half = 0.045 * unit(bottom - top)
            solids.append(Cylinder(exo.strap, f"{side}_exo_strap", c - half, c + half, radius + 0.014))
        # Foot plate under the shoe, from behind the heel to the toe.
        sole = toe - heel
        solids.append(Box(exo.frame, f"{side}_exo_footplate", (heel + toe) / 2 - 0.01 * trunk_up, frame(sole, trunk_up),
                          np.array([0.005, 0.05, 0.55 * float(np.linalg.norm(sole))])))
    waist_rot = frame(trunk_up, forward)
    solids += [
        Ellipsoid(exo.frame, "exo_waist", hip_mid + 0.12 * (sh_mid - hip_mid), waist_rot,
                  np.array([subject.radius_m(0.125), hip_half + 0.9 * r_thigh + 0.02, 0.06])),
        Box(exo.actuator, "exo_waist_unit", hip_mid - subject.radius_m(0.15) * forward + 0.1 * (sh_mid - hip_mid),
            waist_rot, np.array([0.03, hip_half + 0.02, 0.07])),
    ]
    return solids
