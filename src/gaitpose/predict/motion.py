"""Which moving person is the walker: a motion pre-pass over the clip.

A person dancing on a roof, a tree in the wind or a passer-by who stops all move; the subject of a
gait recording is the one who *travels* across the view. The pre-pass models the background
(OpenCV MOG2 on frames shrunk to `width` pixels), links the moving regions of consecutive frames into
tracks, and takes the track whose centre travels furthest along the image x-axis (the walking
direction of a side view), if that is at least its own height and the track lasts a second or more.
With no such track (a treadmill: the subject walks in place) the follower uses the moving regions.
A camera that pans moves the whole background: the pre-pass measures the camera's motion
(`camera_shift`) and says in which frames it pans, where no moving region is taken for a person.

A session recording has several such tracks for one person (each pass between turns, pauses and
re-entries links on its own). Given the colours of the boxes (`box_colour`), the walking tracks are
grouped by appearance into people (`walkers`), ranked by how long they walk: by default the walker is
the one who walks most (the patient), all its tracks, so the same person is followed through every
pass; the others can be chosen instead (`gaitpose analyze --person N`). Two people dressed alike
cannot be told apart this way. Only boxes and a 64-bin colour histogram per box are kept per frame,
so memory stays small for long clips.
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
    same_person_max_distance: float = 0.1   # Bhattacharyya distance of two tracks' mean colours: one person
                                      # over passes 0.02-0.04, people in other clothes 0.21-0.24 (CASIA-B)
    pan_check_every: int = 5          # the camera's motion is measured every this many frames and in every
    pan_check_frac: float = 0.15      # frame where this share of the picture moves; it pans where two
    pan_min_px: float = 0.5           # measurements in a row saw the background shift more than this (px at
                                      # `width`) from one frame to the next (static cameras: under 0.5 px in
                                      # 98-100 % of frames, panning ones over it in 64-85 %)
    handover_overlap_s: float = 1.0   # a walking track that starts where another ends (`hands_over`), up to
                                      # this long before it ends, is the same person (a turn, a pause)


class MotionScanner:
    """Moving regions per frame from a background model (feed frames in order), and whether the camera
    pans (`panning`, after each frame): then the whole background moves, and the regions are not people."""

    def __init__(self, params: MotionParams | None = None):
        self.params = params or MotionParams()
        self._bg = cv2.createBackgroundSubtractorMOG2(history=120, varThreshold=25, detectShadows=False)
        self._prev_grey: np.ndarray | None = None
        self._frame = 0
        self._moves = 0                           # measurements in a row that saw the camera move
        self.panning = False

    def boxes(self, frame: np.ndarray) -> list[Box]:
        scale = self.params.width / frame.shape[1]
        small = cv2.resize(frame, (self.params.width, max(1, int(round(frame.shape[0] * scale)))),
                           interpolation=cv2.INTER_AREA)
        mask = self._bg.apply(small)
        grey = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
        if self._prev_grey is not None and (self._frame % self.params.pan_check_every == 0
                                            or (mask > 0).mean() >= self.params.pan_check_frac):
            shift = camera_shift(self._prev_grey, grey)
            moved = shift is not None and float(np.hypot(*shift)) > self.params.pan_min_px
            self._moves = self._moves + 1 if moved else 0
            self.panning = self._moves >= 2
        self._prev_grey, self._frame = grey, self._frame + 1
        mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        mask = cv2.dilate(mask, np.ones((7, 7), np.uint8))
        n, _, stats, _ = cv2.connectedComponentsWithStats((mask > 0).astype(np.uint8))
        lo, hi = self.params.min_area_frac * mask.size, self.params.max_area_frac * mask.size
        return [tuple(float(v) / scale for v in stats[i, :4]) for i in range(1, n)
                if lo <= stats[i, cv2.CC_STAT_AREA] and stats[i, cv2.CC_STAT_WIDTH] * stats[i, cv2.CC_STAT_HEIGHT] <= hi]


def camera_shift(prev_grey: np.ndarray, grey: np.ndarray, n_corners: int = 100) -> np.ndarray | None:
    """How far the background moved from `prev_grey` to `grey` (x, y px): corners of the previous frame
    followed by Lucas–Kanade optical flow, a rotation-scale-translation fitted to them with RANSAC (a
    walker's corners move otherwise and are left out; within 0.25 px, as a walker far away moves only about
    0.5 px a frame at 320 px), its translation. None with fewer than 8 corners followed or fitted (a blank
    frame, or no motion that enough corners share)."""
    corners = cv2.goodFeaturesToTrack(prev_grey, n_corners, 0.01, 8)
    if corners is None or len(corners) < 8:
        return None
    moved, found, _ = cv2.calcOpticalFlowPyrLK(prev_grey, grey, corners, None, winSize=(15, 15), maxLevel=2)
    ok = found.ravel() == 1
    if ok.sum() < 8:
        return None
    fit, inliers = cv2.estimateAffinePartial2D(corners[ok], moved[ok], method=cv2.RANSAC, ransacReprojThreshold=0.25)
    if fit is None or int(inliers.sum()) < 8:
        return None
    return fit[:, 2].astype(float)


def _centre(box: Box) -> np.ndarray:
    return np.array([box[0] + box[2] / 2, box[1] + box[3] / 2])


def iou(a: Box, b: Box) -> float:
    """Intersection over union of two boxes (0: apart, 1: the same box)."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    inter = w * h
    return float(inter / max(a[2] * a[3] + b[2] * b[3] - inter, 1e-9))


