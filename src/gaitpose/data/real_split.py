"""The real validation set, fixed once (../shared/data/README.md's suggestion) and never trained on.

* LSP-extended images (`lspet/`, `lsp/`) whose number is a multiple of `LSP_VAL_EVERY`;
* whole walking clips: subject 003 of CASIA-B appears only in `003-nm-01` and `subjects-1-3`, and
  every other clip below is a place or person that no training clip shows.

Everything else in ../shared/data may be trained on. Paths are relative to ../shared/data.
"""
from __future__ import annotations

import re
from pathlib import Path

LSP_VAL_EVERY = 20

VAL_CLIPS: tuple[str, ...] = (
    "walking/casia-b/003-nm-01.avi",
    "walking/casia-b/subjects-1-3.avi",
    "walking/clinic/cp-child-turn.mp4",
    "walking/atypical/slouch-2.mp4",
    "walking/portrait/lobby-1.mp4",
    "walking/tape-markers.mp4",
    "walking/outdoor-60fps.mp4",
    "walking/stage.mp4",
    "video/walk_outdoor_sagittal.mp4",
)

_LSP_NAME = re.compile(r"^im(\d+)\.(jpg|jpeg|png)$", re.IGNORECASE)


def lsp_number(file_name: str) -> int | None:
    """The image number of an LSP file name (`im00420.jpg` → 420), else None."""
    match = _LSP_NAME.match(Path(file_name).name)
    return int(match.group(1)) if match else None


def is_validation_lsp(number: int) -> bool:
    """LSP image numbers held out for validation."""
    return number % LSP_VAL_EVERY == 0


def is_validation_clip(path: str | Path) -> bool:
    """Whether a clip (any path ending in one of VAL_CLIPS, e.g. ../shared/data/walking/stage.mp4) is held out."""
    posix = Path(path).as_posix()
    return any(posix == clip or posix.endswith("/" + clip) for clip in VAL_CLIPS)


VIDEO_SUFFIXES = (".mp4", ".avi", ".mov", ".mkv")


def walking_clips(shared_data: str | Path, held_out: bool) -> list[Path]:
    """The walking clips under SHARED/walking and SHARED/video, sorted: the held-out ones or the others.

    The CASIA-B background plate (`*-background.avi`, an empty lab) is not a walking clip."""
    root = Path(shared_data)
    clips = sorted(p for folder in ("walking", "video") if (root / folder).is_dir()
                   for p in (root / folder).rglob("*") if p.suffix.lower() in VIDEO_SUFFIXES
                   and not p.stem.endswith("-background"))
    return [p for p in clips if is_validation_clip(p) == held_out]
