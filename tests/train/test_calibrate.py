"""Score calibration worked by hand."""
import numpy as np

from gaitpose.train.calibrate import best_threshold, side_agnostic_correct


def test_threshold_maximises_f1():
    # scores 0.9 0.8 0.7 0.2 0.1, correct T T F T F (3 correct):
    # t=0.9: tp1 kept1 → 2/(1+3)=0.5; t=0.8: 4/5=0.8; t=0.7: 4/6=0.667; t=0.2: 6/7=0.857; t=0.1: 6/8=0.75
    t, f1 = best_threshold(np.array([0.1, 0.9, 0.2, 0.8, 0.7]), np.array([0, 1, 1, 1, 0], bool))
    assert t == 0.2 and np.isclose(f1, 6 / 7)


def test_equal_scores_are_kept_or_dropped_together_and_ties_keep_more():
    # 0.5 0.5 correct T F, 0.3 correct T: t=0.5 → 2/(2+2)=0.5, t=0.3 → 4/(3+2)=0.8
    t, f1 = best_threshold(np.array([0.5, 0.5, 0.3]), np.array([1, 0, 1], bool))
    assert t == 0.3 and np.isclose(f1, 0.8)
    # all correct: keep all (lowest score), F1 1
    assert best_threshold(np.array([0.4, 0.6]), np.array([1, 1], bool)) == (0.4, 1.0)


def test_exchanged_legs_count_as_found():
    """Box of the labelled joints is 10 × 100 px (δ = 10, eps 0.1 → 1 px). The predicted knees are exchanged
    (correct side-agnostic, wrong for PCKs); the predicted left ankle is 5 px off (wrong either way)."""
    gt = np.zeros((1, 8, 3))
    gt[0, :, 2] = 2
    gt[0, :, 0] = [0, 10, 0, 10, 0, 10, 0, 10]
    gt[0, :, 1] = [0, 0, 40, 40, 70, 70, 100, 100]
    pred = gt.copy()
    pred[0, [4, 5]] = pred[0, [5, 4]]
    pred[0, 6, 1] += 5
    correct, counted = side_agnostic_correct(pred, gt)
    assert counted.all()
    assert correct[0].tolist() == [True, True, True, True, True, True, False, True]
