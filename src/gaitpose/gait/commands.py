"""The `gaitpose gait`, `compare` and `norms build` jobs: parse the user's files and values, call the
pipeline, print a short summary. All user mistakes raise GaitposeError (one line)."""
from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np

from gaitpose.errors import GaitposeError
from gaitpose.gait.geometry import Camera
from gaitpose.gait.pipeline import GaitOptions, analyze_by_time_stamps, analyze_keypoints, write_gait_outputs
from gaitpose.gait.readers import read_angles_csv, read_feet, read_tracks_timed
from gaitpose.timing import frame_timing


def parse_pair(text: str | None, name: str) -> tuple[float, float] | None:
    """'L' or 'L,R' metres → (L, R)."""
    if text is None:
        return None
    try:
        vals = [float(v) for v in text.split(",")]
    except ValueError:
        raise GaitposeError(f"{name}: expected metres as L or L,R, got {text!r}") from None
    if len(vals) not in (1, 2) or not all(math.isfinite(v) and v > 0 for v in vals):
        raise GaitposeError(f"{name}: expected one or two positive lengths in metres, got {text!r}")
    return (vals[0], vals[-1])


def load_camera(path: str | None) -> Camera:
    if path is None:
        return Camera()
    p = Path(path)
    try:
        d = json.loads(p.read_text())
    except FileNotFoundError:
        raise GaitposeError(f"{p}: file not found") from None
    except (json.JSONDecodeError, OSError) as exc:
        raise GaitposeError(f"{p}: not valid JSON ({exc})") from None
    if not isinstance(d, dict) or "fx" not in d:
        raise GaitposeError(f'{p}: missing "fx" (expected {{"fx":…, "fy":…, "cx":…, "cy":…}}, optional "dist")')
    try:
        fx = float(d["fx"])
        fy = float(d.get("fy", fx))
        cx, cy = float(d.get("cx", 0.0)), float(d.get("cy", 0.0))
        dist = tuple(float(v) for v in d.get("dist", ()))
    except (TypeError, ValueError):
        raise GaitposeError(f"{p}: fx, fy, cx, cy must be numbers and dist a list of numbers") from None
    if not (fx > 0 and fy > 0):
        raise GaitposeError(f"{p}: fx and fy must be positive")
    return Camera(fx, fy, cx, cy, dist, known="cx" in d and "cy" in d)


def run_gait(args) -> int:
    frames, kp, file_fps, file_times = read_tracks_timed(args.keypoints)
    fps = args.fps if args.fps is not None else file_fps
    if fps is None:
        raise GaitposeError(f"{args.keypoints}: no time_s column: give --fps")
    if not (math.isfinite(fps) and fps > 0):
        raise GaitposeError(f"--fps: expected a positive frame rate, got {fps}")
    options = gait_options_from_args(args)
    threshold_note = None
    if args.min_score is None:
        analysed = analyze_min_score(args.keypoints)
        if analysed is not None:
            options = replace(options, min_score=analysed)
            threshold_note = (f"--min-score {analysed:g}: the threshold `analyze` used (analysis.json beside "
                              f"{Path(args.keypoints).name}); give --min-score to choose another")
    feet, feet_note = read_feet(args.keypoints)
    times = file_times if args.fps is None else None
    timing = frame_timing(times) if times is not None else None
    if timing is not None and timing.variable:             # time stamps of a variable-rate recording
        result = analyze_by_time_stamps(kp, feet, times, timing.effective_fps, options)
    else:
        result = analyze_keypoints(kp, fps, options, frames=frames, feet_tx4x3=feet)
    for note in (feet_note, threshold_note):
        if note:
            result.notes.insert(0, note)
    session = session_info(options.camera, args.subject, args.session_label, args.date,
                           keypoints_source=f"read from {Path(args.keypoints).name}")
    write_gait_outputs(result, args.out, session)
    print_gait_summary(result, args.out)
    return 0


def analyze_min_score(keypoints_path: str | Path) -> float | None:
    """The score threshold `gaitpose analyze` used for these keypoints: `min_score` of the analysis.json in
    the same folder (analyze writes keypoints_raw.csv beside it), so that `gait` run again on them finds
    the same joints; None where there is none or it holds no threshold in [0, 1)."""
    record = Path(keypoints_path).parent / "analysis.json"
    if not Path(keypoints_path).is_file() or not record.is_file():
        return None
    try:
        value = json.loads(record.read_text()).get("min_score")
    except (OSError, ValueError, AttributeError):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value < 1.0:
        return None
    return float(value)


