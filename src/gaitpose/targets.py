"""Training targets of SPEC §3 and their decoding: the one place that knows the encoding.

Target coordinates are heatmap pixels: input pixels / STRIDE. A heatmap pixel (x_h, y_h) stands
for the input point STRIDE * (x_h, y_h); decoding is p = STRIDE * ((x_h, y_h) + O).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Union

import numpy as np

from gaitpose.skeleton import JOINT_INDEX, SKELETON_8, Skeleton

if TYPE_CHECKING:
    import torch

STRIDE = 4


@dataclass(frozen=True)
class TargetParams:
    """SPEC §3 constants, in heatmap pixels."""

    sigma: float = 6.0        # Gaussian width: H = exp(-d^2 / sigma^2)
    heat_th: float = 0.6      # a positive pixel has H > heat_th ...
    d_th: float = 36.0        # ... and squared distance <= d_th
    delta: float = 8.0        # JGS half-width across the bone


def encode_targets(kps: np.ndarray, input_size: int = 512, *, sigma: float = 6.0, d_th: float = 36.0,
                   delta: float = 8.0, heat_th: float = 0.6, depth: np.ndarray | None = None,
                   depth_valid: np.ndarray | None = None, skeleton: Skeleton = SKELETON_8) -> dict[str, np.ndarray]:
    """Keypoints K×3 [x, y, visibility] in input pixels (K: the skeleton's points, 8 by default) →
    the targets the loss consumes.

    Returns float32 arrays: "heatmap" K×h×w, "offset" 2K×h×w, "offset_mask" 2K×h×w (1 on positives),
    "jgs" B×h×w (the skeleton's bones), "joint_mask" K and "bone_mask" B (0 where a point is unlabelled,
    so its channels are left out of the loss), and with `depth` (S×S, any units, letterboxed like the
    image): "depth" 1×S×S relative depth in [0, 1] over valid pixels and "depth_mask" 1×S×S.
    `depth_valid` defaults to depth > 0 (0 = no reading).
    """
    kps = np.asarray(kps, dtype=np.float64)
    k = skeleton.num_joints
    if kps.shape != (k, 3):
        raise ValueError(f"keypoints must be {k}×3 [x, y, visibility], got {kps.shape}")
    if input_size % 32:
        raise ValueError(f"input size must be a multiple of 32, got {input_size}")
    hm_size = input_size // STRIDE
    labelled = kps[:, 2] > 0
    centres = kps[:, :2] / STRIDE                                  # K×2 heatmap pixels

    grid = np.arange(hm_size, dtype=np.float64)
    dx = grid[None, None, :] - centres[:, 0, None, None]           # K×1×w
    dy = grid[None, :, None] - centres[:, 1, None, None]           # K×h×1
    dist2 = dx * dx + dy * dy                                      # K×h×w
    heat = np.exp(-dist2 / (sigma * sigma))
    heat[~labelled] = 0.0
    positive = (heat > heat_th) & (dist2 <= d_th)                  # K×h×w

    offset = np.zeros((2 * k, hm_size, hm_size), dtype=np.float32)
    offset[0::2] = np.where(positive, -dx, 0.0)                    # O = p/4 - x_h
    offset[1::2] = np.where(positive, -dy, 0.0)
    offset_mask = np.repeat(positive, 2, axis=0).astype(np.float32)

    bone_mask = np.array([labelled[i] and labelled[j] for i, j in skeleton.bones], dtype=np.float32)
    jgs = bone_maps(centres, hm_size, delta, skeleton.bones) * bone_mask[:, None, None]

    out = {
        "heatmap": heat.astype(np.float32),
        "offset": offset,
        "offset_mask": offset_mask,
        "jgs": jgs.astype(np.float32),
        "joint_mask": labelled.astype(np.float32),
        "bone_mask": bone_mask,
    }
    if depth is not None:
        out["depth"], out["depth_mask"] = relative_depth(depth, input_size, depth_valid)
    return out


def bone_maps(centres_kx2: np.ndarray, hm_size: int, delta: float,
              bones: tuple[tuple[int, int], ...] = SKELETON_8.bones) -> np.ndarray:
    """JGS membership (SPEC §3): B bones × h × w, 1 inside the band of half-width delta along each bone."""
    starts = centres_kx2[[i for i, _ in bones]]                    # B×2
    ends = centres_kx2[[j for _, j in bones]]
    vec = ends - starts
    length = np.linalg.norm(vec, axis=1)                           # B
    safe = np.where(length > 0, length, 1.0)
    v = vec / safe[:, None]                                        # unit along the bone
    n = np.stack([-v[:, 1], v[:, 0]], axis=1)                      # unit normal
    grid = np.arange(hm_size, dtype=np.float64)
    qx = grid[None, None, :] - starts[:, 0, None, None]            # B×1×w
    qy = grid[None, :, None] - starts[:, 1, None, None]            # B×h×1
    along = v[:, 0, None, None] * qx + v[:, 1, None, None] * qy    # B×h×w
    across = n[:, 0, None, None] * qx + n[:, 1, None, None] * qy
    inside = (along >= 0) & (along <= length[:, None, None]) & (np.abs(across) <= delta)
    inside &= np.isfinite(length)[:, None, None] & (length > 0)[:, None, None]
    return inside.astype(np.float32)


def relative_depth(depth: np.ndarray, input_size: int,
                   valid: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """S×S depth (or grayscale) → (1×S×S relative depth in [0, 1] over valid pixels, 1×S×S mask)."""
    depth = np.asarray(depth, dtype=np.float32)
    if depth.shape != (input_size, input_size):
        raise ValueError(f"depth must be {input_size}×{input_size} (letterboxed), got {depth.shape}")
    valid = depth > 0 if valid is None else np.asarray(valid, dtype=bool)
    rel = np.zeros_like(depth)
    if valid.any():
        lo, hi = float(depth[valid].min()), float(depth[valid].max())
        rel[valid] = (depth[valid] - lo) / (hi - lo) if hi > lo else 0.0
    return rel[None], valid[None].astype(np.float32)


def flip_targets(targets: dict[str, np.ndarray], skeleton: Skeleton = SKELETON_8) -> dict[str, np.ndarray]:
    """Targets of the horizontally mirrored sample, on the heatmap grid (x_h → w-1-x_h).

    Mirrors every map, swaps left/right joint and bone channels and negates x offsets. It equals
    encoding keypoints mirrored as x' = S - STRIDE - x (the mirror of the heatmap grid).
    """
    perm = skeleton.flip_permutation()
    bperm = skeleton.bone_flip_permutation()
    out = dict(targets)
    out["heatmap"] = targets["heatmap"][perm, :, ::-1].copy()
    off = targets["offset"].reshape(skeleton.num_joints, 2, *targets["offset"].shape[1:])[perm, :, :, ::-1].copy()
    off[:, 0] *= -1
    off[off == 0] = 0.0                                            # no negative zeros
    out["offset"] = off.reshape(targets["offset"].shape)
    out["offset_mask"] = targets["offset_mask"].reshape(off.shape)[perm, :, :, ::-1].reshape(
        targets["offset_mask"].shape).copy()
    out["jgs"] = targets["jgs"][bperm, :, ::-1].copy()
    out["joint_mask"] = targets["joint_mask"][perm].copy()
    out["bone_mask"] = targets["bone_mask"][bperm].copy()
    if "depth" in targets:
        out["depth"] = targets["depth"][:, :, ::-1].copy()
        out["depth_mask"] = targets["depth_mask"][:, :, ::-1].copy()
    return out


ArrayLike = Union[np.ndarray, "torch.Tensor"]


def decode_keypoints(heatmap: ArrayLike, offset: ArrayLike) -> ArrayLike:
    """Heatmap N×K×h×w (or K×h×w) + offset N×2K×h×w → keypoints N×K×3 [x, y, score] in input pixels.

    The peak pixel of each heatmap plus its offset gives the sub-pixel joint; the score is the
    peak value. Torch in, torch out (traceable, used inside the ONNX graph); numpy in, numpy out.
    """
    import torch

    as_numpy = isinstance(heatmap, np.ndarray)
    hm = torch.as_tensor(heatmap)
    off = torch.as_tensor(offset)
    single = hm.dim() == 3
    if single:
        hm, off = hm[None], off[None]
    n, k, h, w = hm.shape
    score, idx = hm.reshape(n, k, h * w).max(dim=2)                     # N×K
    off = off.reshape(n, k, 2, h * w)
    gather = idx[:, :, None, None].expand(n, k, 2, 1)
    o = off.gather(3, gather)[..., 0]                                   # N×K×2
    xh = (idx % w).to(hm.dtype)
    yh = torch.div(idx, w, rounding_mode="floor").to(hm.dtype)
    x = STRIDE * (xh + o[..., 0])
    y = STRIDE * (yh + o[..., 1])
    kp = torch.stack([x, y, score], dim=-1)
    if single:
        kp = kp[0]
    return kp.numpy() if as_numpy else kp


LEG_PAIRS: tuple[tuple[int, int], ...] = ((JOINT_INDEX["left_knee"], JOINT_INDEX["right_knee"]),
                                          (JOINT_INDEX["left_ankle"], JOINT_INDEX["right_ankle"]))


def separate_leg_pairs(heatmap: np.ndarray, offset: np.ndarray, keypoints: np.ndarray,
                       min_gap_frac: float = 0.08, min_ratio: float = 0.1) -> np.ndarray:
    """Side views hide one leg behind the other, and both channels of a pair (left and right ankle)
    then often peak on the same, more visible foot while the other foot is left without a joint.

    When the two decoded joints of a knee or ankle pair lie within `min_gap_frac` of the image width,
    the one whose heatmap has the stronger second peak (outside that radius, at least `min_ratio` of
    its own peak) moves to it. Legs that truly overlap leave no second peak and stay as they are.
    Which of the two is called left is not decided here: the gait analysis repairs left/right swaps
    from continuity. Defaults from held-out synthetic exoskeleton walks (`gaitpose synth --video
    --preset exo --seed 777`, sequences s0000-s0001): ankles more than 25 px from either true ankle
    fell from 58 % to 3-6 % of frames with the stage-1 bundled model.
    N×8×h×w heatmap, N×16×h×w offset, N×8×3 keypoints (input px) → corrected copy.
    """
    out = np.array(keypoints, dtype=np.float64, copy=True)
    n, _, h, w = heatmap.shape
    min_gap_cells = min_gap_frac * w
    ys, xs = np.mgrid[0:h, 0:w]
    for i in range(n):
        for a, b in LEG_PAIRS:
            pa, pb = out[i, a, :2] / STRIDE, out[i, b, :2] / STRIDE
            if not (np.isfinite(pa).all() and np.isfinite(pb).all()) or np.hypot(*(pa - pb)) >= min_gap_cells:
                continue
            shared = (pa + pb) / 2
            far = np.hypot(xs - shared[0], ys - shared[1]) > min_gap_cells
            best = None
            for j in (a, b):
                hm = np.where(far, heatmap[i, j], -np.inf)
                k = int(np.argmax(hm))
                ratio = hm.flat[k] / max(float(out[i, j, 2]), 1e-9)
                if ratio >= min_ratio and (best is None or ratio > best[0]):
                    best = (ratio, j, k)
            if best is not None:
                _, j, k = best
                yk, xk = divmod(k, w)
                out[i, j] = [STRIDE * (xk + offset[i, 2 * j, yk, xk]), STRIDE * (yk + offset[i, 2 * j + 1, yk, xk]),
                             heatmap[i, j, yk, xk]]
    return out
