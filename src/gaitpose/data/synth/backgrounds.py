"""Real photographs without people, for the synthetic walkers to walk in front of.

Two kinds of source, both training-only (the real validation split is never read):
* **plates** — a walking clip with the walker removed: the per-pixel temporal median of frames spread
  over a static-camera clip (a walker who covers each pixel in fewer than half of the frames leaves
  no trace). Clips whose camera pans are detected (the frames do not agree with their median) and
  skipped, with the reason recorded. Plates are cached as PNG files, each with a JSON note of its source and score.
* **LSP regions** — parts of an LSP(-extended) image outside the labelled person: the strips left,
  right of and below the box of its joints (grown by a margin); never above it, so that the feet of
  the synthetic walker land on ground rather than in the sky.

A frame's backdrop is a square crop of a random source, its bottom near the source's bottom (where
the floor is), scaled to the frame and given a random look (`composite.backdrop_from_photo`).
"""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import scipy.io

from gaitpose.data.real_split import LSP_VAL_EVERY, VAL_CLIPS
from gaitpose.data.synth.composite import Backdrop, BackdropLook, backdrop_from_photo
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic, write_json_atomic

VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv", ".m4v")
PLATE_FRAMES = 31  # frames per median (odd: the median is one of the frames' values)
PLATE_MAX_SIDE_PX = 960  # frames are shrunk to this before the median (crops are smaller still)
AGREE_LEVEL = 20  # a frame pixel agrees with the plate when no channel differs by more than this (0–255)
MIN_AGREEMENT = 0.90  # mean share of agreeing pixels over the frames: static cameras 0.94–1.0, handheld or panning 0.18–0.81 (shared clips)
PLATE_VERSION = 2  # bump when the extraction changes, so cached plates are rebuilt
_LSP_NAME = re.compile(r"im0*(\d+)\.jpg$", re.IGNORECASE)


# ---------------------------------------------------------------- the real validation split

@dataclass(frozen=True)
class HeldOut:
    """Real sources never trained on: whole clips (paths ending in these parts) and LSP images whose
    number is a multiple of `lsp_every`."""

    clips: tuple[str, ...] = ()
    lsp_every: int = 0  # 0: no LSP image held out

    def clip_held_out(self, path: Path) -> bool:
        parts = Path(path).resolve().parts
        return any(parts[-len(p):] == p for p in (Path(c).parts for c in self.clips))

    def lsp_held_out(self, number: int) -> bool:
        return self.lsp_every > 0 and number % self.lsp_every == 0


# the project's fixed real validation set (gaitpose.data.real_split): the default held-out list
REAL_VALIDATION = HeldOut(VAL_CLIPS, LSP_VAL_EVERY)


def read_held_out(path: str | Path) -> HeldOut:
    """A TOML file with `clips = [...]` (path endings) and `lsp_every = N` → HeldOut."""
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: held-out list not found (a TOML file with clips = [...] and lsp_every = N)")
    try:
        data = tomllib.loads(path.read_text())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GaitposeError(f"{path}: not valid TOML ({exc})") from None
    clips, every = data.get("clips", []), data.get("lsp_every", 0)
    if not isinstance(clips, list) or not all(isinstance(c, str) and c for c in clips):
        raise GaitposeError(f"{path}: 'clips' must be a list of clip paths such as \"walking/stage.mp4\"")
    if not isinstance(every, int) or every < 0:
        raise GaitposeError(f"{path}: 'lsp_every' must be a whole number ≥ 0, got {every!r}")
    return HeldOut(tuple(clips), every)


# ---------------------------------------------------------------- plates from walking clips

