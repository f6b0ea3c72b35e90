"""The OpenSim files of an analysis (keypoints.trc, angles.mot), from a hand-made result: every cell below
is worked out from the input, and the .trc reads back through gaitpose's own .trc reader."""
from types import SimpleNamespace

import numpy as np
import pytest

from gaitpose.formats import ANGLE_COLUMNS
from gaitpose.gait.readers import read_trc
from gaitpose.report.writers import mot_lines, trc_lines
from gaitpose.skeleton import JOINTS


def _result() -> SimpleNamespace:
    """3 frames at 25 fps (recording frames 40-42). Joint k of frame i at pixel (100 k + i, 200 + 10 k), score
    0.9; the right knee is missing in frame 1. Angle column c (0-9) of frame i is c + i / 4 degrees, the left
    hip NaN in frame 2."""
    kp = np.zeros((3, 8, 3))
    for i in range(3):
        for k in range(8):
            kp[i, k] = (100 * k + i, 200 + 10 * k, 0.9)
    kp[1, JOINTS.index("right_knee"), :2] = np.nan
    angles = {c: np.array([n + i / 4 for i in range(3)]) for n, c in enumerate(ANGLE_COLUMNS[2:])}
    angles["left_hip_deg"][2] = np.nan
    return SimpleNamespace(keypoints_tx8x3=kp, fps=25.0, frames=np.array([40, 41, 42]), angles=angles)


def test_trc_in_metres_by_hand_and_read_back():
    result = _result()
    text = "".join(trc_lines(result, metres_per_px=0.002))
    lines = text.split("\n")
    assert lines[0] == "PathFileType\t4\t(X/Y/Z)\tkeypoints.trc"
    assert lines[2].split("\t") == ["25", "25", "3", "8", "m", "25", "1", "3"]
    assert lines[3].split("\t")[2::3] == list(JOINTS)
    assert lines[4].split("\t")[2:5] == ["X1", "Y1", "Z1"] and lines[4].split("\t")[-1] == "Z8"
    assert lines[5] == ""
    # frame 2 of the file (i = 1) at 0.04 s; left shoulder (k 0): x = 1 px · 0.002 = 0.002 m, y = −200 px · 0.002
    # (Y up) = −0.4 m, Z 0; the right knee (k 5) missing: three empty cells.
    row = lines[7].split("\t")
    assert row[:5] == ["2", "0.040000", "0.002", "-0.4", "0"]
    k = JOINTS.index("right_knee")
    assert row[2 + 3 * k: 5 + 3 * k] == ["", "", ""]
    assert len(lines) == 6 + 3 + 1 and lines[-1] == ""         # three data rows and the final newline
    # read back: gaitpose's reader turns Y down again, so the metres are the pixels × 0.002
    path_kp, fps = _read(text)
    assert fps == 25.0
    expected = result.keypoints_tx8x3.copy()
    expected[..., :2] *= 0.002
    expected[..., 2] = 1.0
    expected[1, k] = np.nan
    np.testing.assert_allclose(path_kp, expected, rtol=1e-9)


def _read(text: str):
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "k.trc"
        p.write_text(text)
        return read_trc(p)


def test_trc_in_pixels_without_a_scale():
    lines = "".join(trc_lines(_result(), metres_per_px=None)).split("\n")
    assert lines[2].split("\t")[4] == "px"
    assert lines[6].split("\t")[:5] == ["1", "0.000000", "0", "-200", "0"]


def test_mot_by_hand():
    lines = "".join(mot_lines(_result())).split("\n")
    cols = ["time"] + list(ANGLE_COLUMNS[2:])
    assert lines[:7] == ["angles.mot", "version=1", "nRows=3", f"nColumns={len(cols)}", "inDegrees=yes", "endheader",
                         "\t".join(cols)]
    assert len(cols) == 11
    # row of frame i: time i / 25, then column n (0-9) at n + i / 4; the left hip (n 0) is NaN in frame 2
    assert lines[7].split("\t") == ["0.000000"] + [f"{n:.6f}" for n in range(10)]
    assert lines[8].split("\t") == ["0.040000"] + [f"{n + 0.25:.6f}" for n in range(10)]
    assert lines[9].split("\t") == ["0.080000", "nan"] + [f"{n + 0.5:.6f}" for n in range(1, 10)]
    assert lines[10:] == [""]
    assert float(lines[9].split("\t")[0]) == pytest.approx(2 / 25)
