"""true_runs by hand: the runs of True of a mask, half-open."""
import numpy as np

from gaitpose.arrays import true_runs


def test_true_runs_by_hand():
    assert true_runs(np.array([0, 1, 1, 0, 1], bool)) == [(1, 3), (4, 5)]
    assert true_runs(np.array([1, 1, 1], bool)) == [(0, 3)]
    assert true_runs(np.zeros(4, bool)) == [] and true_runs(np.zeros(0, bool)) == []
