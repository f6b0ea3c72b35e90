"""Depth-camera model: exact z-depth → 16-bit millimetres with noise and holes (0 = no reading).

Axial noise grows with distance as measured for structured-light sensors (Nguyen, Izadi & Lovell,
"Modeling Kinect sensor noise for improved 3D reconstruction and tracking", 3DIMPVT 2012):
sigma_z = 1.2 mm + 1.9 mm × (z − 0.4 m)². Holes appear where real sensors lose the pattern: out of
range, along depth edges, in the projector's shadow beside near objects, and in scattered blotches.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class DepthSensor:
    """Range and hole settings of one simulated sensor."""

    min_range_m: float = 0.4
    max_range_m: float = 5.0
    edge_jump_m: float = 0.05
    shadow_px: int = 3  # projector shadow width beside near objects (positive: on the right)
    blotch_fraction: float = 0.01


def sample_sensor(rng: np.random.Generator, size_px: int, subject_distance_m: float = 0.0) -> DepthSensor:
    """A random sensor whose range reaches at least 1 m beyond the walking line (the subject is in
    range; the room behind may not be)."""
    scale = size_px / 512
    max_range_m = max(rng.uniform(4.0, 6.0), subject_distance_m + 1.0)
    return DepthSensor(max_range_m=float(max_range_m), shadow_px=int(rng.integers(-4, 5) * scale),
                       blotch_fraction=float(rng.uniform(0.0, 0.02)))


def exact_depth_mm(depth_hxw_m: np.ndarray) -> np.ndarray:
    """Noise-free 16-bit millimetres (nearest mm; 0 where there is no surface or beyond 65.5 m)."""
    mm = np.round(np.where(np.isfinite(depth_hxw_m), depth_hxw_m, 0.0) * 1000.0)
    return np.where((mm > 0) & (mm < 65535), mm, 0).astype(np.uint16)


def sensor_depth_mm(depth_hxw_m: np.ndarray, sensor: DepthSensor, rng: np.random.Generator) -> np.ndarray:
    """What the simulated sensor reports for the exact depth map: noisy millimetres, 0 for holes."""
    z = np.where(np.isfinite(depth_hxw_m), depth_hxw_m, 0.0).astype(np.float32)
    height, width = z.shape
    sigma_m = 0.0012 + 0.0019 * (z - 0.4) ** 2
    noisy = z + sigma_m * rng.standard_normal(z.shape, dtype=np.float32)
    hole = (z < sensor.min_range_m) | (z > sensor.max_range_m)
    # Depth edges: a jump to a neighbour loses the pattern on both sides, with ragged borders.
    jump_x = np.abs(np.diff(z, axis=1)) > sensor.edge_jump_m
    jump_y = np.abs(np.diff(z, axis=0)) > sensor.edge_jump_m
    edge = np.zeros_like(hole)
    edge[:, 1:] |= jump_x
    edge[:, :-1] |= jump_x
    edge[1:] |= jump_y
    edge[:-1] |= jump_y
    hole |= edge & (rng.random(z.shape) < 0.7)
    # Projector shadow: background pixels just beside a nearer surface see no pattern.
    step = int(np.sign(sensor.shadow_px))
    for s in range(1, abs(sensor.shadow_px) + 1):
        shift = s * step
        near = np.full_like(z, np.inf)
        if shift > 0:
            near[:, shift:] = z[:, :-shift]
        else:
            near[:, :shift] = z[:, -shift:]
        hole |= near < z - 0.1
    # Blotches: low-frequency noise thresholded to the requested fraction of the image.
    if sensor.blotch_fraction > 0:
        coarse = rng.random((max(height // 16, 2), max(width // 16, 2)), dtype=np.float32)
        field = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
        hole |= field > np.quantile(field, 1 - sensor.blotch_fraction)
    mm = np.round(noisy * 1000.0)
    return np.where(hole | (mm <= 0) | (mm >= 65535), 0, mm).astype(np.uint16)
