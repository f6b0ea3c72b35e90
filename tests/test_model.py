import cv2
import numpy as np
import pytest
import torch

import gaitpose
from gaitpose import decode_keypoints, encode_targets
from gaitpose.model import KEYPOINT_HEADS
from gaitpose.train.loss import multitask_loss


def _params(model):
    return sum(p.numel() for p in model.parameters())


@pytest.mark.parametrize("name", ["full", "lite"])
@pytest.mark.parametrize("size", [512, 256])
def test_output_shapes(name, size):
    model = gaitpose.build_model(name).eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, size, size))
    s = size // 4
    assert out["heatmap"].shape == (1, 8, s, s)
    assert out["offset"].shape == (1, 16, s, s)
    assert out["jgs"].shape == (1, 8, s, s)
    assert out["depth"].shape == (1, 1, size, size)
    assert 0 <= float(out["depth"].min()) and float(out["depth"].max()) <= 1


def test_inference_mode_computes_only_keypoint_heads():
    model = gaitpose.build_model("lite").eval()
    calls = []
    model.depth.register_forward_hook(lambda *a: calls.append("depth"))
    model.jgs.register_forward_hook(lambda *a: calls.append("jgs"))
    with torch.no_grad():
        out = model(torch.rand(2, 3, 96, 96), heads=KEYPOINT_HEADS)
    assert set(out) == {"heatmap", "offset"} and calls == []


def test_lite_is_about_a_quarter_of_full():
    ratio = _params(gaitpose.build_model("lite")) / _params(gaitpose.build_model("full"))
    assert 0.2 <= ratio <= 0.32


def test_unknown_model_name_is_a_user_error():
    with pytest.raises(gaitpose.GaitposeError, match="unknown model"):
        gaitpose.build_model("huge")


def _stick_figure(shift_xy, size=128):
    """A drawn stick figure with coloured joints, its keypoints and its targets (grayscale depth label)."""
    pts = np.array([[50, 20], [62, 22], [52, 60], [60, 62], [48, 90], [66, 88], [44, 118], [70, 116]], float)
    pts += shift_xy
    img = np.full((size, size, 3), 40, np.uint8)
    for i, j in gaitpose.BONES:
        cv2.line(img, tuple(int(v) for v in pts[i]), tuple(int(v) for v in pts[j]), (200, 200, 200), 3)
    colours = [(255, 0, 0), (0, 255, 0), (0, 0, 255), (255, 255, 0), (255, 0, 255), (0, 255, 255),
               (255, 128, 0), (128, 255, 0)]
    for p, c in zip(pts, colours):
        cv2.circle(img, (int(round(p[0])), int(round(p[1]))), 4, c, -1)
    kps = np.column_stack([pts, np.full(8, 2.0)])
    gray = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY).astype(np.float32)
    t = encode_targets(kps, size, depth=gray, depth_valid=np.ones((size, size), bool))
    return torch.from_numpy(img).permute(2, 0, 1).float() / 255, t, kps


def test_tiny_lite_model_learns_two_images():
    """Overfitting two drawn figures: gradients reach every head and decoded joints land within a few px."""
    torch.manual_seed(0)
    samples = [_stick_figure((0, 0)), _stick_figure((-20, 3))]
    x = torch.stack([s[0] for s in samples])
    target = {k: torch.from_numpy(np.stack([s[1][k] for s in samples])) for k in samples[0][1]}
    kps = np.stack([s[2] for s in samples])
    model = gaitpose.build_model("lite")
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    for step in range(60):
        terms = multitask_loss(model(x), target)
        opt.zero_grad()
        terms["total"].backward()
        if step == 0:
            for name in ("heatmap", "offset", "jgs", "depth"):
                grads = [p.grad for p in getattr(model, name).parameters()]
                assert all(g is not None and float(g.abs().sum()) > 0 for g in grads), name
            first = {k: float(v.detach()) for k, v in terms.items()}
        opt.step()
    last = {k: float(v.detach()) for k, v in terms.items()}
    for key in ("heatmap", "offset", "jgs", "depth"):
        assert last[key] < 0.25 * first[key], key
    model.eval()
    with torch.no_grad():
        out = model(x, heads=KEYPOINT_HEADS)
    pred = decode_keypoints(out["heatmap"], out["offset"]).numpy()
    err = np.linalg.norm(pred[..., :2] - kps[..., :2], axis=-1)
    assert err.max() < 5.0, err.round(1)
