"""Commands for the debrief: export, search, purge. None imports Textual."""

from __future__ import annotations

import json
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from companion.cli.common import common_options, hidden_now, one_line, open_store, say_matches
from companion.errors import CompanionError
from companion.export.formats import FORMATS
from companion.store.database import (
    PURGE_STEPS,
    PURGE_WAIT_S,
    SEARCH_LATEST,
    Store,
    StoreError,
)
from companion.textsafe import json_safe

DAY = 86_400.0
# The largest numbers the options take: far beyond any real use, and well inside what
# SQLite's 64-bit integers and the clock's dates can hold.
MAX_LIMIT = 100_000
MAX_LATEST = 100_000_000
MAX_DAYS = 36_500  # a hundred years



@click.command()
@click.argument("session_id", required=False)
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Debrief: every interview session of this candidate (name, any case, or "
                   "stable id) side by side, instead of one session.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)),
              help="md (default), json, csv, html or text; greenhouse, lever or ashby for "
                   "an applicant-tracking system (docs/exports.md); the debrief: md or html. "
                   "Without it, taken from the -o file's extension.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (created with mode 0600) instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite the -o file if it exists.")
@common_options
@click.pass_context
def export(ctx: click.Context, session_id: str | None, candidate: str | None,
           fmt: str | None, output: Path | None, force: bool) -> None:
    """Export one session (SESSION_ID, or a unique prefix of it), or with --candidate a
    debrief of every interview session of one candidate.

    Prints to stdout unless -o PATH is given. Every export carries the session's seal
    (docs/panel.md)."""
    from companion.cli.panel import export_sealed

    export_sealed(ctx, session_id, candidate, fmt, output, force)


# --- search --------------------------------------------------------------------------------


@click.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of hits.")
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Only this candidate (name, any case, or stable id).")
@click.option("--limit", type=click.IntRange(1, MAX_LIMIT), default=50, show_default=True,
              help="At most this many hits, best first.")
@click.option("--latest", type=click.IntRange(1, MAX_LATEST), default=SEARCH_LATEST,
              show_default=True,
              metavar="N", help="Rank the latest N matches only (the most recently saved), so "
                                "a word found in many notes stays fast; older ones are left out.")
@common_options
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, candidate: str | None,
           limit: int, latest: int) -> None:
    """Search notes, score evidence, summaries and post-mortems. Every word must match.

    Best matches first, among the latest 2,000 (--latest): all of them unless a word is in
    very many notes, and then a last line says so."""
    from companion.store.search import search_results

    words = " ".join(query)
    if not words.split():
        raise CompanionError("give some words to search for")
    with open_store(ctx) as store:
        try:
            if candidate:
                say_matches(store, candidate)
            hidden = hidden_now(ctx, store)
            results = search_results(store, words, candidate=candidate, limit=limit,
                                     latest=latest, exclude=hidden.ids)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    hits = results.hits
    capped = (f"the best of the latest {results.ranked:,} matches; older ones were not "
              "ranked. Add words to narrow the search, or rank more with --latest N.")
    if as_json:
        click.echo(json_safe(json.dumps([h.to_dict() for h in hits], indent=2,
                                        ensure_ascii=False, allow_nan=False)))
        if results.capped:
            click.echo(f"note: {len(hits)} match(es), {capped}", err=True)
        return
    if not hits:
        scope = f" for candidate '{one_line(candidate)}'" if candidate else ""
        click.echo(f"No matches for '{one_line(words)}'{scope}. Search looks in notes, score "
                   "evidence, summaries and post-mortems; every word must appear.")
        return
    for h in hits:
        cand = one_line(h.candidate) + (f" ({one_line(h.candidate_id)})"
                                         if h.candidate_id else "")
        click.echo(f"{cand} · {one_line(h.plan_title or h.plan_id)} · {one_line(h.where)}"
                   f" · {h.stamp} on {h.date} · {h.label} · session {h.session_id}")
        click.echo(f"    {one_line(h.snippet)}")
    if results.capped:
        click.echo(f"{len(hits)} match(es): {capped}")
    else:
        click.echo(f"{len(hits)} match(es)" + (f" (showing the best {limit})"
                                               if len(hits) == limit else ""))


# --- retention -----------------------------------------------------------------------------


def _interactive() -> bool:
    """Whether there is someone at a terminal to answer a confirmation."""
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


