"""report.html from an analysis folder: what a therapist reads, worked out by hand from conftest's summary."""
import json
import re

import cv2
import numpy as np
import pytest

from conftest import HAND_SUMMARY, write_folder
from gaitpose.errors import GaitposeError
from gaitpose.formats import write_keypoints_csv
from gaitpose.report.clinical import heel_strike_frames, load_analysis, render_report, still_frames, write_report


def _key_row(page: str, label: str) -> str:
    row = re.search(rf"<tr><th scope=row>{re.escape(label)} .*?</tr>", page)
    assert row, label
    return row.group(0)


def test_key_numbers_rounded_flagged_and_referenced(hand_folder):
    page = render_report(load_analysis(hand_folder))
    # speed 0.384 → 0.38, far below 1.28–1.43 even with ±0.03
    speed = _key_row(page, "Walking speed")
    assert "0.38 <span class=mark>▼" in speed and "1.28–1.43" in speed and "0.384" not in page
    assert "62 <span class=mark>▼" in _key_row(page, "Cadence")
    # toe off up to 0.34 s late (17.5 % of the 1.94 s cycle) and 0.07 s early (3.6 %): stance left
    # 72 − 17.5 = 54.5 and right 74.4 − 17.5 = 56.9 could both be 60 → ≈
    stance = _key_row(page, "Stance")
    assert "72 <span class=mark>≈" in stance and "74 <span class=mark>≈" in stance and "−18 / +4" in stance
    # swing = swing time / own cycle: 0.55/1.96 = 28.1 % and 0.50/1.92 = 26.0 %: + 17.5 both reach 40 → ≈
    swing = _key_row(page, "Swing")
    assert "28 <span class=mark>≈" in swing and "26 <span class=mark>≈" in swing and "−4 / +18" in swing
    # double support 0.90/1.96 = 45.9 %: two late toe offs (2 × 17.5 = 35) below it reach 10.9 < 20 → ≈
    double = _key_row(page, "Double support")
    assert "46 <span class=mark>≈" in double and "−35 / +7" in double
    knee = _key_row(page, "Knee range of motion")
    assert "24 <span class=mark>▼" in knee and "50 <span class=mark>≈" in knee and "48 %" in knee  # 23.8/49.6
    assert "Perry J, Burnfield JM. Gait Analysis: Normal and Pathological Function, 2nd ed." in page
    assert "D<sub>ps</sub> = 0.75" in page


def test_header_quality_box_and_raw_files(hand_folder):
    page = render_report(load_analysis(hand_folder))
    for text in ("P-017", "2026-11-02 — week 3", "30 frames/s, 240 frames analysed (8.0 s)",
                 "calibrated: focal length 1000.0 × 1000.0 px", "gaitpose 0.1.0", "8 joints"):
        assert text in page, text
    # 240 frames × 8 joints = 1920 positions; 24 filled and 72 missing → 1824 found = 95 %
    assert "found 95 % of the joint positions (8 joints in each of 240 frames); 24 positions" in page
    assert "Left out: left stride at 5.10 s: missing keypoints inside the stride." in page
    assert "Which leg is left is uncertain" in page and "only 60 % of frames" in page
    assert "up to 0.07 s early or 0.34 s late" in page and "33 ms at 30 frames/s" in page
    assert "<li>summary.json</li>" in page and "<li>events.csv</li>" in page
    assert "the analysis was made from keypoints, without the video" in page


def test_an_implausible_rhythm_is_said_in_the_lead(tmp_path, hand_folder):
    warning = "Warning: no walk has this rhythm (see the notes at the end)"
    assert warning not in render_report(load_analysis(hand_folder))          # no flag: as before
    plausible = write_folder(tmp_path / "ok", {**HAND_SUMMARY, "rhythm_plausible": True})
    assert warning not in render_report(load_analysis(plausible))
    flagged = write_folder(tmp_path / "bad", {**HAND_SUMMARY, "rhythm_plausible": False})
    lead = re.search(r"<p class=lead>(.*?)</p>", render_report(load_analysis(flagged))).group(1)
    assert lead.endswith(warning + "; the legs were most likely not followed, so these numbers are not to be "
                         "used. Check overlay.mp4.")


def test_self_contained_printable_and_escaped(tmp_path):
    session = {"subject": "<script>alert(1)</script>", "date": "2026-11-02", "software_version": "0.1.0"}
    folder = write_folder(tmp_path / "a", session=session)
    page = render_report(load_analysis(folder))
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)     # nothing fetched from elsewhere
    assert "@page{size:A4" in page and "@media print" in page
    assert re.search(r'src="data:image/png;base64,', page)               # the cycle plot is embedded


def test_lab_norms_in_the_folder_give_the_range(tmp_path):
    folder = write_folder(tmp_path / "a")
    norms = {"n_points": 101, "angles": {}, "scalars": {"cadence_steps_per_min": {"mean": 60.0, "sd": 5.0, "n": 9}}}
    (folder / "norms.json").write_text(json.dumps(norms))
    row = _key_row(render_report(load_analysis(folder)), "Cadence")
    assert "50–70" in row and "mark" not in row      # 62 inside 60 ± 2·5
    assert "mean ± 2 SD of 9 recordings" in render_report(load_analysis(folder))


def test_not_an_analysis_folder(tmp_path):
    with pytest.raises(GaitposeError, match="no summary.json"):
        load_analysis(tmp_path)
    with pytest.raises(GaitposeError, match="no such analysis folder"):
        load_analysis(tmp_path / "missing")
    (tmp_path / "summary.json").write_text("{broken")
    with pytest.raises(GaitposeError, match="summary.json: not readable JSON"):
        load_analysis(tmp_path)


