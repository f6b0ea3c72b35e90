"""GaitPoseNet (SPEC §4): Focus stem → SE-ResNeXt stages → FPN back to stride 4 → four heads.

Read top to bottom: blocks, then the network, then its config. Full and lite differ only in the
`GaitPoseNetConfig` entries registered in `gaitpose.model.registry`.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from gaitpose.model.heads import ALL_HEADS, KEYPOINT_HEADS, MultitaskNet, conv_bn_relu, head
from gaitpose.skeleton import SKELETON_8, Skeleton

__all__ = ["ALL_HEADS", "KEYPOINT_HEADS", "GaitPoseNet", "GaitPoseNetConfig", "conv_bn_relu", "head"]


class Focus(nn.Module):
    """Space-to-depth: the 4 pixel phases stacked as channels (no detail lost), then a conv."""

    def __init__(self, c_in: int, c_out: int):
        super().__init__()
        self.conv = conv_bn_relu(4 * c_in, c_out, 3)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # (N, C, H, W) -> (N, 4C, H/2, W/2)
        x = torch.cat([x[..., ::2, ::2], x[..., 1::2, ::2], x[..., ::2, 1::2], x[..., 1::2, 1::2]], dim=1)
        return self.conv(x)


class SqueezeExcite(nn.Module):
    """Channel attention (Hu et al. 2018): global pool → bottleneck MLP → sigmoid gate."""

    def __init__(self, channels: int, reduction: int = 8):
        super().__init__()
        hidden = max(8, channels // reduction)
        self.fc1 = nn.Conv2d(channels, hidden, 1)
        self.fc2 = nn.Conv2d(hidden, channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        s = x.mean(dim=(2, 3), keepdim=True)                            # (N, C, 1, 1)
        return x * torch.sigmoid(self.fc2(F.relu(self.fc1(s), inplace=True)))


class SEResNeXtBlock(nn.Module):
    """Bottleneck 1×1 → grouped 3×3 (cardinality) → 1×1, squeeze-excite, residual (Xie et al. 2017)."""

    def __init__(self, c_in: int, c_out: int, stride: int, cardinality: int):
        super().__init__()
        mid = c_out // 2
        self.body = nn.Sequential(
            conv_bn_relu(c_in, mid, 1),
            conv_bn_relu(mid, mid, 3, stride, groups=cardinality),
            nn.Conv2d(mid, c_out, 1, bias=False),
            nn.BatchNorm2d(c_out),
            SqueezeExcite(c_out),
        )
        self.shortcut = nn.Identity() if stride == 1 and c_in == c_out else nn.Sequential(
            nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.body(x) + self.shortcut(x), inplace=True)


def make_stage(c_in: int, c_out: int, depth: int, cardinality: int) -> nn.Sequential:
    """`depth` blocks; the first halves the resolution."""
    blocks = [SEResNeXtBlock(c_in, c_out, 2, cardinality)]
    blocks += [SEResNeXtBlock(c_out, c_out, 1, cardinality) for _ in range(depth - 1)]
    return nn.Sequential(*blocks)


class FPN(nn.Module):
    """Top-down pathway with lateral 1×1 connections (Lin et al. 2017), merged back to stride 4."""

    def __init__(self, in_channels: tuple[int, ...], width: int):
        super().__init__()
        self.lateral = nn.ModuleList(nn.Conv2d(c, width, 1) for c in in_channels)
        self.smooth = conv_bn_relu(width, width, 3)

    def forward(self, feats: list[torch.Tensor]) -> torch.Tensor:
        # feats: strides 4, 8, 16 (finest first)
        top = self.lateral[-1](feats[-1])
        for lateral, feat in zip(reversed(self.lateral[:-1]), reversed(feats[:-1])):
            top = lateral(feat) + F.interpolate(top, size=feat.shape[-2:], mode="nearest")
        return self.smooth(top)                                          # (N, width, H/4, W/4)


@dataclass(frozen=True)
class GaitPoseNetConfig:
    stem: int = 32
    stages: tuple[int, ...] = (64, 128, 256)      # output channels at strides 4, 8, 16
    depths: tuple[int, ...] = (2, 3, 4)
    cardinality: int = 8
    fpn: int = 128
    head: int = 64
    skeleton: Skeleton = SKELETON_8               # the points the heads predict (8 joints, or 12 with the feet)


class GaitPoseNet(MultitaskNet):
    """RGB N×3×S×S in [0, 1] → heatmap/offset/jgs at S/4, depth at S×S (heads: `model/heads.py`)."""

    def __init__(self, cfg: GaitPoseNetConfig):
        super().__init__()
        self.cfg = cfg
        self.stem = Focus(3, cfg.stem)                                   # stride 2
        chans = (cfg.stem, *cfg.stages)
        self.stages = nn.ModuleList(
            make_stage(chans[i], chans[i + 1], d, cfg.cardinality) for i, d in enumerate(cfg.depths))
        self.fpn = FPN(cfg.stages, cfg.fpn)
        self.add_heads(cfg.fpn, cfg.skeleton)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.stem(x - 0.5)                                           # (N, stem, S/2, S/2)
        feats = []
        for stage in self.stages:
            x = stage(x)                                                 # strides 4, 8, 16
            feats.append(x)
        return self.fpn(feats)                                           # (N, fpn, S/4, S/4)
