"""Practice: which questions to draw for a candidate practising alone.

By default nothing the candidate saw in their last WINDOW sessions of the same plan; with
`focus_weak`, questions naming the rubric criterion they score lowest on are drawn
WEAK_WEIGHT times as often; or one question chosen by id."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

from companion.content.library import Library, draw, resolve_plan
from companion.model import Prompt, SessionPlan, TagQuery
from companion.practice.stats import PracticeRecord, practice_records
from companion.session import SessionState, replay
from companion.store.database import Store

WINDOW = 5
WEAK_WEIGHT = 3.0  # a question naming the weakest criterion weighs 1 + 3 = 4 times the rest


class PracticeError(ValueError):
    """A practice request that cannot be met (the message says what to do)."""


def practice_history(store: Store, candidate: str | None, plan_id: str | None = None,
                     limit: int | None = None) -> list[SessionState]:
    """The candidate's practice sessions (everyone's with None), newest first, replayed:
    only the `limit` newest are read (the practice index)."""
    rows = store.practice_rows(candidate or None, plan_id, limit)
    return [replay(store.events(r["id"])) for r in rows]


def seen_questions(history: list[SessionState]) -> frozenset[str]:
    return frozenset(p.id for state in history for s in state.sections for p in s.prompts)


def criterion_averages(history: Sequence[SessionState | PracticeRecord]) -> dict[str, float]:
    totals: dict[str, list[int]] = {}
    for entry in history:
        scores = (entry.scores if isinstance(entry, PracticeRecord)
                  else {c: s.score for c, s in entry.scores.items()})
        for criterion, score in scores.items():
            totals.setdefault(criterion, []).append(score)
    return {c: sum(v) / len(v) for c, v in totals.items()}


def weakest(averages: dict[str, float]) -> str | None:
    return min(averages, key=lambda c: (averages[c], c)) if averages else None


def practice_plan(
    lib: Library,
    store: Store,
    plan_id: str,
    *,
    candidate: str,
    role: str | None = None,
    level: str | None = None,
    rng: random.Random,
    focus_weak: bool = False,
    question: str | None = None,
) -> SessionPlan:
    history = practice_history(store, candidate, plan_id, limit=WINDOW)
    exclude = seen_questions(history)
    weights = None
    if focus_weak:
        # From the listing's digests: one indexed read, no replay of every session.
        weak = weakest(criterion_averages(practice_records(store, candidate)))
        weights = {weak: WEAK_WEIGHT} if weak else None
    plan = resolve_plan(lib, plan_id, role, level, rng, exclude, weights)
    if question is not None:
        plan = with_question(lib, plan_id, plan, question)
    return plan


def with_question(lib: Library, plan_id: str, plan: SessionPlan, question: str) -> SessionPlan:
    """Put one chosen question (BANK/QUESTION or a question id of the plan's banks) in place
    of the first drawn one."""
    source = lib.plans[plan_id]
    banks = [p.bank for s in source.sections for p in s.prompts if isinstance(p, TagQuery)]
    bank_id, _, question_id = question.rpartition("/")
    candidates = [bank_id] if bank_id else banks
    for bid in candidates:
        bank = lib.banks.get(bid)
        found = bank.question(question_id) if bank else None
        if bank and found:
            prompt = Prompt(f"{bank.id}/{found.id}", found.text, found.follow_ups,
                            found.look_for, found.criteria, bank.id, found.examples)
            break
    else:
        where = ", ".join(banks) or "this plan's banks"
        raise PracticeError(f"no question '{question}' in {where}; `companion show "
                            f"{plan_id}` lists examples, ids are BANK/QUESTION")
    for index, (spec_section, section) in enumerate(zip(source.sections, plan.sections,
                                                        strict=True)):
        if any(isinstance(p, TagQuery) for p in spec_section.prompts):
            sections = list(plan.sections)
            sections[index] = replace(section, prompts=(prompt, *section.prompts[1:]))
            return replace(plan, sections=tuple(sections))
    return plan


def redraw(lib: Library, state: SessionState, section: int, rng: random.Random,
           exclude: frozenset[str] = frozenset()) -> list[Prompt] | None:
    """New questions for a practice section, other than the ones on screen; None when the
    section does not draw from a bank."""
    plan = lib.plans.get(state.plan.id)
    if plan is None or section >= len(plan.sections):
        return None
    queries = [p for p in plan.sections[section].prompts if isinstance(p, TagQuery)]
    if not queries:
        return None
    shown = frozenset(p.id for p in state.sections[section].prompts)
    prompts: list[Prompt] = []
    for query in queries:
        bank = lib.banks.get(query.bank)
        if bank is None:
            continue
        for q in draw(bank, query, state.role or None, state.level or None, rng,
                      exclude | shown):
            prompts.append(Prompt(f"{bank.id}/{q.id}", q.text, q.follow_ups, q.look_for,
                                  q.criteria, bank.id, q.examples))
    return prompts or None
