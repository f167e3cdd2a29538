"""`companion panel init|sync|status`: the panel folder git carries (docs/panel.md). The work
is companion.panel.sharing (and git's, companion.panel.gitrepo); this only says what
happened. None imports Textual.

`erase_from_panel` is what `companion purge` does to the panel folder."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from companion.cli.common import (
    common_options,
    hidden_now,
    one_line,
    open_store,
    panel_config_dir,
)
from companion.errors import CompanionError
from companion.store.database import StoreError

if TYPE_CHECKING:
    from companion.panel.reveal import Hidden
    from companion.panel.sharing import Panel, SyncReport

EXIT_PROBLEM = 1


def _open_panel(ctx: click.Context, timeout: float | None) -> Panel:
    from companion.panel.gitrepo import GitError
    from companion.panel.sharing import Panel, PanelError, load_member

    try:
        member = load_member(panel_config_dir(ctx))
        if member is None:
            raise CompanionError("no panel here yet; run `companion panel init DIR "
                                 "[--remote URL]` first (it clones or makes the panel folder)")
        return Panel.open(member, timeout=timeout)
    except (PanelError, GitError) as err:
        raise CompanionError(str(err)) from None


@click.group()
def panel() -> None:
    """Share sealed scorecards with the rest of the panel through git.

    The remote is any git host or a bare repository on a shared drive. `panel init DIR`
    clones (or makes) the panel folder; `panel sync` commits your sealed scorecards, pulls,
    verifies and imports the others' and pushes; `panel status` shows what waits. Others'
    scorecards of a candidate stay hidden until yours is sealed (the organiser sees all)."""


_timeout = click.option("--timeout", type=click.FloatRange(0.1, 600), default=None,
                        hidden=True, help="Seconds each network operation may take (30).")


@panel.command("init")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--remote", metavar="URL", help="The team's git remote (a URL, or the path of a "
                                              "bare repository on a shared drive).")
@click.option("--name", "name", metavar="NAME",
              help="Your name as interviewer (default: the last one you interviewed as).")
@click.option("--email", metavar="EMAIL", help="The e-mail on your panel commits (default: "
                                               "NAME@companion.invalid).")
@click.option("--organiser", metavar="NAME",
              help="For a new panel: who sees every scorecard (default: you).")
@_timeout
@common_options
@click.pass_context
def panel_init(ctx: click.Context, folder: Path, remote: str | None, name: str | None,
               email: str | None, organiser: str | None, timeout: float | None) -> None:
    """Clone the panel's remote into FOLDER (or make a new panel there) and remember it."""
    from companion.panel.gitrepo import GitError
    from companion.panel.sharing import (
        Member,
        PanelError,
        default_email,
        init_panel,
        save_member,
    )

    folder = folder.expanduser().absolute()
    if not name:
        with open_store(ctx) as store:
            try:
                name = store.last_interviewer()
            except StoreError as err:
                raise CompanionError(str(err)) from None
    name = " ".join((name or "").split())
    if not name:
        raise CompanionError("say who you are on the panel: --name 'Your Name' (your "
                             "scorecards carry the interviewer's name)")
    member = Member(folder, name, (email or "").strip() or default_email(name))
    try:
        found, done = init_panel(folder, remote, member, organiser=(organiser or "").strip(),
                                 timeout=timeout)
        path = save_member(panel_config_dir(ctx), member)
    except (PanelError, GitError) as err:
        raise CompanionError(str(err)) from None
    except OSError as err:
        raise CompanionError(f"cannot write the panel settings: {err.strerror or err}") from None
    for line in done:
        click.echo(one_line(line))
    click.echo(f"Panel folder {one_line(folder)} remembered in {one_line(path)}; you are "
               f"{one_line(name)}" + (" (the organiser: you see every scorecard)"
                                      if found.sees_all else
                                      f"; the organiser is {one_line(found.config.organiser)}")
               + ".")
    click.echo("Next: `companion panel sync` after each sealed interview.")


def _sync_lines(result: SyncReport, hidden: Hidden) -> list[str]:
    lines = []
    if result.committed:
        lines.append(f"committed {len(result.committed)} sealed scorecard(s) of yours")
    if result.held_back:
        lines.append(f"not shared: {result.held_back} of your scorecard(s) of people with an "
                     "erasure request")
    if result.fetched:
        lines.append("pulled from the remote" + ("" if result.merged else " (nothing new)"))
    elif result.merged:
        lines.append("merged what was fetched before")
    for info in result.imported:
        where = ("hidden until yours is sealed" if info["session_id"] in hidden
                 else f"{one_line(info['candidate'])}")
        lines.append(f"imported {info['session_id']} by "
                     f"{one_line(info['interviewer']) or 'an unnamed interviewer'} ({where}); "
                     f"seal {info['verdict'].status}")
    for sid in result.amended:
        lines.append(f"took the amendments to {sid}")
    if result.erased:
        lines.append(f"erasure requests: purged {len(result.erased)} imported scorecard(s) "
                     "from this database")
    if result.erased_files:
        lines.append(f"erasure requests: took {len(result.erased_files)} late file(s) out of "
                     "the panel")
    if result.own_erased:
        lines.append(f"note: {len(result.own_erased)} session(s) of your own are of a person "
                     "with an erasure request: `companion purge --session ID` erases them "
                     f"({', '.join(result.own_erased)})")
    if result.pushed:
        lines.append("pushed" + (f" (after {result.retries} retr"
                                 f"{'y' if result.retries == 1 else 'ies'}: others pushed "
                                 "at the same time)" if result.retries else ""))
    if result.offline:
        later = (f"committed here; the next `companion panel sync` pushes {result.unpushed} "
                 "commit(s) and pulls what is new" if result.unpushed else
                 "the next `companion panel sync` pulls what is new")
        lines.append(f"offline: {result.offline.rstrip('.')}. Nothing is lost: {later}")
    if result.remote_refused:
        lines.append(f"the remote refused: {result.remote_refused}. Your commits are kept "
                     "here; check that you may push to the panel's remote, then sync again")
    words = hidden.words()
    if words:
        lines.append(words)
    if not lines:
        lines.append("nothing to do: up to date")
    return lines


