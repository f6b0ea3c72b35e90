"""Keypoint tracks from other tools → T×8×3 pixels: our keypoints.csv, OpenPose JSON folders, .trc files."""
from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.formats import ANGLE_COLUMNS, read_keypoints_csv
from gaitpose.skeleton import FOOT_POINTS, JOINTS

# OpenPose keypoint indices of our 8 joints: BODY_25 and COCO-18 share these (OpenPose output docs).
OPENPOSE_INDEX = {"left_shoulder": 5, "right_shoulder": 2, "left_hip": 12, "right_hip": 9,
                  "left_knee": 13, "right_knee": 10, "left_ankle": 14, "right_ankle": 11}
OPENPOSE_COCO18_INDEX = {"left_shoulder": 5, "right_shoulder": 2, "left_hip": 11, "right_hip": 8,
                         "left_knee": 12, "right_knee": 9, "left_ankle": 13, "right_ankle": 10}
# Marker names used by Pose2Sim / Sports2D .trc files (HALPE/COCO/BODY_25 models), per joint.
TRC_NAMES = {j: (j, "".join(w.capitalize() for w in j.split("_")),
                 ("L" if j.startswith("left") else "R") + j.split("_")[1].capitalize()) for j in JOINTS}
# Foot markers (optional): ours, and Halpe-26's heel and big toe (Pose2Sim / Sports2D).
TRC_FOOT_NAMES = {p: (p, "".join(w.capitalize() for w in p.split("_")),
                      ("L" if p.startswith("left") else "R") + ("Heel" if p.endswith("heel") else "BigToe"))
                  for p in FOOT_POINTS}


