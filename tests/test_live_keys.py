"""The live screen's command mode cannot bite (issue 22): which actions keep it, which go back
to typing, a letter that is not a command key lands in the note line, and ten seconds
without a key go back to typing (the fake clock, no sleep). Checked on the widgets and in
the database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import screen_text
from test_live import FIXTURES, Live
from textual.widgets import Input

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.live import COMMAND_IDLE_S, LiveScreen
from companion.tui.widgets.modebar import ModeBar


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    assert not lib.problems
    return lib


@pytest.fixture
def live(tmp_path: Path, library: Library) -> Iterator[Live]:
    store = Store(tmp_path / "live.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("s1"), session_id="s1", candidate="Sam",
                            role="backend")
    yield Live(store, clock, session, library)
    store.close()


def _screen(app) -> LiveScreen:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, LiveScreen)
    return screen


def _unbound_letter(screen: LiveScreen) -> str:
    """A letter no binding of the screen or the app takes (whatever keys others add)."""
    bound = set(screen.active_bindings)
    return next(c for c in "vVGHYTLOMDBgZ" if c not in bound)


async def test_the_mode_bar_says_the_mode_in_words_and_colour(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        bar = app.screen.query_one(ModeBar)
        assert "TYPING" in screen_text(app) and not bar.has_class("-command")
        await pilot.press("escape")
        text = screen_text(app)
        assert "⌘ COMMAND · keys act" in text and "TYPING" not in text
        assert f"typing in {COMMAND_IDLE_S:g}s" in text
        assert bar.has_class("-command"), "a background of its own, beside the words"
        assert "z undoes" in text


async def test_a_letter_that_is_not_a_command_goes_into_the_note(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        letter = _unbound_letter(screen)
        await pilot.press("escape", letter, "e", "s")
        note = screen.query_one("#note", Input)
        assert app.focused is note
        assert note.value == f"{letter}es", "the letter and the ones after it are the note"
        await pilot.press("enter")
    assert [r["text"] for r in live.rows("note_added")] == [f"{letter}es"]
    assert live.rows("section_skipped") == [] and live.rows("note_edited") == []


async def test_ticks_navigation_asked_and_pause_keep_command_mode(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _screen(app)
        await pilot.press("escape", "n")  # to Design, which has signals; back to typing
        assert screen.typing
        await pilot.press("escape", "1", "2", "u", "j", "k", "a", "space", "space")
        assert not screen.typing, "still in command mode"
        state = live.session.state
        assert list(state.section.ticked) == ["clarifies"]
        assert list(state.section.asked) == ["t-design/rate-limiter"]
        assert state.running
    assert [(r["signal"], r["on"]) for r in live.rows("signal_toggled")] == [
        ("clarifies", True), ("baseline", True), ("baseline", False)]


@pytest.mark.parametrize(("keys", "event"), [
    (("x",), "note_retracted"),
    (("f",), "note_flagged"),
    (("n",), "section_started"),
    (("s",), "section_skipped"),
])
async def test_an_edit_a_retraction_or_a_move_goes_back_to_typing(
        live: Live, keys: tuple[str, ...], event: str) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        screen.query_one("#note", Input).value = "a note"
        await pilot.press("enter", "escape", *keys)
        assert screen.typing
        assert app.focused is screen.query_one("#note")
    assert live.rows(event)


@pytest.mark.parametrize("key", ["e", "q", "plus", "minus", "question_mark"])
async def test_a_dialog_closes_into_typing(live: Live, key: str) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        screen.query_one("#note", Input).value = "a note"
        await pilot.press("enter", "escape", key)
        assert app.screen is not screen, "a dialog is open"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert app.focused is screen.query_one("#note")


async def test_ten_seconds_without_a_key_go_back_to_typing(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = _screen(app)
        await pilot.press("escape")
        live.clock.advance(COMMAND_IDLE_S - 1)
        screen.on_tick()
        await pilot.pause()
        assert not screen.typing
        assert "typing in 1s" in screen_text(app)
        await pilot.press("j")  # a key starts the ten seconds again
        live.clock.advance(COMMAND_IDLE_S - 1)
        screen.on_tick()
        assert not screen.typing
        live.clock.advance(1.5)
        screen.on_tick()
        await pilot.pause()
        assert screen.typing and app.focused is screen.query_one("#note")
        text = screen_text(app)
        assert "TYPING" in text and "Back to typing: 10 s without" in text


async def test_words_typed_in_command_mode_move_at_most_once(live: Live) -> None:
    """The bite of issue 22: "prs" typed in command mode. The first letter that is a
    move acts (and says how to undo it); the rest are the note line's."""
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = _screen(app)
        await pilot.press("escape", "n")  # in Design now
        await pilot.press("escape", "p", "r", "s")
        await pilot.pause()
        assert live.session.state.current == 0
        assert screen.query_one("#note", Input).value == "rs"
        assert isinstance(app.screen, LiveScreen), "r did not open the rubric"
        assert "Esc z undoes it" in screen_text(app)
        await pilot.press("escape", "z")
        assert live.session.state.current == 1
    assert [r["section"] for r in live.rows("section_reopened")] == [1]


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (60, 20)])
async def test_a_dialog_is_an_overlay_the_timer_and_question_stay_readable(
        live: Live, size: tuple[int, int]) -> None:
    app = live.app()
    async with app.run_test(size=size) as pilot:
        await pilot.press("escape", "q")
        await pilot.pause()
        text = screen_text(app)
        assert "Ad-hoc question for this section" in text
        assert "05:00 left" in text, "the timer shows behind the dialog"
        assert "Tell me about a system you own." in text, "so does the current question"


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_a_long_dialog_title_wraps_at_a_word(tmp_path: Path, library: Library,
                                                   size: tuple[int, int]) -> None:
    from companion.tui.screens.text_prompt import TextPrompt

    store = Store(tmp_path / "t.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("s2"), session_id="s2", candidate="Sam")
    app = Live(store, clock, session, library).app()
    title = ("Evidence for Communicates trade-offs clearly = 2: what did you see or hear "
             "that shows it, in the candidate's own words?")
    async with app.run_test(size=size) as pilot:
        await app.push_screen(TextPrompt(title))
        await pilot.pause()
        label = app.screen.query_one("#prompt-title")
        assert label.size.height >= 2, "the title wraps onto more lines"
        lines = [line.strip(" │╭╮╰╯─") for line in screen_text(app).splitlines()]
        words = " ".join(line for line in lines if line and line in title).split()
        assert words == title.split(), "every word whole, none cut"
    store.close()


async def test_note_stamps_and_the_timer_agree_across_a_pause(live: Live) -> None:
    """The issue's case: a total of 01:45 with the newest note stamped 01:54. Stamps are on
    the timer's clock, which stops while paused."""
    app = live.app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = _screen(app)
        live.clock.advance(60)
        await pilot.press("ctrl+t")  # pause at 01:00
        live.clock.advance(9)
        await pilot.press("ctrl+t")  # resume: 9 s paused
        live.clock.advance(45)
        screen.query_one("#note", Input).value = "the newest note"
        await pilot.press("enter")
        screen.on_tick()
        await pilot.pause()
        text = screen_text(app)
        assert "total 01:45/30:00" in text
        assert "✓ saved 01:45: the newest note" in text and "01:54" not in text
    assert live.session.state.notes[-1].t == pytest.approx(105)


async def test_a_back_date_stops_at_the_section_start_and_notes_stay_in_order(
        live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = _screen(app)
        live.clock.advance(100)
        await pilot.press("ctrl+n")  # Design starts at 01:40
        note = screen.query_one("#note", Input)
        live.clock.advance(20)
        note.value = "first in Design"
        await pilot.press("enter")
        live.clock.advance(10)
        note.value = "-5m what they said as the section began"
        await pilot.press("enter")
        await pilot.pause()
        notes = live.session.state.live_notes(1)
        assert [(n.text, n.t, n.back) for n in notes] == [
            ("what they said as the section began", 100.0, 30.0),
            ("first in Design", 120.0, 0.0),
        ]
        shown = screen.query_one("#notes").visible_text()
        assert shown.index("01:40") < shown.index("02:00"), "listed in time order"
        assert shown.count("first in Design") == 1, shown  # drawn once, in its place
    assert [r["back"] for r in live.rows("note_added")] == [0.0, 30.0]


@pytest.mark.parametrize(("answer", "used"), [("y", 60 + 65 + 30), ("n", 60 + 30)])
async def test_resuming_after_a_reopen_asks_whether_to_count_the_time_away(
        live: Live, answer: str, used: float) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        live.clock.advance(60)
        await pilot.press("ctrl+q")
    live.clock.advance(65)
    reopened = Session.reopen(live.store.events("s1"), live.clock, live.store.sink("s1"),
                              away=65.0)
    app = create_app(live.store, live.clock, live.library, reopened, tick=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Reopened after 1m 05s away" in screen_text(app)
        await pilot.press("ctrl+t")
        assert "count the 1m 05s away into this section?" in screen_text(app)
        await pilot.press(answer)
        await pilot.pause()
        assert reopened.state.running
        live.clock.advance(30)
        assert reopened.state.section_used(0, reopened.now()) == pytest.approx(used)
    gaps = [r["seconds"] for r in live.rows("gap_added")]
    assert gaps == ([65.0] if answer == "y" else [])


@pytest.mark.parametrize("key", ["f1", "ctrl+p"])
async def test_help_by_f1_or_the_palette_also_closes_into_typing(live: Live, key: str) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _screen(app)
        await pilot.press("escape", key)
        assert app.screen is not screen
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.typing


async def test_the_footer_under_the_help_keeps_practice_keys_hidden_in_an_interview(
        live: Live) -> None:
    app = live.app()
    async def settled() -> str:
        for _ in range(6):  # the footer recomposes a few refreshes after a screen change
            await pilot.pause()
        return screen_text(app).splitlines()[-1]

    async with app.run_test(size=(160, 30)) as pilot:
        live_screen = _screen(app)
        before = await settled()
        assert "Next" in before and "Redraw" not in before
        for keys in (["f1"], ["escape"], ["escape", "f1"]):  # the help, typing or not
            await pilot.press(*keys)
            footer = await settled()
            assert "Next" in footer and "Redraw" not in footer, keys
        assert app.screen is not live_screen
