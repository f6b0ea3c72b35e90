"""Gait events from keypoints: heel strike and toe off per side.

Method (Zeni et al. 2008, "Two simple methods for determining gait events during treadmill and
overground walking using kinematic data", Gait & Posture 27:710-714): the foot's horizontal position
relative to the pelvis along the walking direction peaks forward at heel strike and backward at toe
off. We use the ankle (the skeleton has no heel marker). It works overground and on a treadmill,
and needs no threshold fitted to a walking speed.

On real human motion the plain rule is the better one: on 52 straight passes of 47 CMU motion-capture
walks seen from the side (`python -m gaitpose.gait.validate --mocap`, docs/results.md) its toe off is
a median 38 ms off (30 ms early), while the ankle-speed refinement this module used before (toe off
where the ankle's forward speed rises through 10 % of its swing peak, tuned on the synthetic walkers)
was 107 ms early: the real ankle starts forward at heel off, well before the toe leaves the floor. So
from the 8 joints heel strike and toe off are Zeni's extrema.

With foot points (heel and toe tip, from other tools' tracks or the teacher) the contact points
themselves are read: heel strike where the heel's forward speed, measured from its foot-flat speed,
falls through `FOOT_HEEL_STRIKE_FRACTION` of its swing peak; toe off where the toe's rises through
`FOOT_TOE_OFF_FRACTION` of it — velocity thresholds in the spirit of Ghoussayni et al. (2004),
"Assessment and validation of a simple automated method for the detection of gait events and
intervals", Gait & Posture 20:266-272, made relative so that they hold at any walking speed (and on a
treadmill, where the foot-flat speed is the belt's). The two fractions were chosen on the CMU walks of
even-numbered subjects and checked on the odd-numbered ones (docs/results.md).

Robustness: the cycle is first estimated from the autocorrelation of the signals (so a 0.8 s and a
3 s cycle are handled alike), checked against the step period of the distance between the feet,
which exchanged leg labels cannot disturb; extrema must be at least 0.6 of a cycle apart and prominent
(30 % of the signal's 5–95 % range) within its own run of valid frames, so a gap or the start of the
recording bounds how prominent it can look; an extremum next to missing data is not accepted (a gap
may hide the true one); sub-frame times come from a parabola through the peak and its neighbours.
"""
from __future__ import annotations

import numpy as np
from scipy.signal import find_peaks

from gaitpose.arrays import true_runs
from gaitpose.gait.geometry import pelvis
from gaitpose.skeleton import FOOT_INDEX, SIDE_JOINTS, SIDES

# With foot points: heel strike where the heel's forward speed has fallen through this fraction of its
# swing peak, toe off where the toe's has risen through it (chosen on half the real walks).
FOOT_HEEL_STRIKE_FRACTION = 0.20
FOOT_TOE_OFF_FRACTION = 0.10
# Detected − true toe off (s), the range this method reached on the 48 synthetic walkers of
# `python -m gaitpose.gait.validate` (−0.015 … +0.288 s since the real-walk delays below; docs/results.md §8)
# with about 50 ms to spare. The ankle
# alone cannot pin toe off down (the skeleton has no toe), so every analysis states this range;
# tests/gait/test_accuracy_and_cli.py fails if the method leaves it.
TOE_OFF_ERROR_S = (-0.07, 0.34)
# Detected − true toe off (s) on real walks: the 5th and 95th percentile over every toe off of the 52
# straight passes of CMU motion capture at 60 fps (`python -m gaitpose.gait.validate --mocap`;
# docs/results.md), from the ankle (Zeni's extremum, delayed as below) and from the toe (foot points). The
# late tail comes from the first and last steps of walks that start or stop inside the view.
TOE_OFF_ERROR_REAL_S = (-0.045, 0.206)    # stated as 0.04 s early, 0.21 s late
TOE_OFF_ERROR_REAL_FEET_S = (-0.028, 0.183)
# From the 8 joints Zeni's extrema come early on real walks: the ankle stops moving forward relative to
# the pelvis just before the heel lands, and starts forward while the toe is still on the floor. Fitted on
# the CMU walks of even-numbered subjects at 60 fps (98 heel strikes, 100 toe offs), checked on the odd-
# numbered ones (179, 186; docs/results.md §8):
# * heel strike: a nearly constant lag (median 18.1 ms; it does not grow with the cycle): odd subjects'
#   median |error| 18.5 → 4.6 ms;
# * toe off: a lag that grows with the cycle (none at brisk walking and running, about 45 ms for subject
#   35's 1.1-1.3 s cycles): the straight-line fit of the lag on the cycle, kept between 0 and the largest
#   lag those walks showed (60 ms) — also beyond their slowest cycle (1.34 s), where there is no real data:
#   odd subjects' median |error| 33.1 → 24.7 ms, and no pass worse than the plain rule. (A constant
#   delay did better on the median but made 9 of 52 passes worse.)
ZENI_HEEL_STRIKE_DELAY_S = 0.018
ZENI_TOE_OFF_DELAY_PER_CYCLE = 0.205       # s of delay per s of cycle
ZENI_TOE_OFF_DELAY_AT_ZERO_S = -0.219      # the line's value at a zero cycle
ZENI_TOE_OFF_MAX_DELAY_S = 0.060


