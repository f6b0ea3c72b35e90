"""The datasets a training run or an evaluation reads: one or more COCO-keypoints files, concatenated."""
from __future__ import annotations

import numpy as np
from torch.utils.data import ConcatDataset, Dataset, Subset

from gaitpose.data.augment import AugmentParams
from gaitpose.data.dataset import DatasetConfig, KeypointDataset
from gaitpose.skeleton import SKELETON_8, Skeleton


def make_dataset(paths: list[str], input_size: int, train: bool, seed: int = 0, max_images: int = 0,
                 augment: AugmentParams = AugmentParams(), skeleton: Skeleton = SKELETON_8) -> Dataset:
    """Concatenate the files (augmented when `train`); `max_images` > 0 keeps a seeded random subset.
    `skeleton`: the points the network predicts (with the feet, samples without foot labels train the 8 joints)."""
    cfg = DatasetConfig(input_size=input_size, train=train, seed=seed, augment=augment, skeleton=skeleton)
    dataset: Dataset = ConcatDataset([KeypointDataset(p, cfg) for p in paths])
    if max_images and max_images < len(dataset):
        keep = np.sort(np.random.default_rng(seed).choice(len(dataset), max_images, replace=False))
        dataset = Subset(dataset, keep.tolist())
    return dataset


def set_epoch(dataset: Dataset, epoch: int) -> None:
    """New augmentations every epoch (KeypointDataset draws them from (seed, epoch, index))."""
    inner = dataset.dataset if isinstance(dataset, Subset) else dataset
    for part in getattr(inner, "datasets", [inner]):
        if hasattr(part, "set_epoch"):
            part.set_epoch(epoch)


def input_scale(batch: dict) -> np.ndarray:
    """Input pixels per original pixel for each sample of a batch (letterbox scale: S / longer side)."""
    size = batch["image"].shape[-1]
    return size / batch["src_wh"].numpy().max(axis=1).astype(np.float64)
