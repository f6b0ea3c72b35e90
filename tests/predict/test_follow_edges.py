"""Subject following at its edges, worked by hand (the cases mutation testing found unpinned): which moving
region is followed, the crop's side, the constant-velocity prediction, coasting and letting go, and the
crop's copy at the frame's borders."""
import numpy as np
import pytest

from gaitpose.predict.follow import Crop, FollowParams, SubjectFollower, _near


def _kp(cx: float, cy: float, half_w: float = 20.0, half_h: float = 100.0, score: float = 0.9) -> np.ndarray:
    """8 joints spread over a box centred on (cx, cy): x from cx − half_w to cx + half_w, y likewise."""
    kp = np.zeros((8, 3))
    kp[:, 0] = np.linspace(cx - half_w, cx + half_w, 8)
    kp[:, 1] = np.linspace(cy - half_h, cy + half_h, 8)
    kp[:, 2] = score
    return kp


def _centre(crop: Crop) -> tuple[float, float]:
    return crop.x0 + crop.side / 2, crop.y0 + crop.side / 2


def test_without_motion_or_subject_the_whole_frame():
    follower = SubjectFollower(640, 360)
    assert follower.crops(2) == [Crop(0.0, -140.0, 640.0)] * 2          # (360 − 640) / 2 = −140
    follower.observe_motion([])
    assert follower.crops(1) == [Crop(0.0, -140.0, 640.0)]
    full = Crop.full(300, 500)                                           # portrait: padded left and right
    assert (full.x0, full.y0, full.side) == (-100.0, 0.0, 500.0)


def test_the_largest_moving_region_is_acquired_with_its_crop_side():
    # Areas 100, 52 000, 128 (the widest for its height) and 5 000 (the tallest): the second, centred on
    # (230, 150); its side 260 (width, the longer) × margin 1.9 / 1.3 = 380.
    follower = SubjectFollower(640, 360)
    follower.observe_motion([(0.0, 0.0, 10.0, 10.0), (100.0, 50.0, 260.0, 200.0), (300.0, 0.0, 16.0, 8.0),
                             (500.0, 0.0, 20.0, 250.0)])
    (crop,) = follower.crops(1)
    assert _centre(crop) == pytest.approx((230.0, 150.0)) and crop.side == pytest.approx(1.9 * 260 / 1.3)


def test_while_tracking_the_region_nearest_the_subject_is_kept_for_when_it_is_lost():
    # Subject centred on (400, 200). Regions centred on (400, 200) (A, small), (330, 180) (B) and (100, 100)
    # (C, the largest): A is nearest; once the subject is lost (coast_frames 0), the crop is on A.
    follower = SubjectFollower(640, 360, FollowParams(coast_frames=0))
    follower.update(_kp(400.0, 200.0))
    follower.observe_motion([(380.0, 150.0, 40.0, 100.0), (300.0, 150.0, 60.0, 60.0), (0.0, 0.0, 200.0, 200.0)])
    follower.update(_kp(400.0, 200.0, score=0.1))
    assert not follower.tracking
    (crop,) = follower.crops(1)
    assert _centre(crop) == pytest.approx((400.0, 200.0))
    assert crop.side == pytest.approx(1.9 * 100 / 1.3)   # A's longer side 100: 146.2 (more than 0.12 × 640)


@pytest.mark.parametrize("other", [(390.0, 150.0, 20.0, 40.0), (310.0, 195.0, 180.0, 40.0)])
def test_nearness_is_measured_between_centres(other):
    # Subject at (400, 200). Region A (300, 150, 200, 100) is centred on it; the other is centred 30 px above
    # it ((400, 170), small) or 15 px below it ((400, 215), wide and flat): A is nearer, though corners, or a
    # width taken for a height, would make the other look nearer.
    follower = SubjectFollower(640, 360, FollowParams(coast_frames=0))
    follower.update(_kp(400.0, 200.0))
    follower.observe_motion([other, (300.0, 150.0, 200.0, 100.0)])
    follower.update(_kp(400.0, 200.0, score=0.1))
    (crop,) = follower.crops(1)
    assert _centre(crop) == pytest.approx((400.0, 200.0)) and crop.side == pytest.approx(1.9 * 200 / 1.3)


