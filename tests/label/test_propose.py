import math

import numpy as np

from gaitpose.label.propose import Pick, choose_frames, flip_uncertainty, gait_phase_bins, subject_crop


def test_phase_bins_follow_the_ankles_round_the_cycle():
    # s = x_left_ankle - x_right_ankle = cos(theta), theta = 2 pi (n + 0.5) / 16; in the phase plane
    # (s, ds/dn) the angle is -theta, so bins (of 4, from -pi) go 1, 0, 3, 2 per quarter cycle.
    n = np.arange(32)
    theta = 2 * math.pi * (n + 0.5) / 16
    kp = np.zeros((32, 8, 3))
    kp[:, 6, 0] = 100 + 30 * np.cos(theta)
    kp[:, 7, 0] = 100
    kp[5, 7, 0] = np.nan                                   # a frame without the right ankle
    bins = gait_phase_bins(kp, 4)
    expected = np.tile(np.repeat([1, 0, 3, 2], 4), 2)
    inside = [k for k in range(2, 30) if k not in (4, 5, 6)]    # the gradient is one-sided at ends and gaps
    assert bins[5] == -1
    assert list(bins[inside]) == list(expected[inside])


def test_frames_are_spread_over_cells_most_uncertain_first_and_not_too_close():
    picks = [Pick(0, 0, 0, 0.9), Pick(0, 5, 0, 0.5), Pick(0, 10, 1, 0.2), Pick(0, 30, 1, 0.8),
             Pick(1, 0, 0, 0.3), Pick(1, 20, 1, 0.95)]
    chosen = choose_frames(picks, n_frames=10, min_gap_frames=8)
    # round 1: the best of each (video, bin) cell, by uncertainty; round 2: frame 5 is 5 frames from frame 0
    assert [(p.video, p.frame) for p in chosen] == [(1, 20), (0, 0), (0, 30), (1, 0), (0, 10)]
    assert [(p.video, p.frame) for p in choose_frames(picks, 3, 8)] == [(1, 20), (0, 0), (0, 30)]


def test_flip_uncertainty_counts_low_scores_and_disagreement():
    direct = np.array([[0, 0], [100, 0], [0, 50], [100, 50], [0, 100], [100, 100], [50, 0], [50, 100]], float)
    direct = np.column_stack([direct, np.ones(8)])
    assert flip_uncertainty(direct, direct.copy()) == 0.0
    back = direct.copy()
    back[3, 0] += 5                                        # 5 px of a 100 px body: half the 0.1 tolerance
    half = direct.copy()
    half[:, 2] = 0.5
    assert math.isclose(flip_uncertainty(half, back), 0.5 + 0.5 / 8)
    lost = direct.copy()
    lost[7, :2] = np.nan
    assert math.isclose(flip_uncertainty(lost, lost.copy()), 1 / 8 + 1 / 8)


def test_subject_crop_is_the_followers_square():
    kp = np.array([[100, 100, 1.0]] * 8)
    kp[:, 1] = np.linspace(100, 300, 8)                    # 200 px tall, zero wide
    crop = subject_crop(kp, 960, 540)
    assert math.isclose(crop.side, 1.9 * 200)
    assert math.isclose(crop.x0, 100 - 190) and math.isclose(crop.y0, 200 - 190)
    kp[3:, 2] = 0.1                                        # 3 joints found: fewer than 5, the whole frame
    assert subject_crop(kp, 960, 540).side == 960
