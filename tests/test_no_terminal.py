"""The commands that open the full-screen app refuse to start without a terminal on stdin
and stdout (a script, a pipe, `</dev/null`): exit 2, a clear message, nothing written.
Commands that print keep working (issue 22). Run as real processes: CliRunner has no tty."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import screen_text

from companion.clock import FakeClock
from companion.content.library import Source, load_library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.live import LiveScreen
from companion.tui.widgets.banner import ContentBanner

COMPANION = Path(sys.executable).parent / "companion"
FIXTURES = Path(__file__).parent / "fixtures" / "live"
pytestmark = pytest.mark.skipif(not COMPANION.exists(),
                                reason="the companion command is not installed")


def _companion(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(COMPANION), "--db", str(db), "--plans", str(FIXTURES), *args],
                          capture_output=True, text=True, timeout=60, env=dict(os.environ),
                          stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("args", [
    ("practice", "t-practice"),
    ("practice",),
    ("run", "t-live", "--candidate", "Ada"),
    ("resume",),
    ("amend", "e1"),
    (),
])
def test_the_app_needs_a_terminal(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:  # a session in progress, for resume
        plan = resolve_plan(load_library([Source("fixtures", (FIXTURES,))]), "t-live")
        Session.start(plan, FakeClock(), store.sink("s1"), session_id="s1", candidate="Sam")
        ended = Session.start(plan, FakeClock(), store.sink("e1"), session_id="e1",
                              candidate="Kim")
        ended.end()  # for amend
        before = len(store.events("s1")) + len(store.events("e1"))
    proc = _companion(db, *args)
    assert proc.returncode == 2, proc.stderr
    assert "needs a terminal on stdin and stdout" in proc.stderr
    assert "Traceback" not in proc.stderr and "\x1b" not in proc.stdout + proc.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == before, (
            "nothing written: no new session, no reopen")


def test_commands_that_print_work_without_a_terminal(tmp_path: Path) -> None:
    proc = _companion(tmp_path / "c.db", "plans")
    assert proc.returncode == 0, proc.stderr
    assert "t-live" in proc.stdout


async def test_content_problems_found_at_start_are_shown_in_the_app(tmp_path: Path) -> None:

    from companion.cli.config import Config
    from companion.cli.launch import create_app

    bad = Path(__file__).parent / "fixtures" / "content" / "bad"
    library = Config(plans=[FIXTURES, bad], config_dir=tmp_path / "none").library()
    assert library.problems
    with Store(tmp_path / "c.db") as store:
        app = create_app(store, FakeClock(), library, tick=10_000)
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.pause()
            shown = screen_text(app)
            assert "content problem" in shown and "companion validate" in shown
            assert "bad-plan" in shown
            # Not only a toast: once it has gone, the banner still says it, on home and on
            # the live screen of a session started from there.
            app.clear_notifications()
            await pilot.pause()
            banner = app.screen.query_one(ContentBanner)
            assert "companion validate" in banner.words
            clock = FakeClock()
            session = Session.start(resolve_plan(library, "t-live"), clock, store.sink("s1"),
                                    session_id="s1", candidate="Ann")
            app.open_live(session)
            await pilot.pause()
            assert isinstance(app.screen, LiveScreen)
            (banner,) = app.screen.query(ContentBanner)  # once, not twice
            assert "bad-plan" in banner.words


async def test_content_read_later_says_its_problems_when_read(tmp_path: Path) -> None:
    from companion.cli.config import Config
    from companion.cli.launch import create_app

    bad = Path(__file__).parent / "fixtures" / "content" / "bad"
    library = Config(plans=[FIXTURES, bad], config_dir=tmp_path / "none").library()
    reads: list[object] = []

    def later() -> object:
        reads.append(library)
        return library

    clock = FakeClock()
    with Store(tmp_path / "c.db") as store:
        session = Session.start(resolve_plan(library, "t-live"), clock, store.sink("s1"),
                                session_id="s1", candidate="Ann")
        app = create_app(store, clock, later, session, tick=10_000)  # type: ignore[arg-type]
        async with app.run_test(size=(120, 36), notifications=True) as pilot:
            await pilot.pause()
            assert reads == [] and not app._notifications  # not read at start: no cost
            assert app.library is library
            await pilot.pause()
            (banner,) = app.screen.query(ContentBanner)  # on top, once
            assert "content problem" in banner.words
            assert "companion validate" in banner.words
