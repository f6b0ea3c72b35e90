"""Networks: GaitPoseNet (full, lite) and the HRNet baseline (hrnet_w32, hrnet_lite), built by name."""
from dataclasses import replace
from typing import Any, Callable

import torch.nn as nn

from gaitpose.model.gaitposenet import ALL_HEADS, KEYPOINT_HEADS, GaitPoseNet, GaitPoseNetConfig
from gaitpose.model.hrnet import HRNet, HRNetConfig
from gaitpose.model.registry import build_model, model_names, register_model
from gaitpose.skeleton import SKELETON_FEET

_VARIANTS: dict[str, tuple[Callable[[Any], nn.Module], Any]] = {
    "full": (GaitPoseNet, GaitPoseNetConfig(stem=32, stages=(64, 128, 256), depths=(2, 3, 4), fpn=128, head=64)),
    # lite: half the channel width at every layer ≈ 1/4 of the parameters
    "lite": (GaitPoseNet, GaitPoseNetConfig(stem=16, stages=(32, 64, 128), depths=(2, 3, 4), fpn=64, head=32)),
    # lite grown deeper (more blocks at strides 8 and 16, where they cost little time): starts from
    # trained lite weights with the new blocks as the identity (model/grow.py)
    "lite_deep": (GaitPoseNet, GaitPoseNetConfig(stem=16, stages=(32, 64, 128), depths=(2, 4, 8), fpn=64, head=32)),
    # lite_deep with the heels and toe tips (12 points, issue 13): starts from the 8-joint lite_deep weights,
    # the feet's head channels fresh (model/grow.py `load_with_new_points`)
    "lite_feet": (GaitPoseNet, GaitPoseNetConfig(stem=16, stages=(32, 64, 128), depths=(2, 4, 8), fpn=64, head=32,
                                                 skeleton=SKELETON_FEET)),
    # HRNet-W32 as in Sun et al. 2019 (stage 1: 4 bottlenecks; stages 2-4: 1, 4, 3 modules of 4 units)
    "hrnet_w32": (HRNet, HRNetConfig(width=32, stem=64, stage1_blocks=4, modules=(1, 4, 3), blocks=4)),
    # lite: W16 with fewer and shallower modules
    "hrnet_lite": (HRNet, HRNetConfig(width=16, stem=32, stage1_blocks=2, modules=(1, 2, 2), blocks=2)),
}


def _register(name: str, network: Callable[[Any], nn.Module], cfg: Any) -> None:
    register_model(name)(lambda **kwargs: network(replace(cfg, **kwargs)))


for _name, (_network, _cfg) in _VARIANTS.items():
    _register(_name, _network, _cfg)

__all__ = ["ALL_HEADS", "KEYPOINT_HEADS", "GaitPoseNet", "GaitPoseNetConfig", "HRNet", "HRNetConfig",
           "build_model", "model_names"]
