"""One holder per session, with real processes in real terminals (tmux): a second terminal
is asked, looks read-only or takes over, and the first learns it at its next heartbeat;
SIGTERM, SIGHUP and SIGINT end the app as Ctrl+Q does. Polls with deadlines."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from tmux_harness import COMPANION, FIXTURES, NEEDS_TMUX, Tmux, query, tmux, wait_until

pytestmark = [*NEEDS_TMUX, pytest.mark.timeout(120)]
__all__ = ["tmux"]  # the fixture, used by name


def _start_first(tmux: Tmux, db: Path) -> str:
    tmux.start("first", f"{COMPANION} --db {db} --plans {FIXTURES} run t-live "
                        "--candidate 'Two Terminals' --role backend")
    tmux.wait_for("first", lambda s: "TYPING" in s and "Introductions" in s, "the live screen")
    tmux.type("first", "from the first")
    tmux.keys("first", "Enter")
    tmux.wait_for("first", lambda s: "from the first" in s, "the first note")
    ((sid,),) = query(db, "select id from sessions")
    return str(sid)


def _notes(db: Path) -> list[str]:
    return [r[0] for r in query(db, "select json_extract(data, '$.text') from events "
                                    "where type = 'note_added' order by seq")]


def test_a_second_terminal_looks_read_only_then_takes_over(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    sid = _start_first(tmux, db)
    first_pid = tmux.app_pid("first")

    tmux.start("look", f"{COMPANION} --db {db} resume {sid}")
    asked = tmux.wait_for("look", lambda s: "Choice" in s, "the question")
    assert f"held by pid {first_pid} on this machine since" in asked
    tmux.type("look", "r")
    tmux.keys("look", "Enter")
    tmux.wait_for("look", lambda s: "READ-ONLY" in s and "Introductions" in s,
                  "the read-only view")
    tmux.keys("look", "C-q")
    assert tmux.wait_exit("look") == 0
    assert _notes(db) == ["from the first"]
    assert query(db, "select pid, held from leases") == [(first_pid, 1)]

    tmux.start("take", f"{COMPANION} --db {db} resume {sid}")
    tmux.wait_for("take", lambda s: "Choice" in s, "the question")
    tmux.type("take", "t")
    tmux.keys("take", "Enter")
    tmux.wait_for("take", lambda s: "TYPING" in s, "the taken-over session")
    # The first terminal hears it at its next heartbeat (every 2 s) and says so in words.
    tmux.wait_for("first", lambda s: "TAKEN OVER" in s, "the first terminal told", 15)
    tmux.type("first", "typed after the take-over")
    tmux.keys("first", "Enter")
    tmux.type("take", "from the second")
    tmux.keys("take", "Enter")
    tmux.wait_for("take", lambda s: "from the second" in s, "the second note")
    tmux.keys("take", "C-q")
    assert tmux.wait_exit("take") == 0
    tmux.keys("first", "C-q")
    assert tmux.wait_exit("first") == 0
    assert _notes(db) == ["from the first", "from the second"]
    assert query(db, "select count(*) from leases where held = 1") == [(0,)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_without_a_terminal_a_held_session_says_what_to_do(tmux: Tmux, tmp_path: Path) -> None:
    import subprocess

    db = tmp_path / "held.db"
    sid = _start_first(tmux, db)
    result = subprocess.run([str(COMPANION), "--db", str(db), "resume", sid],
                            capture_output=True, text=True, timeout=60,
                            stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "is open in another terminal: held by pid" in result.stderr
    assert "--read-only" in result.stderr and "--take-over" in result.stderr
    assert "Traceback" not in result.stderr
    tmux.keys("first", "C-q")
    assert tmux.wait_exit("first") == 0


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_a_signal_saves_pauses_releases_and_restores_the_terminal(
        tmux: Tmux, tmp_path: Path, number: signal.Signals) -> None:
    db = tmp_path / "signal.db"
    _start_first(tmux, db)
    tmux.type("first", "half a thought")
    wait_until(lambda: query(db, "select text from drafts where field = 'note'")
               == [("half a thought",)], "the draft to be saved")
    os.kill(tmux.app_pid("first"), number)
    assert tmux.wait_exit("first") == 0
    assert query(db, "select type from events order by seq desc limit 1") == [
        ("section_paused",)]
    assert query(db, "select held from leases") == [(0,)]
    assert query(db, "select text from drafts where field = 'note'") == [("half a thought",)]
    # The terminal is given back: the alternate screen left, mouse capture off. (tmux keeps
    # a dead pane's cursor flag off whatever was sent; Textual's exit writes the show-cursor
    # sequence with the others.)
    assert tmux.pane("first", "alternate_on") == "0"
    assert tmux.pane("first", "mouse_any_flag") == "0"
    assert tmux.pane("first", "mouse_standard_flag") == "0"


def test_closed_terminals_end_their_apps_with_everything_saved(
        tmux: Tmux, tmp_path: Path) -> None:
    """The windows closed: their terminals are gone with them (SIGHUP, then nowhere to
    write). A first terminal that had been taken over used to stay behind for ever, its
    Textual shutdown blocked on output nobody reads."""
    db = tmp_path / "closed.db"
    sid = _start_first(tmux, db)
    tmux.start("take", f"{COMPANION} --db {db} resume {sid} --take-over")
    tmux.wait_for("take", lambda s: "TYPING" in s, "the taken-over session")
    tmux.wait_for("first", lambda s: "TAKEN OVER" in s, "the first terminal told", 15)
    tmux.type("take", "typed before the windows closed")
    wait_until(lambda: query(db, "select text from drafts where field = 'note'")
               == [("typed before the windows closed",)], "the draft to be saved")
    pids = [tmux.app_pid("first"), tmux.app_pid("take")]
    tmux("kill-server")  # both terminals go away, as when their windows are closed

    def ended() -> bool:
        for pid in pids:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                continue
            return False
        return True

    wait_until(ended, "both apps to end", 20)
    assert query(db, "select held from leases") == [(0,)]
    assert query(db, "select text from drafts where field = 'note'") == [
        ("typed before the windows closed",)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_read_only_on_a_free_session_writes_nothing(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "free.db"
    sid = _start_first(tmux, db)
    tmux.keys("first", "C-q")
    assert tmux.wait_exit("first") == 0
    before = query(db, "select count(*) from events")
    tmux.start("look", f"{COMPANION} --db {db} resume {sid} --read-only")
    tmux.wait_for("look", lambda s: "READ-ONLY" in s, "the read-only view")
    tmux.keys("look", "C-q")
    assert tmux.wait_exit("look") == 0
    assert query(db, "select count(*) from events") == before  # no reopen, no pause
    assert query(db, "select held from leases") == [(0,)]  # and no lease taken
