"""Purge keeps its promise whatever happens (issue 19): killed after any step it finishes at
the next open or purge, and then the purged words are in neither the database file, its -wal
nor its -shm; future-dated sessions are purgeable; --session, --candidate and --older-than
narrow together; a program holding a read transaction is waited for, named, and the erasure
stays pending until it lets go; a v3 database migrates to the pending-erasures schema."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import run_cli as run
from helpers import stored_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion import erasure
from companion.cli import export as cli_export
from companion.clock import FakeClock
from companion.store.database import PURGE_STEPS, SCHEMA_VERSION, Store

SECRET = "zanzibarquokka"  # found nowhere else: looked for in the raw files
FUTURE = "futurewombat"
KEPT = "keepthisword"
DAY = 86_400.0
V3 = Path(__file__).parent / "fixtures" / "v3" / "v3.db"


def raw_files(path: Path) -> dict[str, bytes]:
    return {suffix: Path(str(path) + suffix).read_bytes()
            for suffix in ("", "-wal", "-shm", "-journal") if Path(str(path) + suffix).exists()}


def holding(path: Path, word: str) -> list[str]:
    """The files (by suffix) that hold `word`, as bytes on disk."""
    return [suffix or "db" for suffix, data in raw_files(path).items()
            if word.encode() in data]


def pending_raw(path: Path) -> int:
    """Pending erasures, read without finishing them (a read-only connection)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM pending_erasures").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def people(tmp_path: Path) -> Path:
    """old00001 (40 days ago, SECRET), fut00002 (30 days ahead, FUTURE), new00003 (2 days
    ago, KEPT); candidates Olga Old, Fred Future (fred@example.org), Nina New."""
    path = tmp_path / "people.db"
    now = time.time()
    with Store(path) as store:
        for sid, when, name, cid, word in (
                ("old00001", now - 40 * DAY, "Olga Old", "", SECRET),
                ("fut00002", now + 30 * DAY, "Fred Future", "fred@example.org", FUTURE),
                ("new00003", now - 2 * DAY, "Nina New", "", KEPT)):
            session = stored_session(store, FakeClock(wall=when), sid, candidate=name,
                                     candidate_id=cid, notes=(f"a {word} story",),
                                     scores={"c1": 2}, finish=None)
            store.save_draft(sid, f"half typed {word}", when)
            session.set_summary(f"summary with {word}")
            session.end()
    for word in (SECRET, FUTURE, KEPT):
        assert holding(path, word)  # otherwise the searches below would prove nothing
    return path


def ids_in(path: Path) -> list[str]:
    with Store(path) as store:
        return sorted(r["id"] for r in store.sessions())


def purge_process(path: Path, *args: str, env: dict[str, str] | None = None,
                  timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "companion", "--db", str(path), "purge",
                           *args], capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})


# --- killed after every step ------------------------------------------------------------------


@pytest.mark.parametrize("step", range(1, len(PURGE_STEPS) + 1))
@pytest.mark.parametrize("next_open", ["sessions", "purge"])
def test_a_purge_killed_after_any_step_is_finished_by_the_next_open(
        people: Path, step: int, next_open: str) -> None:
    killed = purge_process(people, "--session", "old00001", "--yes",
                           env={cli_export.STOP_AFTER_ENV: str(step)})
    assert killed.returncode == -9, killed.stderr  # a real SIGKILL, right after the step
    assert "old00001" in killed.stdout and "Traceback" not in killed.stderr
    if step < 4:  # the deletes are committed, the files not yet clean
        assert holding(people, SECRET), step
    if step < 5:
        assert pending_raw(people) == 1
    else:
        assert pending_raw(people) == 0 and not holding(people, SECRET)

    if next_open == "sessions":
        listing = subprocess.run([sys.executable, "-m", "companion", "--db", str(people),
                                  "sessions"], capture_output=True, text=True, timeout=60)
        assert listing.returncode == 0, listing.stderr
        assert "old00001" not in listing.stdout and "new00003" in listing.stdout
    else:
        again = purge_process(people)
        if step < 5:
            assert again.returncode == 0, again.stderr
            assert "Finished the erasure of 1 session(s)" in again.stdout
        else:  # nothing was left to finish
            assert again.returncode == 2 and "nothing is pending" in again.stderr

    with Store(people) as store:
        assert store.pending_erasures() == []
        assert store.search(SECRET) == [] and len(store.search(KEPT)) == 2  # note, summary
        # Nothing of it in the bytes on disk while a connection is open (-wal, -shm there)...
        assert holding(people, SECRET) == []
    # ... nor once it is closed; the other sessions are whole.
    assert holding(people, SECRET) == [] and holding(people, KEPT)
    assert ids_in(people) == ["fut00002", "new00003"]


