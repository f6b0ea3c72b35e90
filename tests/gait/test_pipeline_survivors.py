"""The gait pipeline's bookkeeping that the mutation run of gait/pipeline.py found unpinned (issue 17;
docs/testing.md): what the variable-frame-rate path hands on, the summary's own fields, a pass's direction
and row, the pooled numbers at their edges, and the notes of `analyze_keypoints`. Every expected value is
worked out by hand in the comments; the inputs are a few hand-made frames, or stand-ins for the steps
around the code under test (the cleaner, the event finder), so each test runs in well under a second."""
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from gaitpose.gait import pipeline
from gaitpose.gait.clean import CleaningReport
from gaitpose.gait.passes import OVERGROUND, TREADMILL, Pass
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.gait.spatiotemporal import StrideSet
from gaitpose.skeleton import SIDE_JOINTS, SIDES


def _pass(index, a, b, direction, mode=OVERGROUND, fps=10.0):
    return Pass(index, a, b, a / fps, b / fps, direction, 2.0, mode)


def _stride(side, start, end, **values):
    base = dict(stance_time_s=np.nan, swing_time_s=np.nan, stride_time_s=np.nan, step_length_m=np.nan,
                stride_length_m=np.nan, speed_m_s=np.nan, step_length_paper_m=np.nan, stance_pct=np.nan,
                double_support_s=np.nan)
    return SimpleNamespace(side=side, start_frame=start, end_frame=end, **{**base, **values})


def _zero_angles(n):
    return {f"{s}_{j}_deg": np.zeros(n) for s in SIDES for j in ("hip", "knee")}


def test_variable_rate_tracks_reach_the_analysis_resampled_with_their_feet_options_and_frames(monkeypatch):
    # Stamped at 1.0, 1.1 and 1.3 s, analysed at 10 frames/s: the grid is 1.0, 1.1, 1.2, 1.3 s (frames 10–13,
    # integers). Every joint's x is 10 · (t − 1) (0, 1, 3 → 0, 1, 2, 3 on the grid: 1.2 s is halfway between
    # the frames at 1.1 and 1.3 s, 0.2 s ≤ 2.5 intervals apart), the foot points' x 100 + the same; the score
    # at 1.2 s is the nearer frame's, the earlier one on a tie: 0.8.
    times = np.array([1.0, 1.1, 1.3])
    kp = np.zeros((3, 8, 3))
    kp[..., 0] = np.array([0.0, 1.0, 3.0])[:, None]
    kp[..., 1] = 5.0
    kp[..., 2] = np.array([0.9, 0.8, 0.7])[:, None]
    feet = kp[:, :4].copy()
    feet[..., 0] += 100.0
    seen = {}

    def fake_analyze(keypoints, fps, options=None, frames=None, feet_tx4x3=None):
        seen.update(keypoints=keypoints, fps=fps, options=options, frames=frames, feet=feet_tx4x3)
        return SimpleNamespace(notes=["from the analysis"])
    monkeypatch.setattr(pipeline, "analyze_keypoints", fake_analyze)
    opts = GaitOptions(height_m=1.6)
    res = pipeline.analyze_by_time_stamps(kp, feet, times, 10.0, opts)
    assert seen["options"] is opts and seen["fps"] == 10.0
    assert seen["keypoints"].shape == (4, 8, 3) and seen["feet"].shape == (4, 4, 3)
    np.testing.assert_allclose(seen["keypoints"][:, :, 0], np.repeat([[0.0], [1.0], [2.0], [3.0]], 8, axis=1), atol=1e-12)
    np.testing.assert_allclose(seen["feet"][:, :, 0], np.repeat([[100.0], [101.0], [102.0], [103.0]], 4, axis=1),
                               atol=1e-12)
    np.testing.assert_allclose(seen["keypoints"][:, 0, 2], [0.9, 0.8, 0.8, 0.7])
    assert seen["frames"].dtype.kind == "i" and seen["frames"].tolist() == [10, 11, 12, 13]
    assert res.notes == ["variable frame rate: the tracks were resampled by the frames' time stamps to 10.00 frames/s "
                         "(their median interval); every time comes from the time stamps, and the rows of the outputs "
                         "are the resampled instants", "from the analysis"]
    # without foot points none are handed on
    pipeline.analyze_by_time_stamps(kp, None, times, 10.0, opts)
    assert seen["feet"] is None and seen["keypoints"].shape == (4, 8, 3)


def test_summary_fields_beside_the_numbers():
    report = CleaningReport(low_score_points=3, swapped_frames={"knee": 2, "ankle": 0}, ankle_label_agreement=0.9,
                            implausible_knees=1, filled_points=5, missing_points=7, filtered=True)
    lengths = ({"left": 0.4, "right": 0.41}, {"left": 0.39, "right": 0.38})
    # on a treadmill with the belt's speed given the speed is the belt's (no stride has one here)
    opts = GaitOptions(height_m=1.6, cutoff_hz=5.0, treadmill_speed_m_s=0.8)
    out = pipeline._summary(_zero_angles(10), StrideSet(), 25.0, 10, [-1, 1], True, opts, lengths, "footprints",
                            1.5, "given", report)
    assert out["speed_m_s"] == 0.8
    assert {k: out[k] for k in ("fps", "n_frames", "walking_direction", "mode", "phase_symmetry_note",
                                "step_length_method", "floor_angle_deg", "floor_angle_source", "data_quality",
                                "thigh_m", "shank_m", "height_m")} == {
        "fps": 25.0, "n_frames": 10, "walking_direction": "both", "mode": "treadmill",
        "phase_symmetry_note": "D_ps = sqrt(T0/T)·(…) with T0 = 1.2 s; it exceeds 1 when the cycle is shorter than 1.2 s",
        "step_length_method": "footprints", "floor_angle_deg": 1.5, "floor_angle_source": "given",
        "data_quality": {"low_score_points": 3, "swapped_frames": {"knee": 2, "ankle": 0}, "ankle_label_agreement": 0.9,
                         "implausible_knees": 1, "filled_points": 5, "missing_points": 7, "filter_cutoff_hz": 5.0},
        "thigh_m": {"left": 0.4, "right": 0.41}, "shank_m": {"left": 0.39, "right": 0.38}, "height_m": 1.6}
    # overground, one direction, no lengths or height, the filter skipped
    report.filtered = False
    out = pipeline._summary(_zero_angles(10), StrideSet(), 25.0, 10, [-1], False, GaitOptions(), None, "none", 0.0,
                            "assumed level", report)
    assert out["walking_direction"] == "left" and out["mode"] == "overground"
    assert out["data_quality"]["filter_cutoff_hz"] is None
    assert not {"thigh_m", "shank_m", "height_m"} & set(out)
    assert pipeline._summary(_zero_angles(10), StrideSet(), 25.0, 10, [1], False, GaitOptions(), None, "none", 0.0,
                             "assumed level", report)["walking_direction"] == "right"


