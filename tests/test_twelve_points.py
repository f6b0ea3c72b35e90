"""The 12-point skeleton (the 8 joints, heels and toe tips; issue 13 item 4): its definition, targets and
flips, foot labels and their weights, starting it from 8-joint weights, and `analyze` with such a model."""
import csv

import cv2
import numpy as np
import pytest
import torch

from gaitpose.data.coco import Sample, foot_labels, load_coco_keypoints, training_points, write_coco_keypoints
from gaitpose.skeleton import FOOT_POINTS, JOINTS, SKELETON_8, SKELETON_FEET, skeleton_for
from gaitpose.targets import STRIDE, encode_targets, flip_targets


def test_the_12_points_and_their_bones_and_pairs():
    assert SKELETON_FEET.joints == JOINTS + ("left_heel", "right_heel", "left_toe", "right_toe")
    assert SKELETON_FEET.bones[:8] == SKELETON_8.bones
    # left: ankle 6 – heel 8, ankle 6 – toe 10, heel 8 – toe 10; right: ankle 7 – heel 9, 7 – toe 11, 9 – 11
    assert SKELETON_FEET.bones[8:] == ((6, 8), (6, 10), (8, 10), (7, 9), (7, 11), (9, 11))
    assert SKELETON_FEET.flip_permutation() == [1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10]
    # the 8 bones swap as before (LS-RS and LH-RH stay; 2↔3, 4↔6, 5↔7), the foot bones left ↔ right
    assert SKELETON_FEET.bone_flip_permutation() == [0, 1, 3, 2, 6, 7, 4, 5, 11, 12, 13, 8, 9, 10]
    assert SKELETON_8.flip_permutation() == [1, 0, 3, 2, 5, 4, 7, 6]
    assert skeleton_for(list(SKELETON_FEET.joints)) is SKELETON_FEET
    assert skeleton_for(list(JOINTS)) is SKELETON_8
    assert skeleton_for(list(JOINTS[::-1])) is None
    assert SKELETON_FEET.coco_category()["skeleton"][8] == [7, 9]        # 1-based ankle–heel


def _points_12(left_heel_xy=(8.0, 20.0)):
    kps = np.zeros((12, 3))
    kps[8] = (*left_heel_xy, 2)                 # only the left heel is labelled
    return kps


def test_a_mirror_moves_the_left_heel_to_the_right_heel_channel():
    t = encode_targets(_points_12(), 64, skeleton=SKELETON_FEET)   # 16×16 heatmaps
    assert t["heatmap"].shape == (12, 16, 16) and t["offset"].shape == (24, 16, 16) and t["jgs"].shape == (14, 16, 16)
    # input (8, 20) is heatmap pixel (2, 5): the peak of channel 8 (left heel)
    assert np.unravel_index(np.argmax(t["heatmap"][8]), (16, 16)) == (5, 2)
    assert t["joint_mask"].tolist() == [0] * 8 + [1, 0, 0, 0]
    f = flip_targets(t, SKELETON_FEET)
    # mirrored on the heatmap grid: column 2 → 16 − 1 − 2 = 13, now in channel 9 (right heel)
    assert np.unravel_index(np.argmax(f["heatmap"][9]), (16, 16)) == (5, 13)
    assert f["heatmap"][8].max() == 0.0
    assert f["joint_mask"].tolist() == [0] * 8 + [0, 1, 0, 0]
    # the x offset changes sign: at the peak it was 0 (8/4 = 2 exactly), one pixel left of it +1 → −1
    assert t["offset"][16, 5, 1] == pytest.approx(1.0) and f["offset"][18, 5, 14] == pytest.approx(-1.0)
    # the same as encoding the mirrored points (x' = S − STRIDE − x = 64 − 4 − 8 = 52) with the pair swapped
    mirrored = np.zeros((12, 3))
    mirrored[9] = (52.0, 20.0, 2)
    direct = encode_targets(mirrored, 64, skeleton=SKELETON_FEET)
    for key in ("heatmap", "offset", "joint_mask"):
        np.testing.assert_allclose(f[key], direct[key], atol=1e-6)


