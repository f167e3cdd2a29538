"""`companion sessions`: the listing, its JSON, filters, where the database comes from, and a
bad database reported as `error:` with exit code 2."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import make_plan, stored_session
from helpers import run_cli as run

from companion.cli.root import main
from companion.clock import FakeClock
from companion.store.database import Store

KEYS = {"id", "plan_id", "mode", "candidate", "candidate_id", "interviewer", "started_at",
        "ended_at", "status", "score", "max_score"}


def listed(*args: str) -> list[dict[str, Any]]:
    result = run("sessions", "--json", *args)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list)
    return rows


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Four sessions, oldest first: a1 (ended, scored), b1 (abandoned), a2 (running, same
    candidate as a1 by stable id), p1 (paused, practice plan)."""
    path = tmp_path / "cli.db"
    clock = FakeClock()
    with Store(path) as store:
        stored_session(store, clock, "a1aa0001", candidate="Alice Smith",
                       candidate_id="alice@example.com", scores={"c1": 2, "c2": 2},
                       recommendation="strong yes")
        clock.advance(3600)
        stored_session(store, clock, "b1bb0002", candidate="Bob", interviewer="",
                       finish="abandon")
        clock.advance(3600)
        stored_session(store, clock, "a2aa0003", candidate="ALICE SMITH",
                       candidate_id="alice@example.com", finish=None)
        clock.advance(3600)
        paused = stored_session(store, clock, "p1pp0004", candidate="Pat",
                                plan=make_plan(plan_id="practice-1", mode="practice"),
                                finish=None)
        paused.pause()
    return path


