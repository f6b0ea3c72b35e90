"""Keypoint tracks from other tools (OpenPose JSON folders, .trc files) and the `compare` and `norms build`
jobs, on files written by hand: every number below is worked out from the file's own text."""
import argparse
import json
import math

import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.gait.readers import read_openpose_folder, read_tracks, read_trc
from gaitpose.skeleton import JOINTS


def _openpose_people(n_points: int, frame: int) -> list[float]:
    """pose_keypoints_2d of n points: point i at (100 i + frame, 10 i), confidence 0.5 + i / 100."""
    flat: list[float] = []
    for i in range(n_points):
        flat += [100.0 * i + frame, 10.0 * i, 0.5 + i / 100]
    return flat


def _write_openpose(folder, name, people):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps({"version": 1.3, "people": people}))


def test_openpose_body25_folder_by_hand(tmp_path):
    # BODY_25: left shoulder 5, right shoulder 2, left hip 12, right hip 9, left knee 13, right knee 10,
    # left ankle 14, right ankle 11 (the OpenPose output docs). Frames are taken in file-name order.
    folder = tmp_path / "op"
    second = _openpose_people(25, frame=1)
    second[3 * 13 + 2] = 0.0                                 # left knee not found in frame 1 (confidence 0)
    _write_openpose(folder, "walk_000000000001_keypoints.json", [{"pose_keypoints_2d": second},
                                                                 {"pose_keypoints_2d": _openpose_people(25, 500)}])
    _write_openpose(folder, "walk_000000000000_keypoints.json", [{"pose_keypoints_2d": _openpose_people(25, 0)}])
    _write_openpose(folder, "walk_000000000002_keypoints.json", [])   # nobody in frame 2
    kp = read_openpose_folder(folder)
    assert kp.shape == (3, 8, 3)
    index = {"left_shoulder": 5, "right_shoulder": 2, "left_hip": 12, "right_hip": 9,
             "left_knee": 13, "right_knee": 10, "left_ankle": 14, "right_ankle": 11}
    for k, joint in enumerate(JOINTS):
        i = index[joint]
        assert kp[0, k].tolist() == pytest.approx([100.0 * i, 10.0 * i, 0.5 + i / 100])
        if joint != "left_knee":
            assert kp[1, k].tolist() == pytest.approx([100.0 * i + 1, 10.0 * i, 0.5 + i / 100])  # the first person
    assert np.isnan(kp[1, JOINTS.index("left_knee")]).all()
    assert np.isnan(kp[2]).all()
    frames, same, fps = read_tracks(folder)
    assert frames.tolist() == [0, 1, 2] and fps is None          # OpenPose JSON carries no frame rate
    np.testing.assert_array_equal(same, kp)


def test_openpose_coco18_indices(tmp_path):
    # COCO-18: left shoulder 5, right shoulder 2, left hip 11, right hip 8, left knee 12, right knee 9,
    # left ankle 13, right ankle 10.
    folder = tmp_path / "op"
    _write_openpose(folder, "a_keypoints.json", [{"pose_keypoints_2d": _openpose_people(18, 0)}])
    kp = read_openpose_folder(folder)
    coco = [5, 2, 11, 8, 12, 9, 13, 10]
    expected = [[100.0 * i, 10.0 * i, 0.5 + i / 100] for i in coco]
    assert [JOINTS.index(j) for j in ("left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee",
                                      "right_knee", "left_ankle", "right_ankle")] == list(range(8))
    np.testing.assert_allclose(kp[0], expected)


@pytest.mark.parametrize("content,needle", [
    ({"people": [{"pose_keypoints_2d": _openpose_people(10, 0)}]}, "has 10 points, expected BODY_25 or COCO-18"),
    ({"people": [{"pose_keypoints_2d": _openpose_people(25, 0)[:-1]}]}, "not a whole number of (x, y, c)"),
    ("{not json", "not readable OpenPose JSON"),
])
def test_openpose_bad_input_is_one_clear_error(tmp_path, content, needle):
    folder = tmp_path / "op"
    folder.mkdir()
    (folder / "f_keypoints.json").write_text(content if isinstance(content, str) else json.dumps(content))
    with pytest.raises(GaitposeError, match=needle.replace("(", r"\(").replace(")", r"\)")) as err:
        read_openpose_folder(folder)
    assert "f_keypoints.json" in str(err.value)


