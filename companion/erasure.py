"""What `companion purge` erases besides the database, and what it cannot reach.

`KEPT_FILES` is the registry of files the app itself keeps for a person (today: none beyond
the database). A feature that keeps such a file adds a `KeptFiles` entry here (or calls
`register_kept_files` when its module is imported by the purge command), with a function that
names that feature's files for the sessions being purged; purge deletes them before it
deletes the sessions, so an interrupted purge never leaves a file without its session (a
second purge finds the session again and deletes the rest).

`NOT_REACHED` lists, in words for the user, what purge cannot erase (printed after every
purge); a feature that writes candidate data where the app does not keep track of it adds
a line."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["KEPT_FILES", "NOT_REACHED", "KeptFiles", "delete_kept_files",
           "register_kept_files"]

# One session row as purge selected it: id, started_at, candidate, candidate_id, plan_id...
SessionRow = Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class KeptFiles:
    what: str  # words for the user: "copy fallback files of the summary screen"
    find: Callable[[Sequence[SessionRow]], Iterable[Path]]


KEPT_FILES: list[KeptFiles] = []

NOT_REACHED: list[str] = [
    "exports written to files you chose (`companion export -o`, and any copy of them you "
    "saved, mailed or pasted elsewhere): companion keeps no record of where they went; "
    "delete them yourself",
]


def register_kept_files(what: str,
                        find: Callable[[Sequence[SessionRow]], Iterable[Path]]) -> None:
    KEPT_FILES.append(KeptFiles(what, find))


def delete_kept_files(sessions: Sequence[SessionRow],
                      registry: Sequence[KeptFiles] | None = None
                      ) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Delete every registered file kept for these sessions. Returns the files deleted and
    the ones that could not be (with the reason); a file already gone is neither."""
    deleted: list[Path] = []
    failed: list[tuple[Path, str]] = []
    for entry in KEPT_FILES if registry is None else registry:
        for path in entry.find(sessions):
            try:
                os.unlink(path)
            except FileNotFoundError:
                continue
            except OSError as err:
                failed.append((path, err.strerror or str(err)))
                continue
            deleted.append(path)
    return deleted, failed
