"""SPEC §8 geometry: pixels → camera plane, floor/roll correction, walking direction, segment angles.

Working frame after `to_camera_plane`: X right, Y up, in units of the camera plane at unit depth
(x_c / z, y_c / z); all joints of one leg share a depth, so angles need only fx and fy.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gaitpose.skeleton import SIDE_JOINTS, SIDES


@dataclass(frozen=True)
class Camera:
    """Intrinsics in pixels; `dist` are OpenCV distortion coefficients (k1, k2, p1, p2[, k3…])."""

    fx: float = 1.0
    fy: float = 1.0
    cx: float = 0.0
    cy: float = 0.0
    dist: tuple[float, ...] = ()
    known: bool = False  # False: square pixels, principal point unknown (at 0, 0)


def to_camera_plane(kp_tx8x3: np.ndarray, camera: Camera) -> np.ndarray:
    """T×8×3 pixels → T×8×2 (X right, Y up) on the unit-depth plane; undistorted when `dist` is given."""
    xy = kp_tx8x3[..., :2].astype(float)
    if camera.dist and any(camera.dist):
        import cv2  # only when distortion must be removed
        flat = xy.reshape(-1, 1, 2)
        ok = np.isfinite(flat[:, 0, 0])
        K = np.array([[camera.fx, 0, camera.cx], [0, camera.fy, camera.cy], [0, 0, 1]])
        out = np.full_like(flat, np.nan)
        if ok.any():
            out[ok] = cv2.undistortPoints(flat[ok].astype(np.float64), K, np.array(camera.dist, float))
        xn = out.reshape(xy.shape)
    else:
        xn = np.stack([(xy[..., 0] - camera.cx) / camera.fx, (xy[..., 1] - camera.cy) / camera.fy], -1)
    return np.stack([xn[..., 0], -xn[..., 1]], -1)


def rotate(xy_nx2: np.ndarray, angle_rad: float) -> np.ndarray:
    """Rotate points counter-clockwise (X right, Y up) by angle_rad about the origin."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    return np.stack([c * xy_nx2[..., 0] - s * xy_nx2[..., 1], s * xy_nx2[..., 0] + c * xy_nx2[..., 1]], -1)


def _lower_envelope_slope(points_nx2: np.ndarray, iterations: int = 6) -> float | None:
    """Slope angle (rad) of the line along the lowest points: fit, keep points under it, refit."""
    p = points_nx2[np.all(np.isfinite(points_nx2), axis=1)]
    if len(p) < 10 or np.ptp(p[:, 0]) <= 0:
        return None
    keep = np.ones(len(p), bool)
    for _ in range(iterations):
        if keep.sum() < 5 or np.ptp(p[keep, 0]) <= 0:
            break
        slope, icept = np.polyfit(p[keep, 0], p[keep, 1], 1)
        resid = p[:, 1] - (slope * p[:, 0] + icept)
        keep = resid <= np.quantile(resid, 0.25)
    return float(np.arctan(slope))


def estimate_floor_angle(xy_tx8x2: np.ndarray, min_span: float) -> float | None:
    """Angle (rad, counter-clockwise positive) of the floor line in the camera plane, or None.

    The ankles rest on the floor during stance, so their lowest positions over the walk lie on a
    line parallel to the floor (overground: the footprints; treadmill: the belt). Fitted per side
    (the two legs are at different depths) and averaged; None when the ankles span less than
    `min_span` horizontally (no line to fit).
    """
    angles, weights = [], []
    for side in SIDES:
        a = xy_tx8x2[:, SIDE_JOINTS[side]["ankle"]]
        ok = np.all(np.isfinite(a), axis=1)
        if ok.sum() < 10 or np.ptp(a[ok, 0]) < min_span:
            continue
        slope = _lower_envelope_slope(a)
        if slope is not None:
            angles.append(slope)
            weights.append(np.ptp(a[ok, 0]))
    if not angles:
        return None
    return float(np.average(angles, weights=weights))


def mean_of_present(points_tx2x2: np.ndarray) -> np.ndarray:
    """Midpoint of a left/right pair (T×2): the one present point when the other is missing, NaN
    when both are (without numpy's empty-slice warning)."""
    ok = np.isfinite(points_tx2x2)
    count = ok.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, np.where(ok, points_tx2x2, 0.0).sum(axis=1) / count, np.nan)


