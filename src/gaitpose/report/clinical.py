"""report.html for the clinician, rendered from the files of an analysis folder (summary.json first).

One self-contained page (plots and still frames embedded, no link outside it) that prints on A4:
header (who, when, which video, camera, model, software), the key numbers with normal ranges and
flags, the angle curves per gait cycle, still frames at heel strikes with the skeleton, a data-quality
box in plain words, and the raw files for the engineer at the end.
"""
from __future__ import annotations

import base64
import csv
import html
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.report import keynumbers as kn
from gaitpose.report.figures import figure_png, style_cycle_axes
from gaitpose.skeleton import JOINTS

MAX_STILLS = 6
STILL_HEIGHT_PX = 220
SIDE_COLOURS = {"left": "#1f6fb4", "right": "#d0561b"}   # the overlay's left blue, right orange
# Typical healthy adult peak knee flexion in swing (Perry & Burnfield 2010), drawn on the knee plot
# when the lab gives no band of its own.
KNEE_SWING_PEAK_DEG = 60.0


@dataclass
class Analysis:
    """What an analysis folder holds, as the report reads it; optional files are empty when absent."""

    folder: Path
    summary: dict[str, Any]
    analysis: dict[str, Any] = field(default_factory=dict)   # analysis.json (video runs)
    session: dict[str, Any] = field(default_factory=dict)    # session.json (subject, date, camera, versions)
    norms: dict[str, Any] | None = None                      # norms.json (lab norms used)
    events: list[dict[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)            # every file, relative to the folder


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GaitposeError(f"{path}: not readable JSON ({exc})") from None
    if not isinstance(data, dict):
        raise GaitposeError(f"{path}: expected a JSON object")
    return data


def load_analysis(folder: str | Path) -> Analysis:
    """Read an analysis folder written by `gaitpose gait` / `analyze`; one-line error when it is not one."""
    folder = Path(folder)
    if not folder.is_dir():
        raise GaitposeError(f"{folder}: no such analysis folder")
    if not (folder / "summary.json").is_file():
        raise GaitposeError(f"{folder}: not a gaitpose analysis folder (no summary.json)")
    out = Analysis(folder, _read_json(folder / "summary.json"))
    for name, attr in (("analysis.json", "analysis"), ("session.json", "session")):
        if (folder / name).is_file():
            setattr(out, attr, _read_json(folder / name))
    if (folder / "norms.json").is_file():
        out.norms = _read_json(folder / "norms.json")
    if (folder / "events.csv").is_file():
        with open(folder / "events.csv", newline="", encoding="utf-8") as f:
            out.events = list(csv.DictReader(f))
    out.files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                       if p.is_file() and not p.name.startswith("."))
    return out


# --------------------------------------------------------------------------------------------- pieces

def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _png_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def _jpeg_uri(jpeg: bytes) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode()


def header_rows(a: Analysis) -> list[tuple[str, str]]:
    """(label, text) of the header: who, when, what was filmed and what measured it."""
    s, rec, ses = a.summary, a.analysis, a.session
    fps = s.get("fps")
    video = rec.get("video") or ses.get("video")
    size = rec.get("frame_size")
    video_text = "none (keypoints from a file)" if not video else Path(str(video)).name
    if video and isinstance(size, list) and len(size) == 2:
        video_text += f" ({size[0]}×{size[1]} px)"
    n_frames = s.get("n_frames")
    fps_text = f"{fps:g} frames/s" if isinstance(fps, (int, float)) else "–"
    if isinstance(n_frames, int) and isinstance(fps, (int, float)) and fps > 0:
        fps_text += f", {n_frames} frames analysed ({n_frames / fps:.1f} s)"
    cam = ses.get("camera") or {}
    if cam.get("known"):
        cam_text = (f"calibrated: focal length {cam['fx']:.1f} × {cam['fy']:.1f} px, principal point "
                    f"({cam['cx']:.1f}, {cam['cy']:.1f}) px" + (", lens distortion corrected" if cam.get("dist") else ""))
    elif cam and cam.get("fx", 1.0) != 1.0:
        cam_text = f"focal length {cam['fx']:.1f} px given; principal point unknown"
    elif cam:
        cam_text = "not calibrated (square pixels assumed, principal point unknown)"
    else:
        cam_text = "–"
    model = rec.get("backend") or ses.get("keypoints_source") or "keypoints read from a file"
    feet_by = rec.get("foot_points") or s.get("foot_points_source")
    skeleton = f"{len(JOINTS)} joints (shoulders, hips, knees, ankles; " + (
        f"heels and toe tips from {feet_by})" if feet_by else "no feet)")
    label = ses.get("label") or ""
    rows = [("Subject", ses.get("subject") or "not given"),
            ("Session", (ses.get("date") or "–") + (f" — {label}" if label else "")),
            ("Video", video_text), ("Frame rate", fps_text), ("Camera", cam_text),
            ("Keypoints by", f"{model}; skeleton {skeleton}"),
            ("Walk", walk_text(s)),
            ("Software", f"gaitpose {ses.get('software_version') or '–'}")]
    return [(k, str(v)) for k, v in rows]


