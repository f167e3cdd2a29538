"""`companion sessions`: the listing, text (a page) or JSON (every row, streamed). Its own
module, apart from the commands that open the app: a quick command pays only for the
imports it needs."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

import click

from companion.cli.common import common_options, hidden_now, one_line, open_store, say_matches
from companion.errors import CompanionError
from companion.store.database import StoreError
from companion.textsafe import json_safe

if TYPE_CHECKING:
    from collections.abc import Iterator

PAGE = 50  # sessions the text listing shows without --all



@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Only this candidate: a stable id (that person), or a name (every person "
                   "with it, any case; the ids it matched are said).")
@click.option("--status", type=click.Choice(["running", "paused", "ended", "abandoned"]),
              help="Only sessions in this state.")
@click.option("--pending", is_flag=True,
              help="Only pending scorecards: ended interviews not scored, recommended and "
                   "summarised yet (oldest first).")
@click.option("--all", "show_all", is_flag=True,
              help=f"List every session, not only the newest {PAGE} (--json always does).")
@common_options
@click.pass_context
def sessions(ctx: click.Context, as_json: bool, candidate: str | None,
             status: str | None, pending: bool, show_all: bool) -> None:
    """List sessions, newest first (pending scorecards: oldest first): the newest 50, or
    every one with --all or --json."""
    with open_store(ctx) as store:
        try:
            if store.unknown_scorecards():  # sessions from before schema 5, once
                from companion.panel.scorecards import refresh

                refresh(store)
            if candidate:
                say_matches(store, candidate)
            # The panel's scorecards this user may not see yet are left out, and counted.
            hidden = hidden_now(ctx, store)
            waiting = hidden.words()
            if as_json:
                # One session a line, as each row keeps it, written as it is read: never a
                # list of every row (Store.sessions_json).
                _echo_json_array(store.sessions_json(candidate=candidate, status=status,
                                                     pending=pending, hide=bool(hidden)))
                if waiting:
                    click.echo(f"note: {waiting}", err=True)
                return
            limit = None if show_all else PAGE
            rows = store.sessions(candidate=candidate, status=status, pending=pending,
                                  limit=limit, oldest_first=pending, hide=bool(hidden))
            more = 0
            if limit is not None and len(rows) == limit:
                more = store.count_sessions(candidate=candidate, status=status,
                                            pending=pending, hide=bool(hidden)) - limit
        except StoreError as err:
            raise CompanionError(str(err)) from None
        if waiting:
            click.echo(f"note: {waiting}; they are listed once yours is sealed", err=True)
    if pending and not rows:
        click.echo("No pending scorecards: every ended interview is scored, recommended "
                   "and summarised.")
        return
    if not rows and (candidate or status):
        click.echo("No sessions match: `companion sessions` lists them all, "
                   "`companion candidates` the people.")
        return
    if not rows:
        click.echo("No sessions yet. Start one with `companion run PLAN --candidate NAME` "
                   "(`companion plans` lists the plans).")
        return
    now = time.time()
    header = (f"{'ID':<8}  {'STARTED':<20}  {'STATE':<9}  {'SCORE':>5}  {'CANDIDATE':<24}  "
              f"{'INTERVIEWER':<18}  PLAN")
    click.echo(header)
    for r in rows:
        score = f"{r['score']}/{r['max_score']}" if r["score"] is not None else "-"
        when = (r["started_at"] or "")[:16].replace("T", " ") + " UTC"
        state = r["status"]
        line = (f"{one_line(r['id']):<8}  {when:<20}  {state:<9}  {score:>5}  "
                f"{one_line(r['candidate'])[:24]:<24}  "
                f"{one_line(r.get('interviewer') or '-')[:18]:<18}  {one_line(r['plan_id'])}"
                + (f"  ({one_line(r['recommendation'])})" if r["recommendation"] else ""))
        if r.get("scorecard") == "pending":
            from companion.panel.scorecards import age_of, ago

            line += f"  [scorecard pending, ended {ago(age_of(r, now))}]"
        click.echo(line)
    if more > 0:
        which = "newest" if not pending else "oldest"
        click.echo(f"… and {more} more (the {which} {PAGE} shown): --all lists every one, "
                   "--candidate or --status narrows.")


def _safe_chunk(chunk: bytes | str) -> bytes:
    """A batch of the listing with `json_safe` applied, as UTF-8. The store's objects
    escape the C0 controls already; of what json_safe escapes only DEL is ASCII, so an
    ASCII batch without it is written as read (the pass costs 14 ms in 10,000 rows)."""
    if isinstance(chunk, bytes):
        if b"\x7f" not in chunk:
            return chunk
        chunk = chunk.decode("ascii")
    return json_safe(chunk).encode()


def _echo_json_array(batches: Iterator[bytes | str]) -> None:
    """`[`, the objects one a line, `]`: written a batch at a time as the store reads them
    (a large database streams, it never sits whole in memory)."""
    if sys.stdout is None:
        raise CompanionError("standard output is closed: nothing to write the listing to "
                             "(run it without `>&-`, or send it to a file)")
    sys.stdout.flush()
    out = sys.stdout.buffer
    opening = b"[\n"
    for batch in batches:  # a closed pipe is the command group's to end quietly
        chunk = _safe_chunk(batch)  # before the opening: a bad batch writes nothing
        out.write(opening)
        out.write(chunk)
        opening = b",\n"
    out.write(b"[]\n" if opening == b"[\n" else b"\n]\n")
    out.flush()
