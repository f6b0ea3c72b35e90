"""The `gaitpose gait` output folder (SPEC §9). Each file is written atomically, its rows streamed into a
temporary file that is renamed when complete, so a failure leaves no half-written file and a long recording's
rows are never all in memory at once; report.html comes last, rendered from them (gaitpose.report.clinical)."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterator

import numpy as np

from gaitpose.formats import (ANGLE_COLUMNS, EVENT_COLUMNS, KEYPOINT_COLUMNS, PASS_COLUMNS, PASS_NUMBERS,
                              STRIDE_COLUMNS, _cell,
                              write_bytes_atomic, write_csv_atomic, write_json_atomic, write_keypoints_csv,
                              write_lines_atomic)
from gaitpose.report.figures import figure_png
from gaitpose.skeleton import JOINTS


def absolute_frame(result, row: float) -> float:
    """Fractional row of the analysed tracks → frame number of the recording (rows are consecutive frames)."""
    return float(result.frames[0]) + row if len(result.frames) else row


def event_rows(result) -> list[list[Any]]:
    """events.csv rows; frame and time_s count from the start of the recording, like keypoints.csv."""
    rows = []
    for side, kinds in result.events.items():
        for kind, frames in kinds.items():
            for f in frames:
                frame = absolute_frame(result, f)
                rows.append([side, kind, int(round(frame)), frame / result.fps])
    return sorted(rows, key=lambda r: r[3])


def stride_rows(result) -> list[list[Any]]:
    return [[s.side, int(round(absolute_frame(result, s.start_frame))), int(round(absolute_frame(result, s.end_frame))),
             s.stride_time_s, s.stance_time_s, s.swing_time_s, s.stance_pct, s.step_length_m, s.stride_length_m,
             s.speed_m_s]
            for s in result.strides.strides]


def _pass_numbers(numbers: dict[str, Any]) -> list[Any]:
    """The number cells of a passes.csv row from a summary-like dict (a pass, or the pooled summary)."""
    n = numbers.get("n_strides") or {}
    cells = [n.get("left"), n.get("right"), numbers.get("cadence_steps_per_min"), numbers.get("speed_m_s"),
             numbers.get("phase_symmetry_index")]
    for key, _, _ in PASS_NUMBERS:
        stat = numbers.get(key) or {}
        cells += [stat.get("mean"), stat.get("sd"), stat.get("left"), stat.get("right")]
    for key in ("hip_rom_deg", "knee_rom_deg"):
        rom = numbers.get(key) or {}
        cells += [rom.get("left"), rom.get("right")]
    return cells


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def pass_rows(result) -> list[list[Any]]:
    """passes.csv: one row per pass (a skipped one with its reason and no numbers), then "all" (pooled)."""
    s = result.summary
    passes = s.get("passes") or []
    rows = []
    for p in passes:
        head = [p["pass"], p["status"], p["reason"], p["start_frame"], p["end_frame"], p["start_s"], p["end_s"],
                p["direction"], p["mode"], p["travel_leg_lengths"], _yes_no(p["few_strides"])]
        numbers = _pass_numbers(p) if p["status"] == "analysed" else [None] * (len(PASS_COLUMNS) - len(head))
        rows.append(head + numbers)
    analysed = [p for p in passes if p["status"] == "analysed"]
    rows.append(["all", "pooled", f"{len(analysed)} of {len(passes)} passes",
                 min((p["start_frame"] for p in analysed), default=None), max((p["end_frame"] for p in analysed), default=None),
                 min((p["start_s"] for p in analysed), default=None), max((p["end_s"] for p in analysed), default=None),
                 s.get("walking_direction"), s.get("mode"), sum(p["travel_leg_lengths"] for p in analysed),
                 _yes_no(bool(s.get("few_strides")))]
                + _pass_numbers(s))
    return rows


def angle_rows(result) -> Iterator[list[Any]]:
    cols = ANGLE_COLUMNS[2:]
    for i, f in enumerate(result.frames):
        yield [int(f), f / result.fps] + [result.angles[c][i] for c in cols]


def trc_lines(result, metres_per_px: float | None) -> Iterator[str]:
    """OpenSim/Sports2D .trc of the cleaned keypoints, line by line: X forward(image right), Y up, Z 0; metres
    when a scale is known, else pixels."""
    kp = result.keypoints_tx8x3
    scale = metres_per_px or 1.0
    units = "m" if metres_per_px else "px"
    n = len(kp)
    yield from (line + "\n" for line in (
        "PathFileType\t4\t(X/Y/Z)\tkeypoints.trc",
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames",
        f"{result.fps:g}\t{result.fps:g}\t{n}\t{len(JOINTS)}\t{units}\t{result.fps:g}\t1\t{n}",
        "Frame#\tTime\t" + "\t\t\t".join(JOINTS) + "\t\t",
        "\t\t" + "\t".join(f"X{i + 1}\tY{i + 1}\tZ{i + 1}" for i in range(len(JOINTS))),
        ""))
    for i in range(n):
        cells = [str(i + 1), f"{i / result.fps:.6f}"]
        for j in range(len(JOINTS)):
            x, y = kp[i, j, 0] * scale, -kp[i, j, 1] * scale
            cells += [_cell(x), _cell(y), "0" if np.isfinite(x) else ""]
        yield "\t".join(cells) + "\n"


def mot_lines(result) -> Iterator[str]:
    """OpenSim .mot (storage) of the angle columns, degrees, line by line."""
    cols = ["time"] + list(ANGLE_COLUMNS[2:])
    n = len(result.frames)
    yield from (line + "\n" for line in ("angles.mot", "version=1", f"nRows={n}", f"nColumns={len(cols)}",
                                          "inDegrees=yes", "endheader", "\t".join(cols)))
    for i in range(n):
        yield "\t".join([f"{i / result.fps:.6f}"] + [f"{result.angles[c][i]:.6f}" if np.isfinite(result.angles[c][i])
                                                     else "nan" for c in ANGLE_COLUMNS[2:]]) + "\n"


def render_plots(result) -> dict[str, bytes]:
    """PNG bytes for the engineer: angles over time with events, cycle-normalised curves (± SD, reference band)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    out: dict[str, bytes] = {}
    t = np.arange(len(result.frames)) / result.fps
    colours = {"left": "tab:blue", "right": "tab:red"}
    fig, axes = plt.subplots(2, 1, figsize=(10, 6), sharex=True)
    for ax, joint in zip(axes, ("hip", "knee")):
        for side in ("left", "right"):
            ax.plot(t, result.angles[f"{side}_{joint}_deg"], color=colours[side], label=side, lw=1)
            # one collection per kind of event, not one artist per event: a 10-minute session has
            # thousands of events, and an artist each costs tens of megabytes (issue 16)
            for event, style in (("heel_strike", "-"), ("toe_off", ":")):
                x_s = np.asarray(result.events[side][event], dtype=float) / result.fps
                ax.add_collection(LineCollection([[(x, 0.0), (x, 1.0)] for x in x_s], colors=colours[side],
                                                 linestyles=style, linewidths=0.5, alpha=0.5,
                                                 transform=ax.get_xaxis_transform()), autolim=False)
        ax.set_ylabel(f"{joint} (deg)")
        ax.legend(loc="upper right")
    axes[-1].set_xlabel("time (s)  — solid: heel strike, dotted: toe off")
    out["angles_time.png"] = figure_png(fig, plt, dpi=90)

    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    pct = np.linspace(0, 100, 101)
    norms = (result.norms or {}).get("angles", {})
    for ax, joint in zip(axes, ("hip", "knee")):
        ref = norms.get(f"{joint}_deg")
        if ref:
            m, sd = np.array(ref["mean"]), np.array(ref["sd"])
            ax.fill_between(pct, m - sd, m + sd, color="0.85", label="reference ±1 SD")
        for side in ("left", "right"):
            c = result.curves.get(f"{side}_{joint}_deg")
            if c:
                m, sd = np.array(c["mean"]), np.array(c["sd"])
                ax.plot(pct, m, color=colours[side], label=f"{side} (n={c['n']})")
                ax.fill_between(pct, m - sd, m + sd, color=colours[side], alpha=0.15)
        ax.set_title(joint)
        ax.set_xlabel("% gait cycle")
        ax.set_ylabel("deg")
        ax.legend(fontsize=8)
    out["cycles.png"] = figure_png(fig, plt, dpi=90)
    return out


