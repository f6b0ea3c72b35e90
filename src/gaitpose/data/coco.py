"""Our COCO-keypoints dataset format (SPEC §9): read with validation, write atomically.

One annotation is one sample: 8 joints (skeleton order) as [x, y, v] in original-image pixels,
v = 0 not labelled, 1 labelled but occluded, 2 visible. An annotation may carry `keypoint_weights`
(8 numbers in [0, 1]: how much each joint's label counts in training, e.g. a teacher model's
confidence; absent = 1 for every labelled joint) and `feet` (the heels and toe tips, issue 13:
{"left_heel": [x, y, v], …} with v = 0 not labelled, 1 or 2 as for the joints, or a visibility strictly
between 0 and 1 — the teacher's — that is then also the point's training weight). An image may carry `depth_file` (16-bit
PNG, millimetres, 0 = no reading, same size as the RGB) and `subject` (for subject-wise splits).
Paths in the JSON are relative to the JSON's folder (absolute paths are kept as they are).
"""
from __future__ import annotations

import json
import os
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_json_atomic
from gaitpose.skeleton import FOOT_POINTS, JOINTS, NUM_JOINTS, SIDE_JOINTS, SIDES, Skeleton, coco_category


@dataclass(frozen=True)
class Sample:
    """One person in one image; keypoints_8x3 in original-image pixels."""

    image_path: Path
    width: int
    height: int
    keypoints_8x3: np.ndarray
    image_id: int = 0
    depth_path: Path | None = None
    subject: str | None = None
    keypoint_weights: np.ndarray | None = None     # 8 training weights in [0, 1]; None = all 1
    feet_4x3: np.ndarray | None = None             # heels and toe tips (skeleton.FOOT_POINTS) [x, y, v], if labelled


def joint_weights(sample: Sample) -> np.ndarray:
    """8 training weights of a sample: its keypoint_weights (or 1), 0 where a joint is unlabelled."""
    w = np.ones(NUM_JOINTS) if sample.keypoint_weights is None else np.asarray(sample.keypoint_weights, float)
    return np.where(sample.keypoints_8x3[:, 2] > 0, w, 0.0)


MIN_FOOT_VISIBILITY = 0.5      # a teacher's foot point below this is left out (its joints' rule, teach.py)
MAX_FOOT_SHANKS = 0.8          # a heel or toe farther than this many shank lengths from its ankle is left out


def foot_labels(sample: Sample) -> tuple[np.ndarray, np.ndarray]:
    """The sample's heels and toe tips as training labels → (4×3 [x, y, v] with v in {0, 1, 2}, 4 weights).

    Missing `feet` → all unlabelled, weight 0 (so the feet's channels learn nothing from the sample, neither
    where a foot is nor that there is none). A point counts only with the ankle of its side labelled, within
    MAX_FOOT_SHANKS shank lengths of that ankle (when the knee is labelled too: a heel lies about 0.25 and a
    toe about 0.5 shank from the ankle, so a foot on the other leg's ankle — a teacher's left/right mix-up — is
    dropped) and, for a fractional visibility (the teacher's), at MIN_FOOT_VISIBILITY or more, weighted by it.
    """
    labels, weights = np.zeros((len(FOOT_POINTS), 3)), np.zeros(len(FOOT_POINTS))
    if sample.feet_4x3 is None:
        return labels, weights
    feet = np.asarray(sample.feet_4x3, dtype=np.float64)
    kps = sample.keypoints_8x3
    for k, name in enumerate(FOOT_POINTS):
        side = next(s for s in SIDES if name.startswith(f"{s}_"))
        x, y, v = feet[k]
        ankle, knee = kps[SIDE_JOINTS[side]["ankle"]], kps[SIDE_JOINTS[side]["knee"]]
        if v <= 0 or ankle[2] <= 0 or (0 < v < 1 and v < MIN_FOOT_VISIBILITY):
            continue
        if knee[2] > 0 and np.hypot(x - ankle[0], y - ankle[1]) > MAX_FOOT_SHANKS * np.hypot(*(knee[:2] - ankle[:2])):
            continue
        labels[k] = (x, y, 1 if v == 1 else 2)
        weights[k] = v if v < 1 else 1.0
    return labels, weights


def training_points(sample: Sample, skeleton: Skeleton) -> tuple[np.ndarray, np.ndarray]:
    """→ (K×3 [x, y, v] in original pixels, K training weights) for a network predicting `skeleton`'s
    K points: the 8 joints (`joint_weights`), then with the feet their `foot_labels`."""
    kps, weights = sample.keypoints_8x3.copy(), joint_weights(sample)
    if skeleton.num_joints == NUM_JOINTS:
        return kps, weights
    feet, foot_w = foot_labels(sample)
    return np.concatenate([kps, feet]), np.concatenate([weights, foot_w])


