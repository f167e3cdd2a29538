"""`companion export --format greenhouse|lever|ashby`: the shapes applicant-tracking systems
take (companion.export.ats), written to files or stdout. No network.

Greenhouse makes two things, a paste and a Harvest-shaped JSON: with `-o PATH` both are
written, as PATH's name with `.txt` and with `.json` (`-o card`, `-o card.txt` and
`-o card.json` all write card.txt and card.json); without -o the paste goes to stdout and
stderr says how to get the JSON too. Lever and Ashby make one JSON body: stdout, or the -o
file as given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from companion.cli.common import config_of, one_line, write_private
from companion.errors import CompanionError
from companion.paths import user_config_dir


def _paths(output: Path, suffixes: list[str]) -> list[Path]:
    if len(suffixes) == 1:
        return [output]
    stem = output.with_suffix("") if output.suffix.lower() in (".txt", ".json") else output
    return [stem.with_name(stem.name + suffix) for suffix in suffixes]


def write_ats(ctx: click.Context, r: dict[str, Any], fmt: str, output: Path | None,
              force: bool, what: str) -> str | None:
    """Write the ATS shape `fmt` of report `r`: the text for stdout, or None once the -o
    files are written."""
    from companion.export.ats import MappingError, ats_parts, load_mapping, unmapped_warning

    try:
        mapping = load_mapping(config_of(ctx).config_dir or user_config_dir())
    except MappingError as err:
        raise CompanionError(f"{one_line(err)} (the ATS mapping file: docs/exports.md)"
                             ) from None
    parts = ats_parts(r, fmt, mapping)
    warning = unmapped_warning(r, fmt, mapping)
    if warning:
        click.echo(f"warning: {one_line(warning)}", err=True)
    if output is None or str(output) == "-":
        if len(parts) > 1:
            click.echo(f"note: this is the {fmt} paste; add -o FILE to write it as FILE.txt "
                       "and the Harvest-shaped JSON as FILE.json", err=True)
        return parts[0].text
    paths = _paths(output, [p.suffix for p in parts])
    if not force:
        taken = [p for p in paths if os.path.lexists(p)]
        if taken:  # checked first: both files are written, or neither
            raise CompanionError(f"{taken[0]} already exists; add --force to overwrite it")
    for path, part in zip(paths, parts, strict=True):
        write_private(path, part.text, force)
    click.echo(f"wrote {what} for {fmt} to {', '.join(one_line(p) for p in paths)}",
               err=True)
    return None
