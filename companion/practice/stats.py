"""The practice trend: totals over time, the average per criterion with the weakest named,
time used against planned per section, time per question against its budget, reps per plan
and per week, and the seeds' rule on the last five sessions of a plan ("consistently below
8/12: shorten scope, increase reps")."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from companion.clock import from_iso, iso, mmss

if TYPE_CHECKING:  # the trend reads rows: no content, no replay on its way (~60 ms)
    from companion.content.library import Library
    from companion.session import SessionState
    from companion.store.database import Store


LAST = 5


@dataclass(frozen=True, slots=True)
class PracticeRecord:
    """What the trend needs of one practice session: its listing row's digest
    (companion.digest), so the trend reads rows, not every session's events."""

    session_id: str
    plan_id: str
    started_at: float
    scores: dict[str, int]
    rubric: dict[str, Any] | None  # id, threshold, max, criteria [[id, title]]
    sections: list[list[Any]]  # [title, planned seconds or None, seconds used, visited]
    minutes: float
    stage: str
    # [questions, seconds taken, budget seconds] of the questions with a budget, or None.
    pace: list[float] | None = None

    @property
    def total(self) -> int:
        return sum(self.scores.values())

    @classmethod
    def of(cls, session_id: str, plan_id: str, started_at: float,
           digest: dict[str, Any]) -> PracticeRecord:
        return cls(session_id, plan_id, started_at, dict(digest["scores"]), digest["rubric"],
                   digest["sections"], digest["minutes"], digest["stage"],
                   digest.get("pace"))


def record_of(state: SessionState) -> PracticeRecord:
    """The record of a replayed state: the same digest the listing keeps."""
    from companion.digest import digest_of

    # Through JSON, as the listing stores it, so both paths give the same numbers.
    digest = json.loads(json.dumps(digest_of(state)))
    return PracticeRecord.of(state.id, state.plan.id, state.started_at, digest)


def practice_records(store: Store, candidate: str | None,
                     plan_id: str | None = None) -> list[PracticeRecord]:
    """The candidate's practice sessions (everyone's with None), newest first, from the
    listing's rows (one indexed read; a session without a digest is replayed)."""
    from companion.session import replay

    records = []
    for row in store.practice_rows(candidate or None, plan_id):
        if row["digest"]:
            records.append(PracticeRecord.of(row["id"], row["plan_id"],
                                             from_iso(row["started_at"]),
                                             json.loads(row["digest"])))
        else:
            records.append(record_of(replay(store.events(row["id"]))))
    return records


@dataclass(frozen=True, slots=True)
class SessionTotal:
    """One scored practice session's total."""

    session_id: str
    plan_id: str
    date: str
    total: int
    max: int
    threshold: int | None


@dataclass(frozen=True, slots=True)
class CriterionAverage:
    """A criterion's average score over the scored sessions that scored it."""

    id: str
    title: str
    average: float
    sessions: int


@dataclass(frozen=True, slots=True)
class SectionTime:
    """Time used in a section of a plan, on average, against its plan."""

    plan_id: str
    section: str
    planned_seconds: float | None
    average_used_seconds: float
    sessions: int


@dataclass(frozen=True, slots=True)
class QuestionPace:
    """One practice session's questions: time taken against their budgets (the questions
    asked that have a budget; companion.pacing)."""

    session_id: str
    plan_id: str
    date: str
    questions: int
    seconds: float
    budget_seconds: float

    @property
    def ratio(self) -> float:
        return self.seconds / self.budget_seconds if self.budget_seconds else 0.0


