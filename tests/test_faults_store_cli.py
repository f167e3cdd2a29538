"""Database faults at the level of the commands (`companion run`, `resume`, `sessions`,
`export`): a damaged database, a file that is not SQLite, a database locked by another
writer past the busy timeout, an unwritable location (a path whose parent is a file) and a
full disk (PRAGMA max_page_count). Each must give a clear `error:` message, a non-zero exit,
no traceback, and leave the file exactly as it was.

tests/test_store.py covers the Store itself for most of these (not a database, damaged,
locked on open and on write, unwritable, a folder); here is what it does not: the commands,
a full disk, and user text with escape sequences in command output. Most cases run in process
with click's CliRunner (catch_exceptions=False: a traceback fails the test); a few run the
real command, to see its real stderr and exit status."""

from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from helpers import make_plan, stored_session

import companion.cli.launch as launch_module
import companion.store.database as store_module
from companion.cli.root import main
from companion.clock import FakeClock
from companion.session import Session, replay
from companion.store.database import Store, StoreError

TESTS = Path(__file__).resolve().parent
FAULT_PLANS = TESTS / "fixtures" / "faults" / "plans"
HOSTILE = TESTS / "fixtures" / "faults" / "hostile"
COMPANION = Path(sys.executable).parent / "companion"
ENDED_ID, OPEN_ID = "a1aa0001", "b2bb0002"

COMMANDS: dict[str, list[str]] = {
    "sessions": ["sessions", "--json"],
    "export": ["export", ENDED_ID],
    "run": ["run", "f-big", "--plans", str(FAULT_PLANS), "--candidate", "Ada Example"],
    "resume": ["resume"],
}


