"""Swap repair (Viterbi with per-frame evidence, whole legs, swap counts), knee pairing, crossings and feet
cleaning at their edges, worked by hand (the cases mutation testing of `gait/clean.py` found unpinned)."""
import numpy as np
import pytest

from gaitpose.gait.clean import (_knee_pairing_costs, _swap_labels, ankle_labels_by_crossings, clean_feet,
                                 clean_keypoints, repair_swaps)
from gaitpose.skeleton import FOOT_INDEX, SIDE_JOINTS
from test_clean_edges import _exchanged, _pair

LH, RH = SIDE_JOINTS["left"]["hip"], SIDE_JOINTS["right"]["hip"]
LK, RK = SIDE_JOINTS["left"]["knee"], SIDE_JOINTS["right"]["knee"]
LA, RA = SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]


# --- _swap_labels: the Viterbi itself -------------------------------------------------------------------------

def test_one_or_two_frames():
    # One frame: nothing to compare, the labels are kept. Two frames: no acceleration yet, each frame follows its
    # own evidence: frame 0 costs 0.3 as given and 0 + 0.05 (switch) swapped → swapped; frame 1 costs 0 as given,
    # 0.05 swapped → as given.
    xy = np.array([[[0.0, 0.0], [30.0, 0.0]], [[10.0, 0.0], [40.0, 0.0]]])
    assert _swap_labels(xy[:1], 100.0).tolist() == [False]
    assert _swap_labels(xy, 100.0, unary_tx2=np.array([[0.3, 0.0], [0.0, 0.0]])).tolist() == [True, False]


def test_where_continuity_cannot_tell_each_frame_follows_its_own_evidence():
    # Both joints at one point on every frame (moving 10 px a frame): 'as given' and 'swapped' are the same
    # points, every acceleration term is the same for every path, so each frame is decided alone: swapped where
    # unary[t, 1] + switch cost < unary[t, 0]. A NaN entry is no evidence: it counts 0.
    #   frame 0: 0.3 vs 0 + 0.05 → swapped       frame 1: 0 vs 0.05 → as given
    #   frame 2: 0.3 vs 0.05 → swapped           frame 3: NaN → 0 vs 0.03 + 0.05 → as given
    #   frame 4: NaN, NaN → 0 vs 0.05 → as given frame 5: 0.04 vs 0.05 → as given
    t = np.arange(6.0)
    xy = np.zeros((6, 2, 2))
    xy[:, :, 0] = 10 * t[:, None]
    unary = np.array([[0.3, 0.0], [0.0, 0.0], [0.3, 0.0], [np.nan, 0.03], [np.nan, np.nan], [0.04, 0.0]])
    assert _swap_labels(xy, 100.0, unary_tx2=unary).tolist() == [True, False, True, False, False, False]
    # A switch cost of 0.03: frame 5 now swapped (0.04 > 0.03); frame 3 still not (0 < 0.06).
    assert _swap_labels(xy, 100.0, switch_cost=0.03, unary_tx2=unary).tolist() == [True, False, True, False, False,
                                                                                    True]


@pytest.mark.parametrize("frame", [0, 11])
def test_an_end_frame_is_swapped_back_when_its_one_acceleration_term_outweighs_the_switch_cost(frame):
    # An exchanged first (or last) frame enters one second difference only: (x2 − 2 x1 + x0) per joint, off by
    # the joints' distance d: 2 (d / 100)² for both joints. d = 17 px: 2 × 0.17² = 0.0578 > 0.05 → swapped back;
    # d = 15 px: 2 × 0.15² = 0.045 < 0.05 → kept; d = 17 px with a switch cost of 0.06 → kept.
    # (Swapping the 11 other frames instead would cost 11 × 0.05.)
    expected = [f == frame for f in range(12)]
    assert _swap_labels(_exchanged(_pair(12, 17.0), [frame]), 100.0).tolist() == expected
    assert not _swap_labels(_exchanged(_pair(12, 15.0), [frame]), 100.0).any()
    assert not _swap_labels(_exchanged(_pair(12, 17.0), [frame]), 100.0, switch_cost=0.06).any()


