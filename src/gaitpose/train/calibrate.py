"""Score calibration: the joint score below which `analyze` treats a joint as missing, chosen on the
real validation set (`gaitpose calibrate`) and stored with the model, so the default works on real video.

A joint counts as found correctly when it lies within eps · δ of the labelled joint or of its
left/right partner (δ as in PCKs, SPEC §7): the gait analysis repairs exchanged legs, so for the
question "is there a joint here?" an exchanged label is not a miss. The threshold maximises F1 of
"score ≥ t" against "found correctly" over all labelled joints.
"""
from __future__ import annotations

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.metrics import correct_joints
from gaitpose.skeleton import NUM_JOINTS, flip_permutation


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


def calibrate_checkpoint(weights: str, data_paths: list[str], eps: float = 0.1, batch_size: int = 8) -> dict:
    """`gaitpose calibrate`: score the checkpoint on the labelled images, choose the threshold and store it
    in the checkpoint as `min_score` (with how it was chosen under `calibration`); returns that record."""
    import io

    import torch
    from torch.utils.data import DataLoader

    from gaitpose.formats import write_bytes_atomic
    from gaitpose.train.checkpoint import load_model, read_checkpoint
    from gaitpose.train.datasets import make_dataset
    from gaitpose.train.evaluate import collect_predictions

    model, meta = load_model(weights)
    dataset = make_dataset(list(data_paths), int(meta["input_size"]), train=False)
    pred, gt, _ = collect_predictions(model, DataLoader(dataset, batch_size=batch_size), torch.device("cpu"))
    pred = pred[:, :NUM_JOINTS]              # a 12-point model: its threshold is chosen on the 8 joints
    correct, counted = side_agnostic_correct(pred, gt, eps)
    scores = pred[..., 2][counted]
    threshold, f1 = best_threshold(scores, correct[counted])
    if not np.isfinite(threshold):
        raise GaitposeError(f"{', '.join(data_paths)}: no joint was found correctly; nothing to calibrate on")
    kept = scores >= threshold
    record = {"min_score": round(threshold, 4), "f1": f1, "n_joints": int(counted.sum()),
              "kept_correct": float(kept[correct[counted]].mean()),
              "kept_precision": float(correct[counted][kept].mean()), "eps": eps, "data": list(map(str, data_paths))}
    ckpt = read_checkpoint(weights)
    ckpt["min_score"] = record["min_score"]
    ckpt["calibration"] = record
    buf = io.BytesIO()
    torch.save(ckpt, buf)
    write_bytes_atomic(weights, buf.getvalue())
    return record
