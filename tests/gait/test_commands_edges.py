"""The `gait` job's own parsing (gait/commands.py): length pairs, the camera file, the session header, the
options and the printed summary; every expected value is read off the input written here."""
import argparse
import datetime
import json
import math
import warnings

import numpy as np
import pytest

from gaitpose import __version__
from gaitpose.errors import GaitposeError
from gaitpose.gait.commands import (gait_options_from_args, load_camera, parse_pair, print_gait_summary, run_gait,
                                    session_info)
from gaitpose.gait.geometry import Camera
from gaitpose.gait.pipeline import GaitOptions


def test_a_length_pair_is_left_and_right_or_one_for_both():
    assert parse_pair(None, "--thigh-m") is None
    assert parse_pair("0.42", "--thigh-m") == (0.42, 0.42)
    assert parse_pair("0.41,0.43", "--thigh-m") == (0.41, 0.43)
    assert parse_pair(" 0.41 , 0.43 ", "--shank-m") == (0.41, 0.43)       # float() takes the spaces
    with pytest.raises(GaitposeError, match=r"^--thigh-m: expected metres as L or L,R, got 'abc'$"):
        parse_pair("abc", "--thigh-m")
    for text in ("0.4,0.4,0.4", "0", "-0.4", "0.4,nan", "inf"):
        with pytest.raises(GaitposeError, match=r"^--shank-m: expected one or two positive lengths in metres, got "):
            parse_pair(text, "--shank-m")


def test_camera_file_with_defaults_and_one_line_errors(tmp_path):
    assert load_camera(None) == Camera()
    p = tmp_path / "cam.json"
    # fy defaults to fx, cx and cy to 0; the principal point is known only when both are given
    p.write_text(json.dumps({"fx": 1000}))
    assert load_camera(str(p)) == Camera(1000.0, 1000.0, 0.0, 0.0, (), known=False)
    p.write_text(json.dumps({"fx": 1000, "fy": 990, "cx": 640, "cy": 360, "dist": [0.1, -0.02, 0, 0]}))
    assert load_camera(str(p)) == Camera(1000.0, 990.0, 640.0, 360.0, (0.1, -0.02, 0.0, 0.0), known=True)
    p.write_text(json.dumps({"fx": 1000, "cx": 640}))
    cam = load_camera(str(p))
    assert (cam.cx, cam.cy, cam.known) == (640.0, 0.0, False)
    with pytest.raises(GaitposeError, match=r"missing.json: file not found$"):
        load_camera(str(tmp_path / "missing.json"))
    p.write_text("{")
    with pytest.raises(GaitposeError, match=r"cam.json: not valid JSON \("):
        load_camera(str(p))
    for bad in ([1000], {"fy": 1000}):
        p.write_text(json.dumps(bad))
        with pytest.raises(GaitposeError, match=r'cam.json: missing "fx" \(expected'):
            load_camera(str(p))
    for bad in ({"fx": "wide"}, {"fx": 1000, "dist": [0.1, "x"]}, {"fx": 1000, "cy": None}):
        p.write_text(json.dumps(bad))
        with pytest.raises(GaitposeError, match="cam.json: fx, fy, cx, cy must be numbers and dist a list of numbers"):
            load_camera(str(p))
    for bad in ({"fx": 0}, {"fx": 1000, "fy": -5}):
        p.write_text(json.dumps(bad))
        with pytest.raises(GaitposeError, match="cam.json: fx and fy must be positive$"):
            load_camera(str(p))


def test_session_header(tmp_path):
    cam = Camera(1000.0, 990.0, 640.0, 360.0, (0.1, 0.0), known=True)
    video = tmp_path / "walk.mp4"
    s = session_info(cam, "P-7", "baseline", "2026-03-04", video=video, keypoints_source="read from kp.csv")
    assert s == {"subject": "P-7", "label": "baseline", "date": "2026-03-04", "video": str(video.resolve()),
                 "keypoints_source": "read from kp.csv", "software_version": __version__,
                 "camera": {"fx": 1000.0, "fy": 990.0, "cx": 640.0, "cy": 360.0, "dist": [0.1, 0.0], "known": True}}
    default = session_info(Camera())
    assert default["date"] == datetime.date.today().isoformat()
    assert (default["subject"], default["label"], default["video"], default["keypoints_source"]) == (None,) * 4
    assert default["camera"] == {"fx": 1.0, "fy": 1.0, "cx": 0.0, "cy": 0.0, "dist": [], "known": False}
    with pytest.raises(GaitposeError, match=r"^--date: expected a date as YYYY-MM-DD, got '4/3/2026'$"):
        session_info(Camera(), date="4/3/2026")