def test_constant_velocity_prediction_by_hand():
    # Centres (300, 180) → (310, 180) → (320, 180): velocity 0.3 × 10 = 3 px, then 0.7 × 3 + 0.3 × 10 = 5.1 px
    # a frame; the next crops are centred 5.1 and 10.2 px ahead. Side 1.9 × 200 (the joints' box height).
    follower = SubjectFollower(640, 360)
    for x in (300.0, 310.0):
        follower.update(_kp(x, 180.0))
    assert [_centre(c)[0] for c in follower.crops(2)] == pytest.approx([313.0, 316.0])
    follower.update(_kp(320.0, 180.0))
    crops = follower.crops(2)
    assert [_centre(c) for c in crops] == [pytest.approx((325.1, 180.0)), pytest.approx((330.2, 180.0))]
    assert crops[0].side == pytest.approx(1.9 * 200)
    # Lost: the centre coasts on at the velocity (325.1, then 330.2) for coast_frames (15) frames.
    follower.update(_kp(0.0, 0.0, score=0.1))
    assert _centre(follower.crops(1)[0]) == pytest.approx((330.2, 180.0))


def test_coasting_lasts_coast_frames_then_lets_go():
    follower = SubjectFollower(640, 360, FollowParams(coast_frames=3))
    follower.update(_kp(300.0, 180.0))
    lost = _kp(300.0, 180.0, score=0.1)
    for _ in range(3):
        follower.update(lost)
        assert follower.tracking                         # 1, 2, 3 frames lost: still coasting
    follower.update(lost)
    assert not follower.tracking and follower.n_lost_frames == 4
    # found again twice: tracking restarts, and the velocity from a standstill
    follower.update(_kp(200.0, 180.0))
    follower.update(_kp(210.0, 180.0))
    assert _centre(follower.crops(1)[0]) == pytest.approx((213.0, 180.0))


def test_coasting_out_of_the_frame_lets_go_at_once():
    follower = SubjectFollower(640, 360)
    follower.update(_kp(600.0, 180.0))
    follower.update(_kp(630.0, 180.0))                   # velocity 0.3 × 30 = 9 px a frame
    lost = _kp(0.0, 0.0, score=0.1)
    follower.update(lost)                                # 639: inside
    assert follower.tracking
    follower.update(lost)                                # 648: past the right edge (640)
    assert not follower.tracking


def test_the_frame_edges_and_the_joint_count_at_their_limits():
    f = SubjectFollower(640, 360)
    inside = [(0.0, 0.0), (639.9, 359.9)]
    outside = [(640.0, 10.0), (10.0, 360.0), (-0.1, 10.0), (10.0, -0.1), (700.0, 100.0), (100.0, 400.0)]
    assert [f._inside(np.array(p)) for p in inside] == [True, True]
    assert [f._inside(np.array(p)) for p in outside] == [False] * 6
    # exactly min_joints (5) joints at exactly min_score (0.3) are a subject
    kp = _kp(300.0, 180.0, score=0.1)
    kp[:5, 2] = 0.3
    f.update(kp)
    assert f.tracking


def test_near_means_inside_the_box_grown_by_half_its_size():
    # Box x 100-140, y 100-180 (w 40, h 80): near is x 80 … 160 and y 60 … 220, edges included.
    box = (100.0, 100.0, 40.0, 80.0)
    near = [(80.0, 120.0), (160.0, 120.0), (82.0, 120.0), (120.0, 60.0), (120.0, 220.0), (120.0, 65.0)]
    far = [(79.0, 120.0), (161.0, 120.0), (50.0, 120.0), (120.0, 59.0), (120.0, 221.0), (120.0, 0.0)]
    assert [_near(np.array(p), box) for p in near] == [True] * 6
    assert [_near(np.array(p), box) for p in far] == [False] * 6