@panel.command("sync")
@_timeout
@common_options
@click.pass_context
def panel_sync(ctx: click.Context, timeout: float | None) -> None:
    """Commit your sealed scorecards, pull, verify and import the others', push.

    Offline it commits and imports what is here, and pushes at a later sync. Exit 1 when a
    file was refused (its path and why are printed) or the remote refused the push."""
    from companion.cli.panel import load_team_key
    from companion.clock import RealClock
    from companion.panel.gitrepo import GitError

    found = _open_panel(ctx, timeout)
    key = load_team_key(ctx)
    with open_store(ctx) as store:
        try:
            result = found.sync(store, RealClock(), key)
            hidden = hidden_now(ctx, store)
        except GitError as err:
            raise CompanionError(str(err)) from None
        except StoreError as err:
            raise CompanionError(str(err)) from None
        lines = _sync_lines(result, hidden)
    for line in lines:
        click.echo(one_line(line))
    for path, why in result.refused:
        click.echo(one_line(f"refused: {found.root / path}: {why}"), err=True)
    if result.refused or result.remote_refused:
        ctx.exit(EXIT_PROBLEM)


@panel.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@common_options
@click.pass_context
def panel_status(ctx: click.Context, as_json: bool) -> None:
    """What waits on either side (as of the last sync; no network)."""
    import json

    from companion.panel.gitrepo import GitError

    found = _open_panel(ctx, None)
    with open_store(ctx) as store:
        try:
            status = found.status(store)
        except GitError as err:
            raise CompanionError(str(err)) from None
        except StoreError as err:
            raise CompanionError(str(err)) from None
    if as_json:
        click.echo(json.dumps(status, indent=2, ensure_ascii=False))
        return
    for line in _status_lines(status):
        click.echo(one_line(line))


def _status_lines(s: dict[str, Any]) -> list[str]:
    lines = [f"panel {s['folder']} · remote {s['remote'] or '(none)'} · you: {s['interviewer']}"
             + (" (organiser: sees every scorecard)" if s["sees_all"] else
                f" · organiser: {s['organiser']}")]
    mine = []
    if s["to_share"]:
        mine.append(f"{len(s['to_share'])} sealed scorecard(s) to commit")
    if s["unsealed"]:
        mine.append(f"{len(s['unsealed'])} ended session(s) not sealed yet (sync seals them)")
    if s["remote"] and s["unpushed_commits"]:
        mine.append(f"{s['unpushed_commits']} commit(s) not pushed")
    lines.append("your side: " + ("; ".join(mine) if mine else "nothing waiting"))
    theirs = []
    if s["unmerged_commits"]:
        theirs.append(f"{s['unmerged_commits']} fetched commit(s) not merged")
    if s["not_imported"]:
        theirs.append(f"{len(s['not_imported'])} scorecard(s) in the folder not imported")
    if s["to_erase"]:
        theirs.append(f"{len(s['to_erase'])} imported scorecard(s) to purge (erasure "
                      "requests)")
    lines.append("their side: " + ("; ".join(theirs) if theirs else "nothing waiting")
                 + " (as of the last sync)")
    if s["hidden_words"]:
        lines.append(s["hidden_words"])
    return lines


def erase_from_panel(ctx: click.Context, rows: list[dict[str, Any]], *,
                     whole_person: bool) -> list[str]:
    """For `companion purge`: take the purged sessions' files out of the panel folder and add
    erasure requests, in a commit (pushed at the next sync). Words for the user; nothing when
    there is no panel."""
    from companion.panel.gitrepo import GitError
    from companion.panel.sharing import Panel, PanelError, load_member

    try:
        member = load_member(panel_config_dir(ctx))
        if member is None or not rows:
            return []
        found = Panel.open(member)
        gone = found.erase(rows, whole_person=whole_person)
    except (PanelError, GitError, OSError) as err:
        raise CompanionError(f"not purged: the panel folder could not be updated ({err}); "
                             "nothing was deleted. Fix that, or purge again") from None
    return [f"Panel {found.root}: took {len(gone)} scorecard file(s) out of the working tree "
            "and added an erasure request, in a commit; `companion panel sync` shares it, "
            "and every member's next sync purges their copies. Git history still holds the "
            "old commits: docs/panel.md says how the team rewrites it."]
