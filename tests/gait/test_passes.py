"""Passes (gaitpose.gait.passes) on hand-built pelvis tracks, boundaries worked out by hand.

The tracks are at 10 frames/s with a leg length of 200 px, so 1 leg length/s = 20 px a frame. The
velocity is the slope of a straight line through ±0.5 s (frames c−5 … c+5, Σj² = 110 for j = −5…5).
Near a kink at frame K between walking at 1 leg/s and standing, at c = K + m, the slope is
Σ j·min(j + m, 0) / 110 leg lengths/s (walking, then standing): m = −1: (−5·−6 − 4·−5 − 3·−4 − 2·−3
− 1·−2)/110 = 70/110 = 0.636, m = 0: 55/110 = 0.5, m = 3: (−5·−2 − 4·−1)/110 = 0.127, m = 4: 5/110 = 0.045;
and the same mirrored for standing, then walking (m = 1: 0.636, m = 0: 0.5, m = −3: 0.127, m = −4: 0.045).
Defaults: a pass starts at 0.10 leg lengths/s and runs while above 0.05 (from 3 frames before the kink
where walking starts to 3 after the one where it stops), then its ends are trimmed to 0.6 of its median
speed (1.0 here): it keeps the frames from 1 after the first kink to 1 before the second.
"""
import numpy as np
import pytest

from gaitpose.gait.passes import OVERGROUND, TREADMILL, PassSettings, find_passes, moving_direction, pelvis_velocity

FPS, LEG_PX, STEP_PX = 10.0, 200.0, 20.0     # 1 leg length/s at 10 frames/s = 20 px a frame


def _times(n: int) -> np.ndarray:
    return np.arange(n) / FPS


def test_a_turn_in_the_middle_gives_two_passes_the_opposite_ways():
    # Right at 1 leg/s over frames 0–50 (x = 20·k), turning on the spot 50–70 (x = 1000), back to the
    # left from 70 (x = 1000 − 20·(k − 70)) to 119.
    k = np.arange(120)
    x = np.where(k <= 50, STEP_PX * k, np.where(k <= 70, 1000.0, 1000.0 - STEP_PX * (k - 70)))
    seg = find_passes(x, _times(120), LEG_PX)
    first, second = seg.passes
    # Frame 0: the one-sided window 0–5 lies on the line, slope exactly 1. The run goes on to 53 (m = 3);
    # trimmed to 0.6 of the median 1.0, the pass ends at 49 (m = −1: 0.636; m = 0: 0.5).
    assert (first.index, first.start_frame, first.end_frame, first.direction) == (1, 0, 49, 1)
    assert (first.start_s, first.end_s, first.mode) == (0.0, pytest.approx(4.9), OVERGROUND)
    assert first.travel_legs == pytest.approx(980 / LEG_PX)           # x[49] − x[0] = 980 px
    # Walking left: the run starts at 67 (m = −3), the pass at 71 (m = 1).
    assert (second.index, second.start_frame, second.end_frame, second.direction) == (2, 71, 119, -1)
    assert second.travel_legs == pytest.approx((980 - 20) / LEG_PX)   # x[71] = 980, x[119] = 20
    assert second.direction_name == "left" and list(second.frames) == list(range(71, 120))
    assert seg.left_out == []


def test_standing_at_the_start_is_left_out():
    # Standing at x = 0 over frames 0–30, then right at 1 leg/s to the end (frame 99): the run starts at 27
    # (m = −3), the pass at 31 (m = 1).
    k = np.arange(100)
    x = np.where(k <= 30, 0.0, STEP_PX * (k - 30))
    (p,) = find_passes(x, _times(100), LEG_PX).passes
    assert (p.start_frame, p.end_frame, p.direction) == (31, 99, 1)


def test_hysteresis_starts_at_one_speed_and_stops_below_another():
    speed = np.array([0.0, 0.08, 0.12, 0.07, 0.04, -0.06, -0.11, -0.2, np.nan, -0.2, 0.3, 0.09])
    assert list(moving_direction(speed, start=0.10, stop=0.05)) == [0, 0, 1, 1, 0, 0, -1, -1, 0, -1, 1, 1]


