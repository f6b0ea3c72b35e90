"""Cleaning at its edges, worked by hand (the cases mutation testing found unpinned)."""
import numpy as np
import pytest

from gaitpose.gait.clean import _knee_pairing_costs
from gaitpose.skeleton import SIDE_JOINTS

LK, RK = SIDE_JOINTS["left"]["knee"], SIDE_JOINTS["right"]["knee"]
LA, RA = SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]


def _frame(left_knee, right_knee, left_ankle, right_ankle) -> np.ndarray:
    kp = np.full((8, 3), np.nan)
    for j, p in ((LK, left_knee), (RK, right_knee), (LA, left_ankle), (RA, right_ankle)):
        kp[j] = (*p, 1.0)
    return kp


def test_knee_pairing_costs_in_shank_lengths():
    # Shanks of 40 px, knees 40 px above their ankles. Legs 30 px apart: the wrong pairing is hypot(30, 40) =
    # 50 px long. Frames 0-2 as labelled, 3-4 with the knees exchanged, 5-6 with the legs 12 px apart and the
    # knees exchanged (given hypot(12, 40) = 41.7612 px twice, swapped 40 twice), 7 without the left knee,
    # 8 without the left knee and the left ankle. The typical shank is the median over frames of the smaller
    # mean pairing: 40 px. Cost = Σ |length − 40| / 40 over the pairs:
    #   frames 0-2: given 0, swapped (10 + 10) / 40 = 0.5;   frames 3-4: 0.5, 0;
    #   frames 5-6: given 2 × 1.7612 / 40 = 0.08806, swapped 0;
    #   frame 7: one pair each: given (right knee, right ankle) 40 → 0, swapped (right knee, left ankle) 50 → 0.25;
    #   frame 8: given has the right pair, swapped none: not comparable, NaN.
    normal = _frame((0, 0), (30, 0), (0, 40), (30, 40))
    crossed = _frame((30, 0), (0, 0), (0, 40), (30, 40))
    close = _frame((12, 0), (0, 0), (0, 40), (12, 40))
    missing = normal.copy()
    missing[LK] = np.nan
    two_missing = missing.copy()
    two_missing[LA] = np.nan
    kp = np.stack([normal, normal, normal, crossed, crossed, close, close, missing, two_missing])
    cost = _knee_pairing_costs(kp)
    expected = [[0, 0.5]] * 3 + [[0.5, 0]] * 2 + [[0.0880613, 0]] * 2 + [[0, 0.25], [np.nan, np.nan]]
    np.testing.assert_allclose(cost, expected, atol=1e-6)
    np.testing.assert_allclose(_knee_pairing_costs(kp, weight=2.0)[:8], 2 * np.array(expected[:8]), atol=1e-6)


def test_knees_decided_by_their_shanks_and_by_continuity_where_the_shanks_cannot_tell():
    from gaitpose.gait.clean import _swap_labels

    # Two knees moving steadily (no acceleration), 30 px apart, over 9 frames; exchanged on frames 3-5.
    # Frames 3 and 5 carry shank evidence for the exchange (costs 0.5 as given, 0 swapped); frame 4 has none
    # (NaN: an ankle missing on both sides). Continuity alone would also swap 3-5 (each exchanged frame puts
    # two 30 px jumps in the track), and frame 4 goes with its neighbours although nothing else says so.
    t = np.arange(9.0)
    left = np.stack([t * 5, np.zeros(9)], axis=1)
    right = left + (30.0, 0.0)
    xy = np.stack([left, right], axis=1)
    xy[3:6] = xy[3:6, ::-1]
    unary = np.zeros((9, 2))
    unary[[3, 5]] = (0.5, 0.0)
    unary[4] = np.nan
    assert _swap_labels(xy, 100.0, unary_tx2=unary).tolist() == [False] * 3 + [True] * 3 + [False] * 3
    # Knees 1 px apart: continuity cannot tell (1 px jumps cost 6 × (0.01)² × 2 ≈ 0.0012 < the 0.05 per
    # swapped frame), but shank costs of 0.5 as given on frames 3-5 do.
    xy = np.stack([left, left + (1.0, 0.0)], axis=1)
    xy[3:6] = xy[3:6, ::-1]
    assert not _swap_labels(xy, 100.0).any()
    unary = np.zeros((9, 2))
    unary[3:6] = (0.5, 0.0)
    assert _swap_labels(xy, 100.0, unary_tx2=unary).tolist() == [False] * 3 + [True] * 3 + [False] * 3


