"""Which frames to label first, and the joints each one opens with.

A *proposer* looks at a video and returns candidate frames with a guess of the 8 joints and an
uncertainty. The frames offered to the person are then spread over the videos and over the gait
cycle, and within that spread the most uncertain come first (`choose_frames`): a frame the model
already gets right teaches it little. The default proposer is the keypoint model itself (the
bundled one, or `--weights`): its uncertainty is how unsure it is (low heatmap peaks) plus how much
it disagrees with itself when the frame is mirrored. Another proposer (e.g. a teacher model) only
has to return the same `Candidates`.

Each offered frame opens with the proposer's joints, or, where the teacher extra is installed
(`make teacher`), with the teacher's (`TeacherPrefill`: MediaPipe Pose on the crop around the
model's guess; a joint the teacher does not see keeps the model's guess).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Protocol

import cv2
import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.predict.follow import Crop, FollowParams
from gaitpose.predict.video import VideoInfo, iter_frames
from gaitpose.skeleton import JOINT_INDEX, NUM_JOINTS, flip_permutation


@dataclass
class Candidates:
    """Candidate frames of one video: frames (N), keypoints N×8×3 [x, y, score] in frame pixels
    (NaN where a joint was not found), uncertainty N (larger = more worth labelling)."""

    frames: np.ndarray
    keypoints: np.ndarray
    uncertainty: np.ndarray


class Proposer(Protocol):
    name: str

    def __call__(self, info: VideoInfo, step: int) -> Candidates:
        """Every `step`-th frame of the video with a guess of its joints and an uncertainty."""


@dataclass(frozen=True)
class Pick:
    video: int            # index into the list of videos
    frame: int
    phase_bin: int        # -1: phase unknown
    uncertainty: float


def gait_phase_bins(keypoints_nx8x3: np.ndarray, n_bins: int) -> np.ndarray:
    """Phase of the gait cycle per frame, in `n_bins` equal bins (-1 where the ankles were not found).

    The horizontal distance between the ankles, s = x_left_ankle - x_right_ankle, swings from one
    sign to the other once per step; the angle of (s, ds/dn) in its phase plane, each scaled by its
    standard deviation, runs once round per cycle. Frames must be in time order.
    """
    la, ra = JOINT_INDEX["left_ankle"], JOINT_INDEX["right_ankle"]
    s = keypoints_nx8x3[:, la, 0] - keypoints_nx8x3[:, ra, 0]
    bins = np.full(len(s), -1, dtype=int)
    ok = np.isfinite(s)
    if ok.sum() < 3:
        return bins
    s_ok = s[ok]
    ds = np.gradient(s_ok)
    s_sd, ds_sd = float(np.std(s_ok)), float(np.std(ds))
    if s_sd == 0 or ds_sd == 0:
        bins[ok] = 0
        return bins
    phase = np.arctan2(ds / ds_sd, s_ok / s_sd)                        # (-pi, pi]
    bins[ok] = np.minimum((phase + math.pi) / (2 * math.pi) * n_bins, n_bins - 1).astype(int)
    return bins


def choose_frames(picks: list[Pick], n_frames: int, min_gap_frames: int) -> list[Pick]:
    """Order of the frames to offer: rounds over the (video, phase bin) cells.

    Each round takes from every cell its most uncertain frame not yet taken that is at least
    `min_gap_frames` from a frame already taken in the same video (near-duplicates teach little);
    within a round the most uncertain come first. Stops at `n_frames` or when nothing is left.
    """
    cells: dict[tuple[int, int], list[Pick]] = {}
    for pick in picks:
        cells.setdefault((pick.video, pick.phase_bin), []).append(pick)
    for queue in cells.values():
        queue.sort(key=lambda p: (-p.uncertainty, p.frame))
    chosen: list[Pick] = []
    taken: dict[int, list[int]] = {}
    while len(chosen) < n_frames:
        round_picks = []
        for key in sorted(cells):
            queue = cells[key]
            while queue:
                pick = queue.pop(0)
                if all(abs(pick.frame - f) >= min_gap_frames for f in taken.get(pick.video, [])):
                    round_picks.append(pick)
                    taken.setdefault(pick.video, []).append(pick.frame)
                    break
        if not round_picks:
            break
        round_picks.sort(key=lambda p: (-p.uncertainty, p.video, p.frame))
        chosen.extend(round_picks[:n_frames - len(chosen)])
    return chosen


def flip_uncertainty(direct_8x3: np.ndarray, mirrored_back_8x3: np.ndarray) -> float:
    """How unsure the model is about one frame, in [0, 2]: the mean of (1 - score) over the joints,
    plus the mean over the joints of the distance between the direct and the mirrored-back guess in
    units of 0.1 × the body's size (capped at 1; the PCKs@0.1 tolerance). A joint not found counts 1 + 1."""
    d = direct_8x3
    found = np.isfinite(d[:, :2]).all(axis=1)
    if found.sum() < 2:
        return 2.0
    size = float(np.max(d[found, :2].max(axis=0) - d[found, :2].min(axis=0)))
    unsure = np.where(found, 1.0 - np.clip(np.nan_to_num(d[:, 2]), 0.0, 1.0), 1.0)
    dist = np.linalg.norm(d[:, :2] - mirrored_back_8x3[:, :2], axis=1)
    disagree = np.where(found & np.isfinite(dist), np.minimum(1.0, dist / max(0.1 * size, 1e-6)), 1.0)
    return float(unsure.mean() + disagree.mean())


