"""The patient's record: every analysis of a subject, kept together across sessions, in one SQLite file.

* One file, by default in the user's data folder (`default_db_path`), `--db PATH` to choose.
* Schema versioned with SQLite's `user_version`, migrated forward step by step (`MIGRATIONS`); a file
  written by a newer gaitpose is refused, not rewritten. The file is marked with `application_id`, so a
  foreign SQLite file or a file that is not a database gives one clear line and is left untouched.
* Every write is one transaction (`BEGIN IMMEDIATE`): two processes adding at once wait for each other,
  and a process killed mid-write leaves the file as it was before (SQLite's rollback journal).
* Only bound parameters reach SQL; no statement is ever built from user text.
* An analysis folder is referenced, not copied: its summary.json is stored (so the record still shows
  the numbers when the folder is gone) with the SHA-256 of every file, so a moved or edited folder is
  detected and said.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import sqlite3
import sys
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from gaitpose.errors import GaitposeError

APPLICATION_ID = 0x47504F53     # "GPOS": marks the file as a gaitpose record
BUSY_TIMEOUT_S = 30.0           # how long a writer waits for another one to finish
MAX_SUBJECT_CHARS = 64

# Forward migrations: MIGRATIONS[i] takes the schema from version i to i + 1.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (   # 0 → 1: subjects, their sessions, and the checksums of each session's files
        """CREATE TABLE subject (
               id TEXT PRIMARY KEY,
               added_utc TEXT NOT NULL)""",
        """CREATE TABLE session (
               id INTEGER PRIMARY KEY AUTOINCREMENT,
               subject_id TEXT NOT NULL REFERENCES subject(id),
               session_date TEXT NOT NULL,
               label TEXT,
               folder TEXT NOT NULL UNIQUE,
               summary_json TEXT NOT NULL,
               added_utc TEXT NOT NULL)""",
        """CREATE TABLE session_file (
               session_id INTEGER NOT NULL REFERENCES session(id),
               name TEXT NOT NULL,
               size_bytes INTEGER NOT NULL,
               sha256 TEXT NOT NULL,
               PRIMARY KEY (session_id, name))""",
    ),
    (   # 1 → 2: the subject's sessions in date order without a scan of the table
        "CREATE INDEX session_by_subject_date ON session(subject_id, session_date, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def default_db_path() -> Path:
    """The user's data folder: $XDG_DATA_HOME/gaitpose (Linux), ~/Library/Application Support/gaitpose
    (macOS), %APPDATA%/gaitpose (Windows)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gaitpose" / "record.sqlite"


def check_subject(subject: str) -> str:
    """A subject id as the record stores it: 1–64 printable characters, no leading/trailing space.
    (Use a code, not the patient's name.)"""
    if not isinstance(subject, str) or not subject.strip():
        raise GaitposeError("--subject: expected a subject id (a code such as P-017), got an empty one")
    if subject != subject.strip():
        raise GaitposeError(f"--subject: {subject!r} starts or ends with a space")
    if len(subject) > MAX_SUBJECT_CHARS:
        raise GaitposeError(f"--subject: at most {MAX_SUBJECT_CHARS} characters, got {len(subject)}")
    if any(unicodedata.category(c).startswith("C") for c in subject):
        raise GaitposeError(f"--subject: {subject!r} contains a control character")
    return unicodedata.normalize("NFC", subject)


def check_date(date: str) -> str:
    try:
        return datetime.date.fromisoformat(date).isoformat()
    except (TypeError, ValueError):
        raise GaitposeError(f"--date: expected a date as YYYY-MM-DD, got {date!r}") from None


