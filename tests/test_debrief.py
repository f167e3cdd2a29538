"""The debrief: a candidate's interview sessions side by side. The pure `debrief()` finds the
gaps (criteria nobody has evidence for), the conflicts (scores two apart) and the missing
scorecards (sessions not ended); practice sessions stay out. Then the renderers and
`companion export --candidate`."""

from __future__ import annotations

import re
import stat
from pathlib import Path
from typing import Any

import pytest
from helpers import Recorder, make_plan
from helpers import run_cli as run
from markdown_it import MarkdownIt

from companion.clock import FakeClock
from companion.export.html import debrief_html
from companion.export.markdown import debrief_markdown
from companion.export.report import report
from companion.panel.debrief import NO_INTERVIEWER, debrief
from companion.session import Session
from companion.store.database import Store


def scorecard(clock: FakeClock, sid: str, interviewer: str, scores: dict[str, tuple[int, str]],
              *, recommendation: str | None = "yes", summary: str = "", finish: str = "end",
              mode: str = "interview", candidate: str = "Sam Lee",
              candidate_id: str = "sam@example.org", sink: Any = None) -> dict[str, Any]:
    """A session on make_plan()'s rubric (c1 Communication, c2 Design, c3 Learning), as a
    report; `scores` maps criterion -> (score, evidence)."""
    session = Session.start(make_plan(mode=mode), clock, sink or Recorder(), session_id=sid,
                            candidate=candidate, candidate_id=candidate_id,
                            interviewer=interviewer)
    clock.advance(600)
    session.add_note(f"note by {interviewer}")
    if mode == "practice" and any(score == 2 for score, _ in scores.values()):
        session.set_postmortem("what went wrong")
    for criterion, (score, evidence) in scores.items():
        session.set_score(criterion, score, evidence)
    if recommendation and mode != "practice":
        session.set_recommendation(recommendation)
    if summary:
        session.set_summary(summary)
    clock.advance(60)
    if finish == "end":
        session.end()
    elif finish == "abandon":
        session.abandon()
    return report(session.state, session.events)


@pytest.fixture
def reports() -> list[dict[str, Any]]:
    clock = FakeClock()
    ada = scorecard(clock, "ada00001", "Ada", {"c1": (2, "explained raft clearly"),
                                              "c2": (0, "")},
                    recommendation="yes", summary="Strong communicator.")
    clock.advance(3600)
    bob = scorecard(clock, "bob00002", "Bob", {"c1": (1, "some rambling"), "c2": (2, "")},
                    recommendation="strong yes", summary="Deep on storage.")
    clock.advance(3600)
    open_ = scorecard(clock, "car00003", "Carol", {"c1": (0, "nothing")}, finish="none")
    clock.advance(3600)
    dropped = scorecard(clock, "dan00004", "Dan", {}, finish="abandon")
    clock.advance(3600)
    practice = scorecard(clock, "prc00005", "", {"c1": (0, "")}, mode="practice")
    # In any order: the debrief sorts by start time.
    return [practice, bob, dropped, open_, ada]


def test_gaps_conflicts_and_missing(reports: list[dict[str, Any]]) -> None:
    d = debrief(reports)
    assert [r["session_id"] for r in d["sessions"]] == ["ada00001", "bob00002"]
    assert [(m["session_id"], m["status"], m["interviewer"]) for m in d["missing"]] == [
        ("car00003", "running", "Carol"), ("dan00004", "abandoned", "Dan")]
    assert d["practice_left_out"] == 1
    assert d["candidate"] == {"name": "Sam Lee", "id": "sam@example.org"}

    (rubric,) = d["rubrics"]
    assert [c["interviewer"] for c in rubric["columns"]] == ["Ada", "Bob"]
    matrix = {row["criterion"]: [c["score"] for c in row["cells"]] for row in rubric["rows"]}
    assert matrix == {"c1": [2, 1], "c2": [0, 2], "c3": [None, None]}
    assert [(t["total"], t["max"]) for t in rubric["totals"]] == [(2, 6), (3, 6)]

    # c2: scored 0 and 2 (a conflict), neither with evidence (a gap); c3: nobody scored it.
    assert [(c["criterion"], c["low"], c["high"]) for c in d["conflicts"]] == [("c2", 0, 2)]
    assert [(s["interviewer"], s["score"]) for s in d["conflicts"][0]["scores"]] == [
        ("Ada", 0), ("Bob", 2)]
    assert [(g["criterion"], g["scored_by"]) for g in d["gaps"]] == [
        ("c2", ["Ada", "Bob"]), ("c3", [])]

    assert [(r["interviewer"], r["recommendation"]) for r in d["recommendations"]] == [
        ("Ada", "yes"), ("Bob", "strong yes")]
    assert [(s["interviewer"], s["summary"]) for s in d["summaries"]] == [
        ("Ada", "Strong communicator."), ("Bob", "Deep on storage.")]


