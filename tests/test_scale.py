"""Flat at any size, guarded without timing anything: a listing-changing event on a long
session never replays it; the state's note lookups walk no list; the listing's digests give
what a replay gives (stats, calibration); the queries of `sessions`, the debrief, stats and
home use an index and read only the rows they need; `sessions --json` streams."""

from __future__ import annotations

import inspect
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any

import pytest
from helpers import Recorder, fixture_db, make_plan, run_cli, start, stored_session
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import companion.session as session_module
from companion.clock import FakeClock
from companion.digest import digest_json
from companion.events import CandidateRenamed
from companion.panel.calibration import calibrate, card_from_state
from companion.practice.stats import practice_records, practice_stats
from companion.session import Note, Session, replay
from companion.store.database import Store
from companion.store.listing import candidate_filter, listing_object, scorecard_rows_sql

V6 = Path(__file__).parent / "fixtures" / "v6"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(wall=1_780_000_000.0)


def _long_session(clock: FakeClock, notes: int) -> tuple[Session, Recorder]:
    rec = Recorder()
    session = start(clock, rec)
    for n in range(notes):
        clock.advance(0.01)
        session.add_note(f"note {n}")
    return session, rec


def test_a_listing_change_on_a_10000_note_session_never_replays(
        clock: FakeClock, monkeypatch: pytest.MonkeyPatch) -> None:
    session, rec = _long_session(clock, 10_000)
    replays: list[int] = []
    real = session_module.replay

    def counting(events: Any) -> Any:
        replays.append(1)
        return real(events)

    monkeypatch.setattr(session_module, "replay", counting)
    session.pause()
    clock.advance(5)
    session.resume()
    session.next_section()
    session.set_score("c1", 2, "clear")
    session.set_recommendation("yes")
    session.set_summary("solid")
    assert replays == []
    # The rows written are what a replay of the log gives.
    monkeypatch.setattr(session_module, "replay", real)
    _event, row = rec.written[-1]
    assert row == session_module.summary_of(replay(session.events))
    assert row.status == "running" and row.score == 2 and row.recommendation == "yes"


def test_a_failed_listing_write_on_a_long_session_shows_what_is_saved(
        clock: FakeClock) -> None:
    session, rec = _long_session(clock, 200)
    rec.fail_at = rec.calls + 1
    with pytest.raises(OSError):
        session.pause()
    assert session.state.running and len(session.events) == 201 + 1  # start + section
    rec.fail_at = None
    session.pause()
    assert not session.state.running


class _NoWalk(list[Note]):
    """A note list that fails a test when something walks all of it."""

    def __iter__(self) -> Any:
        raise AssertionError("walked every note")


def test_note_events_and_the_last_note_walk_no_list(clock: FakeClock) -> None:
    session, _rec = _long_session(clock, 3_000)
    session.state.notes = _NoWalk(session.state.notes)
    middle = session.state.notes[1_500]
    session.edit_note(middle.id, "edited")
    session.flag_note(middle.id)
    session.retract_note(session.state.notes[-1].id)
    session.add_note("one more")
    clock.advance(1)
    session.pause()
    assert session.state.note(middle.id) is middle and middle.text == "edited"
    last = session.last_note()
    assert last is not None and last.text == "one more"
    assert session.state.note(10**9) is None


# --- the store: digests, indexes, streaming ---------------------------------------------------


def _plan_of(store: Store, sql: str, params: Any = ()) -> str:
    return " | ".join(r[3] for r in store.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))


