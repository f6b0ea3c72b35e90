"""KeypointDataset: what the loss consumes, with shapes and values worked out by hand (S = 64)."""
import json

import cv2
import numpy as np
import pytest
import torch
from torch.utils.data import DataLoader

from gaitpose.data.dataset import DatasetConfig, KeypointDataset
from gaitpose.data.letterbox import Letterbox
from gaitpose.errors import GaitposeError
from gaitpose.train.loss import multitask_loss

S = 64


@pytest.fixture
def data_json(tmp_path):
    """Two 64×48 images (letterboxed to 64×64: scale 1, 8 rows of padding above and below).
    a.png has a depth PNG: 1000 mm left half, 3000 mm right half, a 4×4 hole of zeros; b.png has none."""
    rgb = np.full((48, 64, 3), 100, np.uint8)
    rgb[10:20, 30:40] = 255
    cv2.imwrite(str(tmp_path / "a.png"), rgb)
    cv2.imwrite(str(tmp_path / "b.png"), rgb)
    depth = np.full((48, 64), 1000, np.uint16)
    depth[:, 32:] = 3000
    depth[0:4, 0:4] = 0
    cv2.imwrite(str(tmp_path / "a_depth.png"), depth)
    kps = [12, 20, 2, 20, 20, 2, 12, 30, 2, 20, 30, 1, 12, 38, 2, 20, 38, 2, 12, 44, 2, 0, 0, 0]
    data = {"images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 48, "depth_file": "a_depth.png",
                        "subject": "s1"},
                       {"id": 2, "file_name": "b.png", "width": 64, "height": 48, "subject": "s2"}],
            "annotations": [{"id": 1, "image_id": 1, "keypoints": kps}, {"id": 2, "image_id": 2, "keypoints": kps}]}
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data))
    return path


def test_validation_item_shapes_and_values(data_json):
    item = KeypointDataset(data_json, DatasetConfig(input_size=S))[0]
    shapes = {k: tuple(v.shape) for k, v in item.items()}
    assert shapes["image"] == (3, S, S) and item["image"].dtype == torch.float32
    assert shapes["heatmap"] == (8, 16, 16) and shapes["jgs"] == (8, 16, 16)
    assert shapes["offset"] == shapes["offset_mask"] == (16, 16, 16)
    assert shapes["depth"] == shapes["depth_mask"] == (1, S, S)
    assert shapes["joint_mask"] == shapes["bone_mask"] == (8,)
    # the image: padding rows 0..7 black, content gray 100/255 from row 8
    assert item["image"][:, :8].max() == 0 and item["image"][0, 8, 0] == pytest.approx(100 / 255)
    # left shoulder (12, 20) → input (12, 28) → heatmap pixel (3, 7), peak 1
    np.testing.assert_allclose(item["keypoints"][0], [12, 28, 2])
    assert item["heatmap"][0, 7, 3] == pytest.approx(1.0)
    assert item["joint_mask"].tolist() == [1, 1, 1, 1, 1, 1, 1, 0]
    # depth 1000 → 0, 3000 → 1; padding and the zero hole are masked
    assert item["depth"][0, 30, 10] == 0 and item["depth"][0, 30, 50] == 1
    assert item["depth_mask"][0, :8].sum() == 0 and item["depth_mask"][0, 8:12, 0:4].sum() == 0
    assert item["depth_mask"][0, 8:56].sum() == 48 * 64 - 16
    assert bool(item["has_depth"]) is True


def test_grayscale_is_the_depth_label_without_depth_file(data_json):
    item = KeypointDataset(data_json, DatasetConfig(input_size=S))[1]
    assert bool(item["has_depth"]) is False
    # gray 100 → 0 and white 255 → 1 relative over the content; padding masked
    assert item["depth"][0, 8 + 15, 35] == 1 and item["depth"][0, 40, 5] == 0
    assert item["depth_mask"][0, 8:56].min() == 1 and item["depth_mask"].sum() == 48 * 64


def test_meta_maps_input_keypoints_back_to_original(data_json):
    item = KeypointDataset(data_json, DatasetConfig(input_size=S))[0]
    w, h = item["src_wh"].tolist()
    back = Letterbox(w, h, S).to_original(item["keypoints"][:7, :2].numpy())
    np.testing.assert_allclose(back, item["keypoints_original"][:7, :2], atol=1e-4)


def test_training_augmentation_is_seeded_per_epoch(data_json):
    ds = KeypointDataset(data_json, DatasetConfig(input_size=S, train=True, seed=5))
    first = ds[0]["keypoints"]
    assert torch.equal(ds[0]["keypoints"], first)
    ds.set_epoch(1)
    assert not torch.equal(ds[0]["keypoints"], first)


def test_loader_batches_feed_the_loss(data_json):
    ds = KeypointDataset(data_json, DatasetConfig(input_size=S, train=True))
    batch = next(iter(DataLoader(ds, batch_size=2, num_workers=1)))
    assert batch["image"].shape == (2, 3, S, S) and batch["heatmap"].shape == (2, 8, 16, 16)
    pred = {k: torch.zeros_like(batch[k]) for k in ("heatmap", "offset", "jgs", "depth")}
    terms = multitask_loss(pred, batch)
    assert torch.isfinite(terms["total"]) and terms["heatmap"] > 0


def test_image_of_another_size_than_the_json_says(data_json, tmp_path):
    cv2.imwrite(str(tmp_path / "b.png"), np.zeros((10, 10, 3), np.uint8))
    with pytest.raises(GaitposeError, match=r"b\.png: image is 10×10, the annotations say 64×48"):
        KeypointDataset(data_json, DatasetConfig(input_size=S))[1]


def test_keypoint_weights_scale_the_loss_masks_and_follow_a_mirror(data_json, tmp_path):
    """Joint 0 (left shoulder) weighs 0.5, joint 1 (right shoulder) 0.25. Unmirrored: masks 0.5 / 0.25; the
    shoulder bone (0, 1) takes the smaller, 0.25. Mirrored (left ↔ right): channel 0 now holds the right
    shoulder, so it carries 0.25 and channel 1 carries 0.5."""
    from gaitpose.data.augment import AugmentParams
    data = json.loads(data_json.read_text())
    for ann in data["annotations"]:
        ann["keypoint_weights"] = [0.5, 0.25, 1, 1, 1, 1, 1, 1]
    data_json.write_text(json.dumps(data))
    item = KeypointDataset(data_json, DatasetConfig(input_size=S))[0]
    np.testing.assert_allclose(item["joint_mask"].numpy(), [0.5, 0.25, 1, 1, 1, 1, 1, 0])
    assert item["bone_mask"][0] == 0.25                                      # bone LS-RS
    assert set(np.unique(item["offset_mask"][0].numpy())) <= {0.0, 0.5}
    assert item["offset_mask"][0].max() == 0.5 and item["offset_mask"][3].max() == 0.25
    params = AugmentParams(flip_prob=1.0, rotation_deg=0, scale_range=(1, 1), translate_frac=0,
                           occlusion_prob=0, brightness=0, contrast=0, saturation=0)
    mirrored = KeypointDataset(data_json, DatasetConfig(input_size=S, train=True, augment=params))[0]
    # the right ankle (7) is unlabelled, so after the mirror channel 6 (left ankle) is 0
    np.testing.assert_allclose(mirrored["joint_mask"].numpy(), [0.25, 0.5, 1, 1, 1, 1, 0, 1])
