"""Real processes in a real terminal (tmux): kill -9 in the middle of typing a draft, and two
app processes writing one database at once. Polls the screen and the database with
deadlines, never waits for a timer by sleeping. (tests/test_smoke_tmux.py covers kill -9
right after a note.)"""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from tmux_harness import COMPANION, FIXTURES, NEEDS_TMUX, Tmux, query, tmux, wait_until

pytestmark = [*NEEDS_TMUX, pytest.mark.timeout(120)]
__all__ = ["tmux"]  # the fixture, used by name
WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india",
         "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo",
         "sierra", "tango", "uniform", "victor", "whiskey"]


def run_command(db: Path, candidate: str) -> str:
    return (f"{COMPANION} --db {db} --plans {FIXTURES} run t-live --candidate '{candidate}' "
            "--role backend")


def test_kill_mid_draft_keeps_the_draft_at_most_a_second_behind(tmux: Tmux,
                                                                 tmp_path: Path) -> None:
    db = tmp_path / "draft.db"
    tmux.start("app", run_command(db, "Kill Test"))
    tmux.wait_for("app", lambda s: "TYPING" in s and "Introductions" in s, "the live screen")
    tmux.type("app", "note before the kill")
    tmux.keys("app", "Enter")
    tmux.wait_for("app", lambda s: "note before the kill" in s and "(00:" in s,
                  "the saved note")

    # Type for three seconds at the pace the app shows the words (each word is sent once the
    # last one is on screen: a fast typist, never a backlog of keys), keeping when each prefix
    # had been sent; then kill -9 at once, mid-word.
    typed, sent = "", []
    start = time.monotonic()
    index = 0
    while time.monotonic() - start < 3.0:
        chunk = WORDS[index % len(WORDS)] + " "
        index += 1
        tmux.type("app", chunk)
        typed += chunk
        sent.append((time.monotonic(), typed))
        tail = typed.rstrip()[-12:]
        tmux.wait_for("app", lambda screen, tail=tail: tail in screen, "the word on screen", 5)
    tmux.type("app", "unfinis")
    typed += "unfinis"
    pid = tmux.app_pid("app")
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    assert tmux.wait_exit("app") == 128 + signal.SIGKILL

    (note,) = query(db, "SELECT json_extract(data, '$.text') FROM events "
                        "WHERE type = 'note_added'")
    assert note == ("note before the kill",)
    drafts = query(db, "SELECT text FROM drafts")
    draft = str(drafts[0][0]) if drafts else ""
    assert typed.startswith(draft), "the saved draft is something that was typed"
    second_before = max((text for at, text in sent if at <= killed_at - 1.0), key=len,
                        default="")
    assert len(second_before) > 100, "enough was typed to measure"
    assert len(draft) >= len(second_before), (
        f"the draft is more than 1 s behind: saved {len(draft)} chars, "
        f"{len(second_before)} had been typed 1 s before the kill, {len(typed)} in all")

    tmux.start("resumed", f"{COMPANION} --db {db} resume")
    screen = tmux.wait_for("resumed", lambda s: "PAUSED" in s and "note before the kill" in s,
                           "the resumed session")
    assert "Reopened after" in screen
    # (The note line shows a long draft from its start, the cursor at its end.)
    assert draft[:30] in screen, f"the draft {draft[:30]!r}... is back in the note line"
    tmux.keys("resumed", "C-q")
    assert tmux.wait_exit("resumed") == 0


def test_two_apps_writing_one_database(tmux: Tmux, tmp_path: Path) -> None:
    db = tmp_path / "shared.db"
    # The database exists before both start (two first starts racing to create it are
    # tests/test_faults_store_cli.py::test_two_first_opens_racing_to_create_the_schema).
    made = subprocess.run([str(COMPANION), "--db", str(db), "sessions"], capture_output=True,
                          text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    names = ("one", "two")
    for name in names:
        tmux.start(name, run_command(db, f"Candidate {name}"))
    for name in names:
        tmux.wait_for(name, lambda s: "TYPING" in s and "Introductions" in s,
                      f"the live screen of {name}")
    notes = {name: [f"{name} note {i} {uuid.uuid4().hex[:6]}" for i in range(8)]
             for name in names}
    for i in range(8):  # interleaved: each process commits while the other does
        for name in names:
            tmux.type(name, notes[name][i])
            tmux.keys(name, "Enter")
        # Each note on screen before the next is typed: a burst of keys can merge two
        # notes (tests/test_faults_ui.py::test_burst_of_keys_keeps_notes_apart).
        for name in names:
            tmux.wait_for(name, lambda s, n=name, k=i: notes[n][k] in s and "TYPING" in s,
                          f"note {i} of {name}")
        if i == 4:
            for name in names:
                tmux.keys(name, "C-n")  # a section change in both, between notes
    for name in names:
        tmux.wait_for(name, lambda s, n=name: notes[n][-1] in s, f"the last note of {name}")
        tmux.type(name, f"draft left in {name}")
    wait_until(lambda: len(query(db, "SELECT * FROM drafts WHERE text LIKE 'draft left%'"))
               == 2, "both drafts to be saved")
    for name in names:
        tmux.keys(name, "C-q")
    for name in names:
        assert tmux.wait_exit(name) == 0, tmux.screen(name)
        screen = tmux.screen(name)
        assert "Traceback" not in screen and "error" not in screen, screen

    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    sessions = dict(query(db, "SELECT candidate, id FROM sessions"))
    assert set(sessions) == {"Candidate one", "Candidate two"}
    for name in names:
        sid = sessions[f"Candidate {name}"]
        saved = query(db, "SELECT json_extract(data, '$.text'), section FROM events "
                          f"WHERE session_id = '{sid}' AND type = 'note_added' ORDER BY seq")
        assert [text for text, _ in saved] == notes[name]
        assert [section for _, section in saved] == [0] * 5 + [1] * 3
        seqs = [s for (s,) in query(db, "SELECT seq FROM events WHERE session_id = "
                                        f"'{sid}' ORDER BY seq")]
        assert seqs == list(range(1, len(seqs) + 1)), "no gap and no duplicate in the log"
        last = query(db, f"SELECT type FROM events WHERE session_id = '{sid}' "
                         "ORDER BY seq DESC LIMIT 1")
        assert last == [("section_paused",)], "quit paused the running timer"
    found = query(db, "SELECT count(*) FROM texts_fts WHERE texts_fts MATCH 'note'")
    assert found == [(16,)]
