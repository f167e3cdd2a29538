"""Which other processes have a file open: a best-effort look through /proc/*/fd (Linux;
other users' processes only when we may read them). Used to say what keeps a purge from
finishing; an empty list means "another program" (or none we could see)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Holder", "holders_of"]


@dataclass(frozen=True, slots=True)
class Holder:
    pid: int
    name: str  # the program's name (/proc/PID/comm), '' when unknown
    command: str  # its command line, spaces between the arguments, '' when unknown

    def words(self) -> str:
        return f"{self.name or 'a program'} (pid {self.pid})"


def _read(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""


def holders_of(path: Path, *, suffixes: tuple[str, ...] = ("", "-wal", "-shm"),
               proc: Path = Path("/proc")) -> list[Holder]:
    """Processes other than this one with `path` (or `path` plus one of `suffixes`) open,
    by pid."""
    try:
        real = os.path.realpath(path)
    except OSError:
        return []
    targets = {real + suffix for suffix in suffixes}
    me = os.getpid()
    found = []
    try:
        pids = sorted(int(p) for p in os.listdir(proc) if p.isdigit())
    except OSError:
        return []
    for pid in pids:
        if pid == me:
            continue
        fd_dir = proc / str(pid) / "fd"
        try:
            fds = os.listdir(fd_dir)
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd_dir / fd)
            except OSError:
                continue
            if target in targets:
                name = _read(str(proc / str(pid) / "comm")).strip()
                command = _read(str(proc / str(pid) / "cmdline")).replace("\0", " ").strip()
                found.append(Holder(pid, name, command))
                break
    return found