def _now_utc() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def file_checksums(folder: Path) -> dict[str, tuple[int, str]]:
    """{relative name: (size, SHA-256)} of every file in an analysis folder (hidden temporary files left out)."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts):
            h = hashlib.sha256()
            with open(p, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
            out[p.relative_to(folder).as_posix()] = (p.stat().st_size, h.hexdigest())
    return out


@dataclass
class Session:
    id: int
    subject: str
    date: str
    label: str
    folder: str
    summary: dict
    added_utc: str


class Record:
    """An open record file. Use `with Record.open(path) as record:`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self.conn, self.path = conn, path

    # ------------------------------------------------------------------ opening, checking, migrating
    @classmethod
    def open(cls, path: str | Path | None = None, create: bool = True) -> "Record":
        path = Path(path) if path is not None else default_db_path()
        if path.is_dir():
            raise GaitposeError(f"{path}: is a folder; --db expects a record file")
        if not path.exists():
            if not create:
                raise GaitposeError(f"{path}: no record here yet (add a session with `gaitpose record add`)")
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise GaitposeError(f"{path}: cannot open the record ({exc})") from None
        record = cls(conn, path)
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            record._check_and_migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise GaitposeError(f"{path}: not a readable gaitpose record ({exc}); the file was left as it is") from None
        except GaitposeError:
            conn.close()
            raise
        return record

    def _state(self) -> tuple[int, int, int]:
        """(application_id, schema version, number of schema objects) of the open file, read in one statement:
        one snapshot. Three statements outside a transaction are three snapshots, and another process creating
        the record could commit between them (an id of 0 beside its tables read as "another program's file")."""
        row = self.conn.execute("SELECT (SELECT application_id FROM pragma_application_id), "
                                "(SELECT user_version FROM pragma_user_version), "
                                "(SELECT count(*) FROM sqlite_master)").fetchone()
        return int(row[0]), int(row[1]), int(row[2])

    def _refuse_foreign_or_newer(self, app_id: int, version: int, objects: int) -> None:
        if app_id != APPLICATION_ID and (objects or version):
            raise GaitposeError(f"{self.path}: an SQLite database of another program, not a gaitpose record; "
                                "the file was left as it is (choose another --db)")
        if version > SCHEMA_VERSION:
            raise GaitposeError(f"{self.path}: written by a newer gaitpose (record schema {version}; this one "
                                f"knows up to {SCHEMA_VERSION}); update gaitpose to read it")

    def _check_and_migrate(self) -> None:
        """Refuse foreign or newer files; bring an older (or new, empty) one to SCHEMA_VERSION in one transaction."""
        state = self._state()
        self._refuse_foreign_or_newer(*state)
        if state[0] == APPLICATION_ID and state[1] == SCHEMA_VERSION:
            return
        with self.transaction():
            app_id, version, objects = self._state()      # another process may have migrated meanwhile
            self._refuse_foreign_or_newer(app_id, version, objects)
            for step in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[step]:
                    self.conn.execute(statement)
            # PRAGMA takes no bound parameters; both values are integers of this module, never user text.
            self.conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")
            self.conn.execute(f"PRAGMA application_id = {int(APPLICATION_ID)}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all of it or nothing. Waits up to BUSY_TIMEOUT_S for another writer."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise GaitposeError(f"{self.path}: the record is busy or read-only ({exc})") from None
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Record":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ writing
    def add(self, folder: str | Path, subject: str, label: str | None = None, date: str | None = None) -> Session:
        """Add one analysis folder as a session of `subject`. Date: given, else the analysis' session.json
        date, else the day summary.json was written."""
        subject = check_subject(subject)
        folder = Path(folder)
        if not folder.is_dir():
            raise GaitposeError(f"{folder}: no such analysis folder")
        folder = folder.resolve()
        summary_path = folder / "summary.json"
        if not summary_path.is_file():
            raise GaitposeError(f"{folder}: not a gaitpose analysis folder (no summary.json)")
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise GaitposeError(f"{summary_path}: not readable JSON ({exc})") from None
        if not isinstance(summary, dict) or "gait_cycle_s" not in summary:
            raise GaitposeError(f"{summary_path}: not a summary written by gaitpose gait/analyze (no gait_cycle_s)")
        session_file = {}
        if (folder / "session.json").is_file():
            try:
                session_file = json.loads((folder / "session.json").read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError):
                session_file = {}
        if date is not None:
            date = check_date(date)
        elif isinstance(session_file, dict) and session_file.get("date"):
            date = check_date(str(session_file["date"]))
        else:
            date = datetime.date.fromtimestamp(summary_path.stat().st_mtime).isoformat()
        if label is None and isinstance(session_file, dict) and isinstance(session_file.get("label"), str):
            label = session_file["label"]
        sums = file_checksums(folder)
        now = _now_utc()
        with self.transaction() as c:
            row = c.execute("SELECT id, subject_id FROM session WHERE folder = ?", (str(folder),)).fetchone()
            if row is not None:
                whose = "this subject" if row[1] == subject else "another subject"
                raise GaitposeError(f"{folder}: already in the record as session {row[0]} of {whose}")
            c.execute("INSERT OR IGNORE INTO subject (id, added_utc) VALUES (?, ?)", (subject, now))
            cur = c.execute("INSERT INTO session (subject_id, session_date, label, folder, summary_json, added_utc) "
                            "VALUES (?, ?, ?, ?, ?, ?)", (subject, date, label, str(folder),
                                                          json.dumps(summary, allow_nan=True), now))
            session_id = int(cur.lastrowid)
            self._insert_files(c, session_id, sums)
        return Session(session_id, subject, date, label or "", str(folder), summary, now)

    @staticmethod
    def _insert_files(c: sqlite3.Connection, session_id: int, sums: dict[str, tuple[int, str]]) -> None:
        c.executemany("INSERT INTO session_file (session_id, name, size_bytes, sha256) VALUES (?, ?, ?, ?)",
                      [(session_id, name, size, digest) for name, (size, digest) in sums.items()])

    # ------------------------------------------------------------------ reading
    def subjects(self) -> list[tuple[str, int, str, str]]:
        """(subject, number of sessions, first date, latest date), by subject id."""
        return [tuple(r) for r in self.conn.execute(
            "SELECT subject_id, count(*), min(session_date), max(session_date) FROM session "
            "GROUP BY subject_id ORDER BY subject_id")]

    def sessions(self, subject: str | None = None) -> list[Session]:
        """Sessions in date order (then in the order they were added); one subject's only when given."""
        query = ("SELECT id, subject_id, session_date, coalesce(label, ''), folder, summary_json, added_utc "
                 "FROM session WHERE (? IS NULL OR subject_id = ?) ORDER BY subject_id, session_date, id")
        return [Session(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), r[6])
                for r in self.conn.execute(query, (subject, subject))]

    def subject_sessions(self, subject: str) -> list[Session]:
        """The sessions of one subject; a clear line when the record has none."""
        subject = check_subject(subject)
        found = self.sessions(subject)
        if not found:
            known = len(self.subjects())
            raise GaitposeError(f"{self.path}: no sessions of subject {subject!r} "
                                f"({known} subject{'' if known == 1 else 's'} in this record)")
        return found

    def folder_status(self, session: Session) -> str:
        """'ok', or in words what changed since the session was added: folder missing, files edited/missing."""
        folder = Path(session.folder)
        if not folder.is_dir():
            return "folder missing (moved or deleted); numbers shown from the record's copy"
        stored = {r[0]: (r[1], r[2]) for r in self.conn.execute(
            "SELECT name, size_bytes, sha256 FROM session_file WHERE session_id = ?", (session.id,))}
        now = file_checksums(folder)
        missing = sorted(set(stored) - set(now))
        edited = sorted(n for n in stored if n in now and now[n] != stored[n])
        parts = []
        if edited:
            parts.append("edited since added: " + ", ".join(edited))
        if missing:
            parts.append("missing: " + ", ".join(missing))
        return "; ".join(parts) or "ok"

    def integrity_ok(self) -> bool:
        return self.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
