import cv2
import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.predict.follow import Crop, FollowParams, SubjectFollower
from gaitpose.predict.motion import MotionScanner, link_tracks, travel_heights, walker_boxes
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


def _scene(t: int) -> np.ndarray:
    """A big figure dancing in place at the left (the man on the roof), moving from frame 0, and a
    smaller walker entering at frame 10 and crossing from right to left at 8 px per frame."""
    frame = np.full((360, 640, 3), 90, np.uint8)
    jump, arm = np.random.default_rng(t).integers(-30, 31, 2)                  # jumps and waves at random
    cv2.rectangle(frame, (40, 60 + jump), (140, 230 + jump), (30, 30, 30), -1)
    cv2.rectangle(frame, (140, 100 + arm), (190, 120 + arm), (30, 30, 30), -1)
    if t >= 10:
        x = 600 - 8 * (t - 10)
        cv2.rectangle(frame, (x - 20, 160), (x + 20, 300), (220, 220, 220), -1)
    return frame


def test_walker_is_the_figure_that_travels_not_the_one_moving_in_place():
    scanner = MotionScanner()
    motion = {t: scanner.boxes(_scene(t)) for t in range(60)}
    assert sum(any(b[0] + b[2] < 200 for b in motion[t]) for t in motion) >= 10   # the dancer moves ...
    walker = walker_boxes(motion, fps=30.0)
    assert walker and min(walker) >= 10                       # ... but the walker starts when it enters
    for t in (20, 40, 59):
        x, y, w, h = walker[t]
        assert abs(x + w / 2 - (600 - 8 * (t - 10))) < 15     # centred on the walker
        assert abs(y + h / 2 - 230) < 20


def test_link_tracks_and_travel_by_hand():
    # One region moving 10 px/frame right for 1.1 s, one jittering in place; a 2-frame gap is bridged.
    boxes = {f: [(10.0 * f, 0.0, 20.0, 40.0), (300.0 + (f % 2), 0.0, 20.0, 40.0)] for f in range(12) if f not in (4, 5)}
    tracks = link_tracks(boxes, fps=10.0, link_gap_s=0.3)
    assert len(tracks) == 2
    mover = next(t for t in tracks if 0 in t and t[0][0] == 0.0)
    assert sorted(mover) == [0, 1, 2, 3, 6, 7, 8, 9, 10, 11]
    assert travel_heights(mover) == pytest.approx(110 / 40)    # centre x 10 → 120, height 40
    walker = walker_boxes(boxes, fps=10.0)
    assert walker[5] == pytest.approx((50.0, 0.0, 20.0, 40.0))   # filled across the gap
    assert walker_boxes({f: [(300.0 + f % 2, 0.0, 20.0, 40.0)] for f in range(12)}, fps=10.0) == {}
    # The same mover seen for only 0.5 s (frames 0-5: the background model starting up, or someone
    # passing through) travels 1.25 heights but is no walker.
    assert walker_boxes({f: [(10.0 * f, 0.0, 20.0, 40.0)] for f in range(6)}, fps=10.0) == {}


def test_a_merged_region_stays_with_the_walker_it_overlaps_most_not_the_nearer_small_one():
    # A tall walker (40 × 200 px, 10 px/frame) and its reflection in a mirror behind (20 × 60 px), both
    # moving right. In frame 10 they form one region, x 100–220: its centre (160, 100) lies 10 px from
    # the reflection's last centre (160, 90) but 50 px from the walker's (110, 100). Intersection over
    # union with the walker's last box: 30·200 / (8000 + 24000 − 6000) = 0.23; with the reflection's:
    # 20·60 / 24000 = 0.05. The region continues the walker's track, and the reflection's track goes
    # on after the one frame it missed.
    walker = {f: (10.0 * f, 0.0, 40.0, 200.0) for f in range(21)}
    mirror = {f: (60.0 + 10.0 * f, 60.0, 20.0, 60.0) for f in range(21)}
    boxes = {f: [walker[f], mirror[f]] for f in range(21)}
    boxes[10] = [(100.0, 0.0, 120.0, 200.0)]
    tracks = link_tracks(boxes, fps=10.0, link_gap_s=0.3)
    assert len(tracks) == 2
    tall = next(t for t in tracks if t[0] == walker[0])
    small = next(t for t in tracks if t[0] == mirror[0])
    assert sorted(tall) == list(range(21)) and tall[10] == (100.0, 0.0, 120.0, 200.0)
    assert sorted(small) == [f for f in range(21) if f != 10]
    assert all(small[f] == mirror[f] for f in small)


