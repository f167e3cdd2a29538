"""Plain dataclasses for content (banks, signal sets, rubrics, plans, loops) and for the
resolved plan a session snapshots when it starts. No I/O here, no Textual."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Literal

from companion.archetypes import ARCHETYPES as _ARCHETYPES

Mode = Literal["interview", "practice", "checklist"]
MODES: tuple[str, ...] = ("interview", "practice", "checklist")
DEFAULT_RECOMMENDATION_SCALE: tuple[str, ...] = ("strong no", "no", "yes", "strong yes")
# The company archetypes of seed 001; questions for one carry the topic `archetype-NAME`.
ARCHETYPES = _ARCHETYPES
ARCHETYPE_TOPIC = "archetype-"


@dataclass(frozen=True, slots=True)
class Where:
    """A place in a content file, for messages: `path:line`."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Question:
    """A question of a bank: its text, follow-ups, what to look for, and its tags."""

    id: str
    text: str
    follow_ups: tuple[str, ...] = ()
    look_for: tuple[str, ...] = ()
    kind: str = ""
    roles: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    minutes: int | None = None
    topics: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    where: Where | None = None
    # A note that a person checked the wording for fairness: silences that rule here only.
    reviewed: str = ""
    # Worked examples for calibration: what a 0, a 1 and a 2 answer looked like (or none).
    examples: tuple[str, ...] = ()

    def fits(self, role: str | None, level: str | None) -> bool:
        """A question without roles (or levels) fits every role (or level)."""
        role_ok = not self.roles or role is None or role in self.roles
        level_ok = not self.levels or level is None or level in self.levels
        return role_ok and level_ok


@dataclass(frozen=True, slots=True)
class Bank:
    """A question bank: one file of questions for a stage, with its default tags."""

    id: str
    title: str
    description: str = ""
    stage: str = ""
    roles: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()
    where: Where | None = None

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class Signal:
    """One observable signal, good or bad, with the id a session records."""

    id: str
    text: str
    reviewed: str = ""  # a fairness review note, as on a question


@dataclass(frozen=True, slots=True)
class SignalSet:
    """The good and bad signals an interviewer ticks during a section."""

    id: str
    title: str
    good: tuple[Signal, ...] = ()
    bad: tuple[Signal, ...] = ()
    where: Where | None = None


@dataclass(frozen=True, slots=True)
class Criterion:
    """One rubric criterion with its 0, 1 and 2 anchors."""

    id: str
    title: str
    anchors: tuple[str, str, str]
    # A criterion that may score 2 only when the practice post-mortem has been written.
    needs_postmortem: bool = False


@dataclass(frozen=True, slots=True)
class Rubric:
    """The 0-2 criteria a session is scored on, and the pass mark."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    threshold: int
    advice: str = ""
    where: Where | None = None

    @property
    def max_score(self) -> int:
        return 2 * len(self.criteria)


@dataclass(frozen=True, slots=True)
class QuestionRef:
    """A plan's reference to one question of a bank."""

    bank: str
    question: str


@dataclass(frozen=True, slots=True)
class TagQuery:
    """`count` questions from `bank` matching kind/topics, for the session's role and level.

    In interview mode it resolves the same way every time (file order, role-specific
    questions first); in practice mode it is a random draw."""

    bank: str
    count: int = 1
    kind: str = ""
    topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class InlinePrompt:
    """A question written in the plan itself."""

    text: str
    follow_ups: tuple[str, ...] = ()
    look_for: tuple[str, ...] = ()
    reviewed: str = ""  # a fairness review note, as on a question
    where: Where | None = None
    minutes: int | None = None  # its budget; without one it shares the section's minutes


PromptSpec = QuestionRef | TagQuery | InlinePrompt


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file shipped with a plan's kit: a brief, sample data, a manifest, an API description.

    `file` is the path as written (inside a kits/ folder); `path` is where it was found."""

    file: str
    title: str
    audience: str  # "candidate" (sent to them) or "interviewer" (kept by the panel)
    path: str


@dataclass(frozen=True, slots=True)
class Section:
    """A timed section of a plan, as written: its prompts are still references."""

    title: str
    minutes: float | None
    guidance: str = ""
    prompts: tuple[PromptSpec, ...] = ()
    signals: str | None = None
    where: Where | None = None
    # Earlier sections must not eat into it (the candidate's questions): pacing warns.
    protected: bool = False


@dataclass(frozen=True, slots=True)
class Plan:
    """A session plan as written in its file (sections, rubric and signals by id)."""

    id: str
    title: str
    mode: str
    sections: tuple[Section, ...]
    description: str = ""
    stage: str = ""
    family: str = ""
    participants: tuple[str, ...] = ()
    rubric: str | None = None
    recommendation_scale: tuple[str, ...] = DEFAULT_RECOMMENDATION_SCALE
    tags: tuple[str, ...] = ()
    where: Where | None = None
    # Read aloud at the start and at the end of an interview.
    opening: str = ""
    closing: str = ""
    # A meeting's agenda (the debrief): items in order.
    agenda: tuple[str, ...] = ()
    # The part sent to the candidate, and the other files of the kit.
    brief: Attachment | None = None
    attachments: tuple[Attachment, ...] = ()

    @property
    def minutes(self) -> float:
        return sum(s.minutes or 0 for s in self.sections)

    @property
    def kit(self) -> tuple[Attachment, ...]:
        """Every file of the plan's kit, the brief first."""
        return ((self.brief,) if self.brief else ()) + self.attachments


