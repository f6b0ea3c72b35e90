"""Curve similarity (gait/similarity.py) at its edges, worked by hand: negative lags, the search's ends, the
minimum overlap, gaps, curves of different lengths, too few or constant samples."""
import math
import warnings

import numpy as np
import pytest

from gaitpose.gait.similarity import best_lag, similarity

NAN_KEYS = {"S", "rmse", "mae", "r", "lag_frames", "n"}


def _curve(n: int) -> np.ndarray:
    t = np.arange(n, dtype=float)
    return 20 * np.sin(2 * np.pi * t / 37) + 5 * np.sin(2 * np.pi * t / 11)


def test_a_measured_curve_ahead_of_the_reference_has_a_negative_lag_and_gaps_are_left_out():
    # measured[t] = reference[t + 5] (NaN over its last 5 frames and at frame 50): a[t] = b[t − L] with L = −5.
    # At that lag the pairs a[0…94] ↔ b[5…99] coincide; frame 50 is left out: 94 frames, no difference.
    reference = _curve(100)
    measured = np.concatenate([reference[5:], np.full(5, np.nan)])
    measured[50] = np.nan
    r = similarity(measured, reference, max_lag=5)               # the lag at the end of the search range
    assert r["lag_frames"] == -5 and r["n"] == 94
    assert r["rmse"] < 1e-9 and r["mae"] < 1e-9 and r["S"] < 1e-9 and r["r"] == pytest.approx(1.0, abs=1e-12)
    # and the other way, at +7 with the search reaching exactly 7
    behind = np.concatenate([np.full(7, np.nan), reference[:-7]])
    assert best_lag(behind, reference, max_lag=7) == 7


def test_a_lag_needs_more_than_10_overlapping_frames():
    # b[t] = sin(2π t / 6), a[t] = b[t − 1]. 12 frames: at lag 1 the 11 pairs coincide (r = 1, weight 11/12
    # = 0.917); at lag 0 the 12 frames are two whole periods, r = cos(2π/6) = 0.5 (weight 1); lag −1 pairs
    # a[t] with b[t + 1], two frames apart, r < 0. So lag 1.
    def pair(n: int) -> tuple[np.ndarray, np.ndarray]:
        t = np.arange(n, dtype=float)
        return np.sin(2 * np.pi * (t - 1) / 6), np.sin(2 * np.pi * t / 6)
    a, b = pair(12)
    assert best_lag(a, b, max_lag=1) == 1
    # 11 frames: lag 1 overlaps 10, too few; lag 0 (11 frames) is the only one left
    a, b = pair(11)
    assert best_lag(a, b, max_lag=1) == 0
    # 10 frames: no lag overlaps enough; the search says 0
    a, b = pair(10)
    assert best_lag(a, b, max_lag=1) == 0


def test_curves_of_different_lengths_pair_only_what_overlaps():
    # White noise (only the true lag correlates; any other pairs unrelated samples, |r| far below the
    # true lag's 1 · 17/18 weight). Reference 20 frames; measured 25: two NaN, then reference[0…17], then 5 other values. At lag 2 the
    # pairs are a[2 + i] ↔ b[i] for i < len(b) − 2 = 18: exactly reference[0…17] against itself.
    reference = np.random.default_rng(1).normal(size=20)
    measured = np.concatenate([[np.nan, np.nan], reference[:18], [100.0, -100.0, 50.0, 0.0, 7.0]])
    r = similarity(measured, reference, max_lag=2)
    assert r["lag_frames"] == 2 and r["n"] == 18 and r["rmse"] < 1e-9
    # and the reference longer: b has 25 frames, a = b[3 + t] for 18 frames, then NaN: lag −3 pairs
    # a[i] ↔ b[i + 3] for i < len(a) − 3 = 17 (the code stops |lag| frames before the end of a)
    long_ref = np.random.default_rng(2).normal(size=25)
    a = np.concatenate([long_ref[3:21], [np.nan, np.nan]])   # a[i] = b[i + 3], i < 18
    r = similarity(a, long_ref, max_lag=3)
    assert r["lag_frames"] == -3 and r["n"] == 17 and r["rmse"] < 1e-9


def test_three_frames_by_hand():
    # x = (1, 2, 3), y = (1, 3, 2), no lag search (too short): d = (0, −1, 1): S = sqrt(2) / 3,
    # RMSE = sqrt(2/3), MAE = 2/3; r = Σ dx·dy / sqrt(Σdx² Σdy²) with dx = (−1, 0, 1), dy = (−1, 1, 0): 1 / 2.
    r = similarity(np.array([1.0, 2.0, 3.0]), np.array([1.0, 3.0, 2.0]), max_lag=2)
    assert (r["lag_frames"], r["n"]) == (0, 3)
    assert r["S"] == pytest.approx(math.sqrt(2) / 3) and r["rmse"] == pytest.approx(math.sqrt(2 / 3))
    assert r["mae"] == pytest.approx(2 / 3) and r["r"] == pytest.approx(0.5)
    # two frames are enough for the differences: (1, 3) against (0, 0): S = sqrt(10) / 2, RMSE sqrt(5), MAE 2;
    # the reference does not vary, so no r
    r = similarity(np.array([1.0, 3.0]), np.zeros(2), max_lag=0)
    assert r["n"] == 2 and r["S"] == pytest.approx(math.sqrt(10) / 2) and r["rmse"] == pytest.approx(math.sqrt(5))
    assert r["mae"] == pytest.approx(2.0) and math.isnan(r["r"])


def test_fewer_than_two_frames_give_nan_measures():
    for measured, n in ((np.array([4.0, np.nan, np.nan]), 1), (np.full(3, np.nan), 0)):
        r = similarity(measured, np.array([1.0, 2.0, 3.0]), max_lag=1)
        assert set(r) == NAN_KEYS and (r["lag_frames"], r["n"]) == (0, n)
        assert all(math.isnan(r[k]) for k in ("S", "rmse", "mae", "r"))


def test_a_constant_curve_has_no_r_and_no_numpy_warning():
    # measured constant 5 against 0…11 (12 frames, the lag search runs): no lag can be scored (no variance),
    # so lag 0; d = 5 − t: Σd² = 25+16+9+4+1+0+1+4+9+16+25+36 = 146 → RMSE sqrt(146/12), MAE 36/12 = 3.
    t = np.arange(12, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("error")                           # a user's terminal shows no RuntimeWarning
        for measured, reference in ((np.full(12, 5.0), t), (t, np.full(12, 5.0))):
            r = similarity(measured, reference, max_lag=1)
            assert r["lag_frames"] == 0 and r["n"] == 12 and math.isnan(r["r"])
            assert r["rmse"] == pytest.approx(math.sqrt(146 / 12)) and r["mae"] == pytest.approx(3.0)
