"""The writers' contract at its edges (cases mutation testing found unpinned): the JSON layout and its
error for an unknown type, the keypoints CSV without frame numbers and with half a point."""
from pathlib import Path

import numpy as np
import pytest

from gaitpose.formats import write_json_atomic, write_keypoints_csv


def test_json_is_indented_by_two_and_ends_with_a_newline(tmp_path):
    write_json_atomic(tmp_path / "s.json", {"cadence": 110.5, "sides": ["left", "right"]})
    assert (tmp_path / "s.json").read_text() == '{\n  "cadence": 110.5,\n  "sides": [\n    "left",\n    "right"\n  ]\n}\n'


def test_json_of_an_unknown_type_names_it_and_writes_nothing(tmp_path):
    with pytest.raises(TypeError, match="^not JSON serialisable: set$"):
        write_json_atomic(tmp_path / "s.json", {"joints": {"knee"}})
    assert list(tmp_path.iterdir()) == []


def test_keypoints_csv_counts_frames_from_zero_and_drops_half_points(tmp_path):
    # No frame numbers given: rows are frames 0, 1 at 10 fps (time 0, 0.1). Joint 0 of frame 1 has an x but
    # no y: the point is missing, all three of its cells empty (a score without a point would read back
    # as a found joint).
    kp = np.ones((2, 8, 3))
    kp[1, 0, 1] = np.nan
    write_keypoints_csv(tmp_path / "k.csv", kp, fps=10.0)
    rows = (tmp_path / "k.csv").read_text().splitlines()[1:]
    assert rows[0] == "0,0," + ",".join(["1"] * 24)
    assert rows[1] == "1,0.1,,,," + ",".join(["1"] * 21)


def test_csv_lines_end_in_a_bare_newline(tmp_path):
    from gaitpose.formats import write_csv_atomic

    write_csv_atomic(tmp_path / "a.csv", ["side", "n"], [["left", 1]])
    assert (tmp_path / "a.csv").read_bytes() == b"side,n\nleft,1\n"


def test_missing_keypoint_columns_are_listed_with_the_expected_header(tmp_path):
    from gaitpose.errors import GaitposeError
    from gaitpose.formats import KEYPOINT_COLUMNS, read_keypoints_csv

    # Every x/y column but the right ankle's two.
    header = [c for c in KEYPOINT_COLUMNS if c not in ("right_ankle_x", "right_ankle_y")]
    (tmp_path / "k.csv").write_text(",".join(header) + "\n" + ",".join(["1"] * len(header)) + "\n")
    with pytest.raises(GaitposeError) as err:
        read_keypoints_csv(tmp_path / "k.csv")
    assert str(err.value) == (f"{tmp_path / 'k.csv'}: missing columns right_ankle_x, right_ankle_y "
                              f"(expected {','.join(KEYPOINT_COLUMNS)})")


def test_the_temporary_file_is_hidden_beside_the_target_and_folders_are_made(tmp_path, monkeypatch):
    # Beside the target (same file system: the rename is atomic), hidden and named after it (".name.…tmp":
    # a glob for *.json in the folder never picks up a half-written file); missing folders are created.
    import os

    from gaitpose.formats import write_text_atomic

    renames = []
    real_replace = os.replace

    def record(src, dst):
        renames.append((src, dst))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", record)
    target = tmp_path / "new" / "deeper" / "summary.json"
    write_text_atomic(target, "{}")
    assert target.read_text() == "{}"
    (src, dst), = renames
    src = Path(src)
    assert src.parent == target.parent and src.name.startswith(".summary.json.") and src.name.endswith(".tmp")


def test_keypoints_csv_reads_an_empty_frame_cell_as_its_row_and_half_points_as_missing(tmp_path):
    from gaitpose.formats import KEYPOINT_COLUMNS, read_keypoints_csv

    cells = ["1"] * (len(KEYPOINT_COLUMNS) - 2)
    cells[1] = ""                                             # left shoulder: x but no y
    (tmp_path / "k.csv").write_text(",".join(KEYPOINT_COLUMNS) + "\n" + "7,0.2," + ",".join(["1"] * 24) + "\n"
                                    + ",0.3," + ",".join(cells) + "\n")
    frames, _, kp = read_keypoints_csv(tmp_path / "k.csv")
    assert frames.tolist() == [7, 1]                           # the second row has no frame number: its row, 1
    assert np.isnan(kp[1, 0]).all() and kp[1, 1].tolist() == [1.0, 1.0, 1.0]