def _gait_args(**kw) -> argparse.Namespace:
    base = dict(height_m=None, norms=None, reference=None, thigh_m=None, shank_m=None, camera=None, direction="auto",
                floor_angle=None, treadmill_speed=None, cutoff_hz=6.0, max_gap_s=0.2, min_score=None)
    return argparse.Namespace(**{**base, **kw})


def test_options_from_the_command_line(tmp_path):
    (tmp_path / "norms.json").write_text(json.dumps({"n_points": 101, "angles": {}}))
    (tmp_path / "ref.csv").write_text("frame,time_s,left_knee_deg\n0,0.0,5\n1,0.1,7.5\n")
    (tmp_path / "cam.json").write_text(json.dumps({"fx": 800}))
    o = gait_options_from_args(_gait_args(height_m=1.75, norms=str(tmp_path / "norms.json"),
                                          reference=str(tmp_path / "ref.csv"), thigh_m="0.4,0.41", shank_m="0.39",
                                          camera=str(tmp_path / "cam.json"), direction="left", floor_angle=2.5,
                                          treadmill_speed=1.1, cutoff_hz=5.0, max_gap_s=0.3, min_score=0.4))
    assert (o.height_m, o.thigh_m, o.shank_m, o.direction, o.floor_angle_deg) == (1.75, (0.4, 0.41), (0.39, 0.39),
                                                                                  "left", 2.5)
    assert (o.treadmill_speed_m_s, o.cutoff_hz, o.max_gap_s, o.min_score) == (1.1, 5.0, 0.3, 0.4)
    assert o.camera == Camera(800.0, 800.0) and o.norms == {"n_points": 101, "angles": {}}
    assert list(o.reference_angles) == ["left_knee_deg"] and o.reference_angles["left_knee_deg"].tolist() == [5.0, 7.5]
    d = gait_options_from_args(_gait_args())
    assert (d.height_m, d.norms, d.reference_angles, d.min_score) == (None, None, None, GaitOptions.min_score)
    assert gait_options_from_args(_gait_args(min_score=0.0)).min_score == 0.0     # 0 is a value, not "not given"
    for h in (0.0, -1.7, float("nan")):
        with pytest.raises(GaitposeError, match=r"^--height-m: expected a positive height in metres, got "):
            gait_options_from_args(_gait_args(height_m=h))
    (tmp_path / "bad.json").write_text("[1,")
    with pytest.raises(GaitposeError, match=r"bad.json: not a readable norms JSON \("):
        gait_options_from_args(_gait_args(norms=str(tmp_path / "bad.json")))
    with pytest.raises(GaitposeError, match=r"none.json: not a readable norms JSON \("):
        gait_options_from_args(_gait_args(norms=str(tmp_path / "none.json")))


def _result(passes, notes):
    summary = {"n_strides": {"left": 3, "right": 4}, "gait_cycle_s": {"mean": 1.1234}, "cadence_steps_per_min": 106.66,
               "phase_symmetry_index": 0.01234, "step_length_m": {"left": 0.6789, "right": 0.7012}, "passes": passes}
    return argparse.Namespace(summary=summary, notes=notes)


def test_printed_summary_names_strides_passes_and_notes(capsys):
    passes = [{"pass": 1, "start_s": 0.5, "end_s": 4.25, "direction": "right", "mode": "overground",
               "status": "analysed", "n_strides": {"left": 2, "right": 1}, "few_strides": True,
               "cadence_steps_per_min": 101.04, "gait_cycle_s": {"mean": 1.2}},
              {"pass": 2, "start_s": 5.0, "end_s": 6.0, "direction": "left", "mode": "overground",
               "status": "skipped", "reason": "no complete stride"},
              {"pass": 3, "start_s": 7.0, "end_s": 9.5, "direction": "left", "mode": "overground",
               "status": "analysed", "n_strides": {"left": 2, "right": 2}, "few_strides": False,
               "cadence_steps_per_min": 99.96, "gait_cycle_s": {"mean": 1.0}}]
    print_gait_summary(_result(passes, ["first note", "second note"]), "outdir")
    assert capsys.readouterr().out.splitlines() == [
        "7 strides, cycle 1.123 s, cadence 106.7 steps/min, D_ps 0.012, step length L/R 0.679/0.701 m → outdir",
        "pass 1 0.50–4.25 s facing right (overground): 2+1 strides (few), cadence 101.0 steps/min, cycle 1.200 s",
        "pass 2 5.00–6.00 s facing left (overground): skipped, no complete stride",
        "pass 3 7.00–9.50 s facing left (overground): 2+2 strides, cadence 100.0 steps/min, cycle 1.000 s",
        "note: first note", "note: second note"]
    print_gait_summary(_result(None, []), "o")
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_gait_without_a_frame_rate_or_with_a_bad_one_is_one_line(tmp_path):
    # A keypoints CSV whose time_s cells are empty: no rate from the file, so --fps is asked for.
    from gaitpose.formats import KEYPOINT_COLUMNS
    head = ",".join(KEYPOINT_COLUMNS)
    empty_row = ",".join(["0", ""] + ["1"] * (len(KEYPOINT_COLUMNS) - 2))
    (tmp_path / "kp.csv").write_text(head + "\n" + empty_row + "\n")
    args = _gait_args(keypoints=str(tmp_path / "kp.csv"), fps=None, out=str(tmp_path / "out"), subject=None,
                      session_label=None, date=None)
    with pytest.raises(GaitposeError, match=r"kp.csv: no time_s column: give --fps$"):
        run_gait(args)
    for fps in (0.0, -30.0, math.inf, math.nan):
        args.fps = fps
        with pytest.raises(GaitposeError, match=r"^--fps: expected a positive frame rate, got "):
            run_gait(args)
    assert not (tmp_path / "out").exists()


