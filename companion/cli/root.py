"""The `companion` group: the options every command takes, and the commands, each loaded
from its module when named. Commands that do not open the app never import Textual."""

from __future__ import annotations

import errno
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Any, ClassVar

import click

from companion import __version__
from companion.cli.common import common_options, config_of, load_content
from companion.collector import resume_collector
from companion.errors import EXIT_BAD_INPUT, CompanionError
from companion.textsafe import printable

# Why writing standard output fails when the stream, not a file we name, is at fault.
_OUTPUT_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EBADF})

# Commands that open the app (None: no command, the home screen).
APP_COMMANDS = frozenset({None, "run", "resume", "amend", "practice"})


class CommandGroup(click.Group):
    """Every command is loaded when named (or listed in --help), so a quick command such as
    `companion sessions --json` pays only for its own module's imports.

    `LATER` names each one's module and attribute; the modules import only
    `companion.cli.common`, never this one, so loading by name makes no import cycle (the
    import-cycle test counts these edges too)."""

    LATER: ClassVar[dict[str, tuple[str, str]]] = {
        **{name: ("companion.cli.content", name)
           for name in ("plans", "banks", "show", "kit", "validate", "paths")},
        "sessions": ("companion.cli.listing", "sessions"),
        **{name: ("companion.cli.sessions", name)
           for name in ("run", "resume", "amend", "practice", "stats")},
        "export": ("companion.cli.export", "export"),
        "search": ("companion.cli.export", "search"),
        "purge": ("companion.cli.export", "purge"),
        "key": ("companion.cli.panel", "key"),
        "verify": ("companion.cli.panel", "verify"),
        "import": ("companion.cli.panel", "import_command"),
        "calibration": ("companion.cli.panel", "calibration"),
        "candidates": ("companion.cli.people", "candidates"),
        "panel": ("companion.cli.panelgit", "panel"),
    }

    def main(self, args: Sequence[str] | None = None, *rest: Any, **options: Any) -> Any:
        """Arguments that are not UTF-8 (Python keeps their bytes as surrogates) are
        refused here, before any command quotes one back and fails to encode it."""
        given = list(sys.argv[1:] if args is None else args)
        for number, arg in enumerate(given, 1):
            if any("\udc80" <= ch <= "\udcff" for ch in arg):
                shown = printable(arg.encode(errors="surrogateescape").decode(
                    errors="replace"))
                click.echo(f"error: argument {number} ({shown}) is not valid UTF-8: type it "
                           "again, or set a UTF-8 locale (LANG=C.UTF-8).", err=True)
                sys.exit(EXIT_BAD_INPUT)
        return super().main(given, *rest, **options)

    def invoke(self, ctx: click.Context) -> object:
        """Every command's error message shows control characters as symbols: it often
        quotes what the user typed or a file held (`no session '...'`). Output that cannot
        be written (a full disk, a closed stream) is said as such; a reader that stopped
        early (`| head`) ends the command quietly."""
        try:
            result = super().invoke(ctx)
            if sys.stdout is not None:
                sys.stdout.flush()  # here, where a failure can still be said
            return result
        except CompanionError as err:
            raise CompanionError(printable(err.format_message())) from None
        except BrokenPipeError:
            # Python would report the closed pipe again when it flushes at exit.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return None
        except OSError as err:
            if err.filename is not None or err.errno not in _OUTPUT_ERRNOS:
                raise
            raise CompanionError(f"cannot write the output ({err.strerror}): free some "
                                 "space, or send it somewhere else") from None

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """A command name that is not one gets the nearest names, as options do."""
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as err:
            name = args[0] if args else ""
            if self.get_command(ctx, name) is not None or name.startswith("-"):
                raise
            import difflib

            near = difflib.get_close_matches(name, self.list_commands(ctx), n=3, cutoff=0.6)
            if not near:
                raise
            raise click.UsageError(f"{err.message} Did you mean "
                                   f"{' or '.join(repr(n) for n in near)}?", ctx) from None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.LATER})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.LATER:
            module_name, attribute = self.LATER[cmd_name]
            command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)


@click.group(cls=CommandGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="companion")
@common_options
@click.pass_context
def main(ctx: click.Context) -> None:
    """companion: run, score and practise interviews in the terminal.

    With no command, opens the app's home screen."""
    if ctx.invoked_subcommand not in APP_COMMANDS:
        resume_collector()  # the app resumes it once its first frame is drawn
    if ctx.invoked_subcommand is None:
        from companion.cli.launch import open_home

        open_home(config_of(ctx), load_content(ctx))

