"""Streaming video frames with OpenCV: one frame in memory at a time, unreadable frames reported."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import cv2
import numpy as np

from gaitpose.errors import GaitposeError

_MAX_CONSECUTIVE_FAILURES = 25     # after this many unreadable frames in a row the stream is over


@dataclass(frozen=True)
class VideoInfo:
    path: str
    fps: float
    n_frames: int          # as the container claims (may be approximate)
    width: int
    height: int


def probe_video(path: str | Path, fps: float | None = None) -> VideoInfo:
    """Open a video and read its geometry and frame rate (`fps` overrides the container's)."""
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: video file not found")
    if fps is not None and fps <= 0:
        raise GaitposeError(f"--fps must be positive, got {fps}")
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise GaitposeError(f"{path}: not a readable video (OpenCV could not open it)")
        ok, frame = cap.read()
        if not ok or frame is None:
            raise GaitposeError(f"{path}: not a readable video (no frame could be decoded)")
        container_fps = cap.get(cv2.CAP_PROP_FPS)
        n_frames = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
    finally:
        cap.release()
    rate = fps or container_fps
    if not rate or not np.isfinite(rate) or rate <= 0 or rate > 1000:
        raise GaitposeError(f"{path}: the container gives no usable frame rate ({container_fps}); pass --fps")
    return VideoInfo(str(path), float(rate), max(n_frames, 0), frame.shape[1], frame.shape[0])


def iter_frames(info: VideoInfo, start_s: float = 0.0, end_s: float | None = None
                ) -> Iterator[tuple[int, np.ndarray | None]]:
    """Yield (frame index, BGR frame, or None when that frame could not be decoded) from start to end.

    A corrupted frame in the middle yields None and the stream goes on; trailing failures (the end
    of the file) yield nothing.
    """
    for index, frame, _ in iter_frames_timed(info, start_s, end_s):
        yield index, frame


def iter_frames_timed(info: VideoInfo, start_s: float = 0.0, end_s: float | None = None
                      ) -> Iterator[tuple[int, np.ndarray | None, float]]:
    """`iter_frames` with each frame's own time stamp (s, from its presentation time in the container;
    NaN for a frame that could not be decoded). Phone videos often have a variable frame rate: these
    times, not index / fps, say when a frame was taken. Where the container gives no time stamps
    (every one 0) the time is index / fps. `start_s` and `end_s` are counted in frames at `info.fps`."""
    first = max(0, int(round(start_s * info.fps)))
    last = None if end_s is None else int(round(end_s * info.fps))
    cap = cv2.VideoCapture(info.path)
    try:
        index = 0
        while index < first:                         # grab (no decode) is cheap and exact for skipping
            if not cap.grab():
                return
            index += 1
        pending: list[int] = []                      # unreadable frames, reported once a later frame decodes
        stamped = False                              # has any frame had a time stamp > 0?
        while last is None or index < last:
            ok, frame = cap.read()
            if ok and frame is not None:
                for bad in pending:
                    yield bad, None, float("nan")
                pending.clear()
                ms = cap.get(cv2.CAP_PROP_POS_MSEC)
                stamped = stamped or ms > 0
                yield index, frame, (ms / 1000.0 if stamped and np.isfinite(ms) else index / info.fps)
            else:
                pending.append(index)
                if len(pending) > _MAX_CONSECUTIVE_FAILURES:
                    return                               # the end of the stream (or nothing more decodes)
            index += 1
    finally:
        cap.release()
