"""Letterbox (SPEC §2): scale the longer side to S keeping the aspect ratio, pad the rest.

Pixel convention: integer coordinates are pixel centres. OpenCV's resize maps a destination
pixel centre u to the source coordinate (u + 0.5) / s - 0.5 per axis, so points follow the image
exactly with `x_in = (x + 0.5) * s_x - 0.5 + pad_x` (and the same for y); the inverse is exact.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True)
class Letterbox:
    """The transform from an original src_w×src_h image to the S×S network input."""

    src_w: int
    src_h: int
    size: int

    def __post_init__(self) -> None:
        if self.src_w <= 0 or self.src_h <= 0:
            raise ValueError(f"image size must be positive, got {self.src_w}×{self.src_h}")
        if self.size <= 0 or self.size % 32:
            raise ValueError(f"input size must be a positive multiple of 32, got {self.size}")

    @property
    def scale(self) -> float:
        """Nominal scale: S / longer side."""
        return self.size / max(self.src_w, self.src_h)

    @property
    def resized_wh(self) -> tuple[int, int]:
        w = max(1, min(self.size, round(self.src_w * self.scale)))
        h = max(1, min(self.size, round(self.src_h * self.scale)))
        return w, h

    @property
    def scale_xy(self) -> tuple[float, float]:
        """Actual per-axis scale of the resized content (rounding makes it differ slightly from `scale`)."""
        w, h = self.resized_wh
        return w / self.src_w, h / self.src_h

    @property
    def pad_xy(self) -> tuple[int, int]:
        """Left and top padding in input pixels (content centred)."""
        w, h = self.resized_wh
        return (self.size - w) // 2, (self.size - h) // 2

    def apply_image(self, image: np.ndarray, pad_value: float = 0, interpolation: int | None = None) -> np.ndarray:
        """H×W[×C] image → S×S[×C] letterboxed image of the same dtype."""
        if image.shape[0] != self.src_h or image.shape[1] != self.src_w:
            raise ValueError(f"image is {image.shape[1]}×{image.shape[0]}, letterbox expects {self.src_w}×{self.src_h}")
        w, h = self.resized_wh
        if interpolation is None:
            interpolation = cv2.INTER_AREA if w < self.src_w else cv2.INTER_LINEAR
        resized = cv2.resize(image, (w, h), interpolation=interpolation)
        out = np.full((self.size, self.size) + image.shape[2:], pad_value, dtype=image.dtype)
        px, py = self.pad_xy
        out[py:py + h, px:px + w] = resized.reshape((h, w) + image.shape[2:])
        return out

    def content_mask(self) -> np.ndarray:
        """S×S bool: True on image content, False on padding."""
        w, h = self.resized_wh
        px, py = self.pad_xy
        mask = np.zeros((self.size, self.size), dtype=bool)
        mask[py:py + h, px:px + w] = True
        return mask

    def to_input(self, points_xy: np.ndarray) -> np.ndarray:
        """Original-image pixels (…×2) → input pixels."""
        pts = np.asarray(points_xy, dtype=np.float64)
        s = np.array(self.scale_xy)
        pad = np.array(self.pad_xy, dtype=np.float64)
        return (pts + 0.5) * s - 0.5 + pad

    def to_original(self, points_xy: np.ndarray) -> np.ndarray:
        """Input pixels (…×2) → original-image pixels; the exact inverse of `to_input`."""
        pts = np.asarray(points_xy, dtype=np.float64)
        s = np.array(self.scale_xy)
        pad = np.array(self.pad_xy, dtype=np.float64)
        return (pts - pad + 0.5) / s - 0.5
