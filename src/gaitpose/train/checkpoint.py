"""Checkpoints that carry everything `eval`, `analyze` and `export` need: model name, input size,
skeleton and training config, next to the weights (and optimiser state for `--resume`).
"""
from __future__ import annotations

import io
from importlib import resources
from pathlib import Path
from typing import Any

import torch

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic
from gaitpose.model import build_model
from gaitpose.skeleton import SKELETON_8, SKELETONS, skeleton_for

BUNDLED_NAME = "gaitposenet_lite.pt"


def bundled_weights() -> Path:
    """Path of the model shipped inside the package (may not exist in a development checkout)."""
    return Path(str(resources.files("gaitpose") / "assets" / BUNDLED_NAME))


def bundled_onnx() -> Path:
    """The shipped model exported for ONNX Runtime (the fast CPU path of `analyze`), beside the weights."""
    return bundled_weights().with_suffix(".onnx")


def save_checkpoint(path: str | Path, model: torch.nn.Module, *, input_size: int, config: dict[str, Any],
                    extra: dict[str, Any] | None = None, half: bool = False) -> None:
    """Write a checkpoint atomically; `half` stores fp16 weights (for the bundled model)."""
    model = getattr(model, "module", model)                     # unwrap DDP
    skeleton = getattr(model, "skeleton", SKELETON_8)
    state = {k: (v.half() if half and v.is_floating_point() else v).detach().cpu()
             for k, v in model.state_dict().items()}
    payload = {
        "format": "gaitpose-checkpoint/1",
        "model": model.model_name,
        "input_size": int(input_size),
        "joints": list(skeleton.joints),
        "bones": [list(b) for b in skeleton.bones],
        "config": config,
        "state_dict": state,
        **(extra or {}),
    }
    buf = io.BytesIO()
    torch.save(payload, buf)
    write_bytes_atomic(path, buf.getvalue())


def read_checkpoint(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: weights file not found")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a user error here
        raise GaitposeError(f"{path}: not a gaitpose checkpoint ({type(exc).__name__})") from None
    if not isinstance(ckpt, dict) or ckpt.get("format") != "gaitpose-checkpoint/1":
        raise GaitposeError(f"{path}: not a gaitpose checkpoint (no 'format: gaitpose-checkpoint/1')")
    if skeleton_for(ckpt.get("joints") or []) is None:
        expected = " or ".join(str(list(sk.joints)) for sk in SKELETONS)
        raise GaitposeError(f"{path}: trained for joints {ckpt.get('joints')}, expected {expected}")
    return ckpt


def load_model(path: str | Path | None = None, device: str | torch.device = "cpu") -> tuple[torch.nn.Module, dict]:
    """Weights file (or the bundled model when None) → (model in eval mode, float32, on device; metadata)."""
    if path is None:
        path = bundled_weights()
        if not path.is_file():
            raise GaitposeError("no bundled model in this installation; pass --weights CHECKPOINT")
    ckpt = read_checkpoint(path)
    model = build_model(ckpt["model"])
    if list(model.skeleton.joints) != ckpt["joints"]:
        raise GaitposeError(f"{path}: model {ckpt['model']!r} predicts {model.skeleton.num_joints} points, "
                            f"the checkpoint was trained for {len(ckpt['joints'])}")
    state = {k: v.float() if v.is_floating_point() else v for k, v in ckpt["state_dict"].items()}
    try:
        model.load_state_dict(state)
    except RuntimeError as exc:
        raise GaitposeError(f"{path}: weights do not fit model {ckpt['model']!r} ({str(exc).splitlines()[0]})") from None
    meta = {k: v for k, v in ckpt.items() if k != "state_dict"}
    return model.to(device).eval(), meta
