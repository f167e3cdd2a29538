"""What a session's events add up to: the state dataclasses replay builds, and the few
moves of the timer that several event types share. No I/O, no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field

from companion.model import Prompt, SectionPlan, SessionPlan, Signal

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
    # prompt id -> section time when marked asked (pauses not counted): time per question
    asked_used: dict[str, float] = field(default_factory=dict)
    ratings: dict[str, str] = field(default_factory=dict)  # prompt id -> strong/mixed/weak
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
    archetype: str = ""  # the company archetype chosen at start, "" when none
    current: int = 0
    left: int | None = None  # the section last left by next, skip or previous
    closed_last: bool = False  # the last move ended or skipped the current section
    status: str = PAUSED
    running_since: float | None = None  # session t at which the current run began
    notes: list[Note] = field(default_factory=list)  # in time order (back-dates go back)
    # The same notes by id, in the order typed: a lookup per edit, flag or retraction, and
    # the note typed last, without a walk of the list (NoteAdded.apply keeps both).
    notes_by_id: dict[int, Note] = field(default_factory=dict)
    scores: dict[str, Score] = field(default_factory=dict)
    recommendation: str | None = None
    recommendation_skipped: bool = False
    summary: str = ""
    postmortem: str = ""
    ended_at: float | None = None
    completed_at: float | None = None  # scorecard_completed: first moment it was complete
    last_t: float = 0.0
    last_at: float = 0.0
    reopened: int = 0
    away: float = 0.0  # the wall-clock gap offered at the latest reopen
    events: int = 0
    visit_clock: float = 0.0  # the interview clock when the current section was entered

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

    def clock(self, now: float | None = None) -> float:
        """The interview clock: the time the sections have run, pauses excluded (the timer's
        total). Every stamp the screen and the exports show (notes, asked, ticked) is on
        this clock, so a note typed during a pause carries the time the clock stopped at."""
        return self.total_used(now)

    def back_dated(self, section: int, now: float, back: float) -> tuple[float, float]:
        """(the note's clock time, the back-date applied) for a note typed at session time
        `now`: back-dating stops at the start of the current visit of its section, and at
        the session start for a note of an earlier section (saved late)."""
        clock = self.clock(now)
        floor = self.visit_clock if section == self.current else 0.0
        room = max(0.0, clock - floor)
        # Stopped at the start: by whole seconds, as typed (never "⟲-2.765s").
        applied = back if back <= room else float(int(room))
        return clock - applied, applied

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
        return self.notes_by_id.get(note_id)

    def last_typed_note(self) -> Note | None:
        """The note typed last that is not retracted (from the newest: retracted ones are
        few), whatever its place in time after a back-date."""
        return next((n for n in reversed(self.notes_by_id.values()) if not n.retracted), None)

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

    # --- the scorecard ---
    @property
    def is_scorecard(self) -> bool:
        """An interview's record that a hiring committee waits for (practice is not)."""
        return self.mode != "practice"

    @property
    def complete(self) -> bool:
        """The completeness rule: every rubric criterion scored, a recommendation chosen
        (or skipped on purpose) and a summary written; without a rubric, the summary."""
        if not self.summary.strip():
            return False
        rubric = self.plan.rubric
        if rubric is None or not rubric.criteria:
            return True
        return (all(c.id in self.scores for c in rubric.criteria)
                and (self.recommendation is not None or self.recommendation_skipped))

    @property
    def pending(self) -> bool:
        """An interview whose call has ended and whose scorecard was never complete. (A
        session from before completion was recorded is pending only if incomplete now.)"""
        return (self.status == ENDED and self.is_scorecard and self.completed_at is None
                and not self.complete)

    @property
    def time_to_complete(self) -> float | None:
        """Seconds from the end of the call to the first complete scorecard (kept when it is
        amended later), or None while pending."""
        if self.completed_at is None or self.ended_at is None:
            return None
        return max(0.0, self.completed_at - self.ended_at)


def close_run(state: SessionState, t: float) -> None:
    if state.running and state.running_since is not None:
        state.sections[state.current].used += max(0.0, t - state.running_since)
    state.running_since = None


def start_run(state: SessionState, t: float) -> None:
    state.status = RUNNING
    state.running_since = t


def go_to(state: SessionState, index: int, t: float) -> None:
    close_run(state, t)
    if index != state.current:
        state.left = state.current  # where an undo (section_reopened) returns to
    state.closed_last = False
    state.current = index
    state.visit_clock = state.clock(t)
    state.sections[index].visited = True
    start_run(state, t)


def section_to_reopen(state: SessionState) -> int | None:
    """Where undoing the last move goes: the current section when it was just ended or
    skipped (the last one), else the section last left; None when there is nothing to undo."""
    if state.finished:
        return None
    section = state.sections[state.current]
    if state.closed_last and (section.ended or section.skipped):
        return state.current
    return state.left
