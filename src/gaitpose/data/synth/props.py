"""Rehabilitation props that occlude the legs: parallel bars, a handrail, a walker frame, a treadmill.

Each prop gives its solids (world coordinates) and, where patients hold it, grip points for the
hands. Parallel bars, the handrail and the treadmill stand still (rendered once per sequence);
the walker frame moves with the patient.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.geometry import UP
from gaitpose.data.synth.materials import Material
from gaitpose.data.synth.solids import Box, Capsule, Solid

PROP_KINDS: tuple[str, ...] = ("none", "parallel_bars", "handrail", "walker_frame")


@dataclass(frozen=True)
class Prop:
    """A prop along the walking line y = 0: `half_width_m` from the line, rails at `height_m`."""

    kind: str
    material: Material
    height_m: float
    half_width_m: float
    x_range_m: tuple[float, float]


def sample_prop(rng: np.random.Generator, kind: str, x_range_m: tuple[float, float], hip_height_m: float) -> Prop:
    colours = ((0.75, 0.75, 0.78), (0.55, 0.35, 0.15), (0.9, 0.9, 0.85), (0.1, 0.1, 0.1), (0.2, 0.35, 0.7))
    return Prop(kind, Material(colours[rng.integers(len(colours))], "plain", specular=0.4),
                height_m=float(hip_height_m * rng.uniform(0.95, 1.1)),
                half_width_m=float(rng.uniform(0.28, 0.36)), x_range_m=x_range_m)


def static_prop_solids(prop: Prop) -> list[Solid]:
    """Solids of a prop that stands still (parallel bars, handrail)."""
    if prop.kind not in ("parallel_bars", "handrail"):
        return []
    x0, x1 = prop.x_range_m
    ys = (prop.half_width_m, -prop.half_width_m) if prop.kind == "parallel_bars" else (prop.half_width_m + 0.1,)
    r_rail, r_post = 0.02, 0.025
    solids: list[Solid] = []
    n_posts = max(2, int(np.ceil((x1 - x0) / 1.5)) + 1)
    for y in ys:
        solids.append(Capsule(prop.material, "prop", np.array([x0, y, prop.height_m]), np.array([x1, y, prop.height_m]), r_rail))
        for x in np.linspace(x0, x1, n_posts):
            solids.append(Capsule(prop.material, "prop", np.array([x, y, 0.0]), np.array([x, y, prop.height_m]), r_post))
    if prop.kind == "parallel_bars":
        base = Material((0.25, 0.25, 0.27), "plain", specular=0.1)
        solids.append(Box(base, "prop", np.array([(x0 + x1) / 2, 0.0, 0.01]), np.eye(3),
                          np.array([(x1 - x0) / 2 + 0.1, prop.half_width_m + 0.1, 0.01])))
    return solids


def walker_frame_solids(prop: Prop, pelvis: np.ndarray, forward: np.ndarray, right: np.ndarray) -> list[Solid]:
    """A pick-up walker frame in front of the pelvis: four legs, side rails, handles, a front bar."""
    centre = np.array([pelvis[0], pelvis[1], 0.0]) + 0.32 * forward
    depth, h, w = 0.22, prop.height_m, prop.half_width_m
    solids: list[Solid] = []
    r = 0.013
    for side in (-1.0, 1.0):
        foot_f = centre + depth * forward + side * (w + 0.04) * right
        foot_b = centre - depth * forward + side * (w + 0.04) * right
        top_f = centre + 0.8 * depth * forward + side * w * right + h * UP
        top_b = centre - 0.8 * depth * forward + side * w * right + h * UP
        solids += [Capsule(prop.material, "prop", foot_f, top_f, r), Capsule(prop.material, "prop", foot_b, top_b, r),
                   Capsule(prop.material, "prop", top_f, top_b, r),
                   Capsule(prop.material, "prop", (foot_f + top_f) / 2, (foot_b + top_b) / 2, r),
                   Capsule(Material((0.05, 0.05, 0.05)), "prop", top_b - 0.02 * UP + 0.05 * forward,
                           top_b - 0.02 * UP + 0.17 * forward, 0.02)]
    solids.append(Capsule(prop.material, "prop", centre + 0.8 * depth * forward - w * right + 0.8 * h * UP,
                          centre + 0.8 * depth * forward + w * right + 0.8 * h * UP, r))
    return solids


def grip_points(prop: Prop, pelvis: np.ndarray, forward: np.ndarray, right: np.ndarray) -> dict[str, np.ndarray]:
    """Where the hands hold the prop ('left'/'right' → world point); empty when not held."""
    if prop.kind == "parallel_bars":
        # The bars are fixed at y = ±half_width; the hands hold them a little ahead of the pelvis.
        ahead = pelvis + 0.18 * forward
        return {side: np.array([ahead[0], s * prop.half_width_m * right[1], prop.height_m])
                for side, s in (("left", -1.0), ("right", 1.0))}
    if prop.kind == "walker_frame":  # the handles of walker_frame_solids
        base = np.array([pelvis[0], pelvis[1], prop.height_m - 0.02]) + (0.32 - 0.8 * 0.22 + 0.11) * forward
        return {side: base + s * prop.half_width_m * right for side, s in (("left", -1.0), ("right", 1.0))}
    return {}
