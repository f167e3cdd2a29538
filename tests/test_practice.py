"""Practice mode: the draw rules, the trend arithmetic, the stats command, and one practice
session driven end to end with the fake clock and a seeded generator."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import TextArea

from companion.cli.launch import create_app
from companion.cli.root import main
from companion.clock import FakeClock
from companion.content.library import Library, Source, draw, load_library
from companion.model import TagQuery
from companion.practice.draws import (
    WINDOW,
    PracticeError,
    criterion_averages,
    practice_history,
    practice_plan,
    weakest,
)
from companion.practice.stats import practice_stats
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.live import LiveScreen
from companion.tui.screens.rubric import RubricScreen
from companion.tui.screens.summary import SummaryScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture(scope="module")
def lib() -> Library:
    library = load_library([Source("fixtures", (FIXTURES,))])
    assert not library.problems
    return library


def _practise(store: Store, clock: FakeClock, lib: Library, scores: dict[str, int],
              rng: random.Random, postmortem: str = "went fine") -> Session:
    plan = practice_plan(lib, store, "t-practice", candidate="me", rng=rng)
    sid = f"p{rng.randrange(10**7):07d}"
    session = Session.start(plan, clock, store.sink(sid), session_id=sid, candidate="me")
    clock.advance(400)
    session.next_section()
    session.set_postmortem(postmortem)
    for criterion, score in scores.items():
        session.set_score(criterion, score, "because")
    session.end()
    clock.advance(86_400)
    return session


def test_draw_avoids_recent_questions(tmp_path: Path, lib: Library) -> None:
    store = Store(tmp_path / "p.db")
    clock = FakeClock()
    rng = random.Random(7)
    first = _practise(store, clock, lib, {"clarity": 1}, rng)
    second = _practise(store, clock, lib, {"clarity": 1}, rng)
    third = _practise(store, clock, lib, {"clarity": 1}, rng)
    drawn = [s.state.sections[0].prompts[0].id for s in (first, second, third)]
    assert len(set(drawn)) == 3, "a 3-question bank gives three different questions"
    # The bank is now exhausted within the window: the draw falls back to a repeat.
    fourth = _practise(store, clock, lib, {"clarity": 1}, rng)
    assert fourth.state.sections[0].prompts[0].id in drawn


def test_bank_smaller_than_window_still_draws(lib: Library) -> None:
    bank = lib.banks["t-design"]
    every = frozenset(f"t-design/{q.id}" for q in bank.questions)
    picked = draw(bank, TagQuery("t-design", count=2), None, None, random.Random(1), every)
    assert len(picked) == 2 and len({q.id for q in picked}) == 2
    assert WINDOW >= 1


def test_weighting_favours_the_weakest_criterion(lib: Library) -> None:
    bank = lib.banks["t-design"]
    query = TagQuery("t-design", count=1)
    rng = random.Random(3)
    counts: dict[str, int] = {}
    for _ in range(2000):
        q = draw(bank, query, None, None, rng, weights={"clarity": 3.0})[0]
        counts[q.id] = counts.get(q.id, 0) + 1
    # rate-limiter names "clarity": weight 4 against 1 and 1, so about 4/6 of draws.
    assert 0.6 < counts["rate-limiter"] / 2000 < 0.73


def test_question_chosen_by_id(tmp_path: Path, lib: Library) -> None:
    store = Store(tmp_path / "q.db")
    plan = practice_plan(lib, store, "t-practice", candidate="me", rng=random.Random(1),
                         question="queue")
    assert plan.sections[0].prompts[0].id == "t-design/queue"
    with pytest.raises(PracticeError, match="no question 'nope'"):
        practice_plan(lib, store, "t-practice", candidate="me", rng=random.Random(1),
                      question="nope")


def test_trend_arithmetic_and_advice(tmp_path: Path, lib: Library) -> None:
    store = Store(tmp_path / "t.db")
    clock = FakeClock()
    rng = random.Random(5)
    for clarity, depth in ((0, 1), (1, 1), (2, 1)):
        _practise(store, clock, lib, {"clarity": clarity, "depth": depth}, rng)
    history = practice_history(store, "me")
    averages = criterion_averages(history)
    assert averages == {"clarity": 1.0, "depth": 1.0}
    assert weakest(averages) == "clarity"  # ties broken by id, stable
    result = practice_stats(history, lib).to_json()
    assert result["sessions"] == 3
    assert [t["total"] for t in result["totals"]] == [1, 2, 3]
    advice = result["advice"][0]
    assert advice["average"] == 2.0 and advice["threshold"] == 3 and advice["below"]
    assert "narrow the scope of t-practice" in advice["suggestion"]
    assert result["reps_per_plan"] == {"t-practice": 3}
    assert sum(result["reps_per_week"].values()) == 3
    times = result["section_times"][0]
    assert times["section"] == "Answer" and times["average_used_seconds"] == 400


def test_the_trend_shows_time_per_question_against_its_budget(tmp_path: Path,
                                                             lib: Library) -> None:
    """The same budgets pace practice: one question in a 10-minute section has all 10; the
    trend lists each session's time per question against it, oldest first."""
    store = Store(tmp_path / "q.db")
    clock = FakeClock()
    rng = random.Random(5)
    for seconds in (900, 450):
        plan = practice_plan(lib, store, "t-practice", candidate="me", rng=rng)
        sid = f"q{seconds}"
        session = Session.start(plan, clock, store.sink(sid), session_id=sid, candidate="me")
        session.toggle_asked(session.state.section.prompts[0].id)
        clock.advance(seconds)
        session.next_section()
        session.end()
        clock.advance(86_400)
    result = practice_stats(practice_history(store, "me"), lib)
    assert [(row.session_id, row.seconds, row.budget_seconds)
            for row in result.question_pace] == [("q900", 900.0, 600.0),
                                                 ("q450", 450.0, 600.0)]
    assert result.to_json()["question_pace"][0]["budget_seconds"] == 600.0
    from companion.tui.screens.stats import stats_body  # the trend screen says it too

    assert "1.5× 0.8× budget (last: 1 question, 07:30 of 10:00)" in stats_body(result).plain
    store.close()
    text = CliRunner().invoke(main, ["stats", "--db", str(tmp_path / "q.db"), "--plans",
                                     str(FIXTURES)]).output
    assert ("Time per question, against its budget (oldest first): 1.5× 0.8× budget "
            "(last: 1 question, 07:30 of 10:00)") in text


