"""The event log: one record per thing that happened (`Event`, as stored and exported), and
the catalogue of event types, one frozen dataclass each, with typed fields, what it does to
the state (`apply`) and what the rest of the program needs to know about it:

- `LISTING`: it changes the sessions listing (status, score...) beyond the last stamp;
- `TEXT`: the field that holds searchable text, and the kind of text it is;
- `AFTER_END`: it may come after the session has ended (an amendment of the record);
- `AMENDMENT`: how an amendment after the seal is worded;
- `SINCE`: the export format version that introduced it.

Records are decoded and checked once, at the boundary (the store reading its rows, an import
reading a file): `Event.body` is the typed event, and a bad record raises EventError naming
the event and the field. Replay never catches an exception to find bad input."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import MISSING, FrozenInstanceError, dataclass, field, fields
from functools import partial
from typing import Any, ClassVar, get_type_hints

from companion.model import ARCHETYPES, Prompt, SessionPlan, Signal, prompt_from_dict
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
    close_run,
    go_to,
    start_run,
)

# The export format: version 1 holds the first 24 event types; each later version adds the
# types whose SINCE it is. An export says the lowest version that holds all of its events.
FORMAT_VERSION = 4


# Session time never goes past this (a year): a larger `t` is a damaged or hostile record,
# and would overflow the durations every export computes from it.
MAX_SESSION_SECONDS = 366 * 86_400.0


class EventError(ValueError):
    """A record that is not a valid event: the message names the event and the field."""


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of a session's append-only log, as stored and exported: `data` is exactly
    what was written (a seal covers it byte for byte). `body` is the typed event."""

    seq: int
    type: str
    t: float
    at: float
    data: dict[str, Any]
    _body: SessionEvent | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(cls, seq: int, t: float, at: float, body: SessionEvent) -> Event:
        return cls(seq, body.TYPE, t, at, body.to_data(), body)

    @property
    def body(self) -> SessionEvent:
        """The typed event (decoded on first use; raises EventError for a bad record)."""
        body = self._body
        if body is None:
            body = decode(self)
            object.__setattr__(self, "_body", body)
        return body

    @property
    def section(self) -> int | None:
        value = self.data.get("section")
        return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass(frozen=True, slots=True)
class ListingRow:
    """What the sessions listing keeps of a session's state, updated with each event (the
    columns of the `sessions` table that follow from the log)."""

    status: str
    score: int | None
    max_score: int | None
    recommendation: str | None
    ended_at: float | None
    last_event_at: float
    # Identity and the scorecard (None: left as it is). The listing keeps the name and the
    # stable id as they are now (after candidate_renamed, candidate_merged); the start event
    # keeps what was typed.
    candidate: str | None = None
    candidate_id: str | None = None
    completed_at: float | None = None  # first moment the scorecard was complete
    scorecard: str | None = None  # "pending", "complete", or None (not a scorecard)
    # What stats and calibration read instead of a replay (companion.digest), as JSON; None:
    # left as it is (the hot path changes only the last stamp).
    digest: str | None = None


def adhoc_id(seq: int) -> str:
    """The id of a question or signal added during the session, from its event's seq."""
    return f"adhoc-{seq}"


def adhoc_seq(item_id: str) -> int | None:
    """The seq of the event that added an ad-hoc question or signal (None for planned ones):
    the order they were added in, the same at every replay."""
    number = item_id.removeprefix("adhoc-")
    return int(number) if number != item_id and number.isdigit() else None


# --- the catalogue ----------------------------------------------------------------------------
# Frozen by the base class's __setattr__ (a field is set once, in __init__), not by
# dataclass(frozen=True): its generated methods cost 15 ms of start-up over 30 classes, all
# made before the first frame. eq=False, repr=False for the same reason: events are compared
# and shown as records (Event), never as bodies.


