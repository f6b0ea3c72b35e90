import json
import math
import subprocess
import sys

import pytest

from gaitpose.errors import GaitposeError
from gaitpose.train.checkpoint import load_model, read_checkpoint
from gaitpose.train.config import config_from_dict, load_config_with_overrides
from gaitpose.train.evaluate import evaluate_file
from gaitpose.train.loop import train


def _config(ann, out_dir, epochs=1):
    return config_from_dict({
        "name": "tiny", "model": "lite", "input_size": 64, "epochs": epochs, "batch_size": 2,
        "max_steps_per_epoch": 2, "out_dir": str(out_dir), "seed": 3,
        "data": {"train": [str(ann)], "val": [str(ann)], "workers": 0},
        "optim": {"lr": 1e-3, "lr_milestones": [1]},
    })


def test_two_steps_write_a_checkpoint_that_eval_loads(tiny_dataset, tmp_path):
    result = train(_config(tiny_dataset, tmp_path / "runs"), progress=False)
    assert result["step"] == 2
    run = tmp_path / "runs" / "tiny"
    ckpt = read_checkpoint(run / "last.pt")
    assert (ckpt["model"], ckpt["input_size"], ckpt["step"], ckpt["epoch"]) == ("lite", 64, 2, 0)
    assert ckpt["config"]["data"]["train"] == [str(tiny_dataset)]
    assert (run / "best.pt").is_file() and (run / "config.json").is_file()
    log = (run / "log.csv").read_text().splitlines()
    assert log[0].startswith("epoch,step,lr,loss_total") and len(log) == 2
    model, meta = load_model(run / "last.pt")
    assert meta["model"] == "lite" and not model.training
    out = tmp_path / "metrics.json"
    metrics = evaluate_file(str(tiny_dataset), weights=str(run / "best.pt"), json_path=str(out))
    saved = json.loads(out.read_text())
    assert set(saved) >= {"pcks@0.1", "pcks@0.08", "per_joint", "n_images"}
    assert saved["n_images"] == 6 and 0.0 <= saved["pcks@0.08"] <= saved["pcks@0.1"] <= 1.0
    assert set(saved["per_joint"]) == {"left_shoulder", "right_shoulder", "left_hip", "right_hip",
                                       "left_knee", "right_knee", "left_ankle", "right_ankle"}
    assert metrics["pcks@0.1"] == saved["pcks@0.1"]


def test_resume_continues_the_step_count_and_schedule(tiny_dataset, tmp_path):
    train(_config(tiny_dataset, tmp_path / "runs", epochs=1), progress=False)
    result = train(_config(tiny_dataset, tmp_path / "runs", epochs=3), resume=True, progress=False)
    assert result["step"] == 6                                  # 2 + 2 epochs × 2 steps
    ckpt = read_checkpoint(tmp_path / "runs" / "tiny" / "last.pt")
    assert ckpt["epoch"] == 2
    assert math.isclose(ckpt["optimizer"]["param_groups"][0]["lr"], 5e-4)   # halved after epoch 1
    assert len((tmp_path / "runs" / "tiny" / "log.csv").read_text().splitlines()) == 4


def test_resume_without_a_run_is_a_user_error(tiny_dataset, tmp_path):
    with pytest.raises(GaitposeError, match="nothing to resume"):
        train(_config(tiny_dataset, tmp_path / "empty"), resume=True, progress=False)


def test_config_errors_and_overrides(tmp_path):
    cfg_file = tmp_path / "c.toml"
    cfg_file.write_text('name = "x"\nmodel = "lite"\n[data]\ntrain = ["a.json"]\n')
    cfg = load_config_with_overrides(cfg_file, ['model="full"', "optim.lr=1e-4", "input_size=256"])
    assert (cfg.model, cfg.optim.lr, cfg.input_size) == ("full", 1e-4, 256)
    with pytest.raises(GaitposeError, match="unknown key"):
        load_config_with_overrides(cfg_file, ["optim.learning_rate=1"])
    with pytest.raises(GaitposeError, match="multiple of 32"):
        load_config_with_overrides(cfg_file, ["input_size=100"])
    with pytest.raises(GaitposeError, match="not found"):
        load_config_with_overrides(tmp_path / "missing.toml", [])


def test_shipped_configs_parse():
    from pathlib import Path
    root = Path(__file__).resolve().parents[2] / "configs"
    stages = {p.stem: load_config_with_overrides(p, []) for p in root.glob("*.toml")}
    assert {"pretrain", "finetune_full", "finetune_lite"} <= set(stages)
    pre, fine = stages["pretrain"], stages["finetune_lite"]
    assert (pre.epochs, pre.batch_size, pre.optim.lr, pre.optim.weight_decay, pre.optim.lr_milestones) == \
        (100, 8, 5e-4, 1e-6, [50])
    assert (fine.epochs, fine.batch_size, fine.optim.lr, fine.optim.lr_milestones) == (150, 8, 1e-4, [50, 100])
    assert fine.freeze and fine.init_weights


def test_cli_reports_bad_weights_in_one_line(tmp_path):
    bad = tmp_path / "w.pt"
    bad.write_text("not a checkpoint")
    proc = subprocess.run([sys.executable, "-m", "gaitpose.cli", "eval", "--data", "x.json", "--weights", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "not a gaitpose checkpoint" in proc.stderr


def test_bundled_checkpoint_is_fp16_and_loads_as_float32(tiny_dataset, tmp_path):
    import torch

    from gaitpose.predict.export import bundle_checkpoint
    train(_config(tiny_dataset, tmp_path / "runs"), progress=False)
    src = tmp_path / "runs" / "tiny" / "best.pt"
    dst = bundle_checkpoint(src, tmp_path / "bundled.pt")
    raw = torch.load(dst, map_location="cpu", weights_only=False)
    assert "optimizer" not in raw and raw["step"] == 2
    assert all(v.dtype == torch.float16 for v in raw["state_dict"].values() if v.is_floating_point())
    assert dst.stat().st_size < 0.6 * src.stat().st_size
    model, meta = load_model(dst)
    assert next(model.parameters()).dtype == torch.float32 and meta["input_size"] == 64
