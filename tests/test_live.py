"""The live screen, driven with Pilot at 80x24 and 120x40, checking widgets and the database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import screen_text
from textual.widgets import Input

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.live import LiveScreen
from companion.tui.widgets.timer import TimerBar

FIXTURES = Path(__file__).parent / "fixtures" / "live"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    assert not lib.problems
    return lib


@dataclass
class Live:
    store: Store
    clock: FakeClock
    session: Session
    library: Library

    def app(self, draft: str = ""):  # type: ignore[no-untyped-def]
        # A huge tick: the interval never fires by itself; tests call on_tick() after
        # advancing the fake clock.
        return create_app(self.store, self.clock, self.library, self.session, draft,
                          tick=10_000)

    def rows(self, kind: str | None = None) -> list[dict[str, object]]:
        sql = "SELECT seq, type, section, data FROM events WHERE session_id = ?"
        params: list[object] = [self.session.id]
        if kind:
            sql += " AND type = ?"
            params.append(kind)
        rows = self.store.conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [{"seq": r[0], "type": r[1], "section": r[2], **json.loads(r[3])} for r in rows]


@pytest.fixture
def live(tmp_path: Path, library: Library) -> Iterator[Live]:
    store = Store(tmp_path / "live.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("s1"), session_id="s1",
                            candidate="Sam [/bold] [@click=app.quit]", role="backend")
    yield Live(store, clock, session, library)
    store.close()


@pytest.mark.parametrize("size", SIZES)
async def test_note_typed_and_saved_with_stamp(live: Live, size: tuple[int, int]) -> None:
    app = live.app()
    async with app.run_test(size=size) as pilot:
        assert isinstance(app.screen, LiveScreen)
        note = app.screen.query_one("#note", Input)
        assert app.focused is note, "the note line has focus when the screen opens"
        live.clock.advance(42)
        note.value = "asks about [/bold] scale 日本語"
        await pilot.press("enter")
        assert note.value == ""
        saved = live.rows("note_added")
        assert [r["text"] for r in saved] == ["asks about [/bold] scale 日本語"]
        assert saved[0]["section"] == 0
        assert saved[0]["section_offset"] == pytest.approx(42)
        text = screen_text(app)
        assert "asks about [/bold] scale" in text
        assert "00:42" in text
        assert "Sam [/bold] [@click=app.quit]" in text


async def test_backdated_and_flagged_notes(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        live.clock.advance(60)
        note.value = "-15s said they would cache it"
        await pilot.press("enter")
        note.value = "key moment"
        await pilot.press("ctrl+f")
        await pilot.press("ctrl+l")  # back-date the next note by 15 s
        note.value = "late one"
        await pilot.press("enter")
        notes = live.session.state.notes
        assert [(n.text, n.back, n.flagged) for n in notes] == [  # in time order
            ("said they would cache it", 15.0, False),
            ("late one", 15.0, False),
            ("key moment", 0.0, True),
        ]
        assert notes[0].t == pytest.approx(45)
        assert [r["flagged"] for r in live.rows("note_added")] == [False, True, False]
        assert "★" in screen_text(app)


async def test_note_then_next_section_keeps_order(live: Live) -> None:
    """A note committed just before ^N belongs to the section it was typed in."""
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        note.value = "intro note"
        await pilot.press("enter", "ctrl+n")
        await pilot.press(*"two", "enter")
        sections = [r["section"] for r in live.rows("note_added")]
        assert sections == [0, 1]
        assert live.session.state.current == 1


async def test_command_mode_ticks_signals_and_marks_questions(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")  # the Design section has signals and questions
        await pilot.press("escape")
        assert not app.screen.typing and app.screen.command  # type: ignore[attr-defined]
        assert "COMMAND" in screen_text(app)
        await pilot.press("1", "3", "a", "j", "a")
        section = live.session.state.section
        assert set(section.ticked) == {"clarifies", "buzzwords"}
        assert set(section.asked) == {"t-design/rate-limiter", "t-design/feed"}
        text = screen_text(app)
        assert "[✓] 1 + good Clarifies requirements first" in text
        assert "[ ] 2 + good Proposes a simple baseline" in text
        await pilot.press("1")  # untick
        assert set(live.session.state.section.ticked) == {"buzzwords"}
        await pilot.press("u")  # undo the last tick still standing
        assert live.session.state.section.ticked == {}
        toggles = [(r["signal"], r["on"]) for r in live.rows("signal_toggled")]
        assert toggles == [("clarifies", True), ("buzzwords", True), ("clarifies", False),
                           ("buzzwords", False)]
        await pilot.press("i")
        assert isinstance(app.focused, Input)
        assert "TYPING" in screen_text(app)


async def test_ad_hoc_question_and_signal(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "q")
        prompt_input = app.screen.query_one("#text", Input)
        prompt_input.value = "How would you test it?"
        await pilot.press("enter")
        assert app.focused is app.screen.query_one("#note"), "a dialog closes into typing"
        await pilot.press("escape", "plus")
        app.screen.query_one("#text", Input).value = "Draws the data flow first"
        await pilot.press("enter")
        state = live.session.state
        assert state.section.prompts[-1].text == "How would you test it?"
        assert [s.text for s in state.section.extra_good] == ["Draws the data flow first"]
        assert state.section.extra_good[0].id in state.section.ticked
        assert [r["type"] for r in live.rows()][-3:] == ["prompt_added", "signal_added",
                                                         "signal_toggled"]


async def test_edit_and_retract_last_note(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#note", Input).value = "teh answer"
        await pilot.press("enter", "escape", "e")
        app.screen.query_one("#text", Input).value = "the answer"
        await pilot.press("enter")
        assert live.session.state.notes[0].text == "the answer"
        assert live.session.state.notes[0].edits == ["teh answer"]
        await pilot.press("escape", "x")
        assert live.session.state.notes[0].retracted
        assert [r["type"] for r in live.rows()][-2:] == ["note_edited", "note_retracted"]
        assert "retracted" in screen_text(app)


async def test_timer_warning_overtime_and_pause(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        live.clock.advance(60)
        screen.on_tick()
        await pilot.pause()
        assert "04:00 left" in screen_text(app)
        live.clock.advance(220)  # 20 s left of a 5-minute section: in its last 10 %
        screen.on_tick()
        await pilot.pause()
        text = screen_text(app)
        assert "△ WRAP UP 00:20 left" in text
        live.clock.advance(80)
        screen.on_tick()
        await pilot.pause()
        text = screen_text(app)
        assert "▲ OVER TIME +01:00" in text
        await pilot.press("ctrl+t")
        live.clock.advance(500)  # paused: no time counts
        screen.on_tick()
        await pilot.pause()
        text = screen_text(app)
        assert "‖ PAUSED +01:00" in text
        assert live.session.state.section_used(0, live.session.now()) == pytest.approx(360)
        await pilot.press("ctrl+t")
        assert [r["type"] for r in live.rows()][-2:] == ["section_paused", "section_resumed"]


async def test_wall_clock_jump_changes_no_timer(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        live.clock.advance(30)
        live.clock.jump_wall(3600)
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "04:30 left" in screen_text(app)


async def test_draft_saved_within_a_tick_and_restored_on_resume(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"half a tho")
        app.screen.on_tick()  # type: ignore[attr-defined]
        assert live.store.draft("s1") == "half a tho"
        await pilot.press(*"ught")
        app.screen.on_tick()  # type: ignore[attr-defined]
        assert live.store.draft("s1") == "half a thought"
    # Reopen as `companion resume` does, a day later.
    live.clock.advance(86_400)
    reopened = Session.reopen(live.store.events("s1"), live.clock, live.store.sink("s1"))
    app2 = create_app(live.store, live.clock, live.library, reopened,
                      live.store.draft("s1"), tick=10_000)
    async with app2.run_test(size=(80, 24)) as pilot:
        assert app2.screen.query_one("#note", Input).value == "half a thought"
        text = screen_text(app2)
        assert "PAUSED" in text
        assert "1d 0h 0m away" in text
        await pilot.press("escape", "A")
        assert reopened.state.away == 0
        assert reopened.state.section_used(0) == pytest.approx(86_400, abs=1)


@pytest.mark.parametrize("over_it", [(), ("f1",)], ids=["live", "help-over-live"])
async def test_quit_pauses_and_keeps_draft(live: Live, over_it: tuple[str, ...]) -> None:
    """Ctrl+Q saves the draft and pauses, also with help (a modal) over the live screen."""
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.query_one("#note", Input).value = "not yet sent"
        await pilot.press(*over_it)
        assert isinstance(app.screen, LiveScreen) == (not over_it)
        await pilot.press("ctrl+q")
    assert live.store.draft("s1") == "not yet sent"
    assert live.rows()[-1]["type"] == "section_paused"


async def test_next_previous_skip_sections(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("escape", "n", "s")
        # A move goes back to typing: the "s" that followed is a letter of the note line.
        assert live.session.state.current == 1
        assert app.screen.query_one("#note", Input).value == "s"
        app.screen.query_one("#note", Input).value = ""
        await pilot.press("escape", "s")
        state = live.session.state
        assert state.current == 2
        assert state.sections[1].skipped and state.sections[0].ended
        await pilot.press("escape", "p")
        assert live.session.state.current == 1
        text = screen_text(app)
        assert "✓ 1. Introductions" in text
        assert "▶ 2. Design" in text


async def test_help_lists_every_key(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("f1")
        from textual.widgets import Static

        text = str(app.screen.query_one(Static).render())
        for word in ("Tick or untick signal", "Pause or resume", "Back-date", "Retract",
                     "-15s text"):
            assert word in text
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)


async def test_command_palette_lists_screen_actions(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(100, 30)):
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Next (ctrl+n)", "Mark asked (a)", "Retract last note (x)",
                       "Add away time (A)"):
            assert any(t.startswith(action.split(" (")[0]) for t in titles), action


@pytest.mark.parametrize("size", [(60, 20), (40, 12), (30, 8)])
async def test_small_terminals_do_not_crash(live: Live, size: tuple[int, int]) -> None:
    app = live.app()
    async with app.run_test(size=size) as pilot:
        await pilot.resize_terminal(120, 40)
        await pilot.resize_terminal(*size)
        await pilot.press(*"ok", "enter")
        assert live.session.state.notes[-1].text == "ok"
        if size == (60, 20):
            text = screen_text(app)
            assert "left" in text and "TYPING" in text
            assert app.screen.query_one(TimerBar).region.height == 2


async def test_failed_write_keeps_the_note_and_retries(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from companion.store.database import Store, StoreError

    real_append = Store.append
    failing = {"on": True}

    def flaky_append(self, session_id, event, summary):  # type: ignore[no-untyped-def]
        if failing["on"]:
            raise StoreError("the disk is full")
        return real_append(self, session_id, event, summary)

    monkeypatch.setattr(Store, "append", flaky_append)
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        note.value = "must not be lost"
        await pilot.press("enter")
        assert note.value == ""  # kept on screen, counted, retried
        assert "NOT SAVED: 1 note, waiting for disk space" in screen_text(app)
        app.screen.on_tick()  # type: ignore[attr-defined]
        assert live.rows("note_added") == []
        failing["on"] = False
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert [r["text"] for r in live.rows("note_added")] == ["must not be lost"]
        assert note.value == ""
        app.screen.on_tick()  # type: ignore[attr-defined]
        assert len(live.rows("note_added")) == 1, "saved exactly once"


async def test_click_a_section_to_go_there(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.click("#sections", offset=(5, 2))
        assert live.session.state.current == 2
        assert live.rows()[-1]["type"] == "section_started"


async def test_wal_is_checkpointed_when_idle_not_on_a_key(live: Live, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[float] = []
    monkeypatch.setattr(live.store, "checkpoint", lambda: calls.append(1) or True)
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        screen.query_one("#note", Input).value = "a note"
        await pilot.press("enter")
        screen.on_tick()  # type: ignore[attr-defined]
        assert calls == [], "not right after a write"
        live.clock.advance(1.5)
        screen.on_tick()  # type: ignore[attr-defined]
        assert calls == [1], "a second after the last write"
        live.clock.advance(5)
        screen.on_tick()  # type: ignore[attr-defined]
        assert calls == [1], "nothing new to fold in"


async def test_click_a_signal_and_a_question(live: Live) -> None:
    from companion.tui.widgets.panes import PromptRow, SignalRow

    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+n")  # the Design section
        await pilot.pause()
        await pilot.click(SignalRow)
        assert set(live.session.state.section.ticked) == {"clarifies"}
        await pilot.click(PromptRow)
        assert set(live.session.state.section.asked) == {"t-design/rate-limiter"}
        await pilot.click(SignalRow)
        assert live.session.state.section.ticked == {}


async def test_a_skip_a_next_and_a_previous_can_be_undone(live: Live) -> None:
    """z in command mode returns to the section the user left (a section_reopened event);
    the section is no longer skipped or ended, and its time goes on from where it was."""
    app = live.app()
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("escape", "s")  # skip Introductions by mistake
        await pilot.pause()
        assert "Esc z undoes it" in screen_text(app)
        live.clock.advance(5)
        await pilot.press("escape", "z")
        await pilot.pause()
        state = live.session.state
        assert state.current == 0 and not state.sections[0].skipped
        assert "Back to section 1" in screen_text(app)
        await pilot.press("escape", "n", "escape", "p")  # next, then previous
        await pilot.press("escape", "z")  # undo the previous: back to Design
        assert live.session.state.current == 1
        await pilot.press("escape", "z")  # and undo that (the next): back to Introductions
        assert live.session.state.current == 0
        assert not live.session.state.sections[0].ended
        await pilot.press("f1")
        from textual.widgets import Static

        assert "Return to the section you left" in str(app.screen.query_one(Static).render())
    reopened = live.rows("section_reopened")
    assert [r["section"] for r in reopened] == [0, 1, 0]
    assert not any(r["type"] == "section_skipped" and r["seq"] > reopened[0]["seq"]
                   for r in live.rows())


async def test_nothing_to_undo_says_so(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.press("escape", "z")
        await pilot.pause()
        assert "No section move to undo." in screen_text(app)
    assert live.rows("section_reopened") == []


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (60, 20)])
async def test_the_note_just_saved_is_in_sight_at_every_width(live: Live,
                                                               size: tuple[int, int]) -> None:
    app = live.app()
    async with app.run_test(size=size) as pilot:
        note = app.screen.query_one("#note", Input)
        note.value = "the note just saved"
        await pilot.press("enter")
        await pilot.pause()
        assert "✓ saved 00:00: the note just saved" in screen_text(app)


async def test_a_note_saved_at_once_is_not_back_dated(live: Live,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Real time passes between Enter and the write (microseconds): that is no back-date."""
    real = type(live.clock).monotonic

    def ticking(clock: FakeClock) -> float:
        clock.advance(0.0001)  # every reading a little later, as a real clock
        return real(clock)

    monkeypatch.setattr(type(live.clock), "monotonic", ticking)
    app = live.app()
    async with app.run_test(size=(120, 36)) as pilot:
        live.clock.advance(30)
        note = app.screen.query_one("#note", Input)
        note.value = "said just now"
        await pilot.press("enter")
        await pilot.pause()
        assert "⟲" not in screen_text(app)
    (row,) = live.rows("note_added")
    assert row["back"] == 0.0