@dataclass(frozen=True, slots=True)
class PlanAdvice:
    """The seeds' rule on the last five sessions of one plan."""

    plan_id: str
    last: int
    average: float
    max: int
    threshold: int
    below: bool
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class PracticeStats:
    """The trend `companion stats` prints and the trend screen shows."""

    sessions: int = 0
    scored: int = 0
    totals: list[SessionTotal] = field(default_factory=list)
    criteria: list[CriterionAverage] = field(default_factory=list)
    weakest: CriterionAverage | None = None
    section_times: list[SectionTime] = field(default_factory=list)
    question_pace: list[QuestionPace] = field(default_factory=list)  # oldest first
    reps_per_plan: dict[str, int] = field(default_factory=dict)
    reps_per_week: dict[str, int] = field(default_factory=dict)
    advice: list[PlanAdvice] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON of `stats --json` (documented in the README): a suggestion only where the
        plan is below its pass mark."""
        data = asdict(self)
        for entry in data["advice"]:
            if entry["suggestion"] is None:
                del entry["suggestion"]
        return data


def _week(stamp: float) -> str:
    year, week, _ = datetime.fromtimestamp(stamp, UTC).isocalendar()
    return f"{year}-W{week:02d}"


def practice_stats(history: Sequence[SessionState | PracticeRecord],
                   lib: Library | Callable[[], Library] | None = None) -> PracticeStats:
    """`history`: practice sessions (any order), as records (practice_records) or replayed
    states. Only scored sessions count toward totals. `lib`: the content, or what reads it
    (called only when advice below the pass mark looks for a shorter plan)."""
    records = [r if isinstance(r, PracticeRecord) else record_of(r) for r in history]
    loaded: list[Library | None] = []

    def content() -> Library | None:  # read once, and only if some advice needs it
        if not loaded:
            loaded.append(lib() if callable(lib) else lib)
        return loaded[0]

    sessions = sorted(records, key=lambda s: s.started_at)
    scored = [s for s in sessions if s.scores and s.rubric]
    totals = [
        SessionTotal(s.session_id, s.plan_id, iso(s.started_at), s.total, s.rubric["max"],
                     s.rubric["threshold"])
        for s in scored if s.rubric
    ]
    titles: dict[str, str] = {}
    per_criterion: dict[str, list[int]] = defaultdict(list)
    for s in scored:
        for cid, title in s.rubric["criteria"] if s.rubric else ():
            titles[cid] = title
            if cid in s.scores:
                per_criterion[cid].append(s.scores[cid])
    criteria = [
        CriterionAverage(cid, titles[cid], round(sum(v) / len(v), 2), len(v))
        for cid, v in per_criterion.items()
    ]
    weakest = min(criteria, key=lambda c: (c.average, c.id)) if criteria else None
    section_times: dict[tuple[str, str], list[tuple[float, float | None]]] = defaultdict(list)
    for s in sessions:
        for title, planned, used, visited in s.sections:
            if visited:
                section_times[(s.plan_id, title)].append((used, planned))
    time_rows = [
        SectionTime(plan_id, title, pairs[0][1],
                    round(sum(u for u, _ in pairs) / len(pairs), 1), len(pairs))
        for (plan_id, title), pairs in section_times.items()
    ]
    reps_per_plan = Counter(s.plan_id for s in sessions)
    question_pace = [row for row in (_question_pace(s) for s in sessions) if row is not None]
    reps_per_week = Counter(_week(s.started_at) for s in sessions)
    advice: list[PlanAdvice] = []
    for plan_id in sorted(reps_per_plan):
        recent = [s for s in scored if s.plan_id == plan_id][-LAST:]
        if not recent:
            continue
        average = sum(s.total for s in recent) / len(recent)
        rubric = recent[-1].rubric
        if rubric is None:
            continue
        below = average < rubric["threshold"]
        advice.append(PlanAdvice(
            plan_id, len(recent), round(average, 2), rubric["max"], rubric["threshold"],
            below, _suggestion(plan_id, recent, content(), reps_per_week) if below else None))
    return PracticeStats(
        sessions=len(sessions),
        scored=len(scored),
        totals=totals,
        criteria=sorted(criteria, key=lambda c: c.average),
        weakest=weakest,
        section_times=time_rows,
        question_pace=question_pace,
        reps_per_plan=dict(sorted(reps_per_plan.items())),
        reps_per_week=dict(sorted(reps_per_week.items())),
        advice=advice,
    )


def question_pace_words(rows: list[QuestionPace], last: int = 10) -> str:
    """The trend of time per question against budget, oldest first, in words: `1.4× 1.1×
    0.9× budget (last: 3 questions, 12:30 of 10:00)`; '' without any."""
    if not rows:
        return ""
    series = " ".join(f"{row.ratio:.1f}×" for row in rows[-last:])
    newest = rows[-1]
    return (f"{series} budget (last: {newest.questions} question"
            f"{'s' if newest.questions > 1 else ''}, {mmss(newest.seconds)} of "
            f"{mmss(newest.budget_seconds)})")


def _question_pace(record: PracticeRecord) -> QuestionPace | None:
    """From the digest's `pace` (companion.digest: the questions asked that have a budget,
    their seconds and budgets summed); None when none had one."""
    if not record.pace:
        return None
    questions, seconds, budget = record.pace
    return QuestionPace(record.session_id, record.plan_id, iso(record.started_at),
                        int(questions), float(seconds), float(budget))


def _suggestion(plan_id: str, recent: list[PracticeRecord], lib: Library | None,
                reps_per_week: Counter[str]) -> str:
    last = recent[-1]
    minutes = last.minutes
    shorter = None
    if lib is not None:
        options = [p for p in lib.plans.values()
                   if p.mode == "practice" and p.id != plan_id and 0 < p.minutes < minutes]
        same_stage = [p for p in options if p.stage == last.stage]
        pool = same_stage or options
        if pool:
            shorter = max(pool, key=lambda p: p.minutes)
    scope = (f"try the shorter plan {shorter.id} ({shorter.minutes:g} min)" if shorter
             else f"narrow the scope of {plan_id}: one question, solved end to end")
    this_week = max(reps_per_week.values()) if reps_per_week else 0
    return (f"Below the pass mark on average over the last {len(recent)}: {scope}, and increase "
            f"reps (your busiest week had {this_week}; aim for more, shorter sessions).")
