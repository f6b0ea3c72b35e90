"""Key numbers: derived percentages, uncertainty from the toe-off range, flags, ranges, rounding."""
import math

import pytest

from gaitpose.report import keynumbers as kn


def spec(key):
    return next(s for s in kn.SPECS if s.key == key)


def test_swing_and_double_support_are_percent_of_each_sides_cycle():
    s = {"gait_cycle_s": {"left": 2.0, "right": 1.0, "mean": 1.5},
         "swing_time_s": {"left": 0.5, "right": 0.4, "mean": 0.45},
         "double_support_s": {"left": 0.6, "right": 0.2, "mean": 0.4}}
    assert kn.side_values(s, "swing_pct") == pytest.approx({"left": 25.0, "right": 40.0, "both": 30.0})
    assert kn.side_values(s, "double_support_pct") == pytest.approx({"left": 30.0, "right": 20.0, "both": 100 * 0.4 / 1.5})
    single = kn.side_values({"cadence_steps_per_min": 61.56}, "cadence_steps_per_min")
    assert single["both"] == 61.56 and math.isnan(single["left"])
    # ROM has no "mean" in summary.json: both sides = their average
    assert kn.side_values({"knee_rom_deg": {"left": 20.0, "right": 40.0}}, "knee_rom_deg")["both"] == 30.0


def test_toe_off_uncertainty_over_a_2_s_cycle():
    # toe off up to 0.07 s early and 0.34 s late: over 2.0 s that is 3.5 % and 17 % of the cycle.
    s = {"gait_cycle_s": {"left": 2.0, "right": 2.0, "mean": 2.0}}
    assert kn.uncertainty(spec("stance_pct"), s) == pytest.approx((17.0, 3.5))     # late toe off: stance too long
    assert kn.uncertainty(spec("swing_pct"), s) == pytest.approx((3.5, 17.0))
    assert kn.uncertainty(spec("double_support_pct"), s) == pytest.approx((34.0, 7.0))  # two toe offs
    assert kn.uncertainty(spec("cadence_steps_per_min"), s) == (1.1, 1.1)


@pytest.mark.parametrize("value,expected", [
    (73.0, "high"),   # 73 - 12.5 = 60.5 > 60
    (72.0, "near"),   # 72 - 12.5 = 59.5: the truth could be 60
    (60.0, ""),
    (55.0, "near"),   # 55 + 10 = 65 >= 60
    (49.0, "low"),    # 49 + 10 = 59 < 60
    (float("nan"), ""),
])
def test_flag_needs_the_whole_uncertainty_outside_the_range(value, expected):
    rng = kn.Range(60.0, 60.0, "published", "")
    assert kn.flag(value, rng, 12.5, 10.0) == expected


def test_lab_norms_replace_the_published_range():
    norms = {"scalars": {"speed_m_s": {"mean": 1.0, "sd": 0.1, "n": 12}}}
    lab = kn.normal_range(spec("speed_m_s"), norms)
    assert (lab.low, lab.high, lab.source) == (pytest.approx(0.8), pytest.approx(1.2), "lab")
    assert "12 recordings" in lab.note
    published = kn.normal_range(spec("cadence_steps_per_min"), norms)
    assert (published.low, published.high, published.source) == (111.0, 117.0, "published")
    assert kn.normal_range(spec("gait_cycle_s"), None) is None


def test_lab_scalars_mean_and_sample_sd():
    summaries = [{"speed_m_s": v} for v in (1.0, 1.2, 1.4)] + [{"speed_m_s": float("nan")}]
    assert kn.lab_scalars(summaries)["speed_m_s"] == pytest.approx({"mean": 1.2, "sd": 0.2, "n": 3})


def test_rounding_and_symmetry():
    assert kn.round_to(61.56, 0) == "62"
    assert kn.round_to(0.384, 2) == "0.38"
    assert kn.round_to(-0.3, 0) == "0"
    assert kn.round_to(float("nan"), 2) == "–"
    assert kn.symmetry_pct(0.36, 0.40) == pytest.approx(90.0)
    assert math.isnan(kn.symmetry_pct(float("nan"), 1.0))
    assert kn.range_text(spec("stance_pct"), kn.Range(60.0, 60.0, "published", "")) == "60"
    assert kn.range_text(spec("speed_m_s"), kn.Range(1.28, 1.43, "published", "")) == "1.28–1.43"
