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