def _standing(n, pelvis_x, knee_dx):
    """n frames of a figure standing still (camera plane, y up): hips at (pelvis_x[t], 2), knees at
    (pelvis_x[t] + knee_dx, 1), ankles under the hips at (pelvis_x[t], 0)."""
    xy = np.zeros((n, 8, 2))
    for s in SIDES:
        j = SIDE_JOINTS[s]
        xy[:, j["shoulder"]] = np.stack([pelvis_x, np.full(n, 3.0)], axis=1)
        xy[:, j["hip"]] = np.stack([pelvis_x, np.full(n, 2.0)], axis=1)
        xy[:, j["knee"]] = np.stack([pelvis_x + knee_dx, np.full(n, 1.0)], axis=1)
        xy[:, j["ankle"]] = np.stack([pelvis_x, np.zeros(n)], axis=1)
    return xy


def test_a_pass_in_place_faces_the_way_its_own_frames_say():
    # A pass over rows 2–4 of 7, walking in place, no --direction. Knees behind the hip–ankle line (−x)
    # face left; but the hips move +100 at row 4, at least a thigh (1) within rows 2–4: the travel says right.
    # Rows 2–3 alone (hips still) would say left by the knees; rows 2–5 (the hips at −1000 in row 5) left by
    # the travel (the fitted slope over rows 2–5 is (1.5 · (−1000) + 0.5 · 100) / 5 = −290 per row).
    xy = _standing(7, np.array([0.0, 0.0, 0.0, 0.0, 100.0, -1000.0, -1000.0]), knee_dx=-0.2)
    notes = []
    assert pipeline._pass_direction(_pass(3, 2, 4, 0, fps=10.0), xy, 1.0, GaitOptions(), notes) == 1
    assert notes == ["pass 3 (0.20–0.40 s): the hips stayed in place in the image (a treadmill, or a camera that "
                     "follows the walker, where a turn cannot be seen from the hips); facing from the knees"]
    # a pass that travels, with --direction auto: the travel, and nothing to say
    notes.clear()
    assert pipeline._pass_direction(_pass(1, 0, 6, -1), xy, 1.0, GaitOptions(), notes) == -1 and notes == []
    # --direction agreeing with the travel: nothing to say either
    assert pipeline._pass_direction(_pass(1, 0, 6, -1), xy, 1.0, GaitOptions(direction="left"), notes) == -1
    assert notes == []


def test_a_frame_one_nearer_the_later_pass_takes_its_direction():
    # passes over rows 2–4 (right) and 7–9 (left): row 5 is 1 from the first and 2 from the second, row 6 is
    # 2 from the first and 1 from the second
    d = pipeline._nearest_pass_direction([_pass(1, 2, 4, 1), _pass(2, 7, 9, -1)], [1, -1], 11)
    assert d.tolist() == [1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1]


def test_events_of_three_passes_are_shifted_back_each_by_its_own_offset(monkeypatch):
    # passes over rows 1–2, 5–6 and 9–10: joined as positions 0–1, NaN 2, 3–4, NaN 5, 6–7; a position of the
    # third piece is its row − 3 (9 → 6), of the second row − 2 (5 → 3), of the first row − 1
    def fake_detect(joined, fps, direction, feet):
        assert joined.shape[0] == 8 and np.isnan(joined[[2, 5]]).all()
        return {"left": {"heel_strike": [0.5, 3.0, 6.0, 7.0], "toe_off": [4.5]},
                "right": {"heel_strike": [], "toe_off": [6.5]}}, 1.0
    monkeypatch.setattr(pipeline.events_mod, "detect_events", fake_detect)
    ev = pipeline._events_in_passes(np.zeros((12, 8, 2)), [_pass(1, 1, 2, 1), _pass(2, 5, 6, -1), _pass(3, 9, 10, 1)],
                                    10.0)
    assert ev == {"left": {"heel_strike": [1.5, 5.0, 9.0, 10.0], "toe_off": [6.5]},
                  "right": {"heel_strike": [], "toe_off": [9.5]}}


def test_a_pass_row_counts_the_strides_starting_on_its_first_and_last_row_and_says_no_reason():
    # A treadmill pass over rows 10–20 at 10 fps; strides starting on rows 10 and 20 are its own, the one at 21
    # is not: 1 left, 1 right → few strides. The belt's speed (0.9 m/s) is the pass's speed.
    p = _pass(1, 10, 20, 0, TREADMILL)
    strides = SimpleNamespace(strides=[_stride("left", 10.0, 30.0, stride_time_s=2.0),
                                       _stride("right", 20.0, 40.0, stride_time_s=2.0),
                                       _stride("right", 21.0, 41.0, stride_time_s=2.0)])
    row = pipeline._pass_summary(p, -1, strides, _zero_angles(50), np.arange(50), 10.0,
                                 GaitOptions(treadmill_speed_m_s=0.9), {})
    assert row["status"] == "analysed" and row["reason"] == "" and row["few_strides"] is True
    assert row["n_strides"] == {"left": 1, "right": 1} and row["speed_m_s"] == 0.9
    assert (row["direction"], row["mode"], row["start_s"], row["end_s"]) == ("left", TREADMILL, 1.0, 2.0)
    # overground the same strides take the strides' speeds (none here)
    row = pipeline._pass_summary(_pass(1, 10, 20, 1), 1, strides, _zero_angles(50), np.arange(50), 10.0,
                                 GaitOptions(treadmill_speed_m_s=0.9), {})
    assert np.isnan(row["speed_m_s"]) and row["direction"] == "right"


