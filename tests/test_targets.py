import math

import numpy as np
import pytest

from gaitpose import decode_keypoints, encode_targets
from gaitpose.skeleton import flip_permutation
from gaitpose.targets import flip_targets


def _kps(points_hm, vis=2):
    """Keypoints from heatmap-pixel coordinates (input = 4 × heatmap)."""
    pts = np.asarray(points_hm, dtype=float) * 4
    return np.column_stack([pts, np.full(len(pts), vis, dtype=float)])


SPREAD = [(10, 10), (30, 10), (10, 40), (30, 40), (10, 70), (30, 70), (10, 100), (30, 100)]


def test_encode_decode_round_trip_subpixel_anywhere():
    rng = np.random.default_rng(1)
    for size in (512, 256, 96):
        for _ in range(20):
            kps = np.column_stack([rng.uniform(0, size - 1e-3, size=(8, 2)), np.full(8, 2.0)])
            t = encode_targets(kps, input_size=size)
            kp = decode_keypoints(t["heatmap"], t["offset"])
            assert kp.shape == (8, 3)
            assert np.abs(kp[:, :2] - kps[:, :2]).max() < 0.05


def test_heatmap_peak_is_one_at_the_joint():
    t = encode_targets(_kps(SPREAD), input_size=512)
    assert t["heatmap"].shape == (8, 128, 128)
    assert t["heatmap"][0, 10, 10] == 1.0                     # row y, column x
    # one heatmap pixel away: exp(-1/36)
    assert t["heatmap"][0, 10, 11] == pytest.approx(math.exp(-1 / 36), rel=1e-6)


def test_positive_set_counted_by_hand():
    # H > 0.6 <=> d^2 < 36 ln(1/0.6) = 18.39 (the d^2 <= 36 bound is looser with sigma = 6).
    # Integer centre: lattice points with dx^2 + dy^2 <= 18: columns dx = 0, ±1: 9 each; ±2, ±3: 7; ±4: 3 -> 61
    t = encode_targets(_kps(SPREAD), input_size=512)
    assert t["offset_mask"][0].sum() == 61 and t["offset_mask"][1].sum() == 61
    # centre (10.5, 40): dx = ±0.5, ±1.5 -> 9 rows each; ±2.5 -> 7; ±3.5 -> 5; ±4.5 -> none: 60
    pts = list(SPREAD)
    pts[2] = (10.5, 40)
    t = encode_targets(_kps(pts), input_size=512)
    assert t["offset_mask"][4].sum() == 60
    # offsets on positives: O = p/4 - pixel; at pixel (x=10, y=40) the x offset is +0.5, y offset 0
    assert t["offset"][4, 40, 10] == pytest.approx(0.5) and t["offset"][5, 40, 10] == 0.0
    assert t["offset"][4, 40, 13] == pytest.approx(-2.5)
    # outside positives the offset target is zero
    assert t["offset"][4, 40, 20] == 0.0


def test_positive_set_respects_d_th():
    # a wide sigma makes H > 0.6 reach far; d_th = 36 (radius 6) then limits the set: 113 lattice points
    t = encode_targets(_kps(SPREAD), input_size=512, sigma=20.0)
    assert t["offset_mask"][0].sum() == 113


def test_jgs_membership_by_hand():
    # bone 4 is LH(2) -> LK(4): LH at heatmap (20, 20), LK at (20, 50): a vertical bone of length 30
    pts = [(60, 10), (80, 10), (20, 20), (70, 20), (20, 50), (70, 50), (20, 80), (70, 80)]
    jgs = encode_targets(_kps(pts), input_size=512)["jgs"][4]           # [y, x]
    assert jgs[20, 20] == 1 and jgs[50, 20] == 1                          # both ends
    assert jgs[19, 20] == 0 and jgs[51, 20] == 0                          # just past the ends
    assert jgs[35, 28] == 1 and jgs[35, 12] == 1                          # at the half-width 8
    assert jgs[35, 29] == 0 and jgs[35, 11] == 0                          # beyond it
    assert jgs.sum() == 31 * 17                                           # 31 rows × 17 columns
    # a diagonal bone: LK(20,50) -> LA(20,80) is vertical too; take RH-RK (70,20)->(70,50) moved diagonally
    pts[5] = (100, 50)                                                    # RK: bone 6 RH(70,20)->RK(100,50)
    jgs6 = encode_targets(_kps(pts), input_size=512)["jgs"][6]
    assert jgs6[35, 85] == 1                                              # midpoint
    # perpendicular distance of (x=85+6, y=35-6) from the line is 6*sqrt(2)=8.49 > 8: outside
    assert jgs6[29, 91] == 0
    assert jgs6[30, 90] == 1                                              # 5*sqrt(2) = 7.07 <= 8


