"""Turns, pauses and re-entries: a walker split by the background model is one person (`hands_over`), and
between the walker's tracks keypoints are asked for while the follower still holds the person."""
import cv2
import numpy as np

from gaitpose.predict.follow import FollowParams
from gaitpose.predict.motion import MotionParams, Walker, hands_over, walkers
from gaitpose.predict.video import probe_video
import gaitpose.predict.track as track

RED, BLUE, GREEN = (np.eye(64, dtype=np.float32)[k] for k in (3, 43, 23))    # one bin each: 1 apart
FPS = 10.0                          # link_gap_s 0.5 s: 5 frames; handover_overlap_s 1.0 s: 10 frames


def _track(first: int, last: int, x0: float, dx: float, y: float = 0.0, h: float = 40.0) -> dict:
    """Boxes 20 px wide and `h` tall, x0 + dx per frame."""
    return {f: (x0 + dx * (f - first), y, 20.0, h) for f in range(first, last + 1)}


def test_hands_over_by_hand_in_time_place_and_size():
    a = _track(0, 30, 0.0, 5.0)                                   # ends at frame 30 in box (150, 0, 20, 40)
    p = MotionParams()

    def b(start, x=150.0, y=0.0, h=40.0, last=60):
        return {f: (x, y, 20.0, h) for f in range(start, last + 1)}

    # Time: from 1.0 s (10 frames) before a's end to 0.5 s (5 frames) after it.
    assert [hands_over(a, b(s), FPS, p) for s in (19, 20, 35, 36)] == [False, True, True, False]
    assert not hands_over(a, b(25, last=29), FPS, p)              # ends before a: no take-over
    assert not hands_over(a, _track(0, 40, 150.0, 0.0), FPS, p)   # starts with a, not after it
    # Place: centres (160, 20) and (x + 10, y + 20) at most one height (40) across, half of one (20) up or down.
    assert [hands_over(a, b(32, x=x), FPS, p) for x in (190.0, 191.0, 110.0, 109.0)] == [True, False, True, False]
    assert [hands_over(a, b(32, y=y), FPS, p) for y in (20.0, 21.0, -20.0, -21.0)] == [True, False, True, False]
    # Size: within a factor 1.5 of a's height (26.7 to 60 px); the centre kept at y 20.
    assert [hands_over(a, b(32, y=20 - h / 2, h=h), FPS, p) for h in (60.0, 61.0, 27.0, 26.0)] == \
        [True, False, True, False]


def _with_colour(tracks_and_colours):
    boxes: dict[int, list] = {}
    colours: dict[int, list] = {}
    for t, c in tracks_and_colours:
        for f, box in t.items():
            boxes.setdefault(f, []).append(box)
            colours.setdefault(f, []).append(c)
    return boxes, colours


def test_the_walker_coming_back_in_another_colour_is_one_person_when_it_takes_over_where_it_turned():
    # A walks right over frames 0-30 (x 0 → 150, red: its front). After the turn, frames 33-63, it walks back
    # left from x 186, y 20 (blue: its back): its centre is 41.2 px from where A's last was, more than the box's
    # larger side (40), so the linking starts a new track; but it is 36 px across and 20 down, within one
    # height and half of one, 3 frames later: the same person, 6.0 s of walking. B (green) walks left
    # over frames 80-100 (x 400 → 200, 2.0 s), starting 17 frames after the blue track ended: someone else.
    there = _track(0, 30, 0.0, 5.0)
    back = _track(33, 63, 186.0, -5.0, y=20.0)
    other = _track(80, 100, 400.0, -10.0)
    boxes, colours = _with_colour([(there, RED), (back, BLUE), (other, GREEN)])
    people = walkers(boxes, FPS, colours)
    assert [[(min(t), max(t)) for t in w.tracks] for w in people] == [[(0, 30), (33, 63)], [(80, 100)]]
    assert people[0].walking_s == 6.0 and people[1].walking_s == 2.0
    # Turning for 6 frames instead of 3 (more than 0.5 s): no take-over, so colour alone decides: three people.
    late = _track(36, 66, 186.0, -5.0, y=20.0)
    boxes, colours = _with_colour([(there, RED), (late, BLUE), (other, GREEN)])
    assert [[(min(t), max(t)) for t in w.tracks] for w in walkers(boxes, FPS, colours)] == \
        [[(0, 30)], [(36, 66)], [(80, 100)]]


class _FindsTheWhiteFigure:
    """A keypoint backend that finds the white figure in its input: 8 joints on the figure's box (score 1),
    none (score 0) without one. Counts the frames it was asked about."""

    input_size = 64
    name = "white figure"

    def __init__(self):
        self.calls = 0

    def __call__(self, images):
        out = np.zeros((len(images), 8, 3))
        for k, image in enumerate(images):
            ys, xs = np.nonzero(image.min(axis=2) > 200)
            if len(xs) == 0:
                continue
            x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
            rows = (y0, y0, (y0 + y1) / 2, (y0 + y1) / 2, 0.75 * y1 + 0.25 * y0, 0.75 * y1 + 0.25 * y0, y1, y1)
            out[k, :, 0] = [x0, x1] * 4
            out[k, :, 1] = rows
            out[k, :, 2] = 1.0
        self.calls += len(images)
        return out


