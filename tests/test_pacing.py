"""Pacing arithmetic (companion.pacing): question budgets, time per question, ahead/behind
the plan with pauses, the protected end, and the line the live screen shows."""

from __future__ import annotations

import pytest
from helpers import Recorder
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.events import Event, EventError, decode, next_rating
from companion.model import Prompt, SectionPlan, SessionPlan
from companion.pacing import (
    behind,
    pace,
    pace_fitted,
    pace_words,
    plan_shares,
    protected_shortfall,
    section_questions,
)
from companion.session import Session, SessionError, replay


def _plan(*sections: tuple[float, tuple[int | None, ...]], protect_last: bool = True
          ) -> SessionPlan:
    """Sections of (minutes, question minutes); the last is the candidate's questions."""
    built = []
    for index, (minutes, questions) in enumerate(sections):
        prompts = tuple(Prompt(f"s{index}q{n}", f"Question {n}", minutes=m)
                        for n, m in enumerate(questions))
        last = index == len(sections) - 1
        built.append(SectionPlan("Candidate questions" if last else f"Part {index + 1}",
                                 minutes, prompts=prompts, protected=protect_last and last))
    return SessionPlan("p", "Plan", "interview", tuple(built))


def _session(plan: SessionPlan) -> tuple[Session, FakeClock]:
    clock = FakeClock()
    return Session.start(plan, clock, Recorder(), candidate="Sam"), clock


def test_questions_without_minutes_share_what_the_section_has_left() -> None:
    session, clock = _session(_plan((10, (4, None, None)), (5, ())))
    section = session.state.sections[0]
    assert plan_shares(section) == {"s0q0": 240.0, "s0q1": 180.0, "s0q2": 180.0}
    session.toggle_asked("s0q1")  # at 0:00: (600 - 240) / 2
    clock.advance(300)  # it took 5 min: the other shared question gets what is left
    session.toggle_asked("s0q0")
    times = {q.prompt.id: q for q in section_questions(session.state, 0, session.now())}
    assert times["s0q1"].budget == 180.0 and times["s0q1"].seconds == 300.0
    assert times["s0q0"].budget == 240.0 and times["s0q0"].running
    # 300 s left, the running question has 240 to go: the last one gets 60.
    assert times["s0q2"].budget == 60.0


def test_behind_ahead_and_on_plan() -> None:
    session, clock = _session(_plan((10, (5, 5)), (10, ())))
    assert behind(session.state, session.now()) == 0.0
    session.toggle_asked("s0q0")
    clock.advance(420)  # 7 min on a 5-minute question
    assert behind(session.state, session.now()) == 120.0
    assert pace_words(pace(session.state, session.now())).startswith("▼ 2 min behind")
    session.toggle_asked("s0q1")
    clock.advance(60)  # the second took 1 of its 5: 7 + 1 + 10 = 18 of 20
    session.next_section()
    assert behind(session.state, session.now()) == -120.0
    assert pace_words(pace(session.state, session.now())).startswith("▲ 2 min ahead")


def test_until_a_question_is_asked_the_section_clock_rules() -> None:
    session, clock = _session(_plan((10, (None, None)), (10, ())))
    clock.advance(540)
    assert behind(session.state, session.now()) == 0.0
    assert "● on plan" in pace_words(pace(session.state, session.now()))
    clock.advance(180)  # 12 min in a 10-minute section
    assert behind(session.state, session.now()) == 120.0


def test_a_pause_counts_for_nothing() -> None:
    session, clock = _session(_plan((10, (5, 5)), (10, ())))
    session.toggle_asked("s0q0")
    clock.advance(60)
    session.pause()
    clock.advance(3600)
    session.resume()
    clock.advance(60)
    first = section_questions(session.state, 0, session.now())[0]
    assert first.seconds == 120.0
    assert behind(session.state, session.now()) == 0.0


def test_the_protected_end_says_what_it_will_get_while_there_is_time() -> None:
    session, clock = _session(_plan((10, (5, 5)), (10, ())))
    session.toggle_asked("s0q0")
    clock.advance(720)  # 12 min on the first 5-minute question: 7 behind
    short = protected_shortfall(session.state, session.now())
    assert short is not None and short.title == "Candidate questions"
    assert (short.planned, short.gets) == (600.0, 180.0)
    words = pace_words(pace(session.state, session.now()))
    assert "⚠ Candidate questions will get 3 of its 10 min at this pace" in words
    session.next_section()  # it has started: too late to act, nothing to say
    assert protected_shortfall(session.state, session.now()) is None


