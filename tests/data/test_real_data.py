"""Import the real LSP and COCO samples of ../shared/data (read only; output in tmp) and check counts and ranges."""
import warnings
from pathlib import Path

import numpy as np
import pytest

from gaitpose.data.coco import load_coco_keypoints
from gaitpose.data.dataset import DatasetConfig, KeypointDataset
from gaitpose.data.importers import import_coco, import_lsp

_REPO = Path(__file__).resolve().parents[2]
DATA = next((d for d in (_REPO.parent / "shared" / "data", _REPO / "shared" / "data") if d.is_dir()),
            _REPO.parent / "shared" / "data")
pytestmark = pytest.mark.skipif(not (DATA / "lsp" / "joints.mat").is_file(), reason="../shared/data not present")


def _in_image(samples):
    for s in samples:
        labelled = s.keypoints_8x3[s.keypoints_8x3[:, 2] > 0]
        assert (labelled[:, 0] >= -1).all() and (labelled[:, 0] <= s.width).all()
        assert (labelled[:, 1] >= -1).all() and (labelled[:, 1] <= s.height).all()
        assert (labelled[:, 2] > 0).sum() >= 6


def test_real_lsp(tmp_path):
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        report = import_lsp(DATA / "lsp" / "joints.mat", DATA / "lsp" / "images", tmp_path / "lsp")
    # 400 annotated, images 1..300 present; 250 of those have >= 6 of our 8 joints flagged visible
    assert (report.listed, len(report.missing), report.written) == (400, 100, 250)
    assert "flag 1 read as visible" in report.summary()
    samples = load_coco_keypoints(report.out_json)
    assert len(samples) == 250
    _in_image(samples)
    assert {int(v) for s in samples for v in s.keypoints_8x3[:, 2]} <= {0, 2}   # this copy marks no occluded joint
    item = KeypointDataset(samples[:1], DatasetConfig(input_size=128, train=True))[0]
    assert item["image"].shape == (3, 128, 128)


def test_real_coco(tmp_path):
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")
        report = import_coco(DATA / "coco-mini" / "person_keypoints_train2017.json", DATA / "coco-mini" / "images",
                             tmp_path / "coco")
    assert (report.listed, len(report.missing)) == (80, 52)
    assert report.written == 16 and sum(report.rejected.values()) == 12
    samples = load_coco_keypoints(report.out_json)
    _in_image(samples)
    assert all(s.height >= 96 for s in samples)
    assert np.mean([s.keypoints_8x3[:, 2].mean() for s in samples]) > 1.5
