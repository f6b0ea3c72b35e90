"""The validation harness (gait/validate.py) itself: its cases, its error measures and its printed tables,
on inputs worked by hand (the whole-walk analyses it runs are tested in test_truth.py / test_mocap.py; here
`evaluate` and `evaluate_mocap` are replaced by hand-made results so the tables can be read off)."""
import warnings
from types import SimpleNamespace

import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.gait import validate
from gaitpose.gait.validate import (EDGE_S, MOCAP_COLUMNS, THRESHOLDS, Case, default_cases,
                                    departure_from_circle_px, film, match_events, observe_pass,
                                    signed_event_errors_ms, zeni_events)
from gaitpose.data.camera import PinholeCamera
from gaitpose.skeleton import FOOT_POINTS, JOINTS, SIDE_JOINTS


def test_the_48_cases_cover_every_rate_walker_facing_and_mode_with_their_own_seeds():
    cases = default_cases()
    assert len(cases) == 48                                       # 3 rates × 4 walkers × 2 facings × 2 modes
    assert [c.seed for c in cases] == list(range(1, 49))
    first, second, third, last = cases[0], cases[1], cases[2], cases[-1]
    assert (first.name, second.name, third.name) == ("sym 30fps R over", "sym 30fps R tread", "sym 30fps L over")
    assert last.name == "fast0.8s 120fps L tread"
    assert cases[8].name == "exo3s 30fps R over" and cases[16].name == "sym 60fps R over"
    p = first.params
    assert (p.fps, p.facing, p.treadmill, p.right_phase, p.start_x_m) == (30.0, 1, False, 0.5, 0.0)
    assert (p.height_m, p.cycle_s, p.stride_length_m) == (1.75, 1.1, 1.4)      # SYMMETRIC
    q = last.params
    assert (q.fps, q.facing, q.treadmill, q.cycle_s, q.height_m) == (120.0, -1, True, 0.8, 1.80)   # FAST
    assert cases[4].params.stance_fraction == (0.68, 0.58) and cases[4].name == "asym 30fps R over"


def test_departure_from_the_circle_about_the_toe():
    # |point − pivot| = 5, 5, 10 px: it leaves the first row's circle by 5 px at most
    point = np.array([[3.0, 4.0], [0.0, 5.0], [6.0, 8.0]])
    assert departure_from_circle_px(point, np.zeros((3, 2))) == pytest.approx(5.0)
    # a pivot that moves with the point (the belt): radius 5 throughout, no departure
    assert departure_from_circle_px(point, np.array([[0.0, 0.0], [0.0, 0.0], [3.0, 4.0]])) == pytest.approx(0.0)
    # inside the circle counts as much as outside: radii 5, 2 → 3 px
    assert departure_from_circle_px(np.array([[3.0, 4.0], [0.0, 2.0]]), np.zeros((2, 2))) == pytest.approx(3.0)


def test_signed_event_errors_count_the_events_inside_the_recording_and_inf_for_none_found():
    # 3 s at 100 fps (last time 3.0 s): true events from 0.25 s to 2.75 s count, both ends included.
    walk = SimpleNamespace(time_s=np.arange(301) / 100.0,
                           events=[("left", "heel_strike", 0.2), ("right", "heel_strike", 0.25),
                                   ("left", "heel_strike", 1.0), ("left", "toe_off", 1.5),
                                   ("right", "toe_off", 2.75), ("right", "heel_strike", 2.8)])
    found = {"left": {"heel_strike": [52.0, 103.0], "toe_off": []},
             "right": {"heel_strike": [20.0, 290.0], "toe_off": [269.0, 280.0]}}
    out = signed_event_errors_ms(walk, found, fps=100.0)
    # right 0.25 s → 0.20 (−50 ms); left 1.0 → 1.03 (+30); left toe off: none found (+inf); right 2.75 →
    # 2.80 (+50; 2.69 is 60 ms away)
    assert [k for k, _ in out] == ["heel_strike", "heel_strike", "toe_off", "toe_off"]
    errs = [e for _, e in out]
    assert errs[0] == pytest.approx(-50.0) and errs[1] == pytest.approx(30.0) and errs[3] == pytest.approx(50.0)
    assert errs[2] == np.inf


def test_match_events_at_the_window_and_the_edges():
    # 4 fps (frame f is f / 4 s: exact binary fractions), 5 s: events count from 0.25 to 4.75 s inclusive.
    true = [("left", "heel_strike", 1.0), ("left", "heel_strike", 2.0), ("right", "toe_off", 0.2),
            ("right", "toe_off", 3.0), ("right", "heel_strike", 0.25), ("right", "heel_strike", 4.75),
            ("right", "heel_strike", 4.9)]
    found = {"left": {"heel_strike": [5.0, 19.0], "toe_off": [19.6]},
             "right": {"heel_strike": [], "toe_off": [1.0, 0.0, 13.0]}}
    m = match_events(true, found, fps=4.0, duration_s=5.0, window_s=0.25)
    # left 1.0 → 1.25: exactly the window, matched (+0.25); left 2.0 → nearest 1.25 is 0.75 away: missed;
    # right 0.2 s is before 0.25 s: not counted; right 3.0 → 3.25 (+0.25). Extra: the left 4.75 s (at the
    # edge, nobody's nearest) and the right 0.25 s; the right 0.0 s and the left toe off at 4.9 s are outside
    # and not counted. Right heel strikes: none found, so those at 0.25 and 4.75 s (the edges) are missed, the
    # one at 4.9 s is outside.
    assert m["heel_strike"] == [0.25] and m["toe_off"] == [0.25]
    assert m["missed"] == 3 and m["extra"] == 2


