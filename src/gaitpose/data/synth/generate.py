"""`gaitpose synth`: subjects → recordings → rendered frames → a COCO-keypoints dataset (and videos).

Each subject gets its own random stream spawned from the seed, so a subject's files do not depend
on the number of workers or on the other subjects: the same seed gives the same bytes.

With `backgrounds` (walking clips and LSP folders; `backgrounds.py`) every dataset frame is laid
over a real photograph instead of the rendered room, its source listed in backgrounds.json; the
held-out validation sources are never read. Videos keep the rendered room.
"""
from __future__ import annotations

import multiprocessing as mp
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitpose.data.coco import Sample
from gaitpose.data.synth.backgrounds import BackgroundSources, HeldOut, collect_sources, sample_backdrop
from gaitpose.data.synth.frame_renderer import FrameRenderer, View
from gaitpose.data.synth.labels import project
from gaitpose.data.synth.recording import sample_recording
from gaitpose.data.synth.video import write_video
from gaitpose.data.synth.writer import write_annotations, write_frame_files
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_json_atomic
from gaitpose.skeleton import SIDES


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
    backgrounds: tuple[str, ...] = ()  # walking clips / folders of them / LSP folders: real backdrops
    plates_dir: Path = Path("data/plates")  # cache of the clips' background plates
    held_out: HeldOut = HeldOut()  # validation sources never used as backdrops


def _dataset_subject(args: tuple[SynthConfig, int, np.random.SeedSequence, BackgroundSources | None]
                     ) -> list[tuple[Sample, str | None]]:
    """Render one subject's dataset frames (worker entry point) → its samples, each with its backdrop's source."""
    config, index, seed, backgrounds = args
    rng = np.random.default_rng(seed)
    rec = sample_recording(rng, index, (config.size_px, config.size_px), config.preset, config.fps)
    renderer = FrameRenderer(rec.setup)
    in_view = rec.walk.frames_in_view(rec.setup.view)
    picks = np.sort(rng.choice(in_view, size=min(config.frames_per_subject, len(in_view)), replace=False))
    samples = []
    for frame in picks:
        pose = rec.walk.pose(int(frame))
        backdrop = None
        if backgrounds is not None:
            backdrop = sample_backdrop(backgrounds, rng, config.size_px, _floor_row_frac(rec.setup.view, pose))
        out = renderer.render(pose, rng, backdrop=backdrop)
        sample = write_frame_files(config.out_dir, f"{rec.name}_f{int(frame):05d}", out.bgr, out.depth_mm,
                                   rec.setup.look.jpeg_quality, out.keypoints_8x3, rec.name, out.feet_4x3)
        samples.append((sample, backdrop.source if backdrop is not None else None))
    return samples


def _floor_row_frac(view: View, pose: dict[str, np.ndarray]) -> float:
    """The lowest heel or toe in the image, as a fraction of its height: where the backdrop's floor goes."""
    feet = view.to_camera(np.array([pose[f"{side}_{part}"] for side in SIDES for part in ("heel", "toe")]))
    return float(project(feet, view.intrinsics)[:, 1].max() / view.height_px)


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
    backgrounds, report = None, None
    if config.backgrounds:
        backgrounds, report = collect_sources(list(config.backgrounds), config.held_out, config.plates_dir)
    start = time.perf_counter()
    config.out_dir.mkdir(parents=True, exist_ok=True)
    seeds = np.random.SeedSequence(config.seed).spawn(config.subjects)
    jobs = [(config, i, s, backgrounds) for i, s in enumerate(seeds)]
    per_subject = _map(_dataset_subject, jobs, config.workers)
    samples = [sample for group in per_subject for sample, _ in group]
    where = " over real backgrounds" if backgrounds is not None else ""
    path = write_annotations(config.out_dir, samples, f"gaitpose synth{where}: preset {config.preset}, "
                                                      f"seed {config.seed}, {config.subjects} subjects")
    if backgrounds is not None:
        write_json_atomic(config.out_dir / "backgrounds.json",
                          {s.image_path.relative_to(config.out_dir).as_posix(): source
                           for group in per_subject for s, source in group})
    n_frames = len(samples)
    videos: list[tuple[Path, int]] = []
    if config.video:
        jobs = [(config, i, s) for i, s in enumerate(np.random.SeedSequence([config.seed, 1]).spawn(config.subjects))]
        videos = _map(write_video, jobs, config.workers)
    elapsed = time.perf_counter() - start
    return {"annotations": path, "images": n_frames, "videos": [v for v, _ in videos], "seconds": elapsed,
            "frames_rendered": n_frames + sum(n for _, n in videos),
            "backgrounds": report.summary() if report is not None else None}
