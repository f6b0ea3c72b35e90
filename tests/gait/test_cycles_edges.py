"""Cycle-normalised curves, the norms band and the deviation score (gait/cycles.py), worked by hand."""
import math
from types import SimpleNamespace

import numpy as np
import pytest

from gaitpose.gait.cycles import N_POINTS, build_norms, cycle_curves, deviation_scores, normalise_stride


def _stride(side: str, start: float, end: float) -> SimpleNamespace:
    return SimpleNamespace(side=side, start_frame=start, end_frame=end)


def test_a_stride_is_resampled_to_101_points_between_its_fractional_heel_strikes():
    # curve[t] = 2 t over frames 0..20; the stride from frame 5 to frame 15 is sampled at 5 + 0.1 k
    # (k = 0..100), where the line is 10 + 0.2 k: 10 at 0 %, 20 at 50 %, 30 at 100 %.
    curve = 2.0 * np.arange(21)
    out = normalise_stride(curve, 5.0, 15.0)
    assert N_POINTS == 101 and out.shape == (101,)
    np.testing.assert_allclose(out, 10.0 + 0.2 * np.arange(101), atol=1e-12)
    # fractional ends: 2.5 → 12.5 is 5 + 0.2 k
    np.testing.assert_allclose(normalise_stride(curve, 2.5, 12.5), 5.0 + 0.2 * np.arange(101), atol=1e-12)


def test_cycle_curves_average_each_sides_strides_and_leave_out_those_with_gaps():
    # 40 frames. left hip = t, left knee = 100 + t, right hip = 3 t, right knee = 0 except a NaN at frame 25.
    # Left strides 0→10 and 10→20: sampled at 0.1 k and 10 + 0.1 k → hip 0.1 k and 10 + 0.1 k, mean 5 + 0.1 k,
    # population SD 5 at every point; knee the same + 100, SD 5. Right stride 20→30 crosses the NaN of the
    # right knee: left out of the knee (no right knee entry), kept for the right hip (3 (20 + 0.1 k) =
    # 60 + 0.3 k, SD 0, n 1).
    t = np.arange(40.0)
    right_knee = np.zeros(40)
    right_knee[25] = np.nan
    angles = {"left_hip_deg": t, "left_knee_deg": 100 + t, "right_hip_deg": 3 * t, "right_knee_deg": right_knee}
    strides = [_stride("left", 0, 10), _stride("left", 10, 20), _stride("right", 20, 30)]
    out = cycle_curves(angles, strides)
    assert sorted(out) == ["left_hip_deg", "left_knee_deg", "right_hip_deg"]
    k = np.arange(101)
    np.testing.assert_allclose(out["left_hip_deg"]["mean"], 5 + 0.1 * k, atol=1e-12)
    np.testing.assert_allclose(out["left_hip_deg"]["sd"], np.full(101, 5.0), atol=1e-12)
    np.testing.assert_allclose(out["left_knee_deg"]["mean"], 105 + 0.1 * k, atol=1e-12)
    np.testing.assert_allclose(out["left_knee_deg"]["sd"], np.full(101, 5.0), atol=1e-12)
    assert out["left_hip_deg"]["n"] == 2 and out["left_knee_deg"]["n"] == 2
    np.testing.assert_allclose(out["right_hip_deg"]["mean"], 60 + 0.3 * k, atol=1e-12)
    assert out["right_hip_deg"]["sd"] == [0.0] * 101 and out["right_hip_deg"]["n"] == 1
    assert all(isinstance(v, list) for c in out.values() for v in (c["mean"], c["sd"]))
    assert cycle_curves(angles, []) == {}


def test_norms_leave_out_an_angle_no_recording_has():
    # Only hip curves (left 10, right 30): hip mean 20, SD 10 (population), 2 curves; no knee entry.
    sets = [{"left_hip_deg": {"mean": [10.0] * 101}}, {"right_hip_deg": {"mean": [30.0] * 101}}]
    norms = build_norms(sets)
    assert norms["n_points"] == 101 and list(norms["angles"]) == ["hip_deg"]
    hip = norms["angles"]["hip_deg"]
    assert hip["mean"] == pytest.approx([20.0] * 101) and hip["sd"] == pytest.approx([10.0] * 101)
    assert hip["n_curves"] == 2
    assert build_norms([]) == {"n_points": 101, "angles": {}}


def test_deviation_score_is_the_rms_distance_from_the_reference_mean():
    # Left knee = reference + (3, −4, 3, −4, …) over 101 points: 51 differences of 3 and 50 of −4, mean
    # square (51 · 9 + 50 · 16) / 101 = 1259 / 101, score sqrt(1259 / 101) = 3.5306 deg. Right hip = reference
    # + 2 everywhere: 2. The right knee and left hip have no curve: no score.
    ref_knee = np.linspace(0, 60, 101)
    ref_hip = np.linspace(-10, 30, 101)
    offset = np.where(np.arange(101) % 2 == 0, 3.0, -4.0)
    curves = {"left_knee_deg": {"mean": (ref_knee + offset).tolist()}, "right_hip_deg": {"mean": (ref_hip + 2).tolist()}}
    norms = {"angles": {"hip_deg": {"mean": ref_hip.tolist()}, "knee_deg": {"mean": ref_knee.tolist()}}}
    out = deviation_scores(curves, norms)
    assert sorted(out) == ["left_knee_deg", "right_hip_deg"]
    assert out["left_knee_deg"] == pytest.approx(math.sqrt(1259 / 101), abs=1e-9)
    assert out["right_hip_deg"] == pytest.approx(2.0, abs=1e-9)
    assert deviation_scores(curves, {}) == {}