def walk_text(summary: dict) -> str:
    """The header's "Walk": mode and facing; with passes, how many each way."""
    mode = summary.get("mode", "–")
    analysed = [p for p in summary.get("passes") or [] if p.get("status") == "analysed"]
    if len(analysed) < 2:
        return f"{mode}, facing {summary.get('walking_direction', '–')} in the image"
    ways = [f"{sum(p['direction'] == d for p in analysed)} facing {d}" for d in ("right", "left")
            if any(p["direction"] == d for p in analysed)]
    return f"{mode}, {len(analysed)} passes ({', '.join(ways)} in the image)"


def passes_table(summary: dict) -> str:
    """Per pass: when, which way, strides, and its cadence, cycle, speed, step length and stance (mean ± SD
    over its strides); a skipped pass with why. Empty without passes (an analysis made before them)."""
    passes = summary.get("passes") or []
    if not passes:
        return ""

    def num(value: Any, decimals: int) -> str:
        return kn.round_to(value, decimals) if isinstance(value, (int, float)) and math.isfinite(value) else "–"

    def mean_sd(stat: Any, decimals: int) -> str:
        if not isinstance(stat, dict):
            return "–"
        text = num(stat.get("mean"), decimals)
        sd = stat.get("sd")
        return text + (f" ± {num(sd, decimals)}" if isinstance(sd, (int, float)) and math.isfinite(sd) else "")

    body = []
    for p in passes:
        when = f"{p['start_s']:.1f}–{p['end_s']:.1f} s"
        head = f"<td>{_e(p['pass'])}</td><td>{_e(when)}</td><td>{_e(p['direction'])}</td>"
        if p.get("status") != "analysed":
            body.append(f"<tr class=skipped>{head}<td colspan=6>skipped: {_e(p.get('reason', ''))}</td></tr>")
            continue
        n = p.get("n_strides") or {}
        strides = f"{n.get('left', 0)} / {n.get('right', 0)}" + (" (few)" if p.get("few_strides") else "")
        cells = [strides, num(p.get("cadence_steps_per_min"), 0), mean_sd(p.get("gait_cycle_s"), 2),
                 num(p.get("speed_m_s"), 2), mean_sd(p.get("step_length_m"), 2), mean_sd(p.get("stance_pct"), 0)]
        body.append(f"<tr>{head}" + "".join(f"<td class=num>{_e(c)}</td>" for c in cells) + "</tr>")
    n = summary.get("n_strides") or {}
    pooled = [f"{n.get('left', 0)} / {n.get('right', 0)}", num(summary.get("cadence_steps_per_min"), 0),
              mean_sd(summary.get("gait_cycle_s"), 2), num(summary.get("speed_m_s"), 2),
              mean_sd(summary.get("step_length_m"), 2), mean_sd(summary.get("stance_pct"), 0)]
    body.append("<tr class=pooled><th scope=row colspan=3>All passes</th>"
                + "".join(f"<td class=num>{_e(c)}</td>" for c in pooled) + "</tr>")
    return ("<table class=key><thead><tr><th>Pass</th><th>Time</th><th>Facing</th><th>Strides L / R</th>"
            "<th>Cadence <span class=unit>steps/min</span></th><th>Gait cycle <span class=unit>s</span></th>"
            "<th>Speed <span class=unit>m/s</span></th><th>Step length <span class=unit>m</span></th>"
            "<th>Stance <span class=unit>%</span></th></tr></thead><tbody>" + "".join(body) + "</tbody></table>"
            "<p class=small>Each pass is a walk in one direction; turns, standing and entering or leaving the view "
            "are left out. Numbers are means over the pass's strides ± their SD; a pass with fewer than two strides "
            "of a side is marked few. The key numbers above pool the strides of every pass.</p>")