def test_the_line_names_the_running_question_and_what_is_left() -> None:
    session, clock = _session(_plan((10, (4, None)), (5, ())))
    assert "next question 4 min" in pace_words(pace(session.state, session.now()))
    assert "next question 6 min" in pace_words(pace(session.state, session.now(), "s0q1"))
    session.toggle_asked("s0q0")
    clock.advance(150)
    words = pace_words(pace(session.state, session.now()))
    assert "question 2 of 4 min" in words and "1 question left in 7 min" in words
    # A narrow screen (60 columns) gets the same figures in fewer words, whole.
    short = pace_words(pace(session.state, session.now()), compact=True)
    assert short == "● on plan · q 2/4 min · 1 q left in 7 min"
    clock.advance(200)
    late = pace(session.state, session.now())
    assert "q 5/4 min (over)" in pace_words(late, compact=True)
    # Too long even so (the protected end's warning too): the last parts go, never the
    # pace or the warning.
    assert pace_fitted(late, 58) == "▼ 2 min behind · ⚠ Candidate questions: 3 of 5 min"
    assert pace_fitted(late, 200) == pace_words(late)


@settings(deadline=None, max_examples=60)
@given(
    minutes=st.integers(1, 30),
    questions=st.lists(st.one_of(st.none(), st.integers(1, 10)), min_size=1, max_size=5),
    steps=st.lists(st.tuples(st.integers(0, 900), st.booleans()), max_size=6),
    pause=st.integers(0, 3600),
)
def test_budgets_and_times_add_up(minutes: int, questions: list[int | None],
                                  steps: list[tuple[int, bool]], pause: int) -> None:
    """Whatever the plan and however the questions are asked: the times per question add
    up to the section's time from the first ask, pauses never count, the plan's shares
    fill the section when some questions have no minutes, and being on plan means behind
    is the overrun so far."""
    session, clock = _session(_plan((minutes, tuple(questions)), (5, ())))
    ids = [f"s0q{n}" for n in range(len(questions))]
    shares = plan_shares(session.state.sections[0])
    if None in questions and sum(q or 0 for q in questions) <= minutes:
        assert abs(sum(shares.values()) - minutes * 60) < 1e-6
    for (wait, pause_first), prompt_id in zip(steps, ids, strict=False):
        if pause_first:
            session.pause()
            clock.advance(pause)
            session.resume()
        clock.advance(wait)
        session.toggle_asked(prompt_id)
    clock.advance(30)
    state = session.state
    now = session.now()
    timed = section_questions(state, 0, now)
    asked = [q for q in timed if q.asked_at is not None]
    used = state.section_used(0, now)
    if asked:
        first = min(q.asked_at or 0.0 for q in asked)
        assert abs(sum(q.seconds or 0.0 for q in asked) - (used - first)) < 1e-6
    assert used <= sum(w for w, _p in steps[: len(ids)]) + 30 + 1e-6  # no pause counted
    assert all(q.budget is not None and q.budget >= 0 for q in timed)
    late = behind(state, now)
    assert late is not None and late >= -minutes * 60


def test_a_rating_is_checked_and_a_later_one_wins() -> None:
    session, _clock = _session(_plan((10, (5, 5)), (10, ())))
    session.rate_question("s0q0", "weak")
    session.rate_question("s0q0", "strong")
    assert replay(session.events).sections[0].ratings == {"s0q0": "strong"}
    session.rate_question("s0q0", None)
    assert session.state.sections[0].ratings == {}
    with pytest.raises(SessionError, match="must be one of strong, mixed, weak or null"):
        session.rate_question("s0q0", "great")
    with pytest.raises(SessionError, match="question 'nope' is not in section 0"):
        session.rate_question("nope", "weak")
    with pytest.raises(EventError, match="field 'rating' must be one of"):
        decode(Event(9, "question_rated", 1.0, 1.0, {"section": 0, "prompt": "x",
                                                      "rating": "meh"}))
    assert [next_rating(r) for r in (None, "strong", "mixed", "weak")] == [
        "strong", "mixed", "weak", None]


def test_a_question_longer_than_its_section_is_paced_by_the_section() -> None:
    """Practice plans ask one 30-minute exercise in a 5-minute "read and clarify" section,
    then run on through phases: the question's budget there is the section's 5 minutes."""
    session, clock = _session(_plan((5, (30,)), (25, ()), (5, ())))
    session.toggle_asked("s0q0")
    clock.advance(240)
    first = section_questions(session.state, 0, session.now())[0]
    assert first.budget == 300.0
    assert behind(session.state, session.now()) == 0.0
    assert "question 4 of 5 min" in pace_words(pace(session.state, session.now()))
