"""Training configuration: a TOML file read into dataclasses (SPEC §6 stages are configs, not code)."""
from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from gaitpose.data.augment import AugmentParams
from gaitpose.errors import GaitposeError


@dataclass
class DataConfig:
    train: list[str] = field(default_factory=list)     # COCO-keypoints JSON files (SPEC §9)
    val: list[str] = field(default_factory=list)
    workers: int = 2                                   # data-loader processes (targets are built there)
    augment: bool = True
    max_train_images: int = 0                          # 0: all
    augmentation: dict[str, Any] = field(default_factory=dict)   # AugmentParams fields to change, e.g. rotation_deg


@dataclass
class OptimConfig:
    lr: float = 5e-4
    weight_decay: float = 1e-6
    lr_milestones: list[int] = field(default_factory=lambda: [50])   # epochs after which lr *= lr_gamma
    lr_gamma: float = 0.5


@dataclass
class LossConfig:
    heatmap: float = 16.0
    jgs: float = 4.0
    depth: float = 1.0
    offset: float = 2.0


@dataclass
class TrainConfig:
    name: str = "run"
    model: str = "lite"
    input_size: int = 512
    epochs: int = 100
    batch_size: int = 8
    init_weights: str = ""          # checkpoint to start from (fine-tuning); "" = random init
    grow_from_init: bool = False    # init_weights may be a shallower GaitPoseNet: grow it (model/grow.py)
    freeze: list[str] = field(default_factory=list)   # parameter-name prefixes kept fixed, e.g. "stem", "stages.0"
    out_dir: str = "runs"
    seed: int = 0
    amp: bool = True                # mixed precision (CUDA only)
    channels_last: bool = True
    max_steps_per_epoch: int = 0    # 0: the whole training set each epoch
    max_minutes: float = 0.0        # > 0: training stops within this budget (no new step or epoch past it)
    data: DataConfig = field(default_factory=DataConfig)
    optim: OptimConfig = field(default_factory=OptimConfig)
    loss: LossConfig = field(default_factory=LossConfig)

    @property
    def run_dir(self) -> Path:
        return Path(self.out_dir) / self.name

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _build(cls: type, values: dict[str, Any], where: str) -> Any:
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(values) - set(known))
    if unknown:
        raise GaitposeError(f"{where}: unknown key(s) {', '.join(unknown)}; expected {', '.join(known)}")
    kwargs = {}
    for key, value in values.items():
        sub = {"data": DataConfig, "optim": OptimConfig, "loss": LossConfig}.get(key) if cls is TrainConfig else None
        if sub is not None:
            if not isinstance(value, dict):
                raise GaitposeError(f"{where}: [{key}] must be a table")
            kwargs[key] = _build(sub, value, f"{where} [{key}]")
        else:
            kwargs[key] = value
    return cls(**kwargs)


def config_from_dict(values: dict[str, Any], where: str = "config") -> TrainConfig:
    cfg = _build(TrainConfig, values, where)
    if cfg.input_size <= 0 or cfg.input_size % 32:
        raise GaitposeError(f"{where}: input_size must be a positive multiple of 32, got {cfg.input_size}")
    if cfg.epochs <= 0 or cfg.batch_size <= 0:
        raise GaitposeError(f"{where}: epochs and batch_size must be positive")
    if not cfg.data.train:
        raise GaitposeError(f"{where}: [data] train must list at least one annotation file")
    augment_params(cfg.data.augmentation, where)
    return cfg


def augment_params(changes: dict[str, Any], where: str = "config") -> AugmentParams:
    """The default augmentation with the [data.augmentation] changes (TOML lists become ranges)."""
    known = {f.name for f in fields(AugmentParams)}
    unknown = sorted(set(changes) - known)
    if unknown:
        raise GaitposeError(f"{where} [data.augmentation]: unknown key(s) {', '.join(unknown)}; "
                            f"expected {', '.join(sorted(known))}")
    return replace(AugmentParams(), **{k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()})


def load_config(path: str | Path) -> TrainConfig:
    return load_config_with_overrides(path, [])


def load_config_with_overrides(path: str | Path, overrides: list[str]) -> TrainConfig:
    """Read a config file, then apply `key=value` overrides (dotted keys, TOML values)."""
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: config file not found")
    try:
        values = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as exc:
        raise GaitposeError(f"{path}: not valid TOML: {exc}") from None
    for item in overrides:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise GaitposeError(f"--set {item!r}: expected KEY=VALUE, e.g. optim.lr=1e-4")
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw                                            # a bare string
        *parents, leaf = key.strip().split(".")
        table = values
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = value
    return config_from_dict(values, str(path))
