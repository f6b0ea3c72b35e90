"""Subject-wise 4:1 split: whole subjects on one side, deterministic by seed."""
import json

import pytest

from gaitpose.data.split import split_file, split_indices


def test_subjects_are_kept_apart_and_one_fifth_goes_to_validation():
    subjects = [f"s{k}" for k in range(10) for _ in range(3)]        # 10 subjects × 3 frames
    split = split_indices(subjects, 0.2, seed=1)
    assert split.by_subject and len(split.val_subjects) == 2 and len(split.val) == 6 and len(split.train) == 24
    assert {subjects[i] for i in split.train}.isdisjoint({subjects[i] for i in split.val})
    assert sorted(split.train + split.val) == list(range(30))
    assert split_indices(subjects, 0.2, seed=1) == split


def test_seed_changes_which_subjects_are_held_out():
    subjects = [f"s{k}" for k in range(10)]
    held_out = {split_indices(subjects, 0.2, seed=s).val_subjects for s in range(10)}
    assert len(held_out) > 1


def test_without_subject_ids_split_frame_wise_with_a_warning():
    with pytest.warns(UserWarning, match="frame-wise"):
        split = split_indices([None] * 25, 0.2, seed=0)
    assert not split.by_subject and len(split.val) == 5 and len(split.train) == 20


def test_split_file_writes_two_datasets(tmp_path):
    images = [{"id": i, "file_name": f"im{i}.png", "width": 10, "height": 10, "subject": f"p{i % 5}"} for i in range(20)]
    anns = [{"id": i, "image_id": i, "keypoints": [1, 1, 2] * 8} for i in range(20)]
    (tmp_path / "all.json").write_text(json.dumps({"images": images, "annotations": anns}))
    split = split_file(tmp_path / "all.json", tmp_path / "t" / "train.json", tmp_path / "val.json", seed=3)
    train = json.loads((tmp_path / "t" / "train.json").read_text())
    val = json.loads((tmp_path / "val.json").read_text())
    assert len(train["annotations"]) == 16 and len(val["annotations"]) == 4       # 4 of 5 subjects / 1 of 5
    assert {im["subject"] for im in val["images"]} == set(split.val_subjects)
    assert not {im["subject"] for im in train["images"]} & set(split.val_subjects)
    assert train["images"][0]["file_name"].startswith("../im")                  # still points at the images