def test_zeni_events_are_the_forward_and_backward_extremes_of_ankle_minus_pelvis():
    # 80 frames at 10 fps; hips at x = 0, left ankle x = cos(2π t / 20), right ankle −cos: the left is
    # furthest forward at frames 20, 40, 60 (0 is the recording's first frame, never a peak) and furthest
    # back at 10, 30, 50, 70; the right the other way round. Facing left (−1) swaps forward and back.
    t = np.arange(80.0)
    xy = np.zeros((80, 8, 2))
    xy[:, SIDE_JOINTS["left"]["ankle"], 0] = np.cos(2 * np.pi * t / 20)
    xy[:, SIDE_JOINTS["right"]["ankle"], 0] = -np.cos(2 * np.pi * t / 20)
    ev = zeni_events(xy, 10.0, 1, 2.0)
    np.testing.assert_allclose(ev["left"]["heel_strike"], [20, 40, 60], atol=1e-9)
    np.testing.assert_allclose(ev["left"]["toe_off"], [10, 30, 50, 70], atol=1e-9)
    np.testing.assert_allclose(ev["right"]["heel_strike"], [10, 30, 50, 70], atol=1e-9)
    np.testing.assert_allclose(ev["right"]["toe_off"], [20, 40, 60], atol=1e-9)
    back = zeni_events(xy, 10.0, -1, 2.0)
    np.testing.assert_allclose(back["left"]["heel_strike"], [10, 30, 50, 70], atol=1e-9)
    np.testing.assert_allclose(back["left"]["toe_off"], [20, 40, 60], atol=1e-9)


def test_film_is_the_projection_with_score_one():
    # Camera 4.5 m in front of (0, 0, 0.9) along −y, fx = fy = 1100, level: the target lands on the
    # principal point; 0.45 m forward (+x) is 1100 · 0.45 / 4.5 = 110 px right, 0.45 m up 110 px up.
    cam = PinholeCamera.look_at(1100, 1100, 959.5, 539.5, np.array([0.0, -4.5, 0.9]), np.array([0.0, 0.0, 0.9]))
    world = np.array([[[0.0, 0.0, 0.9], [0.45, 0.0, 0.9], [0.0, 0.0, 1.35]]])
    kp = film(cam, world, np.random.default_rng(0), 0.0)
    np.testing.assert_allclose(kp, [[[959.5, 539.5, 1.0], [1069.5, 539.5, 1.0], [959.5, 429.5, 1.0]]], atol=1e-9)
    # with noise: the same draws as rng.normal(0, 2, (1, 3, 2)) added to the pixels
    noisy = film(cam, world, np.random.default_rng(3), 2.0)
    np.testing.assert_allclose(noisy[..., :2] - kp[..., :2], np.random.default_rng(3).normal(0, 2.0, (1, 3, 2)),
                               atol=1e-9)


def test_observe_films_the_walker_from_4_5_m_at_the_middle_of_its_path():
    from dataclasses import replace

    from gaitpose.data.walker import simulate
    walk = simulate(replace(validate.SYMMETRIC, fps=30.0, n_cycles=2, start_x_m=1.0))   # the path from x = 1 m
    kp, feet, cam = validate.observe_with_feet(walk, seed=3, noise_px=0.0, drop=0.0, roll_deg=0.0)
    assert (cam.fx, cam.fy, cam.cx, cam.cy) == (1100, 1100, 959.5, 539.5)
    # the camera looks at the middle of the pelvis' path, 0.9 m up, from 4.5 m to the side: that point lands
    # on the principal point, 0.45 m further along 110 px to the right
    pel = walk.points["pelvis"]
    centre = np.array([(pel[:, 0].min() + pel[:, 0].max()) / 2, 0.0, 0.9])
    px, depth = cam.project(np.stack([centre, centre + [0.45, 0.0, 0.0]]))
    np.testing.assert_allclose(px, [[959.5, 539.5], [1069.5, 539.5]], atol=1e-6)
    np.testing.assert_allclose(depth, [4.5, 4.5], atol=1e-9)
    assert np.isfinite(kp).all() and np.isfinite(feet).all()
    # rolled 2° about the optical axis: the centre stays, the point 110 px along turns by 2°
    _, _, rolled = validate.observe_with_feet(walk, seed=3, noise_px=0.0, drop=0.0, roll_deg=2.0)
    px, _ = rolled.project(np.stack([centre, centre + [0.45, 0.0, 0.0]]))
    np.testing.assert_allclose(px[0], [959.5, 539.5], atol=1e-6)
    assert abs(px[1, 1] - 539.5) == pytest.approx(110 * np.sin(np.radians(2.0)), abs=1e-6)
    # the joints are observe's (same seed, same draws), the default roll is 2°, the default noise 1.5 px
    same, _ = validate.observe(walk, seed=3, noise_px=0.0, drop=0.0, roll_deg=0.0)
    np.testing.assert_array_equal(same, kp)
    np.testing.assert_array_equal(validate.observe(walk, 3)[0], validate.observe(walk, 3, roll_deg=2.0)[0])
    np.testing.assert_array_equal(validate.observe_with_feet(walk, 3)[1],
                                  validate.observe_with_feet(walk, 3, roll_deg=2.0, noise_px=1.5)[1])
    # half the joints dropped at random: about half (each frame's joint on its own, not all or none)
    dropped = np.isnan(validate.observe_with_feet(walk, 3, drop=0.5)[0][..., 0]).mean()
    assert 0.4 < dropped < 0.6


def _still_pass(offsets_m: dict[str, tuple[float, float, float]]) -> SimpleNamespace:
    """A two-frame 'pass' whose hips are at x 0 and 2 m (frames 0, 1), y 1, z 0.9, every other point
    at (1, 1, 0.9) + its offset: the camera then looks at (1, 1, 0.9) from (1, −3.5, 0.9)."""
    pts = {}
    for name in list(JOINTS) + list(FOOT_POINTS):
        if name.endswith("hip"):
            pts[name] = np.array([[0.0, 1.0, 0.9], [2.0, 1.0, 0.9]])
        else:
            pts[name] = np.tile(np.array([1.0, 1.0, 0.9]) + np.array(offsets_m.get(name, (0.0, 0.0, 0.0))), (2, 1))
    return SimpleNamespace(points=pts, keypoints_tx8x3=lambda: np.stack([pts[j] for j in JOINTS], axis=1))


