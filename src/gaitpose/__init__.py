"""gaitpose: non-contact gait analysis from a side-view camera.

Public API (SPEC §9): the skeleton, target encoding/decoding, the model registry and PCKs.
Torch-dependent names are imported on first use, so keypoint-only users never load torch.
"""
from __future__ import annotations

from typing import Any

from gaitpose.skeleton import BONES, FLIP_PAIRS, JOINTS

__version__ = "0.1.0"

_LAZY = {
    "build_model": "gaitpose.model",
    "encode_targets": "gaitpose.targets",
    "decode_keypoints": "gaitpose.targets",
    "pcks": "gaitpose.metrics",
    "pcks_per_joint": "gaitpose.metrics",
    "Letterbox": "gaitpose.data.letterbox",
    "GaitposeError": "gaitpose.errors",
}

__all__ = ["JOINTS", "BONES", "FLIP_PAIRS", *_LAZY]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'gaitpose' has no attribute {name!r}")
