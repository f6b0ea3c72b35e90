"""Video → keypoint tracks: stream frames, follow the subject, run the network in batches."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.predict.backends import KeypointBackend
from gaitpose.predict.follow import Crop, FollowParams, SubjectFollower
from gaitpose.predict.motion import (Box, MotionParams, MotionScanner, Walker, box_colour, person_boxes,
                                     person_thumbnail, walkers)
from gaitpose.predict.video import VideoInfo, iter_frames, iter_frames_timed
from gaitpose.skeleton import NUM_JOINTS

MAX_THUMBNAILS = 9          # pictures of the people who walk most; the rest are listed without


@dataclass
class Tracks:
    """Keypoints of every analysed frame, in original-frame pixels."""

    frames: np.ndarray                    # T frame indices (from the start of the file)
    keypoints: np.ndarray                 # T×8×3 [x, y, score]; NaN where the frame could not be read
    #                                       (T×P×3 when the backend returns points after the 8 joints)
    unreadable_frames: list[int] = field(default_factory=list)
    frames_without_subject: int = 0       # frames where fewer than `min_joints` joints were found
    seconds: float = 0.0
    times_s: np.ndarray | None = None     # T time stamps of the frames (NaN where unreadable); None: index / fps
    people: list[Walker] = field(default_factory=list)   # everyone seen walking, most walking first
    person: int | None = None             # which of them was analysed (1-based); None: no walker was followed
    thumbnails: dict[int, np.ndarray] = field(default_factory=dict)   # person → small BGR picture (several people)
    prepass_seconds: float = 0.0          # of `seconds`, the motion pre-pass (its own decode of the video)

    @property
    def frames_per_s(self) -> float:
        return len(self.frames) / self.seconds if self.seconds > 0 else float("nan")


def track_video(info: VideoInfo, backend: KeypointBackend, start_s: float = 0.0, end_s: float | None = None,
                batch_size: int = 8, follow: bool = True, follow_params: FollowParams | None = None,
                progress: bool = True, motion_params: MotionParams | None = None, person: int = 1) -> Tracks:
    """Run the keypoint network over the video (memory stays flat: one batch of frames at a time).

    With `follow`, a motion pre-pass first finds the people who walk and follows the `person`-th
    (1: the one who walks most); frames outside its time span get no keypoints (someone else in view
    is not the subject), except while the follower still holds the person by their keypoints (a turn,
    standing, a stretch where the background model lost them) and where the camera pans (the moving
    regions are then the background: the follower holds the person by their keypoints, or looks at
    the whole frame). With several people, a thumbnail of each is cut from its frame as the frames
    pass. A backend with `n_points` > 8 (the teacher's feet) has its extra points mapped to the frame
    too; the follower looks at the 8 joints."""
    t0 = time.perf_counter()                  # frames/s counts the motion pre-pass too
    follower = SubjectFollower(info.width, info.height, follow_params or FollowParams())
    motion, people, panning = scan_people(info, start_s, end_s, motion_params) if follow else ({}, [], set())
    prepass_seconds = time.perf_counter() - t0
    walker = choose_person(people, person, info, motion_params)
    wanted: dict[int, list[tuple[int, Box]]] = {}            # frame → (person, box) of the thumbnails cut there
    for rank, w in enumerate(people[:MAX_THUMBNAILS] if len(people) > 1 else [], 1):
        wanted.setdefault(w.thumbnail_frame, []).append((rank, w.thumbnail_box))
    thumbnails: dict[int, np.ndarray] = {}
    frames: list[int] = []
    times: dict[int, float] = {}
    keypoints: list[np.ndarray] = []
    unreadable: list[int] = []
    outside_walk = 0
    batch: list[tuple[int, np.ndarray]] = []
    bar = _progress_bar(info, start_s, end_s, progress)
    n_points = getattr(backend, "n_points", NUM_JOINTS)

    def flush() -> None:
        crops = follower.crops(len(batch)) if follow else [Crop.full(info.width, info.height)] * len(batch)
        inputs, mappings = [], []
        for (_, frame), crop in zip(batch, crops):
            image, lb = crop.cut(frame, backend.input_size)
            inputs.append(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
            mappings.append((crop, lb))
        pred = backend(np.stack(inputs))                                   # N×8×3 input px
        for (index, _), (crop, lb), kp in zip(batch, mappings, pred):
            out = np.empty((n_points, 3))
            out[:, :2] = crop.to_frame(kp[:, :2], lb)
            out[:, 2] = np.clip(kp[:, 2], 0.0, 1.0)
            follower.update(out[:NUM_JOINTS])
            frames.append(index)
            keypoints.append(out)
        if bar is not None:
            bar.update(len(batch))
            bar.set_postfix(fps=f"{len(frames) / (time.perf_counter() - t0):.1f}")
        batch.clear()

    for index, frame, time_s in iter_frames_timed(info, start_s, end_s):
        times[index] = time_s
        if frame is None:
            if batch:
                flush()
            unreadable.append(index)
            frames.append(index)
            keypoints.append(np.full((n_points, 3), np.nan))
            continue
        for rank, box in wanted.get(index, []):
            picture = person_thumbnail(frame, box)
            if picture is not None:
                thumbnails[rank] = picture
        pan = index in panning                        # the moving regions are the background: who walks is unknown
        if walker and not pan and not walker_present(walker, index, info.fps) and not follower.tracking:
            if batch:
                flush()
            frames.append(index)                      # the walker is not in view: no one to analyse
            keypoints.append(np.full((n_points, 3), np.nan))
            outside_walk += 1
            continue
        follower.observe_motion([] if pan else motion.get(index, []), None if pan else walker.get(index))
        batch.append((index, frame))
        if len(batch) == batch_size:
            flush()
    if batch:
        flush()
    if bar is not None:
        bar.close()
    seconds = time.perf_counter() - t0
    kp = np.stack(keypoints) if keypoints else np.zeros((0, n_points, 3))
    return Tracks(np.asarray(frames, dtype=int), kp, unreadable, follower.n_lost_frames + outside_walk, seconds,
                  np.array([times.get(f, np.nan) for f in frames], float), people, person if people else None,
                  thumbnails, prepass_seconds)


def scan_people(info: VideoInfo, start_s: float, end_s: float | None,
                params: MotionParams | None = None) -> tuple[dict[int, list[Box]], list[Walker], set[int]]:
    """Motion pre-pass: the moving regions of every frame, the people who walk, most walking first (each
    over all its passes, told from the others by the colours of its boxes), and the frames where the
    camera pans (`MotionScanner.panning`)."""
    scanner = MotionScanner(params)
    motion: dict[int, list[Box]] = {}
    colours: dict[int, list[np.ndarray | None]] = {}
    panning: set[int] = set()
    for index, frame in iter_frames(info, start_s, end_s):
        if frame is not None:
            motion[index] = scanner.boxes(frame)
            colours[index] = [box_colour(frame, box) for box in motion[index]]
            if scanner.panning:
                panning.add(index)
    return motion, walkers(motion, info.fps, colours, params), panning


def choose_person(people: list[Walker], person: int, info: VideoInfo,
                  params: MotionParams | None = None) -> dict[int, Box]:
    """The `person`-th walker's box per frame (1-based, most walking first); empty when nobody walks and
    the first is asked for (a treadmill: the follower uses the moving regions). One clear line when
    fewer people walk than `person`."""
    if person < 1:
        raise GaitposeError(f"--person: expected 1 or more, got {person}")
    if person > max(1, len(people)):
        raise GaitposeError(f"--person {person}: {len(people)} "
                            f"{'person was' if len(people) == 1 else 'people were'} seen walking in {info.path}")
    return person_boxes(people[person - 1].tracks, info.fps, params) if people else {}


def walker_present(walker: dict[int, Box], index: int, fps: float, margin_s: float = 0.5) -> bool:
    """Within `margin_s` of a frame where the walker was seen walking (it may be in view before it
    moves, and after it stops)."""
    margin = int(round(margin_s * fps))
    return any(index + d in walker for d in range(-margin, margin + 1))


def _progress_bar(info: VideoInfo, start_s: float, end_s: float | None, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm
    end = info.n_frames if end_s is None else min(info.n_frames or 10**9, int(round(end_s * info.fps)))
    total = max(0, end - int(round(start_s * info.fps))) or None
    return tqdm(total=total, desc="keypoints", unit="frame", dynamic_ncols=True)