def test_the_test_hook_takes_only_a_step_number(people: Path) -> None:
    result = run("--db", str(people), "purge", "--session", "old00001", "--yes",
                 env={cli_export.STOP_AFTER_ENV: "six"})
    assert result.exit_code == 2 and "COMPANION_PURGE_STOP_AFTER" in result.stderr
    assert ids_in(people) == ["fut00002", "new00003", "old00001"]


# --- dates and selection ------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--older-than", "0", "--candidate", "fred future"],
    ["--candidate", "fred@example.org"],
    ["--session", "fut0"],
])
def test_future_dated_sessions_are_purgeable(people: Path, args: list[str]) -> None:
    result = run("--db", str(people), "purge", *args, "--yes")
    assert result.exit_code == 0, result.output
    assert "Deleted 1 session(s)" in result.stdout
    assert ids_in(people) == ["new00003", "old00001"]
    assert holding(people, FUTURE) == []


def test_older_than_0_means_every_session(people: Path) -> None:
    result = run("--db", str(people), "purge", "--older-than", "0", "--yes")
    assert result.exit_code == 0 and "Deleted 3 session(s)" in result.stdout
    assert ids_in(people) == []
    for word in (SECRET, FUTURE, KEPT):
        assert holding(people, word) == []


def test_purge_lists_what_it_erases_before_asking_and_yes_skips_only_the_question(
        people: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_export, "_interactive", lambda: True)
    asked = run("--db", str(people), "purge", "--older-than", "30", input="n\n")
    assert asked.exit_code == 1 and "Nothing deleted." in asked.stdout
    listing = asked.stdout.split("Delete these 1 session(s)")[0]
    line = next(x for x in listing.splitlines() if "old00001" in x)
    with Store(people) as store:
        started = (store.session("old00001") or {})["started_at"][:10]
    assert started in line and "Olga Old" in line and "screen" in line  # id, date, who, plan
    assert ids_in(people) == ["fut00002", "new00003", "old00001"]
    told = run("--db", str(people), "purge", "--older-than", "30", "--yes")
    assert told.exit_code == 0 and "Delete these" not in told.stdout
    assert line in told.stdout.splitlines()  # the same list, without the question
    assert ids_in(people) == ["fut00002", "new00003"]


@pytest.mark.parametrize("args,left", [
    (["--older-than", "30", "--candidate", "Nina New"], ["fut00002", "new00003", "old00001"]),
    (["--older-than", "1", "--candidate", "Nina New"], ["fut00002", "old00001"]),
    (["--session", "old00001", "--candidate", "Nina New"],
     ["fut00002", "new00003", "old00001"]),
    (["--session", "old00001", "--session", "new00003", "--older-than", "30"],
     ["fut00002", "new00003"]),
])
def test_options_given_together_narrow_the_set(people: Path, args: list[str],
                                               left: list[str]) -> None:
    result = run("--db", str(people), "purge", *args, "--yes")
    assert result.exit_code == 0, result.output
    assert ids_in(people) == left


@pytest.mark.parametrize("args,message", [
    ([], "say what to purge"),
    (["--older-than", "-1"], "--older-than"),
    (["--older-than", "36501"], "--older-than"),
    (["--older-than", "many"], "--older-than"),
    (["--session", "nosuch"], "no session 'nosuch'"),
    (["--session", "old00001", "--session", "nosuch"], "no session 'nosuch'"),
])
def test_bad_selections_are_clear_errors_and_delete_nothing(people: Path, args: list[str],
                                                            message: str) -> None:
    result = run("--db", str(people), "purge", *args, "--yes")
    assert result.exit_code == 2 and message in result.output, result.output
    assert ids_in(people) == ["fut00002", "new00003", "old00001"]


