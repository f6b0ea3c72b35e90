"""The key numbers a therapist reads first: taken from summary.json, rounded to what the method resolves,
set beside a normal range, and flagged when outside it.

Normal ranges come from the lab's own recordings (`gaitpose norms build`, mean ± 2 SD) when given, else
from one published source of healthy adult free-walking values:

    Perry J, Burnfield JM. Gait Analysis: Normal and Pathological Function, 2nd ed. Thorofare, NJ: SLACK; 2010.

Perry & Burnfield give group means of healthy adults at free walking speed (velocity 86 m/min for men
and 77 m/min for women, cadence 111 and 117 steps/min, stride length 1.46 and
1.28 m) and the typical division of the cycle (stance about 60 %, swing about 40 %, double support two
periods of about 10 % each), peak knee flexion in swing about 60° and a hip flexion–extension arc of about
40°. These are typical values, not limits of normal; the published "range" here is the span between the
men's and women's means where the book gives both, else the single typical value. A number is flagged
only when it lies outside that range by more than this method's own uncertainty (see `uncertainty`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


PUBLISHED_SOURCE = ("Perry J, Burnfield JM. Gait Analysis: Normal and Pathological Function, 2nd ed. "
                    "Thorofare, NJ: SLACK; 2010 (healthy adults, free walking speed)")
LAB_SD_FACTOR = 2.0   # lab normal range: mean ± 2 SD of the lab's recordings


@dataclass(frozen=True)
class Spec:
    """One key number: where it comes from in summary.json and how it is shown."""

    key: str                  # name in norms.json "scalars" and in the record
    label: str                # words a therapist uses
    unit: str
    decimals: int             # rounding: what the method resolves (docs/results.md section 4)
    sided: bool               # left / right / both, or one number for the walk
    published: tuple[float, float] | None   # Perry & Burnfield (2010) range (low, high), None: no reference
    published_note: str       # how the published range was read
    # measurement uncertainty (minus, plus) in the number's unit, measured on 11 synthetic walks analysed from
    # video (docs/results.md section 4, mean absolute error) — or "toe_off" for the numbers timed by toe off
    uncertainty: tuple[float, float] | str


SPECS: tuple[Spec, ...] = (
    Spec("speed_m_s", "Walking speed", "m/s", 2, False, (1.28, 1.43),
         "means of women (77 m/min) and men (86 m/min)", (0.03, 0.03)),
    Spec("cadence_steps_per_min", "Cadence", "steps/min", 0, False, (111.0, 117.0),
         "means of men (111) and women (117)", (1.1, 1.1)),
    Spec("gait_cycle_s", "Gait cycle (stride time)", "s", 2, True, None, "", (0.03, 0.03)),
    Spec("step_length_m", "Step length", "m", 2, True, (0.64, 0.73),
         "half the stride lengths of women (1.28 m) and men (1.46 m)", (0.03, 0.03)),
    Spec("stride_length_m", "Stride length", "m", 2, True, (1.28, 1.46),
         "means of women (1.28 m) and men (1.46 m)", (0.01, 0.01)),
    Spec("stance_pct", "Stance", "% of cycle", 0, True, (60.0, 60.0), "about 60 % of the cycle", "toe_off"),
    Spec("swing_pct", "Swing", "% of cycle", 0, True, (40.0, 40.0), "about 40 % of the cycle", "toe_off"),
    Spec("double_support_pct", "Double support", "% of cycle", 0, True, (20.0, 20.0),
         "two periods of about 10 % each", "toe_off"),
    Spec("hip_rom_deg", "Hip range of motion", "°", 0, True, (40.0, 40.0),
         "flexion–extension arc of about 40°", (5.0, 5.0)),
    Spec("knee_rom_deg", "Knee range of motion", "°", 0, True, (60.0, 60.0),
         "from near straight in stance to about 60° flexion in swing", (13.0, 13.0)),
)


def _num(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else math.nan


def side_values(summary: dict, key: str) -> dict[str, float]:
    """{"left", "right", "both"} of one key number from summary.json (derived percentages included);
    NaN where the summary has no value."""
    def sided(name: str) -> dict[str, float]:
        d = summary.get(name)
        if isinstance(d, dict):
            out = {s: _num(d.get(s)) for s in ("left", "right")}
            out["both"] = _num(d.get("mean")) if "mean" in d else _mean(out["left"], out["right"])
            return out
        v = _num(d)
        return {"left": math.nan, "right": math.nan, "both": v}

    if key in ("swing_pct", "double_support_pct"):
        cycle = sided("gait_cycle_s")
        part = sided("swing_time_s" if key == "swing_pct" else "double_support_s")
        return {s: 100.0 * part[s] / cycle[s] if cycle[s] > 0 else math.nan for s in part}
    return sided(key)


def _mean(a: float, b: float) -> float:
    vals = [v for v in (a, b) if math.isfinite(v)]
    return sum(vals) / len(vals) if vals else math.nan


def toe_off_error_s(summary: dict) -> tuple[float, float]:
    """How early (negative) and late toe off may be found: from the toe when every side's events came
    from foot points (the range on real walks), else from the ankle (the wider synthetic-walker range)."""
    from gaitpose.gait.events import TOE_OFF_ERROR_REAL_FEET_S, TOE_OFF_ERROR_S  # here: scipy loads with gait.events
    sources = set((summary.get("event_source") or {}).values())
    return TOE_OFF_ERROR_REAL_FEET_S if sources == {"heel and toe"} else TOE_OFF_ERROR_S


def uncertainty(spec: Spec, summary: dict) -> tuple[float, float]:
    """(minus, plus) the true value may lie below / above the measured one, in the number's unit.

    For stance, swing and double support the toe-off timing dominates: toe off is found up to
    `toe_off_error_s` early and late (gait.events). A late toe off lengthens the
    measured stance and shortens the swing; double support ends in a toe off twice per cycle (the other foot's,
    then its own), so its error is twice that."""
    if spec.uncertainty != "toe_off":
        return spec.uncertainty  # type: ignore[return-value]
    early_s, late_s = toe_off_error_s(summary)
    cycle = side_values(summary, "gait_cycle_s")["both"]
    if not cycle > 0:
        return (math.nan, math.nan)
    early_pct, late_pct = -100 * early_s / cycle, 100 * late_s / cycle
    if spec.key == "stance_pct":
        return (late_pct, early_pct)
    if spec.key == "double_support_pct":
        return (2 * late_pct, 2 * early_pct)
    return (early_pct, late_pct)     # swing


def round_to(value: float, decimals: int) -> str:
    """The value as the report prints it; '–' when it was not measured."""
    if not math.isfinite(value):
        return "–"
    text = f"{value:.{decimals}f}"
    return "0" if text in ("-0", "-0.0", "-0.00") and decimals == 0 else text


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    source: str          # "lab" or "published"
    note: str            # how it was made, in words


def normal_range(spec: Spec, norms: dict | None) -> Range | None:
    """The lab's range (mean ± 2 SD of `norms["scalars"][key]`) when given, else the published one."""
    lab = ((norms or {}).get("scalars") or {}).get(spec.key)
    if isinstance(lab, dict) and math.isfinite(_num(lab.get("mean"))) and math.isfinite(_num(lab.get("sd"))):
        m, sd = _num(lab["mean"]), _num(lab["sd"])
        n = lab.get("n", "?")
        return Range(m - LAB_SD_FACTOR * sd, m + LAB_SD_FACTOR * sd, "lab",
                     f"lab norms: mean ± {LAB_SD_FACTOR:g} SD of {n} recordings")
    if spec.published is None:
        return None
    return Range(spec.published[0], spec.published[1], "published", spec.published_note)


