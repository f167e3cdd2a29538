"""A session as an append-only list of events, and the state they add up to.

`replay(events)` is a pure function; `Session` is the small object the screens talk to: every
operation builds one event, hands it to the sink (the store: one synchronous commit), and
only then applies it to the state, so what is on screen is always what is saved.

Time: every event carries `t`, seconds of session time. Within one run t comes from the
monotonic clock; across a quit or crash it continues from the last event's t (plus the
away-gap if the user chooses to add it). The wall clock is only used for stamps (`at`)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import fields, replace
from typing import Any

from companion.clock import Clock, stamp
from companion.digest import digest_json
from companion.events import (
    CATALOGUE,
    EVENT_TYPES,
    Event,
    GapAdded,
    ListingRow,
    NoteAdded,
    NoteEdited,
    NoteFlagged,
    NoteRetracted,
    PostmortemSet,
    PromptAdded,
    PromptAsked,
    QuestionRated,
    QuestionsDrawn,
    RecommendationSet,
    ScorecardCompleted,
    ScoreSet,
    SectionEnded,
    SectionPaused,
    SectionRestarted,
    SectionResumed,
    SectionSkipped,
    SectionStarted,
    SessionAbandoned,
    SessionEnded,
    SessionEvent,
    SessionReopened,
    SessionStarted,
    SignalAdded,
    SignalToggled,
    SummarySet,
    apply,
    replay,
)
from companion.model import Prompt, SessionPlan, Signal
from companion.state import (
    ABANDONED,
    ENDED,
    PAUSED,
    RUNNING,
    Note,
    Score,
    SectionState,
    SessionError,
    SessionState,
)

# Re-exported: the screens, the store's callers and the exports know these from here.
__all__ = ["ABANDONED", "CATALOGUE", "ENDED", "EVENT_TYPES", "PAUSED", "RUNNING", "Event",
           "ListingRow", "Note", "Score", "SectionState", "Session", "SessionError",
           "SessionState", "apply", "new_session_id", "parse_note", "replay", "summary_of"]


# --- Back-dating ------------------------------------------------------------------------

# A back-date always names its unit: `-15s`, `-2m` or `-1m30s`, then a space and the note. A
# bare leading number (`-1 returned when unreachable`) is text. At most six digits a number:
# a longer one is text, never an int too long to read (the session clamps a back-date to the
# section start anyway). A backslash before a back-date (`\-15s text`) keeps it as text.
# ASCII digits only: `\d` also takes other scripts' digits (`-٣s` would back-date 3 s).
_BACKDATE = re.compile(r"^\s*-(?:([0-9]{1,6})m(?:([0-9]{1,6})s)?|([0-9]{1,6})s)\s+(.*)$",
                       re.DOTALL)
BACKDATE_SYNTAX = "-15s text, -2m text or -1m30s text"


def parse_note(text: str) -> tuple[str, float]:
    """`-15s text` back-dates a note by 15 seconds, `-2m text` by two minutes, `-1m30s text`
    by 90 seconds. Anything else is the note as typed, except that a backslash before a
    back-date (`\\-15s text`) is dropped and the rest kept as text."""
    body = text.lstrip()
    if body.startswith("\\") and _BACKDATE.match(body[1:]) and parse_note(body[1:])[1]:
        return text[:len(text) - len(body)] + body[1:], 0.0
    match = _BACKDATE.match(text)
    if not match or not match.group(4).strip():
        return text, 0.0
    minutes, seconds, alone = match.group(1), match.group(2), match.group(3)
    amount = int(alone) if alone else int(minutes) * 60 + int(seconds or 0)
    return match.group(4), float(amount)


def new_session_id() -> str:
    # os.urandom, as secrets.token_hex does, without importing hashlib at every start.
    return os.urandom(4).hex()


Sink = Callable[[Event, ListingRow], None]


class _Unset:
    """The default of an argument that may also be None."""


UNSET = _Unset()


def summary_of(state: SessionState, *, digest: bool = True) -> ListingRow:
    """The columns of the sessions table that follow from the state (for listing fast), with
    its digest (companion.digest). Bounded by the plan's size, not by the session's events."""
    return ListingRow(
        status=state.status,
        score=state.total if state.scores else None,
        max_score=state.max_score or None,
        recommendation=state.recommendation,
        ended_at=state.ended_at,
        last_event_at=state.last_at,
        candidate=state.candidate,
        candidate_id=state.candidate_id,
        completed_at=state.completed_at,
        scorecard=(None if not state.is_scorecard or state.status != ENDED
                   else "pending" if state.pending else "complete"),
        digest=digest_json(state) if digest else None,
    )


class Session:
    """A live session: operations become events, written through `sink` before they count."""

    def __init__(self, events: list[Event], clock: Clock, sink: Sink) -> None:
        self.events = list(events)
        self.state = replay(self.events)
        self.clock = clock
        self._sink = sink
        self._mono_base = clock.monotonic()
        self._t_base = self.state.last_t

    @classmethod
    def start(
        cls,
        plan: SessionPlan,
        clock: Clock,
        sink: Sink,
        *,
        candidate: str,
        candidate_id: str = "",
        role: str = "",
        level: str = "",
        interviewer: str = "",
        archetype: str = "",
        session_id: str | None = None,
        run: bool = True,
    ) -> Session:
        sid = session_id or new_session_id()
        first = Event.of(1, 0.0, stamp(clock.wall()), SessionStarted(
            session_id=sid, plan=plan.to_dict(), candidate=candidate,
            candidate_id=candidate_id, role=role, level=level, interviewer=interviewer,
            archetype=archetype or None))
        state = replay([first])
        sink(first, summary_of(state))
        session = cls([first], clock, sink)
        if run and plan.sections:
            session.append(SectionStarted(section=0))
        return session

    @classmethod
    def reopen(cls, events: list[Event], clock: Clock, sink: Sink,
               away: float | _Unset | None = UNSET, ran: float = 0.0) -> Session:
        """Open a session after a quit or crash: it comes back paused, with the time away
        offered: `away` as measured from the last heartbeat (companion.lease), None when it
        cannot be known (a wall clock that went back), or by default the wall-clock time
        since the last event. `ran`: how long a running session went on after its last
        event (until its last heartbeat): the interview went on, so its section counts it,
        and the clock reads as it did when the app died."""
        session = cls(events, clock, sink)
        if not session.state.finished:
            if session.state.running and ran > 0:
                session._t_base += ran
            if isinstance(away, _Unset):
                away = clock.wall() - session.state.last_at
            gap = 0.0 if away is None else max(0.0, away)
            session.append(SessionReopened(away=round(gap, 3)))
        return session

    @property
    def id(self) -> str:
        return self.state.id

    @property
    def sink(self) -> Sink:
        return self._sink

    def now(self) -> float:
        """Session time: continuous across resumes, driven by the monotonic clock."""
        return self._t_base + (self.clock.monotonic() - self._mono_base)

    def append(self, body: SessionEvent) -> Event:
        """Write one event through the sink, then apply it: what is on screen is saved."""
        if not isinstance(body, SessionEvent):
            raise SessionError(f"unknown event type {body!r}")
        if self.state.finished and not body.AFTER_END:
            raise SessionError("the session has ended; it can no longer change")
        problem = body.check() or body.problem(self.state)
        if problem:
            raise SessionError(problem)
        event = Event.of(len(self.events) + 1, round(self.now(), 3), stamp(self.clock.wall()),
                         body)
        if body.LISTING:
            # These change the sessions listing (status, score...): applied in place first, to
            # know the new row (O(1): no replay); if the write fails, the state is rebuilt
            # from the saved log (the rare path), so what shows is still what is saved.
            try:
                new_state = apply(self.state, event)
                self._sink(event, summary_of(new_state))
            except BaseException:
                _restore(self.state, replay(self.events))
                raise
        else:
            # Notes, ticks and the like (the hot path) change only the last-event stamp in
            # the listing: write first, then apply in place.
            self._sink(event, replace(summary_of(self.state, digest=False),
                                      last_event_at=event.at))
            new_state = apply(self.state, event)
        self.events.append(event)
        self.state = new_state
        if new_state.status == ENDED and new_state.completed_at is None and (
                new_state.is_scorecard and new_state.complete):
            # After the end only (not on the live hot path): the first complete moment is
            # recorded once, as its own event.
            self.append(ScorecardCompleted())
        return event

    # --- timing ---
    def pause(self) -> None:
        if self.state.running:
            self.append(SectionPaused(section=self.state.current))

    def resume(self) -> None:
        if not self.state.running and not self.state.finished:
            self.append(SectionResumed(section=self.state.current))

    def toggle_pause(self) -> None:
        if self.state.running:
            self.pause()
        else:
            self.resume()

    def add_gap(self) -> float:
        """Count the time away (from the last reopen) into the current section."""
        gap = self.state.away
        if gap > 0:
            self.append(GapAdded(section=self.state.current, seconds=gap))
            self._t_base += gap
        return gap

    def next_section(self, skip: bool = False) -> bool:
        """Close the current section (ended or skipped) and start the next. False at the end."""
        current = self.state.current
        self.append(SectionSkipped(section=current) if skip else SectionEnded(section=current))
        if current + 1 < len(self.state.sections):
            self.append(SectionStarted(section=current + 1))
            return True
        return False

    def previous_section(self) -> bool:
        if self.state.current == 0:
            return False
        self.append(SectionStarted(section=self.state.current - 1))
        return True

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.state.sections) and index != self.state.current:
            self.append(SectionStarted(section=index))

    # --- prompts and signals ---
    def toggle_asked(self, prompt_id: str) -> bool:
        section = self.state.current
        asked = prompt_id not in self.state.sections[section].asked
        self.append(PromptAsked(section=section, prompt=prompt_id, asked=asked))
        return asked

    def rate_question(self, prompt_id: str, rating: str | None) -> None:
        """Rate the answer to a question of the current section (None clears it)."""
        self.append(QuestionRated(section=self.state.current, prompt=prompt_id, rating=rating))

    def add_prompt(self, text: str) -> Prompt:
        self.append(PromptAdded(section=self.state.current, text=text))
        return self.state.section.prompts[-1]

    def draw_questions(self, prompts: list[Prompt], section: int | None = None,
                       restart: bool = False) -> None:
        """Replace a section's questions (a practice redraw); `restart` starts its clock
        again, as a redraw before answering does."""
        index = self.state.current if section is None else section
        self.append(QuestionsDrawn(section=index, prompts=[_prompt_dict(p) for p in prompts]))
        if restart:
            self.append(SectionRestarted(section=index))

    def start_running(self) -> None:
        """Start the first section's clock (after think time, in practice)."""
        if not self.state.finished and not self.state.running:
            if any(s.visited for s in self.state.sections):
                self.resume()
            else:
                self.append(SectionStarted(section=0))

    def toggle_signal(self, signal_id: str) -> bool:
        section = self.state.current
        on = signal_id not in self.state.sections[section].ticked
        self.append(SignalToggled(section=section, signal=signal_id, on=on))
        return on

    def add_signal(self, text: str, polarity: str = "good") -> Signal:
        self.append(SignalAdded(section=self.state.current, text=text, polarity=polarity))
        section = self.state.section
        return (section.extra_bad if polarity == "bad" else section.extra_good)[-1]

    # --- notes ---
    def add_note(self, text: str, back: float = 0.0, flagged: bool = False,
                 section: int | None = None) -> Note:
        """`section`: the section the note was typed in, when it is saved later (a retried
        write); by default the current one."""
        if not text.strip():
            raise SessionError("an empty note is not saved")
        section = self.state.current if section is None else section
        now = self.now()
        offset = self.state.section_used(section, now)
        # The back-date as applied (it stops at the section start) is what is written.
        _t, back = self.state.back_dated(section, now, back)
        event = self.append(NoteAdded(text=text, section=section, back=round(back, 3),
                                      flagged=flagged, section_offset=round(offset, 3)))
        note = self.state.note(event.seq)
        if note is None:  # replay appends every note_added: this cannot be
            raise SessionError(f"note {event.seq} was saved but is not in the state")
        return note

    def clock_now(self) -> float:
        """The interview clock now (pauses excluded): what the timer's total shows."""
        return self.state.clock(self.now())

    def last_note(self) -> Note | None:
        """The note typed last (notes are listed in time order; a back-dated one can sit
        before others)."""
        return self.state.last_typed_note()

    def edit_note(self, note_id: int, text: str) -> None:
        if not text.strip():
            raise SessionError("a note cannot be edited to nothing; retract it instead")
        self.append(NoteEdited(note=note_id, text=text))

    def retract_note(self, note_id: int) -> None:
        self.append(NoteRetracted(note=note_id))

    def flag_note(self, note_id: int, flagged: bool = True) -> None:
        self.append(NoteFlagged(note=note_id, flagged=flagged))

    # --- scoring and closing ---
    def set_score(self, criterion: str, score: int | None, evidence: str = "") -> None:
        rubric = self.state.plan.rubric
        if rubric is None or criterion not in {c.id for c in rubric.criteria}:
            raise SessionError(f"no rubric criterion '{criterion}' in this plan")
        if score is not None and score not in (0, 1, 2):
            raise SessionError("a score is 0, 1 or 2")
        crit = next(c for c in rubric.criteria if c.id == criterion)
        if crit.needs_postmortem and score == 2 and not self.state.postmortem.strip():
            raise SessionError(f"'{crit.title}' can score 2 only once a post-mortem is written")
        current = self.state.scores.get(criterion)
        if self._unchanged(current is None if score is None else (
                current is not None and (current.score, current.evidence) == (score, evidence))):
            return
        self.append(ScoreSet(criterion=criterion, score=score, evidence=evidence))

    def set_recommendation(self, value: str | None) -> None:
        scale = self.state.plan.recommendation_scale
        if value is not None and value not in scale:
            raise SessionError(f"recommendation must be one of: {', '.join(scale)}")
        state = self.state
        if self._unchanged(state.recommendation == value and (
                value is not None or state.recommendation_skipped)):
            return
        self.append(RecommendationSet(value=value))

    def set_summary(self, text: str) -> None:
        if not self._unchanged(self.state.summary == text):
            self.append(SummarySet(text=text))

    def set_postmortem(self, text: str) -> None:
        if not self._unchanged(self.state.postmortem == text):
            self.append(PostmortemSet(text=text))

    def _unchanged(self, same: bool) -> bool:
        """After the end every write is an amendment on record (docs/exports.md): one that
        changes nothing is not written."""
        return same and self.state.finished

    def end(self) -> None:
        """End the session (once: ending an ended one, as finishing a pending scorecard
        does, changes nothing)."""
        if self.state.status != ENDED:
            self.append(SessionEnded())

    def abandon(self) -> None:
        self.append(SessionAbandoned())


def _restore(state: SessionState, saved: SessionState) -> None:
    """Put the state a replay of the saved log gives back into `state`, the object the
    screens hold."""
    for f in fields(state):
        setattr(state, f.name, getattr(saved, f.name))


def _prompt_dict(prompt: Prompt) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": prompt.id,
        "text": prompt.text,
        "follow_ups": list(prompt.follow_ups),
        "look_for": list(prompt.look_for),
        "criteria": list(prompt.criteria),
        "source": prompt.source,
    }
    if prompt.examples:  # only when there are some: older events stay byte for byte the same
        data["examples"] = list(prompt.examples)
    if prompt.minutes is not None:  # likewise
        data["minutes"] = prompt.minutes
    return data

