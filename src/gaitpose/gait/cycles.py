"""Curves normalised to the gait cycle (0–100 %, 101 points), normative bands and deviation scores."""
from __future__ import annotations

import numpy as np

N_POINTS = 101
CYCLE_ANGLES: tuple[str, ...] = ("hip_deg", "knee_deg")


def normalise_stride(curve_t: np.ndarray, start_frame: float, end_frame: float) -> np.ndarray:
    """Resample one stride (heel strike → next heel strike, fractional frames) to 101 points."""
    t = np.arange(len(curve_t))
    return np.interp(np.linspace(start_frame, end_frame, N_POINTS), t, curve_t)


def cycle_curves(angles: dict[str, np.ndarray], strides: list) -> dict[str, dict[str, list[float]]]:
    """{f"{side}_{angle}": {"mean": 101, "sd": 101, "n": strides}} over the strides of each side."""
    out: dict[str, dict] = {}
    for name in CYCLE_ANGLES:
        for side in ("left", "right"):
            rows = [normalise_stride(angles[f"{side}_{name}"], s.start_frame, s.end_frame)
                    for s in strides if s.side == side]
            rows = [r for r in rows if np.all(np.isfinite(r))]
            if rows:
                arr = np.array(rows)
                out[f"{side}_{name}"] = {"mean": arr.mean(0).tolist(), "sd": arr.std(0).tolist(), "n": len(rows)}
    return out


def build_norms(cycle_sets: list[dict[str, dict]]) -> dict:
    """Reference band from several recordings' cycle curves: per angle (sides pooled) mean and SD of the
    recordings' mean curves, 101 points. Input: the `cycle_curves` entries of summary.json files."""
    norms: dict[str, dict] = {}
    for name in CYCLE_ANGLES:
        curves = [c[f"{side}_{name}"]["mean"] for c in cycle_sets for side in ("left", "right") if f"{side}_{name}" in c]
        if curves:
            arr = np.array(curves, float)
            norms[name] = {"mean": arr.mean(0).tolist(), "sd": arr.std(0).tolist(), "n_curves": len(curves)}
    return {"n_points": N_POINTS, "angles": norms}


def deviation_scores(curves: dict[str, dict], norms: dict) -> dict[str, float]:
    """Gait Variable Score per joint and side: RMS distance (deg) of the mean cycle curve from the reference
    mean (Baker et al. 2009, "The Gait Profile Score and Movement Analysis Profile", Gait & Posture 30:265)."""
    out: dict[str, float] = {}
    for name, ref in norms.get("angles", {}).items():
        for side in ("left", "right"):
            key = f"{side}_{name}"
            if key in curves:
                diff = np.array(curves[key]["mean"]) - np.array(ref["mean"])
                out[key] = float(np.sqrt(np.mean(diff ** 2)))
    return out