def zeni_toe_off_delay_s(cycle_s: float) -> float:
    """How much later than Zeni's ankle extremum toe off comes on real walks with this cycle (s)."""
    delay = ZENI_TOE_OFF_DELAY_PER_CYCLE * cycle_s + ZENI_TOE_OFF_DELAY_AT_ZERO_S
    return float(min(max(delay, 0.0), ZENI_TOE_OFF_MAX_DELAY_S))


MIN_CYCLE_S, MAX_CYCLE_S = 0.5, 5.0  # search range of the cycle period (covers 0.8-3 s gait)


def foot_signal(xy_tx8x2: np.ndarray, side: str, direction: int) -> np.ndarray:
    """Forward ankle position relative to the pelvis (T), in camera-plane units."""
    ankle = xy_tx8x2[:, SIDE_JOINTS[side]["ankle"], 0]
    return direction * (ankle - pelvis(xy_tx8x2)[:, 0])


def _autocorrelation(signals: list[np.ndarray], max_lag: int) -> np.ndarray | None:
    """Summed NaN-aware autocorrelation of the signals for lags 0…max_lag (NaN where too few pairs)."""
    acc = None
    for x in signals:
        x = x - np.nanmean(x)
        ok = np.isfinite(x).astype(float)
        x0 = np.where(ok > 0, x, 0.0)
        n = len(x0)
        lags = np.arange(min(n, max_lag + 1))
        num = np.array([np.dot(x0[: n - L], x0[L:]) for L in lags])
        cnt = np.array([np.dot(ok[: n - L], ok[L:]) for L in lags]).astype(float)
        ac = np.where(cnt > 0.3 * n, num / np.maximum(cnt, 1), np.nan)
        acc = ac if acc is None else acc + ac
    return acc


def _first_period(acc: np.ndarray | None, lo: int, hi: int) -> int | None:
    """Lag of the first autocorrelation peak nearly as high as the highest in lo…hi (multiples of the
    period correlate as well)."""
    if acc is None:
        return None
    hi = min(hi, len(acc) - 1)
    if hi <= lo:
        return None
    seg = np.nan_to_num(acc[lo:hi + 1], nan=-np.inf)
    peaks, _ = find_peaks(seg)
    if len(peaks) == 0 or not seg[peaks].max() > 0:     # no positive correlation: no rhythm (a short clip)
        return None
    return lo + int(peaks[np.flatnonzero(seg[peaks] >= 0.8 * seg[peaks].max())[0]])


