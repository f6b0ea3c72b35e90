"""The patient's record: sessions kept per subject, checksums, migrations, and what goes wrong
(parallel writers, a killed writer, corrupt or foreign files, odd subject ids)."""
import contextlib
import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from conftest import HAND_SUMMARY, write_folder
from gaitpose.cli import main
from gaitpose.errors import GaitposeError
from gaitpose.report.record import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, Record
from gaitpose.report.trend import render_trend


def _cli(*args):
    """`gaitpose ARGS` in this process (a fresh interpreter costs seconds): (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return subprocess.CompletedProcess(args, rc, out.getvalue(), err.getvalue())


def test_sessions_kept_per_subject_in_date_order(tmp_path):
    db = tmp_path / "rec.sqlite"
    odd = "P-017 'x'); DROP TABLE session;--"
    with Record.open(db) as r:
        later = r.add(write_folder(tmp_path / "a"), odd, date="2026-11-20")
        first = r.add(write_folder(tmp_path / "b"), odd, label="week 1", date="2026-10-01")
        r.add(write_folder(tmp_path / "c"), "Zoë 02")                     # date from its session.json
        assert [s.id for s in r.sessions(odd)] == [first.id, later.id]
        assert later.label == "week 3"                                    # from session.json
        assert [s.date for s in r.sessions("Zoë 02")] == ["2026-11-02"]
        assert r.subjects() == [(odd, 2, "2026-10-01", "2026-11-20"), ("Zoë 02", 1, "2026-11-02", "2026-11-02")]
        assert r.sessions(odd)[0].summary["cadence_steps_per_min"] == HAND_SUMMARY["cadence_steps_per_min"]
        with pytest.raises(GaitposeError, match="already in the record as session .* of another subject"):
            r.add(tmp_path / "a", "P-999")
        with pytest.raises(GaitposeError, match="no sessions of subject 'P-999'"):
            r.subject_sessions("P-999")
    show = _cli("record", "show", odd, "--db", str(db))
    assert show.returncode == 0, show.stderr
    assert "Zoë" not in show.stdout and str(tmp_path / "c") not in show.stdout     # nobody else's data
    assert "2026-10-01 week 1" in show.stdout and "0.38" in show.stdout and "ok" in show.stdout


@pytest.mark.parametrize("subject,needle", [("", "empty"), (" P1", "space"), ("a\tb", "control character"),
                                            ("x" * 65, "at most 64")])
def test_odd_subject_ids_refused_in_one_line(tmp_path, subject, needle):
    res = _cli("record", "add", str(write_folder(tmp_path / "a")), "--subject", subject, "--db",
               str(tmp_path / "rec.sqlite"))
    assert res.returncode == 2 and needle in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_moved_or_edited_folder_is_detected(tmp_path):
    with Record.open(tmp_path / "rec.sqlite") as r:
        s1 = r.add(write_folder(tmp_path / "a"), "P1")
        s2 = r.add(write_folder(tmp_path / "b"), "P1")
        assert r.folder_status(s1) == "ok"
        (tmp_path / "a" / "summary.json").write_text(json.dumps({**HAND_SUMMARY, "speed_m_s": 9.0}))
        (tmp_path / "a" / "events.csv").unlink()
        assert r.folder_status(s1) == "edited since added: summary.json; missing: events.csv"
        (tmp_path / "b").rename(tmp_path / "b-moved")
        assert r.folder_status(s2).startswith("folder missing")
        # the record still has the numbers of the moved session, and the trend says what happened
        page = render_trend(r, "P1")
        assert "session 2: folder missing" in page and "session 1: edited since added: summary.json" in page


def test_missing_or_foreign_analysis_folder(tmp_path):
    with Record.open(tmp_path / "rec.sqlite") as r:
        with pytest.raises(GaitposeError, match="no such analysis folder"):
            r.add(tmp_path / "nowhere", "P1")
        (tmp_path / "empty").mkdir()
        with pytest.raises(GaitposeError, match="no summary.json"):
            r.add(tmp_path / "empty", "P1")
        assert r.sessions() == []


def test_corrupt_foreign_and_newer_files_are_refused_and_left_as_they_are(tmp_path):
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"not a database at all, " * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as c:
        c.execute("CREATE TABLE patients (name TEXT)")
    newer = tmp_path / "newer.sqlite"
    with sqlite3.connect(newer) as c:
        c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        c.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    for path, needle in ((garbage, "not a readable gaitpose record"), (foreign, "another program"),
                         (newer, "written by a newer gaitpose")):
        before = path.read_bytes()
        res = _cli("record", "add", str(write_folder(tmp_path / "a")), "--subject", "P1", "--db", str(path))
        assert res.returncode == 2 and needle in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert path.read_bytes() == before


def test_forward_migration_keeps_the_sessions(tmp_path):
    db = tmp_path / "v1.sqlite"
    with sqlite3.connect(db) as c:               # a record as schema version 1 left it
        for statement in MIGRATIONS[0]:
            c.execute(statement)
        c.execute("INSERT INTO subject VALUES ('P1', '2026-01-01T00:00:00Z')")
        c.execute("INSERT INTO session (subject_id, session_date, label, folder, summary_json, added_utc) "
                  "VALUES ('P1', '2026-01-05', 'old', '/gone', ?, '2026-01-05T00:00:00Z')", (json.dumps(HAND_SUMMARY),))
        c.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        c.execute("PRAGMA user_version = 1")
    with Record.open(db) as r:
        assert r.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 2
        assert r.conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = ?",
                              ("session_by_subject_date",)).fetchone()
        assert [(s.date, s.label) for s in r.sessions("P1")] == [("2026-01-05", "old")]


def test_parallel_adds_from_separate_processes(tmp_path):
    db = tmp_path / "rec.sqlite"
    folders = [write_folder(tmp_path / f"s{i}") for i in range(4)]
    procs = [subprocess.Popen([sys.executable, "-m", "gaitpose.cli", "record", "add", str(f), "--subject", "P1",
                               "--db", str(db)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for f in folders]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    with Record.open(db) as r:
        assert sorted(s.folder for s in r.sessions("P1")) == sorted(str(f.resolve()) for f in folders)
        assert r.integrity_ok()


def test_a_writer_killed_mid_transaction_leaves_the_record_as_it_was(tmp_path):
    db = tmp_path / "rec.sqlite"
    with Record.open(db) as r:
        r.add(write_folder(tmp_path / "kept"), "P1")
    # A writer that has inserted the session and is killed while inserting its file checksums.
    script = textwrap.dedent(f"""
        import sys, time
        from gaitpose.report.record import Record
        original = Record._insert_files
        def slow(c, session_id, sums):
            original(c, session_id, sums)
            print("inside", flush=True)
            time.sleep(60)
        Record._insert_files = staticmethod(slow)
        with Record.open({str(db)!r}) as r:
            r.add({str(write_folder(tmp_path / "lost"))!r}, "P2")
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    with Record.open(db) as r:
        assert r.integrity_ok()
        assert [s.subject for s in r.sessions()] == ["P1"]
        assert r.conn.execute("SELECT count(*) FROM session_file WHERE session_id NOT IN "
                              "(SELECT id FROM session)").fetchone()[0] == 0
        r.add(tmp_path / "lost", "P2")            # and the record takes writes again
        assert [s.subject for s in r.sessions()] == ["P1", "P2"]


