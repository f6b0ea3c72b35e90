"""Passes: split a recording into walking segments in one direction (numpy only, keypoints from any tool).

A clinic walkway is short: the patient walks, stops, turns and walks back, several times. A walk there
and back analysed as one pass mixes two walking directions (the sign of every sagittal angle and of the
foot's forward position flips at the turn) and puts the turn's shuffling steps among the strides. So
the recording is first split into passes, each analysed on its own and pooled after.

Method: the pelvis' horizontal velocity, from a local straight-line fit over `PassSettings.velocity_window_s`
(about one gait cycle, so the speed's rise and fall within each step averages out; the fit copes with
gaps and with the recording's edges, where it is one-sided). A pass starts where the speed reaches
`start_speed_legs_per_s` and lasts while it stays above `stop_speed_legs_per_s` in the same direction
(hysteresis: a slow patient's momentary dip does not end the pass, noise around a threshold does not
start and stop it). A turn is where the velocity falls and changes sign; standing is where it stays
low; a long gap (the person out of view) leaves the fit without data. Each pass is then trimmed at its
ends to where the speed is at least `steady_fraction` of its median (slowing into a turn and speeding
up out of it are turning, not the patient's walk; a walk through the view keeps its speed and loses
nothing), and to the frames where the body is fully in view (half-visible entries and exits), and kept
when the pelvis travelled at least `min_travel_legs`, on average no faster than `max_speed_legs_per_s`
(joints that jump, at a cut or onto something else for a moment, are no walk). Speeds and distances are
in leg lengths (hip to ankle), so the same numbers hold at any image size, camera distance and frame
rate; times are each frame's own time stamp, so a variable frame rate is handled.

Walking in place (treadmill; also a camera that pans with the walker): the hips do not travel in the
image, so no pass is found from them. When a recording has no travelling pass, each stretch of at least
`min_stepping_s` where a foot moves to and fro relative to the pelvis (`stepping_range_legs` within
`stepping_window_s`) is a pass: walking in place, direction 0 (the hips cannot tell the facing), when
the pelvis drifts less than `max_treadmill_travel_legs` over it (about one thigh length, the rule the
pipeline used before passes), else a slow or short walk in the direction of the drift. Turning on the
spot also steps in place, so a recording with travelling passes gets no such pass. A camera that pans
with the walker shows a walk there and back as walking in place; there the turn is seen from the body:
given the knees' facing (`facing_t`, how far the knees lie in front of the hip→ankle lines), a stretch
whose running median facing (over `facing_window_s`) holds one sign for `min_stepping_s` and later the
other is split there; the frames between, where that median is under `facing_fraction` of its typical size
in the stretch (knee bend differs between people) or under `min_facing_legs` — the walker facing the camera
or away, the knees on the line — are the turn, left out.

Reference speeds: the slowest household walking is about 0.1–0.4 m/s (Perry et al. 1995, "Classification
of walking handicap in the stroke population", Stroke 26:982-989); with a leg (hip to ankle) of about 0.49
of body height (Winter 2009, segment ratios 0.245 + 0.246), 0.1 leg lengths/s is about 0.085 m/s for a
1.75 m person — below any functional walking, above the sway of a person standing. At the other end,
people change from walking to running at about 1.9 m/s (Thorstensson & Roberthson 1987, "Adaptations to
changing speed in human locomotion: speed of transition between walking and running", Acta Physiol Scand
131:211-214); 4 leg lengths/s (about 3.4 m/s) is well beyond it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gaitpose.arrays import true_runs

OVERGROUND, TREADMILL = "overground", "treadmill"


@dataclass(frozen=True)
class PassSettings:
    """Thresholds of the segmentation; speeds and distances in leg lengths (hip to ankle)."""

    velocity_window_s: float = 1.0          # straight-line fit of the pelvis x over ±half of this
    start_speed_legs_per_s: float = 0.10    # a pass starts at this pelvis speed …
    stop_speed_legs_per_s: float = 0.05     # … and ends below this one (hysteresis)
    steady_fraction: float = 0.6            # a pass' ends: trimmed to this share of its median speed
    min_travel_legs: float = 1.0            # less: a shuffle (turning, a step aside), not a pass
    max_speed_legs_per_s: float = 4.0       # faster on average: not a walk but joints that jump (a cut,
                                            # keypoints on something else for a moment)
    stepping_window_s: float = 2.0          # window for "a foot moves relative to the pelvis"
    stepping_range_legs: float = 0.15       # range of the foot's position relative to the pelvis in it
    max_treadmill_travel_legs: float = 0.5  # hips drift less: walking in place (about one thigh length)
    min_stepping_s: float = 2.0             # shorter stepping without travel is no pass
    facing_window_s: float = 2.0            # walking in place: the knees' facing, a running median over this …
    facing_fraction: float = 0.4            # … is a facing above this share of its stretch's median size …
    min_facing_legs: float = 0.01           # … and above this (knees this far in front); else: turning


@dataclass(frozen=True)
class Pass:
    """One walking segment in one direction. Frames are row indices into the tracks, both inclusive."""

    index: int              # 1, 2, … in time order
    start_frame: int
    end_frame: int
    start_s: float
    end_s: float
    direction: int          # +1 towards image right (+x), −1 towards image left; 0: walking in place
    travel_legs: float      # pelvis travel along `direction` (0 for walking in place), leg lengths
    mode: str               # OVERGROUND or TREADMILL

    @property
    def frames(self) -> np.ndarray:
        """Row indices of the pass (start to end, inclusive)."""
        return np.arange(self.start_frame, self.end_frame + 1)

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s

    @property
    def direction_name(self) -> str:
        return {1: "right", -1: "left"}.get(self.direction, "in place")


@dataclass
class Segmentation:
    passes: list[Pass] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)   # "moving right 3.20–3.90 s: …" (why it is no pass)


def pelvis_velocity(x_t: np.ndarray, time_s_t: np.ndarray, window_s: float) -> np.ndarray:
    """Slope (units/s) of a least-squares line through the finite samples within ±window_s/2 of each
    frame (T); NaN where fewer than 3 samples or they span less than 0.4 of the window (a gap, no data).

    Running sums keep it O(T) for long recordings; times are centred on the first one so the sums of
    squares stay small."""
    x = np.asarray(x_t, float)
    t = np.asarray(time_s_t, float)
    ok = np.isfinite(x) & np.isfinite(t)
    tf, xf = t[ok] - (t[ok][0] if ok.any() else 0.0), x[ok]
    tq = t - (t[ok][0] if ok.any() else 0.0)
    lo = np.searchsorted(tf, tq - window_s / 2, side="left")
    hi = np.searchsorted(tf, tq + window_s / 2, side="right")

    def window_sum(v: np.ndarray) -> np.ndarray:
        c = np.concatenate([[0.0], np.cumsum(v)])
        return c[hi] - c[lo]

    n = (hi - lo).astype(float)
    st, sx, stt, stx = window_sum(tf), window_sum(xf), window_sum(tf * tf), window_sum(tf * xf)
    den = n * stt - st * st
    last = np.clip(hi - 1, 0, max(len(tf) - 1, 0))
    span = np.where(hi > lo, tf[last] - tf[np.minimum(lo, last)], 0.0) if len(tf) else np.zeros(len(t))
    # A one-sided window (the recording's edge, a gap's edge) spans half the window; 0.4 leaves room for
    # frame times that do not fall on its end.
    good = (n >= 3) & (span >= 0.4 * window_s) & (den > 0) & np.isfinite(t)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(good, (n * stx - st * sx) / np.where(good, den, 1.0), np.nan)


def moving_direction(speed_legs_per_s_t: np.ndarray, start: float, stop: float) -> np.ndarray:
    """Per frame +1 / −1 (moving right / left) or 0, with hysteresis: enter at |v| ≥ start, stay while
    v keeps its sign and |v| ≥ stop; NaN (no estimate) is 0."""
    out = np.zeros(len(speed_legs_per_s_t), int)
    state = 0
    for i, v in enumerate(speed_legs_per_s_t):
        if not np.isfinite(v):
            state = 0
        elif state != 0 and state * v < stop:
            state = 0
        if state == 0 and np.isfinite(v) and abs(v) >= start:
            state = 1 if v > 0 else -1
        out[i] = state
    return out


def _window_stat(v_t: np.ndarray, time_s_t: np.ndarray, window_s: float,
                 stat: Callable[[np.ndarray], float]) -> np.ndarray:
    """`stat` of the finite samples within ±window_s/2 of each frame (NaN where none)."""
    out = np.full(len(v_t), np.nan)
    lo = np.searchsorted(time_s_t, time_s_t - window_s / 2, side="left")
    hi = np.searchsorted(time_s_t, time_s_t + window_s / 2, side="right")
    for i in range(len(v_t)):
        seg = v_t[lo[i]:hi[i]]
        seg = seg[np.isfinite(seg)]
        if len(seg):
            out[i] = stat(seg)
    return out


def _window_range(v_t: np.ndarray, time_s_t: np.ndarray, window_s: float) -> np.ndarray:
    """Max − min of the finite samples within ±window_s/2 of each frame (NaN where none)."""
    return _window_stat(v_t, time_s_t, window_s, lambda seg: seg.max() - seg.min())


def running_median(v_t: np.ndarray, time_s_t: np.ndarray, window_s: float) -> np.ndarray:
    """Median of the finite samples within ±window_s/2 of each frame (NaN where none)."""
    return _window_stat(v_t, time_s_t, window_s, np.median)


def _span_text(time_s_t: np.ndarray, a: int, b: int) -> str:
    return f"{time_s_t[a]:.2f}–{time_s_t[b]:.2f} s"


def find_passes(pelvis_x_t: np.ndarray, time_s_t: np.ndarray, leg_length: float,
                feet_x_tx2: np.ndarray | None = None, visible_t: np.ndarray | None = None,
                settings: PassSettings = PassSettings(), facing_t: np.ndarray | None = None) -> Segmentation:
    """Passes of one person's track.

    `pelvis_x_t`: the hip midpoint's horizontal image position (T, NaN where not found); `time_s_t`: each
    frame's time (T, increasing); `leg_length`: hip to ankle in the same units as x (a body-size unit, so
    the thresholds hold at any resolution); `feet_x_tx2`: the ankles' x (T×2), needed only to find walking
    in place; `visible_t`: frames where the whole body is seen (default: where the pelvis is), the ends of
    each pass are trimmed to them; `facing_t`: the body's facing (T, positive towards +x, in leg lengths, NaN
    unknown; `geometry.knee_facing`), used only to find turns while walking in place.
    """
    x = np.asarray(pelvis_x_t, float)
    t = np.asarray(time_s_t, float)
    if x.ndim != 1 or t.shape != x.shape:
        raise ValueError(f"pelvis_x_t and time_s_t must be two series of one length, got {x.shape} and {t.shape}")
    if not (np.isfinite(leg_length) and leg_length > 0):
        raise ValueError(f"leg_length must be positive, got {leg_length}")
    if len(t) > 1 and not np.all(np.diff(t) > 0):
        raise ValueError("time_s_t must increase")
    seen = np.isfinite(x) if visible_t is None else (np.asarray(visible_t, bool) & np.isfinite(x))
    x_legs = x / leg_length
    v = pelvis_velocity(x_legs, t, settings.velocity_window_s)
    moving = moving_direction(v, settings.start_speed_legs_per_s, settings.stop_speed_legs_per_s)
    out = Segmentation()
    spans: list[tuple[int, int, int, float]] = []
    for direction in (1, -1):
        for a, stop in true_runs(moving == direction):
            b = stop - 1                                   # the run's last frame
            speed = direction * v[a:b + 1]
            steady = np.flatnonzero(speed >= settings.steady_fraction * np.median(speed))
            a, b = a + int(steady[0]), a + int(steady[-1])
            where = f"moving {'right' if direction > 0 else 'left'} {_span_text(t, a, b)}"
            inside = np.flatnonzero(seen[a:b + 1])
            if not len(inside):
                out.left_out.append(f"{where}: the body never fully in view")
                continue
            a, b = a + int(inside[0]), a + int(inside[-1])
            travel = direction * (x_legs[b] - x_legs[a])
            if travel < settings.min_travel_legs:
                out.left_out.append(f"{where}: the hips travelled {travel:.2f} leg lengths "
                                    f"(a pass needs {settings.min_travel_legs:g})")
                continue
            speed_legs_per_s = travel / (t[b] - t[a])
            if speed_legs_per_s > settings.max_speed_legs_per_s:
                out.left_out.append(f"{where}: {speed_legs_per_s:.1f} leg lengths/s is faster than walking "
                                    f"(a pass is at most {settings.max_speed_legs_per_s:g})")
                continue
            spans.append((a, b, direction, float(travel)))
    if not spans and feet_x_tx2 is not None:
        facing = np.full(len(t), np.nan) if facing_t is None else np.asarray(facing_t, float)
        spans = _stepping_passes(x_legs, t, np.asarray(feet_x_tx2, float) / leg_length, seen, settings, out, facing)
    spans.sort()
    out.passes = [Pass(i + 1, a, b, float(t[a]), float(t[b]), d, travel, TREADMILL if d == 0 else OVERGROUND)
                  for i, (a, b, d, travel) in enumerate(spans)]
    return out


def _stepping_passes(x_legs: np.ndarray, t: np.ndarray, feet_legs_tx2: np.ndarray, seen: np.ndarray,
                     settings: PassSettings, out: Segmentation, facing_t: np.ndarray) -> list[tuple[int, int, int, float]]:
    """Passes of a recording where the hips were never seen travelling: each run of frames where a foot
    moves to and fro relative to the pelvis, split where the facing turns; walking in place (direction 0)
    when the pelvis' straight-line drift over the run is under `max_treadmill_travel_legs`, else a pass in
    the drift's direction."""
    rel = feet_legs_tx2 - x_legs[:, None]
    swing = np.fmax(*(_window_range(rel[:, k], t, settings.stepping_window_s) for k in range(2)))
    stepping = seen & (np.nan_to_num(swing, nan=0.0) >= settings.stepping_range_legs)
    spans = []
    for a0, stop in true_runs(stepping):
        for a, b in _split_at_turns(a0, stop - 1, facing_t, t, settings, out):
            if t[b] - t[a] < settings.min_stepping_s:
                out.left_out.append(f"stepping {_span_text(t, a, b)}: shorter than {settings.min_stepping_s:g} s")
                continue
            ok = np.flatnonzero(np.isfinite(x_legs[a:b + 1])) + a
            drift = np.polyfit(t[ok], x_legs[ok], 1)[0] * (t[ok[-1]] - t[ok[0]]) if len(ok) >= 2 else 0.0
            if abs(drift) < settings.max_treadmill_travel_legs:
                spans.append((a, b, 0, 0.0))
            else:
                spans.append((a, b, 1 if drift > 0 else -1, float(abs(drift))))
    return spans


