"""Search (the domain function and `companion search`) and retention (`companion purge`):
purged sessions leave nothing in any table, in the full-text index, or in the raw database,
-wal and -shm files; purge asks first and refuses without a terminal unless --yes."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest
from helpers import make_plan, stored_session
from helpers import run_cli as run

from companion.cli import export as cli_export
from companion.clock import FakeClock
from companion.content.library import Source, load_library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.store.search import search, search_results

LIVE = Path(__file__).resolve().parent / "fixtures" / "live"
SECRET = "zanzibarquokka"  # a word found nowhere else, to look for in the raw files
DAY = 86_400.0


def live_session(store: Store, clock: FakeClock, sid: str, candidate: str,
                 candidate_id: str = "", interviewer: str = "Ada",
                 secret: str = "") -> Session:
    """A t-live session (sections Introductions, Design, Questions) with notes in the Design
    section, an edited note, a retracted note, evidence and a summary."""
    lib = load_library([Source("fixtures", (LIVE,))])
    s = Session.start(resolve_plan(lib, "t-live"), clock, store.sink(sid), session_id=sid,
                      candidate=candidate, candidate_id=candidate_id, interviewer=interviewer)
    clock.advance(60)
    s.add_note(f"intro: works on consensus systems {secret}".strip())
    clock.advance(240)
    s.next_section()
    clock.advance(125)
    s.add_note(f"chose raft consensus over paxos {secret}".strip())
    typo = s.add_note("sharding by tennant")
    s.edit_note(typo.id, "sharding by tenant id")
    wrong = s.add_note("wrong candidate mixup")
    s.retract_note(wrong.id)
    store.save_draft(sid, f"half typed {secret}".strip(), clock.wall())
    s.next_section()
    s.next_section()
    s.set_score("clarity", 2, f"explained consensus rounds {secret}".strip())
    s.set_summary(f"Solid on consensus. {secret}".strip())
    s.end()
    return s


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "search.db"
    clock = FakeClock()
    with Store(path) as store:
        live_session(store, clock, "ann00001", "Ann Lee", "ann@example.org")
        clock.advance(3600)
        live_session(store, clock, "ben00002", "Ben Ray", interviewer="Bob")
    return path


# --- search -------------------------------------------------------------------------------


def test_search_places_each_hit(db: Path) -> None:
    with Store(db) as store:
        hits = search(store, "raft")
    (hit,) = [h for h in hits if h.session_id == "ann00001"]
    assert len(hits) == 2
    assert (hit.candidate, hit.candidate_id, hit.plan_id, hit.plan_title) == (
        "Ann Lee", "ann@example.org", "t-live", "Test design interview")
    assert (hit.section, hit.section_title, hit.where) == (2, "Design", "section 2 Design")
    assert (hit.kind, hit.label) == ("note", "note")
    assert hit.stamp == "07:05" and hit.date == "2026-09-21"
    assert hit.at.startswith("2026-09-21T") and "[raft]" in hit.snippet


def test_search_kinds_edits_and_retractions(db: Path) -> None:
    with Store(db) as store:
        evidence = search(store, "rounds", candidate="Ann Lee")
        summary = search(store, "solid", candidate="ann@example.org")
        old = search(store, "tennant", candidate="ann lee")
        new = search(store, "tenant", candidate="ann lee")
        gone = search(store, "mixup", candidate="ann lee")
    assert [(h.kind, h.section, h.where) for h in evidence] == [
        ("evidence", None, "whole session")]
    assert [h.label for h in summary] == ["summary"]
    assert [(h.label, h.section_title) for h in old] == [("note (edited later)", "Design")]
    assert [(h.label, h.section_title) for h in new] == [("note (edit)", "Design")]
    assert [h.label for h in gone] == ["note (retracted later)"]


def test_search_candidate_filter(db: Path) -> None:
    with Store(db) as store:
        assert {h.session_id for h in search(store, "consensus")} == {"ann00001", "ben00002"}
        assert {h.candidate for h in search(store, "consensus", candidate="BEN RAY")} == {
            "Ben Ray"}
        assert search(store, "consensus", candidate="nobody") == []
        assert search(store, "   ") == []
        assert search(store, 'raft" OR "x') == []  # words, not FTS syntax


def test_search_command(db: Path) -> None:
    result = run("--db", str(db), "search", "raft", "consensus", "--candidate", "ann lee")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == ("Ann Lee (ann@example.org) · Test design interview · section 2 Design"
                        " · 07:05 on 2026-09-21 · note · session ann00001")
    assert "[raft] [consensus]" in lines[1]
    assert lines[-1] == "1 match(es)"


def test_search_command_json(db: Path) -> None:
    result = run("--db", str(db), "search", "consensus", "--json")
    assert result.exit_code == 0
    hits = json.loads(result.stdout)
    assert isinstance(hits, list) and len(hits) == 8
    first = hits[0]
    for key in ("candidate", "plan_id", "plan_title", "section", "section_title", "stamp",
                "date", "at", "kind", "snippet", "session_id"):
        assert key in first
    assert {h["kind"] for h in hits} == {"note", "evidence", "summary"}


def test_search_command_no_match_and_empty(db: Path) -> None:
    result = run("--db", str(db), "search", "nothinglikethis")
    assert result.exit_code == 0 and result.stdout.startswith("No matches for")
    assert json.loads(run("--db", str(db), "search", "nothing", "--json").stdout) == []
    result = run("--db", str(db), "search", " ")
    assert result.exit_code == 2 and result.stderr.startswith("error: ")


def test_search_sanitises_terminal_output(tmp_path: Path) -> None:
    path = tmp_path / "esc.db"
    clock = FakeClock()
    with Store(path) as store:
        s = Session.start(make_plan(), clock, store.sink("esc00001"), session_id="esc00001",
                          candidate="Eve\x1b[31m")
        s.add_note("beep \x1b]0;pwned\x07 marker")
    result = run("--db", str(path), "search", "marker")
    assert result.exit_code == 0 and "\x1b" not in result.stdout and "\x07" not in result.stdout


@pytest.fixture
def busy(tmp_path: Path) -> Path:
    """'cache' in more notes than a small cap: Ann Old's session first, with the densest
    note of all ('cache cache cache') and the best 'zebra' note; then Bea New's, ten notes
    with 'cache', the newest of them the same length (a tie), and 'cache cache layer'."""
    path = tmp_path / "busy.db"
    clock = FakeClock()
    with Store(path) as store:
        stored_session(store, clock, "ann00001", candidate="Ann Old",
                       notes=("cache cache cache", "zebra zebra stripes",
                              "cache warmed before the demo"))
        clock.advance(DAY)
        notes = [f"cache note {i} with the same filler" for i in range(10)]
        notes[6] = "cache cache layer"  # among the latest five, the best of them
        notes[8] = "a zebra in a long note about how they tested the cache and more"
        stored_session(store, clock, "bea00002", candidate="Bea New", notes=tuple(notes))
    return path


def test_search_common_word_ranks_the_latest_matches(busy: Path) -> None:
    with Store(busy) as store:
        capped = search_results(store, "cache", limit=4, latest=5)
        whole = search_results(store, "cache", limit=4)
    # Over the cap: the best of the five newest mentions, ties newest first, and it says so.
    assert (capped.ranked, capped.capped) == (5, True)
    assert [h.snippet for h in capped.hits] == [
        "[cache] [cache] layer", "[cache] note 9 with the same filler",
        "[cache] note 7 with the same filler", "[cache] note 5 with the same filler"]
    assert {h.candidate for h in capped.hits} == {"Bea New"}
    assert capped.note() == ("The best of the latest 5 matches; older ones were not ranked. "
                             "Add words to narrow the search.")
    # Under it (the default, 2,000), every match is ranked: the old, dense note wins.
    assert (whole.ranked, whole.capped, whole.note()) == (12, False, "")
    assert [h.snippet for h in whole.hits[:2]] == ["[cache] [cache] [cache]",
                                                   "[cache] [cache] layer"]


def test_search_rare_word_best_match_first_however_old(busy: Path) -> None:
    with Store(busy) as store:
        rare = search_results(store, "zebra", latest=5)
        two = search_results(store, "cache zebra", latest=5)
    assert (rare.ranked, rare.capped) == (2, False)
    assert [(h.candidate, h.snippet) for h in rare.hits] == [
        ("Ann Old", "[zebra] [zebra] stripes"),
        ("Bea New", "a [zebra] in a long note about how they tested the cache…")]
    assert [h.session_id for h in two.hits] == ["bea00002"] and not two.capped


def test_search_candidate_narrows_before_the_cap(busy: Path) -> None:
    with Store(busy) as store:
        # Ann's mentions are all older than the latest five, yet hers are found and ranked.
        ann = search_results(store, "cache", candidate="ann old", latest=5)
        bea = search_results(store, "cache", candidate="Bea New", limit=2, latest=3)
        nobody = search_results(store, "cache", candidate="nobody", latest=5)
    assert [h.snippet for h in ann.hits] == ["[cache] [cache] [cache]",
                                             "[cache] warmed before the demo"]
    assert (ann.ranked, ann.capped) == (2, False)
    assert [h.snippet for h in bea.hits] == ["[cache] note 9 with the same filler",
                                             "[cache] note 7 with the same filler"]
    assert (bea.ranked, bea.capped) == (3, True)
    assert (nobody.hits, nobody.ranked, nobody.capped) == ([], 0, False)


def test_search_command_says_when_capped(busy: Path) -> None:
    result = run("--db", str(busy), "search", "cache", "--limit", "2", "--latest", "5")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "[cache] [cache] layer" in lines[1]
    assert lines[-1] == ("2 match(es): the best of the latest 5 matches; older ones were not "
                         "ranked. Add words to narrow the search, or rank more with --latest N.")
    # The default cap holds every match here: the usual last line, the old best note first.
    result = run("--db", str(busy), "search", "cache", "--limit", "2")
    assert "[cache] [cache] [cache]" in result.stdout.splitlines()[1]
    assert result.stdout.splitlines()[-1] == "2 match(es) (showing the best 2)"
    # --json keeps stdout a list; the note goes to stderr.
    result = run("--db", str(busy), "search", "cache", "--json", "--limit", "2", "--latest",
                 "5")
    assert json.loads(result.stdout)[0]["snippet"] == "[cache] [cache] layer"
    assert result.stderr.startswith("note: 2 match(es), the best of the latest 5 matches")
    result = run("--db", str(busy), "search", "zebra", "--json", "--latest", "1")
    assert len(json.loads(result.stdout)) == 2 and result.stderr == ""  # --limit 50 > 1


# --- purge --------------------------------------------------------------------------------


def raw_bytes(path: Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        file = Path(str(path) + suffix)
        if file.exists():
            out += file.read_bytes()
    return out


def rows_of(conn: sqlite3.Connection, sid: str) -> dict[str, int]:
    return {
        table: conn.execute(f"SELECT count(*) FROM {table} WHERE {col} = ?", (sid,)).fetchone()[0]
        for table, col in (("sessions", "id"), ("events", "session_id"),
                           ("texts", "session_id"), ("drafts", "session_id"))
    }


def test_purge_leaves_nothing_in_tables_index_or_files(tmp_path: Path) -> None:
    path = tmp_path / "purge.db"
    clock = FakeClock()
    store = Store(path)
    live_session(store, clock, "old00001", "Old Person", secret=SECRET)
    clock.advance(40 * DAY)
    live_session(store, clock, "new00002", "New Person")
    assert SECRET.encode() in raw_bytes(path)  # the test would prove nothing otherwise
    assert b"Old Person" in raw_bytes(path)  # the name: the session's row, its listing

    ids = store.session_ids_older_than(clock.wall() - 30 * DAY)
    assert ids == ["old00001"]
    counts = store.purge(ids)
    assert counts["sessions"] == 1 and counts["drafts"] == 1 and counts["events"] > 10
    assert counts["texts"] == 7 and counts["busy"] is False

    # Nothing of it in any table or in the index; the other session is whole.
    assert rows_of(store.conn, "old00001") == dict.fromkeys(
        ("sessions", "events", "texts", "drafts"), 0)
    assert rows_of(store.conn, "new00002") == {"sessions": 1, "events": 16, "texts": 7,
                                               "drafts": 1}
    assert store.search(SECRET) == []
    assert store.conn.execute("SELECT count(*) FROM texts_fts WHERE texts_fts MATCH ?",
                              (SECRET,)).fetchone()[0] == 0
    assert store.conn.execute(
        "SELECT count(*) FROM texts_fts_docsize").fetchone()[0] == 7
    assert [h.session_id for h in store.search("consensus")] == ["new00002"] * 4
    # ... nor in the bytes on disk, while the connection is still open ...
    for suffix in ("", "-wal", "-shm"):
        file = Path(str(path) + suffix)
        if file.exists():
            assert SECRET.encode() not in file.read_bytes(), suffix
    store.close()
    # ... nor once it is closed, the name neither.
    assert SECRET.encode() not in raw_bytes(path)
    assert b"Old Person" not in raw_bytes(path)
    with Store(path) as again:
        assert again.events("old00001") == [] and len(again.events("new00002")) == 16


def test_purge_everything_empties_every_table(tmp_path: Path) -> None:
    path = tmp_path / "all.db"
    clock = FakeClock()
    with Store(path) as store:
        live_session(store, clock, "one00001", "One", secret=SECRET)
        live_session(store, clock, "two00002", "Two", secret=SECRET)
        store.purge(store.session_ids_older_than(clock.wall() + 1))
        tables = [r[0] for r in store.conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT IN ('texts_fts', 'texts_fts_config')")]
        assert {"sessions", "events", "texts", "drafts", "texts_fts_docsize"} <= set(tables)
        for table in tables:
            if table == "texts_fts_data":  # FTS5 keeps its structure records even when empty
                blocks = store.conn.execute(f"SELECT block FROM {table}").fetchall()
                assert not [b for (b,) in blocks if SECRET.encode() in bytes(b or b"")]
                continue
            count = store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            assert count == 0, table
    assert SECRET.encode() not in raw_bytes(path)


def test_session_ids_older_than_and_candidate(db: Path) -> None:
    with Store(db) as store:
        first = store.session("ann00001")
        assert first is not None
        from companion.clock import from_iso

        started = from_iso(first["started_at"])
        assert store.session_ids_older_than(started) == []
        assert store.session_ids_older_than(started + 1) == ["ann00001"]
        assert store.session_ids_older_than(started + 10 * DAY) == ["ann00001", "ben00002"]
        assert store.session_ids_older_than(started + 10 * DAY, candidate="ben ray") == [
            "ben00002"]
        assert store.session_ids_older_than(started + 10 * DAY,
                                            candidate="ann@example.org") == ["ann00001"]


@pytest.fixture
def aged(tmp_path: Path) -> Path:
    """Sessions 40 and 39 days old (Old Person, Kept Person) and one 5 days old (Old Person)."""
    path = tmp_path / "aged.db"
    now = time.time()
    with Store(path) as store:
        clock = FakeClock(wall=now - 40 * DAY)
        live_session(store, clock, "old00001", "Old Person", secret=SECRET)
        clock.advance(DAY)
        live_session(store, clock, "kep00002", "Kept Person")
        clock.advance(34 * DAY)
        live_session(store, clock, "new00003", "Old Person")
    return path


def ids_in(path: Path) -> list[str]:
    with Store(path) as store:
        return sorted(r["id"] for r in store.sessions())


def test_purge_command_with_yes(aged: Path) -> None:
    result = run("--db", str(aged), "purge", "--older-than", "30", "--candidate", "old person",
                 "--yes")
    assert result.exit_code == 0, result.output
    assert "1 session(s) started more than 30 day(s) ago for candidate 'old person'" in \
        result.stdout
    assert "Deleted 1 session(s)" in result.stdout
    assert ids_in(aged) == ["kep00002", "new00003"]
    assert SECRET.encode() not in raw_bytes(aged)

    result = run("--db", str(aged), "purge", "--older-than", "30", "--yes")
    assert result.exit_code == 0 and "Deleted 1 session(s)" in result.stdout
    assert ids_in(aged) == ["new00003"]
    result = run("--db", str(aged), "purge", "--older-than", "30", "--yes")
    assert result.exit_code == 0 and "nothing deleted" in result.stdout


def test_purge_without_yes_and_no_terminal_refuses(aged: Path) -> None:
    result = run("--db", str(aged), "purge", "--older-than", "30")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and "--yes" in result.stderr
    assert ids_in(aged) == ["kep00002", "new00003", "old00001"]


def test_purge_asks_at_a_terminal(aged: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli_export, "_interactive", lambda: True)
    result = run("--db", str(aged), "purge", "--older-than", "30", input="n\n")
    assert result.exit_code == 1 and "Nothing deleted." in result.stdout
    assert "Delete these 2 session(s)" in result.stdout
    assert ids_in(aged) == ["kep00002", "new00003", "old00001"]
    result = run("--db", str(aged), "purge", "--older-than", "30", input="y\n")
    assert result.exit_code == 0 and "Deleted 2 session(s)" in result.stdout
    assert ids_in(aged) == ["new00003"]


def test_purge_needs_older_than(aged: Path) -> None:
    result = run("--db", str(aged), "purge", "--yes")
    assert result.exit_code == 2 and "--older-than" in result.output
    result = run("--db", str(aged), "purge", "--older-than", "-1", "--yes")
    assert result.exit_code == 2
    assert ids_in(aged) == ["kep00002", "new00003", "old00001"]
