"""`companion candidates`: the people in the database, and fixing an identity through events.

The identity rule (companion.store.database._candidate_filter): a stable id identifies a
person; a session without an id is a person of its own until `candidates merge` gives it an
id (a candidate_merged event in its log); names are compared case-folded. `candidates rename`
appends a candidate_renamed event to each of the person's sessions. History is never
rewritten: each session's start event keeps what was typed, and a sealed scorecard shows the
change as an amendment (`companion verify`)."""

from __future__ import annotations

import json
from typing import Any

import click

from companion.cli.common import common_options, matched_words, one_line, open_store
from companion.errors import CompanionError
from companion.store.database import Store, StoreError


def _people_text(people: list[dict[str, Any]]) -> str:
    if not people:
        return ("No candidates yet. Start an interview with `companion run PLAN --candidate "
                "NAME --candidate-id ID`.")
    width = max(9, *(len(one_line(p["name"])[:28]) for p in people))
    lines = [f"{'CANDIDATE':<{width}}  {'ID':<28}  {'SESSIONS':>8}  LAST SEEN"]
    for p in people:
        ident = (", ".join(map(one_line, p["ids"])) if p["ids"]
                 else f"(no id) session {p['session_ids'][0]}")
        names = [n for n in p["names"] if n != p["name"]]
        also = f"  also named: {', '.join(map(one_line, names))}" if names else ""
        lines.append(f"{one_line(p['name'])[:28]:<{width}}  {ident:<28}  {p['sessions']:>8}  "
                     f"{str(p['last_seen'])[:16].replace('T', ' ')}{also}")
    unidentified = sum(1 for p in people if not p["ids"])
    if unidentified:
        lines.append(f"{unidentified} session(s) without an id count as people of their own; "
                     "`companion candidates merge --into ID SESSION` joins one to a person.")
    return "\n".join(lines)


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: each person's key, name, names, ids, sessions, session_ids, "
                   "last_seen, role, level.")
@click.option("--practice", is_flag=True, help="Count practice sessions too.")
@common_options
@click.pass_context
def candidates(ctx: click.Context, as_json: bool, practice: bool) -> None:
    """The people in the database: name, ids, number of sessions, last seen.

    A stable id identifies a person; a session without an id is a person of its own until
    `candidates merge` joins it to one. `candidates rename` fixes a name."""
    if ctx.invoked_subcommand is not None:
        return
    with open_store(ctx) as store:
        try:
            people = store.people(practice=practice)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    if as_json:
        click.echo(json.dumps(people, indent=2, ensure_ascii=False))
        return
    click.echo(_people_text(people))


def _resolve_sessions(store: Store, given: tuple[str, ...]) -> list[str]:
    ids = []
    for prefix in given:
        found = store.find(prefix)
        if not found:
            raise CompanionError(f"no session '{one_line(prefix)}'; `companion candidates` "
                                 "and `companion sessions` list them (nothing was changed)")
        if len(found) > 1:
            raise CompanionError(f"'{one_line(prefix)}' matches {len(found)} sessions "
                                 f"({', '.join(found[:5])}); type more of the id (nothing "
                                 "was changed)")
        ids.append(found[0])
    return list(dict.fromkeys(ids))


def _refuse_open(store: Store, ids: list[str]) -> None:
    """A session in progress may be open in the app: an event written beside it would break
    its next write. Such sessions are refused, all or nothing."""
    open_ones = [sid for sid in ids
                 if (store.session(sid) or {}).get("status") in ("running", "paused")]
    if open_ones:
        raise CompanionError(
            f"session(s) {', '.join(open_ones)} are still in progress; end or abandon them "
            "first (`companion resume ID`), then run this again (nothing was changed)")


def _append(store: Store, session_id: str, body: Any) -> None:
    from companion.clock import RealClock
    from companion.session import Session, SessionError

    try:
        session = Session(store.events(session_id), RealClock(), store.sink(session_id))
        session.append(body)
    except SessionError as err:
        raise CompanionError(f"session {session_id}: {err}") from None


