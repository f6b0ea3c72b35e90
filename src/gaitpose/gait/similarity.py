"""Curve similarity to a reference (SPEC §8): S, RMSE, MAE and Pearson r after a time-lag search."""
from __future__ import annotations

import numpy as np


def best_lag(a: np.ndarray, b: np.ndarray, max_lag: int) -> int:
    """Lag L (frames) maximising the correlation of a[t] with b[t − L], weighted by the overlap.

    Pearson r on the overlap alone favours a lag of a whole gait cycle whenever dropping the
    frames that no longer overlap happens to raise r; weighting r by the fraction of frames
    that still overlap (as the biased cross-correlation does) keeps the lag that aligns the whole
    recordings.
    """
    n_total = min(int(np.isfinite(a).sum()), int(np.isfinite(b).sum()))
    best, best_score = 0, -np.inf
    for lag in range(-max_lag, max_lag + 1):
        x, y = _overlap(a, b, lag)
        if len(x) > 10 and np.std(x) > 0 and np.std(y) > 0:
            score = float(np.corrcoef(x, y)[0, 1]) * len(x) / max(n_total, 1)
            if score > best_score:
                best, best_score = lag, score
    return best


def _overlap(a: np.ndarray, b: np.ndarray, lag: int) -> tuple[np.ndarray, np.ndarray]:
    if lag >= 0:
        x, y = a[lag:], b[: len(b) - lag] if lag else b
    else:
        x, y = a[: len(a) + lag], b[-lag:]
    n = min(len(x), len(y))
    x, y = x[:n], y[:n]
    ok = np.isfinite(x) & np.isfinite(y)
    return x[ok], y[ok]


def similarity(measured: np.ndarray, reference: np.ndarray, max_lag: int) -> dict[str, float]:
    """S = sqrt(Σ (Y_G − Y_T)²) / F (F = compared frames), RMSE, MAE, Pearson r and the lag (frames)."""
    lag = best_lag(measured, reference, max_lag)
    x, y = _overlap(measured, reference, lag)
    if len(x) < 2:
        return {"S": float("nan"), "rmse": float("nan"), "mae": float("nan"), "r": float("nan"), "lag_frames": lag, "n": len(x)}
    d = x - y
    r = float(np.corrcoef(x, y)[0, 1]) if np.std(x) > 0 and np.std(y) > 0 else float("nan")
    return {"S": float(np.sqrt(np.sum(d ** 2)) / len(d)), "rmse": float(np.sqrt(np.mean(d ** 2))),
            "mae": float(np.mean(np.abs(d))), "r": r, "lag_frames": lag, "n": len(d)}
