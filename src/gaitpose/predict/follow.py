"""Subject following: crop around the walking person so the network sees them at a useful scale.

The subject is the person who *walks*: (re)acquisition takes the walker's moving region from the
motion pre-pass (`gaitpose.predict.motion`: the region that travels across the view, not a statue,
a poster or someone moving in place), or the largest moving region when no walker was found;
tracking keeps the crop on the keypoints found in the previous frames, predicted forward at
constant velocity. When the keypoints are lost (occlusion, leaving the frame) the crop coasts for a
while, then falls back to the moving region, then to the full frame.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import cv2
import numpy as np

from gaitpose.data.letterbox import Letterbox
from gaitpose.predict.motion import Box


@dataclass(frozen=True)
class Crop:
    """A square region of the frame (may extend past its borders; padded with black)."""

    x0: float
    y0: float
    side: float

    @staticmethod
    def full(width: int, height: int) -> "Crop":
        side = float(max(width, height))
        return Crop((width - side) / 2, (height - side) / 2, side)

    def cut(self, frame: np.ndarray, size: int) -> tuple[np.ndarray, Letterbox]:
        """The crop resized to size×size, and the letterbox mapping crop pixels ↔ input pixels."""
        x0, y0, side = int(round(self.x0)), int(round(self.y0)), max(1, int(round(self.side)))
        h, w = frame.shape[:2]
        patch = np.zeros((side, side, 3), frame.dtype)
        sx0, sy0, sx1, sy1 = max(0, x0), max(0, y0), min(w, x0 + side), min(h, y0 + side)
        if sx1 > sx0 and sy1 > sy0:
            patch[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0] = frame[sy0:sy1, sx0:sx1]
        lb = Letterbox(side, side, size)
        return lb.apply_image(patch), lb

    def to_frame(self, points_xy: np.ndarray, lb: Letterbox) -> np.ndarray:
        """Input pixels of this crop (…×2) → frame pixels."""
        return lb.to_original(points_xy) + np.array([round(self.x0), round(self.y0)], dtype=np.float64)


@dataclass
class FollowParams:
    min_score: float = 0.3            # a joint counts as found above this heatmap peak
    min_joints: int = 5               # the subject is held while at least this many joints are found
    margin: float = 1.9               # crop side = margin × the larger side of the joints' box
    min_side_frac: float = 0.12       # ... but never below this fraction of the frame's longer side
    coast_frames: int = 15            # frames to keep the predicted crop after the subject is lost
    bunched_frac: float = 0.3         # joints spanning less of the walker box's height are bunched on a part


@dataclass
class SubjectFollower:
    width: int
    height: int
    params: FollowParams = field(default_factory=FollowParams)

    def __post_init__(self) -> None:
        self._centre: np.ndarray | None = None       # last subject centre (frame px)
        self._velocity = np.zeros(2)                 # px per frame
        self._side: float = 0.0
        self._extent_y: float = 0.0                  # vertical span of the last joints found (px)
        self._lost = 0
        self._motion_box: Box | None = None
        self.n_lost_frames = 0

    @property
    def tracking(self) -> bool:
        return self._centre is not None

    def observe_motion(self, boxes: list[Box], walker_box: Box | None = None) -> None:
        """This frame's moving regions (`gaitpose.predict.motion`) and, when known, the walker's box.

        The walker's box wins: tracking that has drifted off it (onto someone who moves in place,
        or the background) is dropped so the next crop re-acquires the walker."""
        if walker_box is not None:
            self._motion_box = walker_box
            if self._centre is not None and not _near(self._centre, walker_box):
                self._centre, self._velocity, self._lost = None, np.zeros(2), 0
            # Keypoints bunched on part of the body must not shrink the crop below the whole walker. Joints
            # that span a body are kept as they are: the walker's box may be twice the walker (on a glossy
            # floor its reflection moves with it as one region), and a crop that large shows it at half size.
            if self._centre is None or self._extent_y < self.params.bunched_frac * walker_box[3]:
                self._side = max(self._side, self._motion_side(walker_box))
            return
        if not boxes:
            self._motion_box = None
            return
        if self._centre is not None:      # prefer the region nearest the subject
            c = self._centre
            self._motion_box = min(boxes, key=lambda b: np.hypot(b[0] + b[2] / 2 - c[0], b[1] + b[3] / 2 - c[1]))
        else:
            self._motion_box = max(boxes, key=lambda b: b[2] * b[3])

    def crops(self, n: int) -> list[Crop]:
        """Crops for the next n frames (constant-velocity prediction while tracking)."""
        if self._centre is not None:
            return [self._square(self._centre + self._velocity * (k + 1), self._side) for k in range(n)]
        if self._motion_box is not None:
            x, y, w, h = self._motion_box
            return [self._square(np.array([x + w / 2, y + h / 2]), self._motion_side(self._motion_box))] * n
        return [Crop.full(self.width, self.height)] * n

    def update(self, keypoints_8x3: np.ndarray) -> None:
        """Feed the keypoints (frame pixels, with scores) found in the crop just processed."""
        found = keypoints_8x3[:, 2] >= self.params.min_score
        if found.sum() >= self.params.min_joints:
            pts = keypoints_8x3[found, :2]
            lo, hi = pts.min(axis=0), pts.max(axis=0)
            centre = (lo + hi) / 2
            if self._centre is not None and self._lost == 0:
                self._velocity = 0.7 * self._velocity + 0.3 * (centre - self._centre)
            self._centre = centre
            self._side = self.params.margin * float(max(hi - lo))
            self._extent_y = float(hi[1] - lo[1])
            self._lost = 0
            return
        self.n_lost_frames += 1
        if self._centre is None:
            return
        self._lost += 1
        self._centre = self._centre + self._velocity
        if self._lost > self.params.coast_frames or not self._inside(self._centre):
            self._centre, self._velocity, self._lost = None, np.zeros(2), 0

    def _motion_side(self, box: Box) -> float:
        """Crop side for a moving region, which already spans the whole body."""
        return self.params.margin * max(box[2], box[3]) / 1.3

    def _inside(self, point: np.ndarray) -> bool:
        return 0 <= point[0] < self.width and 0 <= point[1] < self.height

    def _square(self, centre: np.ndarray, side: float) -> Crop:
        side = max(side, self.params.min_side_frac * max(self.width, self.height))
        return Crop(float(centre[0] - side / 2), float(centre[1] - side / 2), float(side))


def _near(point: np.ndarray, box: Box) -> bool:
    """Inside the box grown by half its size on every side."""
    x, y, w, h = box
    return x - w / 2 <= point[0] <= x + 1.5 * w and y - h / 2 <= point[1] <= y + 1.5 * h
