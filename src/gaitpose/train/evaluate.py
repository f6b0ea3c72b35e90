"""Evaluation on a labelled dataset: PCKs@0.1 and @0.08 (SPEC §7), per joint, mean pixel error."""
from __future__ import annotations

from typing import Any, Callable, Iterable

import numpy as np
import torch

from gaitpose.metrics import pcks, pcks_per_joint
from gaitpose.model.inference import infer_keypoints
from gaitpose.skeleton import JOINTS, NUM_JOINTS
from gaitpose.train.datasets import input_scale, make_dataset


def collect_predictions(model: torch.nn.Module, batches: Iterable[dict[str, Any]], device: torch.device,
                        flip: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """→ (pred N×K×3, gt N×K×3 in input pixels, scale N = input pixels per original pixel); K = 8, or 12
    for a model with the feet."""
    preds, gts, scales = [], [], []
    was_training = model.training
    model.eval()
    for batch in batches:
        images = batch["image"].to(device, non_blocking=True)
        preds.append(infer_keypoints(model, images, flip=flip).cpu().numpy())
        gts.append(batch["keypoints"].numpy())
        scales.append(input_scale(batch))
    model.train(was_training)
    return np.concatenate(preds), np.concatenate(gts), np.concatenate(scales)


def collect_backend_predictions(keypoints_fn: Callable[[np.ndarray], np.ndarray], batches: Iterable[dict[str, Any]]
                                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """As `collect_predictions`, for any keypoint source called on the very images the network sees
    (N×S×S×3 uint8 RGB, letterboxed) and answering N×8×3 in their input pixels (e.g. the teacher)."""
    preds, gts, scales = [], [], []
    for batch in batches:
        images = (batch["image"] * 255.0).round().to(torch.uint8).permute(0, 2, 3, 1).numpy()   # N×S×S×3
        preds.append(keypoints_fn(images))
        gts.append(batch["keypoints"].numpy())
        scales.append(input_scale(batch))
    return np.concatenate(preds), np.concatenate(gts), np.concatenate(scales)


def keypoint_metrics(pred: np.ndarray, gt: np.ndarray, scale: np.ndarray) -> dict[str, Any]:
    """The `gaitpose eval` JSON: pcks@0.1, pcks@0.08, per_joint (both eps), mean_px_error (original px), n_images,
    all over the 8 joints; points after them (a 12-point model's heels and toe tips) are scored apart in "feet"
    (`foot_metrics`), so that the 8 joints' numbers compare with an 8-joint model's."""
    feet = foot_metrics(pred, gt, scale) if gt.shape[1] > NUM_JOINTS and pred.shape[1] > NUM_JOINTS else None
    pred, gt = pred[:, :NUM_JOINTS], gt[:, :NUM_JOINTS]
    labelled = gt[..., 2] > 0
    err_px = np.linalg.norm(pred[..., :2] - gt[..., :2], axis=-1) / scale[:, None]   # original pixels
    found = labelled & np.isfinite(err_px)      # a source that finds nobody (NaN) is wrong in PCKs, apart in px
    per_joint = {name: {"pcks@0.1": a, "pcks@0.08": b, "mean_px_error": float(np.mean(err_px[found[:, k], k]))
                        if found[:, k].any() else float("nan")}
                 for k, (name, a, b) in enumerate(zip(JOINTS, pcks_per_joint(pred, gt, 0.1).values(),
                                                      pcks_per_joint(pred, gt, 0.08).values()))}
    return {
        "pcks@0.1": pcks(pred, gt, 0.1),
        "pcks@0.08": pcks(pred, gt, 0.08),
        "mean_px_error": float(np.mean(err_px[found])) if found.any() else float("nan"),
        "missing_predictions": int((labelled & ~found).sum()),
        "per_joint": per_joint,
        "n_images": int(len(gt)),
        **({"feet": feet} if feet is not None else {}),
    }


def foot_metrics(pred: np.ndarray, gt: np.ndarray, scale: np.ndarray) -> dict[str, Any]:
    """Per foot point (the points after the 8 joints, skeleton.FOOT_POINTS order): PCKs@0.1 and @0.08 (delta_n
    from the box of all the sample's labelled points), mean px error (original pixels), labelled count."""
    from gaitpose.metrics import correct_joints
    from gaitpose.skeleton import FOOT_POINTS

    out = {}
    err_px = np.linalg.norm(pred[..., :2] - gt[..., :2], axis=-1) / scale[:, None]
    correct = {eps: correct_joints(pred, gt, eps) for eps in (0.1, 0.08)}
    for k, name in enumerate(FOOT_POINTS, NUM_JOINTS):
        counted = correct[0.1][1][:, k]
        found = counted & np.isfinite(err_px[:, k])
        out[name] = {f"pcks@{eps:g}": float(c[:, k][counted].mean()) if counted.any() else float("nan")
                     for eps, (c, _) in correct.items()}
        out[name]["mean_px_error"] = float(err_px[found, k].mean()) if found.any() else float("nan")
        out[name]["labelled"] = int(counted.sum())
    return out


def format_metrics(metrics: dict[str, Any]) -> str:
    """A plain-text table of the overall and per-joint numbers."""
    lines = [f"{'joint':<16}{'PCKs@0.1':>10}{'PCKs@0.08':>11}{'px err':>9}"]
    for name, m in metrics["per_joint"].items():
        lines.append(f"{name:<16}{m['pcks@0.1']:>10.3f}{m['pcks@0.08']:>11.3f}{m['mean_px_error']:>9.2f}")
    lines.append(f"{'overall':<16}{metrics['pcks@0.1']:>10.3f}{metrics['pcks@0.08']:>11.3f}"
                 f"{metrics['mean_px_error']:>9.2f}")
    for name, m in (metrics.get("feet") or {}).items():
        if not m["labelled"]:
            continue
        lines.append(f"{name:<16}{m['pcks@0.1']:>10.3f}{m['pcks@0.08']:>11.3f}{m['mean_px_error']:>9.2f}"
                     f"   (foot point, labelled in {m['labelled']} images; not in overall)")
    lines.append(f"images: {metrics['n_images']}")
    if metrics.get("missing_predictions"):
        lines.append(f"labelled joints without a prediction (counted wrong; px error over the others): "
                     f"{metrics['missing_predictions']}")
    return "\n".join(lines)


def evaluate_file(data_path: str, weights: str | None = None, json_path: str | None = None, flip: bool = False,
                  batch_size: int = 8, workers: int = 0, keypoints_fn: Callable[[np.ndarray], np.ndarray] | None = None,
                  keypoints_name: str = "gaitposenet") -> dict[str, Any]:
    """`gaitpose eval`: load the checkpoint (bundled when None), score it on `data_path`, print and write JSON.

    With `keypoints_fn` (another keypoint source, e.g. the MediaPipe teacher) that source is scored instead,
    apples to apples: it gets the same letterboxed image the checkpoint's network would get (its input
    size), answers in those input pixels, and goes through the same `keypoint_metrics` (PCKs, per joint,
    pixel error mapped back to the original image)."""
    from torch.utils.data import DataLoader

    from gaitpose.formats import write_json_atomic
    from gaitpose.train.checkpoint import load_model

    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model, meta = load_model(weights, device)
    dataset = make_dataset([data_path], meta["input_size"], train=False, skeleton=model.skeleton)
    loader = DataLoader(dataset, batch_size=batch_size, num_workers=workers)
    if keypoints_fn is None:
        pred, gt, scale = collect_predictions(model, loader, device, flip=flip)
    else:
        pred, gt, scale = collect_backend_predictions(keypoints_fn, loader)
    metrics = keypoint_metrics(pred, gt, scale)
    metrics.update({"keypoints": keypoints_name, "model": meta["model"] if keypoints_fn is None else keypoints_name,
                    "input_size": meta["input_size"], "flip_test": flip,
                    "weights": (str(weights) if weights else "bundled") if keypoints_fn is None else None,
                    "data": str(data_path)})
    print(format_metrics(metrics))
    if json_path:
        write_json_atomic(json_path, metrics)
        print(f"wrote {json_path}")
    return metrics
