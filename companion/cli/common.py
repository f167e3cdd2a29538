"""What the commands share: the context's config, the common options, content loading with
its problems printed, the store opened with a clear error, session ids from prefixes, and
files written privately. The command modules import this, never each other or the root."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from companion.cli.config import Config
from companion.errors import CompanionError
from companion.store.database import Store, StoreError
from companion.textsafe import one_line, printable

if TYPE_CHECKING:
    from companion.content.library import Library
    from companion.content.located import Problem
    from companion.panel.reveal import Hidden

__all__ = ["common_options", "config_of", "hidden_now", "load_content", "matched_words",
           "one_line", "open_store", "panel_config_dir", "print_problems",
           "resolve_session_id", "say_matches", "sees_all", "write_private"]

F = TypeVar("F", bound=Callable[..., Any])


def config_of(ctx: click.Context) -> Config:
    return ctx.ensure_object(Config)


def _set_db(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        config_of(ctx).db = Path(value).expanduser()


def _add_banks(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    config_of(ctx).banks.extend(Path(v) for v in value)


def _add_plans(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    config_of(ctx).plans.extend(Path(v) for v in value)


def common_options(f: F) -> F:
    """--db, --banks and --plans, accepted before or after the subcommand name."""
    f = click.option("--plans", "plans_dirs", multiple=True, expose_value=False,
                     callback=_add_plans, type=click.Path(exists=True, file_okay=False),
                     help="Extra folder of session plans (repeatable).")(f)
    f = click.option("--banks", "banks_dirs", multiple=True, expose_value=False,
                     callback=_add_banks, type=click.Path(exists=True, file_okay=False),
                     help="Extra folder of banks, signal sets and rubrics (repeatable).")(f)
    f = click.option("--db", "db_path", expose_value=False, callback=_set_db,
                     type=click.Path(dir_okay=False),
                     help="Database file (default: COMPANION_DB or the user data dir).")(f)
    return f


def print_problems(problems: list[Problem], heading: str | None = None) -> None:
    if heading and problems:
        click.echo(heading, err=True)
    for problem in problems:
        click.echo(printable(str(problem)), err=True)  # a file's text never reaches it raw


def load_content(ctx: click.Context, *, quiet: bool = False) -> Library:
    """The library for commands that use content: broken files are reported and left out."""
    lib = config_of(ctx).library()
    if not quiet:
        for notice in lib.notices:
            click.echo(one_line(f"{notice.path}:{notice.line}: notice: {notice.message}"),
                       err=True)
        if lib.problems:
            print_problems(lib.problems)
            click.echo(f"({len(lib.problems)} content problem(s): the files above were left "
                       "out; run `companion validate` after fixing them)", err=True)
    return lib


def open_store(ctx: click.Context) -> Store:
    """The database, with a warning on stderr for each of its files others can read; a
    file that was not there is created, and said so on stderr (a mistyped --db makes a new,
    empty database rather than an error)."""
    path = Path(config_of(ctx).db_path).expanduser()
    existed = path.exists()
    try:
        store = Store(path)
    except StoreError as err:
        raise CompanionError(str(err)) from None
    if not existed:
        click.echo(one_line(f"created {path} (a new, empty database; check --db or "
                            "COMPANION_DB if you meant another)"), err=True)
    for warning in store.exposure_warnings():
        click.echo(one_line(f"warning: {warning}"), err=True)
    return store


def matched_words(candidate: str, matches: dict[str, Any]) -> str | None:
    """What a name given to --candidate matched, in words (None for an id, or nothing)."""
    if matches["by"] != "name":
        return None
    parts = [f"id {one_line(cid)} ({n} session{'s' if n != 1 else ''})"
             for cid, n in matches["ids"].items()]
    without = matches["without_id"]
    if without:
        parts.append(f"{len(without)} session(s) without an id ({', '.join(without[:6])}"
                     + (", …" if len(without) > 6 else "") + ")")
    people = len(matches["ids"]) + len(without)
    return (f"'{one_line(candidate)}' is a name: it matched {people} "
            f"{'person' if people == 1 else 'people'}: " + ", ".join(parts)
            + ("" if people == 1 else "; give --candidate ID to take one"))


def say_matches(store: Store, candidate: str) -> dict[str, Any]:
    """The identity rule applied to --candidate, told on stderr when the text was a name;
    the matches (Store.candidate_matches)."""
    matches = store.candidate_matches(candidate)
    words = matched_words(candidate, matches)
    if words:
        click.echo(f"note: {words}", err=True)
    return matches


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


def write_private(path: Path, text: str, force: bool) -> None:
    """Write `text` to a new file with mode 0600, whole or not at all (companion.files); an
    existing file only with `force`, and then a failure leaves it as it was."""
    from companion.files import write_atomic

    try:
        mode = os.stat(path).st_mode  # what a link points to, if it points anywhere
    except OSError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # --force must not swap a FIFO or a device for a file: surely not what was meant.
        raise CompanionError(f"cannot write {path}: it is a FIFO or a device nothing is "
                             "reading from; give a regular file name with -o")
    try:
        write_atomic(path, text.encode("utf-8"), overwrite=force)
    except FileExistsError:
        raise CompanionError(f"{path} already exists; add --force to overwrite it") from None
    except IsADirectoryError:
        raise CompanionError(f"{path} is a folder; give a file name with -o") from None
    except OSError as err:
        kept = (f"{path} was left as it was" if force and os.path.lexists(path)
                else f"nothing was written to {path}")
        advice = (" Free some space and export again." if err.errno == errno.ENOSPC
                  else "")
        raise CompanionError(f"cannot write {path}: {err.strerror or err}; {kept}."
                             f"{advice}") from None


# --- the panel's display rule (companion.panel.reveal) -------------------------------------------


def panel_config_dir(ctx: click.Context) -> Path:
    from companion.paths import user_config_dir

    return config_of(ctx).config_dir or user_config_dir()


def sees_all(ctx: click.Context) -> bool:
    """Whether this user is the organiser of their panel (and sees every scorecard)."""
    from companion.panel.sharing import viewer_sees_all

    return viewer_sees_all(panel_config_dir(ctx))


def hidden_now(ctx: click.Context, store: Store) -> Hidden:
    """The panel scorecards this user may not see yet: every command that shows sessions
    leaves them out and counts them (companion.panel.reveal)."""
    from companion.panel.reveal import hidden_scorecards

    try:
        return hidden_scorecards(store, sees_all=lambda: sees_all(ctx))
    except StoreError as err:
        raise CompanionError(str(err)) from None