def test_pooled_numbers_at_their_edges():
    # Two left strides of 0.8 s and one right of 0.9 s: cycle mean (0.8 + 0.8 + 0.9) / 3 = 0.8333 s, under a
    # second: 120 / 0.8333 = 144 steps/min. Stance 0.5 s and swing 0.3 s left, 0.6 and 0.3 right:
    # D_ps = sqrt(1.2 / 0.8333) · (0.62 · 0.5 / 0.6 + 0.38 · 0.3 / 0.3) = 1.2 · 0.89667 = 1.076.
    # The knee angle is the frame number, NaN at 15: the left stride over 2–8 spans 6, the one over 10–18
    # crosses the NaN (no range); mean 6. No stride ever has a hip range on the right: NaN, without a warning.
    knee = np.arange(30.0)
    knee[15] = np.nan
    angles = {"left_knee_deg": knee, "right_knee_deg": knee, "left_hip_deg": np.zeros(30),
              "right_hip_deg": np.full(30, np.nan)}
    strides = [_stride("left", 2.0, 8.0, stride_time_s=0.8, stance_time_s=0.5, swing_time_s=0.3),
               _stride("left", 10.0, 18.0, stride_time_s=0.8, stance_time_s=0.5, swing_time_s=0.3),
               _stride("right", 20.0, 29.0, stride_time_s=0.9, stance_time_s=0.6, swing_time_s=0.3)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        n = pipeline.gait_numbers(angles, strides, GaitOptions(), treadmill=False)
    assert n["cadence_steps_per_min"] == pytest.approx(144.0)
    assert n["phase_symmetry_index"] == pytest.approx(np.sqrt(1.2 / (2.5 / 3)) * (0.62 * 0.5 / 0.6 + 0.38))
    assert n["phase_symmetry_index"] == pytest.approx(1.0760, abs=1e-4)
    assert n["knee_rom_deg"]["left"] == 6.0 and n["hip_rom_deg"]["left"] == 0.0
    assert np.isnan(n["hip_rom_deg"]["right"])


# --- analyze_keypoints on a hand-built walker, the steps around it stood in for ----------------------------
# Two legs, each a vertical stick (hip, knee, ankle 100 px apart, image y 100, 200, 300), moving with its
# ankle; shoulders over the pelvis. At 10 fps, a 1 s cycle: the left foot rests at x = 0, 200, 400 px over
# frames 2–8, 12–18, 22–28 and swings forward 200 px in between, the right one rests at −100, 100, 300, 500
# over …–3, 7–13, 17–23, 27–33. Heel strikes and toe offs (the event finder stood in for) where each rest
# starts and ends. With thigh and shank 0.45 m and the legs 200 px long in the camera plane (fx = 1): 0.0045 m
# per px, so every step (100 px) is 0.45 m and every stride (200 px) 0.9 m in its 1.0 s.
WALK_FPS = 10.0
WALK_T = 35
WALK_EVENTS = {"left": {"heel_strike": [2.0, 12.0, 22.0], "toe_off": [8.0, 18.0, 28.0]},
               "right": {"heel_strike": [7.0, 17.0, 27.0], "toe_off": [3.0, 13.0, 23.0, 33.0]}}
LEFT_ANKLE_KNOTS = ([0, 2, 8, 12, 18, 22, 28, 32, 34], [-100, 0, 0, 200, 200, 400, 400, 600, 600])
RIGHT_ANKLE_KNOTS = ([0, 3, 7, 13, 17, 23, 27, 33, 34], [-100, -100, 100, 100, 300, 300, 500, 500, 550])


def _stick_walker(mirror_about_px=None):
    """WALK_T × 8 × 3 pixels (score 1; the ankles 0.9): the walker above, or mirrored about x = mirror_about_px
    (walking left)."""
    t = np.arange(WALK_T)
    foot_x = {"left": np.interp(t, *LEFT_ANKLE_KNOTS), "right": np.interp(t, *RIGHT_ANKLE_KNOTS)}
    pelvis_x = (foot_x["left"] + foot_x["right"]) / 2
    kp = np.ones((WALK_T, 8, 3))
    for s in SIDES:
        j = SIDE_JOINTS[s]
        kp[:, j["shoulder"], 0], kp[:, j["shoulder"], 1] = pelvis_x, 0.0
        for part, y in (("hip", 100.0), ("knee", 200.0), ("ankle", 300.0)):
            kp[:, j[part], 0], kp[:, j[part], 1] = foot_x[s], y
        kp[:, j["ankle"], 2] = 0.9
    if mirror_about_px is not None:
        kp[..., 0] = 2 * mirror_about_px - kp[..., 0]
    return kp


class _Stop(Exception):
    """Raised by a stand-in to end the analysis once it has seen what the test looks at."""


def _stand_ins(monkeypatch, report=None, passes=None, left_out=(), floor=None, events=WALK_EVENTS):
    """The cleaner (keypoints as given, `report`), the pass finder (`passes`, `left_out`), the floor fit
    (`floor`, radians or None) and the event finder (`events`, rows of the joined passes) stood in for;
    what each was handed is recorded in the returned dict."""
    seen = {}

    def clean(kp, fps, min_score, max_gap_s, cutoff_hz, body_scale):
        seen["clean"] = dict(kp=kp, fps=fps, min_score=min_score, max_gap_s=max_gap_s, cutoff_hz=cutoff_hz,
                             body_scale=body_scale)
        return kp.copy(), (report if report is not None else CleaningReport())

    def walking(xy, fps, leg_length, options):
        seen["walking_passes"] = dict(xy=xy, fps=fps, leg_length=leg_length)
        return pipeline.passes_mod.Segmentation(
            list(passes) if passes is not None else [Pass(1, 0, WALK_T - 1, 0.0, 3.4, 1, 4.0, OVERGROUND)],
            list(left_out))

    def floor_fit(xy, min_span):
        seen["floor_min_span"] = min_span
        return floor

    def detect(joined, fps, direction, feet):
        seen["detect"] = dict(joined=joined, fps=fps, direction=direction, feet=feet)
        return {s: {k: list(v) for k, v in kinds.items()} for s, kinds in events.items()}, 1.0
    monkeypatch.setattr(pipeline.clean_mod, "clean_keypoints", clean)
    monkeypatch.setattr(pipeline, "walking_passes", walking)
    monkeypatch.setattr(pipeline.geometry, "estimate_floor_angle", floor_fit)
    monkeypatch.setattr(pipeline.events_mod, "detect_events", detect)
    return seen


LENGTHS = dict(thigh_m=(0.45, 0.45), shank_m=(0.45, 0.45))
ANKLE_NOTE = ("toe off comes from the ankle alone (the skeleton has no toe): on real walks (motion capture) 90 % of "
              "toe offs were found within 0.04 s early and 0.21 s late, on synthetic walkers up to 0.07 s early and "
              "0.34 s late (late in slow, asymmetric gait), so stance, swing, double support and D_ps are less certain "
              "than cycle time, cadence and step length")
NO_CAMERA_NOTE = "no --camera: principal point unknown, step lengths assume the camera axis is at the image origin"


def test_the_hand_built_walk_gives_its_numbers_and_every_note(monkeypatch):
    report = CleaningReport(low_score_points=0, swapped_frames={"knee": 2, "ankle": 1}, ankle_label_agreement=0.7,
                            implausible_knees=3, filtered=False)
    seen = _stand_ins(monkeypatch, report=report, left_out=["moving left 0.10–0.20 s: too short",
                                                             "moving right 3.00–3.10 s: too short"])
    frames = np.arange(WALK_T) + 100
    res = pipeline.analyze_keypoints(_stick_walker(), WALK_FPS, GaitOptions(**LENGTHS, min_strides=5), frames=frames)
    # what the steps around were handed: the body scale is the hip–ankle distance, 200 px; the legs 100 + 100
    # camera-plane units long
    assert seen["clean"]["body_scale"] == 200.0 and seen["clean"]["fps"] == WALK_FPS
    assert (seen["clean"]["min_score"], seen["clean"]["max_gap_s"], seen["clean"]["cutoff_hz"]) == (0.3, 0.2, 6.0)
    assert seen["walking_passes"]["leg_length"] == 200.0 and seen["walking_passes"]["fps"] == WALK_FPS
    assert seen["floor_min_span"] == 50.0                 # half a thigh
    assert seen["detect"]["direction"] == 1 and seen["detect"]["feet"] is None
    # strides: left 2→12, 12→22, right 7→17, 17→27; each 1.0 s, stance 0.6 s (heel strike to toe off), swing
    # 0.4 s; double support (the other foot's toe off 1 frame after the heel strike, its heel strike 1 frame
    # before the toe off) 0.2 s. Steps 0.45 m where the other foot's earlier footprint is within the stride
    # before (not for the left one at frame 2), strides 0.9 m, speed 0.9 m/s.
    assert [(x.side, x.start_frame, x.end_frame) for x in res.strides.strides] == [
        ("left", 2.0, 12.0), ("right", 7.0, 17.0), ("left", 12.0, 22.0), ("right", 17.0, 27.0)]
    s = res.summary
    assert s["n_strides"] == {"left": 2, "right": 2} and s["cadence_steps_per_min"] == pytest.approx(120.0)
    assert s["stance_time_s"]["mean"] == pytest.approx(0.6) and s["swing_time_s"]["mean"] == pytest.approx(0.4)
    assert s["stance_pct"]["mean"] == pytest.approx(60.0) and s["double_support_s"]["mean"] == pytest.approx(0.2)
    assert [x.step_length_m for x in res.strides.strides][1:] == pytest.approx([0.45] * 3)
    assert np.isnan(res.strides.strides[0].step_length_m)
    assert s["step_length_m"]["left"] == pytest.approx(0.45) and s["step_length_m"]["right"] == pytest.approx(0.45)
    assert s["stride_length_m"]["mean"] == pytest.approx(0.9) and s["speed_m_s"] == pytest.approx(0.9)
    # the legs are vertical: every hip and knee angle 0, so the leg reach and the paper's step length are 0
    assert s["step_length_paper_m"]["mean"] == 0.0 and s["knee_rom_deg"]["left"] == 0.0
    assert s["phase_symmetry_index"] == pytest.approx(np.sqrt(1.2))
    assert s["symmetry_ratio"] == {"stance": 1.0, "swing": 1.0, "step_length": pytest.approx(1.0)}
    assert res.forward_m["left"][12:19] == pytest.approx([0.9] * 7)    # 200 px · 0.0045 m/px
    assert s["metres_per_px"] == pytest.approx(0.0045) and s["step_length_method"] == "footprints"
    assert s["floor_angle_deg"] == 0.0 and s["floor_angle_source"] == "assumed level"
    assert s["event_source"] == {"left": "ankle", "right": "ankle"} and s["few_strides"] is False
    assert (s["fps"], s["n_frames"], s["mode"], s["walking_direction"]) == (WALK_FPS, WALK_T, "overground", "right")
    assert s["thigh_m"] == {"left": 0.45, "right": 0.45} and s["shank_m"] == {"left": 0.45, "right": 0.45}
    assert res.frames.tolist() == frames.tolist()
    (row,) = s["passes"]
    assert (row["start_frame"], row["end_frame"], row["status"], row["few_strides"]) == (100, 134, "analysed", False)
    assert res.notes == s["notes"] == [
        "low-pass filter skipped: 6.0 Hz is too close to the Nyquist frequency at 10.0 fps",
        "left/right swaps repaired: {'knee': 2, 'ankle': 1}",
        "knees dropped where a thigh or shank was more than 25 % off its usual length (then interpolated over short "
        "gaps): 3 knee points",
        "which leg is LEFT is uncertain: the keypoint labels agreed with the legs followed through their crossings on "
        "only 70 % of frames; each leg is followed consistently, but left and right values may be exchanged",
        "2 stretches of movement not taken as passes: moving left 0.10–0.20 s: too short; moving right 3.00–3.10 s: "
        "too short",
        ANKLE_NOTE,
        NO_CAMERA_NOTE,
        "only 4 strides (wanted ≥ 5): treat the averages with care"]


def _feet_of(kp):
    """Heels 20 px behind (+x: the mirrored walker faces left) and toes 40 px ahead of each ankle, 10 px
    lower (FOOT_POINTS order: left heel, right heel, left toe, right toe), score 1."""
    feet = np.ones((len(kp), 4, 3))
    for i, (side, dx) in enumerate((("left", 20.0), ("right", 20.0), ("left", -40.0), ("right", -40.0))):
        ankle = kp[:, SIDE_JOINTS[side]["ankle"]]
        feet[:, i, 0], feet[:, i, 1] = ankle[:, 0] + dx, ankle[:, 1] + 10.0
    return feet


def test_foot_points_are_cleaned_with_the_ankles_turned_with_the_floor_and_mirrored_with_the_walk(monkeypatch):
    # The walker mirrored about x = 1000 px walks left (its one pass has direction −1, as --direction says:
    # nothing to note); the floor is given as 10°. The foot points' cleaner gets the ankles (x, y of the left then the right ankle) and the
    # options; the event finder gets the foot points in the camera plane (x, −y), turned by −10° like the
    # joints, then x mirrored: (−(x cos 10° + y sin 10°), −x sin 10° + y cos 10°) with y = −pixel y.
    kp = _stick_walker(mirror_about_px=1000.0)
    feet = _feet_of(kp)
    seen = _stand_ins(monkeypatch, passes=[Pass(1, 0, WALK_T - 1, 0.0, 3.4, -1, 4.0, OVERGROUND)])

    def clean_feet(feet_tx4x3, ankles, fps, min_score, max_gap_s, cutoff_hz):
        seen["clean_feet"] = dict(feet=feet_tx4x3, ankles=ankles, fps=fps, min_score=min_score, max_gap_s=max_gap_s,
                                  cutoff_hz=cutoff_hz)
        return feet_tx4x3.copy()
    monkeypatch.setattr(pipeline.clean_mod, "clean_feet", clean_feet)
    opts = GaitOptions(**LENGTHS, floor_angle_deg=10.0, min_score=0.25, max_gap_s=0.3, cutoff_hz=4.0, direction="left")
    res = pipeline.analyze_keypoints(kp, WALK_FPS, opts, feet_tx4x3=feet.astype(int))   # whole pixels, as integers
    got = seen["clean_feet"]
    assert got["feet"].dtype == np.float64
    np.testing.assert_array_equal(got["feet"], feet)
    np.testing.assert_array_equal(got["ankles"], kp[:, [SIDE_JOINTS["left"]["ankle"], SIDE_JOINTS["right"]["ankle"]], :2])
    assert (got["fps"], got["min_score"], got["max_gap_s"], got["cutoff_hz"]) == (WALK_FPS, 0.25, 0.3, 4.0)
    c, s = np.cos(np.radians(10.0)), np.sin(np.radians(10.0))
    x, y = feet[..., 0], -feet[..., 1]
    expected = np.stack([-(c * x + s * y), -s * x + c * y], axis=-1)
    np.testing.assert_allclose(seen["detect"]["feet"], expected, atol=1e-9)
    assert seen["detect"]["direction"] == 1                      # the joints were mirrored already
    assert res.summary["event_source"] == {"left": "heel and toe", "right": "heel and toe"}
    assert res.summary["floor_angle_deg"] == pytest.approx(10.0) and res.summary["floor_angle_source"] == "given"
    assert res.summary["walking_direction"] == "left"
    assert "heel strike from the heel, toe off from the toe (foot points from the keypoints file's foot columns): on " \
           "real walks (motion capture) 90 % of toe offs were found within 0.03 s early and 0.18 s late" in res.notes
    assert res.summary["foot_points_source"] == "the keypoints file's foot columns"
    assert ANKLE_NOTE not in res.notes and not any(n.startswith("heel and toe points were given") for n in res.notes)
    assert not any(n.startswith("--direction") for n in res.notes)


def test_foot_points_found_in_too_few_frames_leave_that_side_to_the_ankle(monkeypatch):
    # The right heel missing in 8 of the 35 frames: seen in 27 / 35 = 77 % < 80 %, so the right side's events
    # come from its ankle; then the left toe in 8 more: both sides.
    kp = _stick_walker()
    feet = _feet_of(kp)
    feet[:8, 1] = np.nan
    _stand_ins(monkeypatch)
    monkeypatch.setattr(pipeline.clean_mod, "clean_feet", lambda f, *args: f.copy())
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS), feet_tx4x3=feet)
    assert res.summary["event_source"] == {"left": "heel and toe", "right": "ankle"}
    assert res.notes[res.notes.index(ANKLE_NOTE) + 1] == ("heel and toe points were given but found in too few frames "
                                                          "for right: its events come from the ankle")
    feet[10:18, 2] = np.nan
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS), feet_tx4x3=feet)
    assert res.summary["event_source"] == {"left": "ankle", "right": "ankle"}
    assert res.notes[res.notes.index(ANKLE_NOTE) + 1] == ("heel and toe points were given but found in too few frames "
                                                          "for left and right: its events come from the ankle")


