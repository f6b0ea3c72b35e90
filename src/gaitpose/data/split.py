"""Train/validation split, 4:1 by subject (SPEC §6).

Frames of one subject's video look alike; putting them on both sides of the split inflates PCK.
So whole subjects go to validation. Only when no sample has a subject id is the split frame-wise,
with a warning.
"""
from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from gaitpose.data.coco import Sample, load_coco_keypoints, write_coco_keypoints
from gaitpose.errors import GaitposeError


@dataclass(frozen=True)
class Split:
    """Sample indices of each side, and whether whole subjects were kept apart."""

    train: list[int]
    val: list[int]
    by_subject: bool
    val_subjects: tuple[str, ...] = ()


def split_indices(subjects: Sequence[str | None], val_fraction: float, seed: int) -> Split:
    """Choose validation samples: round(val_fraction × #subjects) whole subjects (at least 1, at most all but 1).

    Samples without a subject id, when others have one, each count as a subject of their own.
    Deterministic for a given seed and subject list (subjects are sorted before shuffling).
    """
    if not 0.0 < val_fraction < 1.0:
        raise GaitposeError(f"val fraction must be between 0 and 1, got {val_fraction}")
    n = len(subjects)
    if n < 2:
        raise GaitposeError(f"cannot split {n} sample(s): need at least 2")
    rng = np.random.default_rng(seed)
    if all(s is None for s in subjects):
        warnings.warn("no subject ids in the dataset: splitting frame-wise (similar frames of one person may "
                      "land on both sides and inflate validation scores)", stacklevel=2)
        order = rng.permutation(n)
        n_val = min(n - 1, max(1, round(val_fraction * n)))
        return Split(train=sorted(order[n_val:].tolist()), val=sorted(order[:n_val].tolist()), by_subject=False)
    keys = [s if s is not None else f"\0frame{i}" for i, s in enumerate(subjects)]
    unique = sorted(set(keys))
    if len(unique) < 2:
        raise GaitposeError(f"all {n} samples belong to subject {unique[0]!r}: a subject-wise split needs 2 or more")
    n_val = min(len(unique) - 1, max(1, round(val_fraction * len(unique))))
    val_subjects = {unique[i] for i in rng.permutation(len(unique))[:n_val]}
    return Split(train=[i for i, k in enumerate(keys) if k not in val_subjects],
                 val=[i for i, k in enumerate(keys) if k in val_subjects],
                 by_subject=True,
                 val_subjects=tuple(sorted(s for s in val_subjects if not s.startswith("\0"))))


def split_file(data_json: str | os.PathLike, out_train: str | os.PathLike, out_val: str | os.PathLike,
               val_fraction: float = 0.2, seed: int = 0) -> Split:
    """Split a dataset JSON into two dataset JSONs (paths rewritten relative to each output)."""
    samples: list[Sample] = load_coco_keypoints(data_json, check_files=False)
    split = split_indices([s.subject for s in samples], val_fraction, seed)
    for path, idx in ((out_train, split.train), (out_val, split.val)):
        write_coco_keypoints(Path(path), [samples[i] for i in idx],
                             description=f"split of {Path(data_json).name} (seed {seed})")
    return split