def test_unlabelled_joint_gives_empty_masked_targets():
    kps = _kps(SPREAD)
    kps[4, 2] = 0                                                         # left knee unlabelled
    t = encode_targets(kps, input_size=512)
    assert t["heatmap"][4].max() == 0 and t["offset_mask"][8:10].sum() == 0
    assert t["joint_mask"].tolist() == [1, 1, 1, 1, 0, 1, 1, 1]
    # bones LH-LK (4) and LK-LA (5) lose an end
    assert t["bone_mask"].tolist() == [1, 1, 1, 1, 0, 0, 1, 1]
    assert t["jgs"][4].max() == 0 and t["jgs"][5].max() == 0
    kps[:, 2] = 1                                                         # occluded but labelled: full targets
    assert encode_targets(kps, input_size=512)["joint_mask"].min() == 1


def test_mirroring_swaps_channels():
    size = 512
    kps = _kps(SPREAD)
    kps[:, :2] += 0.7
    mirrored = kps[flip_permutation()].copy()
    mirrored[:, 0] = size - 4 - mirrored[:, 0]                           # mirror of the heatmap grid
    a = flip_targets(encode_targets(kps, input_size=size))
    b = encode_targets(mirrored, input_size=size)
    for key in ("heatmap", "offset", "offset_mask", "jgs", "joint_mask", "bone_mask"):
        np.testing.assert_allclose(a[key], b[key], atol=1e-6, err_msg=key)
    # left shoulder channel of the mirrored sample peaks where the right shoulder was mirrored to
    assert np.unravel_index(b["heatmap"][0].argmax(), (128, 128)) == (10, 127 - 30)


def test_relative_depth_over_valid_pixels():
    depth = np.zeros((64, 64), np.float32)
    depth[10:20, 10:20] = 2000.0
    depth[30:40, 30:40] = 3000.0
    depth[50, 50] = 2500.0
    t = encode_targets(_kps(np.array(SPREAD) / 4), input_size=64, depth=depth)
    assert t["depth"].shape == (1, 64, 64)
    assert t["depth"][0, 15, 15] == 0.0 and t["depth"][0, 35, 35] == 1.0 and t["depth"][0, 50, 50] == 0.5
    assert t["depth_mask"].sum() == 201 and t["depth_mask"][0, 0, 0] == 0


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(st.sampled_from([64, 96, 256, 512]), st.data())
def test_encode_decode_round_trip_property(size, data):
    # Any labelled joints on the input image come back from their own targets within 0.05 px, and an
    # unlabelled one produces an empty heatmap and no positive pixels.
    pts = np.array(data.draw(st.lists(st.tuples(st.floats(0, size - 0.01), st.floats(0, size - 0.01)),
                                      min_size=8, max_size=8)))
    hidden = data.draw(st.integers(0, 7))
    kps = np.column_stack([pts, np.full(8, 2.0)])
    kps[hidden, 2] = 0
    t = encode_targets(kps, input_size=size)
    kp = decode_keypoints(t["heatmap"], t["offset"])
    shown = np.arange(8) != hidden
    assert np.abs(kp[shown, :2] - pts[shown]).max() < 0.05
    assert t["heatmap"][hidden].max() == 0 and t["offset_mask"][2 * hidden:2 * hidden + 2].sum() == 0
    assert t["joint_mask"].tolist() == shown.astype(float).tolist()
