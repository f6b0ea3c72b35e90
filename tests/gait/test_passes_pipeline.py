"""Passes through `gaitpose gait`: a synthetic walk there and back, a pass too short for a stride, a
treadmill walk, and passes.csv / the report. The walker's cycle is 1.1 s: 120 / 1.1 = 109.09 steps/min."""
import csv
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from gaitpose.data.walker import simulate
from gaitpose.formats import PASS_COLUMNS, write_keypoints_csv
from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
from gaitpose.gait.validate import SYMMETRIC, observe
from gaitpose.skeleton import SIDE_JOINTS

FPS = 30.0
CADENCE = 120 / 1.1   # steps/min of SYMMETRIC
TURN_FRAMES = 30      # standing 1 s at the far end


def _pelvis_x(kp: np.ndarray) -> np.ndarray:
    return np.nanmean(kp[:, [SIDE_JOINTS["left"]["hip"], SIDE_JOINTS["right"]["hip"]], 0], axis=1)


def _there_and_back(back_frames: int | None = None, seed: int = 5) -> tuple[np.ndarray, int]:
    """A walker going right for 4 cycles, standing 1 s, and the same walk mirrored about the vertical line
    x0 + x1 (x0, x1: its first and last pelvis x), which starts where the first ended and walks left.
    Camera level (roll 0): a rolled image mirrored would tilt the floor the other way. → (T×8×3, frames of
    the first walk)."""
    walk = simulate(replace(SYMMETRIC, fps=FPS, n_cycles=4))
    kp, _ = observe(walk, seed=seed, roll_deg=0.0)
    pel = _pelvis_x(kp)
    ok = np.flatnonzero(np.isfinite(pel))
    axis = pel[ok[0]] + pel[ok[-1]]
    back = kp[:back_frames].copy()
    back[..., 0] = axis - back[..., 0]
    turn = np.repeat(kp[-1:], TURN_FRAMES, axis=0)
    return np.concatenate([kp, turn, back]), len(kp)


def test_a_walk_there_and_back_is_two_passes_with_the_walkers_cadence():
    kp, n_there = _there_and_back()
    res = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75))
    s = res.summary
    first, second = s["passes"]
    assert (first["direction"], second["direction"]) == ("right", "left")
    assert first["status"] == second["status"] == "analysed" and not first["few_strides"]
    # The first pass ends where the walker stops (within the ±0.5 s of the velocity fit), the second starts
    # where the walk back does; the turn between them is left out.
    back_start = n_there + TURN_FRAMES
    assert first["start_frame"] == 0 and abs(first["end_frame"] - (n_there - 1)) <= FPS / 2
    assert abs(second["start_frame"] - back_start) <= FPS / 2 and second["end_frame"] == len(kp) - 1
    for p in (first, second):
        assert p["cadence_steps_per_min"] == pytest.approx(CADENCE, rel=0.02)
        assert p["step_length_m"]["mean"] == pytest.approx(0.7, abs=0.03)     # stride 1.4 m
        assert p["speed_m_s"] == pytest.approx(1.4 / 1.1, rel=0.03)
    assert s["walking_direction"] == "both" and s["mode"] == "overground"
    assert s["cadence_steps_per_min"] == pytest.approx(CADENCE, rel=0.02)
    # Pooled: every stride of both passes, none across the turn.
    n = {side: first["n_strides"][side] + second["n_strides"][side] for side in ("left", "right")}
    assert s["n_strides"] == n
    assert all(not (first["end_frame"] < x.start_frame < second["start_frame"]) for x in res.strides.strides)
    # The knee flexes in both passes (the sign of every sagittal angle follows each pass' direction).
    knee = res.angles["left_knee_deg"]
    for p in (first, second):
        assert np.nanmax(knee[p["start_frame"]:p["end_frame"] + 1]) > 40


def test_a_one_way_walk_is_one_pass_over_the_whole_recording_and_the_pooled_numbers_are_its_own():
    walk = simulate(replace(SYMMETRIC, fps=FPS, n_cycles=4, facing=-1))
    kp, _ = observe(walk, seed=7, drop=0.0)
    s = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75)).summary
    (p,) = s["passes"]
    assert (p["start_frame"], p["end_frame"], p["direction"]) == (0, len(kp) - 1, "left")
    for key in ("n_strides", "cadence_steps_per_min", "gait_cycle_s", "step_length_m", "stance_pct", "knee_rom_deg"):
        assert p[key] == s[key], key
    assert s["walking_direction"] == "left"