def load_coco_keypoints(path: str | os.PathLike, *, check_files: bool = True) -> list[Sample]:
    """Read and validate a dataset JSON → samples (one per annotation).

    With `check_files`, every image must exist and every depth file must be a 16-bit PNG of the
    image's size (read from the PNG header, so this is cheap). Errors are one-line GaitposeErrors.
    """
    path = Path(path)
    if not path.is_file():
        raise GaitposeError(f"{path}: file not found")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GaitposeError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict):
        raise GaitposeError(f"{path}: expected a COCO object with 'images' and 'annotations'")
    for key in ("images", "annotations"):
        if not isinstance(data.get(key), list):
            raise GaitposeError(f"{path}: no '{key}' list (expected COCO keypoints with 'images' and 'annotations')")
    if not data["annotations"]:
        raise GaitposeError(f"{path}: 'annotations' is empty")
    _check_category(path, data.get("categories"))

    root = path.parent
    images: dict[int, dict] = {}
    for im in data["images"]:
        try:
            images[int(im["id"])] = im
        except (KeyError, TypeError, ValueError):
            raise GaitposeError(f"{path}: an image entry has no integer 'id': {str(im)[:80]}") from None

    samples = []
    for ann in data["annotations"]:
        ann_id = ann.get("id", "?")
        if "keypoints" not in ann:
            raise GaitposeError(f"{path}: annotation {ann_id} has no 'keypoints'")
        kps = ann["keypoints"]
        if not isinstance(kps, list) or len(kps) != 3 * NUM_JOINTS:
            n = len(kps) if isinstance(kps, list) else type(kps).__name__
            raise GaitposeError(f"{path}: annotation {ann_id}: 'keypoints' has {n} values, expected "
                                f"{3 * NUM_JOINTS} ({NUM_JOINTS} joints × [x, y, v]); standard 17-keypoint "
                                f"COCO files need `gaitpose import coco` first")
        im = images.get(_int(ann.get("image_id"), -1))
        if im is None:
            raise GaitposeError(f"{path}: annotation {ann_id}: image_id {ann.get('image_id')} is not in 'images'")
        samples.append(_sample(path, root, im, np.asarray(kps, dtype=np.float64).reshape(NUM_JOINTS, 3),
                               check_files, _keypoint_weights(path, ann_id, ann.get("keypoint_weights")),
                               _feet(path, ann_id, ann.get("feet"))))
    return samples


def _feet(path: Path, ann_id: Any, raw: Any) -> np.ndarray | None:
    """An annotation's optional `feet`: {name: [x, y, v]} for the FOOT_POINTS → 4×3 (absent names: v = 0)."""
    if raw is None:
        return None
    where = f"{path}: annotation {ann_id}: 'feet'"
    if not isinstance(raw, dict) or set(raw) - set(FOOT_POINTS):
        raise GaitposeError(f"{where} must map {', '.join(FOOT_POINTS)} to [x, y, v], got {str(raw)[:60]}")
    feet = np.zeros((len(FOOT_POINTS), 3))
    for k, name in enumerate(FOOT_POINTS):
        try:
            point = np.asarray(raw.get(name, [0, 0, 0]), dtype=np.float64)
        except (TypeError, ValueError):
            point = np.zeros(0)
        if point.shape != (3,) or not np.isfinite(point).all() or not 0 <= point[2] <= 2:
            raise GaitposeError(f"{where}: {name} must be [x, y, v] with v in [0, 2], got {str(raw.get(name))[:40]}")
        feet[k] = point
    return feet


def _keypoint_weights(path: Path, ann_id: Any, raw: Any) -> np.ndarray | None:
    """An annotation's optional `keypoint_weights`: 8 finite numbers in [0, 1]."""
    if raw is None:
        return None
    try:
        weights = np.asarray(raw, dtype=np.float64)
    except (TypeError, ValueError):
        weights = np.zeros(0)
    if weights.shape != (NUM_JOINTS,) or not np.isfinite(weights).all() or (weights < 0).any() or (weights > 1).any():
        raise GaitposeError(f"{path}: annotation {ann_id}: 'keypoint_weights' must be {NUM_JOINTS} numbers "
                            f"in [0, 1], got {str(raw)[:60]}")
    return weights