def _still(n: int) -> np.ndarray:
    """n frames of a still skeleton (every segment its usual length), score 0.9."""
    kp = np.zeros((n, 8, 3))
    kp[..., 2] = 0.9
    kp[:, :, 0] = np.arange(8) * 10.0
    kp[:, :, 1] = [0, 0, 50, 50, 100, 100, 150, 150]
    return kp


def test_every_joint_is_gap_filled_up_to_the_longest_gap_and_no_further():
    from gaitpose.gait.clean import clean_keypoints

    # 30 fps, max gap 0.1 s = 3 frames: the left ankle's 3-frame gap is filled, the right ankle's 4-frame gap
    # is not (joints 6 and 7: every joint is cleaned, not only the first).
    kp = _still(40)
    kp[10:13, LA] = np.nan
    kp[20:24, RA] = np.nan
    out, report = clean_keypoints(kp, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=6.0, body_scale=100.0)
    np.testing.assert_allclose(out[10:13, LA, :2], [[60.0, 150.0]] * 3, atol=1e-9)
    assert (out[10:13, LA, 2] == 0.0).all()                       # filled: no score of its own
    assert np.isnan(out[20:24, RA]).all()
    assert (report.filled_points, report.missing_points) == (3, 4)
    # 0.29 s at 100 fps is 29 frames, though 0.29 × 100 = 28.999999999999996 in floating point.
    kp = _still(80)
    kp[20:49, LA] = np.nan
    out, report = clean_keypoints(kp, fps=100.0, min_score=0.3, max_gap_s=0.29, cutoff_hz=6.0, body_scale=100.0)
    assert report.filled_points == 29 and report.missing_points == 0


def test_cleaning_uses_the_legs_crossings_when_it_knows_the_frame_rate():
    from gaitpose.gait.clean import clean_keypoints

    # Ankles crossing every 0.5 s at 30 fps (x = ±50 sin(2π t + 0.1), never exactly 0 on a frame), labelled
    # right throughout: the crossings decide the ankles (not continuity), and the detector's labels agree
    # with them on every frame but possibly the 8 frames nearest a crossing (1 − 8/120 = 0.93).
    t = np.arange(120) / 30.0
    kp = _still(120)
    kp[:, LA, 0], kp[:, RA, 0] = 50 * np.sin(2 * np.pi * t + 0.1), -50 * np.sin(2 * np.pi * t + 0.1)
    kp[:, LA, 1] = kp[:, RA, 1] = 300.0
    _, report = clean_keypoints(kp, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=6.0, body_scale=100.0)
    assert report.ankle_label_agreement is not None and report.ankle_label_agreement >= 1 - 8 / 120
    assert report.swapped_frames["ankle"] == 0


def test_a_knee_is_dropped_for_its_thigh_alone_or_its_shank_alone_and_kept_at_exactly_the_tolerance():
    from gaitpose.gait.clean import drop_implausible_knees

    # Both legs straight down from hips at (100, 0): knee (100, 40), ankle (100, 80): thigh = shank = 40 px.
    kp = np.full((20, 8, 3), 1.0)
    for side in ("left", "right"):
        j = SIDE_JOINTS[side]
        kp[:, j["hip"], :2], kp[:, j["knee"], :2], kp[:, j["ankle"], :2] = (100, 0), (100, 40), (100, 80)
    kp[3, LK, :2] = (124, 48)    # shank hypot(24, 32) = 40 (kept), thigh hypot(24, 48) = 53.7 (+34 %): dropped
    kp[4, LK, :2] = (124, 32)    # thigh 40, shank hypot(24, 48) = 53.7: dropped
    kp[5, LK, :2] = (100, 50)    # thigh 50 (+25 %), shank 30 (−25 %): exactly the tolerance, kept
    out, dropped = drop_implausible_knees(kp)
    assert dropped == 2
    assert np.isnan(out[[3, 4], LK, :2]).all() and out[5, LK, :2].tolist() == [100, 50]
    # With fewer than 10 frames there is no usual length to compare with: nothing is dropped.
    assert drop_implausible_knees(kp[:9])[1] == 0
    assert drop_implausible_knees(kp[:10])[1] == 2