def test_the_walker_box_keeps_the_crop_as_large_as_the_walker_and_is_taken_at_once():
    # Keypoints bunched in 40 × 40 px on the walker's box (200, 100, 60, 200): the crop side is the larger
    # of 1.9 × 40 = 76 and the walker's 1.9 × 200 / 1.3 = 292.3.
    follower = SubjectFollower(640, 360)
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 200.0))     # before any keypoints
    follower.update(_kp(230.0, 200.0, half_w=20.0, half_h=20.0))
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 200.0))
    assert follower.crops(1)[0].side == pytest.approx(1.9 * 200 / 1.3)
    # a subject much smaller than the frame still gets 0.12 × 640 = 76.8 px
    small = SubjectFollower(640, 360)
    small.update(_kp(300.0, 180.0, half_w=5.0, half_h=5.0))
    assert small.crops(1)[0].side == pytest.approx(76.8)
    # dropped for someone else (the walker is elsewhere), then found twice: tracking from a standstill
    follower.observe_motion([], walker_box=(500.0, 100.0, 60.0, 200.0))
    assert not follower.tracking
    follower.update(_kp(530.0, 200.0))
    follower.update(_kp(540.0, 200.0))
    assert _centre(follower.crops(1)[0]) == pytest.approx((543.0, 200.0))


def test_joints_that_span_a_body_keep_their_crop_inside_a_walker_box_twice_as_tall():
    # On a glossy floor the walker (200 px tall) and its reflection move as one region: the walker's box
    # (200, 100, 60, 400) is twice the walker. Joints spanning 160 px (0.4 of the box, at least
    # bunched_frac 0.3) span a body: the crop stays 1.9 × 160 = 304 px, not 1.9 × 400 / 1.3 = 584.6.
    follower = SubjectFollower(640, 640)
    assert FollowParams().bunched_frac == 0.3
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 400.0))
    follower.update(_kp(230.0, 200.0, half_w=20.0, half_h=80.0))
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 400.0))
    assert follower.crops(1)[0].side == pytest.approx(1.9 * 160)
    # 119 px is less than 0.3 × 400 = 120: bunched, so the crop grows to the whole box
    follower.update(_kp(230.0, 200.0, half_w=20.0, half_h=59.5))
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 400.0))
    assert follower.crops(1)[0].side == pytest.approx(1.9 * 400 / 1.3)
    # exactly 0.3 of the box is a body
    follower.update(_kp(230.0, 200.0, half_w=20.0, half_h=60.0))
    follower.observe_motion([], walker_box=(200.0, 100.0, 60.0, 400.0))
    assert follower.crops(1)[0].side == pytest.approx(1.9 * 120)


def test_crop_copies_the_frame_at_every_border():
    frame = np.zeros((100, 200, 3), np.uint8)
    frame[:, 0] = 255                                       # the first column white
    image, _ = Crop(0.0, 0.0, 64.0).cut(frame, 64)
    assert image.dtype == np.uint8 and (image[:, 0] == 255).all() and (image[:, 1:] == 0).all()
    frame[:] = 0
    frame[0] = 255                                          # the first row white
    image, _ = Crop(0.0, 0.0, 64.0).cut(frame, 64)
    assert (image[0] == 255).all() and (image[1:] == 0).all()
    # past the bottom (rows 80-99 of the frame, then black) and wholly left of the frame (all black)
    frame[:] = 10
    image, _ = Crop(50.0, 80.0, 64.0).cut(frame, 64)
    assert (image[:20] == 10).all() and (image[20:] == 0).all()
    image, _ = Crop(-100.0, 10.0, 64.0).cut(frame, 64)
    assert (image == 0).all()