def _trc_columns(names: list[str], options_by_point: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column of each point's X in a .trc row: the first of its marker names the file has."""
    col = {}
    for point, options in options_by_point.items():
        for name in options:
            if name in names:
                col[point] = 2 + 3 * names.index(name)
                break
    return col


def read_openpose_folder(folder: Path) -> np.ndarray:
    """One `*_keypoints.json` per frame (sorted by name); the first person of each → T×8×3."""
    files = sorted(folder.glob("*.json"))
    if not files:
        raise GaitposeError(f"{folder}: no OpenPose *.json files")
    kp = np.full((len(files), len(JOINTS), 3), np.nan)
    for t, f in enumerate(files):
        try:
            people = json.loads(f.read_text()).get("people", [])
        except (json.JSONDecodeError, OSError) as exc:
            raise GaitposeError(f"{f}: not readable OpenPose JSON ({exc})") from None
        if not people:
            continue
        values = np.asarray(people[0].get("pose_keypoints_2d", []), float)
        if values.size % 3:
            raise GaitposeError(f"{f}: pose_keypoints_2d has {values.size} numbers, not a whole number of (x, y, c)")
        flat = values.reshape(-1, 3)
        index = OPENPOSE_INDEX if len(flat) >= 25 else OPENPOSE_COCO18_INDEX
        if len(flat) < 14:
            raise GaitposeError(f"{f}: pose_keypoints_2d has {len(flat)} points, expected BODY_25 or COCO-18")
        for k, j in enumerate(JOINTS):
            x, y, c = flat[index[j]]
            if c > 0:
                kp[t, k] = (x, y, c)
    return kp


def read_trc(path: Path) -> tuple[np.ndarray, float]:
    """A .trc marker file → (T×8×3 with X, −Y as image-like coordinates, score 1; its DataRate)."""
    lines = path.read_text().splitlines()
    if len(lines) < 6:
        raise GaitposeError(f"{path}: too short for a .trc file")
    meta = dict(zip(lines[1].split("\t"), lines[2].split("\t")))
    try:
        fps = float(meta.get("DataRate", "nan"))
    except ValueError:                                   # no usable rate: the caller asks for --fps
        fps = math.nan
    names = [n.strip() for n in lines[3].split("\t")[2::3]]
    col = _trc_columns(names, TRC_NAMES)
    missing = [j for j in JOINTS if j not in col]
    if missing:
        raise GaitposeError(f"{path}: markers for {', '.join(missing)} not found (have: {', '.join(n for n in names if n)})")
    rows = [ln.split("\t") for ln in lines[5:] if ln.strip()]
    kp = np.full((len(rows), len(JOINTS), 3), np.nan)
    for t, r in enumerate(rows):
        for k, j in enumerate(JOINTS):
            try:
                x, y = float(r[col[j]]), float(r[col[j] + 1])
            except (ValueError, IndexError):
                continue
            kp[t, k] = (x, -y, 1.0)  # Y up → image-like y down
    return kp, fps


def _feet_found(path: Path, present: list[str]) -> str:
    """'' when all four foot points or none are there; else the one-line note why the feet are not used."""
    if not present or len(present) == len(FOOT_POINTS):
        return ""
    missing = [p for p in FOOT_POINTS if p not in present]
    return (f"{path.name}: foot points {', '.join(missing)} missing (have {', '.join(present)}): heel strike and "
            "toe off come from the ankles")


def read_feet(path: str | Path) -> tuple[np.ndarray | None, str]:
    """The optional heel and toe tracks of a keypoints.csv (`left_heel_x`, …) or a .trc file (`LHeel`,
    `LBigToe`, …) → (T×4×3 pixels in skeleton.FOOT_POINTS order, or None, and a note when some but not
    all four were there). An OpenPose folder has none here."""
    path = Path(path)
    if path.is_dir() or not path.is_file():
        return None, ""
    if path.suffix.lower() == ".trc":
        lines = path.read_text().splitlines()
        names = [n.strip() for n in lines[3].split("\t")[2::3]] if len(lines) > 3 else []
        col = _trc_columns(names, TRC_FOOT_NAMES)
        note = _feet_found(path, list(col))
        if note or not col:
            return None, note
        rows = [ln.split("\t") for ln in lines[5:] if ln.strip()]
        feet = np.full((len(rows), len(FOOT_POINTS), 3), np.nan)
        for t, r in enumerate(rows):
            for k, p in enumerate(FOOT_POINTS):
                try:
                    feet[t, k] = (float(r[col[p]]), -float(r[col[p] + 1]), 1.0)
                except (ValueError, IndexError):
                    continue
        return feet, ""
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        present = [p for p in FOOT_POINTS if f"{p}_x" in header and f"{p}_y" in header]
        note = _feet_found(path, present)
        if note or not present:
            return None, note
        rows = list(reader)
    feet = np.full((len(rows), len(FOOT_POINTS), 3), np.nan)
    for t, row in enumerate(rows):
        for k, p in enumerate(FOOT_POINTS):
            try:
                x, y = float(row.get(f"{p}_x") or "nan"), float(row.get(f"{p}_y") or "nan")
                score = float(row.get(f"{p}_score") or 1.0)
            except ValueError:
                raise GaitposeError(f"{path}: columns of {p}: not a number in row {t + 1}") from None
            if math.isfinite(x) and math.isfinite(y):
                feet[t, k] = (x, y, score)
    return feet, ""


def read_tracks(path: str | Path) -> tuple[np.ndarray, np.ndarray, float | None]:
    """Any supported input → (frames T, keypoints T×8×3, fps from the file or None)."""
    frames, kp, fps, _ = read_tracks_timed(path)
    return frames, kp, fps


def read_tracks_timed(path: str | Path) -> tuple[np.ndarray, np.ndarray, float | None, np.ndarray | None]:
    """`read_tracks` and the frames' own times (a keypoints CSV's time_s column, T with NaN where
    empty; None for other inputs or a CSV without times)."""
    path = Path(path)
    if path.is_dir():
        kp = read_openpose_folder(path)
        return np.arange(len(kp)), kp, None, None
    if not path.exists():
        raise GaitposeError(f"{path}: file not found")
    if path.suffix.lower() == ".trc":
        kp, fps = read_trc(path)
        return np.arange(len(kp)), kp, fps if math.isfinite(fps) and fps > 0 else None, None
    frames, times, kp = read_keypoints_csv(path)
    fps = None
    ok = np.isfinite(times)
    if ok.sum() >= 2:
        dt = np.median(np.diff(times[ok]) / np.diff(frames[ok]))
        fps = 1.0 / dt if dt > 0 else None
    return frames, kp, fps, (times if ok.any() else None)


def read_angles_csv(path: str | Path) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """angles.csv (SPEC §9) → ({column: series}, time_s). Only the angle columns present are returned."""
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: file not found")
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        cols = [c for c in ANGLE_COLUMNS[2:] if c in header]
        if not cols:
            raise GaitposeError(f"{path}: no angle columns (expected some of {', '.join(ANGLE_COLUMNS[2:])})")
        rows = list(reader)
    def num(v: str | None) -> float:
        try:
            return float(v) if v not in (None, "") else math.nan
        except ValueError:
            raise GaitposeError(f"{path}: not a number: {v!r}") from None
    series = {c: np.array([num(r.get(c)) for r in rows]) for c in cols}
    time_s = np.array([num(r.get("time_s")) for r in rows]) if "time_s" in header else np.full(len(rows), np.nan)
    return series, time_s
