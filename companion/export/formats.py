"""The export formats, in one registry: the CLI's `--format` choices, the file suffixes that
choose a format, which formats a debrief comes in, and the summary screen's hint all read it.
A renderer's module loads only when its format is used."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class ExportFormat:
    """One format: its name, the suffixes that pick it, and where its renderers live
    (`module:function`; the debrief's is None when a debrief does not come in it)."""

    name: str
    suffixes: tuple[str, ...]
    session: str
    debrief: str | None = None
    ats: bool = False  # an applicant-tracking system's shape (companion.export.ats)


FORMATS: dict[str, ExportFormat] = {
    f.name: f for f in (
        ExportFormat("md", (".md", ".markdown"), "companion.export.markdown:session_markdown",
                     "companion.export.markdown:debrief_markdown"),
        ExportFormat("json", (".json",), "companion.export.json_export:session_json"),
        ExportFormat("csv", (".csv",), "companion.export.csv_export:session_csv"),
        ExportFormat("html", (".html", ".htm"), "companion.export.html:session_html",
                     "companion.export.html:debrief_html"),
        ExportFormat("text", (".txt",), "companion.export.plaintext:session_text"),
        # Chosen by name only: their files are .txt and .json (docs/exports.md).
        ExportFormat("greenhouse", (), "companion.export.ats:greenhouse_paste", ats=True),
        ExportFormat("lever", (), "companion.export.ats:lever_default", ats=True),
        ExportFormat("ashby", (), "companion.export.ats:ashby_default", ats=True),
    )
}
DEFAULT_FORMAT = "md"
DEBRIEF_FORMATS: tuple[str, ...] = tuple(n for n, f in FORMATS.items() if f.debrief)


def format_for(path: Path | None) -> str:
    """The format a file's suffix names, or the default (stdout, or a suffix of no format)."""
    if path is None:
        return DEFAULT_FORMAT
    suffix = path.suffix.lower()
    return next((n for n, f in FORMATS.items() if suffix in f.suffixes), DEFAULT_FORMAT)


def _renderer(target: str) -> Any:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(module), function)


def render_session(report: dict[str, Any], fmt: str) -> str:
    """One session's `report()` in format `fmt`."""
    text: str = _renderer(FORMATS[fmt].session)(report)
    return text


def render_debrief(debrief: dict[str, Any], fmt: str) -> str:
    """A debrief in `fmt`, one of DEBRIEF_FORMATS."""
    target = FORMATS[fmt].debrief
    if target is None:
        raise ValueError(f"a debrief does not come as {fmt}")
    text: str = _renderer(target)(debrief)
    return text


def choices_hint() -> str:
    """The formats as a user types them: `md|json|csv|html`."""
    return "|".join(FORMATS)
