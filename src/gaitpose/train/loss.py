"""Multitask loss (SPEC §5), every term returned apart for logging.

L = 16·MSE_heat + 4·MSE_JGS + MSE_depth + 2·MSE_offset, where heat/JGS are means over the
labelled channels' pixels, depth over valid pixels and offset over positive pixels only.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass(frozen=True)
class LossWeights:
    heatmap: float = 16.0
    jgs: float = 4.0
    depth: float = 1.0
    offset: float = 2.0


def _masked_mse(pred: torch.Tensor, target: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Mean of (pred - target)^2 over the pixels where mask is 1 (0 when the mask is empty)."""
    mask = mask.to(pred.dtype)
    total = (mask * (pred - target) ** 2).sum()
    count = mask.expand_as(pred).sum()
    return total / count.clamp(min=1.0)


def multitask_loss(pred: dict[str, torch.Tensor], target: dict[str, torch.Tensor],
                   weights: LossWeights = LossWeights()) -> dict[str, torch.Tensor]:
    """Predictions and targets (batched, as from `encode_targets`) → {"heatmap", "jgs", "depth", "offset", "total"}.

    Unlabelled joints (joint_mask 0) and bones (bone_mask 0) are left out; offsets count only on
    positive pixels; depth only where depth_mask is 1. A head missing from `pred` contributes 0.
    """
    zero = next(iter(pred.values())).new_zeros(())
    terms = {
        "heatmap": _masked_mse(pred["heatmap"], target["heatmap"], target["joint_mask"][:, :, None, None])
        if "heatmap" in pred else zero,
        "jgs": _masked_mse(pred["jgs"], target["jgs"], target["bone_mask"][:, :, None, None])
        if "jgs" in pred else zero,
        "depth": _masked_mse(pred["depth"], target["depth"], target["depth_mask"])
        if "depth" in pred and "depth" in target else zero,
        "offset": _masked_mse(pred["offset"], target["offset"], target["offset_mask"])
        if "offset" in pred else zero,
    }
    terms["total"] = (weights.heatmap * terms["heatmap"] + weights.jgs * terms["jgs"]
                      + weights.depth * terms["depth"] + weights.offset * terms["offset"])
    return terms