def test_observe_pass_films_joints_and_feet_and_drops_points_outside_the_image():
    # 4.5 m to the camera: 0.45 m is 110 px. Left knee 0.45 m forward → x 1069.5; left toe 0.45 m down →
    # y 649.5; right ankle 9 m forward → 2200 px right of the centre, off the 1920 px image: missing;
    # the hips at x 0 and 2 m: 1 m either side of the centre, ±244.4 px.
    walk = _still_pass({"left_knee": (0.45, 0.0, 0.0), "left_toe": (0.0, 0.0, -0.45), "right_ankle": (9.0, 0.0, 0.0)})
    kp, feet, cam = observe_pass(walk, seed=0, noise_px=0.0, roll_deg=0.0)
    assert kp.shape == (2, 8, 3) and feet.shape == (2, 4, 3)
    assert (cam.fx, cam.fy, cam.cx, cam.cy) == (1100, 1100, 959.5, 539.5)
    k = {j: JOINTS.index(j) for j in JOINTS}
    np.testing.assert_allclose(kp[:, k["left_knee"]], [[1069.5, 539.5, 1.0]] * 2, atol=1e-9)
    np.testing.assert_allclose(kp[:, k["left_ankle"]], [[959.5, 539.5, 1.0]] * 2, atol=1e-9)
    assert np.isnan(kp[:, k["right_ankle"]]).all()
    np.testing.assert_allclose(kp[:, k["left_hip"], 0], [959.5 - 1100 / 4.5, 959.5 + 1100 / 4.5], atol=1e-9)
    np.testing.assert_allclose(feet[:, FOOT_POINTS.index("left_toe")], [[959.5, 649.5, 1.0]] * 2, atol=1e-9)
    np.testing.assert_allclose(feet[:, FOOT_POINTS.index("right_heel")], [[959.5, 539.5, 1.0]] * 2, atol=1e-9)
    # the image is 0…1919 × 0…1079 px: points 0.4 px inside each edge stay, 0.4 px outside go
    def at(u: float, v: float) -> tuple[float, float, float]:
        return ((u - 959.5) * 4.5 / 1100, 0.0, -(v - 539.5) * 4.5 / 1100)
    edges = _still_pass({"left_knee": at(1918.6, 1078.6), "right_shoulder": at(0.4, 0.4),
                         "right_knee": at(1919.4, 539.5), "left_ankle": at(959.5, 1079.4),
                         "left_shoulder": at(-0.4, 539.5), "left_heel": at(959.5, -0.4)})
    kp2, feet2, _ = observe_pass(edges, seed=0, noise_px=0.0, roll_deg=0.0)
    # the default roll is 2°, and the same seed gives the same noise
    np.testing.assert_array_equal(observe_pass(walk, seed=1)[0], observe_pass(walk, seed=1, roll_deg=2.0)[0])
    # rolled 2°: the left knee, 110 px along, 110 sin 2° px off the centre line
    rolled, _, _ = observe_pass(walk, seed=0, noise_px=0.0, roll_deg=2.0)
    assert abs(rolled[0, k["left_knee"], 1] - 539.5) == pytest.approx(110 * np.sin(np.radians(2.0)), abs=1e-6)
    np.testing.assert_allclose(kp2[0, k["left_knee"], :2], [1918.6, 1078.6], atol=1e-6)
    np.testing.assert_allclose(kp2[0, k["right_shoulder"], :2], [0.4, 0.4], atol=1e-6)
    for j in ("right_knee", "left_ankle", "left_shoulder"):
        assert np.isnan(kp2[:, k[j]]).all(), j
    assert np.isnan(feet2[:, FOOT_POINTS.index("left_heel")]).all()
    assert np.isfinite(feet2[:, FOOT_POINTS.index("right_heel")]).all()


def test_mocap_cases_need_bvh_files(tmp_path, monkeypatch):
    with pytest.raises(GaitposeError, match="no .bvh files"):
        validate.mocap_cases(str(tmp_path))
    for name in ("b.bvh", "a.bvh", "notes.txt"):
        (tmp_path / name).write_text("")
    seen = []

    def fake_read_walk(path):
        seen.append(path.name)
        return ([f"{path.stem}-pass"], "" if path.stem == "a" else "no straight pass")
    monkeypatch.setattr(validate, "read_walk", fake_read_walk)
    passes, skipped = validate.mocap_cases(str(tmp_path))
    assert seen == ["a.bvh", "b.bvh"]                              # sorted by name, .bvh only
    assert passes == ["a-pass", "b-pass"] and skipped == ["b: no straight pass"]


# --- the printed tables ------------------------------------------------------------------------------------

def _case_result(values: list[float], n_strides: float, visibility: float, hs: tuple[float, float],
                 to: tuple[float, float]) -> dict[str, float]:
    r = dict(zip(THRESHOLDS, values))
    r.update(n_strides=n_strides, toe_off_visibility_sd=visibility, heel_strike_min_ms=hs[0],
             heel_strike_max_ms=hs[1], toe_off_min_ms=to[0], toe_off_max_ms=to[1])
    return r


def test_main_prints_each_case_the_worst_and_the_signed_ranges_by_walker(monkeypatch, capsys):
    # THRESHOLDS order: angle 2°, cycle 2 %, cadence 2 %, step 3 cm, stance 60 ms, swing 60 ms, D_ps 0.05, events 150 ms
    assert list(THRESHOLDS.values()) == [2.0, 2.0, 2.0, 3.0, 60.0, 60.0, 0.05, 150.0]
    results = {
        "sym 30fps R over": _case_result([1.5, 0.5, 0.5, 2.0, 30, 40, 0.01, 100], 8, 4.3, (-20, 10), (-60, 30)),
        # angle 2.5 > 2, step NaN (no step: not within), stance 61 > 60 fail; D_ps 0.05 and events 150 at
        # their thresholds pass
        "sym 60fps L tread": _case_result([2.5, 1.0, 1.0, np.nan, 61, 10, 0.05, 150], 6, 2.5, (-30, 5), (-40, 80)),
        "asym 30fps R over": _case_result([1.0, 2.0, 0.1, 1.0, 20, 20, 0.0, 50], 5, 3.0, (-5, 15), (-100, -10)),
        "sym 30fps R tread": _case_result([0.1] * 6 + [0.01, 0.1], 7, 5.0, (-1, 1), (-2, 2)),
    }
    monkeypatch.setattr(validate, "default_cases", lambda: [Case(n, None) for n in results])
    monkeypatch.setattr(validate, "evaluate", lambda case: results[case.name])
    assert validate.main() == 1
    lines = [ln.split() for ln in capsys.readouterr().out.splitlines()]
    assert lines[0] == ["case", "angle_rmse_deg", "cycle_pct", "cadence_pct", "step_cm", "stance_ms", "swing_ms",
                        "dps", "event_ms", "n_strides", "toe_off_visibi"]
    assert lines[1] == ["sym", "30fps", "R", "over", "1.500", "0.500", "0.500", "2.000", "30.000", "40.000",
                        "0.010", "100.000", "8.000", "4.300"]
    assert lines[2] == ["sym", "60fps", "L", "tread", "2.500", "1.000", "1.000", "nan", "61.000", "10.000", "0.050",
                        "150.000", "6.000", "2.500", "FAIL", "angle_rmse_deg,step_cm,stance_ms"]
    assert lines[3] == ["asym", "30fps", "R", "over", "1.000", "2.000", "0.100", "1.000", "20.000", "20.000",
                        "0.000", "50.000", "5.000", "3.000"]
    assert lines[4][4:] == ["0.100"] * 6 + ["0.010", "0.100", "7.000", "5.000"]
    # worst: the largest of each column, inf once a case has none (the step)
    assert lines[5] == ["worst", "2.500", "2.000", "1.000", "inf", "61.000", "40.000", "0.050", "150.000"]
    assert lines[6] == ["threshold", "2.000", "2.000", "2.000", "3.000", "60.000", "60.000", "0.050", "150.000"]
    assert lines[7] == "1 of 4 cases outside a threshold".split()
    assert lines[8] == "signed event errors (detected - true), ms, by walker:".split()
    # sym: heel strike min(−20, −30, −1) … max(10, 5, 1), toe off min(−60, −40, −2) … max(30, 80, 2)
    assert lines[9] == ["sym", "heel", "strike", "-30", "..", "+10", "toe", "off", "-60", "..", "+80"]
    assert lines[10] == ["asym", "heel", "strike", "-5", "..", "+15", "toe", "off", "-100", "..", "-10"]
    assert lines[11][:3] == ["toe", "off", "visibility:"] and "150 ms" in " ".join(lines[11])
    # by walker and rate, the least: sym 30fps min(4.3, 5.0)
    assert lines[12:] == [["sym", "30fps", "4.3"], ["sym", "60fps", "2.5"], ["asym", "30fps", "3.0"]]


