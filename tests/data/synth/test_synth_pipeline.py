"""End to end: dataset loads with pycocotools, is byte-identical per seed; walk and truth are exact."""
import csv
import hashlib
import json
from pathlib import Path

import cv2
import numpy as np
import pytest
from pycocotools.coco import COCO

from gaitpose.data.synth.bodies import ArmStyle
from gaitpose.data.synth.generate import SynthConfig, generate
from gaitpose.data.synth.recording import sample_recording
from gaitpose.data.synth.motion import simulate_walk
from gaitpose.data.synth.presets import GaitStyle

# An exoskeleton walk (long stance, stiff ankle) and a hemiparetic-like one (unequal stance and steps).
EXO = GaitStyle("exo", cycle_s=2.4, stance_fraction=(0.72, 0.72), right_phase=0.5, knee_flexion_scale=(0.6, 0.6),
                heel_strike_pitch_deg=5.0, toe_off_pitch_deg=-12.0, step_scale=0.6, trunk_lean_deg=6.0,
                treadmill=False, exoskeleton=True, prop="none", arm=ArmStyle())
HEMI = GaitStyle("hemiparetic", cycle_s=1.6, stance_fraction=(0.57, 0.70), right_phase=0.45,
                 knee_flexion_scale=(0.5, 1.0), heel_strike_pitch_deg=9.0, toe_off_pitch_deg=-20.0, step_scale=0.7,
                 trunk_lean_deg=4.0, treadmill=False, exoskeleton=False, prop="none", arm=ArmStyle())


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_dataset_loads_with_pycocotools_and_repeats_bytes(tmp_path):
    config = dict(subjects=2, frames_per_subject=2, size_px=128, seed=5, preset="mixed")
    generate(SynthConfig(tmp_path / "a", **config))
    generate(SynthConfig(tmp_path / "b", workers=2, **config))
    coco = COCO(str(tmp_path / "a" / "annotations.json"))
    assert len(coco.getImgIds()) == 4 and len(coco.getAnnIds()) == 4
    image = coco.loadImgs(1)[0]
    assert {"depth_file", "subject", "width", "height"} <= set(image)
    ann = coco.loadAnns(coco.getAnnIds(imgIds=[1]))[0]
    assert len(ann["keypoints"]) == 24 and set(ann["keypoints"][2::3]) <= {0, 1, 2}
    # heels and toe tips ride along, in the teacher's format: {"left_heel": [x, y, v], …}
    assert set(ann["feet"]) == {"left_heel", "right_heel", "left_toe", "right_toe"}
    assert all(len(v) == 3 and v[2] in (0, 1, 2) for v in ann["feet"].values())
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


@pytest.mark.parametrize("style", [EXO, HEMI])
@pytest.mark.parametrize("seed", [0, 1])
def test_stance_foot_does_not_slide(style, seed):
    walk = simulate_walk(np.random.default_rng(seed), style, 1.7, fps=100.0, n_cycles=2.0)
    t = np.arange(walk.n_frames) / walk.fps
    checked = 0
    for side in ("left", "right"):
        for hs, heel_x, toe_x in walk.truth.footprints[side]:
            stance = (t >= hs) & (t < hs + walk.truth.stance_time_s[side])
            heel, toe = walk.points[f"{side}_heel"][stance], walk.points[f"{side}_toe"][stance]
            # Loading: the heel is the pivot; flat foot: both on the floor; push-off: the toe is the pivot.
            on_floor_heel = heel[:, 2] < 1e-9
            on_floor_toe = toe[:, 2] < 1e-9
            assert (on_floor_heel | on_floor_toe).all()
            assert np.ptp(heel[:, 1]) < 1e-9 if len(heel) else True
            # A point on the floor does not move: it stays exactly on its footprint.
            np.testing.assert_allclose(heel[on_floor_heel, 0], heel_x, atol=1e-9, rtol=0)
            np.testing.assert_allclose(toe[on_floor_toe, 0], toe_x, atol=1e-9, rtol=0)
            checked += on_floor_heel.sum() + on_floor_toe.sum()
    assert checked > walk.n_frames  # both feet spend most of the walk on the floor


def test_walks_start_anywhere_in_the_cycle_and_face_both_ways():
    directions, first_heel_strike_phase = set(), []
    for i in range(8):
        rec = sample_recording(np.random.default_rng(i), i, (96, 54), "mixed", 30.0, seconds=3.0)
        directions.add(rec.walk.image_direction(rec.setup.view))
        left = [t for side, kind, t in rec.walk.truth.events if (side, kind) == ("left", "heel_strike")]
        first_heel_strike_phase.append(left[0] / rec.style.cycle_s if left else 1.0)
    assert directions == {"left", "right"}
    assert np.ptp(first_heel_strike_phase) > 0.3 and sum(p < 1e-6 for p in first_heel_strike_phase) <= 1


