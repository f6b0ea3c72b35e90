"""Small array helpers shared across the layers (numpy only)."""
from __future__ import annotations

import numpy as np


def true_runs(mask_t: np.ndarray) -> list[tuple[int, int]]:
    """[start, stop) of each run of True in a 1-D mask, in order."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], np.asarray(mask_t).astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))
