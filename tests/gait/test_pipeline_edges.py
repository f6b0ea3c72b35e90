"""The gait pipeline's own arithmetic and messages (gait/pipeline.py), worked by hand: segment lengths, the
per-side statistics, pass bookkeeping (directions per frame, events shifted back from the joined passes,
skipped passes), the one-line errors and the notes a user reads. The whole-walk numbers are in test_truth.py."""
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from gaitpose.data.walker import simulate
from gaitpose.errors import GaitposeError
from gaitpose.gait import pipeline
from gaitpose.gait.clean import CleaningReport
from gaitpose.gait.passes import OVERGROUND, TREADMILL, Pass
from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints, segment_lengths
from gaitpose.gait.validate import SYMMETRIC, observe
from gaitpose.skeleton import SIDE_JOINTS


def test_segment_lengths_given_or_from_height():
    assert segment_lengths(GaitOptions()) is None
    # Winter (2009): thigh 0.245, shank 0.246 of the height: 1.8 m → 0.441 and 0.4428 m
    thigh, shank = segment_lengths(GaitOptions(height_m=1.8))
    assert thigh == {"left": pytest.approx(0.441), "right": pytest.approx(0.441)}
    assert shank == {"left": pytest.approx(0.4428), "right": pytest.approx(0.4428)}
    # given lengths win over the height
    thigh, shank = segment_lengths(GaitOptions(height_m=1.8, thigh_m=(0.40, 0.41), shank_m=(0.39, 0.38)))
    assert (thigh, shank) == ({"left": 0.40, "right": 0.41}, {"left": 0.39, "right": 0.38})
    for opts in (GaitOptions(thigh_m=(0.4, 0.4)), GaitOptions(shank_m=(0.4, 0.4))):
        with pytest.raises(GaitposeError, match=r"^--thigh-m and --shank-m must be given together$"):
            segment_lengths(opts)
    for h in (0.0, -1.0):
        with pytest.raises(GaitposeError, match=rf"^--height-m: expected a positive height in metres, got {h}$"):
            segment_lengths(GaitOptions(height_m=h))
    with pytest.raises(GaitposeError, match=r"^--thigh-m: expected positive lengths in metres, got \[0.4, 0.0\]$"):
        segment_lengths(GaitOptions(thigh_m=(0.4, 0.0), shank_m=(0.4, 0.4)))
    with pytest.raises(GaitposeError, match=r"^--shank-m: expected positive lengths in metres, got \[nan, 0.4\]$"):
        segment_lengths(GaitOptions(thigh_m=(0.4, 0.4), shank_m=(float("nan"), 0.4)))


def test_side_statistics_and_median_segment_length():
    # left 1, 3 → 2; right 5 → 5; both 1, 3, 5: mean 3, population SD sqrt(8/3) = 1.633
    s = pipeline._side_stat({"left": [1.0, 3.0], "right": [5.0]})
    assert s == {"left": 2.0, "right": 5.0, "mean": 3.0, "sd": pytest.approx(np.sqrt(8 / 3))}
    one = pipeline._side_stat({"left": [4.0], "right": []})
    assert one["left"] == 4.0 and one["mean"] == 4.0 and np.isnan(one["right"]) and np.isnan(one["sd"])
    none = pipeline._side_stat({"left": [], "right": []})
    assert all(np.isnan(v) for v in none.values())
    # joints 0 and 1 apart by 3-4-5, 6-8-10 and a missing frame: median of 5 and 10 = 7.5
    xy = np.array([[[0.0, 0.0], [3.0, 4.0]], [[0.0, 0.0], [6.0, 8.0]], [[np.nan, np.nan], [1.0, 1.0]]])
    assert pipeline._median_length(xy, 0, 1) == pytest.approx(7.5)
    assert np.isnan(pipeline._median_length(xy[2:], 0, 1))


def _pass(index, a, b, direction, mode=OVERGROUND, fps=10.0):
    return Pass(index, a, b, a / fps, b / fps, direction, 2.0, mode)


def test_each_frame_takes_the_direction_of_its_pass_or_the_nearest():
    # passes over frames 2–4 (right) and 8–9 (left) in 12 frames: frames 0–5 are nearest the first (frame 5
    # is 1 away from it, 3 from the second), 6 is 2 from each (the first wins the tie), 7–11 the second
    d = pipeline._nearest_pass_direction([_pass(1, 2, 4, 1), _pass(2, 8, 9, -1)], [1, -1], 12)
    assert d.tolist() == [1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1]


