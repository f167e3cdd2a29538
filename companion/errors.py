"""The error a command shows to the user: `error: ...` on stderr, exit code 2, no traceback."""

from __future__ import annotations

from typing import Any

import click

EXIT_BAD_INPUT = 2


class CompanionError(click.ClickException):
    exit_code = EXIT_BAD_INPUT

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)
