"""Passes (gait/passes.py) at their edges, worked by hand with the conventions of test_passes.py (10 frames/s,
a leg of 200 px, 1 leg length/s = 20 px a frame): the hysteresis at its thresholds, runs out of view, stepping
stretches too short for a pass, a slow walk to the right, bad input."""
import numpy as np
import pytest

from gaitpose.gait.passes import OVERGROUND, TREADMILL, PassSettings, find_passes, moving_direction, pelvis_velocity

FPS, LEG_PX, STEP_PX = 10.0, 200.0, 20.0


def _times(n: int) -> np.ndarray:
    return np.arange(n) / FPS


def test_hysteresis_at_its_thresholds():
    # 0.07: between the thresholds, nothing started; 0.10 exactly starts; 0.05 exactly keeps it; 0.049 ends
    # it; −0.10 starts to the left; −0.05 keeps it; 0.0 ends it
    speed = np.array([0.07, 0.10, 0.05, 0.049, -0.10, -0.05, 0.0])
    assert list(moving_direction(speed, start=0.10, stop=0.05)) == [0, 1, 1, 0, -1, -1, 0]


def test_a_run_never_fully_in_view_is_named_and_the_next_one_in_that_direction_kept():
    # Right at 1 leg/s over frames 0–50 (x = 20 k), standing 50–70, right again from 70 (x = 1000 + 20 (k − 70)).
    # As in test_passes.py the first run is trimmed to 0–49 and the second starts at 71. The body is in view
    # only after frame 60: the first run never, the second all of it (71–119, 960 px = 4.8 leg lengths).
    k = np.arange(120)
    x = np.where(k <= 50, STEP_PX * k, np.where(k <= 70, 1000.0, 1000.0 + STEP_PX * (k - 70)))
    seg = find_passes(x, _times(120), LEG_PX, visible_t=k > 60)
    assert seg.left_out == ["moving right 0.00–4.90 s: the body never fully in view"]
    (p,) = seg.passes
    assert (p.index, p.start_frame, p.end_frame, p.direction) == (1, 71, 119, 1)
    assert p.travel_legs == pytest.approx(4.8)


def _alternating(n: int, frames: range) -> np.ndarray:
    """A foot 0.3 leg lengths ahead and behind the pelvis on alternate frames of `frames`, at it elsewhere."""
    out = np.zeros(n)
    for k in frames:
        out[k] = 0.3 * LEG_PX * (1 if k % 2 else -1)
    return out


def test_stepping_stretches_too_short_are_named_and_later_ones_kept():
    # The pelvis stands at x = 500 (no travelling pass); a foot steps on frames 5–34, 60–69 and 85–114. With a
    # stepping window of 0.25 s (frames c − 1 … c + 1: a foot off the pelvis in it gives a range ≥ 0.3 ≥ 0.15)
    # the stepping frames are 4–35 (3.1 s: walking in place), 59–70 (5.9–7.0 s, 1.1 s < 2 s: left out) and
    # 84–115 (in place).
    n = 130
    pelvis = np.full(n, 500.0)
    swing = _alternating(n, range(5, 35)) + _alternating(n, range(60, 70)) + _alternating(n, range(85, 115))
    feet = np.stack([500 + swing, 500 - swing], axis=1)
    seg = find_passes(pelvis, _times(n), LEG_PX, feet_x_tx2=feet, settings=PassSettings(stepping_window_s=0.25))
    assert [(p.index, p.start_frame, p.end_frame, p.direction, p.mode, p.travel_legs) for p in seg.passes] == [
        (1, 4, 35, 0, TREADMILL, 0.0), (2, 84, 115, 0, TREADMILL, 0.0)]
    assert seg.left_out == ["stepping 5.90–7.00 s: shorter than 2 s"]


def test_a_slow_short_walk_to_the_right():
    # The walk of test_passes.py's slow short walk, to the right: 4 s at 0.2 leg lengths/s (0.78 leg lengths
    # over 0–3.9 s: too little from the velocity), the feet stepping: one pass to the right, 0.78 leg lengths.
    t = _times(40)
    x = 500 + 0.2 * LEG_PX * t
    swing = 0.3 * LEG_PX * np.sin(2 * np.pi * t / 2.0)
    seg = find_passes(x, t, LEG_PX, feet_x_tx2=np.stack([x + swing, x - swing], 1))
    (p,) = seg.passes
    assert (p.start_frame, p.end_frame, p.direction, p.mode) == (0, 39, 1, OVERGROUND)
    assert p.travel_legs == pytest.approx(0.78)
    assert seg.left_out == ["moving right 0.00–3.90 s: the hips travelled 0.78 leg lengths (a pass needs 1)"]
    # and to the left, the message names the direction
    back = find_passes(-x, t, LEG_PX, feet_x_tx2=np.stack([-x + swing, -x - swing], 1))
    assert back.left_out == ["moving left 0.00–3.90 s: the hips travelled 0.78 leg lengths (a pass needs 1)"]
    assert back.passes[0].direction == -1


