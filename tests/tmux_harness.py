"""A real terminal for the end-to-end tests: a private tmux server, reading the screen and
the database with deadlines. The only place the tests poll a real process."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

COMPANION = Path(sys.executable).parent / "companion"
FIXTURES = Path(__file__).parent / "fixtures" / "live"
NEEDS_TMUX = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not COMPANION.exists(), reason="the companion command is not installed"),
]


def wait_until(predicate: Callable[[], bool], what: str, deadline: float = 20.0,
               detail: Callable[[], str] = lambda: "") -> None:
    """Poll a real process (the screen of another program, a database another process
    writes) until `predicate` holds, failing after `deadline` seconds. Not a timer wait:
    the unit and UI tests drive time with the fake clock."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}{detail()}")


class Tmux:
    """A private tmux server (its own TMUX_TMPDIR) whose panes stay after their command
    exits, so the last words on screen can be read; each command's exit status is written
    to a file by the shell that runs it (tmux's own pane_dead_status is not always set)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = dict(os.environ, TMUX_TMPDIR=str(folder))
        self.env.pop("TMUX", None)
        self("new-session", "-d", "-s", "keeper", "cat")
        self("set-option", "-g", "remain-on-exit", "on")

    def __call__(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                              env=self.env).stdout

    def start(self, name: str, command: str, width: int = 100, height: int = 30) -> None:
        status = self.folder / f"{name}.status"
        self("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
             f"{command}; echo $? > {status}")

    def screen(self, name: str) -> str:
        return self("capture-pane", "-p", "-t", name)

    def type(self, name: str, text: str) -> None:
        self("send-keys", "-t", name, "-l", "--", text)

    def keys(self, name: str, *keys: str) -> None:
        self("send-keys", "-t", name, *keys)

    def pane(self, name: str, field: str) -> str:
        return self("display-message", "-p", "-t", name, f"#{{{field}}}").strip()

    def app_pid(self, name: str) -> int:
        """The command's process: the child of the pane's shell."""
        shell = self.pane(name, "pane_pid")
        (child,) = subprocess.run(["pgrep", "-P", shell], capture_output=True,
                                  text=True).stdout.split()
        return int(child)

    def wait_for(self, name: str, predicate: Callable[[str], bool], what: str,
                 deadline: float = 20.0) -> str:
        seen = [""]

        def shows() -> bool:
            seen[0] = self.screen(name)
            return predicate(seen[0])

        wait_until(shows, what, deadline, lambda: f"; screen was:\n{seen[0]}")
        return seen[0]

    def wait_exit(self, name: str, deadline: float = 20.0) -> int:
        """The exit status of the pane's command (128 + N when killed by signal N)."""
        status = self.folder / f"{name}.status"

        def written() -> bool:
            return status.exists() and status.read_text().endswith("\n")

        wait_until(written, f"{name} to exit", deadline,
                   lambda: f"; screen was:\n{self.screen(name)}")
        return int(status.read_text())

    def close(self) -> None:
        subprocess.run(["tmux", "kill-server"], env=self.env, capture_output=True)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    server = Tmux(tmp_path)
    yield server
    server.close()


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()
