"""Faults in the live screen, driven with Pilot: writes that fail and are retried, hostile
text (emoji, CJK, right-to-left, combining marks, control characters, escape sequences,
Textual markup, a 1 MB paste), time jumps and away-gaps, tiny terminals, ten sections and
deep overtime. Time comes from a FakeClock; the tick is huge so timers never fire and the
tests call screen.on_tick() after advancing the clock (as tests/test_live.py does)."""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from helpers import screen_text, stored_session
from textual import events
from textual.widgets import Input

import companion.store.database as store_module
from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, known_roles, resolve_plan
from companion.session import Session
from companion.store.database import Store, StoreError
from companion.tui.screens.live import LiveScreen
from companion.tui.widgets.timer import TimerBar

TESTS = Path(__file__).resolve().parent
LIVE = TESTS / "fixtures" / "live"
FAULTS = TESTS / "fixtures" / "faults"

# Text that has broken terminal apps: every kind the issue lists, one per note.
HOSTILE_NOTES = [
    "emoji 👩‍👩‍👧‍👦 🇯🇵 🤦🏽‍♀️ done",
    "CJK 日本語のメモ 中文笔记 한국어 메모",
    "RTL שלום עולם مرحبا بالعالم mixed with English",
    "combining e\u0301 a\u0308 n\u0303 Z\u0351\u0352\u0353\u0354 and zero\u200bwidth",
    "controls NUL\x00 BEL\x07 BS\x08 TAB\t VT\x0b FF\x0c CR\r DEL\x7f end",
    "clear \x1b[2J\x1b[H home, title \x1b]0;pwned\x07, alt \x1b[?1049h screen, red \x1b[31mX",
    "markup [/bold] [bold]b[/] [@click=app.quit]quit[/] arr[i] \\[escaped]",
    "  leading and trailing spaces kept  ",
]
HOSTILE_NAME = "Zoë \x1b]0;title\x07 [/bold] [@click=app.quit] 李 שלום 👩‍💻 e\u0301"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(plans=[LIVE, FAULTS / "plans", FAULTS / "hostile"],
                 config_dir=FAULTS / "no-user-config").library()
    assert not lib.problems, lib.problems
    return lib


