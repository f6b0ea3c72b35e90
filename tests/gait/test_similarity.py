"""Curve similarity (SPEC §8): S, RMSE, MAE, r and the lag search."""
import numpy as np

from gaitpose.gait.similarity import best_lag, similarity


def test_measures_on_a_hand_worked_constant_offset():
    # measured = reference + [3, -4] alternating over 20 frames, no lag:
    # d² = 9 or 16 → RMSE = sqrt(12.5) = 3.5355; MAE = 3.5; S = sqrt(10·9 + 10·16) / 20 = sqrt(250) / 20 = 0.7906.
    t = np.arange(20, dtype=float)
    reference = 10 * np.sin(2 * np.pi * t / 20)
    offset = np.where(t % 2 == 0, 3.0, -4.0)
    r = similarity(reference + offset, reference, max_lag=0)
    assert r["lag_frames"] == 0 and r["n"] == 20
    assert abs(r["rmse"] - 3.5355339) < 1e-6
    assert abs(r["mae"] - 3.5) < 1e-12
    assert abs(r["S"] - 0.7905694) < 1e-6


def test_lag_is_found_and_removed():
    # measured[t] = reference[t − 7]: after the search the curves coincide on the 93 overlapping frames.
    t = np.arange(100, dtype=float)
    reference = 20 * np.sin(2 * np.pi * t / 37) + 5 * np.sin(2 * np.pi * t / 11)
    measured = np.concatenate([np.full(7, np.nan), reference[:-7]])
    r = similarity(measured, reference, max_lag=30)
    assert r["lag_frames"] == 7
    assert r["rmse"] < 1e-9 and abs(r["r"] - 1) < 1e-12 and r["n"] == 93


def test_lag_does_not_jump_a_whole_cycle_to_drop_noisy_frames():
    # Periodic curves (period 50) where measured lags the reference by 5 frames, with large errors in
    # measured's first 60 frames. A lag of 55 skips those frames and has a higher Pearson r on what
    # remains, but aligns a different cycle; the search must keep 5.
    rng = np.random.default_rng(0)
    t = np.arange(200, dtype=float)
    reference = 30 * np.sin(2 * np.pi * t / 50)
    measured = 30 * np.sin(2 * np.pi * (t - 5) / 50)
    measured[:60] += rng.normal(0, 15, 60)
    assert best_lag(measured, reference, max_lag=80) == 5


def test_analysis_against_its_own_truth_finds_no_lag():
    # A walker seen by the camera, compared with its exact angles: same clock, so the lag is ~0
    # (never a whole 1.1 s cycle) and the RMSE is the analysis error (≤ 2°, issue 6).
    from dataclasses import replace

    from gaitpose.data.walker import simulate
    from gaitpose.gait.geometry import Camera
    from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
    from gaitpose.gait.validate import SYMMETRIC, observe

    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, cam = observe(walk, seed=11)
    reference = {c: walk.angles_deg[c] for c in ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg")}
    res = analyze_keypoints(kp, 30.0, GaitOptions(height_m=SYMMETRIC.height_m, reference_angles=reference,
                                                  camera=Camera(cam.fx, cam.fy, cam.cx, cam.cy, known=True)))
    for c, r in res.summary["similarity"].items():
        assert abs(r["lag_frames"]) <= 1, (c, r)
        assert r["rmse"] < 2.0, (c, r)