STOP_AFTER_ENV = "COMPANION_PURGE_STOP_AFTER"  # test hook: docs/exports.md
MAX_DAYS = 36_500  # a hundred years


def _stop_after_hook() -> Callable[[int], None] | None:
    """The documented test hook: with COMPANION_PURGE_STOP_AFTER=N, purge kills itself
    (SIGKILL, as a power cut or kill -9 would) right after step N (1-5) is committed."""
    value = os.environ.get(STOP_AFTER_ENV, "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= len(PURGE_STEPS):
        raise CompanionError(f"{STOP_AFTER_ENV}={one_line(value)} is not a purge step (1-"
                             f"{len(PURGE_STEPS)}); unset it to purge normally")
    stop = int(value)

    def after(step: int) -> None:
        if step == stop:
            os.kill(os.getpid(), signal.SIGKILL)

    return after


def _holder_words(path: Path) -> str:
    from companion.holders import holders_of

    found = holders_of(path)
    if not found:
        return "another program (a database browser, a backup, another companion)"
    return ", ".join(one_line(h.words()) for h in found[:5]) + (
        f" and {len(found) - 5} more" if len(found) > 5 else "")


def _pending_advice(path: Path, wait: float) -> str:
    return (f"the erasure is not finished: {_holder_words(path)} has {path} open and kept "
            f"it for more than {wait:g} s, so the purged text may still be in the file's "
            "free space and its -wal file. The sessions are gone from every table and the "
            "erasure stays recorded as pending: close that program, and the next companion "
            "command on this database finishes it (or run `companion purge` alone to finish "
            "it and see it done).")


def _finish_pending(store: Store, wait: float,
                    hook: Callable[[int], None] | None) -> None:
    """Finish the erasures an earlier purge left pending, or fail saying what holds the file."""
    counts = store.purge([], wait=wait, after_step=hook)
    if counts["pending"]:
        raise CompanionError(_pending_advice(store.path, wait))
    click.echo(f"Finished {counts['finished_earlier']} pending erasure(s): the purged text is "
               "gone from the database files.")


def _listing_line(row: dict[str, Any]) -> str:
    when = str(row.get("started_at") or "")[:16].replace("T", " ") + " UTC"
    who = one_line(row.get("candidate")) or "(no name)"
    if row.get("candidate_id") and row["candidate_id"] != row.get("candidate"):
        who += f" ({one_line(row['candidate_id'])})"
    plan = one_line(row.get("plan_id"))
    extra = "" if row.get("source", "local") == "local" else f", {one_line(row['source'])}"
    return f"  {one_line(row['id'])}  {when}  {who}  {plan}  [{row.get('status', '')}{extra}]"


def _resolve_sessions(store: Store, given: tuple[str, ...]) -> list[str]:
    ids = []
    for prefix in given:
        found = store.find(prefix)
        if not found:
            raise CompanionError(f"no session '{one_line(prefix)}' to purge; `companion "
                                 "sessions` lists them (nothing was deleted)")
        if len(found) > 1:
            raise CompanionError(f"'{one_line(prefix)}' matches {len(found)} sessions ("
                                 f"{', '.join(found[:5])}); type more of the id (nothing "
                                 "was deleted)")
        ids.append(found[0])
    return list(dict.fromkeys(ids))


@click.command()
@click.option("--older-than", "days", type=click.IntRange(0, MAX_DAYS), metavar="DAYS",
              help="Sessions started more than DAYS days ago (0: every session, whatever "
                   "its date, future ones too).")
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Sessions of this candidate (name, any case, or stable id), any date.")
@click.option("--session", "session_ids", multiple=True, metavar="ID",
              help="This session (id or unique prefix), any date; repeatable.")
@click.option("--wait", type=click.IntRange(0, 3600), default=int(PURGE_WAIT_S),
              show_default=True, metavar="SECONDS",
              help="How long to wait for another program that holds the database.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (the list is still "
                                          "printed).")
@common_options
@click.pass_context
def purge(ctx: click.Context, days: int | None, candidate: str | None,
          session_ids: tuple[str, ...], wait: int, yes: bool) -> None:
    """Erase whole sessions for good: events, notes, scores, drafts, seals and the search
    index, then rewrite the database so the text is gone from its files too.

    Options given together narrow the set (all must match). Alone, `companion purge`
    finishes an erasure left pending. The list of sessions is printed before anything is
    deleted; at a terminal it asks first."""
    from companion.clock import RealClock
    from companion.erasure import NOT_REACHED, delete_kept_files

    hook = _stop_after_hook()
    chosen = days is not None or bool(candidate) or bool(session_ids)
    with open_store(ctx) as store:
        path = store.path
        try:
            finished = [r for r in store.erasures_finished if r["reason"] == "purge"]
            for record in finished:
                click.echo(f"Finished the erasure of {record['sessions']} session(s) that a "
                           f"purge began at {str(record['recorded_at'])[:16].replace('T', ' ')}"
                           " and could not finish: their text is gone from the database "
                           "files now.")
            if not chosen:
                if store.pending_erasures():
                    _finish_pending(store, wait, hook)
                    return
                if finished:
                    return
                raise CompanionError(
                    "nothing is pending; say what to purge: --older-than DAYS (0: every "
                    "session), --candidate NAME_OR_ID, or --session ID (repeatable); given "
                    "together they narrow the set")
            ids = _resolve_sessions(store, session_ids) if session_ids else None
            cutoff = RealClock().wall() - days * DAY if days else None
            if candidate:
                say_matches(store, candidate)
            rows = store.purge_selection(cutoff, candidate, ids)
            scope = []
            if days:
                scope.append(f"started more than {days} day(s) ago")
            elif days == 0:
                scope.append("of any date")
            if candidate:
                scope.append(f"for candidate '{one_line(candidate)}'")
            if ids is not None:
                scope.append(f"among {', '.join(ids)}")
            words = " ".join(scope)
            if not rows:
                click.echo(f"No sessions {words}: nothing deleted.")
                if store.pending_erasures():
                    _finish_pending(store, wait, hook)
                return
            click.echo(f"{len(rows)} session(s) {words} will be erased for good "
                       "(id, started, candidate, plan, state):")
            for row in rows:
                click.echo(_listing_line(row))
            ids = [row["id"] for row in rows]
            if candidate:
                left = store.same_name_elsewhere(ids)
                if left:
                    click.echo(f"Not touched: {len(left)} session(s) with the same name that "
                               "are not this selection's (another id, no id and not merged, "
                               "or outside the other options):")
                    for row in left:
                        click.echo(_listing_line(row))
                    click.echo("  If they are the same person: `companion candidates merge "
                               "--into ID SESSION` first, or add --session ID.")
            held = store.sessions_held_elsewhere(ids)
            if held:
                raise CompanionError(
                    "not purging: " + "; ".join(f"session {sid} is open in {one_line(who)}"
                                                for sid, who in held.items())
                    + ". End or close it there first, then purge again (nothing was "
                    "deleted).")
            if not yes:
                if not _interactive():
                    raise CompanionError(
                        f"not deleting {len(rows)} session(s) without confirmation, and there "
                        "is no terminal to ask on; add --yes to delete them")
                if not click.confirm(f"Delete these {len(rows)} session(s) and all their "
                                     "notes for good?", default=False):
                    click.echo("Nothing deleted.")
                    ctx.exit(1)
            # The panel folder first, like the files: an interrupted purge finds the
            # sessions again and finishes.
            from companion.cli.panelgit import erase_from_panel

            panel_words = erase_from_panel(ctx, rows, whole_person=bool(candidate))
            deleted_files, failed_files = delete_kept_files(rows)
            counts = store.purge(ids, wait=wait, after_step=hook)
        except StoreError as err:
            message = str(err)
            if "locked" in message:
                message += f" (holding it: {_holder_words(path)})"
            raise CompanionError(message) from None
    click.echo(f"Deleted {counts['sessions']} session(s) ({counts['events']} events, "
               f"{counts['texts']} texts, {counts['drafts']} drafts)"
               + (f" and {len(deleted_files)} file(s) companion kept for them"
                  if deleted_files else "") + ".")
    for file, reason in failed_files:
        click.echo(f"warning: could not delete {file} ({reason}); delete it yourself",
                   err=True)
    if counts["finished_earlier"]:
        click.echo(f"It also finished {counts['finished_earlier']} erasure(s) an earlier "
                   "purge had left pending.")
    for line in panel_words:
        click.echo(line)
    for line in NOT_REACHED:
        click.echo(f"Not reached by purge: {line}.")
    if counts["pending"]:
        click.echo(f"warning: {_pending_advice(path, wait)}", err=True)
        ctx.exit(1)
    click.echo("The database was rewritten: the text is gone from its files as well.")