_FLAG_MARK = {"low": ("▼", "below the normal range"), "high": ("▲", "above the normal range"),
              "near": ("≈", "outside the range, but within the measurement's uncertainty")}


def people_section(a: Analysis) -> str:
    """With several people seen walking (analysis.json "people"): each with its thumbnail (the
    person-N.jpg beside the report, embedded so the page stays self-contained), how long and when it
    walks, which one was analysed, and how to choose another. Empty for one person or none."""
    people = _people(a)
    if len(people) < 2:
        return ""
    figures = []
    for p in people:
        caption = (f"person {p.get('person')}: walks {_num(p.get('walking_s'), 1)} s, seen "
                   f"{_num(p.get('first_seen_s'), 1)}–{_num(p.get('last_seen_s'), 1)} s"
                   + (" (analysed)" if p.get("analysed") else ""))
        name = p.get("thumbnail")
        path = a.folder / str(name) if name and Path(str(name)).name == name else None
        image = (f'<img alt="{_e(caption)} ({_e(name)})" src="{_jpeg_uri(path.read_bytes())}">'
                 if path is not None and path.is_file() else "")
        figures.append(f"<figure>{image}<figcaption>{_e(caption)}</figcaption></figure>")
    analysed = a.analysis.get("person_analysed")
    return (f"<h2>People in the video</h2>\n<p>{len(people)} people were seen walking; person {_e(analysed)} was "
            "analysed (by default the one who walks most). To analyse another, run <code>gaitpose analyze</code> "
            "again with <code>--person N</code>.</p>\n<div class=people>" + "".join(figures) + "</div>")


def _people(a: Analysis) -> list[dict[str, Any]]:
    """The people seen walking (analysis.json "people"), most walking first; entries not a mapping left out."""
    return [p for p in a.analysis.get("people") or [] if isinstance(p, dict)]


def _num(value: Any, decimals: int) -> str:
    return f"{value:.{decimals}f}" if isinstance(value, (int, float)) else "–"


def _cell(row: kn.Row, side: str) -> str:
    v = row.values[side]
    text = kn.round_to(v, row.spec.decimals)
    f = row.flags[side]
    if not f:
        return f"<td class=num>{_e(text)}</td>"
    mark, title = _FLAG_MARK[f]
    return f'<td class="num flag-{f}" title="{_e(title)}">{_e(text)} <span class=mark>{mark}</span></td>'


def key_table(rows: list[kn.Row]) -> str:
    body = []
    for r in rows:
        spec = r.spec
        minus, plus = r.uncertainty
        if math.isfinite(minus) and math.isfinite(plus):
            unc = (f"±{kn.round_to(max(minus, plus), spec.decimals)}" if abs(minus - plus) < 1e-9 else
                   f"−{kn.round_to(minus, spec.decimals)} / +{kn.round_to(plus, spec.decimals)}")
        else:
            unc = "–"
        cells = ([_cell(r, "left"), _cell(r, "right"), _cell(r, "both")] if spec.sided else
                 ["<td class=num>&nbsp;</td><td class=num>&nbsp;</td>", _cell(r, "both")])
        sym = f"{r.symmetry_pct:.0f} %" if math.isfinite(r.symmetry_pct) else ""
        body.append(f"<tr><th scope=row>{_e(spec.label)} <span class=unit>{_e(spec.unit)}</span></th>"
                    f"{''.join(cells)}<td class=num>{sym}</td><td class=num>{_e(kn.range_text(spec, r.range))}</td>"
                    f"<td class='num unc'>{_e(unc)}</td></tr>")
    return ("<table class=key><thead><tr><th></th><th>Left</th><th>Right</th><th>Both</th><th>Symmetry</th>"
            "<th>Normal</th><th>Uncertainty</th></tr></thead><tbody>" + "".join(body) + "</tbody></table>")


