"""People (issue 25): one identity rule everywhere (a stable id is a person; sessions without
one join only through a merge event; names case-folded), `companion candidates`, merge and
rename through events, purge by person; pending scorecards and the time to complete; the
truthful `notes` and `scores` views; and the small items (stats, sessions, created FILE)."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from helpers import make_plan, run_cli, stored_session
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.session import Session, replay
from companion.store.database import SCHEMA_VERSION, Store
from companion.textsafe import fold_name

V3 = Path(__file__).parent / "fixtures" / "v3" / "v3.db"


def complete(session: Session, clock: FakeClock, summary: str = "Solid.") -> None:
    for criterion in ("c1", "c2", "c3"):
        session.set_score(criterion, 1, f"seen {criterion}")
    session.set_recommendation("yes")
    session.set_summary(summary)


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """Cand Name: two sessions with the id, one without (typed by hand), one other person of
    the same name with another id, and one unrelated person."""
    db = tmp_path / "people.db"
    clock = FakeClock()
    with Store(db) as store:
        stored_session(store, clock, "aaaa0001", candidate="Cand Name",
                       candidate_id="cand@example.org", notes=("zanzibar first",))
        stored_session(store, clock, "aaaa0002", candidate="cand name",
                       candidate_id="cand@example.org", notes=("zanzibar second",))
        stored_session(store, clock, "aaaa0003", candidate="CAND NAME",
                       notes=("zanzibar third, no id typed",))
        stored_session(store, clock, "bbbb0001", candidate="Cand Name",
                       candidate_id="other@example.org", notes=("someone else",))
        stored_session(store, clock, "cccc0001", candidate="Unrelated",
                       candidate_id="u@example.org")
    return db


def ids_of(db: Path, *args: str) -> list[str]:
    result = run_cli("--db", str(db), "sessions", "--json", *args)
    assert result.exit_code == 0, result.output
    return sorted(r["id"] for r in json.loads(result.stdout))


# --- the identity rule ----------------------------------------------------------------------


def test_an_id_selects_its_person_and_a_name_every_person_with_it(three: Path) -> None:
    assert ids_of(three, "--candidate", "cand@example.org") == ["aaaa0001", "aaaa0002"]
    result = run_cli("--db", str(three), "sessions", "--candidate", "cAnD nAmE")
    assert result.exit_code == 0
    assert ("'cAnD nAmE' is a name: it matched 3 people: id cand@example.org (2 sessions), "
            "id other@example.org (1 session), 1 session(s) without an id (aaaa0003); give "
            "--candidate ID to take one") in result.stderr
    for sid in ("aaaa0001", "aaaa0002", "aaaa0003", "bbbb0001"):
        assert sid in result.stdout
    assert "cccc0001" not in result.stdout


@settings(max_examples=40, deadline=None)
@given(name=st.sampled_from(["Straße", "ǅemal", "ΣΊΣΥΦΟΣ", "İpek", "Ｆｕｌｌ"]),
       change=st.sampled_from([str.upper, str.lower, str.casefold, str.title]))
def test_names_are_compared_with_unicode_casefold(tmp_path_factory: pytest.TempPathFactory,
                                                  name: str, change: object) -> None:
    db = tmp_path_factory.mktemp("fold") / "f.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "fold0001", candidate=name)
        typed = change(name)  # type: ignore[operator]
        expected = ["fold0001"] if fold_name(typed) == fold_name(name) else []
        assert [r["id"] for r in store.sessions(candidate=typed)] == expected
    assert fold_name("STRASSE") == fold_name("straße")


def test_candidates_lists_people_and_merge_joins_a_session_through_an_event(
        three: Path) -> None:
    listing = run_cli("--db", str(three), "candidates")
    assert listing.exit_code == 0
    lines = listing.stdout.splitlines()
    assert lines[0].split() == ["CANDIDATE", "ID", "SESSIONS", "LAST", "SEEN"]
    assert any("cand@example.org" in line and " 2 " in line for line in lines)
    assert any("(no id) session aaaa0003" in line for line in lines)
    people = json.loads(run_cli("--db", str(three), "candidates", "--json").stdout)
    assert len(people) == 4

    refused = run_cli("--db", str(three), "candidates", "merge", "bbbb0001", "--into",
                      "cand@example.org")
    assert refused.exit_code == 2
    assert "a stable id identifies a person" in refused.stderr
    assert "nothing was changed" in refused.stderr

    merged = run_cli("--db", str(three), "candidates", "merge", "aaaa0003", "--into",
                     "cand@example.org")
    assert merged.exit_code == 0, merged.output
    assert "merged session aaaa0003" in merged.stdout
    assert ids_of(three, "--candidate", "cand@example.org") == [
        "aaaa0001", "aaaa0002", "aaaa0003"]
    with Store(three) as store:
        events = store.events("aaaa0003")
        assert events[0].data["candidate_id"] == ""  # what was typed is kept
        assert events[-1].type == "candidate_merged"
        assert replay(events).candidate_id == "cand@example.org"
    assert len(json.loads(run_cli("--db", str(three), "candidates", "--json").stdout)) == 3
    # The merged scorecard was sealed when it was exported: verify says amended, not broken.
    run_cli("--db", str(three), "export", "aaaa0001")


def test_rename_goes_through_events_and_an_ambiguous_name_is_refused(three: Path) -> None:
    ambiguous = run_cli("--db", str(three), "candidates", "rename", "Cand Name", "Cand Nom")
    assert ambiguous.exit_code == 2 and "matched 3 people" in ambiguous.stderr
    renamed = run_cli("--db", str(three), "candidates", "rename", "cand@example.org",
                      "Candice Name")
    assert renamed.exit_code == 0 and "renamed 2 session(s)" in renamed.stdout
    with Store(three) as store:
        assert {r["candidate"] for r in store.sessions(candidate="cand@example.org")} == {
            "Candice Name"}
        first = store.events("aaaa0001")
        assert first[0].data["candidate"] == "Cand Name"
        assert first[-1].type == "candidate_renamed"
    assert ids_of(three, "--candidate", "candice name") == ["aaaa0001", "aaaa0002"]


def test_a_debrief_by_id_takes_every_scorecard_of_the_person_after_a_merge(
        three: Path) -> None:
    before = run_cli("--db", str(three), "export", "--candidate", "cand@example.org")
    assert before.exit_code == 0
    assert "aaaa0001" in before.stdout and "aaaa0003" not in before.stdout
    run_cli("--db", str(three), "candidates", "merge", "aaaa0003", "--into",
            "cand@example.org")
    after = run_cli("--db", str(three), "export", "--candidate", "cand@example.org")
    assert all(sid in after.stdout for sid in ("aaaa0001", "aaaa0002", "aaaa0003"))
    assert "bbbb0001" not in after.stdout


def _holding(path: Path, *words: str) -> list[str]:
    found = []
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            data = part.read_bytes()
            found += [f"{w} in {part.name}" for w in words if w.encode() in data]
    return found


def test_purge_by_id_lists_what_it_erases_and_names_the_same_name_sessions_it_leaves(
        three: Path) -> None:
    dry = run_cli("--db", str(three), "purge", "--candidate", "cand@example.org")
    assert dry.exit_code == 2  # no terminal to ask on: nothing deleted
    out = dry.stdout
    assert "2 session(s) for candidate 'cand@example.org' will be erased" in out
    assert "Not touched: 2 session(s) with the same name" in out
    left = out.split("Not touched:")[1]
    assert "aaaa0003" in left and "bbbb0001" in left
    assert "companion candidates merge --into ID SESSION" in left

    run_cli("--db", str(three), "candidates", "merge", "aaaa0003", "--into",
            "cand@example.org")
    done = run_cli("--db", str(three), "purge", "--older-than", "0", "--candidate",
                   "cand@example.org", "--yes")
    assert done.exit_code == 0, done.output
    assert "Deleted 3 session(s)" in done.stdout
    assert "bbbb0001" in done.stdout.split("Not touched:")[1]  # the other Cand Name stays
    with Store(three) as store:
        assert sorted(r["id"] for r in store.sessions()) == ["bbbb0001", "cccc0001"]
        assert store.candidate_matches("cand@example.org")["by"] is None
    assert _holding(three, "cand@example.org", "zanzibar") == []


# --- pending scorecards and the time to complete -------------------------------------------


def test_pending_until_complete_and_the_time_is_recorded_once(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    clock = FakeClock()
    with Store(db) as store:
        s = stored_session(store, clock, "pend0001", candidate="Pat", scores={"c1": 2})
        assert s.state.pending
        practice = stored_session(store, clock, "prac0001", candidate="me",
                                  plan=make_plan(mode="practice"))
        assert not practice.state.pending
    listed = run_cli("--db", str(db), "sessions", "--pending")
    assert listed.exit_code == 0
    assert "pend0001" in listed.stdout and "prac0001" not in listed.stdout
    assert "[scorecard pending, ended " in listed.stdout and " ago]" in listed.stdout
    as_json = json.loads(run_cli("--db", str(db), "sessions", "--pending", "--json").stdout)
    assert [(r["id"], r["scorecard"]) for r in as_json] == [("pend0001", "pending")]

    with Store(db) as store:
        s = Session(store.events("pend0001"), clock, store.sink("pend0001"))
        clock.advance(2 * 3600)
        complete(s, clock)
        assert s.state.completed_at is not None and not s.state.pending
        assert s.state.time_to_complete == pytest.approx(2 * 3600, abs=60)
        clock.advance(86_400)
        s.set_score("c1", 0, "on reflection")  # an amendment does not reset it
        assert s.state.time_to_complete == pytest.approx(2 * 3600, abs=60)
        assert [e.type for e in s.events].count("scorecard_completed") == 1
        assert (store.session("pend0001") or {})["scorecard"] == "complete"
    assert "No pending scorecards" in run_cli("--db", str(db), "sessions",
                                              "--pending").stdout
    md = run_cli("--db", str(db), "export", "pend0001").stdout
    assert "**Scorecard:** complete 2.0 h after the call ended" in md
    data = json.loads(run_cli("--db", str(db), "export", "pend0001", "--format",
                              "json").stdout)
    assert data["scorecard"]["state"] == "complete"
    assert data["scorecard"]["seconds_to_complete"] == pytest.approx(7200, abs=60)
    assert data["format_version"] == 3


def test_a_plan_without_a_rubric_is_complete_with_its_summary(tmp_path: Path) -> None:
    with Store(tmp_path / "r.db") as store:
        s = stored_session(store, FakeClock(), "norb0001", plan=make_plan(rubric=False))
        assert s.state.pending
        s.set_summary("Good conversation.")
        assert not s.state.pending and s.state.time_to_complete == 0.0


# --- the views ------------------------------------------------------------------------------


def test_the_views_say_what_the_log_adds_up_to_now(tmp_path: Path) -> None:
    db = tmp_path / "v.db"
    clock = FakeClock()
    with Store(db) as store:
        s = Session.start(make_plan(), clock, store.sink("view0001"), session_id="view0001",
                          candidate="Vi")
        keep = s.add_note("first reading")
        s.edit_note(keep.id, "second reading")
        s.flag_note(keep.id, True)
        gone = s.add_note("said in error")
        s.retract_note(gone.id)
        s.next_section()
        s.add_note("in the main section")
        s.set_score("c1", 2, "early")
        s.set_score("c1", 1, "on reflection")
        s.set_score("c2", 2, "x")
        s.set_score("c2", None)
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        notes = [dict(r) for r in conn.execute("SELECT * FROM notes ORDER BY note")]
        scores = [dict(r) for r in conn.execute("SELECT * FROM scores")]
        raw = conn.execute("SELECT count(*) FROM events WHERE type = 'note_edited'").fetchone()
    assert [(n["text"], n["flagged"], n["retracted"], n["section"], n["section_title"])
            for n in notes] == [
        ("second reading", 1, 0, 1, "Intro"), ("said in error", 0, 1, 1, "Intro"),
        ("in the main section", 0, 0, 2, "Main")]
    assert notes[0]["edits"] == 1
    assert [(r["criterion"], r["score"], r["evidence"]) for r in scores] == [
        ("c1", 1, "on reflection")]
    assert raw[0] == 1  # the raw log stays in `events`


def test_a_v3_database_gets_the_new_views_and_its_scorecards_worked_out(
        tmp_path: Path) -> None:
    copy = tmp_path / "v3.db"
    shutil.copyfile(V3, copy)
    listed = run_cli("--db", str(copy), "sessions", "--json")
    assert listed.exit_code == 0
    rows = {r["id"]: r for r in json.loads(listed.stdout)}
    assert rows["a1b2c3d4"]["scorecard"] in ("complete", "pending")
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        sections = {r[0] for r in conn.execute(
            "SELECT section FROM notes WHERE session_id = 'a1b2c3d4'")}
        assert min(sections) == 1
        assert conn.execute("SELECT count(*) FROM sessions WHERE status = 'ended' AND "
                            "mode != 'practice' AND scorecard IS NULL").fetchone()[0] == 0


# --- small ----------------------------------------------------------------------------------


def test_stats_refuses_an_unknown_plan_or_candidate_with_a_did_you_mean(
        tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "prac0001", candidate="Robin",
                       plan=make_plan(plan_id="practice-coding", mode="practice"))
    plan = run_cli("--db", str(db), "stats", "--plan", "practice-codng")
    assert plan.exit_code == 2
    assert "no practice plan 'practice-codng'; did you mean 'practice-coding'?" in plan.stderr
    who = run_cli("--db", str(db), "stats", "--candidate", "robn")
    assert who.exit_code == 2 and "did you mean 'Robin'?" in who.stderr
    assert run_cli("--db", str(db), "stats", "--candidate", "ROBIN").exit_code == 0


def test_sessions_prints_a_header_and_the_interviewer(three: Path) -> None:
    out = run_cli("--db", str(three), "sessions").stdout.splitlines()
    assert out[0].split()[:6] == ["ID", "STARTED", "STATE", "SCORE", "CANDIDATE",
                                  "INTERVIEWER"]
    assert all(" Ada " in line for line in out[1:])


def test_a_database_created_by_a_mistyped_db_says_so(tmp_path: Path) -> None:
    typo = tmp_path / "compnion.db"
    first = run_cli("--db", str(typo), "sessions")
    assert f"created {typo}" in first.stderr
    again = run_cli("--db", str(typo), "sessions")
    assert "created" not in again.stderr


def test_the_html_scored_blind_cell_says_yes_once(three: Path) -> None:
    html = run_cli("--db", str(three), "export", "--candidate", "cand@example.org",
                   "--format", "html").stdout
    assert "yes yes" not in html and "no no" not in html
    assert '<span class="good">yes</span> <span class="muted">(sealed before' in html


def test_autosaved_versions_of_a_summary_count_as_one_hit(tmp_path: Path) -> None:
    db = tmp_path / "a.db"
    with Store(db) as store:
        s = stored_session(store, FakeClock(), "auto0001")
        for n in range(5):
            s.set_summary(f"quokka summary draft {n}")
    hits = json.loads(run_cli("--db", str(db), "search", "quokka", "--json").stdout)
    assert [(h["kind"], h["session_id"]) for h in hits] == [("summary", "auto0001")]
    assert "draft 4" in hits[0]["snippet"]
    text = run_cli("--db", str(db), "search", "quokka").stdout
    assert "session auto0001" in text


def test_merge_and_rename_leave_a_session_in_progress_alone(tmp_path: Path) -> None:
    db = tmp_path / "o.db"
    with Store(db) as store:
        stored_session(store, FakeClock(), "open0001", candidate="Opal", finish=None)
    for args in (("merge", "open0001", "--into", "opal@example.org"),
                 ("rename", "open0001", "Opal Ray")):
        result = run_cli("--db", str(db), "candidates", *args)
        assert result.exit_code == 2
        assert "open0001 are still in progress" in result.stderr
    with Store(db) as store:
        assert [e.type for e in store.events("open0001")][-1] == "note_added"


NAMES = st.sampled_from(["Sam Lee", "sam lee", "SAM  LEE", "Straße", "STRASSE", "Ann"])
IDS = st.sampled_from(["", "", "sam@example.org", "s2@example.org", "ann@example.org"])


@settings(max_examples=40, deadline=None)
@given(people=st.lists(st.tuples(NAMES, IDS), min_size=1, max_size=6),
       asked=st.one_of(NAMES, IDS.filter(bool)))
def test_the_identity_rule_against_a_model(tmp_path_factory: pytest.TempPathFactory,
                                           people: list[tuple[str, str]], asked: str) -> None:
    """`--candidate X` selects, in SQL, what the rule says: a known id its sessions; else
    every session of each id one of that name's sessions has, and that name's id-less ones."""
    db = tmp_path_factory.mktemp("rule") / "r.db"
    clock = FakeClock()
    with Store(db) as store:
        for n, (name, cid) in enumerate(people):
            stored_session(store, clock, f"rule{n:04d}", candidate=name, candidate_id=cid)
        got = sorted(r["id"] for r in store.sessions(candidate=asked))
    sessions = {f"rule{n:04d}": (name, cid) for n, (name, cid) in enumerate(people)}
    if any(cid == asked for _name, cid in sessions.values()):
        expected = [sid for sid, (_n, cid) in sessions.items() if cid == asked]
    else:
        named = {sid for sid, (name, _c) in sessions.items() if fold_name(name) == fold_name(asked)}
        their_ids = {sessions[sid][1] for sid in named if sessions[sid][1]}
        expected = [sid for sid, (name, cid) in sessions.items()
                    if cid in their_ids or (not cid and sid in named)]
    assert got == sorted(expected)


def test_a_debrief_by_name_says_which_people_it_put_side_by_side(three: Path) -> None:
    result = run_cli("--db", str(three), "export", "--candidate", "CAND name")
    assert result.exit_code == 0
    assert "it matched 3 people: id cand@example.org (2 sessions)" in result.stderr
    assert "warning: this debrief puts more than one person side by side" in result.stderr
    for sid in ("aaaa0001", "aaaa0002", "aaaa0003", "bbbb0001"):
        assert sid in result.stdout
    one = run_cli("--db", str(three), "export", "--candidate", "other@example.org")
    assert "side by side" not in one.stderr and "is a name" not in one.stderr
