"""Importers on small hand-written COCO and LSP files; expected numbers worked out by hand."""
import json

import cv2
import numpy as np
import pytest
import scipy.io

from gaitpose.data.coco import load_coco_keypoints
from gaitpose.data.importers import ImportParams, import_coco, import_lsp
from gaitpose.errors import GaitposeError

COCO17 = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
          "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
          "left_knee", "right_knee", "left_ankle", "right_ankle"]


def _coco17(points: dict[str, tuple[float, float, int]]) -> list[float]:
    flat = []
    for name in COCO17:
        flat += list(points.get(name, (0, 0, 0)))
    return flat


@pytest.fixture
def coco_files(tmp_path):
    """Image 1 (200×100): one person, bbox x 50..90, y 10..90. Image 2 (100×100): only a 4-joint person
    and a crowd. Image 3 is listed but not on disk."""
    images = tmp_path / "images"
    images.mkdir()
    a = np.zeros((100, 200, 3), np.uint8)
    a[28:33, 58:63] = (0, 0, 255)                 # red 5×5 block centred on the left shoulder (60, 30)
    cv2.imwrite(str(images / "a.png"), a)
    cv2.imwrite(str(images / "b.png"), np.zeros((100, 100, 3), np.uint8))
    person = {"left_shoulder": (60, 30, 2), "right_shoulder": (80, 30, 1), "left_hip": (62, 55, 2),
              "right_hip": (78, 55, 2), "left_knee": (61, 70, 2), "right_knee": (79, 70, 2),
              "left_ankle": (60, 85, 2), "nose": (70, 15, 2)}                 # right ankle unlabelled
    few = {"left_shoulder": (10, 10, 2), "right_shoulder": (30, 10, 2), "left_hip": (12, 50, 2), "right_hip": (28, 50, 2)}
    data = {
        "images": [{"id": 1, "file_name": "a.png", "width": 200, "height": 100},
                   {"id": 2, "file_name": "b.png", "width": 100, "height": 100},
                   {"id": 3, "file_name": "gone.png", "width": 100, "height": 100}],
        "annotations": [
            {"id": 11, "image_id": 1, "iscrowd": 0, "bbox": [50, 10, 40, 80], "keypoints": _coco17(person)},
            {"id": 21, "image_id": 2, "iscrowd": 0, "bbox": [5, 5, 30, 90], "keypoints": _coco17(few)},
            {"id": 22, "image_id": 2, "iscrowd": 1, "bbox": [0, 0, 100, 100], "keypoints": [0] * 51},
            {"id": 31, "image_id": 3, "iscrowd": 0, "bbox": [0, 0, 50, 90], "keypoints": _coco17(person)},
        ],
        "categories": [{"id": 1, "name": "person", "keypoints": COCO17}],
    }
    path = tmp_path / "person_keypoints.json"
    path.write_text(json.dumps(data))
    return path, images


def test_coco_import_selects_crops_and_maps_joints(coco_files, tmp_path):
    path, images = coco_files
    with pytest.warns(UserWarning, match=r"1 of 3 images .* not in"):
        report = import_coco(path, images, tmp_path / "out", ImportParams(min_person_height_px=50))
    assert (report.listed, report.written, report.missing) == (3, 1, ["gone.png"])
    assert sum(report.rejected.values()) == 1                     # image 2: 4 of 8 joints only
    [s] = load_coco_keypoints(tmp_path / "out" / "annotations.json")
    # box x 50..90, y 10..90 (size 40×80), margin 25% → x 40..100, y -10..110 clipped to 0..100
    assert (s.width, s.height) == (60, 100)
    expected = [[20, 30, 2], [40, 30, 1], [22, 55, 2], [38, 55, 2], [21, 70, 2], [39, 70, 2], [20, 85, 2], [0, 0, 0]]
    np.testing.assert_array_equal(s.keypoints_8x3, expected)
    crop = cv2.imread(str(s.image_path))
    assert crop.shape == (100, 60, 3)
    b, g, r = crop[30, 20].astype(int)                            # the red block followed the left shoulder
    assert r > 200 and g < 60 and b < 60


def test_coco_person_too_small_is_rejected(coco_files, tmp_path):
    path, images = coco_files
    with pytest.warns(UserWarning), pytest.raises(GaitposeError, match=r"no image .* has a person that qualifies"):
        import_coco(path, images, tmp_path / "out", ImportParams(min_person_height_px=81))


def test_coco_second_large_person_in_the_crop_skips_the_image(coco_files, tmp_path):
    path, images = coco_files
    data = json.loads(path.read_text())
    other = dict(data["annotations"][0], id=12, bbox=[85, 20, 30, 70], keypoints=[0] * 51)   # 2100 px² ≥ 0.5 × 3200
    data["annotations"].append(other)
    path.write_text(json.dumps(data))
    with pytest.warns(UserWarning), pytest.raises(GaitposeError, match=r"1 images with another large person"):
        import_coco(path, images, tmp_path / "out", ImportParams(min_person_height_px=50))


def _lsp_person(flags):
    """14 LSP joints: joint j at (10 + j, 20 + 2j) with the given flags."""
    return np.array([[10.0 + j, 20.0 + 2 * j, flags[j]] for j in range(14)])