def test_one_apart_is_no_conflict_and_one_evidence_closes_a_gap() -> None:
    clock = FakeClock()
    a = scorecard(clock, "a1", "Ada", {"c1": (1, ""), "c2": (2, "drew the write path")})
    b = scorecard(clock, "b1", "Bob", {"c1": (2, ""), "c2": (1, ""), "c3": (0, "none")})
    d = debrief([a, b])
    assert d["conflicts"] == []
    assert [g["criterion"] for g in d["gaps"]] == ["c1"]


def test_whitespace_evidence_is_no_evidence_and_unnamed_interviewers() -> None:
    clock = FakeClock()
    a = scorecard(clock, "a1", "", {"c1": (0, "   ")}, recommendation=None)
    d = debrief([a])
    assert [g["criterion"] for g in d["gaps"]] == ["c1", "c2", "c3"]
    assert d["recommendations"][0]["interviewer"] == NO_INTERVIEWER
    assert d["recommendations"][0]["recommendation"] == "not given"


def test_different_candidate_ids_are_reported() -> None:
    clock = FakeClock()
    a = scorecard(clock, "a1", "Ada", {}, candidate_id="one@example.org")
    b = scorecard(clock, "b1", "Bob", {}, candidate_id="two@example.org")
    d = debrief([a, b])
    assert d["candidate_ids"] == ["one@example.org", "two@example.org"]
    assert d["candidate"]["id"] is None
    assert "different candidate ids" in debrief_markdown(d)
    assert "different candidate ids" in debrief_html(d)


def test_only_practice_gives_an_empty_debrief() -> None:
    clock = FakeClock()
    d = debrief([scorecard(clock, "p1", "", {}, mode="practice")])
    assert d["sessions"] == [] and d["missing"] == [] and d["practice_left_out"] == 1


# --- renderers ----------------------------------------------------------------------------