def link_tracks(boxes_by_frame: dict[int, list[Box]], fps: float, link_gap_s: float = 0.5) -> list[dict[int, Box]]:
    """Greedy frame-to-frame linking, largest regions first: of the open tracks whose last box centre is
    within that box's larger side, a region joins the one whose last box it overlaps most (intersection
    over union), failing any overlap the nearest. Tracks unmatched for longer than `link_gap_s` end.
    (Overlap first: a walker near the camera has a box as tall as the frame, and by distance alone any
    small region in reach of its centre, a reflection in a mirror or a moving shadow, would compete for
    its track.)"""
    tracks: list[dict[int, Box]] = []
    open_tracks: list[int] = []
    max_gap = max(1, int(round(link_gap_s * fps)))
    for frame in sorted(boxes_by_frame):
        open_tracks = [t for t in open_tracks if frame - max(tracks[t]) <= max_gap]
        taken: set[int] = set()
        for box in sorted(boxes_by_frame[frame], key=lambda b: -b[2] * b[3]):
            c = _centre(box)
            best, best_key = None, (0.0, 0.0)
            for t in open_tracks:
                if t in taken:
                    continue
                last = tracks[t][max(tracks[t])]
                d = float(np.hypot(*(c - _centre(last))))
                if d > max(last[2], last[3]):
                    continue
                key = (iou(box, last), -d)
                if best is None or key > best_key:
                    best, best_key = t, key
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


def box_colour(frame: np.ndarray, box: Box) -> np.ndarray | None:
    """Hue–saturation histogram (16 × 4 bins, summing to 1) of the frame inside `box`: what a person
    wears, to tell the walker's passes from other people's. None for an empty box."""
    x, y, w, h = (int(round(v)) for v in box)
    patch = frame[max(0, y):max(0, y + h), max(0, x):max(0, x + w)]
    if patch.size == 0:
        return None
    hsv = cv2.cvtColor(patch, cv2.COLOR_BGR2HSV)
    hist = cv2.calcHist([hsv], [0, 1], None, [16, 4], [0, 180, 0, 256]).ravel()
    return (hist / max(float(hist.sum()), 1.0)).astype(np.float32)


def colour_distance(a: np.ndarray, b: np.ndarray) -> float:
    """Bhattacharyya distance of two normalised histograms: 0 the same, 1 nothing in common."""
    return float(np.sqrt(max(0.0, 1.0 - float(np.sum(np.sqrt(a * b))))))


def _mean_colour(track: dict[int, Box], boxes_by_frame: dict[int, list[Box]],
                 colours: dict[int, list[np.ndarray | None]]) -> np.ndarray | None:
    found = [colours[f][boxes_by_frame[f].index(b)] for f, b in track.items() if f in colours]
    found = [c for c in found if c is not None]
    return np.mean(found, axis=0) if found else None


def walking_tracks(boxes_by_frame: dict[int, list[Box]], fps: float, params: MotionParams) -> list[dict[int, Box]]:
    """Tracks that walk: a second or more in view, travelling at least `min_travel_heights` of their height."""
    return [t for t in link_tracks(boxes_by_frame, fps, params.link_gap_s)
            if len(t) >= 3 and (max(t) - min(t)) / fps >= params.min_walk_s
            and travel_heights(t) >= params.min_travel_heights]


