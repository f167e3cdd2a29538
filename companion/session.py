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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from companion.clock import Clock, stamp
from companion.event import Event as Event  # re-exported: the log and its logic go together
from companion.model import Prompt, SectionPlan, SessionPlan, Signal, prompt_from_dict

EVENT_TYPES = (
    "session_started",
    "questions_drawn",
    "section_started",
    "section_restarted",
    "section_paused",
    "section_resumed",
    "section_ended",
    "section_skipped",
    "session_reopened",
    "gap_added",
    "prompt_asked",
    "prompt_added",
    "signal_added",
    "signal_toggled",
    "note_added",
    "note_edited",
    "note_retracted",
    "note_flagged",
    "score_set",
    "recommendation_set",
    "summary_set",
    "postmortem_set",
    "session_ended",
    "session_abandoned",
)
RUNNING, PAUSED, ENDED, ABANDONED = "running", "paused", "ended", "abandoned"


class SessionError(ValueError):
    """An operation the session does not allow now (the message says why)."""


@dataclass(slots=True)
class Note:
    """A note as the session shows it now (after edits, flags and retraction)."""

    id: int  # the seq of its note_added event
    section: int
    text: str
    t: float  # session time it refers to (back-dating applied)
    section_offset: float
    at: float
    flagged: bool = False
    back: float = 0.0
    edits: list[str] = field(default_factory=list)  # earlier texts, oldest first
    retracted: bool = False


@dataclass(slots=True)
class Score:
    """One criterion's score and its evidence."""

    score: int
    evidence: str
    t: float
    at: float


@dataclass(slots=True)
class SectionState:
    """A section's timing and what was asked and ticked in it."""

    plan: SectionPlan
    used: float = 0.0
    visited: bool = False
    ended: bool = False
    skipped: bool = False
    prompts: list[Prompt] = field(default_factory=list)
    asked: dict[str, float] = field(default_factory=dict)  # prompt id -> t
    extra_good: list[Signal] = field(default_factory=list)
    extra_bad: list[Signal] = field(default_factory=list)
    ticked: dict[str, float] = field(default_factory=dict)  # signal id -> t

    @property
    def planned(self) -> float | None:
        return self.plan.minutes * 60 if self.plan.minutes else None

    @property
    def good(self) -> list[Signal]:
        base = list(self.plan.signals.good) if self.plan.signals else []
        return base + self.extra_good

    @property
    def bad(self) -> list[Signal]:
        base = list(self.plan.signals.bad) if self.plan.signals else []
        return base + self.extra_bad


@dataclass(slots=True)
class SessionState:
    """Everything a session's events add up to (see replay)."""

    id: str
    plan: SessionPlan
    mode: str
    candidate: str
    candidate_id: str
    role: str
    level: str
    interviewer: str
    started_at: float
    sections: list[SectionState]
    current: int = 0
    status: str = PAUSED
    running_since: float | None = None  # session t at which the current run began
    notes: list[Note] = field(default_factory=list)
    scores: dict[str, Score] = field(default_factory=dict)
    recommendation: str | None = None
    recommendation_skipped: bool = False
    summary: str = ""
    postmortem: str = ""
    ended_at: float | None = None
    last_t: float = 0.0
    last_at: float = 0.0
    reopened: int = 0
    away: float = 0.0  # the wall-clock gap offered at the latest reopen
    events: int = 0

    # --- time ---
    @property
    def running(self) -> bool:
        return self.status == RUNNING

    def section_used(self, index: int, now: float | None = None) -> float:
        used = self.sections[index].used
        if self.running and index == self.current and self.running_since is not None:
            used += max(0.0, (self.last_t if now is None else now) - self.running_since)
        return used

    def section_left(self, index: int, now: float | None = None) -> float | None:
        planned = self.sections[index].planned
        return None if planned is None else planned - self.section_used(index, now)

    def total_used(self, now: float | None = None) -> float:
        return sum(self.section_used(i, now) for i in range(len(self.sections)))

    @property
    def planned_total(self) -> float:
        return sum(s.planned or 0 for s in self.sections)

    # --- content ---
    @property
    def section(self) -> SectionState:
        return self.sections[self.current]

    def live_notes(self, section: int | None = None) -> list[Note]:
        return [
            n for n in self.notes
            if not n.retracted and (section is None or n.section == section)
        ]

    def note(self, note_id: int) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    # --- scores ---
    @property
    def total(self) -> int:
        return sum(s.score for s in self.scores.values())

    @property
    def max_score(self) -> int:
        return self.plan.rubric.max_score if self.plan.rubric else 0

    @property
    def passed(self) -> bool | None:
        if not self.plan.rubric or not self.scores:
            return None
        return self.total >= self.plan.rubric.threshold

    @property
    def finished(self) -> bool:
        return self.status in (ENDED, ABANDONED)


