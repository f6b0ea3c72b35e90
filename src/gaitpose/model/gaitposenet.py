"""GaitPoseNet (SPEC §4): Focus stem → SE-ResNeXt stages → FPN back to stride 4 → four heads.

Read top to bottom: blocks, then the network, then its config. Full and lite differ only in the
`GaitPoseNetConfig` entries registered in `gaitpose.model.registry`.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from gaitpose.skeleton import NUM_BONES, NUM_JOINTS

ALL_HEADS: tuple[str, ...] = ("heatmap", "offset", "jgs", "depth")
KEYPOINT_HEADS: tuple[str, ...] = ("heatmap", "offset")


def conv_bn_relu(c_in: int, c_out: int, k: int = 3, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(c_in, c_out, k, stride, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(c_out),
        nn.ReLU(inplace=True),
    )


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


def head(width: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(conv_bn_relu(width, width, 3), nn.Conv2d(width, c_out, 1))


@dataclass(frozen=True)
class GaitPoseNetConfig:
    stem: int = 32
    stages: tuple[int, ...] = (64, 128, 256)      # output channels at strides 4, 8, 16
    depths: tuple[int, ...] = (2, 3, 4)
    cardinality: int = 8
    fpn: int = 128
    head: int = 64


class GaitPoseNet(nn.Module):
    """RGB N×3×S×S in [0, 1] → dict of heads: heatmap/offset/jgs at S/4, depth at S×S."""

    def __init__(self, cfg: GaitPoseNetConfig):
        super().__init__()
        self.cfg = cfg
        self.stem = Focus(3, cfg.stem)                                   # stride 2
        chans = (cfg.stem, *cfg.stages)
        self.stages = nn.ModuleList(
            make_stage(chans[i], chans[i + 1], d, cfg.cardinality) for i, d in enumerate(cfg.depths))
        self.fpn = FPN(cfg.stages, cfg.fpn)
        self.heatmap = head(cfg.fpn, NUM_JOINTS)
        self.offset = head(cfg.fpn, 2 * NUM_JOINTS)
        self.jgs = head(cfg.fpn, NUM_BONES)
        # depth: 16 channels at stride 4, pixel-shuffled to 1 channel at full resolution
        self.depth = nn.Sequential(head(cfg.fpn, 16), nn.PixelShuffle(4))

    def forward(self, x: torch.Tensor, heads: tuple[str, ...] = ALL_HEADS) -> dict[str, torch.Tensor]:
        """`heads` picks what to compute; inference needs only KEYPOINT_HEADS."""
        x = self.stem(x - 0.5)                                           # (N, stem, S/2, S/2)
        feats = []
        for stage in self.stages:
            x = stage(x)                                                 # strides 4, 8, 16
            feats.append(x)
        f = self.fpn(feats)                                              # (N, fpn, S/4, S/4)
        out: dict[str, torch.Tensor] = {}
        for name in heads:
            y = getattr(self, name)(f)
            out[name] = torch.sigmoid(y) if name == "depth" else y       # depth in [0, 1]
        return out
