"""Shared by the analyze tests: a checkpoint that never finds a joint."""
import pytest
import torch

import gaitpose
from gaitpose.train.checkpoint import save_checkpoint


@pytest.fixture
def untrained_weights(tmp_path):
    """A lite checkpoint at 64 px whose heatmap head outputs 0 everywhere: it finds no joint (score 0)."""
    torch.manual_seed(0)
    model = gaitpose.build_model("lite")
    torch.nn.init.zeros_(model.heatmap[-1].weight)
    torch.nn.init.zeros_(model.heatmap[-1].bias)
    path = tmp_path / "zero.pt"
    save_checkpoint(path, model, input_size=64, config={})
    return path