def reference_text(rows: list[kn.Row]) -> str:
    sources = {r.range.source for r in rows if r.range is not None}
    parts = []
    if "lab" in sources:
        lab = next(r.range for r in rows if r.range is not None and r.range.source == "lab")
        parts.append(f"Normal ranges: this lab's own recordings ({_e(lab.note)}).")
    if "published" in sources:
        notes = "; ".join(f"{_e(r.spec.label.lower())}: {_e(r.range.note)}" for r in rows
                          if r.range is not None and r.range.source == "published")
        parts.append(f"Normal values of healthy adults from {_e(kn.PUBLISHED_SOURCE)} — {notes}. These are typical "
                     "values, not limits: where the book gives means for men and for women the range spans the two; a "
                     "lab's own norms (<code>gaitpose norms build</code>, then <code>--norms</code>) give proper ranges.")
    parts.append("▼ below / ▲ above the normal range by more than the measurement's uncertainty; ≈ outside the "
                 "range but within the uncertainty. Symmetry: the smaller side over the larger (100 % = equal). "
                 "Uncertainty: the mean error of this method on 11 synthetic walks filmed from the side "
                 "(docs/results.md, section 4); for stance, swing and double support, how far toe off may be off.")
    return "".join(f"<p class=small>{p}</p>" for p in parts)


def cycle_plot_png(summary: dict, norms: dict | None) -> bytes | None:
    """Hip and knee angle over the gait cycle (heel strike to heel strike), mean ± SD per side, with the lab's
    normal band (mean ± 1 SD) when given."""
    curves = summary.get("cycle_curves") or {}
    if not curves:
        return None
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    band = (norms or {}).get("angles", {})
    pct = np.linspace(0, 100, 101)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, joint, title in zip(axes, ("hip", "knee"), ("Hip (thigh from vertical, + forward)", "Knee flexion")):
        ref = band.get(f"{joint}_deg")
        if ref:
            m, sd = np.array(ref["mean"]), np.array(ref["sd"])
            ax.fill_between(np.linspace(0, 100, len(m)), m - sd, m + sd, color="0.82", label="lab normal ±1 SD")
        elif joint == "knee":
            ax.axhline(KNEE_SWING_PEAK_DEG, color="0.45", ls="--", lw=1,
                       label=f"typical peak in swing, {KNEE_SWING_PEAK_DEG:.0f}°")
        for side in ("left", "right"):
            c = curves.get(f"{side}_{joint}_deg")
            if not c:
                continue
            m, sd = np.array(c["mean"]), np.array(c["sd"])
            ax.plot(pct, m, color=SIDE_COLOURS[side], lw=2, label=f"{side} ({c['n']} cycles)")
            ax.fill_between(pct, m - sd, m + sd, color=SIDE_COLOURS[side], alpha=0.15, lw=0)
        style_cycle_axes(ax, title)
    return figure_png(fig, plt, dpi=130)


def heel_strike_frames(events: list[dict[str, str]], limit: int = MAX_STILLS) -> list[tuple[int, str, float]]:
    """(frame, side, time_s) of up to `limit` heel strikes, spread over the walk, in time order."""
    hs = sorted((int(e["frame"]), e["side"], float(e["time_s"])) for e in events
                if e.get("event") == "heel_strike" and e.get("frame", "").lstrip("-").isdigit())
    if len(hs) <= limit:
        return hs
    pick = np.round(np.linspace(0, len(hs) - 1, limit)).astype(int)
    return [hs[i] for i in pick]


def _keypoints_by_frame(folder: Path, frames: set[int]) -> dict[int, np.ndarray]:
    out: dict[int, np.ndarray] = {}
    path = folder / "keypoints.csv"
    if not path.is_file():
        return out
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            try:
                frame = int(row["frame"])
            except (KeyError, ValueError):
                continue
            if frame in frames:
                out[frame] = np.array([[float(row.get(f"{j}_{c}") or "nan") for c in ("x", "y", "score")]
                                       for j in JOINTS])
    return out


