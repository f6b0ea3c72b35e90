"""Our COCO-keypoints format: round trip, and one clear error per bad input."""
import json

import cv2
import numpy as np
import pytest

from gaitpose.data.coco import Sample, load_coco_keypoints, write_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.skeleton import JOINTS


def _dataset(tmp_path, keypoints=None, depth_shape=None, depth_dtype=np.uint16, image=True):
    """A one-image dataset: 40×30 RGB, optional depth PNG; returns the JSON path."""
    if image:
        cv2.imwrite(str(tmp_path / "a.png"), np.zeros((30, 40, 3), np.uint8))
    entry = {"id": 7, "file_name": "a.png", "width": 40, "height": 30, "subject": "s01"}
    if depth_shape is not None:
        cv2.imwrite(str(tmp_path / "a_depth.png"), np.full(depth_shape, 150, depth_dtype))
        entry["depth_file"] = "a_depth.png"
    kps = keypoints if keypoints is not None else [v for k in range(8) for v in (k + 1, 2 * k + 1, 2)]
    data = {"images": [entry], "annotations": [{"id": 1, "image_id": 7, "keypoints": kps}],
            "categories": [{"id": 1, "name": "person", "keypoints": list(JOINTS)}]}
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data))
    return path


def test_load_reads_keypoints_depth_and_subject(tmp_path):
    [s] = load_coco_keypoints(_dataset(tmp_path, depth_shape=(30, 40)))
    assert s.image_path == tmp_path / "a.png" and s.depth_path == tmp_path / "a_depth.png"
    assert (s.width, s.height, s.subject) == (40, 30, "s01")
    assert s.keypoints_8x3.shape == (8, 3)
    assert s.keypoints_8x3[3].tolist() == [4.0, 7.0, 2.0]       # joint 3: x = 3+1, y = 2*3+1


def test_write_then_load_round_trip_with_relative_paths(tmp_path):
    [s] = load_coco_keypoints(_dataset(tmp_path, depth_shape=(30, 40)))
    kps = s.keypoints_8x3.copy()
    kps[5] = [99.0, 99.0, 0.0]                                   # unlabelled: written as 0, 0, 0
    out = tmp_path / "sub" / "out.json"
    write_coco_keypoints(out, [Sample(s.image_path, 40, 30, kps, depth_path=s.depth_path, subject="s01")])
    data = json.loads(out.read_text())
    assert data["images"][0]["file_name"] == "../a.png"
    assert data["images"][0]["depth_file"] == "../a_depth.png"
    assert data["categories"][0]["keypoints"] == list(JOINTS)
    assert data["categories"][0]["skeleton"][0] == [1, 2]        # LS-RS, 1-based
    ann = data["annotations"][0]
    assert ann["keypoints"][15:18] == [0, 0, 0] and ann["num_keypoints"] == 7
    assert ann["bbox"] == [1.0, 1.0, 7.0, 14.0]                  # x 1..8, y 1..15 over labelled joints
    [back] = load_coco_keypoints(out)
    assert back.image_path.resolve() == (tmp_path / "a.png").resolve() and back.subject == "s01"
    np.testing.assert_array_equal(back.keypoints_8x3[5], [0, 0, 0])
    np.testing.assert_array_equal(back.keypoints_8x3[:5], kps[:5])


def test_missing_image_is_named(tmp_path):
    with pytest.raises(GaitposeError, match=r"image file not found: .*a\.png"):
        load_coco_keypoints(_dataset(tmp_path, image=False))


def test_wrong_keypoint_count_says_expected_24(tmp_path):
    with pytest.raises(GaitposeError, match=r"annotation 1: 'keypoints' has 51 values, expected 24"):
        load_coco_keypoints(_dataset(tmp_path, keypoints=[0] * 51))


def test_depth_of_wrong_size_is_named_with_both_sizes(tmp_path):
    with pytest.raises(GaitposeError, match=r"a_depth\.png: depth is 20×30, expected 40×30"):
        load_coco_keypoints(_dataset(tmp_path, depth_shape=(30, 20)))


def test_depth_must_be_16_bit(tmp_path):
    with pytest.raises(GaitposeError, match=r"16-bit"):
        load_coco_keypoints(_dataset(tmp_path, depth_shape=(30, 40), depth_dtype=np.uint8))


def test_json_without_annotations_or_keypoints(tmp_path):
    path = tmp_path / "x.json"
    path.write_text(json.dumps({"images": []}))
    with pytest.raises(GaitposeError, match=r"no 'annotations' list"):
        load_coco_keypoints(path)
    path.write_text(json.dumps({"images": [], "annotations": [{"id": 3, "image_id": 1}]}))
    with pytest.raises(GaitposeError, match=r"annotation 3 has no 'keypoints'"):
        load_coco_keypoints(path)


def test_standard_17_keypoint_category_is_refused(tmp_path):
    path = _dataset(tmp_path)
    data = json.loads(path.read_text())
    data["categories"][0]["keypoints"] = ["nose"] + list(JOINTS)
    path.write_text(json.dumps(data))
    with pytest.raises(GaitposeError, match=r"expected the 8 joints"):
        load_coco_keypoints(path)


def _with_weights(tmp_path, weights):
    path = _dataset(tmp_path)
    data = json.loads(path.read_text())
    data["annotations"][0]["keypoint_weights"] = weights
    path.write_text(json.dumps(data))
    return path


def test_keypoint_weights_round_trip_and_unlabelled_joints_weigh_zero(tmp_path):
    from gaitpose.data.coco import joint_weights
    [s] = load_coco_keypoints(_with_weights(tmp_path, [1, 0.5, 0.25, 0, 1, 1, 0.75, 1]))
    kps = s.keypoints_8x3.copy()
    kps[6] = 0.0                                                  # unlabel joint 6: its weight no longer counts
    s = Sample(s.image_path, s.width, s.height, kps, keypoint_weights=s.keypoint_weights)
    np.testing.assert_array_equal(joint_weights(s), [1, 0.5, 0.25, 0, 1, 1, 0, 1])
    write_coco_keypoints(tmp_path / "out.json", [s])
    [back] = load_coco_keypoints(tmp_path / "out.json")
    np.testing.assert_array_equal(back.keypoint_weights, [1, 0.5, 0.25, 0, 1, 1, 0.75, 1])
    [plain] = load_coco_keypoints(_dataset(tmp_path))
    assert plain.keypoint_weights is None and joint_weights(plain).tolist() == [1.0] * 8


@pytest.mark.parametrize("weights", [[1] * 7, [1] * 7 + [1.5], [1] * 7 + [-0.1], "high"])
def test_bad_keypoint_weights_are_named(tmp_path, weights):
    with pytest.raises(GaitposeError, match=r"annotation 1: 'keypoint_weights' must be 8 numbers in \[0, 1\]"):
        load_coco_keypoints(_with_weights(tmp_path, weights))
