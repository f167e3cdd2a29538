"""SVG snapshots of the main screens, on the fake clock with fixed data, so they are stable.
After `pytest --snapshot-update`, look at the new SVGs before committing them."""

from __future__ import annotations

from pathlib import Path

import pytest

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import resolve_plan
from companion.session import Session
from companion.store.database import Store

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


def _fixture_library():  # type: ignore[no-untyped-def]
    # Only the fixture content, so built-in content edits never change these pictures.
    from companion.content.library import Source, load_library

    return load_library([Source("fixtures", (FIXTURES,))])


def _finished(tmp_path: Path, *, end: bool = True):  # type: ignore[no-untyped-def]
    lib = _fixture_library()
    store = Store(tmp_path / "snap.db")
    clock = FakeClock()
    plan = resolve_plan(lib, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("done0001"), session_id="done0001",
                            candidate="Sam Lee", candidate_id="sam@example.org",
                            role="backend", interviewer="Panel Engineer")
    clock.advance(240)
    session.add_note("Walked through the current system clearly")
    session.next_section()
    clock.advance(900)
    session.toggle_signal("clarifies")
    session.toggle_asked("t-design/rate-limiter")
    session.add_note("Chose fail-open and said why", flagged=True)
    session.next_section()
    clock.advance(300)
    session.next_section()
    session.set_score("clarity", 2, "Summarised requirements before drawing")
    session.set_score("depth", 1, "Stayed high level on storage")
    if end:
        session.set_recommendation("yes")
        session.set_summary("Clear structure; go deeper on storage next round.")
        session.end()
    return lib, store, clock, session


def test_home_empty(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Store(tmp_path / "empty.db"), FakeClock(), _fixture_library(),
                     tick=10_000)
    assert snap_compare(app, terminal_size=(120, 36))


def test_home_with_history(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib, store, clock, _ = _finished(tmp_path)
    Session.start(resolve_plan(lib, "t-live"), clock, store.sink("open0002"),
                  session_id="open0002", candidate="Robin Roe")
    assert snap_compare(create_app(store, clock, lib, tick=10_000), terminal_size=(120, 36))


def test_rubric(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib, store, clock, session = _finished(tmp_path, end=False)
    app = create_app(store, clock, lib, session, tick=10_000)
    assert snap_compare(app, press=["ctrl+r"], terminal_size=(100, 30))


def test_recommendation(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib, store, clock, session = _finished(tmp_path, end=False)
    app = create_app(store, clock, lib, session, tick=10_000)
    assert snap_compare(app, press=["ctrl+r", "ctrl+n", "3"], terminal_size=(100, 30))


def test_summary(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lib, store, clock, session = _finished(tmp_path)

    async def show_summary(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        pilot.app.open_summary(session)
        await pilot.pause()

    app = create_app(store, clock, lib, tick=10_000)
    assert snap_compare(app, run_before=show_summary, terminal_size=(100, 40))


def test_stats(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import random

    from companion.practice.draws import practice_plan

    lib = _fixture_library()
    store = Store(tmp_path / "stats.db")
    clock = FakeClock()
    rng = random.Random(4)
    for number, (clarity, depth) in enumerate(((0, 1), (1, 1), (2, 1), (2, 2))):
        plan = practice_plan(lib, store, "t-practice", candidate="me", rng=rng)
        sid = f"stat000{number}"
        session = Session.start(plan, clock, store.sink(sid), session_id=sid, candidate="me")
        clock.advance(500 + 60 * number)
        session.next_section()
        session.set_postmortem("numbers first next time")
        session.set_score("clarity", clarity, "seen")
        session.set_score("depth", depth, "seen")
        session.end()
        clock.advance(2 * 86_400)

    async def open_stats(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.pause()
        pilot.app.open_stats()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = create_app(store, clock, lib, tick=10_000)
    assert snap_compare(app, run_before=open_stats, terminal_size=(100, 34))


def test_home_narrow(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = create_app(Store(tmp_path / "narrow.db"), FakeClock(), _fixture_library(),
                     tick=10_000)
    assert snap_compare(app, press=["enter"], terminal_size=(80, 24))
