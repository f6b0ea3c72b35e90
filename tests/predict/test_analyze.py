import json
import subprocess
import sys

import cv2
import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.jobs import analyze
from gaitpose.predict.analyze import AnalyzeOptions


def _empty_room_video(path, n=12):
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25.0, (160, 96))
    for i in range(n):
        writer.write(np.full((96, 160, 3), 80 + i, np.uint8))
    writer.release()


def test_video_without_a_person_keeps_partial_results(tmp_path, untrained_weights):
    video = tmp_path / "room.avi"
    _empty_room_video(video)
    out = tmp_path / "out"
    with pytest.raises(GaitposeError, match="no person found"):
        analyze(video, out, AnalyzeOptions(weights=str(untrained_weights), progress=False), GaitOptions())
    record = json.loads((out / "analysis.json").read_text())
    assert record["status"] == "no person found" and record["frames_analysed"] == 12
    lines = (out / "keypoints.csv").read_text().splitlines()
    assert lines[0].startswith("frame,time_s,left_shoulder_x") and len(lines) == 13


def test_start_and_end_select_frames(tmp_path, untrained_weights):
    video = tmp_path / "room.avi"
    _empty_room_video(video, n=20)
    out = tmp_path / "out"
    with pytest.raises(GaitposeError):
        analyze(video, out, AnalyzeOptions(weights=str(untrained_weights), progress=False, start_s=0.2, end_s=0.6),
                GaitOptions())
    frames = [int(line.split(",")[0]) for line in (out / "keypoints.csv").read_text().splitlines()[1:]]
    assert frames == list(range(5, 15))
    with pytest.raises(GaitposeError, match="start < end"):
        analyze(video, out, AnalyzeOptions(weights=str(untrained_weights), progress=False, start_s=1, end_s=0.5),
                GaitOptions())


@pytest.mark.parametrize("content", [b"not a video at all", b""])
def test_cli_rejects_a_file_that_is_not_a_video(tmp_path, content):
    bad = tmp_path / "clip.mp4"
    bad.write_bytes(content)
    proc = subprocess.run([sys.executable, "-m", "gaitpose.cli", "analyze", str(bad), "--out", str(tmp_path / "o")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not a readable video" in proc.stderr
    assert not (tmp_path / "o").exists()


def test_a_video_that_ends_before_its_header_says_is_named_truncated(tmp_path, untrained_weights):
    # 20 frames written, the file cut in half: the AVI header still announces 20, OpenCV reads 1 (the index
    # at the end is gone). One line names the file and the frames; what could be written is kept.
    video = tmp_path / "room.avi"
    _empty_room_video(video, n=20)
    data = video.read_bytes()
    cut = tmp_path / "cut.avi"
    cut.write_bytes(data[:len(data) // 2])
    out = tmp_path / "out"
    with pytest.raises(GaitposeError) as err:
        analyze(cut, out, AnalyzeOptions(weights=str(untrained_weights), progress=False), GaitOptions())
    message = str(err.value)
    assert "\n" not in message and message.startswith(f"{cut}: the video ends after frame 1 of the 20 its header")
    assert "truncated" in message and "no person found in 1 frames" in message
    record = json.loads((out / "analysis.json").read_text())
    assert record["ended_early"].startswith("the video ends after frame 1 of the 20")
    assert (out / "keypoints.csv").is_file()


def test_ended_early_only_below_nine_tenths_of_the_announced_frames_and_without_end():
    from gaitpose.predict.analyze import ended_early
    from gaitpose.predict.video import VideoInfo

    info = VideoInfo("walk.mp4", 30.0, 240, 960, 540)
    assert ended_early(info, 216, None) is None                  # 0.9 × 240 = 216: an estimated count's slack
    assert ended_early(info, 215, None).startswith("the video ends after frame 215 of the 240 its header announces")
    assert ended_early(info, 100, end_s=4.0) is None             # --end asked for part of it
    assert ended_early(VideoInfo("walk.mkv", 30.0, 0, 960, 540), 100, None) is None   # no count in the header
