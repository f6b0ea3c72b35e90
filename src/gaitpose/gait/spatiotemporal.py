"""Strides, stance/swing, double support, step and stride length, speed, cadence, symmetry (SPEC §8)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gaitpose.skeleton import SIDE_JOINTS, SIDES

# SPEC §8 phase symmetry index constants (paper): reference cycle and phase weights.
DPS_T0_S, DPS_STANCE_WEIGHT, DPS_SWING_WEIGHT = 1.2, 0.62, 0.38


@dataclass
class Stride:
    side: str
    start_frame: float        # heel strike (fractional frame)
    end_frame: float          # next heel strike of the same side
    toe_off_frame: float
    stride_time_s: float
    stance_time_s: float
    swing_time_s: float
    stance_pct: float
    double_support_s: float = float("nan")
    step_length_m: float = float("nan")
    step_length_paper_m: float = float("nan")
    stride_length_m: float = float("nan")
    speed_m_s: float = float("nan")


@dataclass
class StrideSet:
    strides: list[Stride] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)   # "left stride at 3.20 s: reason"


def _other(side: str) -> str:
    return "right" if side == "left" else "left"


def build_strides(events: dict[str, dict[str, list[float]]], valid_t: dict[str, np.ndarray], fps: float) -> StrideSet:
    """Pair heel strikes into strides with exactly one toe off between; drop (and say why) the rest,
    and the strides far from the median stride time (`pair_strides`, then `drop_irregular`).

    `valid_t[side]` marks frames with a usable ankle; a stride crossing a gap is dropped (a long gap
    is never bridged).
    """
    return drop_irregular(pair_strides(events, valid_t, fps), fps)


def pair_strides(events: dict[str, dict[str, list[float]]], valid_t: dict[str, np.ndarray], fps: float) -> StrideSet:
    """Consecutive heel strikes of a side with exactly one toe off between and no gap (`valid_t`) inside
    → strides; the other pairs are dropped and said why. Called per pass, so no stride spans a turn."""
    out = StrideSet()
    for side in SIDES:
        hs = sorted(events[side]["heel_strike"])
        to = np.array(sorted(events[side]["toe_off"]))
        for a, b in zip(hs[:-1], hs[1:]):
            where = f"{side} stride at {a / fps:.2f} s"
            frames = np.arange(int(np.floor(a)), int(np.ceil(b)) + 1)
            frames = frames[(frames >= 0) & (frames < len(valid_t[side]))]
            if not valid_t[side][frames].all():
                out.dropped.append(f"{where}: missing keypoints inside the stride")
                continue
            inside = to[(to > a) & (to < b)]
            if len(inside) != 1:
                out.dropped.append(f"{where}: {len(inside)} toe offs between the heel strikes (expected 1)")
                continue
            stride_s = (b - a) / fps
            stance_s = (inside[0] - a) / fps
            out.strides.append(Stride(side, a, b, float(inside[0]), stride_s, stance_s, stride_s - stance_s,
                                      100 * stance_s / stride_s))
    return out


def drop_irregular(out: StrideSet, fps: float) -> StrideSet:
    """Drop (and say why) strides outside 0.6–1.5 × the median stride time: a missed or spurious event
    makes a stride far from the median of the walk. Sorts the strides by their heel strike."""
    if out.strides:
        med = float(np.median([s.stride_time_s for s in out.strides]))
        keep = []
        for s in out.strides:
            if not 0.6 * med <= s.stride_time_s <= 1.5 * med:
                out.dropped.append(f"{s.side} stride at {s.start_frame / fps:.2f} s: stride time {s.stride_time_s:.2f} s "
                                   f"far from the median {med:.2f} s")
            else:
                keep.append(s)
        out.strides = keep
    out.strides.sort(key=lambda s: s.start_frame)
    return out


def add_double_support(strides: StrideSet, events: dict[str, dict[str, list[float]]], fps: float) -> None:
    """Double support of a stride: from its heel strike to the other foot's toe off, plus from the other
    foot's heel strike to its own toe off."""
    for s in strides.strides:
        o = _other(s.side)
        to_o = [t for t in events[o]["toe_off"] if s.start_frame < t < s.toe_off_frame]
        hs_o = [t for t in events[o]["heel_strike"] if s.start_frame < t < s.toe_off_frame]
        if len(to_o) == 1 and len(hs_o) == 1:
            s.double_support_s = ((to_o[0] - s.start_frame) + (s.toe_off_frame - hs_o[0])) / fps


