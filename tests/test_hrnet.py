"""HRNet baseline: same outputs as GaitPoseNet, paper-sized W32, trainable with the same loss."""
import numpy as np
import pytest
import torch

import gaitpose
from gaitpose.model import KEYPOINT_HEADS
from gaitpose.targets import encode_targets
from gaitpose.train.loss import multitask_loss

HEADS = ("heatmap", "offset", "jgs", "depth")


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One intra-op thread: on a shared 2-core machine, two spinning threads are many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.mark.parametrize("name", ["hrnet_lite", "hrnet_w32"])
def test_output_shapes_at_256(name):
    model = gaitpose.build_model(name).eval()
    with torch.no_grad():
        out = model(torch.rand(1, 3, 256, 256))
    assert out["heatmap"].shape == (1, 8, 64, 64)
    assert out["offset"].shape == (1, 16, 64, 64)
    assert out["jgs"].shape == (1, 8, 64, 64)
    assert out["depth"].shape == (1, 1, 256, 256)
    assert 0 <= float(out["depth"].min()) and float(out["depth"].max()) <= 1


def test_keypoint_mode_skips_depth_and_jgs():
    model = gaitpose.build_model("hrnet_lite").eval()
    calls = []
    model.depth.register_forward_hook(lambda *a: calls.append("depth"))
    model.jgs.register_forward_hook(lambda *a: calls.append("jgs"))
    with torch.no_grad():
        out = model(torch.rand(2, 3, 96, 96), heads=KEYPOINT_HEADS)
    assert set(out) == {"heatmap", "offset"} and calls == []
    assert out["heatmap"].shape == (2, 8, 24, 24)


def test_w32_backbone_has_the_papers_size_and_lite_is_narrower():
    """Sun et al. 2019, Table 1: HRNet-W32 has 28.5 M parameters (its 1×1 heatmap layer is negligible)."""
    def backbone_params(model):
        return sum(p.numel() for n, p in model.named_parameters() if n.split(".")[0] not in HEADS)

    w32 = backbone_params(gaitpose.build_model("hrnet_w32"))
    assert 27.5e6 < w32 < 29.5e6
    assert backbone_params(gaitpose.build_model("hrnet_lite")) < w32 / 8


def test_a_few_steps_reduce_the_loss_and_reach_every_head():
    torch.manual_seed(0)
    size = 64
    kps = np.array([[25, 10, 2], [31, 11, 2], [26, 30, 2], [30, 31, 2],
                    [24, 45, 2], [33, 44, 2], [22, 59, 2], [35, 58, 2]], float)
    gray = np.random.default_rng(0).random((size, size)).astype(np.float32)
    t = encode_targets(kps, size, sigma=2.0, d_th=4.0, delta=2.0, depth=gray, depth_valid=np.ones((size, size), bool))
    target = {k: torch.from_numpy(v)[None] for k, v in t.items()}
    x = torch.from_numpy(np.repeat(gray[None, None], 3, axis=1))
    model = gaitpose.build_model("hrnet_lite")
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    losses = []
    for step in range(6):
        terms = multitask_loss(model(x), target)
        opt.zero_grad()
        terms["total"].backward()
        if step == 0:
            for name in HEADS:
                grads = [p.grad for p in getattr(model, name).parameters()]
                assert all(g is not None and float(g.abs().sum()) > 0 for g in grads), name
        opt.step()
        losses.append(float(terms["total"].detach()))
    assert losses[-1] < 0.5 * losses[0], losses