def test_half_visible_entry_and_standing_with_sway_at_the_end_are_left_out():
    # Out of view (NaN) over frames 0–9; walking right at 1 leg/s (x = 20·k) from 10, half in view (the
    # ankles not yet seen) over 10–14; standing at x = 1580 from frame 79 on, still for 1 s, then swaying
    # ±2 px with a 2 s period (a slope of at most 2·2π/2 = 6.3 px/s = 0.03 leg lengths/s: a line fit
    # averages the frame-to-frame differences, so it stays below the 0.10 that would start a pass).
    k = np.arange(140)
    x = np.where(k <= 79, STEP_PX * k, 1580.0 + np.where(k >= 89, 2.0 * np.sin(2 * np.pi * (k - 89) / 20), 0.0))
    x[:10] = np.nan
    visible = np.isfinite(x)
    visible[10:15] = False
    seg = find_passes(x, _times(140), LEG_PX, visible_t=visible)
    (p,) = seg.passes
    # The velocity exists from frame 10 (one-sided window 10–15, 0.5 s); the pass is trimmed to the first
    # fully visible frame, 15; it ends 1 frame before the kink at 79 (78; the sway starts after the windows
    # of the run's last frames, 82 and 83, end).
    assert (p.start_frame, p.end_frame, p.direction) == (15, 78, 1)
    assert p.travel_legs == pytest.approx((x[78] - x[15]) / LEG_PX)
    assert seg.left_out == []


def test_a_movement_too_short_for_a_pass_is_named_and_left_out():
    # Standing, then 3 s at 0.3 leg lengths/s (6 px a frame, frames 20–50), standing, then a real pass
    # from frame 80 on. The slow stretch's speeds are 0.3 × the numbers above: it starts at m = −1
    # (0.3 × 0.364 = 0.109 ≥ 0.10, where Σ j·max(j − 1, 0) = 2 + 6 + 12 + 20 = 40) and its median is 0.3
    # (21 of its frames see only the line), so it is trimmed to 0.18: from 21 (m = 1: 0.191) to 49.
    # It travelled 6 px × 28 = 168 px = 0.84 leg lengths.
    k = np.arange(140)
    x = np.clip(6.0 * (k - 20), 0, 180) + np.where(k > 80, STEP_PX * (k - 80), 0)
    seg = find_passes(x, _times(140), LEG_PX)
    assert [(p.start_frame, p.direction) for p in seg.passes] == [(81, 1)]
    assert seg.left_out == ["moving right 2.10–4.90 s: the hips travelled 0.84 leg lengths (a pass needs 1)"]
    # Asked for 0.8 leg lengths of travel, the slow stretch is a pass of its own.
    lenient = find_passes(x, _times(140), LEG_PX, settings=PassSettings(min_travel_legs=0.8))
    assert [(p.start_frame, p.end_frame) for p in lenient.passes] == [(21, 49), (81, 139)]


def test_thresholds_are_in_leg_lengths_so_the_scale_does_not_matter():
    # The same walk there and back in pixels of a 4× larger image, and in metres (leg 0.86 m).
    k = np.arange(120)
    x = np.where(k <= 50, STEP_PX * k, np.where(k <= 70, 1000.0, 1000.0 - STEP_PX * (k - 70)))
    for factor in (4.0, 0.86 / LEG_PX):
        seg = find_passes(x * factor, _times(120), LEG_PX * factor)
        assert [(p.start_frame, p.end_frame, p.direction) for p in seg.passes] == [(0, 49, 1), (71, 119, -1)]


def test_hips_in_place_with_stepping_feet_are_one_treadmill_pass():
    # 10 s on a treadmill: the pelvis stays at x = 500 (±1 px of noise), the ankles swing ±0.3 leg lengths
    # about it at 1 Hz, in antiphase. A foot's range within any ±1 s window is 0.6 leg lengths ≥ 0.15.
    rng = np.random.default_rng(0)
    t = _times(100)
    pelvis = 500.0 + rng.uniform(-1, 1, 100)
    swing = 0.3 * LEG_PX * np.sin(2 * np.pi * t)
    feet = np.stack([500 + swing, 500 - swing], axis=1)
    (p,) = find_passes(pelvis, t, LEG_PX, feet_x_tx2=feet).passes
    assert (p.start_frame, p.end_frame, p.direction, p.mode, p.travel_legs) == (0, 99, 0, TREADMILL, 0.0)
    assert p.direction_name == "in place"
    # Standing still for the first 3 s: the foot is 0.3·sin(2π·0.1) = 0.176 leg lengths off at frame 31,
    # first inside the ±1 s window of frame 21; frame 20's window (10–30) holds only the feet together.
    swing[:31] = 0.0
    feet = np.stack([500 + swing, 500 - swing], axis=1)
    (p,) = find_passes(pelvis, t, LEG_PX, feet_x_tx2=feet).passes
    assert (p.start_frame, p.end_frame, p.mode) == (21, 99, TREADMILL)
    # Without the feet nothing tells walking in place from standing: no pass.
    assert find_passes(pelvis, t, LEG_PX).passes == []


