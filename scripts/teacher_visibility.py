"""Accuracy of the teacher's joints by its visibility, on LSP-extended training images (numbers not
multiples of 20): how `gaitpose teach --min-visibility` was chosen.

    .venv/bin/python scripts/teacher_visibility.py ../shared/data/lspet 1500
"""
import sys
from pathlib import Path
import cv2, numpy as np
from gaitpose.data.importers import read_lsp_joints, lsp_to_ours
from gaitpose.predict.teacher import MediaPipePose

root = Path(sys.argv[1]); limit = int(sys.argv[2])
joints = read_lsp_joints(root / "joints.mat")
pose = MediaPipePose(static=True)
rows = []   # (visibility, normalised error)
n_img = 0
for n in range(len(joints)):
    if (n + 1) % 20 == 0:
        continue
    p = root / "images" / f"im{n + 1:05d}.jpg"
    if not p.is_file():
        continue
    img = cv2.imread(str(p)); h, w = img.shape[:2]
    gt = lsp_to_ours(joints[n], 1, w, h)
    lab = gt[:, 2] > 0
    if lab.sum() < 2:
        continue
    span = gt[lab, :2].max(0) - gt[lab, :2].min(0); delta = span.min()
    if delta <= 0:
        continue
    pts = pose.points(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))[:8]
    n_img += 1
    for k in np.flatnonzero(lab):
        err = np.hypot(*(pts[k, :2] - gt[k, :2])) / delta if np.isfinite(pts[k, 0]) else np.inf
        rows.append((pts[k, 2], err))
    if n_img >= limit:
        break
r = np.array(rows)
print(f"{n_img} images, {len(r)} labelled joints")
edges = [0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0001]
for lo, hi in zip(edges[:-1], edges[1:]):
    m = (r[:, 0] >= lo) & (r[:, 0] < hi)
    if m.any():
        print(f"visibility [{lo:.2f},{hi:.2f}): {m.sum():5d} joints, within 0.1: {np.mean(r[m,1] <= 0.1):.3f}, within 0.2: {np.mean(r[m,1] <= 0.2):.3f}")
for t in (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9):
    m = r[:, 0] >= t
    print(f"keep >= {t}: {m.mean():.3f} of joints kept, within 0.1: {np.mean(r[m,1] <= 0.1):.3f}")
