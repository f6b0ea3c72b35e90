"""Surface materials: a base colour, a simple procedural pattern and shininess.

Patterns are functions of a solid's surface coordinates (metres), so clothing stripes follow the
limb as it moves instead of swimming across it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PATTERNS: tuple[str, ...] = ("plain", "stripes", "checker", "fabric")


@dataclass(frozen=True)
class Material:
    """Linear RGB in [0, 1]; `pattern` one of PATTERNS; `period_m` the pattern's repeat length."""

    colour: tuple[float, float, float]
    pattern: str = "plain"
    colour2: tuple[float, float, float] = (0.0, 0.0, 0.0)
    period_m: float = 0.05
    specular: float = 0.0


def albedo(material: Material, uv_nx2: np.ndarray) -> np.ndarray:
    """Albedo N×3 of `material` at surface coordinates uv (metres)."""
    base = np.asarray(material.colour, dtype=np.float32)
    if material.pattern == "plain":
        return np.broadcast_to(base, (len(uv_nx2), 3))
    u, v = uv_nx2[:, 0] / material.period_m, uv_nx2[:, 1] / material.period_m
    if material.pattern == "stripes":
        w = (np.floor(u) % 2).astype(np.float32)
    elif material.pattern == "checker":
        w = ((np.floor(u) + np.floor(v)) % 2).astype(np.float32)
    else:  # fabric: a fine weave as a soft modulation of the base colour
        w = (0.5 + 0.25 * np.sin(7.0 * u) * np.sin(7.0 * v)).astype(np.float32) * 0.4
    return base + w[:, None] * (np.asarray(material.colour2, dtype=np.float32) - base)
