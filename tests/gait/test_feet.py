"""Heel and toe as optional foot points (issue 13): reading them, keeping each with its own leg, and
`gaitpose gait` taking its events from them."""
import csv
import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from gaitpose.data.walker import simulate
from gaitpose.formats import KEYPOINT_COLUMNS
from gaitpose.gait.clean import clean_feet
from gaitpose.gait.readers import read_feet
from gaitpose.gait.validate import SYMMETRIC, observe_with_feet
from gaitpose.skeleton import FOOT_POINTS


def _write_csv(path, kp, fps, feet=None, foot_points=FOOT_POINTS):
    """keypoints.csv with the foot columns of `foot_points` appended (empty cells where NaN)."""
    foot_points = foot_points if feet is not None else ()
    header = list(KEYPOINT_COLUMNS) + [f"{p}_{c}" for p in foot_points for c in ("x", "y", "score")]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for t in range(len(kp)):
            row = [t, t / fps]
            for values in list(kp[t]) + [feet[t, FOOT_POINTS.index(p)] for p in foot_points]:
                row += ["" if not np.isfinite(values[0]) else v for v in values]
            w.writerow(row)


def test_read_feet_from_a_keypoints_csv(tmp_path):
    kp = np.ones((2, 8, 3))
    feet = np.array([[[10, 20, 0.9], [11, 21, 0.8], [12, 22, 0.7], [13, 23, 0.6]],
                     [[np.nan, np.nan, np.nan], [31, 41, 1], [32, 42, 1], [33, 43, 1]]], float)
    _write_csv(tmp_path / "kp.csv", kp, 30.0, feet)
    got, note = read_feet(tmp_path / "kp.csv")
    assert note == ""
    np.testing.assert_array_equal(got[0], feet[0])
    assert np.isnan(got[1, 0]).all()
    np.testing.assert_array_equal(got[1, 1:], feet[1, 1:])


def test_heel_without_toe_columns_is_said_and_not_used(tmp_path):
    kp = np.ones((2, 8, 3))
    feet = np.ones((2, 4, 3))
    _write_csv(tmp_path / "kp.csv", kp, 30.0, feet, foot_points=("left_heel", "right_heel"))
    got, note = read_feet(tmp_path / "kp.csv")
    assert got is None
    assert note == ("kp.csv: foot points left_toe, right_toe missing (have left_heel, right_heel): heel strike and "
                    "toe off come from the ankles")
    # without any foot column: nothing to say
    _write_csv(tmp_path / "plain.csv", kp, 30.0)
    assert read_feet(tmp_path / "plain.csv") == (None, "")


def test_read_feet_from_a_trc_with_halpe_names(tmp_path):
    names = ["LShoulder", "RShoulder", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle",
             "LHeel", "RHeel", "LBigToe", "RBigToe"]
    lines = ["PathFileType\t4\t(X/Y/Z)\tw.trc", "DataRate\tCameraRate\tNumFrames", "30\t30\t1",
             "Frame#\tTime\t" + "\t\t\t".join(names), "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(len(names)))]
    values = []
    for i in range(len(names)):
        values += [str(i), str(100 + i), "0"]
    lines.append("1\t0\t" + "\t".join(values))
    (tmp_path / "w.trc").write_text("\n".join(lines) + "\n")
    feet, note = read_feet(tmp_path / "w.trc")
    assert note == ""
    # LHeel is marker 8: x 8, y 108 → image-like (8, −108); RBigToe is marker 11
    np.testing.assert_array_equal(feet[0, FOOT_POINTS.index("left_heel")], [8, -108, 1])
    np.testing.assert_array_equal(feet[0, FOOT_POINTS.index("right_toe")], [11, -111, 1])


def test_clean_feet_gives_each_point_to_the_nearer_ankle():
    # Two frames; ankles at x = 0 (left) and 100 (right). In frame 1 the heels' labels are exchanged
    # (left heel at 98) and the toes are right; a point below the score threshold goes missing.
    ankles = np.array([[[0.0, 0], [100, 0]], [[0, 0], [100, 0]]])
    feet = np.array([[[-5, 10, 1], [95, 10, 1], [15, 10, 1], [115, 10, 1]],
                     [[98, 10, 1], [-3, 10, 1], [14, 10, 0.1], [116, 10, 1]]], float)
    out = clean_feet(feet, ankles, fps=30.0, min_score=0.3, max_gap_s=0.0, cutoff_hz=6.0)
    np.testing.assert_array_equal(out[1, 0, :2], [-3, 10])     # left heel: the point near the left ankle
    np.testing.assert_array_equal(out[1, 1, :2], [98, 10])
    assert np.isnan(out[1, 2, 0])                               # the low-score left toe is dropped
    np.testing.assert_array_equal(out[0], feet[0])


def test_gait_cli_takes_events_from_heel_and_toe(tmp_path):
    walk = simulate(replace(SYMMETRIC, fps=60.0, n_cycles=4))
    kp, feet, cam = observe_with_feet(walk, seed=5)
    _write_csv(tmp_path / "kp.csv", kp, 60.0, feet)
    (tmp_path / "cam.json").write_text(json.dumps(cam.intrinsics_json()))
    res = subprocess.run([sys.executable, "-m", "gaitpose.cli", "gait", "kp.csv", "--out", "out", "--height-m", "1.75",
                          "--camera", "cam.json"], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    s = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert s["event_source"] == {"left": "heel and toe", "right": "heel and toe"}
    assert any(n.startswith("heel strike from the heel, toe off from the toe") for n in s["notes"])
    # stance from the toe: within 40 ms of the walker's truth on both sides (the ankle alone: 0…23 ms
    # here too, but up to 113 ms on the asymmetric walker; tests/gait/test_truth.py)
    for side in ("left", "right"):
        assert s["stance_time_s"][side] == pytest.approx(walk.stance_time_s[side], abs=0.04)


def test_feet_found_through_the_walk_time_the_events_when_the_walker_is_in_view_for_part_of_the_clip():
    """Usable feet are judged on the walking passes, the frames the events come from: a walker in view for 4 s
    of a 9 s clip (nobody there for the first 5 s) has heel and toe in every frame of its pass, not in 80 % of
    the clip's frames, and its events come from them (and the summary says so)."""
    from gaitpose.gait.geometry import Camera
    from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints

    walk = simulate(replace(SYMMETRIC, fps=60.0, n_cycles=4))
    kp, feet, cam = observe_with_feet(walk, seed=5)
    empty = int(1.25 * len(kp))                                  # more than the walk: under half the clip walks
    kp = np.concatenate([np.full((empty, 8, 3), np.nan), kp])
    feet = np.concatenate([np.full((empty, 4, 3), np.nan), feet])
    camera = Camera(**cam.intrinsics_json(), known=True)
    res = analyze_keypoints(kp, 60.0, GaitOptions(height_m=1.75, camera=camera), feet_tx4x3=feet)
    assert res.summary["event_source"] == {"left": "heel and toe", "right": "heel and toe"}
    assert not any(n.startswith("heel and toe points were given") for n in res.notes)
