"""Commands about sessions: list, run, resume. Only `run` and `resume` import Textual."""

from __future__ import annotations

import json
import random
from typing import Any

import click

from companion.cli import _config, common_options, load_content, main
from companion.content import UnknownPlan, resolve_plan
from companion.errors import CompanionError
from companion.store import Store, StoreError


def open_store(ctx: click.Context) -> Store:
    try:
        return Store(_config(ctx).db_path)
    except StoreError as err:
        raise CompanionError(str(err)) from None


def resolve_session_id(store: Store, given: str | None) -> str:
    """A full id, a unique prefix, or (None) the newest session that was not ended."""
    if given is None:
        latest = store.latest_unfinished()
        if latest is None:
            raise CompanionError("no session in progress to resume; start one with "
                                 "`companion run PLAN --candidate NAME`")
        return latest
    found = store.find(given)
    if not found:
        raise CompanionError(f"no session '{given}'; `companion sessions` lists them")
    if len(found) > 1:
        raise CompanionError(f"'{given}' matches {len(found)} sessions ({', '.join(found[:5])}); "
                             "type more of the id")
    return found[0]


_SESSION_KEYS = ("id", "plan_id", "plan_title", "mode", "candidate", "candidate_id", "role",
                 "level", "interviewer", "started_at", "ended_at", "status", "score",
                 "max_score", "recommendation", "source")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--candidate", help="Only this candidate (name, any case, or stable id).")
@click.option("--status", type=click.Choice(["running", "paused", "ended", "abandoned"]),
              help="Only sessions in this state.")
@common_options
@click.pass_context
def sessions(ctx: click.Context, as_json: bool, candidate: str | None,
             status: str | None) -> None:
    """List sessions, newest first."""
    with open_store(ctx) as store:
        try:
            rows = store.sessions(candidate=candidate, status=status)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    if as_json:
        click.echo(json.dumps([{k: r.get(k) for k in _SESSION_KEYS} for r in rows], indent=2,
                              ensure_ascii=False))
        return
    if not rows:
        click.echo("No sessions yet. Start one with `companion run PLAN --candidate NAME` "
                   "(`companion plans` lists the plans).")
        return
    for r in rows:
        score = f"{r['score']}/{r['max_score']}" if r["score"] is not None else "-"
        when = (r["started_at"] or "")[:16].replace("T", " ")
        click.echo(f"{r['id']}  {when}  {r['status']:<9}  {score:>5}  "
                   f"{_one_line(r['candidate'])[:24]:<24}  {r['plan_id']}"
                   + (f"  ({r['recommendation']})" if r["recommendation"] else ""))


def _one_line(text: Any) -> str:
    """User text for a terminal line: no control characters, no line breaks."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text or ""))


@main.command()
@click.argument("plan_id")
@click.option("--candidate", required=True, help="The candidate's name.")
@click.option("--candidate-id", default="", help="A stable id: email or ATS id.")
@click.option("--role", default="", help="Role, for role-tagged questions (e.g. backend).")
@click.option("--level", default="", help="Level (e.g. mid, senior).")
@click.option("--interviewer", default="", help="Your name (remembered from last time).")
@click.option("--seed", type=int, default=None, hidden=True)
@common_options
@click.pass_context
def run(ctx: click.Context, plan_id: str, candidate: str, candidate_id: str, role: str,
        level: str, interviewer: str, seed: int | None) -> None:
    """Open the live screen on a new session of PLAN_ID."""
    if not candidate.strip():
        raise CompanionError("--candidate needs a name")
    lib = load_content(ctx)
    try:
        plan = resolve_plan(lib, plan_id, role or None, level or None, random.Random(seed))
    except UnknownPlan as err:
        raise CompanionError(str(err)) from None
    from companion.launch import run_new

    store = open_store(ctx)
    run_new(store, plan, candidate=candidate.strip(), candidate_id=candidate_id.strip(),
            role=role.strip(), level=level.strip(),
            interviewer=interviewer.strip() or store.last_interviewer(), library=lib)


@main.command()
@click.argument("session_id", required=False)
@common_options
@click.pass_context
def resume(ctx: click.Context, session_id: str | None) -> None:
    """Reopen a session that was not ended (the newest when no id)."""
    store = open_store(ctx)
    sid = resolve_session_id(store, session_id)
    row = store.session(sid)
    if row and row["status"] in ("ended", "abandoned"):
        raise CompanionError(f"session {sid} has {row['status']}; `companion export {sid}` "
                             "shows it")
    from companion.launch import run_resume

    run_resume(store, sid, load_content(ctx, quiet=True))