@dataclass(frozen=True, slots=True)
class Loop:
    """An ordered set of plans: the interviews of one hiring loop."""

    id: str
    title: str
    plans: tuple[str, ...]
    description: str = ""
    where: Where | None = None


# --- What a session snapshots when it starts: the plan with everything resolved. ---


@dataclass(frozen=True, slots=True)
class Prompt:
    """A question as shown in a session: resolved from a bank, written inline, or ad hoc."""

    id: str
    text: str
    follow_ups: tuple[str, ...] = ()
    look_for: tuple[str, ...] = ()
    criteria: tuple[str, ...] = ()
    source: str = ""
    examples: tuple[str, ...] = ()  # a 0, a 1 and a 2 answer, for calibration (or none)
    minutes: int | None = None  # its budget (companion.pacing shares the rest)


@dataclass(frozen=True, slots=True)
class SectionPlan:
    """A section as a session runs it: questions and signals resolved."""

    title: str
    minutes: float | None
    guidance: str = ""
    prompts: tuple[Prompt, ...] = ()
    signals: SignalSet | None = None
    protected: bool = False  # see Section.protected


@dataclass(frozen=True, slots=True)
class SessionPlan:
    """The plan a session snapshots when it starts, with everything resolved."""

    id: str
    title: str
    mode: str
    sections: tuple[SectionPlan, ...]
    description: str = ""
    stage: str = ""
    participants: tuple[str, ...] = ()
    rubric: Rubric | None = None
    recommendation_scale: tuple[str, ...] = DEFAULT_RECOMMENDATION_SCALE

    @property
    def minutes(self) -> float:
        return sum(s.minutes or 0 for s in self.sections)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # Pacing fields only where set: a plan without them snapshots as it did before.
        for section in data["sections"]:
            if not section["protected"]:
                del section["protected"]
            for prompt in section["prompts"]:
                if prompt["minutes"] is None:
                    del prompt["minutes"]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SessionPlan:
        rubric = data.get("rubric")
        return cls(
            id=data["id"],
            title=data["title"],
            mode=data["mode"],
            description=data.get("description", ""),
            stage=data.get("stage", ""),
            participants=tuple(data.get("participants", ())),
            recommendation_scale=tuple(
                data.get("recommendation_scale", DEFAULT_RECOMMENDATION_SCALE)
            ),
            rubric=_rubric_from_dict(rubric) if rubric else None,
            sections=tuple(_section_from_dict(s) for s in data["sections"]),
        )


def prompt_from_dict(data: dict[str, Any]) -> Prompt:
    return Prompt(
        id=data["id"],
        text=data["text"],
        follow_ups=tuple(data.get("follow_ups", ())),
        look_for=tuple(data.get("look_for", ())),
        criteria=tuple(data.get("criteria", ())),
        source=data.get("source", ""),
        examples=tuple(data.get("examples", ())),
        minutes=_minutes(data.get("minutes")),
    )


def _minutes(value: Any) -> int | None:
    """A snapshot's question minutes: a positive whole number, else none (a damaged or
    hand-made snapshot falls back to the equal share)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return None


def _signal_set_from_dict(data: dict[str, Any]) -> SignalSet:
    return SignalSet(
        id=data["id"],
        title=data["title"],
        good=tuple(Signal(s["id"], s["text"]) for s in data.get("good", ())),
        bad=tuple(Signal(s["id"], s["text"]) for s in data.get("bad", ())),
    )


def _section_from_dict(data: dict[str, Any]) -> SectionPlan:
    signals = data.get("signals")
    return SectionPlan(
        title=data["title"],
        minutes=data.get("minutes"),
        guidance=data.get("guidance", ""),
        prompts=tuple(prompt_from_dict(p) for p in data.get("prompts", ())),
        signals=_signal_set_from_dict(signals) if signals else None,
        protected=data.get("protected") is True,
    )


def _rubric_from_dict(data: dict[str, Any]) -> Rubric:
    return Rubric(
        id=data["id"],
        title=data["title"],
        threshold=data["threshold"],
        advice=data.get("advice", ""),
        criteria=tuple(
            Criterion(
                id=c["id"],
                title=c["title"],
                anchors=(c["anchors"][0], c["anchors"][1], c["anchors"][2]),
                needs_postmortem=c.get("needs_postmortem", False),
            )
            for c in data["criteria"]
        ),
    )
