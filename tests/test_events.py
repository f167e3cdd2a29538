"""The event catalogue: records checked once at the boundary (the store, an import) with a
message naming the event and the field, the metadata the store, seals and exports read, and
the export format version that says which event types a file may hold."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers import make_plan, run_cli
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.events import (
    AFTER_END_TYPES,
    CATALOGUE,
    FORMAT_VERSION,
    TEXT_TYPES,
    Event,
    EventError,
    SectionReopened,
    check_record,
    format_version_of,
    types_of,
)
from companion.session import Session, replay
from companion.store.database import Store, StoreError


def ended(store: Store, sid: str, *, reopen: bool = False) -> Session:
    clock = FakeClock()
    s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid, candidate="Sam Lee",
                      candidate_id="sam@example.org", interviewer="Ada")
    clock.advance(60)
    s.add_note("explained the trade-offs")
    s.next_section(skip=True)
    if reopen:
        s.append(SectionReopened(section=0))
    s.set_score("c1", 2, "clear")
    clock.advance(60)
    s.end()
    return s


def test_the_metadata_is_read_from_the_classes() -> None:
    assert set(TEXT_TYPES) == {"note_added", "note_edited", "score_set", "summary_set",
                               "postmortem_set"}
    assert {"summary_set", "postmortem_set", "score_set", "recommendation_set",
            "candidate_merged", "candidate_renamed", "scorecard_completed"} == AFTER_END_TYPES
    assert types_of(1) == set(CATALOGUE) - {"section_reopened", "candidate_merged",
                                            "candidate_renamed", "scorecard_completed",
                                            "question_rated"}
    assert types_of(2) == types_of(1) | {"section_reopened"}
    assert types_of(4) == types_of(3) | {"question_rated"}
    assert types_of(FORMAT_VERSION) == set(CATALOGUE)


@pytest.mark.parametrize(("data", "message"), [
    ({"text": 5}, "event 3 (note_added): field 'text' must be text, not int"),
    ({}, "event 3 (note_added): field 'text' is missing"),
    ({"text": "x", "back": float("nan")}, "field 'back' must be a finite number"),
    ({"text": "x", "back": -3}, "field 'back' must be a finite number of seconds, 0 or more"),
    ({"text": "x", "flagged": "yes"}, "field 'flagged' must be true or false, not str"),
    ({"text": "x", "section": True}, "field 'section' must be a whole number, not bool"),
    ({"text": "x", "colour": "red"}, "unknown field 'colour'"),
])
def test_a_bad_record_names_the_event_and_the_field(data: dict[str, Any], message: str) -> None:
    with pytest.raises(EventError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_record(Event(3, "note_added", 1.0, 1_790_000_000.0, data))


def test_other_checks_of_a_record() -> None:
    with pytest.raises(EventError, match="unknown event type 'teleported'"):
        check_record(Event(2, "teleported", 1.0, 1.0, {}))
    with pytest.raises(EventError, match="field 'score' must be 0, 1, 2 or null"):
        check_record(Event(2, "score_set", 1.0, 1.0, {"criterion": "c1", "score": 3}))
    with pytest.raises(EventError, match="t must be a finite number"):
        check_record(Event(2, "session_ended", float("inf"), 1.0, {}))
    with pytest.raises(EventError, match="field 'plan' is not a plan snapshot"):
        check_record(Event(1, "session_started", 0.0, 1.0, {"session_id": "x", "plan": {}}))


@settings(max_examples=300)
@given(kind=st.sampled_from(sorted(CATALOGUE)),
       data=st.dictionaries(st.sampled_from(["text", "section", "note", "score", "criterion",
                                             "away", "seconds", "prompts", "plan", "on",
                                             "value", "back", "flagged", "polarity"]),
                            st.none() | st.booleans() | st.integers(-5, 10**30)
                            | st.floats() | st.text(max_size=5)
                            | st.lists(st.dictionaries(st.text(max_size=3), st.integers()),
                                       max_size=2)
                            | st.dictionaries(st.text(max_size=3), st.integers(), max_size=2)))
def test_any_record_either_decodes_or_says_why(kind: str, data: dict[str, Any]) -> None:
    """No record, however wrong, gets past the boundary with another error than EventError."""
    try:
        check_record(Event(2, kind, 1.0, 1.0, data))
    except EventError as err:
        assert str(err).startswith(f"event 2 ({kind}): ")


def test_a_damaged_event_in_the_database_is_told_not_replayed(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Store(db) as store:
        ended(store, "dmg00001")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE events SET data = ? WHERE session_id = ? AND type = 'note_added'",
                     (json.dumps({"text": ["not", "text"]}), "dmg00001"))
    with Store(db) as store, pytest.raises(StoreError, match="damaged event"):
        store.events("dmg00001")
    result = run_cli("--db", str(db), "export", "dmg00001")
    assert result.exit_code == 2
    assert "event 3 (note_added): field 'text' must be text, not list" in result.output


def test_an_export_says_the_lowest_format_that_holds_its_events(tmp_path: Path) -> None:
    with Store(tmp_path / "a.db") as store:
        old = ended(store, "old00001")
        new = ended(store, "new00001", reopen=True)
    assert format_version_of(old.events) == 1
    assert format_version_of(new.events) == 2
    for sid, version in (("old00001", 1), ("new00001", 2)):
        result = run_cli("--db", str(tmp_path / "a.db"), "export", sid, "--format", "json")
        assert json.loads(result.stdout)["format_version"] == version


def _exported(tmp_path: Path, sid: str, reopen: bool) -> dict[str, Any]:
    with Store(tmp_path / "a.db") as store:
        ended(store, sid, reopen=reopen)
    out = tmp_path / f"{sid}.json"
    assert run_cli("--db", str(tmp_path / "a.db"), "export", sid, "-o", str(out)).exit_code == 0
    doc: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return doc


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(format_version=1),
     "event 6 has the type 'section_reopened', which an export of format_version 1 "
     "cannot hold"),
    (lambda d: d.update(format_version=FORMAT_VERSION + 1),
     f"format_version {FORMAT_VERSION + 1}, which this companion (format {FORMAT_VERSION}) "
     "does not know"),
    (lambda d: d["events"][5].update(type="teleported"),
     "has the event type 'teleported', which this companion (export format "
     f"{FORMAT_VERSION}) does not know"),
    (lambda d: d["events"][2]["data"].update(text=7),
     "malformed: event 3 (note_added): field 'text' must be text, not int"),
    (lambda d: d["events"][5]["data"].update(section=9),
     "event 6 (section_reopened): section 9 is not one of the plan's 3 sections"),
])
def test_an_import_is_refused_whole_with_the_true_reason(tmp_path: Path, change: Any,
                                                         message: str) -> None:
    doc = _exported(tmp_path, "rep00001", reopen=True)
    assert doc["events"][5]["type"] == "section_reopened"
    change(doc)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    target = tmp_path / "b.db"
    result = run_cli("--db", str(target), "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr
    with Store(target) as store:
        assert store.sessions() == []


def test_an_export_with_the_new_event_imports(tmp_path: Path) -> None:
    doc = _exported(tmp_path, "rep00002", reopen=True)
    path = tmp_path / "good.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("--db", str(tmp_path / "b.db"), "import", str(path), "--allow-unkeyed")
    assert result.exit_code == 0, result.output
    with Store(tmp_path / "b.db") as store:
        state = replay(store.events("rep00002"))
    assert not state.sections[0].skipped and state.left == 1


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["events"][3].update(t=1e308),
     "event 4 (section_skipped): t must be between 0 and"),
    (lambda d: d["events"][3].update(t=-1.0),
     "event 4 (section_skipped): t must be between 0 and"),
    (lambda d: d["events"][3].update(t=0.5),
     "event 4 (section_skipped) has t 0.5, before the event it follows"),
])
def test_an_import_whose_time_is_out_of_range_or_goes_back_is_refused(
        tmp_path: Path, change: Any, message: str) -> None:
    doc = _exported(tmp_path, "tim00001", reopen=False)
    change(doc)
    path = tmp_path / "changed.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("--db", str(tmp_path / "b.db"), "import", str(path))
    assert result.exit_code == 1
    assert message in result.stderr, result.stderr
