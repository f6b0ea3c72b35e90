"""The room: a textured floor (z = 0) and back wall, lighting, and soft contact shadows.

The floor and wall are infinite planes intersected in closed form for every pixel, once per
sequence (the camera is fixed during a recording); per frame only the shadows change.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.data.synth.geometry import unit
from gaitpose.data.synth.raycast import FrameBuffers, Light, shade

FLOOR_KINDS: tuple[str, ...] = ("tiles", "planks", "linoleum")


@dataclass(frozen=True)
class Room:
    """Appearance of the room; the wall is the plane y = wall_y_m (behind the walking line)."""

    wall_y_m: float
    floor_kind: str
    floor_colour: np.ndarray
    floor_colour2: np.ndarray
    floor_period_m: float
    wall_colour: np.ndarray
    skirting_colour: np.ndarray
    skirting_height_m: float
    posters_nx7: np.ndarray  # x0, z0, x1, z1, r, g, b
    light_dir_world: np.ndarray  # unit, towards the light
    diffuse: float
    ambient: float
    tint: tuple[float, float, float]


def sample_room(rng: np.random.Generator, camera_side: float, walk_centre_x_m: float) -> Room:
    """A random room; camera_side = sign of the camera's y (the wall is on the other side)."""
    floor = rng.uniform(0.15, 0.7, 3) * rng.uniform(0.6, 1.0)
    n_posters = int(rng.integers(0, 5))
    x0 = walk_centre_x_m + rng.uniform(-4, 4, n_posters)
    z0 = rng.uniform(0.9, 1.8, n_posters)
    posters = np.column_stack([x0, z0, x0 + rng.uniform(0.3, 1.2, n_posters), z0 + rng.uniform(0.3, 0.9, n_posters),
                               rng.uniform(0.05, 0.9, (n_posters, 3))])
    light = unit(np.array([rng.uniform(-0.7, 0.7), camera_side * rng.uniform(0.1, 0.9), rng.uniform(0.6, 1.5)]))
    warm = rng.uniform(-0.08, 0.08)
    return Room(
        wall_y_m=-camera_side * rng.uniform(0.8, 3.0),
        floor_kind=str(rng.choice(FLOOR_KINDS)),
        floor_colour=floor,
        floor_colour2=floor * rng.uniform(0.6, 1.3, 3),
        floor_period_m=float(rng.uniform(0.12, 0.6)),
        wall_colour=rng.uniform(0.35, 0.85, 3) * np.array([1.0, rng.uniform(0.9, 1.05), rng.uniform(0.8, 1.05)]),
        skirting_colour=rng.uniform(0.05, 0.6, 3),
        skirting_height_m=float(rng.uniform(0.05, 1.0)),
        posters_nx7=posters,
        light_dir_world=light,
        diffuse=float(rng.uniform(0.45, 0.9)),
        ambient=float(rng.uniform(0.25, 0.5)),
        tint=(1.0 + warm, 1.0, 1.0 - warm),
    )


