"""The four output heads of SPEC §4, shared by every backbone (GaitPoseNet, HRNet).

A network subclasses `MultitaskNet`, builds its backbone, calls `add_heads(width, skeleton)` and implements
`features(x)` → N×width×S/4×S/4; `forward(x, heads=...)` is then the same for all of them.
"""
from __future__ import annotations

import torch
import torch.nn as nn

from gaitpose.skeleton import SKELETON_8, Skeleton

ALL_HEADS: tuple[str, ...] = ("heatmap", "offset", "jgs", "depth")
KEYPOINT_HEADS: tuple[str, ...] = ("heatmap", "offset")


def conv_bn_relu(c_in: int, c_out: int, k: int = 3, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


def head(width: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(conv_bn_relu(width, width, 3), nn.Conv2d(width, c_out, 1))


class MultitaskNet(nn.Module):
    """RGB N×3×S×S in [0, 1] → dict of heads: heatmap/offset/jgs at S/4, depth at S×S in [0, 1]."""

    def add_heads(self, width: int, skeleton: Skeleton = SKELETON_8) -> None:
        """Attach the heads as attributes (their names are the state-dict keys and the output keys):
        one heatmap and two offset channels per point of `skeleton`, one JGS channel per bone."""
        self.skeleton = skeleton
        self.heatmap = head(width, skeleton.num_joints)
        self.offset = head(width, 2 * skeleton.num_joints)
        self.jgs = head(width, skeleton.num_bones)
        # depth: 16 channels at stride 4, pixel-shuffled to 1 channel at full resolution
        self.depth = nn.Sequential(head(width, 16), nn.PixelShuffle(4))

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """N×3×S×S in [0, 1] → N×width×S/4×S/4 (the backbone)."""
        raise NotImplementedError

    def forward(self, x: torch.Tensor, heads: tuple[str, ...] = ALL_HEADS) -> dict[str, torch.Tensor]:
        """`heads` picks what to compute; inference needs only KEYPOINT_HEADS."""
        f = self.features(x)                                             # (N, width, S/4, S/4)
        out: dict[str, torch.Tensor] = {}
        for name in heads:
            y = getattr(self, name)(f)
            out[name] = torch.sigmoid(y) if name == "depth" else y       # depth in [0, 1]
        return out