def _int(value: Any, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _check_category(path: Path, categories: Any) -> None:
    """If categories are given, the keypoint names must be our 8 joints in skeleton order."""
    if not categories:
        return
    names = categories[0].get("keypoints")
    if names is not None and list(names) != list(JOINTS):
        raise GaitposeError(f"{path}: category keypoints are {len(names)} names ({', '.join(names[:3])}, ...), "
                            f"expected the 8 joints {', '.join(JOINTS)}")


def _sample(path: Path, root: Path, im: dict, kps: np.ndarray, check_files: bool,
            keypoint_weights: np.ndarray | None = None, feet_4x3: np.ndarray | None = None) -> Sample:
    name = im.get("file_name")
    if not name:
        raise GaitposeError(f"{path}: image {im['id']} has no 'file_name'")
    image_path = root / name
    try:
        width, height = int(im["width"]), int(im["height"])
    except (KeyError, TypeError, ValueError):
        raise GaitposeError(f"{path}: image {name} needs integer 'width' and 'height'") from None
    if not np.isfinite(kps).all() or not np.isin(kps[:, 2], (0, 1, 2)).all():
        raise GaitposeError(f"{path}: image {name}: keypoints must be finite with visibility 0, 1 or 2")
    depth_path = root / im["depth_file"] if im.get("depth_file") else None
    if check_files:
        if not image_path.is_file():
            raise GaitposeError(f"{path}: image file not found: {image_path}")
        if depth_path is not None:
            check_depth_png(depth_path, width, height)
    subject = im.get("subject")
    return Sample(image_path=image_path, width=width, height=height, keypoints_8x3=kps,
                  image_id=int(im["id"]), depth_path=depth_path,
                  subject=None if subject is None else str(subject), keypoint_weights=keypoint_weights,
                  feet_4x3=feet_4x3)


def check_depth_png(depth_path: Path, width: int, height: int) -> None:
    """A depth file must be a 16-bit grayscale PNG of the RGB image's size (checked from its header)."""
    if not depth_path.is_file():
        raise GaitposeError(f"depth file not found: {depth_path}")
    with open(depth_path, "rb") as f:
        head = f.read(26)
    if len(head) < 26 or head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
        raise GaitposeError(f"{depth_path}: not a PNG (depth must be a 16-bit PNG in millimetres)")
    w, h = struct.unpack(">II", head[16:24])
    bit_depth, colour_type = head[24], head[25]
    if (w, h) != (width, height):
        raise GaitposeError(f"{depth_path}: depth is {w}×{h}, expected {width}×{height} (the size of its RGB image)")
    if bit_depth != 16 or colour_type != 0:
        raise GaitposeError(f"{depth_path}: depth must be a 16-bit single-channel PNG in millimetres "
                            f"(got bit depth {bit_depth}, colour type {colour_type})")


def write_coco_keypoints(path: str | os.PathLike, samples: Sequence[Sample], *,
                         description: str = "", annotation_extras: Sequence[dict[str, Any]] | None = None) -> None:
    """Write samples as our COCO-keypoints JSON (atomically), paths relative to the JSON's folder.

    Samples that share an image path share one image entry (and its id). `annotation_extras`, one dict
    per sample, adds keys to its annotation (the teacher's `keypoint_weights` and `feet`).
    """
    path = Path(path)
    root = path.parent.resolve()
    images: list[dict] = []
    image_ids: dict[Path, int] = {}
    annotations = []
    for sample in samples:
        key = sample.image_path.resolve()
        if key not in image_ids:
            image_ids[key] = len(image_ids) + 1
            entry: dict[str, Any] = {"id": image_ids[key], "file_name": _relative(sample.image_path, root),
                                     "width": int(sample.width), "height": int(sample.height)}
            if sample.depth_path is not None:
                entry["depth_file"] = _relative(sample.depth_path, root)
            if sample.subject is not None:
                entry["subject"] = sample.subject
            images.append(entry)
        ann = _annotation(len(annotations) + 1, image_ids[key], sample.keypoints_8x3)
        if sample.keypoint_weights is not None:
            ann["keypoint_weights"] = [round(float(w), 4) for w in sample.keypoint_weights]
        if sample.feet_4x3 is not None:        # the same {"left_heel": [x, y, v], …} as the teacher's `feet`
            ann["feet"] = {p: [round(float(x), 3), round(float(y), 3), int(v) if v == int(v) else round(float(v), 4)]
                           for p, (x, y, v) in zip(FOOT_POINTS, np.asarray(sample.feet_4x3, float))}
        if annotation_extras is not None:
            ann.update(annotation_extras[len(annotations)])
        annotations.append(ann)
    write_json_atomic(path, {
        "info": {"description": description or "gaitpose keypoints dataset", "keypoints": list(JOINTS)},
        "images": images,
        "annotations": annotations,
        "categories": [coco_category()],
    })


def _relative(file: Path, root: Path) -> str:
    return Path(os.path.relpath(Path(file).resolve(), root)).as_posix()


def _annotation(ann_id: int, image_id: int, kps_8x3: np.ndarray) -> dict:
    """COCO annotation: unlabelled joints written as 0, 0, 0; bbox around the labelled joints."""
    kps = np.asarray(kps_8x3, dtype=np.float64).copy()
    kps[kps[:, 2] == 0] = 0.0
    labelled = kps[kps[:, 2] > 0, :2]
    if len(labelled):
        x0, y0 = labelled.min(axis=0)
        x1, y1 = labelled.max(axis=0)
        bbox = [float(x0), float(y0), float(x1 - x0), float(y1 - y0)]
    else:
        bbox = [0.0, 0.0, 0.0, 0.0]
    flat = [round(float(v), 3) for v in kps.reshape(-1)]
    flat[2::3] = [int(v) for v in kps[:, 2]]
    return {"id": ann_id, "image_id": image_id, "category_id": 1, "iscrowd": 0,
            "num_keypoints": int(len(labelled)), "keypoints": flat,
            "bbox": bbox, "area": bbox[2] * bbox[3]}
