import numpy as np
import pytest

from gaitpose import pcks
from gaitpose.metrics import pcks_per_joint


def _gt():
    # labelled joints span x 100..200 (width 100) and y 0..200 (height 200): delta = 100
    xy = np.array([[100, 0], [200, 0], [100, 100], [200, 100], [120, 150], [180, 150], [100, 200], [150, 200]], float)
    return np.column_stack([xy, np.full(8, 2.0)])[None]


def test_joint_exactly_at_threshold_counts():
    gt = _gt()
    pred = gt[..., :2].copy()
    pred[0, 0] += (6.0, 8.0)                        # distance 10 = 0.1 × 100: correct at eps 0.1
    pred[0, 1] += (0.0, 10.5)                       # beyond
    assert pcks(pred, gt, eps=0.1) == pytest.approx(7 / 8)
    assert pcks(pred, gt, eps=0.08) == pytest.approx(6 / 8)


def test_unlabelled_joints_are_not_counted_and_change_delta():
    gt = _gt()
    gt[0, 1, 2] = 0                                 # right shoulder (200, 0) unlabelled: width still 100
    gt[0, 6, 2] = 0                                 # left ankle (100, 200) unlabelled
    gt[0, 7, 2] = 0                                 # right ankle (150, 200): height now 150, delta 100
    pred = gt[..., :2].copy()
    pred[0, 1] += 1000                              # wrong but unlabelled: ignored
    pred[0, 2] += (0, 9)                            # 9 <= 10
    pred[0, 3] += (0, 11)                           # 11 > 10
    assert pcks(pred, gt, eps=0.1) == pytest.approx(4 / 5)


def test_mean_over_samples_and_per_joint():
    gt = np.concatenate([_gt(), _gt() * [2, 2, 1]])   # second sample twice as large: delta 200
    pred = gt[..., :2].copy()
    pred[0, 5] += 15                                   # wrong in sample 0 (15·√2 > 10)
    pred[1, 5] += 15                                   # right in sample 1 (21.2 <= 20? no: 21.2 > 20)
    pred[1, 4] += (12, 16)                             # 20 <= 20: correct
    assert pcks(pred, gt, eps=0.1) == pytest.approx((7 / 8 + 7 / 8) / 2)
    per = pcks_per_joint(pred, gt, eps=0.1)
    assert per["right_knee"] == 0.0 and per["left_knee"] == 1.0 and per["left_shoulder"] == 1.0


def test_nan_prediction_is_wrong():
    gt = _gt()
    pred = gt[..., :2].copy()
    pred[0, 0] = np.nan
    assert pcks(pred, gt) == pytest.approx(7 / 8)


def test_delta_is_the_shorter_side_of_a_wide_box():
    # A person lying across the image: labelled joints span x 0..400 (width 400), y 0..100 (height 100),
    # so delta = 100 and a joint counts within 10 px at eps 0.1 (not 40 px, as the width would give).
    xy = np.array([[0, 0], [400, 0], [50, 100], [350, 100], [100, 50], [300, 50], [150, 20], [250, 80]], float)
    gt = np.column_stack([xy, np.full(8, 2.0)])[None]
    pred = gt[..., :2].copy()
    pred[0, 0] += (0.0, 10.0)                      # 10 px: correct
    pred[0, 1] += (20.0, 0.0)                      # 20 px: within 0.1 × width, but not × height: wrong
    pred[0, 2] += (6.0, 8.0)                       # 10 px: correct
    pred[0, 3] += (0.0, 35.0)                      # wrong
    assert pcks(pred, gt, eps=0.1) == pytest.approx(6 / 8)
    assert pcks(pred, gt, eps=0.08) == pytest.approx(4 / 8)      # 10 px > 8 px: the first and third fail too
    per = pcks_per_joint(pred, gt, eps=0.1)
    assert per["right_shoulder"] == 0.0 and per["left_shoulder"] == 1.0