def still_frames(video: Path, folder: Path, events: list[dict[str, str]]) -> list[tuple[str, bytes]]:
    """(caption, JPEG) of the video at heel strikes with the skeleton drawn, cropped to the person."""
    import cv2

    from gaitpose.report.overlay import draw_skeleton

    picks = heel_strike_frames(events)
    if not picks or not video.is_file():
        return []
    kps = _keypoints_by_frame(folder, {f for f, _, _ in picks})
    cap = cv2.VideoCapture(str(video))
    out = []
    try:
        for frame_no, side, t, image in _frames_nearest_in_time(cap, [(f, side, t) for f, side, t in picks if f in kps]):
            kp = kps[frame_no]
            draw_skeleton(image, kp, min_score=0.0, show_scores=False)
            xy = kp[:, :2][np.isfinite(kp[:, :2]).all(axis=1)]
            if len(xy):
                h_img, w_img = image.shape[:2]
                (x0, y0), (x1, y1) = xy.min(0), xy.max(0)
                pad = 0.35 * max(y1 - y0, 1.0)
                x0, x1 = int(max(0, x0 - pad)), int(min(w_img, x1 + pad))
                y0, y1 = int(max(0, y0 - pad)), int(min(h_img, y1 + pad))
                if x1 - x0 > 8 and y1 - y0 > 8:
                    image = image[y0:y1, x0:x1]
            scale = STILL_HEIGHT_PX / image.shape[0]
            image = cv2.resize(image, (max(1, int(image.shape[1] * scale)), STILL_HEIGHT_PX),
                               interpolation=cv2.INTER_AREA)
            ok, jpg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 82])
            if ok:
                out.append((f"{side} heel strike {t:.2f} s", jpg.tobytes()))
    finally:
        cap.release()
    return out


def _frames_nearest_in_time(cap, picks: list[tuple[int, str, float]]):
    """For each (frame, side, time_s) pick in time order: (frame, side, time_s, the video image taken
    nearest that time by its own time stamp). On a constant-rate video that is the pick's frame; on a
    variable-rate one the analysis rows are resampled instants, and time is what ties them to images."""
    import cv2

    prev: tuple[float, object] | None = None
    k, n, stamped = 0, -1, False
    fps = cap.get(cv2.CAP_PROP_FPS) or 1.0
    while k < len(picks):
        ok, image = cap.read()
        if not ok:
            break
        n += 1
        ms = cap.get(cv2.CAP_PROP_POS_MSEC)
        stamped = stamped or ms > 0
        now = ms / 1000.0 if stamped else n / fps        # no time stamps in the container: index / rate
        while k < len(picks) and now >= picks[k][2]:
            frame, side, t = picks[k]
            best = image if prev is None or abs(now - t) <= abs(prev[0] - t) else prev[1]
            yield frame, side, t, best.copy()
            k += 1
        prev = (now, image)


def quality_items(a: Analysis) -> list[str]:
    """The data-quality box in plain words (HTML-escaped sentences)."""
    s = a.summary
    dq = s.get("data_quality") or {}
    items = []
    n_frames = s.get("n_frames") or 0
    total = 8 * n_frames
    if total:
        missing, filled = int(dq.get("missing_points") or 0), int(dq.get("filled_points") or 0)
        found = total - missing - filled
        text = (f"The network found {100 * found / total:.0f} % of the joint positions (8 joints in each of {n_frames} "
                f"frames); {filled} positions in short gaps were filled by interpolation and {missing} stayed missing.")
        low = int(dq.get("low_score_points") or 0)
        if low:
            text += f" {low} joint positions were too uncertain for the network and were not used."
        items.append(text)
    people = _people(a)
    if len(people) == 1:
        items.append(f"One person was seen walking ({_num(people[0].get('walking_s'), 1)} s) and was analysed.")
    ended = str(a.analysis.get("ended_early") or "")
    if ended:
        items.append(f"{ended[:1].upper()}{ended[1:]}.")
    without = a.analysis.get("frames_without_subject")
    if without:
        items.append(f"In {without} video frames no person was found.")
    n = s.get("n_strides") or {}
    notes = [str(x) for x in s.get("notes") or []]
    dropped = [x[len("dropped "):] for x in notes if x.startswith("dropped ")]
    text = f"{n.get('left', 0)} left and {n.get('right', 0)} right gait cycles were measured."
    if dropped:
        text += " Left out: " + "; ".join(dropped) + "."
    items.append(text)
    passes = s.get("passes") or []
    if passes:
        skipped = [p for p in passes if p.get("status") != "analysed"]
        text = (f"The walk was split into {len(passes)} walking pass{'es' if len(passes) != 1 else ''} "
                f"({len(passes) - len(skipped)} analysed); turns, standing and entering or leaving the view were "
                "left out.")
        if skipped:
            text += " Skipped: " + "; ".join(f"pass {p['pass']}, {p.get('reason', '')}" for p in skipped) + "."
        items.append(text)
    agreement = dq.get("ankle_label_agreement")
    swapped = sum((dq.get("swapped_frames") or {}).values())
    if isinstance(agreement, (int, float)) and agreement < 0.75:
        items.append(f"Which leg is left is uncertain: the network's left/right labels agreed with the legs followed "
                     f"through their crossings in only {100 * agreement:.0f} % of frames. Left and right values may "
                     "be exchanged; the numbers for both sides together are not affected.")
    elif swapped:
        which = ", ".join(f"{joint}s in {n}" for joint, n in (dq.get("swapped_frames") or {}).items() if n)
        items.append(f"The network mixed up left and right in some frames ({which} frames); these were put right.")
    fps = s.get("fps")
    if isinstance(fps, (int, float)) and fps > 0:
        from gaitpose.report.keynumbers import toe_off_error_s
        early_s, late_s = toe_off_error_s(s)
        if set((s.get("event_source") or {}).values()) == {"heel and toe"}:
            how = (f"Heel strike comes from the heel and toe off from the toe (foot points from "
                   f"{s.get('foot_points_source') or 'the keypoints file'}): on real walks")
        else:
            how = "Heel strike is reliable. Toe off comes from the ankle alone (the skeleton has no toe): it"
        items.append(f"Events are timed to a fraction of a frame ({1000 / fps:.0f} ms at {fps:g} frames/s). {how} "
                     f"may be found up to {-early_s:.2f} s early or {late_s:.2f} s late, so stance, swing, "
                     "double support and the phase symmetry index are less certain than cycle time, cadence and step "
                     "length.")
    method = s.get("step_length_method", "")
    if method and method != "footprints":
        items.append(f"Step length: {method}.")
    return [_e(x) for x in items]


