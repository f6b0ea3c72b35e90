"""Biovision hierarchy (BVH) motion capture: read a file, compute where every joint is.

A BVH file holds a joint tree (each joint's OFFSET from its parent in the parent's frame, and the
channels that move it) and one row of channel values per frame. Forward kinematics: a joint's
global rotation is its parent's times its own (the rotation channels in the order listed, each about
the joint's own axes: `Zrotation Yrotation Xrotation` is Rz·Ry·Rx), and its position is the parent's
position plus the parent's global rotation applied to the joint's OFFSET. Only the root has position
channels. End sites become joints named `<parent>_end`.

Used to validate the gait analysis on real human motion (`python -m gaitpose.gait.validate --mocap`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from gaitpose.errors import GaitposeError

_ROTATIONS = ("Xrotation", "Yrotation", "Zrotation")
_POSITIONS = ("Xposition", "Yposition", "Zposition")


@dataclass
class Bvh:
    """A parsed BVH file. Joint i's parent is `parents[i]` (−1 for the root); parents come first."""

    names: list[str]
    parents: list[int]
    offsets: np.ndarray            # J×3, file units
    channels: list[list[str]]      # per joint, in file order
    frame_time_s: float
    motion: np.ndarray             # F×C, all channels in file order (degrees, file units)

    @property
    def fps(self) -> float:
        return 1.0 / self.frame_time_s

    def index(self, name: str) -> int:
        try:
            return self.names.index(name)
        except ValueError:
            raise GaitposeError(f"BVH has no joint {name!r} (it has {', '.join(self.names)})") from None


def parse_bvh(text: str, where: str = "BVH") -> Bvh:
    """Parse the text of a BVH file; a malformed file raises GaitposeError naming `where`."""
    tokens = text.split()
    pos = 0

    def take() -> str:
        nonlocal pos
        if pos >= len(tokens):
            raise GaitposeError(f"{where}: ends inside the HIERARCHY section")
        pos += 1
        return tokens[pos - 1]

    def expect(word: str) -> None:
        got = take()
        if got != word:
            raise GaitposeError(f"{where}: expected {word!r}, found {got!r}")

    def number(what: str) -> float:
        got = take()
        try:
            return float(got)
        except ValueError:
            raise GaitposeError(f"{where}: {what} must be a number, found {got!r}") from None

    names: list[str] = []
    parents: list[int] = []
    offsets: list[list[float]] = []
    channels: list[list[str]] = []
    expect("HIERARCHY")
    if take() != "ROOT":
        raise GaitposeError(f"{where}: the hierarchy must start with ROOT")
    stack: list[int] = []
    kind, pending_name = "ROOT", take()
    while True:
        # a joint (ROOT/JOINT name) or an end site ("End Site") block
        expect("{")
        parent = stack[-1] if stack else -1
        if kind == "End":
            name = f"{names[parent]}_end"
        else:
            name = pending_name
        expect("OFFSET")
        off = [number(f"OFFSET of {name}") for _ in range(3)]
        chans: list[str] = []
        if kind != "End":
            expect("CHANNELS")
            n = number(f"CHANNELS count of {name}")
            chans = [take() for _ in range(int(n))]
            bad = [c for c in chans if c not in _ROTATIONS + _POSITIONS]
            if bad:
                raise GaitposeError(f"{where}: joint {name} has unknown channel {bad[0]!r}")
        names.append(name)
        parents.append(parent)
        offsets.append(off)
        channels.append(chans)
        stack.append(len(names) - 1)
        # children, then the closing braces
        while True:
            word = take()
            if word == "}":
                stack.pop()
                if not stack:
                    break
                continue
            if word == "JOINT":
                kind, pending_name = "JOINT", take()
                break
            if word == "End":
                expect("Site")
                kind = "End"
                break
            raise GaitposeError(f"{where}: unexpected {word!r} in the hierarchy")
        if not stack:
            break
    expect("MOTION")
    expect("Frames:")
    n_frames = int(number("Frames"))
    expect("Frame")
    expect("Time:")
    frame_time = number("Frame Time")
    if not frame_time > 0:
        raise GaitposeError(f"{where}: Frame Time must be positive, found {frame_time}")
    n_channels = sum(len(c) for c in channels)
    values = tokens[pos:]
    if len(values) < n_frames * n_channels:
        raise GaitposeError(f"{where}: MOTION holds {len(values)} values, {n_frames} frames × "
                            f"{n_channels} channels need {n_frames * n_channels}")
    try:
        motion = np.array(values[: n_frames * n_channels], dtype=float).reshape(n_frames, n_channels)
    except ValueError:
        raise GaitposeError(f"{where}: MOTION holds a value that is not a number") from None
    if n_frames < 2:
        raise GaitposeError(f"{where}: needs at least 2 frames, has {n_frames}")
    return Bvh(names, parents, np.array(offsets, float), channels, frame_time, motion)


def read_bvh(path: str | Path) -> Bvh:
    """Read a BVH file (errors name the file)."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise GaitposeError(f"{p}: cannot read ({e.strerror})") from None
    return parse_bvh(text, where=str(p))


def _axis_rotation(axis: str, angle_rad: np.ndarray) -> np.ndarray:
    """F×3×3 rotations about x, y or z by the given angles (right-handed)."""
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    one, zero = np.ones_like(c), np.zeros_like(c)
    if axis == "X":
        rows = [[one, zero, zero], [zero, c, -s], [zero, s, c]]
    elif axis == "Y":
        rows = [[c, zero, s], [zero, one, zero], [-s, zero, c]]
    else:
        rows = [[c, -s, zero], [s, c, zero], [zero, zero, one]]
    return np.stack([np.stack(r, axis=-1) for r in rows], axis=-2)


def forward_kinematics(bvh: Bvh) -> tuple[np.ndarray, np.ndarray]:
    """Global positions (F×J×3, file units) and rotations (F×J×3×3) of every joint and end site."""
    n_frames, n_joints = len(bvh.motion), len(bvh.names)
    pos = np.zeros((n_frames, n_joints, 3))
    rot = np.zeros((n_frames, n_joints, 3, 3))
    col = 0
    for j in range(n_joints):
        local = np.broadcast_to(np.eye(3), (n_frames, 3, 3)).copy()
        translation = np.zeros((n_frames, 3))
        for name in bvh.channels[j]:
            values = bvh.motion[:, col]
            col += 1
            if name in _POSITIONS:
                translation[:, _POSITIONS.index(name)] = values
            else:
                local = local @ _axis_rotation(name[0], np.radians(values))
        p = bvh.parents[j]
        if p < 0:
            pos[:, j] = bvh.offsets[j] + translation
            rot[:, j] = local
        else:
            pos[:, j] = pos[:, p] + rot[:, p] @ bvh.offsets[j] + translation
            rot[:, j] = rot[:, p] @ local
    return pos, rot
