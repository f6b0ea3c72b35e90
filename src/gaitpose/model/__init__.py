"""Networks: GaitPoseNet (full, lite) and the HRNet baseline, built by name."""
from dataclasses import replace

from gaitpose.model.gaitposenet import ALL_HEADS, KEYPOINT_HEADS, GaitPoseNet, GaitPoseNetConfig
from gaitpose.model.registry import build_model, model_names, register_model

_VARIANTS = {
    "full": GaitPoseNetConfig(stem=32, stages=(64, 128, 256), depths=(2, 3, 4), fpn=128, head=64),
    # lite: half the channel width at every layer ≈ 1/4 of the parameters
    "lite": GaitPoseNetConfig(stem=16, stages=(32, 64, 128), depths=(2, 3, 4), fpn=64, head=32),
}


def _register(name: str, cfg: GaitPoseNetConfig) -> None:
    register_model(name)(lambda **kwargs: GaitPoseNet(replace(cfg, **kwargs)))


for _name, _cfg in _VARIANTS.items():
    _register(_name, _cfg)

__all__ = ["ALL_HEADS", "KEYPOINT_HEADS", "GaitPoseNet", "GaitPoseNetConfig", "build_model", "model_names"]