class ModelProposer:
    """The keypoint model as proposer: subject-following tracks to find the person, then each candidate
    frame's crop through the model as it is and mirrored (`flip_uncertainty`)."""

    def __init__(self, weights: str | None = None, batch_size: int = 8, progress: bool = True):
        from gaitpose.predict.backends import make_backend

        self.backend = make_backend(weights)
        self.name = f"model ({weights or 'bundled'})"
        self.batch_size = batch_size
        self.progress = progress

    def __call__(self, info: VideoInfo, step: int) -> Candidates:
        from gaitpose.predict.track import track_video

        tracks = track_video(info, self.backend, batch_size=self.batch_size, progress=self.progress)
        where = {int(f): t for t, f in enumerate(tracks.frames)}
        wanted = [int(f) for f in tracks.frames[::step]]
        crops, images = {}, {}
        wanted_set = set(wanted)
        for index, frame in iter_frames(info):
            if index in wanted_set and frame is not None:
                crop = subject_crop(tracks.keypoints[where[index]], info.width, info.height)
                images[index], lb = crop.cut(frame, self.backend.input_size)
                crops[index] = (crop, lb)
        frames = [f for f in wanted if f in images]
        keypoints = np.full((len(frames), NUM_JOINTS, 3), np.nan)
        uncertainty = np.full(len(frames), 2.0)
        size = self.backend.input_size
        for start in range(0, len(frames), self.batch_size):
            chunk = frames[start:start + self.batch_size]
            rgb = np.stack([cv2.cvtColor(images[f], cv2.COLOR_BGR2RGB) for f in chunk])
            direct = self.backend(rgb)[:, :NUM_JOINTS]                      # the joints a person labels
            mirrored = self.backend(np.ascontiguousarray(rgb[:, :, ::-1]))[:, :NUM_JOINTS][:, flip_permutation()]
            mirrored[..., 0] = size - 1 - mirrored[..., 0]                     # back to the direct image's x
            for n, f in enumerate(chunk):
                crop, lb = crops[f]
                kp = direct[n].astype(np.float64).copy()
                back = mirrored[n].astype(np.float64).copy()
                kp[:, :2], back[:, :2] = crop.to_frame(kp[:, :2], lb), crop.to_frame(back[:, :2], lb)
                keypoints[start + n] = kp
                uncertainty[start + n] = flip_uncertainty(kp, back)
        return Candidates(np.asarray(frames, dtype=int), keypoints, uncertainty)


def subject_crop(keypoints_8x3: np.ndarray, width: int, height: int, params: FollowParams = FollowParams()) -> Crop:
    """The square the subject follower would give the network around these joints (the whole frame
    when fewer than `params.min_joints` were found)."""
    found = np.isfinite(keypoints_8x3[:, :2]).all(axis=1) & (np.nan_to_num(keypoints_8x3[:, 2]) >= params.min_score)
    if found.sum() < params.min_joints:
        return Crop.full(width, height)
    lo, hi = keypoints_8x3[found, :2].min(axis=0), keypoints_8x3[found, :2].max(axis=0)
    side = max(params.margin * float(max(hi - lo)), params.min_side_frac * max(width, height))
    centre = (lo + hi) / 2
    return Crop(float(centre[0] - side / 2), float(centre[1] - side / 2), side)


PROPOSERS: dict[str, Callable[..., Proposer]] = {"model": ModelProposer}
PREFILLS: tuple[str, ...] = ("auto", "model", "teacher")     # `gaitpose label --prefill`


class TeacherPrefill:
    """The teacher's joints for an offered frame: MediaPipe Pose (static image mode) on the crop the
    subject follower would cut around the model's guess, mapped back to frame pixels. Raises a
    GaitposeError naming `make teacher` when the extra is not installed."""

    name = "teacher (MediaPipe Pose full)"

    def __init__(self, input_size: int = 512, min_visibility: float = 0.5):
        from gaitpose.predict.teacher import MediaPipePose

        self.pose = MediaPipePose(static=True)
        self.input_size = input_size
        self.min_visibility = min_visibility

    def __call__(self, frame_bgr: np.ndarray, guess_8x3: np.ndarray) -> np.ndarray:
        """8×3 [x, y, visibility] in frame pixels; NaN where the teacher does not see the joint."""
        crop = subject_crop(guess_8x3, frame_bgr.shape[1], frame_bgr.shape[0])
        image, lb = crop.cut(frame_bgr, self.input_size)
        points = self.pose.points(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))[:NUM_JOINTS].copy()
        points[:, :2] = crop.to_frame(points[:, :2], lb)
        points[points[:, 2] < self.min_visibility, :2] = np.nan
        return points


def merge_prefill(guess_8x3: np.ndarray, teacher_8x3: np.ndarray) -> np.ndarray:
    """The joints a frame opens with: the teacher's where it sees the joint, the model's guess elsewhere."""
    seen = np.isfinite(teacher_8x3[:, :2]).all(axis=1)
    return np.where(seen[:, None], teacher_8x3, guess_8x3)


def make_prefill(choice: str) -> TeacherPrefill | None:
    """`--prefill`: "model" → None (the proposer's guess); "teacher" → the teacher, or the error naming
    `make teacher`; "auto" → the teacher where installed, else None."""
    if choice not in PREFILLS:
        raise GaitposeError(f"--prefill: expected one of {', '.join(PREFILLS)}, got {choice!r}")
    if choice == "model":
        return None
    try:
        return TeacherPrefill()
    except GaitposeError:
        if choice == "teacher":
            raise
        return None

