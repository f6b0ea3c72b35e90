"""Vectorised ray casting of analytic solids into RGB, z-depth and solid-id buffers.

Each solid is tested only against the rays inside the screen rectangle of its bounding sphere,
so a frame costs about the body's pixel area, not solids × image. Surfaces are shaded when they
win the depth test (Lambert + ambient + a Blinn highlight for shiny materials).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from gaitpose.data.synth.materials import albedo
from gaitpose.data.synth.solids import Solid


def pixel_rays(fx: float, fy: float, cx: float, cy: float, width: int, height: int) -> np.ndarray:
    """H×W×3 ray directions with z = 1 (pixel centres at integer coordinates)."""
    u = (np.arange(width, dtype=np.float64) - cx) / fx
    v = (np.arange(height, dtype=np.float64) - cy) / fy
    rays = np.ones((height, width, 3))
    rays[..., 0] = u[None, :]
    rays[..., 1] = v[:, None]
    return rays


@dataclass(frozen=True)
class Light:
    """A directional light in camera coordinates (unit vector towards the light) plus ambient."""

    direction: np.ndarray
    diffuse: float = 0.8
    ambient: float = 0.35
    tint: tuple[float, float, float] = (1.0, 1.0, 1.0)


def shade(albedo_nx3: np.ndarray, normal_nx3: np.ndarray, rays_nx3: np.ndarray, light: Light,
          specular: float = 0.0) -> np.ndarray:
    """Linear RGB N×3 of surfaces with the given albedo and normals under `light`."""
    lam = np.clip(normal_nx3 @ light.direction, 0.0, None)
    rgb = albedo_nx3 * (light.ambient + light.diffuse * lam)[:, None] * np.asarray(light.tint)
    if specular > 0:
        view = -rays_nx3 / np.linalg.norm(rays_nx3, axis=1, keepdims=True)
        half = view + light.direction
        half /= np.linalg.norm(half, axis=1, keepdims=True)
        rgb = rgb + specular * np.clip(np.einsum("ij,ij->i", normal_nx3, half), 0, None)[:, None] ** 24
    return rgb


@dataclass
class FrameBuffers:
    """Render targets: linear RGB H×W×3, z-depth H×W in metres (inf: nothing), solid id H×W (-1: none)."""

    rgb: np.ndarray
    depth_m: np.ndarray
    solid_id: np.ndarray

    @classmethod
    def empty(cls, height: int, width: int) -> "FrameBuffers":
        return cls(np.zeros((height, width, 3), np.float32), np.full((height, width), np.inf, np.float32),
                   np.full((height, width), -1, np.int16))

    def copy(self) -> "FrameBuffers":
        return FrameBuffers(self.rgb.copy(), self.depth_m.copy(), self.solid_id.copy())


def screen_rect(centre: np.ndarray, radius_m: float, fx: float, fy: float, cx: float, cy: float,
                width: int, height: int) -> tuple[int, int, int, int] | None:
    """Pixel rectangle (x0, y0, x1, y1), end-exclusive, covering a sphere's image; None if off screen."""
    if centre[2] - radius_m <= 1e-3:
        if centre[2] + radius_m <= 0:
            return None
        return 0, 0, width, height  # the sphere reaches the camera plane: test every ray
    # The sphere lies in its bounding cube, and the image of a convex body in front of the camera is
    # the hull of its corners' images: project the 8 corners.
    corners = centre + radius_m * np.array([[i, j, k] for i in (-1, 1) for j in (-1, 1) for k in (-1, 1)])
    u = fx * corners[:, 0] / corners[:, 2] + cx
    v = fy * corners[:, 1] / corners[:, 2] + cy
    x0, x1 = max(int(np.floor(u.min())), 0), min(int(np.ceil(u.max())) + 1, width)
    y0, y1 = max(int(np.floor(v.min())), 0), min(int(np.ceil(v.max())) + 1, height)
    if x0 >= x1 or y0 >= y1:
        return None
    return x0, y0, x1, y1


def render_solids(buffers: FrameBuffers, solids: Sequence[Solid], rays_hxwx3: np.ndarray,
                  intrinsics: tuple[float, float, float, float], light: Light, first_id: int = 0) -> None:
    """Draw `solids` (camera coordinates) into `buffers` in place, with ids first_id, first_id+1, …"""
    fx, fy, cx, cy = intrinsics
    height, width = buffers.depth_m.shape
    for k, solid in enumerate(solids):
        centre, radius = solid.bound()
        rect = screen_rect(centre, radius, fx, fy, cx, cy, width, height)
        if rect is None:
            continue
        x0, y0, x1, y1 = rect
        d = rays_hxwx3[y0:y1, x0:x1].reshape(-1, 3)
        t, normal, uv = solid.intersect(d)
        zbuf = buffers.depth_m[y0:y1, x0:x1].reshape(-1)
        win = t < zbuf
        if not win.any():
            continue
        idx = np.flatnonzero(win)
        colour = shade(albedo(solid.material, uv[idx]), normal[idx], d[idx], light, solid.material.specular)
        rows, cols = idx // (x1 - x0) + y0, idx % (x1 - x0) + x0
        buffers.depth_m[rows, cols] = t[idx]
        buffers.rgb[rows, cols] = colour
        buffers.solid_id[rows, cols] = first_id + k
