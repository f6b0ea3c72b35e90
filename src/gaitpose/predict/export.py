"""ONNX export of the inference path (SPEC §4, §9): heatmap + offset, optionally decoded in the graph;
and the shipped model (fp16 checkpoint plus its ONNX export) made from a training checkpoint.

The graph has a dynamic batch axis and a fixed S×S input. Every export is checked against PyTorch
with ONNX Runtime on random input of batch 2 before the file is written.
"""
from __future__ import annotations

import logging
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic
from gaitpose.model.heads import KEYPOINT_HEADS
from gaitpose.predict.onnx_runtime import (DECODED_OUTPUT, HEAD_OUTPUTS, INPUT_NAME, JOINTS_KEY, MIN_SCORE_KEY,
                                           OnnxKeypointModel)
from gaitpose.skeleton import SKELETON_8
from gaitpose.targets import decode_keypoints
from gaitpose.train.checkpoint import bundled_weights, load_model, save_checkpoint

OPSET = 18                   # the torch.export-based exporter's own opset (≥ 17; no version conversion)
TOLERANCE = 1e-4             # max |ONNX Runtime − PyTorch| on heads; keypoints (pixels) also get 1e-6 relative
CHECK_BATCH = 2


class KeypointGraph(nn.Module):
    """What is exported: images N×3×S×S → (heatmap, offset), or keypoints N×8×3 with `decode`."""

    def __init__(self, model: nn.Module, decode: bool):
        super().__init__()
        self.model = model
        self.decode = decode

    def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, ...]:
        out = self.model(images, heads=KEYPOINT_HEADS)
        if self.decode:
            return (decode_keypoints(out["heatmap"], out["offset"]),)   # (N, 8, 3)
        return out["heatmap"], out["offset"]                             # (N, 8, S/4, S/4), (N, 16, S/4, S/4)


def onnx_bytes(model: nn.Module, input_size: int, decode: bool = False) -> bytes:
    """Serialise the keypoint path of `model` (put in eval mode, on the CPU) to an ONNX model."""
    if input_size <= 0 or input_size % 32:
        raise GaitposeError(f"input size must be a positive multiple of 32, got {input_size}")
    graph = KeypointGraph(model.cpu().eval(), decode).eval()
    example = torch.rand(CHECK_BATCH, 3, input_size, input_size)        # batch 2, so batch is not specialised
    names = [DECODED_OUTPUT] if decode else list(HEAD_OUTPUTS)
    with warnings.catch_warnings(), _quiet_exporter_logs():
        warnings.simplefilter("ignore")                                 # exporter deprecation chatter
        program = torch.onnx.export(
            graph, (example,), input_names=[INPUT_NAME], output_names=names, opset_version=OPSET,
            dynamo=True, dynamic_shapes=({0: torch.export.Dim("batch", min=1, max=4096)},), verbose=False)
    return program.model_proto.SerializeToString()


def max_abs_difference(model: nn.Module, onnx_model: bytes | str | Path, input_size: int, decode: bool,
                       seed: int = 0) -> float:
    """Run ONNX Runtime and PyTorch on the same random batch of 2; raise GaitposeError beyond tolerance."""
    x = torch.rand(CHECK_BATCH, 3, input_size, input_size, generator=torch.Generator().manual_seed(seed))
    with torch.inference_mode():
        expected = [t.numpy() for t in KeypointGraph(model.cpu().eval(), decode)(x)]
    got = list(OnnxKeypointModel(onnx_model)(x.numpy()).values())
    worst = 0.0
    for want, have in zip(expected, got, strict=True):
        if want.shape != have.shape:
            raise GaitposeError(f"ONNX output shape {have.shape} differs from PyTorch's {want.shape}")
        diff = np.abs(have - want)
        worst = max(worst, float(diff.max()))
        relative = 1e-6 if decode else 0.0
        if not np.all(diff <= TOLERANCE + relative * np.abs(want)):
            raise GaitposeError(f"ONNX Runtime differs from PyTorch by {float(diff.max()):.3g} (> {TOLERANCE:g})")
    return worst


def export_onnx(model: nn.Module, input_size: int, out_path: str | Path, decode: bool = False,
                min_score: float | None = None) -> float:
    """Export, check against PyTorch and write `out_path` (atomically, only when the check passes).

    `min_score` (the checkpoint's calibrated threshold) and the skeleton's point names travel in the file's
    metadata. Returns the max
    abs difference between ONNX Runtime and PyTorch on random input of batch 2.
    """
    data = onnx_bytes(model, input_size, decode)
    skeleton = getattr(model, "skeleton", SKELETON_8)
    meta = {} if skeleton == SKELETON_8 else {JOINTS_KEY: ",".join(skeleton.joints)}   # the 8-joint file as before
    if min_score is not None:
        meta[MIN_SCORE_KEY] = repr(float(min_score))
    if meta:
        data = with_metadata(data, meta)
    diff = max_abs_difference(model, data, input_size, decode)
    write_bytes_atomic(out_path, data)
    return diff


def with_metadata(model_bytes: bytes, values: dict[str, str]) -> bytes:
    """The same ONNX model with `values` added to its metadata_props."""
    import onnx

    proto = onnx.load_from_string(model_bytes)
    for key, value in values.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    return proto.SerializeToString()


def export_checkpoint(weights: str | Path | None, out_path: str | Path, decode: bool = False,
                      input_size: int | None = None) -> tuple[float, dict]:
    """`gaitpose export`: a checkpoint (the bundled model when None) → ONNX file; (max abs diff, meta)."""
    model, meta = load_model(weights)
    size = int(input_size or meta["input_size"])
    return export_onnx(model, size, out_path, decode, min_score=meta.get("min_score")), meta


def bundle_checkpoint(src: str | Path, dst: str | Path | None = None) -> Path:
    """Make the shipped model from a training checkpoint: fp16 weights, metadata kept, optimiser dropped;
    and its ONNX export next to it (same weights), which `analyze` runs on the CPU."""
    dst = Path(dst) if dst is not None else bundled_weights()
    model, meta = load_model(src)
    keep = {k: meta[k] for k in ("epoch", "step", "val_metrics", "min_score", "calibration") if k in meta}
    keep["source"] = str(src)
    save_checkpoint(dst, model, input_size=meta["input_size"], config=meta.get("config", {}), extra=keep, half=True)
    shipped, _ = load_model(dst)           # export what ships: the fp16 weights, read back as float32
    export_onnx(shipped, int(meta["input_size"]), dst.with_suffix(".onnx"), min_score=meta.get("min_score"))
    return dst


class _quiet_exporter_logs:
    """Silence the exporter's INFO/WARNING logging (version-converter fallbacks) for one export."""

    def __enter__(self) -> None:
        self.loggers = [logging.getLogger(n) for n in ("torch.onnx", "onnxscript")]
        self.levels = [lg.level for lg in self.loggers]
        for lg in self.loggers:
            lg.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        for lg, level in zip(self.loggers, self.levels):
            lg.setLevel(level)
