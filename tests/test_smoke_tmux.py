"""The installed command in a real terminal (tmux), as a user runs it: type a note, leave a
draft, kill -9 the process, resume, and find both. Polls the screen with a deadline."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

COMPANION = Path(sys.executable).parent / "companion"
FIXTURES = Path(__file__).parent / "fixtures" / "live"
pytestmark = [
    pytest.mark.tmux,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(not COMPANION.exists(), reason="the companion command is not installed"),
    pytest.mark.timeout(90),
]


class Terminal:
    def __init__(self, name: str, env: dict[str, str]) -> None:
        self.name = name
        self.env = env

    def tmux(self, *args: str) -> str:
        return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True,
                              env=self.env).stdout

    def start(self, command: str, width: int = 100, height: int = 30) -> None:
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", "--", text)

    def keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", self.name, *keys)

    def pid(self) -> int:
        return int(self.tmux("display-message", "-p", "-t", self.name, "#{pane_pid}").strip())

    def wait_for(self, predicate: Callable[[str], bool], what: str,
                 deadline: float = 20.0) -> str:
        end = time.monotonic() + deadline
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            if predicate(screen):
                return screen
            time.sleep(0.05)  # polling a real process, with a deadline (not a timer wait)
        raise AssertionError(f"timed out waiting for {what}; screen was:\n{screen}")


def wait_until(predicate: Callable[[], bool], what: str, deadline: float = 10.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    env = dict(os.environ)
    env["TMUX_TMPDIR"] = str(tmp_path)  # a private tmux server for this test
    env.pop("TMUX", None)
    term = Terminal(f"t{uuid.uuid4().hex[:8]}", env)
    # A session that idles, so the server outlives the app's session between runs.
    term.tmux("new-session", "-d", "-s", "keeper", "cat")
    yield term
    subprocess.run(["tmux", "kill-server"], env=env, capture_output=True)


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_note_and_draft_survive_kill_and_resume(terminal: Terminal, tmp_path: Path) -> None:
    db = tmp_path / "smoke.db"
    run = (f"{COMPANION} --db {db} --plans {FIXTURES} run t-live --candidate 'Smoke Test' "
           "--role backend")
    terminal.start(run)
    terminal.wait_for(lambda s: "TYPING" in s and "Introductions" in s, "the live screen")
    terminal.type("first note survives")
    terminal.keys("Enter")
    terminal.wait_for(lambda s: "first note survives" in s and "00:" in s, "the saved note")
    terminal.type("draft in progress")
    wait_until(lambda: rows(db, "select text from drafts") == [("draft in progress",)],
               "the draft to be saved")
    app_pids = subprocess.run(["pgrep", "-P", str(terminal.pid())], capture_output=True,
                              text=True).stdout.split()
    for pid in app_pids or [str(terminal.pid())]:
        os.kill(int(pid), signal.SIGKILL)
    wait_until(lambda: not subprocess.run(["pgrep", "-f", f"--db {db}"],
                                          capture_output=True).stdout, "the process to die")
    assert rows(db, "select json_extract(data, '$.text') from events "
                    "where type = 'note_added'") == [("first note survives",)]

    terminal.name += "-resumed"
    terminal.start(f"{COMPANION} --db {db} resume")
    screen = terminal.wait_for(lambda s: "PAUSED" in s and "first note survives" in s,
                               "the resumed session")
    assert "Reopened after" in screen
    assert "draft in progress" in screen
    terminal.keys("C-q")
    wait_until(lambda: rows(db, "select type from events order by id desc limit 1")
               == [("session_reopened",)], "the reopen to be recorded")


def test_bad_database_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    result = subprocess.run([str(COMPANION), "--db", str(bad), "run", "t-live", "--plans",
                             str(FIXTURES), "--candidate", "X"], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 2
    assert "not a companion database" in result.stderr
    assert "Traceback" not in result.stderr
    assert bad.read_bytes() == b"this is not sqlite" * 100