def test_the_result_carries_the_tracks_events_curves_and_the_comparisons(monkeypatch):
    # A known camera with fx = fy = 2 px: the camera plane is (x / 2, −y / 2), the legs 50 + 50 units long,
    # 0.009 m per unit and 0.009 / 2 = 0.0045 m per pixel. Norms of the hip 3° everywhere against a mean curve
    # of 0°: a deviation of 3°. The curve comparison (stood in for) searches 0.45 of the 1 s cycle: 4 frames.
    from gaitpose.gait import similarity as similarity_mod
    compared = {}

    def similarity(measured, reference, max_lag):
        compared.update(measured=measured, reference=reference, max_lag=max_lag)
        return {"lag_frames": 0}
    monkeypatch.setattr(similarity_mod, "similarity", similarity)
    seen = _stand_ins(monkeypatch, floor=0.0)          # the floor fitted level
    kp = _stick_walker()
    norms = {"n_points": 101, "angles": {"hip_deg": {"mean": [3.0] * 101, "sd": [1.0] * 101, "n_curves": 4}}}
    camera = pipeline.geometry.Camera(fx=2.0, fy=2.0, known=True)
    ref = {"left_knee_deg": [1] * WALK_T, "no_such_angle": [0.0] * WALK_T}
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS, camera=camera, norms=norms,
                                                               reference_angles=ref))
    assert seen["walking_passes"]["leg_length"] == 100.0 and seen["floor_min_span"] == 25.0
    assert res.fps == WALK_FPS and res.norms is norms
    assert (res.summary["floor_angle_deg"], res.summary["floor_angle_source"]) == (0.0, "estimated from the ankles at rest")
    np.testing.assert_array_equal(res.keypoints_tx8x3, kp)
    np.testing.assert_array_equal(res.plane_xy_tx8x2, np.stack([kp[..., 0] / 2, -kp[..., 1] / 2], axis=-1))
    assert res.events == WALK_EVENTS
    assert res.angles["left_knee_deg"].tolist() == [0.0] * WALK_T
    assert res.curves is res.summary["cycle_curves"]
    assert res.curves["left_hip_deg"] == {"mean": [0.0] * 101, "sd": [0.0] * 101, "n": 2}
    assert res.summary["deviation_deg"] == {"left_hip_deg": 3.0, "right_hip_deg": 3.0}
    assert res.summary["metres_per_px"] == pytest.approx(0.0045)
    assert [x.stride_length_m for x in res.strides.strides] == pytest.approx([0.9] * 4)
    assert res.summary["similarity"] == {"left_knee_deg": {"lag_frames": 0}}
    assert compared["max_lag"] == 4 and compared["measured"] is res.angles["left_knee_deg"]
    assert compared["reference"].dtype == float and compared["reference"].tolist() == [1.0] * WALK_T
    assert NO_CAMERA_NOTE not in res.notes
    # at 1 frame/s the cycle is 10 s: 0.45 of it is 4.5 s, and the search stops at 2 s = 2 frames
    pipeline.analyze_keypoints(kp, 1.0, GaitOptions(**LENGTHS, reference_angles=ref))
    assert compared["max_lag"] == 2


