"""A pure-numpy kinematic walker with a rolling foot and its exact truth (events, footprints, angles).

World axes (metres, right-handed): **x** = the walking line (the subject walks towards +x when
`facing = +1`, towards −x when `facing = -1`), **y** = lateral (the subject's left side is at
+y·facing), **z** = up; the floor is z = 0. This matches `gaitpose.data.synth.geometry`.

How a walk is built (footprints first, so the feet never skate):

1. Events are scheduled per side: heel strike at `k·cycle + phase`, toe off `stance_fraction·cycle`
   later. Events are therefore exact times, not frames. `start_phase` shifts the whole schedule so
   that a recording may begin anywhere in the cycle.
2. Each heel strike puts the heel on a footprint `reach·stride` ahead of the pelvis. During stance
   the foot rolls over the floor (Perry & Burnfield 2010, the three rockers): heel rocker (pivot on
   the heel, foot pitch from `heel_strike_pitch_deg` to 0), foot flat, toe rocker (pivot on the toe,
   pitch down to `toe_off_pitch_deg`). The contact point never slides.
3. The pelvis moves at constant speed (stride / cycle) with a vertical bounce, lowered where a
   stance leg could not reach its ankle (a running minimum then a moving average keeps it smooth
   and never above the reach limit).
4. Swing: thigh and knee angles run from their toe-off values to their heel-strike values, the knee
   adding a flexion bump so that it peaks at `knee_peak_deg · knee_flexion_scale` (normal gait:
   about 60° at ~70 % of the cycle, Perry & Burnfield 2010); the foot pitch runs from the toe-off to
   the heel-strike pitch, and the foot is lifted if it would touch the floor.
5. Knees come from two-link inverse kinematics (knee forward); the true angles are measured from
   the final positions (SPEC §8 conventions), so truth and geometry agree exactly.
6. Treadmill: the same walk seen in a frame moving with the pelvis (x − speed·t): the stance foot
   moves backwards at the belt speed, footprints are kept in belt coordinates.

Body proportions as fractions of height H — Winter (2009), *Biomechanics and Motor Control of
Human Movement*, 4th ed., Fig. 4.1: thigh 0.245, shank 0.246, ankle height 0.039, foot length 0.152,
hip joint height 0.530, shoulder height 0.818, chin 0.870, upper arm 0.186, forearm 0.146,
shoulder width 0.259. Hip joint centre separation ≈ 0.1 H (hip width 0.191 H minus soft tissue).
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

# Winter (2009), Fig. 4.1: segment lengths as fractions of body height.
THIGH_RATIO = 0.245
SHANK_RATIO = 0.246
ANKLE_HEIGHT_RATIO = 0.039
FOOT_LENGTH_RATIO = 0.152
HIP_TO_SHOULDER_RATIO = 0.818 - 0.530
NECK_TO_HEAD_CENTRE_RATIO = 0.936 - 0.818
UPPER_ARM_RATIO = 0.186
FOREARM_RATIO = 0.146
SHOULDER_WIDTH_RATIO = 0.259
HIP_SEPARATION_RATIO = 0.10
HEEL_BEHIND_ANKLE_FRACTION = 0.25  # of foot length; the rest lies in front of the ankle

SIDES = ("left", "right")
POINT_NAMES: tuple[str, ...] = (
    "left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee", "right_knee",
    "left_ankle", "right_ankle", "left_heel", "right_heel", "left_toe", "right_toe",
    "left_elbow", "right_elbow", "left_wrist", "right_wrist", "pelvis", "neck", "head",
)


@dataclass(frozen=True)
class WalkerParams:
    """One walker. Pairs are (left, right). Defaults: a healthy adult at a comfortable speed."""

    height_m: float = 1.75
    thigh_scale: float = 1.0            # individual variation of the Winter ratios
    shank_scale: float = 1.0
    cycle_s: float = 1.1
    stride_length_m: float | None = None  # default 0.8·height (comfortable speed)
    stance_fraction: tuple[float, float] = (0.60, 0.60)
    knee_flexion_scale: tuple[float, float] = (1.0, 1.0)  # scales the swing peak
    knee_peak_deg: float = 60.0         # peak swing knee flexion (Perry & Burnfield 2010)
    right_phase: float = 0.5            # right heel strike after the left one, fraction of the cycle
    start_phase: float = 0.0            # where in the cycle t = 0 falls (0: a left heel strike), fraction
    reach_fraction: float = 0.23        # heel ahead of the pelvis at heel strike, fraction of stride
    heel_strike_pitch_deg: float = 15.0  # foot toe-up angle to the floor at heel strike
    toe_off_pitch_deg: float = -35.0     # foot angle at toe off (toe down)
    foot_flat_fraction: float = 0.17     # of stance: end of the heel rocker
    heel_off_fraction: float = 0.60      # of stance: start of the toe rocker
    pelvis_drop_m: float = 0.0          # pelvis height below standing (2 cm ≈ 24° stance knee flexion)
    pelvis_bounce_m: float = 0.015      # vertical amplitude, twice per cycle
    trunk_lean_deg: float = 3.0         # forward lean of the trunk
    arm_swing_deg: float = 30.0         # peak-to-peak shoulder swing
    n_cycles: float = 4.0
    fps: float = 60.0
    treadmill: bool = False
    facing: int = 1                     # +1: walks towards +x; −1: towards −x
    start_x_m: float = 0.0


@dataclass
class WalkerResult:
    """Positions and exact truth. `points[name]` is T×3 (world, metres); angles are T arrays in degrees.

    events: (side, "heel_strike"|"toe_off", time_s) sorted by time, only inside [0, duration].
    footprints[side]: N×3 rows (heel-strike time_s, heel x, toe x) in the floor frame (belt frame on a
    treadmill: x + speed·t), for every heel strike of the walk incl. ones just outside the time span.
    steps: (leading side, heel-strike time_s, step_length_m), step length = footprint distance along
    the walking direction from the other foot's last footprint.
    """

    params: WalkerParams
    time_s: np.ndarray
    points: dict[str, np.ndarray]
    angles_deg: dict[str, np.ndarray]
    events: list[tuple[str, str, float]]
    footprints: dict[str, np.ndarray]
    steps: list[tuple[str, float, float]]
    thigh_m: float
    shank_m: float
    speed_m_s: float
    belt_speed_m_s: float
    stance_time_s: dict[str, float] = field(default_factory=dict)
    swing_time_s: dict[str, float] = field(default_factory=dict)

    def keypoints_tx8x3(self) -> np.ndarray:
        """World positions of the 8 skeleton joints (T×8×3), skeleton order."""
        from gaitpose.skeleton import JOINTS
        return np.stack([self.points[j] for j in JOINTS], axis=1)


def _rot(v_nx2: np.ndarray, pitch_rad: np.ndarray) -> np.ndarray:
    """Rotate sagittal (forward, up) vectors by pitch (positive: counter-clockwise = toe up)."""
    c, s = np.cos(pitch_rad), np.sin(pitch_rad)
    return np.stack([c * v_nx2[..., 0] - s * v_nx2[..., 1], s * v_nx2[..., 0] + c * v_nx2[..., 1]], axis=-1)


def _smooth(p: np.ndarray) -> np.ndarray:
    """0→1 with zero slope at both ends."""
    p = np.clip(p, 0.0, 1.0)
    return 0.5 - 0.5 * np.cos(np.pi * p)


def _hermite(s: np.ndarray, p0, m0, p1, m1) -> np.ndarray:
    """Cubic Hermite on s in [0, 1]: values p0, p1 and slopes (per unit s) m0, m1 at the ends."""
    s = np.clip(s, 0.0, 1.0)
    s2, s3 = s * s, s * s * s
    return (2 * s3 - 3 * s2 + 1) * p0 + (s3 - 2 * s2 + s) * m0 + (-2 * s3 + 3 * s2) * p1 + (s3 - s2) * m1


def _segment_angle(top_nx2: np.ndarray, bottom_nx2: np.ndarray) -> np.ndarray:
    """SPEC §8: angle of top→bottom from the downward vertical, positive forward (radians)."""
    d = bottom_nx2 - top_nx2
    return np.arctan2(d[..., 0], -d[..., 1])


class _Walk:
    """The sagittal (forward u, up v) construction, per side; then embedded in 3D."""

    def __init__(self, p: WalkerParams):
        self.p = p
        H = p.height_m
        self.l1 = THIGH_RATIO * H * p.thigh_scale
        self.l2 = SHANK_RATIO * H * p.shank_scale
        self.ankle_h = ANKLE_HEIGHT_RATIO * H
        foot = FOOT_LENGTH_RATIO * H
        self.heel_off = np.array([-HEEL_BEHIND_ANKLE_FRACTION * foot, -self.ankle_h])   # heel − ankle, flat
        self.toe_off = np.array([(1 - HEEL_BEHIND_ANKLE_FRACTION) * foot, -self.ankle_h])
        self.stride = p.stride_length_m if p.stride_length_m is not None else 0.8 * H
        self.speed = self.stride / p.cycle_s
        self.hip_height = self.ankle_h + self.l1 + self.l2
        self.reach = p.reach_fraction * self.stride
        self.phase = {"left": -p.start_phase * p.cycle_s, "right": (p.right_phase - p.start_phase) * p.cycle_s}
        self.stance = {s: p.stance_fraction[i] * p.cycle_s for i, s in enumerate(SIDES)}
        self.knee_scale = {s: p.knee_flexion_scale[i] for i, s in enumerate(SIDES)}
        self.duration = p.n_cycles * p.cycle_s
        k = np.arange(-2, int(np.ceil(p.n_cycles)) + 3)
        self.hs = {s: k * p.cycle_s + self.phase[s] for s in SIDES}                # heel-strike times
        self.fp = {s: self.pelvis_u(self.hs[s]) + self.reach for s in SIDES}     # heel footprints (u)
        # Leg chain length at a nearly straight knee (5°): the reach limit of the pelvis.
        self.l_max = np.sqrt(self.l1 ** 2 + self.l2 ** 2 + 2 * self.l1 * self.l2 * np.cos(np.deg2rad(5.0)))

    def pelvis_u(self, t: np.ndarray) -> np.ndarray:
        return self.speed * np.asarray(t, float)

    def cycle_index(self, side: str, t: np.ndarray) -> np.ndarray:
        """Index into self.hs[side] of the last heel strike at or before t."""
        return np.searchsorted(self.hs[side], t, side="right") - 1

    def in_stance(self, side: str, t: np.ndarray) -> np.ndarray:
        i = self.cycle_index(side, t)
        return (t - self.hs[side][i]) < self.stance[side]

    def stance_foot(self, side: str, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Ankle (N×2) and foot pitch (N) of a stance foot rolling over its footprint (valid in stance)."""
        p = self.p
        i = self.cycle_index(side, t)
        q = np.clip((t - self.hs[side][i]) / self.stance[side], 0.0, 1.0)  # fraction of stance
        heel_pt = np.stack([self.fp[side][i], np.zeros_like(q)], axis=-1)
        toe_pt = heel_pt + (self.toe_off - self.heel_off)
        hs_pitch, to_pitch = np.deg2rad(p.heel_strike_pitch_deg), np.deg2rad(p.toe_off_pitch_deg)
        pitch = np.where(q < p.foot_flat_fraction, hs_pitch * np.clip(1 - q / p.foot_flat_fraction, 0, 1) ** 1.5, 0.0)
        rising = np.clip((q - p.heel_off_fraction) / (1 - p.heel_off_fraction), 0.0, 1.0)
        pitch = np.where(q > p.heel_off_fraction, to_pitch * rising ** 1.5, pitch)
        on_heel = heel_pt - _rot(np.broadcast_to(self.heel_off, heel_pt.shape), pitch)
        on_toe = toe_pt - _rot(np.broadcast_to(self.toe_off, toe_pt.shape), pitch)
        ankle = np.where((q > p.heel_off_fraction)[:, None], on_toe, on_heel)
        return ankle, pitch

    def pelvis_v(self, t: np.ndarray) -> np.ndarray:
        """Pelvis (hip-joint) height: nominal bounce, lowered where a stance leg cannot reach."""
        p = self.p
        dt = 1e-3
        fine = np.arange(-0.5, self.duration + 0.5 + dt, dt)
        nominal = (self.hip_height - p.pelvis_drop_m
                   + p.pelvis_bounce_m * np.cos(4 * np.pi * (fine - self.phase["left"] - 0.3 * p.cycle_s) / p.cycle_s))
        limit = nominal.copy()
        for side in SIDES:
            stance = self.in_stance(side, fine)
            ankle, _ = self.stance_foot(side, fine)
            du = ankle[:, 0] - self.pelvis_u(fine)
            reach_v = ankle[:, 1] + np.sqrt(np.maximum(self.l_max ** 2 - du ** 2, 0.0))
            limit = np.where(stance, np.minimum(limit, reach_v), limit)
        w = max(1, int(round(0.08 * p.cycle_s / dt)))
        pad = np.pad(limit, w, mode="edge")
        eroded = np.lib.stride_tricks.sliding_window_view(pad, 2 * w + 1).min(axis=1)
        kernel = np.ones(2 * w + 1) / (2 * w + 1)
        smooth = np.convolve(np.pad(eroded, w, mode="edge"), kernel, mode="valid")
        return np.interp(t, fine, smooth)

    def leg_ik(self, hip: np.ndarray, ankle: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Thigh and shank angles (radians) of a two-link leg, knee bent forward."""
        d_vec = ankle - hip
        d = np.clip(np.linalg.norm(d_vec, axis=-1), abs(self.l1 - self.l2) + 1e-9, self.l1 + self.l2 - 1e-9)
        beta = np.arctan2(d_vec[:, 0], -d_vec[:, 1])
        alpha = np.arccos(np.clip((self.l1 ** 2 + d ** 2 - self.l2 ** 2) / (2 * self.l1 * d), -1, 1))
        thigh = beta + alpha
        knee = hip + self.l1 * np.stack([np.sin(thigh), -np.cos(thigh)], axis=-1)
        shank = _segment_angle(knee, ankle)
        return thigh, shank

    def _stance_rates(self, side: str, t: np.ndarray, dt: float) -> tuple[np.ndarray, np.ndarray]:
        """(thigh, knee-flexion) angular velocities (rad/s) of the stance leg between t and t + dt."""
        vals = []
        for tt in (t, t + dt):
            ankle, _ = self.stance_foot(side, tt)
            hip = np.stack([self.pelvis_u(tt), self.pelvis_v(tt)], -1)
            th, sh = self.leg_ik(hip, ankle)
            vals.append((th, th - sh))
        return (vals[1][0] - vals[0][0]) / dt, (vals[1][1] - vals[0][1]) / dt

    def leg(self, side: str, t: np.ndarray, hip: np.ndarray) -> dict[str, np.ndarray]:
        """Ankle, heel, toe, knee (N×2) of one leg over time."""
        p = self.p
        ankle, pitch = self.stance_foot(side, t)
        stance = self.in_stance(side, t)
        swing = ~stance
        if swing.any():
            ts = t[swing]
            i = self.cycle_index(side, ts)
            t_to = self.hs[side][i] + self.stance[side]
            t_hs = self.hs[side][i + 1]
            s = (ts - t_to) / (t_hs - t_to)
            a_to, pitch_to = self.stance_foot(side, t_to - 1e-12)
            a_hs, pitch_hs = self.stance_foot(side, t_hs)
            hip_to = np.stack([self.pelvis_u(t_to), self.pelvis_v(t_to)], -1)
            hip_hs = np.stack([self.pelvis_u(t_hs), self.pelvis_v(t_hs)], -1)
            th_to, sh_to = self.leg_ik(hip_to, a_to)
            th_hs, sh_hs = self.leg_ik(hip_hs, a_hs)
            # The swing leaves stance with the stance knee's flexion rate (push-off continues into
            # initial swing) and arrives at heel strike at rest (terminal swing decelerates the leg).
            # The thigh already flexes forward at toe off (hip flexion starts in pre-swing, Perry &
            # Burnfield 2010): at least twice its mean swing rate, an ease-out, so the foot moves
            # forward from the moment it leaves the floor instead of swinging back behind the toe.
            dt = 1e-4
            w_th_to, w_k_to = self._stance_rates(side, t_to - dt, dt)
            w_th_hs = w_k_hs = 0.0
            dur = t_hs - t_to
            w_th_to = np.maximum(w_th_to, 2 * (th_hs - th_to) / dur)
            thigh = _hermite(s, th_to, w_th_to * dur, th_hs, w_th_hs * dur)
            base = _hermite(s, th_to - sh_to, w_k_to * dur, th_hs - sh_hs, w_k_hs * dur)
            peak_s, a_exp = 0.3, 2.0
            b_exp = a_exp * (1 - peak_s) / peak_s
            sc = np.clip(s, 0, 1)
            bump = (sc / peak_s) ** a_exp * ((1 - sc) / (1 - peak_s)) ** b_exp
            base_at_peak = _hermite(np.full_like(s, peak_s), th_to - sh_to, w_k_to * dur, th_hs - sh_hs, w_k_hs * dur)
            amp = np.maximum(np.deg2rad(p.knee_peak_deg) * self.knee_scale[side] - base_at_peak, 0.0)
            knee_flex = base + amp * bump
            shank = thigh - knee_flex
            h = hip[swing]
            a = h + self.l1 * np.stack([np.sin(thigh), -np.cos(thigh)], -1) \
                + self.l2 * np.stack([np.sin(shank), -np.cos(shank)], -1)
            pt = pitch_to + (pitch_hs - pitch_to) * _smooth(s)
            low = np.minimum(_rot(np.broadcast_to(self.heel_off, a.shape), pt)[:, 1],
                             _rot(np.broadcast_to(self.toe_off, a.shape), pt)[:, 1])
            clearance = 0.02 * np.sin(np.pi * np.clip(s, 0, 1))  # leaves and lands with the events
            a[:, 1] = np.maximum(a[:, 1], clearance - low)
            ankle = ankle.copy()
            pitch = pitch.copy()
            ankle[swing], pitch[swing] = a, pt
        heel = ankle + _rot(np.broadcast_to(self.heel_off, ankle.shape), pitch)
        toe = ankle + _rot(np.broadcast_to(self.toe_off, ankle.shape), pitch)
        thigh, _ = self.leg_ik(hip, ankle)
        knee = hip + self.l1 * np.stack([np.sin(thigh), -np.cos(thigh)], -1)
        return {"ankle": ankle, "heel": heel, "toe": toe, "knee": knee, "pitch": pitch}


def simulate(params: WalkerParams) -> WalkerResult:
    """Run the walker → positions at `params.fps` for `n_cycles` cycles, and the exact truth."""
    p = params
    if p.facing not in (1, -1):
        raise ValueError("facing must be +1 or -1")
    w = _Walk(p)
    n = int(round(w.duration * p.fps))
    t = np.arange(n) / p.fps
    hip = np.stack([w.pelvis_u(t), w.pelvis_v(t)], -1)
    legs = {s: w.leg(s, t, hip) for s in SIDES}

    # Trunk (sagittal): leans forward by trunk_lean_deg; shoulders swing with the opposite thigh.
    lean = np.deg2rad(p.trunk_lean_deg)
    trunk = HIP_TO_SHOULDER_RATIO * p.height_m
    neck = hip + trunk * np.array([np.sin(lean), np.cos(lean)])
    head = neck + NECK_TO_HEAD_CENTRE_RATIO * p.height_m * np.array([np.sin(lean), np.cos(lean)])

    angles: dict[str, np.ndarray] = {}
    for s in SIDES:
        L = legs[s]
        th = _segment_angle(hip, L["knee"])
        sh = _segment_angle(L["knee"], L["ankle"])
        trunk_down = _segment_angle(neck, hip)  # shoulder midpoint → hip line
        angles[f"{s}_thigh_deg"] = np.rad2deg(th)
        angles[f"{s}_shank_deg"] = np.rad2deg(sh)
        angles[f"{s}_hip_deg"] = np.rad2deg(th)
        angles[f"{s}_knee_deg"] = np.rad2deg(th - sh)
        angles[f"{s}_hip_trunk_deg"] = np.rad2deg(th - trunk_down)
        angles[f"{s}_ankle_pitch_deg"] = np.rad2deg(L["pitch"])

    # Embed in 3D: x = start + facing·(u − belt·t), y = lateral (left at +facing), z = up.
    belt = w.speed if p.treadmill else 0.0

    def to3d(uv: np.ndarray, lateral: float) -> np.ndarray:
        x = p.start_x_m + p.facing * (uv[:, 0] - belt * t)
        return np.stack([x, np.full_like(x, lateral * p.facing), uv[:, 1]], -1)

    half_hip = HIP_SEPARATION_RATIO * p.height_m / 2
    half_sh = SHOULDER_WIDTH_RATIO * p.height_m / 2
    pts: dict[str, np.ndarray] = {"pelvis": to3d(hip, 0.0), "neck": to3d(neck, 0.0), "head": to3d(head, 0.0)}
    for s, sign in (("left", 1.0), ("right", -1.0)):
        L = legs[s]
        pts[f"{s}_hip"] = to3d(hip, sign * half_hip)
        for part in ("knee", "ankle", "heel", "toe"):
            pts[f"{s}_{part}"] = to3d(L[part], sign * half_hip)
        pts[f"{s}_shoulder"] = to3d(neck, sign * half_sh)
        other = "right" if s == "left" else "left"
        th_other = np.deg2rad(angles[f"{other}_thigh_deg"])
        arm = np.deg2rad(p.arm_swing_deg) / 2 * (th_other - th_other.mean()) / max(np.ptp(th_other) / 2, 1e-6)
        elbow = neck + UPPER_ARM_RATIO * p.height_m * np.stack([np.sin(arm), -np.cos(arm)], -1)
        fore = arm + np.deg2rad(20.0)
        wrist = elbow + FOREARM_RATIO * p.height_m * np.stack([np.sin(fore), -np.cos(fore)], -1)
        pts[f"{s}_elbow"] = to3d(elbow, sign * half_sh)
        pts[f"{s}_wrist"] = to3d(wrist, sign * half_sh)

    events: list[tuple[str, str, float]] = []
    footprints: dict[str, np.ndarray] = {}
    for s in SIDES:
        hs = w.hs[s]
        for time in hs:
            if 0 <= time <= t[-1]:
                events.append((s, "heel_strike", float(time)))
            if 0 <= time + w.stance[s] <= t[-1]:
                events.append((s, "toe_off", float(time + w.stance[s])))
        heel_x = p.start_x_m + p.facing * w.fp[s]
        toe_x = heel_x + p.facing * (w.toe_off[0] - w.heel_off[0])
        footprints[s] = np.stack([hs, heel_x, toe_x], -1)
    events.sort(key=lambda e: e[2])

    steps: list[tuple[str, float, float]] = []
    for s in SIDES:
        other = "right" if s == "left" else "left"
        for time, fp in zip(w.hs[s], w.fp[s]):
            prev = np.flatnonzero(w.hs[other] < time)
            if len(prev) and 0 <= time <= t[-1]:
                steps.append((s, float(time), float(fp - w.fp[other][prev[-1]])))
    steps.sort(key=lambda e: e[1])

    return WalkerResult(
        params=p, time_s=t, points=pts, angles_deg=angles, events=events, footprints=footprints,
        steps=steps, thigh_m=w.l1, shank_m=w.l2, speed_m_s=w.speed, belt_speed_m_s=belt,
        stance_time_s=dict(w.stance), swing_time_s={s: p.cycle_s - w.stance[s] for s in SIDES},
    )
