"""Readers (gait/readers.py) at their edges, on files written by hand: the frame rate of a keypoints CSV from
its time stamps, .trc headers, rows and foot markers, OpenPose frames without a person, angles.csv cells."""
import json
import math

import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.formats import ANGLE_COLUMNS, KEYPOINT_COLUMNS
from gaitpose.gait.readers import read_angles_csv, read_feet, read_openpose_folder, read_tracks_timed, read_trc
from gaitpose.skeleton import FOOT_POINTS, JOINTS

TRC_JOINTS = ["LShoulder", "RShoulder", "LHip", "RHip", "LKnee", "RKnee", "LAnkle", "RAnkle"]


def _keypoints_csv(path, frames: list[int], times: list[str], extra_header: list[str] = (),
                   extra_cells: list[list[str]] | None = None) -> None:
    """A keypoints.csv whose joint m of row i is at (10 m + i, 5 m), score 0.9, with time_s cells as given."""
    lines = [",".join(list(KEYPOINT_COLUMNS) + list(extra_header))]
    for i, (f, t) in enumerate(zip(frames, times)):
        cells = [str(f), t] + [v for m in range(len(JOINTS)) for v in (f"{10 * m + i}", f"{5 * m}", "0.9")]
        lines.append(",".join(cells + (extra_cells[i] if extra_cells else [])))
    path.write_text("\n".join(lines) + "\n")


def test_keypoints_csv_rate_from_time_stamps_per_frame_number(tmp_path):
    p = tmp_path / "kp.csv"
    # frames 0, 2, 4 at 0, 0.08, 0.16 s: 0.08 s per 2 frames = 0.04 s a frame → 25 frames/s
    _keypoints_csv(p, [0, 2, 4], ["0.0", "0.08", "0.16"])
    frames, kp, fps, times = read_tracks_timed(p)
    assert frames.tolist() == [0, 2, 4] and fps == pytest.approx(25.0) and times.tolist() == [0.0, 0.08, 0.16]
    assert kp.shape == (3, 8, 3) and kp[1, 3].tolist() == [31.0, 15.0, 0.9]
    # two time stamps are enough: frames 0 and 1 at 0 and 0.5 s → 2 frames/s; the empty third is NaN
    _keypoints_csv(p, [0, 1, 2], ["0.0", "0.5", ""])
    _, _, fps, times = read_tracks_timed(p)
    assert fps == pytest.approx(2.0) and times[:2].tolist() == [0.0, 0.5] and math.isnan(times[2])
    # one time stamp: no rate, the stamp kept
    _keypoints_csv(p, [0, 1], ["0.25", ""])
    _, _, fps, times = read_tracks_timed(p)
    assert fps is None and times[0] == 0.25
    # no time stamp at all: neither
    _keypoints_csv(p, [0, 1], ["", ""])
    _, _, fps, times = read_tracks_timed(p)
    assert fps is None and times is None
    # time standing still (all the same): no rate, and no division by zero
    _keypoints_csv(p, [0, 1, 2], ["1.0", "1.0", "1.0"])
    assert read_tracks_timed(p)[2] is None


