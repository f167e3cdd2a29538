"""Commands for the debrief: export, search, purge. None imports Textual."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import click

from companion.cli import common_options, main
from companion.cli_sessions import open_store
from companion.errors import CompanionError
from companion.store import SEARCH_LATEST, StoreError

FORMATS = ("md", "json", "csv", "html")
DEBRIEF_FORMATS = ("md", "html")
_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".csv": "csv", ".html": "html",
             ".htm": "html"}
DAY = 86_400.0


def _one_line(text: Any) -> str:
    """User text for a terminal line: no control characters (escape sequences), no breaks."""
    return "".join(ch if ch.isprintable() else " " for ch in str(text or ""))


def write_private(path: Path, text: str, force: bool) -> None:
    """Write `text` to a new file with mode 0600; an existing file only with `force`."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    if hasattr(os, "O_CLOEXEC"):
        flags |= os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise CompanionError(f"{path} already exists; add --force to overwrite it") from None
    except IsADirectoryError:
        raise CompanionError(f"{path} is a folder; give a file name with -o") from None
    except OSError as err:
        raise CompanionError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        os.fchmod(fd, 0o600)  # an overwritten file keeps its old mode otherwise
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            fd = -1
            out.write(text)
    except OSError as err:
        raise CompanionError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        if fd >= 0:
            os.close(fd)


def _render_session(r: dict[str, Any], fmt: str) -> str:
    if fmt == "json":
        from companion.export.json_export import session_json

        return session_json(r)
    if fmt == "csv":
        from companion.export.csv_export import session_csv

        return session_csv(r)
    if fmt == "html":
        from companion.export.html import session_html

        return session_html(r)
    from companion.export.markdown import session_markdown

    return session_markdown(r)


def _render_debrief(d: dict[str, Any], fmt: str) -> str:
    if fmt == "html":
        from companion.export.html import debrief_html

        return debrief_html(d)
    from companion.export.markdown import debrief_markdown

    return debrief_markdown(d)


@main.command()
@click.argument("session_id", required=False)
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Debrief: every interview session of this candidate (name, any case, or "
                   "stable id) side by side, instead of one session.")
@click.option("--format", "fmt", type=click.Choice(FORMATS),
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
    from companion.cli_panel import export_sealed

    export_sealed(ctx, session_id, candidate, fmt, output, force)


# --- search --------------------------------------------------------------------------------


@main.command()
@click.argument("query", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of hits.")
@click.option("--candidate", metavar="NAME_OR_ID",
              help="Only this candidate (name, any case, or stable id).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True,
              help="At most this many hits, best first.")
@click.option("--latest", type=click.IntRange(min=1), default=SEARCH_LATEST, show_default=True,
              metavar="N", help="Rank the latest N matches only (the most recently saved), so "
                                "a word found in many notes stays fast; older ones are left out.")
@common_options
@click.pass_context
def search(ctx: click.Context, query: tuple[str, ...], as_json: bool, candidate: str | None,
           limit: int, latest: int) -> None:
    """Search notes, score evidence, summaries and post-mortems. Every word must match.

    Best matches first, among the latest 2,000 (--latest): all of them unless a word is in
    very many notes, and then a last line says so."""
    from companion.search import search_results

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
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
        if results.capped:
            click.echo(f"note: {len(hits)} match(es), {capped}", err=True)
        return
    if not hits:
        scope = f" for candidate '{_one_line(candidate)}'" if candidate else ""
        click.echo(f"No matches for '{_one_line(words)}'{scope}. Search looks in notes, score "
                   "evidence, summaries and post-mortems; every word must appear.")
        return
    for h in hits:
        cand = _one_line(h.candidate) + (f" ({_one_line(h.candidate_id)})"
                                         if h.candidate_id else "")
        click.echo(f"{cand} · {_one_line(h.plan_title or h.plan_id)} · {_one_line(h.where)}"
                   f" · {h.stamp} on {h.date} · {h.label} · session {h.session_id}")
        click.echo(f"    {_one_line(h.snippet)}")
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


@main.command()
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True,
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
                scope += f" for candidate '{_one_line(candidate)}'"
            if not ids:
                click.echo(f"No sessions {scope}: nothing deleted.")
                return
            click.echo(f"{len(ids)} session(s) {scope}:")
            for sid in ids[:20]:
                row = store.session(sid) or {}
                when = str(row.get("started_at") or "")[:16].replace("T", " ")
                click.echo(f"  {sid}  {when}  {row.get('status', ''):<9}  "
                           f"{_one_line(row.get('candidate'))[:24]:<24}  {row.get('plan_id')}")
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