def _close_run(state: SessionState, t: float) -> None:
    if state.running and state.running_since is not None:
        state.sections[state.current].used += max(0.0, t - state.running_since)
    state.running_since = None


def _start_run(state: SessionState, t: float) -> None:
    state.status = RUNNING
    state.running_since = t


def _go_to(state: SessionState, index: int, t: float) -> None:
    _close_run(state, t)
    state.current = index
    state.sections[index].visited = True
    _start_run(state, t)


def _started(event: Event) -> SessionState:
    d = event.data
    plan = SessionPlan.from_dict(d["plan"])
    return SessionState(
        id=d.get("session_id", ""),
        plan=plan,
        mode=plan.mode,
        candidate=d.get("candidate", ""),
        candidate_id=d.get("candidate_id", "") or "",
        role=d.get("role", "") or "",
        level=d.get("level", "") or "",
        interviewer=d.get("interviewer", "") or "",
        started_at=event.at,
        sections=[SectionState(s, prompts=list(s.prompts)) for s in plan.sections],
    )


def apply(state: SessionState | None, event: Event) -> SessionState:
    """One step of replay. Mutates and returns `state` (replay owns it)."""
    if event.type == "session_started":
        state = _started(event)
    elif state is None:
        raise SessionError(f"event {event.seq} ({event.type}) comes before the session start")
    d, t = event.data, event.t
    kind = event.type
    section = event.section
    if kind == "section_started" and section is not None:
        _go_to(state, section, t)
    elif kind == "section_restarted" and section is not None:
        # Practice: a redraw before answering starts the section's clock again.
        _close_run(state, t)
        state.sections[section].used = 0.0
        state.sections[section].ended = state.sections[section].skipped = False
        _go_to(state, section, t)
    elif kind == "section_ended" and section is not None:
        _close_run(state, t)
        state.sections[section].ended = True
        if state.status == RUNNING:
            state.status = PAUSED
    elif kind == "section_skipped" and section is not None:
        _close_run(state, t)
        state.sections[section].skipped = True
        if state.status == RUNNING:
            state.status = PAUSED
    elif kind in ("section_paused", "session_reopened"):
        _close_run(state, t)
        if not state.finished:
            state.status = PAUSED
        if kind == "session_reopened":
            state.reopened += 1
            state.away = float(d.get("away", 0.0))
    elif kind == "section_resumed":
        if not state.finished:
            _start_run(state, t)
        state.away = 0.0  # resumed without adding it: the offer lapses
    elif kind == "gap_added":
        seconds = float(d.get("seconds", 0.0))
        state.sections[state.current].used += seconds
        state.away = 0.0
        if state.running and state.running_since is not None:
            # Session time jumps by the gap after this event (Session.add_gap), so a run in
            # progress must not count the gap a second time.
            state.running_since += seconds
    elif kind == "questions_drawn" and section is not None:
        target = state.sections[section]
        target.prompts = [prompt_from_dict(p) for p in d.get("prompts", [])]
        target.asked.clear()
    elif kind == "prompt_asked" and section is not None:
        asked = state.sections[section].asked
        if d.get("asked", True):
            asked[d["prompt"]] = t
        else:
            asked.pop(d["prompt"], None)
    elif kind == "prompt_added" and section is not None:
        state.sections[section].prompts.append(
            Prompt(id=f"adhoc-{event.seq}", text=d["text"], source="ad hoc")
        )
    elif kind == "signal_added" and section is not None:
        signal = Signal(f"adhoc-{event.seq}", d["text"])
        target_list = state.sections[section].extra_bad if d.get("polarity") == "bad" else (
            state.sections[section].extra_good
        )
        target_list.append(signal)
    elif kind == "signal_toggled" and section is not None:
        ticked = state.sections[section].ticked
        if d.get("on", True):
            ticked[d["signal"]] = t
        else:
            ticked.pop(d["signal"], None)
    elif kind == "note_added":
        back = float(d.get("back", 0.0))
        state.notes.append(
            Note(
                id=event.seq,
                section=section if section is not None else state.current,
                text=d["text"],
                t=max(0.0, t - back),
                section_offset=max(0.0, float(d.get("section_offset", 0.0)) - back),
                at=event.at - back,
                flagged=bool(d.get("flagged", False)),
                back=back,
            )
        )
    elif kind in ("note_edited", "note_retracted", "note_flagged"):
        note = state.note(int(d["note"]))
        if note is not None:
            if kind == "note_edited":
                note.edits.append(note.text)
                note.text = d["text"]
            elif kind == "note_retracted":
                note.retracted = True
            else:
                note.flagged = bool(d.get("flagged", True))
    elif kind == "score_set":
        if d.get("score") is None:
            state.scores.pop(d["criterion"], None)
        else:
            state.scores[d["criterion"]] = Score(int(d["score"]), d.get("evidence", ""), t,
                                                 event.at)
    elif kind == "recommendation_set":
        state.recommendation = d.get("value")
        state.recommendation_skipped = state.recommendation is None
    elif kind == "summary_set":
        state.summary = d.get("text", "")
    elif kind == "postmortem_set":
        state.postmortem = d.get("text", "")
    elif kind == "session_ended":
        _close_run(state, t)
        state.status = ENDED
        state.ended_at = event.at
    elif kind == "session_abandoned":
        _close_run(state, t)
        state.status = ABANDONED
        state.ended_at = event.at
    state.last_t = max(state.last_t, t)
    state.last_at = event.at
    state.events = event.seq
    return state


