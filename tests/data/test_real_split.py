"""The fixed real validation set: LSP numbers that are multiples of 20 and whole clips."""
from gaitpose.data.real_split import is_validation_clip, is_validation_lsp, lsp_number


def test_lsp_numbers_multiple_of_twenty_are_validation():
    assert lsp_number("im00420.jpg") == 420 and lsp_number("/x/im0040.png") == 40
    assert lsp_number("frame_00420.jpg") is None
    assert [n for n in range(1, 61) if is_validation_lsp(n)] == [20, 40, 60]


def test_validation_clips_match_by_path_suffix_only():
    assert is_validation_clip("../shared/data/walking/casia-b/003-nm-01.avi")
    assert is_validation_clip("walking/stage.mp4")
    assert not is_validation_clip("../shared/data/walking/casia-b/002-nm-01.avi")
    assert not is_validation_clip("/tmp/mystage.mp4")             # a suffix must match whole path parts


def test_walking_clips_split_into_training_and_held_out(tmp_path):
    from gaitpose.data.real_split import walking_clips
    for name in ("walking/stage.mp4", "walking/casia-b/001-nm-01.avi", "walking/casia-b/001-background.avi",
                 "video/walk_outdoor_sagittal.mp4", "walking/notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    assert walking_clips(tmp_path, held_out=False) == [tmp_path / "walking/casia-b/001-nm-01.avi"]
    assert walking_clips(tmp_path, held_out=True) == [tmp_path / "video/walk_outdoor_sagittal.mp4",
                                                      tmp_path / "walking/stage.mp4"]
