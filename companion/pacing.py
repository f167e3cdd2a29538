"""Pacing: each question's budget, the time each question took, whether the interview is
ahead of or behind its plan, and whether the protected (closing) section is being eaten into.

Pure arithmetic over the session state (no I/O, no Textual), cheap enough for every tick.
Every time here is section time as the timer counts it (`SessionState.section_used`), so a
pause counts for nothing here either.

The rules:

- **Budgets.** A question with `minutes` has that budget (at most its section's minutes:
  a question written for a whole exercise in phases is paced by the section it is asked
  in). The others share equally what
  their section has left, among the questions not asked yet: at the moment a question is
  marked asked its budget is fixed at (section time left - minutes of the other unasked
  questions that have some) / (unasked questions without minutes); in the running section
  the unasked ones share what is left after the running question's budget. A question never
  asked in a section that is not running has the plan's share. Ad-hoc questions are not in
  the plan and have no budget.
- **Time per question.** From the moment it was marked asked to the next question of its
  section marked asked, or to the section's time used (now, for the current one).
- **Ahead or behind.** The time used so far plus the plan's time for what is left, against
  the plan's total: a closed section counts as the time it took; a section to come as its
  minutes; the current one as its time left, or, once one of its questions is marked
  asked, the plan's share of its unasked questions plus what the running question has left
  when that is more. (The plan's share: a question's minutes, or an equal part of what the
  section's minutes leave after them.) So an overrun shows at once, and time saved counts
  once the section is left.
- **Protected end.** When the interview would reach the next protected section later than
  the plan says, at this pace, that section gets only what is left of the plan's total.
"""

from __future__ import annotations

from dataclasses import dataclass

from companion.clock import mmss
from companion.model import Prompt
from companion.state import SectionState, SessionState

MINUTE = 60.0
GLYPH_BEHIND, GLYPH_AHEAD, GLYPH_ON_PLAN = "▼", "▲", "●"


@dataclass(frozen=True, slots=True)
class QuestionTime:
    """One question of a section as paced: when it was asked (section seconds), how long it
    took, its budget (None: ad hoc or an untimed section) and its rating."""

    section: int
    prompt: Prompt
    asked_at: float | None
    seconds: float | None
    budget: float | None
    rating: str | None
    running: bool = False  # the question being asked now


@dataclass(frozen=True, slots=True)
class ProtectedShortfall:
    """The protected section ahead gets `gets` of its `planned` seconds at this pace."""

    section: int
    title: str
    planned: float
    gets: float


@dataclass(frozen=True, slots=True)
class Pace:
    """What the pacing line shows. `behind` is seconds (negative: ahead); None when the
    plan has no minutes at all."""

    behind: float | None
    questions_left: int
    section_left: float | None
    current: QuestionTime | None  # the running question, else the next one
    protected: ProtectedShortfall | None


def _planned_prompts(section: SectionState) -> list[Prompt]:
    return [p for p in section.prompts if p.source != "ad hoc"]


def _own(prompt: Prompt, planned: float | None) -> float:
    """A question's own minutes in seconds, at most its section's: a bank question written
    for a whole exercise in phases (30 minutes, asked in a 5-minute "read and clarify"
    section) is paced by the section it is asked in; the phases after it have their own."""
    seconds = (prompt.minutes or 0) * MINUTE
    return seconds if planned is None else min(seconds, planned)


def plan_shares(section: SectionState) -> dict[str, float]:
    """The plan's budget of each planned question: its minutes, or an equal part of what
    the section's minutes leave after the questions that have minutes."""
    planned = section.planned
    prompts = _planned_prompts(section)
    if planned is None:
        return {p.id: _own(p, None) for p in prompts if p.minutes}
    explicit = sum(_own(p, planned) for p in prompts if p.minutes)
    shared = [p for p in prompts if not p.minutes]
    share = max(0.0, planned - explicit) / len(shared) if shared else 0.0
    return {p.id: _own(p, planned) if p.minutes else share for p in prompts}


def _share(left: float, unasked: list[Prompt], prompt: Prompt, planned: float | None) -> float:
    """`prompt`'s budget when `left` seconds remain for the `unasked` questions."""
    if prompt.minutes:
        return _own(prompt, planned)
    shared = [p for p in unasked if not p.minutes]
    rest = left - sum(_own(p, planned) for p in unasked if p.minutes)
    return max(0.0, rest / len(shared)) if shared else 0.0


