"""Importers: standard COCO 17-keypoint files and LSP `joints.mat` → our 8-joint COCO format.

The paper pre-trains on single-person COCO + LSP images. From COCO we keep one sufficiently
visible person per image (enough of our 8 joints labelled, tall enough, no comparably large person
overlapping it) and crop around that person with a margin; LSP images are already person-centred
and are copied as they are. Images listed in the annotations but absent from the folder are
skipped with one warning.
"""
from __future__ import annotations

import json
import os
import shutil
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import scipy.io

from gaitpose.data.coco import Sample, write_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.skeleton import JOINTS

# LSP joint order (README): r-ankle, r-knee, r-hip, l-hip, l-knee, l-ankle, r-wrist, r-elbow,
# r-shoulder, l-shoulder, l-elbow, l-wrist, neck, head top; left/right are the person's.
LSP_JOINTS: tuple[str, ...] = (
    "right_ankle", "right_knee", "right_hip", "left_hip", "left_knee", "left_ankle",
    "right_wrist", "right_elbow", "right_shoulder", "left_shoulder", "left_elbow", "left_wrist",
    "neck", "head_top",
)
LSP_TO_OURS: tuple[int, ...] = tuple(LSP_JOINTS.index(name) for name in JOINTS)


@dataclass(frozen=True)
class ImportParams:
    """Which people are kept and how they are cropped."""

    min_labelled_joints: int = 6        # of our 8 joints
    min_person_height_px: float = 96.0  # COCO bbox height; smaller people are too blurry to crop
    crop_margin: float = 0.25           # added on each side, as a fraction of the person box's size
    other_person_area_ratio: float = 0.5  # skip an image when another person this large overlaps the crop


@dataclass
class ImportReport:
    """What an importer did (counts for the CLI to print)."""

    out_json: Path
    listed: int = 0
    missing: list[str] = field(default_factory=list)
    written: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def reject(self, reason: str) -> None:
        self.rejected[reason] = self.rejected.get(reason, 0) + 1

    def summary(self) -> str:
        parts = [f"{self.written} of {self.listed} listed images written to {self.out_json}"]
        if self.missing:
            parts.append(f"{len(self.missing)} missing images skipped")
        parts += [f"{n} {reason}" for reason, n in sorted(self.rejected.items())]
        return "; ".join(parts + self.notes)


def _warn_missing(report: ImportReport, images_dir: Path) -> None:
    if report.missing:
        warnings.warn(f"{len(report.missing)} of {report.listed} images listed in the annotations are not in "
                      f"{images_dir} and were skipped (e.g. {report.missing[0]})", stacklevel=3)


# ---------------------------------------------------------------- COCO 17 keypoints

def import_coco(annotations_json: str | os.PathLike, images_dir: str | os.PathLike, out_dir: str | os.PathLike,
                params: ImportParams = ImportParams()) -> ImportReport:
    """Standard COCO person keypoints → OUT/annotations.json + OUT/images/<crop>.jpg, one person per image."""
    annotations_json, images_dir, out_dir = Path(annotations_json), Path(images_dir), Path(out_dir)
    data = _read_json(annotations_json)
    to_ours = _coco_joint_map(annotations_json, data)
    by_image: dict[int, list[dict]] = {}
    for ann in data["annotations"]:
        by_image.setdefault(int(ann["image_id"]), []).append(ann)

    report = ImportReport(out_json=out_dir / "annotations.json", listed=len(data["images"]))
    samples = []
    for im in data["images"]:
        src = images_dir / im["file_name"]
        if not src.is_file():
            report.missing.append(im["file_name"])
            continue
        chosen, reason = select_person(by_image.get(int(im["id"]), []), to_ours, params)
        if chosen is None:
            report.reject(reason)
            continue
        image = cv2.imread(str(src), cv2.IMREAD_COLOR)
        if image is None:
            raise GaitposeError(f"{src}: cannot read image")
        kps = _coco_to_ours(chosen["keypoints"], to_ours)
        x0, y0, x1, y1 = crop_box(chosen["bbox"], kps, image.shape[1], image.shape[0], params.crop_margin)
        if _other_person_overlaps(by_image[int(im["id"])], chosen, (x0, y0, x1, y1), params):
            report.reject("images with another large person in the crop")
            continue
        kps[kps[:, 2] > 0, :2] -= (x0, y0)
        dst = out_dir / "images" / f"{Path(im['file_name']).stem}_{chosen['id']}.jpg"
        _write_image(dst, image[y0:y1, x0:x1])
        samples.append(Sample(image_path=dst, width=x1 - x0, height=y1 - y0, keypoints_8x3=kps,
                              image_id=int(im["id"])))
    report.written = len(samples)
    _warn_missing(report, images_dir)
    if not samples:
        raise GaitposeError(f"{annotations_json}: no image in {images_dir} has a person that qualifies "
                            f"({report.summary()})")
    write_coco_keypoints(report.out_json, samples, description=f"imported from {annotations_json.name}")
    return report