def _on_a_belt(kp, px_per_frame=20.0):
    """The walker as a camera beside a treadmill sees it: everything carried back px_per_frame each frame."""
    out = kp.copy()
    out[..., 0] -= px_per_frame * np.arange(len(kp))[:, None]
    return out


def test_a_treadmill_walk_takes_its_steps_from_the_belt_or_from_the_leg_angles(monkeypatch):
    # The walker on a belt carrying it back 20 px a frame = 200 px/s = 0.9 m/s at 0.0045 m/px: with the belt's
    # speed given the footprints move forward with the belt (+0.9 m/s · t), which gives back the walk's own
    # steps (0.45 m) and strides (0.9 m). The floor is not fitted on a treadmill.
    tread = [Pass(1, 0, WALK_T - 1, 0.0, 3.4, 0, 0.0, TREADMILL)]
    seen = _stand_ins(monkeypatch, passes=tread)
    kp = _on_a_belt(_stick_walker())
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS, direction="right", treadmill_speed_m_s=0.9))
    s = res.summary
    assert "floor_min_span" not in seen
    assert (s["floor_angle_deg"], s["floor_angle_source"]) == (
        0.0, "assumed level (treadmill: no footprints to fit; give --floor-angle)")
    assert s["mode"] == "treadmill" and s["step_length_method"] == "footprints on the belt (--treadmill-speed)"
    assert [x.step_length_m for x in res.strides.strides][1:] == pytest.approx([0.45] * 3)
    assert [x.stride_length_m for x in res.strides.strides] == pytest.approx([0.9] * 4)
    assert s["speed_m_s"] == 0.9 and s["passes"][0]["speed_m_s"] == 0.9
    # the left ankle over rows 12–18 at 200 − 20 · row px: (200 − 20 · row) · 0.0045 + 0.9 · row / 10 = 0.9 m
    assert res.forward_m["left"][12:19] == pytest.approx([0.9] * 7)
    assert not any(n.startswith("pass 1 (") for n in res.notes)
    # without the belt's speed: the paper's step length from the leg angles (0 for vertical legs), no stride
    # length or speed; the hips stayed in place, and the facing comes from --direction
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS, direction="right"))
    s = res.summary
    assert s["step_length_method"] == "paper D_sl (treadmill without --treadmill-speed)"
    assert [x.step_length_m for x in res.strides.strides] == [0.0] * 4
    assert np.isnan(s["stride_length_m"]["mean"]) and np.isnan(s["speed_m_s"])
    assert ("pass 1 (0.00–3.40 s): the hips stayed in place in the image (a treadmill, or a camera that follows the "
            "walker, where a turn cannot be seen from the hips); facing from --direction") in res.notes


