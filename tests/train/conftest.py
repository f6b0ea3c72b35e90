import cv2
import numpy as np
import pytest

import gaitpose
from gaitpose.data.coco import Sample, write_coco_keypoints


def draw_figure(shift_x: float, size=(128, 96)) -> tuple[np.ndarray, np.ndarray]:
    """A stick figure on a plain background (BGR image h×w×3) and its 8×3 keypoints."""
    w, h = size
    pts = np.array([[40, 12], [50, 14], [42, 45], [48, 47], [38, 68], [54, 66], [36, 90], [58, 88]], float)
    pts[:, 0] += shift_x
    img = np.full((h, w, 3), 50, np.uint8)
    for i, j in gaitpose.BONES:
        cv2.line(img, tuple(int(v) for v in pts[i]), tuple(int(v) for v in pts[j]), (210, 210, 210), 3)
    for k, p in enumerate(pts):
        cv2.circle(img, (int(p[0]), int(p[1])), 3, (40 * k % 255, 255 - 30 * k, 120), -1)
    return img, np.column_stack([pts, np.full(8, 2.0)])


@pytest.fixture
def tiny_dataset(tmp_path):
    """Six drawn figures as a COCO-keypoints file (two subjects)."""
    samples = []
    for n, shift in enumerate([0, 8, 16, 24, 32, 40]):
        img, kps = draw_figure(shift)
        path = tmp_path / f"im{n}.png"
        cv2.imwrite(str(path), img)
        samples.append(Sample(path, img.shape[1], img.shape[0], kps, image_id=n + 1, subject=f"s{n % 2}"))
    ann = tmp_path / "tiny.json"
    write_coco_keypoints(ann, samples)
    return ann
