"""The labelling session on disk: every change written at once, atomically, so nothing is lost.

The output folder holds
* `labels.json` — the frames the person has labelled, in our COCO-keypoints format (SPEC §9),
  ready for `gaitpose finetune` (one image per frame, `subject` = the video's name);
* `images/` — the proposed frames as PNG files (lossless; written before they are shown);
* `session.json` — the queue of proposed frames, each with the proposer's guess and its current
  state, and where the person is. `labels.json` is written first and wins on reopening, so a
  crash between the two writes loses nothing.
"""
from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.data.coco import Sample, load_coco_keypoints, write_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_json_atomic
from gaitpose.skeleton import JOINTS, NUM_JOINTS

SESSION_FORMAT = "gaitpose-label-session/1"
VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm", ".mpg", ".mpeg", ".wmv")


@dataclass
class Frame:
    """One proposed frame: its image, the proposer's guess (8×3 x, y, score; NaN = not found) and the
    current labels (8×3 x, y, v with COCO visibility; v = 0 also for a joint with no position yet)."""

    key: str
    video: str
    frame: int
    image: str            # relative to the output folder
    width: int
    height: int
    uncertainty: float
    proposal: np.ndarray
    keypoints: np.ndarray
    labelled: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "video": self.video, "frame": self.frame, "image": self.image,
                "width": self.width, "height": self.height, "uncertainty": round(self.uncertainty, 4),
                "proposal": _nan_to_none(self.proposal), "keypoints": _nan_to_none(self.keypoints),
                "labelled": self.labelled}

    @staticmethod
    def from_json(d: dict[str, Any]) -> "Frame":
        return Frame(d["key"], d["video"], int(d["frame"]), d["image"], int(d["width"]), int(d["height"]),
                     float(d["uncertainty"]), _array(d["proposal"]), _array(d["keypoints"]), bool(d["labelled"]))


def initial_keypoints(proposal_8x3: np.ndarray) -> np.ndarray:
    """Labels a frame opens with: the guess where a joint was found (v = 2), else no position (v = 0)."""
    kp = np.zeros((NUM_JOINTS, 3))
    found = np.isfinite(proposal_8x3[:, :2]).all(axis=1)
    kp[found, :2] = proposal_8x3[found, :2]
    kp[found, 2] = 2
    kp[~found, :2] = np.nan
    return kp


