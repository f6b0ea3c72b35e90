"""`gaitpose synth`: subjects → recordings → rendered frames → a COCO-keypoints dataset (and videos).

Each subject gets its own random stream spawned from the seed, so a subject's files do not depend
on the number of workers or on the other subjects: the same seed gives the same bytes.
"""
from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitpose.data.synth.bodies import sample_subject
from gaitpose.data.synth.exoskeleton import sample_exoskeleton
from gaitpose.data.synth.frame_renderer import FrameRenderer, Setup
from gaitpose.data.synth.motion import Walk, simulate_walk
from gaitpose.data.synth.presets import GaitStyle, sample_style
from gaitpose.data.synth.props import sample_prop
from gaitpose.data.synth.recording import sample_setup
from gaitpose.data.synth.writer import write_annotations, write_frame_files
from gaitpose.errors import GaitposeError


@dataclass(frozen=True)
class SynthConfig:
    out_dir: Path
    subjects: int = 4
    frames_per_subject: int = 16
    size_px: int = 512
    seed: int = 0
    video: bool = False
    preset: str = "mixed"
    workers: int = 1
    fps: float = 30.0


@dataclass(frozen=True)
class Recording:
    """One subject's walk and the set-up it is filmed in."""

    name: str
    style: GaitStyle
    walk: Walk
    setup: Setup


def sample_recording(rng: np.random.Generator, index: int, size_px: int, preset: str, fps: float,
                     wide: bool) -> Recording:
    """Subject, gait, walk and filming set-up of subject `index`. `wide` frames several strides (video)."""
    height_m = float(rng.uniform(1.5, 1.9))
    style = sample_style(rng, preset)
    walk = simulate_walk(rng, style, height_m, fps)
    subject = sample_subject(rng, height_m)
    centre_x = walk.view_centre_x_m()
    hip_height = float(np.mean(walk.points["pelvis"][:, 2]))
    prop = sample_prop(rng, style.prop, (centre_x - 3.0, centre_x + 3.0), hip_height)
    exo = sample_exoskeleton(rng) if style.exoskeleton else None
    view_width = height_m * (rng.uniform(2.0, 2.6) if wide else rng.uniform(1.1, 1.7))
    setup = sample_setup(rng, size_px, subject, style.arm, exo, prop, centre_x, view_width)
    return Recording(f"s{index:04d}", style, walk, setup)


def _dataset_subject(args: tuple[SynthConfig, int, np.random.SeedSequence]) -> list:
    """Render one subject's dataset frames (worker entry point) → its samples."""
    config, index, seed = args
    rng = np.random.default_rng(seed)
    rec = sample_recording(rng, index, config.size_px, config.preset, config.fps, wide=False)
    renderer = FrameRenderer(rec.setup)
    in_view = rec.walk.frames_in_view(rec.setup.view)
    picks = np.sort(rng.choice(in_view, size=min(config.frames_per_subject, len(in_view)), replace=False))
    samples = []
    for frame in picks:
        out = renderer.render(rec.walk.pose(int(frame)), rng)
        samples.append(write_frame_files(config.out_dir, f"{rec.name}_f{int(frame):05d}", out.bgr, out.depth_mm,
                                         rec.setup.look.jpeg_quality, out.keypoints_8x3, rec.name))
    return samples


def _map(fn, jobs: list, workers: int) -> list:
    if workers <= 1:
        return [fn(job) for job in jobs]
    with mp.get_context("spawn").Pool(workers) as pool:
        return pool.map(fn, jobs, chunksize=1)


def generate(config: SynthConfig) -> dict:
    """Write the dataset (and videos with `config.video`) → a small summary (counts, frames/s)."""
    if config.subjects < 1 or config.frames_per_subject < 1:
        raise GaitposeError("--subjects and --frames-per-subject must be at least 1")
    if config.size_px < 64:
        raise GaitposeError(f"--size must be at least 64 pixels, got {config.size_px}")
    config.out_dir.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(config.seed).spawn(config.subjects)
    start = time.perf_counter()
    per_subject = _map(_dataset_subject, [(config, i, s) for i, s in enumerate(seeds)], config.workers)
    samples = [s for group in per_subject for s in group]
    path = write_annotations(config.out_dir, samples,
                             f"gaitpose synth: preset {config.preset}, seed {config.seed}, {config.subjects} subjects")
    n_frames = len(samples)
    videos: list[tuple[Path, int]] = []
    if config.video:
        from gaitpose.data.synth.video import write_video
        jobs = [(config, i, s) for i, s in enumerate(np.random.SeedSequence([config.seed, 1]).spawn(config.subjects))]
        videos = _map(write_video, jobs, config.workers)
    elapsed = time.perf_counter() - start
    return {"annotations": path, "images": n_frames, "videos": [v for v, _ in videos], "seconds": elapsed,
            "frames_rendered": n_frames + sum(n for _, n in videos)}