def test_stepping_without_travel_is_no_treadmill_pass_when_the_recording_has_passes():
    # A walk there and back whose turn steps on the spot for 2 s: the turn stays out.
    k = np.arange(120)
    x = np.where(k <= 50, STEP_PX * k, np.where(k <= 70, 1000.0, 1000.0 - STEP_PX * (k - 70)))
    feet = np.stack([x + 0.3 * LEG_PX * np.sin(2 * np.pi * k / FPS), x - 0.3 * LEG_PX * np.sin(2 * np.pi * k / FPS)], 1)
    seg = find_passes(x, _times(120), LEG_PX, feet_x_tx2=feet)
    assert [p.mode for p in seg.passes] == [OVERGROUND, OVERGROUND]


def test_a_slow_short_walk_below_the_travel_threshold_still_counts_when_its_hips_drift():
    # 4 s at 0.2 leg lengths/s (0.8 leg lengths: too little for a pass from the velocity), feet stepping:
    # the stepping frames are one pass in the direction of the drift, 0.2 × 3.9 s = 0.78 leg lengths.
    t = _times(40)
    x = -0.2 * LEG_PX * t
    swing = 0.3 * LEG_PX * np.sin(2 * np.pi * t / 2.0)
    seg = find_passes(x, t, LEG_PX, feet_x_tx2=np.stack([x + swing, x - swing], 1))
    (p,) = seg.passes
    assert (p.start_frame, p.end_frame, p.direction, p.mode) == (0, 39, -1, OVERGROUND)
    assert p.travel_legs == pytest.approx(0.78)
    assert "the hips travelled 0.78 leg lengths" in seg.left_out[0]


def test_velocity_is_a_local_line_fit_that_bridges_short_gaps_and_gives_up_in_long_ones():
    # A window of 1.05 s holds frames c−5 … c+5 at 10 frames/s; an estimate needs samples spanning
    # 0.4 × 1.05 = 0.42 s (spans come in tenths of a second: 0.4 fails, 0.5 passes).
    t = _times(60)
    x = 3.0 * t                                    # 3 units/s
    x[20:23] = np.nan                              # 0.3 s gap: frame 21 still sees 16–19 and 23–26 (1.0 s)
    x[35:50] = np.nan                              # 1.5 s gap: frame 35 sees 30–34 (0.4 s), 49 sees 50–54
    v = pelvis_velocity(x, t, window_s=1.05)
    assert np.isfinite(v[:35]).all() and np.isnan(v[35:50]).all() and np.isfinite(v[50:]).all()
    assert np.allclose(v[np.isfinite(v)], 3.0)


def test_bad_input_is_a_programmer_error():
    with pytest.raises(ValueError, match="leg_length"):
        find_passes(np.zeros(5), _times(5), 0.0)
    with pytest.raises(ValueError, match="increase"):
        find_passes(np.zeros(3), np.array([0.0, 0.2, 0.1]), 1.0)


