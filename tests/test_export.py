"""ONNX export: ONNX Runtime equals PyTorch within 1e-4 (batch 1 and 2), with and without decoding."""
import numpy as np
import pytest
import torch

import gaitpose
from gaitpose.cli import main
from gaitpose.model import KEYPOINT_HEADS
from gaitpose.predict.export import export_onnx, max_abs_difference
from gaitpose.predict.onnx_runtime import OnnxKeypointModel
from gaitpose.targets import decode_keypoints
from gaitpose.train.checkpoint import save_checkpoint

SIZE = 64


@pytest.fixture(autouse=True, scope="module")
def one_torch_thread():
    """One intra-op thread: on a shared 2-core machine, two spinning threads are many times slower."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="module")
def lite():
    torch.manual_seed(0)
    return gaitpose.build_model("lite").eval()


@pytest.fixture(scope="module")
def exported(lite, tmp_path_factory):
    """The lite model exported twice: heads (through `export_onnx`) and decoded (through the CLI)."""
    folder = tmp_path_factory.mktemp("onnx")
    heads_path, decoded_path = folder / "lite.onnx", folder / "lite_kp.onnx"
    diff = export_onnx(lite, SIZE, heads_path)
    weights = folder / "lite.pt"
    save_checkpoint(weights, lite, input_size=SIZE, config={})
    assert main(["export", "--weights", str(weights), "--onnx", str(decoded_path), "--decode"]) == 0
    return {"heads": heads_path, "decoded": decoded_path, "diff": diff}


def test_export_reports_a_small_difference(exported):
    assert 0 <= exported["diff"] < 1e-4


@pytest.mark.parametrize("batch", [1, 2])
def test_heads_equal_pytorch(lite, exported, batch):
    x = torch.rand(batch, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(batch))
    with torch.no_grad():
        want = lite(x, heads=KEYPOINT_HEADS)
    runner = OnnxKeypointModel(exported["heads"])
    got = runner(x.numpy())
    assert runner.input_size == SIZE and not runner.decoded
    for name in ("heatmap", "offset"):
        assert got[name].shape == tuple(want[name].shape)
        assert np.abs(got[name] - want[name].numpy()).max() < 1e-4, name


@pytest.mark.parametrize("batch", [1, 2])
def test_decoded_keypoints_equal_pytorch(lite, exported, batch):
    x = torch.rand(batch, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(10 + batch))
    with torch.no_grad():
        out = lite(x, heads=KEYPOINT_HEADS)
    want = decode_keypoints(out["heatmap"], out["offset"]).numpy()
    runner = OnnxKeypointModel(exported["decoded"])
    got = runner(x.numpy())["keypoints"]
    assert runner.decoded and got.shape == (batch, 8, 3)
    assert np.abs(got - want).max() < 1e-4
    # the heads-only file decodes to the same keypoints outside the graph
    assert np.abs(OnnxKeypointModel(exported["heads"]).keypoints(x.numpy()) - want).max() < 1e-4


def test_check_fails_against_another_model(exported):
    torch.manual_seed(1)
    other = gaitpose.build_model("lite").eval()
    with pytest.raises(gaitpose.GaitposeError, match="differs from PyTorch"):
        max_abs_difference(other, exported["heads"], SIZE, decode=False)


def test_wrong_image_size_is_a_user_error(exported):
    with pytest.raises(gaitpose.GaitposeError, match="expects N×3×64×64"):
        OnnxKeypointModel(exported["heads"])(np.zeros((1, 3, 96, 96), np.float32))


def test_size_not_a_multiple_of_32_is_refused(lite, tmp_path):
    with pytest.raises(gaitpose.GaitposeError, match="multiple of 32"):
        export_onnx(lite, 100, tmp_path / "x.onnx")
    assert not (tmp_path / "x.onnx").exists()


@pytest.mark.parametrize("which", ["heads"])
def test_analyze_backends_agree(exported, which):
    """`analyze --onnx` and the PyTorch path give the same keypoints on the same uint8 frames (an export
    with decoding in the graph skips the leg-pair separation, so only the heads export is compared)."""
    from gaitpose.predict.backends import OnnxBackend, TorchBackend

    frames = np.random.default_rng(3).integers(0, 256, (2, SIZE, SIZE, 3), dtype=np.uint8)
    torch_kp = TorchBackend(str(exported["heads"].with_suffix(".pt")), device="cpu")(frames)
    onnx = OnnxBackend(exported[which])
    assert onnx.input_size == SIZE and "onnxruntime" in onnx.name
    got = onnx(frames)
    assert got.shape == (2, 8, 3)
    assert np.abs(got - torch_kp).max() < 1e-3


def test_bundled_onnx_is_the_bundled_model():
    """The shipped ONNX export (analyze's CPU path) gives the shipped weights' keypoints: it is not stale."""
    from gaitpose.predict.backends import OnnxBackend, TorchBackend, make_backend
    from gaitpose.train.checkpoint import bundled_onnx

    onnx = OnnxBackend(bundled_onnx())
    frames = np.random.default_rng(5).integers(0, 256, (2, onnx.input_size, onnx.input_size, 3), dtype=np.uint8)
    want = TorchBackend(None, device="cpu")(frames)
    assert np.abs(onnx(frames)[..., :2] - want[..., :2]).max() < 1e-2
    assert np.abs(onnx(frames)[..., 2] - want[..., 2]).max() < 1e-3
    assert make_backend(None, device="cpu").name.startswith("onnxruntime bundled")
    assert make_backend(None, device="cpu", flip=True).name.startswith("pytorch")


def test_a_12_point_export_says_it_has_the_feet(exported, tmp_path):
    """The 8-joint file stays as it was (no skeleton metadata: 8 points); a lite_feet export carries its
    point names and gives N×12×3 keypoints, the feet after the 8 joints."""
    from gaitpose.predict.onnx_runtime import JOINTS_KEY
    from gaitpose.skeleton import SKELETON_FEET

    eight = OnnxKeypointModel(exported["heads"])
    assert JOINTS_KEY not in eight.session.get_modelmeta().custom_metadata_map
    assert (eight.n_points, eight.has_feet) == (8, False)
    torch.manual_seed(0)
    feet_model = gaitpose.build_model("lite_feet").eval()
    path = tmp_path / "feet.onnx"
    assert export_onnx(feet_model, SIZE, path) < 1e-4
    twelve = OnnxKeypointModel(path)
    assert (twelve.n_points, twelve.has_feet) == (12, True)
    assert twelve.session.get_modelmeta().custom_metadata_map[JOINTS_KEY].split(",") == list(SKELETON_FEET.joints)
    x = torch.rand(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(3))
    assert twelve.keypoints(x.numpy()).shape == (2, 12, 3)
