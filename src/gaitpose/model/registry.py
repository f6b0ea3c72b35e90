"""Models by name (like timm's `create_model`): each variant is a few lines of data."""
from __future__ import annotations

from typing import Any, Callable

import torch.nn as nn

from gaitpose.errors import GaitposeError

_REGISTRY: dict[str, Callable[..., nn.Module]] = {}


def register_model(name: str) -> Callable:
    def add(factory: Callable[..., nn.Module]) -> Callable[..., nn.Module]:
        _REGISTRY[name] = factory
        return factory
    return add


def model_names() -> list[str]:
    return sorted(_REGISTRY)


def build_model(name: str, **kwargs: Any) -> nn.Module:
    """Build a registered model by name ("full", "lite", ...); kwargs override its config."""
    if name not in _REGISTRY:
        raise GaitposeError(f"unknown model {name!r}; expected one of {', '.join(model_names())}")
    model = _REGISTRY[name](**kwargs)
    model.model_name = name
    return model
