"""The torch Dataset that feeds training and evaluation: returns exactly what the loss consumes.

Per sample: read RGB (+ depth; else the grayscale of the RGB as depth label, SPEC §3), letterbox
to S, augment in input space (training only), encode the SPEC §3 targets. All of it runs in the
data-loader workers. Augmentation is random per (seed, epoch, index): call `set_epoch` at the start
of every epoch (as with DistributedSampler) so each epoch sees new augmentations.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import cv2
import numpy as np
import torch
from torch.utils.data import Dataset

from gaitpose.data.augment import AugmentParams, augment
from gaitpose.data.coco import Sample, load_coco_keypoints, training_points
from gaitpose.data.letterbox import Letterbox
from gaitpose.errors import GaitposeError
from gaitpose.skeleton import SKELETON_8, Skeleton
from gaitpose.targets import TargetParams, encode_targets


@dataclass(frozen=True)
class DatasetConfig:
    """What a KeypointDataset produces."""

    input_size: int = 512
    train: bool = False                        # augment (train) or not (validation / evaluation)
    augment: AugmentParams = field(default_factory=AugmentParams)
    targets: TargetParams = field(default_factory=TargetParams)
    seed: int = 0
    skeleton: Skeleton = SKELETON_8             # the points the network predicts (coco.training_points)


class KeypointDataset(Dataset):
    """Samples of our COCO-keypoints format → dicts of tensors (see `__getitem__`)."""

    def __init__(self, data: str | os.PathLike | Sequence[Sample], config: DatasetConfig = DatasetConfig()) -> None:
        self.samples: list[Sample] = (load_coco_keypoints(data) if isinstance(data, (str, os.PathLike))
                                      else list(data))
        self.config = config
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = int(epoch)

    def __len__(self) -> int:
        return len(self.samples)

    def __getitem__(self, index: int) -> dict[str, torch.Tensor]:
        """One sample, S = input_size:

        "image" 3×S×S float in [0, 1] (RGB); targets from `encode_targets` — "heatmap" K×S/4×S/4,
        "offset" and "offset_mask" 2K×S/4×S/4, "jgs" B×S/4×S/4, "joint_mask" K, "bone_mask" B,
        "depth" and "depth_mask" 1×S×S; "keypoints" K×3 in input pixels (after augmentation);
        meta for evaluation: "keypoints_original" K×3 in original pixels, "src_wh" (2,) with the
        original size (→ `Letterbox(w, h, S).to_original`), "has_depth" and "index".
        K points and B bones of the config's skeleton (8 and 8; with the feet 12 and 14).
        """
        cfg = self.config
        sample = self.samples[index]
        image = read_rgb(sample)
        lb = Letterbox(sample.width, sample.height, cfg.input_size)
        image_s = lb.apply_image(image)
        valid = lb.content_mask()
        points, weights = training_points(sample, cfg.skeleton)
        kps = points.copy()
        kps[:, :2] = lb.to_input(kps[:, :2])
        kps[kps[:, 2] == 0] = 0.0
        if sample.depth_path is not None:
            depth_s = lb.apply_image(read_depth(sample), interpolation=cv2.INTER_NEAREST)
        else:
            depth_s = cv2.cvtColor(image_s, cv2.COLOR_RGB2GRAY)        # pre-training rule: grayscale as depth

        if cfg.train:
            rng = np.random.default_rng((cfg.seed, self.epoch, index))
            # the weights ride along as a 4th column, so a mirror swaps them with their joints
            aug = augment(image_s, np.column_stack([kps, weights]), rng, cfg.augment, depth=depth_s, valid=valid,
                          flip_perm=cfg.skeleton.flip_permutation())
            image_s, depth_s, valid = aug.image, aug.depth, aug.valid
            kps, weights = aug.keypoints_8x3[:, :3], aug.keypoints_8x3[:, 3]
        if sample.depth_path is not None:
            valid = valid & (depth_s > 0)

        tp = cfg.targets
        targets = encode_targets(kps, cfg.input_size, sigma=tp.sigma, d_th=tp.d_th, delta=tp.delta,
                                 heat_th=tp.heat_th, depth=depth_s, depth_valid=valid, skeleton=cfg.skeleton)
        apply_joint_weights(targets, weights, cfg.skeleton)
        item = {name: torch.from_numpy(array) for name, array in targets.items()}
        item["image"] = torch.from_numpy(image_s).permute(2, 0, 1).float().div_(255.0)
        item["keypoints"] = torch.from_numpy(kps.astype(np.float32))
        item["keypoints_original"] = torch.from_numpy(points.astype(np.float32))
        item["src_wh"] = torch.tensor([sample.width, sample.height], dtype=torch.int64)
        item["has_depth"] = torch.tensor(sample.depth_path is not None)
        item["index"] = torch.tensor(index, dtype=torch.int64)
        return item


def apply_joint_weights(targets: dict[str, np.ndarray], weights_k: np.ndarray, skeleton: Skeleton = SKELETON_8) -> None:
    """Scale the loss masks by per-point training weights (in place): joint and offset masks by the
    point's weight, a bone's mask by the smaller weight of its two points. All-1 weights change nothing;
    a weight of 0 (e.g. the feet of a sample without foot labels) takes the point's channels out of the loss."""
    w = np.asarray(weights_k, dtype=np.float32)
    targets["joint_mask"] = targets["joint_mask"] * w
    targets["offset_mask"] = targets["offset_mask"] * np.repeat(w, 2)[:, None, None]
    targets["bone_mask"] = targets["bone_mask"] * np.array([min(w[i], w[j]) for i, j in skeleton.bones],
                                                           dtype=np.float32)


def read_rgb(sample: Sample) -> np.ndarray:
    """H×W×3 uint8 RGB; GaitposeError when missing, unreadable or not the size the JSON states."""
    path = Path(sample.image_path)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        raise GaitposeError(f"image file not found or unreadable: {path}")
    if image.shape[:2] != (sample.height, sample.width):
        raise GaitposeError(f"{path}: image is {image.shape[1]}×{image.shape[0]}, the annotations say "
                            f"{sample.width}×{sample.height}")
    return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)


def read_depth(sample: Sample) -> np.ndarray:
    """H×W float32 depth in millimetres (0 = no reading) from a 16-bit PNG of the RGB's size."""
    path = Path(sample.depth_path)
    depth = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if depth is None:
        raise GaitposeError(f"depth file not found or unreadable: {path}")
    if depth.dtype != np.uint16 or depth.ndim != 2:
        raise GaitposeError(f"{path}: depth must be a 16-bit single-channel PNG in millimetres")
    if depth.shape != (sample.height, sample.width):
        raise GaitposeError(f"{path}: depth is {depth.shape[1]}×{depth.shape[0]}, expected "
                            f"{sample.width}×{sample.height} (the size of its RGB image)")
    return depth.astype(np.float32)