def test_heel_strikes_spread_over_the_walk():
    events = [{"side": "left", "event": "heel_strike", "frame": str(f), "time_s": str(f / 30)} for f in range(10)]
    events.append({"side": "left", "event": "toe_off", "frame": "3", "time_s": "0.1"})
    # 10 heel strikes, 6 wanted: indices round(0, 1.8, 3.6, 5.4, 7.2, 9) = 0, 2, 4, 5, 7, 9
    assert [f for f, _, _ in heel_strike_frames(events, 6)] == [0, 2, 4, 5, 7, 9]


def test_still_frames_at_heel_strikes_with_the_skeleton(tmp_path):
    # A 12-frame grey video; the keypoints put a person in the middle of each frame. Heel strikes at
    # frames 3 and 8 → two stills, cropped to the person ± 35 % of its height, 220 px high.
    video = tmp_path / "walk.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 30.0, (320, 240))
    for _ in range(12):
        writer.write(np.full((240, 320, 3), 128, np.uint8))
    writer.release()
    kp = np.zeros((12, 8, 3))
    kp[:, :, 0] = [150, 170, 150, 170, 150, 170, 150, 170]
    kp[:, :, 1] = [60, 60, 120, 120, 160, 160, 200, 200]
    kp[:, :, 2] = 1.0
    folder = write_folder(tmp_path / "a")
    write_keypoints_csv(folder / "keypoints.csv", kp, 30.0)
    events = [{"side": "right", "event": "heel_strike", "frame": "3", "time_s": "0.1"},
              {"side": "left", "event": "heel_strike", "frame": "8", "time_s": "0.2667"}]
    stills = still_frames(video, folder, events)
    assert [c for c, _ in stills] == ["right heel strike 0.10 s", "left heel strike 0.27 s"]
    image = cv2.imdecode(np.frombuffer(stills[0][1], np.uint8), cv2.IMREAD_COLOR)
    # person 60..200 px high (140), padded by 49 px: rows 11..249 → 11..240 (229), columns 101..219 (118)
    assert image.shape[0] == 220 and image.shape[1] == int(118 * 220 / 229)
    assert (np.abs(image.astype(int) - 128).max(axis=2) > 60).any()      # the skeleton is drawn on it
    (folder / "events.csv").write_text("side,event,frame,time_s\nright,heel_strike,3,0.1\n")
    page = write_report(folder, video).read_text()
    assert page.count('src="data:image/jpeg;base64,') == 1 and "right heel strike 0.10 s" in page


def _people(n: int) -> list[dict]:
    return [{"person": 1, "walking_s": 6.0, "first_seen_s": 0.2, "last_seen_s": 6.2, "analysed": n == 1,
             "thumbnail": "person-1.jpg" if n > 1 else None},
            {"person": 2, "walking_s": 2.04, "first_seen_s": 7.0, "last_seen_s": 9.06, "analysed": True,
             "thumbnail": "person-2.jpg"}][:n]


def test_the_people_who_walk_are_listed_with_thumbnails_and_how_to_choose(tmp_path):
    import base64

    folder = write_folder(tmp_path / "a")
    (folder / "analysis.json").write_text(json.dumps({"person_analysed": 2, "people": _people(2)}))
    jpgs = {}
    for k, colour in ((1, (0, 0, 230)), (2, (230, 0, 0))):
        ok, jpg = cv2.imencode(".jpg", np.full((96, 40, 3), colour, np.uint8))
        jpgs[k] = jpg.tobytes()
        (folder / f"person-{k}.jpg").write_bytes(jpgs[k])
    page = render_report(load_analysis(folder))
    section = page[page.index("<h2>People in the video</h2>"):]
    section = section[:section.index("<h2>", 5)]
    assert "2 people were seen walking; person 2 was analysed" in section and "<code>--person N</code>" in section
    assert "person 1: walks 6.0 s, seen 0.2–6.2 s</figcaption>" in section
    assert "person 2: walks 2.0 s, seen 7.0–9.1 s (analysed)</figcaption>" in section
    # each thumbnail is the file beside the report, embedded (the page stays self-contained) and named
    embedded = re.findall(r'alt="person (\d)[^"]*\((person-\d\.jpg)\)" src="data:image/jpeg;base64,([^"]+)"', section)
    assert [(k, name) for k, name, _ in embedded] == [("1", "person-1.jpg"), ("2", "person-2.jpg")]
    assert [base64.b64decode(data) for _, _, data in embedded] == [jpgs[1], jpgs[2]]


def test_one_person_is_one_line_and_no_list(tmp_path):
    folder = write_folder(tmp_path / "a")
    (folder / "analysis.json").write_text(json.dumps({"person_analysed": 1, "people": _people(1)}))
    page = render_report(load_analysis(folder))
    assert "People in the video" not in page and "--person" not in page
    assert "<li>One person was seen walking (6.0 s) and was analysed.</li>" in page


def test_a_video_that_ended_early_is_said_among_the_data_quality_items(tmp_path):
    folder = write_folder(tmp_path / "a")
    said = "the video ends after frame 107 of the 240 its header announces (a truncated or damaged file?); the frames read were analysed"
    (folder / "analysis.json").write_text(json.dumps({"ended_early": said}))
    page = render_report(load_analysis(folder))
    assert ("<li>The video ends after frame 107 of the 240 its header announces (a truncated or damaged file?); "
            "the frames read were analysed.</li>") in page
    (folder / "analysis.json").write_text(json.dumps({}))
    assert "header announces" not in render_report(load_analysis(folder))
