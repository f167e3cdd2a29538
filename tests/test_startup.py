"""Start-up pauses the cyclic garbage collector (companion.startup): it must always come back,
or a long session would keep every reference cycle it ever made."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.collector import resume_collector
from companion.content.library import resolve_plan
from companion.session import Session
from companion.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture
def paused_collector() -> Iterator[None]:
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        gc.enable()


def test_resume_collects_freezes_and_enables(paused_collector: None) -> None:
    resume_collector()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # start-up's objects are out of later collections


def test_resume_leaves_an_enabled_collector_alone() -> None:
    before = gc.get_freeze_count()
    resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == before


async def test_the_app_resumes_the_collector_once_drawn(tmp_path: Path,
                                                        paused_collector: None) -> None:
    library = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    store = Store(tmp_path / "live.db")
    clock = FakeClock()
    session = Session.start(resolve_plan(library, "t-live", "backend"), clock,
                            store.sink("s1"), session_id="s1", candidate="Sam")
    app = create_app(store, clock, library, session, tick=10_000)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert gc.isenabled()
    store.close()


@pytest.mark.parametrize("args", [["plans"], ["sessions", "--json"]])
def test_commands_run_with_the_collector_back_on(tmp_path: Path, args: list[str]) -> None:
    """The console script's entry point: a command that opens no app resumes the collector
    before its work (checked from inside the process, after the command ran)."""
    script = (
        "import gc, sys\n"
        "import companion.startup as s\n"
        "try:\n"
        "    s.main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('collector', 'on' if gc.isenabled() else 'off', file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                            text=True, timeout=60,
                            env={**os.environ, "COMPANION_DB": str(tmp_path / "c.db")})
    assert result.returncode == 0, result.stderr
    assert "collector on" in result.stderr
