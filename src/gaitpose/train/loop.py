"""`gaitpose train`: one loop for both stages of SPEC §6 (pre-train, fine-tune), driven by a config.

Single process on CPU or one GPU; several GPUs with `torchrun --nproc_per_node N -m gaitpose.cli train …`
(DDP picks up the torchrun environment; no code changes). Mixed precision and channels-last on CUDA.
"""
from __future__ import annotations

import csv
import io
import math
import os
import random
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import DataLoader, DistributedSampler

from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic, write_json_atomic
from gaitpose.model import build_model
from gaitpose.model.grow import load_grown, load_with_new_points
from gaitpose.train.checkpoint import read_checkpoint, save_checkpoint
from gaitpose.train.config import TrainConfig, augment_params
from gaitpose.train.datasets import make_dataset, set_epoch
from gaitpose.train.evaluate import collect_predictions, format_metrics, keypoint_metrics
from gaitpose.train.loss import LossWeights, multitask_loss

LOG_COLUMNS = ("epoch", "step", "lr", "loss_total", "loss_heatmap", "loss_jgs", "loss_depth", "loss_offset",
               "val_pcks@0.1", "val_pcks@0.08", "seconds")


@dataclass
class _Dist:
    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0


def _init_distributed() -> _Dist:
    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return _Dist()
    backend = "nccl" if torch.cuda.is_available() else "gloo"
    dist.init_process_group(backend)
    d = _Dist(dist.get_rank(), world, int(os.environ.get("LOCAL_RANK", "0")))
    if torch.cuda.is_available():
        torch.cuda.set_device(d.local_rank)
    return d


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def _seed_worker(worker_id: int) -> None:
    seed = torch.initial_seed() % 2**32
    np.random.seed(seed)
    random.seed(seed)


def _to_device(batch: dict[str, Any], device: torch.device, channels_last: bool) -> dict[str, Any]:
    out = {}
    for k, v in batch.items():
        if isinstance(v, torch.Tensor):
            v = v.to(device, non_blocking=True)
            if k == "image" and channels_last:
                v = v.contiguous(memory_format=torch.channels_last)
        out[k] = v
    return out


def _lr_at(cfg: TrainConfig, epoch: int) -> float:
    """Step schedule: lr × gamma for each milestone already passed (epochs counted from 0)."""
    return cfg.optim.lr * cfg.optim.lr_gamma ** sum(epoch >= m for m in cfg.optim.lr_milestones)


def _apply_freeze(model: torch.nn.Module, prefixes: list[str]) -> int:
    frozen = 0
    names = [n for n, _ in model.named_parameters()]
    for prefix in prefixes:
        if not any(n.startswith(prefix) for n in names):
            raise GaitposeError(f"freeze: no parameter starts with {prefix!r}")
    for name, p in model.named_parameters():
        if any(name.startswith(prefix) for prefix in prefixes):
            p.requires_grad_(False)
            frozen += p.numel()
    return frozen


def _hold_frozen_batchnorm(model: torch.nn.Module, prefixes: list[str]) -> None:
    """Batch-norm layers inside frozen modules to eval mode: their running statistics stay those the
    weights were trained with (a few small fine-tuning batches would otherwise drift them)."""
    for name, module in model.named_modules():
        if isinstance(module, torch.nn.modules.batchnorm._BatchNorm) and any(
                name == prefix or name.startswith(prefix + ".") for prefix in prefixes):
            module.eval()