# --- gaitpose compare: how far the lag search reaches -----------------------------------------------------

def _angles(path, values, times: list[str] | None):
    """angles.csv with one column (left_knee_deg) and, where given, the time_s cells as written."""
    head = "frame,time_s,left_knee_deg" if times is not None else "frame,left_knee_deg"
    rows = [f"{i},{times[i]},{v:.9f}" if times is not None else f"{i},{v:.9f}" for i, v in enumerate(values)]
    path.write_text(head + "\n" + "\n".join(rows) + "\n")


def _lag(tmp_path, shift: int, times: list[str] | None, fps: float | None) -> int:
    """The lag `compare` finds where the reference is the measured white noise `shift` frames ahead (only the
    true lag correlates: 300 − shift pairs at r = 1 against unrelated samples everywhere else)."""
    from gaitpose.gait.commands import run_compare

    noise = np.random.default_rng(shift).normal(size=300 + shift)
    _angles(tmp_path / "a.csv", noise[:300], times)
    _angles(tmp_path / "b.csv", noise[shift:shift + 300], times)
    out = tmp_path / "s.json"
    with warnings.catch_warnings():
        warnings.simplefilter("error")                        # no numpy warning on the user's terminal
        run_compare(argparse.Namespace(angles=str(tmp_path / "a.csv"), reference=str(tmp_path / "b.csv"), fps=fps,
                                       json_path=str(out)))
    return json.loads(out.read_text())["left_knee_deg"]["lag_frames"]


def test_compare_searches_two_seconds_by_the_time_stamps(tmp_path):
    at_50 = [f"{i / 50:.6f}" for i in range(300)]
    assert _lag(tmp_path, 80, at_50, None) == 80             # 50 frames/s: ±100 frames
    lag = _lag(tmp_path, 110, at_50, None)
    assert lag != 110 and abs(lag) <= 100
    # two time stamps are enough for the rate (0.02 s apart: 50 frames/s)
    assert _lag(tmp_path, 80, ["0.0", "0.02"] + [""] * 298, 10.0) == 80


def test_compare_without_a_usable_rate_uses_fps_or_60_frames(tmp_path):
    # no time_s and no --fps: ±60 frames
    assert _lag(tmp_path, 60, None, None) == 60
    lag = _lag(tmp_path, 61, None, None)
    assert lag != 61 and abs(lag) <= 60
    # one time stamp, or all the same (no interval): --fps 10 gives ±20 frames
    for times in (["0.5"] + [""] * 299, ["1.0"] * 300):
        assert _lag(tmp_path, 20, times, 10.0) == 20
        lag = _lag(tmp_path, 30, times, 10.0)
        assert lag != 30 and abs(lag) <= 20


def test_camera_and_height_thresholds_are_at_zero(tmp_path):
    p = tmp_path / "cam.json"
    for bad in ({"fx": 0, "fy": 1000}, {"fx": 1000, "fy": 0}):
        p.write_text(json.dumps(bad))
        with pytest.raises(GaitposeError, match="cam.json: fx and fy must be positive$"):
            load_camera(str(p))
    p.write_text(json.dumps({"fx": 0.5, "fy": 0.5}))              # small, but a focal length (normalised units)
    assert (load_camera(str(p)).fx, load_camera(str(p)).fy) == (0.5, 0.5)
    assert gait_options_from_args(_gait_args(height_m=0.5)).height_m == 0.5    # a small child, but a height
    for name in ("thigh_m", "shank_m"):
        flag = "--" + name.replace("_", "-")
        with pytest.raises(GaitposeError, match=rf"^{flag}: expected metres as L or L,R, got 'x'$"):
            gait_options_from_args(_gait_args(**{name: "x"}))


# --- gaitpose gait on a synthetic walk --------------------------------------------------------------------