def test_the_foot_bones_need_both_ends():
    kps = np.zeros((12, 3))
    kps[6] = (20.0, 20.0, 2)     # left ankle
    kps[8] = (12.0, 24.0, 2)     # left heel
    t = encode_targets(kps, 64, skeleton=SKELETON_FEET)
    assert t["bone_mask"].tolist() == [0] * 8 + [1, 0, 0, 0, 0, 0]    # only ankle–heel (left)
    assert t["jgs"][8].sum() > 0 and t["jgs"][9:].sum() == 0


def _sample(feet=None, knee=(100.0, 100.0), ankle=(100.0, 140.0)):
    kps = np.zeros((8, 3))
    kps[4] = (*knee, 2)                         # left knee
    kps[6] = (*ankle, 2)                        # left ankle: shank 40 px
    return Sample(image_path="x.jpg", width=200, height=200, keypoints_8x3=kps, feet_4x3=feet)


def test_a_sample_without_feet_trains_the_feet_with_weight_0():
    points, weights = training_points(_sample(), SKELETON_FEET)
    assert points.shape == (12, 3) and (points[8:] == 0).all()
    assert weights.tolist() == [0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0]
    points8, weights8 = training_points(_sample(), SKELETON_8)
    assert points8.shape == (8, 3) and weights8.tolist() == [0, 0, 0, 0, 1, 0, 1, 0]


def test_foot_labels_keep_exact_and_confident_points_near_their_ankle():
    feet = np.array([[90.0, 145.0, 2],      # left heel: 11.2 px from the ankle (shank 40): kept, weight 1
                     [90.0, 145.0, 2],      # right heel: its ankle is not labelled → left out
                     [125.0, 150.0, 0.9],   # left toe: the teacher's visibility 0.9, 26.9 px away: weight 0.9
                     [0.0, 0.0, 0.0]])      # right toe: not labelled
    labels, weights = foot_labels(_sample(feet))
    assert weights.tolist() == [1.0, 0.0, 0.9, 0.0]
    np.testing.assert_allclose(labels, [[90, 145, 2], [0, 0, 0], [125, 150, 2], [0, 0, 0]])
    # a teacher's point below visibility 0.5 is left out, and so is one 0.8 shank (32 px) or more from its
    # ankle: (100, 173) is 33 px below it, a heel drawn on the other leg
    low = feet.copy()
    low[0] = (90.0, 145.0, 0.4)
    low[2] = (100.0, 173.0, 2)
    assert foot_labels(_sample(low))[1].tolist() == [0.0, 0.0, 0.0, 0.0]


def test_feet_round_trip_through_the_dataset_json_keeping_the_teachers_visibility(tmp_path):
    image = tmp_path / "a.png"
    cv2.imwrite(str(image), np.zeros((200, 200, 3), np.uint8))
    feet = np.array([[90.0, 145.0, 2], [0.0, 0.0, 0], [125.0, 150.0, 0.9123], [1.0, 2.0, 1]])
    s = _sample(feet)
    s = Sample(image, s.width, s.height, s.keypoints_8x3, feet_4x3=feet)
    write_coco_keypoints(tmp_path / "d.json", [s, Sample(image, 200, 200, s.keypoints_8x3)])
    back = load_coco_keypoints(tmp_path / "d.json")
    np.testing.assert_allclose(back[0].feet_4x3, feet)
    assert back[1].feet_4x3 is None


