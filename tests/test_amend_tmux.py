"""`companion amend` and the summary's copy in a real terminal (tmux): the session ended
without a summary is amended, and `c` says truly where the text went with tmux's
`set-clipboard` at its default (external) and on. Polls with deadlines."""

from __future__ import annotations

from pathlib import Path

import pytest
from tmux_harness import COMPANION, FIXTURES, NEEDS_TMUX, Tmux, query, tmux

from companion.cli.config import Config
from companion.clock import FakeClock
from companion.content.library import resolve_plan
from companion.session import Session
from companion.store.database import Store

pytestmark = [*NEEDS_TMUX, pytest.mark.timeout(120)]
__all__ = ["tmux"]  # the fixture, used by name


def test_amend_then_copy_in_tmux(tmux: Tmux, tmp_path: Path, isolated_home: Path) -> None:
    db = tmp_path / "amend.db"
    library = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    with Store(db) as store:
        clock = FakeClock()
        session = Session.start(resolve_plan(library, "t-live"), clock, store.sink("tmx00001"),
                                session_id="tmx00001", candidate="Ada Example")
        session.set_score("clarity", 2, "clear")
        session.set_score("depth", 1, "partial")
        session.set_recommendation("yes")
        session.end()  # no summary: pending
    tmux.start("amend", f"{COMPANION} --db {db} --plans {FIXTURES} amend tmx00001",
               width=80, height=24)
    tmux.wait_for("amend", lambda s: "Amending (ended" in s and "Clarity" in s, "the rubric")
    tmux.keys("amend", "C-n")
    tmux.wait_for("amend", lambda s: "█ Recommendation" in s and "s Skip" in s,
                  "the close screen, the scale focused")
    tmux.keys("amend", "Tab")
    tmux.wait_for("amend", lambda s: "s Skip" not in s, "the summary field focused")
    tmux.type("amend", "Design (60 min) for mid+ at ~8k rps")
    tmux.wait_for("amend", lambda s: "~8k rps" in s, "the summary typed")
    tmux.keys("amend", "C-s")
    tmux.wait_for("amend", lambda s: "a Amend" in s and "c Copy" in s, "the summary")
    tmux.keys("amend", "c")
    card = isolated_home / ".cache" / "companion" / "scorecard-tmx00001.txt"
    said = tmux.wait_for("amend", lambda s: "No clipboard here" in s, "the copy message")
    assert "Copied" not in said  # tmux's default set-clipboard external drops OSC 52
    assert "Design (60 min) for mid+ at ~8k rps" in card.read_text()
    tmux("set-option", "-g", "set-clipboard", "on")
    tmux.keys("amend", "c")
    tmux.wait_for("amend", lambda s: "Sent to the terminal's clipboard" in s, "OSC 52")
    assert "Design (60 min) for mid+ at ~8k rps" in tmux("show-buffer")
    tmux.keys("amend", "q")
    assert tmux.wait_exit("amend") == 0
    after = [t for (t,) in query(db, "select type from events where session_id = 'tmx00001' "
                                     "and seq > (select seq from events where type = "
                                     "'session_ended') order by seq")]
    assert after == ["summary_set", "scorecard_completed"]
    assert query(db, "select count(*) from leases where held = 1") == [(0,)]
