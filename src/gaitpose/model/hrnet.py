"""HRNet baseline (SPEC §4): the peer network the paper compares GaitPoseNet with.

Written from the description in Sun et al. 2019, "Deep High-Resolution Representation Learning for
Human Pose Estimation" (CVPR): a stem of two stride-2 3×3 convolutions (stride 4); stage 1 of
bottleneck units; then stages 2–4 that keep the high-resolution branch and add one branch at half the
resolution each (widths C, 2C, 4C, 8C at strides 4, 8, 16, 32), built from modules of residual units
per branch followed by an exchange unit that fuses every resolution into every other. As in the
paper's pose network, the heads read the highest-resolution branch only; they are GaitPoseNet's four
heads (`model/heads.py`), so loss, training, decoding, bench and export work unchanged.

Read top to bottom: residual units, the exchange (fusion) unit, a module, the transition, the
network, its config. W32 and lite differ only in the `HRNetConfig` registered in `gaitpose.model`.
Inputs must be a multiple of 32 (the lowest branch is at stride 32).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

from gaitpose.model.heads import MultitaskNet, conv_bn_relu


def conv_bn(c_in: int, c_out: int, k: int = 3, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, k, stride, k // 2, bias=False), nn.BatchNorm2d(c_out))


class BasicBlock(nn.Module):
    """Two 3×3 convolutions with a residual (He et al. 2016): HRNet's unit in stages 2–4."""

    def __init__(self, channels: int):
        super().__init__()
        self.body = nn.Sequential(conv_bn_relu(channels, channels, 3), conv_bn(channels, channels, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(x + self.body(x), inplace=True)


class Bottleneck(nn.Module):
    """1×1 → 3×3 → 1×1 (×4 expansion) with a residual, as in ResNet-50: HRNet's stage-1 unit."""

    def __init__(self, c_in: int, width: int):
        super().__init__()
        c_out = 4 * width
        self.body = nn.Sequential(conv_bn_relu(c_in, width, 1), conv_bn_relu(width, width, 3), conv_bn(width, c_out, 1))
        self.shortcut = nn.Identity() if c_in == c_out else conv_bn(c_in, c_out, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.shortcut(x) + self.body(x), inplace=True)


def resample(c_in: int, c_out: int, steps: int) -> nn.Module:
    """Bring a branch `steps` resolutions finer (< 0: 1×1 conv, nearest upsampling) or coarser
    (> 0: strided 3×3 convolutions, ReLU between them but not after the last)."""
    if steps == 0:
        return nn.Identity()
    if steps < 0:
        return nn.Sequential(conv_bn(c_in, c_out, 1), nn.Upsample(scale_factor=2 ** -steps, mode="nearest"))
    convs = [conv_bn_relu(c_in, c_in, 3, 2) for _ in range(steps - 1)]
    return nn.Sequential(*convs, conv_bn(c_in, c_out, 3, 2))


class Fusion(nn.Module):
    """Exchange unit: output branch o = ReLU(sum over input branches i of resample(x_i to branch o))."""

    def __init__(self, widths: tuple[int, ...], n_out: int):
        super().__init__()
        self.paths = nn.ModuleList(
            nn.ModuleList(resample(c_in, widths[o], o - i) for i, c_in in enumerate(widths)) for o in range(n_out))

    def forward(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        # xs[b]: (N, widths[b], S/4/2^b, S/4/2^b)
        return [F.relu(sum(path(x) for path, x in zip(paths, xs)), inplace=True) for paths in self.paths]


class HRModule(nn.Module):
    """`blocks` residual units on every branch, then one exchange unit fusing them (`n_out` branches out)."""

    def __init__(self, widths: tuple[int, ...], blocks: int, n_out: int):
        super().__init__()
        self.branches = nn.ModuleList(nn.Sequential(*(BasicBlock(w) for _ in range(blocks))) for w in widths)
        self.fuse = Fusion(widths, n_out)

    def forward(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        return self.fuse([branch(x) for branch, x in zip(self.branches, xs)])


class Transition(nn.Module):
    """Between stages: adapt each kept branch's width (3×3 conv where it changes) and start one new
    branch at half the resolution from the lowest one (strided 3×3 conv)."""

    def __init__(self, widths_in: tuple[int, ...], widths_out: tuple[int, ...]):
        super().__init__()
        self.keep = nn.ModuleList(nn.Identity() if c_in == c_out else conv_bn_relu(c_in, c_out, 3)
                                  for c_in, c_out in zip(widths_in, widths_out))
        self.new = conv_bn_relu(widths_in[-1], widths_out[-1], 3, 2)

    def forward(self, xs: list[torch.Tensor]) -> list[torch.Tensor]:
        return [keep(x) for keep, x in zip(self.keep, xs)] + [self.new(xs[-1])]


@dataclass(frozen=True)
class HRNetConfig:
    width: int = 32                        # C: branch widths C, 2C, 4C, 8C (HRNet-W32)
    stem: int = 64                         # stem and stage-1 bottleneck width (stage 1 outputs 4× this)
    stage1_blocks: int = 4                 # bottleneck units in stage 1
    modules: tuple[int, ...] = (1, 4, 3)   # modules in stages 2, 3, 4 (2, 3, 4 branches)
    blocks: int = 4                        # residual units per branch in each module


class HRNet(MultitaskNet):
    """RGB N×3×S×S in [0, 1] (S a multiple of 32) → heatmap/offset/jgs at S/4, depth at S×S."""

    def __init__(self, cfg: HRNetConfig):
        super().__init__()
        self.cfg = cfg
        self.stem = nn.Sequential(conv_bn_relu(3, cfg.stem, 3, 2), conv_bn_relu(cfg.stem, cfg.stem, 3, 2))
        self.layer1 = nn.Sequential(Bottleneck(cfg.stem, cfg.stem),
                                    *(Bottleneck(4 * cfg.stem, cfg.stem) for _ in range(cfg.stage1_blocks - 1)))
        self.transitions = nn.ModuleList()
        self.stages = nn.ModuleList()
        widths: tuple[int, ...] = (4 * cfg.stem,)
        for s, n_modules in enumerate(cfg.modules):
            new = tuple(cfg.width * 2 ** b for b in range(s + 2))
            self.transitions.append(Transition(widths, new))
            widths = new
            last_stage = s == len(cfg.modules) - 1
            # the network's very last exchange unit outputs the high-resolution branch only
            self.stages.append(nn.Sequential(*(
                HRModule(widths, cfg.blocks, 1 if last_stage and m == n_modules - 1 else len(widths))
                for m in range(n_modules))))
        self.add_heads(cfg.width)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        x = self.layer1(self.stem(x - 0.5))                              # (N, 4·stem, S/4, S/4)
        xs = [x]
        for transition, stage in zip(self.transitions, self.stages):
            xs = stage(transition(xs))                                   # branches at S/4, S/8, ...
        return xs[0]                                                     # (N, C, S/4, S/4)
