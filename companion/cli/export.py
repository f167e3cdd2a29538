"""Commands for the debrief: export, search, purge. None imports Textual."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from companion.cli.common import common_options, one_line, open_store
from companion.errors import CompanionError
from companion.export.formats import FORMATS
from companion.store.database import SEARCH_LATEST, StoreError

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
              help="md (default), json, csv or html; the debrief: md or html. Without it, "
                   "taken from the -o file's extension.")
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
            results = search_results(store, words, candidate=candidate, limit=limit,
                                     latest=latest)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    hits = results.hits
    capped = (f"the best of the latest {results.ranked:,} matches; older ones were not "
              "ranked. Add words to narrow the search, or rank more with --latest N.")
    if as_json:
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False,
                              allow_nan=False))
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


@click.command()
@click.option("--older-than", "days", type=click.IntRange(0, MAX_DAYS), required=True,
              metavar="DAYS", help="Delete sessions started more than DAYS days ago "
                                   "(0: every session up to now).")
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Only this candidate's sessions (name, any case, or stable id).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@click.pass_context
def purge(ctx: click.Context, days: int, candidate: str | None, yes: bool) -> None:
    """Delete whole sessions for good: events, notes, scores, drafts and the search index,
    then compact the database so the text is gone from the files too."""
    from companion.clock import RealClock

    cutoff = RealClock().wall() - days * DAY
    with open_store(ctx) as store:
        try:
            ids = store.session_ids_older_than(cutoff, candidate=candidate)
            scope = (f"started more than {days} day(s) ago" if days else "started up to now")
            if candidate:
                scope += f" for candidate '{one_line(candidate)}'"
            if not ids:
                click.echo(f"No sessions {scope}: nothing deleted.")
                return
            click.echo(f"{len(ids)} session(s) {scope}:")
            for sid in ids[:20]:
                row = store.session(sid) or {}
                when = str(row.get("started_at") or "")[:16].replace("T", " ")
                click.echo(f"  {sid}  {when}  {row.get('status', ''):<9}  "
                           f"{one_line(row.get('candidate'))[:24]:<24}  {row.get('plan_id')}")
            if len(ids) > 20:
                click.echo(f"  ... and {len(ids) - 20} more")
            if not yes:
                if not _interactive():
                    raise CompanionError(
                        f"not deleting {len(ids)} session(s) without confirmation, and there "
                        "is no terminal to ask on; add --yes to delete them")
                if not click.confirm(f"Delete these {len(ids)} session(s) and all their notes "
                                     "for good?", default=False):
                    click.echo("Nothing deleted.")
                    ctx.exit(1)
            counts = store.purge(ids)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    click.echo(f"Deleted {counts['sessions']} session(s) ({counts['events']} events, "
               f"{counts['texts']} texts, {counts['drafts']} drafts); the database was "
               "compacted.")
    if counts["busy"]:
        click.echo("warning: another program has the database open, so its write-ahead log "
                   "could not be emptied; the deleted text may stay in the -wal file until "
                   "that program closes. Run purge again afterwards to be sure.", err=True)