def test_passes_each_few_or_skipped_are_said_and_only_the_analysed_set_the_direction(monkeypatch):
    # Passes over rows 0–12, 13–29 (both right) and 30–34 (left). Joined with one missing row between them,
    # the rows' events sit one position later in the second pass and two in the third (the event finder's
    # positions below). Pass 1 holds the left stride 2 → 12 (toe off 8), pass 2 the right one 17 → 27 (toe
    # off 23), pass 3 no heel strike. A right heel strike at row 1 pairs with the one at 7 across a missing
    # right ankle (row 5): dropped.
    passes = [Pass(1, 0, 12, 0.0, 1.2, 1, 2.0, OVERGROUND), Pass(2, 13, 29, 1.3, 2.9, 1, 2.0, OVERGROUND),
              Pass(3, 30, 34, 3.0, 3.4, -1, 1.0, OVERGROUND)]
    joined_events = {"left": {"heel_strike": [2.0, 12.0, 23.0], "toe_off": [8.0, 19.0, 29.0]},
                     "right": {"heel_strike": [1.0, 7.0, 18.0, 28.0], "toe_off": [3.0, 14.0, 24.0, 35.0]}}
    _stand_ins(monkeypatch, passes=passes, events=joined_events)
    kp = _stick_walker()
    kp[5, SIDE_JOINTS["right"]["ankle"], :2] = np.nan
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions())
    assert res.events["right"] == {"heel_strike": [1.0, 7.0, 17.0, 27.0], "toe_off": [3.0, 13.0, 23.0, 33.0]}
    assert [(x.side, x.start_frame) for x in res.strides.strides] == [("left", 2.0), ("right", 17.0)]
    s = res.summary
    assert s["walking_direction"] == "right" and s["few_strides"] is True
    assert [(r["status"], r["direction"]) for r in s["passes"]] == [("analysed", "right"), ("analysed", "right"),
                                                                      ("skipped", "left")]
    assert s["step_length_method"] == "none (give --height-m or --thigh-m/--shank-m)" and res.forward_m is None
    assert "metres_per_px" not in s
    assert res.notes == [
        ANKLE_NOTE,
        "no body height or segment lengths: lengths and speed not computed",
        "only 2 strides (wanted ≥ 3): treat the averages with care",
        "dropped right stride at 0.10 s: missing keypoints inside the stride",
        "pass 1 (0.00–1.20 s): few strides (1 left, 0 right)",
        "pass 2 (1.30–2.90 s): few strides (0 left, 1 right)",
        "pass 3 (3.00–3.40 s) skipped: no complete stride (0 heel strikes in 0.4 s)"]


