"""Synthetic people over real photographs: the backdrop's random look and the soft-edged composite.

The renderer says which pixels are the person (and the props they hold): its ray hits. Those are
laid over a real photograph in linear light, with the mask edge blurred the way a lens would: an
edge pixel mixes the person's colour with the photograph's and never with the synthetic room behind
the person (no cut-out halo, no room colour), while the person's inside stays as rendered. The composite then goes through the renderer's own camera model (`degrade.finish_image`:
exposure, motion blur, vignette, noise; JPEG quality from the look), so person and photograph share
one camera.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gaitpose.data.augment import AugmentParams, colour_jitter

GAMMA = 2.2  # sRGB ↔ linear, as degrade.finish_image encodes


@dataclass(frozen=True)
class Backdrop:
    """A real photograph ready to go behind a rendered frame."""

    rgb_linear: np.ndarray  # H×W×3 float32, linear light
    edge_sigma_px: float  # Gaussian blur of the person mask's edge (0: a hard edge)
    source: str  # where it came from (plate or image file), for the record


@dataclass(frozen=True)
class BackdropLook:
    """Ranges of the photograph's random look (its light, colour and sharpness)."""

    jitter: AugmentParams = AugmentParams()  # brightness / contrast / saturation (colour_jitter)
    tint: float = 0.1  # per-channel gain within 1 ± tint: the colour of the light
    blur_prob: float = 0.5  # chance of a defocused background
    blur_sigma_px: tuple[float, float] = (0.5, 2.5)
    edge_sigma_px: tuple[float, float] = (0.5, 1.0)


def backdrop_from_photo(photo_bgr: np.ndarray, rng: np.random.Generator, look: BackdropLook, source: str) -> Backdrop:
    """An 8-bit BGR photograph (already cropped to the frame size) → a randomly lit Backdrop."""
    rgb = colour_jitter(np.ascontiguousarray(photo_bgr[..., ::-1]), rng, look.jitter)
    if rng.random() < look.blur_prob:
        rgb = cv2.GaussianBlur(rgb, (0, 0), float(rng.uniform(*look.blur_sigma_px)))
    linear = (rgb.astype(np.float32) / 255.0) ** GAMMA
    linear *= rng.uniform(1 - look.tint, 1 + look.tint, 3).astype(np.float32)
    return Backdrop(linear, float(rng.uniform(*look.edge_sigma_px)), source)


def composite(foreground_hxwx3: np.ndarray, mask_hxw: np.ndarray, background_hxwx3: np.ndarray,
              edge_sigma_px: float) -> np.ndarray:
    """Foreground over background where `mask` (bool) says, the edge softened by a Gaussian of
    `edge_sigma_px`: alpha = G*mask, out = alpha·fg' + (1 − alpha)·bg, where fg' is the foreground on
    the mask and, just outside it, the mask-weighted mean of the nearby foreground G*(mask·fg) / G*mask.
    So the person's own pixels stay sharp, an edge pixel mixes the person's colour with the
    photograph's, and the foreground outside the mask (the rendered room) never shows. With sigma 0
    every pixel is exactly fg (mask) or bg (no mask)."""
    inside = mask_hxw.astype(bool)
    fg = foreground_hxwx3.astype(np.float32)
    bg = background_hxwx3.astype(np.float32)
    if edge_sigma_px <= 0:
        return np.where(inside[..., None], fg, bg)
    alpha = cv2.GaussianBlur(inside.astype(np.float32), (0, 0), edge_sigma_px)
    spread = cv2.GaussianBlur(fg * inside[..., None], (0, 0), edge_sigma_px)
    near = np.where(alpha[..., None] > 1e-6, spread / np.maximum(alpha, 1e-6)[..., None], 0.0)
    colour = np.where(inside[..., None], fg, near)
    return alpha[..., None] * colour + (1.0 - alpha[..., None]) * bg