def test_the_report_says_whether_the_tracks_were_filtered():
    from gaitpose.gait.clean import clean_keypoints

    # The filter is designed at cutoff / 0.802 and applied while that stays below 0.95 × Nyquist:
    # 10 Hz at 30 fps: 12.47 < 14.25 Hz, filtered; 4.6 Hz at 12 fps: 5.74 ≥ 5.7 Hz, not filtered.
    kp = _still(40)
    kp[:, 0, 0] += np.where(np.arange(40) % 2, 1.0, -1.0)        # a 1 px zig-zag on the left shoulder
    out, report = clean_keypoints(kp, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=10.0, body_scale=100.0)
    assert report.filtered and np.abs(out[15:25, 0, 0] - kp[15:25, 0, 0]).max() > 0.5
    out, report = clean_keypoints(kp, fps=12.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=4.6, body_scale=100.0)
    assert not report.filtered
    np.testing.assert_array_equal(out[:, 0, :2], kp[:, 0, :2])


def test_a_one_frame_gap_between_the_only_two_points_is_filled():
    from gaitpose.gait.clean import fill_short_gaps

    np.testing.assert_array_equal(fill_short_gaps(np.array([1.0, np.nan, 3.0]), max_gap_frames=1), [1.0, 2.0, 3.0])
    # the last gap of a track is filled like the others
    np.testing.assert_array_equal(fill_short_gaps(np.array([0.0, 1.0, np.nan, np.nan, 4.0]), 2), [0, 1, 2, 3, 4])


def _ankle_dx(dx: list[float]) -> np.ndarray:
    """T×8×3 whose left ankle is dx (image x) from the right ankle (at x 0); every other joint missing."""
    kp = np.full((len(dx), 8, 3), np.nan)
    kp[:, LA] = np.stack([dx, np.zeros(len(dx)), np.ones(len(dx))], 1)
    kp[:, RA] = (0.0, 0.0, 1.0)
    return kp


def test_ankle_crossings_found_by_hand():
    from gaitpose.gait.clean import ankle_labels_by_crossings

    # 10 fps, 13 frames, the ankles 0.4 apart at most (the method is scale-free). |dx| dips to 0.02 at frames
    # 2, 5 and 8 (the legs cross: dx changes sign) and from 0.4 to 0.3 at frame 11 (a wobble). The depth a
    # crossing needs is 0.4 × the 90th percentile of |dx| (0.4) = 0.16: the three crossings (0.38 deep) count,
    # the wobble (0.1) does not. Three crossings are enough. Between them the left-labelled ankle is further
    # along x on frames 0-1 and 6-7 and nearer on 3-4 and 9-12: the labels agree with the alternation on all 10
    # frames away from the crossings; at a crossing (|dx| 0.02, under 0.25 × 0.16 = 0.04) the order is noise,
    # nothing is swapped, and the 3 crossing frames count as disagreeing: 10 / 13.
    dx = [0.4, 0.3, 0.02, -0.3, -0.4, -0.02, 0.3, 0.4, 0.02, -0.3, -0.4, -0.3, -0.4]
    swap, agreement = ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0)
    assert swap.tolist() == [False] * 13 and agreement == pytest.approx(10 / 13)
    # The same walk labelled the other way round (left nearer where it was further), and frame 7 mislabelled:
    # the alternation is now called the other way, and frame 7 (clear of any crossing) is swapped back.
    flipped = [-v for v in dx]
    flipped[7] = -flipped[7]
    swap, agreement = ankle_labels_by_crossings(_ankle_dx(flipped), fps=10.0)
    assert swap.tolist() == [f == 7 for f in range(13)] and agreement == pytest.approx(9 / 13)
    # Exactly 10 frames with ankles (the rest missing) are enough.
    kp = _ankle_dx(dx)
    kp[10:, LA] = np.nan
    assert ankle_labels_by_crossings(kp, fps=10.0) is not None
    kp[9, LA] = np.nan
    assert ankle_labels_by_crossings(kp, fps=10.0) is None


