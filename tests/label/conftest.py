import pytest

from label_helpers import write_video


@pytest.fixture
def video(tmp_path):
    return write_video(tmp_path / "walk.avi")
