"""Score calibration: the joint score below which `analyze` treats a joint as missing, chosen on the
real validation set (`gaitpose calibrate`) and stored with the model, so the default works on real video.

A joint counts as found correctly when it lies within eps · δ of the labelled joint or of its
left/right partner (δ as in PCKs, SPEC §7): the gait analysis repairs exchanged legs, so for the
question "is there a joint here?" an exchanged label is not a miss. The threshold maximises F1 of
"score ≥ t" against "found correctly" over all labelled joints.
"""
from __future__ import annotations

import numpy as np

from gaitpose.metrics import correct_joints
from gaitpose.skeleton import flip_permutation


def best_threshold(scores: np.ndarray, correct: np.ndarray) -> tuple[float, float]:
    """Scores and correctness of labelled joints (flat) → (threshold, F1) maximising F1 of score ≥ threshold.

    Candidates are the scores themselves; ties go to the lower threshold (keeps more joints).
    """
    scores = np.asarray(scores, dtype=np.float64).ravel()
    correct = np.asarray(correct, dtype=bool).ravel()
    if scores.shape != correct.shape or not len(scores):
        raise ValueError(f"expected equal non-empty arrays, got {scores.shape} and {correct.shape}")
    if not correct.any():
        return float("nan"), 0.0
    order = np.argsort(-scores, kind="stable")
    s, c = scores[order], correct[order]
    tp = np.cumsum(c)                                   # keeping the first k+1 (highest) scores
    kept = np.arange(1, len(s) + 1)
    last_of_value = np.r_[s[1:] != s[:-1], True]      # a threshold keeps every joint of equal score
    f1 = 2 * tp / (kept + c.sum())
    f1 = np.where(last_of_value, f1, -1.0)
    k = int(np.flatnonzero(f1 == f1.max())[-1])
    return float(s[k]), float(f1[k])


def side_agnostic_correct(pred_nx8x3: np.ndarray, gt_nx8x3: np.ndarray, eps: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """→ (correct N×8, counted N×8): within eps·δ of the labelled joint or of its left/right partner."""
    same, counted = correct_joints(pred_nx8x3, gt_nx8x3, eps)
    swapped, _ = correct_joints(np.asarray(pred_nx8x3)[:, flip_permutation()], gt_nx8x3, eps)
    return same | swapped[:, flip_permutation()], counted
