import json
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest

from gaitpose.data.coco import load_coco_keypoints
from gaitpose.errors import GaitposeError
from gaitpose.label.server import LabelOptions, make_server, prepare_session
from gaitpose.label.store import LabelStore, find_videos

from label_helpers import FIGURE, FixedProposer, write_video


def _session(video, out, n_frames=4):
    options = LabelOptions(n_frames=n_frames, step_s=0.5, min_gap_s=0.5, prefill="model")
    return prepare_session([str(video)], out, options, proposer=FixedProposer(), log=lambda _: None)


def test_frames_proposed_written_as_images_most_uncertain_first(video, tmp_path):
    store, warnings = _session(video, tmp_path / "lab")
    # candidates every 5 frames (0.5 s at 10 fps) of 30; uncertainty grows with the frame index;
    # the figure's ankles do not move, so all share one phase bin: frames 25, 20, 15, 10
    assert warnings == [] and [f.frame for f in store.frames] == [25, 20, 15, 10]
    first = store.frames[0]
    assert first.image == "images/walk_f000025.png" and (tmp_path / "lab" / first.image).is_file()
    import cv2
    grey = cv2.imread(str(tmp_path / "lab" / first.image))[5, 5]
    assert abs(int(grey[0]) - 125) <= 3                    # frame 25 has grey level 125
    assert np.allclose(first.keypoints[:, :2], FIGURE) and (first.keypoints[:, 2] == 2).all()
    assert not (tmp_path / "lab" / "labels.json").exists()  # nothing labelled yet


def test_every_change_is_in_labels_json_and_a_reopened_session_continues(video, tmp_path):
    out = tmp_path / "lab"
    store, _ = _session(video, out)
    kp = np.column_stack([FIGURE, np.full(8, 2.0)])
    kp[6, :2] = (130.5, 215.25)
    kp[7, 2] = 1                                           # right ankle hidden
    kp[0] = (np.nan, np.nan, 0)                            # left shoulder not in the picture
    store.update(1, kp.tolist(), position=2)
    samples = load_coco_keypoints(out / "labels.json")
    assert len(samples) == 1 and samples[0].image_path.name == "walk_f000020.png"
    assert samples[0].subject == "walk" and (samples[0].width, samples[0].height) == (320, 240)
    assert samples[0].keypoints_8x3[6].tolist() == [130.5, 215.25, 2]
    assert samples[0].keypoints_8x3[7, 2] == 1 and samples[0].keypoints_8x3[0].tolist() == [0, 0, 0]

    again, _ = _session(video, out)                        # same command again: nothing new is proposed
    assert len(again.frames) == 4 and again.frames[1].labelled and not again.frames[0].labelled
    assert again.state()["position"] == 2
    assert again.frames[1].keypoints[6].tolist() == [130.5, 215.25, 2]


def test_labels_json_wins_over_a_stale_session(video, tmp_path):
    out = tmp_path / "lab"
    store, _ = _session(video, out)
    kp = np.column_stack([FIGURE, np.full(8, 2.0)])
    kp[4, :2] = (1.0, 2.0)
    store.update(0, kp.tolist())
    session = json.loads((out / "session.json").read_text())
    session["frames"][0]["keypoints"][4] = [9.0, 9.0, 2]   # as if the session write was lost
    (out / "session.json").write_text(json.dumps(session))
    reopened = LabelStore(out)
    reopened.load()
    assert reopened.frames[0].keypoints[4].tolist() == [1.0, 2.0, 2]


def test_labels_without_their_session_are_kept(video, tmp_path):
    out = tmp_path / "lab"
    store, _ = _session(video, out)
    kp = np.column_stack([FIGURE, np.full(8, 2.0)])
    store.update(2, kp.tolist())
    (out / "session.json").unlink()                        # lost; labels.json is what counts
    again, _ = _session(video, out)
    assert again.frames[0].labelled and again.frames[0].image == "images/walk_f000015.png"
    again.update(1, kp.tolist())                           # a new label does not drop the old one
    names = sorted(s.image_path.name for s in load_coco_keypoints(out / "labels.json"))
    assert names == ["walk_f000015.png", "walk_f000025.png"]