def test_bad_series_are_a_programmer_error():
    with pytest.raises(ValueError, match=r"^pelvis_x_t and time_s_t must be two series of one length, got \(2, 3\) "
                                         r"and \(2, 3\)$"):
        find_passes(np.zeros((2, 3)), np.zeros((2, 3)), 1.0)
    with pytest.raises(ValueError, match=r"got \(4,\) and \(3,\)$"):
        find_passes(np.zeros(4), _times(3), 1.0)
    for t in (np.array([0.0, 0.1, 0.1]), np.array([0.2, 0.1])):        # standing still, or going back
        with pytest.raises(ValueError, match=r"^time_s_t must increase$"):
            find_passes(np.zeros(len(t)), t, 1.0)
    for leg in (float("nan"), -1.0):
        with pytest.raises(ValueError, match=r"^leg_length must be positive, got "):
            find_passes(np.zeros(3), _times(3), leg)


def test_velocity_from_exactly_three_samples_and_a_span_of_exactly_0_4_windows():
    # x = 0, 1, 2 at 0, 0.25, 0.5 s (4 units/s), window 1 s: frame 0 sees all three (span 0.5 s ≥ 0.4 s)
    v = pelvis_velocity(np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.25, 0.5]), 1.0)
    np.testing.assert_allclose(v, [4.0, 4.0, 4.0])
    # at 0, 0.2, 0.4 s the three samples span exactly 0.4 of the window: still enough
    v = pelvis_velocity(np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.2, 0.4]), 1.0)
    np.testing.assert_allclose(v, [5.0, 5.0, 5.0])
    # two samples are a line but not a fit
    assert np.isnan(pelvis_velocity(np.array([0.0, 1.0]), np.array([0.0, 0.5]), 2.0)).all()


def test_nothing_seen_or_nothing_stepping_is_no_pass():
    t = _times(50)
    # the pelvis never found
    assert np.isnan(pelvis_velocity(np.full(50, np.nan), t, 1.0)).all()
    seg = find_passes(np.full(50, np.nan), t, LEG_PX, feet_x_tx2=np.full((50, 2), np.nan))
    assert seg.passes == [] and seg.left_out == []
    # the pelvis standing, the feet never found: no stepping to be seen
    assert find_passes(np.full(50, 500.0), t, LEG_PX, feet_x_tx2=np.full((50, 2), np.nan)).passes == []
    # drifting at 0.2 leg lengths/s with the feet carried along (no foot moves relative to the pelvis:
    # a wheelchair, a moving walkway): 0.98 leg lengths is too little travel, and nothing steps
    x = 500 + 0.2 * LEG_PX * t
    seg = find_passes(x, t, LEG_PX, feet_x_tx2=np.stack([x + 30, x - 30], 1))
    assert seg.passes == [] and len(seg.left_out) == 1


def test_a_stepping_stretch_that_drifts_after_standing():
    # The pelvis stands at 500 px until frame 84, then drifts right at 0.2 leg lengths/s (4 px a frame) to
    # frame 115 and stands again; a foot steps (alternate frames, 0.3 leg lengths) on 85–114. The drift is too
    # little travel for a pass from the velocity; the stepping frames are 84–115 (window 0.25 s), over which
    # the pelvis follows the line exactly: 0.2 leg lengths/s × (11.5 − 8.4) s = 0.62 leg lengths to the right.
    n = 130
    k = np.arange(n)
    x = 500 + 4.0 * np.clip(k - 84, 0, 31)
    swing = _alternating(n, range(85, 115))
    seg = find_passes(x, _times(n), LEG_PX, feet_x_tx2=np.stack([x + swing, x - swing], 1),
                      settings=PassSettings(stepping_window_s=0.25))
    (p,) = seg.passes
    assert (p.start_frame, p.end_frame, p.direction, p.mode) == (84, 115, 1, OVERGROUND)
    assert p.travel_legs == pytest.approx(0.62, rel=1e-9)


def test_stepping_is_measured_in_leg_lengths():
    # Metres, a leg of 0.86 m: a foot 0.09 leg lengths (0.0774 m) either side of the pelvis on alternate
    # frames 5–34 is a range of 0.18 ≥ 0.15 leg lengths within frames c − 1 … c + 1 of each of them (frames 4
    # and 35 see one such frame beside still ones: 0.09, too little): walking in place over frames 5–34
    leg = 0.86
    pelvis = np.full(50, 1.0)
    swing = _alternating(50, range(5, 35)) * (0.09 / 0.3) * (leg / LEG_PX)
    (p,) = find_passes(pelvis, _times(50), leg, feet_x_tx2=np.stack([1.0 + swing, 1.0 - swing], 1),
                       settings=PassSettings(stepping_window_s=0.25)).passes
    assert (p.start_frame, p.end_frame, p.mode) == (5, 34, TREADMILL)
