"""The practice trend: totals over time, the average per criterion with the weakest named,
time used against planned per section, time per question against its budget, reps per plan
and per week, and the seeds' rule on the last five sessions of a plan ("consistently below
8/12: shorten scope, increase reps")."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from companion.clock import iso, mmss
from companion.content.library import Library
from companion.pacing import section_questions
from companion.session import SessionState

LAST = 5


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


def practice_stats(history: list[SessionState], lib: Library | None = None) -> PracticeStats:
    """`history`: practice sessions (any order). Only scored sessions count toward totals."""
    sessions = sorted(history, key=lambda s: s.started_at)
    scored = [s for s in sessions if s.scores and s.plan.rubric]
    totals = [
        SessionTotal(s.id, s.plan.id, iso(s.started_at), s.total, s.max_score,
                     s.plan.rubric.threshold if s.plan.rubric else None)
        for s in scored
    ]
    titles: dict[str, str] = {}
    per_criterion: dict[str, list[int]] = defaultdict(list)
    for s in scored:
        for c in s.plan.rubric.criteria if s.plan.rubric else ():
            titles[c.id] = c.title
            if c.id in s.scores:
                per_criterion[c.id].append(s.scores[c.id].score)
    criteria = [
        CriterionAverage(cid, titles[cid], round(sum(v) / len(v), 2), len(v))
        for cid, v in per_criterion.items()
    ]
    weakest = min(criteria, key=lambda c: (c.average, c.id)) if criteria else None
    section_times: dict[tuple[str, str], list[tuple[float, float | None]]] = defaultdict(list)
    for s in sessions:
        for index, section in enumerate(s.sections):
            if section.visited:
                section_times[(s.plan.id, section.plan.title)].append(
                    (s.section_used(index), section.planned))
    time_rows = [
        SectionTime(plan_id, title, pairs[0][1],
                    round(sum(u for u, _ in pairs) / len(pairs), 1), len(pairs))
        for (plan_id, title), pairs in section_times.items()
    ]
    reps_per_plan = Counter(s.plan.id for s in sessions)
    question_pace = [row for row in (_question_pace(s) for s in sessions) if row is not None]
    reps_per_week = Counter(_week(s.started_at) for s in sessions)
    advice: list[PlanAdvice] = []
    for plan_id in sorted(reps_per_plan):
        recent = [s for s in scored if s.plan.id == plan_id][-LAST:]
        if not recent:
            continue
        average = sum(s.total for s in recent) / len(recent)
        rubric = recent[-1].plan.rubric
        if rubric is None:
            continue
        below = average < rubric.threshold
        advice.append(PlanAdvice(
            plan_id, len(recent), round(average, 2), rubric.max_score, rubric.threshold, below,
            _suggestion(plan_id, recent, lib, reps_per_week) if below else None))
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


def _question_pace(state: SessionState) -> QuestionPace | None:
    paced = [q for index in range(len(state.sections))
             for q in section_questions(state, index)
             if q.seconds is not None and q.budget]
    if not paced:
        return None
    return QuestionPace(state.id, state.plan.id, iso(state.started_at), len(paced),
                        round(sum(q.seconds or 0.0 for q in paced), 1),
                        round(sum(q.budget or 0.0 for q in paced), 1))


def _suggestion(plan_id: str, recent: list[SessionState], lib: Library | None,
                reps_per_week: Counter[str]) -> str:
    last = recent[-1]
    minutes = last.plan.minutes
    shorter = None
    if lib is not None:
        options = [p for p in lib.plans.values()
                   if p.mode == "practice" and p.id != plan_id and 0 < p.minutes < minutes]
        same_stage = [p for p in options if p.stage == last.plan.stage]
        pool = same_stage or options
        if pool:
            shorter = max(pool, key=lambda p: p.minutes)
    scope = (f"try the shorter plan {shorter.id} ({shorter.minutes:g} min)" if shorter
             else f"narrow the scope of {plan_id}: one question, solved end to end")
    this_week = max(reps_per_week.values()) if reps_per_week else 0
    return (f"Below the pass mark on average over the last {len(recent)}: {scope}, and increase "
            f"reps (your busiest week had {this_week}; aim for more, shorter sessions).")