@dataclass(frozen=True)
class Walker:
    """One person seen walking: its walking tracks (one per pass) and, for a thumbnail, the middle frame
    of its longest pass with its whole-body box there."""

    tracks: tuple[dict[int, Box], ...]  # time order; none overlaps a longer one by more than link_gap_s
    walking_s: float                    # what its walking tracks span, summed (the rank: most first)
    first_s: float                      # its first and last walking frame / fps (from the start of the file)
    last_s: float
    thumbnail_frame: int
    thumbnail_box: Box


def walkers(boxes_by_frame: dict[int, list[Box]], fps: float, colours: dict[int, list[np.ndarray | None]],
            params: MotionParams | None = None) -> list[Walker]:
    """Every person who walks, the one who walks most first (the patient). The walking tracks are
    grouped by appearance: each, longest first, joins the first group whose first track's colours are
    within `same_person_max_distance`, else starts a group. Groups one of whose tracks takes over from
    another's where and when it ends (`hands_over`: the background model splits a walker at a turn or a
    pause, and the front and back of one person differ in colour as much as two people do) are one
    person. Groups rank by their tracks' summed durations (ties: the group started first). In a group, a
    track that overlaps a longer one in time by more than `link_gap_s`, and does not take over from it,
    is left out (someone dressed alike walking at the same time). Standing
    people and short crossings are no walkers (`walking_tracks`), nor is a part of a walker who walks
    more (`part_of`)."""
    params = params or MotionParams()
    tracks = walking_tracks(boxes_by_frame, fps, params)
    duration = {id(t): max(t) - min(t) for t in tracks}
    tracks.sort(key=lambda t: -duration[id(t)])
    groups: list[tuple[np.ndarray | None, list[dict[int, Box]]]] = []
    for t in tracks:
        colour = _mean_colour(t, boxes_by_frame, colours)
        for first, members in groups:
            if colour is not None and first is not None and \
                    colour_distance(colour, first) <= params.same_person_max_distance:
                members.append(t)
                break
        else:
            groups.append((colour, [t]))
    groups = _join_handovers(groups, fps, params)
    walked = [sum(duration[id(t)] for t in members) for _, members in groups]
    order = sorted(range(len(groups)), key=lambda g: -walked[g])      # stable: ties keep the first group first
    gap = int(round(params.link_gap_s * fps))
    out: list[Walker] = []
    bodies: list[dict[int, Box]] = []                                  # each walker's whole-body boxes
    for g in order:
        chosen: list[dict[int, Box]] = []
        for t in groups[g][1]:                                         # longest first
            if all(min(max(t), max(c)) - max(min(t), min(c)) <= gap
                   or hands_over(c, t, fps, params) or hands_over(t, c, fps, params) for c in chosen):
                chosen.append(t)
        if any(part_of(chosen, body) for body in bodies):              # a leg, a reflection: no one new
            continue
        longest = chosen[0]
        middle = (min(longest) + max(longest)) // 2
        bodies.append(person_boxes(chosen, fps, params))               # the longest track's boxes come first
        out.append(Walker(tuple(sorted(chosen, key=min)), walked[g] / fps, min(map(min, chosen)) / fps,
                          max(map(max, chosen)) / fps, middle, bodies[-1][middle]))
    return out


def hands_over(a: dict[int, Box], b: dict[int, Box], fps: float, params: MotionParams) -> bool:
    """Whether track `b` takes over from track `a`: it starts at most `handover_overlap_s` before `a`'s last
    frame and at most `link_gap_s` after it, outlasts it, and at `a`'s last frame (or `b`'s first, if
    later) the two whole-body boxes (`person_boxes`: a track often ends and starts on a fragment, a foot
    or the head) are as tall within a factor 1.5 and their centres at most one body height apart across
    and half of one up or down."""
    end, start = max(a), min(b)
    if not (min(a) < start and max(b) > end
            and -params.handover_overlap_s * fps <= start - end <= params.link_gap_s * fps):
        return False
    last = person_boxes([a], fps, params)[end]
    there = person_boxes([b], fps, params)[max(start, end)]
    (ax, ay), (bx, by) = _centre(last), _centre(there)
    h = last[3]
    return bool(abs(bx - ax) <= h and abs(by - ay) <= h / 2 and h / 1.5 <= there[3] <= 1.5 * h)


