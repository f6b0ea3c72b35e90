"""Real human walks from motion capture (CMU BVH) with exact truth, cut into straight passes.

The yardstick of the gait analysis on real motion (`python -m gaitpose.gait.validate --mocap DIR`):
each BVH walk is read (`gaitpose.data.bvh`), turned into metres and a z-up frame, and cut into
straight passes (the walker's pelvis keeps one heading and travels far enough); each pass is put
into its own walking frame (x forward, y to the walker's left, z up) so a side camera can film it
as it would in a clinic. The truth comes from the 3D data:

* joints: the skeleton's hip, knee, ankle and shoulder joint centres; the toe tip (the toe's end
  site) and a heel point fixed in the foot (below the ankle at the toe tip's foot-flat height,
  `HEEL_BEHIND_ANKLE` ankle-to-toe-base lengths behind it: the BVH skeleton has no heel);
* foot contact: the foot is on the floor while its heel point or its toe tip moves slower than
  `CONTACT_SPEED_FRACTION` of the foot's swing speed (95th percentile over the walk; positions
  low-passed at `SPEED_CUTOFF_HZ` first) and is within `CONTACT_HEIGHT_M` of that point's floor
  height (its 5th-percentile height over the walk); heel strike (initial contact) starts a contact,
  toe off ends it. Contacts shorter than 0.1 s and breaks shorter than 50 ms are noise;
* sagittal hip and knee angles as SPEC §8 defines them (thigh from the downward vertical, positive
  forward; knee = thigh − shank), from the 3D segments projected onto the pass's sagittal plane;
* footprints: where the heel point is during the first 50 ms of each contact; step length = the
  distance along the pass between a heel strike's footprint and the other foot's last one.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.signal import butter, filtfilt

from gaitpose.arrays import true_runs
from gaitpose.data.bvh import Bvh, forward_kinematics, read_bvh
from gaitpose.errors import GaitposeError
from gaitpose.skeleton import JOINTS, SIDES

CMU_UNIT_M = 0.0254 / 0.45          # CMU BVH length unit (inch / 0.45; ../shared/data/README.md)
CMU_JOINTS = {                      # our names → CMU BVH joint names, per side
    "shoulder": "{S}Shoulder", "hip": "{S}Hip", "knee": "{S}Knee", "ankle": "{S}Ankle",
    "toe_base": "{S}Toe", "toe": "{S}Toe_end",
}
HEEL_BEHIND_ANKLE = 0.4             # heel point: this many ankle→toe-base lengths behind the ankle
CONTACT_HEIGHT_M = 0.05
CONTACT_SPEED_FRACTION = 0.2
SPEED_CUTOFF_HZ = 12.0
MIN_CONTACT_S, MIN_BREAK_S = 0.10, 0.05
FOOTPRINT_S = 0.05
# Straight passes: heading of the pelvis within this of the pass's mean heading, moving at least
# MIN_SPEED, travelling at least MIN_PASS_M.
MAX_HEADING_DEV_DEG = 20.0
MIN_SPEED_M_S = 0.3
MIN_PASS_M = 2.0


@dataclass
class MocapPass:
    """One straight pass of a real walk, in its walking frame (metres; x forward, y left, z up).

    points[name]: T×3 for the 8 joints and `{side}_heel`, `{side}_toe`; events: (side, kind, time_s)
    sorted; steps: (side, heel-strike time_s, step_length_m); stance/swing per side averaged over the
    complete cycles of the pass (NaN without one).
    """

    name: str
    fps: float
    time_s: np.ndarray
    points: dict[str, np.ndarray]
    angles_deg: dict[str, np.ndarray]
    events: list[tuple[str, str, float]]
    steps: list[tuple[str, float, float]]
    thigh_m: tuple[float, float]
    shank_m: tuple[float, float]
    stance_time_s: dict[str, float] = field(default_factory=dict)
    swing_time_s: dict[str, float] = field(default_factory=dict)
    cycle_s: float = float("nan")

    def keypoints_tx8x3(self) -> np.ndarray:
        """The 8 skeleton joints (T×8×3, skeleton order)."""
        return np.stack([self.points[j] for j in JOINTS], axis=1)

    def subsample(self, step: int) -> "MocapPass":
        """Every `step`-th frame (a lower camera frame rate); events and truth keep their times."""
        return MocapPass(self.name, self.fps / step, self.time_s[::step],
                         {k: v[::step] for k, v in self.points.items()},
                         {k: v[::step] for k, v in self.angles_deg.items()},
                         self.events, self.steps, self.thigh_m, self.shank_m,
                         self.stance_time_s, self.swing_time_s, self.cycle_s)


def _side_prefix(side: str) -> str:
    return "Left" if side == "left" else "Right"


def world_points(bvh: Bvh, unit_m: float = CMU_UNIT_M) -> dict[str, np.ndarray]:
    """Our joints (and toe base, toe tip, heel point) in metres, z up (BVH is y up): name → F×3."""
    pos, rot = forward_kinematics(bvh)
    y_up = np.array([[1.0, 0, 0], [0, 0, -1.0], [0, 1.0, 0]])   # BVH (x, y, z) → (x, −z, y): z up
    out: dict[str, np.ndarray] = {}
    for side in SIDES:
        s = _side_prefix(side)
        for part, pattern in CMU_JOINTS.items():
            out[f"{side}_{part}"] = pos[:, bvh.index(pattern.format(S=s))] * unit_m @ y_up.T
        ankle_j = bvh.index(f"{s}Ankle")
        to_base = bvh.offsets[bvh.index(f"{s}Toe")]                      # in the ankle's frame
        forward = np.array([to_base[0], 0.0, to_base[2]])
        forward /= np.linalg.norm(forward)
        ankle_y = pos[:, ankle_j, 1]
        toe_y = pos[:, bvh.index(f"{s}Toe_end"), 1]
        drop = np.percentile(ankle_y, 10) - np.percentile(toe_y, 10)   # ankle above the toe tip, foot flat
        local = -HEEL_BEHIND_ANKLE * np.linalg.norm(to_base) * forward - np.array([0.0, drop, 0.0])
        heel = pos[:, ankle_j] + rot[:, ankle_j] @ local
        out[f"{side}_heel"] = heel * unit_m @ y_up.T
    return out


def segment_lengths_m(bvh: Bvh, unit_m: float = CMU_UNIT_M) -> tuple[tuple[float, float], tuple[float, float]]:
    """(thigh, shank) per side (left, right) from the skeleton's offsets: what a clinic would measure."""
    thigh = tuple(float(np.linalg.norm(bvh.offsets[bvh.index(f"{_side_prefix(s)}Knee")]) * unit_m) for s in SIDES)
    shank = tuple(float(np.linalg.norm(bvh.offsets[bvh.index(f"{_side_prefix(s)}Ankle")]) * unit_m) for s in SIDES)
    return thigh, shank  # type: ignore[return-value]


