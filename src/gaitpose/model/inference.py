"""Batch inference: images → keypoints in input pixels, with optional flip test."""
from __future__ import annotations

import torch

from gaitpose.model.gaitposenet import KEYPOINT_HEADS
from gaitpose.skeleton import flip_permutation
from gaitpose.targets import decode_keypoints


@torch.inference_mode()
def infer_keypoints(model: torch.nn.Module, images: torch.Tensor, flip: bool = False) -> torch.Tensor:
    """N×3×S×S images in [0, 1] → N×8×3 [x, y, score] in input pixels (keypoint heads only).

    Flip test: the mirrored image's heatmaps, mirrored back with left/right channels swapped, are
    averaged with the direct ones; offsets come from the direct pass (they are defined around every
    peak, so a peak moved by the average still finds a valid offset).
    """
    out = model(images, heads=KEYPOINT_HEADS)
    heatmap = out["heatmap"].float()
    if flip:
        mirrored = model(images.flip(-1), heads=KEYPOINT_HEADS)["heatmap"].float()
        heatmap = 0.5 * (heatmap + mirrored[:, flip_permutation()].flip(-1))
    return decode_keypoints(heatmap, out["offset"].float())