SESSION_IDS = [f"s{n:07d}" for n in range(6)]
NAMES = ["Ann", "ann", "Bo", "Cy"]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(days=st.lists(st.integers(-400, 400), min_size=6, max_size=6),
       names=st.lists(st.sampled_from(NAMES), min_size=6, max_size=6),
       older_than=st.none() | st.integers(0, 500),
       candidate=st.none() | st.sampled_from(["ANN", "bo", "Dee"]),
       chosen=st.none() | st.lists(st.sampled_from(SESSION_IDS), max_size=3))
def test_the_selection_is_every_condition_at_once(
        tmp_path_factory: pytest.TempPathFactory, days: list[int], names: list[str],
        older_than: int | None, candidate: str | None, chosen: list[str] | None) -> None:
    path = tmp_path_factory.mktemp("selection") / "sel.db"
    now = 1_900_000_000.0
    with Store(path) as store:
        for sid, offset, name in zip(SESSION_IDS, days, names, strict=True):
            stored_session(store, FakeClock(wall=now + offset * DAY), sid, candidate=name,
                           notes=())
        cutoff = now - older_than * DAY if older_than else None
        got = [r["id"] for r in store.purge_selection(cutoff, candidate, chosen)]
    expected = [
        sid for sid, offset, name in sorted(zip(SESSION_IDS, days, names, strict=True),
                                            key=lambda x: (x[1], x[0]))
        if (cutoff is None or now + offset * DAY < cutoff)
        and (candidate is None or name.lower() == candidate.lower())
        and (chosen is None or sid in chosen)
    ]
    assert got == expected


# --- what purge reaches and cannot reach ----------------------------------------------------------


