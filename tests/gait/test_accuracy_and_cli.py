"""Accuracy thresholds of issue 6 on representative walkers, and the CLI's bad-input contract."""
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from gaitpose.formats import write_keypoints_csv
from gaitpose.skeleton import SIDE_JOINTS
from gaitpose.gait.events import TOE_OFF_ERROR_S
from gaitpose.gait.validate import (ASYMMETRIC, SLOW_EXO, SYMMETRIC, THRESHOLDS, Case, default_cases,
                                    departure_from_circle_px, evaluate, observe)
from gaitpose.data.walker import simulate


@pytest.mark.parametrize("case", [
    Case("sym 60 R over", replace(SYMMETRIC, fps=60.0), seed=1),
    Case("sym 30 L tread", replace(SYMMETRIC, fps=30.0, facing=-1, treadmill=True), seed=2),
], ids=lambda c: c.name)
def test_symmetric_walkers_meet_thresholds(case):
    # Stance/swing are left out: toe off is detected up to ~65 ms early on these walkers (the ankle moves
    # forward as the heel rises; validate.py's signed errors), at the edge of the 60 ms threshold — a
    # known weakness, not hidden by a looser number here.
    r = evaluate(case)
    for key, limit in THRESHOLDS.items():
        if key not in ("stance_ms", "swing_ms"):
            assert r[key] <= limit, (key, r[key])


def test_asymmetric_walker_angles_cycle_and_steps():
    # Toe off on this walker is off by up to ~150 ms (validate.py's signed errors); angles, cycle, steps hold.
    r = evaluate(Case("asym 60 R over", replace(ASYMMETRIC, fps=60.0), seed=3))
    for key in ("angle_rmse_deg", "cycle_pct", "cadence_pct", "step_cm"):
        assert r[key] <= THRESHOLDS[key], (key, r[key])


def test_toe_off_error_stays_in_the_range_every_report_states():
    # Every analysis tells the reader how far toe off may be off (pipeline note); that range must hold on
    # all 48 validation walkers, so a change that makes toe off worse cannot keep the old promise.
    early_ms, late_ms = 1000 * TOE_OFF_ERROR_S[0], 1000 * TOE_OFF_ERROR_S[1]
    for case in default_cases():
        r = evaluate(case)
        assert early_ms <= r["toe_off_min_ms"] and r["toe_off_max_ms"] <= late_ms, (case.name, r["toe_off_min_ms"],
                                                                                    r["toe_off_max_ms"])


def test_departure_from_circle_by_hand():
    pivot = np.zeros((3, 2))
    # Turning about the pivot at radius 5 stays on the circle.
    on_circle = 5 * np.stack([np.cos([2.0, 2.2, 2.4]), np.sin([2.0, 2.2, 2.4])], axis=1)
    assert departure_from_circle_px(on_circle, pivot) == pytest.approx(0.0, abs=1e-12)
    # From (-3, 4) (radius 5) straight up: radii √34 = 5.831 and √45 = 6.708, so it left by 1.708.
    lifted = np.array([[-3.0, 4.0], [-3.0, 5.0], [-3.0, 6.0]])
    assert departure_from_circle_px(lifted, pivot) == pytest.approx(np.sqrt(45) - 5)


def test_slow_walker_toe_off_hardly_shows_in_the_ankle_at_30_fps():
    # The validation's evidence for the toe-off limit: the normal walker's ankle leaves the toe circle
    # by many noise SDs right after toe off, the slow exoskeleton walker's by about three at 30 fps.
    sym = evaluate(Case("sym 60", replace(SYMMETRIC, fps=60.0, right_phase=0.5), seed=1))
    exo = evaluate(Case("exo 30", replace(SLOW_EXO, fps=30.0, right_phase=0.5), seed=9))
    assert sym["toe_off_visibility_sd"] > 10
    assert 2 < exo["toe_off_visibility_sd"] < 4.5


def _gait(*args, cwd):
    return subprocess.run([sys.executable, "-m", "gaitpose.cli", "gait", *args], capture_output=True, text=True, cwd=cwd)