def test_keypoints_between_the_walkers_tracks_while_the_follower_holds_the_person(tmp_path, monkeypatch):
    # 10 fps, 320 × 120. A white figure 20 × 60 px walks right over frames 0-20 (x 20 → 120), stands there
    # over frames 21-40, is gone over frames 41-90 and walks in again over frames 91-110. The walker's tracks
    # (given, as the motion pre-pass would find them) are its walking frames 0-20 and 91-110, so it is
    # "present" over frames 0-25 and 86-110 (0.5 s: 5 frames). Between them the follower holds the standing
    # figure by its keypoints (frames 26-40), then coasts 16 frames without them (41-56: lost for more than
    # coast_frames 15 at frame 56) and lets go: no keypoints are asked for frames 57-85.
    path = tmp_path / "pause.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (320, 120))
    walked: dict[int, tuple] = {}
    for f in range(111):
        frame = np.zeros((120, 320, 3), np.uint8)
        x = 20 + 5 * min(f, 20) if f <= 40 else 20 + 5 * (f - 91) if f >= 91 else None
        if x is not None:
            frame[30:90, x:x + 20] = 255
        if f <= 20 or f >= 91:
            walked[f] = (float(x), 30.0, 20.0, 60.0)
        writer.write(frame)
    writer.release()
    tracks = ({f: b for f, b in walked.items() if f <= 20}, {f: b for f, b in walked.items() if f >= 91})
    person = Walker(tracks, 4.0, 0.0, 11.0, 10, walked[10])
    monkeypatch.setattr(track, "scan_people", lambda *args: ({f: [b] for f, b in walked.items()}, [person], set()))
    backend = _FindsTheWhiteFigure()
    out = track.track_video(probe_video(path), backend, batch_size=1, follow_params=FollowParams(min_score=0.5),
                            progress=False)
    assert backend.calls == 57 + 25                         # frames 0-56 and 86-110
    found = np.isfinite(out.keypoints[:, :, 0]).all(axis=1) & (out.keypoints[:, :, 2] >= 0.5).all(axis=1)
    assert np.flatnonzero(found).tolist() == list(range(0, 41)) + list(range(91, 111))


def _texture(seed: int = 3, size=(180, 320)) -> np.ndarray:
    """A random texture, blurred so that corners are a few pixels wide (grey, uint8)."""
    noise = np.random.default_rng(seed).integers(0, 256, size).astype(np.uint8)
    return cv2.GaussianBlur(noise, (5, 5), 1.5)


def test_camera_shift_is_the_backgrounds_shift_not_the_walkers():
    from gaitpose.predict.motion import camera_shift

    scene = _texture(size=(220, 360))
    before = scene[20:200, 20:340].copy()
    after = scene[22:202, 17:337].copy()          # a point of the scene at column c, row r is at (c - 20, r - 20)
    #                                               before and at (c - 17, r - 22) after: moved 3 px right, 2 up
    after[60:140, 140:180] = _texture(9, (80, 40))   # a "walker" (a tenth of the picture) moving on its own
    np.testing.assert_allclose(camera_shift(before, after), [3.0, -2.0], atol=0.1)
    np.testing.assert_allclose(camera_shift(before, before), [0.0, 0.0], atol=0.05)
    assert camera_shift(np.zeros((180, 320), np.uint8), np.zeros((180, 320), np.uint8)) is None   # no corners


def test_the_scanner_says_the_camera_pans_after_two_measurements_that_saw_it_move():
    from gaitpose.predict.motion import MotionScanner

    scene = cv2.cvtColor(_texture(size=(180, 420)), cv2.COLOR_GRAY2BGR)
    panning = MotionScanner()
    seen = [panning.boxes(scene[:, 2 * f:2 * f + 320]) is not None and panning.panning for f in range(21)]
    # Measured every 5th frame (and wherever 15 % of the picture moves): by frame 10 two measurements saw
    # the 2 px shift; frame 0 has nothing to compare with, frame 1 at most one measurement.
    assert seen[:2] == [False, False] and all(seen[10:])
    still = MotionScanner()
    frames = []
    for f in range(21):                             # the same picture, standing, and a white box walking
        frame = scene[:, :320].copy()
        frame[40:120, 10 * f:10 * f + 30] = 255
        frames.append(frame)
    assert not any(still.boxes(frame) is not None and still.panning for frame in frames)


def test_where_the_camera_pans_the_walker_box_is_no_guide_and_keypoints_are_asked_for(tmp_path, monkeypatch):
    # The video of the test above; the pre-pass gave a wrong box for the second pass (x 250, where nothing is:
    # a panning camera's background) and says the camera panned over frames 60-70 and 86-110. Frames 60-70 are
    # asked for (11 more), and from frame 91 the figure is found: the follower looks at the whole frame,
    # then holds the figure, instead of cropping around the wrong box.
    path = tmp_path / "pause.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (320, 120))
    for f in range(111):
        frame = np.zeros((120, 320, 3), np.uint8)
        x = 20 + 5 * min(f, 20) if f <= 40 else 20 + 5 * (f - 91) if f >= 91 else None
        if x is not None:
            frame[30:90, x:x + 20] = 255
        writer.write(frame)
    writer.release()
    first = {f: (20.0 + 5 * f, 30.0, 20.0, 60.0) for f in range(21)}
    wrong = {f: (250.0, 30.0, 20.0, 60.0) for f in range(91, 111)}
    person = Walker((first, wrong), 4.0, 0.0, 11.0, 10, first[10])
    panning = set(range(60, 71)) | set(range(86, 111))
    monkeypatch.setattr(track, "scan_people",
                        lambda *args: ({f: [b] for f, b in {**first, **wrong}.items()}, [person], panning))
    backend = _FindsTheWhiteFigure()
    out = track.track_video(probe_video(path), backend, batch_size=1, follow_params=FollowParams(min_score=0.5),
                            progress=False)
    assert backend.calls == 57 + 11 + 25                    # frames 0-56, 60-70 and 86-110
    found = np.isfinite(out.keypoints[:, :, 0]).all(axis=1) & (out.keypoints[:, :, 2] >= 0.5).all(axis=1)
    assert np.flatnonzero(found).tolist() == list(range(0, 41)) + list(range(91, 111))
