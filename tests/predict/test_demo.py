"""`gaitpose demo` end to end: the bundled model on the bundled walk, numbers near the truth."""
import json

import pytest

from gaitpose.cli import main
from gaitpose.jobs import demo_assets


def test_demo_writes_the_report_and_gets_the_timing_right(tmp_path, capsys):
    out = tmp_path / "demo"
    assert main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "gait cycle" in printed and str(out / "report.html") in printed
    for name in ("keypoints.csv", "angles.csv", "events.csv", "strides.csv", "summary.json", "report.html",
                 "overlay.mp4", "analysis.json"):
        assert (out / name).is_file(), name
    # where the time went: the video is decoded for the motion pre-pass, the keypoints and the overlay
    stages = json.loads((out / "analysis.json").read_text())["stage_seconds"]
    assert list(stages) == ["motion_prepass", "keypoints", "gait", "overlay"] and min(stages.values()) >= 0
    assert "time: motion pre-pass (a decode of its own) " in printed
    assert "overlay (a decode of its own; --no-overlay skips it) " in printed
    truth = json.loads((demo_assets() / "summary.json").read_text())
    got = json.loads((out / "summary.json").read_text())
    # Spatiotemporal numbers that do not depend on which leg is called left (the truth: 1.949 s,
    # 61.6 steps/min, 0.716 m, 0.367 m/s); the bundled model measured 1.939 s, 61.9, 0.741 m, 0.384 m/s.
    assert got["gait_cycle_s"]["mean"] == pytest.approx(truth["gait_cycle_s"], rel=0.05)
    assert got["cadence_steps_per_min"] == pytest.approx(truth["cadence_steps_per_min"], rel=0.05)
    assert got["stride_length_m"]["mean"] == pytest.approx(truth["stride_length_m"]["mean"], rel=0.10)
    assert got["speed_m_s"] == pytest.approx(truth["speed_m_s"], rel=0.10)
