"""The `gaitpose record add|list|show|trend` jobs, and adding an analysis to the record after
`gaitpose analyze|gait --subject ID`. User mistakes raise GaitposeError (one line)."""
from __future__ import annotations

import json
from pathlib import Path

from gaitpose.errors import GaitposeError
from gaitpose.report import keynumbers as kn
from gaitpose.report.record import Record, Session

# the columns `record show` prints: (spec key, header)
_SHOW = (("speed_m_s", "speed m/s"), ("cadence_steps_per_min", "cadence"), ("step_length_m", "step m"),
         ("stance_pct", "stance %"), ("knee_rom_deg", "knee ROM°"))


def add_to_record(folder: str | Path, subject: str, label: str | None, date: str | None, db: str | None) -> str:
    """Add one analysis folder to the record; returns the line to print."""
    with Record.open(db) as record:
        s = record.add(folder, subject, label, date)
        return f"added session {s.id} of {s.subject} ({s.date}) to {record.path}"


def _load_norms(path: str | None) -> dict | None:
    if not path:
        return None
    try:
        norms = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GaitposeError(f"{path}: not a readable norms JSON ({exc})") from None
    if not isinstance(norms, dict):
        raise GaitposeError(f"{path}: expected a norms JSON object from `gaitpose norms build`")
    return norms


def _show_line(i: int, s: Session, status: str) -> str:
    cells = []
    for key, _ in _SHOW:
        spec = next(sp for sp in kn.SPECS if sp.key == key)
        cells.append(f"{kn.round_to(kn.side_values(s.summary, key)['both'], spec.decimals):>10}")
    label = (s.label[:24] + "…") if len(s.label) > 25 else s.label
    return f"{i:>3} {s.date:<10} {label:<25}{''.join(cells)}  {status}"


def run_record(args) -> int:
    if args.action == "add":
        print(add_to_record(args.folder, args.subject, args.session_label, args.date, args.db))
        return 0
    with Record.open(args.db, create=False) as record:
        if args.action == "list":
            if args.subject:
                for s in record.subject_sessions(args.subject):
                    print(f"{s.date}  {s.label or '-'}  {s.folder}")
                return 0
            subjects = record.subjects()
            if not subjects:
                print(f"{record.path}: no sessions yet")
            for subject, n, first, latest in subjects:
                print(f"{subject}\t{n} session{'s' if n != 1 else ''}\t{first} … {latest}")
            return 0
        if args.action == "show":
            sessions = record.subject_sessions(args.subject)
            print(f"{args.subject}: {len(sessions)} sessions in {record.path}")
            print(f"{'#':>3} {'date':<10} {'label':<25}" + "".join(f"{h:>10}" for _, h in _SHOW) + "  folder")
            for i, s in enumerate(sessions, 1):
                print(_show_line(i, s, record.folder_status(s)))
            return 0
        if args.action == "trend":
            from gaitpose.report.trend import write_trend
            out = write_trend(record, args.subject, args.out, _load_norms(args.norms))
            print(f"trend of {args.subject} → {out}")
            return 0
    raise GaitposeError(f"record: unknown action {args.action!r}")