def test_main_returns_0_when_every_case_is_within(monkeypatch, capsys):
    r = _case_result([t for t in THRESHOLDS.values()], 4, 3.0, (0, 0), (0, 0))       # every value at its threshold
    monkeypatch.setattr(validate, "default_cases", lambda: [Case("fast0.8s 120fps L tread", None)])
    monkeypatch.setattr(validate, "evaluate", lambda case: r)
    assert validate.main() == 0
    out = capsys.readouterr().out
    assert "FAIL" not in out and "0 of 1 cases outside a threshold" in out


class _FakeWalk:
    def __init__(self, name: str, fps: float):
        self.name, self.fps = name, fps

    def subsample(self, step: int) -> "_FakeWalk":
        return _FakeWalk(self.name, self.fps / step)


_A = dict(zip(MOCAP_COLUMNS, [1.0, 1.5, 10.0, 40.0, 12.0, 38.0, 4.0, 9.0, 1.0, 0.0, 0.0, 2.0, 20.0, 30.0, 8.0, 9.0,
                              0.5, 1.0]), event_ms=20.0, zeni_event_ms=25.0, failed=0.0)
_B = dict(zip(MOCAP_COLUMNS, [3.0, 2.5, 30.0, 80.0, 14.0, 42.0, 6.0, 41.0, 2.0, 1.0, 0.0, np.nan, 60.0, 50.0, 12.0,
                              11.0, 1.5, np.nan]), event_ms=30.0, zeni_event_ms=22.0, failed=0.0)


