"""Several people in one video: every walker found and ranked by how long it walks (person 1, the one who
walks most, is the default walker), `--person N` follows another, the people are listed in
analysis.json with thumbnails, and asking for a person who is not there is one clear line."""
import json

import cv2
import numpy as np
import pytest

from gaitpose.errors import GaitposeError
from gaitpose.gait.pipeline import GaitOptions
from gaitpose.jobs import analyze
from gaitpose.predict.analyze import AnalyzeOptions
from gaitpose.predict.motion import part_of, person_boxes, walker_boxes, walker_tracks, walkers
from gaitpose.predict.track import choose_person
from gaitpose.predict.video import VideoInfo

RED, BLUE, GREEN, YELLOW, WHITE = (np.eye(64, dtype=np.float32)[k] for k in (3, 43, 23, 15, 0))   # one bin each


def _scene() -> tuple[dict[int, list], dict[int, list]]:
    """10 frames/s, boxes 20 × 40 px. A (red) walks right over frames 0-30 (3.0 s, x 0 → 150), turns out of
    sight, walks back left over frames 40-70 (3.0 s, x 150 → 0): 6.0 s in all. B (blue) walks left over
    frames 80-100 (2.0 s, x 400 → 200). C (green) stands at x 500 (1 px of sway) all along: no walker.
    D (yellow) crosses the right edge over frames 20-26 (x 620 → 560, 1.5 heights but 0.6 s): no walker.
    E (white, 10 × 10 px) is A's shoes on its first pass (x 5f + 5, y 30: inside A's box, a quarter of its
    height): it walks 3.0 s, longer than B, but is a part of A, no one new."""
    boxes: dict[int, list] = {f: [] for f in range(101)}
    colours: dict[int, list] = {f: [] for f in range(101)}

    def put(f, x, colour):
        boxes[f].append((float(x), 0.0, 20.0, 40.0))
        colours[f].append(colour)

    for f in range(101):
        if f <= 30:
            put(f, 5 * f, RED)
            boxes[f].append((5.0 * f + 5, 30.0, 10.0, 10.0))
            colours[f].append(WHITE)
        elif 40 <= f <= 70:
            put(f, 150 - 5 * (f - 40), RED)
        elif 80 <= f:
            put(f, 400 - 10 * (f - 80), BLUE)
        put(f, 500 + f % 2, GREEN)
        if 20 <= f <= 26:
            put(f, 620 - 10 * (f - 20), YELLOW)
    return boxes, colours


def test_walkers_ranked_by_walking_time_without_the_standing_person_and_the_edge_crosser():
    boxes, colours = _scene()
    people = walkers(boxes, 10.0, colours)
    assert len(people) == 2                                        # C stands, D is gone in 0.6 s, E is A's
    a, b = people
    assert [(min(t), max(t)) for t in a.tracks] == [(0, 30), (40, 70)]
    assert (a.walking_s, a.first_s, a.last_s) == pytest.approx((6.0, 0.0, 7.0))
    assert [(min(t), max(t)) for t in b.tracks] == [(80, 100)]
    assert (b.walking_s, b.first_s, b.last_s) == pytest.approx((2.0, 8.0, 10.0))
    # Thumbnails: the middle of the longest pass (A's two are equally long: the first, frame 15, x 75;
    # B: frame 90, x 400 - 100); the boxes are whole bodies already, so unchanged.
    assert (a.thumbnail_frame, a.thumbnail_box) == (15, pytest.approx((75.0, 0.0, 20.0, 40.0)))
    assert (b.thumbnail_frame, b.thumbnail_box) == (90, pytest.approx((300.0, 0.0, 20.0, 40.0)))
    # The default walker is person 1, as before.
    assert walker_tracks(boxes, 10.0, colours=colours) == list(a.tracks)
    assert walker_boxes(boxes, 10.0, colours=colours) == person_boxes(a.tracks, 10.0)


def test_a_part_is_small_and_inside_the_body_most_of_the_time():
    body = {f: (0.0, 0.0, 20.0, 40.0) for f in range(10)}
    leg = {f: (5.0, 20.0, 10.0, 15.0) for f in range(10)}                   # centre (10, 27.5): inside
    assert part_of([leg], body)
    assert not part_of([{f: (5.0, 10.0, 10.0, 25.0) for f in range(10)}], body)   # 25 px: over half of 40
    # inside in 5 of 10 frames is half: a part; in 4 of 10 (centre x 30 in the others) not
    assert part_of([{f: (5.0 + 20 * (f >= 5), 20.0, 10.0, 15.0) for f in range(10)}], body)
    assert not part_of([{f: (5.0 + 20 * (f >= 4), 20.0, 10.0, 15.0) for f in range(10)}], body)