def _join_handovers(groups: list[tuple[np.ndarray | None, list[dict[int, Box]]]], fps: float,
                    params: MotionParams) -> list[tuple[np.ndarray | None, list[dict[int, Box]]]]:
    """Groups joined where a track of one hands over to a track of another (transitively); each joined
    group keeps the first group's colour and its tracks longest first, and the order of its first group."""
    owner = list(range(len(groups)))

    def root(g: int) -> int:
        while owner[g] != g:
            g = owner[g]
        return g

    for g, (_, mine) in enumerate(groups):
        for h, (_, theirs) in enumerate(groups):
            if g != h and root(g) != root(h) and any(hands_over(a, b, fps, params) for a in mine for b in theirs):
                owner[max(root(g), root(h))] = min(root(g), root(h))
    joined: dict[int, list[dict[int, Box]]] = {}
    for g, (_, members) in enumerate(groups):
        joined.setdefault(root(g), []).extend(members)
    return [(groups[g][0], sorted(members, key=lambda t: -(max(t) - min(t)))) for g, members in joined.items()]


def part_of(tracks: list[dict[int, Box]], body: dict[int, Box]) -> bool:
    """Whether `tracks` are a part of the person whose whole-body box per frame is `body` (a leg, the feet,
    their reflection on a shiny floor, which the background model may cut out and link on its own): in at
    least half of their frames their box's centre lies inside the body's box, and their median box is
    less than half the body's height. Someone walking beside the person is as tall, so not a part."""
    inside = [f for t in tracks for f, box in t.items() if f in body and _contains(body[f], _centre(box))]
    height = float(np.median([box[3] for t in tracks for box in t.values()]))
    return 2 * len(inside) >= sum(map(len, tracks)) and \
        2 * height < float(np.median([box[3] for box in body.values()]))


def _contains(box: Box, point: np.ndarray) -> bool:
    return box[0] <= point[0] <= box[0] + box[2] and box[1] <= point[1] <= box[1] + box[3]


def walker_tracks(boxes_by_frame: dict[int, list[Box]], fps: float, params: MotionParams | None = None,
                  colours: dict[int, list[np.ndarray | None]] | None = None) -> list[dict[int, Box]]:
    """The walker's tracks, in time order. Without colours: the one that travels furthest. With them:
    the tracks of the person who walks most (`walkers`)."""
    params = params or MotionParams()
    if colours is None:
        tracks = walking_tracks(boxes_by_frame, fps, params)
        return [max(tracks, key=travel_px)] if tracks else []
    people = walkers(boxes_by_frame, fps, colours, params)
    return list(people[0].tracks) if people else []


def walker_boxes(boxes_by_frame: dict[int, list[Box]], fps: float, params: MotionParams | None = None,
                 colours: dict[int, list[np.ndarray | None]] | None = None) -> dict[int, Box]:
    """The walker's box per frame (`person_boxes` of `walker_tracks`); empty when nothing travels far
    enough to be a walker. `colours` (per frame, one histogram per box): follow the same person over all
    its tracks."""
    params = params or MotionParams()
    return person_boxes(walker_tracks(boxes_by_frame, fps, params, colours), fps, params)


def person_boxes(tracks: list[dict[int, Box]] | tuple[dict[int, Box], ...], fps: float,
                 params: MotionParams | None = None) -> dict[int, Box]:
    """One person's whole-body box per frame from its tracks (linearly filled across short gaps within
    a track, e.g. behind a tree; not across the turns and pauses between its tracks)."""
    params = params or MotionParams()
    out: dict[int, Box] = {}
    for track in tracks:
        frames = np.array(sorted(track))
        values = np.array([track[f] for f in frames])
        values = whole_body_boxes(frames, values, max(1, int(round(params.body_window_s * fps))))
        full = np.arange(frames[0], frames[-1] + 1)
        filled = np.stack([np.interp(full, frames, values[:, k]) for k in range(4)], axis=1)
        for f, row in zip(full, filled):
            out.setdefault(int(f), tuple(float(v) for v in row))
    return out


def person_thumbnail(frame: np.ndarray, box: Box, height_px: int = 96) -> np.ndarray | None:
    """A small picture of the person in `box` (a tenth of its height added around it), `height_px`
    tall, to show who is who in the report. None for a box outside the frame."""
    x, y, w, h = box
    pad = 0.1 * h
    x0, y0 = int(max(0, round(x - pad))), int(max(0, round(y - pad)))
    x1, y1 = int(min(frame.shape[1], round(x + w + pad))), int(min(frame.shape[0], round(y + h + pad)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    patch = frame[y0:y1, x0:x1]
    width_px = max(1, int(round(patch.shape[1] * height_px / patch.shape[0])))
    return cv2.resize(patch, (width_px, height_px), interpolation=cv2.INTER_AREA)


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
