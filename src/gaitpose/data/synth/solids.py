"""Analytic solids and their ray intersections, in camera coordinates (OpenCV: x right, y down, z forward).

Rays start at the camera centre with direction `d = ((u - cx) / fx, (v - cy) / fy, 1)` (not
normalised), so the ray parameter `t` of a hit *is* the z-depth a depth camera reports. Every
intersection is vectorised over N rays and returns `t` (inf where missed), unit normals N×3 and a
surface coordinate N×2 in metres for textures.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from gaitpose.data.synth.materials import Material


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


def _sphere_t(d: np.ndarray, dd: np.ndarray, centre: np.ndarray, radius_m: float) -> np.ndarray:
    """First hit of rays (origin 0) with a sphere; inf where missed."""
    dc = d @ centre
    disc = dc * dc - dd * (centre @ centre - radius_m * radius_m)
    t = (dc - np.sqrt(np.maximum(disc, 0.0))) / dd
    return np.where((disc >= 0) & (t > 0), t, np.inf)


@dataclass
class Solid:
    """Base: a named solid with a material; `part` says which body part it is (for visibility)."""

    material: Material
    part: str = ""

    def bound(self) -> tuple[np.ndarray, float]:  # pragma: no cover - abstract
        """Bounding sphere (centre 3, radius m) for screen-space culling."""
        raise NotImplementedError

    def intersect(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:  # pragma: no cover
        raise NotImplementedError


@dataclass
class Capsule(Solid):
    """All points within `radius_m` of the segment a–b (limbs, bars, rails)."""

    a: np.ndarray = field(default_factory=lambda: np.zeros(3))
    b: np.ndarray = field(default_factory=lambda: np.zeros(3))
    radius_m: float = 0.05

    def bound(self) -> tuple[np.ndarray, float]:
        return (self.a + self.b) / 2, float(np.linalg.norm(self.b - self.a)) / 2 + self.radius_m

    def intersect(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b, r = self.a, self.b, self.radius_m
        ba = b - a
        baba = ba @ ba
        dd = np.einsum("ij,ij->i", d, d)
        bard = d @ ba
        baoa = -(ba @ a)
        rdoa = -(d @ a)
        # Infinite cylinder: |w|^2 |ba|^2 - (w.ba)^2 = r^2 |ba|^2 with w = t d - a.
        qa = baba * dd - bard * bard
        qb = baba * rdoa - baoa * bard
        qc = baba * (a @ a) - baoa * baoa - r * r * baba
        disc = qb * qb - qa * qc
        with np.errstate(divide="ignore", invalid="ignore"):
            t_cyl = (-qb - np.sqrt(np.maximum(disc, 0.0))) / qa
        y = baoa + t_cyl * bard
        t_cyl = np.where((disc >= 0) & (qa > 1e-12) & (y > 0) & (y < baba) & (t_cyl > 0), t_cyl, np.inf)
        t = np.minimum(t_cyl, np.minimum(_sphere_t(d, dd, a, r), _sphere_t(d, dd, b, r)))
        p = d * np.where(np.isfinite(t), t, 0.0)[:, None]
        s = np.clip((p - a) @ ba / max(baba, 1e-12), 0.0, 1.0)
        radial = p - (a + s[:, None] * ba)
        normal = radial / r
        length = np.sqrt(baba)
        # Texture coordinates: along the axis, around it (angle × radius), both in metres.
        ref = _unit(np.cross(ba, [0.0, 0.0, 1.0]) if abs(ba[2]) < 0.99 * length else np.cross(ba, [1.0, 0.0, 0.0]))
        ref2 = np.cross(ba / max(length, 1e-12), ref)
        angle = np.arctan2(radial @ ref2, radial @ ref)
        return t, normal, np.stack([s * length, angle * r], axis=1)


@dataclass
class Ellipsoid(Solid):
    """Ellipsoid with centre, rotation (columns = local axes in camera coordinates) and semi-axes."""

    centre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))
    semi_axes_m: np.ndarray = field(default_factory=lambda: np.ones(3) * 0.1)

    def bound(self) -> tuple[np.ndarray, float]:
        return self.centre, float(np.max(self.semi_axes_m))

    def intersect(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = np.asarray(self.semi_axes_m, dtype=float)
        o_l = (self.rotation.T @ -self.centre) / s
        d_l = (d @ self.rotation) / s
        qa = np.einsum("ij,ij->i", d_l, d_l)
        qb = d_l @ o_l
        qc = o_l @ o_l - 1.0
        disc = qb * qb - qa * qc
        t = (-qb - np.sqrt(np.maximum(disc, 0.0))) / qa
        t = np.where((disc >= 0) & (t > 0), t, np.inf)
        p_l = o_l + d_l * np.where(np.isfinite(t), t, 0.0)[:, None]  # on the unit sphere
        normal = _unit((p_l / s) @ self.rotation.T)
        uv = np.stack([p_l[:, 2] * s[2], np.arctan2(p_l[:, 1], p_l[:, 0]) * s[:2].mean()], axis=1)
        return t, normal, uv


@dataclass
class Box(Solid):
    """Oriented box: centre, rotation (columns = local axes) and half extents (slab method)."""

    centre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: np.ndarray = field(default_factory=lambda: np.eye(3))
    half_m: np.ndarray = field(default_factory=lambda: np.ones(3) * 0.1)

    def bound(self) -> tuple[np.ndarray, float]:
        return self.centre, float(np.linalg.norm(self.half_m))

    def intersect(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        h = np.asarray(self.half_m, dtype=float)
        o_l = self.rotation.T @ -self.centre
        d_l = d @ self.rotation
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / np.where(np.abs(d_l) < 1e-12, 1e-12, d_l)
        t1 = (-h - o_l) * inv
        t2 = (h - o_l) * inv
        t_lo = np.minimum(t1, t2)
        t_near = t_lo.max(axis=1)
        t_far = np.maximum(t1, t2).min(axis=1)
        t = np.where((t_near <= t_far) & (t_near > 0), t_near, np.inf)
        axis = t_lo.argmax(axis=1)
        sign = -np.sign(d_l[np.arange(len(d)), axis])
        normal = self.rotation.T[axis] * sign[:, None]
        p_l = o_l + d_l * np.where(np.isfinite(t), t, 0.0)[:, None]
        # Texture on the two coordinates other than the face's axis (long axis first).
        u = np.where(axis == 2, p_l[:, 0], p_l[:, 2])
        v = np.where(axis == 1, p_l[:, 0], p_l[:, 1])
        return t, normal, np.stack([u, v], axis=1)


@dataclass
class Cylinder(Solid):
    """Closed cylinder with flat caps between a and b (actuator housings, posts)."""

    a: np.ndarray = field(default_factory=lambda: np.zeros(3))
    b: np.ndarray = field(default_factory=lambda: np.zeros(3))
    radius_m: float = 0.05

    def bound(self) -> tuple[np.ndarray, float]:
        return (self.a + self.b) / 2, float(np.hypot(np.linalg.norm(self.b - self.a) / 2, self.radius_m))

    def intersect(self, d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a, b, r = self.a, self.b, self.radius_m
        ba = b - a
        baba = ba @ ba
        dd = np.einsum("ij,ij->i", d, d)
        bard = d @ ba
        baoa = -(ba @ a)
        qa = baba * dd - bard * bard
        qb = baba * -(d @ a) - baoa * bard
        qc = baba * (a @ a) - baoa * baoa - r * r * baba
        disc = qb * qb - qa * qc
        with np.errstate(divide="ignore", invalid="ignore"):
            t_side = (-qb - np.sqrt(np.maximum(disc, 0.0))) / qa
            y = baoa + t_side * bard
            t_side = np.where((disc >= 0) & (qa > 1e-12) & (y > 0) & (y < baba) & (t_side > 0), t_side, np.inf)
            caps = []
            for c in (a, b):
                t_cap = (c @ ba) / bard
                q = d * np.where(np.isfinite(t_cap), t_cap, 0.0)[:, None] - c
                inside = np.einsum("ij,ij->i", q, q) <= r * r
                caps.append(np.where(inside & (t_cap > 0), t_cap, np.inf))
        t = np.minimum(t_side, np.minimum(*caps))
        p = d * np.where(np.isfinite(t), t, 0.0)[:, None]
        s = np.clip((p - a) @ ba / max(baba, 1e-12), 0.0, 1.0)
        radial = p - (a + s[:, None] * ba)
        axis_u = ba / np.sqrt(baba)
        normal = np.where((t == t_side)[:, None], _unit(radial), np.where((t == caps[0])[:, None], -axis_u, axis_u))
        return t, normal, radial[:, :2]


def to_camera(solids: list[Solid], rotation_3x3: np.ndarray, translation_3: np.ndarray) -> list[Solid]:
    """The same solids moved by p_cam = R p_world + t (world → camera)."""
    R, t = np.asarray(rotation_3x3, float), np.asarray(translation_3, float)
    out: list[Solid] = []
    for s in solids:
        if isinstance(s, (Capsule, Cylinder)):
            out.append(replace(s, a=R @ s.a + t, b=R @ s.b + t))
        else:
            out.append(replace(s, centre=R @ s.centre + t, rotation=R @ s.rotation))
    return out