def test_bad_input_is_one_clear_message(video, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(GaitposeError, match="no videos in this folder"):
        find_videos([str(empty)])
    bad = tmp_path / "broken.mp4"
    bad.write_text("not a video")
    with pytest.raises(GaitposeError, match="no readable video.*broken.mp4.*not a readable video"):
        _session(bad, tmp_path / "lab0")
    store, warnings = prepare_session([str(bad), str(video)], tmp_path / "lab1", LabelOptions(n_frames=2, prefill="model"),
                                      proposer=FixedProposer(), log=lambda _: None)
    assert len(store.frames) == 2 and len(warnings) == 1 and "broken.mp4" in warnings[0]
    other = tmp_path / "lab2"
    other.mkdir()
    (other / "labels.json").write_text(json.dumps({
        "images": [{"id": 1, "file_name": "a.png", "width": 4, "height": 4}],
        "annotations": [{"id": 1, "image_id": 1, "keypoints": [0] * 51}],
        "categories": [{"id": 1, "keypoints": ["nose", "left_eye"] + ["x"] * 15}]}))
    with pytest.raises(GaitposeError, match="labels.json: category keypoints are 17 names.*expected the 8 joints"):
        _session(video, other)


def _request(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


@pytest.fixture
def serve():
    servers = []

    def start(*args, **kwargs):
        server = make_server(*args, port=0, log=lambda _: None, **kwargs)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"
    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_server_gives_page_state_images_and_saves(video, tmp_path, serve):
    store, _ = _session(video, tmp_path / "lab")
    url = serve(store, [])
    status, page = _request(url + "/")
    assert status == 200 and b"/static/label.js" in page and b"http" not in page.replace(b"http-equiv", b"")
    state = json.loads(_request(url + "/api/state")[1])
    assert state["error"] is None and len(state["frames"]) == 4
    assert state["skeleton"]["colours"]["left"] == "rgb(40,160,255)"      # the overlay's BGR (255, 160, 40)
    assert _request(url + "/" + state["frames"][0]["image"])[1][:4] == b"\x89PNG"
    assert _request(url + "/images/../session.json")[0] == 404
    kp = state["frames"][2]["keypoints"]
    kp[5] = [10, 20, 1]
    assert _request(url + "/api/frame", {"index": 2, "keypoints": kp, "position": 3})[0] == 200
    assert load_coco_keypoints(tmp_path / "lab" / "labels.json")[0].keypoints_8x3[5].tolist() == [10, 20, 1]
    status, body = _request(url + "/api/frame", {"index": 2, "keypoints": [[1, 2, 5]] * 8})
    assert status == 400 and b"v 0, 1 or 2" in body


def test_a_fatal_error_is_what_the_page_shows(serve):
    url = serve(None, [], error="walks/: no videos in this folder")
    state = json.loads(_request(url + "/api/state")[1])
    assert state["error"] == "walks/: no videos in this folder"
    assert _request(url + "/api/frame", {"index": 0, "keypoints": []})[0] == 400


def test_frames_open_with_the_teachers_joints_where_it_sees_them(video, tmp_path):
    seen_frames = []

    def teacher(frame_bgr, guess):
        # the frame's pixels reach the pre-fill: frame n has grey level 5 n (label_helpers.write_video)
        seen_frames.append(int(frame_bgr[5, 5, 0]))
        out = np.full((8, 3), np.nan)
        out[4] = (100.0, 200.0, 0.9)           # the teacher sees only the left knee, somewhere else
        return out

    options = LabelOptions(n_frames=2, step_s=0.5, min_gap_s=0.5)
    store, _ = prepare_session([str(video)], tmp_path / "lab", options, proposer=FixedProposer(),
                               log=lambda _: None, prefill=teacher)
    frames = sorted(f.frame for f in store.frames)
    assert len(seen_frames) == 2 and all(abs(g - 5 * f) <= 3 for g, f in zip(seen_frames, frames))
    for f in store.frames:
        assert f.keypoints[4].tolist() == [100.0, 200.0, 2.0]                      # the teacher's knee
        others = [k for k in range(8) if k != 4]
        assert np.allclose(f.keypoints[others, :2], FIGURE[others]) and (f.keypoints[others, 2] == 2).all()
        assert np.allclose(f.proposal[:, :2], FIGURE)                              # the model's guess is kept
    session = json.loads((tmp_path / "lab" / "session.json").read_text())
    assert "pre-filled by the" in json.dumps(session)


def test_prefill_choice_and_missing_teacher(monkeypatch):
    from gaitpose.label import propose
    from gaitpose.predict import teacher

    def missing():
        raise GaitposeError(teacher.INSTALL_HINT)

    monkeypatch.setattr(teacher, "import_pose_solution", missing)
    assert propose.make_prefill("model") is None
    assert propose.make_prefill("auto") is None                 # no teacher: the model's joints, no error
    with pytest.raises(GaitposeError, match="make teacher"):
        propose.make_prefill("teacher")
    with pytest.raises(GaitposeError, match="--prefill"):
        propose.make_prefill("clicks")
