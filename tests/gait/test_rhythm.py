"""A rhythm no walk has is flagged, not reported silently (gait/pipeline.py `implausible_rhythm`).

On a real clip whose legs the network lost, the events followed noise and the summary said 224 steps/min
(a 0.54 s gait cycle varying by 28 %) where the teacher's keypoints gave 98."""
from dataclasses import replace

import pytest

from gaitpose.data.walker import simulate
from gaitpose.gait.pipeline import (MAX_STRIDE_TIME_CV, MAX_WALKING_CADENCE_STEPS_PER_MIN, analyze_keypoints,
                                    implausible_rhythm)
from gaitpose.gait.validate import SYMMETRIC, observe


def test_the_thresholds_by_hand():
    assert (MAX_WALKING_CADENCE_STEPS_PER_MIN, MAX_STRIDE_TIME_CV) == (180.0, 0.2)
    assert implausible_rhythm(110.0, 1.09, 0.03) == []
    # the clip above: 224 steps/min, and 0.15 / 0.535 = 28 % variation
    tail = "the legs were most likely not followed, so the timing numbers are not to be trusted: check overlay.mp4"
    assert implausible_rhythm(224.1, 0.535, 0.15) == [
        "implausible rhythm: 224 steps/min is faster than walking (above 180); " + tail,
        "implausible rhythm: the stride time varies by 28 % of its mean (more than 20 %); " + tail]
    assert implausible_rhythm(120.0, 1.0, 0.6) == [
        "implausible rhythm: the stride time varies by 60 % of its mean (more than 20 %); " + tail]
    # the limits themselves are still walking: 180 steps/min, a variation of exactly a fifth
    assert implausible_rhythm(180.0, 1.0, 0.2) == []
    assert len(implausible_rhythm(180.5, 1.0, 0.2)) == 1
    assert len(implausible_rhythm(120.0, 1.0, 0.201)) == 1
    # unknown (no strides): nothing to say
    assert implausible_rhythm(float("nan"), float("nan"), float("nan")) == []
    assert implausible_rhythm(float("nan"), 0.0, 0.0) == []


def test_a_walk_played_twice_as_fast_is_flagged():
    # The same frames declared at 60 instead of 30 frames/s: every time halves, the 1.1 s cycle
    # (109 steps/min) becomes 0.55 s (218 steps/min), a rhythm no walk has.
    walk = simulate(replace(SYMMETRIC, fps=30.0, n_cycles=4))
    kp, _ = observe(walk, seed=3, roll_deg=0.0)
    real = analyze_keypoints(kp, 30.0).summary
    assert real["cadence_steps_per_min"] == pytest.approx(120 / 1.1, rel=0.02)
    assert real["rhythm_plausible"] is True
    assert not any(n.startswith("implausible rhythm") for n in real["notes"])
    fast = analyze_keypoints(kp, 60.0).summary
    assert fast["cadence_steps_per_min"] == pytest.approx(2 * 120 / 1.1, rel=0.02)
    assert fast["rhythm_plausible"] is False
    (note,) = [n for n in fast["notes"] if n.startswith("implausible rhythm")]   # the stride times stay regular
    assert note.startswith(f"implausible rhythm: {fast['cadence_steps_per_min']:.0f} steps/min is faster than walking")