@dataclass
class Live:
    store: Store
    clock: FakeClock
    session: Session
    library: Library

    def app(self, draft: str = "", session: Session | None = None):  # type: ignore[no-untyped-def]
        return create_app(self.store, self.clock, self.library, session or self.session,
                          draft, tick=10_000)

    def rows(self, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT seq, type, t, section, data FROM events WHERE session_id = ?"
        params: list[object] = [self.session.id]
        if kind:
            sql += " AND type = ?"
            params.append(kind)
        rows = self.store.conn.execute(sql + " ORDER BY seq", params).fetchall()
        return [{"seq": r[0], "type": r[1], "t": r[2], "section": r[3], **json.loads(r[4])}
                for r in rows]

    def reopened(self) -> Session:
        return Session.reopen(self.store.events(self.session.id), self.clock,
                              self.store.sink(self.session.id))


def _start(tmp_path: Path, library: Library, plan_id: str, candidate: str = "Ada Example",
           role: str | None = None) -> Live:
    store = Store(tmp_path / "faults.db")
    clock = FakeClock()
    # resolve_plan refuses a role no bank is tagged for; a session recorded before that check
    # (or imported) may still hold any text as its role, which the screen must show safely.
    plan = resolve_plan(library, plan_id, role if role in known_roles(library) else None)
    session = Session.start(plan, clock, store.sink("s1"), session_id="s1",
                            candidate=candidate, role=role or "")
    return Live(store, clock, session, library)


@pytest.fixture
def live(tmp_path: Path, library: Library) -> Iterator[Live]:
    state = _start(tmp_path, library, "t-live", role="backend")
    yield state
    state.store.close()


def _raw_controls(app) -> set[str]:  # type: ignore[no-untyped-def]
    """Control characters (C0, DEL, C1) in what the app would write to the terminal: the
    text of every segment of every strip the compositor renders for the screen."""
    found: set[str] = set()
    for strip in app.screen._compositor.render_strips():
        for segment in strip:
            found.update(f"U+{ord(ch):04X}" for ch in segment.text
                         if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)
    return found


def _assert_layout(text: str) -> None:
    """The screen still shows the timer, the overall time and the mode line."""
    assert re.search(r"(left|\+\d+:\d\d|used)", text), text
    assert "total" in text, text
    assert "TYPING" in text or "COMMAND" in text, text


# --- a write that fails ------------------------------------------------------------------


class Failing:
    """Makes Store.append raise StoreError while `on` is true (a lock, a full disk...)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, message: str) -> None:
        self.on = False
        self.calls = 0
        real = Store.append
        failing = self

        def append(store: Store, *args: Any, **kwargs: Any) -> None:
            if failing.on:
                failing.calls += 1
                raise StoreError(message)
            real(store, *args, **kwargs)

        monkeypatch.setattr(Store, "append", append)


async def test_failed_note_stays_is_told_and_is_retried_once(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    fault = Failing(monkeypatch, f"{live.store.path} is locked by another program")
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        note = screen.query_one("#note", Input)
        live.clock.advance(42)
        fault.on = True
        note.value = "explains the cache stampede"
        await pilot.press("enter")
        await pilot.pause()
        # Told at once, before any tick; the note waits on screen (the line is free for the
        # next one, which stays a note of its own); nothing saved.
        assert note.value == ""
        text = screen_text(app)
        assert "NOT SAVED:" in text and "locked" in text  # the notification
        mode = str(screen.query_one("#mode").render())  # the mode line, under the toast
        assert "NOT SAVED: 1 note, waiting for a lock" in mode
        assert live.rows("note_added") == []
        # Still failing: each tick retries, and still nothing is lost or doubled.
        for _ in range(3):
            live.clock.advance(0.5)
            screen.on_tick()
        await pilot.pause()
        assert fault.calls >= 2, "the note is retried on the ticks while the fault lasts"
        assert "NOT SAVED: 1 note" in screen_text(app)
        assert live.rows("note_added") == []
        # The fault clears: saved within a few ticks, without retyping, exactly once.
        fault.on = False
        for _ in range(3):
            live.clock.advance(0.5)
            screen.on_tick()
            await pilot.pause()
        assert [r["text"] for r in live.rows("note_added")] == ["explains the cache stampede"]
        assert note.value == "", "a saved note leaves the note line (no double save on Enter)"
        for _ in range(3):
            live.clock.advance(0.5)
            screen.on_tick()
        await pilot.pause()
        assert len(live.rows("note_added")) == 1
        text = screen_text(app)
        assert "explains the cache stampede" in text
        assert "NOT SAVED" not in str(screen.query_one("#mode").render())
        _assert_layout(text)


async def test_enter_pressed_again_while_failing_saves_once(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    fault = Failing(monkeypatch, "database or disk is full")
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        fault.on = True
        note.value = "pressed twice"
        await pilot.press("enter", "enter")
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.press("enter")
        fault.on = False
        await pilot.press("enter")
        for _ in range(3):
            live.clock.advance(0.5)
            app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert [r["text"] for r in live.rows("note_added")] == ["pressed twice"]


async def test_retried_note_keeps_the_time_it_was_typed(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    fault = Failing(monkeypatch, "locked")
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        live.clock.advance(42)
        fault.on = True
        note.value = "said it at 00:42"
        await pilot.press("enter")
        for _ in range(60):  # 30 s of failing ticks
            live.clock.advance(0.5)
            app.screen.on_tick()  # type: ignore[attr-defined]
        fault.on = False
        live.clock.advance(0.5)
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        (saved,) = live.session.state.notes
        assert saved.text == "said it at 00:42"
        assert saved.t == pytest.approx(42, abs=1)


async def test_failed_note_then_next_section_keeps_its_section(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    fault = Failing(monkeypatch, "locked")
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        fault.on = True
        note.value = "intro remark"
        await pilot.press("enter")
        fault.on = False
        await pilot.press("ctrl+n")
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert [(r["text"], r["section"]) for r in live.rows("note_added")] == [
            ("intro remark", 0)]


async def test_burst_of_keys_keeps_notes_apart(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        for ch in "first\rsecond\r":  # all queued before the screen handles any
            app.post_message(events.Key("enter", None) if ch == "\r" else events.Key(ch, ch))
        await pilot.pause()
        await pilot.pause()
        assert [r["text"] for r in live.rows("note_added")] == ["first", "second"]


@pytest.mark.parametrize("fault", ["locked", "full"])
async def test_real_store_fault_in_the_live_screen(tmp_path: Path, library: Library,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   fault: str) -> None:
    """The same through SQLite itself: a writer holding the lock past the busy timeout, or a
    database that cannot grow (PRAGMA max_page_count), then the fault clears."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_S", 0.05)
    live = _start(tmp_path, library, "t-live", role="backend")
    other = sqlite3.connect(live.store.path, isolation_level=None)
    try:
        if fault == "full":
            pages = live.store.conn.execute("PRAGMA page_count").fetchone()[0]
            live.store.conn.execute(f"PRAGMA max_page_count = {pages}")
            with pytest.raises(StoreError):  # fill what room the last pages had
                for i in range(500):
                    live.session.add_note(f"filler {i} " + "x" * 300)
            with pytest.raises(StoreError):  # and the gaps a short note would still fit in
                for i in range(500):
                    live.session.add_note(f"f{i}")
        app = live.app()
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            if fault == "locked":
                other.execute("BEGIN IMMEDIATE")
                other.execute("INSERT INTO drafts VALUES ('other', 'note', 'x', '2020-01-01')")
            before = len(live.rows("note_added"))
            note = app.screen.query_one("#note", Input)
            note.value = "said under a fault"
            await pilot.press("enter")
            await pilot.pause()
            assert note.value == ""  # waiting on screen, in the count
            assert "NOT SAVED: 1 note" in screen_text(app)
            if fault == "locked":
                other.execute("ROLLBACK")
            else:
                live.store.conn.execute("PRAGMA max_page_count = 1000000")
            for _ in range(3):
                live.clock.advance(0.5)
                app.screen.on_tick()  # type: ignore[attr-defined]
            await pilot.pause()
            texts = [r["text"] for r in live.rows("note_added")]
            assert texts[before:] == ["said under a fault"]
            assert note.value == ""
    finally:
        other.close()
        live.store.close()
    with sqlite3.connect(tmp_path / "faults.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_draft_failure_is_told_once_not_every_tick(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    failing = {"on": True}
    real = Store.save_draft

    def save_draft(store: Store, *args: Any) -> None:
        if failing["on"]:
            raise StoreError("locked")
        real(store, *args)

    monkeypatch.setattr(Store, "save_draft", save_draft)
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.screen.query_one("#note", Input).value = "half a thought"
        await pilot.pause()
        for _ in range(20):
            live.clock.advance(0.5)
            app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert len(app._notifications) == 1
        assert "not saved" in screen_text(app).lower()
        failing["on"] = False
        live.clock.advance(0.5)
        app.screen.on_tick()  # type: ignore[attr-defined]
        assert live.store.draft("s1") == "half a thought"


async def test_damaged_database_at_the_home_screen(tmp_path: Path, library: Library) -> None:
    """The sessions table's root page zeroed: the file opens, reading the sessions fails.
    The home screen says so and keeps running; the file is not written."""
    path = tmp_path / "damaged.db"
    with Store(path) as store:
        stored_session(store, FakeClock(), "d1", finish=None)
        (root,) = store.conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'sessions'").fetchone()
    data = bytearray(path.read_bytes())
    data[(root - 1) * 4096:root * 4096] = bytes(4096)
    path.write_bytes(bytes(data))
    store = Store(path)
    try:
        app = create_app(store, FakeClock(), library, tick=10_000)
        async with app.run_test(size=(100, 30), notifications=True) as pilot:
            await pilot.pause()
            assert "damaged" in screen_text(app)
            await pilot.press(*"t-live")
            assert app.is_running
    finally:
        store.close()
    assert path.read_bytes() == bytes(data)


# --- text ----------------------------------------------------------------------------------


async def test_hostile_notes_and_names_stored_exactly_and_shown_safely(
        tmp_path: Path, library: Library) -> None:
    live = _start(tmp_path, library, "t-live", candidate=HOSTILE_NAME, role="back\x1b[2Jend")
    app = live.app()
    async with app.run_test(size=(120, 50)) as pilot:
        note = app.screen.query_one("#note", Input)
        for text in HOSTILE_NOTES:
            live.clock.advance(5)
            note.value = text
            await pilot.press("enter")
            assert note.value == "", f"not saved: {text!r}"
        await pilot.pause()
        stored = [r["text"] for r in live.rows("note_added")]
        assert stored == HOSTILE_NOTES
        fts = [r[0] for r in live.store.conn.execute(
            "SELECT text FROM texts WHERE session_id = 's1' ORDER BY seq")]
        assert fts == HOSTILE_NOTES
        assert live.store.session("s1")["candidate"] == HOSTILE_NAME  # type: ignore[index]
        text = screen_text(app)
        _assert_layout(text)
        for visible in ("👩‍👩‍👧‍👦", "日本語のメモ", "שלום עולם", "[/bold] [bold]b[/]",
                        "[@click=app.quit]quit[/]", "arr[i]", "␛[2J", "␛]0;pwned␇",
                        "Zoë ␛]0;title␇ [/bold] [@click=app.quit] 李"):
            assert visible in text, visible
        assert _raw_controls(app) == set()
        # Clicking where the "[@click=app.quit]" note is drawn quits nothing.
        await pilot.click("#notes")
        await pilot.click("#title")
        assert app.is_running
        # Into the rubric and back: still nothing raw on screen.
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert _raw_controls(app) == set()
        assert app.is_running


async def test_c1_control_characters_never_reach_the_terminal(tmp_path: Path,
                                                              library: Library) -> None:
    live = _start(tmp_path, library, "t-live", candidate="Csi \x9b2J name")
    app = live.app()
    async with app.run_test(size=(100, 30)) as pilot:
        app.screen.query_one("#note", Input).value = "eight-bit csi \x9b2J \x9d0;t\x9c"
        await pilot.press("enter")
        await pilot.pause()
        assert [r["text"] for r in live.rows("note_added")] == ["eight-bit csi \x9b2J \x9d0;t\x9c"]
        assert _raw_controls(app) == set()


async def test_escape_sequence_in_the_note_line_never_reaches_the_terminal(
        live: Live) -> None:
    app = live.app(draft="restored \x1b[2J\x1b]0;t\x07 draft")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#note", Input).value == "restored \x1b[2J\x1b]0;t\x07 draft"
        assert _raw_controls(app) == set()


async def test_escape_sequence_in_the_edit_dialog_never_reaches_the_terminal(
        live: Live) -> None:
    live.session.add_note("pasted \x1b[2J\x1b]0;t\x07 note")
    app = live.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape", "e")
        await pilot.pause()
        assert app.screen.query_one("#text", Input).value == "pasted \x1b[2J\x1b]0;t\x07 note"
        assert _raw_controls(app) == set()


async def test_one_megabyte_paste_is_stored_exactly(live: Live) -> None:
    big = "".join(f"{i:07d} lorem ipsum dolor sit " if i % 100 else
                  f"{i:07d} 日本語 שלום 👩‍💻 e\u0301 " for i in range(40_000))[:1_000_000]
    assert len(big) == 1_000_000
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        note.post_message(events.Paste(big))
        await pilot.pause()
        assert note.value == big
        await pilot.press("enter")
        await pilot.pause()
        assert note.value == ""
        assert [r["text"] for r in live.rows("note_added")] == [big]
        (fts,) = live.store.conn.execute("SELECT text FROM texts WHERE session_id = 's1'")
        assert fts[0] == big
        assert len(live.store.search("0020000")) == 1
        text = screen_text(app)
        _assert_layout(text)
        assert "0000001 lorem ipsum" in text
        assert app.is_running


async def test_multiline_paste_keeps_every_line(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        note = app.screen.query_one("#note", Input)
        note.post_message(events.Paste("first line\nsecond line\r\nthird line"))
        await pilot.pause()
        await pilot.press("enter")
        (saved,) = [r["text"] for r in live.rows("note_added")]
        for line in ("first line", "second line", "third line"):
            assert line in saved


async def test_actions_stay_quick_after_a_one_megabyte_note(live: Live) -> None:
    live.session.add_note("".join(f"{i:07d} lorem ipsum " for i in range(90_000))[:1_000_000])
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        start = time.perf_counter()
        await pilot.press("ctrl+t")
        await pilot.pause()
        seconds = time.perf_counter() - start
        assert not live.session.state.running
        assert seconds < 0.5, f"pausing took {seconds:.1f} s"


async def test_user_bank_with_markup_and_escapes_is_shown_literally(
        tmp_path: Path, library: Library) -> None:
    live = _start(tmp_path, library, "f-hostile")
    app = live.app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        _assert_layout(text)
        for visible in ("Explain arr[i] vs [/bold] and [@click=app.quit]click me[/]",
                        "Clear ␛[2J␛[H the screen", "[bold]Names[/] the [@click=app.quit]",
                        "Stray [/bold] closing tag", "Inline [/] prompt ␛[?1049h",
                        "Guide [@click=app.bell]ring[/]", "Sec [/bold] ␛[2J"):
            assert visible in text, visible
        assert _raw_controls(app) == set()
        await pilot.press("escape", "j", "1", "2", "3")  # follow-ups and look-fors show
        await pilot.pause()
        text = screen_text(app)
        assert "Carriage␍return and back␈space" in text
        assert "👩‍💻 and 日本語 and שלום" in text
        assert _raw_controls(app) == set()
        await pilot.click("#prompts")
        await pilot.click("#signals")
        assert app.is_running
        assert set(live.session.state.section.ticked) == {"markup", "escape", "closing"}


async def test_home_screen_shows_hostile_plan_titles_safely(tmp_path: Path,
                                                           library: Library) -> None:
    with Store(tmp_path / "home.db") as store:
        app = create_app(store, FakeClock(), library, tick=10_000)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press(*"hostile")
            await pilot.pause()
            assert "Hostile [@click=app.quit]plan[/]" in screen_text(app)
            assert _raw_controls(app) == set()


async def test_home_screen_shows_hostile_candidate_names_safely(tmp_path: Path,
                                                               library: Library) -> None:
    live = _start(tmp_path, library, "t-live", candidate=HOSTILE_NAME)
    live.session.add_note("in progress")
    ended = Session.start(resolve_plan(library, "t-live"), live.clock, live.store.sink("s2"),
                          session_id="s2", candidate="Ended [/] \x1b[2J name")
    ended.end()
    app = create_app(live.store, live.clock, library, tick=10_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Ended [/] ␛[2J name" in text  # a pending scorecard, shown first
        assert _raw_controls(app) == set()
        await pilot.press("pagedown")  # the session in progress is further down
        await pilot.pause()
        text = screen_text(app)
        assert "Zoë ␛]0;title␇ [/bold] [@click=app.quit] 李" in text
        assert _raw_controls(app) == set()
        assert app.is_running
    live.store.close()


# --- time ----------------------------------------------------------------------------------


async def _quit_after(live: Live, seconds: float) -> None:
    """Run the section for `seconds`, then quit (which pauses it), as a user would."""
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        live.clock.advance(seconds)
        await pilot.press("ctrl+q")


async def test_resumed_a_day_later_leaving_the_gap_out(live: Live) -> None:
    await _quit_after(live, 60)
    live.clock.advance(86_400)
    reopened = live.reopened()
    app = live.app(session=reopened)
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert "1d 0h 0m away" in text
        assert "‖ PAUSED 04:00 left" in text
        await pilot.press("ctrl+t")  # resume: it asks whether to count the day in
        assert "count the 1d 0h 0m away into this section?" in screen_text(app)
        await pilot.press("n")  # without the gap
        live.clock.advance(30)
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert "▶ 03:30 left" in text
        assert "away" not in text
        assert "total 01:30/30:00" in text
        assert reopened.state.section_used(0, reopened.now()) == pytest.approx(90)
        assert not any(r["type"] == "gap_added" for r in live.rows())


async def test_resumed_a_day_later_adding_the_gap(live: Live) -> None:
    await _quit_after(live, 60)
    live.clock.advance(86_400)
    reopened = live.reopened()
    app = live.app(session=reopened)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("escape", "A")  # count the day into this section
        await pilot.pause()
        text = screen_text(app)
        # 60 s + 1 day used of 5 minutes: 23:56:00 over, still paused.
        assert "‖ PAUSED +23:56:00" in text
        assert "total 24:01:00/30:00" in text
        assert re.search(r"▲ 1\. Introduct.* 1441m/5m", text)  # the list counts minutes
        await pilot.press("space")
        live.clock.advance(10)
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        text = screen_text(app)
        assert "▲ OVER TIME +23:56:10" in text
        assert [r["seconds"] for r in live.rows("gap_added")] == [86_400]


async def test_wall_clock_set_back_before_resume_offers_no_gap(live: Live) -> None:
    await _quit_after(live, 60)
    live.clock.jump_wall(-3600)  # the laptop's clock was corrected backwards
    reopened = live.reopened()
    assert reopened.state.away == 0
    app = live.app(session=reopened)
    async with app.run_test(size=(80, 24)) as pilot:
        text = screen_text(app)
        assert "away" not in text
        assert "‖ PAUSED 04:00 left" in text
        await pilot.press("ctrl+t")
        live.clock.advance(15)
        app.screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "▶ 03:45 left" in screen_text(app)


# --- terminal ------------------------------------------------------------------------------


async def test_resize_tiny_and_back_in_overtime(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        live.clock.advance(360)  # a 5-minute section, one minute over
        screen.on_tick()  # type: ignore[attr-defined]
        await pilot.pause()
        assert "▲ OVER TIME +01:00" in screen_text(app)
        await pilot.resize_terminal(30, 8)
        for _ in range(4):
            live.clock.advance(15)
            screen.on_tick()  # type: ignore[attr-defined]
            await pilot.pause()
        await pilot.press(*"tiny", "enter")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        text = screen_text(app)
        assert "▲ OVER TIME +02:00" in text
        assert "total 07:00/30:00" in text
        assert "tiny" in text
        _assert_layout(text)
        assert screen.query_one(TimerBar).region.height == 2
        assert [r["text"] for r in live.rows("note_added")] == ["tiny"]


async def test_ten_sections(tmp_path: Path, library: Library) -> None:
    """At 80x24 the section list is hidden (one column, by design): the header names the
    current section and its number of ten. From 100 columns every section is listed."""
    live = _start(tmp_path, library, "f-ten")
    titles = [s.plan.title for s in live.session.state.sections]
    assert len(titles) == 10
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        for index, title in enumerate(titles):
            live.clock.advance(20)
            app.screen.on_tick()  # type: ignore[attr-defined]
            await pilot.pause()
            text = screen_text(app)
            header = next(line for line in text.splitlines() if "left" in line)
            assert f"│ {index + 1}/10 " in header
            assert title[:20] in header or title[:20].rstrip() in header
            _assert_layout(text)
            await pilot.press("ctrl+n")
        assert live.session.state.sections[9].ended
    live.session.go_to(6)  # back to section 7
    for size in ((100, 24), (120, 30)):
        app = live.app()
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            lines = screen_text(app).splitlines()
            for index in range(10):
                line = next((ln for ln in lines if re.search(rf"^. ?{index + 1}\. ", ln)),
                            None)
                assert line is not None, f"section {index + 1} not listed at {size}"
                assert re.search(r"\d+m\s*│", line), line
            current = next(ln for ln in lines if re.search(r"^▶ 7\. ", ln))
            assert "Failure modes" in current
            assert app.screen.query_one("#sections").region.height == 10


async def test_section_list_time_follows_the_clock(live: Live) -> None:
    """The current section's time in whole minutes (the timer above counts its seconds)."""
    app = live.app()
    async with app.run_test(size=(120, 30)) as pilot:
        for used in ("0m", "1m", "1m", "2m"):
            live.clock.advance(30)
            app.screen.on_tick()  # type: ignore[attr-defined]
            await pilot.pause()
            assert re.search(rf"▶ 1\. Introductions +{used}/5m", screen_text(app)), used


async def test_wide_character_titles_keep_one_line(tmp_path: Path, library: Library) -> None:
    live = _start(tmp_path, library, "f-wide")
    app = live.app()
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#sections").region.height == 3
    app = live.app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        _assert_layout(screen_text(app))


async def test_one_minute_section_deep_into_overtime(tmp_path: Path, library: Library) -> None:
    live = _start(tmp_path, library, "f-one-minute")
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        for over, shown in ((1, "+00:01"), (59 * 60, "+59:00"), (3600, "+1:00:00"),
                            (2 * 3600, "+2:00:00"), (100 * 3600 + 1, "+100:00:01")):
            live.clock.advance(60 + over - live.session.now())
            screen.on_tick()  # type: ignore[attr-defined]
            await pilot.pause()
            text = screen_text(app)
            assert f"▲ OVER TIME {shown}" in text, text
            _assert_layout(text)
        await pilot.resize_terminal(120, 30)
        await pilot.pause()
        text = screen_text(app)
        assert re.search(r"▲ 1\. Quick an", text)
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        await pilot.press(*"late", "enter")
        assert app.is_running
        assert [n.text for n in live.session.state.notes] == ["late"]