def test_mocap_main_prints_each_pass_the_medians_totals_and_targets(monkeypatch, capsys):
    passes = [_FakeWalk("06_01-1", 120.0), _FakeWalk("16_16-2", 120.0), _FakeWalk("39_02-3", 120.0)]
    monkeypatch.setattr(validate, "mocap_cases", lambda d: (passes, ["35_03: no straight pass", "55_04: too short"])
                        if d == "walks" else pytest.fail("not the folder given"))
    calls = []

    def fake_evaluate(walk, seed):
        calls.append((walk.name, walk.fps, seed))
        if (walk.name, walk.fps) in (("16_16-2", 30.0), ("39_02-3", 60.0)):
            return {"failed": 1.0, "error": "too few strides" if walk.fps == 30.0 else "no pass"}, {}
        if walk.name == "06_01-1":
            return dict(_A), {"heel_strike": [0.1, 0.3], "toe_off": []}
        if walk.name == "39_02-3":
            return {**_A, "zeni_event_ms": 20.0}, {}            # the same median event error as Zeni's: not worse
        return dict(_B), {"heel_strike": [0.2]}
    monkeypatch.setattr(validate, "evaluate_mocap", fake_evaluate)
    assert validate.mocap_main("walks") == 0
    # each pass at 30 fps (every 4th of 120 frames/s) and 60 fps (every 2nd), seeds 1000 + its index
    assert calls == [("06_01-1", 30.0, 1000), ("16_16-2", 30.0, 1001), ("39_02-3", 30.0, 1002),
                     ("06_01-1", 60.0, 1000), ("16_16-2", 60.0, 1001), ("39_02-3", 60.0, 1002)]
    out = capsys.readouterr().out
    lines = [ln.split() for ln in out.splitlines() if ln.strip()]
    assert out.splitlines()[0] == "3 straight passes from walks; left out: 35_03: no straight pass; 55_04: too short"
    header = ["pass", "hip_rmse_de", "knee_rmse_d", "hs_ms", "to_ms", "zeni_hs_ms", "zeni_to_ms", "feet_hs_ms",
              "feet_to_ms", "missed", "extra", "zeni_missed", "zeni_extra", "stance_ms", "swing_ms", "feet_stance",
              "feet_swing_", "cycle_pct", "step_cm"]
    a_values = ["1.0", "1.5", "10.0", "40.0", "12.0", "38.0", "4.0", "9.0", "1.0", "0.0", "0.0", "2.0", "20.0",
                "30.0", "8.0", "9.0", "0.5", "1.0"]
    # 30 fps: the second pass stopped, the third (after it) is still read; medians of two equal rows
    assert lines[1] == "=== 30 fps (side camera 4.5 m, 1.5 px noise) ===".split()
    assert lines[2] == header
    assert lines[3] == ["06_01-1"] + a_values
    assert lines[4] == "16_16-2 analysis stopped: too few strides".split()
    assert lines[5] == ["39_02-3"] + a_values
    assert lines[6] == ["median"] + a_values
    assert lines[7] == ["total", "2", "0", "0", "4"]               # missed, extra, zeni_missed, zeni_extra
    assert lines[8] == "analysis stopped on 1 of 3 passes: 16_16-2 (too few strides)".split()
    assert lines[9] == "passes where the pipeline's median event error is worse than Zeni's: 0 ()".split()
    assert lines[10][:3] == ["every", "matched", "event,"]
    # heel strikes 100 and 300 ms: median 200, 5th percentile 100 + 0.05 · 200 = 110, 95th 100 + 0.95 · 200 = 290
    assert lines[11] == ["heel_strike", "+200.0", "+110.0", "…", "+290.0", "(n", "=", "2)"]
    # 60 fps: the first two passes; medians of two, NaN left out (zeni_extra, step_cm: the first pass' values)
    assert lines[12] == "=== 60 fps (side camera 4.5 m, 1.5 px noise) ===".split()
    assert lines[14] == ["06_01-1"] + a_values
    assert lines[15] == ["16_16-2", "3.0", "2.5", "30.0", "80.0", "14.0", "42.0", "6.0", "41.0", "2.0", "1.0", "0.0",
                         "nan", "60.0", "50.0", "12.0", "11.0", "1.5", "nan"]
    assert lines[16] == "39_02-3 analysis stopped: no pass".split()
    assert lines[17] == ["median", "2.0", "2.0", "20.0", "60.0", "13.0", "40.0", "5.0", "25.0", "1.5", "0.5", "0.0",
                         "2.0", "40.0", "40.0", "10.0", "10.0", "1.0", "1.0"]
    assert lines[18] == ["total", "3", "1", "0", "2"]
    assert lines[19] == "analysis stopped on 1 of 3 passes: 39_02-3 (no pass)".split()
    # the second pass' median event error 30 ms is above Zeni's 22 ms (the first: 20 < 25)
    assert lines[20] == "passes where the pipeline's median event error is worse than Zeni's: 1 (16_16-2)".split()
    # heel strikes 100, 300, 200 ms: median 200, 5th percentile 100 + 0.1 · 100 = 110, 95th 200 + 0.9 · 100 = 290
    assert lines[22] == ["heel_strike", "+200.0", "+110.0", "…", "+290.0", "(n", "=", "3)"]
    # targets on the 60 fps medians: at the limit is met
    assert lines[23:] == [["target", "heel_strike_ms", "median", "20.0", "≤", "17.0", "NOT", "MET"],
                          ["target", "toe_off_ms", "median", "60.0", "≤", "50.0", "NOT", "MET"],
                          ["target", "stance_ms", "median", "40.0", "≤", "40.0", "ok"],
                          ["target", "swing_ms", "median", "40.0", "≤", "40.0", "ok"],
                          ["target", "hip_rmse_deg", "median", "2.0", "≤", "2.0", "ok"],
                          ["target", "knee_rmse_deg", "median", "2.0", "≤", "2.0", "ok"],
                          ["target", "step_cm", "median", "1.0", "≤", "3.0", "ok"],
                          ["target", "feet_heel_strike_ms", "median", "5.0", "≤", "17.0", "ok"],
                          ["target", "feet_toe_off_ms", "median", "25.0", "≤", "33.0", "ok"]]
    assert EDGE_S == 0.25


def test_mocap_main_says_none_left_out(monkeypatch, capsys):
    monkeypatch.setattr(validate, "mocap_cases", lambda d: ([_FakeWalk("a", 60.0)], []))
    monkeypatch.setattr(validate, "evaluate_mocap", lambda walk, seed: (dict(_A), {}))
    validate.mocap_main("w")
    assert capsys.readouterr().out.splitlines()[0] == "1 straight passes from w; left out: none"


# --- evaluate and evaluate_mocap on hand-made analyses ---------------------------------------------------
# The walker, the camera and the analysis are replaced by small hand-made stand-ins (the real ones are run in
# test_truth.py and test_mocap.py), so every error evaluate / evaluate_mocap report can be worked out here.

def _angles(offsets: dict[str, list[float]], n: int) -> dict[str, np.ndarray]:
    names = ("left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg")
    return {k: np.resize(np.asarray(offsets.get(k, [0.0]), float), n) for k in names}


def _fake_analysis(monkeypatch, results: list, calls: list):
    def fake(kp, fps, options, feet_tx4x3=None, **kw):
        calls.append((kp, fps, options, feet_tx4x3))
        r = results[len(calls) - 1]
        if isinstance(r, Exception):
            raise r
        return r
    monkeypatch.setattr(validate, "analyze_keypoints", fake)


def _cam():
    return SimpleNamespace(fx=1100.0, fy=1090.0, cx=960.0, cy=540.0)


