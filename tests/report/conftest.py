"""A hand-made analysis folder: the files `gaitpose gait` writes, with values chosen so that every
rounded number and flag of the report can be worked out by hand (see the tests)."""
import json
import math
from pathlib import Path

import pytest

HAND_SUMMARY = {
    "fps": 30.0, "n_frames": 240, "walking_direction": "right", "mode": "overground",
    "n_strides": {"left": 3, "right": 3},
    "cadence_steps_per_min": 61.56, "speed_m_s": 0.384, "phase_symmetry_index": 0.754,
    "gait_cycle_s": {"left": 1.96, "right": 1.92, "mean": 1.94},
    "step_length_m": {"left": 0.358, "right": 0.387, "mean": 0.3725},
    "stride_length_m": {"left": 0.73, "right": 0.75, "mean": 0.74},
    "stance_time_s": {"left": 1.41, "right": 1.42, "mean": 1.415},
    "swing_time_s": {"left": 0.55, "right": 0.50, "mean": 0.525},
    "stance_pct": {"left": 72.0, "right": 74.4, "mean": 73.2},
    "double_support_s": {"left": 0.90, "right": 0.92, "mean": 0.91},
    "hip_rom_deg": {"left": 33.7, "right": 39.1}, "knee_rom_deg": {"left": 23.8, "right": 49.6},
    "step_length_method": "footprints",
    "data_quality": {"low_score_points": 2, "swapped_frames": {"ankle": 0, "hip": 0, "knee": 0},
                     "ankle_label_agreement": 0.6, "implausible_knees": 0, "filled_points": 24,
                     "missing_points": 72, "filter_cutoff_hz": 6.0},
    "notes": ["dropped left stride at 5.10 s: missing keypoints inside the stride",
              "toe off comes from the ankle alone (the skeleton has no toe)"],
    "cycle_curves": {f"{side}_{joint}_deg": {"mean": [amp * math.sin(2 * math.pi * i / 100) for i in range(101)],
                                             "sd": [2.0] * 101, "n": 3}
                     for side in ("left", "right") for joint, amp in (("hip", 20.0), ("knee", 30.0))},
}


def write_folder(folder: Path, summary: dict | None = None, session: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "summary.json").write_text(json.dumps(summary or HAND_SUMMARY))
    (folder / "events.csv").write_text("side,event,frame,time_s\nleft,heel_strike,10,0.3333\n"
                                       "left,toe_off,52,1.7333\nright,heel_strike,40,1.3333\n")
    (folder / "session.json").write_text(json.dumps(session or {
        "subject": "P-017", "label": "week 3", "date": "2026-11-02", "video": None,
        "keypoints_source": "read from keypoints.csv", "software_version": "0.1.0",
        "camera": {"fx": 1000.0, "fy": 1000.0, "cx": 480.0, "cy": 270.0, "dist": [], "known": True}}))
    return folder


@pytest.fixture
def hand_folder(tmp_path) -> Path:
    return write_folder(tmp_path / "analysis")