def test_a_stride_over_a_missing_ankle_is_dropped_and_said(monkeypatch):
    # The left ankle missing at row 15, inside the left stride 12 → 22 (the pelvis is still seen there): one
    # left stride is left, under the two a pass should have. The labels agreed on exactly 75 % of frames (not
    # under the 75 % that makes the left/right note); one stretch of movement was not a pass.
    _stand_ins(monkeypatch, report=CleaningReport(ankle_label_agreement=0.75),
               left_out=["moving left 3.10–3.40 s: the hips travelled 0.30 leg lengths (a pass needs 1)"])
    kp = _stick_walker()
    kp[15, SIDE_JOINTS["left"]["ankle"], :2] = np.nan
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS, camera=pipeline.geometry.Camera(known=True)))
    assert [(x.side, x.start_frame) for x in res.strides.strides] == [("left", 2.0), ("right", 7.0), ("right", 17.0)]
    assert res.notes == ["1 stretch of movement not taken as passes: moving left 3.10–3.40 s: the hips travelled "
                         "0.30 leg lengths (a pass needs 1)",
                         ANKLE_NOTE, "dropped left stride at 1.20 s: missing keypoints inside the stride",
                         "pass 1 (0.00–3.40 s): few strides (1 left, 2 right)"]


def test_no_pass_or_one_stride_is_one_line_with_its_hints(monkeypatch):
    # 35 frames × 8 joints all found, 140 of them scored low: 50 % > 30 %
    report = CleaningReport(low_score_points=140)
    _stand_ins(monkeypatch, report=report, passes=[], left_out=["moving left 0.10–0.20 s: too short",
                                                                 "moving right 3.00–3.10 s: too short"])
    with pytest.raises(pipeline.GaitposeError) as err:
        pipeline.analyze_keypoints(_stick_walker(), WALK_FPS, GaitOptions(min_score=0.4))
    assert str(err.value) == (
        "keypoints: fewer than two strides found (0; no walking pass found: moving left 0.10–0.20 s: too short; moving "
        "right 3.00–3.10 s: too short); the walk is too short or the legs were not tracked; 50 % of the detected joints "
        "scored below --min-score 0.4 (a lower --min-score keeps them)")
    # one pass with a single stride (the left one 2 → 12; the right heel strikes have no toe off between)
    one = {"left": {"heel_strike": [2.0, 12.0], "toe_off": [8.0]}, "right": {"heel_strike": [7.0, 17.0], "toe_off": []}}
    _stand_ins(monkeypatch, report=report, events=one)
    with pytest.raises(pipeline.GaitposeError) as err:
        pipeline.analyze_keypoints(_stick_walker(), WALK_FPS, GaitOptions())
    assert str(err.value) == (
        "keypoints: fewer than two strides found (1; passes: 1 at 0.00–3.40 s right); the walk is too short or the legs "
        "were not tracked; 50 % of the detected joints scored below --min-score 0.3 (a lower --min-score keeps them)")


def test_the_body_scale_handed_to_the_cleaner(monkeypatch):
    # The median hip–ankle distance of the raw keypoints: 200 px (the scores, 1 and 0.9, are no coordinate);
    # 0.2 for keypoints in units of 1000 px; 1.0 where there is none: hips and ankles never in the same frame,
    # or at the same point (0).
    seen = _stand_ins(monkeypatch)

    def clean(kp, fps, min_score, max_gap_s, cutoff_hz, body_scale):
        seen["body_scale"], seen["kp_dtype"] = body_scale, kp.dtype
        raise _Stop
    monkeypatch.setattr(pipeline.clean_mod, "clean_keypoints", clean)
    kp = _stick_walker()

    def body_scale(points, fps=WALK_FPS):
        with pytest.raises(_Stop):
            pipeline.analyze_keypoints(points, fps)
        return seen["body_scale"]
    assert body_scale(kp) == 200.0
    scaled = kp.copy()
    scaled[..., :2] /= 1000.0
    assert body_scale(scaled) == pytest.approx(0.2)
    apart = kp.copy()
    hips = [SIDE_JOINTS[s]["hip"] for s in SIDES]
    ankles = [SIDE_JOINTS[s]["ankle"] for s in SIDES]
    apart[:10, hips] = np.nan
    apart[10:, ankles] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)          # numpy: a median of no value
        assert body_scale(apart) == 1.0
    same = kp.copy()
    same[:, ankles, :2] = same[:, hips, :2]
    assert body_scale(same) == 1.0
    # whole pixels as integers are analysed as floats; a frame rate under 1 frame/s is still a frame rate
    assert body_scale(np.round(kp).astype(int), fps=0.5) == 200.0 and seen["kp_dtype"] == np.float64


def test_points_without_a_score_count_as_found(monkeypatch):
    # a tool that gives no score (NaN) for a point it found: every joint is usable
    _stand_ins(monkeypatch)
    kp = _stick_walker()
    kp[..., 2] = np.nan
    res = pipeline.analyze_keypoints(kp, WALK_FPS, GaitOptions(**LENGTHS))
    assert res.summary["n_strides"] == {"left": 2, "right": 2}


