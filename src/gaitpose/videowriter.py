"""Writing mp4 files that common players open (H.264, yuv420p), atomically.

OpenCV's pip wheels carry no H.264 encoder, so frames are piped to the ffmpeg shipped by the
`imageio-ffmpeg` package; without it, OpenCV's MPEG-4 Part 2 ('mp4v') is the fallback.
"""
from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

import cv2
import numpy as np


def _ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg
        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:  # noqa: BLE001 - package or binary missing: use the fallback
        return None


class VideoWriter:
    """`with VideoWriter(path, fps, width, height) as w: w.write(bgr_frame)`; the file appears on success only."""

    def __init__(self, path: str | os.PathLike, fps: float, width: int, height: int, crf: int = 23):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # yuv420p needs even dimensions
        self.width, self.height = width - width % 2, height - height % 2
        fd, self._tmp = tempfile.mkstemp(prefix=f".{self.path.stem}.", suffix=".mp4", dir=self.path.parent)
        os.close(fd)
        exe = _ffmpeg()
        self._proc: subprocess.Popen | None = None
        self._cv: cv2.VideoWriter | None = None
        if exe:
            self.codec = "h264"
            self._proc = subprocess.Popen(
                [exe, "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "bgr24",
                 "-s", f"{self.width}x{self.height}", "-r", f"{fps:.6f}", "-i", "-",
                 "-an", "-c:v", "libx264", "-preset", "veryfast", "-crf", str(crf), "-pix_fmt", "yuv420p",
                 "-movflags", "+faststart", "-f", "mp4", self._tmp],
                stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        else:
            self.codec = "mp4v"
            self._cv = cv2.VideoWriter(self._tmp, cv2.VideoWriter_fourcc(*"mp4v"), fps, (self.width, self.height))

    def write(self, frame_bgr: np.ndarray) -> None:
        frame = np.ascontiguousarray(frame_bgr[:self.height, :self.width])
        if self._proc is not None:
            self._proc.stdin.write(frame.tobytes())
        else:
            self._cv.write(frame)

    def close(self, keep: bool = True) -> None:
        ok = True
        if self._proc is not None:
            self._proc.stdin.close()
            err = self._proc.stderr.read().decode(errors="replace")
            ok = self._proc.wait() == 0
            if not ok and keep:
                os.unlink(self._tmp)
                raise RuntimeError(f"ffmpeg failed writing {self.path}: {err.strip()[:300]}")
        elif self._cv is not None:
            self._cv.release()
        if keep and ok:
            os.chmod(self._tmp, 0o644)                # mkstemp creates 0600
            os.replace(self._tmp, self.path)
        elif os.path.exists(self._tmp):
            os.unlink(self._tmp)

    def __enter__(self) -> "VideoWriter":
        return self

    def __exit__(self, exc_type: type | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close(keep=exc_type is None)
