import numpy as np
import pytest
import torch

from gaitpose import encode_targets
from gaitpose.train.loss import LossWeights, multitask_loss


def _batch(size=64, unlabelled=()):
    rng = np.random.default_rng(0)
    kps = np.column_stack([rng.uniform(8, size - 8, (8, 2)), np.full(8, 2.0)])
    for k in unlabelled:
        kps[k, 2] = 0
    depth = rng.uniform(1000, 3000, (size, size)).astype(np.float32)
    depth[:5] = 0
    t = encode_targets(kps, input_size=size, depth=depth)
    return {k: torch.from_numpy(v)[None] for k, v in t.items()}


def _perfect(t):
    return {k: t[k].clone() for k in ("heatmap", "offset", "jgs", "depth")}


def test_perfect_prediction_has_zero_loss():
    t = _batch()
    terms = multitask_loss(_perfect(t), t)
    assert set(terms) == {"heatmap", "jgs", "depth", "offset", "total"}
    assert all(float(v) == 0.0 for v in terms.values())


def test_weights_and_terms_by_hand():
    t = _batch()
    pred = _perfect(t)
    pred["heatmap"] = pred["heatmap"] + 0.1          # MSE 0.01 on every pixel of every labelled channel
    pred["offset"] = pred["offset"] + 0.5            # MSE 0.25 on positives
    terms = multitask_loss(pred, t)
    assert float(terms["heatmap"]) == pytest.approx(0.01, rel=1e-5)
    assert float(terms["offset"]) == pytest.approx(0.25, rel=1e-5)
    assert float(terms["total"]) == pytest.approx(16 * 0.01 + 2 * 0.25, rel=1e-5)
    terms = multitask_loss(pred, t, LossWeights(heatmap=1.0, offset=0.0))
    assert float(terms["total"]) == pytest.approx(0.01, rel=1e-5)


def test_offsets_outside_positives_do_not_count():
    t = _batch()
    pred = _perfect(t)
    outside = t["offset_mask"] == 0
    pred["offset"][outside] = 123.0
    assert float(multitask_loss(pred, t)["total"]) == 0.0


def test_unlabelled_joints_and_invalid_depth_are_masked():
    t = _batch(unlabelled=(4,))
    pred = _perfect(t)
    pred["heatmap"][:, 4] = 5.0                      # left knee: unlabelled
    pred["jgs"][:, 4:6] = 5.0                        # its two bones
    pred["depth"][:, :, :5] = 0.7                    # rows with no depth reading
    assert float(multitask_loss(pred, t)["total"]) == 0.0
    pred["heatmap"][:, 3] += 1.0                     # a labelled channel does count
    assert float(multitask_loss(pred, t)["heatmap"]) == pytest.approx(1 / 7, rel=1e-5)
