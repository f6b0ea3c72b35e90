import numpy as np
import pytest

from gaitpose.data.letterbox import Letterbox


@pytest.mark.parametrize("w,h,size", [(1768, 994, 512), (994, 1768, 256), (640, 480, 320), (333, 777, 96)])
def test_round_trip_is_exact(w, h, size):
    lb = Letterbox(w, h, size)
    pts = np.random.default_rng(0).uniform([0, 0], [w - 1, h - 1], size=(100, 2))
    back = lb.to_original(lb.to_input(pts))
    assert np.abs(back - pts).max() < 1e-3


def test_landscape_is_padded_top_and_bottom():
    lb = Letterbox(200, 100, 64)
    assert lb.resized_wh == (64, 32)
    assert lb.pad_xy == (0, 16)
    # pixel-centre convention: original (0, 0) centre -> (0.5 * 0.32 - 0.5, 0.5 * 0.32 - 0.5 + 16)
    np.testing.assert_allclose(lb.to_input([[0.0, 0.0]]), [[-0.34, 15.66]])
    img = np.full((100, 200, 3), 255, np.uint8)
    out = lb.apply_image(img)
    assert out.shape == (64, 64, 3)
    assert out[:16].max() == 0 and out[48:].max() == 0 and out[16:48].min() == 255
    assert lb.content_mask().sum() == 64 * 32


def test_points_follow_the_image():
    """A bright pixel in the original lands where to_input maps its centre."""
    img = np.zeros((300, 500), np.float32)
    img[120, 377] = 1.0
    lb = Letterbox(500, 300, 512)                    # upscaling: the dot spreads bilinearly
    out = lb.apply_image(img)
    ys, xs = np.nonzero(out)
    weights = out[ys, xs]
    centroid = np.array([np.sum(xs * weights), np.sum(ys * weights)]) / weights.sum()
    np.testing.assert_allclose(centroid, lb.to_input([[377.0, 120.0]])[0], atol=0.05)


def test_size_must_be_multiple_of_32():
    with pytest.raises(ValueError):
        Letterbox(100, 100, 500)


from hypothesis import given, settings, strategies as st  # noqa: E402


@settings(max_examples=40, deadline=None)
@given(st.integers(1, 4000), st.integers(1, 4000), st.integers(1, 32).map(lambda k: 32 * k), st.data())
def test_round_trip_any_image_and_size(w, h, size, data):
    lb = Letterbox(w, h, size)
    x = data.draw(st.floats(0, w - 1, allow_nan=False)) if w > 1 else 0.0
    y = data.draw(st.floats(0, h - 1, allow_nan=False)) if h > 1 else 0.0
    inside = lb.to_input([[x, y]])[0]
    assert np.all(inside >= -0.5) and np.all(inside <= size - 0.5)     # lands on the padded square
    assert np.abs(lb.to_original([inside])[0] - [x, y]).max() < 1e-3
