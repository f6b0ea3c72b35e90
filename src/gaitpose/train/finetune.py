"""`gaitpose finetune LABELS… --out MODEL.pt`: a thin front to `train` for a handful of labelled frames.

It starts from the bundled model (or `--weights`), keeps a few labelled frames out to measure the
gain, cuts every frame around the person as the subject follower feeds the network in `analyze`,
and trains with the fine-tuning config (`finetune_labels.toml`: hard augmentation, a small fixed
budget, a time limit) on the new frames mixed about half and half with a replay of the original
training data, so that what the model knew is not forgotten. The checkpoint it writes records
what it was tuned on and the held-out PCKs before and after.
"""
from __future__ import annotations

import math
import time
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import torch
from torch.utils.data import DataLoader

from gaitpose.data.coco import Sample, load_coco_keypoints, write_coco_keypoints
from gaitpose.data.dataset import read_rgb
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_bytes_atomic
from gaitpose.train.checkpoint import bundled_weights, load_model, read_checkpoint, save_checkpoint
from gaitpose.train.config import config_from_dict
from gaitpose.train.datasets import make_dataset
from gaitpose.train.evaluate import collect_predictions, keypoint_metrics

# The crop around the labelled joints: the subject follower's (predict/follow.py, FollowParams):
# side = 1.9 × the joints' larger extent, at least 0.12 × the frame's longer side.
CROP_MARGIN = 1.9
CROP_MIN_SIDE_FRAC = 0.12


@dataclass
class FinetuneRequest:
    labels: list[str]
    out: str
    weights: str | None = None            # None: the bundled model
    replay: list[str] | None = None       # None: what exists under data/ (`default_replay`); []: no replay
    holdout: int | None = None            # None: `default_holdout`
    epochs: int | None = None             # None: the config's
    max_minutes: float | None = None
    config: str | None = None             # None: the shipped finetune_labels.toml
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)   # further config values (tests, experiments)