def test_two_crossings_close_together_are_one():
    from gaitpose.gait.clean import ankle_labels_by_crossings

    # Crossings at frames 2, 4 and 14 (2 and 10 frames apart): the typical interval is 6 frames, and crossings
    # must be 0.6 × 6 = 3.6 → 3 frames apart: 2 and 4 merge, leaving two crossings: too few to decide. The
    # shallow dips at frames 7 and 9 (0.05 deep, under the 0.16 a crossing needs) are no crossings and do not
    # shorten the typical interval.
    dx = [0.4, 0.3, 0.02, -0.2, -0.02, 0.3, 0.4, 0.35, 0.4, 0.35, 0.4, 0.35, 0.3, 0.2, 0.02, -0.3, -0.4]
    assert ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0) is None


def test_lowpass_filters_runs_of_16_frames_or_more_wherever_they_start():
    from gaitpose.gait.clean import lowpass

    zigzag = np.where(np.arange(16) % 2, 1.0, -1.0)             # all at the Nyquist frequency
    x = np.r_[np.full(20, np.nan), zigzag[:15], np.nan, zigzag]  # a 15-frame run from frame 20, then 16 frames
    y = lowpass(x, 100.0, 6.0)
    np.testing.assert_array_equal(y[:36], x[:36])               # too short to filter: left as it is
    # 16 frames: filtered; away from the run's ends (odd padding keeps each end value) the zig-zag is gone
    assert np.abs(y[40:48]).max() < 0.1


def _pair(n: int, gap_px: float) -> np.ndarray:
    """T×2×2: two joints moving right at 10 px a frame (no acceleration), the second `gap_px` below the first."""
    xy = np.zeros((n, 2, 2))
    xy[:, :, 0] = 10.0 * np.arange(n)[:, None]
    xy[:, 1, 1] = gap_px
    return xy


def _exchanged(xy: np.ndarray, frames) -> np.ndarray:
    out = xy.copy()
    out[frames] = out[frames][:, ::-1]
    return out


def test_continuity_finds_exchanged_labels_at_the_ends_and_in_the_middle():
    from gaitpose.gait.clean import _swap_labels

    xy = _pair(12, 30.0)
    for frames in ([0], [9], [10, 11], [4, 5, 6]):
        expected = np.zeros(12, bool)
        expected[frames] = True
        assert _swap_labels(_exchanged(xy, frames), body_scale=100.0).tolist() == expected.tolist(), frames


def test_continuity_keeps_the_labels_unless_swapping_pays_more_than_the_switch_cost():
    from gaitpose.gait.clean import _swap_labels

    # Joints 1 px apart (0.01 body scale), labels exchanged on frame 5: as given, the exchanged point adds
    # second differences of 0.01, −0.02, 0.01 on each joint: 2 × 6 × 0.01² = 0.0012, less than the 0.05 a
    # swapped frame costs: the labels stay. 30 px apart the same costs 2 × 6 × 0.3² = 1.08: swapped back.
    assert not _swap_labels(_exchanged(_pair(12, 1.0), [5]), body_scale=100.0).any()
    assert _swap_labels(_exchanged(_pair(12, 30.0), [5]), body_scale=100.0).tolist() == [f == 5 for f in range(12)]
    # Where the two joints are at the same place (frames 0-1 here), either label fits: they stay as given.
    xy = _pair(12, 30.0)
    xy[:2, 1] = xy[:2, 0]
    assert not _swap_labels(xy, body_scale=100.0).any()