def test_evaluate_reports_each_error_against_the_walkers_truth(monkeypatch):
    # 10 fps, cycle 1.2 s (cadence 100 steps/min), 31 frames (the last at 3.0 s)
    params = SimpleNamespace(fps=10.0, treadmill=False, height_m=1.7, cycle_s=1.2)
    walk = SimpleNamespace(
        angles_deg=_angles({"left_hip_deg": [10.0], "right_hip_deg": [20.0], "left_knee_deg": [30.0],
                            "right_knee_deg": [40.0]}, 31), time_s=np.arange(31) / 10.0, belt_speed_m_s=0.9,
        stance_time_s={"left": 0.72, "right": 0.72}, swing_time_s={"left": 0.48, "right": 0.48},
        steps=[("left", 0.5, 0.95), ("left", 1.1, 0.68), ("left", 2.1, 0.72), ("right", 1.5, 0.60),
               ("right", 1.8, 0.69)],
        events=[("left", "heel_strike", 1.0), ("left", "toe_off", 1.6), ("right", "heel_strike", 0.1),
                ("right", "toe_off", 2.0)])
    kp = np.zeros((31, 8, 3))
    seen = {}
    monkeypatch.setattr(validate, "simulate", lambda p: walk if p is params else pytest.fail("not the case's walker"))

    def fake_observe(w, seed, roll_deg):
        assert w is walk
        seen.update(seed=seed, roll=roll_deg)
        return kp, _cam()
    monkeypatch.setattr(validate, "observe", fake_observe)

    def fake_visibility(w, cam, cleaned):
        assert w is walk and cam.fy == 1090.0
        seen["cleaned_shape"] = cleaned.shape
        return [3.5, 2.5]
    monkeypatch.setattr(validate, "toe_off_visibility_sd", fake_visibility)
    res = SimpleNamespace(
        # hip errors: left 1 (a NaN frame left out), right ±2 → RMSE 2; knee: right 3 on 1 of 31 frames
        angles={k: walk.angles_deg[k] + v for k, v in _angles(
            {"left_hip_deg": [1.0] * 30 + [np.nan], "right_hip_deg": [2.0, -2.0], "right_knee_deg": [3.0] + [0.0] * 30},
            31).items()},
        summary={"gait_cycle_s": {"mean": 1.26}, "cadence_steps_per_min": 96.0,
                 "stance_time_s": {"left": 0.75, "right": 0.70}, "swing_time_s": {"left": 0.45, "right": 0.53},
                 "phase_symmetry_index": 0.9},
        strides=SimpleNamespace(strides=[SimpleNamespace(side="left", start_frame=10.0, step_length_m=0.70),
                                         SimpleNamespace(side="right", start_frame=16.0, step_length_m=0.66),
                                         SimpleNamespace(side="left", start_frame=22.0, step_length_m=np.nan)]),
        events={"left": {"heel_strike": [10.3], "toe_off": [15.5]}, "right": {"heel_strike": [], "toe_off": []}},
        keypoints_tx8x3=np.zeros((31, 8, 3)))
    calls = []
    _fake_analysis(monkeypatch, [res], calls)
    out = validate.evaluate(Case("x", params, seed=7))
    assert seen == {"seed": 7, "roll": 2.0, "cleaned_shape": (31, 8, 2)}      # overground: the rolled camera
    (k, fps, opts, feet), = calls
    assert k is kp and fps == 10.0 and feet is None
    assert (opts.height_m, opts.treadmill_speed_m_s) == (1.7, None)
    assert opts.camera == validate.Camera(1100.0, 1090.0, 960.0, 540.0, known=True)
    assert set(out) == set(THRESHOLDS) | {"n_strides", "toe_off_visibility_sd", "heel_strike_min_ms",
                                          "heel_strike_max_ms", "toe_off_min_ms", "toe_off_max_ms"}
    assert out["angle_rmse_deg"] == pytest.approx(2.0)
    assert out["cycle_pct"] == pytest.approx(5.0)                # |1.26 − 1.2| / 1.2
    assert out["cadence_pct"] == pytest.approx(4.0)              # |96 − 100| / 100
    assert out["stance_ms"] == pytest.approx(30.0)               # left 0.75 vs 0.72
    assert out["swing_ms"] == pytest.approx(50.0)                # right 0.53 vs 0.48
    # true D_ps: sqrt(1.2 / 1.2) · (0.62 · 1 + 0.38 · 1) = 1
    assert out["dps"] == pytest.approx(0.1)
    # steps: left at 1.0 s → the nearest true left step, 1.1 s (0.68; not the first, 0.5 s): 2 cm; right at
    # 1.6 s → 1.5 s (0.60): 6 cm
    assert out["step_cm"] == pytest.approx(6.0)
    assert out["n_strides"] == 3.0
    # events: left heel strike +30 ms, left toe off −50 ms, right toe off none found (inf); the right heel
    # strike at 0.1 s is before 0.25 s
    assert out["event_ms"] == np.inf
    assert (out["heel_strike_min_ms"], out["heel_strike_max_ms"]) == (pytest.approx(30.0), pytest.approx(30.0))
    assert (out["toe_off_min_ms"], out["toe_off_max_ms"]) == (pytest.approx(-50.0), pytest.approx(-50.0))
    assert out["toe_off_visibility_sd"] == 2.5


def test_evaluate_on_a_treadmill_and_without_steps_or_events(monkeypatch):
    params = SimpleNamespace(fps=10.0, treadmill=True, height_m=1.7, cycle_s=1.2)
    walk = SimpleNamespace(angles_deg=_angles({}, 11), time_s=np.arange(11) / 10.0, belt_speed_m_s=0.9,
                           stance_time_s={"left": 0.72, "right": 0.72}, swing_time_s={"left": 0.48, "right": 0.48},
                           steps=[], events=[("left", "heel_strike", 0.1)])
    seen = {}
    monkeypatch.setattr(validate, "simulate", lambda p: walk)
    monkeypatch.setattr(validate, "observe", lambda w, seed, roll_deg: (seen.update(roll=roll_deg) or np.zeros((11, 8, 3)),
                                                                         _cam()))
    monkeypatch.setattr(validate, "toe_off_visibility_sd", lambda w, cam, cleaned: [])
    res = SimpleNamespace(angles=_angles({}, 11),
                          summary={"gait_cycle_s": {"mean": 1.2}, "cadence_steps_per_min": 100.0,
                                   "stance_time_s": {"left": 0.72, "right": 0.72},
                                   "swing_time_s": {"left": 0.48, "right": 0.48}, "phase_symmetry_index": 1.0},
                          strides=SimpleNamespace(strides=[SimpleNamespace(side="left", start_frame=2.0,
                                                                           step_length_m=0.7)]),
                          events={"left": {"heel_strike": [1.0]}, "right": {}}, keypoints_tx8x3=np.zeros((11, 8, 3)))
    calls = []
    _fake_analysis(monkeypatch, [res], calls)
    out = validate.evaluate(Case("t", params))
    assert seen["roll"] == 0.0 and calls[0][2].treadmill_speed_m_s == 0.9    # level camera, the belt's speed
    assert (out["cycle_pct"], out["cadence_pct"], out["stance_ms"], out["swing_ms"], out["angle_rmse_deg"]) == (0, 0, 0, 0, 0)
    assert out["dps"] == pytest.approx(0.0)
    for key in ("step_cm", "event_ms", "toe_off_visibility_sd", "heel_strike_min_ms", "heel_strike_max_ms",
                "toe_off_min_ms", "toe_off_max_ms"):
        assert np.isnan(out[key]), key


