"""Training augmentation (paper §"Training"; SPEC §6), applied alike to image, depth and keypoints.

Geometry is one affine warp: mirror (p = 0.5, left/right joints swapped), rotation within ±10°,
scale and translation jitter about the person's centre. Then random occlusion patches over the
body (they simulate the partial occlusion of walking in an exoskeleton) and colour jitter. The
depth label is warped with the image but not painted: under a patch it is masked out instead.

Pixel convention: integer coordinates are pixel centres (as in `letterbox.py` and OpenCV's
warpAffine), so a keypoint moves exactly with the pixel under it.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from gaitpose.skeleton import flip_permutation


@dataclass(frozen=True)
class AugmentParams:
    """Ranges of the random transforms; set a probability or range to 0 to switch one off."""

    flip_prob: float = 0.5
    rotation_deg: float = 10.0                 # uniform in [-rotation_deg, +rotation_deg]
    scale_range: tuple[float, float] = (0.8, 1.2)
    translate_frac: float = 0.1                # of the image size, each axis
    occlusion_prob: float = 0.5                # chance of occluding at all
    occlusion_max_patches: int = 2
    occlusion_size_frac: tuple[float, float] = (0.1, 0.3)   # patch side / person box height
    brightness: float = 0.25                   # additive, fraction of 255
    contrast: float = 0.25                     # multiplicative about the mean
    saturation: float = 0.25


@dataclass
class Augmented:
    """Augmented sample: image H×W×3 uint8, keypoints K×C [x, y, v, …] (named for the 8 joints; K = 12
    with the feet), depth H×W or None, valid H×W bool."""

    image: np.ndarray
    keypoints_8x3: np.ndarray
    depth: np.ndarray | None
    valid: np.ndarray


def affine_matrix(centre_xy: tuple[float, float], angle_deg: float, scale: float,
                  translate_xy: tuple[float, float], flip: bool, width: int) -> np.ndarray:
    """2×3 matrix: optional mirror x → width-1-x, then rotate by angle_deg and scale about the
    (mirrored) centre, then translate. Positive angles turn clockwise on screen (y points down)."""
    cx, cy = centre_xy
    a = np.eye(3)
    if flip:
        a = np.array([[-1.0, 0.0, width - 1.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]) @ a
        cx = width - 1.0 - cx
    t = np.deg2rad(angle_deg)
    c, s = np.cos(t) * scale, np.sin(t) * scale
    about = np.array([[c, -s, cx - c * cx + s * cy + translate_xy[0]],
                      [s, c, cy - s * cx - c * cy + translate_xy[1]],
                      [0.0, 0.0, 1.0]])
    return (about @ a)[:2]


def transform_keypoints(kps_8x3: np.ndarray, matrix_2x3: np.ndarray, flip: bool, width: int,
                        height: int, flip_perm: list[int] | None = None) -> np.ndarray:
    """Move keypoints with the warp; swap left/right channels when mirrored (`flip_perm`: the skeleton's
    swap, default the 8 joints'); unlabel those leaving the image."""
    kps = np.asarray(kps_8x3, dtype=np.float64).copy()
    kps[:, :2] = kps[:, :2] @ matrix_2x3[:, :2].T + matrix_2x3[:, 2]
    if flip:
        kps = kps[flip_permutation() if flip_perm is None else flip_perm]
    x, y = kps[:, 0], kps[:, 1]
    outside = (x < -0.5) | (y < -0.5) | (x > width - 0.5) | (y > height - 0.5)
    kps[outside | (kps[:, 2] == 0)] = 0.0
    return kps


def augment(image: np.ndarray, kps_8x3: np.ndarray, rng: np.random.Generator, params: AugmentParams,
            depth: np.ndarray | None = None, valid: np.ndarray | None = None,
            flip_perm: list[int] | None = None) -> Augmented:
    """Random geometry + occlusion + colour for one sample (image H×W×3 uint8 RGB, keypoints in its pixels).

    Keypoints are K×C [x, y, v, …]: any columns after v (e.g. a training weight) move with their joint
    when a mirror swaps left and right (`flip_perm`: the skeleton's swap; default the 8 joints').

    `valid` (H×W bool) marks pixels with a depth label (e.g. image content, not letterbox padding);
    it is warped along and cleared under occlusion patches and outside the warped image.
    """
    h, w = image.shape[:2]
    valid = np.ones((h, w), dtype=bool) if valid is None else valid
    labelled = kps_8x3[:, 2] > 0
    lo, hi = _person_box(kps_8x3, w, h)

    flip = bool(rng.random() < params.flip_prob)
    angle = float(rng.uniform(-params.rotation_deg, params.rotation_deg))
    scale = float(rng.uniform(*params.scale_range))
    shift = rng.uniform(-params.translate_frac, params.translate_frac, size=2) * (w, h)
    centre = (float((lo[0] + hi[0]) / 2), float((lo[1] + hi[1]) / 2))
    m = affine_matrix(centre, angle, scale, (float(shift[0]), float(shift[1])), flip, w)

    image = cv2.warpAffine(image, m, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    valid = cv2.warpAffine(valid.astype(np.uint8), m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0) > 0
    if depth is not None:
        # nearest: blending a reading with a 0 (no reading) would invent depths at edges
        depth = cv2.warpAffine(depth, m, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
    kps = transform_keypoints(kps_8x3, m, flip, w, h, flip_perm)

    if labelled.any() and rng.random() < params.occlusion_prob:
        _occlude(image, valid, kps, rng, params, person_height=float(scale * (hi[1] - lo[1])))
    image = colour_jitter(image, rng, params)
    return Augmented(image=image, keypoints_8x3=kps, depth=depth, valid=valid)


def _person_box(kps_8x3: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """Box around the labelled joints (the whole image when none is labelled)."""
    pts = kps_8x3[kps_8x3[:, 2] > 0, :2]
    if len(pts) == 0:
        return np.array([0.0, 0.0]), np.array([width - 1.0, height - 1.0])
    return pts.min(axis=0), pts.max(axis=0)


def _occlude(image: np.ndarray, valid: np.ndarray, kps: np.ndarray, rng: np.random.Generator,
             params: AugmentParams, person_height: float) -> None:
    """Paint 1..max patches of random colour/noise, each centred near a random labelled joint (in place).

    Labelled joints under a patch become v = 1 (labelled, occluded); the depth label is masked there.
    """
    h, w = image.shape[:2]
    joints = np.flatnonzero(kps[:, 2] > 0)
    if len(joints) == 0:
        return
    side_ref = max(person_height, 0.1 * min(h, w))
    for _ in range(int(rng.integers(1, params.occlusion_max_patches + 1))):
        pw, ph = rng.uniform(*params.occlusion_size_frac, size=2) * side_ref
        cx, cy = kps[rng.choice(joints), :2] + rng.uniform(-0.5, 0.5, size=2) * (pw, ph)
        x0, x1 = int(np.clip(round(cx - pw / 2), 0, w)), int(np.clip(round(cx + pw / 2), 0, w))
        y0, y1 = int(np.clip(round(cy - ph / 2), 0, h)), int(np.clip(round(cy + ph / 2), 0, h))
        if x1 <= x0 or y1 <= y0:
            continue
        if rng.random() < 0.5:
            image[y0:y1, x0:x1] = rng.integers(0, 256, size=3, dtype=np.uint8)
        else:
            image[y0:y1, x0:x1] = rng.integers(0, 256, size=(y1 - y0, x1 - x0, 3), dtype=np.uint8)
        valid[y0:y1, x0:x1] = False
        covered = (kps[:, 2] == 2) & (kps[:, 0] >= x0 - 0.5) & (kps[:, 0] < x1 - 0.5) \
            & (kps[:, 1] >= y0 - 0.5) & (kps[:, 1] < y1 - 0.5)
        kps[covered, 2] = 1


def colour_jitter(image: np.ndarray, rng: np.random.Generator, params: AugmentParams) -> np.ndarray:
    """Random brightness, contrast and saturation on an H×W×3 uint8 image."""
    img = image.astype(np.float32)
    gray = img.mean(axis=2, keepdims=True)
    mean = float(gray.mean())              # the saturation step leaves the global mean unchanged
    img = gray + (img - gray) * rng.uniform(1 - params.saturation, 1 + params.saturation)
    img = mean + (img - mean) * rng.uniform(1 - params.contrast, 1 + params.contrast)
    img = img + 255.0 * rng.uniform(-params.brightness, params.brightness)
    return np.clip(img + 0.5, 0, 255).astype(np.uint8)