def test_follower_follows_the_walker_box_and_drops_someone_else():
    follower = SubjectFollower(640, 360)
    kp = np.zeros((8, 3))
    kp[:, 0], kp[:, 1], kp[:, 2] = np.linspace(60, 120, 8), np.linspace(60, 220, 8), 0.9
    follower.update(kp)                                       # locked on the dancer
    assert follower.tracking
    follower.observe_motion([], walker_box=(400.0, 160.0, 40.0, 140.0))
    assert not follower.tracking                              # the walker is elsewhere: let go
    crop = follower.crops(1)[0]
    assert abs(crop.x0 + crop.side / 2 - 420) < 1 and abs(crop.y0 + crop.side / 2 - 230) < 1
    follower.update(kp + np.array([340.0, 100.0, 0.0]))        # keypoints on the walker
    follower.observe_motion([], walker_box=(400.0, 160.0, 40.0, 140.0))
    assert follower.tracking


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


def test_walker_box_spans_the_whole_body_when_regions_are_parts():
    from gaitpose.predict.motion import whole_body_boxes

    frames = np.arange(6)
    # torso (y 100-200) and legs (y 200-300) seen in turn, moving right 5 px a frame
    boxes = np.array([[10.0 + 5 * f, 100.0 if f % 2 == 0 else 200.0, 20.0, 100.0] for f in frames])
    out = whole_body_boxes(frames, boxes, window=1)
    np.testing.assert_allclose(out[:, 1], 100.0)                 # top of the torso ...
    np.testing.assert_allclose(out[:, 3], 200.0)                 # ... to the feet
    np.testing.assert_allclose(out[:, 0], boxes[:, 0])           # x unchanged
    single = whole_body_boxes(np.array([0, 10]), np.array([[0.0, 150.0, 20.0, 50.0], [0.0, 100.0, 20.0, 150.0]]), 1)
    # 75th percentile of the heights 50 and 150 is 125: the short box grows to it about its middle (y 175)
    np.testing.assert_allclose(single[0, [1, 3]], [112.5, 125.0])
    np.testing.assert_allclose(single[1, [1, 3]], [100.0, 150.0])


def test_the_walker_is_followed_over_all_its_passes_and_told_from_another_person_by_colour():
    from gaitpose.predict.motion import box_colour, colour_distance, walker_tracks
    from gaitpose.predict.track import walker_present

    # 10 fps. Person A (all red) walks right over frames 0-20, turns (not moving for frames 21-29: no box),
    # walks back left over frames 30-50; person B (all blue) walks right over frames 60-90 (3.0 s, longer
    # than either pass of A, shorter than both together: 2.0 + 2.0 s). Boxes 20 × 40 px, 10 px a frame.
    red, blue = np.zeros((40, 20, 3), np.uint8), np.zeros((40, 20, 3), np.uint8)
    red[..., 2], blue[..., 0] = 255, 255
    boxes: dict[int, list] = {}
    images: dict[int, np.ndarray] = {}
    for f in range(91):
        if f <= 20:
            x, patch = 10.0 * f, red
        elif 30 <= f <= 50:
            x, patch = 10.0 * (50 - f), red
        elif f >= 60:
            x, patch = 10.0 * (f - 60), blue
        else:
            continue
        frame = np.zeros((40, 400, 3), np.uint8)
        frame[:, int(x):int(x) + 20] = patch
        boxes[f], images[f] = [(x, 0.0, 20.0, 40.0)], frame
    colours = {f: [box_colour(images[f], b) for b in boxes[f]] for f in boxes}
    # One colour in one bin: the same person 0 apart, red and blue share no bin: 1 apart.
    assert colour_distance(colours[0][0], colours[40][0]) == pytest.approx(0.0, abs=1e-6)
    assert colour_distance(colours[0][0], colours[70][0]) == pytest.approx(1.0, abs=1e-6)
    # Without colours: one track, the one travelling furthest (B: 300 px against 200).
    assert [(min(t), max(t)) for t in walker_tracks(boxes, fps=10.0)] == [(60, 90)]
    # With colours: A over both passes (4.0 s of walking against B's 3.0 s).
    assert [(min(t), max(t)) for t in walker_tracks(boxes, fps=10.0, colours=colours)] == [(0, 20), (30, 50)]
    walker = walker_boxes(boxes, fps=10.0, colours=colours)
    assert sorted(walker) == list(range(0, 21)) + list(range(30, 51))     # not filled across the turn
    # Present within 0.5 s (5 frames) of a frame where A was seen walking: frames 0-25 and 25-55, so the
    # whole 0.9 s turn too; not from 56 on (B's frames are not A's).
    assert [walker_present(walker, f, 10.0) for f in (0, 23, 26, 55, 56, 60)] == [True, True, True, True, False, False]
    # B walking longer (frames 60-110, 5.0 s) is the one who walks most.
    for f in range(91, 111):
        frame = np.zeros((40, 700, 3), np.uint8)
        x = 10.0 * (f - 60)
        frame[:, int(x):int(x) + 20] = blue
        boxes[f], images[f] = [(x, 0.0, 20.0, 40.0)], frame
        colours[f] = [box_colour(frame, boxes[f][0])]
    assert [(min(t), max(t)) for t in walker_tracks(boxes, fps=10.0, colours=colours)] == [(60, 110)]
