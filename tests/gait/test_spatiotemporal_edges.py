"""Footprints and step / stride lengths at their edges, worked by hand (the cases mutation testing found
unpinned: which frames a stance spans, the slowest third, a step or stride of exactly zero, the window
of the other foot's footprint, the paper's step length carried onto each stride)."""
import math

import numpy as np
import pytest

from gaitpose.gait.spatiotemporal import Stride, StrideSet, add_lengths, footprints

NONE = {"heel_strike": [], "toe_off": []}


def _only_left(x: np.ndarray, heel_strikes: list[float], toe_offs: list[float]) -> list[tuple[float, float]]:
    return footprints({"left": x, "right": np.full(len(x), np.nan)},
                      {"left": {"heel_strike": heel_strikes, "toe_off": toe_offs}, "right": NONE}, fps=1.0)["left"]


def test_footprint_uses_the_stance_frames_only_and_their_slowest_third():
    # The foot rests at 0.40 m on frames 0-8 (its previous footprint), then lands at frame 9.5 and rolls
    # forward: x[9..18] = 1.00, 1.00, 1.02, 1.02, 1.05, 1.10, 1.20, 1.35, 1.60, 1.90 m. The stance is heel
    # strike 9.5 → toe off 17.5: frames ceil(9.5) = 10 … floor(17.5) = 17. Speeds |gradient| (1 fps) there:
    # f10 (1.02 − 1.00)/2 = 0.01, f11 (1.02 − 1.00)/2 = 0.01, f12 (1.05 − 1.02)/2 = 0.015, f13 0.04, f14 0.075,
    # f15 0.125, f16 0.2, f17 0.275. The 1/3 quantile of these 8 sits at 7/3 = 2.33 between 0.015 and 0.04,
    # so the slowest third is f10-f12 at 1.00, 1.02, 1.02 m: median 1.02 m. (The 1/4 quantile would take
    # f10-f11 only, median 1.01; frames before the heel strike, resting at 0.40 m, would pull it there;
    # stopping two frames early, at f15, would leave f10-f11 as the slowest third.)
    # An earlier heel strike at 1.0 with its toe off at 2.5 spans frames 1-2 only: too few, no footprint,
    # and the stances after it still count.
    x = np.r_[np.full(9, 0.40), [1.00, 1.00, 1.02, 1.02, 1.05, 1.10, 1.20, 1.35, 1.60, 1.90]]
    assert _only_left(x, [1.0, 9.5], [2.5, 17.5]) == [(9.5, pytest.approx(1.02))]
    # The stance ends at the first toe off *after* its heel strike: one listed at the heel strike itself is not it.
    assert _only_left(x, [9.5], [9.5, 17.5]) == [(9.5, pytest.approx(1.02))]


def test_footprint_of_a_three_frame_stance_from_frame_zero_and_one_cut_by_the_recording():
    # Stance frames 0, 1, 2 (heel strike 0, toe off 2): x = 2.0, 2.0, 2.0, then 2.5, 3.0. Speeds 0, 0, 0.25:
    # the 1/3 quantile (position 2/3 between 0 and 0) is 0, and the frames at or below it rest at 2.0 m.
    # Three frames is enough; frame 0 counts.
    x = np.array([2.0, 2.0, 2.0, 2.5, 3.0])
    assert _only_left(x, [0.0], [2.0]) == [(0.0, pytest.approx(2.0))]
    # The recording stops during the stance (toe off at 5.5, past its last frame 4): frames 0-4 are used.
    assert _only_left(x, [0.0], [5.5]) == [(0.0, pytest.approx(2.0))]
    # A foot that never moves during its stance (every speed 0): it rests where it is.
    assert _only_left(np.full(8, 0.7), [1.0], [6.0]) == [(1.0, pytest.approx(0.7))]
    # One frame only: no speed, no footprint, no error.
    assert _only_left(np.array([1.0]), [0.0], [0.5]) == []


def test_the_paper_step_length_goes_onto_every_stride_at_its_heel_strike():
    # Without footprints (prints None) the step and stride lengths stay unknown, but each stride still gets
    # the paper's D_sl of its heel strike, and NaN where there is none.
    strides = StrideSet([Stride("left", 30.0, 90.0, 70.0, 2.0, 4 / 3, 2 / 3, 66.7),
                         Stride("right", 60.0, 120.0, 100.0, 2.0, 4 / 3, 2 / 3, 66.7),
                         Stride("left", 90.0, 150.0, 130.0, 2.0, 4 / 3, 2 / 3, 66.7)])
    add_lengths(strides, None, {"left": {30.0: 0.55, 150.0: 0.9}, "right": {60.0: 0.6}}, fps=30.0)
    first, second, third = strides.strides
    assert (first.step_length_paper_m, second.step_length_paper_m) == (0.55, 0.6)
    assert math.isnan(third.step_length_paper_m)                   # no D_sl at frame 90
    assert all(math.isnan(s.step_length_m) and math.isnan(s.stride_length_m) for s in strides.strides)
    assert strides.dropped == []