def pelvis(xy_tx8x2: np.ndarray) -> np.ndarray:
    """Hip midpoint (T×2); one hip when the other is missing."""
    hips = xy_tx8x2[:, [SIDE_JOINTS["left"]["hip"], SIDE_JOINTS["right"]["hip"]]]
    return mean_of_present(hips)


def detect_direction(xy_tx8x2: np.ndarray, thigh_len: float) -> tuple[int, bool]:
    """(+1 facing image right / −1 left, treadmill?) from the pelvis path, else knee position.

    Overground the pelvis travels; when it moves less than one thigh length over the recording the
    subject is on a treadmill and the direction comes from the knee, which lies in front of the
    hip–ankle line (knee flexion is never negative in walking).
    """
    p = pelvis(xy_tx8x2)[:, 0]
    ok = np.isfinite(p)
    if ok.sum() >= 2:
        t = np.flatnonzero(ok)
        slope = np.polyfit(t, p[ok], 1)[0] * (t[-1] - t[0])
        if abs(slope) >= thigh_len:
            return (1 if slope > 0 else -1), False
    votes = []
    for side in SIDES:
        j = SIDE_JOINTS[side]
        h, k, a = xy_tx8x2[:, j["hip"]], xy_tx8x2[:, j["knee"]], xy_tx8x2[:, j["ankle"]]
        cross = (a[:, 0] - h[:, 0]) * (k[:, 1] - h[:, 1]) - (a[:, 1] - h[:, 1]) * (k[:, 0] - h[:, 0])
        votes.append(cross[np.isfinite(cross)])
    v = np.concatenate(votes) if votes else np.array([0.0])
    # X right, Y up, hip above ankle: a knee in front (+X) of the hip→ankle line gives cross > 0.
    direction = 1 if np.median(v) >= 0 else -1
    return direction, True


def knee_facing(xy_tx8x2: np.ndarray, unit_len: float) -> np.ndarray:
    """Per frame (T) how far the knees lie in front of their hip→ankle lines, in `unit_len`s, summed over
    the legs found (NaN where neither leg is whole): positive facing image right, negative left (X right,
    Y up). The knee bends forward in walking, so its sign is the facing where the hips do not travel in
    the image (a camera that follows the walker) — and it flips when the walker turns."""
    offsets = []
    for side in SIDES:
        j = SIDE_JOINTS[side]
        h, k, a = xy_tx8x2[:, j["hip"]], xy_tx8x2[:, j["knee"]], xy_tx8x2[:, j["ankle"]]
        cross = (a[:, 0] - h[:, 0]) * (k[:, 1] - h[:, 1]) - (a[:, 1] - h[:, 1]) * (k[:, 0] - h[:, 0])
        with np.errstate(invalid="ignore", divide="ignore"):
            offsets.append(cross / np.linalg.norm(a - h, axis=1) / unit_len)
    both = np.stack(offsets, axis=1)
    return np.where(np.isfinite(both).any(axis=1), np.nansum(both, axis=1), np.nan)


def segment_angle_deg(top_tx2: np.ndarray, bottom_tx2: np.ndarray, direction: int) -> np.ndarray:
    """Angle of top→bottom from the downward vertical, positive forward (SPEC §8), degrees."""
    d = bottom_tx2 - top_tx2
    return np.degrees(np.arctan2(direction * d[:, 0], -d[:, 1]))


def joint_angles(xy_tx8x2: np.ndarray, direction: int) -> dict[str, np.ndarray]:
    """Thigh, shank, hip (= thigh), knee flexion (= thigh − shank), hip relative to the trunk, per side."""
    sh = xy_tx8x2[:, [SIDE_JOINTS["left"]["shoulder"], SIDE_JOINTS["right"]["shoulder"]]]
    shoulder_mid = mean_of_present(sh)
    out: dict[str, np.ndarray] = {}
    for side in SIDES:
        j = SIDE_JOINTS[side]
        hip, knee, ankle = xy_tx8x2[:, j["hip"]], xy_tx8x2[:, j["knee"]], xy_tx8x2[:, j["ankle"]]
        thigh = segment_angle_deg(hip, knee, direction)
        shank = segment_angle_deg(knee, ankle, direction)
        trunk = segment_angle_deg(shoulder_mid, hip, direction)
        out[f"{side}_thigh_deg"] = thigh
        out[f"{side}_shank_deg"] = shank
        out[f"{side}_hip_deg"] = thigh
        out[f"{side}_knee_deg"] = thigh - shank
        out[f"{side}_hip_trunk_deg"] = thigh - trunk
    return out
