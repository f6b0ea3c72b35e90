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


def test_calibrate_checkpoint_stores_the_threshold_that_analyze_then_uses(tmp_path, monkeypatch):
    """Hand-built predictions on one sample (box 10 × 100 px → 1 px at eps 0.1): joints 0-5 exact with scores
    0.9 … 0.4, joints 6-7 20 px off with scores 0.35 and 0.05. F1 is best keeping the six correct ones (t 0.4)."""
    import json

    import cv2
    import torch

    import gaitpose.train.evaluate as evaluate
    from gaitpose.model import build_model
    from gaitpose.predict.analyze import resolve_min_score
    from gaitpose.predict.backends import TorchBackend
    from gaitpose.train.calibrate import calibrate_checkpoint
    from gaitpose.train.checkpoint import save_checkpoint

    gt = np.zeros((1, 8, 3))
    gt[0, :, 0] = [0, 10, 0, 10, 0, 10, 0, 10]
    gt[0, :, 1] = [0, 0, 40, 40, 70, 70, 100, 100]
    gt[0, :, 2] = 2
    pred = gt.copy()
    pred[0, :, 2] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.05]
    pred[0, 6:, 1] += 20
    monkeypatch.setattr(evaluate, "collect_predictions", lambda *a, **k: (pred, gt, np.ones(1)))
    cv2.imwrite(str(tmp_path / "a.png"), np.zeros((64, 64, 3), np.uint8))
    (tmp_path / "val.json").write_text(json.dumps({
        "images": [{"id": 1, "file_name": "a.png", "width": 64, "height": 64}],
        "annotations": [{"id": 1, "image_id": 1, "keypoints": gt.ravel().tolist()}]}))
    weights = tmp_path / "w.pt"
    save_checkpoint(weights, build_model("lite"), input_size=64, config={})
    record = calibrate_checkpoint(str(weights), [str(tmp_path / "val.json")])
    assert record["min_score"] == 0.4 and np.isclose(record["f1"], 1.0) and record["n_joints"] == 8
    backend = TorchBackend(str(weights), device="cpu")
    assert backend.min_score == 0.4
    assert resolve_min_score(None, backend) == 0.4 and resolve_min_score(0.2, backend) == 0.2
    assert torch.load(weights, weights_only=False)["calibration"]["kept_precision"] == 1.0
    # the shipped model made from it keeps the threshold, in the fp16 checkpoint and in its ONNX export
    from gaitpose.predict.export import bundle_checkpoint
    from gaitpose.predict.onnx_runtime import OnnxKeypointModel
    shipped = bundle_checkpoint(weights, tmp_path / "shipped.pt")
    assert torch.load(shipped, weights_only=False)["min_score"] == 0.4
    assert OnnxKeypointModel(shipped.with_suffix(".onnx")).min_score == 0.4


def test_without_calibration_the_default_is_0_3_and_a_bad_min_score_is_named():
    import pytest

    from gaitpose.errors import GaitposeError
    from gaitpose.predict.analyze import resolve_min_score

    assert resolve_min_score(None, object()) == 0.3
    with pytest.raises(GaitposeError, match=r"--min-score: expected a score in \[0, 1\), got 1.5"):
        resolve_min_score(1.5, object())


def test_onnx_metadata_carries_the_threshold():
    import onnx
    from onnx import TensorProto, helper

    from gaitpose.predict.export import with_metadata
    from gaitpose.predict.onnx_runtime import OnnxKeypointModel

    x = helper.make_tensor_value_info("images", TensorProto.FLOAT, ["n", 3, 32, 32])
    y = helper.make_tensor_value_info("heatmap", TensorProto.FLOAT, ["n", 3, 32, 32])
    graph = helper.make_graph([helper.make_node("Identity", ["images"], ["heatmap"])], "g", [x], [y])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    plain = model.SerializeToString()
    assert OnnxKeypointModel(plain).min_score is None
    assert OnnxKeypointModel(with_metadata(plain, {"gaitpose.min_score": "0.125"})).min_score == 0.125
    assert onnx.load_from_string(with_metadata(plain, {"a": "b"})).metadata_props[0].key == "a"
