"""Grow a trained GaitPoseNet deeper without forgetting it: the new blocks start as the identity.

A residual block computes relu(body(x) + x). With the last batch norm of its body scaled to zero the
body outputs 0 (the squeeze-excite after it multiplies that 0), and the block returns relu(x) = x,
since x is itself a block's ReLU output. So a network with extra blocks at the end of its stages,
holding the trained weights everywhere else, computes exactly what the trained one did; training
then uses the new capacity (the "deeper" half of Net2Net, Chen et al. 2016, with zero-init residuals
as in Goyal et al. 2017).
"""
from __future__ import annotations

import re

import torch

from gaitpose.errors import GaitposeError
from gaitpose.model.gaitposenet import GaitPoseNet

_BLOCK = re.compile(r"^(stages\.\d+\.\d+)\.")


def load_grown(model: GaitPoseNet, state: dict[str, torch.Tensor], source: str = "checkpoint") -> list[str]:
    """Load a shallower GaitPoseNet's weights into `model`; blocks it lacks start as the identity.

    Every weight of `state` must exist in `model` with the same shape (same widths, fewer blocks per
    stage). Returns the names of the new blocks ("stages.2.5", …).
    """
    own = model.state_dict()
    for key, value in state.items():
        if key not in own or own[key].shape != value.shape:
            raise GaitposeError(f"{source}: weight {key} does not fit the {getattr(model, 'model_name', 'model')} "
                                f"network (only a network with the same widths and fewer blocks can be grown)")
    new_blocks = sorted({m.group(1) for key in set(own) - set(state) if (m := _BLOCK.match(key))})
    orphans = [k for k in set(own) - set(state) if not _BLOCK.match(k)]
    if orphans:
        raise GaitposeError(f"{source}: lacks {sorted(orphans)[0]}, which is not part of a new block")
    model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()}, strict=False)
    modules = dict(model.named_modules())
    with torch.no_grad():
        for name in new_blocks:
            block = modules[name]
            if not isinstance(block.shortcut, torch.nn.Identity):
                raise GaitposeError(f"{source}: new block {name} changes resolution or width; it cannot start as "
                                    f"the identity")
            block.body[3].weight.zero_()                  # the body's last BatchNorm: body(x) = 0
            block.body[3].bias.zero_()
    return new_blocks


# The last layer of each keypoint head: its output channels are per point (heatmap), two per point
# (offset) or per bone (jgs), in the skeleton's order.
_HEAD_OUT = {"heatmap.1": 1, "offset.1": 2, "jgs.1": 0}


def load_with_new_points(model: torch.nn.Module, state: dict[str, torch.Tensor], source_joints: list[str],
                         source: str = "checkpoint") -> int:
    """Load a network trained for fewer points (the 8 joints) into `model`, whose skeleton adds points
    after them (the feet): every weight is copied, and in the heads' last layers the channels of the
    shared points and bones; the new points' and bones' channels keep their fresh initialisation.

    `source_joints` must be the first names of the model's skeleton, and its bones the first bones.
    Returns how many output channels start fresh.
    """
    skeleton = model.skeleton
    n_old = len(source_joints)
    if list(skeleton.joints[:n_old]) != list(source_joints) or n_old >= skeleton.num_joints:
        raise GaitposeError(f"{source}: its joints {source_joints} are not the first joints of the "
                            f"{getattr(model, 'model_name', 'model')} network's {list(skeleton.joints)}")
    own = model.state_dict()
    old_bones = sum(1 for i, j in skeleton.bones if i < n_old and j < n_old)
    loaded = {}
    fresh = 0
    for key, value in state.items():
        value = value.float() if value.is_floating_point() else value
        layer = key.rsplit(".", 1)[0]
        if layer in _HEAD_OUT and key in own:
            per = _HEAD_OUT[layer]
            n_keep = per * n_old if per else old_bones
            if value.shape[0] != n_keep or own[key].shape[1:] != value.shape[1:]:
                raise GaitposeError(f"{source}: weight {key} {tuple(value.shape)} does not fit the "
                                    f"{getattr(model, 'model_name', 'model')} network's first {n_keep} channels of "
                                    f"{tuple(own[key].shape)}")
            merged = own[key].clone()
            merged[:n_keep] = value
            fresh += own[key].shape[0] - n_keep if key.endswith(".weight") else 0
            loaded[key] = merged
        elif key not in own or own[key].shape != value.shape:
            raise GaitposeError(f"{source}: weight {key} does not fit the {getattr(model, 'model_name', 'model')} "
                                f"network (only the heads' last layers may differ)")
        else:
            loaded[key] = value
    missing = sorted(set(own) - set(loaded))
    if missing:
        raise GaitposeError(f"{source}: lacks {missing[0]}")
    model.load_state_dict(loaded)
    return fresh
