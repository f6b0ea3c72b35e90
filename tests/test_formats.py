"""The file contract: atomic writers (a killed or failed write leaves the old file and no temporary
file) and the keypoints CSV round trip with its bad-input messages."""
import json
import math
import os
import signal
import stat
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.formats import (KEYPOINT_COLUMNS, read_keypoints_csv, write_bytes_atomic, write_csv_atomic,
                              write_json_atomic, write_keypoints_csv, write_lines_atomic, write_text_atomic)


def test_failed_rename_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "summary.json"
    write_json_atomic(target, {"cadence": 110.0})
    old = target.read_bytes()

    def refuse(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", refuse)
    for write in (lambda: write_json_atomic(target, {"cadence": 1.0}), lambda: write_bytes_atomic(target, b"x" * 10),
                  lambda: write_csv_atomic(target, ["a"], [[1]]), lambda: write_text_atomic(target, "new"),
                  lambda: write_lines_atomic(target, ["new\n"])):
        with pytest.raises(OSError, match="disk full"):
            write()
        assert target.read_bytes() == old
        assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_rows_failing_half_way_keep_the_old_file(tmp_path):
    # Rows are streamed into the temporary file: a generator that fails after some rows were written must
    # leave the old file whole and remove the temporary one.
    target = tmp_path / "angles.csv"
    target.write_text("old\n")

    def rows():
        for i in range(1000):
            yield [i, i / 30]
        raise RuntimeError("the analysis failed")

    for write in (lambda: write_csv_atomic(target, ["frame", "time_s"], rows()),
                  lambda: write_lines_atomic(target, (f"{row[0]}\n" for row in rows()))):
        with pytest.raises(RuntimeError, match="analysis failed"):
            write()
        assert target.read_text() == "old\n"
        assert [p.name for p in tmp_path.iterdir()] == ["angles.csv"]


def test_long_files_are_streamed_not_held(tmp_path):
    # 100,000 rows of about 30 characters (3 MB of text): holding them, or the text, costs more than 3 MB
    # (a str of them alone is 3 MB); streaming holds one row and the file's buffer.
    import tracemalloc

    rows = ([i, i / 30, 0.5, "left"] for i in range(100_000))
    lines = (f"{i}\t{i / 30:.6f}\t0.500000\tleft\n" for i in range(100_000))
    tracemalloc.start()
    try:
        write_csv_atomic(tmp_path / "a.csv", ["frame", "time_s", "score", "side"], rows)
        _, csv_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        write_lines_atomic(tmp_path / "a.mot", lines)
        _, lines_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (tmp_path / "a.csv").stat().st_size > 2_500_000 and (tmp_path / "a.mot").stat().st_size > 2_500_000
    assert csv_peak < 500_000 and lines_peak < 500_000


def test_write_interrupted_by_the_user_keeps_the_old_file(tmp_path):
    # A child process writes a new version; it is interrupted (Ctrl-C, SIGINT) after its data are in
    # the temporary file and before the rename. The old file is intact and the temporary file is gone.
    target = tmp_path / "angles.csv"
    target.write_text("old\n")
    child = textwrap.dedent(f"""
        import os, signal, sys, time
        from gaitpose.formats import write_text_atomic
        signal.signal(signal.SIGINT, signal.default_int_handler)   # a background job inherits SIGINT ignored
        real_replace = os.replace
        def slow_replace(src, dst):
            print("written", flush=True)
            time.sleep(30)
            real_replace(src, dst)
        os.replace = slow_replace
        write_text_atomic({str(target)!r}, "new\\n" * 100000)
    """)
    proc = subprocess.Popen([sys.executable, "-c", child], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline()        # "" when the child finished without renaming (not atomic)
        if line.strip() == "written":
            proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert line.strip() == "written", proc.stderr.read()
    assert proc.returncode != 0 and "KeyboardInterrupt" in proc.stderr.read()
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["angles.csv"]


def test_written_files_are_readable_by_others(tmp_path):
    write_text_atomic(tmp_path / "report.html", "<p>")
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644
    write_bytes_atomic(tmp_path / "deeper" / "plot.png", b"\x89PNG")
    assert (tmp_path / "deeper" / "plot.png").read_bytes() == b"\x89PNG"


def test_csv_cells_and_json_values(tmp_path):
    write_csv_atomic(tmp_path / "a.csv", ["side", "t", "n"], [["left", 0.1 + 0.2, 3], ["right", float("nan"), None]])
    assert (tmp_path / "a.csv").read_text() == "side,t,n\nleft,0.3,3\nright,,\n"
    with pytest.raises(ValueError, match="2 cells, header has 3"):
        write_csv_atomic(tmp_path / "b.csv", ["side", "t", "n"], [["left", 1.0]])
    assert not (tmp_path / "b.csv").exists()
    write_json_atomic(tmp_path / "s.json", {"x": np.float32(0.5), "n": np.int64(3), "nan": float("nan"),
                                            "list": [np.nan, 1.0], "arr": np.arange(2)})
    assert json.loads((tmp_path / "s.json").read_text()) == {"x": 0.5, "n": 3, "nan": None, "list": [None, 1.0],
                                                             "arr": [0, 1]}


def test_keypoints_csv_round_trip_with_missing_joints(tmp_path):
    kp = np.arange(3 * 8 * 3, dtype=float).reshape(3, 8, 3)
    kp[1, 2, :2] = np.nan                                       # left hip not found in frame 1
    write_keypoints_csv(tmp_path / "k.csv", kp, fps=25.0, frames=[10, 11, 12])
    lines = (tmp_path / "k.csv").read_text().splitlines()
    assert lines[0] == ",".join(KEYPOINT_COLUMNS)
    assert lines[2].startswith("11,0.44,24,25,26,27,28,29,,,,")  # 11 / 25 s; the hip's three cells empty
    frames, times, back = read_keypoints_csv(tmp_path / "k.csv")
    assert frames.tolist() == [10, 11, 12] and times == pytest.approx([0.4, 0.44, 0.48])
    expected = kp.copy()
    expected[1, 2] = np.nan                                     # its score went with it
    np.testing.assert_array_equal(back, expected)
    with pytest.raises(ValueError, match="T×8×3"):
        write_keypoints_csv(tmp_path / "bad.csv", kp[:, :7], fps=25.0)


def test_keypoints_csv_without_scores_or_times(tmp_path):
    header = ",".join(f"{j}_{c}" for j in [c.rsplit("_", 1)[0] for c in KEYPOINT_COLUMNS[2::3]] for c in "xy")
    (tmp_path / "k.csv").write_text(header + "\n" + ",".join(str(v) for v in range(16)) + "\n")
    frames, times, kp = read_keypoints_csv(tmp_path / "k.csv")
    assert frames.tolist() == [0] and math.isnan(times[0])
    assert kp[0, 1].tolist() == [2.0, 3.0, 1.0]                 # no score column: score 1


@pytest.mark.parametrize("text,needle", [
    ("frame,left_shoulder_x\n1,2\n", "missing columns left_shoulder_y"),
    (",".join(KEYPOINT_COLUMNS) + "\n", "no rows"),
    (",".join(KEYPOINT_COLUMNS) + "\n0,0," + "abc" + ",1" * 23 + "\n", "column left_shoulder_x: not a number: 'abc'"),
])
def test_keypoints_csv_bad_input_is_one_clear_error(tmp_path, text, needle):
    path = tmp_path / "k.csv"
    path.write_text(text)
    with pytest.raises(GaitposeError, match=needle):
        read_keypoints_csv(path)
    with pytest.raises(GaitposeError, match="file not found"):
        read_keypoints_csv(tmp_path / "missing.csv")
