"""Calibration arithmetic (companion/calibration.py, docs/panel.md): own averages beside the
panel's, the difference on shared candidates, the lean, and how often a recommendation
matched the panel's median. Then `companion calibration`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import make_plan
from helpers import run_cli as run

from companion.clock import FakeClock
from companion.export.report import report
from companion.panel.calibration import Card, calibrate, card_from_report, card_from_state, lean
from companion.session import Session
from companion.store.database import Store

SCALE = ("strong no", "no", "yes", "strong yes")


def card(sid: str, who: str, candidate: str, scores: dict[str, int],
         recommendation: str | None = None, rubric: str = "rub") -> Card:
    return Card(sid, f"id:{candidate}", who, rubric, scores,
                {"c1": "Communication", "c2": "Design"}, recommendation, SCALE)


def person_row(result: dict, name: str) -> dict:  # type: ignore[type-arg]
    return next(p for p in result["interviewers"] if p["interviewer"] == name)


def test_a_strict_rater_half_a_point_below_the_panel() -> None:
    cards = [
        # Candidate A: Bob and Carol give 2 and 2, Stella (strict) 1.
        card("a1", "Bob", "A", {"c1": 2, "c2": 1}, "yes"),
        card("a2", "Carol", "A", {"c1": 2, "c2": 1}, "yes"),
        card("a3", "Stella", "A", {"c1": 1, "c2": 1}, "no"),
        # Candidate B: the others give 1 and 1, Stella 1: the same.
        card("b1", "Bob", "B", {"c1": 1, "c2": 2}, "no"),
        card("b2", "Carol", "B", {"c1": 1, "c2": 2}, "no"),
        card("b3", "Stella", "B", {"c1": 1, "c2": 1}, "no"),
    ]
    result = calibrate(cards)
    assert result["scorecards"] == 6 and result["candidates"] == 2
    stella = person_row(result, "Stella")
    c1 = next(c for c in stella["criteria"] if c["criterion"] == "c1")
    assert c1["average"] == 1.0 and c1["panel_average"] == 1.5
    # Two shared scores on c1: too few to call her stricter on it (3 are needed).
    assert c1["difference"] == -0.5 and c1["lean"] == "too few to tell"
    c2 = next(c for c in stella["criteria"] if c["criterion"] == "c2")
    assert (c2["average"], c2["panel_average"], c2["difference"]) == (1.0, 1.5, -0.5)
    # Over every shared score: (1-2) + (1-1) + (1-1) + (1-2) over 4 = -0.5.
    assert stella["difference"] == -0.5 and stella["lean"] == "stricter"
    assert stella["compared_scores"] == 4
    # Recommendations: on A the others say yes, yes (median yes) and she says no; on B they
    # say no, no and so does she. Matched 1 of 2, one step below on average over the two.
    rec = stella["recommendations"]
    assert rec == {"given": 2, "compared": 2, "matched": 1, "split": 0, "rate": 0.5,
                   "offset": -0.5}
    bob = person_row(result, "Bob")
    # Bob vs the mean of Carol and Stella on A (1.5) and on B (1): +0.25 overall on c1.
    c1 = next(c for c in bob["criteria"] if c["criterion"] == "c1")
    assert c1["panel_average"] == 1.25 and c1["difference"] == 0.25
    assert c1["lean"] == "too few to tell"
    assert bob["recommendations"]["rate"] == 1.0


def test_panel_average_is_per_candidate_and_excludes_the_rater() -> None:
    cards = [
        card("a1", "Ann", "A", {"c1": 0}),
        card("a2", "X", "A", {"c1": 2}), card("a3", "Y", "A", {"c1": 2}),
        card("a4", "Z", "A", {"c1": 2}),
        card("b1", "Ann", "B", {"c1": 2}),
        card("b2", "X", "B", {"c1": 0}),
        card("c1", "Ann", "C", {"c1": 1}),  # nobody else scored C: own average only
    ]
    ann = calibrate(cards, "ann")["interviewers"]
    assert [p["interviewer"] for p in ann] == ["Ann"]
    row = ann[0]["criteria"][0]
    # Own history: (0 + 2 + 1) / 3 = 1. Panel: A's others 2, B's others 0 -> (2 + 0) / 2 = 1,
    # each candidate weighing the same. Own on those two: (0 + 2) / 2 = 1, difference 0.
    assert (row["scores"], row["average"], row["shared"]) == (3, 1.0, 2)
    assert (row["own_on_shared"], row["panel_average"], row["difference"]) == (1.0, 1.0, 0.0)
    assert row["lean"] == "too few to tell"  # two shared scores
    cards.append(card("d1", "Ann", "D", {"c1": 1}))
    cards.append(card("d2", "X", "D", {"c1": 1}))
    assert calibrate(cards, "ann")["interviewers"][0]["criteria"][0]["lean"] == "in line"


def test_recommendation_median_and_split_panels() -> None:
    cards = [
        # Three others: no, yes, strong yes -> median yes (the middle one).
        card("a0", "Me", "A", {}, "yes"),
        card("a1", "P", "A", {}, "no"), card("a2", "Q", "A", {}, "yes"),
        card("a3", "R", "A", {}, "strong yes"),
        # Two others who disagree: split, not counted.
        card("b0", "Me", "B", {}, "no"),
        card("b1", "P", "B", {}, "no"), card("b2", "Q", "B", {}, "strong yes"),
        # Two others who agree: that is the panel's.
        card("c0", "Me", "C", {}, "strong no"),
        card("c1", "P", "C", {}, "no"), card("c2", "Q", "C", {}, "no"),
        # Nobody else: nothing to compare.
        card("d0", "Me", "D", {}, "yes"),
        # A recommendation not on the scale (or none) is not counted as given.
        card("e0", "Me", "E", {}, None),
    ]
    rec = calibrate(cards, "Me")["interviewers"][0]["recommendations"]
    assert rec == {"given": 4, "compared": 2, "matched": 1, "split": 1, "rate": 0.5,
                   "offset": -0.5}


def test_lean_thresholds() -> None:
    assert lean(None) is None
    assert lean(-1.5, 1) == lean(2.0, 2) == "too few to tell"
    assert lean(-0.5, 3) == "stricter" and lean(0.5, 3) == "more lenient"
    assert lean(-0.5) == "stricter" and lean(-0.49) == "in line"
    assert lean(0.5) == "more lenient" and lean(0.0) == "in line"
    assert calibrate([])["interviewers"] == []


def test_cards_from_sessions_and_reports() -> None:
    from helpers import Recorder

    clock = FakeClock()
    s = Session.start(make_plan(), clock, Recorder(), session_id="s1", candidate="Sam Lee",
                      interviewer="  Ada   Lovelace ")
    s.set_score("c1", 2, "x")
    s.set_recommendation("yes")
    assert card_from_state(s.state) is None  # not ended yet
    s.end()
    from_state = card_from_state(s.state)
    from_report = card_from_report(report(s.state, s.events))
    assert from_state == from_report
    assert from_state is not None
    assert from_state.interviewer == "Ada Lovelace" and from_state.candidate == "session:s1"
    assert from_state.scores == {"c1": 2} and from_state.scale == SCALE
    practice = Session.start(make_plan(mode="practice"), clock, Recorder(), candidate="me")
    practice.end()
    assert card_from_state(practice.state) is None


# --- the command ----------------------------------------------------------------------------


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "cal.db"
    clock = FakeClock()
    with Store(path) as store:
        for sid, who, cand, scores, rec in (
                ("a1", "Bob", "A", {"c1": 2, "c2": 1}, "yes"),
                ("a2", "Stella", "A", {"c1": 1, "c2": 1}, "no"),
                ("b1", "Bob", "B", {"c1": 1, "c2": 2}, "no"),
                ("b2", "Stella", "B", {"c1": 1, "c2": 1}, "no")):
            s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                              candidate=f"Candidate {cand}", candidate_id=f"cand-{cand}",
                              interviewer=who)
            clock.advance(60)
            for criterion, score in scores.items():
                s.set_score(criterion, score, "because")
            s.set_recommendation(rec)
            s.set_summary("fine")
            s.end()
            clock.advance(2 * 3600 if who == "Stella" else 600)
            s.set_summary("fine, rewritten later: the time to complete is kept")
    return path


def test_calibration_command(db: Path) -> None:
    result = run("--db", str(db), "calibration")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Calibration over 4 scorecard(s) of 2 candidate(s)")
    assert "Stella: 2 scorecard(s), 2 candidate(s)" in out
    assert "scores vs panel: -0.50 on average over 4 shared score(s): stricter" in out
    assert "recommendation matched the panel 1 of 2 time(s) (50%)" in out
    assert "Communication  1.00 (2)    1.50 (2)    -0.50 too few to tell" in out
    # c3 was never scored: both of Stella's scorecards are pending.
    assert "time to complete: none of 2 complete yet" in out
    as_json = json.loads(run("--db", str(db), "calibration", "--json", "--interviewer",
                             "STELLA").stdout)
    assert [p["interviewer"] for p in as_json["interviewers"]] == ["Stella"]
    assert as_json["min_shared"] == 3
    assert as_json["interviewers"][0]["timeliness"] == {
        "scorecards": 2, "complete": 0, "pending": 2, "median_seconds": None,
        "within_1h": 0.0, "within_24h": 0.0}
    assert as_json["interviewers"][0]["difference"] == -0.5
    unknown = run("--db", str(db), "calibration", "--interviewer", "Nobody")
    assert unknown.exit_code == 2 and "no ended interview scorecards by 'Nobody'" in \
        unknown.stderr and "Bob, Stella" in unknown.stderr


def test_two_sessions_that_only_share_a_name_are_two_candidates_until_merged(
        tmp_path: Path) -> None:
    path = tmp_path / "names.db"
    clock = FakeClock()
    with Store(path) as store:
        for sid, who, cid in (("n1", "Bob", "sam@example.org"), ("n2", "Stella", "")):
            s = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                              candidate="Sam Lee", candidate_id=cid, interviewer=who)
            for criterion in ("c1", "c2", "c3"):
                s.set_score(criterion, 1 if who == "Bob" else 0, "because")
            s.set_recommendation("yes")
            s.set_summary("fine")
            s.end()
            if who == "Stella":  # complete at the end, amended 2 h later: the time is kept
                clock.advance(7200)
                s.set_summary("fine, rewritten")
                s.set_score("c1", 0, "still")
    out = run("--db", str(path), "calibration").stdout
    assert out.startswith("Calibration over 2 scorecard(s) of 2 candidate(s)")
    assert run("--db", str(path), "candidates", "merge", "n2", "--into",
               "sam@example.org").exit_code == 0
    out = run("--db", str(path), "calibration").stdout
    assert out.startswith("Calibration over 2 scorecard(s) of 1 candidate(s)")
    assert "Stella: 1 scorecard(s), 1 candidate(s)" in out
    # Three shared scores, each one below Bob's: stricter.
    assert "scores vs panel: -1.00 on average over 3 shared score(s): stricter" in out
    assert "time to complete: median 0 min; 100% within 1 h, 100% within 24 h (of 1)" in out


def test_calibration_command_on_an_empty_database(tmp_path: Path) -> None:
    result = run("--db", str(tmp_path / "empty.db"), "calibration")
    assert result.exit_code == 0 and "No ended interview scorecards" in result.stdout


def test_calibration_table_in_the_debrief_formats() -> None:
    from companion.export.html import _calibration_html
    from companion.export.markdown import _calibration_markdown
    from companion.export.matrix import criterion_matrix

    cal = calibrate([
        card("a1", "Bob", "A", {"c1": 2, "c2": 1}, "yes"),
        card("a2", "Stella", "A", {"c1": 1}, "no"),
    ])
    matrix = criterion_matrix(cal)
    names = [p["interviewer"] for p in cal["interviewers"]]
    titles = [title for title, _ in matrix]
    assert sorted(titles) == ["Communication", "Design"]
    design = dict(matrix)["Design"]
    assert design[names.index("Stella")] is None, "Stella never scored Design"
    assert design[names.index("Bob")]["average"] == 1.0  # type: ignore[index]
    cal["based_on"] = "panel"
    markdown = "\n".join(_calibration_markdown({"calibration": cal}))
    row = next(line for line in markdown.splitlines() if line.startswith("| Communication"))
    assert row.count("|") == len(names) + 2 and "2.00 / 1.00" in row
    html = _calibration_html({"calibration": cal})
    assert "Communication" in html and '<td class="num none">-</td>' in html