def straight_passes(pelvis_xy_tx2: np.ndarray, fps: float) -> list[tuple[int, int, np.ndarray]]:
    """[start, stop) frames and unit heading (2) of each straight pass of a walk's pelvis path.

    The heading is the direction of the pelvis' velocity smoothed over 0.5 s. A pass is a run of
    frames moving faster than MIN_SPEED_M_S whose heading stays within MAX_HEADING_DEV_DEG of the
    run's mean heading (a run is split where it turns) and that travels at least MIN_PASS_M.
    """
    n = len(pelvis_xy_tx2)
    half = max(1, int(round(0.25 * fps)))
    idx = np.arange(n)
    lo, hi = np.clip(idx - half, 0, n - 1), np.clip(idx + half, 0, n - 1)
    vel = (pelvis_xy_tx2[hi] - pelvis_xy_tx2[lo]) / np.maximum(hi - lo, 1)[:, None] * fps
    speed = np.linalg.norm(vel, axis=1)
    heading = np.arctan2(vel[:, 1], vel[:, 0])
    out = []
    for a, b in true_runs(speed > MIN_SPEED_M_S):
        start = a
        while start < b:
            stop = start + 1
            ref = heading[start]
            while stop < b:
                mean = np.angle(np.mean(np.exp(1j * heading[start:stop + 1])))
                if abs(np.degrees(np.angle(np.exp(1j * (heading[stop] - mean))))) > MAX_HEADING_DEV_DEG \
                        or abs(np.degrees(np.angle(np.exp(1j * (heading[stop] - ref))))) > 2 * MAX_HEADING_DEV_DEG:
                    break
                stop += 1
            travel = pelvis_xy_tx2[stop - 1] - pelvis_xy_tx2[start]
            if np.linalg.norm(travel) >= MIN_PASS_M:
                out.append((start, stop, travel / np.linalg.norm(travel)))
            start = stop
    return out