def median_plate(frames_nxhxwx3: np.ndarray) -> np.ndarray:
    """Per-pixel temporal median of N frames (uint8); for even N the upper of the two middle values."""
    frames = np.asarray(frames_nxhxwx3)
    n = len(frames)
    if n == 0:
        raise ValueError("no frames")
    return np.partition(frames, n // 2, axis=0)[n // 2]


def ground_row_frac(frames_nxhxwx3: np.ndarray, plate_hxwx3: np.ndarray, level: int = AGREE_LEVEL) -> float | None:
    """Where the clip's walker stood: the 99th-percentile row (fraction of the height) of the pixels that
    differ from the plate in at least 2 frames (opened by a 5×5 square against noise); None if none do."""
    differs = np.abs(frames_nxhxwx3.astype(np.int16) - plate_hxwx3.astype(np.int16)).max(axis=-1) > level
    moving = (differs.sum(axis=0) >= 2).astype(np.uint8)
    moving = cv2.morphologyEx(moving, cv2.MORPH_OPEN, np.ones((5, 5), np.uint8))
    rows = np.nonzero(moving)[0]
    return float(np.percentile(rows, 99) / moving.shape[0]) if len(rows) else None


def agreement(frames_nxhxwx3: np.ndarray, plate_hxwx3: np.ndarray, level: int = AGREE_LEVEL) -> float:
    """Mean share of pixels per frame whose every channel lies within `level` of the plate."""
    diff = np.abs(frames_nxhxwx3.astype(np.int16) - plate_hxwx3.astype(np.int16)).max(axis=-1)
    return float(np.mean(diff <= level))


def read_spread_frames(path: Path, count: int, max_side_px: int) -> np.ndarray:
    """`count` frames evenly spread over a clip, shrunk to at most `max_side_px` → N×H×W×3 BGR."""
    cap = cv2.VideoCapture(str(path))
    try:
        if not cap.isOpened():
            raise GaitposeError(f"{path}: not a readable video (OpenCV could not open it)")
        claimed = int(cap.get(cv2.CAP_PROP_FRAME_COUNT))
        picks = set(np.linspace(0, max(claimed - 1, 0), count).round().astype(int).tolist())
        frames, index = [], 0
        while index <= max(picks) and cap.grab():  # grab without decoding; decode only the picks
            if index in picks:
                ok, frame = cap.retrieve()
                if ok and frame is not None:
                    frames.append(frame)
            index += 1
    finally:
        cap.release()
    if len(frames) < 3:
        raise GaitposeError(f"{path}: fewer than 3 frames could be decoded")
    scale = min(1.0, max_side_px / max(frames[0].shape[:2]))
    if scale < 1:
        size = (round(frames[0].shape[1] * scale), round(frames[0].shape[0] * scale))
        frames = [cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in frames]
    return np.stack(frames)


@dataclass(frozen=True)
class PlateResult:
    source: str
    plate: str | None  # the PNG, None when rejected
    frames: int
    agreement: float
    reason: str  # why it was rejected ("" when accepted)
    ground_frac: float | None = None  # the walker's lowest row / height (the floor line); None: nobody moved


def _plate_name(clip: Path) -> str:
    resolved = str(clip.resolve())
    return f"{clip.parent.name}__{clip.stem}-{hashlib.sha1(resolved.encode()).hexdigest()[:8]}.png"


def extract_plate(clip: Path, cache_dir: Path) -> PlateResult:
    """The clip's background plate, from the cache when it was made from the same file; rejected
    (plate None) when the camera moves."""
    stat = clip.stat()
    key = {"source": str(clip.resolve()), "bytes": stat.st_size, "mtime_ns": stat.st_mtime_ns, "version": PLATE_VERSION,
           "frames": PLATE_FRAMES, "max_side_px": PLATE_MAX_SIDE_PX}
    png, meta = cache_dir / _plate_name(clip), cache_dir / (_plate_name(clip) + ".json")
    if meta.is_file():
        cached = json.loads(meta.read_text())
        if cached.get("key") == key and (cached["plate"] is None or png.is_file()):
            return PlateResult(**cached["result"])
    frames = read_spread_frames(clip, PLATE_FRAMES, PLATE_MAX_SIDE_PX)
    plate = median_plate(frames)
    score = agreement(frames, plate)
    if score < MIN_AGREEMENT:
        result = PlateResult(str(clip), None, len(frames), score,
                             f"camera moves: frames agree with their median on {score:.0%} of pixels "
                             f"(< {MIN_AGREEMENT:.0%})")
    else:
        ok, buf = cv2.imencode(".png", plate)
        if not ok:
            raise RuntimeError("PNG encoding failed")
        write_bytes_atomic(png, buf.tobytes())
        result = PlateResult(str(clip), str(png), len(frames), score, "", ground_row_frac(frames, plate))
    write_json_atomic(meta, {"key": key, "plate": result.plate, "result": result.__dict__})
    return result


# ---------------------------------------------------------------- LSP regions outside the person

@dataclass(frozen=True)
class LspImage:
    path: str
    person_box_xyxy: tuple[float, float, float, float]  # box of the labelled joints, in pixels


def lsp_images(folder: Path, held_out: HeldOut) -> tuple[list[LspImage], int]:
    """Training images of an LSP folder (joints.mat + images/) whose person stands upright, with
    their person boxes → (images, number held out). Upright (ankles below knees below hips below
    shoulders below the head top): their lowest joint is on the ground, which the crop puts under the
    synthetic walker's feet; acrobats in the air are often seen against the sky."""
    mat = folder / "joints.mat"
    try:
        joints = np.asarray(scipy.io.loadmat(str(mat))["joints"], dtype=np.float64)
    except Exception as exc:  # scipy raises several types for a bad file
        raise GaitposeError(f"{mat}: not an LSP joints.mat ({type(exc).__name__}: {exc})") from None
    if joints.ndim != 3 or joints.shape[:2] not in ((14, 3), (3, 14)):
        raise GaitposeError(f"{mat}: 'joints' is shaped {joints.shape}, expected 14×3×N or 3×14×N")
    xy_nx14x2 = (joints.transpose(2, 0, 1) if joints.shape[:2] == (14, 3) else joints.transpose(2, 1, 0))[..., :2]
    images, skipped = [], 0
    for path in sorted((folder / "images").glob("*")):
        match = _LSP_NAME.search(path.name)
        if match is None:
            continue
        number = int(match.group(1))
        if held_out.lsp_held_out(number):
            skipped += 1
            continue
        if not 1 <= number <= len(xy_nx14x2) or not upright(xy_nx14x2[number - 1]):
            continue
        xy = xy_nx14x2[number - 1]
        xy = xy[_labelled(xy)]
        lo, hi = xy.min(axis=0), xy.max(axis=0)
        images.append(LspImage(str(path), (float(lo[0]), float(lo[1]), float(hi[0]), float(hi[1]))))
    return images, skipped


# LSP joint rows: ankles 0, 5; knees 1, 4; hips 2, 3; shoulders 8, 9; head top 13 (y grows downwards)
_LSP_LEVELS = ((0, 5), (1, 4), (2, 3), (8, 9), (13,))


def _labelled(xy_14x2: np.ndarray) -> np.ndarray:
    """Joints with coordinates (LSP puts unlabelled ones at x ≤ 0 or y ≤ 0)."""
    return np.all(np.isfinite(xy_14x2), axis=1) & np.all(xy_14x2 > 0, axis=1)


def upright(xy_14x2: np.ndarray) -> bool:
    """Ankles, hips and shoulders labelled (one of each pair at least) and, over the labelled levels,
    each level's mean row above the one below it."""
    xy = np.asarray(xy_14x2, float)
    labelled = _labelled(xy)
    rows = [float(np.mean(xy[[i for i in level if labelled[i]], 1])) if labelled[list(level)].any() else None
            for level in _LSP_LEVELS]
    if rows[0] is None or rows[2] is None or rows[3] is None:
        return False
    known = [r for r in rows if r is not None]
    return all(lower > upper for lower, upper in zip(known, known[1:]))


def person_free_regions(box_xyxy: tuple[float, float, float, float], width: int, height: int,
                        margin_frac: float = 0.15, margin_px: float = 8.0) -> list[tuple[int, int, int, int]]:
    """Rectangles (x0, y0, x1, y1, end-exclusive) left of, right of and below the person box grown by
    max(margin_px, margin_frac × its longer side); the strip above is left out (sky, not floor)."""
    x0, y0, x1, y1 = box_xyxy
    margin = max(margin_px, margin_frac * max(x1 - x0, y1 - y0))
    left, right = int(np.floor(x0 - margin)), int(np.ceil(x1 + margin)) + 1
    below = int(np.ceil(y1 + margin)) + 1
    regions = [(0, 0, left, height), (right, 0, width, height), (0, below, width, height)]
    return [(a, b, c, d) for a, b, c, d in regions if c - a > 0 and d - b > 0]


# ---------------------------------------------------------------- choosing the sources

@dataclass(frozen=True)
class Plate:
    png: str
    clip: str
    ground_frac: float | None  # floor line of the scene, fraction of the height (None: unknown)


@dataclass(frozen=True)
class BackgroundSources:
    """Everything a worker needs to draw backdrops (picklable)."""

    plate_scenes: tuple[tuple[Plate, ...], ...]  # plates grouped by scene (near-identical plates together)
    lsp: tuple[LspImage, ...]
    plate_share: float = 0.4  # chance of a plate when both kinds are present
    min_side_px: int = 64  # smallest usable LSP crop side (6× enlarged at 384 px)


@dataclass
class SourceReport:
    plates: list[PlateResult]
    lsp_images: int = 0
    scenes: int = 0
    held_out: list[str] = field(default_factory=list)

    def summary(self) -> str:
        used = [p for p in self.plates if p.plate]
        lines = [f"backgrounds: {len(used)} plates from walking clips ({self.scenes} scenes), {self.lsp_images} LSP images; "
                 f"{len(self.held_out)} validation sources left out"]
        lines += [f"  skipped {Path(p.source).name}: {p.reason}" for p in self.plates if not p.plate]
        return "\n".join(lines)


def collect_sources(paths: list[str | Path], held_out: HeldOut, plates_dir: Path) -> tuple[BackgroundSources, SourceReport]:
    """Walking clips (files, or found under folders) → plates; folders with joints.mat and images/ →
    LSP images. Validation clips and images are dropped here, before anything is read."""
    clips: list[Path] = []
    lsp_folders: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise GaitposeError(f"{path}: background source not found")
        if path.is_file():
            if path.suffix.lower() not in VIDEO_SUFFIXES:
                raise GaitposeError(f"{path}: not a walking clip ({', '.join(VIDEO_SUFFIXES)}) or an LSP folder")
            clips.append(path)
            continue
        found_lsp = sorted(m.parent for m in path.rglob("joints.mat") if (m.parent / "images").is_dir())
        found_clips = sorted(p for p in path.rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES and p.is_file())
        if not found_lsp and not found_clips:
            raise GaitposeError(f"{path}: no walking clips ({', '.join(VIDEO_SUFFIXES)}) and no LSP folder "
                                f"(joints.mat with images/) found")
        lsp_folders += found_lsp
        clips += found_clips
    report = SourceReport(plates=[])
    lsp: list[LspImage] = []
    for folder in dict.fromkeys(lsp_folders):
        images, skipped = lsp_images(folder, held_out)
        lsp += images
        report.held_out += [f"{folder}: {skipped} images"] if skipped else []
    for clip in dict.fromkeys(clips):
        if held_out.clip_held_out(clip):
            report.held_out.append(str(clip))
            continue
        report.plates.append(extract_plate(clip, plates_dir))
    report.lsp_images = len(lsp)
    plates = [p for p in report.plates if p.plate]
    if not plates and not lsp:
        raise GaitposeError(f"{', '.join(map(str, paths))}: no usable background (every clip held out or with a "
                            f"moving camera, no LSP training image)")
    sources = BackgroundSources(group_scenes(plates), tuple(lsp))
    report.scenes = len(sources.plate_scenes)
    return sources, report


def group_scenes(plates: list[PlateResult], max_difference: float = 12.0) -> tuple[tuple[Plate, ...], ...]:
    """Plates of one scene (several clips filmed from one tripod) grouped, so that each scene, not
    each clip, is drawn equally often: same size and 32×32 thumbnails within `max_difference` (0–255).
    A plate without a floor line (nobody walked) takes its scene's median."""
    scenes: list[tuple[np.ndarray, tuple[int, ...], list[PlateResult]]] = []
    for plate in plates:
        image = _read(plate.plate)
        thumb = cv2.resize(image, (32, 32), interpolation=cv2.INTER_AREA).astype(np.float32)
        for first, shape, members in scenes:
            if shape == image.shape and float(np.mean(np.abs(first - thumb))) <= max_difference:
                members.append(plate)
                break
        else:
            scenes.append((thumb, image.shape, [plate]))
    out = []
    for _, _, members in scenes:
        known = [m.ground_frac for m in members if m.ground_frac is not None]
        fallback = float(np.median(known)) if known else None
        out.append(tuple(Plate(m.plate, m.source, m.ground_frac if m.ground_frac is not None else fallback)
                         for m in members))
    return tuple(out)


# ---------------------------------------------------------------- one backdrop per frame

def crop_square(image_hxwx3: np.ndarray, region: tuple[int, int, int, int], rng: np.random.Generator,
                ground_row: float | None = None, frame_ground_frac: float | None = None,
                min_fraction: float = 0.55) -> np.ndarray:
    """A random square inside `region` (x0, y0, x1, y1), its side min_fraction–1 × the largest that fits.

    With `ground_row` (the source's floor line, in its pixels) and `frame_ground_frac` (where the
    synthetic walker's feet are, a fraction of the frame height) the square is placed so that the one
    falls on the other, shrunk if it must be to fit; without them its bottom lies in the region's lowest
    tenth (the floor of a side-view scene is at the bottom).
    """
    x0, y0, x1, y1 = region
    largest = min(x1 - x0, y1 - y0)
    aligned = ground_row is not None and frame_ground_frac is not None and y0 < ground_row < y1
    if aligned:
        f = float(np.clip(frame_ground_frac, 0.05, 0.95))
        largest = min(largest, (ground_row - y0) / f, (y1 - ground_row) / (1 - f))
    side = max(1, int(round(largest * rng.uniform(min_fraction, 1.0))))
    left = x0 + int(rng.integers(0, x1 - x0 - side + 1))
    if aligned:
        top = int(np.clip(round(ground_row - f * side), y0, y1 - side))
    else:
        top = y1 - side - int(rng.integers(0, min(y1 - y0 - side, (y1 - y0) // 10) + 1))
    return image_hxwx3[top:top + side, left:left + side]


def sample_backdrop(sources: BackgroundSources, rng: np.random.Generator, size_px: int,
                    feet_frac: float | None = None, look: BackdropLook = BackdropLook()) -> Backdrop:
    """A random crop of a random source, mirrored half the time, scaled to size × size, with a random look.

    `feet_frac`: the synthetic walker's lowest ankle row / frame height; the crop puts the source's
    floor line there (a plate's: where its walker's feet were; an LSP image's: its person's lowest joint).
    """
    use_plate = bool(sources.plate_scenes) and (not sources.lsp or rng.random() < sources.plate_share)
    for _ in range(100):
        if use_plate:
            scene = sources.plate_scenes[int(rng.integers(len(sources.plate_scenes)))]
            plate = scene[int(rng.integers(len(scene)))]
            source, image = plate.clip, _read(plate.png)
            h, w = image.shape[:2]
            ground = None if plate.ground_frac is None else plate.ground_frac * h
            crop = crop_square(image, (0, 0, w, h), rng, ground, feet_frac)
        else:
            entry = sources.lsp[int(rng.integers(len(sources.lsp)))]
            source, image = entry.path, _read(entry.path)
            h, w = image.shape[:2]
            regions = [r for r in person_free_regions(entry.person_box_xyxy, w, h)
                       if min(r[2] - r[0], r[3] - r[1]) >= sources.min_side_px]
            if not regions:
                continue
            areas = np.array([(r[2] - r[0]) * (r[3] - r[1]) for r in regions], float)
            region = regions[int(rng.choice(len(regions), p=areas / areas.sum()))]
            crop = crop_square(image, region, rng, entry.person_box_xyxy[3], feet_frac)
            if min(crop.shape[:2]) < sources.min_side_px:
                continue
        if rng.random() < 0.5:
            crop = crop[:, ::-1]
        interpolation = cv2.INTER_AREA if crop.shape[0] > size_px else cv2.INTER_LINEAR
        photo = cv2.resize(np.ascontiguousarray(crop), (size_px, size_px), interpolation=interpolation)
        return backdrop_from_photo(photo, rng, look, source)
    raise GaitposeError("no LSP image has a person-free region of at least "
                        f"{sources.min_side_px} px; add walking clips or larger images")


def _read(path: str) -> np.ndarray:
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise GaitposeError(f"{path}: cannot read image")
    return image