def test_events_are_found_in_the_passes_joined_and_shifted_back(monkeypatch):
    # passes over rows 2–5 and 10–12: joined as rows 2–5 (positions 0–3), one NaN (4), rows 10–12 (5–7);
    # a position f of the first piece is row f + 2, of the second row f + 5
    xy = np.arange(15 * 8 * 2, dtype=float).reshape(15, 8, 2)
    seen = {}

    def fake_detect(joined, fps, direction, feet):
        seen.update(joined=joined, fps=fps, direction=direction, feet=feet)
        return {"left": {"heel_strike": [1.5, 6.0], "toe_off": [3.0]},
                "right": {"heel_strike": [5.0], "toe_off": [0.0, 7.0]}}, 1.0
    monkeypatch.setattr(pipeline.events_mod, "detect_events", fake_detect)
    ev = pipeline._events_in_passes(xy, [_pass(1, 2, 5, 1), _pass(2, 10, 12, -1)], 10.0)
    assert ev == {"left": {"heel_strike": [3.5, 11.0], "toe_off": [5.0]},
                  "right": {"heel_strike": [10.0], "toe_off": [2.0, 12.0]}}
    j = seen["joined"]
    assert j.shape == (8, 8, 2) and np.isnan(j[4]).all()
    np.testing.assert_array_equal(j[:4], xy[2:6])
    np.testing.assert_array_equal(j[5:], xy[10:13])
    assert (seen["fps"], seen["direction"], seen["feet"]) == (10.0, 1, None)
    # foot points are joined the same way
    feet = np.arange(15 * 4 * 2, dtype=float).reshape(15, 4, 2)
    pipeline._events_in_passes(xy, [_pass(1, 2, 5, 1), _pass(2, 10, 12, -1)], 10.0, feet)
    assert seen["feet"].shape == (8, 4, 2) and np.isnan(seen["feet"][4]).all()
    np.testing.assert_array_equal(seen["feet"][5:], feet[10:13])


def test_events_within_and_the_passes_text():
    ev = {"left": {"heel_strike": [1.0, 2.0, 5.0, 5.5]}, "right": {"toe_off": [2.0, 4.9]}}
    assert pipeline._events_within(ev, 2, 5) == {"left": {"heel_strike": [2.0, 5.0]}, "right": {"toe_off": [2.0, 4.9]}}
    text = pipeline._passes_text([_pass(1, 0, 25, 1), _pass(2, 31, 47, -1), _pass(3, 50, 80, 0, TREADMILL)])
    assert text == "passes: 1 at 0.00–2.50 s right, 2 at 3.10–4.70 s left, 3 at 5.00–8.00 s in place"


def test_too_few_strides_says_why_with_hints():
    # 10 frames × 8 joints; joints found in frames 0–3 only (32 points), 20 of them scored low: 62.5 % > 30 %
    kp = np.full((10, 8, 3), np.nan)
    kp[:4] = 1.0
    err = pipeline._too_few_strides(kp, CleaningReport(low_score_points=20), GaitOptions(min_score=0.35), 1, "passes: x")
    assert str(err) == ("keypoints: fewer than two strides found (1; passes: x); the walk is too short or the legs "
                        "were not tracked; 62 % of the detected joints scored below --min-score 0.35 (a lower "
                        "--min-score keeps them); joints were found in only 4 of 10 frames")
    # found in 5 of 10 frames (half: no hint) and 12 of 40 points low (exactly 30 %: no hint)
    kp[:5] = 1.0
    err = pipeline._too_few_strides(kp, CleaningReport(low_score_points=12), GaitOptions(), 0, "w")
    assert str(err) == ("keypoints: fewer than two strides found (0; w); the walk is too short or the legs were "
                        "not tracked")
    # nothing found at all: no division by zero, and the frames hint
    err = pipeline._too_few_strides(np.full((4, 8, 3), np.nan), CleaningReport(), GaitOptions(), 0, "w")
    assert str(err).endswith("not tracked; joints were found in only 0 of 4 frames")


def test_a_pass_without_a_stride_is_skipped_with_its_heel_strikes_counted():
    frames = np.arange(100) + 7                           # rows 0…99 are video frames 7…106
    p = _pass(2, 20, 45, -1, fps=10.0)
    ev = {"left": {"heel_strike": [19.0, 21.0, 30.0], "toe_off": [25.0]},
          "right": {"heel_strike": [45.0, 46.0], "toe_off": []}}
    strides = SimpleNamespace(strides=[SimpleNamespace(start_frame=10.0), SimpleNamespace(start_frame=46.0)])
    row = pipeline._pass_summary(p, -1, strides, {}, frames, 10.0, GaitOptions(), ev)
    # rows 20–45 are frames 27–52 at 10 fps: 2.7–5.2 s; heel strikes inside: 21, 30 (left), 45 (right) → 3
    assert row == {"pass": 2, "start_frame": 27, "end_frame": 52, "start_s": pytest.approx(2.7),
                   "end_s": pytest.approx(5.2), "direction": "left", "mode": OVERGROUND, "travel_leg_lengths": 2.0,
                   "status": "skipped", "few_strides": True, "reason": "no complete stride (3 heel strikes in 2.5 s)"}