def _mocap_walk(cycle_s=1.2):
    return SimpleNamespace(
        fps=10.0, time_s=np.arange(40) / 10.0, thigh_m=(0.42, 0.43), shank_m=(0.41, 0.4),
        angles_deg=_angles({"left_hip_deg": [10.0], "right_hip_deg": [20.0], "left_knee_deg": [30.0],
                            "right_knee_deg": [40.0]}, 40),
        events=[("left", "heel_strike", 1.0), ("left", "toe_off", 1.6), ("right", "heel_strike", 1.6),
                ("right", "toe_off", 2.2)],
        steps=[("left", 0.5, 0.95), ("left", 1.1, 0.68), ("right", 1.6, 0.66), ("left", 2.2, 0.70)],
        stance_time_s={"left": np.nan, "right": 0.72}, swing_time_s={"left": 0.48, "right": 0.48}, cycle_s=cycle_s)


def _mocap_result(events, stance, swing, passes=None, cycle=1.26):
    summary = {"gait_cycle_s": {"mean": cycle}, "stance_time_s": stance, "swing_time_s": swing}
    if passes is not None:
        summary["passes"] = passes
    truth = _mocap_walk().angles_deg
    return SimpleNamespace(
        angles={k: truth[k] + v for k, v in _angles({"left_hip_deg": [1.0], "right_hip_deg": [2.0, -2.0],
                                                     "left_knee_deg": [3.0]}, 40).items()},
        summary=summary, events=events, plane_xy_tx8x2=np.zeros((40, 8, 2)),
        strides=SimpleNamespace(strides=[SimpleNamespace(side="left", start_frame=10.0, step_length_m=0.70),
                                         SimpleNamespace(side="right", start_frame=16.0, step_length_m=0.70),
                                         SimpleNamespace(side="left", start_frame=30.0, step_length_m=0.5),
                                         SimpleNamespace(side="right", start_frame=20.0, step_length_m=np.nan)]))


def test_evaluate_mocap_compares_the_pipeline_with_and_without_feet_and_zeni(monkeypatch):
    walk = _mocap_walk()
    kp, feet = np.zeros((40, 8, 3)), np.ones((40, 4, 3))
    monkeypatch.setattr(validate, "observe_pass", lambda w, seed: (kp, feet, _cam()) if (w, seed) == (walk, 4)
                        else pytest.fail("not this pass"))
    res = _mocap_result({"left": {"heel_strike": [10.2], "toe_off": [15.5]},
                         "right": {"heel_strike": [16.4, 30.0], "toe_off": [27.5]}},
                        {"left": 0.75, "right": 0.70}, {"left": 0.40, "right": np.nan},
                        passes=[{"start_frame": 5, "end_frame": 30}])
    res_feet = _mocap_result({"left": {"heel_strike": [10.1], "toe_off": [16.1]},
                              "right": {"heel_strike": [16.0], "toe_off": [22.0, 39.0]}},
                             {"left": 0.73, "right": 0.71}, {"left": 0.47, "right": 0.47})
    calls, zeni_calls = [], []
    _fake_analysis(monkeypatch, [res, res_feet], calls)

    def fake_zeni(xy, fps, direction, cycle_s):
        zeni_calls.append((xy, fps, direction, cycle_s))
        return {"left": {"heel_strike": [9.0, 35.0], "toe_off": [5.0, 17.0]},
                "right": {"heel_strike": [16.0, 30.0], "toe_off": [23.0]}}
    monkeypatch.setattr(validate, "zeni_events", fake_zeni)
    out, signed = validate.evaluate_mocap(walk, seed=4)
    assert [c[3] is feet for c in calls] == [False, True] and calls[0][3] is None
    assert all(c[0] is kp and c[1] == 10.0 and c[2] is calls[0][2] for c in calls)
    opts = calls[0][2]
    assert (opts.thigh_m, opts.shank_m) == ((0.42, 0.43), (0.41, 0.4))
    assert opts.camera == validate.Camera(1100.0, 1090.0, 960.0, 540.0, known=True)
    (xy, fps, direction, cycle), = zeni_calls
    assert xy is res.plane_xy_tx8x2 and (fps, direction, cycle) == (10.0, 1, 1.26)
    assert out["failed"] == 0.0
    assert out["hip_rmse_deg"] == pytest.approx(2.0) and out["knee_rmse_deg"] == pytest.approx(3.0)
    # window 0.5 · 1.2 = 0.6 s. Pipeline: heel strikes +0.02, +0.04 s (3.0 s is nobody's nearest: extra); toe
    # offs −0.05 s and +0.55 s (within 0.6 s: matched). |errors| 20, 40, 50, 550 ms: median 45.
    assert (out["heel_strike_ms"], out["heel_strike_signed_ms"]) == (pytest.approx(30.0), pytest.approx(30.0))
    assert (out["toe_off_ms"], out["toe_off_signed_ms"]) == (pytest.approx(300.0), pytest.approx(250.0))
    assert (out["missed"], out["extra"], out["event_ms"]) == (0.0, 1.0, pytest.approx(45.0))
    assert signed["heel_strike"] == pytest.approx([0.02, 0.04]) and signed["toe_off"] == pytest.approx([-0.05, 0.55])
    # with feet: heel strikes +0.01, 0.0; toe offs +0.01, 0.0 s → medians 5 ms, nothing missed, and the toe
    # off at 3.9 s is past 4.0 − 0.25 s: not extra
    assert (out["feet_heel_strike_ms"], out["feet_toe_off_ms"], out["feet_event_ms"]) == (
        pytest.approx(5.0), pytest.approx(5.0), pytest.approx(5.0))
    assert (out["feet_missed"], out["feet_extra"]) == (0.0, 0.0)
    # Zeni inside the pass (frames 5–30, both ends included; 35 is left out): heel strikes −0.1, 0.0 s; toe offs
    # +0.1, +0.1 s; the left toe off at frame 5 and the right heel strike at frame 30 are nobody's nearest: extra
    assert (out["zeni_heel_strike_ms"], out["zeni_heel_strike_signed_ms"]) == (pytest.approx(50.0), pytest.approx(-50.0))
    assert (out["zeni_toe_off_ms"], out["zeni_toe_off_signed_ms"]) == (pytest.approx(100.0), pytest.approx(100.0))
    assert (out["zeni_missed"], out["zeni_extra"], out["zeni_event_ms"]) == (0.0, 2.0, pytest.approx(100.0))
    assert signed["zeni_toe_off"] == pytest.approx([0.1, 0.1])
    # stance and swing where both the truth and the measure exist: stance right only (0.70 and 0.71 vs 0.72),
    # swing left only (0.40 vs 0.48; with feet 0.47 both sides)
    assert out["stance_ms"] == pytest.approx(20.0) and out["swing_ms"] == pytest.approx(80.0)
    assert out["feet_stance_ms"] == pytest.approx(10.0) and out["feet_swing_ms"] == pytest.approx(10.0)
    assert out["cycle_pct"] == pytest.approx(5.0)
    # steps within 0.6 s of a true one of their side, the nearest: 0.70 vs 0.68 (1.1 s, not 0.5 s), 0.70 vs 0.66;
    # the one at 3.0 s has none
    assert out["step_cm"] == pytest.approx(3.0)


