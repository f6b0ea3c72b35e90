"""Batch inference: images → keypoints in input pixels, with optional flip test."""
from __future__ import annotations

import torch

from gaitpose.model.gaitposenet import KEYPOINT_HEADS
from gaitpose.skeleton import SKELETON_8
from gaitpose.targets import decode_keypoints, separate_leg_pairs


@torch.inference_mode()
def infer_keypoints(model: torch.nn.Module, images: torch.Tensor, flip: bool = False,
                    separate_legs: bool = True) -> torch.Tensor:
    """N×3×S×S images in [0, 1] → N×K×3 [x, y, score] in input pixels (keypoint heads only; K = the
    model's skeleton's points: the 8 joints, then the feet when it has them).

    Flip test: the mirrored image's heatmaps, mirrored back with left/right channels swapped, are
    averaged with the direct ones; offsets come from the direct pass (they are defined around every
    peak, so a peak moved by the average still finds a valid offset). `separate_legs`: knee and
    ankle pairs that collapse onto one leg are pulled apart (`separate_leg_pairs`).
    """
    out = model(images, heads=KEYPOINT_HEADS)
    heatmap = out["heatmap"].float()
    if flip:
        mirrored = model(images.flip(-1), heads=KEYPOINT_HEADS)["heatmap"].float()
        perm = getattr(model, "skeleton", SKELETON_8).flip_permutation()
        heatmap = 0.5 * (heatmap + mirrored[:, perm].flip(-1))
    kp = decode_keypoints(heatmap, out["offset"].float())
    if not separate_legs:
        return kp
    fixed = separate_leg_pairs(heatmap.cpu().numpy(), out["offset"].float().cpu().numpy(), kp.cpu().numpy())
    return torch.from_numpy(fixed).to(kp)
