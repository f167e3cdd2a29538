"""The store: one SQLite file, WAL, one commit per event. Crashes, migrations, search, listing,
two writers at once, and every error told as a StoreError that leaves the file as it was."""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import datetime
from pathlib import Path

import pytest
import sqlite_utils
from helpers import Recorder, make_plan, script_steps, stored_session

import companion.store.database as store_module
from companion.clock import FakeClock, iso
from companion.session import ENDED, Session, replay
from companion.store.database import MIGRATIONS, SCHEMA_VERSION, Store, StoreError, _fts_words

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "companion.db"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()


# --- durability -----------------------------------------------------------------------------


def test_each_event_is_committed_when_it_happens(db_path: Path, clock: FakeClock) -> None:
    store = Store(db_path)
    session = Session.start(make_plan(), clock, store.sink("s1"), candidate="Sam",
                            session_id="s1")
    other = sqlite3.connect(db_path)
    try:
        def seen() -> int:
            return int(other.execute(
                "SELECT count(*) FROM events WHERE session_id = 's1'").fetchone()[0])

        assert seen() == 2
        clock.advance(5)
        session.add_note("one")
        assert seen() == 3
        session.toggle_signal("g1")
        assert seen() == 4
        assert store.conn.in_transaction is False
    finally:
        other.close()
        store.close()


def test_second_store_on_an_open_file_sees_the_same_state(db_path: Path,
                                                         clock: FakeClock) -> None:
    first = Store(db_path)  # never closed: as if the process had died
    live = Session.start(make_plan(), clock, first.sink("abc"), candidate="Sam",
                         session_id="abc")
    script_steps(live, clock)
    second = Store(db_path)
    assert replay(second.events("abc")) == live.state
    second.close()
    first.close()
    with Store(db_path) as third:
        assert replay(third.events("abc")) == live.state
        row = third.session("abc")
        assert row is not None
        assert row["status"] == "running" and row["score"] == 3 and row["max_score"] == 6
        assert row["last_event_at"] == iso(clock.wall())


def test_state_survives_kill_9(db_path: Path, clock: FakeClock) -> None:
    """A child process writes the session and dies by SIGKILL, closing nothing."""
    child = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(TESTS)!r})
        from helpers import make_plan, script_steps
        from companion.clock import FakeClock
        from companion.session import Session
        from companion.store.database import Store
        clock = FakeClock()
        store = Store({str(db_path)!r})
        s = Session.start(make_plan(), clock, store.sink("k9"), candidate="Sam",
                          session_id="k9")
        script_steps(s, clock)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == -9, result.stderr
    # The same steps in memory give the state the log must replay to.
    rec = Recorder()
    expected = Session.start(make_plan(), clock, rec, candidate="Sam", session_id="k9")
    script_steps(expected, clock)
    with Store(db_path) as store:
        events = store.events("k9")
        assert [(e.seq, e.type, e.t, e.at) for e in events] == [
            (e.seq, e.type, e.t, e.at) for e in rec.events]
        assert replay(events) == expected.state
        resumed = Session.reopen(events, FakeClock(wall=clock.wall() + 600), store.sink("k9"))
        assert resumed.state.away == 600
    assert _integrity(db_path) == "ok"


# --- the file -------------------------------------------------------------------------------


def test_new_database_file_mode_is_0600(db_path: Path) -> None:
    old = os.umask(0)  # even with a permissive umask
    try:
        store = Store(db_path)
    finally:
        os.umask(old)
    try:
        stored_session(store, FakeClock(), "s1")  # writes, so the -wal file exists
        for path in db_path.parent.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
        names = {p.name for p in db_path.parent.iterdir()}
        assert names >= {db_path.name, f"{db_path.name}-wal", f"{db_path.name}-shm"}
    finally:
        store.close()


def test_wal_and_synchronous_normal(db_path: Path) -> None:
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.version == SCHEMA_VERSION
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # kept in the file
        assert raw.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    finally:
        raw.close()


def test_database_is_readable_by_ordinary_tools(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path) as store:
        stored_session(store, clock, "s1", scores={"c1": 2})
    db = sqlite_utils.Database(db_path)
    try:
        assert {"sessions", "events", "texts", "drafts"} <= set(db.table_names())
        assert {"notes", "scores"} <= set(db.view_names())
        note = next(iter(db.query("SELECT * FROM notes")))
        assert note["text"] == "clear answer about consensus"
        datetime.fromisoformat(note["at"])
        score = next(iter(db.query("SELECT * FROM scores")))
        assert (score["criterion"], score["score"]) == ("c1", 2)
    finally:
        db.close()


