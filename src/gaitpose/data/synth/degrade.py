"""Camera image degradations: exposure, motion blur on the moving body, sensor noise, 8-bit sRGB.

JPEG artefacts come from the writer's quality setting (sampled per sequence).
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class CameraLook:
    """Per-sequence image settings."""

    exposure: float = 1.0
    blur_px: float = 0.0  # motion-blur length along the walking direction
    noise_sigma: float = 0.01  # Gaussian read noise, linear intensity units
    vignette: float = 0.2
    jpeg_quality: int = 90


def sample_look(rng: np.random.Generator, size_px: int) -> CameraLook:
    return CameraLook(
        exposure=float(rng.uniform(0.75, 1.3)),
        blur_px=float(rng.choice([0.0, rng.uniform(1.0, 9.0)]) * size_px / 512),
        noise_sigma=float(rng.uniform(0.0, 0.03)),
        vignette=float(rng.uniform(0.0, 0.4)),
        jpeg_quality=int(rng.integers(55, 96)),
    )


def motion_blur(rgb_hxwx3: np.ndarray, moving_hxw: np.ndarray, length_px: float) -> np.ndarray:
    """Blur the moving pixels (and their surroundings) with a horizontal line kernel."""
    n = int(round(length_px))
    if n < 2 or not moving_hxw.any():
        return rgb_hxwx3
    kernel = np.full((1, n), 1.0 / n, np.float32)
    blurred = cv2.filter2D(rgb_hxwx3, -1, kernel, borderType=cv2.BORDER_REFLECT)
    weight = cv2.filter2D(moving_hxw.astype(np.float32), -1, kernel, borderType=cv2.BORDER_REFLECT)
    return rgb_hxwx3 + weight[..., None] * (blurred - rgb_hxwx3)


def vignette_map(height: int, width: int, strength: float) -> np.ndarray:
    """H×W gain falling off towards the corners."""
    y, x = np.ogrid[:height, :width]
    r2 = ((x - width / 2) / (width / 2)) ** 2 + ((y - height / 2) / (height / 2)) ** 2
    return (1.0 - strength * r2 / 2).astype(np.float32)


def finish_image(rgb_hxwx3: np.ndarray, moving_hxw: np.ndarray, look: CameraLook, vignette_hxw: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:
    """Linear RGB → 8-bit BGR (OpenCV order) with blur, exposure, vignette, noise and sRGB gamma."""
    rgb = motion_blur(rgb_hxwx3.astype(np.float32), moving_hxw, look.blur_px)
    rgb = rgb * (look.exposure * vignette_hxw)[..., None]
    if look.noise_sigma > 0:
        rgb = rgb + (look.noise_sigma * (0.5 + np.sqrt(np.clip(rgb, 0, 1)))) * rng.standard_normal(rgb.shape, dtype=np.float32)
    srgb = np.clip(rgb, 0.0, 1.0) ** (1 / 2.2)
    return (srgb[..., ::-1] * 255.0 + 0.5).astype(np.uint8)
