"""End to end: dataset loads with pycocotools, is byte-identical per seed; walk and truth are exact."""
import csv
import hashlib
import json
from pathlib import Path

import numpy as np
from pycocotools.coco import COCO

from gaitpose.data.synth.generate import SynthConfig, generate
from gaitpose.data.synth.stand_in_walker import WalkParams, simulate


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
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")


def test_stance_foot_does_not_slide():
    params = WalkParams(1.75, 1.2, 1.3, (0.62, 0.62), (0.09, 0.09), (1.0, 1.0), fps=100, n_cycles=2)
    points, truth = simulate(params)
    t = np.arange(len(points["pelvis"])) / params.fps
    for side in ("left", "right"):
        hs, to = truth.heel_strike_s[side], truth.toe_off_s[side]
        k = np.flatnonzero((hs >= 0) & (to <= t[-1]))[0]
        stance = (t >= hs[k]) & (t <= to[k])
        heel, toe = points[f"{side}_heel"][stance], points[f"{side}_toe"][stance]
        # Flat foot: both on the floor; loading: the heel is the pivot; push-off: the toe is the pivot.
        on_floor_heel = heel[:, 2] < 1e-9
        on_floor_toe = toe[:, 2] < 1e-9
        assert np.ptp(heel[on_floor_heel, 0]) < 1e-9 and np.ptp(toe[on_floor_toe, 0]) < 1e-9
        assert (on_floor_heel | on_floor_toe).all()
        # The heel lands exactly on the footprint.
        assert abs(heel[0, 0] - truth.footprint_x_m[side][k]) < 1e-9


def test_video_truth_summary_equals_the_geometry(tmp_path):
    generate(SynthConfig(tmp_path, subjects=1, frames_per_subject=1, size_px=64, seed=3, video=True, preset="normal"))
    folder = tmp_path / "videos" / "s0000"
    summary = json.loads((folder / "summary.json").read_text())
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
