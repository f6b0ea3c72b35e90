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
