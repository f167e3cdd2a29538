"""SVG snapshots of the main screens, on the fake clock with fixed data, so they are stable.
After `pytest --snapshot-update`, look at the new SVGs before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.clock import FakeClock
from companion.config import Config
from companion.content import resolve_plan
from companion.launch import create_app
from companion.session import Session
from companion.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "live"


def _live_app(tmp_path: Path, advance: float = 0.0, pause: bool = False):  # type: ignore[no-untyped-def]
    lib = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    store = Store(tmp_path / "snap.db")
    clock = FakeClock()
    plan = resolve_plan(lib, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("snap0001"), session_id="snap0001",
                            candidate="Sam Lee", role="backend")
    clock.advance(20)
    session.add_note("Opened with a clear summary of the current system")
    session.next_section()
    clock.advance(90)
    session.toggle_signal("clarifies")
    session.toggle_asked("t-design/rate-limiter")
    session.add_note("Asked about read/write ratio before drawing anything", flagged=True)
    clock.advance(advance)
    if pause:
        session.pause()
    return create_app(store, clock, lib, session, tick=10_000)


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (60, 20)])
def test_live_running(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live_app(tmp_path), terminal_size=size)


def test_live_warning(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live_app(tmp_path, advance=1050), terminal_size=(80, 24))


def test_live_overtime(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live_app(tmp_path, advance=1200), terminal_size=(80, 24))


def test_live_paused(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live_app(tmp_path, pause=True), terminal_size=(120, 36))


def test_live_command_mode(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_live_app(tmp_path), press=["escape"], terminal_size=(80, 24))
