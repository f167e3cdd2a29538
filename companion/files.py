"""Files the app writes are whole or absent: `write_atomic` writes a temporary file in the
same folder (mode 0600), fsyncs it, renames it over the final name and fsyncs the folder.
A failure (a full disk, a crash, kill -9) leaves the earlier file or nothing under the final
name, never a truncated or empty one; a failure we see removes the temporary file, and a
temporary file left by a process that was killed is removed by the next write to that name.

Used for exports (`export -o`), the team key, the content cache; every file companion writes
goes through here (the database is SQLite's, which keeps its own promises)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

__all__ = ["temp_name_prefix", "write_atomic"]

_TEMP_SUFFIX = ".tmp"


def temp_name_prefix(path: Path) -> str:
    """The start of the name of every temporary file made for `path` (hidden, beside it):
    `.NAME.PID.` then random hex and `.tmp`."""
    return f".{path.name}."


def _temp_path(path: Path) -> Path:
    return path.with_name(f"{temp_name_prefix(path)}{os.getpid()}.{os.urandom(4).hex()}"
                          f"{_TEMP_SUFFIX}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: it exists
        return True
    return True


def _sweep_stale(path: Path) -> None:
    """Remove temporary files for `path` left by processes that no longer run (a kill -9
    between creating and renaming one). Another live writer's file is left alone."""
    prefix = temp_name_prefix(path)
    try:
        names = os.listdir(path.parent)
    except OSError:
        return
    for name in names:
        if not (name.startswith(prefix) and name.endswith(_TEMP_SUFFIX)):
            continue
        pid_text = name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and int(pid_text) != os.getpid() and not _alive(int(pid_text)):
            with contextlib.suppress(OSError):
                os.unlink(path.parent / name)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable. Some file systems cannot fsync a folder: that is
    not an error worth failing a write for."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(folder, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, overwrite: bool = False, mode: int = 0o600) -> None:
    """Write `data` to `path` whole or not at all, with `mode` (0600 by default: what the app
    writes holds candidate data or a key).

    Without `overwrite` an existing name (a symlink too) raises FileExistsError and is left
    alone; the check and the rename are one step (a hard link), so a file appearing
    meanwhile is never replaced. With `overwrite` the name is replaced (a symlink itself,
    never its target). A folder at `path` raises IsADirectoryError. Any other failure raises
    the OSError, with the earlier file (or nothing) under `path` and no temporary file."""
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not overwrite and os.path.lexists(path):
        raise FileExistsError(17, "File exists", str(path))
    _sweep_stale(path)
    tmp = _temp_path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(tmp, flags, mode)
    try:
        try:
            os.fchmod(fd, mode)  # the umask may have taken bits away (or added none)
            _write_all(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        if overwrite:
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_folder(path.parent)


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` only if no file has it (link fails on an existing name),
    then drop the temporary name. Where hard links are not supported, a rename after one
    more look (a file created in between could then be replaced)."""
    try:
        os.link(tmp, path, follow_symlinks=False)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(path):
            raise FileExistsError(17, "File exists", str(path)) from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)