def test_cli_writes_outputs(tmp_path):
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, cam = observe(walk, seed=5)
    write_keypoints_csv(tmp_path / "kp.csv", kp, 30.0)
    (tmp_path / "cam.json").write_text(json.dumps(cam.intrinsics_json()))
    res = _gait("kp.csv", "--out", "out", "--height-m", "1.75", "--camera", "cam.json", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    for name in ("keypoints.csv", "angles.csv", "events.csv", "strides.csv", "summary.json", "report.html",
                 "keypoints.trc", "angles.mot", "plots/cycles.png"):
        assert (tmp_path / "out" / name).is_file(), name
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["walking_direction"] == "right"
    assert s["gait_cycle_s"]["mean"] == pytest.approx(1.1, rel=0.02)
    assert s["thigh_m"]["left"] == pytest.approx(0.245 * 1.75)
    caveat = "toe off comes from the ankle alone (the skeleton has no toe): on real walks (motion capture) 90 % " \
             "of toe offs were found within 0.04 s early and 0.21 s late, on synthetic walkers up to 0.07 s early " \
             "and 0.34 s late"
    assert any(n.startswith(caveat) for n in s["notes"]), s["notes"]
    assert caveat in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.parametrize("args,needle", [
    (["missing.csv", "--fps", "30"], "file not found"),
    (["kp.csv", "--fps", "0"], "--fps"),
    (["kp.csv", "--fps", "30", "--height-m", "-1"], "--height-m"),
    (["kp.csv", "--fps", "30", "--camera", "nofx.json"], '"fx"'),
    (["short.csv", "--fps", "30"], "fewer than two strides"),
])
def test_cli_bad_input_one_line_nothing_written(tmp_path, args, needle):
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=3))
    kp, _ = observe(walk, seed=6)
    write_keypoints_csv(tmp_path / "kp.csv", kp, 30.0)
    write_keypoints_csv(tmp_path / "short.csv", kp[:20], 30.0)
    (tmp_path / "nofx.json").write_text(json.dumps({"fy": 1000}))
    res = _gait(*args, "--out", "out", cwd=tmp_path)
    assert res.returncode == 2
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0] and "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_too_few_strides_from_low_scores_suggests_a_lower_min_score():
    # 3 cycles of 1.1 s at 30 fps = 99 frames, every joint scored 0.2 except the first 20 frames at 0.9:
    # at --min-score 0.3 only those 20 frames remain (too short for two strides) and 79/99 = 80 % of
    # the joints were removed by the score.
    from gaitpose.errors import GaitposeError
    from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints

    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=3))
    kp, _ = observe(walk, seed=6, drop=0.0)
    kp[:, :, 2] = 0.2
    kp[:20, :, 2] = 0.9
    with pytest.raises(GaitposeError, match=r"80 % of the detected joints scored below --min-score 0.3"):
        analyze_keypoints(kp, 30.0, GaitOptions(height_m=1.75, min_score=0.3))
    with pytest.raises(GaitposeError) as short:
        analyze_keypoints(kp[:20], 30.0, GaitOptions(height_m=1.75, min_score=0.3))
    assert "fewer than two strides" in str(short.value) and "--min-score" not in str(short.value)
    assert "found in only" not in str(short.value)
    # The same 20 good frames inside 99 where no joint was found at all (the person was lost).
    lost = kp.copy()
    lost[20:] = np.nan
    with pytest.raises(GaitposeError, match=r"joints were found in only 20 of 99 frames"):
        analyze_keypoints(lost, 30.0, GaitOptions(height_m=1.75, min_score=0.3))


def test_gait_on_analyze_keypoints_takes_the_threshold_analyze_used(tmp_path):
    # An analyze folder: keypoints_raw.csv beside analysis.json (min_score 0.6). Every joint scores 0.9 but the
    # left knee of every 10th frame, 0.5: below analyze's 0.6, above gait's own default 0.3.
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, _ = observe(walk, seed=5)
    kp[..., 2] = 0.9
    knee = SIDE_JOINTS["left"]["knee"]
    kp[::10, knee, 2] = 0.5
    low = int(np.isfinite(kp[::10, knee, 0]).sum())
    folder = tmp_path / "analysis"
    folder.mkdir()
    write_keypoints_csv(folder / "keypoints_raw.csv", kp, 30.0)
    (folder / "analysis.json").write_text(json.dumps({"min_score": 0.6, "status": "complete"}))
    res = _gait("analysis/keypoints_raw.csv", "--out", "a", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    s = json.loads((tmp_path / "a" / "summary.json").read_text())
    assert low > 0 and s["data_quality"]["low_score_points"] == low
    assert ("--min-score 0.6: the threshold `analyze` used (analysis.json beside keypoints_raw.csv); give "
            "--min-score to choose another") in s["notes"]
    # --min-score given: the user's; the same file elsewhere: gait's own 0.3
    res = _gait("analysis/keypoints_raw.csv", "--out", "b", "--min-score", "0.3", cwd=tmp_path)
    assert res.returncode == 0 and json.loads((tmp_path / "b" / "summary.json").read_text())["data_quality"]["low_score_points"] == 0
    write_keypoints_csv(tmp_path / "kp.csv", kp, 30.0)
    res = _gait("kp.csv", "--out", "c", cwd=tmp_path)
    s = json.loads((tmp_path / "c" / "summary.json").read_text())
    assert s["data_quality"]["low_score_points"] == 0 and not any("analysis.json" in n for n in s["notes"])


@pytest.mark.parametrize("content", ['{"min_score": 1.5}', '{"min_score": true}', '{"min_score": "0.5"}', "[1]",
                                     "not json", '{"status": "no person found"}'])
def test_an_analysis_json_without_a_usable_threshold_is_not_used(tmp_path, content):
    from gaitpose.gait.commands import analyze_min_score

    (tmp_path / "keypoints_raw.csv").write_text("frame,time_s\n")
    (tmp_path / "analysis.json").write_text(content)
    assert analyze_min_score(tmp_path / "keypoints_raw.csv") is None
    (tmp_path / "analysis.json").write_text('{"min_score": 0.5341}')
    assert analyze_min_score(tmp_path / "keypoints_raw.csv") == 0.5341
    assert analyze_min_score(tmp_path / "elsewhere.csv") is None        # no such keypoints file