def _read_json(path: Path) -> dict:
    if not path.is_file():
        raise GaitposeError(f"{path}: file not found")
    try:
        data = json.loads(path.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GaitposeError(f"{path}: not valid JSON ({exc})") from None
    for key in ("images", "annotations", "categories"):
        if not isinstance(data, dict) or not isinstance(data.get(key), list):
            raise GaitposeError(f"{path}: no '{key}' list (expected a COCO person-keypoints file)")
    return data


def _coco_joint_map(path: Path, data: dict) -> list[int]:
    """Index of each of our joints in the file's keypoint list (matched by COCO name)."""
    person = next((c for c in data["categories"] if c.get("keypoints")), None)
    if person is None:
        raise GaitposeError(f"{path}: no category with 'keypoints' (expected COCO person keypoints)")
    names = list(person["keypoints"])
    missing = [j for j in JOINTS if j not in names]
    if missing:
        raise GaitposeError(f"{path}: category keypoints lack {', '.join(missing)}")
    return [names.index(j) for j in JOINTS]


def _coco_to_ours(flat: list[float], to_ours: list[int]) -> np.ndarray:
    kps = np.asarray(flat, dtype=np.float64).reshape(-1, 3)[to_ours].copy()   # 8×3
    kps[kps[:, 2] == 0] = 0.0
    return kps


def select_person(anns: list[dict], to_ours: list[int], params: ImportParams) -> tuple[dict | None, str]:
    """The largest non-crowd person with ≥ min_labelled_joints of ours and tall enough; else (None, reason)."""
    def labelled(ann: dict) -> int:
        kps = ann.get("keypoints") or []
        return int((np.asarray(kps, dtype=float).reshape(-1, 3)[to_ours, 2] > 0).sum()) if kps else 0

    people = [a for a in anns if not a.get("iscrowd")]
    visible = [a for a in people if labelled(a) >= params.min_labelled_joints]
    if not visible:
        return None, f"images without a person with >= {params.min_labelled_joints} of 8 joints labelled"
    tall = [a for a in visible if a["bbox"][3] >= params.min_person_height_px]
    if not tall:
        return None, f"images whose person is under {params.min_person_height_px:g} px tall"
    return max(tall, key=lambda a: a["bbox"][2] * a["bbox"][3]), ""


def crop_box(bbox_xywh: list[float], kps_8x3: np.ndarray, width: int, height: int,
             margin: float) -> tuple[int, int, int, int]:
    """Integer crop [x0, x1) × [y0, y1) around the person box ∪ labelled joints, plus margin, inside the image."""
    x, y, w, h = bbox_xywh
    pts = kps_8x3[kps_8x3[:, 2] > 0, :2]
    lo = np.minimum([x, y], pts.min(axis=0)) if len(pts) else np.array([x, y])
    hi = np.maximum([x + w, y + h], pts.max(axis=0) + 1) if len(pts) else np.array([x + w, y + h])
    pad = margin * (hi - lo)
    x0, y0 = np.floor(np.maximum(lo - pad, 0)).astype(int)
    x1 = int(np.ceil(min(hi[0] + pad[0], width)))
    y1 = int(np.ceil(min(hi[1] + pad[1], height)))
    return int(x0), int(y0), x1, y1


def _other_person_overlaps(anns: list[dict], chosen: dict, box: tuple[int, int, int, int],
                           params: ImportParams) -> bool:
    """Another person (crowd or not) at least `other_person_area_ratio` of the chosen one's box area, inside the crop."""
    area = chosen["bbox"][2] * chosen["bbox"][3]
    x0, y0, x1, y1 = box
    for ann in anns:
        if ann is chosen:
            continue
        bx, by, bw, bh = ann["bbox"]
        if bw * bh < params.other_person_area_ratio * area:
            continue
        ix = max(0.0, min(x1, bx + bw) - max(x0, bx))
        iy = max(0.0, min(y1, by + bh) - max(y0, by))
        if ix * iy > 0.25 * bw * bh:
            return True
    return False


def _write_image(path: Path, image_bgr: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    ok, buf = cv2.imencode(path.suffix, image_bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])
    if not ok:
        raise GaitposeError(f"{path}: cannot encode image")
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(buf.tobytes())
    os.replace(tmp, path)


# ---------------------------------------------------------------- LSP joints.mat

def import_lsp(joints_mat: str | os.PathLike, images_dir: str | os.PathLike, out_dir: str | os.PathLike,
               params: ImportParams = ImportParams(), visible_flag: int | None = None,
               val_every: int = 0) -> ImportReport:
    """LSP joints.mat (14×3×N or 3×14×N) + images imNNNNN.jpg → OUT/annotations.json + copied images.

    With `val_every` N > 0 it also writes OUT/train.json and OUT/val.json: images whose number is a
    multiple of N are validation (the fixed real validation rule of `gaitpose.data.real_split`).

    The third row is a binary flag whose meaning differs between copies (1 = visible in some,
    1 = occluded in others). `visible_flag` says which value means visible; None detects it: the
    flag that most joints carry is "visible" (most LSP joints are visible). Joints with the other
    flag become v = 1 when their coordinates lie inside the image, else v = 0 (copies that do not
    annotate hidden joints put placeholders outside the image or at the origin).
    """
    joints_mat, images_dir, out_dir = Path(joints_mat), Path(images_dir), Path(out_dir)
    joints = read_lsp_joints(joints_mat)                                   # N×14×3
    flags = joints[:, :, 2]
    if visible_flag is None:
        visible_flag = int(np.mean(flags == 1) >= 0.5)
    report = ImportReport(out_json=out_dir / "annotations.json", listed=len(joints))
    report.notes.append(f"LSP flag {visible_flag} read as visible")
    digits = _lsp_digits(images_dir)
    samples = []
    for n, person in enumerate(joints):
        name = f"im{n + 1:0{digits}d}.jpg"
        src = images_dir / name
        if not src.is_file():
            report.missing.append(name)
            continue
        image = cv2.imread(str(src), cv2.IMREAD_COLOR)
        if image is None:
            raise GaitposeError(f"{src}: cannot read image")
        h, w = image.shape[:2]
        kps = lsp_to_ours(person, visible_flag, w, h)
        if (kps[:, 2] > 0).sum() < params.min_labelled_joints:
            report.reject(f"images with fewer than {params.min_labelled_joints} of 8 joints labelled")
            continue
        dst = out_dir / "images" / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        samples.append(Sample(image_path=dst, width=w, height=h, keypoints_8x3=kps, image_id=n + 1))
    report.written = len(samples)
    _warn_missing(report, images_dir)
    if not samples:
        raise GaitposeError(f"{joints_mat}: no usable image found in {images_dir} ({report.summary()})")
    write_coco_keypoints(report.out_json, samples, description=f"imported from LSP {joints_mat.name}")
    if val_every > 0:
        val = [s for s in samples if s.image_id % val_every == 0]
        train = [s for s in samples if s.image_id % val_every != 0]
        if not val or not train:
            raise GaitposeError(f"{joints_mat}: images numbered by multiples of {val_every} leave "
                                f"{len(train)} training and {len(val)} validation images; both must be non-empty")
        write_coco_keypoints(out_dir / "train.json", train, description=f"LSP {joints_mat.name}, numbers not "
                             f"multiples of {val_every}")
        write_coco_keypoints(out_dir / "val.json", val, description=f"LSP {joints_mat.name}, numbers multiples "
                             f"of {val_every} (real validation)")
        report.notes.append(f"{len(train)} training / {len(val)} validation images (every {val_every}th number)")
    return report


def read_lsp_joints(path: Path) -> np.ndarray:
    """joints.mat → N×14×3 [x, y, flag]; accepts the 14×3×N and the 3×14×N layouts."""
    if not path.is_file():
        raise GaitposeError(f"{path}: file not found")
    try:
        mat = scipy.io.loadmat(str(path))
    except Exception as exc:  # scipy raises several types for a bad file
        raise GaitposeError(f"{path}: not a MATLAB .mat file ({exc})") from None
    if "joints" not in mat:
        raise GaitposeError(f"{path}: no 'joints' variable (expected LSP joints.mat)")
    joints = np.asarray(mat["joints"], dtype=np.float64)
    if joints.ndim == 3 and joints.shape[:2] == (14, 3):
        return joints.transpose(2, 0, 1)
    if joints.ndim == 3 and joints.shape[:2] == (3, 14):
        return joints.transpose(2, 1, 0)
    raise GaitposeError(f"{path}: 'joints' is shaped {joints.shape}, expected 14×3×N or 3×14×N")


def lsp_to_ours(person_14x3: np.ndarray, visible_flag: int, width: int, height: int) -> np.ndarray:
    """One LSP person (14×3 [x, y, flag]) → our 8×3 [x, y, v] (v: 2 visible, 1 occluded, 0 unlabelled)."""
    kps = np.asarray(person_14x3, dtype=np.float64)[list(LSP_TO_OURS)].copy()
    visible = kps[:, 2] == visible_flag
    x, y = kps[:, 0], kps[:, 1]
    inside = (x >= 0) & (y >= 0) & (x < width) & (y < height) & ((x != 0) | (y != 0))
    kps[:, 2] = np.where(visible, 2, np.where(inside, 1, 0))
    kps[kps[:, 2] == 0] = 0.0
    return kps


def _lsp_digits(images_dir: Path) -> int:
    """LSP names images im0001.jpg (original, 4 digits) or im00001.jpg (extended, 5 digits)."""
    return 4 if (images_dir / "im0001.jpg").is_file() else 5
