"""`gaitpose record trend ID --out DIR`: one subject's key numbers over the sessions, each with its normal
range, and the angle curves of the first and the latest session overlaid. One self-contained page
(trend.html), printable on A4, rendered from the record (the sessions' stored summaries)."""
from __future__ import annotations

import base64
import html
import math
from pathlib import Path

import numpy as np

from gaitpose.report import keynumbers as kn
from gaitpose.report.clinical import CSS, SIDE_COLOURS
from gaitpose.report.figures import figure_png, style_cycle_axes
from gaitpose.report.record import Record, Session


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _session_tick(s: Session, i: int) -> str:
    return f"{i + 1}\n{s.date}"


def trend_plot_png(sessions: list[Session], norms: dict | None) -> bytes:
    """A small panel per key number: both sides' value per session (left/right as faint points), with the
    normal range shaded."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    specs = kn.SPECS
    cols = 2
    rows = math.ceil(len(specs) / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(9, 2.1 * rows))
    x = np.arange(len(sessions))
    for ax, spec in zip(axes.ravel(), specs):
        values = [kn.side_values(s.summary, spec.key) for s in sessions]
        rng = kn.normal_range(spec, norms)
        if rng is not None:
            if rng.high > rng.low:
                ax.axhspan(rng.low, rng.high, color="0.85", label="normal")
            else:
                ax.axhline(rng.low, color="0.55", ls="--", lw=1, label="typical")
        if spec.sided:
            for side in ("left", "right"):
                ax.plot(x, [v[side] for v in values], "o", ms=4, color=SIDE_COLOURS[side], alpha=0.6, label=side)
        ax.plot(x, [v["both"] for v in values], "-o", color="k", lw=1.5, ms=4, label="both" if spec.sided else None)
        ax.set_title(f"{spec.label} ({spec.unit})", fontsize=9)
        ax.set_xticks(x, [_session_tick(s, i) for i, s in enumerate(sessions)], fontsize=7)
        ax.set_xlim(-0.5, len(sessions) - 0.5)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(alpha=0.3)
    for ax in axes.ravel()[len(specs):]:
        ax.axis("off")
    axes.ravel()[0].legend(fontsize=7, loc="best")
    if len(specs) > 2:
        axes.ravel()[2].legend(fontsize=7, loc="best")
    return figure_png(fig, plt, dpi=120)


def curves_plot_png(first: Session, latest: Session) -> bytes | None:
    """Hip and knee per gait cycle: the first session dashed, the latest solid, left blue and right orange."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if not (first.summary.get("cycle_curves") or latest.summary.get("cycle_curves")):
        return None
    pct = np.linspace(0, 100, 101)
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4))
    for ax, joint, title in zip(axes, ("hip", "knee"), ("Hip (thigh from vertical, + forward)", "Knee flexion")):
        for session, style, width, which in ((first, "--", 1.3, "first"), (latest, "-", 2.2, "latest")):
            for side in ("left", "right"):
                c = (session.summary.get("cycle_curves") or {}).get(f"{side}_{joint}_deg")
                if c:
                    ax.plot(pct, c["mean"], style, lw=width, color=SIDE_COLOURS[side],
                            label=f"{side}, {which} ({session.date})")
        style_cycle_axes(ax, title)
    return figure_png(fig, plt, dpi=120)


def _uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode()


def render_trend(record: Record, subject: str, norms: dict | None = None) -> str:
    sessions = record.subject_sessions(subject)
    status = [record.folder_status(s) for s in sessions]
    session_rows = "".join(
        f"<tr><td class=num>{i + 1}</td><td>{_e(s.date)}</td><td>{_e(s.label)}</td><td class=small>{_e(s.folder)}</td>"
        f"<td class=small>{_e(st)}</td></tr>" for i, (s, st) in enumerate(zip(sessions, status)))
    head = "".join(f"<th>{i + 1}<br><span class=unit>{_e(s.date)}</span></th>" for i, s in enumerate(sessions))
    body = []
    for spec in kn.SPECS:
        cells = []
        for s in sessions:
            row = next(r for r in kn.key_rows(s.summary, norms) if r.spec.key == spec.key)
            v, f = row.values["both"], row.flags["both"]
            mark = {"low": " ▼", "high": " ▲", "near": " ≈"}.get(f, "")
            cls = f" flag-{f}" if f else ""
            cells.append(f"<td class='num{cls}'>{_e(kn.round_to(v, spec.decimals))}{mark}</td>")
        rng = kn.normal_range(spec, norms)
        body.append(f"<tr><th scope=row>{_e(spec.label)} <span class=unit>{_e(spec.unit)}</span></th>{''.join(cells)}"
                    f"<td class=num>{_e(kn.range_text(spec, rng))}</td></tr>")
    table = (f"<table class=key><thead><tr><th>Session</th>{head}<th>Normal</th></tr></thead>"
             f"<tbody>{''.join(body)}</tbody></table>")
    source = ("the lab's own norms (mean ± 2 SD)" if (norms or {}).get("scalars") else
              f"typical values of healthy adults from {_e(kn.PUBLISHED_SOURCE)}")
    trend_png = trend_plot_png(sessions, norms)
    curves = curves_plot_png(sessions[0], sessions[-1]) if len(sessions) > 1 else None
    curves_html = (f'<img class=plot alt="first and latest session angle curves" src="{_uri(curves)}">'
                   if curves else "<p>One session only: nothing to overlay yet.</p>")
    moved = [f"session {i + 1}: {st}" for i, st in enumerate(status) if st != "ok"]
    warn = ("<div class=box><ul>" + "".join(f"<li>{_e(m)}</li>" for m in moved) + "</ul></div>") if moved else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gait trend — {_e(subject)}</title><style>{CSS}</style></head>
<body>
<h1>Gait over the sessions — {_e(subject)}</h1>
<p class=lead>{len(sessions)} sessions from {_e(sessions[0].date)} to {_e(sessions[-1].date)}. Values for both sides
together, rounded to what the method resolves; ▼ ▲ outside the normal range by more than the measurement's uncertainty,
≈ outside but within it.</p>
{warn}
<table class=meta><thead><tr><th>#</th><th>Date</th><th>Label</th><th>Analysis folder</th><th>Folder check</th></tr></thead>
<tbody>{session_rows}</tbody></table>
<h2>Key numbers</h2>
{table}
<p class=small>Normal: {source}. Record: {_e(record.path)}.</p>
<img class=plot alt="key numbers over the sessions" src="{_uri(trend_png)}">
<p class=small>Black: both sides together; blue: left; orange: right. Grey: the normal range (dashed: a single typical
value).</p>
<h2>Hip and knee over the gait cycle: first and latest session</h2>
{curves_html}
<p class=small>Mean curves; dashed: first session, solid: latest.</p>
</body></html>
"""


def write_trend(record: Record, subject: str, out_dir: str | Path, norms: dict | None = None) -> Path:
    from gaitpose.formats import write_text_atomic
    page = render_trend(record, subject, norms)
    out = Path(out_dir) / "trend.html"
    write_text_atomic(out, page)
    return out