@candidates.command()
@click.argument("sessions", nargs=-1, required=True, metavar="SESSION...")
@click.option("--into", "into", required=True, metavar="ID",
              help="The stable id of the person these sessions are of.")
@common_options
@click.pass_context
def merge(ctx: click.Context, sessions: tuple[str, ...], into: str) -> None:
    """Join sessions that have no stable id to the person with the id given in --into (a
    candidate_merged event in each session's log; what was typed stays in its start)."""
    into = into.strip()
    if not into:
        raise CompanionError("--into needs a stable id (an email or ATS id)")
    with open_store(ctx) as store:
        try:
            ids = _resolve_sessions(store, sessions)
            rows = [store.session(sid) or {} for sid in ids]
            having = [r for r in rows if r.get("candidate_id")]
            if having:
                raise CompanionError(
                    "a stable id identifies a person, so a session that has one is not "
                    "merged: " + ", ".join(f"{r['id']} has {one_line(r['candidate_id'])}"
                                           for r in having)
                    + " (nothing was changed)")
            known = store.candidate_matches(into)["by"] == "id"
            _refuse_open(store, ids)
            for sid in ids:
                _append(store, sid, _merged(into))
        except StoreError as err:
            raise CompanionError(str(err)) from None
    for r in rows:
        click.echo(f"merged session {r['id']} ({one_line(r['candidate'])}, "
                   f"{str(r['started_at'])[:10]}) into {one_line(into)}")
    if not known:
        click.echo(f"note: no session had the id {one_line(into)} before: it is a new "
                   "person's id", err=True)
    click.echo("Recorded as events; a sealed scorecard shows it as an amendment.", err=True)


def _merged(candidate_id: str) -> Any:
    from companion.events import CandidateMerged

    return CandidateMerged(candidate_id=candidate_id)


def _renamed(name: str) -> Any:
    from companion.events import CandidateRenamed

    return CandidateRenamed(name=name)


@candidates.command()
@click.argument("who", metavar="ID_OR_SESSION_OR_NAME")
@click.argument("new_name", metavar="NEW_NAME")
@common_options
@click.pass_context
def rename(ctx: click.Context, who: str, new_name: str) -> None:
    """Give a person a new name on every one of their sessions (a candidate_renamed event in
    each log). WHO is a stable id, a session id (for a session without an id), or a name that
    only one person has."""
    new_name = " ".join(new_name.split())
    if not new_name:
        raise CompanionError("NEW_NAME is empty; give the name as it should read")
    with open_store(ctx) as store:
        try:
            ids = _person_sessions(store, who.strip())
            _refuse_open(store, ids)
            changed = 0
            for sid in ids:
                row = store.session(sid) or {}
                if row.get("candidate") == new_name:
                    continue
                _append(store, sid, _renamed(new_name))
                changed += 1
        except StoreError as err:
            raise CompanionError(str(err)) from None
    click.echo(f"renamed {changed} session(s) to {one_line(new_name)}"
               + (f" ({len(ids) - changed} had that name already)" if changed < len(ids)
                  else ""))


def _person_sessions(store: Store, who: str) -> list[str]:
    """The sessions of the one person WHO names (an id, a session, or an unambiguous name)."""
    if not who:
        raise CompanionError("say whose name to change: a stable id, a session id or a name")
    matches = store.candidate_matches(who)
    if matches["by"] == "id":
        return [r["id"] for r in store.sessions(candidate=who)]
    if matches["by"] == "name":
        people = len(matches["ids"]) + len(matches["without_id"])
        if people == 1:
            return [r["id"] for r in store.sessions(candidate=who)]
        raise CompanionError(f"{matched_words(who, matches)} (nothing was changed)")
    found = store.find(who)
    if len(found) == 1:
        row = store.session(found[0]) or {}
        if row.get("candidate_id"):
            return [r["id"] for r in store.sessions(candidate=row["candidate_id"])]
        return found
    raise CompanionError(f"no candidate, id or session '{one_line(who)}'; `companion "
                         "candidates` lists them (nothing was changed)")


COMMANDS = (candidates,)
