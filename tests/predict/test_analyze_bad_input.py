"""`gaitpose analyze` on bad input: a negative --start, a start past the end of the video, a --weights path
that is not a checkpoint, and a gait step that fails after the keypoints were found. Each is one
GaitposeError naming the problem; nothing is written before the network has run, and what it found is
kept after."""
import json

import cv2
import numpy as np
import pytest
import torch

import gaitpose
from gaitpose.errors import GaitposeError
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.jobs import analyze
from gaitpose.predict.analyze import AnalyzeOptions
from gaitpose.train.checkpoint import save_checkpoint


def _video(path, n=12, fps=25.0):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (160, 96))
    for i in range(n):
        writer.write(np.full((96, 160, 3), 80 + i, np.uint8))
    writer.release()
    return path


def _checkpoint(path, heatmap_bias: float):
    """A lite checkpoint at 64 px whose heatmap head outputs `heatmap_bias` everywhere: every joint scores it."""
    torch.manual_seed(0)
    model = gaitpose.build_model("lite")
    torch.nn.init.zeros_(model.heatmap[-1].weight)
    torch.nn.init.constant_(model.heatmap[-1].bias, heatmap_bias)
    save_checkpoint(path, model, input_size=64, config={})
    return str(path)


@pytest.mark.parametrize("start_s,end_s", [(-0.5, None), (-0.1, 0.3)])
def test_negative_start_is_refused_before_anything_runs(tmp_path, start_s, end_s):
    out = tmp_path / "out"
    with pytest.raises(GaitposeError, match=r"--start/--end: expected 0 <= start < end"):
        analyze(_video(tmp_path / "v.avi"), out,
                AnalyzeOptions(weights=str(tmp_path / "not-read.pt"), start_s=start_s, end_s=end_s, progress=False),
                GaitOptions())
    assert not out.exists()


def test_start_past_the_end_names_the_range_and_writes_nothing(tmp_path):
    # 12 frames at 25 fps last 0.48 s; a start at 2 s leaves no frame.
    out = tmp_path / "out"
    weights = _checkpoint(tmp_path / "w.pt", 0.5)
    with pytest.raises(GaitposeError, match=r"v.avi: no frame in the requested range \(2.0–None s\)"):
        analyze(_video(tmp_path / "v.avi"), out, AnalyzeOptions(weights=weights, start_s=2.0, progress=False),
                GaitOptions())
    assert not out.exists()


def test_bad_weights_path_is_one_line_and_writes_nothing(tmp_path):
    video = _video(tmp_path / "v.avi")
    out = tmp_path / "out"
    with pytest.raises(GaitposeError, match=r"missing.pt: weights file not found"):
        analyze(video, out, AnalyzeOptions(weights=str(tmp_path / "missing.pt"), progress=False), GaitOptions())
    (tmp_path / "notes.pt").write_text("not a checkpoint")
    with pytest.raises(GaitposeError, match=r"notes.pt: not a gaitpose checkpoint"):
        analyze(video, out, AnalyzeOptions(weights=str(tmp_path / "notes.pt"), progress=False), GaitOptions())
    assert not out.exists()


def test_failed_gait_step_keeps_the_keypoints_and_says_why(tmp_path):
    # Every joint scores 0.5 (a "person" is found in all 12 frames), but 12 frames hold no two strides: the
    # gait step fails; the network's keypoints and the overlay stay, and analysis.json says what happened.
    out = tmp_path / "out"
    with pytest.raises(GaitposeError) as err:
        analyze(_video(tmp_path / "v.avi"), out,
                AnalyzeOptions(weights=_checkpoint(tmp_path / "w.pt", 0.5), progress=False), GaitOptions())
    message = str(err.value)
    assert message.endswith(f"(keypoints.csv and overlay.mp4 kept in {out})") and "\n" not in message
    record = json.loads((out / "analysis.json").read_text())
    assert record["status"].startswith("gait analysis failed: ") and record["frames_analysed"] == 12
    assert record["status"] == "gait analysis failed: " + message.rsplit(" (keypoints.csv", 1)[0]
    assert list(record["stage_seconds"]) == ["motion_prepass", "keypoints", "gait"]   # written before the overlay
    for name in ("keypoints.csv", "keypoints_raw.csv"):
        lines = (out / name).read_text().splitlines()
        assert len(lines) == 13 and lines[1].split(",")[:2] == ["0", "0"]
        assert lines[1].split(",")[4] == "0.5"                  # the left shoulder's score: the head's bias
    assert (out / "overlay.mp4").stat().st_size > 0
    assert not (out / "summary.json").exists()
