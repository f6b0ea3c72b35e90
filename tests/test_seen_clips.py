"""The 'joints where the teacher sees the person' measure, worked by hand."""
import numpy as np

from gaitpose.seen_clips import share_where_seen, teacher_sees


def test_the_teacher_sees_the_person_with_four_joints_at_visibility_one_half():
    pts = np.zeros((4, 13, 3))                 # 8 joints, then heels, toes and nose (never counted)
    pts[0, :4, 2] = 0.5                         # four joints exactly at the limit: seen
    pts[1, :3, 2] = 0.9                         # three joints: not seen ...
    pts[1, 8:, 2] = 1.0                         # ... the feet and the nose do not count
    pts[2, :8, 2] = 0.49                        # every joint just below the limit: not seen
    pts[3, :5, 2] = 1.0                         # five joints, but one at NaN (no person there): four, seen
    pts[3, 0, 0] = np.nan
    assert teacher_sees(pts).tolist() == [True, False, False, True]


def test_share_counts_only_the_frames_where_the_teacher_sees_someone():
    seen = np.array([True, True, True, True, False, False])
    joints = np.array([True, False, True, True, True, True])    # joints where no one is seen do not help
    assert share_where_seen(joints, seen) == 0.75
    assert np.isnan(share_where_seen(joints, np.zeros(6, bool)))


def test_one_clip_row_by_hand(monkeypatch, tmp_path):
    """30 frames at 10 fps. The teacher sees the person in frames 2-29 (28 frames), with shoulders at y 0, hips at
    y 100 (torso 100 px), knees 150, ankles 200; `analyze` gives joints in frames 4-29, each 10 px to the right
    of the teacher's (0.1 torso lengths). Share 26 / 28; the person's span 2.5-2.5 s ± 1 s is frames 15-35,
    here 15-29: 15 frames seen, all with joints."""
    import gaitpose.seen_clips as seen_clips

    teacher = np.full((30, 13, 3), np.nan)
    for j, y in enumerate((0.0, 0.0, 100.0, 100.0, 150.0, 150.0, 200.0, 200.0)):
        teacher[2:, j] = (50.0 + 10.0 * (j % 2), y, 1.0)
    ours = np.full((30, 8, 3), np.nan)
    ours[4:] = teacher[4:, :8]
    ours[4:, :, 0] += 10.0
    ours[4:, :, 2] = 0.9
    monkeypatch.setattr(seen_clips, "full_frame_teacher", lambda video, cache: (np.arange(30), teacher, 10.0))
    monkeypatch.setattr(seen_clips, "ours", lambda video, options: {
        "status": "ok", "summary": {"cadence_steps_per_min": 90.0, "passes": []}, "frames": np.arange(30),
        "keypoints": ours, "min_score": 0.5, "span_s": (2.5, 2.5)})
    monkeypatch.setattr(seen_clips, "teacher_gait", lambda points, fps: ("ok", {"cadence_steps_per_min": 100.0}))
    row = seen_clips.clip_row(tmp_path / "clip.mp4", None, None)
    assert (row["frames"], row["teacher_sees"], row["with_joints"], row["with_joints_where_seen"]) == (30, 28, 26, 26)
    assert row["share_where_seen"] == 26 / 28
    assert (row["teacher_sees_in_span"], row["share_where_seen_in_span"]) == (15, 1.0)
    assert abs(row["median_torso_lengths_to_teacher"] - 0.1) < 1e-12
    assert (row["cadence_steps_per_min"], row["teacher_cadence_steps_per_min"]) == (90.0, 100.0)