def footprints(forward_m_t: dict[str, np.ndarray], events: dict[str, dict[str, list[float]]], fps: float) -> dict[str, list[tuple[float, float]]]:
    """Where each foot rests: per stance (heel strike → toe off), the median forward ankle position
    over the stance frames where the ankle moves least (slowest third) → [(heel-strike frame, m)]."""
    out: dict[str, list[tuple[float, float]]] = {}
    for side in SIDES:
        x = forward_m_t[side]
        speed = np.abs(np.gradient(x)) * fps if len(x) > 1 else np.zeros_like(x)
        prints = []
        to = sorted(events[side]["toe_off"])
        for hs in sorted(events[side]["heel_strike"]):
            nxt = [t for t in to if t > hs]
            if not nxt:
                continue
            f = np.arange(int(np.ceil(hs)), int(np.floor(nxt[0])) + 1)
            f = f[(f >= 0) & (f < len(x))]
            f = f[np.isfinite(x[f])]
            if len(f) < 3:
                continue
            slow = f[speed[f] <= np.nanquantile(speed[f], 1 / 3)]
            prints.append((hs, float(np.median(x[slow]))))
        out[side] = prints
    return out


def add_lengths(strides: StrideSet, prints: dict[str, list[tuple[float, float]]] | None,
                paper_step_m: dict[str, dict[float, float]], fps: float) -> None:
    """Step length (footprint distance from the other foot's previous footprint to this one's, at the
    stride's first heel strike), stride length (two consecutive footprints of one foot), speed.

    The other foot's footprint counts only from within the stride before (an older one belongs to a
    step that was missed). A foot never lands on or behind the other in forward walking, so a step or
    stride that is not positive comes from legs exchanged or a foot misplaced: it is left out, and
    said in `strides.dropped`, rather than averaged in."""
    for s in strides.strides:
        s.step_length_paper_m = paper_step_m[s.side].get(s.start_frame, float("nan"))
        if prints is None:
            continue
        own = dict(prints[s.side])
        other = prints[_other(s.side)]
        where = f"{s.side} step at {s.start_frame / fps:.2f} s"
        if s.start_frame in own:
            span = s.end_frame - s.start_frame
            prev = [p for hs, p in other if s.start_frame - span < hs < s.start_frame]
            if prev:
                step = own[s.start_frame] - prev[-1]
                if step > 0:
                    s.step_length_m = step
                else:
                    strides.dropped.append(f"{where}: step length {step:.2f} m (the foot landed behind the other: "
                                           "legs exchanged or a foot misplaced)")
            if s.end_frame in own:
                stride = own[s.end_frame] - own[s.start_frame]
                if stride > 0:
                    s.stride_length_m = stride
                    s.speed_m_s = stride / s.stride_time_s
                else:
                    strides.dropped.append(f"{where}: stride length {stride:.2f} m (not forward)")


def paper_step_lengths(angles: dict[str, np.ndarray], events: dict[str, dict[str, list[float]]],
                       thigh_m: dict[str, float], shank_m: dict[str, float]) -> dict[str, dict[float, float]]:
    """SPEC §8 D_sl at each heel strike: (l1' sin θ' + l2' sin φ') of the leading leg minus the same of the
    trailing leg, angles interpolated at the (fractional) heel-strike frame."""
    out: dict[str, dict[float, float]] = {s: {} for s in SIDES}
    t = np.arange(len(angles["left_thigh_deg"]))

    def reach(side: str, f: float) -> float:
        th = np.interp(f, t, angles[f"{side}_thigh_deg"])
        ph = np.interp(f, t, angles[f"{side}_shank_deg"])
        return thigh_m[side] * np.sin(np.radians(th)) + shank_m[side] * np.sin(np.radians(ph))

    for side in SIDES:
        for f in events[side]["heel_strike"]:
            out[side][f] = float(reach(side, f) - reach(_other(side), f))
    return out


def phase_symmetry_index(cycle_s: float, stance_s: dict[str, float], swing_s: dict[str, float]) -> float:
    """SPEC §8: D_ps = sqrt(T0/T)·(T_T·min/max stance + T_W·min/max swing). Exceeds 1 when T < T0."""
    st, sw = [stance_s[s] for s in SIDES], [swing_s[s] for s in SIDES]
    if not all(np.isfinite(st + sw)) or min(st + sw) <= 0 or not cycle_s > 0:
        return float("nan")
    return float(np.sqrt(DPS_T0_S / cycle_s) * (DPS_STANCE_WEIGHT * min(st) / max(st) + DPS_SWING_WEIGHT * min(sw) / max(sw)))


def symmetry_ratio(left: float, right: float) -> float:
    """min/max of a left/right pair (1 = symmetric)."""
    if not (np.isfinite(left) and np.isfinite(right)) or max(left, right) <= 0:
        return float("nan")
    return float(min(left, right) / max(left, right))
