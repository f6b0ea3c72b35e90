"""Files of a synthetic dataset: JPEG colour, 16-bit PNG depth, and the COCO-keypoints JSON."""
from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from gaitpose.data.coco import Sample, write_coco_keypoints
from gaitpose.formats import write_bytes_atomic

ANNOTATIONS = "annotations.json"


def encode_jpeg(bgr: np.ndarray, quality: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    if not ok:
        raise RuntimeError("JPEG encoding failed")
    return buf.tobytes()


def encode_depth_png(depth_mm: np.ndarray) -> bytes:
    """16-bit single-channel PNG (millimetres). Fast compression: depth is large and noisy."""
    assert depth_mm.dtype == np.uint16
    ok, buf = cv2.imencode(".png", depth_mm, [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise RuntimeError("PNG encoding failed")
    return buf.tobytes()


def write_frame_files(out_dir: Path, stem: str, bgr: np.ndarray, depth_mm: np.ndarray, jpeg_quality: int,
                      keypoints_8x3: np.ndarray, subject: str, feet_4x3: np.ndarray | None = None) -> Sample:
    """Write images/<stem>.jpg and depth/<stem>.png under out_dir → the dataset sample (with its heel
    and toe labels when given)."""
    image_path = out_dir / "images" / f"{stem}.jpg"
    depth_path = out_dir / "depth" / f"{stem}.png"
    write_bytes_atomic(image_path, encode_jpeg(bgr, jpeg_quality))
    write_bytes_atomic(depth_path, encode_depth_png(depth_mm))
    height, width = depth_mm.shape
    return Sample(image_path, width, height, keypoints_8x3, depth_path=depth_path, subject=subject, feet_4x3=feet_4x3)


def write_annotations(out_dir: Path, samples: list[Sample], description: str) -> Path:
    path = out_dir / ANNOTATIONS
    write_coco_keypoints(path, samples, description=description)
    return path
