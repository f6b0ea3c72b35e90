"""The MediaPipe teacher: landmark mapping (by hand), a run on a real LSP image, the backend switch."""
import importlib.util
import json
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch

from gaitpose.data.coco import Sample, write_coco_keypoints
from gaitpose.data.importers import lsp_to_ours, read_lsp_joints
from gaitpose.data.letterbox import Letterbox
from gaitpose.errors import GaitposeError
from gaitpose.predict.backends import make_backend
from gaitpose.predict.teacher import TEACHER_POINTS, landmarks_to_points

_REPO = Path(__file__).resolve().parents[2]
LSP = _REPO.parent / "shared" / "data" / "lsp"
HAS_MEDIAPIPE = importlib.util.find_spec("mediapipe") is not None
needs_mediapipe = pytest.mark.skipif(not HAS_MEDIAPIPE, reason="MediaPipe (the teacher) not installed: `make teacher`")
needs_lsp = pytest.mark.skipif(not (LSP / "joints.mat").is_file(), reason="../shared/data/lsp not present")


def test_landmark_mapping_by_hand():
    # landmark i at x = i/40, y = i/80 of a 200×100 image, visibility i/33
    i = np.arange(33, dtype=float)
    landmarks = np.stack([i / 40, i / 80, np.zeros(33), i / 33], axis=1)
    points = landmarks_to_points(landmarks, width=200, height=100)
    assert TEACHER_POINTS[:8] == ("left_shoulder", "right_shoulder", "left_hip", "right_hip",
                                  "left_knee", "right_knee", "left_ankle", "right_ankle")
    assert TEACHER_POINTS[8:] == ("left_heel", "right_heel", "left_toe", "right_toe", "nose")
    # x = 200 i/40 - 0.5 = 5i - 0.5, y = 100 i/80 - 0.5 = 1.25i - 0.5 for landmarks 11, 12, 23..32, 0
    expected_x = [54.5, 59.5, 114.5, 119.5, 124.5, 129.5, 134.5, 139.5, 144.5, 149.5, 154.5, 159.5, -0.5]
    expected_y = [13.25, 14.5, 28.25, 29.5, 30.75, 32.0, 33.25, 34.5, 35.75, 37.0, 38.25, 39.5, -0.5]
    expected_v = np.array([11, 12, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 0]) / 33
    np.testing.assert_allclose(points[:, 0], expected_x)
    np.testing.assert_allclose(points[:, 1], expected_y)
    np.testing.assert_allclose(points[:, 2], expected_v)


def _hide_mediapipe(monkeypatch):
    monkeypatch.setitem(sys.modules, "mediapipe", None)        # `import mediapipe` now raises ImportError


def test_missing_mediapipe_says_which_make_target(monkeypatch):
    _hide_mediapipe(monkeypatch)
    with pytest.raises(GaitposeError, match="install it with `make teacher`"):
        make_backend(None, keypoints="mediapipe")


def test_keypoint_source_errors():
    with pytest.raises(GaitposeError, match="--keypoints: expected one of gaitposenet, mediapipe"):
        make_backend(None, keypoints="openpose")
    with pytest.raises(GaitposeError, match="do not apply to --keypoints mediapipe"):
        make_backend("some.pt", keypoints="mediapipe")


class _FakeTeacher:
    """Stands in for the MediaPipe backend: answers every joint at the input's centre; records its inputs."""

    calls: list[np.ndarray] = []

    def __init__(self, input_size=512, static=False, extra_points=False):
        self.input_size, self.static, self.n_points = 64, static, 8
        self.name = "fake teacher"
        self.pose = self

    def close(self):
        pass

    def __call__(self, images):
        _FakeTeacher.calls.append(images)
        centre = (images.shape[1] - 1) / 2
        out = np.full((len(images), 8, 3), centre)
        out[..., 2] = 0.0 if self.static is False else 1.0
        return out