def test_openpose_empty_folder(tmp_path):
    with pytest.raises(GaitposeError, match="no OpenPose"):
        read_openpose_folder(tmp_path)


def _trc(names: list[str], rows: list[list[str]], rate: str = "50") -> str:
    """A .trc as Pose2Sim writes it: 5 header lines (markers on the 4th, X/Y/Z on the 5th), a blank line, data."""
    head = ["PathFileType\t4\t(X/Y/Z)\twalk.trc",
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
            f"{rate}\t{rate}\t{len(rows)}\t{len(names)}\tm\t{rate}\t1\t{len(rows)}",
            "Frame#\tTime\t" + "\t\t\t".join(names) + "\t\t",
            "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(names))), ""]
    return "\n".join(head + ["\t".join(r) for r in rows]) + "\n"


def test_trc_markers_by_any_of_their_names_with_y_turned_down(tmp_path):
    # Markers in Pose2Sim's order with two we do not use (Nose, Neck) among them; the names come in the three
    # spellings the reader knows. Marker m of frame t is at X = m + 0.1 t, Y = 10 m (metres, Y up), Z = 7.
    names = ["Nose", "RShoulder", "LeftShoulder", "Neck", "right_hip", "LHip", "RKnee", "LKnee", "RAnkle", "LAnkle"]
    rows = []
    for t in range(3):
        cells = [str(t + 1), f"{t / 50:.3f}"]
        for m in range(len(names)):
            cells += [f"{m + 0.1 * t:g}", f"{10 * m:g}", "7"]
        rows.append(cells)
    rows[2][2 + 3 * 7] = ""                                   # LKnee lost in the third frame: X empty
    path = tmp_path / "walk.trc"
    path.write_text(_trc(names, rows))
    kp, fps = read_trc(path)
    assert fps == 50.0 and kp.shape == (3, 8, 3)
    column = {"left_shoulder": 2, "right_shoulder": 1, "left_hip": 5, "right_hip": 4, "left_knee": 7,
              "right_knee": 6, "left_ankle": 9, "right_ankle": 8}
    for t in range(3):
        for k, joint in enumerate(JOINTS):
            m = column[joint]
            if (t, joint) == (2, "left_knee"):
                assert np.isnan(kp[t, k]).all()
            else:
                assert kp[t, k].tolist() == pytest.approx([m + 0.1 * t, -10.0 * m, 1.0])
    frames, same, file_fps = read_tracks(path)
    assert frames.tolist() == [0, 1, 2] and file_fps == 50.0
    np.testing.assert_array_equal(same, kp)


def test_trc_without_a_usable_rate_asks_for_fps_and_bad_files_are_one_line(tmp_path):
    names = ["LShoulder", "RShoulder", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle"]
    row = ["1", "0"] + ["1", "2", "0"] * 8
    for rate in ("NaN", "0", "fast"):
        (tmp_path / "w.trc").write_text(_trc(names, [row], rate=rate))
        assert read_tracks(tmp_path / "w.trc")[2] is None, rate
    (tmp_path / "w.trc").write_text(_trc(names[:-1], [row[:-3]]))
    with pytest.raises(GaitposeError, match="markers for right_ankle not found"):
        read_trc(tmp_path / "w.trc")
    (tmp_path / "w.trc").write_text("PathFileType\t4\n")
    with pytest.raises(GaitposeError, match="too short for a .trc file"):
        read_trc(tmp_path / "w.trc")
    with pytest.raises(GaitposeError, match="file not found"):
        read_tracks(tmp_path / "missing.trc")


# --- gaitpose compare -------------------------------------------------------------------------------------


def _angles_csv(path, columns: dict[str, np.ndarray], fps: float | None):
    n = len(next(iter(columns.values())))
    head = (["frame", "time_s"] if fps else ["frame"]) + list(columns)
    lines = [",".join(head)]
    for i in range(n):
        cells = [str(i)] + ([f"{i / fps:.6f}"] if fps else []) + [f"{columns[c][i]:.9f}" for c in columns]
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n")


def _compare_args(tmp_path, fps=None, json_path=None):
    return argparse.Namespace(angles=str(tmp_path / "a.csv"), reference=str(tmp_path / "b.csv"), fps=fps,
                              json_path=json_path)


def test_compare_finds_the_lag_and_the_offset_by_hand(tmp_path, capsys):
    from gaitpose.gait.commands import run_compare

    # 200 frames at 50 fps. Measured knee a[t] = 10 sin(2π t / 25) + 2; the reference b[t] = 10 sin(2π (t + 3) / 25):
    # a[t] = b[t − 3] + 2, so at lag 3 the curves differ by 2° on all 197 overlapping frames: RMSE = MAE = 2,
    # r = 1, S = sqrt(197 · 2²) / 197 = 2 / sqrt(197). (Lag 2 overlaps 198 frames at r = cos(2π/25) = 0.969:
    # 0.969 · 198/200 < 1 · 197/200.) The hip is in the measured file only: not compared.
    t = np.arange(200.0)
    a = 10 * np.sin(2 * np.pi * t / 25) + 2
    b = 10 * np.sin(2 * np.pi * (t + 3) / 25)
    _angles_csv(tmp_path / "a.csv", {"left_knee_deg": a, "left_hip_deg": a}, fps=50.0)
    _angles_csv(tmp_path / "b.csv", {"left_knee_deg": b}, fps=50.0)
    assert run_compare(_compare_args(tmp_path, json_path=str(tmp_path / "sim.json"))) == 0
    out = json.loads((tmp_path / "sim.json").read_text())
    assert list(out) == ["left_knee_deg"]
    knee = out["left_knee_deg"]
    assert knee["lag_frames"] == 3 and knee["n"] == 197
    assert knee["rmse"] == pytest.approx(2.0, abs=1e-6) and knee["mae"] == pytest.approx(2.0, abs=1e-6)
    assert knee["r"] == pytest.approx(1.0, abs=1e-9)
    assert knee["S"] == pytest.approx(2 / math.sqrt(197), abs=1e-6)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].split() == ["angle", "S", "RMSE", "MAE", "r", "lag", "(frames)"]
    assert printed[1].split() == ["left_knee_deg", f"{2 / math.sqrt(197):.4f}", "2.000", "2.000", "1.000", "3"]


def test_compare_lag_search_is_two_seconds_from_time_s_or_fps(tmp_path):
    from gaitpose.gait.commands import run_compare

    # The reference is the measured series 30 frames ahead (white noise: only the true lag correlates). At
    # 50 fps (from time_s) the search reaches ±100 frames and finds it; at --fps 10 and no time_s it
    # reaches ±20 frames only.
    noise = np.random.default_rng(7).normal(size=330)
    measured, reference = noise[:300], noise[30:]
    _angles_csv(tmp_path / "a.csv", {"right_hip_deg": measured}, fps=50.0)
    _angles_csv(tmp_path / "b.csv", {"right_hip_deg": reference}, fps=50.0)
    path = tmp_path / "s.json"
    run_compare(_compare_args(tmp_path, json_path=str(path)))
    assert json.loads(path.read_text())["right_hip_deg"]["lag_frames"] == 30
    _angles_csv(tmp_path / "a.csv", {"right_hip_deg": measured}, fps=None)
    _angles_csv(tmp_path / "b.csv", {"right_hip_deg": reference}, fps=None)
    run_compare(_compare_args(tmp_path, fps=10.0, json_path=str(path)))
    lag = json.loads(path.read_text())["right_hip_deg"]["lag_frames"]
    assert lag != 30 and abs(lag) <= 20


def test_compare_bad_input_is_one_clear_error(tmp_path):
    from gaitpose.gait.commands import run_compare

    t = np.arange(50.0)
    _angles_csv(tmp_path / "a.csv", {"left_knee_deg": t}, fps=50.0)
    _angles_csv(tmp_path / "b.csv", {"right_knee_deg": t}, fps=50.0)
    with pytest.raises(GaitposeError, match="no angle column in common"):
        run_compare(_compare_args(tmp_path))
    (tmp_path / "b.csv").write_text("frame,speed\n0,1\n")
    with pytest.raises(GaitposeError, match="b.csv: no angle columns"):
        run_compare(_compare_args(tmp_path))
    (tmp_path / "b.csv").write_text("frame,left_knee_deg\n0,abc\n")
    with pytest.raises(GaitposeError, match="not a number: 'abc'"):
        run_compare(_compare_args(tmp_path))
    (tmp_path / "b.csv").unlink()
    with pytest.raises(GaitposeError, match="b.csv: file not found"):
        run_compare(_compare_args(tmp_path))


# --- gaitpose norms build ---------------------------------------------------------------------------------


def _summary(path, curves: dict[str, float], cadence: float) -> str:
    """A summary.json with flat cycle curves (every point the given value) and a cadence."""
    path.write_text(json.dumps({"cycle_curves": {k: {"mean": [v] * 101, "sd": [0.0] * 101, "n": 4}
                                                 for k, v in curves.items()},
                                "cadence_steps_per_min": cadence}))
    return str(path)


def test_norms_build_by_hand(tmp_path, capsys):
    from gaitpose.gait.commands import run_norms_build
    from gaitpose.report.keynumbers import lab_scalars

    # Hip curves 10 and 20 (recording 1, both sides) and 30 (recording 2, left only): mean 20, the SD of
    # the three curves sqrt((100 + 0 + 100) / 3) = 8.165 (numpy's population SD, ddof 0). Knee: 60 and 64.
    # Cadence 100 and 110: mean 105, sample SD sqrt((25 + 25) / 1) = 7.071, n 2.
    a = _summary(tmp_path / "a.json", {"left_hip_deg": 10.0, "right_hip_deg": 20.0, "left_knee_deg": 60.0}, 100.0)
    b = _summary(tmp_path / "b.json", {"left_hip_deg": 30.0, "right_knee_deg": 64.0}, 110.0)
    out = tmp_path / "lab" / "norms.json"
    args = argparse.Namespace(summaries=[a, b], out=str(out))
    assert run_norms_build(args, scalars_from=lab_scalars) == 0
    norms = json.loads(out.read_text())
    assert norms["n_points"] == 101 and sorted(norms["angles"]) == ["hip_deg", "knee_deg"]
    hip, knee = norms["angles"]["hip_deg"], norms["angles"]["knee_deg"]
    assert hip["n_curves"] == 3 and knee["n_curves"] == 2
    assert hip["mean"] == pytest.approx([20.0] * 101) and hip["sd"] == pytest.approx([math.sqrt(200 / 3)] * 101)
    assert knee["mean"] == pytest.approx([62.0] * 101) and knee["sd"] == pytest.approx([2.0] * 101)
    cadence = norms["scalars"]["cadence_steps_per_min"]
    assert (cadence["mean"], cadence["n"]) == (105.0, 2) and cadence["sd"] == pytest.approx(math.sqrt(50))
    assert capsys.readouterr().out.strip() == f"norms from 2 recordings → {out}"


def test_norms_build_bad_input_is_one_clear_error_and_writes_nothing(tmp_path):
    from gaitpose.gait.commands import run_norms_build

    good = _summary(tmp_path / "good.json", {"left_hip_deg": 10.0}, 100.0)
    (tmp_path / "no_curves.json").write_text(json.dumps({"cadence_steps_per_min": 100.0}))
    (tmp_path / "broken.json").write_text("{")
    out = tmp_path / "norms.json"
    for bad, needle in (("no_curves.json", "no_curves.json: no cycle_curves"),
                        ("broken.json", "broken.json: not a readable summary.json"),
                        ("missing.json", "missing.json: not a readable summary.json")):
        with pytest.raises(GaitposeError, match=needle):
            run_norms_build(argparse.Namespace(summaries=[good, str(tmp_path / bad)], out=str(out)))
        assert not out.exists()