def test_a_step_or_stride_of_zero_is_dropped_and_said():
    # Left footprints at 30 and 90 both at 0.9 m, the right one at 10 also at 0.9 m: the left foot landed
    # level with the right (step 0) and did not move forward over its stride (stride 0): neither is a length.
    strides = StrideSet([Stride("left", 30.0, 90.0, 70.0, 2.0, 4 / 3, 2 / 3, 66.7)])
    add_lengths(strides, {"left": [(30.0, 0.9), (90.0, 0.9)], "right": [(10.0, 0.9)]},
                {"left": {}, "right": {}}, fps=30.0)
    s = strides.strides[0]
    assert math.isnan(s.step_length_m) and math.isnan(s.stride_length_m) and math.isnan(s.speed_m_s)
    assert strides.dropped == [
        "left step at 1.00 s: step length 0.00 m (the foot landed behind the other: legs exchanged or a foot "
        "misplaced)",
        "left step at 1.00 s: stride length 0.00 m (not forward)"]


def test_the_other_foot_must_have_landed_strictly_within_the_stride_before():
    # Left stride 90 → 150 (60 frames). Right footprints exactly one stride earlier (frame 30) and at the
    # same frame (90) are not "the other foot's previous footprint": the step is unknown. One at frame 31 is.
    def step(right):
        strides = StrideSet([Stride("left", 90.0, 150.0, 130.0, 2.0, 4 / 3, 2 / 3, 66.7)])
        add_lengths(strides, {"left": [(90.0, 1.2), (150.0, 2.1)], "right": right}, {"left": {}, "right": {}},
                    fps=30.0)
        return strides.strides[0].step_length_m

    assert math.isnan(step([(30.0, 0.2), (90.0, 1.0)]))
    assert step([(30.0, 0.2), (31.0, 0.5), (90.0, 1.0)]) == pytest.approx(0.7)     # 1.2 − 0.5


def _strides(heel_strikes, toe_offs, valid):
    from gaitpose.gait.spatiotemporal import build_strides

    events = {"left": {"heel_strike": heel_strikes, "toe_off": toe_offs}, "right": NONE}
    return build_strides(events, {"left": valid, "right": np.ones(len(valid), bool)}, fps=1.0)


def test_a_stride_is_checked_for_gaps_on_its_own_frames_only():
    # Left strides 10 → 20 → 30 (toe offs 16, 26). A missing ankle at frame 5 (before the first stride) or at
    # frame 21 (after the first stride's last frame, 20) leaves the first stride whole; at frame 21 it
    # breaks the second (frames 20-30), whose drop does not end the search: a third stride 30 → 40 is kept.
    valid = np.ones(50, bool)
    valid[[5, 21]] = False
    out = _strides([10.0, 20.0, 30.0, 40.0], [16.0, 26.0, 36.0], valid)
    assert [(s.start_frame, s.end_frame) for s in out.strides] == [(10.0, 20.0), (30.0, 40.0)]
    assert out.dropped == ["left stride at 20.00 s: missing keypoints inside the stride"]


def test_a_stride_reaching_past_the_mask_is_checked_to_its_end():
    # Heel strikes −0.5 and 10.5 (fractional: a refined event just outside the first and last frame), 11
    # frames (0-10): the stride spans frames −1 … 11, of which 0-10 exist; it is kept (frame −1 must not
    # wrap round to the last frame, nor 11 be read past the end).
    valid = np.ones(11, bool)
    out = _strides([-0.5, 10.5], [6.0], valid)
    assert [(s.start_frame, s.end_frame) for s in out.strides] == [(-0.5, 10.5)]
    valid[10] = False                                      # now the last frame is missing: dropped
    assert _strides([-0.5, 10.5], [6.0], valid).strides == []


def test_toe_offs_count_strictly_between_the_heel_strikes():
    # A toe off at exactly a heel strike (frame 10 or 20) is not between 10 and 20: one toe off (16) remains.
    out = _strides([10.0, 20.0], [10.0, 16.0, 20.0], np.ones(30, bool))
    assert [(s.start_frame, s.toe_off_frame) for s in out.strides] == [(10.0, 16.0)]


def test_a_stride_much_shorter_than_the_median_is_dropped():
    # Strides of 10, 10, 10 and 5 frames: the median 10, and 5 < 0.6 × 10 = 6.
    hs = [0.0, 10.0, 20.0, 30.0, 35.0]
    out = _strides(hs, [6.0, 16.0, 26.0, 33.0], np.ones(40, bool))
    assert [s.stride_time_s for s in out.strides] == [10.0, 10.0, 10.0]
    assert out.dropped == ["left stride at 30.00 s: stride time 5.00 s far from the median 10.00 s"]