@pytest.fixture
def lsp_files(tmp_path):
    images = tmp_path / "images"
    images.mkdir()
    for n in (1, 2):                                              # im00003 is annotated but missing
        cv2.imwrite(str(images / f"im{n:05d}.jpg"), np.zeros((60, 50, 3), np.uint8))
    p1 = _lsp_person([1] * 14)
    p2 = _lsp_person([1] * 14)
    p2[8] = [-5.0, -7.0, 0]        # right shoulder hidden: placeholder outside the image → v 0
    p2[4] = [12.0, 30.0, 0]        # left knee hidden but placed inside the image → v 1
    joints = np.stack([p1, p2, _lsp_person([1] * 14)], axis=2)    # 14×3×3
    return joints, images


def test_lsp_import_maps_order_and_visibility(lsp_files, tmp_path):
    joints, images = lsp_files
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": joints})
    with pytest.warns(UserWarning, match=r"1 of 3 images"):
        report = import_lsp(tmp_path / "joints.mat", images, tmp_path / "out")
    assert (report.written, report.missing) == (2, ["im00003.jpg"])
    assert "flag 1 read as visible" in report.summary()
    s1, s2 = load_coco_keypoints(tmp_path / "out" / "annotations.json")
    assert (s1.width, s1.height) == (50, 60)
    # ours ← LSP: l-shoulder 9, r-shoulder 8, l-hip 3, r-hip 2, l-knee 4, r-knee 1, l-ankle 5, r-ankle 0
    expected = [[19, 38, 2], [18, 36, 2], [13, 26, 2], [12, 24, 2], [14, 28, 2], [11, 22, 2], [15, 30, 2], [10, 20, 2]]
    np.testing.assert_array_equal(s1.keypoints_8x3, expected)
    np.testing.assert_array_equal(s2.keypoints_8x3[1], [0, 0, 0])
    np.testing.assert_array_equal(s2.keypoints_8x3[4], [12, 30, 1])


def test_lsp_original_layout_with_occluded_flag(lsp_files, tmp_path):
    """3×14×N layout where 1 means occluded: detected (most joints are visible), or told with visible_flag=0."""
    joints, images = lsp_files
    flipped = joints.copy()
    flipped[:, 2, :] = 1 - flipped[:, 2, :]
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": flipped.transpose(1, 0, 2)})
    with pytest.warns(UserWarning):
        report = import_lsp(tmp_path / "joints.mat", images, tmp_path / "auto")
    assert "flag 0 read as visible" in report.summary()
    with pytest.warns(UserWarning):
        import_lsp(tmp_path / "joints.mat", images, tmp_path / "out", visible_flag=0)
    s1, s2 = load_coco_keypoints(tmp_path / "out" / "annotations.json")
    assert s1.keypoints_8x3[:, 2].tolist() == [2] * 8
    np.testing.assert_array_equal(s2.keypoints_8x3[4], [12, 30, 1])


def test_lsp_bad_shape_is_a_clear_error(tmp_path):
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": np.zeros((17, 3, 2))})
    with pytest.raises(GaitposeError, match=r"shaped \(17, 3, 2\), expected 14×3×N or 3×14×N"):
        import_lsp(tmp_path / "joints.mat", tmp_path, tmp_path / "out")


def test_lsp_val_every_splits_by_image_number(tmp_path):
    """Images 20 and 40 are validation (multiples of 20), 19 and 21 training; 2 and 3 are unlabelled enough."""
    images = tmp_path / "images"
    images.mkdir()
    joints = np.stack([_lsp_person([1] * 14)] * 41, axis=2)               # im00001 … im00041
    for n in (19, 20, 21, 40):
        cv2.imwrite(str(images / f"im{n:05d}.jpg"), np.zeros((60, 50, 3), np.uint8))
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": joints})
    with pytest.warns(UserWarning, match=r"37 of 41 images"):
        report = import_lsp(tmp_path / "joints.mat", images, tmp_path / "out", val_every=20)
    assert "2 training / 2 validation images" in report.summary()
    names = lambda f: sorted(p.image_path.name for p in load_coco_keypoints(tmp_path / "out" / f))
    assert names("val.json") == ["im00020.jpg", "im00040.jpg"]
    assert names("train.json") == ["im00019.jpg", "im00021.jpg"]


def test_lsp_val_every_with_no_validation_image_is_a_clear_error(lsp_files, tmp_path):
    joints, images = lsp_files
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": joints})
    with pytest.warns(UserWarning), pytest.raises(GaitposeError, match=r"2 training and 0 validation"):
        import_lsp(tmp_path / "joints.mat", images, tmp_path / "out", val_every=20)


def test_lsp_original_shared_labels_read_with_the_other_convention():
    """The shared original-LSP labels are 3×14×2000 with 0 = visible: read as N×14×3, flag detected as 0."""
    from pathlib import Path

    from gaitpose.data.importers import lsp_to_ours, read_lsp_joints
    path = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "lsp-original" / "joints.mat"
    if not path.is_file():
        pytest.skip(f"{path} not found (the shared data folder is not beside the checkout)")
    joints = read_lsp_joints(path)
    assert joints.shape == (2000, 14, 3)
    assert np.mean(joints[:, :, 2] == 0) > 0.5                     # most joints visible → 0 means visible
    kps = lsp_to_ours(joints[0], visible_flag=0, width=10_000, height=10_000)
    # our joint 0 (left shoulder) is LSP joint 9, our joint 7 (right ankle) LSP joint 0
    np.testing.assert_array_equal(kps[0, :2], joints[0, 9, :2])
    np.testing.assert_array_equal(kps[7, :2], joints[0, 0, :2])