def _hash01(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """A deterministic pseudo-random value in [0, 1) per integer cell (i, j)."""
    h = (i.astype(np.int64) * 73856093) ^ (j.astype(np.int64) * 19349663)
    return ((h * 2654435761) % 4096) / 4096.0


def floor_albedo(room: Room, x_m: np.ndarray, y_m: np.ndarray) -> np.ndarray:
    """Floor texture N×3 at world floor points."""
    p = room.floor_period_m
    i, j = np.floor(x_m / p), np.floor(y_m / p)
    if room.floor_kind == "tiles":
        fx, fy = x_m / p - i, y_m / p - j
        grout = (np.minimum(np.minimum(fx, 1 - fx), np.minimum(fy, 1 - fy)) < 0.02 / p)
        base = room.floor_colour * (0.9 + 0.2 * _hash01(i, j))[:, None]
        return np.where(grout[:, None], room.floor_colour2 * 0.5, base)
    if room.floor_kind == "planks":
        plank = np.floor(y_m / (p * 0.5))
        shift = _hash01(plank, plank) * 3
        seam = np.floor(x_m / (p * 6) + shift)
        grain = 0.5 + 0.5 * np.sin(x_m * 40 + np.sin(y_m * 90) * 2 + plank)
        mix = (0.3 * grain + 0.7 * _hash01(plank, seam))[:, None]
        return room.floor_colour + mix * (room.floor_colour2 - room.floor_colour)
    speckle = _hash01(np.floor(x_m * 200), np.floor(y_m * 200))
    return room.floor_colour * (0.93 + 0.14 * speckle)[:, None]


def wall_albedo(room: Room, x_m: np.ndarray, z_m: np.ndarray) -> np.ndarray:
    """Wall texture N×3: paint, a skirting band and a few posters."""
    out = np.broadcast_to(room.wall_colour, (len(x_m), 3)).copy()
    out[z_m < room.skirting_height_m] = room.skirting_colour
    for x0, z0, x1, z1, *rgb in room.posters_nx7:
        inside = (x_m > x0) & (x_m < x1) & (z_m > z0) & (z_m < z1)
        out[inside] = rgb
    return out


@dataclass
class Background:
    """Per-sequence render of the room: buffers plus the floor point of every floor pixel (for shadows)."""

    buffers: FrameBuffers
    floor_xy_m: np.ndarray  # F×2 world x, y of floor pixels
    floor_index: np.ndarray  # F flat pixel indices of those pixels
    light: Light


def camera_light(room: Room, rotation_3x3: np.ndarray) -> Light:
    """The room's light expressed in camera coordinates."""
    return Light(rotation_3x3 @ room.light_dir_world, room.diffuse, room.ambient, room.tint)


def render_room(room: Room, rays_hxwx3: np.ndarray, rotation_3x3: np.ndarray, translation_3: np.ndarray) -> Background:
    """Floor and wall for every pixel, given world→camera p_c = R p_w + t."""
    height, width, _ = rays_hxwx3.shape
    d = rays_hxwx3.reshape(-1, 3)
    R, t = np.asarray(rotation_3x3, float), np.asarray(translation_3, float)
    centre_w = -R.T @ t
    d_w = d @ R  # ray directions in world coordinates (same ray parameter)
    with np.errstate(divide="ignore", invalid="ignore"):
        t_floor = -centre_w[2] / d_w[:, 2]
        t_wall = (room.wall_y_m - centre_w[1]) / d_w[:, 1]
    t_floor = np.where(t_floor > 0, t_floor, np.inf)
    t_wall = np.where(t_wall > 0, t_wall, np.inf)
    is_floor = t_floor < t_wall
    t_hit = np.minimum(np.minimum(t_floor, t_wall), 1e3)
    p_w = centre_w + d_w * t_hit[:, None]
    colour = np.empty((len(d), 3))
    colour[is_floor] = floor_albedo(room, p_w[is_floor, 0], p_w[is_floor, 1])
    colour[~is_floor] = wall_albedo(room, p_w[~is_floor, 0], p_w[~is_floor, 2])
    normal_w = np.where(is_floor[:, None], [0.0, 0.0, 1.0], [0.0, -np.sign(room.wall_y_m), 0.0])
    light = camera_light(room, R)
    rgb = shade(colour, normal_w @ R.T, d, light, 0.0)
    # Soft light fall-off away from the lit area, so the room is not flat.
    rgb *= (0.85 + 0.15 * np.exp(-((p_w[:, 2] - 1.2) ** 2) / 4.0))[:, None]
    buffers = FrameBuffers(rgb.reshape(height, width, 3).astype(np.float32), t_hit.reshape(height, width).astype(np.float32),
                           np.full((height, width), -1, np.int16))
    floor_index = np.flatnonzero(is_floor)
    return Background(buffers, p_w[floor_index, :2].astype(np.float32), floor_index, light)


def contact_shadow_factor(background: Background, blobs_nx4: np.ndarray) -> np.ndarray:
    """Darkening (1: none) of each floor pixel under the body: blobs (x, y, radius_m, strength) as soft
    Gaussian discs → F factors, one per `background.floor_index` pixel."""
    xy = background.floor_xy_m
    factor = np.ones(len(xy), np.float32)
    for x, y, radius, strength in blobs_nx4:
        near = (np.abs(xy[:, 0] - x) < 3 * radius) & (np.abs(xy[:, 1] - y) < 3 * radius)
        r2 = ((xy[near, 0] - x) ** 2 + (xy[near, 1] - y) ** 2) / (radius * radius)
        factor[near] *= 1 - strength * np.exp(-r2)
    return factor


def apply_contact_shadows(buffers: FrameBuffers, background: Background, factor_f: np.ndarray) -> None:
    """Darken the floor pixels of `buffers` by `contact_shadow_factor`'s F factors (in place)."""
    flat = buffers.rgb.reshape(-1, 3)
    flat[background.floor_index] *= factor_f[:, None]
