"""Commands about sessions that open the app or read practice: run, resume, amend, practice,
stats (the listing is companion.cli.listing). Only the app commands import Textual."""

from __future__ import annotations

import json
import random
from typing import TYPE_CHECKING

import click

from companion.archetypes import ARCHETYPES
from companion.cli.common import (
    common_options,
    load_content,
    one_line,
    open_store,
    resolve_session_id,
)
from companion.errors import CompanionError
from companion.store.database import StoreError
from companion.textsafe import json_safe, printable

if TYPE_CHECKING:
    from collections.abc import Callable

    from companion.content.library import Library
    from companion.practice.stats import PracticeStats
    from companion.store.database import Store

@click.command()
@click.argument("plan_id")
@click.option("--candidate", required=True, help="The candidate's name.")
@click.option("--candidate-id", default="", help="A stable id: email or ATS id.")
@click.option("--role", default="", help="Role, for role-tagged questions (e.g. backend).")
@click.option("--level", default="", help="Level (e.g. mid, senior).")
@click.option("--interviewer", default="", help="Your name (remembered from last time).")
@click.option("--archetype", type=click.Choice(ARCHETYPES), default=None,
              help="The company archetype: its questions are asked first (seed 001).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None, hidden=True)
@common_options
@click.pass_context
def run(ctx: click.Context, plan_id: str, candidate: str, candidate_id: str, role: str,
        level: str, interviewer: str, archetype: str | None, seed: int | None) -> None:
    """Open the live screen on a new session of PLAN_ID."""
    if not candidate.strip():
        raise CompanionError("--candidate needs a name")
    lib = load_content(ctx)
    try:
        from companion.content.library import UnknownPlan, resolve_plan

        plan = resolve_plan(lib, plan_id, role or None, level or None, random.Random(seed),
                            archetype=archetype)
    except UnknownPlan as err:
        raise CompanionError(str(err)) from None
    from companion.cli.launch import run_new

    store = open_store(ctx)
    try:
        interviewer = interviewer.strip() or store.last_interviewer()
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    # The live screen is built without the content in memory (home reads it again if
    # opened), unless it has problems: then the app says so at start (companion.tui.app).
    content = lib if lib.problems else _later(ctx)
    del lib
    run_new(store, plan, candidate=candidate.strip(), candidate_id=candidate_id.strip(),
            role=role.strip(), level=level.strip(), interviewer=interviewer,
            library=content, archetype=archetype or "")


def _later(ctx: click.Context) -> Callable[[], Library]:
    """The content, read again (from its cache) when the app first needs it."""
    return lambda: load_content(ctx, quiet=True)


@click.command()
@click.argument("session_id", required=False)
@click.option("--read-only", "read_only", is_flag=True,
              help="When another terminal holds the session: look at it, write nothing.")
@click.option("--take-over", "take_over", is_flag=True,
              help="When another terminal holds the session: hold it here instead (that "
                   "terminal turns read-only).")
@common_options
@click.pass_context
def resume(ctx: click.Context, session_id: str | None, read_only: bool,
           take_over: bool) -> None:
    """Reopen a session that was not ended (the newest when no id).

    A session is held by one terminal at a time. When another holds it, you are asked
    whether to open it read-only, take it over, or quit (or say so with --read-only or
    --take-over)."""
    if read_only and take_over:
        raise CompanionError("give --read-only or --take-over, not both")
    store = open_store(ctx)
    try:
        sid = resolve_session_id(store, session_id)
        row = store.session(sid)
    except (StoreError, CompanionError) as err:
        store.close()
        if isinstance(err, CompanionError):
            raise
        raise CompanionError(str(err)) from None
    if row and row["status"] in ("ended", "abandoned"):
        amend = (f", and `companion amend {sid}` changes its scorecard"
                 if row["status"] == "ended" else "")
        raise CompanionError(f"session {sid} has {row['status']}; `companion export {sid}` "
                             f"shows it{amend}")
    from companion.cli.launch import run_resume

    # The content is read when the app first needs it (home, a practice redraw).
    run_resume(store, sid, _later(ctx), read_only=read_only,
               take_over=take_over)


@click.command()
@click.argument("plan_id", required=False)
@click.option("--candidate", default="me", show_default=True,
              help="Whose practice this is (your name; history and draws follow it).")
@click.option("--role", default="", help="Role, for role-tagged questions (e.g. backend).")
@click.option("--level", default="", help="Level (e.g. mid, senior).")
@click.option("--question", default=None,
              help="Practise this question (BANK/QUESTION, or a question id of the plan).")
@click.option("--focus-weak", is_flag=True,
              help="Draw questions that exercise your weakest criterion 4x as often.")
@click.option("--think", type=click.IntRange(0, 3600), default=0,
              help="Seconds to think before the clock starts (default: starts at once).")
@click.option("--seed", type=click.IntRange(0, 2**63 - 1), default=None, hidden=True)
@common_options
@click.pass_context
def practice(ctx: click.Context, plan_id: str | None, candidate: str, role: str, level: str,
             question: str | None, focus_weak: bool, think: int, seed: int | None) -> None:
    """Practise alone: drawn questions, a hard timer, self-scoring, a post-mortem.

    Questions you saw in your last 5 sessions of the plan are not drawn again (while the
    bank has others). With no PLAN_ID, opens the home screen on the practice plans."""
    lib = load_content(ctx)
    store = open_store(ctx)
    from companion.cli.launch import open_practice_home, run_new
    from companion.content.library import UnknownPlan
    from companion.practice.draws import PracticeError, practice_plan

    if plan_id is None:
        open_practice_home(store, lib)
        return
    plan = lib.plans.get(plan_id)
    if plan is not None and plan.mode != "practice":
        raise CompanionError(f"'{plan_id}' is not a practice plan (its mode is {plan.mode}); "
                             "practice plans: "
                             + ", ".join(sorted(p.id for p in lib.plans.values()
                                                if p.mode == "practice")))
    try:
        session_plan = practice_plan(lib, store, plan_id, candidate=candidate.strip() or "me",
                                     role=role or None, level=level or None,
                                     rng=random.Random(seed), focus_weak=focus_weak,
                                     question=question)
    except (UnknownPlan, PracticeError) as err:
        raise CompanionError(str(err)) from None
    run_new(store, session_plan, candidate=candidate.strip() or "me", candidate_id="",
            role=role, level=level, interviewer="", library=lib, think=think)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--plan", "plan_id", default=None, help="Only this practice plan.")
@click.option("--candidate", default=None, help="Only this candidate's practice.")
@common_options
@click.pass_context
def stats(ctx: click.Context, as_json: bool, plan_id: str | None,
          candidate: str | None) -> None:
    """Your practice trend: totals, weakest criterion, time per section, reps, advice."""
    from companion.practice.stats import practice_records, practice_stats

    # The content is read only when needed (a plan to check, advice naming a shorter plan):
    # the trend itself comes from the listing's rows.
    lib = load_content(ctx, quiet=True) if plan_id or candidate else None
    with open_store(ctx) as store:
        try:
            if lib is not None:
                _check_stats_filters(store, lib, plan_id, candidate)
            history = practice_records(store, candidate, plan_id)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    result = practice_stats(history, lib if lib is not None else _later(ctx))
    if as_json:
        click.echo(json_safe(json.dumps(result.to_json(), indent=2, ensure_ascii=False,
                                        allow_nan=False)))
        return
    click.echo(printable(stats_text(result)))  # titles come from user banks


def _did_you_mean(given: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(given, known, n=1, cutoff=0.5)
    if not close:
        close = [k for k in known if given.casefold() in k.casefold()][:1]
    if close:
        return f"; did you mean '{one_line(close[0])}'?"
    return f"; known: {', '.join(map(one_line, known[:8]))}" if known else ""


def _check_stats_filters(store: Store, lib: Library, plan_id: str | None,
                         candidate: str | None) -> None:
    """An unknown plan or candidate is bad input (exit 2), said with a did-you-mean."""
    names, plans = store.practice_names()
    if plan_id:
        known_plans = sorted(set(plans)
                             | {p.id for p in lib.plans.values() if p.mode == "practice"})
        if plan_id not in known_plans:
            raise CompanionError(f"no practice plan '{one_line(plan_id)}'"
                                 + _did_you_mean(plan_id, known_plans)
                                 + " (`companion plans` lists them)")
    if candidate:
        matches = store.candidate_matches(candidate)
        if matches["by"] is None or not store.practice_rows(candidate, limit=1,
                                                                 abandoned=True):
            names = sorted(names, key=str.casefold)
            raise CompanionError(f"no practice by '{one_line(candidate)}'"
                                 + _did_you_mean(candidate, names))


def stats_text(result: PracticeStats) -> str:
    from companion.practice.stats import question_pace_words

    if not result.sessions:
        return ("No practice yet. Start with `companion practice` (pick a plan) or "
                "`companion practice practice-coding`; your trend shows here after a few.")
    lines = [f"{result.sessions} practice session(s), {result.scored} scored."]
    if result.totals:
        series = " ".join(f"{t.total}/{t.max}" for t in result.totals[-10:])
        lines.append(f"Totals (oldest first): {series}")
    if result.weakest:
        w = result.weakest
        lines.append(f"Weakest criterion: {one_line(w.title)} (average {w.average:.2f}/2)")
        lines.append("Averages: " + ", ".join(f"{one_line(c.title)} {c.average:.2f}"
                                              for c in result.criteria))
    lines.append("Reps per plan: " + ", ".join(f"{k} {v}" for k, v in
                                              result.reps_per_plan.items()))
    lines.append("Reps per week: " + ", ".join(f"{k} {v}" for k, v in
                                              result.reps_per_week.items()))
    for row in result.section_times:
        planned_text = f"{row.planned_seconds / 60:g} min" if row.planned_seconds else "untimed"
        lines.append(f"  {row.plan_id} / {one_line(row.section)}: "
                     f"{row.average_used_seconds / 60:.1f} min used of {planned_text}")
    paced = question_pace_words(result.question_pace)
    if paced:
        lines.append(f"Time per question, against its budget (oldest first): {paced}")
    for entry in result.advice:
        verdict = "below" if entry.below else "at or above"
        lines.append(f"{entry.plan_id}: average {entry.average:.1f}/{entry.max} over "
                     f"the last {entry.last}, {verdict} the pass mark {entry.threshold}.")
        if entry.suggestion:
            lines.append(f"  {entry.suggestion}")
    return "\n".join(lines)


@click.command()
@click.argument("session_id")
@click.option("--take-over", "take_over", is_flag=True,
              help="When another terminal holds the session: hold it here instead.")
@common_options
@click.pass_context
def amend(ctx: click.Context, session_id: str, take_over: bool) -> None:
    """Change an ended session's scores, recommendation, summary or post-mortem.

    Opens its rubric, then the recommendation and summary, as after the call. Each field
    changed is kept as one amendment (every export shows it as such, and `companion verify`
    says the seal was amended after it was made). Only your own sessions: one imported from
    another interviewer is theirs to amend."""
    from companion.holding import amend_problem

    store = open_store(ctx)
    try:
        sid = resolve_session_id(store, session_id)
        problem = amend_problem(store.session(sid), sid)
    except (StoreError, CompanionError) as err:
        store.close()
        if isinstance(err, CompanionError):
            raise
        raise CompanionError(str(err)) from None
    if problem:
        store.close()
        raise CompanionError(problem)
    from companion.cli.launch import run_amend

    run_amend(store, sid, load_content(ctx, quiet=True), take_over=take_over)