def _split_at_turns(a: int, b: int, facing_t: np.ndarray, t: np.ndarray, settings: PassSettings,
                    out: Segmentation) -> list[tuple[int, int]]:
    """Frames a…b (inclusive) of stepping in place, split where the facing turns: the stretches whose
    running median facing keeps one sign for at least `min_stepping_s` (neighbours of one sign joined);
    with one facing (or none known) the whole stretch. The frames between two facings are the turn."""
    median = running_median(facing_t[a:b + 1], t[a:b + 1], settings.facing_window_s)
    size = np.abs(median[np.isfinite(median)])
    if not len(size):
        return [(a, b)]
    enough = max(settings.min_facing_legs, settings.facing_fraction * float(np.median(size)))
    sign = np.where(np.abs(median) >= enough, np.sign(median), 0)
    held: list[list[int]] = []                             # [first, last, sign] of each long one-sign stretch
    for s in (1, -1):
        for i, stop in true_runs(sign == s):
            if t[a + stop - 1] - t[a + i] >= settings.min_stepping_s:
                held.append([a + i, a + stop - 1, s])
    held.sort()
    joined: list[list[int]] = []
    for h in held:
        if joined and joined[-1][2] == h[2]:
            joined[-1][1] = h[1]
        else:
            joined.append(h)
    if len(joined) < 2:
        return [(a, b)]
    names = {1: "right", -1: "left"}
    for before, after in zip(joined, joined[1:]):
        out.left_out.append(f"turning {_span_text(t, before[1], after[0])}: the knees' facing changed from "
                            f"{names[before[2]]} to {names[after[2]]} while the hips stayed in place in the image")
    joined[0][0], joined[-1][1] = a, b                     # the stepping before the first / after the last facing
    return [(first, last) for first, last, _ in joined]
