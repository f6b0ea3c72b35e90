"""Frame time stamps: the effective frame rate, variable-rate detection, and resampling onto a uniform
time grid so that the gait analysis (which counts in frames at one rate) computes every time from
the time stamps. Phone videos are often recorded at a variable frame rate (frames dropped or spaced
unevenly); treating their frames as evenly spaced at the container's average rate stretches some
strides and shrinks others.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

VARIABLE_TOLERANCE = 0.10      # an interval more than 10 % off the median one makes the rate variable
MAX_BRIDGE_INTERVALS = 2.5     # resampling interpolates across at most this many median intervals


@dataclass(frozen=True)
class Timing:
    """What the frames' time stamps say: the effective rate (1 / median interval), whether the rate
    varies, and the largest relative deviation of an interval from the median one."""

    effective_fps: float
    variable: bool
    interval_spread: float

    def as_dict(self) -> dict[str, float | bool]:
        return {"effective_fps": round(self.effective_fps, 4), "variable_frame_rate": self.variable,
                "interval_spread": round(self.interval_spread, 4)}


def frame_timing(times_s: np.ndarray) -> Timing | None:
    """Timing of consecutive frames stamped `times_s` (T, NaN where a frame could not be read: the
    intervals next to it are not counted), or None when no two neighbouring frames carry a time or the
    times do not increase."""
    t = np.asarray(times_s, float)
    finite = t[np.isfinite(t)]
    if len(finite) < 2 or not (np.diff(finite) > 0).all():
        return None
    dt = np.diff(t)
    dt = dt[np.isfinite(dt)]
    if len(dt) == 0:
        return None
    median = float(np.median(dt))
    spread = float(np.max(np.abs(dt - median)) / median)
    return Timing(1.0 / median, spread > VARIABLE_TOLERANCE, spread)


def resample_uniform(times_s: np.ndarray, points_txkx3: np.ndarray, fps: float
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Points stamped `times_s` → (grid times t0 + k / fps up to the last stamped frame, points on that
    grid). x and y are interpolated linearly between the two stamped frames around a grid time when
    both have the point and they are at most MAX_BRIDGE_INTERVALS intervals apart (else NaN: filling
    gaps is the gait cleaner's job, with its own limit); the score is the nearer frame's."""
    t = np.asarray(times_s, float)
    pts = np.asarray(points_txkx3, float)
    stamped = np.isfinite(t)
    t, pts = t[stamped], pts[stamped]
    grid = t[0] + np.arange(int(np.floor((t[-1] - t[0]) * fps + 1e-6)) + 1) / fps
    right = np.clip(np.searchsorted(t, grid, side="left"), 1, len(t) - 1)
    left = right - 1
    span = t[right] - t[left]
    w = np.where(span > 0, (grid - t[left]) / np.where(span > 0, span, 1.0), 0.0)
    on_left, on_right = np.isclose(grid, t[left], rtol=0, atol=1e-9), np.isclose(grid, t[right], rtol=0, atol=1e-9)
    w = np.where(on_left, 0.0, np.where(on_right, 1.0, w))
    exact = on_left | on_right
    with np.errstate(invalid="ignore"):
        blend = (1 - w)[:, None, None] * pts[left] + w[:, None, None] * pts[right]
    out = np.where(on_left[:, None, None], pts[left], np.where(on_right[:, None, None], pts[right], blend))
    nearer = np.where(w <= 0.5, left, right)
    out[..., 2] = pts[nearer, :, 2]
    too_far = (span > MAX_BRIDGE_INTERVALS / fps) & ~exact
    out[too_far] = np.nan
    return grid, out
