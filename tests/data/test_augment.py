"""Augmentation keeps every keypoint on its body part: mirror swaps labels, rotation moves points with pixels."""
import numpy as np
import pytest

from gaitpose.data.augment import AugmentParams, affine_matrix, augment, colour_jitter

NONE = AugmentParams(flip_prob=0.0, rotation_deg=0.0, scale_range=(1.0, 1.0), translate_frac=0.0,
                     occlusion_prob=0.0, brightness=0.0, contrast=0.0, saturation=0.0)


def _apply(m, x, y):
    return m[:, :2] @ np.array([x, y]) + m[:, 2]


def test_affine_matrix_by_hand():
    # 90° about (50, 50) with y down: (60, 50), 10 px right of centre, goes 10 px down.
    np.testing.assert_allclose(_apply(affine_matrix((50, 50), 90, 1.0, (0, 0), False, 100), 60, 50), [50, 60], atol=1e-9)
    # scale 2 doubles the distance; translation adds on.
    np.testing.assert_allclose(_apply(affine_matrix((50, 50), 90, 2.0, (3, -4), False, 100), 60, 50), [53, 66], atol=1e-9)
    # mirror in a 100-px-wide image: pixel 20 ↔ pixel 79.
    np.testing.assert_allclose(_apply(affine_matrix((50, 50), 0, 1.0, (0, 0), True, 100), 20, 40), [79, 40], atol=1e-9)


def _scene(h=100, w=100):
    """Black image with each labelled joint painted as a 3×3 dot of a distinct grey level."""
    kps = np.zeros((8, 3))
    kps[:, 0] = [40, 60, 42, 58, 41, 59, 30, 70]
    kps[:, 1] = [20, 20, 45, 45, 65, 65, 85, 80]
    kps[:, 2] = [2, 2, 2, 2, 2, 2, 2, 1]
    image = np.zeros((h, w, 3), np.uint8)
    for k, (x, y, _) in enumerate(kps):
        image[int(y) - 1:int(y) + 2, int(x) - 1:int(x) + 2] = 30 * (k + 1)
    return image, kps


def test_mirror_swaps_left_and_right_labels():
    image, kps = _scene()
    out = augment(image, kps, np.random.default_rng(0), AugmentParams(**{**NONE.__dict__, "flip_prob": 1.0}))
    # left ankle (idx 6) was right ankle (30·8 grey at x 70, v 1): now at 99 - 70 = 29; and vice versa.
    np.testing.assert_allclose(out.keypoints_8x3[6], [29, 80, 1])
    np.testing.assert_allclose(out.keypoints_8x3[7], [69, 85, 2])
    np.testing.assert_allclose(out.keypoints_8x3[0], [39, 20, 2])     # left shoulder ← right shoulder at x 60
    assert out.image[80, 29, 0] == 240 and out.image[85, 69, 0] == 210  # the pixels moved to the new labels
    assert out.image[20, 39, 0] == 60                                  # grey of the old right shoulder (k = 1)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_rotation_scale_shift_move_keypoints_with_the_image(seed):
    image, kps = _scene()
    params = AugmentParams(**{**NONE.__dict__, "rotation_deg": 10.0, "scale_range": (0.8, 1.2), "translate_frac": 0.1})
    depth = image[:, :, 0].astype(np.float32)
    out = augment(image, kps, np.random.default_rng(seed), params, depth=depth)
    for k in range(8):
        if out.keypoints_8x3[k, 2] == 0:
            continue
        x, y = np.rint(out.keypoints_8x3[k, :2]).astype(int)
        window = out.image[y - 4:y + 5, x - 4:x + 5, 0].astype(float)     # this joint's dot, and only it
        gy, gx = np.mgrid[y - 4:y + 5, x - 4:x + 5]
        centroid = np.array([(gx * window).sum(), (gy * window).sum()]) / window.sum()
        assert np.hypot(*(centroid - out.keypoints_8x3[k, :2])) < 0.3, f"joint {k}: dot not under the keypoint"
        grey = 30 * (k + 1)
        assert abs(window.max() - grey) <= 2, f"joint {k}: the dot under it is another joint's"
        assert out.depth[y, x] == grey                                  # depth moved the same way


def test_keypoint_pushed_out_of_the_image_is_unlabelled():
    image, kps = _scene()
    kps[7] = [98, 80, 2]
    params = AugmentParams(**{**NONE.__dict__, "scale_range": (2.0, 2.0)})
    out = augment(image, kps, np.random.default_rng(0), params)
    # centre of the joint box is (64, 52.5); x 98 → 64 + 2·34 = 132 > 99.5
    np.testing.assert_array_equal(out.keypoints_8x3[7], [0, 0, 0])
    np.testing.assert_allclose(out.keypoints_8x3[4], [64 + 2 * (41 - 64), 52.5 + 2 * (65 - 52.5), 2])


def test_occlusion_marks_covered_joints_occluded_and_masks_depth():
    image, kps = _scene()
    params = AugmentParams(**{**NONE.__dict__, "occlusion_prob": 1.0, "occlusion_max_patches": 3})
    for seed in range(5):
        out = augment(image, kps, np.random.default_rng(seed), params)
        painted = (~out.valid).sum()
        assert painted > 0
        for k, (x, y, v) in enumerate(out.keypoints_8x3):
            under_patch = not out.valid[int(round(y)), int(round(x))]
            assert v == (1 if under_patch or kps[k, 2] == 1 else 2)
        np.testing.assert_allclose(out.keypoints_8x3[:, :2], kps[:, :2])   # occlusion moves nothing


def test_colour_jitter_off_is_identity_and_keeps_range():
    image = np.random.default_rng(0).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    np.testing.assert_array_equal(colour_jitter(image, np.random.default_rng(1), NONE), image)
    out = colour_jitter(image, np.random.default_rng(1), AugmentParams(brightness=0.5, contrast=0.5, saturation=0.5))
    assert out.dtype == np.uint8 and not np.array_equal(out, image)