class LabelStore:
    """The session of one output folder; thread-safe (the web server answers from several threads)."""

    def __init__(self, out_dir: str | Path):
        self.out_dir = Path(out_dir)
        self.frames: list[Frame] = []
        self.position = 0
        self.videos: list[str] = []
        self.proposer = ""
        self._lock = threading.Lock()

    @property
    def labels_path(self) -> Path:
        return self.out_dir / "labels.json"

    @property
    def session_path(self) -> Path:
        return self.out_dir / "session.json"

    def load(self) -> None:
        """Read an earlier session of this folder (if any); GaitposeError when its files are not ours."""
        if self.session_path.is_file():
            try:
                data = json.loads(self.session_path.read_text())
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise GaitposeError(f"{self.session_path}: not valid JSON ({exc}); use another --out folder") from None
            if not isinstance(data, dict) or data.get("format") != SESSION_FORMAT:
                raise GaitposeError(f"{self.session_path}: not a gaitpose labelling session; use another --out folder")
            if data.get("joints") != list(JOINTS):
                raise GaitposeError(f"{self.session_path}: a session for the joints {data.get('joints')}, "
                                    f"expected the 8 joints {', '.join(JOINTS)}; use another --out folder")
            self.frames = [Frame.from_json(f) for f in data["frames"]]
            self.position = int(data.get("position", 0))
            self.videos = list(data.get("videos", []))
            self.proposer = str(data.get("proposer", ""))
        if self.labels_path.is_file():
            self._merge_labels()

    def _merge_labels(self) -> None:
        """labels.json is the record of what was labelled: it wins over the session's copy."""
        text = self.labels_path.read_text()
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise GaitposeError(f"{self.labels_path}: not valid JSON ({exc})") from None
        if isinstance(data, dict) and data.get("annotations") == []:
            return
        samples = load_coco_keypoints(self.labels_path, check_files=False)     # checks the skeleton
        by_image = {Path(f.image).name: f for f in self.frames}
        for sample in samples:
            kp = sample.keypoints_8x3.copy()
            kp[kp[:, 2] == 0, :2] = np.nan
            frame = by_image.get(Path(sample.image_path).name)
            if frame is None:           # labelled but not in the session (session.json lost): kept, never dropped
                image = Path(os.path.relpath(sample.image_path, self.out_dir)).as_posix()
                frame = Frame(Path(sample.image_path).stem, sample.subject or "", -1, image, sample.width,
                              sample.height, 0.0, np.full((NUM_JOINTS, 3), np.nan), kp)
                self.frames.append(frame)
            frame.keypoints = kp
            frame.labelled = True

    def add(self, frames: list[Frame], videos: list[str], proposer: str) -> None:
        with self._lock:
            self.frames.extend(frames)
            self.videos.extend(v for v in videos if v not in self.videos)
            self.proposer = proposer
            self._write_session()

    def start_position(self) -> int:
        """Where to continue: the frame the person was on."""
        return int(np.clip(self.position, 0, max(0, len(self.frames) - 1)))

    def update(self, index: int, keypoints_8x3: Any, position: int | None = None) -> None:
        """Set a frame's labels (marks it labelled) and write labels.json, then session.json."""
        kp = _check_keypoints(keypoints_8x3)
        with self._lock:
            if not 0 <= index < len(self.frames):
                raise GaitposeError(f"frame {index} is not in this session (0–{len(self.frames) - 1})")
            self.frames[index].keypoints = kp
            self.frames[index].labelled = True
            if position is not None:
                self.position = int(position)
            self._write_labels()
            self._write_session()

    def move(self, position: int) -> None:
        with self._lock:
            self.position = int(np.clip(position, 0, max(0, len(self.frames) - 1)))
            self._write_session()

    def _write_labels(self) -> None:
        samples = []
        for f in self.frames:
            if not f.labelled:
                continue
            kp = f.keypoints.copy()
            kp[kp[:, 2] == 0] = 0.0
            samples.append(Sample(self.out_dir / f.image, f.width, f.height, kp, subject=Path(f.video).stem))
        write_coco_keypoints(self.labels_path, samples, description="gaitpose label: frames labelled by hand")

    def _write_session(self) -> None:
        write_json_atomic(self.session_path, {
            "format": SESSION_FORMAT, "joints": list(JOINTS), "videos": self.videos, "proposer": self.proposer,
            "position": self.position, "frames": [f.to_json() for f in self.frames]})

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {"frames": [f.to_json() for f in self.frames], "position": self.start_position(),
                    "labelled": sum(f.labelled for f in self.frames), "proposer": self.proposer,
                    "labels_file": str(self.labels_path)}


def _check_keypoints(value: Any) -> np.ndarray:
    """8×3 [x, y, v] from the page: v in {0, 1, 2}; a labelled joint needs finite x, y."""
    try:
        kp = np.array([[np.nan if c is None else float(c) for c in row] for row in value], dtype=np.float64)
    except (TypeError, ValueError):
        raise GaitposeError("keypoints: expected 8 rows of [x, y, v]") from None
    if kp.shape != (NUM_JOINTS, 3) or not np.isin(kp[:, 2], (0, 1, 2)).all():
        raise GaitposeError(f"keypoints: expected {NUM_JOINTS} rows of [x, y, v] with v 0, 1 or 2")
    if not np.isfinite(kp[kp[:, 2] > 0, :2]).all():
        raise GaitposeError("keypoints: a labelled joint (v 1 or 2) needs a position")
    kp[kp[:, 2] == 0, :2] = np.nan
    return kp


def _nan_to_none(a: np.ndarray) -> list:
    return [[None if not np.isfinite(v) else round(float(v), 3) for v in row] for row in a]


def _array(rows: list) -> np.ndarray:
    return np.array([[np.nan if v is None else float(v) for v in row] for row in rows], dtype=np.float64)


def find_videos(paths: list[str]) -> list[Path]:
    """The VIDEO… arguments: files as given, folders expanded to the videos they hold (by suffix)."""
    videos: list[Path] = []
    for arg in paths:
        p = Path(arg)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in VIDEO_SUFFIXES)
            if not found:
                raise GaitposeError(f"{p}: no videos in this folder (looked for {', '.join(VIDEO_SUFFIXES)})")
            videos.extend(found)
        elif p.is_file():
            videos.append(p)
        else:
            raise GaitposeError(f"{p}: no such video file or folder")
    return videos