def test_a_bad_feet_entry_is_one_clear_error(tmp_path):
    import json

    from gaitpose.errors import GaitposeError

    image = tmp_path / "a.png"
    cv2.imwrite(str(image), np.zeros((20, 20, 3), np.uint8))
    data = {"images": [{"id": 1, "file_name": "a.png", "width": 20, "height": 20}],
            "annotations": [{"id": 7, "image_id": 1, "keypoints": [0] * 24, "feet": {"left_heel": [1, 2]}}]}
    (tmp_path / "d.json").write_text(json.dumps(data))
    with pytest.raises(GaitposeError, match=r"annotation 7: 'feet': left_heel must be \[x, y, v\]"):
        load_coco_keypoints(tmp_path / "d.json")


def test_the_dataset_gives_12_point_targets_with_the_feet_out_of_the_loss_when_unlabelled(tmp_path):
    from gaitpose.data.dataset import DatasetConfig, KeypointDataset
    from gaitpose.train.loss import multitask_loss

    image = tmp_path / "a.png"
    cv2.imwrite(str(image), np.zeros((200, 200, 3), np.uint8))
    base = _sample()
    item = KeypointDataset([Sample(image, 200, 200, base.keypoints_8x3)],
                           DatasetConfig(input_size=64, skeleton=SKELETON_FEET))[0]
    assert item["heatmap"].shape == (12, 16, 16) and item["jgs"].shape == (14, 16, 16)
    assert item["joint_mask"][8:].tolist() == [0, 0, 0, 0] and item["bone_mask"][8:].sum() == 0
    batch = {k: v[None] for k, v in item.items()}
    pred = {"heatmap": torch.zeros(1, 12, 16, 16), "offset": torch.zeros(1, 24, 16, 16), "jgs": torch.zeros(1, 14, 16, 16)}
    loss = multitask_loss(pred, batch)
    pred["heatmap"][:, 8:] = 5.0                 # whatever the feet's channels say: nothing to learn here
    pred["jgs"][:, 8:] = 5.0
    again = multitask_loss(pred, batch)
    assert float(again["total"]) == float(loss["total"])


def test_the_12_point_model_starts_from_8_joint_weights():
    import gaitpose
    from gaitpose.model.grow import load_with_new_points

    torch.manual_seed(0)
    eight = gaitpose.build_model("lite_deep").eval()
    twelve = gaitpose.build_model("lite_feet").eval()
    fresh_before = twelve.heatmap[1].weight[8:].clone()
    fresh = load_with_new_points(twelve, eight.state_dict(), list(JOINTS))
    assert fresh == 4 + 8 + 6                    # heatmap, offset (2 per point) and JGS channels of the feet
    torch.testing.assert_close(twelve.heatmap[1].weight[:8], eight.heatmap[1].weight)
    torch.testing.assert_close(twelve.offset[1].bias[:16], eight.offset[1].bias)
    torch.testing.assert_close(twelve.heatmap[1].weight[8:], fresh_before)
    x = torch.rand(1, 3, 64, 64)
    with torch.no_grad():
        a, b = eight(x), twelve(x)
    torch.testing.assert_close(b["heatmap"][:, :8], a["heatmap"])
    torch.testing.assert_close(b["offset"][:, :16], a["offset"])
    torch.testing.assert_close(b["jgs"][:, :8], a["jgs"])
    assert b["heatmap"].shape[1] == 12 and b["jgs"].shape[1] == 14


def test_weights_of_another_width_do_not_load_as_8_joint_weights():
    import gaitpose
    from gaitpose.errors import GaitposeError
    from gaitpose.model.grow import load_with_new_points

    with pytest.raises(GaitposeError, match="does not fit the lite_feet network"):
        load_with_new_points(gaitpose.build_model("lite_feet"), gaitpose.build_model("full").state_dict(), list(JOINTS))