def estimate_cycle_s(signals: list[np.ndarray], fps: float, feet_apart: np.ndarray | None = None) -> float | None:
    """Gait cycle from the first autocorrelation peak of the foot signals (NaN-aware).

    `feet_apart` (distance between the ankles along the walk) does not depend on which leg is called
    left and peaks once per step. Where the legs' labels were exchanged for stretches, each foot
    signal loses its rhythm and its first strong peak comes late; so when the foot signals' period is
    longer than two steps and is neither about one step nor about two, the cycle is taken as two
    steps. A longer two-step period is not taken: noisy tracks can make the distance look slow too.
    """
    lo, hi = int(MIN_CYCLE_S * fps), int(MAX_CYCLE_S * fps)
    lag = _first_period(_autocorrelation(signals, hi + 1), lo, hi)
    if feet_apart is not None:
        step = _first_period(_autocorrelation([feet_apart], hi // 2 + 1), max(1, lo // 2), hi // 2)
        if step is not None and (lag is None or (2 * step < lag and not any(
                abs(lag - k * step) <= 0.25 * k * step for k in (1, 2)))):
            lag = 2 * step
    return lag / fps if lag is not None else None


def _refine(x: np.ndarray, i: int) -> float:
    """Sub-frame position of an extremum at i from a parabola through i-1, i, i+1."""
    a, b, c = x[i - 1], x[i], x[i + 1]
    den = a - 2 * b + c
    return i + (0.5 * (a - c) / den if den != 0 else 0.0)


def extrema(x: np.ndarray, fps: float, cycle_s: float, maximum: bool) -> list[float]:
    """Frame positions (fractional) of prominent maxima (or minima), away from missing data."""
    s = x if maximum else -x
    ok = np.isfinite(s)
    if ok.sum() < 5:
        return []
    rng = np.nanquantile(s, 0.95) - np.nanquantile(s, 0.05)
    # Each run of valid frames on its own: filling a gap with -inf would make any bump after it look
    # prominent (its base would be -inf), so a gap or the recording's edge bounds the base instead.
    out = []
    for a, b in true_runs(ok):
        if b - a < 3:
            continue
        peaks, _ = find_peaks(s[a:b], distance=max(1, int(0.6 * cycle_s * fps)), prominence=0.3 * rng)
        out += [a + _refine(s[a:b], i) for i in peaks]  # find_peaks never returns a run's first or last frame
    return out


def detect_events(xy_tx8x2: np.ndarray, fps: float, direction: int, feet_xy_tx4x2: np.ndarray | None = None
                  ) -> tuple[dict[str, dict[str, list[float]]], float | None]:
    """{side: {"heel_strike": [frame…], "toe_off": [frame…]}} (fractional frames) and the cycle (s).

    With foot points (`feet_xy_tx4x2`, skeleton.FOOT_POINTS order) a side whose heel and toe were
    found in most frames gets its heel strikes from the heel and its toe offs from the toe (the
    ankle's extrema still say where to look)."""
    signals = {s: foot_signal(xy_tx8x2, s, direction) for s in SIDES}
    feet_apart = np.abs(xy_tx8x2[:, SIDE_JOINTS["left"]["ankle"], 0] - xy_tx8x2[:, SIDE_JOINTS["right"]["ankle"], 0])
    cycle_s = estimate_cycle_s(list(signals.values()), fps, feet_apart)
    events: dict[str, dict[str, list[float]]] = {s: {"heel_strike": [], "toe_off": []} for s in SIDES}
    if cycle_s is None:
        return events, None
    for side, x in signals.items():
        hs = extrema(x, fps, cycle_s, maximum=True)
        zeni_to = extrema(x, fps, cycle_s, maximum=False)
        if feet_xy_tx4x2 is not None and feet_usable(feet_xy_tx4x2, side):
            heel = direction * feet_xy_tx4x2[:, FOOT_INDEX[side]["heel"], 0]
            toe = direction * feet_xy_tx4x2[:, FOOT_INDEX[side]["toe"], 0]
            hs = [refine_heel_strike(heel, h, zeni_to, fps, cycle_s, FOOT_HEEL_STRIKE_FRACTION) for h in hs]
            events[side]["heel_strike"] = hs
            events[side]["toe_off"] = [refine_toe_off(toe, to, hs, fps, cycle_s, FOOT_TOE_OFF_FRACTION)
                                       for to in zeni_to]
            continue
        last = len(x) - 1.0
        events[side]["heel_strike"] = [min(h + ZENI_HEEL_STRIKE_DELAY_S * fps, last) for h in hs]
        events[side]["toe_off"] = [min(t + zeni_toe_off_delay_s(cycle_s) * fps, last) for t in zeni_to]
    return events, cycle_s


def feet_usable(feet_xy_tx4x2: np.ndarray, side: str, min_share: float = 0.8) -> bool:
    """Whether a side's heel and toe were found in at least `min_share` of the frames."""
    ok = np.isfinite(feet_xy_tx4x2[:, [FOOT_INDEX[side]["heel"], FOOT_INDEX[side]["toe"]], 0]).all(axis=1)
    return bool(ok.mean() >= min_share) if len(ok) else False


def _window(anchor: float, others: list[float], n: int, fps: float, cycle_s: float) -> tuple[int, int, int]:
    """(start, anchor frame, stop) around an ankle event: from the other kind's event before it to the
    one after it (half a cycle where there is none), within the recording's n frames."""
    prev = [t for t in others if t < anchor]
    nxt = [t for t in others if t > anchor]
    start = int(np.ceil(prev[-1])) if prev else int(max(0, anchor - 0.5 * cycle_s * fps))
    stop = int(np.floor(nxt[0])) if nxt else int(min(n - 1, anchor + 0.5 * cycle_s * fps))
    return start, int(round(anchor)), stop


def refine_toe_off(toe_fwd_t: np.ndarray, zeni_to: float, heel_strikes: list[float], fps: float,
                   cycle_s: float, fraction: float = FOOT_TOE_OFF_FRACTION) -> float:
    """Toe off (fractional frame) where the toe's forward speed, measured from its speed in foot flat,
    last rises through `fraction` of the swing's peak speed before that peak; `zeni_to` (the ankle's
    extremum, which says where to look) when the speed cannot be read."""
    v = np.gradient(toe_fwd_t)
    start, z, stop = _window(zeni_to, heel_strikes, len(v), fps, cycle_s)
    stance = v[start:z]
    swing = v[z:stop + 1]
    if len(stance) < 3 or len(swing) < 3 or not (np.isfinite(stance).any() and np.isfinite(swing).all()):
        return zeni_to
    n = len(stance)
    mid_stance = stance[n // 4: max(n // 4 + 1, 3 * n // 4)]
    if not np.isfinite(mid_stance).any():  # the foot-flat speed cannot be read
        return zeni_to
    flat = float(np.nanmedian(mid_stance))
    rel = v - flat
    peak = z + int(np.argmax(rel[z:stop + 1]))
    if not rel[peak] > 0:                  # the toe never moves forward faster than in foot flat (held still)
        return zeni_to
    level = fraction * rel[peak]
    i = peak
    while i > start and np.isfinite(rel[i - 1]) and rel[i - 1] > level:
        i -= 1
    if i == start or not np.isfinite(rel[i - 1]):
        return zeni_to
    return float(i - 1 + (level - rel[i - 1]) / (rel[i] - rel[i - 1]))


def refine_heel_strike(heel_fwd_t: np.ndarray, zeni_hs: float, toe_offs: list[float], fps: float,
                       cycle_s: float, fraction: float = FOOT_HEEL_STRIKE_FRACTION) -> float:
    """Heel strike (fractional frame) where the heel's forward speed, measured from its speed in the
    following foot flat, first falls through `fraction` of the swing's peak speed after that peak;
    `zeni_hs` (the ankle's extremum, which says where to look) when the speed cannot be read."""
    v = np.gradient(heel_fwd_t)
    start, z, stop = _window(zeni_hs, toe_offs, len(v), fps, cycle_s)
    swing = v[start:z + 1]
    stance = v[z:stop]
    if len(stance) < 3 or len(swing) < 3 or not np.isfinite(swing).all():
        return zeni_hs
    n = len(stance)
    mid_stance = stance[n // 4: max(n // 4 + 1, 3 * n // 4)]
    if not np.isfinite(mid_stance).any():
        return zeni_hs
    rel = v - float(np.nanmedian(mid_stance))
    peak = start + int(np.argmax(rel[start:z + 1]))
    if not rel[peak] > 0:                  # the heel never moves forward faster than in foot flat (held still)
        return zeni_hs
    level = fraction * rel[peak]
    i = peak
    while i < stop and np.isfinite(rel[i + 1]) and rel[i + 1] > level:
        i += 1
    if i >= stop or not np.isfinite(rel[i + 1]):
        return zeni_hs
    return float(i + (rel[i] - level) / (rel[i] - rel[i + 1]))
