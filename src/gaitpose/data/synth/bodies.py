"""A subject's body as solids: sizes from height (anthropometric ratios), clothing, skin tone, arms.

The legs, pelvis, trunk and head follow the walker's joint positions exactly (the ground truth);
the arms are added here (the walker has none): they swing opposite to the same-side thigh, or
reach for a grip point (parallel bars, walker frame) when one is given.

Segment ratios of body height: Winter, *Biomechanics and Motor Control of Human Movement*, 4th ed.
(2009), Fig. 4.1 (upper arm 0.186, forearm 0.146, hand 0.108, foot length 0.152, shoulder width 0.259).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.geometry import UP, body_axes, frame, sagittal_angle_rad, two_link, unit
from gaitpose.data.synth.materials import PATTERNS, Material
from gaitpose.data.synth.solids import Capsule, Ellipsoid, Solid

UPPER_ARM_RATIO = 0.186
FOREARM_RATIO = 0.146
HAND_RATIO = 0.108
# Radii at 1.75 m and build 1: thigh (at the hip), knee, calf, ankle; shoulder girdle; pelvis depth.
LEG_RADII_M = (0.068, 0.05, 0.048, 0.036)
SHOULDER_RADIUS_M = 0.055
VISIBILITY_SLACK_M = 0.025

# Linear-RGB skin tones, light to dark (roughly Fitzpatrick I–VI).
SKIN_TONES: tuple[tuple[float, float, float], ...] = (
    (0.85, 0.62, 0.50), (0.78, 0.52, 0.40), (0.66, 0.42, 0.30),
    (0.50, 0.30, 0.20), (0.32, 0.19, 0.12), (0.18, 0.11, 0.07),
)
HAIR_COLOURS: tuple[tuple[float, float, float], ...] = (
    (0.03, 0.02, 0.02), (0.12, 0.07, 0.03), (0.35, 0.22, 0.10), (0.55, 0.52, 0.50), (0.75, 0.60, 0.35),
)


@dataclass(frozen=True)
class Subject:
    """Body sizes (metres) and appearance of one synthetic person."""

    height_m: float
    build: float  # width scale, 0.85 (slim) … 1.25 (broad)
    skin: tuple[float, float, float]
    hair: tuple[float, float, float]
    shirt: Material
    trousers: Material
    shoes: Material
    shorts: bool

    def radius_m(self, base_at_175cm: float) -> float:
        """A limb radius scaled by height and build."""
        return base_at_175cm * self.height_m / 1.75 * self.build


def _random_colour(rng: np.random.Generator, dark: bool = False) -> tuple[float, float, float]:
    hue = rng.uniform(0, 1)
    sat = rng.uniform(0.1, 0.8)
    val = rng.uniform(0.05, 0.35) if dark else rng.uniform(0.15, 0.9)
    rgb = np.clip(np.abs(((hue * 6 + np.array([0, 4, 2])) % 6) - 3) - 1, 0, 1)
    return tuple(float(c) for c in val * (1 - sat + sat * rgb) ** 2.2)


def sample_clothing(rng: np.random.Generator, dark: bool = False) -> Material:
    pattern = str(rng.choice(PATTERNS, p=[0.5, 0.2, 0.1, 0.2]))
    return Material(_random_colour(rng, dark), pattern, _random_colour(rng, dark),
                    float(rng.uniform(0.02, 0.08)), float(rng.uniform(0, 0.05)))


def sample_subject(rng: np.random.Generator, height_m: float) -> Subject:
    """Appearance and build for a subject of the given height."""
    return Subject(
        height_m=height_m,
        build=float(rng.uniform(0.85, 1.25)),
        skin=SKIN_TONES[rng.integers(len(SKIN_TONES))],
        hair=HAIR_COLOURS[rng.integers(len(HAIR_COLOURS))],
        shirt=sample_clothing(rng),
        trousers=sample_clothing(rng, dark=bool(rng.random() < 0.6)),
        shoes=Material(_random_colour(rng, dark=True), "plain", specular=0.1),
        shorts=bool(rng.random() < 0.15),
    )


@dataclass(frozen=True)
class ArmStyle:
    """Arm swing: upper-arm angle = -swing_gain × same-side thigh angle; elbow bent by elbow_flex_deg."""

    swing_gain: float = 0.6
    elbow_flex_deg: float = 20.0


def arm_points(pose: dict[str, np.ndarray], subject: Subject, style: ArmStyle,
               grips: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Elbow and wrist per side ('left_elbow', 'left_wrist', …) in world coordinates."""
    forward, right = body_axes(pose)
    l1, l2 = UPPER_ARM_RATIO * subject.height_m, FOREARM_RATIO * subject.height_m
    out: dict[str, np.ndarray] = {}
    for side, outward in (("left", -right), ("right", right)):
        shoulder = pose[f"{side}_shoulder"]
        if grips and side in grips:
            elbow = two_link(shoulder, grips[side], l1, l2, -forward + 0.3 * outward)
            out[f"{side}_elbow"], out[f"{side}_wrist"] = elbow, grips[side]
            continue
        thigh = sagittal_angle_rad(pose[f"{side}_knee"] - pose[f"{side}_hip"], forward)
        alpha = -style.swing_gain * thigh
        beta = alpha + np.deg2rad(style.elbow_flex_deg) * (1 + max(alpha, 0.0) * 2)
        upper = unit(-UP * np.cos(alpha) + forward * np.sin(alpha) + 0.12 * outward)
        elbow = shoulder + l1 * upper
        out[f"{side}_elbow"] = elbow
        out[f"{side}_wrist"] = elbow + l2 * unit(-UP * np.cos(beta) + forward * np.sin(beta) + 0.05 * outward)
    return out