def _asked_order(section: SectionState) -> list[tuple[str, float]]:
    ids = {p.id for p in section.prompts}
    return sorted(((pid, at) for pid, at in section.asked_used.items() if pid in ids),
                  key=lambda item: item[1])


def section_questions(state: SessionState, index: int,
                      now: float | None = None) -> list[QuestionTime]:
    """Every question of section `index`, in the section's order, as paced."""
    section = state.sections[index]
    used = state.section_used(index, now)
    planned = section.planned
    order = _asked_order(section)
    by_id = {p.id: p for p in section.prompts}
    planned_ids = {p.id for p in _planned_prompts(section)}
    unasked = [p for p in section.prompts if p.id in planned_ids]
    budgets: dict[str, float | None] = {}
    took: dict[str, float] = {}
    for position, (pid, at) in enumerate(order):
        prompt = by_id[pid]
        if pid in planned_ids:
            budgets[pid] = (None if planned is None and not prompt.minutes
                            else _share((planned or 0.0) - at, unasked, prompt, planned))
            unasked = [p for p in unasked if p.id != pid]
        end = order[position + 1][1] if position + 1 < len(order) else used
        took[pid] = max(0.0, end - at)
    running_id = order[-1][0] if order and index == state.current and not state.finished \
        else None
    if index == state.current and not state.finished:
        # The questions not asked yet share what is left after the running question's.
        left = (planned or 0.0) - used
        if running_id is not None:
            left -= max(0.0, (budgets.get(running_id) or 0.0) - took[running_id])
        for prompt in unasked:
            budgets[prompt.id] = (None if planned is None and not prompt.minutes
                                  else _share(left, unasked, prompt, planned))
    else:
        # A section not running now: what the plan gives the questions never asked.
        shares = plan_shares(section)
        for prompt in unasked:
            budgets[prompt.id] = shares.get(prompt.id)
    return [
        QuestionTime(index, p, section.asked_used.get(p.id), took.get(p.id),
                     budgets.get(p.id), section.ratings.get(p.id), p.id == running_id)
        for p in section.prompts
    ]


def _current_left(state: SessionState, index: int, now: float) -> float:
    """The plan's time still needed for the current section (see the module's rules)."""
    section = state.sections[index]
    clock_left = max(0.0, (section.planned or 0.0) - state.section_used(index, now))
    shares = plan_shares(section)
    order = _asked_order(section)
    if not any(pid in shares for pid, _at in order):
        return clock_left
    asked = {pid for pid, _at in order}
    left = sum(share for pid, share in shares.items() if pid not in asked)
    running, at = order[-1]
    took = state.section_used(index, now) - at
    # A section's slack (minutes no question claims) is spent as planned, not gained.
    return max(clock_left, left + max(0.0, shares.get(running, 0.0) - took))


def _to_come(state: SessionState, index: int) -> bool:
    section = state.sections[index]
    return not (section.visited or section.ended or section.skipped)


def behind(state: SessionState, now: float) -> float | None:
    """Seconds behind the plan (negative: ahead); None when no section has minutes."""
    used = needed = planned = 0.0
    timed = False
    for index, section in enumerate(state.sections):
        if section.planned is None:
            continue
        timed = True
        planned += section.planned
        if index == state.current and not state.finished:
            used += state.section_used(index, now)
            needed += _current_left(state, index, now)
        elif _to_come(state, index):
            needed += section.planned
        else:
            used += state.section_used(index, now)
    return used + needed - planned if timed else None