def smoothed_speed_m_s(p_tx3: np.ndarray, fps: float) -> np.ndarray:
    """Speed (T) of a point after a zero-lag low-pass at SPEED_CUTOFF_HZ (marker jitter at 120 Hz
    would otherwise dominate a frame-to-frame difference)."""
    if len(p_tx3) > 12 and fps > 2.5 * SPEED_CUTOFF_HZ:
        b, a = butter(2, SPEED_CUTOFF_HZ / (fps / 2))
        p_tx3 = filtfilt(b, a, p_tx3, axis=0)
    return np.linalg.norm(np.gradient(p_tx3, axis=0), axis=1) * fps


def foot_contacts(heel_tx3: np.ndarray, toe_tx3: np.ndarray, fps: float, heel_floor_m: float,
                  toe_floor_m: float, swing_speed_m_s: float) -> list[tuple[float, float]]:
    """(heel strike, toe off) times (s) of each contact of one foot; an end is NaN where the
    recording cuts the contact.

    The foot is on the floor while its heel point or toe tip is slower than CONTACT_SPEED_FRACTION of
    the foot's swing speed (`swing_speed_m_s`, from the whole walk) and within CONTACT_HEIGHT_M of
    that point's floor height."""
    contact = np.zeros(len(heel_tx3), bool)
    for p, floor in ((heel_tx3, heel_floor_m), (toe_tx3, toe_floor_m)):
        speed = smoothed_speed_m_s(p, fps)
        contact |= (p[:, 2] - floor < CONTACT_HEIGHT_M) & (speed < CONTACT_SPEED_FRACTION * swing_speed_m_s)
    for a, b in true_runs(~contact):                       # short breaks are noise
        if a > 0 and b < len(contact) and (b - a) / fps < MIN_BREAK_S:
            contact[a:b] = True
    out = []
    for a, b in true_runs(contact):
        if (b - a) / fps < MIN_CONTACT_S:
            continue
        out.append((a / fps if a > 0 else float("nan"), (b - 1) / fps if b < len(contact) else float("nan")))
    return out


