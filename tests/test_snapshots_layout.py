"""SVG snapshots of the live screen at 120x36, 80x24 and 60x20 in a busy section: twelve
signals (nine of them ad hoc, some ticked), a timeline of forty notes (one flagged, one
edited, one retracted), in typing mode and in command mode with the second bank of signal
keys chosen. Fake clock and fixed data, so they are stable."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Source, load_library, resolve_plan
from companion.session import Session
from companion.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures" / "live"
SIZES = [(120, 36), (80, 24), (60, 20)]


def _busy_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    lib = load_library([Source("fixtures", (FIXTURES,))])
    store = Store(tmp_path / "snap.db")
    clock = FakeClock()
    session = Session.start(resolve_plan(lib, "t-live", "backend"), clock,
                            store.sink("busy0001"), session_id="busy0001",
                            candidate="Sam Lee", role="backend")
    clock.advance(60)
    session.next_section()
    for number in range(4, 13):
        signal = session.add_signal(f"Ad-hoc signal {number}: named a trade-off",
                                    "good" if number % 3 else "bad")
        if number in (4, 11, 12):
            session.toggle_signal(signal.id)
    session.toggle_signal("clarifies")
    for number in range(40):
        clock.advance(15)
        note = session.add_note(f"Note {number}: walked through the write path and the "
                                "read path" + (" with numbers" if number % 4 == 0 else ""))
        if number == 36:
            session.flag_note(note.id, True)
        if number == 37:
            session.edit_note(note.id, f"Note {number}: corrected")
        if number == 38:
            session.retract_note(note.id)
    return create_app(store, clock, lib, session, tick=10_000)


@pytest.mark.parametrize("size", SIZES)
def test_busy_section_typing(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(_busy_app(tmp_path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_busy_section_command_mode(snap_compare, tmp_path: Path,  # type: ignore[no-untyped-def]
                                   size: tuple[int, int]) -> None:
    assert snap_compare(_busy_app(tmp_path), press=["escape", "b"], terminal_size=size)
