"""The applicant-tracking shapes (`export --format greenhouse|lever|ashby`), field by field
against docs/exports.md; the mapping file; hostile and huge text in every shape."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.export import ats
from companion.export.plaintext import session_text
from companion.export.report import report
from companion.session import Session, replay
from companion.store.database import Store
from tests.helpers import Recorder, make_plan, run_cli

DOCS = (Path(__file__).parents[1] / "docs" / "exports.md").read_text()
HOSTILE = "\x1b]52;c;aGk=\x07 \x1b[2J\x9b31m \u202e reversed \x00 nul"


def scored(tmp_path: Path, *, recommendation: str | None = "yes",
           scores: dict[str, int] | None = None, summary: str = "Clear and careful.",
           evidence: str = "said so", sid: str = "ats00001") -> tuple[Path, dict[str, Any]]:
    """An ended interview in a database of its own, and its report (made with its events)."""
    db = tmp_path / f"{sid}.db"
    store = Store(db)
    clock = FakeClock()
    session = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                            candidate="Sam Lee", interviewer="Me")
    session.toggle_asked("q1")
    clock.advance(90)
    session.add_note("key moment", flagged=True)
    for criterion, score in (scores if scores is not None else {"c1": 2, "c2": 1}).items():
        session.set_score(criterion, score, evidence)
    session.set_recommendation(recommendation)
    session.set_summary(summary)
    session.end()
    events = store.events(sid)
    store.close()
    return db, report(replay(events), events)


def cli(db: Path, *args: str) -> Any:
    return run_cli("--db", str(db), "export", "ats00001", *args)


# --- our scales to theirs, as docs/exports.md's table says --------------------------------


def doc_rows() -> dict[str, list[str]]:
    """The mapping table of docs/exports.md: first cell -> the other cells."""
    section = DOCS.split("How our scales map", 1)[1].split("\n\n", 2)[1]
    rows = {}
    for row in section.splitlines()[2:]:
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


@pytest.mark.parametrize(("label", "value", "four"), [
    ("recommendation `strong yes` (the top of the plan's scale)", "strong yes", 4),
    ("`yes`", "yes", 3), ("`no`", "no", 2), ("`strong no` (the bottom)", "strong no", 1)])
def test_recommendations_map_as_the_docs_say(tmp_path: Path, label: str, value: str,
                                             four: int) -> None:
    greenhouse, lever, ashby = doc_rows()[label]
    _, r = scored(tmp_path, recommendation=value)
    assert ats.four_point(r) == four and ashby == str(four)
    assert f"`{ats.greenhouse_harvest(r)['overall_recommendation']}`" == greenhouse
    body = ats.lever_feedback(r, ats.Mapping())
    assert f"`{body['fieldValues'][0]['value']}`" == lever
    shape = ats.ashby_feedback(r, ats.Mapping())
    assert shape["feedbackForm"]["fieldSubmissions"][0]["value"]["score"] == four


def test_a_skipped_recommendation(tmp_path: Path) -> None:
    _, r = scored(tmp_path, recommendation=None)
    assert doc_rows()["skipped or not given"][0] == "`no_decision`"
    assert ats.greenhouse_harvest(r)["overall_recommendation"] == "no_decision"
    assert ats.lever_feedback(r, ats.Mapping())["fieldValues"][0]["value"] is None
    assert "score" not in ats.ashby_feedback(r, ats.Mapping())[
        "feedbackForm"]["fieldSubmissions"][0]["value"]


@pytest.mark.parametrize(("recommendation", "ratings", "fours"), [
    ("yes", ["yes", "mixed", "no"], [3, 2, 1]),
    ("strong yes", ["strong_yes", "mixed", "no"], [4, 2, 1]),
    ("strong no", ["yes", "mixed", "definitely_not"], [3, 2, 1]),
])
def test_criteria_map_as_the_docs_say(tmp_path: Path, recommendation: str, ratings: list[str],
                                      fours: list[int]) -> None:
    _, r = scored(tmp_path, recommendation=recommendation, scores={"c1": 2, "c2": 1, "c3": 0})
    card = ats.greenhouse_harvest(r)
    assert [a["rating"] for a in card["attributes"]] == ratings
    subs = ats.ashby_feedback(r, ats.Mapping())["feedbackForm"]["fieldSubmissions"]
    assert [s["value"]["score"] for s in subs[1:4]] == fours
    rows = doc_rows()
    assert rows[
        "criterion 2"][0] == "`yes` (`strong_yes` only when the recommendation is the top)"
    assert rows["criterion 1"][0] == "`mixed`"


# --- each shape, field by field ------------------------------------------------------------


def test_greenhouse_paste_and_harvest_json(tmp_path: Path) -> None:
    db, r = scored(tmp_path, scores={"c1": 2, "c2": 1})
    card = ats.greenhouse_harvest(r)
    assert list(card) == ["interview", "interviewed_at", "submitted_at",
                          "overall_recommendation", "attributes", "questions"]
    assert card["interview"] == "Plan screen"
    assert card["interviewed_at"] == r["started_at"]
    assert r["scorecard"]["state"] == "pending"  # c3 not scored: submitted at the end
    assert card["submitted_at"] == r["ended_at"]
    assert [list(a) for a in card["attributes"]] == [["name", "type", "note", "rating"]] * 3
    assert [(a["name"], a["type"], a["note"], a["rating"]) for a in card["attributes"]] == [
        ("Communication", "Rubric", "said so", "yes"), ("Design", "Rubric", "said so", "mixed"),
        ("Learning", "Rubric", None, "no_decision")]
    assert [q["question"] for q in card["questions"]] == ["Key Take-Aways", "Private Notes"]
    assert card["questions"][0]["answer"] == "Clear and careful."
    notes = card["questions"][1]["answer"]
    # Each question with its time against its budget (the pacing figures of the report).
    assert "- Tell me about a project. (took 01:30 of 02:30)" in notes and "key moment" in notes
    paste = ats.greenhouse_paste(r)
    assert paste.splitlines()[:4] == ["Communication: Yes", "Design: Mixed",
                                      "Learning: No Decision", "Overall recommendation: Yes"]
    assert paste.index("Key Take-Aways") < paste.index("Private Notes")
    # The CLI: -o writes both, 0600; stdout is the paste, stderr says how to get both.
    result = cli(db, "--format", "greenhouse")
    assert result.exit_code == 0 and result.stdout == paste
    assert "add -o FILE to write it as FILE.txt" in result.stderr
    result = cli(db, "--format", "greenhouse", "-o", str(tmp_path / "card.json"))
    assert result.exit_code == 0, result.output
    for suffix in (".txt", ".json"):
        assert stat.S_IMODE(os.stat(tmp_path / f"card{suffix}").st_mode) == 0o600
    assert (tmp_path / "card.txt").read_text() == paste
    assert json.loads((tmp_path / "card.json").read_text())["attributes"][0]["rating"] == "yes"
    (tmp_path / "card.txt").write_text("mine")
    (tmp_path / "card.json").unlink()
    result = cli(db, "--format", "greenhouse", "-o", str(tmp_path / "card"))
    assert result.exit_code == 2 and "card.txt already exists" in result.output
    assert not (tmp_path / "card.json").exists()  # both or neither
    assert cli(db, "--format", "greenhouse", "-o", str(tmp_path / "card"), "--force"
               ).exit_code == 0


def test_lever_without_a_mapping_says_so(tmp_path: Path) -> None:
    db, r = scored(tmp_path)
    body = ats.lever_feedback(r, ats.Mapping())
    assert list(body) == ["baseTemplateId", "fieldValues", "companion_note"]
    assert body["baseTemplateId"] == "companion-scorecard"
    ids = [v["id"] for v in body["fieldValues"]]
    assert ids == ["score", "summary", "evidence", "c1", "c2", "c3"]
    assert all(list(v) == ["id", "value"] for v in body["fieldValues"])
    values = {v["id"]: v["value"] for v in body["fieldValues"]}
    assert values["score"] == "3 - Hire"
    assert values["summary"].startswith("Clear and careful.\n\nQuestions asked")
    assert values["evidence"].splitlines()[0] == "Communication (2/2): said so"
    assert values["c1"] == "2/2: said so" and values["c3"] == "not scored: no evidence given"
    assert "Not mapped: template, score, summary, evidence, c1, c2, c3" in body["companion_note"]
    result = cli(db, "--format", "lever")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == body
    assert "warning: No Lever form mapping" in result.stderr


def test_ashby_body(tmp_path: Path) -> None:
    _, r = scored(tmp_path, scores={"c1": 2})
    body = ats.ashby_feedback(r, ats.Mapping())
    assert list(body) == ["formDefinitionId", "applicationId", "feedbackForm",
                          "companion_note"]
    subs = body["feedbackForm"]["fieldSubmissions"]
    assert [s["path"] for s in subs] == ["score", "c1", "c2", "c3", "summary"]
    assert subs[0]["value"] == {"score": 3, "comments": {"type": "PlainText",
                                                         "value": "Clear and careful."}}
    assert subs[1]["value"] == {"score": 3, "comments": {"type": "PlainText",
                                                         "value": "said so"}}
    assert "score" not in subs[2]["value"]  # not scored
    assert subs[-1]["value"]["type"] == "PlainText"
    assert "Questions asked" in subs[-1]["value"]["value"]


def test_the_mapping_file_gives_the_forms_ids(tmp_path: Path, isolated_home: Path) -> None:
    db, _ = scored(tmp_path)
    config = isolated_home / ".config" / "companion"
    config.mkdir(parents=True)
    (config / "ats.yaml").write_text(
        "lever:\n  template: tmpl-1\n  score: f-score\n  summary: f-sum\n  evidence: f-ev\n"
        "  criteria:\n    c1: f-c1\n    c2: 12345\n    c3: f-c3\n"
        "ashby:\n  template: form-9\n  score: overall\n  criteria:\n    c1: comm\n")
    result = cli(db, "--format", "lever")
    assert result.exit_code == 0 and "warning" not in result.stderr
    body = json.loads(result.stdout)
    assert body["baseTemplateId"] == "tmpl-1" and "companion_note" not in body
    assert [v["id"] for v in body["fieldValues"]] == ["f-score", "f-sum", "f-ev", "f-c1",
                                                      "12345", "f-c3"]
    result = cli(db, "--format", "ashby")
    body = json.loads(result.stdout)
    assert body["formDefinitionId"] == "form-9"
    assert [s["path"] for s in body["feedbackForm"]["fieldSubmissions"]][:2] == [
        "overall", "comm"]
    assert "Not mapped: summary, c2, c3" in body["companion_note"]
    assert "Not mapped: summary, c2, c3" in result.stderr


@pytest.mark.parametrize(("text", "where"), [
    ("lever:\n  templat: x\n", ":2: unknown key `templat` under `lever`"),
    ("greenhouse:\n  score: x\n", ":1: unknown system `greenhouse`"),
    ("lever:\n  criteria:\n    c1: [a, b]\n", ":3: `c1` must be a field id"),
    ("lever: !!python/object:os.system x\n", ":1:"),
    ("- a\n- b\n", ":1: expected a mapping"),
])
def test_a_bad_mapping_file_is_named_by_line(tmp_path: Path, isolated_home: Path,
                                             text: str, where: str) -> None:
    db, _ = scored(tmp_path)
    config = isolated_home / ".config" / "companion"
    config.mkdir(parents=True)
    (config / "ats.yaml").write_text(text)
    result = cli(db, "--format", "lever")
    assert result.exit_code == 2
    assert f"{config / 'ats.yaml'}{where}" in result.output


# --- what every shape carries ----------------------------------------------------------------


def shapes(r: dict[str, Any]) -> list[str]:
    return [part.text for system in ats.SYSTEMS
            for part in ats.ats_parts(r, system, ats.Mapping())] + [session_text(r)]


def test_every_shape_carries_question_times_and_ratings(tmp_path: Path) -> None:
    _, r = scored(tmp_path)
    # The pacing fields of the report (from the pacing work: seconds, budget, rating).
    question = r["sections"][0]["questions"][0]
    question.update(seconds=200.0, budget_seconds=300.0, rating="strong")
    for text in shapes(r):
        assert "Tell me about a project. (took 03:20 of 05:00 · rated strong)" in (
            text.replace("\\n", "\n"))


def test_hostile_and_huge_text_stays_safe_in_every_shape(tmp_path: Path) -> None:
    huge = "word " * 200_000  # a megabyte
    _, r = scored(tmp_path, summary=HOSTILE + "\n" + huge, evidence=HOSTILE)
    for text in shapes(r):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
        assert "␛]52;c;aGk=␇" in text
        assert text.count("word") >= 200_000  # nothing cut
    for system in ("lever", "ashby"):
        body = json.loads(ats.ats_parts(r, system, ats.Mapping())[0].text)
        assert json.dumps(body).count("word") >= 200_000


_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@settings(max_examples=40, deadline=None)
@given(text=st.text(min_size=1, max_size=200))
def test_any_text_in_any_field_reaches_no_shape_raw(text: str) -> None:
    """Whatever is typed (any code point) shows as text in every shape: no control or bidi
    character raw, the JSON bodies parse, and the paste's attribute lines stay ours."""
    sink = Recorder()
    clock = FakeClock()
    session = Session.start(make_plan(), clock, sink, session_id="hyp00001", candidate=text)
    session.toggle_asked("q1")
    session.add_note(text if text.strip() else "x", flagged=True)
    session.set_score("c1", 2, text)
    session.set_recommendation("yes")
    session.set_summary(text)
    session.end()
    r = report(replay(sink.events), sink.events)
    r["sections"][0]["questions"][0]["rating"] = text
    for shape in shapes(r):
        assert not _CONTROLS.search(shape.replace("\n", "").replace("\t", ""))
    for system in ("lever", "ashby"):
        json.loads(ats.ats_parts(r, system, ats.Mapping())[0].text)
    assert ats.greenhouse_paste(r).splitlines()[:3] == [
        "Communication: Yes", "Design: No Decision", "Learning: No Decision"]