def _in_place(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """n frames at 10 fps of stepping in place (the hips at x = 500, the ankles ±0.3 leg lengths at 1 Hz)."""
    t = _times(n)
    swing = 0.3 * LEG_PX * np.sin(2 * np.pi * t)
    return t, np.full(n, 500.0), np.stack([500 + swing, 500 - swing], axis=1)


def _split_by_facing(n: int, *runs: tuple[int, int, float]):
    """find_passes on n frames stepping in place, the knees facing right (+0.3) but over each (first, stop,
    value) of `runs`."""
    facing = np.full(n, 0.3)
    for first, stop, value in runs:
        facing[first:stop] = value
    t, pelvis, feet = _in_place(n)
    return find_passes(pelvis, t, LEG_PX, feet_x_tx2=feet, facing_t=facing)


def test_a_turn_while_the_camera_follows_the_walker_is_seen_from_the_knees():
    # 10 s in place (a camera panning with the walker). The knees' facing is +0.3 leg lengths (facing right)
    # to 4.5 s, falls by 0.75 per second to −0.3 at 5.3 s and stays there. A monotone series' running median
    # over a symmetric window is its centre value, so the median is the facing itself; its typical size is
    # 0.3 (93 of 100 frames), so a facing needs 0.4 × 0.3 = 0.12: frames to 4.7 s (+0.15; 4.8 s: +0.075)
    # and from 5.1 s (−0.15; 5.0 s: −0.075). The turn, 4.7–5.1 s, is left out.
    t, pelvis, feet = _in_place(100)
    facing = np.clip(0.3 - 0.75 * (t - 4.5), -0.3, 0.3)
    seg = find_passes(pelvis, t, LEG_PX, feet_x_tx2=feet, facing_t=facing)
    assert [(p.start_frame, p.end_frame, p.direction, p.mode) for p in seg.passes] == [(0, 47, 0, TREADMILL),
                                                                                         (51, 99, 0, TREADMILL)]
    assert seg.left_out == ["turning 4.70–5.10 s: the knees' facing changed from right to left while the hips "
                            "stayed in place in the image"]
    # One facing all along (a treadmill), or a facing unknown: one pass, as without the knees.
    for same in (np.full(100, -0.3), np.full(100, np.nan)):
        (p,) = find_passes(pelvis, t, LEG_PX, feet_x_tx2=feet, facing_t=same).passes
        assert (p.start_frame, p.end_frame) == (0, 99)


def test_a_short_flip_of_the_knees_is_no_turn():
    # A running median over an odd window keeps a step where it is, and a pulse longer than half the window
    # (11 of 21 frames) over its whole extent. 1.5 s of the other facing (frames 40–54, a tracker's leg swap):
    # the median is negative over frames 40–54, 1.4 s from first to last, shorter than the 2 s a facing must
    # last: one pass.
    (p,) = _split_by_facing(100, (40, 55, -0.3)).passes
    assert (p.start_frame, p.end_frame) == (0, 99)


def test_three_facings_are_three_passes_and_a_pause_of_the_knees_joins_one_facing():
    # Right over frames 0–39 (3.9 s), left over 40–77 (3.7 s), right again over 78–99 (2.1 s, just over the
    # 2 s a facing must last): three passes, two turns of no width between them.
    seg = _split_by_facing(100, (40, 78, -0.3))
    assert [(p.start_frame, p.end_frame) for p in seg.passes] == [(0, 39), (40, 77), (78, 99)]
    assert [note.split(":")[0] for note in seg.left_out] == ["turning 3.90–4.00 s", "turning 7.70–7.80 s"]
    assert "from left to right" in seg.left_out[1]
    # 16 s: right 0–39, the knees on the hip–ankle line for 2 s (40–59: the median is 0 there, under
    # 0.4 × 0.3), right 60–99, left 100–159. The two stretches facing right are one facing: two passes.
    seg = _split_by_facing(160, (40, 60, 0.0), (100, 160, -0.3))
    assert [(p.start_frame, p.end_frame) for p in seg.passes] == [(0, 99), (100, 159)]
    assert seg.left_out == ["turning 9.90–10.00 s: the knees' facing changed from right to left while the hips "
                            "stayed in place in the image"]


def test_a_pass_faster_than_any_walk_is_joints_jumping_and_left_out():
    # The pelvis moves at a constant speed over 3 s (frames 0-29): the line fit gives that speed everywhere,
    # nothing is trimmed, and the pass spans 0-29 (2.9 s). At 4.0 leg lengths/s (80 px a frame) it is a pass;
    # at 4.5 (90 px a frame: 13.05 leg lengths in 2.9 s) it is faster than walking.
    k = np.arange(30)
    kept = find_passes(80.0 * k, _times(30), LEG_PX)
    assert [(p.start_frame, p.end_frame) for p in kept.passes] == [(0, 29)] and kept.left_out == []
    jumped = find_passes(90.0 * k, _times(30), LEG_PX)
    assert jumped.passes == []
    assert jumped.left_out == ["moving right 0.00–2.90 s: 4.5 leg lengths/s is faster than walking (a pass is at most 4)"]


def test_the_last_pass_runs_to_the_end_of_the_stepping_when_the_knees_end_on_the_line():
    # Right 0–39, left 40–69, right 70–99 with the knees on the hip–ankle line over the last 0.8 s (92–99 at
    # 0): the median is 0 from frame 95 (at least half of each end window is 0), so the last facing is held
    # over 70–94 (2.4 s), and its pass still runs to the last stepping frame, 99.
    seg = _split_by_facing(100, (40, 70, -0.3), (92, 100, 0.0))
    assert [(p.start_frame, p.end_frame) for p in seg.passes] == [(0, 39), (40, 69), (70, 99)]


def test_joints_jumping_after_standing_and_a_walk_after_them():
    # Standing 2 s, then 3 s at 4.5 leg lengths/s (90 px a frame) from frame 20: its speed is its travel over
    # its own duration, not over the time since the recording began. Then standing 2 s and walking at 1 leg
    # length/s (20 px a frame) for 5 s: the walk after the jumping stretch is still a pass.
    x = np.concatenate([np.zeros(20), 90.0 * np.arange(1, 31), np.full(20, 2700.0), 2700.0 + 20.0 * np.arange(1, 51)])
    seg = find_passes(x, _times(120), LEG_PX)
    assert [note.split(": ")[1] for note in seg.left_out] == ["4.5 leg lengths/s is faster than walking (a pass is at most 4)"]
    (p,) = seg.passes
    assert p.direction == 1 and 70 <= p.start_frame <= 72 and p.end_frame == 119
