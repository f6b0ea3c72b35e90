"""overlay.mp4: the video with the skeleton, joint scores, live hip/knee angles and gait events."""
from __future__ import annotations

from typing import Iterable, Mapping

import cv2
import numpy as np

from gaitpose.skeleton import BONES, JOINTS
from gaitpose.videowriter import VideoWriter

_LEFT, _RIGHT, _MID = (255, 160, 40), (40, 140, 255), (200, 200, 200)    # BGR: left blue, right orange
# The same colours for other drawings of the skeleton (the labelling page): left, right, and bones across.
SKELETON_COLOURS_BGR = {"left": _LEFT, "right": _RIGHT, "middle": _MID}
_EVENT_SHOW_S = 0.25


def _side_colour(joint: int) -> tuple[int, int, int]:
    return _LEFT if JOINTS[joint].startswith("left") else _RIGHT


def draw_skeleton(frame: np.ndarray, kp_8x3: np.ndarray, min_score: float, show_scores: bool = True) -> None:
    """Bones and joints in place; joints below `min_score` drawn hollow and grey; each with its score
    unless `show_scores` is False."""
    scale = max(1.0, frame.shape[0] / 540)
    thick = max(1, int(round(2 * scale)))
    for i, j in BONES:
        a, b = kp_8x3[i], kp_8x3[j]
        if np.isfinite(a[:2]).all() and np.isfinite(b[:2]).all() and min(a[2], b[2]) >= min_score:
            colour = _side_colour(i) if JOINTS[i].split("_")[0] == JOINTS[j].split("_")[0] else _MID
            cv2.line(frame, (int(a[0]), int(a[1])), (int(b[0]), int(b[1])), colour, thick, cv2.LINE_AA)
    for k, (x, y, s) in enumerate(kp_8x3):
        if not (np.isfinite(x) and np.isfinite(y)):
            continue
        good = s >= min_score
        centre = (int(x), int(y))
        cv2.circle(frame, centre, int(4 * scale), _side_colour(k) if good else (128, 128, 128),
                   -1 if good else thick, cv2.LINE_AA)
        if show_scores:
            cv2.putText(frame, f"{s:.2f}", (centre[0] + int(6 * scale), centre[1] - int(4 * scale)),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.35 * scale, (255, 255, 255), 1, cv2.LINE_AA)


def draw_panel(frame: np.ndarray, lines: Iterable[tuple[str, tuple[int, int, int]]]) -> None:
    """Text lines on a dark box in the top-left corner."""
    scale = max(1.0, frame.shape[0] / 540)
    lines = list(lines)
    h = int(22 * scale)
    cv2.rectangle(frame, (0, 0), (int(300 * scale), h * len(lines) + int(8 * scale)), (0, 0, 0), -1)
    for n, (text, colour) in enumerate(lines):
        cv2.putText(frame, text, (int(8 * scale), h * (n + 1)), cv2.FONT_HERSHEY_SIMPLEX, 0.55 * scale,
                    colour, max(1, int(scale)), cv2.LINE_AA)


def _fmt(value: float) -> str:
    return f"{value:6.1f}" if np.isfinite(value) else "   --"


def render_overlay(frames_bgr: Iterable[tuple[int, np.ndarray | None]], out_path: str, fps: float, size: tuple[int, int],
                   frame_index: np.ndarray, keypoints: np.ndarray, angles: Mapping[str, np.ndarray],
                   events: Iterable[tuple[str, str, int]], min_score: float = 0.3) -> None:
    """Stream the frames once more and write the annotated video.

    `frame_index` (T) and `keypoints` (T×8×3, frame px) are the analysed frames; `angles` maps
    "left_hip_deg", "right_hip_deg", "left_knee_deg", "right_knee_deg" to T arrays; `events` holds
    (side, "heel_strike"|"toe_off", frame).
    """
    row_of = {int(f): t for t, f in enumerate(frame_index)}
    show = int(round(_EVENT_SHOW_S * fps))
    by_frame: dict[int, list[tuple[str, str]]] = {}
    for side, event, frame in events:
        for f in range(int(frame), int(frame) + show):
            by_frame.setdefault(f, []).append((side, event))
    width, height = size
    with VideoWriter(out_path, fps, width, height) as writer:
        for index, frame in frames_bgr:
            t = row_of.get(index)
            if frame is None:
                frame = np.zeros((height, width, 3), np.uint8)
                draw_panel(frame, [(f"frame {index}: unreadable", (0, 0, 255))])
                writer.write(frame)
                continue
            if t is not None:
                kp = keypoints[t]
                draw_skeleton(frame, kp, min_score)
                lines = [(f"t {index / fps:6.2f} s   frame {index}", (255, 255, 255))]
                for side, colour in (("left", _LEFT), ("right", _RIGHT)):
                    hip = angles.get(f"{side}_hip_deg", np.full(len(frame_index), np.nan))[t]
                    knee = angles.get(f"{side}_knee_deg", np.full(len(frame_index), np.nan))[t]
                    lines.append((f"{side:<5} hip {_fmt(hip)}  knee {_fmt(knee)}", colour))
                for side, event in by_frame.get(index, []):
                    lines.append((f"{side} {event.replace('_', ' ')}", (0, 255, 255)))
                    ankle = kp[JOINTS.index(f"{side}_ankle")]
                    if np.isfinite(ankle[:2]).all():
                        cv2.drawMarker(frame, (int(ankle[0]), int(ankle[1])), (0, 255, 255),
                                       cv2.MARKER_TRIANGLE_UP if event == "heel_strike" else cv2.MARKER_TRIANGLE_DOWN,
                                       int(24 * max(1.0, height / 540)), 2)
                draw_panel(frame, lines)
            writer.write(frame)
