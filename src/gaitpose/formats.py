"""The public file contract of SPEC §9: column names, and atomic writers/readers.

Both the gait analysis (measured) and the synthetic engine (ground truth) write these files, so
`gaitpose compare` and the tests can put one beside the other. Every write is atomic: the file
appears complete or not at all.
"""
from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.skeleton import FOOT_POINTS, JOINTS

KEYPOINT_COLUMNS: tuple[str, ...] = ("frame", "time_s") + tuple(
    f"{joint}_{field}" for joint in JOINTS for field in ("x", "y", "score")
)
ANGLE_COLUMNS: tuple[str, ...] = (
    "frame", "time_s",
    "left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg",
    "left_hip_trunk_deg", "right_hip_trunk_deg",
    "left_thigh_deg", "right_thigh_deg", "left_shank_deg", "right_shank_deg",
)
EVENT_COLUMNS: tuple[str, ...] = ("side", "event", "frame", "time_s")
STRIDE_COLUMNS: tuple[str, ...] = (
    "side", "start_frame", "end_frame", "stride_time_s", "stance_time_s",
    "swing_time_s", "stance_pct", "step_length_m", "stride_length_m", "speed_m_s",
)
# passes.csv: per pass, then the pooled row ("all"): each number as the mean of both sides, its SD over the
# strides and the left and right means (summary.json's {"mean", "sd", "left", "right"}).
PASS_NUMBERS: tuple[tuple[str, str, str], ...] = (   # (summary key, column stem, unit)
    ("gait_cycle_s", "gait_cycle", "s"), ("stance_time_s", "stance_time", "s"), ("swing_time_s", "swing_time", "s"),
    ("stance_pct", "stance", "pct"), ("double_support_s", "double_support", "s"),
    ("step_length_m", "step_length", "m"), ("stride_length_m", "stride_length", "m"),
)
PASS_COLUMNS: tuple[str, ...] = (
    "pass", "status", "reason", "start_frame", "end_frame", "start_s", "end_s", "direction", "mode",
    "travel_leg_lengths", "few_strides", "n_strides_left", "n_strides_right", "cadence_steps_per_min", "speed_m_s",
    "phase_symmetry_index",
) + tuple(f"{stem}{part}_{unit}" for _, stem, unit in PASS_NUMBERS for part in ("", "_sd", "_left", "_right")) + (
    "hip_rom_left_deg", "hip_rom_right_deg", "knee_rom_left_deg", "knee_rom_right_deg",
)
EVENT_NAMES: tuple[str, ...] = ("heel_strike", "toe_off")


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "wb") -> Iterator[IO]:
    """An open temporary file in `path`'s folder, renamed to `path` when the block ends without an
    error and removed otherwise: the file appears complete or not at all. Writing through it streams,
    so a long recording's rows are never all held in memory (issue 16: memory flat in the length)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        text = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
        with os.fdopen(fd, mode, **text) as f:
            yield f
        os.chmod(tmp, 0o644)                      # mkstemp creates 0600
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_bytes_atomic(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder and an atomic rename."""
    with atomic_file(path) as f:
        f.write(data)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_lines_atomic(path: str | os.PathLike, lines: Iterable[str]) -> None:
    """Write text lines (each ending in its own newline) one by one, atomically."""
    with atomic_file(path, "w") as f:
        for line in lines:
            f.write(line)


def _cell(value: Any) -> str:
    """CSV cell: empty for None/NaN, compact repr for floats."""
    if value is None:
        return ""
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(float(value)):
            return ""
        return f"{float(value):.10g}"
    return str(value)