@dataclass(slots=True, eq=False, repr=False)
class SessionEvent:
    """What every event type declares (see the module's docstring)."""

    TYPE: ClassVar[str] = ""
    SINCE: ClassVar[int] = 1
    LISTING: ClassVar[bool] = False
    TEXT: ClassVar[tuple[str, str] | None] = None  # (kind of text, field)
    AFTER_END: ClassVar[bool] = False
    AMENDMENT: ClassVar[str | None] = None

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            object.__getattribute__(self, name)
        except AttributeError:  # not set yet: __init__ (or __post_init__) setting it
            object.__setattr__(self, name, value)
            return
        raise FrozenInstanceError(f"cannot assign to field {name!r}: events never change")

    def apply(self, state: SessionState, event: Event) -> None:
        """Change `state` as this event says (replay owns the state)."""

    def problem(self, state: SessionState) -> str | None:
        """Why this event cannot follow `state` (a section or note that is not there), or
        None. Checked before apply, so an event never half-applies."""
        return None

    def check(self) -> str | None:
        """A field out of range, said as `field 'x' ...`, or None."""
        return None

    def since(self) -> int:
        """The export format version this event needs (its type's, unless a field says)."""
        return self.SINCE

    def to_data(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.init}

    def searchable(self) -> tuple[str, str] | None:
        """(kind, text) for the full-text index, when this event holds text."""
        if self.TEXT is None:
            return None
        text = getattr(self, self.TEXT[1])
        return (self.TEXT[0], text) if text else None


def _section_problem(state: SessionState, section: int | None) -> str | None:
    if section is not None and not 0 <= section < len(state.sections):
        return f"section {section} is not one of the plan's {len(state.sections)} sections"
    return None


@dataclass(slots=True, eq=False, repr=False)
class _InSection(SessionEvent):
    section: int

    def check(self) -> str | None:
        return "field 'section' must be 0 or more" if self.section < 0 else None

    def problem(self, state: SessionState) -> str | None:
        return _section_problem(state, self.section)


@dataclass(slots=True, eq=False, repr=False)
class SessionStarted(SessionEvent):
    TYPE = "session_started"
    LISTING = True
    session_id: str
    plan: dict[str, Any]
    candidate: str = ""
    candidate_id: str | None = ""
    role: str | None = ""
    level: str | None = ""
    interviewer: str | None = ""
    archetype: str | None = None  # the company archetype chosen at start (seed 001)
    snapshot: SessionPlan = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "snapshot", _plan_snapshot(self.plan))

    def check(self) -> str | None:
        if self.archetype is not None and self.archetype not in ARCHETYPES:
            return f"field 'archetype' must be one of {', '.join(ARCHETYPES)}"
        return None

    def since(self) -> int:
        return 3 if self.archetype else 1  # the archetype came with format 3

    def to_data(self) -> dict[str, Any]:
        data = SessionEvent.to_data(self)
        if self.archetype is None:
            del data["archetype"]  # a start without one reads as before, byte for byte
        return data

    def start(self, event: Event) -> SessionState:
        plan = self.snapshot
        return SessionState(
            id=self.session_id, plan=plan, mode=plan.mode, candidate=self.candidate,
            candidate_id=self.candidate_id or "", role=self.role or "",
            level=self.level or "", interviewer=self.interviewer or "",
            archetype=self.archetype or "", started_at=event.at,
            sections=[SectionState(s, prompts=list(s.prompts)) for s in plan.sections],
        )


def _plan_snapshot(plan: dict[str, Any]) -> SessionPlan:
    try:
        return SessionPlan.from_dict(plan)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as err:
        raise EventError(f"field 'plan' is not a plan snapshot ({err!r})") from None