def test_debrief_markdown(reports: list[dict[str, Any]]) -> None:
    md = debrief_markdown(debrief(reports))
    assert md.startswith("# Debrief: Sam Lee (sam\u2060@example.org)")  # no mailto link
    assert "| Criterion | Ada · Plan screen | Bob · Plan screen |" in md
    assert "| Communication | 2 | 1 |" in md
    assert "| Design | 0 (no evidence) | 2 (no evidence) |" in md
    assert "| **Total** | **2/6** | **3/6** |" in md
    assert "- Design: Ada gave 0; Bob gave 2" in md
    assert "- Learning (not scored)" in md
    assert "- Design (scored without evidence by Ada, Bob)" in md
    assert "## Missing scorecards" in md and "car00003" in md and "abandoned" in md
    assert "| Ada | Plan screen | yes | 2/6 |" in md
    assert "Strong communicator." in md and "Deep on storage." in md
    assert "Practice sessions left out:** 1" in md and "prc00005" not in md
    # Each scorecard in full, one heading level down.
    assert md.count("\n### Plan screen: Sam Lee") == 2
    html = MarkdownIt("commonmark").enable("table").render(md)
    for table in re.findall(r"<table>.*?</table>", html, re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
        assert len({len(re.findall(r"<t[hd][ >]", row)) for row in rows}) == 1


def test_debrief_renderers_escape_user_text() -> None:
    clock = FakeClock()
    evil = "<script>alert(1)</script> | `x`"
    a = scorecard(clock, "a1", evil, {"c1": (0, evil)}, summary=evil, candidate=evil)
    b = scorecard(clock, "b1", "Bob", {"c1": (2, "clear")})
    d = debrief([a, b])
    out = debrief_html(d)
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert 'class="score s0 conflict"' in out
    md = debrief_markdown(d)
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script" not in html
    matrix = next(t for t in re.findall(r"<table>.*?</table>", html, re.DOTALL)
                  if "Communication" in t and "Bob" in t)
    rows = re.findall(r"<tr>(.*?)</tr>", matrix, re.DOTALL)
    assert {len(re.findall(r"<t[hd][ >]", row)) for row in rows} == {3}


def test_debrief_html(reports: list[dict[str, Any]]) -> None:
    out = debrief_html(debrief(reports))
    assert "<script" not in out and "@page { size: A4" in out
    assert "Missing scorecards" in out and "car00003" in out
    assert "Conflicts" in out and "Gaps" in out
    assert out.count('<article class="session"') == 2


# --- the command --------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "debrief.db"
    clock = FakeClock()
    with Store(path) as store:
        for sid, who, scores, finish in (
            ("ada00001", "Ada", {"c1": (2, "clear"), "c2": (0, "")}, "end"),
            ("bob00002", "Bob", {"c1": (2, "crisp"), "c2": (2, "")}, "end"),
            ("car00003", "Carol", {}, "none"),
        ):
            scorecard(clock, sid, who, scores, finish=finish, sink=store.sink(sid),
                      candidate="Sam Lee" if who != "Bob" else "SAM LEE")
            clock.advance(3600)
        scorecard(clock, "prc00004", "", {"c1": (1, "")}, mode="practice",
                  sink=store.sink("prc00004"))
        scorecard(clock, "oth00005", "Ada", {"c1": (1, "")}, candidate="Other Person",
                  candidate_id="other@example.org", sink=store.sink("oth00005"))
    return path


@pytest.mark.parametrize("who", ["sam lee", "sam@example.org"])
def test_export_candidate_markdown(db: Path, who: str) -> None:
    result = run("--db", str(db), "export", "--candidate", who)
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert md.startswith("# Debrief: ")
    assert "| Criterion | Ada · Plan screen | Bob · Plan screen |" in md
    assert "- Design: Ada gave 0; Bob gave 2" in md
    assert "car00003" in md and "Missing scorecards" in md
    assert "Other Person" not in md and "prc00004" not in md
    assert "1 session(s) not ended" in result.stderr


def test_export_candidate_html_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "debrief.html"
    result = run("--db", str(db), "export", "--candidate", "Sam Lee", "-o", str(target))
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    out = target.read_text(encoding="utf-8")
    assert out.startswith("<!DOCTYPE html>") and "Debrief: " in out
    again = run("--db", str(db), "export", "--candidate", "Sam Lee", "-o", str(target))
    assert again.exit_code == 2 and "--force" in again.stderr


def test_export_candidate_errors(db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "export", "--candidate", "Nobody")
    assert result.exit_code == 2 and "no sessions for candidate 'Nobody'" in result.stderr
    with Store(tmp_path / "practice.db") as store:
        scorecard(FakeClock(), "p1", "", {}, mode="practice", candidate="Pat",
                  sink=store.sink("p1"))
    result = run("--db", str(tmp_path / "practice.db"), "export", "--candidate", "pat")
    assert result.exit_code == 2 and "only practice sessions" in result.stderr


def test_the_debrief_shows_each_question_against_its_budget_and_its_rating() -> None:
    clock = FakeClock()
    session = Session.start(make_plan(), clock, Recorder(), session_id="rat00001",
                            candidate="Sam Lee", interviewer="Ada")
    session.toggle_asked("q1")
    clock.advance(200)  # the intro's 5 minutes shared by two questions: 2:30 each
    session.rate_question("q1", "mixed")
    session.toggle_asked("q2")
    clock.advance(30)
    session.end()
    d = debrief([report(session.state, session.events)])
    assert [(q["id"], q["seconds"], q["budget_seconds"], q["rating"])
            for q in d["questions"]] == [("q1", 200.0, 150.0, "mixed"),
                                         ("q2", 30.0, 100.0, None)]
    markdown = debrief_markdown(d)
    assert "| Ada | Tell me about a project. | 03:20 | 02:30 | mixed |" in markdown
    assert "02:30</td><td>mixed</td>" in debrief_html(d)