def replay(events: Iterable[Event]) -> SessionState:
    """The state a list of events adds up to. Pure: the same events give the same state."""
    state: SessionState | None = None
    for event in events:
        state = apply(state, event)
    if state is None:
        raise SessionError("a session needs at least its start event")
    return state


# --- Back-dating ------------------------------------------------------------------------

# At most six digits: a longer number is text, never an int too long to read or to turn into
# a float (the session clamps a back-date to its start anyway).
_BACKDATE = re.compile(r"^\s*-(\d{1,6})(s|m)?\s+(.*)$", re.DOTALL)


def parse_note(text: str) -> tuple[str, float]:
    """`-15 text` or `-15s text` back-dates a note by 15 seconds, `-2m text` by two minutes."""
    match = _BACKDATE.match(text)
    if not match or not match.group(3).strip():
        return text, 0.0
    amount = int(match.group(1)) * (60 if match.group(2) == "m" else 1)
    return match.group(3), float(amount)


def new_session_id() -> str:
    # os.urandom, as secrets.token_hex does, without importing hashlib at every start.
    return os.urandom(4).hex()


Sink = Callable[[Event, dict[str, Any]], None]
# Events after which the sessions listing (summary_of) differs by more than its stamp.
_LISTING_EVENTS = frozenset({
    "session_started", "section_started", "section_restarted", "section_paused",
    "section_resumed", "section_ended", "section_skipped", "session_reopened", "gap_added",
    "score_set", "recommendation_set", "session_ended", "session_abandoned",
})