def test_whole_legs_swap_together_when_knee_and_ankle_together_outweigh_the_switch_cost():
    # T × (left, right) × (knee, ankle) × 2: knees 5 px apart, ankles 5 px apart (body scale 100), the whole leg
    # exchanged on frame 5 of 12. A pair exchanged on one frame in the middle of a steady track puts the other
    # joint's point there: second differences d, −2d, d on each joint, 6 d² a joint, 12 d² a pair:
    # 12 × 0.05² = 0.03 < 0.05 for the knees alone or the ankles alone (kept), 0.06 > 0.05 for both (swapped).
    knees, ankles = _pair(12, 5.0), _pair(12, 5.0) + (0.0, 100.0)
    legs = np.stack([knees, ankles], axis=2)                     # T × side × part × 2
    legs = _exchanged(legs, [5])
    assert not _swap_labels(legs[:, :, 0], 100.0).any()
    assert not _swap_labels(legs[:, :, 1], 100.0).any()
    assert _swap_labels(legs, 100.0).tolist() == [f == 5 for f in range(12)]


# --- repair_swaps on a walk whose every cost can be worked by hand ----------------------------------------------

def _walk(c_px: float, n: int = 24, unit: float = 1.0) -> np.ndarray:
    """n frames (at 10 fps) of legs seen from the side: ankles at x = ±a (left +a), y 300; knees straight above
    them (x = ±a, y 200: shanks of exactly 100); hips and shoulders missing; score 1. a runs c, c+20, c+40, c+20,
    c, c−20, c−40, c−20 px and repeats: the legs cross next to every frame 4k (|dx| = 2c there; dx changes sign
    just after frames 8k+4 and just before 8k+8), and a is linear (20 px a frame) over frames 4k−2 … 4k+2.
    Every coordinate × `unit`."""
    a = (c_px + np.resize([0.0, 20, 40, 20, 0, -20, -40, -20], n)) * unit
    kp = np.full((n, 8, 3), np.nan)
    kp[..., 2] = 1.0
    kp[:, LA, 0], kp[:, RA, 0], kp[:, [LA, RA], 1] = a, -a, 300 * unit
    kp[:, LK, 0], kp[:, RK, 0], kp[:, [LK, RK], 1] = a, -a, 200 * unit
    return kp


def _swap(kp: np.ndarray, frames, pairs) -> np.ndarray:
    out = kp.copy()
    for a, b in pairs:
        out[frames, a], out[frames, b] = kp[frames, b], kp[frames, a]
    return out

# The crossings of every _walk (c = 2.8 or 3.8 px): |dx| = 2|a| takes, per 8 frames, 2c twice, 40 − 2c twice,
# 40 + 2c twice, 80 − 2c, 80 + 2c. c = 2.8: 24 frames sorted, the 90th percentile (index 20.7) is
# 74.4 + 0.7 × 11.2 = 82.24: a crossing must be 0.4 × 82.24 = 32.9 deep, and a frame is clear of one where
# |dx| > 0.25 × 32.9 = 8.2 (c = 3.8: 83.04, 33.2, 8.3). The minima at frames 4, 8, 12, 16, 20 (|dx| 2c) are 80
# deep: five crossings, 4 frames apart (≥ 2 = 0.2 s at 10 fps); frames 4k are not clear, every other frame is.
# Continuity costs, body scale 100 (a's slope is 20 px a frame around every crossing frame, so exchanging one
# pair there on one frame adds second differences e, −2e, e to each joint with e = 2a, nothing else):
#   c = 2.8: 12 × 0.056² = 0.0376 for one pair (knees, or ankles), 0.0753 for a whole leg;
#   c = 3.8: 12 × 0.076² = 0.0693 for one pair.


def test_whole_legs_exchanged_next_to_a_crossing_are_put_right_by_the_last_pass():
    # c = 2.8: knee and ankle exchanged together on frame 8 (a crossing frame: not clear, the crossings keep it).
    # Ankles by continuity: 0.0376 < 0.05, kept. Knees: the shanks they make with the ankles as they stand are
    # right as given (100 px: cost 0) and hypot(5.6, 100) = 100.157 px swapped (2 × 0.157 / 100 = 0.0031), and
    # continuity 0.0376 < 0.05 + 0.0031: kept. The whole leg: 0.0753 > 0.05: swapped back. Counts: one frame each.
    # The detector's ankle labels disagree with the alternation on frames 4, 12, 20 (|dx| = 5.6 on the wrong
    # side of 0 in an odd segment) and 8 (exchanged): 20 / 24.
    truth = _walk(2.8)
    fixed, counts, agreement = repair_swaps(_swap(truth, [8], [(LK, RK), (LA, RA)]), body_scale=100.0, fps=10.0)
    np.testing.assert_array_equal(fixed, truth)
    assert counts == {"ankle": 1, "knee": 1, "hip": 0}
    assert agreement == pytest.approx(20 / 24)


