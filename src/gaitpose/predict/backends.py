"""Keypoint backends: the network behind one call, PyTorch (CPU/CUDA) or an ONNX file (ONNX Runtime)."""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np
import torch

from gaitpose.errors import GaitposeError


class KeypointBackend(Protocol):
    input_size: int
    name: str
    # optional: n_points (> 8 when points follow the 8 joints: the feet first, skeleton.FOOT_POINTS order)
    # and feet_source (who found those heels and toe tips, named in the summary and the report)

    def __call__(self, images_nhw3: np.ndarray) -> np.ndarray:
        """N×S×S×3 uint8 RGB → N×8×3 [x, y, score] in input pixels (N×n_points×3 with points after the joints)."""


def to_tensor(images_nhw3: np.ndarray) -> np.ndarray:
    """N×S×S×3 uint8 RGB → N×3×S×S float32 in [0, 1] (contiguous)."""
    return np.ascontiguousarray(images_nhw3.transpose(0, 3, 1, 2), dtype=np.float32) / 255.0


class TorchBackend:
    """A checkpoint run with PyTorch (the bundled model when `weights` is None)."""

    def __init__(self, weights: str | None = None, device: str = "auto", threads: int = 0, flip: bool = False,
                 input_size: int | None = None):
        from gaitpose.train.checkpoint import load_model

        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        if threads > 0:
            torch.set_num_threads(threads)
        self.device = torch.device(device)
        self.model, self.meta = load_model(weights, self.device)
        self.input_size = int(input_size or self.meta["input_size"])      # fully convolutional: any multiple of 32
        if self.input_size % 32:
            raise GaitposeError(f"--size must be a multiple of 32, got {self.input_size}")
        self.flip = flip
        self.name = f"pytorch-{self.device.type} {self.meta['model']}@{self.input_size}"
        self.n_points = self.model.skeleton.num_joints
        self.feet_source = feet_source_name(self.meta["model"], self.n_points) if self.model.skeleton.has_feet else None
        self.min_score: float | None = self.meta.get("min_score")     # calibrated (gaitpose calibrate)

    def __call__(self, images_nhw3: np.ndarray) -> np.ndarray:
        from gaitpose.model.inference import infer_keypoints

        x = torch.from_numpy(to_tensor(images_nhw3)).to(self.device)
        return infer_keypoints(self.model, x, flip=self.flip).cpu().numpy()


class OnnxBackend:
    """An exported ONNX file (heatmap + offset outputs, or in-graph decoded keypoints) on ONNX Runtime."""

    def __init__(self, path: str | Path, threads: int = 0):
        from gaitpose.predict.onnx_runtime import OnnxKeypointModel

        self.model = OnnxKeypointModel(path, threads)
        self.input_size = self.model.input_size
        self.min_score = self.model.min_score
        self.name = f"onnxruntime {Path(path).name}@{self.input_size}"
        self.n_points = self.model.n_points
        self.feet_source = feet_source_name(Path(path).name, self.n_points) if self.model.has_feet else None

    def __call__(self, images_nhw3: np.ndarray) -> np.ndarray:
        return self.model.keypoints(to_tensor(images_nhw3))


def feet_source_name(model: str, n_points: int) -> str:
    """How the summary and the report name a GaitPoseNet that found the heels and toe tips itself."""
    return f"GaitPoseNet {model} ({n_points} points: the 8 joints, heels and toe tips)"


KEYPOINT_SOURCES: tuple[str, ...] = ("gaitposenet", "mediapipe")
TEACHER_INPUT_SIZE = 512    # the teacher's crop: BlazePose finds its own person box inside it


def make_backend(weights: str | None, onnx: str | None = None, device: str = "auto", threads: int = 0,
                 flip: bool = False, input_size: int | None = None, keypoints: str = "gaitposenet"
                 ) -> KeypointBackend:
    """ONNX Runtime for an ONNX file, and for the bundled model on the CPU (its export ships with it and
    runs 2-3× faster than PyTorch there); PyTorch otherwise (checkpoints, CUDA, flip test, other sizes).
    `keypoints="mediapipe"`: the teacher (MediaPipe Pose, video mode) instead of GaitPoseNet; it also
    returns its heels and toe tips (and the nose) after the 8 joints, so that events can come from them."""
    if keypoints not in KEYPOINT_SOURCES:
        raise GaitposeError(f"--keypoints: expected one of {', '.join(KEYPOINT_SOURCES)}, got {keypoints!r}")
    if keypoints == "mediapipe":
        if weights or onnx or flip:
            raise GaitposeError("--weights, --onnx and --flip-test choose GaitPoseNet's weights and inference; "
                                "they do not apply to --keypoints mediapipe")
        from gaitpose.predict.teacher import TeacherBackend

        return TeacherBackend(input_size or TEACHER_INPUT_SIZE, static=False, extra_points=True)
    if onnx:
        return OnnxBackend(onnx, threads)
    if weights is None and not flip and _cpu(device):
        from gaitpose.train.checkpoint import bundled_onnx

        path = bundled_onnx()
        if path.is_file():
            backend = OnnxBackend(path, threads)
            if input_size in (None, backend.input_size):
                backend.name = f"onnxruntime bundled lite@{backend.input_size}"
                return backend
    return TorchBackend(weights, device, threads, flip, input_size)


def _cpu(device: str) -> bool:
    return device == "cpu" or (device == "auto" and not torch.cuda.is_available())
