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
