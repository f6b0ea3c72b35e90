"""A minimal kinematic walker, standing in until `gaitpose.data.walker` lands (then delete this file).

Footprints first, legs second: each heel strike puts the foot at an exact footprint; during stance
the foot rolls over the heel (loading), lies flat, then rolls over the toe (push-off) — the contact
point never slides. The swing ankle follows a smooth lifted path to the next footprint. The pelvis
moves at constant speed and is lowered where a leg could not reach (the compass-gait bounce); the
knees come from two-link inverse kinematics with thigh/shank lengths from body height.

Anthropometric ratios of height: Winter (2009), Fig. 4.1 — thigh 0.245, shank 0.246, ankle height
0.039, foot length 0.152, hip width 0.191 (joint centres ≈ 0.1), shoulder width 0.259.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.geometry import UP, two_link, unit

THIGH, SHANK, ANKLE_HEIGHT, FOOT_LENGTH = 0.245, 0.246, 0.039, 0.152
HIP_SEPARATION, SHOULDER_SEPARATION = 0.1, 0.2


@dataclass(frozen=True)
class WalkParams:
    height_m: float
    cycle_s: float
    stride_m: float
    stance_fraction: tuple[float, float]  # left, right
    swing_lift_m: tuple[float, float]  # ankle lift in swing (sets knee flexion)
    ankle_scale: tuple[float, float]  # foot pitch range: 15° toe up at heel strike, 25° toe down at toe off
    right_phase: float = 0.5  # right heel strike, as a fraction of the cycle after the left one
    n_cycles: float = 4.0
    fps: float = 30.0
    treadmill: bool = False
    facing: float = 1.0  # +1: walking towards +x, -1: towards -x
    trunk_lean_deg: float = 3.0


@dataclass(frozen=True)
class WalkTruth:
    """Exact events (frame indices may be fractional times: use the *_s arrays) and footprints."""

    heel_strike_s: dict[str, np.ndarray]
    toe_off_s: dict[str, np.ndarray]
    footprint_x_m: dict[str, np.ndarray]  # heel position at each heel strike, along the walking direction
    thigh_m: float
    shank_m: float
    speed_m_s: float


def _foot_offsets(height_m: float) -> tuple[np.ndarray, np.ndarray]:
    """(heel, toe) relative to the ankle in the sagittal plane (forward, up), foot flat."""
    flen, ah = FOOT_LENGTH * height_m, ANKLE_HEIGHT * height_m
    return np.array([-0.25 * flen, -ah]), np.array([0.75 * flen, -ah])


def _rot(p_rad: np.ndarray) -> np.ndarray:
    c, s = np.cos(p_rad), np.sin(p_rad)
    return np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2)  # ...×2×2, positive: toe up


def _foot_track(t: np.ndarray, params: WalkParams, side: int, heel_ahead_m: float) -> tuple[np.ndarray, np.ndarray, dict]:
    """Ankle (T×2: forward, up) and foot pitch (T) of one side over time (overground), plus its events."""
    T, st = params.cycle_s, params.stance_fraction[side]
    offset = 0.0 if side == 0 else params.right_phase * T
    v = params.stride_m / T
    heel_off, toe_off = _foot_offsets(params.height_m)
    p_hs, p_to = np.deg2rad(15.0) * params.ankle_scale[side], -np.deg2rad(25.0) * params.ankle_scale[side]
    k = np.floor((t - offset) / T)  # current cycle index (heel strike k at offset + k T)
    tau = (t - offset - k * T) / T  # phase in the cycle, 0 = heel strike
    hs_time = offset + k * T
    heel_x = v * hs_time + heel_ahead_m  # footprint of the current cycle
    ankle = np.zeros((len(t), 2))
    pitch = np.zeros(len(t))
    # Stance: loading (rotate about the heel), flat, push-off (rotate about the toe).
    stance = tau < st
    u = tau / st
    load, flat, push = stance & (u < 0.12), stance & (u >= 0.12) & (u < 0.6), stance & (u >= 0.6)
    pitch[load] = p_hs * (1 - u[load] / 0.12)
    pitch[push] = p_to * ((u[push] - 0.6) / 0.4)
    heel_pt = np.stack([heel_x, np.zeros_like(heel_x)], 1)
    toe_pt = heel_pt + (toe_off - heel_off) * [1, 0]
    rot = _rot(pitch)
    ankle[load | flat] = heel_pt[load | flat] - np.einsum("nij,j->ni", rot[load | flat], heel_off)
    ankle[push] = toe_pt[push] - np.einsum("nij,j->ni", rot[push], toe_off)
    # Swing: from the toe-off pose to the next heel-strike pose along a lifted, eased path.
    sw = ~stance
    w = (tau[sw] - st) / (1 - st)
    a0 = toe_pt[sw] - np.einsum("ij,j->i", _rot(np.array(p_to)), toe_off)
    next_heel = np.stack([heel_x[sw] + params.stride_m, np.zeros(sw.sum())], 1)
    a1 = next_heel - np.einsum("ij,j->i", _rot(np.array(p_hs)), heel_off)
    ease = 0.5 - 0.5 * np.cos(np.pi * w)
    ankle[sw] = a0 + (a1 - a0) * ease[:, None]
    ankle[sw, 1] += params.swing_lift_m[side] * np.sin(np.pi * np.clip(w * 1.3, 0, 1)) ** 2
    pitch[sw] = p_to + (p_hs - p_to) * ease
    n = int(np.ceil(t[-1] / T)) + 1
    hs = offset + np.arange(-1, n) * T
    events = {"heel_strike_s": hs, "toe_off_s": hs + st * T, "footprint_x_m": v * hs + heel_ahead_m}
    return ankle, pitch, events


def simulate(params: WalkParams) -> tuple[dict[str, np.ndarray], WalkTruth]:
    """World points (name → T×3, z up) and exact truth of one walk."""
    H = params.height_m
    l1, l2 = THIGH * H, SHANK * H
    t = np.arange(int(round(params.n_cycles * params.cycle_s * params.fps))) / params.fps
    v = params.stride_m / params.cycle_s
    heel_off, toe_off = _foot_offsets(H)
    tracks = [_foot_track(t, params, side, heel_ahead_m=0.22 * params.stride_m) for side in (0, 1)]
    pelvis_x = v * t
    # Pelvis height: nominal (slightly bent knees) but never higher than either leg can reach.
    reach = 0.998 * (l1 + l2)
    z = np.full(len(t), ANKLE_HEIGHT * H + 0.97 * (l1 + l2))
    for ankle, _, _ in tracks:
        dx = np.minimum(np.abs(ankle[:, 0] - pelvis_x), reach * 0.999)
        z = np.minimum(z, ankle[:, 1] + np.sqrt(reach ** 2 - dx ** 2))
    points: dict[str, np.ndarray] = {"pelvis": np.stack([pelvis_x, np.zeros_like(t), z], 1)}
    lean = np.deg2rad(params.trunk_lean_deg)
    trunk = np.array([np.sin(lean), 0.0, np.cos(lean)])
    shoulder_mid = points["pelvis"] + 0.288 * H * trunk
    for side, (name, y) in enumerate((("left", 1.0), ("right", -1.0))):
        ankle2, pitch, _ = tracks[side]
        lateral = np.array([0.0, y * HIP_SEPARATION * H / 2, 0.0])
        hip = points["pelvis"] + lateral
        ankle = np.stack([ankle2[:, 0], np.full(len(t), lateral[1]), ankle2[:, 1]], 1)
        rot = _rot(pitch)
        heel2 = ankle2 + np.einsum("nij,j->ni", rot, heel_off)
        toe2 = ankle2 + np.einsum("nij,j->ni", rot, toe_off)
        knee = np.stack([two_link(h, a, l1, l2, np.array([1.0, 0.0, 0.0])) for h, a in zip(hip, ankle)])
        points |= {f"{name}_hip": hip, f"{name}_knee": knee, f"{name}_ankle": ankle,
                   f"{name}_heel": np.stack([heel2[:, 0], ankle[:, 1], heel2[:, 1]], 1),
                   f"{name}_toe": np.stack([toe2[:, 0], ankle[:, 1], toe2[:, 1]], 1),
                   f"{name}_shoulder": shoulder_mid + [0.0, y * SHOULDER_SEPARATION * H / 2, 0.0]}
    points["neck"] = shoulder_mid + 0.035 * H * UP
    points["head"] = shoulder_mid + 0.1 * H * unit(trunk + UP)
    events = [tr[2] for tr in tracks]
    truth = WalkTruth({s: e["heel_strike_s"] for s, e in zip(("left", "right"), events)},
                      {s: e["toe_off_s"] for s, e in zip(("left", "right"), events)},
                      {s: e["footprint_x_m"] for s, e in zip(("left", "right"), events)}, l1, l2, v)
    if params.treadmill:  # the belt carries the feet back; the pelvis stays put
        for p in points.values():
            p[:, 0] -= pelvis_x
    if params.facing < 0:  # turn 180° about the vertical: walk towards −x, left side at −y
        for p in points.values():
            p[:, :2] *= -1
    return points, truth
