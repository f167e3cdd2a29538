"""What the commands share: the context's config, the common options, content loading with
its problems printed, the store opened with a clear error, session ids from prefixes, and
files written privately. The command modules import this, never each other or the root."""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from companion.cli.config import Config
from companion.content.located import Problem
from companion.errors import CompanionError
from companion.store.database import Store, StoreError
from companion.textsafe import one_line

if TYPE_CHECKING:
    from companion.content.library import Library

__all__ = ["common_options", "config_of", "load_content", "one_line", "open_store",
           "print_problems", "resolve_session_id", "write_private"]

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
        click.echo(str(problem), err=True)


def load_content(ctx: click.Context, *, quiet: bool = False) -> Library:
    """The library for commands that use content: broken files are reported and left out."""
    lib = config_of(ctx).library()
    if not quiet:
        for notice in lib.notices:
            click.echo(f"{notice.path}:{notice.line}: notice: {notice.message}", err=True)
        if lib.problems:
            print_problems(lib.problems)
            click.echo(f"({len(lib.problems)} content problem(s): the files above were left "
                       "out; run `companion validate` after fixing them)", err=True)
    return lib


def open_store(ctx: click.Context) -> Store:
    try:
        return Store(config_of(ctx).db_path)
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


def write_private(path: Path, text: str, force: bool) -> None:
    """Write `text` to a new file with mode 0600; an existing file only with `force`."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if force else os.O_EXCL)
    if hasattr(os, "O_CLOEXEC"):
        flags |= os.O_CLOEXEC
    # Non-blocking open: a FIFO with no reader is an error (ENXIO), not a hang.
    flags |= getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except FileExistsError:
        raise CompanionError(f"{path} already exists; add --force to overwrite it") from None
    except IsADirectoryError:
        raise CompanionError(f"{path} is a folder; give a file name with -o") from None
    except OSError as err:
        if err.errno == errno.ENXIO:
            raise CompanionError(f"cannot write {path}: it is a FIFO or a device nothing is "
                                 "reading from; give a regular file name with -o") from None
        raise CompanionError(f"cannot write {path}: {err.strerror or err}") from None
    try:
        os.set_blocking(fd, True)  # then write as usual
        os.fchmod(fd, 0o600)  # an overwritten file keeps its old mode otherwise
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            fd = -1
            out.write(text)
    except OSError as err:
        raise CompanionError(f"cannot write {path}: {err.strerror or err}") from None
    finally:
        if fd >= 0:
            os.close(fd)