# --------------------------------------------------------------------------------------------- page

CSS = """
body{font-family:"DejaVu Sans",Arial,sans-serif;color:#111;max-width:1000px;margin:0 auto;padding:16px;font-size:14px}
h1{font-size:22px;margin:0 0 6px}h2{font-size:17px;margin:18px 0 6px;border-bottom:2px solid #333}
table{border-collapse:collapse}td,th{padding:3px 8px;text-align:left;vertical-align:top}
table.meta th{color:#555;font-weight:normal;padding-left:0}table.meta td{font-weight:600}
table.key{width:100%}table.key td,table.key th{border-bottom:1px solid #ccc}table.key thead th{border-bottom:2px solid #333}
td.num,table.key thead th{text-align:right}tr.skipped td{color:#777}tr.pooled{font-weight:600}.unit,.unc,.small{color:#555}.unit{font-weight:normal;font-size:12px}
.flag-low,.flag-high{background:#fde2c8;font-weight:700}.flag-near{background:#f2f2f2}.mark{font-size:12px}
.small{font-size:12px}.box{border:2px solid #b36b00;background:#fff8ec;padding:4px 14px;margin:8px 0}
.box li{margin:4px 0}img.plot{width:100%}.stills{display:flex;flex-wrap:wrap;gap:6px}
figure{margin:0;break-inside:avoid;display:table}figcaption{display:table-caption;caption-side:bottom;font-size:11px;color:#333;text-align:center}.stills img{height:160px}
.people{display:flex;flex-wrap:wrap;gap:10px}.people img{height:96px}
.people figure{display:block;width:140px;text-align:center}.people figcaption{display:block}
.raw{columns:2;font-family:monospace;font-size:12px}.lead{font-size:15px}
@page{size:A4;margin:12mm}
@media print{body{max-width:none;padding:0;font-size:11px}h2{break-after:avoid}table,figure,.box{break-inside:avoid}
 .flag-low,.flag-high,.flag-near,.box{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .stills img{height:120px}section.engineer{break-before:page}}
"""