def protected_shortfall(state: SessionState, now: float) -> ProtectedShortfall | None:
    """The next protected section after the current one, when at this pace it would get at
    least a minute less than planned; None otherwise (or once it has started)."""
    if state.finished:
        return None
    target = next((i for i in range(state.current + 1, len(state.sections))
                   if state.sections[i].plan.protected and _to_come(state, i)
                   and state.sections[i].planned), None)
    if target is None:
        return None
    start = 0.0  # when the protected section starts, at this pace
    after = 0.0  # the plan's time of the sections after it
    total = 0.0
    for index, section in enumerate(state.sections):
        if section.planned is None:
            continue
        total += section.planned
        if index > target and _to_come(state, index):
            after += section.planned
        elif index < target:
            if index == state.current:
                start += state.section_used(index, now) + _current_left(state, index, now)
            elif _to_come(state, index):
                start += section.planned
            else:
                start += state.section_used(index, now)
    planned = state.sections[target].planned or 0.0
    gets = max(0.0, min(planned, total - after - start))
    if planned - gets < MINUTE:
        return None
    return ProtectedShortfall(target, state.sections[target].plan.title, planned, gets)


def pace(state: SessionState, now: float, highlighted: str | None = None) -> Pace:
    """The pacing of the current section and the whole plan. `highlighted`: the question
    the interviewer has highlighted, shown when none is running."""
    index = state.current
    questions = section_questions(state, index, now)
    running = next((q for q in questions if q.running), None)
    unasked = [q for q in questions if q.asked_at is None]
    current = running or next((q for q in unasked if q.prompt.id == highlighted),
                              unasked[0] if unasked else None)
    return Pace(
        behind=behind(state, now),
        questions_left=len(unasked),
        section_left=state.section_left(index, now),
        current=current,
        protected=protected_shortfall(state, now),
    )


def _minutes(seconds: float) -> int:
    return int(seconds // MINUTE)


def pace_words(p: Pace, compact: bool = False) -> str:
    return " · ".join(pace_parts(p, compact))


def pace_fitted(p: Pace, width: int) -> str:
    """The pacing line in at most `width` characters: whole, else in fewer words, else
    without its last parts (what is left of the section, then the running question): the
    plan's pace and the protected end's warning go first."""
    words = pace_words(p)
    if len(words) <= width:
        return words
    parts = pace_parts(p, compact=True)
    while len(parts) > 1 and len(" · ".join(parts)) > width:
        parts.pop()
    return " · ".join(parts)


def pace_parts(p: Pace, compact: bool = False) -> list[str]:
    """The pacing line in words and a glyph, e.g. `▼ 4 min behind · question 3 of 5 min ·
    2 questions left in 6 min`. Whole minutes only: it changes about once a minute.
    `compact`: fewer words, for a narrow screen (`▼ 4 min behind · q 2/5 min · 2 q left in
    6 min`)."""
    parts: list[str] = []
    if p.behind is not None:
        off = round(p.behind / MINUTE)
        if off > 0:
            parts.append(f"{GLYPH_BEHIND} {off} min behind")
        elif off < 0:
            parts.append(f"{GLYPH_AHEAD} {-off} min ahead")
        else:
            parts.append(f"{GLYPH_ON_PLAN} on plan")
    if p.protected is not None:
        short = p.protected
        gets, planned = _minutes(short.gets), f"{short.planned / MINUTE:g}"
        parts.append(f"⚠ {short.title}: {gets} of {planned} min" if compact else
                     f"⚠ {short.title} will get {gets} of its {planned} min at this pace")
    current = p.current
    question = "q" if compact else "question"
    if current is not None and current.budget is not None:
        budget = f"{current.budget / MINUTE:.0f} min"
        if current.running and current.seconds is not None:
            over = " (over)" if current.seconds > current.budget else ""
            took = _minutes(current.seconds)
            parts.append(f"q {took}/{budget}{over}" if compact else
                         f"question {took} of {budget}{over}")
        else:
            parts.append(f"next {question} {budget}")
    if p.questions_left and p.section_left is not None:
        plural = "s" if p.questions_left > 1 and not compact else ""
        count = f"{p.questions_left} {question}{plural} left"
        if p.section_left < 0:
            parts.append(f"{count}, section over time")
        elif p.section_left < MINUTE:
            parts.append(f"{count} in under 1 min")
        else:
            parts.append(f"{count} in {_minutes(p.section_left)} min")
    return parts


def took_words(seconds: float | None, budget: float | None) -> str:
    """`took 03:20 of 05:00`, `took 03:20 (no budget)`, or '' when never asked."""
    if seconds is None:
        return ""
    if budget is None:
        return f"took {mmss(seconds)} (no budget)"
    return f"took {mmss(seconds)} of {mmss(budget)}"