def test_three_frames_are_enough_to_repair():
    from gaitpose.gait.clean import repair_swaps

    # Every left/right pair 30 px apart (right below left), all moving right 10 px a frame; the ankles'
    # labels exchanged on the last of 3 frames: the one second difference (t = 2) shows it.
    kp = np.ones((3, 8, 3))
    for side, dy in (("left", 0.0), ("right", 30.0)):
        for j in SIDE_JOINTS[side].values():
            kp[:, j, 0], kp[:, j, 1] = 10.0 * np.arange(3), 100.0 * j + dy
    bad = kp.copy()
    bad[2, [LA, RA]] = kp[2, [RA, LA]]
    fixed, counts, agreement = repair_swaps(bad, body_scale=100.0)
    np.testing.assert_array_equal(fixed, kp)
    assert counts["ankle"] == 1 and agreement is None


def test_whole_legs_mislabelled_are_repaired_ankles_first_and_knees_after_them():
    from gaitpose.gait.clean import repair_swaps

    # The walk of test_ankle_labels_follow_the_legs_through_their_crossings (30 fps, ankles at x = ±50 sin 2πt,
    # crossing every 0.5 s; labels exchanged on a random 30 % of frames), now with knees over their ankles
    # (x = ±25 sin 2πt, 100 px above: shank ≈ 100-103 px), hips at x = ±5 and shoulders at x = ±3. The
    # detector exchanges whole legs (knee and ankle together) and the shoulders on those frames.
    # Ankles: the crossings decide, continuity settles the frames at the crossings: right everywhere.
    # Knees: following the repaired ankles by their shank lengths where the legs are apart (the wrong
    # pairing is then hypot(75 sin, 100) px against 100-103), by continuity near the crossings; then whole
    # legs by continuity: right on every frame (on a crossing itself both knees are at x 0, y 200, so either
    # labelling is the same point) but the last, which the detector exchanged with the knees 10.4 px apart
    # (sin = −0.208): one acceleration term and a wrong shank of hypot(15.6, 100) = 101.2 px against its own 100.1
    # cannot outweigh the 0.05 for calling the detector wrong, so it keeps the detector's labels. Hips were never exchanged and stay; shoulders are not repaired at all.
    fps, n = 30.0, 120
    s = np.sin(2 * np.pi * np.arange(n) / fps)
    truth = np.ones((n, 8, 3))
    for j, x, y in ((0, 3, 0), (1, -3, 0), (2, 5, 100), (3, -5, 100)):
        truth[:, j, 0], truth[:, j, 1] = x, y
    truth[:, LK, 0], truth[:, RK, 0], truth[:, [LK, RK], 1] = 25 * s, -25 * s, 200.0
    truth[:, LA, 0], truth[:, RA, 0], truth[:, [LA, RA], 1] = 50 * s, -50 * s, 300.0
    flipped = np.random.default_rng(0).random(n) < 0.3
    bad = truth.copy()
    for a, b in ((0, 1), (LK, RK), (LA, RA)):
        bad[flipped, a], bad[flipped, b] = truth[flipped, b], truth[flipped, a]
    fixed, counts, agreement = repair_swaps(bad, body_scale=100.0, fps=fps)
    np.testing.assert_allclose(fixed[:, [LA, RA]], truth[:, [LA, RA]], atol=1e-9)
    np.testing.assert_allclose(fixed[:-1, [LK, RK]], truth[:-1, [LK, RK]], atol=1e-9)
    assert flipped[-1] and np.array_equal(fixed[-1, [LK, RK]], bad[-1, [LK, RK]])
    np.testing.assert_array_equal(fixed[:, [2, 3]], truth[:, [2, 3]])
    np.testing.assert_array_equal(fixed[:, [0, 1]], bad[:, [0, 1]])
    # every exchanged frame swapped back but those on a crossing itself (sin 2πt = 0: both ankles at x 0)
    assert "shoulder" not in counts and counts["hip"] == 0
    assert counts["ankle"] == int((flipped & (np.abs(s) > 1e-9)).sum())
    assert counts["knee"] == int((flipped & (np.abs(s) > 1e-9))[:-1].sum())
    assert agreement == pytest.approx(1 - flipped.mean(), abs=0.07)