def body_solids(pose: dict[str, np.ndarray], subject: Subject, arms: dict[str, np.ndarray]) -> list[Solid]:
    """Solids of the whole body in world coordinates; each solid's `part` names what it is."""
    s = subject
    forward, right = body_axes(pose)
    skin = Material(s.skin, "fabric", tuple(c * 0.9 for c in s.skin), 0.01, 0.05)
    hip_mid = (pose["left_hip"] + pose["right_hip"]) / 2
    sh_mid = (pose["left_shoulder"] + pose["right_shoulder"]) / 2
    trunk_len = float(np.linalg.norm(sh_mid - hip_mid))
    trunk_rot = frame(sh_mid - hip_mid, forward)  # columns: forward, lateral, trunk axis
    hip_half = float(np.linalg.norm(pose["right_hip"] - pose["left_hip"])) / 2
    sh_half = float(np.linalg.norm(pose["right_shoulder"] - pose["left_shoulder"])) / 2
    r_thigh, r_knee, r_calf, r_ankle = (s.radius_m(r) for r in LEG_RADII_M)
    solids: list[Solid] = [
        Ellipsoid(s.trousers, "pelvis", hip_mid + 0.03 * trunk_len * unit(sh_mid - hip_mid), trunk_rot,
                  np.array([s.radius_m(0.11), hip_half + 0.9 * r_thigh, 0.22 * trunk_len])),
        Ellipsoid(s.shirt, "trunk", hip_mid + 0.38 * (sh_mid - hip_mid), trunk_rot,
                  np.array([s.radius_m(0.105), hip_half + 0.8 * r_thigh, 0.36 * trunk_len])),
        Ellipsoid(s.shirt, "trunk", hip_mid + 0.74 * (sh_mid - hip_mid), trunk_rot,
                  np.array([s.radius_m(0.11), 0.82 * sh_half, 0.32 * trunk_len])),
        Capsule(s.shirt, "trunk", pose["left_shoulder"] - 0.02 * UP, pose["right_shoulder"] - 0.02 * UP,
                s.radius_m(SHOULDER_RADIUS_M)),
        Capsule(skin, "neck", pose["neck"] - 0.03 * UP, pose["head"] - 0.05 * UP, s.radius_m(0.045) / s.build),
    ]
    head_rot = frame(UP, forward)
    head_axes = np.array([0.1, 0.078, 0.115]) * s.height_m / 1.75
    solids += [
        Ellipsoid(skin, "head", pose["head"], head_rot, head_axes),
        Ellipsoid(Material(s.hair, "fabric", tuple(c * 0.7 for c in s.hair), 0.005), "head",
                  pose["head"] + head_axes[2] * 0.2 * UP - head_axes[0] * 0.35 * forward, head_rot,
                  head_axes * np.array([1.0, 1.04, 0.95])),
    ]
    shank_material = skin if s.shorts else s.trousers
    for side in ("left", "right"):
        hip, knee, ankle = pose[f"{side}_hip"], pose[f"{side}_knee"], pose[f"{side}_ankle"]
        heel, toe = pose[f"{side}_heel"], pose[f"{side}_toe"]
        solids += [
            Capsule(s.trousers, f"{side}_thigh", hip, hip + 0.55 * (knee - hip), r_thigh),
            Capsule(s.trousers, f"{side}_thigh", hip, knee, 0.5 * (r_thigh + r_knee)),
            Capsule(shank_material, f"{side}_shank", knee, knee + 0.45 * (ankle - knee), r_calf),
            Capsule(shank_material, f"{side}_shank", knee, ankle, r_ankle),
        ]
        along = unit(toe - heel)
        sole_up = unit(np.cross(along, np.cross(UP, along)) if abs(along @ UP) < 0.99 else forward)
        r_foot = s.radius_m(0.036) / s.build
        solids += [
            Capsule(s.shoes, f"{side}_foot", heel + r_foot * (sole_up + along), toe + r_foot * (sole_up - along), r_foot),
            Capsule(shank_material, f"{side}_foot", ankle, heel + 0.3 * (toe - heel) + r_foot * sole_up, r_ankle),
        ]
        elbow, wrist = arms[f"{side}_elbow"], arms[f"{side}_wrist"]
        sleeve = s.shirt if subject.build > 1.0 else skin
        solids += [
            Capsule(s.shirt, f"{side}_upper_arm", pose[f"{side}_shoulder"], elbow, s.radius_m(0.045)),
            Capsule(sleeve, f"{side}_forearm", elbow, wrist, s.radius_m(0.036)),
            Ellipsoid(skin, f"{side}_hand", wrist + unit(wrist - elbow) * 0.045 * s.height_m / 1.75,
                      frame(wrist - elbow, forward), np.array([0.02, 0.04, 0.06]) * s.height_m / 1.75),
        ]
    return solids


def joint_margins_m(subject: Subject) -> np.ndarray:
    """Per joint (skeleton order), how far in front of the joint centre its own body surface may lie.

    A joint is visible when the first surface on its pixel ray is no nearer than this (SPEC §1
    visibility 2); anything nearer is another solid in the way (visibility 1).
    """
    r_thigh, r_knee, _, r_ankle = (subject.radius_m(r) for r in LEG_RADII_M)
    shoulder = subject.radius_m(SHOULDER_RADIUS_M)
    return np.repeat([shoulder, r_thigh, 0.5 * (r_thigh + r_knee), r_ankle], 2) + VISIBILITY_SLACK_M