def test_samples_with_different_numbers_of_labelled_joints_weigh_the_same():
    # Sample 0: 8 labelled joints, 7 correct → 7/8. Sample 1: 4 labelled (the legs hidden), 1 correct →
    # 1/4. PCKs averages per sample: (0.875 + 0.25) / 2 = 0.5625 — pooling the joints would give 8/12.
    gt = np.concatenate([_gt(), _gt()])               # both: delta 100 (x 100..200, y 0..200)
    gt[1, 4:, 2] = 0                                 # sample 1: knees and ankles unlabelled
    # sample 1's labelled joints (shoulders, hips) span x 100..200, y 0..100: delta 100
    pred = gt[..., :2].copy()
    pred[0, 7] += (0.0, 30.0)
    pred[1, 1] += (0.0, 30.0)
    pred[1, 2] += (30.0, 0.0)
    pred[1, 3] += (-30.0, 0.0)
    pred[1, 4:] += 500.0                             # unlabelled: not counted
    assert pcks(pred, gt, eps=0.1) == pytest.approx((7 / 8 + 1 / 4) / 2)
    per = pcks_per_joint(pred, gt, eps=0.1)
    assert per["left_shoulder"] == 1.0 and per["right_shoulder"] == 0.5 and per["right_ankle"] == 0.0
    assert per["left_knee"] == 1.0                   # counted in sample 0 only


def test_sample_without_extent_or_labels_is_left_out():
    gt = np.concatenate([_gt(), _gt()])
    gt[1, :, 2] = 0                                  # nothing labelled: left out of the mean
    pred = gt[..., :2].copy()
    pred[0, 0] += 50
    assert pcks(pred, gt) == pytest.approx(7 / 8)
    gt[0, :, 2] = 0
    gt[0, 0, 2] = 2                                  # one joint: no box (delta 0): left out too
    assert np.isnan(pcks(pred, gt))
    assert np.isnan(pcks_per_joint(pred, gt)["left_shoulder"])
    with pytest.raises(ValueError, match="N×K×2"):
        pcks(pred[0], gt)


def test_defaults_occluded_joints_tiny_boxes_and_score_columns():
    gt = _gt()
    pred = gt[..., :2].copy()
    pred[0, 0] += (15.0, 0.0)                        # 0.15 · delta: wrong at the default eps 0.1
    assert pcks(pred, gt) == pytest.approx(7 / 8)
    assert pcks_per_joint(pred, gt)["left_shoulder"] == 0.0
    occluded = gt.copy()
    occluded[0, :, 2] = 1                            # labelled but occluded (COCO v = 1): still counted
    assert pcks(pred, occluded) == pytest.approx(7 / 8)
    # with a score column beside x, y the score is not a coordinate
    scored = np.concatenate([pred, np.full((1, 8, 1), 0.9)], axis=-1)
    assert pcks(scored, gt) == pytest.approx(7 / 8)
    # a child far away: joints within a 0.5 px box (delta 0.5) still make a sample
    tiny = gt.copy()
    tiny[..., :2] = gt[..., :2] / 400                # x span 0.25, y span 0.5: delta 0.25
    near = tiny[..., :2].copy()
    near[0, 1] += (0.0, 0.02)                        # 0.02 <= 0.025: correct
    near[0, 2] += (0.0, 0.03)                        # wrong
    assert pcks(near, tiny) == pytest.approx(7 / 8)


@pytest.mark.parametrize("pred_cols,gt_cols,samples", [(1, 3, 1), (2, 2, 1), (2, 3, 2)])
def test_shapes_are_checked(pred_cols, gt_cols, samples):
    # one column of prediction; ground truth without visibility; two predicted samples for one truth
    gt = _gt()[:, :, :gt_cols]
    pred = np.zeros((samples, 8, pred_cols))
    with pytest.raises(ValueError, match=r"expected pred N×K×2 and gt N×K×3"):
        pcks(pred, gt)