def test_continuity_settles_a_crossing_frame_next_to_frames_the_crossings_swapped():
    # c = 3.8: ankles alone exchanged on frames 5-8. The crossings swap 5-7 back (clear, on the wrong side);
    # frame 8 is not clear and stays exchanged, and continuity over the tracks as the crossings left them
    # (5-7 right) swaps it back: 0.0693 > 0.05. Knees were right and stay (continuity 0.0693 + 0.05 against
    # nothing to gain). Agreement: frames 4, 12, 20 and the exchanged 5-8 disagree: 17 / 24.
    truth = _walk(3.8)
    fixed, counts, agreement = repair_swaps(_swap(truth, [5, 6, 7, 8], [(LA, RA)]), body_scale=100.0, fps=10.0)
    np.testing.assert_array_equal(fixed, truth)
    assert counts == {"ankle": 4, "knee": 0, "hip": 0}
    assert agreement == pytest.approx(17 / 24)


def _knees_hidden_at_crossings(truth: np.ndarray) -> np.ndarray:
    """Both knees missing on frames 4 and 8: no second difference of the knees spans frames 4-8, so knee
    continuity cannot see an exchange on frames 5-7 (only the shanks can)."""
    kp = truth.copy()
    kp[[4, 8], LK], kp[[4, 8], RK] = np.nan, np.nan
    return kp


def test_knees_are_decided_by_their_shanks_with_the_repaired_ankles():
    # c = 2.8, knees missing on frames 4 and 8, knees alone exchanged on 5-7 (a = −17.2, −37.2, −17.2 px).
    # Knee pairing: every frame's better pairing is 100 px, the typical shank 100. On 5-7 as given each knee makes
    # hypot(2a, 100) with its ankle: costs 2 × 5.751 / 100 = 0.115, 2 × 24.640 / 100 = 0.493, 0.115; swapped 0.
    # Continuity is the same for 5-7 all swapped or all not (knees cut off at 4 and 8), so 0.723 > 3 × 0.05:
    # swapped back. The ankles were right; the last pass has nothing to do.
    truth = _knees_hidden_at_crossings(_walk(2.8))
    fixed, counts, _ = repair_swaps(_swap(truth, [5, 6, 7], [(LK, RK)]), body_scale=100.0, fps=10.0)
    np.testing.assert_array_equal(fixed, truth)
    assert counts == {"ankle": 0, "knee": 3, "hip": 0}


def test_ankles_are_repaired_before_the_knees_are_paired_with_them():
    # c = 2.8, knees missing on frames 4 and 8, ankles alone exchanged on 5-7 (clear: the crossings swap them
    # back). Paired with the repaired ankles the knees are right (cost 0 as given, 0.115 / 0.493 / 0.115
    # swapped) and stay; paired with the ankles as detected they would look exchanged and be swapped.
    truth = _knees_hidden_at_crossings(_walk(2.8))
    fixed, counts, _ = repair_swaps(_swap(truth, [5, 6, 7], [(LA, RA)]), body_scale=100.0, fps=10.0)
    np.testing.assert_array_equal(fixed, truth)
    assert counts == {"ankle": 3, "knee": 0, "hip": 0}


def test_scores_play_no_part_in_which_joint_is_which():
    # The c = 2.8 walk in body-scale units (÷ 100, body scale 1: every continuity cost as above), hips at
    # x = ±0.05, y 1; every joint right. Scores: left 0.9, right 0.3, exchanged on frame 5 for hips, knees and
    # ankles. Positions alone: nothing to swap (every frame right, any swap costs 0.05 and more). Were the scores
    # compared like positions, the exchanged scores (jumps of 0.6: 6 × 0.36 a joint, 4.32 a pair) would outweigh
    # swapping the points (hips 12 × 0.1² + 0.05 = 0.17; knees or ankles at a = −0.172, about 2.0).
    kp = _walk(2.8, unit=0.01)
    kp[:, LH, :2], kp[:, RH, :2] = (0.05, 1.0), (-0.05, 1.0)
    kp[:, [LH, LK, LA], 2], kp[:, [RH, RK, RA], 2] = 0.9, 0.3
    kp[5, [LH, LK, LA], 2], kp[5, [RH, RK, RA], 2] = 0.3, 0.9
    fixed, counts, agreement = repair_swaps(kp, body_scale=1.0, fps=10.0)
    np.testing.assert_array_equal(fixed, kp)
    assert counts == {"ankle": 0, "knee": 0, "hip": 0}
    assert agreement == pytest.approx(21 / 24)      # frames 4, 12, 20 disagree