def test_side_statistics_of_two_values_and_of_none_without_a_warning():
    # left 1, right 3: population SD of the two 1.0; a side without values is NaN, and numpy is never asked
    # for the mean of nothing (its RuntimeWarning would reach the user's terminal)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = pipeline._side_stat({"left": [1.0], "right": [3.0]})
        assert s == {"left": 1.0, "right": 3.0, "mean": 2.0, "sd": 1.0}
        empty = pipeline._side_stat({"left": [], "right": []})
    assert all(np.isnan(v) for v in empty.values())


def test_a_pass_starts_where_the_whole_body_is_in_view():
    # Hips (and the body over them) moving right 0.1 units a frame at 10 fps: 1 leg length (1 unit) a second,
    # steady from the first frame to the last (39). The ankles are not found in frames 0–4: the pass starts at
    # frame 5 (0.5 s) and travels 3.9 − 0.5 = 3.4 leg lengths.
    n = 40
    xy = np.zeros((n, 8, 2))
    x = 0.1 * np.arange(n)
    for s in SIDES:
        j = SIDE_JOINTS[s]
        for part, y in (("shoulder", 1.5), ("hip", 1.0), ("knee", 0.5), ("ankle", 0.0)):
            xy[:, j[part], 0], xy[:, j[part], 1] = x, y
        xy[:5, j["ankle"]] = np.nan
    (p,) = pipeline.walking_passes(xy, 10.0, 1.0, GaitOptions()).passes
    assert (p.index, p.start_frame, p.end_frame, p.direction, p.mode) == (1, 5, 39, 1, OVERGROUND)
    assert (p.start_s, p.end_s, p.travel_legs) == pytest.approx((0.5, 3.9, 3.4))


def test_a_child_under_a_metre_and_a_segment_never_seen():
    # Winter (2009) ratios for a child of 0.95 m: thigh 0.245 · 0.95 = 0.23275 m, shank 0.246 · 0.95 = 0.2337 m
    thigh, shank = pipeline.segment_lengths(GaitOptions(height_m=0.95))
    assert thigh == {"left": pytest.approx(0.23275), "right": pytest.approx(0.23275)}
    assert shank == {"left": pytest.approx(0.2337), "right": pytest.approx(0.2337)}
    # joints never both found: NaN, without numpy's warning about the median of nothing
    xy = np.array([[[np.nan, np.nan], [1.0, 1.0]], [[0.0, 0.0], [np.nan, np.nan]]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(pipeline._median_length(xy, 0, 1))


def test_a_stride_far_from_the_median_is_dropped_and_said(monkeypatch):
    # The left foot's third heel strike at row 32 instead of 22, its toe off at 28 missing: the left stride
    # 12 → 32 (toe off 18) takes 2.0 s, over 1.5 × the median 1.0 s of the four
    events = {"left": {"heel_strike": [2.0, 12.0, 32.0], "toe_off": [8.0, 18.0]},
              "right": WALK_EVENTS["right"]}
    _stand_ins(monkeypatch, events=events)
    res = pipeline.analyze_keypoints(_stick_walker(), WALK_FPS, GaitOptions(min_strides=1))
    assert [(x.side, x.start_frame) for x in res.strides.strides] == [("left", 2.0), ("right", 7.0), ("right", 17.0)]
    assert "dropped left stride at 1.20 s: stride time 2.00 s far from the median 1.00 s" in res.notes


def test_the_outputs_are_written_by_the_report_writers_into_the_folder_given(monkeypatch, tmp_path):
    # write_gait_outputs hands the result, the folder (a str made a Path) and the session heading the report
    # to gaitpose.report.writers.write_all, which writes every file (tests/report); nothing else is written
    from gaitpose.report import writers
    handed = []
    monkeypatch.setattr(writers, "write_all", lambda result, out_dir, session=None: handed.append((result, out_dir, session)))
    result, session = object(), {"subject": "S1"}
    pipeline.write_gait_outputs(result, str(tmp_path / "out"), session)
    assert handed == [(result, tmp_path / "out", session)] and isinstance(handed[0][1], type(tmp_path))
    assert not (tmp_path / "out").exists()


def test_a_heel_strike_whose_toe_off_is_in_the_next_pass_has_no_footprint(monkeypatch):
    # Pass 1 over rows 0–24 (right), pass 2 over rows 27–34 walking back (left: its x mirrored), no heel strike
    # in it. The left heel strike at row 22 has its next toe off only at row 34, in pass 2. Taken over rows
    # 22–34, its stance would read the walk back: the slowest third of those frames' speeds (rows 23, 33, 34:
    # 0 px a frame) puts the footprint at the mirrored −600 px, and the stride 12 → 22 at (−600 − 200) px ·
    # 0.0045 = −3.6 m, dropped as "not forward" (what a walk there and back showed). Per pass it has no
    # footprint: that stride has no length, and nothing is dropped. The other two strides keep their 0.9 m.
    passes = [Pass(1, 0, 24, 0.0, 2.4, 1, 3.0, OVERGROUND), Pass(2, 27, 34, 2.7, 3.4, -1, 1.5, OVERGROUND)]
    joined_events = {"left": {"heel_strike": [2.0, 12.0, 22.0], "toe_off": [8.0, 18.0, 33.0]},
                     "right": {"heel_strike": [7.0, 17.0], "toe_off": [3.0, 13.0, 23.0]}}
    _stand_ins(monkeypatch, passes=passes, events=joined_events)
    res = pipeline.analyze_keypoints(_stick_walker(), WALK_FPS, GaitOptions(**LENGTHS))
    assert res.events["left"]["toe_off"] == [8.0, 18.0, 34.0]
    lengths = {(x.side, x.start_frame): x.stride_length_m for x in res.strides.strides}
    assert lengths[("left", 2.0)] == pytest.approx(0.9) and lengths[("right", 7.0)] == pytest.approx(0.9)
    assert np.isnan(lengths[("left", 12.0)])
    assert not any(n.startswith("dropped") for n in res.notes)
    assert res.summary["stride_length_m"]["mean"] == pytest.approx(0.9)
