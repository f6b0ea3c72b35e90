"""Cleaning keypoint tracks: score threshold, left/right swap repair, short-gap filling, low-pass filter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfiltfilt

from gaitpose.skeleton import FLIP_PAIRS

# Winter (2009), Biomechanics and Motor Control of Human Movement, §3.4.4: a 2nd-order Butterworth run
# forwards and backwards is a 4th-order zero-lag filter whose -3 dB point falls at 0.802 of the design
# cutoff; the design cutoff is divided by 0.802 so the result has the requested cutoff.
_DOUBLE_PASS_CORRECTION = 0.802


@dataclass
class CleaningReport:
    low_score_points: int = 0
    swapped_frames: dict[str, int] | None = None
    filled_points: int = 0
    missing_points: int = 0
    filtered: bool = True


def apply_score_threshold(kp_tx8x3: np.ndarray, min_score: float) -> tuple[np.ndarray, int]:
    """Joints scoring below `min_score` become missing (NaN x, y)."""
    kp = kp_tx8x3.copy()
    low = np.isfinite(kp[..., 0]) & (kp[..., 2] < min_score)
    kp[low, :2] = np.nan
    return kp, int(low.sum())


def _swap_labels(xy_tx2x2: np.ndarray, body_scale: float, switch_cost: float = 0.05) -> np.ndarray:
    """Viterbi over 'as given' / 'swapped' labels of one left/right joint pair → T bool (swap?).

    Cost: squared second difference (acceleration) of both tracks in body-scale units, plus
    `switch_cost` for every frame labelled swapped (the detector is usually right). Terms with a
    missing point are skipped, so gaps do not force decisions.
    """
    T = len(xy_tx2x2)
    cand = np.stack([xy_tx2x2, xy_tx2x2[:, ::-1]], axis=1) / body_scale  # T×2(state)×2(joint)×2
    # State at t: (s_{t-1}, s_t) pairs index 2*a+b. cost[t, a, b]
    inf = np.inf
    best = np.zeros((2, 2))
    best[:, 1] += switch_cost
    best[1, :] += switch_cost
    back = np.zeros((T, 2, 2), dtype=int)
    for t in range(2, T):
        new = np.full((2, 2), inf)
        for b in range(2):
            for c in range(2):
                acc = cand[t, c] - 2 * cand[t - 1, b] + cand[t - 2, np.arange(2)]  # 2(a)×2×2
                term = np.nansum(acc ** 2, axis=(1, 2))
                total = best[:, b] + term + (switch_cost if c else 0.0)
                a = int(np.argmin(total))
                new[b, c] = total[a]
                back[t, b, c] = a
        best = new
    b, c = np.unravel_index(int(np.argmin(best)), (2, 2))
    labels = np.zeros(T, dtype=int)
    labels[T - 1], labels[T - 2] = c, b
    for t in range(T - 1, 1, -1):
        a = back[t, labels[t - 1], labels[t]]
        labels[t - 2] = a
    return labels.astype(bool)


def repair_swaps(kp_tx8x3: np.ndarray, body_scale: float) -> tuple[np.ndarray, dict[str, int]]:
    """Swap back left/right joints on frames where continuity says the detector swapped them."""
    from gaitpose.skeleton import JOINTS
    kp = kp_tx8x3.copy()
    counts: dict[str, int] = {}
    if len(kp) < 3:
        return kp, counts
    for a, b in FLIP_PAIRS:
        if "shoulder" in JOINTS[a]:
            continue  # shoulders overlap in side view; a swap there changes nothing we measure
        swap = _swap_labels(kp[:, [a, b], :2], body_scale)
        kp[swap, a], kp[swap, b] = kp_tx8x3[swap, b], kp_tx8x3[swap, a]
        counts[JOINTS[a].replace("left_", "")] = int(swap.sum())
    return kp, counts


def fill_short_gaps(x_t: np.ndarray, max_gap_frames: int) -> np.ndarray:
    """Linear interpolation across runs of NaN of at most `max_gap_frames`; longer gaps and ends stay NaN."""
    x = x_t.copy()
    ok = np.isfinite(x)
    if ok.sum() < 2:
        return x
    idx = np.flatnonzero(ok)
    for start, stop in zip(idx[:-1], idx[1:]):
        gap = stop - start - 1
        if 0 < gap <= max_gap_frames:
            x[start + 1:stop] = np.interp(np.arange(start + 1, stop), [start, stop], [x[start], x[stop]])
    return x


def lowpass(x_t: np.ndarray, fps: float, cutoff_hz: float) -> np.ndarray:
    """Zero-lag 4th-order Butterworth (2nd order, forwards and backwards) on each finite run."""
    design = cutoff_hz / _DOUBLE_PASS_CORRECTION
    if design >= 0.95 * fps / 2:
        return x_t.copy()
    sos = butter(2, design, fs=fps, output="sos")
    y = x_t.copy()
    ok = np.isfinite(x_t)
    edges = np.flatnonzero(np.diff(np.r_[0, ok.astype(int), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):
        if stop - start > 15:
            y[start:stop] = sosfiltfilt(sos, x_t[start:stop], padlen=min(3 * 5, stop - start - 1))
    return y


def clean_keypoints(kp_tx8x3: np.ndarray, fps: float, min_score: float, max_gap_s: float, cutoff_hz: float,
                    body_scale: float) -> tuple[np.ndarray, CleaningReport]:
    """Score threshold → swap repair → gap filling (≤ max_gap_s) → low-pass. Returns T×8×3 and a report."""
    report = CleaningReport()
    kp, report.low_score_points = apply_score_threshold(kp_tx8x3, min_score)
    kp, report.swapped_frames = repair_swaps(kp, body_scale)
    max_gap = int(np.floor(max_gap_s * fps + 1e-9))
    before = int(np.isnan(kp[..., 0]).sum())
    for j in range(kp.shape[1]):
        for c in range(2):
            kp[:, j, c] = lowpass(fill_short_gaps(kp[:, j, c], max_gap), fps, cutoff_hz)
        s = kp[:, j, 2]
        kp[:, j, 2] = np.where(np.isfinite(kp[:, j, 0]), np.where(np.isfinite(s), s, 0.0), np.nan)
    after = int(np.isnan(kp[..., 0]).sum())
    report.filled_points, report.missing_points = before - after, after
    report.filtered = cutoff_hz / _DOUBLE_PASS_CORRECTION < 0.95 * fps / 2
    return kp, report