def test_a_short_walk_in_a_long_standing_recording_keeps_its_cycle():
    # 4.4 s of walking, then 16 s standing still: the walk is under a quarter of the recording. The cycle is
    # found from the pass alone (the standing frames, left out, do not thin out its autocorrelation).
    walk = simulate(replace(SYMMETRIC, fps=FPS, n_cycles=4))
    kp, _ = observe(walk, seed=4, roll_deg=0.0)
    n_walk = len(kp)
    kp = np.concatenate([kp, np.repeat(kp[-1:], int(16 * FPS), axis=0)])
    s = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75)).summary
    (p,) = s["passes"]
    assert p["start_frame"] == 0 and p["end_frame"] <= n_walk - 1 + FPS / 2
    assert p["cadence_steps_per_min"] == pytest.approx(CADENCE, rel=0.02) and sum(p["n_strides"].values()) >= 4


def test_a_pass_too_short_for_a_stride_is_named_and_skipped():
    # Back for 0.8 of a cycle only (0.8 × 1.4 m = 1.1 m: a pass, but no heel strike has its next one).
    kp, _ = _there_and_back(back_frames=int(0.8 * 1.1 * FPS))
    res = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75))
    first, second = res.summary["passes"]
    assert first["status"] == "analysed" and second["status"] == "skipped"
    assert second["direction"] == "left" and second["reason"].startswith("no complete stride")
    assert "cadence_steps_per_min" not in second
    assert res.summary["gait_cycle_s"] == first["gait_cycle_s"]
    assert any(n.startswith("pass 2 (") and "skipped: no complete stride" in n for n in res.notes), res.notes


def test_no_pass_with_two_strides_is_the_existing_clear_error():
    from gaitpose.errors import GaitposeError
    walk = simulate(replace(SYMMETRIC, fps=FPS, n_cycles=4))
    kp, _ = observe(walk, seed=3)
    standing = np.repeat(kp[:1], 90, axis=0)            # 3 s of the first pose, no step
    with pytest.raises(GaitposeError, match=r"fewer than two strides found \(0; no walking pass found: the hips never travelled"):
        analyze_keypoints(standing, FPS, GaitOptions())


def test_a_treadmill_walk_is_one_treadmill_pass_facing_the_way_the_knees_say():
    walk = simulate(replace(SYMMETRIC, fps=FPS, n_cycles=4, treadmill=True, facing=-1))
    kp, _ = observe(walk, seed=2, roll_deg=0.0)
    s = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75)).summary
    (p,) = s["passes"]
    assert (p["mode"], p["direction"], p["travel_leg_lengths"]) == ("treadmill", "left", 0.0)
    assert s["mode"] == "treadmill" and p["cadence_steps_per_min"] == pytest.approx(CADENCE, rel=0.02)


def test_cli_writes_passes_csv_and_the_report_table(tmp_path):
    kp, _ = _there_and_back(back_frames=int(0.8 * 1.1 * FPS))
    write_keypoints_csv(tmp_path / "kp.csv", kp, FPS)
    res = subprocess.run([sys.executable, "-m", "gaitpose.cli", "gait", "kp.csv", "--out", "out", "--height-m", "1.75"],
                         capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert "pass 2" in res.stdout and "skipped" in res.stdout
    with open(tmp_path / "out" / "passes.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert tuple(rows[0]) == PASS_COLUMNS
    assert [(r["pass"], r["status"], r["direction"]) for r in rows] == [
        ("1", "analysed", "right"), ("2", "skipped", "left"), ("all", "pooled", "right")]
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert float(rows[0]["cadence_steps_per_min"]) == pytest.approx(summary["passes"][0]["cadence_steps_per_min"])
    assert float(rows[0]["gait_cycle_sd_s"]) == pytest.approx(summary["passes"][0]["gait_cycle_s"]["sd"])
    assert rows[1]["cadence_steps_per_min"] == "" and rows[1]["reason"].startswith("no complete stride")
    html = (tmp_path / "out" / "report.html").read_text()
    assert "<h2>Walking passes</h2>" in html and "skipped: no complete stride" in html


def test_a_walk_there_and_back_filmed_by_a_camera_that_follows_the_walker_is_two_passes():
    # The walk there and back with every frame shifted so the pelvis stays at x = 0 (a camera panning with
    # the walker): the hips never travel in the image, so only the knees can tell the turn. Two passes,
    # facing right then left, each in place and with the walker's cadence; the standing turn is left out.
    kp, n_there = _there_and_back()
    kp[..., 0] -= _pelvis_x(kp)[:, None]
    s = analyze_keypoints(kp, FPS, GaitOptions(height_m=1.75)).summary
    first, second = s["passes"]
    assert (first["direction"], second["direction"]) == ("right", "left")
    assert first["mode"] == second["mode"] == "treadmill"
    assert first["end_frame"] < n_there + TURN_FRAMES <= second["start_frame"] + FPS
    for p in (first, second):
        assert p["status"] == "analysed"
        assert p["cadence_steps_per_min"] == pytest.approx(CADENCE, rel=0.02)
    assert any("turning" in note and "from right to left" in note for note in s["notes"])