def sagittal_angles_deg(points: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Hip (thigh) and knee flexion per side in the x–z plane of the walking frame (SPEC §8)."""
    def seg(top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
        d = bottom - top
        return np.degrees(np.arctan2(d[:, 0], -d[:, 2]))
    out = {}
    for side in SIDES:
        thigh = seg(points[f"{side}_hip"], points[f"{side}_knee"])
        shank = seg(points[f"{side}_knee"], points[f"{side}_ankle"])
        out[f"{side}_hip_deg"] = thigh
        out[f"{side}_knee_deg"] = thigh - shank
    return out


def foot_references(pts: dict[str, np.ndarray], fps: float) -> dict[str, tuple[float, float, float]]:
    """Per side, from the whole walk (a pass may be too short to tell): the heel point's and the toe
    tip's floor heights (5th-percentile height) and the foot's swing speed (95th percentile of the
    slower of the two) — what `foot_contacts` measures against."""
    out = {}
    for side in SIDES:
        heel, toe = pts[f"{side}_heel"], pts[f"{side}_toe"]
        swing = np.percentile(np.minimum(smoothed_speed_m_s(heel, fps), smoothed_speed_m_s(toe, fps)), 95)
        out[side] = (float(np.percentile(heel[:, 2], 5)), float(np.percentile(toe[:, 2], 5)), float(swing))
    return out


def make_pass(name: str, pts: dict[str, np.ndarray], fps: float, start: int, stop: int,
              heading_xy: np.ndarray, thigh_m: tuple[float, float], shank_m: tuple[float, float],
              feet_ref: dict[str, tuple[float, float, float]]) -> MocapPass:
    """Frames [start, stop) of a walk as a MocapPass in the pass's walking frame, with its truth
    (`feet_ref`: the walk's `foot_references`)."""
    fwd = np.array([heading_xy[0], heading_xy[1], 0.0])
    left = np.cross([0.0, 0.0, 1.0], fwd)
    basis = np.stack([fwd, left, [0.0, 0.0, 1.0]])             # rows: new x, y, z in world
    origin = pts["left_hip"][start].copy()
    origin[2] = 0.0
    local = {k: (v[start:stop] - origin) @ basis.T for k, v in pts.items()}
    time_s = np.arange(stop - start) / fps
    events: list[tuple[str, str, float]] = []
    contacts: dict[str, list[tuple[float, float]]] = {}
    for side in SIDES:
        contacts[side] = foot_contacts(local[f"{side}_heel"], local[f"{side}_toe"], fps, *feet_ref[side])
        for hs, to in contacts[side]:
            if np.isfinite(hs):
                events.append((side, "heel_strike", hs))
            if np.isfinite(to):
                events.append((side, "toe_off", to))
    events.sort(key=lambda e: e[2])
    prints = []
    for side in SIDES:
        heel = local[f"{side}_heel"]
        for hs, _ in contacts[side]:
            if np.isfinite(hs):
                i = int(round(hs * fps))
                prints.append((hs, side, float(np.mean(heel[i: i + max(1, int(FOOTPRINT_S * fps)), 0]))))
    prints.sort()
    steps = [(side, t, x - prev[2]) for prev, (t, side, x) in zip(prints, prints[1:]) if prev[1] != side]
    stance, swing, cycles = {}, {}, []
    for side in SIDES:
        c = [(hs, to) for hs, to in contacts[side] if np.isfinite(hs) and np.isfinite(to)]
        st, sw = [], []
        for (hs0, to0), (hs1, _) in zip(c, c[1:]):
            st.append(to0 - hs0)
            sw.append(hs1 - to0)
            cycles.append(hs1 - hs0)
        stance[side] = float(np.mean(st)) if st else float("nan")
        swing[side] = float(np.mean(sw)) if sw else float("nan")
    return MocapPass(name, fps, time_s, local, sagittal_angles_deg(local), events, steps, thigh_m, shank_m,
                     stance, swing, float(np.mean(cycles)) if cycles else float("nan"))


def read_walk(path: str | Path) -> tuple[list[MocapPass], str]:
    """The straight passes of one BVH walk, and why none when there are none ("" otherwise)."""
    p = Path(path)
    bvh = read_bvh(p)
    missing = [CMU_JOINTS[part].format(S=_side_prefix(side)) for side in SIDES for part in CMU_JOINTS
               if CMU_JOINTS[part].format(S=_side_prefix(side)) not in bvh.names]
    if missing:
        raise GaitposeError(f"{p}: BVH lacks the leg joints {', '.join(missing)} (CMU names expected)")
    pts = world_points(bvh)
    thigh, shank = segment_lengths_m(bvh)
    pelvis_xy = (pts["left_hip"][:, :2] + pts["right_hip"][:, :2]) / 2
    passes = straight_passes(pelvis_xy, bvh.fps)
    feet_ref = foot_references(pts, bvh.fps)
    out = [make_pass(f"{p.stem}#{k + 1}" if len(passes) > 1 else p.stem, pts, bvh.fps, a, b, h, thigh, shank,
                     feet_ref) for k, (a, b, h) in enumerate(passes)]
    return out, ("" if out else f"no straight pass of {MIN_PASS_M:.0f} m (the walker turns or stands)")