# --- _knee_pairing_costs ------------------------------------------------------------------------------------------

def test_knee_pairing_costs_are_in_shank_lengths_whatever_the_unit_and_nan_without_any_pair():
    # Shanks of 0.4 m, knees 0.4 above their ankles, legs 0.3 apart: the wrong pairing is hypot(0.3, 0.4) = 0.5.
    # Frames 0-2 as labelled, 3-4 knees exchanged, 5 without knees (no pair either way: NaN, and it does not
    # enter the typical shank, the median of the better pairings: 0.4). Costs Σ |length − 0.4| / 0.4:
    # as labelled 0 and 2 × 0.1 / 0.4 = 0.5 swapped; exchanged the other way round.
    def frame(lk, rk, la, ra):
        f = np.full((8, 3), np.nan)
        for j, p in ((LK, lk), (RK, rk), (LA, la), (RA, ra)):
            f[j] = (*p, 1.0)
        return f

    normal = frame((0, 0), (0.3, 0), (0, 0.4), (0.3, 0.4))
    crossed = frame((0.3, 0), (0, 0), (0, 0.4), (0.3, 0.4))
    no_knees = normal.copy()
    no_knees[[LK, RK]] = np.nan
    cost = _knee_pairing_costs(np.stack([normal] * 3 + [crossed] * 2 + [no_knees]))
    np.testing.assert_allclose(cost, [[0, 0.5]] * 3 + [[0.5, 0]] * 2 + [[np.nan, np.nan]], atol=1e-9)


# --- ankle_labels_by_crossings --------------------------------------------------------------------------------------

def _ankle_dx(dx) -> np.ndarray:
    """T×8×3 whose left ankle is dx (image x) from the right ankle (at x 0); every other joint missing."""
    kp = np.full((len(dx), 8, 3), np.nan)
    kp[:, LA] = np.stack([dx, np.zeros(len(dx)), np.ones(len(dx))], 1)
    kp[:, RA] = (0.0, 0.0, 1.0)
    return kp


def test_ankles_exactly_level_count_as_the_left_one_not_further():
    # The walk of test_clean_edges.py's crossings by hand, the crossings now exactly at dx = 0 (frames 2, 5, 8).
    # Depth needed 0.4 × 0.4 = 0.16 (frame 11's 0.1 dip is no crossing); segments 0-1, 2-4, 5-7, 8-12; the left
    # ankle further in segments 0 and 2 (parity 0). dx = 0 counts as 'left not further': frames 2 and 8 (odd
    # segments) agree, frame 5 (even) disagrees: 12 / 13. Nothing is swapped (0 is not clear of a crossing).
    dx = [0.4, 0.3, 0.0, -0.3, -0.4, 0.0, 0.3, 0.4, 0.0, -0.3, -0.4, -0.3, -0.4]
    swap, agreement = ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0)
    assert not swap.any() and agreement == pytest.approx(12 / 13)


def test_no_crossings_are_looked_for_when_the_ankles_are_level_on_nine_frames_in_ten():
    # 50 frames, the ankles level (dx = 0) but for 1-frame spikes at 10, 20, 30, 40: the 90th percentile of |dx|
    # (index 44.1 of 50 sorted, 46 of them 0) is 0, so is the depth a crossing needs: no decision (None), though
    # the three level stretches between the spikes would be minima of any depth.
    dx = np.zeros(50)
    dx[[10, 20, 30, 40]] = 1.0
    assert ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0) is None


def test_two_dips_closer_than_a_fifth_of_a_second_are_one_crossing():
    # 20 fps: the first pass keeps crossings at least int(0.2 × 20) = 4 frames apart. |dx| dips at frames 6
    # (0.03), 10 (0.01) and 13 (0.02): depths 0.37, 0.39 and 0.28 (frame 13's left base is frame 11's 0.3), all
    # over 0.4 × 0.4 = 0.16. 10 is the deepest; 13 is 3 frames from it and goes, 6 (4 frames) stays: two
    # crossings, too few to decide (None). (Kept at 3 frames apart, three crossings would decide.)
    dx = [0.4, 0.4, 0.4, 0.3, 0.2, 0.1, 0.03, -0.2, -0.4, -0.2, 0.01, 0.3, 0.2, 0.02, -0.3, -0.4, -0.4, -0.4]
    assert ankle_labels_by_crossings(_ankle_dx(dx), fps=20.0) is None


