"""The installed command in a real terminal (tmux), as a user runs it: type a note, leave a
draft, kill -9 the process, resume, and find both. Polls the screen with a deadline."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest
from tmux_harness import COMPANION, FIXTURES, NEEDS_TMUX, Tmux, query, tmux, wait_until

pytestmark = [*NEEDS_TMUX, pytest.mark.timeout(90)]
__all__ = ["tmux"]  # the fixture, used by name


def test_note_and_draft_survive_kill_and_resume(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "smoke.db"
    tmux.start("app", f"{COMPANION} --db {db} --plans {FIXTURES} run t-live "
                      "--candidate 'Smoke Test' --role backend")
    tmux.wait_for("app", lambda s: "TYPING" in s and "Introductions" in s, "the live screen")
    tmux.type("app", "first note survives")
    tmux.keys("app", "Enter")
    tmux.wait_for("app", lambda s: "first note survives" in s and "00:" in s,
                  "the saved note")
    tmux.type("app", "draft in progress")
    wait_until(lambda: query(db, "select text from drafts") == [("draft in progress",)],
               "the draft to be saved")
    os.kill(tmux.app_pid("app"), signal.SIGKILL)
    assert tmux.wait_exit("app") == 128 + signal.SIGKILL
    assert query(db, "select json_extract(data, '$.text') from events "
                     "where type = 'note_added'") == [("first note survives",)]

    tmux.start("resumed", f"{COMPANION} --db {db} resume")
    screen = tmux.wait_for("resumed", lambda s: "PAUSED" in s and "first note survives" in s,
                           "the resumed session")
    assert "Reopened after" in screen
    assert "draft in progress" in screen
    tmux.keys("resumed", "C-q")
    assert tmux.wait_exit("resumed") == 0
    assert query(db, "select type from events order by id desc limit 1") == [
        ("session_reopened",)]


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
