"""The session log: replay arithmetic driven by a fake clock, the operations a session allows,
the purity of replay, failed writes, and reopening after a quit or crash."""

from __future__ import annotations

import copy
import re

import pytest
from helpers import Recorder, make_plan, start
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.model import Prompt
from companion.session import (
    ABANDONED,
    ENDED,
    PAUSED,
    RUNNING,
    Event,
    Session,
    SessionError,
    parse_note,
    replay,
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def used(session: Session, index: int) -> float:
    return session.state.section_used(index, session.now())


def left(session: Session, index: int) -> float | None:
    return session.state.section_left(index, session.now())


# --- time -----------------------------------------------------------------------------------


def test_time_used_and_left_with_pauses_excluded(clock: FakeClock) -> None:
    s = start(clock)
    assert s.state.status == RUNNING and s.state.current == 0
    assert used(s, 0) == 0 and left(s, 0) == 300
    clock.advance(60)
    assert used(s, 0) == 60 and left(s, 0) == 240
    s.pause()
    assert s.state.status == PAUSED
    clock.advance(500)  # paused: does not count
    assert used(s, 0) == 60 and left(s, 0) == 240
    assert s.state.section_used(0) == 60  # without `now` too
    s.resume()
    clock.advance(40)
    assert used(s, 0) == 100 and left(s, 0) == 200
    assert s.state.total_used(s.now()) == 100
    assert s.state.planned_total == 20 * 60
    # the other sections have not been touched
    assert used(s, 1) == 0 and left(s, 1) == 600
    # session time keeps going through pauses; section time does not
    assert s.now() == 600


def test_toggle_pause_and_pause_resume_are_idempotent(clock: FakeClock) -> None:
    rec = Recorder()
    s = start(clock, rec)
    s.resume()  # already running: no event
    n = len(s.events)
    s.toggle_pause()
    s.pause()  # already paused: no event
    assert s.state.status == PAUSED and len(s.events) == n + 1
    s.toggle_pause()
    assert s.state.status == RUNNING and len(s.events) == n + 2
    assert [e.seq for e in rec.events] == list(range(1, len(s.events) + 1))


def test_overtime_gives_negative_time_left(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(300)
    assert left(s, 0) == 0
    clock.advance(75)
    assert left(s, 0) == -75
    assert used(s, 0) == 375


def test_untimed_section_has_no_time_left(clock: FakeClock) -> None:
    s = start(clock, plan=make_plan(minutes=(None, 10)))
    clock.advance(90)
    assert s.state.sections[0].planned is None
    assert left(s, 0) is None and used(s, 0) == 90
    assert s.state.planned_total == 600


def test_next_skip_previous_attribute_time_to_the_right_section(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(120)
    assert s.next_section() is True
    st = s.state
    assert st.current == 1 and st.sections[0].ended and not st.sections[0].skipped
    assert st.sections[1].visited and st.status == RUNNING
    clock.advance(30)
    assert used(s, 0) == 120 and used(s, 1) == 30
    assert s.next_section(skip=True) is True
    assert s.state.sections[1].skipped and s.state.current == 2
    clock.advance(45)
    assert (used(s, 0), used(s, 1), used(s, 2)) == (120, 30, 45)
    # back to the skipped section: it resumes accumulating from where it stopped
    assert s.previous_section() is True
    assert s.state.current == 1 and s.state.status == RUNNING
    clock.advance(20)
    assert (used(s, 0), used(s, 1), used(s, 2)) == (120, 50, 45)
    assert s.state.total_used(s.now()) == 215
    s.go_to(0)
    clock.advance(5)
    assert used(s, 0) == 125
    assert s.previous_section() is False  # nothing before the first
    s.go_to(0)  # already there: no event
    s.go_to(7)  # out of range: no event
    assert s.state.current == 0


def test_next_section_at_the_end_stops_the_timer(clock: FakeClock) -> None:
    s = start(clock, plan=make_plan(minutes=(5, 10)))
    s.next_section()
    clock.advance(50)
    assert s.next_section() is False
    assert s.state.current == 1 and s.state.sections[1].ended
    assert s.state.status == PAUSED
    clock.advance(100)
    assert used(s, 1) == 50


# --- notes ----------------------------------------------------------------------------------


def test_stamps_are_on_the_timers_clock_pauses_excluded(clock: FakeClock) -> None:
    """One rule for time (issue 22): a note, a tick and an asked question are stamped with
    the interview clock, the timer's total, which stops while paused."""
    s = start(clock)
    clock.advance(60)
    s.pause()
    clock.advance(54)  # paused: the clock stays at 01:00
    during = s.add_note("typed during the pause")
    assert during.t == 60 == s.clock_now() == s.state.total_used(s.now())
    s.resume()
    clock.advance(45)
    after = s.add_note("after the pause")
    assert after.t == 105 == s.state.total_used(s.now()), "01:45, as the timer's total"
    back = s.add_note("back-dated", back=30)
    assert back.t == 75
    assert [n.text for n in s.state.notes] == [
        "typed during the pause", "back-dated", "after the pause"]
    assert replay(s.events).notes == s.state.notes, "replay gives the same stamps"


def test_back_dated_notes(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(100)
    s.next_section()
    clock.advance(40)
    note = s.add_note("said something", back=15)
    assert note.back == 15
    assert note.t == 125 and note.section_offset == 25 and note.section == 1
    assert note.at == clock.wall() - 15
    far = s.add_note("way back", back=600)
    # A back-date stops at the start of the section (100 s), not at the session's 00:00.
    assert far.t == 100 and far.section_offset == 0 and far.back == 40
    assert s.events[-1].data["back"] == 40, "the back-date applied is what is written"
    assert [n.text for n in s.state.notes] == ["way back", "said something"], "time order"
    assert s.last_note() is far, "the last note is the one typed last"
    plain = s.add_note("now")
    assert plain.t == 140 and plain.section_offset == 40


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-15 text", ("-15 text", 0.0)),  # no unit: text (issue 22)
        ("-1 returned when unreachable", ("-1 returned when unreachable", 0.0)),
        ("-15s text", ("text", 15.0)),
        ("-2m text", ("text", 120.0)),
        ("-1m30s text", ("text", 90.0)),
        ("-2m5 text", ("-2m5 text", 0.0)),
        ("-30s15m text", ("-30s15m text", 0.0)),
        ("\\-15s said -15s", ("-15s said -15s", 0.0)),  # the escape
        ("  \\-2m x", ("  -2m x", 0.0)),
        ("\\-15 stays", ("\\-15 stays", 0.0)),  # nothing to escape: as typed
        ("\\ backslash", ("\\ backslash", 0.0)),
        ("  -30s spaced  out", ("spaced  out", 30.0)),
        ("-15", ("-15", 0.0)),
        ("-15   ", ("-15   ", 0.0)),
        ("-2m", ("-2m", 0.0)),
        ("text without a prefix", ("text without a prefix", 0.0)),
        ("- 15 not a number", ("- 15 not a number", 0.0)),
        ("-15x text", ("-15x text", 0.0)),
        ("15 text", ("15 text", 0.0)),
        ("-5s multi\nline", ("multi\nline", 5.0)),
        ("-5 multi\nline", ("-5 multi\nline", 0.0)),
        ("-٣s in another script's digits", ("-٣s in another script's digits", 0.0)),
        ("-１５s full-width digits", ("-１５s full-width digits", 0.0)),
    ],
)
def test_parse_note(text: str, expected: tuple[str, float]) -> None:
    assert parse_note(text) == expected


# The back-date grammar, written out again independently of the code: a unit is required.
_GRAMMAR = re.compile(r"\s*-([0-9]{1,6}m([0-9]{1,6}s)?|[0-9]{1,6}s)\s+\S.*", re.DOTALL)


@given(st.text(alphabet=st.sampled_from("-0123456789٣msh \\xé\n"), max_size=14)
       | st.text(max_size=30))
@settings(max_examples=400, deadline=None)
def test_a_note_outside_the_back_date_grammar_is_saved_as_typed(text: str) -> None:
    """Nothing typed is lost: a leading number without a unit, a stray dash, a unit alone,
    any text at all stays the note, word for word, unless it is a back-date (or its escape)."""
    saved, back = parse_note(text)
    body = text.lstrip()
    if _GRAMMAR.fullmatch(text):
        head, rest = re.split(r"\s+", body, maxsplit=1)
        assert saved == rest
        minutes, _, seconds = head[1:].rstrip("s").partition("m")
        expected = int(minutes) * 60 + int(seconds or 0) if "m" in head else int(minutes)
        assert back == expected
    elif body.startswith("\\") and _GRAMMAR.fullmatch(body[1:]):
        assert (saved, back) == (text.replace("\\", "", 1), 0.0)
    else:
        assert (saved, back) == (text, 0.0)


def test_note_edits_and_retractions(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(10)
    first = s.add_note("first draft")
    clock.advance(10)
    second = s.add_note("second")
    s.edit_note(first.id, "first, better")
    s.edit_note(first.id, "first, best")
    note = s.state.note(first.id)
    assert note is not None
    assert note.text == "first, best"
    assert note.edits == ["first draft", "first, better"]
    assert note.t == 10  # an edit does not move the note
    s.retract_note(second.id)
    assert [n.id for n in s.state.live_notes()] == [first.id]
    assert [n.id for n in s.state.notes] == [first.id, second.id]
    assert s.state.note(second.id).retracted  # type: ignore[union-attr]
    assert s.last_note().id == first.id  # type: ignore[union-attr]
    s.flag_note(first.id)
    assert s.state.note(first.id).flagged  # type: ignore[union-attr]
    s.flag_note(first.id, False)
    assert not s.state.note(first.id).flagged  # type: ignore[union-attr]
    assert s.state.live_notes(section=1) == []
    with pytest.raises(SessionError):
        s.edit_note(first.id, "   ")
    with pytest.raises(SessionError):
        s.add_note("  \n ")


def test_flagged_note_and_note_in_a_section(clock: FakeClock) -> None:
    s = start(clock)
    s.next_section()
    note = s.add_note("important", flagged=True)
    assert note.flagged and note.section == 1
    assert s.state.live_notes(section=1) == [note]
    assert s.state.live_notes(section=0) == []


# --- signals and prompts --------------------------------------------------------------------


def test_signal_toggles_and_ad_hoc_signals(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(20)
    assert s.toggle_signal("g1") is True
    assert s.state.section.ticked == {"g1": 20}
    assert s.toggle_signal("b1") is True
    assert s.toggle_signal("g1") is False
    assert set(s.state.section.ticked) == {"b1"}
    extra = s.add_signal("asks good questions")
    bad = s.add_signal("interrupts", polarity="bad")
    assert [g.text for g in s.state.section.good] == ["clear", "specific", "asks good questions"]
    assert [b.text for b in s.state.section.bad] == ["vague", "interrupts"]
    assert extra.id != bad.id
    assert s.toggle_signal(extra.id) is True
    assert extra.id in s.state.section.ticked
    # a section without a signal set still takes ad-hoc signals
    s.next_section()
    assert s.state.section.good == [] and s.state.section.bad == []
    other = s.add_signal("calm")
    assert s.state.section.good == [other]
    assert s.state.sections[0].extra_good == [extra]  # stays with its section


def test_prompts_asked_unasked_added_and_drawn(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(5)
    assert [p.id for p in s.state.section.prompts] == ["q1", "q2"]
    assert s.toggle_asked("q1") is True
    assert s.state.section.asked == {"q1": 5}
    assert s.toggle_asked("q1") is False
    assert s.state.section.asked == {}
    added = s.add_prompt("Anything else?")
    assert added.source == "ad hoc" and added.text == "Anything else?"
    assert [p.id for p in s.state.section.prompts] == ["q1", "q2", added.id]
    s.toggle_asked(added.id)
    assert added.id in s.state.section.asked
    s.draw_questions([Prompt("d1", "Drawn one"), Prompt("d2", "Drawn two")], section=1)
    assert [p.id for p in s.state.sections[1].prompts] == ["d1", "d2"]
    assert [p.id for p in s.state.sections[0].prompts] == ["q1", "q2", added.id]
    s.toggle_asked("q2")
    s.draw_questions([Prompt("d3", "Redrawn")])  # current section: asked marks are cleared
    assert [p.id for p in s.state.section.prompts] == ["d3"]
    assert s.state.section.asked == {}
    # the plan snapshot itself is untouched
    assert [p.id for p in s.state.plan.sections[0].prompts] == ["q1", "q2"]


# --- scores, recommendation, end ------------------------------------------------------------


def test_scores_total_max_passed_and_clearing(clock: FakeClock) -> None:
    s = start(clock)
    assert s.state.max_score == 6 and s.state.total == 0 and s.state.passed is None
    s.set_score("c1", 2, "explained trade-offs")
    assert s.state.total == 2 and s.state.passed is False
    s.set_score("c2", 1)
    assert s.state.total == 3 and s.state.passed is True  # threshold 3
    assert s.state.scores["c1"].evidence == "explained trade-offs"
    s.set_score("c1", 0)  # a correction replaces
    assert s.state.total == 1 and s.state.passed is False
    s.set_score("c1", None)  # cleared
    assert "c1" not in s.state.scores and s.state.total == 1
    s.set_score("c2", None)
    assert s.state.scores == {} and s.state.passed is None
    with pytest.raises(SessionError, match="0, 1 or 2"):
        s.set_score("c1", 3)
    with pytest.raises(SessionError, match="no rubric criterion"):
        s.set_score("nope", 1)


def test_no_rubric_refuses_scores(clock: FakeClock) -> None:
    s = start(clock, plan=make_plan(rubric=False))
    assert s.state.max_score == 0 and s.state.passed is None
    with pytest.raises(SessionError):
        s.set_score("c1", 1)


def test_needs_postmortem_criterion_refuses_2_without_a_postmortem(clock: FakeClock) -> None:
    s = start(clock, plan=make_plan(mode="practice"))
    with pytest.raises(SessionError, match="post-mortem"):
        s.set_score("c3", 2)
    s.set_score("c3", 1)
    s.set_postmortem("   ")
    with pytest.raises(SessionError, match="post-mortem"):
        s.set_score("c3", 2)
    s.set_postmortem("I froze on the second question; next time outline first.")
    s.set_score("c3", 2)
    assert s.state.scores["c3"].score == 2
    s.set_score("c1", 2)  # other criteria never needed it


def test_recommendation_restricted_to_the_plans_scale(clock: FakeClock) -> None:
    s = start(clock, plan=make_plan(recommendation_scale=("no hire", "hire")))
    with pytest.raises(SessionError, match="no hire, hire"):
        s.set_recommendation("strong yes")
    s.set_recommendation("hire")
    assert s.state.recommendation == "hire" and not s.state.recommendation_skipped
    s.set_recommendation(None)
    assert s.state.recommendation is None and s.state.recommendation_skipped


@pytest.mark.parametrize(("finish", "status"), [("end", ENDED), ("abandon", ABANDONED)])
def test_finished_session_refuses_changes(clock: FakeClock, finish: str, status: str) -> None:
    s = start(clock)
    clock.advance(100)
    getattr(s, finish)()
    assert s.state.status == status and s.state.finished
    assert s.state.ended_at == clock.wall()
    assert s.state.sections[0].used == 100
    n = len(s.events)
    refused = [
        lambda: s.add_note("late"),
        lambda: s.next_section(),
        lambda: s.toggle_signal("g1"),
        lambda: s.toggle_asked("q1"),
        lambda: s.abandon(),
    ]
    if status == ABANDONED:  # an ended interview's scorecard can still be finished
        refused += [lambda: s.set_score("c1", 1), lambda: s.set_recommendation("yes"),
                    lambda: s.end()]
    else:
        s.end()  # ending an ended session changes nothing
    for op in refused:
        with pytest.raises(SessionError, match="ended"):
            op()
    s.pause()
    s.resume()  # no-ops on a finished session
    assert len(s.events) == n and s.state.status == status
    clock.advance(50)
    assert used(s, 0) == 100
    # the write-up is still allowed after the end
    s.set_summary("solid")
    s.set_postmortem("fine")
    assert s.state.summary == "solid" and s.state.postmortem == "fine"


def test_unknown_event_type_and_empty_replay(clock: FakeClock) -> None:
    s = start(clock)
    with pytest.raises(SessionError, match="unknown event type"):
        s.append("teleported")
    with pytest.raises(SessionError):
        replay([])
    with pytest.raises(SessionError, match="before the session start"):
        replay([Event(1, "note_added", 0.0, 0.0, {"text": "x", "section": 0})])


# --- purity and failed writes ---------------------------------------------------------------


def _busy_session(clock: FakeClock, rec: Recorder) -> Session:
    s = start(clock, rec, candidate="Kim", candidate_id="kim@example.com", role="backend",
              level="senior", interviewer="Ada")
    clock.advance(30)
    s.add_note("intro note")
    s.toggle_signal("g1")
    s.toggle_asked("q1")
    clock.advance(10)
    s.pause()
    clock.advance(200)
    s.resume()
    clock.advance(25)
    s.add_note("-10 said earlier", back=10)
    s.next_section()
    clock.advance(70)
    note = s.add_note("main note")
    s.edit_note(note.id, "main note, edited")
    s.add_signal("ad hoc", polarity="bad")
    s.add_prompt("extra question")
    s.next_section(skip=True)
    clock.advance(15)
    s.previous_section()
    clock.advance(5)
    retract = s.add_note("oops")
    s.retract_note(retract.id)
    s.set_score("c1", 2, "clear")
    s.set_score("c2", 1)
    s.set_recommendation("yes")
    s.set_summary("good overall")
    clock.advance(3)
    return s


def test_replay_of_the_events_equals_the_live_state(clock: FakeClock) -> None:
    rec = Recorder()
    s = _busy_session(clock, rec)
    events_before = copy.deepcopy(s.events)
    replayed = replay(s.events)
    assert replayed == s.state
    assert replay(rec.events) == s.state  # what the sink saw is the whole story
    assert s.events == events_before  # replay does not touch its input
    assert replay(s.events) == replayed  # same events, same state
    assert [n.text for n in replayed.notes] == [n.text for n in s.state.notes]
    assert {k: v.score for k, v in replayed.scores.items()} == {"c1": 2, "c2": 1}
    assert [replayed.section_used(i) for i in range(3)] == [
        s.state.section_used(i) for i in range(3)
    ]
    s.end()
    assert replay(s.events) == s.state
    # a prefix replays to the state at that point
    assert replay(s.events[:2]).notes == []
    assert [n.text for n in replay(s.events[:3]).notes] == ["intro note"]
    # the summary each write carried matches the state after it
    event, summary = rec.written[-1]
    assert event.type == "session_ended"
    assert summary.status == ENDED and summary.score == 3 and summary.max_score == 6
    assert summary.recommendation == "yes" and summary.ended_at == clock.wall()


def test_failing_sink_leaves_state_and_events_unchanged(clock: FakeClock) -> None:
    rec = Recorder()
    s = _busy_session(clock, rec)
    state_before = s.state
    snapshot = copy.deepcopy(s.state)
    events_before = list(s.events)
    rec.fail_at = rec.calls + 1
    for op in (
        lambda: s.add_note("lost"),
        lambda: s.set_score("c1", 0),
        lambda: s.toggle_signal("g2"),
        lambda: s.next_section(),
        lambda: s.pause(),
        lambda: s.end(),
    ):
        clock.advance(1)
        with pytest.raises(OSError):
            op()
        assert s.state is state_before and s.state == snapshot
        assert s.events == events_before
    # once the disk is back, writing carries on with the next sequence number
    rec.fail_at = None
    note = s.add_note("saved")
    assert note.id == len(events_before) + 1
    assert [e.seq for e in s.events] == list(range(1, len(s.events) + 1))
    assert replay(rec.events) == s.state


def test_start_with_a_failing_sink_raises(clock: FakeClock) -> None:
    with pytest.raises(OSError):
        start(clock, Recorder(fail_at=1))
    rec = Recorder(fail_at=2)  # the start is written, the section start is not
    with pytest.raises(OSError):
        start(clock, rec)
    assert [e.type for e in rec.events] == ["session_started"]


# --- reopen, gaps and clock jumps -----------------------------------------------------------


def _crash_and_reopen(clock: FakeClock, away: float) -> tuple[Session, Session, Recorder]:
    rec = Recorder()
    s = start(clock, rec)
    clock.advance(100)
    s.add_note("before the crash")
    clock.advance(away)  # the process is gone; nothing is written
    return s, Session.reopen(list(rec.events), clock, rec), rec


def test_reopen_comes_back_paused_with_the_away_gap(clock: FakeClock) -> None:
    before, s, rec = _crash_and_reopen(clock, 900)
    assert s.state.status == PAUSED and s.state.reopened == 1
    assert s.state.away == 900
    assert rec.events[-1].type == "session_reopened"
    assert used(s, 0) == 100  # the time since the last event is not counted by itself
    clock.advance(500)
    assert used(s, 0) == 100  # paused
    s.resume()
    clock.advance(20)
    assert used(s, 0) == 120  # leaving the gap out keeps the times
    assert replay(rec.events) == s.state
    assert before.state.notes == s.state.notes


def test_add_gap_counts_the_away_time_into_the_current_section(clock: FakeClock) -> None:
    _, s, rec = _crash_and_reopen(clock, 900)
    assert s.add_gap() == 900
    assert s.state.away == 0
    assert used(s, 0) == 1000 and s.state.sections[1].used == 0
    assert s.add_gap() == 0  # only once
    s.resume()
    clock.advance(20)
    assert used(s, 0) == 1020
    assert replay(rec.events) == s.state


def test_resuming_without_the_gap_declines_it(clock: FakeClock) -> None:
    _, s, rec = _crash_and_reopen(clock, 900)
    s.resume()
    assert s.state.away == 0, "resuming without adding the gap leaves it out"
    clock.advance(10)
    assert s.add_gap() == 0
    assert used(s, 0) == 110
    assert replay(rec.events).away == 0


def test_gap_added_then_running_counts_it_once(clock: FakeClock) -> None:
    _, s, rec = _crash_and_reopen(clock, 900)
    s.add_gap()
    s.resume()
    clock.advance(10)
    assert used(s, 0) == 1010
    clock.advance(10)
    s.pause()
    assert s.state.section_used(0) == 1020
    assert replay(rec.events).section_used(0) == 1020


def test_session_time_continues_across_reopen(clock: FakeClock) -> None:
    before, s, _ = _crash_and_reopen(clock, 900)
    last_t = before.state.last_t
    assert last_t == 100
    assert s.now() == last_t  # t picks up where the log stopped, not from the wall gap
    s.resume()
    clock.advance(7)
    note = s.add_note("after")
    assert note.t == last_t + 7
    assert [e.t for e in s.events] == sorted(e.t for e in s.events)
    # with the gap added, t moves on by the gap as well
    _, s2, _ = _crash_and_reopen(FakeClock(), 60)
    s2.add_gap()
    s2.resume()
    clock2 = s2.clock
    assert isinstance(clock2, FakeClock)
    clock2.advance(5)
    assert s2.add_note("x").t == 100 + 60 + 5


def test_reopen_twice_and_reopen_of_an_ended_session(clock: FakeClock) -> None:
    _, _, rec = _crash_and_reopen(clock, 60)
    clock.advance(120)
    s2 = Session.reopen(list(rec.events), clock, rec)
    assert s2.state.reopened == 2 and s2.state.away == 120
    s2.end()
    n = len(rec.events)
    clock.advance(1000)
    s3 = Session.reopen(list(rec.events), clock, rec)
    assert len(rec.events) == n  # an ended session is only read
    assert s3.state.status == ENDED and s3.state.reopened == 2


def test_wall_clock_jump_changes_no_timer(clock: FakeClock) -> None:
    s = start(clock)
    clock.advance(60)
    wall_before = clock.wall()
    clock.jump_wall(3600)
    clock.advance(60)
    assert used(s, 0) == 120 and left(s, 0) == 180
    note = s.add_note("after the jump")
    assert note.t == 120 and note.section_offset == 120
    assert note.at == wall_before + 3600 + 60  # only the stamp follows the wall clock
    clock.jump_wall(-7200)  # and backwards
    clock.advance(30)
    s.pause()
    assert s.state.section_used(0) == 150
    assert s.state.total_used() == 150


def test_section_reopened_undoes_a_skip_a_next_and_the_last_end(clock: FakeClock) -> None:
    from companion.events import SectionReopened
    from companion.state import section_to_reopen

    s = start(clock)
    assert section_to_reopen(s.state) is None
    clock.advance(30)
    s.next_section(skip=True)
    assert section_to_reopen(s.state) == 0
    clock.advance(10)
    s.append(SectionReopened(section=0))
    assert s.state.current == 0 and not s.state.sections[0].skipped
    clock.advance(20)
    assert used(s, 0) == 50  # its 30 s, then 20 s more; the 10 s went to section 2
    assert used(s, 1) == 10
    s.go_to(2)
    s.next_section()  # the last one: ended, nothing after it
    assert section_to_reopen(s.state) == 2
    s.append(SectionReopened(section=2))
    assert s.state.running and not s.state.sections[2].ended
    assert replay(s.events) == s.state
    s.end()
    assert section_to_reopen(s.state) is None
    with pytest.raises(SessionError, match="ended"):
        s.append(SectionReopened(section=1))


def test_an_event_for_a_section_that_is_not_there_is_refused(clock: FakeClock) -> None:
    from companion.events import SectionReopened

    s = start(clock)
    with pytest.raises(SessionError, match="section 7 is not one of the plan's 3 sections"):
        s.append(SectionReopened(section=7))
    with pytest.raises(SessionError, match="must be 0 or more"):
        s.append(SectionReopened(section=-1))