def test_purge_deletes_the_files_kept_for_the_person_and_names_what_it_cannot_reach(
        people: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    kept = tmp_path / "kept"
    kept.mkdir()
    for sid in ("old00001", "new00003"):
        (kept / f"{sid}.txt").write_text(SECRET)
    monkeypatch.setattr(erasure, "KEPT_FILES", [erasure.KeptFiles(
        "test copies", lambda rows: [kept / f"{r['id']}.txt" for r in rows])])
    result = run("--db", str(people), "purge", "--session", "old00001", "--yes")
    assert result.exit_code == 0, result.output
    assert "and 1 file(s) companion kept for them" in result.stdout
    assert sorted(os.listdir(kept)) == ["new00003.txt"]
    assert "Not reached by purge: exports written to files you chose" in result.stdout


def test_a_held_session_is_refused_naming_the_holder(people: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The lease does not exist yet: the place purge asks it, faked here."""
    monkeypatch.setattr(Store, "sessions_held_elsewhere",
                        lambda self, ids: {"old00001": "companion run (pid 4242)"})
    result = run("--db", str(people), "purge", "--older-than", "30", "--yes")
    assert result.exit_code == 2
    assert "session old00001 is open in companion run (pid 4242)" in result.stderr
    assert ids_in(people) == ["fut00002", "new00003", "old00001"]


# --- another program holding the database ---------------------------------------------------------

READER = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute(sys.argv[2])
conn.execute("SELECT count(*) FROM texts").fetchone()
print("reading", flush=True)
sys.stdin.readline()
conn.execute("COMMIT")
conn.close()
"""


def other_program(path: Path, begin: str) -> Iterator[subprocess.Popen[str]]:
    proc = subprocess.Popen([sys.executable, "-c", READER, str(path), begin], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert proc.stdout is not None and proc.stdout.readline() == "reading\n"
    yield proc
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=30)


@pytest.fixture
def reader(people: Path) -> Iterator[subprocess.Popen[str]]:
    """Another program with a read transaction open on the database, until told to stop."""
    yield from other_program(people, "BEGIN")


@pytest.fixture
def writer(people: Path) -> Iterator[subprocess.Popen[str]]:
    """Another program holding the write lock, until told to stop."""
    yield from other_program(people, "BEGIN IMMEDIATE")


def test_a_writer_holding_the_lock_is_waited_for_named_and_nothing_is_deleted(
        people: Path, writer: subprocess.Popen[str]) -> None:
    result = purge_process(people, "--session", "old00001", "--yes", "--wait", "1")
    assert result.returncode == 2 and result.stderr.startswith("error: "), result.stderr
    assert "locked" in result.stderr and "more than 1 s" in result.stderr
    assert f"(pid {writer.pid})" in result.stderr and "nothing was deleted" in result.stderr
    assert writer.stdin is not None
    writer.stdin.write("done\n")
    writer.stdin.flush()
    assert writer.wait(timeout=30) == 0
    assert ids_in(people) == ["fut00002", "new00003", "old00001"]


def test_a_reader_holding_a_transaction_is_waited_for_and_named(
        people: Path, reader: subprocess.Popen[str]) -> None:
    started = time.monotonic()
    result = purge_process(people, "--session", "old00001", "--yes", "--wait", "1")
    assert time.monotonic() - started < 30  # a bounded wait, not a hang
    assert result.returncode == 1, result.stderr
    assert "Deleted 1 session(s)" in result.stdout and "Traceback" not in result.stderr
    assert f"(pid {reader.pid})" in result.stderr and "python" in result.stderr
    assert "stays recorded as pending" in result.stderr
    assert "close that program" in result.stderr
    assert pending_raw(people) == 1

    # Opening meanwhile works (it waits only briefly) and leaves the erasure pending.
    listing = subprocess.run([sys.executable, "-m", "companion", "--db", str(people),
                              "sessions"], capture_output=True, text=True, timeout=60)
    assert listing.returncode == 0 and "old00001" not in listing.stdout
    assert pending_raw(people) == 1

    # The advice works: once the program closes, the next command finishes the erasure.
    assert reader.stdin is not None
    reader.stdin.write("done\n")
    reader.stdin.flush()
    assert reader.wait(timeout=30) == 0
    again = purge_process(people)
    assert again.returncode == 0, again.stderr
    assert "Finished the erasure of 1 session(s)" in again.stdout
    assert holding(people, SECRET) == [] and holding(people, KEPT)
    assert pending_raw(people) == 0


def test_purge_alone_with_the_reader_still_there_says_so(
        people: Path, reader: subprocess.Popen[str]) -> None:
    first = purge_process(people, "--session", "old00001", "--yes", "--wait", "0")
    assert first.returncode == 1 and pending_raw(people) == 1
    again = purge_process(people, "--wait", "0")
    assert again.returncode == 2 and again.stderr.startswith("error: the erasure is not "
                                                             "finished")
    assert f"(pid {reader.pid})" in again.stderr


# --- the schema: from the v3 fixture -------------------------------------------------------------


def test_a_v3_database_migrates_and_a_purge_killed_on_it_is_finished(tmp_path: Path) -> None:
    """The v3 fixture gets the pending-erasures table; being an upgraded file with data, it
    gets one erasure recorded (an interrupted v3 purge may have left words behind), which the
    first open finishes; then a purge killed on it is finished by the next open."""
    copy = tmp_path / "v3.db"
    shutil.copyfile(V3, copy)
    phrase = "too slow on the parser"  # a note of e5f6a7b8, whole in the file's bytes
    assert holding(copy, phrase)
    with Store(copy) as store:
        assert store.version == SCHEMA_VERSION == 5
        assert [r["reason"] for r in store.erasures_finished] == ["upgrade"]
        assert store.pending_erasures() == []
        assert len(store.events("e5f6a7b8")) > 5
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    killed = purge_process(copy, "--session", "e5f6a7b8", "--yes",
                           env={cli_export.STOP_AFTER_ENV: "2"})
    assert killed.returncode == -9 and pending_raw(copy) == 1 and holding(copy, phrase)
    with Store(copy) as store:
        assert [r["reason"] for r in store.erasures_finished] == ["purge"]
        assert store.session("e5f6a7b8") is None and len(store.events("a1b2c3d4")) > 10
        assert holding(copy, phrase) == []
    assert holding(copy, phrase) == []


def test_a_new_database_records_nothing_pending(tmp_path: Path) -> None:
    with Store(tmp_path / "new.db") as store:
        assert store.erasures_finished == [] and store.pending_erasures() == []
