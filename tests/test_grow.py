"""Growing lite into lite_deep: the grown network computes exactly what the trained one did."""
import pytest
import torch

from gaitpose.errors import GaitposeError
from gaitpose.model import build_model
from gaitpose.model.grow import load_grown


def test_grown_network_equals_the_shallow_one_until_trained():
    torch.manual_seed(0)
    small = build_model("lite").eval()
    with torch.no_grad():                     # non-trivial batch-norm statistics, as in a trained network
        for m in small.modules():
            if isinstance(m, torch.nn.BatchNorm2d):
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    deep = build_model("lite_deep")
    new = load_grown(deep, small.state_dict())
    # lite (2, 3, 4) → lite_deep (2, 4, 8): one block more at stride 8, four more at stride 16
    assert new == ["stages.1.3", "stages.2.4", "stages.2.5", "stages.2.6", "stages.2.7"]
    x = torch.rand(2, 3, 64, 64)
    with torch.no_grad():
        a, b = small(x), deep.eval()(x)
    for name in a:
        torch.testing.assert_close(b[name], a[name], rtol=0, atol=1e-6)
    # and the new blocks are trainable: their zeroed scale gets a gradient
    deep.train()
    out = deep(x)
    sum(v.mean() for v in out.values()).backward()
    assert deep.stages[2][7].body[3].weight.grad.abs().sum() > 0


def test_a_network_of_other_widths_cannot_be_grown():
    with pytest.raises(GaitposeError, match=r"weight stem\.conv\.0\.weight does not fit"):
        load_grown(build_model("lite_deep"), build_model("full").state_dict(), source="full.pt")
