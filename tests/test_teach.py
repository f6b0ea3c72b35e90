"""`gaitpose teach`: the guards (hand-built tracks), the annotation it writes, and bad input."""
import importlib.util
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest

from gaitpose.cli import main
from gaitpose.data.coco import load_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.metrics import torso_lengths_px
from gaitpose.teach import (TeachOptions, collect_inputs, drop_far_leg, drop_low_visibility, drop_outside,
                            fix_swaps, landmark_annotation, teach)

_REPO = Path(__file__).resolve().parents[1]
LSP = _REPO.parent / "shared" / "data" / "lsp"
needs_mediapipe = pytest.mark.skipif(importlib.util.find_spec("mediapipe") is None,
                                     reason="MediaPipe (the teacher) not installed: `make teacher`")
needs_lsp = pytest.mark.skipif(not (LSP / "joints.mat").is_file(), reason="../shared/data/lsp not present")

# joint indices: 0/1 shoulders, 2/3 hips, 4/5 knees, 6/7 ankles; 8/9 heels, 10/11 toes, 12 nose


def _standing(n=1):
    """n frames of a person: shoulders at y 0, hips 100 (torso 100 px), legs apart at x 40 / 80."""
    p = np.zeros((n, 13, 3))
    p[:, :, 2] = 0.9
    p[:, 0:2, :2] = [[60, 0], [62, 0]]
    p[:, 2:4, :2] = [[60, 100], [62, 100]]
    p[:, 4:6, :2] = [[40, 150], [80, 150]]
    p[:, 6:8, :2] = [[40, 200], [80, 200]]
    p[:, 8:12, :2] = [[35, 205], [75, 205], [30, 210], [70, 210]]
    p[:, 12, :2] = [60, -20]
    return p


def test_far_leg_drawn_on_the_near_one_is_dropped():
    p = _standing(3)
    p[1, 5, :2], p[1, 7, :2] = [45, 152], [44, 203]        # right leg within 10 px (0.1 torso) of the left
    p[1, 5, 2] = 0.6                                        # ... and less visible
    p[2, 5, :2] = [45, 152]                                 # knees together but ankles apart: a crossing
    assert np.median(torso_lengths_px(p)) == pytest.approx(100)
    out, dropped = drop_far_leg(p, 100.0, 0.1)
    assert dropped.tolist() == [False, True, False]
    assert np.isnan(out[1, [5, 7], :2]).all() and np.isfinite(out[1, [0, 1, 2, 3, 4, 6], :2]).all()
    np.testing.assert_array_equal(out[[0, 2]], p[[0, 2]])


def test_low_visibility_joints_dropped_feet_kept():
    p = _standing()
    p[0, 3, 2], p[0, 9, 2] = 0.49, 0.1
    out, n = drop_low_visibility(p, 0.5)
    assert n == 1 and np.isnan(out[0, 3, :2]).all()
    assert np.isfinite(out[0, 9, :2]).all()                 # feet are kept with their confidence


def test_points_beyond_the_border_dropped():
    # a 100×50 image spans -0.5 … 99.5 by -0.5 … 49.5 (pixel centres at integers)
    p = np.array([[[-0.6, 10, 1], [-0.4, 10, 1], [99.5, 49.5, 1], [50, 49.6, 1], [np.nan, np.nan, 0]]])
    out = drop_outside(p, 100, 50)
    assert np.isnan(out[0, :, 0]).tolist() == [True, False, False, True, True]
    assert out[0, :, 2].tolist() == [1, 1, 1, 1, 0]


def _walk(n=120, period=40):
    """Side-view legs: ankles at x = 100 ± 40 sin(2π t / period) cross every period/2 frames; knees halfway."""
    t = np.arange(n)
    s = np.sin(2 * np.pi * t / period)
    p = np.zeros((n, 13, 3))
    p[:, :, 2] = 0.9
    p[:, 0:2, :2] = [100, 20]
    p[:, 2:4, :2] = [100, 100]
    for side, sign in ((0, 1), (1, -1)):
        p[:, 4 + side, 0], p[:, 4 + side, 1] = 100 + sign * 20 * s, 150
        p[:, 6 + side, 0], p[:, 6 + side, 1] = 100 + sign * 40 * s, 200
        p[:, 8 + side, 0], p[:, 8 + side, 1] = 95 + sign * 40 * s, 205        # heel
        p[:, 10 + side, 0], p[:, 10 + side, 1] = 110 + sign * 40 * s, 205     # toe
    return p


def test_left_right_swaps_fixed_against_the_legs_followed_through_crossings():
    truth = _walk()
    given = truth.copy()
    swapped_frames = np.arange(45, 50)                      # mid-step (crossings at multiples of 20)
    for a, b in ((4, 5), (6, 7), (8, 9), (10, 11)):
        given[swapped_frames, a], given[swapped_frames, b] = truth[swapped_frames, b], truth[swapped_frames, a]
    fixed, swapped, agreement = fix_swaps(given, fps=30.0)
    np.testing.assert_allclose(fixed, truth)
    assert np.flatnonzero(swapped[:, 6]).tolist() == swapped_frames.tolist()
    assert np.flatnonzero(swapped[:, 4]).tolist() == swapped_frames.tolist()
    assert not swapped[:, :4].any()
    # the teacher's ankle labels agree except on the 5 swapped frames and, at most, the 6 crossing frames
    assert (120 - 5 - 6) / 120 <= agreement <= (120 - 5) / 120


