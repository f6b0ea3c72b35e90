"""Which moving person is the walker: a motion pre-pass over the clip.

A person dancing on a roof, a tree in the wind or a passer-by who stops all move; the subject of a
gait recording is the one who *travels* across the view. The pre-pass models the background
(OpenCV MOG2 on frames shrunk to `width` pixels), links the moving regions of consecutive frames into
tracks, and takes the track whose centre travels furthest along the image x-axis (the walking
direction of a side view), if that is at least its own height and the track lasts a second or more.
With no such track (a treadmill: the subject walks in place) the follower uses the moving regions.
Only boxes are kept per frame, so memory stays small for long clips.
"""
from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[float, float, float, float]        # x, y, w, h in frame pixels


@dataclass(frozen=True)
class MotionParams:
    width: int = 320                  # background model works at this width
    min_area_frac: float = 0.002      # smallest moving region (fraction of the frame) taken as a person
    max_area_frac: float = 0.5        # larger "regions" are the model starting up, a light change or a pan
    link_gap_s: float = 0.5           # a track survives this long without a matching region
    min_travel_heights: float = 1.0   # a walker travels at least this many of its own heights
    min_walk_s: float = 1.0           # ... and stays in view this long (a stride); shorter tracks are the
                                      # background model starting up or someone passing through
    body_window_s: float = 0.5        # a walker's box spans what its regions covered within this time


class MotionScanner:
    """Moving regions per frame from a background model (feed frames in order)."""

    def __init__(self, params: MotionParams | None = None):
        self.params = params or MotionParams()
        self._bg = cv2.createBackgroundSubtractorMOG2(history=120, varThreshold=25, detectShadows=False)

    def boxes(self, frame: np.ndarray) -> list[Box]:
        scale = self.params.width / frame.shape[1]
        small = cv2.resize(frame, (self.params.width, max(1, int(round(frame.shape[0] * scale)))),
                           interpolation=cv2.INTER_AREA)
        mask = self._bg.apply(small)
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        mask = cv2.dilate(mask, np.ones((7, 7), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8))
        lo, hi = self.params.min_area_frac * mask.size, self.params.max_area_frac * mask.size
        return [tuple(float(v) / scale for v in stats[i, :4]) for i in range(1, n)
                if lo <= stats[i, cv2.CC_STAT_AREA] and stats[i, cv2.CC_STAT_WIDTH] * stats[i, cv2.CC_STAT_HEIGHT] <= hi]


def _centre(box: Box) -> np.ndarray:
    return np.array([box[0] + box[2] / 2, box[1] + box[3] / 2])


def link_tracks(boxes_by_frame: dict[int, list[Box]], fps: float, link_gap_s: float = 0.5) -> list[dict[int, Box]]:
    """Greedy frame-to-frame linking: a region joins the track whose last box centre is nearest and
    within that box's larger side; tracks unmatched for longer than `link_gap_s` end."""
    tracks: list[dict[int, Box]] = []
    open_tracks: list[int] = []
    max_gap = max(1, int(round(link_gap_s * fps)))
    for frame in sorted(boxes_by_frame):
        open_tracks = [t for t in open_tracks if frame - max(tracks[t]) <= max_gap]
        taken: set[int] = set()
        for box in sorted(boxes_by_frame[frame], key=lambda b: -b[2] * b[3]):
            c = _centre(box)
            best, best_d = None, np.inf
            for t in open_tracks:
                if t in taken:
                    continue
                last = tracks[t][max(tracks[t])]
                d = float(np.hypot(*(c - _centre(last))))
                if d <= max(last[2], last[3]) and d < best_d:
                    best, best_d = t, d
            if best is None:
                tracks.append({frame: box})
                open_tracks.append(len(tracks) - 1)
                taken.add(len(tracks) - 1)
            else:
                tracks[best][frame] = box
                taken.add(best)
    return tracks


def travel_px(track: dict[int, Box]) -> float:
    """How far the track's centre travels along x (pixels)."""
    xs = np.array([_centre(b)[0] for b in track.values()])
    return float(xs.max() - xs.min())


def travel_heights(track: dict[int, Box]) -> float:
    """The travel in units of the track's median box height (scale-free: near and far walkers alike)."""
    return travel_px(track) / max(float(np.median([b[3] for b in track.values()])), 1e-9)


def walker_boxes(boxes_by_frame: dict[int, list[Box]], fps: float,
                 params: MotionParams | None = None) -> dict[int, Box]:
    """The walker's box per frame (linearly filled across short gaps, e.g. behind a tree); empty when
    nothing travels far enough to be a walker."""
    params = params or MotionParams()
    tracks = [t for t in link_tracks(boxes_by_frame, fps, params.link_gap_s)
              if len(t) >= 3 and (max(t) - min(t)) / fps >= params.min_walk_s]
    if not tracks:
        return {}
    best = max(tracks, key=travel_px)
    if travel_heights(best) < params.min_travel_heights:
        return {}
    frames = np.array(sorted(best))
    values = np.array([best[f] for f in frames])
    values = whole_body_boxes(frames, values, max(1, int(round(params.body_window_s * fps))))
    full = np.arange(frames[0], frames[-1] + 1)
    filled = np.stack([np.interp(full, frames, values[:, k]) for k in range(4)], axis=1)
    return {int(f): tuple(float(v) for v in row) for f, row in zip(full, filled)}


def whole_body_boxes(frames: np.ndarray, boxes_nx4: np.ndarray, window: int) -> np.ndarray:
    """A moving region is often part of the body (the swinging legs, the torso): each box keeps its
    centre x but spans vertically what the track covered within ±`window` frames, and is at least
    as tall as the track's 75th-percentile box."""
    x0, y0, w, h = boxes_nx4.T
    tall = float(np.quantile(h, 0.75))
    out = boxes_nx4.copy()
    for i, f in enumerate(frames):
        near = np.abs(frames - f) <= window
        top, bottom = float(y0[near].min()), float((y0 + h)[near].max())
        if bottom - top < tall:
            mid = (top + bottom) / 2
            top, bottom = mid - tall / 2, mid + tall / 2
        out[i, 1], out[i, 3] = top, bottom - top
    return out