def summary_of(state: SessionState) -> dict[str, Any]:
    """The columns of the sessions table that follow from the state (for listing fast)."""
    return {
        "status": state.status,
        "score": state.total if state.scores else None,
        "max_score": state.max_score or None,
        "recommendation": state.recommendation,
        "ended_at": state.ended_at,
        "last_event_at": state.last_at,
    }


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
        session_id: str | None = None,
        run: bool = True,
    ) -> Session:
        sid = session_id or new_session_id()
        first = Event(1, "session_started", 0.0, stamp(clock.wall()), {
            "session_id": sid,
            "plan": plan.to_dict(),
            "candidate": candidate,
            "candidate_id": candidate_id,
            "role": role,
            "level": level,
            "interviewer": interviewer,
        })
        state = replay([first])
        sink(first, summary_of(state))
        session = cls([first], clock, sink)
        if run and plan.sections:
            session.append("section_started", section=0)
        return session

    @classmethod
    def reopen(cls, events: list[Event], clock: Clock, sink: Sink) -> Session:
        """Open a session after a quit or crash: it comes back paused, with the away-gap."""
        session = cls(events, clock, sink)
        if not session.state.finished:
            away = max(0.0, clock.wall() - session.state.last_at)
            session.append("session_reopened", away=round(away, 3))
        return session

    @property
    def id(self) -> str:
        return self.state.id

    def now(self) -> float:
        """Session time: continuous across resumes, driven by the monotonic clock."""
        return self._t_base + (self.clock.monotonic() - self._mono_base)

    def append(self, kind: str, **data: Any) -> Event:
        if kind not in EVENT_TYPES:
            raise SessionError(f"unknown event type {kind!r}")
        if self.state.finished and kind not in ("summary_set", "postmortem_set"):
            raise SessionError("the session has ended; it can no longer change")
        event = Event(len(self.events) + 1, kind, round(self.now(), 3), stamp(self.clock.wall()),
                      data)
        if kind in _LISTING_EVENTS:
            # These change the sessions listing (status, score...): work the new state out
            # on a replay copy first, so a failed write changes nothing.
            new_state = replay([*self.events, event])
            self._sink(event, summary_of(new_state))
        else:
            # Notes, ticks and the like (the hot path) change only the last-event stamp in
            # the listing: write first, then apply in place, without a replay.
            self._sink(event, summary_of(self.state) | {"last_event_at": event.at})
            new_state = apply(self.state, event)
        self.events.append(event)
        self.state = new_state
        return event

    # --- timing ---
    def pause(self) -> None:
        if self.state.running:
            self.append("section_paused", section=self.state.current)

    def resume(self) -> None:
        if not self.state.running and not self.state.finished:
            self.append("section_resumed", section=self.state.current)

    def toggle_pause(self) -> None:
        if self.state.running:
            self.pause()
        else:
            self.resume()

    def add_gap(self) -> float:
        """Count the time away (from the last reopen) into the current section."""
        gap = self.state.away
        if gap > 0:
            self.append("gap_added", section=self.state.current, seconds=gap)
            self._t_base += gap
        return gap

    def next_section(self, skip: bool = False) -> bool:
        """Close the current section (ended or skipped) and start the next. False at the end."""
        current = self.state.current
        self.append("section_skipped" if skip else "section_ended", section=current)
        if current + 1 < len(self.state.sections):
            self.append("section_started", section=current + 1)
            return True
        return False

    def previous_section(self) -> bool:
        if self.state.current == 0:
            return False
        self.append("section_started", section=self.state.current - 1)
        return True

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.state.sections) and index != self.state.current:
            self.append("section_started", section=index)

    # --- prompts and signals ---
    def toggle_asked(self, prompt_id: str) -> bool:
        section = self.state.current
        asked = prompt_id not in self.state.sections[section].asked
        self.append("prompt_asked", section=section, prompt=prompt_id, asked=asked)
        return asked

    def add_prompt(self, text: str) -> Prompt:
        self.append("prompt_added", section=self.state.current, text=text)
        return self.state.section.prompts[-1]

    def draw_questions(self, prompts: list[Prompt], section: int | None = None,
                       restart: bool = False) -> None:
        """Replace a section's questions (a practice redraw); `restart` starts its clock
        again, as a redraw before answering does."""
        index = self.state.current if section is None else section
        self.append("questions_drawn", section=index,
                    prompts=[_prompt_dict(p) for p in prompts])
        if restart:
            self.append("section_restarted", section=index)

    def start_running(self) -> None:
        """Start the first section's clock (after think time, in practice)."""
        if not self.state.finished and not self.state.running:
            if any(s.visited for s in self.state.sections):
                self.resume()
            else:
                self.append("section_started", section=0)

    def toggle_signal(self, signal_id: str) -> bool:
        section = self.state.current
        on = signal_id not in self.state.sections[section].ticked
        self.append("signal_toggled", section=section, signal=signal_id, on=on)
        return on

    def add_signal(self, text: str, polarity: str = "good") -> Signal:
        self.append("signal_added", section=self.state.current, text=text, polarity=polarity)
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
        offset = self.state.section_used(section, self.now())
        self.append("note_added", section=section, text=text, back=back, flagged=flagged,
                    section_offset=round(offset, 3))
        return self.state.notes[-1]

    def last_note(self) -> Note | None:
        notes = self.state.live_notes()
        return notes[-1] if notes else None

    def edit_note(self, note_id: int, text: str) -> None:
        if not text.strip():
            raise SessionError("a note cannot be edited to nothing; retract it instead")
        self.append("note_edited", note=note_id, text=text)

    def retract_note(self, note_id: int) -> None:
        self.append("note_retracted", note=note_id)

    def flag_note(self, note_id: int, flagged: bool = True) -> None:
        self.append("note_flagged", note=note_id, flagged=flagged)

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
        self.append("score_set", criterion=criterion, score=score, evidence=evidence)

    def set_recommendation(self, value: str | None) -> None:
        scale = self.state.plan.recommendation_scale
        if value is not None and value not in scale:
            raise SessionError(f"recommendation must be one of: {', '.join(scale)}")
        self.append("recommendation_set", value=value)

    def set_summary(self, text: str) -> None:
        self.append("summary_set", text=text)

    def set_postmortem(self, text: str) -> None:
        self.append("postmortem_set", text=text)

    def end(self) -> None:
        self.append("session_ended")

    def abandon(self) -> None:
        self.append("session_abandoned")


def _prompt_dict(prompt: Prompt) -> dict[str, Any]:
    return {
        "id": prompt.id,
        "text": prompt.text,
        "follow_ups": list(prompt.follow_ups),
        "look_for": list(prompt.look_for),
        "criteria": list(prompt.criteria),
        "source": prompt.source,
    }