def test_evaluate_mocap_without_a_cycle_passes_or_events_and_when_the_analysis_stops(monkeypatch):
    walk = _mocap_walk(cycle_s=float("nan"))
    monkeypatch.setattr(validate, "observe_pass", lambda w, seed: (np.zeros((40, 8, 3)), None, _cam()))
    empty = {"left": {"heel_strike": [], "toe_off": []}, "right": {"heel_strike": [], "toe_off": []}}
    res = _mocap_result(empty, {"left": np.nan, "right": np.nan}, {"left": np.nan, "right": np.nan}, cycle=np.nan)
    calls = []
    _fake_analysis(monkeypatch, [res, res, res, res], calls)
    monkeypatch.setattr(validate, "zeni_events", lambda *a: pytest.fail("no Zeni without a cycle"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")                           # no numpy warning for the empty medians
        out, signed = validate.evaluate_mocap(walk, seed=4)
    # no cycle: Zeni finds nothing; the window is 0.5 s; every true event missed
    assert (out["missed"], out["zeni_missed"], out["feet_missed"]) == (4.0, 4.0, 4.0)
    for key in ("heel_strike_ms", "toe_off_signed_ms", "zeni_event_ms", "stance_ms", "swing_ms", "cycle_pct"):
        assert np.isnan(out[key]), key
    assert signed["heel_strike"] == [] and signed["zeni_toe_off"] == []
    # steps within 0.5 s: 0.70 vs 0.68 (left at 1.0 s) and 0.70 vs 0.66 (right at 1.6 s): median 3 cm
    assert out["step_cm"] == pytest.approx(3.0)
    walk.steps = [("right", 3.9, 0.7)]                           # no step near any stride
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(validate.evaluate_mocap(walk, seed=4)[0]["step_cm"])
    # the analysis stops: the error, and nothing else
    calls.clear()
    _fake_analysis(monkeypatch, [GaitposeError("keypoints: fewer than two strides found")], calls)
    assert validate.evaluate_mocap(walk, seed=4) == ({"failed": 1.0, "error": "keypoints: fewer than two strides found"}, {})


def test_toe_off_visibility_in_sds_of_the_ankle_noise():
    # Camera 4.5 m in front of the plane y = 0 (fx 1100): 1 m there is s = 1100 / 4.5 px. The left toe stays
    # at the origin; the left ankle 0.1 m above it, then 0.12 and 0.15 m in the two frames after the toe off
    # at 1.0 s (frame 10; 0.15 s at 10 fps is 2 frames): it leaves the circle by 0.05 m = 0.05 s px. The
    # cleaned ankles are the true ones ±2 px in x on alternate frames: SD over x and y of the error
    # sqrt((30 · 4 + 30 · 0) / 60) = sqrt(2) px. The right ankle stays on its circle: 0.
    s = 1100 / 4.5
    cam = PinholeCamera.look_at(1100, 1100, 959.5, 539.5, np.array([0.0, -4.5, 0.9]), np.array([0.0, 0.0, 0.9]))
    n = 30
    ankle = np.tile([0.05, 0.0, 0.1], (n, 1))
    ankle[11, 2], ankle[12, 2] = 0.12, 0.15
    points = {"left_ankle": ankle, "left_toe": np.zeros((n, 3)), "right_ankle": np.tile([0.3, 0.0, 0.1], (n, 1)),
              "right_toe": np.tile([0.3, 0.0, 0.0], (n, 1))}
    events = [("left", "toe_off", 0.2),        # before 0.25 s: not counted
              ("left", "heel_strike", 1.5),    # not a toe off
              ("left", "toe_off", 1.0), ("right", "toe_off", 0.25), ("right", "toe_off", 1.5),
              ("left", "toe_off", 2.8)]        # frame 28 + 2 is past the last frame (29): not counted
    walk = SimpleNamespace(params=SimpleNamespace(fps=10.0, facing=1, treadmill=False), belt_speed_m_s=0.5,
                           points=points, events=events, time_s=np.arange(n) / 10.0)
    cleaned = np.zeros((n, 8, 2))
    noise = np.where(np.arange(n) % 2 == 0, 2.0, -2.0)
    for side in ("left", "right"):
        px, _ = cam.project(points[f"{side}_ankle"])
        cleaned[:, SIDE_JOINTS[side]["ankle"]] = px + np.stack([noise, np.zeros(n)], axis=1)
    cleaned[20:22] = np.nan                 # two frames not found (one +2, one −2): left out of the SD
    out = validate.toe_off_visibility_sd(walk, cam, cleaned)
    # the ankle 0.05 m ahead of the toe: radius hypot(0.05, 0.1), then hypot(0.05, 0.12), hypot(0.05, 0.15)
    left = (np.hypot(0.05, 0.15) - np.hypot(0.05, 0.1)) * s / np.sqrt(2)
    assert out == [pytest.approx(left), pytest.approx(0.0, abs=1e-9), pytest.approx(0.0, abs=1e-9)]
    # on a treadmill the toe travels back (−x, the walker faces +x) with the belt, 0.5 m/s: 0.05 m a frame, so
    # the ankle is 0.05, 0.10, 0.15 m ahead of it: radii hypot(0.05, 0.1), hypot(0.1, 0.12), hypot(0.15, 0.15)
    walk.params.treadmill = True
    belt = (np.hypot(0.15, 0.15) - np.hypot(0.05, 0.1)) * s / np.sqrt(2)
    assert validate.toe_off_visibility_sd(walk, cam, cleaned)[0] == pytest.approx(belt)
    # a wider window (0.3 s: 3 frames) reaches frame 13, back at 0.1 m
    walk.params.treadmill = False
    wide = validate.toe_off_visibility_sd(walk, cam, cleaned, window_s=0.3)
    assert wide[0] == pytest.approx(left)
