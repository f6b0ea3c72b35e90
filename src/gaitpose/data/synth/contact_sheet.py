"""A contact sheet of a synthetic dataset: each image with its labelled joints above its depth map.

Green dots are visible joints, red occluded; depth is colour-mapped with holes (0) in black.
"""
from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np

from gaitpose.skeleton import BONES


def _tile(root: Path, image: dict, keypoints: list[float], tile_px: int, max_depth_mm: float,
          with_depth: bool) -> np.ndarray:
    bgr = cv2.imread(str(root / image["file_name"]))
    depth = cv2.imread(str(root / image["depth_file"]), cv2.IMREAD_UNCHANGED)
    kp = np.asarray(keypoints, float).reshape(-1, 3)
    for i, j in BONES:
        if kp[i, 2] > 0 and kp[j, 2] > 0:
            cv2.line(bgr, tuple(int(round(c)) for c in kp[i, :2]), tuple(int(round(c)) for c in kp[j, :2]),
                     (255, 255, 0), 1, cv2.LINE_AA)
    for x, y, v in kp:
        if v > 0:
            cv2.circle(bgr, (int(round(x)), int(round(y))), 4, (0, 220, 0) if v == 2 else (0, 0, 255), -1, cv2.LINE_AA)
    if not with_depth:
        return cv2.resize(bgr, (tile_px, tile_px))
    coloured = cv2.applyColorMap(cv2.convertScaleAbs(depth, alpha=255.0 / max_depth_mm), cv2.COLORMAP_TURBO)
    coloured[depth == 0] = 0
    return np.vstack([cv2.resize(bgr, (tile_px, tile_px)), cv2.resize(coloured, (tile_px, tile_px))])


def contact_sheet(annotations_path: Path, out_path: Path, image_ids: list[int], columns: int = 4,
                  tile_px: int = 256, max_depth_mm: float = 6000.0, with_depth: bool = True) -> None:
    """Write a JPEG grid of the given images (colour with joints above, depth below unless not `with_depth`)."""
    data = json.loads(annotations_path.read_text())
    images = {im["id"]: im for im in data["images"]}
    keypoints = {a["image_id"]: a["keypoints"] for a in data["annotations"]}
    tiles = [_tile(annotations_path.parent, images[i], keypoints[i], tile_px, max_depth_mm, with_depth)
             for i in image_ids]
    while len(tiles) % columns:
        tiles.append(np.zeros_like(tiles[0]))
    rows = [np.hstack(tiles[r:r + columns]) for r in range(0, len(tiles), columns)]
    cv2.imwrite(str(out_path), np.vstack(rows), [cv2.IMWRITE_JPEG_QUALITY, 80])
