"""A small video and a stand-in proposer, so the labelling tests need no model run."""
import cv2
import numpy as np

from gaitpose.label.propose import Candidates
from gaitpose.predict.video import VideoInfo

# A standing figure in a 320×240 frame: shoulders, hips, knees, ankles (left, right), frame pixels.
FIGURE = np.array([[150, 40], [170, 42], [152, 110], [168, 112], [140, 160], [178, 158], [136, 210], [182, 208]],
                  dtype=float)


def write_video(path, n_frames=30, fps=10.0, size=(320, 240)):
    """Frames whose brightness tells their index (frame n has grey level 5 n), MJPG in AVI."""
    w, h = size
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), fps, (w, h))
    for n in range(n_frames):
        frame = np.full((h, w, 3), 5 * n, np.uint8)
        for x, y in FIGURE:
            cv2.circle(frame, (int(x), int(y)), 4, (255, 255, 255), -1)
        writer.write(frame)
    writer.release()
    return path


class FixedProposer:
    """Every `step`-th frame with the FIGURE as guess (score 0.9); uncertainty rises with the frame index."""

    name = "fixed figure"

    def __call__(self, info: VideoInfo, step: int) -> Candidates:
        frames = np.arange(0, info.n_frames, step)
        kp = np.repeat(np.column_stack([FIGURE, np.full(8, 0.9)])[None], len(frames), axis=0)
        return Candidates(frames, kp, frames / max(1, info.n_frames))