def test_the_depth_a_crossing_needs_is_set_by_the_90th_percentile_of_the_ankles_distance():
    # 13 frames at 10 fps; |dx| sorted: 0.01 0.02 0.03 0.4 0.4 0.4 0.555 0.555 0.555 0.8 0.8 1.4 1.4. The 90th
    # percentile (index 10.8) is 0.8 + 0.8 × 0.6 = 1.28: a crossing must be 0.512 deep (the 91st, 1.352, would
    # ask 0.5408). Minima at 2 (|dx| 0.02, depth min(1.4, 0.8) − 0.02 = 0.78), 5 (0.01: 0.555 − 0.01 = 0.545)
    # and 8 (0.03: 0.555 − 0.03 = 0.525): three crossings, so the labels are decided. Segments 0-1, 2-4, 5-7,
    # 8-12, the left ankle further in 0 and 2; the three crossing frames are on the other side: 10 / 13, and
    # none is clear of a crossing (0.25 × 0.512 = 0.128): nothing swapped.
    dx = [1.4, 1.4, 0.02, -0.8, -0.8, -0.01, 0.555, 0.555, 0.03, -0.4, -0.555, -0.4, -0.4]
    swap, agreement = ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0)
    assert not swap.any() and agreement == pytest.approx(10 / 13)


def test_a_frame_exactly_at_the_clearness_threshold_is_left_as_labelled():
    # |dx| is 1 on 8 of 13 frames: the 90th percentile is exactly 1, a crossing must be 0.4 deep and a frame is
    # clear of one where |dx| > 0.25 × 0.4 = 0.1 (exact in floating point). Crossings at 2, 5, 8 (|dx| 0.02,
    # 0.98 deep); the left ankle further in segments 0 (0-1) and 2 (5-7). Frames 7 (dx −0.1) and 9 (+0.11), next
    # to the crossing at 8, are on the wrong side: 9 is clear and swapped, 7 (exactly at the threshold) is not.
    # Agreement: frames 2, 5, 7, 8, 9 disagree: 8 / 13.
    assert 0.25 * (0.4 * 1.0) == 0.1
    dx = [1.0, 1.0, 0.02, -1.0, -1.0, -0.02, 1.0, -0.1, 0.02, 0.11, -1.0, -1.0, -1.0]
    swap, agreement = ankle_labels_by_crossings(_ankle_dx(dx), fps=10.0)
    assert swap.tolist() == [f == 9 for f in range(13)] and agreement == pytest.approx(8 / 13)


# --- the filter's limit ---------------------------------------------------------------------------------------------

def test_a_design_cutoff_exactly_at_095_nyquist_is_not_filtered():
    # 20 fps, cutoff 7.619 Hz: designed at 7.619 / 0.802 = 9.5 Hz = 0.95 × 10 Hz exactly (in floating point too):
    # at the limit the tracks are left as they are and the report says so.
    assert 7.619 / 0.802 == 0.95 * 20.0 / 2
    kp = np.zeros((40, 8, 3))
    kp[..., 2] = 0.9
    kp[:, :, 0] = np.arange(8) * 10.0 + np.where(np.arange(40) % 2, 1.0, -1.0)[:, None]   # a 1 px zig-zag
    kp[:, :, 1] = [0, 0, 50, 50, 100, 100, 150, 150]
    out, report = clean_keypoints(kp, fps=20.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=7.619, body_scale=100.0)
    assert not report.filtered
    np.testing.assert_array_equal(out[..., :2], kp[..., :2])


# --- clean_feet -----------------------------------------------------------------------------------------------------

def test_each_heel_goes_to_the_nearer_ankle_frame_by_frame_and_a_tie_keeps_the_labels():
    # Ankles at (200, 50) left and (300, 50) right (away from the origin). Heels near the middle:
    #   frame 0: left heel (240, 50), right (260, 50): kept 40 + 40 = 80 < crossed 60 + 60 = 120 → as labelled;
    #   frame 1: left (260, 50), right (240, 50): kept 120 > crossed 80 → exchanged back;
    #   frame 2: left (250, 40), right (250, 20), both on the ankles' bisector: kept hypot(50, 10) + hypot(50, 30)
    #            = crossed: a tie keeps the labels.
    # Toes well behind their own ankles: (190, 60), (290, 60): never exchanged. 3 frames: nothing filtered.
    ankles = np.array([[[200.0, 50.0], [300.0, 50.0]]] * 3)
    feet = np.ones((3, 4, 3))
    lh, rh, lt, rt = FOOT_INDEX["left"]["heel"], FOOT_INDEX["right"]["heel"], FOOT_INDEX["left"]["toe"], \
        FOOT_INDEX["right"]["toe"]
    feet[:, lh, :2] = [(240, 50), (260, 50), (250, 40)]
    feet[:, rh, :2] = [(260, 50), (240, 50), (250, 20)]
    feet[:, lt, :2], feet[:, rt, :2] = (190, 60), (290, 60)
    out = clean_feet(feet, ankles, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=6.0)
    np.testing.assert_array_equal(out[:, lh, :2], [(240, 50), (240, 50), (250, 40)])
    np.testing.assert_array_equal(out[:, rh, :2], [(260, 50), (260, 50), (250, 20)])
    np.testing.assert_array_equal(out[:, [lt, rt]], feet[:, [lt, rt]])