@pytest.fixture(autouse=True)
def no_app(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run` and `resume` must stop before the app opens; if they get that far, fail rather
    than open a terminal UI inside the test."""
    def refuse(app: object) -> None:
        raise AssertionError("the command went on to open the app")

    monkeypatch.setattr(launch_module, "_run", refuse)
    # As if in a terminal (CliRunner has none): the store faults come first there.
    monkeypatch.setattr(launch_module, "has_terminal", lambda: True)


def invoke(db: Path, command: str) -> Result:
    result = CliRunner().invoke(main, ["--db", str(db), *COMMANDS[command]],
                                catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path: Path) -> Path:
    """A real companion database: one ended session with notes and scores, one open."""
    clock = FakeClock()
    with Store(path) as store:
        stored_session(store, clock, ENDED_ID, notes=tuple(
            f"note {i}: explained the trade-offs of consistent hashing" for i in range(30)),
            scores={"c1": 2, "c2": 1})
        clock.advance(3600)
        stored_session(store, clock, OPEN_ID, candidate="Bo Example", finish=None)
    assert not Path(f"{path}-wal").exists()
    return path


def assert_clear_error(result: Result, db: Path, *words: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert result.stderr.startswith("error: "), result.stderr
    assert str(db) in result.stderr, result.stderr
    assert any(w in result.stderr for w in words), result.stderr
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) <= 3, "a message, not a dump"


# --- the fault matrix ----------------------------------------------------------------------


@dataclass
class Fault:
    db: Path  # what --db points at
    guard: Path  # the file that must come out byte for byte unchanged
    words: tuple[str, ...]  # what the message must say (any of)


def _not_sqlite(tmp: Path) -> Fault:
    db = tmp / "notes.db"
    db.write_bytes(random.Random(5).randbytes(8192))
    return Fault(db, db, ("not a companion database",))


def _zeroed(tmp: Path) -> Fault:
    """Every page but the first zeroed: the file opens, and every table read fails."""
    db = make_db(tmp / "zeroed.db")
    data = bytearray(db.read_bytes())
    data[4096:] = bytes(len(data) - 4096)
    db.write_bytes(bytes(data))
    return Fault(db, db, ("damaged",))


def _table_zeroed(tmp: Path) -> Fault:
    """The sessions table's root page zeroed: the file opens (its schema is intact) and
    the damage shows only when a command reads the sessions."""
    db = make_db(tmp / "table.db")
    conn = sqlite3.connect(db)
    try:
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sessions'").fetchone()
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    data = bytearray(db.read_bytes())
    data[(root - 1) * page:root * page] = bytes(page)
    db.write_bytes(bytes(data))
    return Fault(db, db, ("damaged",))


def _truncated(tmp: Path) -> Fault:
    db = make_db(tmp / "truncated.db")
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])
    return Fault(db, db, ("damaged",))


def _unwritable(tmp: Path) -> Fault:
    blocker = tmp / "plain-file"
    blocker.write_text("not a folder")
    return Fault(blocker / "companion.db", blocker, ("cannot create",))


FAULTS: dict[str, Callable[[Path], Fault]] = {
    "not-sqlite": _not_sqlite,
    "zeroed": _zeroed,
    "table-zeroed": _table_zeroed,
    "truncated": _truncated,
    "unwritable": _unwritable,
}
MATRIX = [(fault, command) for fault in FAULTS for command in COMMANDS]


@pytest.mark.parametrize(("fault", "command"), MATRIX)
def test_fault_gives_a_clear_error_and_leaves_the_file(tmp_path: Path, fault: str,
                                                       command: str) -> None:
    f = FAULTS[fault](tmp_path)
    before = digest(f.guard)
    listing = sorted(p.name for p in tmp_path.iterdir())
    result = invoke(f.db, command)
    assert_clear_error(result, f.db, *f.words)
    assert digest(f.guard) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == listing, "no file left behind"


# --- locked by another writer ----------------------------------------------------------------


@pytest.fixture
def short_busy_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.2)


@pytest.fixture
def writer_holding_the_lock(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection]]:
    """Another program in the middle of a write transaction on a WAL database."""
    db = make_db(tmp_path / "locked.db")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO drafts VALUES (?, 'note', 'theirs', '2026-01-01T00:00:00+00:00')",
                  (OPEN_ID,))
    yield db, other
    other.execute("ROLLBACK")
    other.close()


@pytest.mark.usefixtures("short_busy_timeout")
@pytest.mark.parametrize("command", ["run", "resume"])
def test_writing_past_the_busy_timeout_is_a_clear_error(
        writer_holding_the_lock: tuple[Path, sqlite3.Connection], command: str) -> None:
    db, _ = writer_holding_the_lock
    before = digest(db)
    result = invoke(db, command)
    assert_clear_error(result, db, "locked")
    assert "0.2 s" in result.stderr
    assert digest(db) == before


@pytest.mark.usefixtures("short_busy_timeout")
def test_listing_while_another_program_writes_works(
        writer_holding_the_lock: tuple[Path, sqlite3.Connection]) -> None:
    """WAL: readers are not blocked by a writer, so listing still works."""
    db, _ = writer_holding_the_lock
    before = digest(db)
    result = invoke(db, "sessions")
    assert result.exit_code == 0, result.output
    assert {r["id"] for r in json.loads(result.stdout)} == {ENDED_ID, OPEN_ID}
    assert digest(db) == before


@pytest.mark.usefixtures("short_busy_timeout")
def test_export_while_another_program_writes(
        writer_holding_the_lock: tuple[Path, sqlite3.Connection]) -> None:
    """Export may write (it seals an ended session the first time): it either works or
    says the database is locked, and then leaves the file alone."""
    db, _ = writer_holding_the_lock
    before = digest(db)
    result = invoke(db, "export")
    if result.exit_code == 0:
        assert f"`{ENDED_ID}`" in result.stdout or ENDED_ID in result.stdout
    else:
        assert_clear_error(result, db, "locked")
        assert digest(db) == before


@pytest.mark.usefixtures("short_busy_timeout")
@pytest.mark.parametrize("command", list(COMMANDS))
def test_exclusive_lock_is_a_clear_error_for_every_command(tmp_path: Path,
                                                           command: str) -> None:
    """A program that took the database in exclusive locking mode blocks readers too."""
    db = make_db(tmp_path / "exclusive.db")
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("PRAGMA locking_mode=EXCLUSIVE")
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO drafts VALUES (?, 'note', 'theirs', '2026-01-01T00:00:00+00:00')",
                  (OPEN_ID,))
    try:
        before = digest(db)
        result = invoke(db, command)
        assert_clear_error(result, db, "locked")
        assert digest(db) == before
    finally:
        other.execute("ROLLBACK")
        other.close()


# --- a full disk -----------------------------------------------------------------------------


def _full_connect() -> Callable[..., sqlite3.Connection]:
    """A connect for the store whose connections cannot grow the file by one page
    (max_page_count is per connection: set below the page count, it stops at the count)."""
    real_connect = sqlite3.dbapi2.connect

    def connect(*args: object, **kwargs: object) -> sqlite3.Connection:
        conn = real_connect(*args, **kwargs)  # type: ignore[arg-type]
        conn.execute("PRAGMA max_page_count = 1")
        return conn

    return connect


def test_full_disk_run_fails_cleanly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "full.db")
    before = digest(db)
    monkeypatch.setattr(store_module.sqlite3, "connect", _full_connect())
    result = invoke(db, "run")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and str(db) in result.stderr
    assert result.stdout == ""
    monkeypatch.undo()
    assert digest(db) == before
    with Store(db) as store:
        assert [r["id"] for r in store.sessions()] == [OPEN_ID, ENDED_ID]


def test_full_disk_listing_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "full.db")
    before = digest(db)
    monkeypatch.setattr(store_module.sqlite3, "connect", _full_connect())
    result = invoke(db, "sessions")
    assert result.exit_code == 0, result.output
    assert {r["id"] for r in json.loads(result.stdout)} == {ENDED_ID, OPEN_ID}
    monkeypatch.undo()
    assert digest(db) == before


def test_full_disk_export_works_or_says_so(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    db = make_db(tmp_path / "full.db")
    before = digest(db)
    monkeypatch.setattr(store_module.sqlite3, "connect", _full_connect())
    result = invoke(db, "export")
    monkeypatch.undo()
    if result.exit_code == 0:
        assert ENDED_ID in result.stdout
    else:
        assert result.exit_code == 2 and result.stderr.startswith("error: "), result.output
        assert digest(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_full_disk_during_a_migration_keeps_the_old_version(tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    db = tmp_path / "v1.db"
    Store(db, target_version=1).close()
    before = digest(db)
    monkeypatch.setattr(store_module.sqlite3, "connect", _full_connect())
    result = invoke(db, "sessions")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and str(db) in result.stderr
    monkeypatch.undo()
    assert digest(db) == before
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


@pytest.mark.parametrize("case", ["run", "migration"])
def test_full_disk_message_says_the_disk_is_full(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 case: str) -> None:
    db = tmp_path / "full.db"
    if case == "run":
        make_db(db)
    else:
        Store(db, target_version=1).close()
    monkeypatch.setattr(store_module.sqlite3, "connect", _full_connect())
    result = invoke(db, "run" if case == "run" else "sessions")
    assert "disk is full" in result.stderr, result.stderr


def test_full_disk_append_changes_nothing_and_the_store_carries_on(tmp_path: Path) -> None:
    clock = FakeClock()
    store = Store(tmp_path / "full.db")
    try:
        session = Session.start(make_plan(), clock, store.sink("s1"), candidate="Sam",
                                session_id="s1")
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        written = 0
        with pytest.raises(StoreError) as info:
            for i in range(1000):
                clock.advance(1)
                session.add_note(f"note {i} " + "y" * 500)
                written += 1
        assert str(store.path) in str(info.value)
        assert not store.conn.in_transaction
        assert len(session.state.notes) == written, "the failed note is not in the state"
        assert replay(store.events("s1")) == session.state
        store.conn.execute("PRAGMA max_page_count = 1000000")  # space freed
        session.add_note("after the disk had room again")
        assert replay(store.events("s1")) == session.state
        assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


def test_full_disk_append_says_the_disk_is_full(tmp_path: Path) -> None:
    clock = FakeClock()
    with Store(tmp_path / "full.db") as store:
        session = Session.start(make_plan(), clock, store.sink("s1"), candidate="Sam",
                                session_id="s1")
        pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
        store.conn.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(StoreError, match="disk is full"):
            for i in range(1000):
                session.add_note(f"note {i} " + "y" * 500)


# --- the real command ------------------------------------------------------------------------


def _real(args: list[str], env_extra: dict[str, str] | None = None,
          python_prelude: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **(env_extra or {}))
    if python_prelude is None:
        cmd = [str(COMPANION), *args]
    else:
        cmd = [sys.executable, "-c",
               f"{python_prelude}\nimport sys\nfrom companion.cli.root import main\n"
               "sys.argv[0] = 'companion'\nmain()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, env=env,
                          stdin=subprocess.DEVNULL)


@pytest.mark.skipif(not COMPANION.exists(), reason="the companion command is not installed")
@pytest.mark.parametrize("fault", ["unwritable", "truncated"])
def test_real_command_exits_2_without_traceback(tmp_path: Path, fault: str) -> None:
    f = FAULTS[fault](tmp_path)
    before = digest(f.guard)
    command = "run" if fault == "unwritable" else "export"
    proc = _real(["--db", str(f.db), *COMMANDS[command]])
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert any(w in proc.stderr for w in f.words), proc.stderr
    assert proc.stdout == ""
    assert digest(f.guard) == before


def test_real_process_on_a_full_disk_exits_2_without_traceback(tmp_path: Path) -> None:
    db = make_db(tmp_path / "full.db")
    before = digest(db)
    prelude = ("import sqlite3\n_real = sqlite3.connect\n"
               "def _full(*a, **k):\n    c = _real(*a, **k)\n"
               "    c.execute('PRAGMA max_page_count = 1')\n    return c\n"
               "sqlite3.connect = _full")
    proc = _real(["--db", str(db), *COMMANDS["run"]], python_prelude=prelude)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.startswith("error: ") and "Traceback" not in proc.stderr
    assert digest(db) == before


# --- user text in command output ------------------------------------------------------------


def _raw_controls(text: str) -> set[str]:
    """Control characters other than line feed and tab: C0, DEL and C1 (ESC, BEL, CSI...)."""
    return {f"U+{ord(ch):04X}" for ch in text
            if (ord(ch) < 0x20 and ch not in "\n\t") or 0x7F <= ord(ch) < 0xA0}


@pytest.mark.parametrize("args", [
    ["plans", "--plans", str(HOSTILE)],
    ["banks", "--banks", str(HOSTILE)],
    ["show", "f-hostile", "--plans", str(HOSTILE)],
])
def test_content_commands_print_no_raw_escape_sequences(args: list[str]) -> None:
    result = CliRunner().invoke(main, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "Hostile" in result.output
    assert _raw_controls(result.output) == set()


def test_markdown_export_to_stdout_prints_no_raw_escape_sequences(tmp_path: Path) -> None:
    db = tmp_path / "text.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "e1", candidate="Eve \x1b]0;title\x07",
                       notes=("cleared \x1b[2J the screen", "rang \x07 the bell"))
    result = CliRunner().invoke(main, ["--db", str(db), "export", "e1"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert "cleared" in result.stdout
    assert _raw_controls(result.stdout) == set()


def test_json_export_keeps_hostile_text_exactly(tmp_path: Path) -> None:
    """JSON escapes control characters, so it can carry the exact text safely."""
    db = tmp_path / "text.db"
    notes = ("cleared \x1b[2J the screen", "markup [/bold] [@click=app.quit]", "日本語 שלום 👩‍💻")
    with Store(db) as store:
        stored_session(store, FakeClock(), "e1", candidate="Eve \x1b]0;title\x07",
                       notes=notes)
    result = CliRunner().invoke(main, ["--db", str(db), "export", "e1", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0
    assert _raw_controls(result.stdout) == set()
    data = json.loads(result.stdout)
    dumped = json.dumps(data, ensure_ascii=False)
    for text in (*notes, "Eve \x1b]0;title\x07"):
        assert json.dumps(text, ensure_ascii=False)[1:-1] in dumped


# --- two first opens at once -----------------------------------------------------------------


def test_two_first_opens_racing_to_create_the_schema(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The interleaving made deterministic: the first opener has read version 0 when the
    second opens the same new file and migrates it; then the first migrates."""
    db = tmp_path / "new.db"
    real_migrate = Store._migrate
    others: list[Store] = []
    calls = []

    def migrate(store: Store, version: int, target: int) -> None:
        calls.append(version)
        if len(calls) == 1:
            others.append(Store(db))  # the other process, all the way through
        real_migrate(store, version, target)

    monkeypatch.setattr(Store, "_migrate", migrate)
    try:
        with Store(db) as first:
            assert first.version == store_module.SCHEMA_VERSION
    finally:
        for other in others:
            other.close()
