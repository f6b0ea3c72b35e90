import cv2
import numpy as np
import pytest

from gaitpose.data.coco import Sample, load_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.model import build_model
from gaitpose.train.checkpoint import read_checkpoint, save_checkpoint
from gaitpose.train.finetune import (FinetuneRequest, crop_to_subject, default_holdout, default_replay, finetune,
                                     holdout_indices)


def test_holdout_is_one_in_five_spread_over_the_frames():
    assert [default_holdout(n) for n in (1, 2, 3, 9, 10, 20, 40)] == [0, 0, 1, 1, 2, 4, 8]
    assert holdout_indices(20, 4) == [4, 8, 11, 15]         # linspace(0, 19, 6) inside: 3.8, 7.6, 11.4, 15.2
    assert holdout_indices(5, 0) == []


def test_replay_is_the_training_files_under_data(tmp_path):
    for name in ("synth/train.json", "synth/val.json", "real/lsp_train.json", "real/lsp_val.json", "x.json"):
        (tmp_path / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "data" / name).write_text("{}")
    assert default_replay(tmp_path / "data") == [str(tmp_path / "data/real/lsp_train.json"),
                                                 str(tmp_path / "data/synth/train.json")]
    assert default_replay(tmp_path / "nothing") == []


def test_crop_is_the_followers_square_around_the_labelled_joints(tmp_path):
    image = np.zeros((300, 400, 3), np.uint8)
    image[150, 200] = (0, 0, 255)                          # a red pixel (BGR) at x 200, y 150
    cv2.imwrite(str(tmp_path / "frame.png"), image)
    kps = np.zeros((8, 3))
    kps[:4] = [[180, 100, 2], [220, 100, 2], [200, 200, 1], [200, 150, 2]]    # box 40 × 100, centre (200, 150)
    crop = crop_to_subject(Sample(tmp_path / "frame.png", 400, 300, kps, subject="s"), tmp_path / "crop.png")
    # side = 1.9 × 100 = 190 (more than 0.12 × 400); top-left at centre - 95 = (105, 55)
    assert (crop.width, crop.height) == (190, 190)
    assert crop.keypoints_8x3[:4].tolist() == [[75, 45, 2], [115, 45, 2], [95, 145, 1], [95, 95, 2]]
    assert crop.keypoints_8x3[4:].tolist() == [[0, 0, 0]] * 4
    cut = cv2.imread(str(tmp_path / "crop.png"))
    assert cut.shape == (190, 190, 3) and cut[95, 95].tolist() == [0, 0, 255]


def test_finetune_writes_a_checkpoint_that_records_its_labels_and_eval_takes(tiny_dataset, tmp_path):
    base = tmp_path / "base.pt"
    loss = {"heatmap": 640.0, "jgs": 4.0, "depth": 1.0, "offset": 2.0}           # as the bundled model's
    save_checkpoint(base, build_model("lite"), input_size=64, config={"loss": loss})
    out = tmp_path / "tuned.pt"
    record = finetune(FinetuneRequest(labels=[str(tiny_dataset)], out=str(out), weights=str(base), replay=[],
                                      overrides={"epochs": 2, "batch_size": 2, "max_steps_per_epoch": 2,
                                                 "data.workers": 0}), progress=False)
    assert (record["n_labelled"], record["n_trained"], record["n_holdout"]) == (6, 5, 1)
    assert record["holdout_images"] == [str(tiny_dataset.parent / "im2.png")]     # linspace(0, 5, 3)[1] = 2.5 → 2
    assert record["steps"] == 4 and record["epochs_run"] == 2
    for key in ("holdout_before", "holdout_after"):
        assert record[key]["n_images"] == 1 and 0 <= record[key]["pcks@0.1"] <= 1
    ckpt = read_checkpoint(out)
    assert ckpt["finetune"] == record and ckpt["input_size"] == 64 and ckpt["config"]["freeze"] == ["stem", "stages.0"]
    tuned, base_state = ckpt["state_dict"], read_checkpoint(base)["state_dict"]
    assert ckpt["config"]["loss"] == loss          # tuned in the balance the base model was trained with
    # frozen: the weights and the batch-norm statistics (running means and variances, batch counts)
    frozen = [k for k in tuned if k.startswith(("stem.", "stages.0."))]
    assert any(k.endswith("running_mean") for k in frozen)
    assert frozen and all(np.array_equal(tuned[k].numpy(), base_state[k].numpy()) for k in frozen)
    assert any(not np.array_equal(tuned[k].numpy(), base_state[k].numpy()) for k in tuned if k.endswith("running_mean"))
    assert any(not np.array_equal(tuned[k].numpy(), base_state[k].numpy()) for k in tuned if k.startswith("heatmap"))
    train_set = load_coco_keypoints(tmp_path / "tuned.finetune" / "labelled_train.json")
    assert len(train_set) == 5 and all(s.width == s.height for s in train_set)              # crops, not frames

    from gaitpose.train.evaluate import evaluate_file
    assert evaluate_file(str(tiny_dataset), weights=str(out))["n_images"] == 6


def test_finetune_says_what_is_wrong(tiny_dataset, tmp_path):
    with pytest.raises(GaitposeError, match="--holdout: expected 0 to 5 of the 6 labelled frames, got 6"):
        finetune(FinetuneRequest(labels=[str(tiny_dataset)], out=str(tmp_path / "m.pt"), replay=[], holdout=6),
                 progress=False)
    with pytest.raises(GaitposeError, match="missing.json: file not found"):
        finetune(FinetuneRequest(labels=[str(tmp_path / "missing.json")], out=str(tmp_path / "m.pt")), progress=False)


def test_training_stops_at_its_time_budget(tiny_dataset, tmp_path):
    from gaitpose.train.config import config_from_dict
    from gaitpose.train.loop import train
    cfg = config_from_dict({"name": "budget", "model": "lite", "input_size": 64, "epochs": 3, "batch_size": 2,
                            "max_steps_per_epoch": 3, "max_minutes": 1e-9, "out_dir": str(tmp_path),
                            "data": {"train": [str(tiny_dataset)], "workers": 0}})
    assert train(cfg, progress=False)["step"] == 1            # any step outlasts the budget: one, then stop
    assert read_checkpoint(tmp_path / "budget" / "last.pt")["step"] == 1     # and what it learnt is saved


def test_augmentation_changes_are_checked():
    from gaitpose.train.config import augment_params, config_from_dict
    assert augment_params({"scale_range": [0.5, 1.5], "rotation_deg": 20.0}).scale_range == (0.5, 1.5)
    with pytest.raises(GaitposeError, match=r"\[data.augmentation\]: unknown key\(s\) rotation;"):
        config_from_dict({"data": {"train": ["a.json"], "augmentation": {"rotation": 5}}})