def train(cfg: TrainConfig, resume: bool = False, progress: bool = True) -> dict[str, Any]:
    """Train per `cfg`; writes last.pt, best.pt (by val PCKs@0.08), log.csv and config.json in cfg.run_dir."""
    d = _init_distributed()
    device = torch.device(f"cuda:{d.local_rank}" if torch.cuda.is_available() else "cpu")
    seed_everything(cfg.seed + d.rank)
    run_dir = cfg.run_dir
    if d.main:
        run_dir.mkdir(parents=True, exist_ok=True)
        write_json_atomic(run_dir / "config.json", cfg.to_dict())

    model = build_model(cfg.model)
    if cfg.init_weights and not resume:
        ckpt = read_checkpoint(cfg.init_weights)
        if ckpt["model"] == cfg.model:
            model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in ckpt["state_dict"].items()})
        elif ckpt["joints"] != list(model.skeleton.joints):
            fresh = load_with_new_points(model, ckpt["state_dict"], ckpt["joints"], source=cfg.init_weights)
            if d.main:
                print(f"{ckpt['model']} ({len(ckpt['joints'])} points) into {cfg.model} "
                      f"({model.skeleton.num_joints} points): {fresh} head channels start fresh")
        elif cfg.grow_from_init:
            grown = load_grown(model, ckpt["state_dict"], source=cfg.init_weights)
            if d.main:
                print(f"grew {ckpt['model']} into {cfg.model}: {len(grown)} new blocks start as the identity")
        else:
            raise GaitposeError(f"{cfg.init_weights}: holds model {ckpt['model']!r}, config asks for {cfg.model!r} "
                                f"(set grow_from_init = true to grow it into a deeper network)")
    _apply_freeze(model, cfg.freeze)
    model.to(device)
    use_cuda = device.type == "cuda"
    if cfg.channels_last and use_cuda:
        model = model.to(memory_format=torch.channels_last)
    params = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.Adam(params, lr=cfg.optim.lr, weight_decay=cfg.optim.weight_decay)
    scaler = torch.amp.GradScaler("cuda", enabled=use_cuda and cfg.amp)

    start_epoch, step, best = 0, 0, -math.inf
    last_path = run_dir / "last.pt"
    if resume:
        if not last_path.is_file():
            raise GaitposeError(f"{last_path}: nothing to resume (no last.pt in the run folder)")
        ckpt = read_checkpoint(last_path)
        model.load_state_dict(ckpt["state_dict"])
        optimizer.load_state_dict(ckpt["optimizer"])
        start_epoch, step, best = ckpt["epoch"] + 1, ckpt["step"], ckpt.get("best_pcks@0.08", -math.inf)

    skeleton = model.skeleton
    train_set = make_dataset(cfg.data.train, cfg.input_size, train=cfg.data.augment, seed=cfg.seed,
                             max_images=cfg.data.max_train_images, augment=augment_params(cfg.data.augmentation),
                             skeleton=skeleton)
    val_set = make_dataset(cfg.data.val, cfg.input_size, train=False, skeleton=skeleton) if cfg.data.val else None
    sampler = DistributedSampler(train_set, d.world, d.rank, shuffle=True, seed=cfg.seed) if d.world > 1 else None
    generator = torch.Generator().manual_seed(cfg.seed)
    loader = DataLoader(train_set, batch_size=cfg.batch_size, shuffle=sampler is None, sampler=sampler,
                        num_workers=cfg.data.workers, pin_memory=use_cuda, drop_last=len(train_set) > cfg.batch_size,
                        worker_init_fn=_seed_worker, generator=generator)   # fresh workers see set_epoch
    val_loader = DataLoader(val_set, batch_size=cfg.batch_size, num_workers=cfg.data.workers) if val_set else None
    net = torch.nn.parallel.DistributedDataParallel(
        model, device_ids=[d.local_rank] if use_cuda else None) if d.world > 1 else model
    weights = LossWeights(**vars(cfg.loss))
    writer = _tensorboard(run_dir) if d.main else None

    metrics: dict[str, Any] = {}
    started = time.time()
    budget_s = 60 * cfg.max_minutes        # > 0: stop within it (checked before each step and each epoch)
    for epoch in range(start_epoch, cfg.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        set_epoch(train_set, epoch)
        lr = _lr_at(cfg, epoch)
        for group in optimizer.param_groups:
            group["lr"] = lr
        net.train()
        _hold_frozen_batchnorm(model, cfg.freeze)
        t0 = time.time()
        sums: dict[str, float] = {}
        n_batches = 0
        steps_this_epoch = len(loader) if cfg.max_steps_per_epoch <= 0 else min(len(loader), cfg.max_steps_per_epoch)
        bar = _progress(steps_this_epoch, f"epoch {epoch + 1}/{cfg.epochs}", enabled=progress and d.main)
        out_of_time = False
        for batch in loader:
            if n_batches >= steps_this_epoch:
                break
            if budget_s > 0 and d.world == 1 and n_batches > 0 and time.time() - started > budget_s:
                out_of_time = True                     # a slow machine: end mid-epoch rather than overrun
                break
            batch = _to_device(batch, device, cfg.channels_last and use_cuda)
            with torch.autocast(device_type=device.type, dtype=torch.float16, enabled=use_cuda and cfg.amp):
                pred = net(batch["image"])
            terms = multitask_loss({k: v.float() for k, v in pred.items()}, batch, weights)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(terms["total"]).backward()
            scaler.step(optimizer)
            scaler.update()
            step += 1
            n_batches += 1
            for k, v in terms.items():
                sums[k] = sums.get(k, 0.0) + float(v.detach())
            if bar is not None:
                bar.update(1)
                bar.set_postfix({k: f"{v / n_batches:.4f}" for k, v in sums.items()})
        if bar is not None:
            bar.close()
        means = {k: v / max(1, n_batches) for k, v in sums.items()}

        if val_loader is not None and d.main:
            pred_kp, gt_kp, scale = collect_predictions(model, val_loader, device)
            metrics = keypoint_metrics(pred_kp, gt_kp, scale)
        val01, val008 = metrics.get("pcks@0.1", float("nan")), metrics.get("pcks@0.08", float("nan"))
        if d.main:
            improved = val_loader is None or val008 > best
            if val_loader is not None and improved:
                best = val008
            extra = {"optimizer": optimizer.state_dict(), "epoch": epoch, "step": step, "best_pcks@0.08": best,
                     "val_metrics": metrics}
            save_checkpoint(last_path, model, input_size=cfg.input_size, config=cfg.to_dict(), extra=extra)
            if improved:
                save_checkpoint(run_dir / "best.pt", model, input_size=cfg.input_size, config=cfg.to_dict(),
                                extra={"epoch": epoch, "step": step, "val_metrics": metrics})
            row = [epoch + 1, step, lr, means.get("total"), means.get("heatmap"), means.get("jgs"),
                   means.get("depth"), means.get("offset"), val01, val008, round(time.time() - t0, 1)]
            _append_log(run_dir / "log.csv", row)
            if writer is not None:
                for k, v in means.items():
                    writer.add_scalar(f"loss/{k}", v, step)
                if metrics:
                    writer.add_scalar("val/pcks@0.1", val01, step)
                    writer.add_scalar("val/pcks@0.08", val008, step)
            if progress:
                print(f"epoch {epoch + 1}: loss {means.get('total', float('nan')):.4f}  "
                      f"val PCKs@0.1 {val01:.3f}  @0.08 {val008:.3f}  (best @0.08 {best:.3f})", flush=True)
        epoch_s = time.time() - t0
        if budget_s > 0 and d.world == 1 and epoch + 1 < cfg.epochs and (
                out_of_time or time.time() - started + epoch_s > budget_s):
            if progress and d.main:
                print(f"stopping after epoch {epoch + 1} (step {step}): the {cfg.max_minutes:g}-minute budget",
                      flush=True)
            break
    if d.world > 1:
        dist.destroy_process_group()
    if metrics and progress and d.main:
        print(format_metrics(metrics))
    return {"step": step, "best_pcks@0.08": best, "val_metrics": metrics}


def _append_log(path: Path, row: list) -> None:
    """Rewrite the CSV log atomically with one more row."""
    old = path.read_text() if path.is_file() else ",".join(LOG_COLUMNS) + "\n"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(["" if v is None else v for v in row])
    write_bytes_atomic(path, (old + buf.getvalue()).encode())


def _progress(total: int, desc: str, enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, leave=False, dynamic_ncols=True)


def _tensorboard(run_dir: Path):
    try:
        from torch.utils.tensorboard import SummaryWriter
    except Exception:  # tensorboard not installed: the CSV log is enough
        return None
    return SummaryWriter(str(run_dir / "tb"))