def test_trend_page_over_sessions(tmp_path):
    db = tmp_path / "rec.sqlite"
    slower = {**HAND_SUMMARY, "speed_m_s": 0.30, "cycle_curves": {}}
    with Record.open(db) as r:
        r.add(write_folder(tmp_path / "a", summary=slower), "P1", date="2026-10-01")
        r.add(write_folder(tmp_path / "b"), "P1", date="2026-11-20")
    res = _cli("record", "trend", "P1", "--out", str(tmp_path / "t"), "--db", str(db))
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "t" / "trend.html").read_text()
    speed = page[page.index("Walking speed"):].split("</tr>")[0]
    assert "0.30 ▼" in speed and "0.38 ▼" in speed and "1.28–1.43" in speed      # first, latest, range
    assert page.index("2026-10-01") < page.index("2026-11-20")
    assert page.count("data:image/png;base64,") == 2                         # numbers over time, curves overlaid
    res = _cli("record", "list", "--db", str(tmp_path / "none.sqlite"))
    assert res.returncode == 2 and "no record here yet" in res.stderr


def test_gait_with_subject_heads_the_report_and_adds_to_the_record(tmp_path):
    from gaitpose.jobs import demo_assets
    kp = demo_assets() / "keypoints.csv"     # the demo walk's exact keypoints: a quick, real analysis
    db, out = tmp_path / "rec.sqlite", tmp_path / "out"
    bad = _cli("gait", str(kp), "--out", str(out), "--thigh-m", "0.426", "--shank-m", "0.430",
               "--subject", "a\nb", "--db", str(db))
    assert bad.returncode == 2 and "control character" in bad.stderr and not out.exists()   # refused before the work
    res = _cli("gait", str(kp), "--out", str(out), "--thigh-m", "0.426", "--shank-m", "0.430", "--subject", "P-9",
               "--date", "2026-01-02", "--session-label", "baseline", "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "added session 1 of P-9 (2026-01-02)" in res.stdout
    session = json.loads((out / "session.json").read_text())
    assert (session["subject"], session["date"], session["label"]) == ("P-9", "2026-01-02", "baseline")
    assert "Gait report — P-9" in (out / "report.html").read_text()
    with Record.open(db) as r:
        [s] = r.sessions("P-9")
        assert (s.date, s.label, s.folder, r.folder_status(s)) == ("2026-01-02", "baseline", str(out.resolve()), "ok")


def test_norms_build_adds_the_key_numbers(tmp_path):
    paths = []
    for i, speed in enumerate((0.384, 0.30)):
        paths.append(tmp_path / f"s{i}.json")
        paths[-1].write_text(json.dumps({**HAND_SUMMARY, "speed_m_s": speed}))
    res = _cli("norms", "build", *map(str, paths), "--out", str(tmp_path / "norms.json"))
    assert res.returncode == 0, res.stderr
    norms = json.loads((tmp_path / "norms.json").read_text())
    # two recordings: mean 0.342, sample SD |0.384 − 0.30| / √2 = 0.0594
    assert norms["scalars"]["speed_m_s"] == pytest.approx({"mean": 0.342, "sd": 0.084 / 2 ** 0.5, "n": 2})
    assert norms["angles"]["knee_deg"]["n_curves"] == 4


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the XDG data folder is the Linux default")
def test_default_record_is_in_the_users_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    res = _cli("record", "add", str(write_folder(tmp_path / "a")), "--subject", "P1")
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "data" / "gaitpose" / "record.sqlite").is_file()
    assert _cli("record", "list").stdout.startswith("P1\t1 session\t2026-11-02")


def test_the_files_state_is_read_in_one_snapshot(tmp_path):
    # Outside a transaction every statement is its own snapshot: another process creating the record can commit
    # between two of them, and an id read before its commit beside tables read after looked like another
    # program's database (seen once in four parallel `record add`s). The state must come from one statement.
    with Record.open(tmp_path / "rec.sqlite") as r:
        statements: list[str] = []
        r.conn.set_trace_callback(statements.append)
        # 8 schema objects: 3 tables, sqlite_sequence (AUTOINCREMENT), the index, and the automatic indexes of
        # subject's TEXT key, session's UNIQUE folder and session_file's two-column key
        assert r._state() == (APPLICATION_ID, SCHEMA_VERSION, 8)
        r.conn.set_trace_callback(None)
    # (the trace lists the pragma functions a statement runs inside it as "-- PRAGMA …" lines)
    assert len([s for s in statements if not s.startswith("--")]) == 1
