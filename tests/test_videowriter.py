"""The mp4 writer: frames in, a file that OpenCV reads back; nothing left behind when writing fails."""
import cv2
import numpy as np
import pytest

from gaitpose.videowriter import VideoWriter


def _frames(n: int, w: int = 67, h: int = 49) -> list[np.ndarray]:
    return [np.full((h, w, 3), 20 * i, np.uint8) for i in range(n)]


def test_written_video_reads_back_with_even_size_and_every_frame(tmp_path):
    path = tmp_path / "sub" / "overlay.mp4"
    with VideoWriter(path, 10.0, 67, 49) as w:                  # odd sizes: yuv420p needs even ones
        for f in _frames(8):
            w.write(f)
    assert [p.name for p in path.parent.iterdir()] == ["overlay.mp4"]
    cap = cv2.VideoCapture(str(path))
    assert (int(cap.get(cv2.CAP_PROP_FRAME_WIDTH)), int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))) == (66, 48)
    assert cap.get(cv2.CAP_PROP_FPS) == pytest.approx(10.0)
    means = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        means.append(float(frame.mean()))
    cap.release()
    assert len(means) == 8
    assert means == pytest.approx([20.0 * i for i in range(8)], abs=8)    # H.264 shifts flat grey a little


def test_a_failure_while_writing_keeps_the_old_video_and_no_temporary(tmp_path):
    path = tmp_path / "overlay.mp4"
    path.write_bytes(b"old video")
    with pytest.raises(RuntimeError, match="stopped"):
        with VideoWriter(path, 10.0, 64, 48) as w:
            w.write(_frames(1, 64, 48)[0])
            raise RuntimeError("stopped")
    assert path.read_bytes() == b"old video"
    assert [p.name for p in tmp_path.iterdir()] == ["overlay.mp4"]