def _stride(side, start, end, **values):
    base = dict(stance_time_s=np.nan, swing_time_s=np.nan, stride_time_s=np.nan, step_length_m=np.nan,
                stride_length_m=np.nan, speed_m_s=np.nan, step_length_paper_m=np.nan, stance_pct=np.nan,
                double_support_s=np.nan)
    return SimpleNamespace(side=side, start_frame=start, end_frame=end, **{**base, **values})


def test_gait_numbers_of_hand_made_strides():
    # left strides of 1.0 and 1.2 s, right one of 1.1 s: cycle mean 1.1 s → 120 / 1.1 = 109.09 steps/min.
    # Stance left 0.6, 0.66 (mean 0.63), right 0.7: ratio 0.63 / 0.7 = 0.9. Speed 1.0, 1.2, NaN → 1.1 overall.
    # Knee angle = frame number: the left stride over frames 2.5–9.5 spans frames 3–9 (range 6), the one over
    # 10–20 frames 10–20 (range 10): mean 8; the right one 20–30 crosses a NaN at 25: no range.
    knee = np.arange(40.0)
    knee[25] = np.nan
    angles = {"left_knee_deg": knee, "right_knee_deg": knee, "left_hip_deg": np.zeros(40), "right_hip_deg": -knee}
    strides = [_stride("left", 2.5, 9.5, stride_time_s=1.0, stance_time_s=0.6, speed_m_s=1.0),
               _stride("left", 10.0, 20.0, stride_time_s=1.2, stance_time_s=0.66, speed_m_s=1.2),
               _stride("right", 20.0, 30.0, stride_time_s=1.1, stance_time_s=0.7)]
    n = pipeline.gait_numbers(angles, strides, GaitOptions(), treadmill=False)
    assert n["n_strides"] == {"left": 2, "right": 1}
    assert n["gait_cycle_s"]["mean"] == pytest.approx(1.1) and n["cadence_steps_per_min"] == pytest.approx(120 / 1.1)
    assert n["stance_time_s"]["left"] == pytest.approx(0.63) and n["stance_time_s"]["right"] == pytest.approx(0.7)
    assert n["symmetry_ratio"]["stance"] == pytest.approx(0.9)
    assert n["speed_m_s"] == pytest.approx(1.1)
    assert n["knee_rom_deg"]["left"] == pytest.approx(8.0) and np.isnan(n["knee_rom_deg"]["right"])
    assert n["hip_rom_deg"]["left"] == 0.0 and np.isnan(n["hip_rom_deg"]["right"])
    # on a treadmill with a belt speed given, the speed is the belt's
    belt = pipeline.gait_numbers(angles, strides, GaitOptions(treadmill_speed_m_s=0.8), treadmill=True)
    assert belt["speed_m_s"] == 0.8
    assert pipeline.gait_numbers(angles, strides, GaitOptions(), treadmill=True)["speed_m_s"] == pytest.approx(1.1)
    none = pipeline.gait_numbers(angles, [], GaitOptions(), treadmill=False)
    assert none["n_strides"] == {"left": 0, "right": 0} and np.isnan(none["cadence_steps_per_min"])


def test_direction_of_a_pass_and_the_notes_it_leaves():
    notes = []
    # travelling right while --direction says left: the travel decides, and the user is told
    assert pipeline._pass_direction(_pass(1, 0, 25, 1), None, 1.0, GaitOptions(direction="left"), notes) == 1
    assert notes == ["--direction left: pass 1 travels right; the hips' travel decides"]
    # in place with --direction: taken, with the note that the hips stayed
    notes.clear()
    assert pipeline._pass_direction(_pass(2, 10, 40, 0, TREADMILL), None, 1.0, GaitOptions(direction="left"), notes) == -1
    assert notes == ["pass 2 (1.00–4.00 s): the hips stayed in place in the image (a treadmill, or a camera that "
                     "follows the walker, where a turn cannot be seen from the hips); facing from --direction"]
    # a treadmill speed given: no note
    notes.clear()
    opts = GaitOptions(direction="right", treadmill_speed_m_s=1.0)
    assert pipeline._pass_direction(_pass(1, 0, 9, 0, TREADMILL), None, 1.0, opts, notes) == 1 and notes == []


def test_a_given_treadmill_speed_is_one_pass_over_the_whole_recording():
    seg = pipeline.walking_passes(np.zeros((31, 8, 2)), 10.0, 1.0, GaitOptions(treadmill_speed_m_s=1.2))
    (p,) = seg.passes
    assert (p.index, p.start_frame, p.end_frame, p.start_s, p.end_s, p.direction, p.travel_legs, p.mode) == \
        (1, 0, 30, 0.0, 3.0, 0, 0.0, TREADMILL)