@pytest.fixture(scope="module")
def walk_files(tmp_path_factory):
    """A 30 fps walker (SYMMETRIC: cycle 1.1 s) with heels and toes, written as keypoints.csv, and its camera."""
    from dataclasses import replace

    from gaitpose.data.walker import simulate
    from gaitpose.gait.validate import SYMMETRIC, observe_with_feet

    d = tmp_path_factory.mktemp("walk")
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, feet, cam = observe_with_feet(walk, seed=5)
    (d / "cam.json").write_text(json.dumps(cam.intrinsics_json()))
    return d, kp, feet, cam


def _run_args(d, keypoints, out, fps=None):
    return _gait_args(keypoints=str(keypoints), fps=fps, out=str(out), subject="P-3", session_label="post",
                      date="2026-01-02", height_m=1.75, camera=str(d / "cam.json"))


def test_gait_job_reads_writes_and_prints(walk_files, capsys):
    import csv

    from gaitpose.formats import write_keypoints_csv

    d, kp, feet, cam = walk_files
    full = d / "full.csv"
    write_keypoints_csv(full, kp, 30.0, frames=np.arange(len(kp)) + 100, feet_tx4x3=feet)   # a clip from frame 100
    # the same file with the toes taken out: the heels alone are not used, and the first note says why
    with open(full, newline="") as f:
        rows = list(csv.reader(f))
    keep = [i for i, name in enumerate(rows[0]) if "toe" not in name]
    with open(d / "kp.csv", "w", newline="") as f:
        csv.writer(f).writerows([[r[i] for i in keep] for r in rows])
    out = d / "out"
    assert run_gait(_run_args(d, d / "kp.csv", out)) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["notes"][0] == ("kp.csv: foot points left_toe, right_toe missing (have left_heel, right_heel): heel "
                             "strike and toe off come from the ankles")
    assert s["event_source"] == {"left": "ankle", "right": "ankle"}
    assert s["fps"] == pytest.approx(30.0, rel=1e-4)                 # time_s written to 6 decimals
    assert s["gait_cycle_s"]["mean"] == pytest.approx(1.1, rel=0.03) and s["height_m"] == 1.75
    assert not any(n.startswith("variable frame rate") for n in s["notes"])
    session = json.loads((out / "session.json").read_text())
    assert (session["subject"], session["label"], session["date"], session["keypoints_source"]) == (
        "P-3", "post", "2026-01-02", "read from kp.csv")
    assert session["camera"]["fx"] == cam.fx and session["camera"]["known"] is True
    printed = capsys.readouterr().out.splitlines()
    n = sum(s["n_strides"].values())
    assert printed[0].startswith(f"{n} strides, cycle {s['gait_cycle_s']['mean']:.3f} s") and printed[0].endswith(f"→ {out}")
    assert f"note: {s['notes'][0]}" in printed
    # --fps overrides the file's times: read at 60 frames/s the same frames make a 0.55 s cycle
    fast = d / "fast"
    assert run_gait(_run_args(d, full, fast, fps=60.0)) == 0
    s60 = json.loads((fast / "summary.json").read_text())
    assert s60["fps"] == 60.0 and s60["gait_cycle_s"]["mean"] == pytest.approx(0.55, rel=0.03)
    assert s60["event_source"] == {"left": "heel and toe", "right": "heel and toe"}
    # the passes are named by the file's frame numbers (from 100), their times by those at 60 frames/s
    first = s60["passes"][0]
    assert first["start_frame"] >= 100 and first["start_s"] == pytest.approx(first["start_frame"] / 60.0)


def test_gait_job_resamples_a_variable_frame_rate_by_its_time_stamps(walk_files):
    from gaitpose.formats import write_keypoints_csv

    d, kp, feet, _ = walk_files
    # every third frame of rows 30–89 lost: the kept rows keep their own times (k / 30 s), so the intervals
    # are 1/30 and 2/30 s: a variable rate whose median interval is 1/30 s; resampled, the cycle is 1.1 s
    keep = np.array([k for k in range(len(kp)) if not (30 <= k < 90 and k % 3 == 0)])
    write_keypoints_csv(d / "vfr.csv", kp[keep], 30.0, frames=keep, feet_tx4x3=feet[keep], times_s=keep / 30.0)
    out = d / "vfr"
    assert run_gait(_run_args(d, d / "vfr.csv", out)) == 0
    s = json.loads((out / "summary.json").read_text())
    assert s["notes"][0].startswith("variable frame rate: the tracks were resampled by the frames' time stamps to "
                                    "30.00 frames/s")
    # the heels and toes are resampled with the joints, and the options (height) still apply
    assert s["event_source"] == {"left": "heel and toe", "right": "heel and toe"} and s["height_m"] == 1.75
    assert s["gait_cycle_s"]["mean"] == pytest.approx(1.1, rel=0.03)