def write_csv_atomic(path: str | os.PathLike, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write a CSV with a header; NaN/None become empty cells."""
    with atomic_file(path, "w") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            if len(row) != len(columns):
                raise ValueError(f"row has {len(row)} cells, header has {len(columns)}")
            writer.writerow([_cell(v) for v in row])


def _json_default(obj: Any) -> Any:
    if isinstance(obj, np.generic):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    raise TypeError(f"not JSON serialisable: {type(obj).__name__}")


def _nan_to_none(obj: Any) -> Any:
    if isinstance(obj, Mapping):
        return {k: _nan_to_none(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_nan_to_none(v) for v in obj]
    if isinstance(obj, (float, np.floating)) and not math.isfinite(float(obj)):
        return None
    return obj


def write_json_atomic(path: str | os.PathLike, obj: Any) -> None:
    """Write JSON (NaN written as null, numpy types converted)."""
    write_text_atomic(path, json.dumps(_nan_to_none(obj), indent=2, default=_json_default) + "\n")


def write_keypoints_csv(path: str | os.PathLike, keypoints_tx8x3: np.ndarray, fps: float,
                        frames: Sequence[int] | None = None, feet_tx4x3: np.ndarray | None = None,
                        times_s: np.ndarray | None = None) -> None:
    """keypoints.csv: T×8×3 [x, y, score] in original-frame pixels; NaN x/y → empty cells. With
    `feet_tx4x3` (skeleton.FOOT_POINTS) their `left_heel_x, …` columns follow the joints'. time_s is
    frame / fps, or the frames' own time stamps (`times_s`, a variable-rate video) where given."""
    kp = np.asarray(keypoints_tx8x3, dtype=float)
    if kp.ndim != 3 or kp.shape[1:] != (len(JOINTS), 3):
        raise ValueError(f"keypoints must be T×{len(JOINTS)}×3, got {kp.shape}")
    columns = KEYPOINT_COLUMNS
    if feet_tx4x3 is not None:
        feet = np.asarray(feet_tx4x3, dtype=float)
        if feet.shape != (len(kp), len(FOOT_POINTS), 3):
            raise ValueError(f"foot points must be T×{len(FOOT_POINTS)}×3 with T = {len(kp)}, got {feet.shape}")
        kp = np.concatenate([kp, feet], axis=1)
        columns = KEYPOINT_COLUMNS + tuple(f"{p}_{c}" for p in FOOT_POINTS for c in ("x", "y", "score"))
    frames = list(range(len(kp))) if frames is None else list(frames)
    stamps = [f / fps for f in frames] if times_s is None else \
        [t if math.isfinite(t) else f / fps for f, t in zip(frames, np.asarray(times_s, float))]

    def rows() -> Iterator[list[Any]]:
        for frame, time_s, joints in zip(frames, stamps, kp):
            row: list[Any] = [int(frame), time_s]
            for x, y, s in joints:
                found = math.isfinite(x) and math.isfinite(y)
                row += [x, y, s] if found else [None, None, None]
            yield row
    write_csv_atomic(path, columns, rows())


def read_keypoints_csv(path: str | os.PathLike) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read keypoints.csv → (frames T, time_s T (NaN where absent), keypoints T×8×3, NaN where missing).

    A missing score column is read as score 1 for found joints.
    """
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: file not found")
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        header = reader.fieldnames or []
        missing = [f"{j}_{c}" for j in JOINTS for c in ("x", "y") if f"{j}_{c}" not in header]
        if missing:
            raise GaitposeError(f"{path}: missing columns {', '.join(missing)} (expected {','.join(KEYPOINT_COLUMNS)})")
        rows = list(reader)
    if not rows:
        raise GaitposeError(f"{path}: no rows")

    def num(row: dict, key: str, default: float = math.nan) -> float:
        value = (row.get(key) or "").strip()
        if value == "":
            return default
        try:
            return float(value)
        except ValueError:
            raise GaitposeError(f"{path}: column {key}: not a number: {value!r}") from None

    n = len(rows)
    kp = np.full((n, len(JOINTS), 3), np.nan)
    frames = np.arange(n)
    times = np.full(n, np.nan)
    for t, row in enumerate(rows):
        if "frame" in header:
            frames[t] = int(num(row, "frame", t))
        if "time_s" in header:
            times[t] = num(row, "time_s")
        for k, joint in enumerate(JOINTS):
            x, y = num(row, f"{joint}_x"), num(row, f"{joint}_y")
            if math.isfinite(x) and math.isfinite(y):
                kp[t, k] = (x, y, num(row, f"{joint}_score", 1.0))
    return frames, times, kp
