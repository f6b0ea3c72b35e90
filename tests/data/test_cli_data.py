"""`gaitpose import` and `gaitpose split` from the command line."""
import json

import cv2
import numpy as np
import scipy.io

from gaitpose.cli import main


def test_import_lsp_then_split(tmp_path, capsys):
    (tmp_path / "images").mkdir()
    joints = np.zeros((14, 3, 6))
    for n in range(6):
        cv2.imwrite(str(tmp_path / "images" / f"im{n + 1:05d}.jpg"), np.zeros((40, 30, 3), np.uint8))
        joints[:, 0, n], joints[:, 1, n], joints[:, 2, n] = np.arange(14) + 1, np.arange(14) + 2, 1
    scipy.io.savemat(tmp_path / "joints.mat", {"joints": joints})
    assert main(["import", "lsp", str(tmp_path / "joints.mat"), "--images", str(tmp_path / "images"),
                 "--out", str(tmp_path / "out")]) == 0
    assert "6 of 6 listed images written" in capsys.readouterr().out
    assert main(["split", str(tmp_path / "out" / "annotations.json"), "--out-train", str(tmp_path / "t.json"),
                 "--out-val", str(tmp_path / "v.json")]) == 0
    captured = capsys.readouterr()
    assert "5 training and 1 validation samples, split frame-wise" in captured.out
    assert "warning: no subject ids" in captured.err
    assert len(json.loads((tmp_path / "v.json").read_text())["annotations"]) == 1


def test_import_error_is_one_line_with_status_2(tmp_path, capsys):
    assert main(["import", "coco", str(tmp_path / "nope.json"), "--images", str(tmp_path), "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("gaitpose import: error:") and "nope.json: file not found" in err and "\n" not in err
