"""Cleaning keypoint tracks: score threshold, left/right swap repair, short-gap filling, low-pass filter."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, find_peaks, sosfiltfilt

from gaitpose.arrays import true_runs
from gaitpose.skeleton import FLIP_PAIRS, FOOT_INDEX, SIDE_JOINTS, SIDES

# Winter (2009), Biomechanics and Motor Control of Human Movement, §3.4.4: a 2nd-order Butterworth run
# forwards and backwards is a 4th-order zero-lag filter whose -3 dB point falls at 0.802 of the design
# cutoff; the design cutoff is divided by 0.802 so the result has the requested cutoff.
_DOUBLE_PASS_CORRECTION = 0.802
KNEE_LENGTH_TOLERANCE = 0.25  # side view: thigh/shank foreshorten only with out-of-plane motion (cos 40° ≈ 0.77)
KNEE_PAIRING_WEIGHT = 1.0   # knees: cost of one shank length of mismatch, against the knees' acceleration


@dataclass
class CleaningReport:
    low_score_points: int = 0
    swapped_frames: dict[str, int] | None = None
    ankle_label_agreement: float | None = None   # share of frames the detector's ankle labels agreed
    implausible_knees: int = 0                   # knees dropped: a thigh or shank far from its usual length
    filled_points: int = 0
    missing_points: int = 0
    filtered: bool = True


def apply_score_threshold(kp_tx8x3: np.ndarray, min_score: float) -> tuple[np.ndarray, int]:
    """Joints scoring below `min_score` become missing (NaN x, y)."""
    kp = kp_tx8x3.copy()
    low = np.isfinite(kp[..., 0]) & (kp[..., 2] < min_score)
    kp[low, :2] = np.nan
    return kp, int(low.sum())


def _swap_labels(xy_tx2x2: np.ndarray, body_scale: float, switch_cost: float = 0.05,
                 unary_tx2: np.ndarray | None = None) -> np.ndarray:
    """Viterbi over 'as given' / 'swapped' labels of one left/right joint pair → T bool (swap?).

    `xy_tx2x2` is T × (left, right) × (x, y), or T × (left, right) × joints × (x, y) for several joints
    that swap together (a whole leg).

    Cost: squared second difference (acceleration) of both tracks in body-scale units, plus
    `switch_cost` for every frame labelled swapped (the detector is usually right), plus
    `unary_tx2[t, state]` where given (other evidence per frame; NaN = none). Terms with a
    missing point are skipped, so gaps do not force decisions.
    """
    T = len(xy_tx2x2)
    cand = np.stack([xy_tx2x2, xy_tx2x2[:, ::-1]], axis=1) / body_scale  # T×2(state)×2(joint)×2
    unary = np.zeros((T, 2)) if unary_tx2 is None else np.nan_to_num(unary_tx2, nan=0.0)
    unary = unary + np.array([0.0, switch_cost])
    # State at t: (s_{t-1}, s_t) pairs index 2*a+b. cost[t, a, b]
    inf = np.inf
    best = unary[0][:, None] + unary[1][None, :] if T > 1 else np.zeros((2, 2))
    back = np.zeros((T, 2, 2), dtype=int)
    for t in range(2, T):
        new = np.full((2, 2), inf)
        for b in range(2):
            for c in range(2):
                acc = cand[t, c] - 2 * cand[t - 1, b] + cand[t - 2, np.arange(2)]  # 2(a)×2×2
                term = np.nansum(acc ** 2, axis=tuple(range(1, acc.ndim)))
                total = best[:, b] + term + unary[t, c]
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


def repair_swaps(kp_tx8x3: np.ndarray, body_scale: float, fps: float | None = None
                 ) -> tuple[np.ndarray, dict[str, int], float | None]:
    """Swap back left/right joints on frames where the detector swapped them.

    Ankles: by the legs' crossings when they can be found (`ankle_labels_by_crossings`), knees then
    follow their ankle (shank length); otherwise, and for the hips, by continuity (`_swap_labels`).
    Returns the repaired tracks, swapped frames per joint, and the share of frames on which the
    detector's own ankle labels agreed with the final ones (None when continuity decided): near 0.5
    means which leg is *left* is uncertain even though each leg is followed consistently.
    """
    from gaitpose.skeleton import JOINTS
    kp = kp_tx8x3.copy()
    swapped: dict[str, np.ndarray] = {}
    agreement = None
    if len(kp) < 3:
        return kp, {}, agreement
    by_crossing = ankle_labels_by_crossings(kp, fps) if fps else None
    for a, b in sorted(FLIP_PAIRS, key=lambda pair: "ankle" not in JOINTS[pair[0]]):   # ankles first
        name = JOINTS[a].replace("left_", "")
        if name == "shoulder":
            continue  # shoulders overlap in side view; a swap there changes nothing we measure
        if by_crossing is not None and name == "ankle":
            swap, agreement = by_crossing
            # then continuity settles the frames next to each crossing
            relabelled = kp[:, [a, b], :2].copy()
            relabelled[swap] = relabelled[swap][:, ::-1]
            swap = swap ^ _swap_labels(relabelled, body_scale)
        elif by_crossing is not None and name == "knee":
            swap = _swap_labels(kp[:, [a, b], :2], body_scale, unary_tx2=_knee_pairing_costs(kp))
        else:
            swap = _swap_labels(kp[:, [a, b], :2], body_scale)
        _exchange(kp, swap, a, b)
        swapped[name] = swap
    if by_crossing is not None:
        # Knee and ankle exchanged together keep both shanks right, and next to a crossing the ankles'
        # order cannot tell: whole legs are put right by the continuity of knee and ankle together.
        legs = [[SIDE_JOINTS[side][part] for part in ("knee", "ankle")] for side in SIDES]
        swap = _swap_labels(kp[:, legs, :2], body_scale)
        for part in ("knee", "ankle"):
            _exchange(kp, swap, SIDE_JOINTS["left"][part], SIDE_JOINTS["right"][part])
            swapped[part] = swapped[part] ^ swap
    return kp, {name: int(swap.sum()) for name, swap in swapped.items()}, agreement


def _exchange(kp_tx8x3: np.ndarray, frames: np.ndarray, a: int, b: int) -> None:
    """Joints a and b exchanged on `frames` (in place)."""
    kp_tx8x3[frames, a], kp_tx8x3[frames, b] = kp_tx8x3[frames, b].copy(), kp_tx8x3[frames, a].copy()


def ankle_labels_by_crossings(kp_tx8x3: np.ndarray, fps: float, min_crossings: int = 3
                              ) -> tuple[np.ndarray, float] | None:
    """Which frames to swap so each ankle label follows one leg, from the legs' crossings.

    In a side view the two ankles pass each other once per step (mid-swing): between two crossings
    one leg is the ankle further along the image x-axis and the other the nearer, and the roles
    exchange at every crossing. Crossings are the deep minima of the ankles' x distance (gaps
    interpolated; at least 0.6 of the typical interval apart), so the labels need only be right on
    average: the detector's labels choose which of the two alternating assignments is called left
    (their agreement with it is returned). None when fewer than `min_crossings` are found.
    """
    la, ra = SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]
    dx = kp_tx8x3[:, la, 0] - kp_tx8x3[:, ra, 0]
    ok = np.isfinite(dx)
    if ok.sum() < 10:
        return None
    t = np.arange(len(dx))
    sep = np.interp(t, t[ok], np.abs(dx[ok]))
    prominence = 0.4 * float(np.nanpercentile(np.abs(dx), 90))
    if prominence <= 0:
        return None
    crossings, _ = find_peaks(-sep, prominence=prominence, distance=max(1, int(0.2 * fps)))
    if len(crossings) > 2:
        typical = float(np.median(np.diff(crossings)))
        crossings, _ = find_peaks(-sep, prominence=prominence, distance=max(1, int(0.6 * typical)))
    if len(crossings) < min_crossings:
        return None
    segment = np.searchsorted(crossings, t, side="right")
    left_label_further = dx > 0                        # as the detector labelled it
    votes = [int(np.sum((((segment + parity) % 2 == 0) == left_label_further)[ok])) for parity in (0, 1)]
    parity = int(np.argmax(votes))
    left_is_further = (segment + parity) % 2 == 0
    # Close to a crossing the order along x is noise: the labels as given are kept there.
    clear = ok & (np.abs(np.nan_to_num(dx)) > 0.25 * prominence)
    swap = clear & (left_is_further != left_label_further)
    return swap, votes[parity] / max(int(ok.sum()), 1)


def _knee_pairing_costs(kp_tx8x3: np.ndarray, weight: float = KNEE_PAIRING_WEIGHT) -> np.ndarray:
    """T×2 cost of the knees as given / swapped: how far the shanks they make with the (already
    repaired) ankles are from the typical shank, summed over the knee–ankle pairs and in shank lengths
    × `weight` (a shank joins a knee to its own leg's ankle). A frame counts only where both states
    have the same number of pairs (one knee or one ankle missing still leaves one pair each); NaN
    elsewhere, where continuity alone decides."""
    lk, rk = SIDE_JOINTS["left"]["knee"], SIDE_JOINTS["right"]["knee"]
    la, ra = SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]
    k, a = kp_tx8x3[:, [lk, rk], :2], kp_tx8x3[:, [la, ra], :2]
    given = np.hypot(*(k - a).transpose(2, 0, 1))              # T×2: (left knee, left ankle), (right, right)
    swapped = np.hypot(*(k[:, ::-1] - a).transpose(2, 0, 1))   # T×2: (right knee, left ankle), (left, right)
    n = np.isfinite(given).sum(1)
    valid = (n > 0) & (n == np.isfinite(swapped).sum(1))
    cost = np.full((len(kp_tx8x3), 2), np.nan)
    if not valid.any():
        return cost
    with np.errstate(invalid="ignore"):
        shank = float(np.median(np.minimum(np.nanmean(given[valid], axis=1), np.nanmean(swapped[valid], axis=1))))
    for state, lengths in enumerate((given, swapped)):
        cost[valid, state] = np.nansum(np.abs(lengths[valid] - shank), axis=1) * weight / max(shank, 1e-9)
    return cost


def drop_implausible_knees(kp_tx8x3: np.ndarray, tolerance: float = KNEE_LENGTH_TOLERANCE) -> tuple[np.ndarray, int]:
    """Knees (NaN) where the thigh or the shank differs from that leg's median length by more than
    `tolerance` of it: a rigid segment cannot change length, so the knee keypoint is on something else."""
    kp = kp_tx8x3.copy()
    dropped = 0
    for side in SIDES:
        j = SIDE_JOINTS[side]
        hip, knee, ankle = kp[:, j["hip"], :2], kp[:, j["knee"], :2], kp[:, j["ankle"], :2]
        thigh = np.linalg.norm(knee - hip, axis=1)
        shank = np.linalg.norm(ankle - knee, axis=1)
        bad = np.zeros(len(kp), bool)
        for length in (thigh, shank):
            if np.isfinite(length).sum() >= 10:
                typical = np.nanmedian(length)
                with np.errstate(invalid="ignore"):
                    bad |= np.abs(length - typical) > tolerance * typical
        dropped += int(bad.sum())
        kp[bad, j["knee"], :2] = np.nan
    return kp, dropped


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
    for start, stop in true_runs(ok):
        if stop - start > 15:
            y[start:stop] = sosfiltfilt(sos, x_t[start:stop], padlen=min(3 * 5, stop - start - 1))
    return y


def clean_keypoints(kp_tx8x3: np.ndarray, fps: float, min_score: float, max_gap_s: float, cutoff_hz: float,
                    body_scale: float) -> tuple[np.ndarray, CleaningReport]:
    """Score threshold → swap repair → gap filling (≤ max_gap_s) → low-pass. Returns T×8×3 and a report."""
    report = CleaningReport()
    kp, report.low_score_points = apply_score_threshold(kp_tx8x3, min_score)
    kp, report.swapped_frames, report.ankle_label_agreement = repair_swaps(kp, body_scale, fps)
    kp, report.implausible_knees = drop_implausible_knees(kp)
    # A point dropped (low score, implausible knee) is missing: once filled it has no score of its own (0),
    # as a point never detected, not the rejected detection's.
    kp[np.isnan(kp[..., 0]), 2] = np.nan
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


def clean_feet(feet_tx4x3: np.ndarray, ankles_tx2x2: np.ndarray, fps: float, min_score: float, max_gap_s: float,
               cutoff_hz: float) -> np.ndarray:
    """Foot points (skeleton.FOOT_POINTS order, pixels) → score threshold, each heel and toe given to
    the leg whose cleaned ankle (left, right) is nearer in that frame (their labels get exchanged like
    the legs'), gap filling and the same low-pass as the joints."""
    feet, _ = apply_score_threshold(feet_tx4x3, min_score)
    for part in ("heel", "toe"):
        i, j = FOOT_INDEX["left"][part], FOOT_INDEX["right"][part]
        a, b = feet[:, i, :2], feet[:, j, :2]
        left, right = ankles_tx2x2[:, 0], ankles_tx2x2[:, 1]
        kept = np.linalg.norm(a - left, axis=1) + np.linalg.norm(b - right, axis=1)
        crossed = np.linalg.norm(a - right, axis=1) + np.linalg.norm(b - left, axis=1)
        swap = np.isfinite(kept) & np.isfinite(crossed) & (crossed < kept)
        feet[swap, i], feet[swap, j] = feet[swap, j].copy(), feet[swap, i].copy()
    max_gap = int(np.floor(max_gap_s * fps + 1e-9))
    for k in range(feet.shape[1]):
        for c in range(2):
            feet[:, k, c] = lowpass(fill_short_gaps(feet[:, k, c], max_gap), fps, cutoff_hz)
    return feet