def test_the_flat_queries_use_an_index(tmp_path: Path) -> None:
    with Store(tmp_path / "c.db") as store:
        condition, params = candidate_filter("Sam Lee")
        plan = _plan_of(store, f"SELECT id FROM sessions WHERE {condition}", params)
        assert "sessions_candidate_key" in plan and "sessions_candidate_id" in plan
        assert "SCAN a" not in plan and "SCAN b" not in plan and "SCAN c" not in plan
        sql, params = scorecard_rows_sql(["ada"])
        plan = _plan_of(store, sql, params)
        assert "sessions_interviewer_key" in plan
        assert "SCAN o" not in plan and "SCAN t" not in plan
        plan = _plan_of(store, "SELECT id FROM sessions WHERE mode = 'practice' AND "
                               "status != 'abandoned' ORDER BY started_at DESC, rowid DESC")
        assert "sessions_practice" in plan
        plan = _plan_of(store, "SELECT candidate FROM sessions ORDER BY started_at DESC, "
                               "rowid DESC LIMIT 10")
        assert "sessions_started" in plan and "TEMP B-TREE" not in plan
        plan = _plan_of(store, "SELECT * FROM sessions WHERE scorecard = 'pending' "
                               "ORDER BY ended_at, rowid")
        assert "sessions_scorecard" in plan


def test_the_digest_is_what_a_replay_gives_after_every_listing_change(
        tmp_path: Path, clock: FakeClock) -> None:
    with Store(tmp_path / "d.db") as store:
        session = stored_session(store, clock, "s1", scores={"c1": 2, "c2": 0},
                                 recommendation="no", finish=None)
        session.pause()
        clock.advance(60)
        session.resume()
        session.next_section()
        session.set_summary("fine")
        session.end()
        session.set_score("c2", 1, "amended")
        row = store.session("s1") or {}
        assert row["digest"] == digest_json(replay(store.events("s1")))
        assert json.loads(row["digest"])["scores"] == {"c1": 2, "c2": 1}
        assert row["candidate_key"] == "sam lee" and row["interviewer_key"] == "ada"