def _constant_checkpoint(path, name):
    """A checkpoint at 64 px whose heatmaps are 0.9 everywhere (peak at heatmap pixel (0, 0)) and whose
    offsets put point k at (k + 1, 2) heatmap pixels: input pixel (4 (k + 1), 8)."""
    import gaitpose
    from gaitpose.train.checkpoint import save_checkpoint

    model = gaitpose.build_model(name)
    k = model.skeleton.num_joints
    with torch.no_grad():
        for head in (model.heatmap, model.offset):
            head[-1].weight.zero_()
        model.heatmap[-1].bias.fill_(0.9)
        model.offset[-1].bias[0::2] = torch.arange(1, k + 1, dtype=torch.float32)
        model.offset[-1].bias[1::2] = 2.0
    save_checkpoint(path, model, input_size=64, config={})
    return path


def _grey_video(path, n_frames=4):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (64, 64))
    for k in range(n_frames):
        writer.write(np.full((64, 64, 3), 80 + k, np.uint8))
    writer.release()
    return path


@pytest.mark.parametrize("name", ["lite_feet", "lite"])
def test_analyze_with_a_12_point_checkpoint_writes_its_feet(tmp_path, name):
    from gaitpose.predict.analyze import AnalyzeOptions, analyze_video
    from gaitpose.train.checkpoint import load_model

    weights = _constant_checkpoint(tmp_path / "w.pt", name)
    assert load_model(weights)[1]["joints"] == list(SKELETON_FEET.joints if name == "lite_feet" else JOINTS)
    seen = {}

    def run_gait(keypoints, fps, frames, min_score, feet, times_s, feet_source):
        seen.update(joints=keypoints, feet=feet, feet_source=feet_source)
        return {}, []

    record = analyze_video(_grey_video(tmp_path / "v.avi"), tmp_path / "out",
                           AnalyzeOptions(weights=str(weights), progress=False, overlay=False, follow=False), run_gait)
    with open(tmp_path / "out" / "keypoints_raw.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert seen["joints"].shape == (4, 8, 3)
    if name == "lite":                           # the 8-joint path as before: no foot columns, no feet
        assert seen["feet"] is None and seen["feet_source"] is None and record["foot_points"] is None
        assert "left_heel_x" not in rows[0]
        return
    # the 64 px frame is the 64 px input: left heel (point 8) at (36, 8), right heel 40, left toe 44, right toe 48
    assert seen["feet"].shape == (4, 4, 3)
    np.testing.assert_allclose(seen["feet"][:, :, 0], np.broadcast_to([36.0, 40.0, 44.0, 48.0], (4, 4)), atol=1e-4)
    np.testing.assert_allclose(seen["feet"][:, :, 1], 8.0, atol=1e-4)
    assert [float(rows[0][f"{p}_x"]) for p in FOOT_POINTS] == pytest.approx([36.0, 40.0, 44.0, 48.0], abs=1e-3)
    assert "lite_feet" in seen["feet_source"] and "12 points" in seen["feet_source"]
    assert record["foot_points"] == seen["feet_source"]


def test_the_summary_names_who_found_the_feet():
    from gaitpose.gait.pipeline import GaitOptions, _feet_source

    assert _feet_source(GaitOptions()) == "the keypoints file's foot columns"
    assert _feet_source(GaitOptions(feet_source="GaitPoseNet lite_feet")) == "GaitPoseNet lite_feet"


def test_event_errors_pair_each_true_event_with_the_nearest_found_one():
    from gaitpose.walk_accuracy import event_errors_s

    truth = {"left": {"heel_strike": [1.0, 2.0], "toe_off": [1.6]}, "right": {"heel_strike": [1.5], "toe_off": []}}
    found = {"left": {"heel_strike": [1.02, 1.97, 3.0], "toe_off": [1.2]}, "right": {"heel_strike": [1.45]}}
    out = event_errors_s(found, truth, max_error_s=0.25)
    assert out["heel_strike"]["errors_s"] == pytest.approx([0.02, -0.03, -0.05])
    assert out["heel_strike"]["missed"] == 0
    assert out["toe_off"] == {"errors_s": [], "missed": 1}     # 1.2 is 0.4 s from 1.6: missed


def test_the_report_header_names_the_skeleton_that_found_the_feet(tmp_path):
    from gaitpose.report.clinical import Analysis, header_rows

    source = "GaitPoseNet lite_feet (12 points: the 8 joints, heels and toe tips)"
    with_feet = dict(header_rows(Analysis(tmp_path, {"fps": 30.0}, {"backend": "pytorch-cpu lite_feet@256",
                                                                    "foot_points": source})))
    assert with_feet["Keypoints by"] == ("pytorch-cpu lite_feet@256; skeleton 8 joints (shoulders, hips, knees, "
                                         f"ankles; heels and toe tips from {source})")
    without = dict(header_rows(Analysis(tmp_path, {"fps": 30.0}, {"backend": "onnxruntime bundled lite@256"})))
    assert without["Keypoints by"].endswith("skeleton 8 joints (shoulders, hips, knees, ankles; no feet)")


def test_the_8_joints_are_scored_as_before_and_the_feet_apart():
    from gaitpose.train.evaluate import keypoint_metrics

    gt = np.zeros((1, 12, 3))
    gt[0, :8] = [[0, 0, 2], [100, 0, 2], [0, 100, 2], [100, 100, 2], [0, 150, 2], [100, 150, 2], [0, 200, 2],
                 [100, 200, 2]]                                   # box 100 × 200: delta = 100 px
    gt[0, 8:] = [[10, 190, 2], [90, 190, 2], [20, 195, 2], [0, 0, 0]]   # inside the box; right toe unlabelled
    pred = gt.copy()
    pred[0, 3, 0] += 30                                           # right hip 30 px off: wrong
    pred[0, 8, 0] += 9                                            # left heel 9 px off: within 0.1·delta, not 0.08
    pred[0, 10, 1] -= 50                                          # left toe 50 px off
    m = keypoint_metrics(pred, gt, np.ones(1))
    assert m["pcks@0.1"] == pytest.approx(7 / 8) and m["mean_px_error"] == pytest.approx(30 / 8)
    assert m["feet"]["left_heel"] == {"pcks@0.1": 1.0, "pcks@0.08": 0.0, "mean_px_error": pytest.approx(9.0),
                                      "labelled": 1}
    assert m["feet"]["left_toe"]["pcks@0.1"] == 0.0 and m["feet"]["left_toe"]["mean_px_error"] == pytest.approx(50.0)
    assert m["feet"]["right_heel"]["pcks@0.1"] == 1.0
    assert m["feet"]["right_toe"]["labelled"] == 0
    assert "feet" not in keypoint_metrics(pred[:, :8], gt[:, :8], np.ones(1))


def test_the_labelling_proposer_takes_the_8_joints_of_a_12_point_model(tmp_path):
    from gaitpose.label.propose import ModelProposer
    from gaitpose.predict.video import probe_video

    weights = _constant_checkpoint(tmp_path / "w.pt", "lite_feet")
    candidates = ModelProposer(str(weights), progress=False)(probe_video(_grey_video(tmp_path / "v.avi")), 1)
    assert candidates.keypoints.shape[1:] == (8, 3) and len(candidates.keypoints) > 0
    # point k at input x = 4 (k + 1): the 8 joints' own x, not the feet's (36 and more)
    assert np.nanmax(candidates.keypoints[..., 0]) < 36.0


def test_an_augmentation_mirror_moves_the_left_heel_and_its_weight_to_the_right_heel():
    from gaitpose.data.augment import affine_matrix, transform_keypoints

    kps = np.zeros((12, 4))
    kps[8] = (10.0, 50.0, 2, 0.7)               # left heel [x, y, v, weight]
    m = affine_matrix((50.0, 50.0), 0.0, 1.0, (0.0, 0.0), flip=True, width=100)   # x → 99 − x
    out = transform_keypoints(kps, m, True, 100, 100, SKELETON_FEET.flip_permutation())
    np.testing.assert_allclose(out[9], [89.0, 50.0, 2, 0.7])
    assert (out[8] == 0).all()