# --- migrations -----------------------------------------------------------------------------


def _version_1_database(path: Path) -> None:
    """A database as version 1 left it, with one session, a note and a score."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        MIGRATIONS[0](sqlite_utils.Database(conn))
        conn.execute("PRAGMA user_version = 1")
        plan = make_plan().to_dict()
        conn.execute(
            "INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, started_at, "
            "status) VALUES ('old1', 'screen', 'Plan screen', 'interview', 'Old Timer', "
            "'2026-01-02T10:00:00+00:00', 'ended')")
        rows = [
            (1, "session_started", 0.0, None, {"session_id": "old1", "plan": plan,
                                               "candidate": "Old Timer"}),
            (2, "section_started", 0.0, 0, {"section": 0}),
            (3, "note_added", 42.0, 0, {"section": 0, "text": "legacy zookeeper story",
                                        "back": 0.0, "section_offset": 42.0}),
            (4, "note_added", 50.0, 0, {"section": 0, "text": "", "back": 0.0}),
            (5, "score_set", 60.0, None, {"criterion": "c2", "score": 1,
                                          "evidence": "partial sharding answer"}),
            (6, "session_ended", 70.0, None, {}),
        ]
        for seq, kind, t, section, data in rows:
            conn.execute(
                "INSERT INTO events (session_id, seq, type, at, t, section, data) "
                "VALUES ('old1', ?, ?, ?, ?, ?, ?)",
                (seq, kind, f"2026-01-02T10:00:{seq:02d}+00:00", t, section, json.dumps(data)))
    finally:
        conn.close()


def test_migration_from_version_1(db_path: Path) -> None:
    _version_1_database(db_path)
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION
        hits = store.search("zookeeper")
        assert [(h.session_id, h.kind, h.section) for h in hits] == [("old1", "note", 0)]
        assert "[zookeeper]" in hits[0].snippet
        assert [h.kind for h in store.search("sharding")] == ["evidence"]
        notes = store.conn.execute("SELECT note, text, t FROM notes").fetchall()
        assert notes == [(3, "legacy zookeeper story", 42.0), (4, "", 50.0)]
        scores = store.conn.execute("SELECT criterion, score, evidence FROM scores").fetchall()
        assert scores == [("c2", 1, "partial sharding answer")]
        state = replay(store.events("old1"))
        assert state.status == ENDED and state.total == 1
        assert [n.text for n in state.notes] == ["legacy zookeeper story", ""]
    # opening again runs nothing twice
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION and len(store.search("zookeeper")) == 1


def test_failed_migration_leaves_the_old_version(db_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _version_1_database(db_path)

    def broken(db: sqlite_utils.Database) -> None:
        store_module._migrate_2(db)
        raise RuntimeError("power cut half way")

    monkeypatch.setattr(store_module, "MIGRATIONS", [MIGRATIONS[0], broken])
    with pytest.raises(RuntimeError):
        Store(db_path)
    raw = sqlite3.connect(db_path)
    try:
        assert raw.execute("PRAGMA user_version").fetchone()[0] == 1
        names = {r[0] for r in raw.execute("SELECT name FROM sqlite_master")}
        assert "texts" not in names and "notes" not in names
    finally:
        raw.close()
    monkeypatch.undo()
    with Store(db_path) as store:
        assert store.version == SCHEMA_VERSION and len(store.search("zookeeper")) == 1


def test_newer_database_is_refused_and_left_alone(db_path: Path) -> None:
    Store(db_path).close()
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA user_version = 99")
    raw.close()
    before = db_path.read_bytes()
    with pytest.raises(StoreError, match="newer companion") as info:
        Store(db_path)
    assert str(db_path) in str(info.value) and "99" in str(info.value)
    assert db_path.read_bytes() == before


# --- search ---------------------------------------------------------------------------------


@pytest.fixture
def searchable(db_path: Path, clock: FakeClock) -> Store:
    store = Store(db_path)
    stored_session(store, clock, "alice1", candidate="Alice Smith",
                   candidate_id="alice@example.com",
                   notes=("talked about raft consensus", "weak on sharding"),
                   scores={"c1": 2})
    clock.advance(3600)
    stored_session(store, clock, "bob1", candidate="Bob Jones",
                   notes=("consensus via paxos", "quotes \"like this\" and 50% * OR -x"))
    return store


def test_search_words_candidate_and_snippet(searchable: Store) -> None:
    store = searchable
    hits = store.search("consensus")
    assert {h.session_id for h in hits} == {"alice1", "bob1"}
    for hit in hits:
        assert "[consensus]" in hit.snippet
        assert hit.kind == "note" and hit.section == 0 and hit.plan_id == "screen"
        datetime.fromisoformat(hit.at)
    assert {h.session_id for h in store.search("CONSENSUS")} == {"alice1", "bob1"}
    assert store.search("Consensus consensus") == store.search("consensus")
    assert str(_fts_words("Consensus consensus  CONSENSUS")).lower() == '"consensus"'
    assert [h.session_id for h in store.search("raft consensus")] == ["alice1"]  # all words
    assert [h.session_id for h in store.search("consensus", candidate="alice smith")] == [
        "alice1"]
    assert [h.session_id for h in store.search("consensus",
                                               candidate="alice@example.com")] == ["alice1"]
    assert store.search("consensus", candidate="nobody") == []
    assert [h.kind for h in store.search("evidence")] == ["evidence"]  # score evidence
    assert len(store.search("consensus", limit=1)) == 1
    assert store.search("") == [] and store.search("   ") == []
    assert store.search("nothinglikethis") == []
    store.close()


def test_search_ranks_the_latest_matches_ties_newest_first(db_path: Path,
                                                         clock: FakeClock) -> None:
    with Store(db_path) as store:
        stored_session(store, clock, "old1", candidate="Old One", notes=("raft raft raft",))
        clock.advance(3600)
        stored_session(store, clock, "new1", notes=tuple(f"raft note {i}" for i in range(4)))
        # All five ranked: the densest first, however old; equal ranks newest first.
        assert [h.snippet for h in store.search("raft")] == [
            "[raft] [raft] [raft]", "[raft] note 3", "[raft] note 2", "[raft] note 1",
            "[raft] note 0"]
        # The latest three only: the old note is not among them.
        assert [h.snippet for h in store.search("raft", limit=3, latest=3)] == [
            "[raft] note 3", "[raft] note 2", "[raft] note 1"]
        # The candidate narrows first; the cap is never below the limit.
        narrowed = store.search("raft", candidate="old one", limit=1, latest=1)
        assert [h.session_id for h in narrowed] == ["old1"]
        assert len(store.search("raft", limit=5, latest=1)) == 5


@pytest.mark.parametrize("query", [
    '"', '""', '"like', "*", "consensus*", "OR", "a OR", "OR b", "AND", "NOT", "-", "-x",
    "consensus -paxos", "NEAR(consensus paxos)", "(", ")", "col:text", "text:consensus",
    "^", "'", "50%", "{x}", "[x]", "\\", "+", "\x00", "é", "!@#$%^&*()",
])
def test_search_takes_any_text_as_words(searchable: Store, query: str) -> None:
    """Operators and punctuation are no syntax: the hits are the sessions whose texts hold
    every word of the query, and a query of no words finds nothing."""
    texts = {"alice1": "talked about raft consensus weak on sharding evidence for c1",
             "bob1": 'consensus via paxos quotes "like this" and 50% * OR -x'}
    words = set(re.findall(r"\w+", query.lower()))
    expected = sorted(sid for sid, text in texts.items()
                      if words and words <= set(re.findall(r"\w+", text.lower())))
    hits = searchable.search(query)
    assert sorted({h.session_id for h in hits}) == expected
    searchable.close()


def test_search_finds_words_next_to_special_characters(searchable: Store) -> None:
    assert [h.session_id for h in searchable.search('"like this"')] == ["bob1"]
    assert [h.session_id for h in searchable.search("50%")] == ["bob1"]
    assert [h.session_id for h in searchable.search("-x")] == ["bob1"]
    searchable.close()


def test_edited_note_is_found_by_its_new_text(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path) as store:
        s = stored_session(store, clock, "s1", notes=("first wording",), finish=None)
        s.edit_note(s.state.notes[0].id, "second phrasing")
        assert [h.session_id for h in store.search("phrasing")] == ["s1"]


# --- drafts, listing, find ------------------------------------------------------------------


def test_drafts_upsert(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path) as store:
        stored_session(store, clock, "s1", finish=None)
        assert store.draft("s1") == ""
        store.save_draft("s1", "half a tho", clock.wall())
        clock.advance(1)
        store.save_draft("s1", "half a thought", clock.wall())
        assert store.draft("s1") == "half a thought"
        rows = store.conn.execute("SELECT session_id, text, updated_at FROM drafts").fetchall()
        assert rows == [("s1", "half a thought", iso(clock.wall()))]
        store.save_draft("s1", "", clock.wall())
        assert store.draft("s1") == ""
        assert store.draft("unknown") == ""


def test_sessions_listing_filters_and_order(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path) as store:
        stored_session(store, clock, "a1", candidate="Alice Smith", candidate_id="A-17",
                       scores={"c1": 2, "c2": 1}, recommendation="yes")
        clock.advance(600)
        stored_session(store, clock, "b1", candidate="Bob", finish="abandon")
        clock.advance(600)
        stored_session(store, clock, "a2", candidate="alice smith", candidate_id="A-17",
                       plan=make_plan(plan_id="onsite"), finish=None)
        # same second as a2: the later insert is listed first
        stored_session(store, clock, "c1", candidate="Cy", notes=(), finish=None)
        assert [r["id"] for r in store.sessions()] == ["c1", "a2", "b1", "a1"]
        assert [r["id"] for r in store.sessions(candidate="ALICE SMITH")] == ["a2", "a1"]
        assert [r["id"] for r in store.sessions(candidate="A-17")] == ["a2", "a1"]
        assert [r["id"] for r in store.sessions(candidate="a-17")] == []  # ids are exact
        assert [r["id"] for r in store.sessions(status="running")] == ["c1", "a2"]
        assert [r["id"] for r in store.sessions(status="abandoned")] == ["b1"]
        assert [r["id"] for r in store.sessions(status="ended")] == ["a1"]
        assert [r["id"] for r in store.sessions(plan_id="onsite")] == ["a2"]
        assert [r["id"] for r in store.sessions(candidate="alice smith",
                                                status="ended")] == ["a1"]
        assert [r["id"] for r in store.sessions(limit=2)] == ["c1", "a2"]
        a1 = store.session("a1")
        assert a1 is not None
        assert (a1["score"], a1["max_score"], a1["recommendation"]) == (3, 6, "yes")
        assert a1["interviewer"] == "Ada" and a1["mode"] == "interview"
        for key in ("started_at", "ended_at", "last_event_at"):
            datetime.fromisoformat(a1[key])
        assert store.session("a2")["ended_at"] is None  # type: ignore[index]
        assert store.session("zzz") is None
        assert store.latest_unfinished() == "c1"
        assert store.candidates()[0] == ("Cy", "")
        assert store.last_interviewer() == "Ada"


def test_find_by_prefix_takes_wildcards_literally(db_path: Path, clock: FakeClock) -> None:
    with Store(db_path) as store:
        for sid in ("ab_1", "abX1", "a%c9", "a\\b", "zz"):
            clock.advance(10)
            stored_session(store, clock, sid, notes=())
        assert store.find("ab_") == ["ab_1"]
        assert store.find("a%") == ["a%c9"]
        assert store.find("ab") == ["abX1", "ab_1"]  # newest first
        assert store.find("a\\") == ["a\\b"]
        assert store.find("%") == [] and store.find("_") == []
        assert store.find("zz") == ["zz"] and store.find("q") == []


# --- two writers ----------------------------------------------------------------------------


def test_two_stores_interleaving_writes(db_path: Path) -> None:
    one, two = Store(db_path), Store(db_path)
    c1, c2 = FakeClock(), FakeClock(wall=1_790_000_500.0)
    s1 = Session.start(make_plan(), c1, one.sink("one"), candidate="A", session_id="one")
    s2 = Session.start(make_plan(), c2, two.sink("two"), candidate="B", session_id="two")
    for i in range(100):
        c1.advance(3)
        s1.add_note(f"first writer note {i}")
        c2.advance(4)
        s2.add_note(f"second writer note {i}")
        if i % 10 == 0:
            s1.toggle_signal("g1")
            s2.set_score("c1", i % 3)
    s1.end()
    s2.end()
    one.close()
    two.close()
    assert _integrity(db_path) == "ok"
    with Store(db_path) as store:
        for sid, live in (("one", s1), ("two", s2)):
            assert replay(store.events(sid)) == live.state
            assert store.session(sid)["status"] == "ended"  # type: ignore[index]
        assert len(store.search("writer", limit=500)) == 200


def test_two_threads_writing_at_once(db_path: Path) -> None:
    Store(db_path).close()
    barrier = threading.Barrier(2)
    results: dict[str, Session] = {}
    errors: list[BaseException] = []

    def writer(sid: str) -> None:
        try:
            store = Store(db_path)  # a connection per thread
            clock = FakeClock()
            s = Session.start(make_plan(), clock, store.sink(sid), candidate=sid,
                              session_id=sid)
            barrier.wait(timeout=30)
            for i in range(150):
                clock.advance(1)
                s.add_note(f"{sid} note {i}")
            s.end()
            store.close()
            results[sid] = s
        except BaseException as err:  # reported below
            errors.append(err)
            barrier.abort()

    threads = [threading.Thread(target=writer, args=(sid,)) for sid in ("t1", "t2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    assert _integrity(db_path) == "ok"
    with Store(db_path) as store:
        for sid in ("t1", "t2"):
            events = store.events(sid)
            assert len(events) == 2 + 150 + 1
            assert replay(events) == results[sid].state
            assert store.session(sid)["status"] == "ended"  # type: ignore[index]


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize("content", [
    random.Random(7).randbytes(8192),
    b"plans:\n  - id: not a database\n",
    b"x",
])
def test_file_that_is_not_a_database(db_path: Path, content: bytes) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(content)
    with pytest.raises(StoreError) as info:
        Store(db_path)
    message = str(info.value)
    assert str(db_path) in message and "not a companion database" in message
    assert db_path.read_bytes() == content
    assert sorted(p.name for p in db_path.parent.iterdir()) == [db_path.name]


def test_corrupt_database(db_path: Path, clock: FakeClock) -> None:
    ids = [f"s{i:02d}" for i in range(30)]
    with Store(db_path) as store:
        for sid in ids:
            stored_session(store, clock, sid,
                           notes=tuple(f"note {j} lorem ipsum dolor sit amet " * 3
                                       for j in range(20)))
    data = bytearray(db_path.read_bytes())
    page = 4096
    assert len(data) > 20 * page
    middle = (len(data) // page // 2) * page
    data[middle:middle + 3 * page] = random.Random(3).randbytes(3 * page)
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match=r"damaged|not a companion database") as info:
        store = Store(db_path)  # may open: damage shows when the pages are read
        try:
            store.sessions()
            for sid in ids:
                store.events(sid)
            store.search("lorem")
        finally:
            store.close()
    assert str(db_path) in str(info.value)
    assert db_path.read_bytes() == bytes(data)


def test_locked_database_on_write(db_path: Path, clock: FakeClock,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    store = Store(db_path)
    session = stored_session(store, clock, "s1", finish=None)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        before = session.state
        with pytest.raises(StoreError, match="locked") as info:
            session.add_note("blocked")
        assert session.state is before  # nothing half-applied
        assert "0.05 s" in str(info.value)
        with pytest.raises(StoreError, match="locked"):
            store.save_draft("s1", "draft", clock.wall())
    finally:
        other.execute("ROLLBACK")
        other.close()
    session.add_note("after the lock")  # the same Store carries on
    assert [n.text for n in replay(store.events("s1")).notes][-1] == "after the lock"
    store.close()


def test_locked_database_on_open(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    db_path.parent.mkdir(parents=True)
    other = sqlite3.connect(db_path, isolation_level=None)  # a rollback-journal database
    other.execute("CREATE TABLE t (x)")
    other.execute("BEGIN EXCLUSIVE")
    other.execute("INSERT INTO t VALUES (1)")
    try:
        with pytest.raises(StoreError, match="locked") as info:
            Store(db_path)
        assert str(db_path) in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_unwritable_location(tmp_path: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("keep me")
    for path in (blocker / "companion.db", blocker / "deeper" / "companion.db"):
        with pytest.raises(StoreError, match="cannot create") as info:
            Store(path)
        assert str(path) in str(info.value)
    assert blocker.read_text() == "keep me"


def test_folder_given_as_the_database(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(StoreError, match="is a folder") as info:
        Store(folder)
    assert str(folder) in str(info.value)
    assert list(folder.iterdir()) == []