def test_empty_stats() -> None:
    result = practice_stats([], None).to_json()
    assert result["sessions"] == 0 and result["advice"] == [] and result["weakest"] is None


def test_stats_command(tmp_path: Path, lib: Library) -> None:
    db = tmp_path / "s.db"
    runner = CliRunner()
    empty = runner.invoke(main, ["stats", "--json", "--db", str(db)])
    assert empty.exit_code == 0 and json.loads(empty.stdout)["sessions"] == 0
    assert "No practice yet" in runner.invoke(main, ["stats", "--db", str(db)]).output
    store = Store(db)
    clock = FakeClock()
    rng = random.Random(2)
    for score in (2, 1):
        _practise(store, clock, lib, {"clarity": score, "depth": score}, rng)
    store.close()
    out = runner.invoke(main, ["stats", "--json", "--db", str(db), "--plans", str(FIXTURES)])
    data = json.loads(out.output)
    assert data["sessions"] == 2 and [t["total"] for t in data["totals"]] == [4, 2]
    text = runner.invoke(main, ["stats", "--db", str(db), "--plans", str(FIXTURES)]).output
    assert "Weakest criterion" in text and "t-practice: average 3.0/4" in text


def test_practice_refuses_an_interview_plan(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["practice", "t-live", "--plans", str(FIXTURES),
                                       "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "not a practice plan" in result.output and "t-practice" in result.output


async def test_practice_session_end_to_end(tmp_path: Path, lib: Library) -> None:
    store = Store(tmp_path / "e2e.db")
    clock = FakeClock()
    plan = practice_plan(lib, store, "t-practice", candidate="me", rng=random.Random(11))
    session = Session.start(plan, clock, store.sink("prac0001"), session_id="prac0001",
                            candidate="me", run=False)
    app = create_app(store, clock, lib, session, tick=10_000, think=30, seed=11)
    async with app.run_test(size=(100, 36)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert not session.state.running, "think time: the clock has not started"
        clock.advance(31)
        screen.on_tick()
        assert session.state.running
        first = session.state.section.prompts[0]
        # Follow-ups stay hidden until asked for.
        assert "hidden: F2" in str(screen.query_one("#prompts").children[0].render())
        await pilot.press("f2")
        assert first.follow_ups[0] in str(screen.query_one("#prompts").children[0].render())
        # Redraw before answering: another question, the clock restarts.
        clock.advance(20)
        await pilot.press("ctrl+o")
        assert session.state.section.prompts[0].id != first.id
        assert session.state.section_used(0, session.now()) == pytest.approx(0)
        screen.query_one("#note", TextArea).text = "cache the hot keys\nshard by tenant"
        clock.advance(700)  # a 10-minute section: time is up
        screen.on_tick()
        await pilot.pause()
        assert screen.time_up
        await pilot.press("x")  # any key goes to scoring
        assert isinstance(app.screen, RubricScreen)
        rubric = app.screen
        assert "What a strong answer shows" in str(rubric.query_one("#look-fors").render())
        await pilot.press("2")
        rubric_input = app.screen.query_one("#text")
        rubric_input.value = "asked about the traffic first"  # type: ignore[attr-defined]
        await pilot.press("enter")
        rubric.query_one("#postmortem", TextArea).text = "Went well: numbers first."
        rubric.query_one("#criterion-depth").focus()
        await pilot.press("1", "enter", "y")
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, SummaryScreen)
    types = [e.type for e in store.events("prac0001")]
    assert types.index("questions_drawn") < types.index("section_restarted")
    assert "note_added" in types and "postmortem_set" in types
    assert types[-1] == "session_ended"
    state = session.state
    assert state.total == 3 and state.postmortem == "Went well: numbers first."
    notes = [n.text for n in state.notes]
    assert notes == ["cache the hot keys\nshard by tenant"]
    assert state.section_used(0) >= 600, "the overrun is counted for the record"


async def test_time_up_moves_to_the_next_section_then_to_scoring(tmp_path: Path) -> None:
    lib = load_library([Source("fixtures", (FIXTURES, FIXTURES.parent / "practice-two"))])
    store = Store(tmp_path / "two.db")
    clock = FakeClock()
    plan = practice_plan(lib, store, "t-practice-two", candidate="me", rng=random.Random(1))
    session = Session.start(plan, clock, store.sink("two00001"), session_id="two00001",
                            candidate="me")
    app = create_app(store, clock, lib, session, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        clock.advance(61)
        screen.on_tick()  # type: ignore[attr-defined]
        assert "next section" in screen.notice  # type: ignore[attr-defined]
        await pilot.press("space")
        assert session.state.current == 1 and isinstance(app.screen, LiveScreen)
        clock.advance(121)
        screen.on_tick()  # type: ignore[attr-defined]
        assert "score" in screen.notice  # type: ignore[attr-defined]
        await pilot.press("space")
        assert isinstance(app.screen, RubricScreen)
    assert session.state.sections[0].used == pytest.approx(61)


def test_stats_command_reads_the_content_for_advice_only(tmp_path: Path, lib: Library) -> None:
    """The trend comes from the listing; the content is read when advice needs a plan."""
    db = tmp_path / "a.db"
    store = Store(db)
    clock = FakeClock()
    rng = random.Random(4)
    for _ in range(3):
        _practise(store, clock, lib, {"clarity": 0, "depth": 1}, rng)
    store.close()
    text = CliRunner().invoke(main, ["stats", "--db", str(db), "--plans", str(FIXTURES)])
    assert text.exit_code == 0, text.output
    assert "below the pass mark" in text.output
    assert "Below the pass mark on average over the last 3" in text.output