def _room_video(path, size_wh, n_frames):
    """An empty room: n grey frames of size_wh at 25 frames/s (MJPG)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, size_wh)
    for k in range(n_frames):
        writer.write(np.full((size_wh[1], size_wh[0], 3), 80 + k, np.uint8))
    writer.release()
    return path


def test_analyze_picks_the_teacher_when_asked(tmp_path, monkeypatch):
    from gaitpose.gait.pipeline import GaitOptions
    from gaitpose.jobs import analyze
    from gaitpose.predict.analyze import AnalyzeOptions
    import gaitpose.predict.teacher as teacher

    monkeypatch.setattr(teacher, "TeacherBackend", _FakeTeacher)
    video = _room_video(tmp_path / "room.avi", (160, 96), 6)
    with pytest.raises(GaitposeError, match="no person found"):     # the fake's scores are 0: nobody
        analyze(video, tmp_path / "out", AnalyzeOptions(keypoints="mediapipe", progress=False, overlay=False),
                GaitOptions())
    record = json.loads((tmp_path / "out" / "analysis.json").read_text())
    assert record["backend"] == "fake teacher" and record["options"]["keypoints"] == "mediapipe"
    monkeypatch.undo()                                             # the real class, MediaPipe hidden
    _hide_mediapipe(monkeypatch)
    with pytest.raises(GaitposeError, match="make teacher"):
        analyze(video, tmp_path / "out2", AnalyzeOptions(keypoints="mediapipe", progress=False), GaitOptions())
    assert not (tmp_path / "out2").exists()


def test_eval_scores_the_teacher_on_the_networks_images(tmp_path, monkeypatch):
    """A 64×64 image letterboxed to the bundled 256 (scale 4: input = 4x + 1.5); the fake answers the input
    centre 127.5, i.e. original (31.5, 31.5). Four joints there, four at the corners of a 43 px box
    (delta 43 px = 172 input px; corners 121.6 input px away > 0.1 · 172): PCKs 4/8 at both eps."""
    import gaitpose.predict.teacher as teacher
    from gaitpose.jobs import evaluate

    image = np.full((64, 64, 3), 77, np.uint8)
    cv2.imwrite(str(tmp_path / "a.png"), image)
    kps = np.array([[31.5, 31.5, 2], [10, 10, 2], [31.5, 31.5, 2], [53, 10, 2],
                    [31.5, 31.5, 2], [10, 53, 2], [31.5, 31.5, 2], [53, 53, 2]], float)
    write_coco_keypoints(tmp_path / "ann.json", [Sample(tmp_path / "a.png", 64, 64, kps)])
    monkeypatch.setattr(teacher, "TeacherBackend", _FakeTeacher)
    _FakeTeacher.calls = []
    metrics = evaluate(str(tmp_path / "ann.json"), keypoints="mediapipe", json_path=str(tmp_path / "m.json"))
    (seen,) = _FakeTeacher.calls
    assert seen.shape == (1, 256, 256, 3) and seen.dtype == np.uint8 and (seen == 77).all()
    assert metrics["pcks@0.1"] == pytest.approx(0.5) and metrics["pcks@0.08"] == pytest.approx(0.5)
    assert [m["pcks@0.1"] for m in metrics["per_joint"].values()] == [1, 0, 1, 0, 1, 0, 1, 0]
    assert json.loads((tmp_path / "m.json").read_text())["keypoints"] == "mediapipe"
    with pytest.raises(GaitposeError, match="--flip"):
        evaluate(str(tmp_path / "ann.json"), keypoints="mediapipe", flip=True)
    monkeypatch.undo()
    _hide_mediapipe(monkeypatch)
    with pytest.raises(GaitposeError, match="make teacher"):
        evaluate(str(tmp_path / "ann.json"), keypoints="mediapipe")


def _lsp_person(number: int):
    joints = read_lsp_joints(LSP / "joints.mat")
    image = cv2.imread(str(LSP / "images" / f"im{number:05d}.jpg"))
    truth = lsp_to_ours(joints[number - 1], 1, image.shape[1], image.shape[0])
    return image, truth


@needs_mediapipe
@needs_lsp
def test_teacher_finds_the_hips_and_knees_of_a_real_person():
    """LSP im00004, an upright person 109 px from shoulders to ankles: the teacher's hips and knees lie within
    0.12 of that height of the labels, on the right side (its left hip is nearer the labelled left hip)."""
    from gaitpose.predict.teacher import MediaPipePose

    image, truth = _lsp_person(4)
    pose = MediaPipePose(static=True)
    points = pose.points(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))
    pose.close()
    height = np.ptp(truth[truth[:, 2] > 0, 1])
    err = np.hypot(*(points[2:6, :2] - truth[2:6, :2]).T) / height      # left/right hip, left/right knee
    assert (err < 0.12).all(), err
    swapped = np.hypot(*(points[[3, 2, 5, 4], :2] - truth[2:6, :2]).T) / height
    assert err.sum() < swapped.sum()
    assert (points[2:6, 2] > 0.5).all() and (points[:, 2] <= 1).all()


@needs_mediapipe
@needs_lsp
def test_teacher_backend_answers_in_the_letterboxed_inputs_pixels():
    """The eval path: the backend on the 256 px letterbox of the image answers where the labels map to."""
    from gaitpose.predict.teacher import TeacherBackend

    image, truth = _lsp_person(4)
    lb = Letterbox(image.shape[1], image.shape[0], 256)
    backend = TeacherBackend(static=True)
    kp = backend(lb.apply_image(cv2.cvtColor(image, cv2.COLOR_BGR2RGB))[None])[0]
    backend.pose.close()
    truth_in = lb.to_input(truth[:, :2])
    height_in = np.ptp(truth_in[truth[:, 2] > 0, 1])
    assert kp.shape == (8, 3)
    assert (np.hypot(*(kp[2:6, :2] - truth_in[2:6]).T) / height_in < 0.12).all()


def test_a_joint_the_source_did_not_find_is_wrong_and_left_out_of_the_pixel_error():
    from gaitpose.train.evaluate import keypoint_metrics

    gt = np.zeros((1, 8, 3))
    gt[0, :, 0], gt[0, :, 1], gt[0, :, 2] = np.arange(8) * 10.0, np.arange(8) * 20.0, 2
    pred = gt.copy()
    pred[0, :, 0] += 3.0                                  # 3 px off (scale 2: 1.5 original px)
    pred[0, 5, :2] = np.nan                               # the right knee not found
    m = keypoint_metrics(pred, gt, np.array([2.0]))
    assert m["pcks@0.1"] == pytest.approx(7 / 8) and m["missing_predictions"] == 1
    assert m["mean_px_error"] == pytest.approx(1.5) and np.isnan(m["per_joint"]["right_knee"]["mean_px_error"])


class _FakeTeacherWithFeet(_FakeTeacher):
    """Answers the 8 joints at the centre and the 4 foot points (and the nose) 10 input px below it."""

    def __init__(self, input_size=512, static=False, extra_points=False):
        super().__init__(input_size, static, extra_points)
        self.n_points = 13 if extra_points else 8

    def __call__(self, images):
        centre = (images.shape[1] - 1) / 2
        out = np.full((len(images), self.n_points, 3), centre)
        out[:, 8:, 1] += 10
        out[..., 2] = 0.9
        return out


def test_analyze_gives_the_teachers_feet_to_the_gait_step(tmp_path, monkeypatch):
    from gaitpose.predict.analyze import AnalyzeOptions, analyze_video
    from gaitpose.gait.readers import read_feet
    import gaitpose.predict.teacher as teacher

    monkeypatch.setattr(teacher, "TeacherBackend", _FakeTeacherWithFeet)
    video = _room_video(tmp_path / "room.avi", (64, 64), 4)
    seen = {}

    def run_gait(keypoints, fps, frames, min_score, feet, times_s, feet_source):
        seen["joints"], seen["feet"], seen["feet_source"] = keypoints, feet, feet_source
        return {}, []

    analyze_video(video, tmp_path / "out", AnalyzeOptions(keypoints="mediapipe", progress=False, overlay=False,
                                                          follow=False), run_gait)
    # the 64 px input is the whole 64 px frame: joints at (31.5, 31.5), feet 10 px lower
    assert seen["joints"].shape == (4, 8, 3) and seen["feet"].shape == (4, 4, 3)
    np.testing.assert_allclose(seen["feet"][:, :, :2], np.broadcast_to([31.5, 41.5], (4, 4, 2)))
    feet, note = read_feet(tmp_path / "out" / "keypoints_raw.csv")
    assert note == ""
    np.testing.assert_allclose(feet, seen["feet"])