def test_sessions_json_is_a_generator_and_the_command_writes_every_row(
        tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "j.db"
    with Store(db) as store:
        for n in range(60):
            clock.advance(100)
            stored_session(store, clock, f"s{n:03d}", candidate=f"Person {n}", notes=())
        assert inspect.isgenerator(store.sessions_json())
    listed = run_cli("--db", str(db), "sessions", "--json")
    assert listed.exit_code == 0, listed.output
    assert [r["id"] for r in json.loads(listed.stdout)] == [f"s{n:03d}" for n in
                                                            reversed(range(60))]


def test_the_text_listing_shows_the_newest_page_and_says_how_many_more(
        tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "p.db"
    with Store(db) as store:
        for n in range(55):
            clock.advance(100)
            stored_session(store, clock, f"s{n:03d}", candidate=f"Person {n}", notes=())
    page = run_cli("--db", str(db), "sessions")
    assert page.exit_code == 0, page.output
    lines = page.stdout.splitlines()
    assert lines[1].startswith("s054") and lines[50].startswith("s005")
    assert "and 5 more" in lines[-1] and "--all" in lines[-1]
    with Store(db) as store:
        assert store.count_sessions() == 55 == store.conn.execute(
            "SELECT count(*) FROM sessions").fetchone()[0]
        store.purge(["s000"])
        assert store.count_sessions() == 54
        store.purge([f"s{n:03d}" for n in range(1, 55)])
        assert store.count_sessions() == 0
        clock.advance(100)
        stored_session(store, clock, "s100", notes=())
        assert store.count_sessions() == 1
    every = run_cli("--db", str(db), "sessions", "--all")
    assert len(every.stdout.splitlines()) == 2 and "more" not in every.stdout
    assert "s100" in every.stdout


def _calibration_world(store: Store, clock: FakeClock) -> None:
    """Four interviewers over six candidates with stable ids, and one unrelated pair."""
    interviewers = ("Ada", "Bo", "Cy", "Di")
    n = 0
    for cand in range(6):
        for k in range(3):
            who = interviewers[(cand + k) % 4]
            clock.advance(500)
            session = stored_session(
                store, clock, f"c{cand}-{k}", candidate=f"Cand {cand}",
                candidate_id=f"cand{cand}@example.org", interviewer=who, notes=(),
                scores={"c1": (cand + k) % 3, "c2": (n * 7) % 3},
                recommendation=("no", "yes", "strong yes")[(cand * k) % 3], finish="end")
            if k != 1:
                session.set_summary("done")
            n += 1
    for k, who in enumerate(("Ed", "Fay")):
        clock.advance(500)
        stored_session(store, clock, f"x{k}", candidate="Other", candidate_id="o@example.org",
                       interviewer=who, notes=(), scores={"c1": k}, finish="end")


def test_calibration_from_the_listing_is_what_replays_give(
        tmp_path: Path, clock: FakeClock) -> None:
    from companion.cli.panel import history_cards

    with Store(tmp_path / "k.db") as store:
        _calibration_world(store, clock)
        every = [c for c in (card_from_state(replay(store.events(r["id"])))
                             for r in store.sessions(status="ended")) if c is not None]
        assert sorted(every, key=lambda c: c.session_id) == sorted(
            history_cards(store), key=lambda c: c.session_id)
        # Ada's calibration from the rows it needs is the one over the whole history ...
        scoped = history_cards(store, ["  ada "])
        assert {c.session_id for c in scoped} >= {c.session_id for c in every
                                                  if c.interviewer == "Ada"}
        assert calibrate(scoped, "Ada")["interviewers"] == calibrate(every, "Ada")[
            "interviewers"]
        # ... and it never reads the scorecards of candidates Ada did not see.
        assert not {"x0", "x1"} & {c.session_id for c in scoped}


def test_the_debrief_calibrates_over_the_whole_history(tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "b.db"
    with Store(db) as store:
        _calibration_world(store, clock)
        every = [c for c in (card_from_state(replay(store.events(r["id"])))
                             for r in store.sessions(status="ended")) if c is not None]
    whole = {i["interviewer"]: i for i in calibrate(every)["interviewers"]}
    result = run_cli("--db", str(db), "export", "--candidate", "cand2@example.org",
                     "--format", "md")
    assert result.exit_code == 0, result.output
    section = result.stdout.split("## Calibration", 1)[1]
    assert "whole history" in section
    rows = [line for line in section.splitlines() if line.startswith("| ") and
            line.split("|")[1].strip() in whole]
    # cand2's panel (Cy, Di, Ada), each with the scorecards of their whole history.
    assert [r.split("|")[1].strip() for r in rows] == ["Ada", "Cy", "Di"]
    for row in rows:
        name = row.split("|")[1].strip()
        assert row.split("|")[2].strip() == str(whole[name]["scorecards"])


def test_stats_from_the_listing_are_what_replays_give(tmp_path: Path, clock: FakeClock) -> None:
    plan = make_plan(plan_id="practice-x", mode="practice")
    with Store(tmp_path / "s.db") as store:
        for n in range(6):
            session = Session.start(plan, clock, store.sink(f"p{n}"), candidate="Me",
                                    session_id=f"p{n}")
            clock.advance(120 + n)
            session.set_score("c1", n % 3)
            session.set_score("c2", 1)
            session.next_section()
            clock.advance(30)
            if n < 5:
                session.end()
        states = [replay(store.events(f"p{n}")) for n in range(6)]
        records = practice_records(store, "me")
        assert practice_stats(records) == practice_stats(states)
        assert practice_stats(records).weakest is not None


def test_a_v6_database_gets_keys_digests_and_indexes(tmp_path: Path) -> None:
    copy = tmp_path / "v6.db"
    shutil.copyfile(V6 / "v6.db", copy)
    copy.chmod(0o600)
    with Store(copy) as store:
        for row in store.sessions():
            expected = digest_json(replay(store.events(row["id"])))
            assert row["digest"] == expected, row["id"]
        rows = {r["id"]: r for r in store.sessions()}
        assert store.count_sessions() == len(rows) == 5
        assert rows["a1b2c3d4"]["candidate_key"] == "sam lee-park"
        assert rows["a1b2c3d4"]["interviewer_key"] == "ada"
        assert rows["e5f6a7b8"]["interviewer_key"] is None
        assert json.loads(rows["e5f6a7b8"]["digest"])["rubric"] is not None
        assert [r["id"] for r in store.sessions(candidate="sam lee-park")] == [
            r["id"] for r in store.sessions() if r["candidate_id"] == "sam@example.org"]
        indexes = {r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
        assert {"sessions_candidate_key", "sessions_interviewer_key", "sessions_practice",
                "sessions_scorecard"} <= indexes
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stats = run_cli("--db", str(copy), "stats", "--json")
    assert stats.exit_code == 0, stats.output
    assert json.loads(stats.stdout)["sessions"] == 1


def test_a_session_whose_log_does_not_replay_keeps_no_digest_and_is_named(
        tmp_path: Path) -> None:
    copy = tmp_path / "v6.db"
    shutil.copyfile(V6 / "v6.db", copy)
    copy.chmod(0o600)
    with sqlite3.connect(copy) as conn:
        conn.execute("UPDATE events SET data = '{\"criterion\": 3}' WHERE session_id = "
                     "'f1e2d3c4' AND type = 'score_set'")
    with Store(copy) as store:
        assert (store.session("f1e2d3c4") or {})["digest"] is None
        assert (store.session("a1b2c3d4") or {})["digest"] is not None
    result = run_cli("--db", str(copy), "calibration")
    assert result.exit_code != 0
    assert "f1e2d3c4" in result.output and "damaged event" in result.output


async def test_the_live_screen_opens_without_the_content_and_home_reads_it(
        tmp_path: Path, clock: FakeClock) -> None:
    from companion.cli.launch import create_app
    from companion.content.library import Library, builtin_sources, load_library

    loads: list[Library] = []

    def load() -> Library:
        loads.append(load_library(builtin_sources()))
        return loads[-1]

    with Store(tmp_path / "l.db") as store:
        session = Session.start(make_plan(), clock, store.sink("l1"), candidate="Sam Lee",
                                session_id="l1")
        app = create_app(store, clock, load, session, tick=3600)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert loads == []  # the live screen is up, the content not read
            assert app.library is loads[0] and app.library is loads[0]
            assert len(loads) == 1 and "stage-onsite-coding" in loads[0].plans


def test_home_suggests_the_newest_people_without_grouping_every_session(
        tmp_path: Path, clock: FakeClock) -> None:
    with Store(tmp_path / "h.db") as store:
        for n, name in enumerate(("Ann", "Bo", "Ann", "Cy", "Bo")):
            clock.advance(100)
            stored_session(store, clock, f"h{n}", candidate=name, notes=())
        assert store.candidates() == [("Bo", ""), ("Cy", ""), ("Ann", "")]
        assert store.candidates(limit=2) == [("Bo", ""), ("Cy", "")]
        assert store.candidates(scan=2) == [("Bo", ""), ("Cy", "")]  # the newest 2 sessions


def _listing_in_step(store: Store) -> list[dict[str, Any]]:
    """The kept listing, newest first, checked against the sessions as they are now: the
    same rows in the same order, each object the one made from its session's columns."""
    kept = store.conn.execute(
        "SELECT id, json FROM listing ORDER BY started_at DESC, n DESC, id DESC").fetchall()
    made = store.conn.execute(f"SELECT id, {listing_object()} FROM sessions "
                              "ORDER BY started_at DESC, rowid DESC").fetchall()
    assert kept == made
    return [json.loads(text) for _, text in kept]


def test_each_session_keeps_its_listing_json_in_step_with_every_change(
        tmp_path: Path, clock: FakeClock) -> None:
    with Store(tmp_path / "k.db") as store:
        session = Session.start(make_plan(), clock, store.sink("k1"), candidate="Sam Lee",
                                interviewer="Ada", session_id="k1")
        assert _listing_in_step(store)[0]["status"] == "running"
        clock.advance(30)
        session.add_note("a note changes no listed column")
        session.pause()
        assert _listing_in_step(store)[0]["status"] == "paused"
        clock.advance(5)
        session.resume()
        session.set_score("c1", 2, "clear")
        session.set_recommendation("yes")
        session.end()
        session.append(CandidateRenamed(name="Sam Q. Lee"))
        listed = _listing_in_step(store)[0]
        assert (listed["status"], listed["recommendation"], listed["candidate"]) == (
            "ended", "yes", "Sam Q. Lee")
        assert listed["score"] == 2 and listed["ended_at"] is not None
        stored_session(store, clock, "k2", candidate="Lee Chen", notes=())
        assert [r["id"] for r in _listing_in_step(store)] == ["k2", "k1"]
        store.purge(["k2"])
        assert [r["id"] for r in _listing_in_step(store)] == ["k1"]
    listed_out = run_cli("--db", str(tmp_path / "k.db"), "sessions", "--json")
    assert [r["candidate"] for r in json.loads(listed_out.stdout)] == ["Sam Q. Lee"]
    filtered = run_cli("--db", str(tmp_path / "k.db"), "sessions", "--json", "--status",
                       "ended")
    assert filtered.stdout == listed_out.stdout


def test_the_listing_escapes_del_c1_bidi_and_line_separators_the_stored_json_keeps_raw(
        tmp_path: Path, clock: FakeClock) -> None:
    names = ["Del\x7fName", "C1\x9bName", "Bidi\u202eName", "Line\u2028Name", "Plain Name"]
    with Store(tmp_path / "e.db") as store:
        for n, name in enumerate(names):
            clock.advance(100)
            stored_session(store, clock, f"e{n}", candidate=name, notes=())
    listed = run_cli("--db", str(tmp_path / "e.db"), "sessions", "--json")
    assert listed.exit_code == 0, listed.output
    for raw in ("\x7f", "\x9b", "\u202e", "\u2028"):
        assert raw not in listed.stdout
        assert f"\\u{ord(raw):04x}" in listed.stdout
    assert [r["candidate"] for r in json.loads(listed.stdout)] == names[::-1]


_STATUSES = st.sampled_from(["running", "paused", "ended", "abandoned"])
_NAMES = st.text(min_size=1, max_size=12)  # any text: controls, bidi, line separators
_TIMES = st.sampled_from(["2026-01-01T10:00:00+00:00", "2026-01-01T11:00:00+00:00",
                          "2026-01-02T09:00:00+00:00"])  # few, so that ties happen
_CHANGES = st.lists(st.one_of(
    st.tuples(st.just("add"), _NAMES, _TIMES),
    st.tuples(st.just("replace"), st.integers(0, 20), _NAMES),
    st.tuples(st.just("status"), st.integers(0, 20), _STATUSES),
    st.tuples(st.just("score"), st.integers(0, 20),
              st.none() | st.integers(0, 10) | st.sampled_from([1e400, -1e400, 2.5])),
    st.tuples(st.just("rename"), st.integers(0, 20), _NAMES),
    st.tuples(st.just("seen"), st.integers(0, 20), _TIMES),
    st.tuples(st.just("delete"), st.integers(0, 20), st.none()),
), max_size=25)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_CHANGES)
def test_the_kept_listing_follows_any_change_to_the_sessions_table(
        tmp_path: Path, changes: list[tuple[str, Any, Any]]) -> None:
    """Whatever writes the sessions table (the store, an import, an identity fix, a purge,
    a row replaced), the kept listing has the same rows in the listing's order, each the
    object of its session's columns now, and `sessions --json` writes exactly them."""
    db = Path(tempfile.mkdtemp(dir=tmp_path)) / "h.db"  # one database per example
    with Store(db) as store:
        conn, made = store.conn, 0
        for kind, which, value in changes:
            ids = [r[0] for r in conn.execute("SELECT id FROM sessions ORDER BY rowid")]
            target = ids[which % len(ids)] if ids and kind != "add" else None
            if kind == "add":
                made += 1
                # 'complete': a scorecard already worked out (no log to replay here)
                conn.execute("INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, "
                             "started_at, status, scorecard) VALUES (?, 'p', 'Plan', "
                             "'interview', ?, ?, 'running', 'complete')",
                             (f"h{made}", which, value))
            elif target is None:
                continue
            elif kind == "replace":
                conn.execute("INSERT OR REPLACE INTO sessions (id, plan_id, plan_title, mode, "
                             "candidate, started_at, status, scorecard) SELECT id, plan_id, "
                             "plan_title, mode, ?, started_at, 'ended', scorecard "
                             "FROM sessions WHERE id = ?",
                             (value, target))
            elif kind == "delete":
                conn.execute("DELETE FROM sessions WHERE id = ?", (target,))
            else:
                column = {"status": "status", "score": "score", "rename": "candidate",
                          "seen": "last_event_at"}[kind]
                conn.execute(f"UPDATE sessions SET {column} = ? WHERE id = ?", (value, target))
        conn.commit()
        listed = _listing_in_step(store)
        assert store.count_sessions() == len(listed)  # the count the triggers keep
    out = run_cli("--db", str(db), "sessions", "--json")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == listed
    raw_controls = [c for c in out.stdout if (ord(c) < 0x20 and c != "\n")
                    or 0x7F <= ord(c) <= 0x9F or c in "\u2028\u2029\u202a\u202e"]
    assert raw_controls == []


def test_the_unfiltered_json_listing_reads_its_table_in_order_without_sorting(
        tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT CAST(json AS BLOB) FROM listing "
                                  "ORDER BY started_at DESC, n DESC, id DESC").fetchall()
    details = " ".join(row[3] for row in plan)
    assert details == "SCAN listing" and "TEMP B-TREE" not in details


@pytest.mark.parametrize("dropped", ["TABLE listing", "TRIGGER listing_insert",
                                     "TRIGGER listing_update", "TRIGGER listing_delete"])
def test_a_listing_part_dropped_by_another_program_is_made_again_on_open(
        tmp_path: Path, clock: FakeClock, dropped: str) -> None:
    db = tmp_path / "d.db"
    with Store(db) as store:
        stored_session(store, clock, "d1", candidate="Kim Park", notes=())
        stored_session(store, clock, "d2", candidate="Lee Chen", notes=())
    with sqlite3.connect(db) as conn:
        conn.execute(f"DROP {dropped}")
        if dropped.startswith("TRIGGER"):  # (without the table, the triggers refuse it)
            conn.execute("UPDATE sessions SET candidate = 'Kim Q. Park' WHERE id = 'd1'")
    with Store(db) as store:  # whole again, and in step with what changed meanwhile
        assert _listing_in_step(store)[0]["candidate"] == "Lee Chen"
        assert store.sessions()[1]["candidate"] == _listing_in_step(store)[1]["candidate"]
        store.purge(["d1"])
        assert [r["id"] for r in _listing_in_step(store)] == ["d2"]
    assert b"Kim" not in b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())


def test_rowids_renumbered_by_a_dump_and_restore_never_drop_a_session_from_the_listing(
        tmp_path: Path, clock: FakeClock) -> None:
    db = tmp_path / "r.db"
    with Store(db) as store:
        for sid in ("r1", "r2", "r3"):
            stored_session(store, clock, sid, notes=())
        store.conn.execute("UPDATE sessions SET started_at = '2026-01-01T10:00:00+00:00'")
        store.conn.execute("UPDATE sessions SET rowid = rowid + 1 WHERE id = 'r3'")
        store.conn.execute("UPDATE sessions SET rowid = rowid - 2 WHERE id = 'r1'")
        # a new session arriving at the same start takes a rowid a listed one had
        store.conn.execute(
            "INSERT INTO sessions (id, plan_id, plan_title, mode, candidate, started_at, "
            "status, scorecard) VALUES ('r4', 'p', 'Plan', 'interview', 'New', "
            "'2026-01-01T10:00:00+00:00', 'ended', 'complete')")
        chunks = [c if isinstance(c, bytes) else c.encode() for c in store.sessions_json()]
        listed = {r["id"] for r in json.loads(b"[" + b",\n".join(chunks) + b"]")}
    assert listed == {"r1", "r2", "r3", "r4"}


def test_a_v8_database_with_a_blob_in_a_listed_column_still_migrates(tmp_path: Path) -> None:
    db = fixture_db(8, tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE sessions SET plan_title = X'414243', score = X'01' "
                     "WHERE id = 'a1b2c3d4'")
    listed = run_cli("--db", str(db), "sessions", "--json")
    assert listed.exit_code == 0, listed.output
    row = next(r for r in json.loads(listed.stdout) if r["id"] == "a1b2c3d4")
    assert row["plan_title"] == "ABC" and row["score"] is None