def test_annotation_in_crop_pixels_with_weights_and_feet():
    p = _standing()[0]
    p[5, :2] = np.nan                                        # a dropped knee
    p[11, :2] = np.nan                                       # a toe the teacher did not give
    kps, extras = landmark_annotation(p, (30, -30))
    assert kps[:, 2].tolist() == [2, 2, 2, 2, 2, 0, 2, 2]
    np.testing.assert_allclose(kps[0], [30, 30, 2])
    np.testing.assert_allclose(kps[6], [10, 230, 2])
    assert kps[5].tolist() == [0, 0, 0]
    assert extras["keypoint_weights"] == [0.9, 0.9, 0.9, 0.9, 0.9, 0.0, 0.9, 0.9]
    assert extras["feet"] == {"left_heel": [5, 235, 0.9], "right_heel": [45, 235, 0.9],
                              "left_toe": [0, 240, 0.9], "right_toe": [0, 0, 0]}


def test_bad_inputs_one_line_each(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GaitposeError, match="empty folder"):
        collect_inputs([str(empty)])
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "readme.txt").write_text("x")
    with pytest.raises(GaitposeError, match="none of its 1 files is an image or a video"):
        collect_inputs([str(notes)])
    with pytest.raises(GaitposeError, match="not an image or a video"):
        collect_inputs([str(notes / "readme.txt")])
    with pytest.raises(GaitposeError, match="no such file or folder"):
        collect_inputs([str(tmp_path / "nope")])
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    for name in ("b.jpg", "a.MP4", "c.txt", ".hidden.jpg"):
        (mixed / name).write_bytes(b"x")
    files, skipped = collect_inputs([str(mixed)])
    assert [f.name for f in files] == ["a.MP4", "b.jpg"] and skipped == [str(mixed / "c.txt")]


def test_missing_mediapipe_names_the_make_target(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "mediapipe", None)
    image = tmp_path / "a.jpg"
    cv2.imwrite(str(image), np.zeros((8, 8, 3), np.uint8))
    assert main(["teach", str(image), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "install it with `make teacher`" in err
    assert not (tmp_path / "out").exists()


@needs_mediapipe
def test_video_with_nobody_and_corrupt_image_write_nothing(tmp_path):
    video = tmp_path / "room.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (160, 96))
    for k in range(8):
        writer.write(np.full((96, 160, 3), 80 + k, np.uint8))
    writer.release()
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8 not really a jpeg")
    with pytest.raises(GaitposeError) as info:
        teach([str(video), str(tmp_path / "broken.jpg")], tmp_path / "out")
    message = str(info.value)
    assert "\n" not in message and "nothing written" in message
    assert "room.avi: nobody found in 8 frames" in message and "1 frames unreadable" in message
    assert not (tmp_path / "out").exists()


@needs_mediapipe
@needs_lsp
def test_teach_an_lsp_image(tmp_path):
    """im00004: the written crop and keypoints put the hips and knees near the LSP labels (0.12 of the
    109 px shoulder-to-ankle height), with weights and feet; a corrupt image beside it is reported."""
    from gaitpose.data.importers import lsp_to_ours, read_lsp_joints

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "im00004.jpg").write_bytes((LSP / "images" / "im00004.jpg").read_bytes())
    (folder / "broken.png").write_bytes(b"garbage")
    (folder / "notes.txt").write_text("not an image")
    report = teach([str(folder)], tmp_path / "out", TeachOptions())
    assert report["totals"]["frames_written"] == 1 and report["skipped_files"] == [str(folder / "notes.txt")]
    assert report["sources"][0]["frames_dropped"] == {"unreadable (corrupt or not an image)": 1}
    (sample,) = load_coco_keypoints(tmp_path / "out" / "annotations.json")
    ann = json.loads((tmp_path / "out" / "annotations.json").read_text())["annotations"][0]
    crop = cv2.imread(str(sample.image_path))
    assert crop.shape[:2] == (sample.height, sample.width)
    image = cv2.imread(str(LSP / "images" / "im00004.jpg"))
    truth = lsp_to_ours(read_lsp_joints(LSP / "joints.mat")[3], 1, image.shape[1], image.shape[0])
    x0, y0 = ann["source"]["crop_xy"]
    original = image[y0:y0 + sample.height, x0:x0 + sample.width].astype(int)
    assert np.abs(crop.astype(int) - original).mean() < 2                  # the same pixels, JPEG at 95
    kept = sample.keypoints_8x3[:, 2] > 0
    height = np.ptp(truth[truth[:, 2] > 0, 1])
    err = np.hypot(*(sample.keypoints_8x3[2:6, :2] + (x0, y0) - truth[2:6, :2]).T) / height
    assert kept[2:6].all() and (err < 0.12).all()
    weights = np.array(ann["keypoint_weights"])
    assert weights.shape == (8,) and ((weights >= 0.5) == kept).all() and (weights <= 1).all()
    assert set(ann["feet"]) == {"left_heel", "right_heel", "left_toe", "right_toe"}
