"""Gait presets: how a synthetic subject walks, what they wear and hold.

`normal`: healthy walking at several speeds, arms swinging. `exo`: slow exoskeleton-assisted
walking — long stance, reduced knee flexion, stiff ankle (Ekso/ReWalk-like gait is about
0.2–0.5 m/s with stance near 70 % of the cycle), usually holding parallel bars or a walker
frame. `hemiparetic`: one side with short stance, reduced knee flexion and slow swing.
`mixed` draws from all of them, some on a treadmill.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.bodies import ArmStyle

PRESETS: tuple[str, ...] = ("normal", "exo", "mixed")


@dataclass(frozen=True)
class GaitStyle:
    """Per-side parameters are (left, right)."""

    name: str
    cycle_s: float
    stance_fraction: tuple[float, float]
    knee_flexion_scale: tuple[float, float]
    ankle_scale: tuple[float, float]
    step_scale: float  # stride length relative to a normal stride at this height
    treadmill: bool
    exoskeleton: bool
    prop: str  # one of props.PROP_KINDS
    arm: ArmStyle


def _pair(value: float) -> tuple[float, float]:
    return (value, value)


def sample_style(rng: np.random.Generator, preset: str) -> GaitStyle:
    """A random GaitStyle for `preset` (normal | exo | mixed)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}")
    if preset == "mixed":
        preset = str(rng.choice(["normal", "exo", "hemiparetic"], p=[0.35, 0.45, 0.2]))
    treadmill = bool(rng.random() < 0.2)
    if preset == "normal":
        speed = rng.uniform(0.8, 1.3)
        return GaitStyle("normal", cycle_s=float(1.1 / speed ** 0.5 * rng.uniform(0.95, 1.05)),
                         stance_fraction=_pair(float(rng.uniform(0.58, 0.64))),
                         knee_flexion_scale=_pair(float(rng.uniform(0.9, 1.1))), ankle_scale=_pair(1.0),
                         step_scale=float(speed ** 0.5), treadmill=treadmill, exoskeleton=False,
                         prop=str(rng.choice(["none", "none", "handrail", "parallel_bars"])),
                         arm=ArmStyle(float(rng.uniform(0.4, 0.8)), float(rng.uniform(10, 30))))
    if preset == "exo":
        return GaitStyle("exo", cycle_s=float(rng.uniform(1.8, 3.0)),
                         stance_fraction=_pair(float(rng.uniform(0.66, 0.75))),
                         knee_flexion_scale=_pair(float(rng.uniform(0.45, 0.75))),
                         ankle_scale=_pair(float(rng.uniform(0.2, 0.5))),
                         step_scale=float(rng.uniform(0.5, 0.75)), treadmill=treadmill,
                         exoskeleton=bool(rng.random() < 0.9),
                         prop=str(rng.choice(["parallel_bars", "walker_frame", "walker_frame", "handrail", "none"])),
                         arm=ArmStyle(0.15, 25.0))
    weak = int(rng.integers(2))  # 0: left, 1: right
    stance, knee, ankle = [0.62, 0.62], [1.0, 1.0], [1.0, 1.0]
    stance[weak], knee[weak], ankle[weak] = rng.uniform(0.5, 0.56), rng.uniform(0.4, 0.7), rng.uniform(0.3, 0.6)
    stance[1 - weak] = rng.uniform(0.66, 0.72)
    return GaitStyle("hemiparetic", cycle_s=float(rng.uniform(1.4, 2.2)), stance_fraction=tuple(stance),
                     knee_flexion_scale=tuple(knee), ankle_scale=tuple(ankle), step_scale=float(rng.uniform(0.6, 0.85)),
                     treadmill=treadmill, exoskeleton=bool(rng.random() < 0.3),
                     prop=str(rng.choice(["none", "handrail", "parallel_bars", "walker_frame"])),
                     arm=ArmStyle(float(rng.uniform(0.1, 0.4)), float(rng.uniform(15, 45))))
