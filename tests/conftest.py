"""Shared by every test file.

`make test` runs the test files in parallel workers (pytest-xdist), one per core. Each worker's PyTorch
then uses one thread: two workers with two threads each on two cores ran the tiny training test 4× slower.
(tests/report/conftest.py is imported by name from its tests, so no other folder has a conftest.py: a
second one would take the name `conftest` from it when both folders are given on the command line.)"""
import os

import pytest

if os.environ.get("PYTEST_XDIST_WORKER"):
    import torch

    torch.set_num_threads(1)


@pytest.fixture
def untrained_weights(tmp_path):
    """A lite checkpoint at 64 px whose heatmap head outputs 0 everywhere: it finds no joint (score 0)."""
    import torch

    import gaitpose
    from gaitpose.train.checkpoint import save_checkpoint

    torch.manual_seed(0)
    model = gaitpose.build_model("lite")
    torch.nn.init.zeros_(model.heatmap[-1].weight)
    torch.nn.init.zeros_(model.heatmap[-1].bias)
    path = tmp_path / "zero.pt"
    save_checkpoint(path, model, input_size=64, config={})
    return path