@pytest.fixture(scope="module")
def walk_kp():
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, cam = observe(walk, seed=3, roll_deg=0.0)
    return kp, cam


def test_bad_input_is_one_line(walk_kp):
    kp, _ = walk_kp
    for fps in (0.0, -30.0, float("nan")):
        with pytest.raises(GaitposeError, match=rf"^fps: expected a positive frame rate, got {fps}$"):
            analyze_keypoints(kp, fps)
    with pytest.raises(GaitposeError, match=r"^keypoints: expected T×8×3, got \(10, 8, 2\)$"):
        analyze_keypoints(np.zeros((10, 8, 2)), 30.0)
    with pytest.raises(GaitposeError, match=r"^keypoints: expected T×8×3, got \(8, 3\)$"):
        analyze_keypoints(np.zeros((8, 3)), 30.0)
    # the right knee found in 2 frames only (a score below --min-score counts as not found)
    few = kp.copy()
    few[:, SIDE_JOINTS["right"]["knee"], 2] = 0.1
    few[:2, SIDE_JOINTS["right"]["knee"], 2] = 0.9
    with pytest.raises(GaitposeError, match=r"^keypoints: no usable right_knee \(fewer than 3 frames found with "
                                            r"score ≥ 0.3\)$"):
        analyze_keypoints(few, 30.0)
    few[2, SIDE_JOINTS["right"]["knee"], 2] = 0.3                      # a third frame, exactly at the threshold
    analyze_keypoints(few, 30.0)
    # shoulders are not needed
    no_shoulders = kp.copy()
    no_shoulders[:, [SIDE_JOINTS["left"]["shoulder"], SIDE_JOINTS["right"]["shoulder"]]] = np.nan
    analyze_keypoints(no_shoulders, 30.0)
    with pytest.raises(GaitposeError, match=r"^--direction: expected auto, left or right, got 'up'$"):
        analyze_keypoints(kp, 30.0, GaitOptions(direction="up"))
    with pytest.raises(GaitposeError, match=rf"^foot points: expected T×4×3 with T = {len(kp)}, got \(5, 4, 3\)$"):
        analyze_keypoints(kp, 30.0, feet_tx4x3=np.zeros((5, 4, 3)))


def test_notes_without_lengths_or_camera_and_with_few_strides(walk_kp):
    kp, cam = walk_kp
    plain = analyze_keypoints(kp, 30.0, GaitOptions(min_strides=50))
    s = plain.summary
    assert "no body height or segment lengths: lengths and speed not computed" in plain.notes
    assert s["step_length_method"] == "none (give --height-m or --thigh-m/--shank-m)" and plain.forward_m is None
    n = sum(s["n_strides"].values())
    assert f"only {n} strides (wanted ≥ 50): treat the averages with care" in plain.notes
    assert "height_m" not in s and "thigh_m" not in s and "metres_per_px" not in s
    assert s["event_source"] == {"left": "ankle", "right": "ankle"} and s["mode"] == "overground"
    assert s["walking_direction"] == "right" and s["fps"] == 30.0 and s["n_frames"] == len(kp)
    assert any(x.startswith("toe off comes from the ankle alone") for x in plain.notes)
    # with a height but no camera: step lengths, and the note that the principal point is unknown
    sized = analyze_keypoints(kp, 30.0, GaitOptions(height_m=1.75, min_strides=1))
    assert "no --camera: principal point unknown, step lengths assume the camera axis is at the image origin" in sized.notes
    assert not any(x.startswith("only ") for x in sized.notes)
    assert sized.summary["height_m"] == 1.75 and sized.summary["step_length_method"] == "footprints"
    assert sized.summary["thigh_m"] == {"left": pytest.approx(0.42875), "right": pytest.approx(0.42875)}
    # metres per pixel: (thigh + shank) / (the leg in camera-plane units, fx = 1) over fx = 1100 → about
    # 4.5 m / 1100 px = 0.0041 m/px for a camera 4.5 m away
    known = analyze_keypoints(kp, 30.0, GaitOptions(height_m=1.75, camera=pipeline.geometry.Camera(
        cam.fx, cam.fy, cam.cx, cam.cy, known=True)))
    assert known.summary["metres_per_px"] == pytest.approx(4.5 / 1100, rel=0.05)
    assert not any(x.startswith("no --camera") for x in known.notes)


def test_resampled_by_time_stamps_says_so(walk_kp):
    kp, _ = walk_kp
    times = np.arange(len(kp)) / 30.0
    res = pipeline.analyze_by_time_stamps(kp, None, times, 30.0, GaitOptions())
    assert res.notes[0] == ("variable frame rate: the tracks were resampled by the frames' time stamps to 30.00 "
                            "frames/s (their median interval); every time comes from the time stamps, and the rows "
                            "of the outputs are the resampled instants")
    assert res.frames.tolist() == list(range(len(kp)))
