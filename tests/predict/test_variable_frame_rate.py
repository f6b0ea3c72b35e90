"""A variable-frame-rate video (issue 16): times come from the frames' own time stamps."""
import json
import subprocess

import pytest

from gaitpose.cli import main
from gaitpose.jobs import demo_assets


def test_stride_times_of_a_variable_rate_clip(tmp_path):
    # The 30 fps demo walk with every third frame dropped between 2 s and 6 s (ffmpeg keeps the time
    # stamps of the frames it keeps): 200 frames over 8 s, so the container claims 25 frames/s. Read
    # as 200 evenly spaced frames the middle of the walk is sped up by a third; by the time stamps the
    # cycle is the demo's (truth 1.949 s; measured 1.966 s).
    import imageio_ffmpeg

    clip = tmp_path / "vfr.mp4"
    subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-i", str(demo_assets() / "video.mp4"),
                    "-vf", r"select='lt(n\,60)+gte(n\,180)+mod(n\,3)'", "-fps_mode", "vfr",
                    "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "18", str(clip)], check=True)
    out = tmp_path / "out"
    assert main(["analyze", str(clip), "--out", str(out), "--no-overlay"]) == 0
    record = json.loads((out / "analysis.json").read_text())
    assert record["timing"]["variable_frame_rate"] is True
    assert list(record["stage_seconds"]) == ["motion_prepass", "keypoints", "gait"]   # --no-overlay: no third decode
    assert record["timing"]["effective_fps"] == pytest.approx(30.0, rel=1e-3)
    assert record["timing"]["container_fps"] == pytest.approx(25.0)
    got = json.loads((out / "summary.json").read_text())
    truth = json.loads((demo_assets() / "summary.json").read_text())
    assert got["fps"] == pytest.approx(30.0, rel=1e-3)
    assert got["gait_cycle_s"]["mean"] == pytest.approx(truth["gait_cycle_s"], rel=0.03)
    assert any(n.startswith("variable frame rate") for n in got["notes"])
    # the events sit on the resampled instants: their times are those of the walk, not of frame counts
    rows = (out / "events.csv").read_text().splitlines()[1:]
    times = sorted(float(r.split(",")[3]) for r in rows if ",heel_strike," in r)
    assert times[-1] > 6.0                                         # the last heel strikes come after 6 s
    # keypoints_raw.csv keeps the frames' own time stamps, and `gaitpose gait` on it, at the score
    # threshold analyze used, resamples by them and gives analyze's numbers
    min_score = json.loads((out / "analysis.json").read_text())["min_score"]
    assert main(["gait", str(out / "keypoints_raw.csv"), "--out", str(tmp_path / "again"),
                 "--min-score", str(min_score)]) == 0
    again = json.loads((tmp_path / "again" / "summary.json").read_text())
    assert again["gait_cycle_s"]["mean"] == pytest.approx(got["gait_cycle_s"]["mean"], rel=1e-3)
