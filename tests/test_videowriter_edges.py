"""The mp4 writer at its edges (cases mutation testing found unpinned): the encoder settings written into
the stream, odd sizes, where the temporary file lives, a failing ffmpeg, and the OpenCV fallback."""
import stat

import cv2
import numpy as np
import pytest

import gaitpose.videowriter as videowriter
from gaitpose.videowriter import VideoWriter


def _frames(n: int, w: int, h: int) -> list[np.ndarray]:
    return [np.full((h, w, 3), 30 * i, np.uint8) for i in range(n)]


def _read_back(path) -> tuple[tuple[int, int], int]:
    cap = cv2.VideoCapture(str(path))
    size = (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT)))
    n = 0
    while cap.read()[0]:
        n += 1
    cap.release()
    return size, n


def test_h264_at_crf_23_even_size_and_a_hidden_temporary_beside_the_target(tmp_path):
    # 65 × 47 px: yuv420p needs even sizes, so 64 × 46 (one column and one row dropped). While writing, the
    # only file is a hidden temporary beside the target (".overlay.…mp4"); after close the target, 0644.
    path = tmp_path / "new" / "deeper" / "overlay.mp4"
    w = VideoWriter(path, 10.0, 65, 47)
    assert w.codec == "h264" and (w.width, w.height) == (64, 46)
    for f in _frames(4, 65, 47):
        w.write(f)
    (tmp,) = path.parent.iterdir()
    assert tmp.name.startswith(".overlay.") and tmp.name.endswith(".mp4")
    w.close()
    assert [p.name for p in path.parent.iterdir()] == ["overlay.mp4"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert _read_back(path) == ((64, 46), 4)
    # x264 writes its settings into the stream: the constant rate factor asked for, 23 by default
    assert b"crf=23.0" in path.read_bytes() and b"avc1" in path.read_bytes()


def test_failing_ffmpeg_is_one_error_and_keeps_the_old_video(tmp_path):
    # ffmpeg refuses a frame rate of 0 and exits with an error; its message (at most 300 characters of it)
    # is passed on, the temporary file removed and the old video left as it was.
    path = tmp_path / "overlay.mp4"
    path.write_bytes(b"old video")
    w = VideoWriter(path, 0.0, 64, 48)
    try:
        w.write(_frames(1, 64, 48)[0])
    except BrokenPipeError:                  # ffmpeg may already have stopped reading
        pass
    with pytest.raises(RuntimeError, match=f"^ffmpeg failed writing {path}: .*framerate") as err:
        w.close()
    assert len(str(err.value)) <= len(f"ffmpeg failed writing {path}: ") + 300
    assert path.read_bytes() == b"old video"
    assert [p.name for p in tmp_path.iterdir()] == ["overlay.mp4"]


def test_without_ffmpeg_opencv_writes_mpeg4(tmp_path, monkeypatch):
    monkeypatch.setattr(videowriter, "_ffmpeg", lambda: None)
    path = tmp_path / "overlay.mp4"
    with VideoWriter(path, 10.0, 64, 48) as w:
        assert w.codec == "mp4v"
        for f in _frames(5, 64, 48):
            w.write(f)
    assert [p.name for p in tmp_path.iterdir()] == ["overlay.mp4"]
    # the MP4 sample entry of MPEG-4 Part 2 video is "mp4v" (H.264's is "avc1")
    data = path.read_bytes()
    assert b"mp4v" in data and b"avc1" not in data
    cap = cv2.VideoCapture(str(path))
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(10.0)
    cap.release()
    assert _read_back(path) == ((64, 48), 5)
    # closed explicitly, the file is kept too
    w = VideoWriter(tmp_path / "b.mp4", 10.0, 64, 48)
    w.write(_frames(1, 64, 48)[0])
    w.close()
    assert _read_back(tmp_path / "b.mp4") == ((64, 48), 1)
