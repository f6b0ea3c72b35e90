"""Gait presets: how a synthetic subject walks, what they wear and hold.

`normal`: healthy walking at slow to fast speeds, arms swinging. `exo`: slow exoskeleton-assisted
walking — long stance, reduced knee flexion, stiff ankle (Ekso/ReWalk-like gait is about
0.2–0.5 m/s with stance near 70 % of the cycle), usually holding parallel bars or a walker
frame. `exo-shell`: the same gait in the held-out `shell` exoskeleton design (never part of
`mixed` nor of any training set: the fine-tuning gain of issue 12 is measured on it).
`hemiparetic`: the paretic side with a shorter stance, reduced knee flexion and a stiffer ankle,
and unequal step times. `mixed` draws from all of them. Any walk may be on a treadmill.

A GaitStyle holds the walker's gait settings (`gaitpose.data.walker.WalkerParams`); the subject's
size, facing and start phase are added by `motion.simulate_walk`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from gaitpose.data.synth.bodies import ArmStyle

PRESETS: tuple[str, ...] = ("normal", "exo", "exo-shell", "hemiparetic", "mixed")
TREADMILL_FRACTION = 0.2
MIN_DOUBLE_SUPPORT = 0.06  # of the cycle, between one heel strike and the other foot's toe off


@dataclass(frozen=True)
class GaitStyle:
    """Per-side parameters are (left, right); pitches in degrees as in WalkerParams."""

    name: str
    cycle_s: float
    stance_fraction: tuple[float, float]
    right_phase: float  # right heel strike after the left one, fraction of the cycle (0.5: even steps)
    knee_flexion_scale: tuple[float, float]  # of the normal 60° swing peak
    heel_strike_pitch_deg: float
    toe_off_pitch_deg: float
    step_scale: float  # stride length relative to a normal stride at this height (0.8 × height)
    trunk_lean_deg: float
    treadmill: bool
    exoskeleton: bool
    prop: str  # one of props.PROP_KINDS
    arm: ArmStyle
    exo_design: str = "frame"  # one of exoskeleton.DESIGNS


def _pair(value: float) -> tuple[float, float]:
    return (value, value)


def _ankle(scale: float) -> dict[str, float]:
    """Foot pitches at heel strike and toe off, `scale` of the normal 15° / −35° (1 = free ankle)."""
    return {"heel_strike_pitch_deg": 15.0 * scale, "toe_off_pitch_deg": -35.0 * scale}


def sample_style(rng: np.random.Generator, preset: str) -> GaitStyle:
    """A random GaitStyle for `preset` (normal | exo | hemiparetic | mixed)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}")
    if preset == "mixed":
        preset = str(rng.choice(["normal", "exo", "hemiparetic"], p=[0.35, 0.45, 0.2]))
    treadmill = bool(rng.random() < TREADMILL_FRACTION)
    if preset == "normal":
        # Relative speed 0.6 (slow) … 1.3 (fast): stride grows and cycle shortens with the square root.
        speed = rng.uniform(0.6, 1.3)
        return GaitStyle("normal", cycle_s=float(1.1 / speed ** 0.5 * rng.uniform(0.95, 1.05)),
                         stance_fraction=_pair(float(rng.uniform(0.58, 0.64))), right_phase=0.5,
                         knee_flexion_scale=_pair(float(rng.uniform(0.9, 1.1))), **_ankle(float(rng.uniform(0.8, 1.0))),
                         step_scale=float(speed ** 0.5), trunk_lean_deg=float(rng.uniform(0, 5)),
                         treadmill=treadmill, exoskeleton=False,
                         prop=str(rng.choice(["none", "none", "handrail", "parallel_bars"])),
                         arm=ArmStyle(float(rng.uniform(0.4, 0.8)), float(rng.uniform(10, 30))))
    if preset == "exo-shell":
        style = sample_style(rng, "exo")
        return replace(style, name="exo-shell", exoskeleton=True, exo_design="shell")
    if preset == "exo":
        return GaitStyle("exo", cycle_s=float(rng.uniform(1.8, 3.0)),
                         stance_fraction=_pair(float(rng.uniform(0.66, 0.75))), right_phase=0.5,
                         knee_flexion_scale=_pair(float(rng.uniform(0.45, 0.75))), **_ankle(float(rng.uniform(0.25, 0.45))),
                         step_scale=float(rng.uniform(0.5, 0.75)), trunk_lean_deg=float(rng.uniform(4, 10)),
                         treadmill=treadmill, exoskeleton=bool(rng.random() < 0.9),
                         prop=str(rng.choice(["parallel_bars", "walker_frame", "walker_frame", "handrail", "none"])),
                         arm=ArmStyle(0.15, 25.0))
    weak = int(rng.integers(2))  # 0: left, 1: right
    stance, knee = [0.0, 0.0], [1.0, 1.0]
    stance[weak], stance[1 - weak] = rng.uniform(0.55, 0.60), rng.uniform(0.66, 0.72)
    knee[weak] = rng.uniform(0.4, 0.7)
    # Unequal step times, but both feet on the floor after every heel strike (no flight phase):
    # 1 − stance_right < right_phase < stance_left.
    low, high = 1 - stance[1] + MIN_DOUBLE_SUPPORT, stance[0] - MIN_DOUBLE_SUPPORT
    right_phase = float(np.clip(0.5 + rng.uniform(-0.08, 0.08), low, high))
    return GaitStyle("hemiparetic", cycle_s=float(rng.uniform(1.4, 2.2)), stance_fraction=tuple(stance),
                     right_phase=right_phase, knee_flexion_scale=tuple(knee), **_ankle(float(rng.uniform(0.4, 0.7))),
                     step_scale=float(rng.uniform(0.6, 0.85)), trunk_lean_deg=float(rng.uniform(2, 8)),
                     treadmill=treadmill, exoskeleton=bool(rng.random() < 0.3),
                     prop=str(rng.choice(["none", "handrail", "parallel_bars", "walker_frame"])),
                     arm=ArmStyle(float(rng.uniform(0.1, 0.4)), float(rng.uniform(15, 45))))