def write_all(result, out_dir: Path, session: dict | None = None) -> None:
    """Render the plots, then write (each file streamed and atomic): keypoints.csv, angles.csv, events.csv, strides.csv, passes.csv, summary.json,
    keypoints.trc, angles.mot, plots/*.png, session.json (who, when, camera, versions), norms.json (the lab
    norms used, when given), and last report.html, rendered from those files (gaitpose.report.clinical)."""
    from gaitpose.report.clinical import write_report

    plots = render_plots(result)
    scale = result.summary.get("metres_per_px")
    out_dir.mkdir(parents=True, exist_ok=True)
    write_keypoints_csv(out_dir / "keypoints.csv", result.keypoints_tx8x3, result.fps, frames=result.frames)
    write_csv_atomic(out_dir / "angles.csv", ANGLE_COLUMNS, angle_rows(result))
    write_csv_atomic(out_dir / "events.csv", EVENT_COLUMNS, event_rows(result))
    write_csv_atomic(out_dir / "strides.csv", STRIDE_COLUMNS, stride_rows(result))
    write_csv_atomic(out_dir / "passes.csv", PASS_COLUMNS, pass_rows(result))
    write_json_atomic(out_dir / "summary.json", result.summary)
    write_lines_atomic(out_dir / "keypoints.trc", trc_lines(result, scale))
    write_lines_atomic(out_dir / "angles.mot", mot_lines(result))
    for name, png in plots.items():
        write_bytes_atomic(out_dir / "plots" / name, png)
    if session is not None:
        write_json_atomic(out_dir / "session.json", session)
    if result.norms is not None:
        write_json_atomic(out_dir / "norms.json", result.norms)
    else:  # a norms.json of an earlier run into this folder would put its band on this report
        (out_dir / "norms.json").unlink(missing_ok=True)
    write_report(out_dir, video=(session or {}).get("video"))


__all__ = ["write_all", "KEYPOINT_COLUMNS"]