def test_feet_gaps_filled_up_to_the_longest_gap_on_every_point_and_scores_passed_through():
    # 100 fps, max gap 0.29 s = 29 frames (0.29 × 100 = 28.999999999999996 in floating point). Still feet near
    # their ankles; the right toe missing on 29 frames (10-38): filled with its still position; the right heel
    # missing on 30 frames (10-39): left missing. Scores alternate 0.9 / 0.5 and come out as they went in (only
    # x and y are filled and filtered). The low-pass leaves a still point where it is.
    n = 60
    ankles = np.array([[[200.0, 50.0], [300.0, 50.0]]] * n)
    still = {FOOT_INDEX["left"]["heel"]: (200, 60), FOOT_INDEX["right"]["heel"]: (300, 60),
             FOOT_INDEX["left"]["toe"]: (220, 60), FOOT_INDEX["right"]["toe"]: (320, 60)}
    feet = np.zeros((n, 4, 3))
    for k, p in still.items():
        feet[:, k, :2] = p
    feet[..., 2] = np.where(np.arange(n) % 2, 0.5, 0.9)[:, None]
    rh, rt = FOOT_INDEX["right"]["heel"], FOOT_INDEX["right"]["toe"]
    feet[10:39, rt, :2] = np.nan
    feet[10:40, rh, :2] = np.nan
    out = clean_feet(feet, ankles, fps=100.0, min_score=0.3, max_gap_s=0.29, cutoff_hz=6.0)
    np.testing.assert_allclose(out[:, rt, :2], np.tile([320.0, 60.0], (n, 1)), atol=1e-9)
    assert np.isnan(out[10:40, rh, :2]).all()
    np.testing.assert_allclose(out[40:, rh, :2], np.tile([300.0, 60.0], (20, 1)), atol=1e-9)
    np.testing.assert_array_equal(out[..., 2], feet[..., 2])


def test_a_dropped_point_once_filled_scores_zero_as_a_point_never_found():
    from gaitpose.gait.clean import clean_keypoints

    # A still skeleton (40 frames at 30 fps, every joint scoring 0.9; knees at (40, 100) and (50, 100),
    # hips 50 px above, ankles 50 px below). Frame 20: the left knee detected at (40, 300), 200 px off: its
    # thigh (hypot(20, 250) = 251 px) is 4.7 times its usual hypot(20, 50) = 54 px, so it is dropped as implausible and filled from its
    # neighbours, (40, 100). Frame 25: the right knee not found at all, filled, (50, 100). Frame 30: the
    # right ankle detected with score 0.2, under --min-score 0.3, dropped and filled. All three filled
    # points score 0: none has a detection of its own (the rejected ones do not count).
    kp = np.zeros((40, 8, 3))
    kp[..., 2] = 0.9
    kp[:, :, 0] = np.arange(8) * 10.0
    kp[:, :, 1] = [0, 0, 50, 50, 100, 100, 150, 150]
    kp[20, 4, :2] = (40.0, 300.0)
    kp[25, 5] = np.nan
    kp[30, 7, 2] = 0.2
    out, report = clean_keypoints(kp, fps=30.0, min_score=0.3, max_gap_s=0.1, cutoff_hz=6.0, body_scale=100.0)
    assert report.implausible_knees == 1 and report.low_score_points == 1
    np.testing.assert_allclose(out[20, 4], [40.0, 100.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(out[25, 5], [50.0, 100.0, 0.0], atol=1e-6)
    np.testing.assert_allclose(out[30, 7], [70.0, 150.0, 0.0], atol=1e-6)
    assert out[19, 4, 2] == pytest.approx(0.9)