def render_report(a: Analysis, video: str | Path | None = None) -> str:
    """The clinical report page for one analysis folder (video: where to take the still frames from)."""
    s = a.summary
    rows = kn.key_rows(s, a.norms)
    meta = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in header_rows(a))
    cadence = kn.side_values(s, "cadence_steps_per_min")["both"]
    speed = kn.side_values(s, "speed_m_s")["both"]
    n = s.get("n_strides") or {}
    lead = (f"{sum(n.values()) if n else 0} gait cycles measured; walking speed "
            f"{kn.round_to(speed, 2)} m/s at {kn.round_to(cadence, 0)} steps/min.")
    flagged = [r.spec.label.lower() for r in rows if any(f in ("low", "high") for f in r.flags.values())]
    if flagged:
        lead += " Outside the normal range: " + ", ".join(flagged) + "."
    if s.get("rhythm_plausible") is False:
        lead += (" Warning: no walk has this rhythm (see the notes at the end); the legs were most likely not "
                 "followed, so these numbers are not to be used. Check overlay.mp4.")
    dps = s.get("phase_symmetry_index")
    dps_text = ""
    if isinstance(dps, (int, float)) and math.isfinite(dps):
        dps_text = (f"<p>Phase symmetry index D<sub>ps</sub> = {dps:.2f} (1 = symmetric stance and swing at a 1.2 s "
                    "cycle; it exceeds 1 when the cycle is shorter than 1.2 s and falls below 1 when it is longer).</p>")
    plot = cycle_plot_png(s, a.norms)
    plot_html = (f'<img class=plot alt="hip and knee angle over the gait cycle" src="{_png_uri(plot)}">' if plot else
                 "<p>No complete gait cycle to draw.</p>")
    band_note = ("Grey band: the lab's normal curves (mean ± 1 SD)." if (a.norms or {}).get("angles") else
                 "No normal band: published reference curves are not bundled; pass the lab's own with "
                 "<code>--norms</code> (<code>gaitpose norms build</code>). Dashed: typical peak knee flexion in "
                 f"swing of healthy adults, about {KNEE_SWING_PEAK_DEG:.0f}° (Perry &amp; Burnfield 2010).")
    video_path = Path(video) if video else (Path(str(a.analysis["video"])) if a.analysis.get("video") else None)
    stills = still_frames(video_path, a.folder, a.events) if video_path is not None else []
    if stills:
        stills_html = "<div class=stills>" + "".join(
            f'<figure><img alt="{_e(c)}" src="{_jpeg_uri(j)}">'
            f"<figcaption>{_e(c)}</figcaption></figure>" for c, j in stills) + "</div>"
    else:
        stills_html = "<p>No still frames: " + ("the video was not found." if video_path else
                                                 "the analysis was made from keypoints, without the video.") + "</p>"
    passes_html = passes_table(s)
    if passes_html:
        passes_html = "<h2>Walking passes</h2>\n" + passes_html
    people_html = people_section(a)
    quality = "".join(f"<li>{x}</li>" for x in quality_items(a))
    notes = "".join(f"<li>{_e(x)}</li>" for x in s.get("notes") or [])
    raw = "".join(f"<li>{_e(f)}</li>" for f in a.files + (["report.html"] if "report.html" not in a.files else []))
    subject = (a.session.get("subject") or "").strip()
    title = "Gait report" + (f" — {subject}" if subject else "")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title><style>{CSS}</style></head>
<body>
<h1>{_e(title)}</h1>
<table class=meta>{meta}</table>
<h2>Key numbers</h2>
<p class=lead>{_e(lead)}</p>
{key_table(rows)}
{dps_text}
{reference_text(rows)}
{passes_html}
{people_html}
<h2>Hip and knee over the gait cycle</h2>
{plot_html}
<p class=small>Mean of the measured cycles, shaded ±1 SD; left blue, right orange. {band_note}</p>
<h2>The walk at heel strikes</h2>
{stills_html}
<h2>Data quality</h2>
<div class=box><ul>{quality}</ul></div>
<section class=engineer>
<h2>For the engineer</h2>
<p class=small>Notes of the analysis:</p><ul class=small>{notes}</ul>
<p class=small>Raw files in this folder (numbers unrounded; summary.json holds every value above):</p>
<ul class=raw>{raw}</ul>
</section>
</body></html>
"""


def write_report(folder: str | Path, video: str | Path | None = None) -> Path:
    """Render report.html from the folder's files and write it there (atomically)."""
    from gaitpose.formats import write_text_atomic
    a = load_analysis(folder)
    out = Path(folder) / "report.html"
    write_text_atomic(out, render_report(a, video))
    return out