def test_choose_person_follows_another_or_says_how_many_walk():
    boxes, colours = _scene()
    people = walkers(boxes, 10.0, colours)
    info = VideoInfo("clinic.avi", 10.0, 101, 640, 40)
    second = choose_person(people, 2, info)
    assert sorted(second) == list(range(80, 101))
    assert second[85] == pytest.approx((350.0, 0.0, 20.0, 40.0))
    assert sorted(choose_person(people, 1, info)) == list(range(0, 31)) + list(range(40, 71))
    with pytest.raises(GaitposeError, match=r"^--person 3: 2 people were seen walking in clinic.avi$"):
        choose_person(people, 3, info)
    assert choose_person([], 1, info) == {}                        # nobody travels (a treadmill): as before
    with pytest.raises(GaitposeError, match=r"^--person 2: 0 people were seen walking"):
        choose_person([], 2, info)


# ------------------------------------------------------------------------------------- through analyze

FPS = 10.0


def _two_walkers_video(path):
    """320 × 160 px at 10 frames/s on grey: a red figure (24 × 80 px) walks right over frames 2-62 (6.0 s,
    x 10 → 250), a blue one walks left over frames 70-90 (2.0 s, x 280 → 80)."""
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), FPS, (320, 160))
    for f in range(95):
        frame = np.full((160, 320, 3), 90, np.uint8)
        if 2 <= f <= 62:
            x = 10 + 4 * (f - 2)
            cv2.rectangle(frame, (x, 40), (x + 23, 119), (0, 0, 230), -1)
        elif 70 <= f <= 90:
            x = 280 - 10 * (f - 70)
            cv2.rectangle(frame, (x, 40), (x + 23, 119), (230, 0, 0), -1)
        writer.write(frame)
    writer.release()
    return path


def _frames_given_to_the_network(out) -> list[int]:
    rows = (out / "keypoints_raw.csv").read_text().splitlines()[1:]
    return [int(r.split(",")[0]) for r in rows if r.split(",")[2] != ""]


def test_person_2_is_followed_listed_and_pictured(tmp_path, untrained_weights):
    video = _two_walkers_video(tmp_path / "two.avi")
    out = tmp_path / "out"
    options = AnalyzeOptions(weights=str(untrained_weights), progress=False, overlay=False, person=2)
    with pytest.raises(GaitposeError, match="no person found"):      # the network is blank on purpose
        analyze(video, out, options, GaitOptions())
    record = json.loads((out / "analysis.json").read_text())
    assert record["person_analysed"] == 2
    people = record["people"]
    assert [p["person"] for p in people] == [1, 2] and [p["analysed"] for p in people] == [False, True]
    # Walking time and when, from the frames drawn: red 2-62 (0.2-6.2 s, 6.0 s), blue 70-90 (7.0-9.0 s, 2.0 s).
    assert [(p["walking_s"], p["first_seen_s"], p["last_seen_s"]) for p in people] == \
        [pytest.approx((6.0, 0.2, 6.2)), pytest.approx((2.0, 7.0, 9.0))]
    # The network saw the blue walker's frames, 70-90 and 0.5 s (5 frames) either side up to the last
    # frame 94, and none of the red one's.
    assert _frames_given_to_the_network(out) == list(range(65, 95))
    # A thumbnail of each, 96 px tall, of its own colour (BGR: red is channel 2, blue channel 0).
    for p, channel in zip(people, (2, 0)):
        assert p["thumbnail"] == f"person-{p['person']}.jpg"
        picture = cv2.imread(str(out / p["thumbnail"]))
        assert picture.shape[0] == 96 and picture.shape[1] < 96
        assert picture[40:56, :, channel].mean() > 150 and picture[40:56, :, 2 - channel].mean() < 60


def test_person_3_of_two_is_one_line_and_nothing_is_written(tmp_path, untrained_weights):
    video = _two_walkers_video(tmp_path / "two.avi")
    out = tmp_path / "out"
    options = AnalyzeOptions(weights=str(untrained_weights), progress=False, overlay=False, person=3)
    with pytest.raises(GaitposeError, match=r"^--person 3: 2 people were seen walking in .*two\.avi$"):
        analyze(video, out, options, GaitOptions())
    assert not out.exists()


@pytest.mark.parametrize("person,follow,message", [(0, True, "--person: expected 1 or more, got 0"),
                                                   (2, False, "--person: choosing a person needs the follower")])
def test_person_option_checked_before_anything_runs(tmp_path, person, follow, message):
    out = tmp_path / "out"
    with pytest.raises(GaitposeError, match=message):
        analyze(_two_walkers_video(tmp_path / "two.avi"), out,
                AnalyzeOptions(weights=str(tmp_path / "absent.pt"), progress=False, person=person, follow=follow),
                GaitOptions())
    assert not out.exists()
