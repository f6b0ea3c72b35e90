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
    size_px: int = 512  # dataset images are size × size
    seed: int = 0
    video: bool = False
    preset: str = "mixed"
    workers: int = 1
    fps: float = 30.0  # of the walks (and videos)
    video_size: tuple[int, int] = (960, 540)  # width, height: a landscape clinic recording
    video_seconds: float = 8.0
    video_crf: int = 23  # H.264 quality (lower: better and larger)


@dataclass(frozen=True)
class Recording:
    """One subject's walk and the set-up it is filmed in."""

    name: str
    style: GaitStyle
    walk: Walk
    setup: Setup


def sample_recording(rng: np.random.Generator, index: int, image_size: tuple[int, int], preset: str, fps: float,
                     seconds: float | None = None) -> Recording:
    """Subject, gait, walk and filming set-up of subject `index`, image_size = (width, height).

    Dataset frames (`seconds` None): three gait cycles, the camera framing about one body length.
    Videos (`seconds` given): a wide view of about 3–3.6 body heights of the walkway, so an
    overground walker crosses the frame (and a fast one enters and leaves it), like a clinic recording.
    """
    height_m = float(rng.uniform(1.5, 1.9))
    style = sample_style(rng, preset)
    walk = simulate_walk(rng, style, height_m, fps, 3.0 if seconds is None else seconds / style.cycle_s)
    subject = sample_subject(rng, height_m)
    centre_x = walk.view_centre_x_m()
    hip_height = float(np.mean(walk.points["pelvis"][:, 2]))
    prop = sample_prop(rng, style.prop, (centre_x - 3.0, centre_x + 3.0), hip_height)
    exo = sample_exoskeleton(rng) if style.exoskeleton else None
    view_width = height_m * (rng.uniform(1.1, 1.7) if seconds is None else rng.uniform(3.0, 3.6))
    setup = sample_setup(rng, image_size, subject, style.arm, exo, prop, centre_x, view_width)
    return Recording(f"s{index:04d}", style, walk, setup)


def _dataset_subject(args: tuple[SynthConfig, int, np.random.SeedSequence]) -> list:
    """Render one subject's dataset frames (worker entry point) → its samples."""
    config, index, seed = args
    rng = np.random.default_rng(seed)
    rec = sample_recording(rng, index, (config.size_px, config.size_px), config.preset, config.fps)
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
    if config.video and (min(config.video_size) < 32 or config.video_seconds <= 0 or config.fps <= 0):
        raise GaitposeError(f"--video-size must be at least 32x32, --video-seconds and --fps positive; got "
                            f"{config.video_size[0]}x{config.video_size[1]}, {config.video_seconds} s, {config.fps} fps")
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
