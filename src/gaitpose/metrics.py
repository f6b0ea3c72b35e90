"""PCKs (SPEC §7): fraction of joints within eps · delta_n of the truth.

delta_n = min(width, height) of the box around sample n's labelled ground-truth joints.
"""
from __future__ import annotations

import numpy as np

from gaitpose.skeleton import JOINTS, SIDE_JOINTS


def correct_joints(pred_xy: np.ndarray, gt_xyv: np.ndarray, eps: float) -> tuple[np.ndarray, np.ndarray]:
    """→ (correct N×K bool, counted N×K bool): counted where labelled and the sample has delta_n > 0."""
    pred_xy = np.asarray(pred_xy, dtype=np.float64)
    gt_xyv = np.asarray(gt_xyv, dtype=np.float64)
    if pred_xy.ndim != 3 or pred_xy.shape[2] < 2 or gt_xyv.shape[:2] != pred_xy.shape[:2] or gt_xyv.shape[2] != 3:
        raise ValueError(f"expected pred N×K×2 and gt N×K×3, got {pred_xy.shape} and {gt_xyv.shape}")
    labelled = gt_xyv[..., 2] > 0                                         # N×K
    big = np.where(labelled[..., None], gt_xyv[..., :2], np.nan)
    with np.errstate(all="ignore"):
        span = np.nanmax(big, axis=1) - np.nanmin(big, axis=1)               # N×2
        delta = np.min(span, axis=1)                                         # N
    usable = np.isfinite(delta) & (delta > 0)
    counted = labelled & usable[:, None]
    dist = np.linalg.norm(pred_xy[..., :2] - gt_xyv[..., :2], axis=-1)       # N×K
    with np.errstate(all="ignore"):
        correct = counted & (dist <= eps * delta[:, None])                  # NaN prediction → wrong
    return correct, counted


def pcks(pred_xy: np.ndarray, gt_xyv: np.ndarray, eps: float = 0.1) -> float:
    """Mean over samples of the fraction of labelled joints within eps·delta_n (SPEC §7)."""
    correct, counted = correct_joints(pred_xy, gt_xyv, eps)
    per_sample = counted.sum(axis=1)
    keep = per_sample > 0
    if not keep.any():
        return float("nan")
    return float(np.mean(correct[keep].sum(axis=1) / per_sample[keep]))


def pcks_per_joint(pred_xy: np.ndarray, gt_xyv: np.ndarray, eps: float = 0.1) -> dict[str, float]:
    """Per joint name: fraction of samples (where that joint is labelled) within eps·delta_n."""
    correct, counted = correct_joints(pred_xy, gt_xyv, eps)
    n = counted.sum(axis=0)
    return {name: float(correct[:, k].sum() / n[k]) if n[k] else float("nan") for k, name in enumerate(JOINTS)}


def torso_lengths_px(keypoints_txkx3: np.ndarray) -> np.ndarray:
    """T torso lengths: the mean over sides of the shoulder–hip distance (NaN where neither side is
    found) — the body-size unit of distances between two skeletons (real_clips) and of the teacher's
    checks (teach). Points after the 8 joints (feet) are ignored."""
    kp = np.asarray(keypoints_txkx3, dtype=float)
    lengths = [np.linalg.norm(kp[:, s["shoulder"], :2] - kp[:, s["hip"], :2], axis=1) for s in SIDE_JOINTS.values()]
    stacked = np.stack(lengths, axis=1)
    out = np.full(len(kp), np.nan)
    any_side = np.isfinite(stacked).any(axis=1)
    out[any_side] = np.nanmean(stacked[any_side], axis=1)
    return out
