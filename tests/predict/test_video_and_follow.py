import cv2
import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.predict.follow import Crop, FollowParams, SubjectFollower
from gaitpose.predict.video import iter_frames, probe_video


def _write_video(path, frames, fps=25.0):
    h, w = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for f in frames:
        writer.write(f)
    writer.release()


def test_not_a_video_is_one_clear_error(tmp_path):
    bad = tmp_path / "notes.mp4"
    bad.write_text("this is not a video")
    with pytest.raises(GaitposeError, match="not a readable video"):
        probe_video(bad)
    with pytest.raises(GaitposeError, match="not found"):
        probe_video(tmp_path / "missing.mp4")


def test_frames_stream_with_start_end_and_fps_override(tmp_path):
    frames = [np.full((48, 64, 3), 10 * i, np.uint8) for i in range(20)]
    path = tmp_path / "ramp.avi"
    _write_video(path, frames)
    info = probe_video(path)
    assert (info.width, info.height, info.fps) == (64, 48, 25.0)
    got = list(iter_frames(info, start_s=0.2, end_s=0.6))          # frames 5..14
    assert [i for i, _ in got] == list(range(5, 15))
    assert abs(float(got[0][1].mean()) - 50) < 3
    assert probe_video(path, fps=50.0).fps == 50.0
    with pytest.raises(GaitposeError, match="--fps"):
        probe_video(path, fps=-1)


def test_corrupted_frame_in_the_middle_is_reported_not_fatal(tmp_path):
    """An MJPG AVI with one frame's JPEG data zeroed: that frame yields None, the rest decode."""
    frames = [np.full((48, 64, 3), 10 * i, np.uint8) for i in range(12)]
    path = tmp_path / "broken.avi"
    _write_video(path, frames)
    data = bytearray(path.read_bytes())
    starts = [i for i in range(len(data) - 1) if data[i] == 0xFF and data[i + 1] == 0xD8]   # JPEG SOI markers
    assert len(starts) >= 12
    s, e = starts[6], starts[7]
    data[s:e - 8] = bytes(e - 8 - s)
    path.write_bytes(bytes(data))
    got = list(iter_frames(probe_video(path)))
    indices = [i for i, _ in got]
    bad = [i for i, f in got if f is None]
    assert indices == list(range(12)) and bad == [6]


def test_crop_maps_back_to_frame_pixels():
    frame = np.zeros((300, 500, 3), np.uint8)
    cv2.circle(frame, (420, 60), 2, (255, 255, 255), -1)
    crop = Crop(380.0, 20.0, 160.0)                                  # extends past the right border
    image, lb = crop.cut(frame, 64)
    ys, xs = np.nonzero(image[..., 0] > 0)
    w = image[ys, xs, 0].astype(float)
    centre_input = np.array([(xs * w).sum(), (ys * w).sum()]) / w.sum()
    np.testing.assert_allclose(crop.to_frame(centre_input[None], lb)[0], [420, 60], atol=1.0)
    full = Crop.full(500, 300)
    assert (full.x0, full.y0, full.side) == (0.0, -100.0, 500.0)


def test_follower_acquires_the_moving_figure_not_the_static_one():
    """A static figure (the 'statue') at the left, a moving one crossing the right half."""
    follower = SubjectFollower(640, 360, FollowParams(motion_width=320))
    for t in range(40):
        frame = np.full((360, 640, 3), 90, np.uint8)
        cv2.rectangle(frame, (40, 60), (80, 200), (30, 30, 30), -1)              # static figure
        x = 600 - 8 * t
        cv2.rectangle(frame, (x - 20, 120), (x + 20, 300), (220, 220, 220), -1)  # walker, right to left
        follower.observe_motion(frame)
    crop = follower.crops(1)[0]
    centre = crop.x0 + crop.side / 2
    assert abs(centre - (600 - 8 * 39)) < 40          # on the walker (x = 288), far from the statue (x = 60)


def test_follower_tracks_keypoints_and_lets_go_when_lost():
    follower = SubjectFollower(1000, 600, FollowParams(coast_frames=3, min_joints=5))
    kp = np.zeros((8, 3))
    kp[:, 0] = np.linspace(500, 540, 8)
    kp[:, 1] = np.linspace(200, 400, 8)
    kp[:, 2] = 0.9
    follower.update(kp)
    crop = follower.crops(1)[0]
    assert crop.side == pytest.approx(1.9 * 200)
    assert crop.x0 + crop.side / 2 == pytest.approx(520) and crop.y0 + crop.side / 2 == pytest.approx(300)
    lost = kp.copy()
    lost[:, 2] = 0.1
    for _ in range(4):
        follower.update(lost)
    assert not follower.tracking and follower.n_lost_frames == 4