def flag(value: float, rng: Range | None, minus: float, plus: float) -> str:
    """'low' / 'high' when the value lies outside the range by more than its uncertainty; 'near' when it is
    outside but the truth could be inside; '' when inside, unknown or without a range."""
    if rng is None or not math.isfinite(value):
        return ""
    minus = minus if math.isfinite(minus) else 0.0
    plus = plus if math.isfinite(plus) else 0.0
    if value + plus < rng.low:
        return "low"
    if value - minus > rng.high:
        return "high"
    if value < rng.low or value > rng.high:
        return "near"
    return ""


def range_text(spec: Spec, rng: Range | None) -> str:
    if rng is None:
        return "–"
    lo, hi = round_to(rng.low, spec.decimals), round_to(rng.high, spec.decimals)
    return lo if lo == hi else f"{lo}–{hi}"


def symmetry_pct(left: float, right: float) -> float:
    """Smaller side over larger side, in % (100 = the same on both sides)."""
    if not (math.isfinite(left) and math.isfinite(right)) or max(abs(left), abs(right)) == 0:
        return math.nan
    return 100.0 * min(abs(left), abs(right)) / max(abs(left), abs(right))


@dataclass(frozen=True)
class Row:
    spec: Spec
    values: dict[str, float]            # left, right, both (unrounded)
    symmetry_pct: float
    range: Range | None
    uncertainty: tuple[float, float]
    flags: dict[str, str]               # per value: "low" | "high" | "near" | ""


def key_rows(summary: dict, norms: dict | None = None) -> list[Row]:
    """Every key number of one analysis, with its range and flags."""
    rows = []
    for spec in SPECS:
        values = side_values(summary, spec.key)
        rng = normal_range(spec, norms)
        minus, plus = uncertainty(spec, summary)
        flags = {s: flag(v, rng, minus, plus) for s, v in values.items()}
        sym = symmetry_pct(values["left"], values["right"]) if spec.sided else math.nan
        rows.append(Row(spec, values, sym, rng, (minus, plus), flags))
    return rows


def lab_scalars(summaries: list[dict]) -> dict[str, dict[str, float]]:
    """The `scalars` of norms.json: per key number, mean, SD and count over the lab's recordings (each
    recording's value for both sides together)."""
    out: dict[str, dict[str, float]] = {}
    for spec in SPECS:
        vals = [v for v in (side_values(s, spec.key)["both"] for s in summaries) if math.isfinite(v)]
        if len(vals) >= 2:
            m = sum(vals) / len(vals)
            sd = math.sqrt(sum((v - m) ** 2 for v in vals) / (len(vals) - 1))
            out[spec.key] = {"mean": m, "sd": sd, "n": len(vals)}
    return out
