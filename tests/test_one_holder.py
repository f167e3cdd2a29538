"""One holder per session, in process: the lease and its heartbeat, the away gap measured
from it (a wall-clock jump changes nothing within a boot), a take-over that turns the first
screen read-only, a read-only view, drafts of every after-call text, and purge refusing a
held session. The real-process cases are in test_one_holder_tmux.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import make_plan
from textual.widgets import Input

from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.holding import CLOCK_WENT_BACK, hold_new, open_for_writing, open_read_only
from companion.lease import STALE_S, is_stale, new_lease
from companion.session import Session
from companion.store.database import LeaseLost, Store
from companion.tui.screens.live import LiveScreen


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "held.db"


def started(store: Store, clock: FakeClock, sid: str = "h1") -> Session:
    session = Session.start(make_plan(), clock, store.sink(sid), session_id=sid,
                            candidate="Sam Lee")
    hold_new(store, session, clock)
    return session


def test_a_second_open_learns_who_holds_the_session(db: Path) -> None:
    clock = FakeClock()
    with Store(db) as first, Store(db) as second:
        started(first, clock)
        opened = open_for_writing(second, "h1", clock)
        assert opened.session is None and opened.held_by is not None
        assert opened.held_by.words().startswith(f"pid {opened.held_by.pid} on this machine since ")
        assert second.held == {}


def test_a_lease_goes_stale_without_heartbeats_or_when_its_process_is_gone(db: Path) -> None:
    clock = FakeClock()
    with Store(db) as store:
        started(store, clock)
        lease = store.lease("h1")
        assert lease is not None and not is_stale(lease, clock)
        assert is_stale(lease, clock, alive=lambda pid: False)  # crashed: pid gone
        clock.advance(STALE_S + 1)
        assert is_stale(lease, clock)
        store.heartbeat("h1", clock.wall(), clock.boottime())
        assert not is_stale(store.lease("h1"), clock)  # type: ignore[arg-type]


def test_after_a_take_over_the_first_process_writes_nothing(db: Path) -> None:
    clock = FakeClock()
    with Store(db) as first, Store(db) as second:
        session = started(first, clock)
        session.add_note("before")
        taken = open_for_writing(second, "h1", clock, take_over=True)
        assert taken.session is not None
        with pytest.raises(LeaseLost, match="taken over in another terminal"):
            session.add_note("after")
        with pytest.raises(LeaseLost):
            first.save_draft("h1", "my draft", clock.wall())
        with pytest.raises(LeaseLost):
            first.heartbeat("h1", clock.wall(), clock.boottime())
        taken.session.add_note("theirs")
        second.save_draft("h1", "their draft", clock.wall())
        texts = [e.data["text"] for e in second.events("h1") if e.type == "note_added"]
        assert texts == ["before", "theirs"]
        assert second.draft("h1") == "their draft"


def test_the_away_gap_is_measured_from_the_last_heartbeat(db: Path) -> None:
    """5 s away reads as 5 s, whatever the wall clock did; across a reboot the wall clock
    counts, and a wall clock that went back offers nothing and says so."""
    clock = FakeClock()
    with Store(db) as store:
        session = started(store, clock)
        clock.advance(30)
        store.heartbeat("h1", clock.wall(), clock.boottime())
    # kill -9: no release, and the process is gone (its pid no longer runs). 5 s later, with
    # the wall clock set back a day meanwhile.
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE leases SET pid = 4194000")
    clock.advance(5)
    clock.jump_wall(-86_400)
    with Store(db) as store:
        opened = open_for_writing(store, "h1", clock)
        assert opened.session is not None and opened.note == ""
        assert opened.session.state.away == pytest.approx(5.0)
        store.release_lease("h1", clock.wall(), clock.boottime())
    clock.reboot(downtime=600)
    with Store(db) as store:
        opened = open_for_writing(store, "h1", clock)
        assert opened.session is not None and opened.session.state.away == pytest.approx(600)
        store.release_lease("h1", clock.wall(), clock.boottime())
    clock.reboot(downtime=0)
    clock.jump_wall(-3600)
    with Store(db) as store:
        opened = open_for_writing(store, "h1", clock)
        assert opened.session is not None and opened.session.state.away == 0
        assert opened.note == CLOCK_WENT_BACK
    assert session.id == "h1"


def test_purge_refuses_a_held_session_naming_the_holder(db: Path) -> None:
    from helpers import run_cli

    from companion.clock import RealClock

    clock = RealClock()
    with Store(db) as store:
        session = Session.start(make_plan(), clock, store.sink("h1"), session_id="h1",
                                candidate="Sam Lee")
        store.take_lease(new_lease("h1", clock), stale=lambda lease: True)
        result = run_cli("--db", str(db), "purge", "--session", "h1", "--yes")
        assert result.exit_code == 2
        assert "is open in" in result.output and "this machine" in result.output
        assert len(store.events("h1")) == len(session.events)


def _take_over(db: Path, clock: FakeClock) -> None:
    """Another terminal takes session h1 over."""
    with Store(db) as other:
        assert open_for_writing(other, "h1", clock, take_over=True).session is not None


def _told(screen: object) -> bool:
    """The live screen says it was taken over, in words."""
    assert isinstance(screen, LiveScreen)
    return "TAKEN OVER in another terminal" in str(screen.query_one("#mode").render())


async def test_a_take_over_turns_the_live_screen_read_only_keeping_the_line(db: Path) -> None:
    clock = FakeClock()
    store = Store(db)
    session = started(store, clock)
    app = create_app(store, clock, None, session, tick=10_000, heartbeat=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        note.value = "not yet saved"
        _take_over(db, clock)
        app.beat()  # the next heartbeat
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiveScreen) and screen.read_only
        assert note.value == "not yet saved" and note.disabled
        assert _told(screen)
        events = len(store.events("h1"))
        await pilot.press("escape", "n", "space")  # keys that would write are off
        assert len(store.events("h1")) == events
    store.close()


async def test_a_take_over_found_by_the_draft_save_is_said_in_words(db: Path) -> None:
    """Typing after a take-over: the tick's draft save is the first write to find it. It
    used to say only "Draft not saved yet (retrying)", and the heartbeat, holding nothing
    any more, never said TAKEN OVER."""
    clock = FakeClock()
    store = Store(db)
    session = started(store, clock)
    app = create_app(store, clock, None, session, tick=10_000, heartbeat=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        _take_over(db, clock)
        await pilot.press("h", "i")
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        screen.on_tick()  # saves the draft: refused, the lease is another's
        await pilot.pause()
        assert screen.read_only
        assert _told(screen)
        assert screen.query_one("#note", Input).value == "hi"
    with Store(db) as check:
        assert check.draft("h1") == ""
    store.close()


async def test_a_take_over_found_by_any_other_save_is_said_at_the_next_beat(db: Path) -> None:
    clock = FakeClock()
    store = Store(db)
    session = started(store, clock)
    app = create_app(store, clock, None, session, tick=10_000, heartbeat=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        _take_over(db, clock)
        with pytest.raises(LeaseLost):
            store.save_draft("h1", "evidence typed", clock.wall(), "evidence:c1")
        assert "h1" not in store.held  # nothing left for a heartbeat to refresh
        app.beat()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LiveScreen) and screen.read_only
        assert _told(screen)
        app.beat()  # said once, not at every beat
        await pilot.pause()
        assert len([n for n in app._notifications if "taken over" in n.message]) == 1
    store.close()


async def test_a_read_only_view_has_no_note_line_and_writes_nothing(db: Path) -> None:
    clock = FakeClock()
    with Store(db) as holder:
        started(holder, clock).add_note("held elsewhere")
        viewer = Store(db)
        session = open_read_only(viewer, "h1", clock)
        app = create_app(viewer, clock, None, session, tick=10_000, heartbeat=10_000,
                         read_only=True)
        async with app.run_test(size=(80, 24)) as pilot:
            assert not app.screen.query_one("#note", Input).display
            await pilot.press("n", "space")
            holder_events = len(holder.events("h1"))
            Session(holder.events("h1"), clock, holder.sink("h1")).add_note("new from holder")
            app.beat()  # follows what the holder saves
            await pilot.pause()
            assert "new from holder" in app.screen.query_one("#notes").visible_text()
        assert len(holder.events("h1")) == holder_events + 1
        viewer.close()


async def test_after_call_text_is_kept_as_typed_and_a_resume_returns_there(db: Path) -> None:
    """Evidence half-typed in the rubric's dialog is a draft at once; a resume opens the
    rubric again and the dialog offers the text back."""
    from companion.tui.screens.rubric import RubricScreen
    from companion.tui.screens.text_prompt import TextPrompt

    clock = FakeClock()
    store = Store(db)
    session = started(store, clock)
    app = create_app(store, clock, None, session, tick=10_000, heartbeat=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RubricScreen)
        await pilot.press("2")
        assert isinstance(app.screen, TextPrompt)
        app.screen.query_one(Input).value = "walked through the failure modes"
        await pilot.pause()
    # As after a kill -9: nothing saved as an event, the drafts are there.
    assert store.draft("h1", "evidence:c1") == "walked through the failure modes"
    assert store.draft("h1", "screen") == "rubric"
    assert not any(e.type == "score_set" for e in store.events("h1"))
    store.close()
    with Store(db) as again:
        opened = open_for_writing(again, "h1", clock, take_over=True)
        assert opened.session is not None
        app = create_app(again, clock, None, opened.session, tick=10_000, heartbeat=10_000,
                         screen=again.draft("h1", "screen"))
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, RubricScreen)
            # A second crash here comes back here too: the live screen under the rubric,
            # made current first at start, used to forget the rubric.
            assert again.draft("h1", "screen") == "rubric"
            await pilot.press("2")
            assert app.screen.query_one(Input).value == "walked through the failure modes"
            await pilot.press("enter")
            await pilot.pause()
        assert [e.data.get("evidence") for e in again.events("h1") if e.type == "score_set"] == [
            "walked through the failure modes"]
        assert again.draft("h1", "evidence:c1") == ""


async def test_home_asks_about_a_held_session_and_opens_it_read_only_or_takes_it(
        db: Path) -> None:
    from textual.widgets import OptionList

    from companion.cli.config import Config
    from companion.tui.screens.held import HeldChoice

    fixtures = Path(__file__).parent / "fixtures" / "live"
    library = Config(plans=[fixtures], config_dir=fixtures / "no-user-config").library()
    clock = FakeClock()
    holder = Store(db)
    held = started(holder, clock, "held0001")
    store = Store(db)
    for answer, read_only in (("r", True), ("t", False)):
        app = create_app(store, clock, library, tick=10_000, heartbeat=10_000)
        async with app.run_test(size=(120, 40)) as pilot:
            in_progress = app.screen.query_one("#in-progress", OptionList)
            in_progress.focus()
            in_progress.highlighted = 0
            await pilot.press("ctrl+o")
            await pilot.pause()
            assert isinstance(app.screen, HeldChoice)
            await pilot.press(answer)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LiveScreen) and screen.read_only is read_only
    with pytest.raises(LeaseLost):  # the take-over reached the first holder
        held.add_note("from the first holder")
    lease = holder.lease("held0001")
    assert lease is not None and lease.held and lease.token == store.held["held0001"]
    store.close()
    holder.close()


def test_a_crash_keeps_the_time_the_section_ran_after_its_last_event(db: Path) -> None:
    """kill -9 twelve seconds after the last note, the heartbeat still running: the section
    counts those 12 s (the interview went on), and the 5 s since are the time away."""
    clock = FakeClock()
    with Store(db) as store:
        session = started(store, clock)
        clock.advance(30)
        session.add_note("the last thing saved")
        for _ in range(6):
            clock.advance(2)
            store.heartbeat("h1", clock.wall(), clock.boottime())
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE leases SET pid = 4194000")
    clock.advance(5)
    with Store(db) as store:
        opened = open_for_writing(store, "h1", clock)
        assert opened.session is not None
        state = opened.session.state
        assert state.away == pytest.approx(5.0)
        assert state.section_used(0) == pytest.approx(42.0)
        assert state.clock() == pytest.approx(42.0)
        store.release_lease("h1", clock.wall(), clock.boottime())