def _trc(names: list[str], rows: list[list[str]], meta: dict[str, str] | None = None, blank: bool = True) -> str:
    """A .trc: path line, meta names and values, marker names (X at column 2 + 3 m), X/Y/Z line, [blank], rows."""
    meta = meta if meta is not None else {"DataRate": "50", "CameraRate": "50"}
    head = ["PathFileType\t4\t(X/Y/Z)\twalk.trc", "\t".join(meta), "\t".join(meta.values()),
            "Frame#\tTime\t" + "\t\t\t".join(names) + "\t\t",
            "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(names)))] + ([""] if blank else [])
    return "\n".join(head + ["\t".join(r) for r in rows]) + "\n"


def _row(n_markers: int, frame: int) -> list[str]:
    """Marker m at X = m + 1, Y = 2 m (metres, Y up), Z 0."""
    return [str(frame), "0"] + [c for m in range(n_markers) for c in (f"{m + 1}", f"{2 * m}", "0")]


def test_trc_without_the_blank_line_keeps_its_first_frame(tmp_path):
    # 5 header lines and one data row: 6 lines, long enough; the row right after the X/Y/Z line is frame 1
    p = tmp_path / "w.trc"
    p.write_text(_trc(TRC_JOINTS, [_row(8, 1)], blank=False))
    kp, fps = read_trc(p)
    assert kp.shape == (1, 8, 3) and fps == 50.0
    assert kp[0, JOINTS.index("right_hip")].tolist() == [4.0, -6.0, 1.0]        # marker 3: X 4, Y 6 → y −6


def test_trc_rate_missing_or_below_one_frame_a_second(tmp_path):
    p = tmp_path / "w.trc"
    p.write_text(_trc(TRC_JOINTS, [_row(8, 1)], meta={"CameraRate": "50", "Units": "m"}))   # no DataRate
    kp, fps = read_trc(p)
    assert math.isnan(fps) and read_tracks_timed(p)[2] is None
    p.write_text(_trc(TRC_JOINTS, [_row(8, 1)], meta={"DataRate": "0.5"}))     # a 2 s time lapse is still a rate
    assert read_tracks_timed(p)[2] == 0.5


def test_trc_missing_markers_are_named_with_what_the_file_has(tmp_path):
    p = tmp_path / "w.trc"
    p.write_text(_trc(TRC_JOINTS[:5] + ["Nose"], [_row(6, 1)]))
    with pytest.raises(GaitposeError) as err:
        read_trc(p)
    assert str(err.value) == (f"{p}: markers for right_knee, left_ankle, right_ankle not found "
                              "(have: LShoulder, RShoulder, LHip, RHip, LKnee, Nose)")


def test_read_feet_of_no_file_a_folder_or_a_short_trc(tmp_path):
    assert read_feet(tmp_path) == (None, "")
    assert read_feet(tmp_path / "missing.csv") == (None, "")
    p = tmp_path / "w.trc"
    p.write_text("PathFileType\t4\nDataRate\n50\n")                               # 3 lines: no marker line
    assert read_feet(p) == (None, "")
    # 4 lines (markers, nothing after): the four foot markers are there, with no frames
    p.write_text("PathFileType\t4\nDataRate\n50\nFrame#\tTime\tLHeel\t\t\tRHeel\t\t\tLBigToe\t\t\tRBigToe\t\t\n")
    feet, note = read_feet(p)
    assert feet.shape == (0, 4, 3) and note == ""


def test_read_feet_from_a_trc_with_an_empty_marker(tmp_path):
    # markers LHeel, RHeel, LBigToe, RBigToe (Halpe names) at X = m + 1, Y = 2 m; in frame 2 the left heel's
    # cells are empty: that point is missing, the others of the row are read
    names = ["LHeel", "RHeel", "LBigToe", "RBigToe"]
    rows = [_row(4, 1), _row(4, 2)]
    rows[1][2:5] = ["", "", ""]
    p = tmp_path / "w.trc"
    p.write_text(_trc(names, rows))
    feet, note = read_feet(p)
    assert note == "" and feet.shape == (2, 4, 3)
    order = [FOOT_POINTS.index(p) for p in ("left_heel", "right_heel", "left_toe", "right_toe")]
    for m, k in enumerate(order):
        assert feet[0, k].tolist() == [m + 1.0, -2.0 * m, 1.0]
        if m:
            assert feet[1, k].tolist() == [m + 1.0, -2.0 * m, 1.0]
    assert np.isnan(feet[1, order[0]]).all()
    # heels only: a note naming the missing toes, and no feet
    p.write_text(_trc(names[:2], [_row(2, 1)]))
    assert read_feet(p) == (None, f"w.trc: foot points left_toe, right_toe missing (have left_heel, right_heel): "
                                  "heel strike and toe off come from the ankles")


def _feet_header(points=FOOT_POINTS, columns=("x", "y", "score")) -> list[str]:
    return [f"{p}_{c}" for p in points for c in columns]


def test_read_feet_from_a_keypoints_csv_without_scores_and_with_half_points(tmp_path):
    p = tmp_path / "kp.csv"
    # no score columns: a found point scores 1. Row 1: the left heel has x but no y → missing.
    cells = [["1", "2", "3", "4", "5", "6", "7", "8"], ["1", "", "3", "4", "5", "6", "7", "8"]]
    _keypoints_csv(p, [0, 1], ["0.0", "0.1"], _feet_header(columns=("x", "y")), cells)
    feet, note = read_feet(p)
    assert note == "" and feet.shape == (2, 4, 3)
    assert feet[0].tolist() == [[1.0, 2.0, 1.0], [3.0, 4.0, 1.0], [5.0, 6.0, 1.0], [7.0, 8.0, 1.0]]
    assert np.isnan(feet[1, 0]).all() and feet[1, 1].tolist() == [3.0, 4.0, 1.0]
    # every x column but the left toe's y: the left toe is not there
    header = [h for h in _feet_header(columns=("x", "y")) if h != "left_toe_y"]
    _keypoints_csv(p, [0], ["0.0"], header, [["1", "2", "3", "4", "5", "7", "8"]])
    assert read_feet(p) == (None, "kp.csv: foot points left_toe missing (have left_heel, right_heel, right_toe): "
                                  "heel strike and toe off come from the ankles")
    # a bad number is named by its row (1-based)
    _keypoints_csv(p, [0, 1], ["0.0", "0.1"], _feet_header(columns=("x", "y")),
                   [["1", "2", "3", "4", "5", "6", "7", "8"], ["1", "2", "3", "x", "5", "6", "7", "8"]])
    with pytest.raises(GaitposeError) as err:
        read_feet(p)
    assert str(err.value) == f"{p}: columns of right_heel: not a number in row 2"


def _op(folder, name, people):
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(json.dumps({"people": people}))


def test_openpose_empty_first_frame_missing_keypoints_and_fourteen_points(tmp_path):
    # frame 0 nobody, frame 1 a COCO person of 14 points (indices 0–13: all our joints are there);
    # point i at (i, 2 i), confidence 1
    folder = tmp_path / "op"
    _op(folder, "f_000_keypoints.json", [])
    _op(folder, "f_001_keypoints.json", [{"pose_keypoints_2d": [v for i in range(14) for v in (i, 2 * i, 1.0)]}])
    kp = read_openpose_folder(folder)
    assert np.isnan(kp[0]).all()
    coco = {"left_shoulder": 5, "right_shoulder": 2, "left_hip": 11, "right_hip": 8, "left_knee": 12,
            "right_knee": 9, "left_ankle": 13, "right_ankle": 10}
    for k, j in enumerate(JOINTS):
        assert kp[1, k].tolist() == [coco[j], 2.0 * coco[j], 1.0]
    # a person without pose_keypoints_2d has no points
    _op(folder, "f_002_keypoints.json", [{"face_keypoints_2d": []}])
    with pytest.raises(GaitposeError, match="f_002_keypoints.json: pose_keypoints_2d has 0 points, expected BODY_25"):
        read_openpose_folder(folder)


def test_angles_csv_first_column_empty_cells_and_time(tmp_path):
    p = tmp_path / "angles.csv"
    first = ANGLE_COLUMNS[2]
    assert first == "left_hip_deg"
    p.write_text(f"frame,time_s,{first}\n0,0.0,10\n1,,\n2,0.2,12.5\n")
    series, time_s = read_angles_csv(p)
    assert list(series) == [first]
    np.testing.assert_array_equal(series[first], [10.0, np.nan, 12.5])
    np.testing.assert_array_equal(time_s, [0.0, np.nan, 0.2])
    p.write_text(f"frame,{first}\n0,1\n")
    assert np.isnan(read_angles_csv(p)[1]).all()
    p.write_text("frame,speed\n0,1\n")
    with pytest.raises(GaitposeError) as err:
        read_angles_csv(p)
    assert str(err.value) == f"{p}: no angle columns (expected some of {', '.join(ANGLE_COLUMNS[2:])})"
    assert ", ".join(ANGLE_COLUMNS[2:4]) in str(err.value) and "left_hip_deg, right_hip_deg" in str(err.value)