def default_holdout(n_labelled: int) -> int:
    """One labelled frame in five is kept out to measure the gain; at least one from 3 frames on."""
    return 0 if n_labelled < 3 else max(1, n_labelled // 5)


def holdout_indices(n: int, n_holdout: int) -> list[int]:
    """Evenly spread over the labelled frames (which `gaitpose label` writes video by video)."""
    if n_holdout <= 0:
        return []
    return sorted({int(round(v)) for v in np.linspace(0, n - 1, n_holdout + 2)[1:-1]})


def default_replay(root: str | Path = "data") -> list[str]:
    """The training annotation files under `root` (`make data` writes data/synth/train.json,
    data/real/*_train.json): files named train.json or *_train.json."""
    root = Path(root)
    if not root.is_dir():
        return []
    return sorted(str(p) for p in root.rglob("*.json") if p.name == "train.json" or p.name.endswith("_train.json"))


def crop_to_subject(sample: Sample, out_path: Path) -> Sample:
    """Cut the square around the labelled joints (black outside the frame) and write it as PNG."""
    kps = sample.keypoints_8x3.copy()
    labelled = kps[:, 2] > 0
    if not labelled.any():
        raise GaitposeError(f"{sample.image_path}: no joint is labelled")
    lo, hi = kps[labelled, :2].min(axis=0), kps[labelled, :2].max(axis=0)
    side = int(round(max(CROP_MARGIN * float(max(hi - lo)), CROP_MIN_SIDE_FRAC * max(sample.width, sample.height))))
    x0, y0 = (int(round(c - side / 2)) for c in (lo + hi) / 2)
    image = cv2.cvtColor(read_rgb(sample), cv2.COLOR_RGB2BGR)
    patch = np.zeros((side, side, 3), np.uint8)
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(sample.width, x0 + side), min(sample.height, y0 + side)
    if sx1 > sx0 and sy1 > sy0:
        patch[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = image[sy0:sy1, sx0:sx1]
    ok, png = cv2.imencode(".png", patch)
    if not ok:
        raise GaitposeError(f"could not encode the crop of {sample.image_path}")
    write_bytes_atomic(out_path, png.tobytes())
    kps[labelled, :2] -= (x0, y0)
    kps[~labelled] = 0.0
    return Sample(out_path, side, side, kps, subject=sample.subject)


def holdout_metrics(weights: str | Path, annotations: Path, input_size: int) -> dict[str, Any]:
    """PCKs of a checkpoint on the held-out crops (no flip test, as `analyze` runs by default)."""
    model, _ = load_model(weights)
    loader = DataLoader(make_dataset([str(annotations)], input_size, train=False), batch_size=8)
    return keypoint_metrics(*collect_predictions(model, loader, torch.device("cpu")))


def finetune(req: FinetuneRequest, progress: bool = True) -> dict[str, Any]:
    """Run the fine-tuning; writes req.out and a work folder beside it (crops, split, train run)."""
    from gaitpose.train.loop import train

    t0 = time.perf_counter()
    base = Path(req.weights) if req.weights else bundled_weights()
    meta = read_checkpoint(base)
    samples = [s for path in req.labels for s in load_coco_keypoints(path)
               if (s.keypoints_8x3[:, 2] > 0).any()]        # a frame with no joint in the picture teaches nothing
    if not samples:
        raise GaitposeError(f"{', '.join(req.labels)}: no frame with a labelled joint")
    n_holdout = default_holdout(len(samples)) if req.holdout is None else req.holdout
    if not 0 <= n_holdout <= len(samples) - 1:
        raise GaitposeError(f"--holdout: expected 0 to {len(samples) - 1} of the {len(samples)} labelled frames, "
                            f"got {n_holdout}")
    out = Path(req.out)
    work = out.parent / f"{out.stem}.finetune"
    crops = [crop_to_subject(s, work / "crops" / f"{n:04d}_{Path(s.image_path).stem}.png")
             for n, s in enumerate(samples)]
    held = set(holdout_indices(len(crops), n_holdout))
    train_crops = [c for n, c in enumerate(crops) if n not in held]
    hold_crops = [c for n, c in enumerate(crops) if n in held]

    replay = default_replay() if req.replay is None else list(req.replay)
    n_replay = sum(len(load_coco_keypoints(p)) for p in replay)
    train_json, hold_json = work / "labelled_train.json", work / "labelled_holdout.json"
    values = _config_values(req.config)
    values.update({"name": "run", "out_dir": str(work), "model": meta["model"], "input_size": int(meta["input_size"]),
                   "init_weights": str(base), "seed": req.seed})
    values.setdefault("loss", base_loss_weights(meta))
    values.setdefault("data", {}).update({"train": [str(train_json), *replay], "val": []})
    if req.epochs is not None:
        values["epochs"] = req.epochs
    if req.max_minutes is not None:
        values["max_minutes"] = req.max_minutes
    for key, value in req.overrides.items():
        *parents, leaf = key.split(".")
        table = values
        for part in parents:
            table = table.setdefault(part, {})
        table[leaf] = value
    cfg = config_from_dict(values, req.config or "finetune_labels.toml")
    # New frames repeated to about half of what is drawn (and at least one epoch's worth without replay).
    per_epoch = cfg.max_steps_per_epoch * cfg.batch_size
    repeats = max(1, math.ceil(n_replay / len(train_crops)), math.ceil(per_epoch / len(train_crops)))
    write_coco_keypoints(train_json, train_crops * repeats, description="gaitpose finetune: labelled frames, repeated")
    if hold_crops:
        write_coco_keypoints(hold_json, hold_crops, description="gaitpose finetune: held-out labelled frames")

    say = print if progress else (lambda *a, **k: None)
    say(f"fine-tuning {meta['model']}@{cfg.input_size} from {base} on {len(train_crops)} labelled frames "
        f"(each repeated {repeats}×) and {n_replay} replayed samples from {len(replay)} files; "
        f"{len(hold_crops)} frames held out")
    before = holdout_metrics(base, hold_json, cfg.input_size) if hold_crops else None
    if before:
        say(f"held-out frames before: PCKs@0.1 {before['pcks@0.1']:.3f}  @0.08 {before['pcks@0.08']:.3f}")
    result = train(cfg, progress=progress)
    tuned = cfg.run_dir / "last.pt"
    after = holdout_metrics(tuned, hold_json, cfg.input_size) if hold_crops else None
    model, tuned_meta = load_model(tuned)
    record = {
        "labels": [str(Path(p).resolve()) for p in req.labels],
        "n_labelled": len(samples), "n_trained": len(train_crops), "n_holdout": len(hold_crops),
        "holdout_images": [str(samples[n].image_path) for n in sorted(held)],
        "replay": [str(Path(p).resolve()) for p in replay], "replay_samples": n_replay,
        "base_weights": str(base), "epochs_run": int(tuned_meta.get("epoch", -1)) + 1, "steps": result["step"],
        "holdout_before": before, "holdout_after": after, "seconds": round(time.perf_counter() - t0, 1),
    }
    save_checkpoint(out, model, input_size=cfg.input_size, config=cfg.to_dict(), extra={"finetune": record})
    if before and after:
        say(f"held-out frames after:  PCKs@0.1 {after['pcks@0.1']:.3f}  @0.08 {after['pcks@0.08']:.3f}  "
            f"(before {before['pcks@0.1']:.3f} / {before['pcks@0.08']:.3f})")
    else:
        say("no labelled frame held out: the gain is not measured (label 3 frames or more)")
    say(f"wrote {out} in {record['seconds']:.0f} s; use it with --weights {out}")
    return record


def base_loss_weights(meta: dict[str, Any]) -> dict[str, float]:
    """The loss weights the base model was trained with (its checkpoint's config), so that fine-tuning
    pulls on heatmaps and offsets in the same balance; SPEC §5's defaults for a checkpoint without them.
    (The bundled model was trained with the heatmap term 40 times SPEC's weight, docs/results.md §7:
    fine-tuned with SPEC's, its heatmaps lose most of their gradient and the joints drift.)"""
    loss = (meta.get("config") or {}).get("loss")
    return dict(loss) if isinstance(loss, dict) else {}


def _config_values(path: str | None) -> dict[str, Any]:
    """The fine-tuning config's values: the given TOML file, or the one shipped in the package."""
    if path is None:
        return tomllib.loads((resources.files("gaitpose") / "train" / "finetune_labels.toml").read_text())
    if not Path(path).is_file():
        raise GaitposeError(f"{path}: config file not found")
    try:
        return tomllib.loads(Path(path).read_text())
    except tomllib.TOMLDecodeError as exc:
        raise GaitposeError(f"{path}: not valid TOML: {exc}") from None
