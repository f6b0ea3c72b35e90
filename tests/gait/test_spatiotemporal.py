"""Strides, double support, footprints, the paper's step length and the symmetry ratios, by hand."""
import math

import numpy as np
import pytest

from gaitpose.gait.spatiotemporal import (add_double_support, build_strides, footprints, paper_step_lengths,
                                          phase_symmetry_index, symmetry_ratio)


def test_strides_kept_and_dropped_with_their_reasons():
    # 10 fps. Left heel strikes 0, 30, 60, 90, 180 with toe offs 20 | 50, 55 | none | 110; right heel
    # strikes 15, 45, 75 with toe offs 35, 65, and the right ankle missing at frame 50.
    events = {"left": {"heel_strike": [0.0, 30.0, 60.0, 90.0, 180.0], "toe_off": [20.0, 50.0, 55.0, 110.0]},
              "right": {"heel_strike": [15.0, 45.0, 75.0], "toe_off": [35.0, 65.0]}}
    valid = {"left": np.ones(200, bool), "right": np.ones(200, bool)}
    valid["right"][50] = False
    out = build_strides(events, valid, fps=10.0)
    assert out.dropped == [
        "left stride at 3.00 s: 2 toe offs between the heel strikes (expected 1)",
        "left stride at 6.00 s: 0 toe offs between the heel strikes (expected 1)",
        "right stride at 4.50 s: missing keypoints inside the stride",
        # kept: 3.0, 9.0 and 3.0 s; the median 3.0 s; 9.0 s > 1.5 × 3.0 s
        "left stride at 9.00 s: stride time 9.00 s far from the median 3.00 s",
    ]
    left, right = out.strides                       # sorted by their heel strike
    assert (left.side, left.start_frame, left.end_frame, left.toe_off_frame) == ("left", 0.0, 30.0, 20.0)
    assert (right.side, right.start_frame, right.end_frame, right.toe_off_frame) == ("right", 15.0, 45.0, 35.0)
    for s in (left, right):
        assert (s.stride_time_s, s.stance_time_s, s.swing_time_s) == pytest.approx((3.0, 2.0, 1.0))
        assert s.stance_pct == pytest.approx(200 / 3)


def test_stride_limits_around_the_median():
    # Strides of 10, 10, 10, 6, 15 and 16 frames (median 10): 0.6 × 10 = 6 and 1.5 × 10 = 15 are kept.
    hs = np.cumsum([0, 10, 10, 10, 6, 15, 16]).astype(float)
    events = {"left": {"heel_strike": list(hs), "toe_off": list(hs[:-1] + 3)},
              "right": {"heel_strike": [], "toe_off": []}}
    out = build_strides(events, {"left": np.ones(100, bool), "right": np.ones(100, bool)}, fps=1.0)
    assert [s.stride_time_s for s in out.strides] == [10, 10, 10, 6, 15]
    assert out.dropped == ["left stride at 51.00 s: stride time 16.00 s far from the median 10.00 s"]


def test_a_stride_at_the_end_of_the_validity_mask_is_checked_to_its_last_frame():
    events = {"left": {"heel_strike": [0.0, 10.5], "toe_off": [6.0]}, "right": {"heel_strike": [], "toe_off": []}}
    valid = {"left": np.ones(12, bool), "right": np.ones(12, bool)}
    valid["left"][11] = False                        # ceil(10.5) = 11: inside the stride
    assert build_strides(events, valid, fps=1.0).strides == []
    valid["left"][11], valid["left"][0] = True, False  # frame 0 is its first
    assert build_strides(events, valid, fps=1.0).strides == []


def test_double_support_by_hand():
    # Left stride: heel strike 0, toe off 12, next heel strike 20; the right foot leaves at 2 and lands at 10:
    # both feet down 0→2 and 10→12: 4 frames = 0.4 s at 10 fps.
    events = {"left": {"heel_strike": [0.0, 20.0], "toe_off": [12.0]},
              "right": {"heel_strike": [10.0, 30.0], "toe_off": [2.0, 22.0]}}
    strides = build_strides(events, {"left": np.ones(40, bool), "right": np.ones(40, bool)}, fps=10.0)
    add_double_support(strides, events, fps=10.0)
    left = [s for s in strides.strides if s.side == "left"][0]
    right = [s for s in strides.strides if s.side == "right"][0]
    assert left.double_support_s == pytest.approx(0.4)
    # right stride 10→30, toe off 22: the left foot leaves at 12 and lands at 20: (12−10) + (22−20) = 4
    assert right.double_support_s == pytest.approx(0.4)
    # a missing other toe off leaves it unknown
    events["right"]["toe_off"] = [22.0]
    strides = build_strides(events, {"left": np.ones(40, bool), "right": np.ones(40, bool)}, fps=10.0)
    add_double_support(strides, events, fps=10.0)
    assert math.isnan([s for s in strides.strides if s.side == "left"][0].double_support_s)


