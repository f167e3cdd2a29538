"""Reading only regular files, and listing content folders without tripping on what is in
them. A FIFO would block a plain open() forever, a device such as /dev/zero has no end, and
`stat()` can lie about size (/proc, a file growing as we read): so a file is opened
non-blocking, checked on the opened descriptor, and read up to a cap whatever it claims.
Plain `os` only: the content cache reads through this without importing the YAML parser."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from companion.content.located import Problem

_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
_SUFFIXES = (".yaml", ".yml")


class RefusedFile(OSError):
    """A path that is not a regular file we can read whole: its message says why."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def why_not(err: OSError) -> str:
    """An OS error in words, loops named as such."""
    if isinstance(err, RefusedFile):
        return str(err)
    if err.errno == errno.ELOOP:
        return "a symbolic link loop (the link points back to itself)"
    return err.strerror or str(err)


def read_regular(path: Path | str, cap: int) -> bytes:
    """The bytes of a regular file of at most `cap` bytes, else RefusedFile or OSError."""
    try:
        fd = os.open(path, _FLAGS)
    except OSError as err:  # a socket cannot be opened at all (ENXIO): name what it is
        if err.errno == errno.ENXIO:
            raise RefusedFile(f"{_kind(os.stat(path).st_mode)}, not a regular file") from None
        raise
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise RefusedFile(f"{_kind(mode)}, not a regular file")
        chunks: list[bytes] = []
        size = 0
        while size <= cap:
            chunk = os.read(fd, min(1 << 20, cap + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > cap:
            limit = f"{cap >> 20} MiB" if cap >= 1 << 20 else f"{cap >> 10} KiB"
            raise RefusedFile(f"larger than {limit}, the limit for this file")
        return b"".join(chunks)
    finally:
        os.close(fd)


def list_folder(directory: Path, label: str = "") -> tuple[list[Path], list[Problem]]:
    """The *.yaml / *.yml entries of a content folder that are not folders, sorted, and a
    problem for a folder that is there but cannot be read. Entries that are FIFOs, devices,
    sockets or broken links are listed, so that reading them reports them by name."""
    try:
        mode = os.stat(directory).st_mode
    except FileNotFoundError:
        return [], []  # an optional folder (the user config) that does not exist
    except OSError as err:
        return [], [_folder_problem(directory, why_not(err), label)]
    if not stat.S_ISDIR(mode):
        return [], [_folder_problem(directory, f"{_kind(mode)}, not a folder", label)]
    try:
        with os.scandir(directory) as entries:
            found = sorted(directory / e.name for e in entries
                           if e.name.endswith(_SUFFIXES) and not _is_dir(e))
    except OSError as err:
        return [], [_folder_problem(directory, why_not(err), label)]
    return found, []


def walk_folder(top: Path) -> tuple[list[Path], list[Problem]]:
    """Every *.yaml / *.yml file under `top` (not following links to folders, so a loop
    cannot trap the walk), and a problem for each folder that cannot be read."""
    problems: list[Problem] = []

    def unreadable(err: OSError) -> None:
        problems.append(_folder_problem(Path(err.filename or top), why_not(err)))

    files: list[Path] = []
    for folder, dirs, names in os.walk(top, onerror=unreadable):
        dirs.sort()
        files.extend(Path(folder) / n for n in sorted(names) if n.endswith(_SUFFIXES))
    return files, problems


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop: listed, and reported when read
        return False


def _folder_problem(directory: Path, why: str, label: str = "") -> Problem:
    where = f" ({label})" if label else ""
    todo = "fix the link or remove it" if "link loop" in why else (
        "fix its permissions or remove it")
    return Problem(str(directory), 0, f"cannot read this folder{where}: {why}; {todo}")