@dataclass(slots=True, eq=False, repr=False)
class QuestionsDrawn(_InSection):
    TYPE = "questions_drawn"
    prompts: list[dict[str, Any]] = field(default_factory=list)
    drawn: tuple[Prompt, ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        try:
            drawn = tuple(prompt_from_dict(p) for p in self.prompts)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise EventError(f"field 'prompts' holds a question that is not one ({err!r})"
                             ) from None
        object.__setattr__(self, "drawn", drawn)

    def apply(self, state: SessionState, event: Event) -> None:
        target = state.sections[self.section]
        target.prompts = list(self.drawn)
        target.asked.clear()
        target.asked_used.clear()
        target.ratings.clear()


@dataclass(slots=True, eq=False, repr=False)
class SectionStarted(_InSection):
    TYPE = "section_started"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        go_to(state, self.section, event.t)


@dataclass(slots=True, eq=False, repr=False)
class SectionRestarted(_InSection):
    """Practice: a redraw before answering starts the section's clock again."""

    TYPE = "section_restarted"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        close_run(state, event.t)
        target = state.sections[self.section]
        target.used = 0.0
        target.ended = target.skipped = False
        go_to(state, self.section, event.t)


@dataclass(slots=True, eq=False, repr=False)
class SectionReopened(_InSection):
    """Undoes a skip, a next or a previous: back to the section the user left, which is
    neither ended nor skipped any more; its time so far is kept."""

    TYPE = "section_reopened"
    SINCE = 2
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        target = state.sections[self.section]
        target.ended = target.skipped = False
        go_to(state, self.section, event.t)


def _stop(state: SessionState, t: float) -> None:
    close_run(state, t)
    if state.status == RUNNING:
        state.status = PAUSED


@dataclass(slots=True, eq=False, repr=False)
class SectionEnded(_InSection):
    TYPE = "section_ended"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        _stop(state, event.t)
        state.sections[self.section].ended = True
        state.closed_last = True


@dataclass(slots=True, eq=False, repr=False)
class SectionSkipped(_InSection):
    TYPE = "section_skipped"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        _stop(state, event.t)
        state.sections[self.section].skipped = True
        state.closed_last = True


@dataclass(slots=True, eq=False, repr=False)
class SectionPaused(_InSection):
    TYPE = "section_paused"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        close_run(state, event.t)
        if not state.finished:
            state.status = PAUSED


@dataclass(slots=True, eq=False, repr=False)
class SectionResumed(_InSection):
    TYPE = "section_resumed"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        if not state.finished:
            start_run(state, event.t)
        state.away = 0.0  # resumed without adding it: the offer lapses


def _finite_non_negative(name: str, value: float) -> str | None:
    if not math.isfinite(value) or value < 0:
        return f"field '{name}' must be a finite number of seconds, 0 or more"
    return None


@dataclass(slots=True, eq=False, repr=False)
class SessionReopened(SessionEvent):
    TYPE = "session_reopened"
    LISTING = True
    away: float = 0.0

    def check(self) -> str | None:
        return _finite_non_negative("away", self.away)

    def apply(self, state: SessionState, event: Event) -> None:
        close_run(state, event.t)
        if not state.finished:
            state.status = PAUSED
        state.reopened += 1
        state.away = float(self.away)


@dataclass(slots=True, eq=False, repr=False)
class GapAdded(_InSection):
    TYPE = "gap_added"
    LISTING = True
    seconds: float = 0.0

    def check(self) -> str | None:
        return super(GapAdded, self).check() or _finite_non_negative("seconds", self.seconds)

    def problem(self, state: SessionState) -> str | None:
        return _section_problem(state, state.current)

    def apply(self, state: SessionState, event: Event) -> None:
        seconds = float(self.seconds)
        state.sections[state.current].used += seconds
        state.away = 0.0
        if state.running and state.running_since is not None:
            # Session time jumps by the gap after this event (Session.add_gap), so a run in
            # progress must not count the gap a second time.
            state.running_since += seconds


@dataclass(slots=True, eq=False, repr=False)
class PromptAsked(_InSection):
    TYPE = "prompt_asked"
    prompt: str = ""
    asked: bool = True

    def apply(self, state: SessionState, event: Event) -> None:
        section = state.sections[self.section]
        if self.asked:
            # Stamped on the interview clock (pauses excluded), as notes and ticks are; the
            # section time at asking times the question against its budget (pacing).
            section.asked[self.prompt] = state.clock(event.t)
            section.asked_used[self.prompt] = state.section_used(self.section, event.t)
        else:
            section.asked.pop(self.prompt, None)
            section.asked_used.pop(self.prompt, None)


RATINGS: tuple[str, ...] = ("strong", "mixed", "weak")


def next_rating(rating: str | None) -> str | None:
    """The rating one more press gives: strong, mixed, weak, then none again."""
    cycle: tuple[str | None, ...] = (None, *RATINGS)
    return cycle[(cycle.index(rating) + 1) % len(cycle)] if rating in cycle else RATINGS[0]


@dataclass(slots=True, eq=False, repr=False)
class QuestionRated(_InSection):
    """How the answer to one question measured up to its look-fors, judged on its own
    before the overall score ("mediating assessments"). A later rating replaces it; None
    clears it."""

    TYPE = "question_rated"
    SINCE = 4
    prompt: str = ""
    rating: str | None = None

    def check(self) -> str | None:
        if self.rating is not None and self.rating not in RATINGS:
            return f"field 'rating' must be one of {', '.join(RATINGS)} or null"
        return super(QuestionRated, self).check()

    def problem(self, state: SessionState) -> str | None:
        problem = _section_problem(state, self.section)
        if problem is None and self.prompt not in {
                p.id for p in state.sections[self.section].prompts}:
            problem = f"question {self.prompt!r} is not in section {self.section}"
        return problem

    def apply(self, state: SessionState, event: Event) -> None:
        ratings = state.sections[self.section].ratings
        if self.rating is None:
            ratings.pop(self.prompt, None)
        else:
            ratings[self.prompt] = self.rating


@dataclass(slots=True, eq=False, repr=False)
class PromptAdded(_InSection):
    TYPE = "prompt_added"
    text: str = ""

    def apply(self, state: SessionState, event: Event) -> None:
        state.sections[self.section].prompts.append(
            Prompt(id=adhoc_id(event.seq), text=self.text, source="ad hoc"))


@dataclass(slots=True, eq=False, repr=False)
class SignalAdded(_InSection):
    TYPE = "signal_added"
    text: str = ""
    polarity: str = "good"

    def check(self) -> str | None:
        if self.polarity not in ("good", "bad"):
            return "field 'polarity' must be good or bad"
        return super(SignalAdded, self).check()

    def apply(self, state: SessionState, event: Event) -> None:
        section = state.sections[self.section]
        target = section.extra_bad if self.polarity == "bad" else section.extra_good
        target.append(Signal(adhoc_id(event.seq), self.text))


@dataclass(slots=True, eq=False, repr=False)
class SignalToggled(_InSection):
    TYPE = "signal_toggled"
    signal: str = ""
    on: bool = True

    def apply(self, state: SessionState, event: Event) -> None:
        ticked = state.sections[self.section].ticked
        if self.on:
            ticked[self.signal] = state.clock(event.t)
        else:
            ticked.pop(self.signal, None)


@dataclass(slots=True, eq=False, repr=False)
class NoteAdded(SessionEvent):
    TYPE = "note_added"
    TEXT = ("note", "text")
    text: str
    section: int | None = None  # the section it was typed in (current when absent)
    back: float = 0.0  # seconds it is back-dated by
    flagged: bool = False
    section_offset: float = 0.0  # section time when it was typed

    def check(self) -> str | None:
        if self.section is not None and self.section < 0:
            return "field 'section' must be 0 or more"
        return (_finite_non_negative("back", self.back)
                or _finite_non_negative("section_offset", self.section_offset))

    def problem(self, state: SessionState) -> str | None:
        return _section_problem(state, self.section)

    def apply(self, state: SessionState, event: Event) -> None:
        section = self.section if self.section is not None else state.current
        # On the interview clock (pauses excluded), back-dated at most to the start of
        # the section; listed in time order (a back-date can go before earlier notes).
        t, back = state.back_dated(section, event.t, float(self.back))
        note = Note(
            id=event.seq,
            section=section,
            text=self.text,
            t=t,
            section_offset=max(0.0, float(self.section_offset) - back),
            at=event.at - back,
            flagged=self.flagged,
            back=back,
        )
        notes = state.notes
        at = len(notes)
        while at and notes[at - 1].t > t:
            at -= 1
        notes.insert(at, note)
        state.notes_by_id[note.id] = note


@dataclass(slots=True, eq=False, repr=False)
class _OnNote(SessionEvent):
    note: int

    def problem(self, state: SessionState) -> str | None:
        return None if state.note(self.note) else f"note {self.note} is not in the log"


@dataclass(slots=True, eq=False, repr=False)
class NoteEdited(_OnNote):
    TYPE = "note_edited"
    TEXT = ("note", "text")
    text: str = ""

    def apply(self, state: SessionState, event: Event) -> None:
        note = state.note(self.note)
        if note is not None:
            note.edits.append(note.text)
            note.text = self.text


@dataclass(slots=True, eq=False, repr=False)
class NoteRetracted(_OnNote):
    TYPE = "note_retracted"

    def apply(self, state: SessionState, event: Event) -> None:
        note = state.note(self.note)
        if note is not None:
            note.retracted = True


@dataclass(slots=True, eq=False, repr=False)
class NoteFlagged(_OnNote):
    TYPE = "note_flagged"
    flagged: bool = True

    def apply(self, state: SessionState, event: Event) -> None:
        note = state.note(self.note)
        if note is not None:
            note.flagged = self.flagged


def _abandoned_problem(state: SessionState) -> str | None:
    if state.status == ABANDONED:
        return "the session was abandoned (it has ended); it is no scorecard to score"
    return None


@dataclass(slots=True, eq=False, repr=False)
class ScoreSet(SessionEvent):
    TYPE = "score_set"
    LISTING = True
    AFTER_END = True  # a pending scorecard is finished after the call
    AMENDMENT = "score changed"
    TEXT = ("evidence", "evidence")
    criterion: str
    score: int | None = None  # None clears the criterion's score
    evidence: str = ""

    def check(self) -> str | None:
        if self.score is not None and self.score not in (0, 1, 2):
            return "field 'score' must be 0, 1, 2 or null"
        return None

    def problem(self, state: SessionState) -> str | None:
        return _abandoned_problem(state)

    def apply(self, state: SessionState, event: Event) -> None:
        if self.score is None:
            state.scores.pop(self.criterion, None)
        else:
            state.scores[self.criterion] = Score(self.score, self.evidence, event.t, event.at)


@dataclass(slots=True, eq=False, repr=False)
class RecommendationSet(SessionEvent):
    TYPE = "recommendation_set"
    LISTING = True
    AFTER_END = True
    AMENDMENT = "recommendation changed"
    value: str | None = None  # None: skipped on purpose

    def problem(self, state: SessionState) -> str | None:
        return _abandoned_problem(state)

    def apply(self, state: SessionState, event: Event) -> None:
        state.recommendation = self.value
        state.recommendation_skipped = self.value is None


@dataclass(slots=True, eq=False, repr=False)
class SummarySet(SessionEvent):
    TYPE = "summary_set"
    LISTING = True  # it can complete the scorecard (the listing's pending flag)
    TEXT = ("summary", "text")
    AFTER_END = True
    AMENDMENT = "summary rewritten"
    text: str = ""

    def apply(self, state: SessionState, event: Event) -> None:
        state.summary = self.text


@dataclass(slots=True, eq=False, repr=False)
class PostmortemSet(SessionEvent):
    TYPE = "postmortem_set"
    TEXT = ("postmortem", "text")
    AFTER_END = True
    AMENDMENT = "post-mortem rewritten"
    text: str = ""

    def apply(self, state: SessionState, event: Event) -> None:
        state.postmortem = self.text


@dataclass(slots=True, eq=False, repr=False)
class SessionEnded(SessionEvent):
    TYPE = "session_ended"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        close_run(state, event.t)
        state.status = ENDED
        state.ended_at = event.at


@dataclass(slots=True, eq=False, repr=False)
class SessionAbandoned(SessionEvent):
    TYPE = "session_abandoned"
    LISTING = True

    def apply(self, state: SessionState, event: Event) -> None:
        close_run(state, event.t)
        state.status = ABANDONED
        state.ended_at = event.at


def _name_problem(name: str, value: str) -> str | None:
    return f"field '{name}' must not be empty" if not value.strip() else None


@dataclass(slots=True, eq=False, repr=False)
class CandidateMerged(SessionEvent):
    """Identity (`companion candidates merge`): this session, started without a stable id,
    is of the person with `candidate_id` from now on. A stable id identifies a person, so a
    session that has one is never merged into another; the start event keeps what was typed."""

    TYPE = "candidate_merged"
    SINCE = 3
    LISTING = True
    AFTER_END = True
    AMENDMENT = "candidate merged into a stable id"
    candidate_id: str = ""

    def check(self) -> str | None:
        return _name_problem("candidate_id", self.candidate_id)

    def problem(self, state: SessionState) -> str | None:
        if state.candidate_id:
            return (f"the session already has the stable id {state.candidate_id!r}; a stable "
                    "id identifies a person, so it is not merged into another")
        return None

    def apply(self, state: SessionState, event: Event) -> None:
        state.candidate_id = self.candidate_id


@dataclass(slots=True, eq=False, repr=False)
class CandidateRenamed(SessionEvent):
    """Identity (`companion candidates rename`): the candidate's name as it reads from now on
    (a typo fixed, a name changed). The start event keeps the name first typed."""

    TYPE = "candidate_renamed"
    SINCE = 3
    LISTING = True
    AFTER_END = True
    AMENDMENT = "candidate renamed"
    name: str = ""

    def check(self) -> str | None:
        return _name_problem("name", self.name)

    def apply(self, state: SessionState, event: Event) -> None:
        state.candidate = self.name


@dataclass(slots=True, eq=False, repr=False)
class ScorecardCompleted(SessionEvent):
    """The first moment an ended interview's scorecard was complete (SessionState.complete):
    written once by Session.append, right after the event that completed it, so the time from
    the end of the call to a complete scorecard is on record; later amendments leave it."""

    TYPE = "scorecard_completed"
    SINCE = 3
    LISTING = True
    AFTER_END = True
    AMENDMENT = "scorecard completed"

    def problem(self, state: SessionState) -> str | None:
        if state.status != ENDED:
            return "a scorecard is completed only after the session has ended"
        if state.completed_at is not None:
            return "the scorecard was completed already (it is recorded once)"
        return None

    def apply(self, state: SessionState, event: Event) -> None:
        state.completed_at = event.at


CATALOGUE: dict[str, type[SessionEvent]] = {
    cls.TYPE: cls for cls in (
        SessionStarted, QuestionsDrawn, SectionStarted, SectionRestarted, SectionPaused,
        SectionResumed, SectionEnded, SectionSkipped, SessionReopened, GapAdded, PromptAsked,
        PromptAdded, SignalAdded, SignalToggled, NoteAdded, NoteEdited, NoteRetracted,
        NoteFlagged, ScoreSet, RecommendationSet, SummarySet, PostmortemSet, SessionEnded,
        SessionAbandoned, SectionReopened, CandidateMerged, CandidateRenamed,
        ScorecardCompleted, QuestionRated,
    )
}
EVENT_TYPES: tuple[str, ...] = tuple(CATALOGUE)
LISTING_TYPES = frozenset(t for t, cls in CATALOGUE.items() if cls.LISTING)
AFTER_END_TYPES = frozenset(t for t, cls in CATALOGUE.items() if cls.AFTER_END)
TEXT_TYPES: dict[str, tuple[str, str]] = {
    t: cls.TEXT for t, cls in CATALOGUE.items() if cls.TEXT is not None}
AMENDMENT_WORDS: dict[str, str] = {
    t: cls.AMENDMENT for t, cls in CATALOGUE.items() if cls.AMENDMENT is not None}


def types_of(version: int) -> frozenset[str]:
    """The event types an export of format `version` may hold."""
    return frozenset(t for t, cls in CATALOGUE.items() if version >= cls.SINCE)


def format_version_of(events: list[Event]) -> int:
    """The lowest format version that holds every event of `events`."""
    return max((e.body.since() for e in events if e.type in CATALOGUE), default=1)


# --- replay: what a list of events adds up to -------------------------------------------------


def apply(state: SessionState | None, event: Event) -> SessionState:
    """One step of replay. Mutates and returns `state` (replay owns it)."""
    body = event.body
    if isinstance(body, SessionStarted):
        state = body.start(event)
    elif state is None:
        raise SessionError(f"event {event.seq} ({event.type}) comes before the session start")
    else:
        problem = body.problem(state)
        if problem:
            raise SessionError(f"event {event.seq} ({event.type}): {problem}")
        body.apply(state, event)
    state.last_t = max(state.last_t, event.t)
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


# --- decoding, once, at the boundary ---------------------------------------------------------

FieldCheck = tuple[str, Callable[[Any], bool], str, bool, bool, bool]
# name, check, kind, optional, required, made a float
Defaults = list[tuple[str, Callable[[], Any]]]  # the fields a record may leave out
_SPECS: dict[type[SessionEvent], tuple[frozenset[str], list[FieldCheck], Defaults]] = {}


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _is_objects(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _check_of(hint: Any) -> tuple[Callable[[Any], bool], str]:
    """How a field's type is checked (strict: a bool is not a number), and its words."""
    if hint is bool:
        return (lambda value: isinstance(value, bool)), "true or false"
    if hint in (int, int | None):
        return _is_int, "a whole number"
    if hint in (float, float | None):
        return _is_number, "a finite number"
    if hint in (str, str | None):
        return (lambda value: isinstance(value, str)), "text"
    if str(hint).startswith("list"):
        return _is_objects, "a list of objects"
    return (lambda value: isinstance(value, dict)), "an object"


def _spec(cls: type[SessionEvent]) -> tuple[frozenset[str], list[FieldCheck], Defaults]:
    """The names a record of `cls` may carry and each field's check, worked out once per
    type: a resume decodes every event of the session (10,000 notes: 10,000 records)."""
    spec = _SPECS.get(cls)
    if spec is None:
        hints = get_type_hints(cls)
        checks: list[FieldCheck] = []
        defaults: Defaults = []
        for f in fields(cls):
            if not f.init:
                continue
            hint = hints[f.name]
            check, kind = _check_of(hint)
            required = f.default is MISSING and f.default_factory is MISSING
            checks.append((f.name, check, kind, "None" in str(hint), required,
                           hint is float))
            if f.default_factory is not MISSING:
                defaults.append((f.name, f.default_factory))
            elif not required:
                defaults.append((f.name, partial(_same, f.default)))
        spec = _SPECS[cls] = (frozenset(name for name, *_rest in checks), checks, defaults)
    return spec


def _same(value: Any) -> Any:
    return value


def _build(cls: type[SessionEvent], values: dict[str, Any], defaults: Defaults
           ) -> SessionEvent:
    """cls(**values) for values already checked, without the per-field __setattr__ that
    freezes an event (about a third of decoding 10,000 records); __post_init__ still runs."""
    body = object.__new__(cls)
    for name, value in values.items():
        object.__setattr__(body, name, value)
    for name, default in defaults:
        if name not in values:
            object.__setattr__(body, name, default())
    post_init = getattr(cls, "__post_init__", None)
    if post_init is not None:
        post_init(body)
    return body


def decode(event: Event) -> SessionEvent:
    """The typed event of a record, checked field by field. Raises EventError."""
    cls = CATALOGUE.get(event.type)
    if cls is None:
        raise EventError(f"event {event.seq} ({event.type}): unknown event type "
                         f"{event.type!r}")
    data = event.data
    if not isinstance(data, dict):
        raise EventError(f"event {event.seq} ({event.type}): its data is not an object")
    names, checks, defaults = _spec(cls)
    if not names.issuperset(data):
        unknown = sorted(str(k) for k in data if k not in names)
        raise EventError(f"event {event.seq} ({event.type}): unknown field '{unknown[0]}'")
    values: dict[str, Any] = {}
    for name, check, kind, optional, required, as_float in checks:
        if name not in data:
            if required:
                raise EventError(f"event {event.seq} ({event.type}): field '{name}' is "
                                 "missing")
            continue
        value = data[name]
        if value is None:
            if not optional:
                raise EventError(f"event {event.seq} ({event.type}): field '{name}' must "
                                 "not be null")
        elif not check(value):
            raise EventError(f"event {event.seq} ({event.type}): field '{name}' must be "
                             f"{kind}, not {type(value).__name__}")
        values[name] = float(value) if as_float else value
    try:
        body = _build(cls, values, defaults)
    except EventError as err:
        raise EventError(f"event {event.seq} ({event.type}): {err}") from None
    problem = body.check()
    if problem:
        raise EventError(f"event {event.seq} ({event.type}): {problem}")
    return body


def check_record(event: Event) -> None:
    """The boundary check of one record's shape and fields (raises EventError)."""
    if isinstance(event.seq, bool) or not isinstance(event.seq, int) or event.seq < 1:
        raise EventError(f"event {event.seq!r}: seq must be a whole number, 1 or more")
    for name in ("t", "at"):
        value = getattr(event, name)
        if (isinstance(value, bool) or not isinstance(value, int | float)
                or not math.isfinite(value)):
            raise EventError(f"event {event.seq} ({event.type}): {name} must be a finite "
                             "number")
    if not 0 <= event.t <= MAX_SESSION_SECONDS:
        raise EventError(f"event {event.seq} ({event.type}): t must be between 0 and "
                         f"{MAX_SESSION_SECONDS:g} seconds of session time")
    _ = event.body


__all__ = [
    "CATALOGUE",
    "EVENT_TYPES",
    "FORMAT_VERSION",
    "CandidateMerged",
    "CandidateRenamed",
    "Event",
    "EventError",
    "ListingRow",
    "QuestionRated",
    "ScorecardCompleted",
    "SessionError",
    "SessionEvent",
    "adhoc_id",
    "apply",
    "decode",
    "replay",
    "types_of",
]