def test_footprint_is_where_the_foot_rests_not_its_mean_over_the_stance():
    # Stance frames 0…8 (heel strike 0, toe off 8): the ankle rests at 1.0 m, then rises and rolls forward
    # with the heel (1.02 … 1.5 m). Speeds |gradient|: 0, 0, 0.01, 0.025, 0.04, 0.075, 0.1, 0.15, 0.25 m a
    # frame; the slowest third (≤ the 1/3 quantile, 0.02) is frames 0-2, at 1.0 m (the stance mean: 1.13 m).
    x = np.array([1.0, 1.0, 1.0, 1.02, 1.05, 1.1, 1.2, 1.3, 1.5, 1.8, 2.2, 2.6])
    events = {"left": {"heel_strike": [0.0, 11.5], "toe_off": [8.0]}, "right": {"heel_strike": [], "toe_off": []}}
    prints = footprints({"left": x, "right": np.full(12, np.nan)}, events, fps=10.0)
    assert prints["left"] == [(0.0, pytest.approx(1.0))]      # the heel strike at 11.5 has no toe off after it
    assert prints["right"] == []
    # too few stance frames with an ankle: no footprint
    x[1:8] = np.nan
    assert footprints({"left": x, "right": x}, events, fps=10.0)["left"] == []


def test_paper_step_length_by_hand():
    # Left thigh 30°, shank 10°; right thigh −20°, shank −30°; thigh and shank 0.4 m:
    # reach(left) = 0.4 sin 30° + 0.4 sin 10° = 0.26946, reach(right) = 0.4 sin(−20°) + 0.4 sin(−30°) = −0.33681.
    # The thigh angles rise 1° a frame, so at the fractional frame 2.5 they are 2.5° more.
    t = np.arange(5, dtype=float)
    angles = {"left_thigh_deg": 30 + t, "left_shank_deg": np.full(5, 10.0),
              "right_thigh_deg": -20 + t, "right_shank_deg": np.full(5, -30.0)}
    events = {"left": {"heel_strike": [0.0, 2.5]}, "right": {"heel_strike": [1.0]}}
    d = paper_step_lengths(angles, events, {"left": 0.4, "right": 0.4}, {"left": 0.4, "right": 0.4})

    def reach(th, ph):
        return 0.4 * math.sin(math.radians(th)) + 0.4 * math.sin(math.radians(ph))

    assert d["left"][0.0] == pytest.approx(reach(30, 10) - reach(-20, -30))
    assert d["left"][0.0] == pytest.approx(0.26946 + 0.33681, abs=1e-5)
    assert d["left"][2.5] == pytest.approx(reach(32.5, 10) - reach(-17.5, -30))
    assert d["right"][1.0] == pytest.approx(reach(-19, -30) - reach(31, 10))


def test_symmetry_ratio_and_dps_guards():
    assert symmetry_ratio(0.5, 0.6) == pytest.approx(0.5 / 0.6)
    assert symmetry_ratio(0.6, 0.5) == pytest.approx(0.5 / 0.6)
    assert math.isnan(symmetry_ratio(float("nan"), 0.5))
    assert math.isnan(symmetry_ratio(0.5, float("nan")))
    assert math.isnan(symmetry_ratio(0.0, 0.0)) and math.isnan(symmetry_ratio(-1.0, -2.0))
    assert symmetry_ratio(0.0, 0.5) == 0.0
    ok_st, ok_sw = {"left": 0.7, "right": 0.7}, {"left": 0.5, "right": 0.5}
    assert phase_symmetry_index(1.2, ok_st, ok_sw) == pytest.approx(1.0)
    assert phase_symmetry_index(4.8, ok_st, ok_sw) == pytest.approx(0.5)       # sqrt(1.2 / 4.8)
    assert math.isnan(phase_symmetry_index(1.2, {"left": float("nan"), "right": 0.7}, ok_sw))
    assert math.isnan(phase_symmetry_index(1.2, ok_st, {"left": 0.0, "right": 0.5}))
    assert math.isnan(phase_symmetry_index(0.0, ok_st, ok_sw))
    assert math.isnan(phase_symmetry_index(float("nan"), ok_st, ok_sw))
