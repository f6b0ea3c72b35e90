"""Invariants of the gait maths, tried on many inputs (hypothesis): mirroring and time shifts."""
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaitpose.gait.events import detect_events
from gaitpose.gait.geometry import Camera, joint_angles, segment_angle_deg
from gaitpose.skeleton import SIDES

from test_events import _cosine_swing_walk  # tests/gait is on sys.path (no __init__.py)

FEW = settings(max_examples=25, deadline=None)
coordinate = st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False)
# A segment from its top joint to the one below it (Y up): any lean forward or back, never pointing
# up (the ±180° branch cut of a leg upside down is no walking posture) and never of zero length.
downward = st.tuples(st.floats(-500.0, 500.0), st.floats(-500.0, -1.0))


@FEW
@given(st.lists(st.tuples(coordinate, coordinate, downward), min_size=1, max_size=5), st.sampled_from([1, -1]))
def test_mirroring_the_image_flips_the_angle_sign_unless_the_direction_flips_too(segments, direction):
    seg = np.array([(x, y, dx, dy) for x, y, (dx, dy) in segments])
    top, bottom = seg[:, :2], seg[:, :2] + seg[:, 2:]
    mirror = np.array([-1.0, 1.0])
    angle = segment_angle_deg(top, bottom, direction)
    np.testing.assert_allclose(segment_angle_deg(top * mirror, bottom * mirror, direction), -angle, atol=1e-9)
    np.testing.assert_allclose(segment_angle_deg(top * mirror, bottom * mirror, -direction), angle, atol=1e-9)
    # positive forward: a bottom joint ahead of its top in the walking direction leans forward
    lean = direction * seg[:, 2]
    clear = np.abs(lean) > 1e-6
    assert np.all(np.sign(angle[clear]) == np.sign(lean[clear]))


@FEW
@given(coordinate, coordinate, st.lists(downward, min_size=8, max_size=8))
def test_joint_angles_of_a_mirrored_walker_walking_the_other_way_are_unchanged(x0, y0, segments):
    # shoulders → hips → knees → ankles, each joint below the one above it
    from gaitpose.skeleton import SIDE_JOINTS

    xy = np.zeros((1, 8, 2))
    for i, side in enumerate(SIDES):
        j = SIDE_JOINTS[side]
        xy[0, j["shoulder"]] = (x0, y0)
        xy[0, j["hip"]] = xy[0, j["shoulder"]] + segments[3 * i % 8]
        xy[0, j["knee"]] = xy[0, j["hip"]] + segments[3 * i % 8 + 1]
        xy[0, j["ankle"]] = xy[0, j["knee"]] + segments[3 * i % 8 + 2]
    a, b = joint_angles(xy, +1), joint_angles(xy * [-1.0, 1.0], -1)
    for name in a:
        np.testing.assert_allclose(b[name], a[name], atol=1e-9, err_msg=name)


@FEW
@given(st.integers(0, 99))
def test_events_shift_with_the_recording(shift):
    # The same walk seen from `shift` frames later: every event found away from the ends (30 frames,
    # less than a step) moves by exactly `shift` frames, and none appears or goes missing there. An
    # extremum needs 30 % of the signal's range on either side inside the record; a foot falls back
    # relative to the pelvis for 72 frames before toe off and rises for 28 before heel strike, so 30
    # frames from an end (42 % of the fall) suffice, 20 do not (a toe off 21 frames in shows 29 %).
    full = _cosine_swing_walk(n_frames=500)
    window = 400
    base, _ = detect_events(full[:window], fps=100.0, direction=1)
    later, _ = detect_events(full[shift:shift + window], fps=100.0, direction=1)
    for side in SIDES:
        for kind in ("heel_strike", "toe_off"):
            a = [f for f in base[side][kind] if 30 + shift <= f <= window - 30]
            b = [f + shift for f in later[side][kind] if 30 + shift <= f + shift <= window - 30]
            assert b == pytest.approx(a, abs=1e-6), (side, kind, shift)


@settings(max_examples=4, deadline=None)
@given(st.floats(0.9, 1.6), st.floats(-400.0, 400.0))
def test_step_lengths_do_not_depend_on_the_walking_direction(stride_length_m, axis_shift_px):
    # A walker filmed from its side and the same film mirrored (about a vertical line shifted by
    # axis_shift_px from the image centre, the principal point mirrored with it): the subject now walks the
    # other way across the image; every step and stride length is the same.
    from gaitpose.data.walker import simulate
    from gaitpose.gait.pipeline import GaitOptions, analyze_keypoints
    from gaitpose.gait.validate import SYMMETRIC, observe

    walk = simulate(replace(SYMMETRIC, fps=30.0, stride_length_m=stride_length_m))
    kp, cam = observe(walk, seed=7)
    axis = cam.cx + axis_shift_px
    mirrored = kp.copy()
    mirrored[..., 0] = 2 * axis - kp[..., 0]
    results = []
    for points, cx in ((kp, cam.cx), (mirrored, 2 * axis - cam.cx)):
        res = analyze_keypoints(points, 30.0, GaitOptions(height_m=SYMMETRIC.height_m,
                                                          camera=Camera(cam.fx, cam.fy, cx, cam.cy, known=True)))
        results.append(res)
    a, b = results
    assert a.summary["walking_direction"] != b.summary["walking_direction"]
    steps_a = [(s.side, s.start_frame, s.step_length_m, s.stride_length_m) for s in a.strides.strides]
    steps_b = [(s.side, s.start_frame, s.step_length_m, s.stride_length_m) for s in b.strides.strides]
    assert len(steps_a) == len(steps_b) >= 4
    for x, y in zip(steps_a, steps_b):
        assert x[0] == y[0] and x[1] == pytest.approx(y[1], abs=1e-6)
        np.testing.assert_allclose(x[2:], y[2:], atol=1e-6)
    assert np.nanmean([x[2] for x in steps_a]) == pytest.approx(stride_length_m / 2, abs=0.02)