def test_video_truth_summary_equals_the_geometry(tmp_path):
    generate(SynthConfig(tmp_path, subjects=1, frames_per_subject=1, size_px=64, seed=3, video=True, preset="normal",
                         video_size=(96, 54), video_seconds=3.0))
    folder = tmp_path / "videos" / "s0000"
    summary = json.loads((folder / "summary.json").read_text())
    assert {"fps", "n_frames", "walking_direction", "cadence_steps_per_min", "gait_cycle_s", "speed_m_s",
            "phase_symmetry_index", "hip_rom_deg", "knee_rom_deg", "thigh_m", "shank_m", "height_m"} <= set(summary)
    for key in ("step_length_m", "step_length_paper_m", "stride_length_m", "stance_time_s", "swing_time_s"):
        assert set(summary[key]) >= {"left", "right", "mean"}, key
    # A landscape clip of the asked size, 3 s at 30 fps.
    video = cv2.VideoCapture(str(folder / "video.mp4"))
    assert (video.get(cv2.CAP_PROP_FRAME_WIDTH), video.get(cv2.CAP_PROP_FRAME_HEIGHT)) == (96, 54)
    assert summary["n_frames"] == 90
    camera = json.loads((folder / "camera.json").read_text())
    assert (camera["width"], camera["height"]) == (96, 54) and {"fx", "fy", "cx", "cy"} <= set(camera)
    # Stride length = the two steps ending at the other foot's heel strike inside the stride and at this
    # foot's next heel strike (a row's step is the one ending at its first heel strike); speed = length / time.
    with open(folder / "strides.csv") as f:
        strides = [{k: (v if k == "side" else float(v)) for k, v in r.items()} for r in csv.DictReader(f)]
    pairs = 0
    for a in strides:
        assert abs(a["speed_m_s"] - a["stride_length_m"] / a["stride_time_s"]) < 1e-9
        between = [b for b in strides if b["side"] != a["side"] and a["start_frame"] < b["start_frame"] < a["end_frame"]]
        after = [c for c in strides if c["side"] == a["side"] and c["start_frame"] == a["end_frame"]]
        if between and after:
            assert abs(a["stride_length_m"] - (between[0]["step_length_m"] + after[0]["step_length_m"])) < 1e-9
            pairs += 1
    assert pairs >= 1
    with open(folder / "events.csv") as f:
        events = list(csv.DictReader(f))
    with open(folder / "angles.csv") as f:
        angles = list(csv.DictReader(f))
    hs = {s: [float(e["time_s"]) for e in events if e["side"] == s and e["event"] == "heel_strike"] for s in ("left", "right")}
    to = {s: [float(e["time_s"]) for e in events if e["side"] == s and e["event"] == "toe_off"] for s in ("left", "right")}
    cycle = np.mean(np.diff(hs["left"]))
    assert abs(summary["gait_cycle_s"] - cycle) < 1e-9
    assert abs(summary["cadence_steps_per_min"] - 120 / cycle) < 1e-6
    stance = [t - h for h, t in zip(hs["left"], [x for x in to["left"] if x > hs["left"][0]])]
    assert abs(summary["stance_time_s"]["left"] - stance[0]) < 1e-9
    # Knee angle = thigh − shank in every row; hip ROM from the thigh column.
    knee = np.array([float(r["left_knee_deg"]) for r in angles])
    thigh = np.array([float(r["left_thigh_deg"]) for r in angles])
    shank = np.array([float(r["left_shank_deg"]) for r in angles])
    np.testing.assert_allclose(knee, thigh - shank, atol=1e-6)
    assert abs(summary["hip_rom_deg"]["left"] - np.ptp(thigh)) < 1e-6
    # D_ps of SPEC §8 from the stance/swing times.
    st, sw = summary["stance_time_s"], summary["swing_time_s"]
    d_ps = np.sqrt(1.2 / cycle) * (0.62 * min(st["left"], st["right"]) / max(st["left"], st["right"])
                                   + 0.38 * min(sw["left"], sw["right"]) / max(sw["left"], sw["right"]))
    assert abs(summary["phase_symmetry_index"] - d_ps) < 1e-9
    assert (folder / "video.mp4").stat().st_size > 1000