def test_empty_database_prints_a_friendly_message(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    result = run("sessions", "--db", str(path))
    assert result.exit_code == 0
    assert result.stdout.startswith("No sessions yet.")
    assert "companion run" in result.stdout
    assert result.stderr.startswith(f"created {path} (a new, empty database")
    assert json.loads(run("sessions", "--json", "--db", str(path)).stdout) == []


def test_json_shape_and_order(db: Path) -> None:
    rows = listed("--db", str(db))
    assert [r["id"] for r in rows] == ["p1pp0004", "a2aa0003", "b1bb0002", "a1aa0001"]
    for row in rows:
        assert set(row) >= KEYS
        started = datetime.fromisoformat(row["started_at"])
        assert started.utcoffset() is not None  # a zone is stated
        if row["ended_at"] is not None:
            assert datetime.fromisoformat(row["ended_at"]) >= started
    by_id = {r["id"]: r for r in rows}
    a1 = by_id["a1aa0001"]
    assert a1["status"] == "ended" and a1["score"] == 4 and a1["max_score"] == 6
    assert a1["plan_id"] == "screen" and a1["mode"] == "interview"
    assert a1["candidate"] == "Alice Smith" and a1["candidate_id"] == "alice@example.com"
    assert a1["interviewer"] == "Ada" and a1["recommendation"] == "strong yes"
    assert by_id["b1bb0002"]["status"] == "abandoned"
    assert by_id["b1bb0002"]["interviewer"] is None
    assert by_id["a2aa0003"]["status"] == "running"
    assert by_id["a2aa0003"]["ended_at"] is None and by_id["a2aa0003"]["score"] is None
    assert by_id["p1pp0004"]["status"] == "paused"
    assert by_id["p1pp0004"]["mode"] == "practice"
    # datetimes sort the same way the listing does
    starts = [datetime.fromisoformat(r["started_at"]) for r in rows]
    assert starts == sorted(starts, reverse=True)


def test_json_is_one_session_a_line(db: Path) -> None:
    """For grep and line tools: a session never spans lines, the array's brackets stand
    alone."""
    lines = run("sessions", "--json", "--db", str(db)).stdout.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 4 + 2
    assert [json.loads(line.rstrip(","))["id"] for line in lines[1:-1]] == [
        "p1pp0004", "a2aa0003", "b1bb0002", "a1aa0001"]


def test_json_keeps_any_name_exactly(tmp_path: Path) -> None:
    """Names with quotes, backslashes, line breaks, control characters, emoji and
    right-to-left text come back exactly as stored, each session still on one line."""
    path = tmp_path / "names.db"
    names = ['Zoë "Z" O\'Neil \\ 🦊', "two\nlines\ttab\x07bell", "مرحبا 日本語"]
    clock = FakeClock()
    with Store(path) as store:
        for index, name in enumerate(names):
            stored_session(store, clock, f"n{index}nn000{index}", candidate=name)
            clock.advance(60)
        expected = [{k: r.get(k) for k in KEYS} for r in store.sessions()]
    lines = run("sessions", "--json", "--db", str(path)).stdout.splitlines()
    assert len(lines) == len(names) + 2
    rows = json.loads("\n".join(lines))
    assert [r["candidate"] for r in rows] == names[::-1]
    assert [{k: r[k] for k in KEYS} for r in rows] == expected


def test_candidate_filter(db: Path) -> None:
    for who in ("alice smith", "Alice Smith", "ALICE SMITH", "alice@example.com"):
        assert [r["id"] for r in listed("--db", str(db), "--candidate", who)] == [
            "a2aa0003", "a1aa0001"], who
    assert [r["id"] for r in listed("--db", str(db), "--candidate", "bob")] == ["b1bb0002"]
    assert listed("--db", str(db), "--candidate", "Alice") == []  # the whole name
    assert listed("--db", str(db), "--candidate", "nobody") == []
    result = run("sessions", "--db", str(db), "--candidate", "nobody")
    assert result.exit_code == 0


def test_status_filter(db: Path) -> None:
    assert [r["id"] for r in listed("--db", str(db), "--status", "ended")] == ["a1aa0001"]
    assert [r["id"] for r in listed("--db", str(db), "--status", "running")] == ["a2aa0003"]
    assert [r["id"] for r in listed("--db", str(db), "--status", "paused")] == ["p1pp0004"]
    assert [r["id"] for r in listed("--db", str(db), "--status", "abandoned")] == [
        "b1bb0002"]
    assert [r["id"] for r in listed("--db", str(db), "--status", "ended",
                                    "--candidate", "alice smith")] == ["a1aa0001"]
    result = CliRunner().invoke(main, ["sessions", "--db", str(db), "--status", "finished"])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_plain_listing(db: Path) -> None:
    result = run("sessions", "--db", str(db))
    assert result.exit_code == 0 and result.stderr == ""
    header, *lines = result.stdout.splitlines()
    assert header.split()[:6] == ["ID", "STARTED", "STATE", "SCORE", "CANDIDATE", "INTERVIEWER"]
    assert [line.split()[0] for line in lines] == [
        "p1pp0004", "a2aa0003", "b1bb0002", "a1aa0001"]
    assert "4/6" in lines[-1] and "(strong yes)" in lines[-1] and "ended" in lines[-1]
    assert "practice-1" in lines[0]


def test_plain_listing_keeps_user_text_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.db"
    with Store(path) as store:
        stored_session(store, FakeClock(), "odd00001", candidate="Eve\x1b[31m\nRed")
    result = run("sessions", "--db", str(path))
    assert len(result.stdout.splitlines()) == 2  # the header and the session
    assert "\x1b" not in result.stdout
    assert json.loads(run("sessions", "--json", "--db", str(path)).stdout)[0][
        "candidate"] == "Eve\x1b[31m\nRed"  # JSON keeps the text as it was


def test_db_before_and_after_the_subcommand(db: Path) -> None:
    before = run("--db", str(db), "sessions", "--json")
    after = run("sessions", "--json", "--db", str(db))
    assert before.exit_code == after.exit_code == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert len(json.loads(before.stdout)) == 4


def test_companion_db_environment_variable(db: Path, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANION_DB", str(db))
    assert len(listed()) == 4
    assert len(json.loads(run("sessions", "--json", env={"COMPANION_DB": str(db)}).stdout)) == 4
    # --db wins over the environment
    other = tmp_path / "other.db"
    assert listed("--db", str(other)) == []
    assert other.exists()


@pytest.mark.parametrize("where", ["before", "after", "env"])
def test_not_a_database_is_an_error(tmp_path: Path, where: str) -> None:
    path = tmp_path / "notes.txt"
    content = random.Random(11).randbytes(4096)
    path.write_bytes(content)
    if where == "before":
        result = run("--db", str(path), "sessions")
    elif where == "after":
        result = run("sessions", "--json", "--db", str(path))
    else:
        result = run("sessions", env={"COMPANION_DB": str(path)})
    assert result.exit_code == 2
    assert result.stderr.startswith("error:")
    assert str(path) in result.stderr and "not a companion database" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert path.read_bytes() == content


def test_a_folder_as_the_database_is_an_error(tmp_path: Path) -> None:
    result = run("sessions", "--db", str(tmp_path))  # click's own check on the option
    assert result.exit_code == 2 and "is a directory" in result.stderr
    result = run("sessions", env={"COMPANION_DB": str(tmp_path)})
    assert result.exit_code == 2
    assert result.stderr.startswith("error:") and "is a folder" in result.stderr


@pytest.mark.parametrize("as_json", [False, True])
def test_text_that_is_not_utf8_is_named_with_its_session_and_what_to_do(
        db: Path, as_json: bool) -> None:
    """Another program wrote bytes that are not UTF-8 into a listed column: the listing
    says which session and what to do, exits 2, and prints no half of a JSON array."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET candidate = CAST(x'41ff42' AS TEXT) "
                     "WHERE id = 'b1bb0002'")
    result = run("--db", str(db), "sessions", *(["--json"] if as_json else []))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: {db} holds text that is not UTF-8")
    assert "Traceback" not in result.output and "sqlite3 FILE" in result.stderr
    if as_json:
        assert "in session b1bb0002:" in result.stderr
    else:
        assert "column 'candidate'" in result.stderr


def test_a_session_row_written_without_its_log_is_listed_and_named_on_export(
        db: Path) -> None:
    """Another program inserted an ended session's row but no events: the listings still
    work (its scorecard state cannot be worked out, so none is shown) and an export says
    which session does not read and what to do."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, "
                     "started_at, status) VALUES ('bare0001', 'p', 't', 'interview', 'Cy', "
                     "'2030-01-01T00:00:00+00:00', 'ended')")
    listed = run("--db", str(db), "sessions", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout)[0]["id"] == "bare0001"
    assert run("--db", str(db), "sessions").stdout.splitlines()[1].startswith("bare0001")
    exported = run("--db", str(db), "export", "bare0001")
    assert exported.exit_code == 2 and "Traceback" not in exported.output
    assert exported.stderr.startswith(f"error: session bare0001 in {db} does not read")
    assert "companion purge --session bare0001" in exported.stderr


def test_a_filter_that_matches_nothing_says_so_and_the_columns_line_up(db: Path) -> None:
    nothing = run("--db", str(db), "sessions", "--candidate", "Nobody Here")
    assert nothing.exit_code == 0
    assert nothing.stdout.startswith("No sessions match:") and "yet" not in nothing.stdout
    header, first, *_ = run("--db", str(db), "sessions").stdout.splitlines()
    assert header.index("STATE") == first.index("paused")  # p1pp0004, the newest
