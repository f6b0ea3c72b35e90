"""scripts/make_session.py: the ffmpeg filter graphs that build issue 16's session recordings, by hand."""
import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "make_session.py"
_spec = importlib.util.spec_from_file_location("make_session", SCRIPT)
make_session = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_session)


def test_the_demo_repeated_every_other_pass_mirrored_and_held():
    assert make_session.filter_graph(2, 0.0) == (
        "[0:v]split=2[s0][s1];[s0]setpts=PTS-STARTPTS[p0];[s1]hflip,setpts=PTS-STARTPTS[p1];"
        "[p0][p1]concat=n=2:v=1:a=0[out]")
    assert make_session.filter_graph(1, 3.0) == (
        "[0:v]split=1[s0];[s0]tpad=stop_mode=clone:stop_duration=3.0,setpts=PTS-STARTPTS[p0];"
        "[p0]concat=n=1:v=1:a=0[out]")


def test_clips_joined_in_order_every_other_one_mirrored():
    assert make_session.join_graph(3) == (
        "[0:v]setpts=PTS-STARTPTS[p0];[1:v]hflip,setpts=PTS-STARTPTS[p1];[2:v]setpts=PTS-STARTPTS[p2];"
        "[p0][p1][p2]concat=n=3:v=1:a=0[out]")


def test_a_missing_clip_is_one_line_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "s.mp4"
    assert make_session.main([str(out), "--clips", str(tmp_path / "nope.avi")]) == 2
    assert capsys.readouterr().err == f"make_session: {tmp_path / 'nope.avi'}: no such file\n"
    assert not out.exists()
