"""An exported keypoint network run with ONNX Runtime on the CPU (no torch needed at run time)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.skeleton import SKELETON_8, skeleton_for

INPUT_NAME = "images"                                  # N×3×S×S float32 in [0, 1]
HEAD_OUTPUTS: tuple[str, ...] = ("heatmap", "offset")  # N×8×S/4×S/4, N×16×S/4×S/4
DECODED_OUTPUT = "keypoints"                           # N×8×3 [x, y, score] in input pixels
MIN_SCORE_KEY = "gaitpose.min_score"                   # metadata: the calibrated score threshold
JOINTS_KEY = "gaitpose.joints"                         # metadata: the point names, comma-separated (absent: the 8)


def _session(model: str | Path | bytes, threads: int):
    import onnxruntime as ort

    opts = ort.SessionOptions()
    if threads > 0:
        opts.intra_op_num_threads = threads
    return ort.InferenceSession(model if isinstance(model, bytes) else str(model), opts,
                                providers=["CPUExecutionProvider"])


class OnnxKeypointModel:
    """An ONNX file written by `export_onnx`: `__call__` gives its outputs by name (heatmap + offset, or
    keypoints when decoding is in the graph); `keypoints` always gives N×8×3 in input pixels (leg pairs
    separated as in PyTorch inference when the heatmaps are outputs)."""

    def __init__(self, model: str | Path | bytes, threads: int = 0):
        """`model`: a path or the serialised bytes; `threads`: ONNX Runtime intra-op threads (0: its default)."""
        if not isinstance(model, bytes) and not Path(model).is_file():
            raise GaitposeError(f"{model}: ONNX file not found")
        try:
            self.session = _session(model, threads)
        except Exception as exc:  # noqa: BLE001 - an unreadable model file is a user error
            raise GaitposeError(f"{'ONNX bytes' if isinstance(model, bytes) else model}: "
                                f"not a loadable ONNX model ({type(exc).__name__})") from None
        inp = self.session.get_inputs()[0]
        self.input_name = inp.name
        self.input_size = int(inp.shape[-1])
        self.outputs = [o.name for o in self.session.get_outputs()]
        self.decoded = self.outputs == [DECODED_OUTPUT]
        metadata = self.session.get_modelmeta().custom_metadata_map
        calibrated = metadata.get(MIN_SCORE_KEY)
        self.min_score: float | None = float(calibrated) if calibrated is not None else None
        names = metadata.get(JOINTS_KEY)
        skeleton = SKELETON_8 if names is None else skeleton_for(names.split(","))
        if skeleton is None:
            raise GaitposeError(f"{'ONNX bytes' if isinstance(model, bytes) else model}: predicts points {names}, "
                                f"not a gaitpose skeleton")
        self.n_points = skeleton.num_joints            # the 8 joints, then the feet when it has them
        self.has_feet = skeleton.has_feet

    def __call__(self, images: np.ndarray) -> dict[str, np.ndarray]:
        """N×3×S×S float32 in [0, 1] → {"heatmap", "offset"} or {"keypoints"}."""
        if images.ndim != 4 or images.shape[1:] != (3, self.input_size, self.input_size):
            raise GaitposeError(f"ONNX model expects N×3×{self.input_size}×{self.input_size} images, "
                                f"got {'×'.join(map(str, images.shape))}")
        results = self.session.run(None, {self.input_name: np.ascontiguousarray(images, dtype=np.float32)})
        return dict(zip(self.outputs, results))

    def keypoints(self, images: np.ndarray) -> np.ndarray:
        """N×3×S×S float32 in [0, 1] → N×K×3 [x, y, score] in input pixels (K = n_points)."""
        out = self(images)
        if self.decoded:
            return out[DECODED_OUTPUT]
        from gaitpose.targets import decode_keypoints, separate_leg_pairs

        return separate_leg_pairs(out["heatmap"], out["offset"], decode_keypoints(out["heatmap"], out["offset"]))