def session_info(camera: Camera, subject: str | None = None, label: str | None = None, date: str | None = None,
                 video: str | Path | None = None, keypoints_source: str | None = None) -> dict:
    """session.json: who and when (date YYYY-MM-DD, default today), the camera, where the keypoints came from
    and the software version — the report's header."""
    import datetime

    from gaitpose import __version__
    if date is None:
        date = datetime.date.today().isoformat()
    else:
        try:
            date = datetime.date.fromisoformat(date).isoformat()
        except ValueError:
            raise GaitposeError(f"--date: expected a date as YYYY-MM-DD, got {date!r}") from None
    return {"subject": subject, "label": label, "date": date,
            "video": str(Path(video).resolve()) if video else None,
            "keypoints_source": keypoints_source, "software_version": __version__,
            "camera": {"fx": camera.fx, "fy": camera.fy, "cx": camera.cx, "cy": camera.cy,
                       "dist": list(camera.dist), "known": bool(camera.known)}}


def gait_options_from_args(args) -> GaitOptions:
    """GaitOptions from the options `gait` and `analyze` share; one-line errors for bad values."""
    if args.height_m is not None and not args.height_m > 0:
        raise GaitposeError(f"--height-m: expected a positive height in metres, got {args.height_m}")
    norms = None
    if args.norms:
        try:
            norms = json.loads(Path(args.norms).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise GaitposeError(f"{args.norms}: not a readable norms JSON ({exc})") from None
    reference = read_angles_csv(args.reference)[0] if args.reference else None
    return GaitOptions(height_m=args.height_m, thigh_m=parse_pair(args.thigh_m, "--thigh-m"),
                       shank_m=parse_pair(args.shank_m, "--shank-m"), camera=load_camera(args.camera),
                       direction=args.direction, floor_angle_deg=args.floor_angle,
                       treadmill_speed_m_s=args.treadmill_speed, cutoff_hz=args.cutoff_hz, max_gap_s=args.max_gap_s,
                       min_score=GaitOptions.min_score if args.min_score is None else args.min_score, norms=norms, reference_angles=reference)


def print_gait_summary(result, out_dir) -> None:
    s = result.summary
    print(f"{sum(s['n_strides'].values())} strides, cycle {s['gait_cycle_s']['mean']:.3f} s, cadence "
          f"{s['cadence_steps_per_min']:.1f} steps/min, D_ps {s['phase_symmetry_index']:.3f}, "
          f"step length L/R {s['step_length_m']['left']:.3f}/{s['step_length_m']['right']:.3f} m → {out_dir}")
    for p in s.get("passes") or []:
        head = f"pass {p['pass']} {p['start_s']:.2f}–{p['end_s']:.2f} s facing {p['direction']} ({p['mode']})"
        if p["status"] != "analysed":
            print(f"{head}: skipped, {p['reason']}")
            continue
        n = p["n_strides"]
        print(f"{head}: {n['left']}+{n['right']} strides{' (few)' if p['few_strides'] else ''}, cadence "
              f"{p['cadence_steps_per_min']:.1f} steps/min, cycle {p['gait_cycle_s']['mean']:.3f} s")
    for note in result.notes:
        print(f"note: {note}")


def run_compare(args) -> int:
    from gaitpose.gait.similarity import similarity
    a, ta = read_angles_csv(args.angles)
    b, tb = read_angles_csv(args.reference)
    dt = np.nanmedian(np.diff(ta)) if np.isfinite(ta).sum() > 1 else float("nan")
    fps = 1 / dt if dt > 0 else (args.fps or float("nan"))
    common = [c for c in a if c in b]
    if not common:
        raise GaitposeError(f"{args.angles} and {args.reference}: no angle column in common")
    print(f"{'angle':22s} {'S':>8s} {'RMSE':>8s} {'MAE':>8s} {'r':>7s} {'lag (frames)':>13s}")
    out = {}
    for c in common:
        r = similarity(a[c], b[c], max_lag=int(2 * fps) if math.isfinite(fps) else 60)
        out[c] = r
        print(f"{c:22s} {r['S']:8.4f} {r['rmse']:8.3f} {r['mae']:8.3f} {r['r']:7.3f} {r['lag_frames']:13d}")
    if args.json_path:
        from gaitpose.formats import write_json_atomic
        write_json_atomic(args.json_path, out)
    return 0


def run_norms_build(args, scalars_from=None) -> int:
    """norms.json: the cycle curves' band and, when `scalars_from(summaries)` is given (the report's key
    numbers), mean/SD/n of each key number under "scalars"."""
    from gaitpose.formats import write_json_atomic
    from gaitpose.gait.cycles import build_norms
    sets, summaries = [], []
    for path in args.summaries:
        try:
            d = json.loads(Path(path).read_text())
        except (OSError, json.JSONDecodeError) as exc:
            raise GaitposeError(f"{path}: not a readable summary.json ({exc})") from None
        if "cycle_curves" not in d:
            raise GaitposeError(f"{path}: no cycle_curves (expected a summary.json written by gaitpose gait)")
        sets.append(d["cycle_curves"])
        summaries.append(d)
    norms = build_norms(sets)
    if scalars_from is not None:
        norms["scalars"] = scalars_from(summaries)
    write_json_atomic(args.out, norms)
    print(f"norms from {len(sets)} recordings → {args.out}")
    return 0
