"""What the live screen keeps in sight, at 120x36, 80x24 and 60x20: the note just saved,
every signal with its number and state, the keys that scroll each pane while typing, the
signal banks past ten, and a notes timeline that costs a screenful however long it is."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers import screen_text
from textual.events import MouseScrollDown, MouseScrollUp
from textual.widgets import Input, Static

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.widgets.layout import PlanScroll
from companion.tui.widgets.panes import PromptRow, SignalRow, SignalStrip
from companion.tui.widgets.timeline import NotesTimeline

FIXTURES = Path(__file__).parent / "fixtures" / "live"
SIZES = [(120, 36), (80, 24), (60, 20)]
# The Design section of t-live: two good signals, then one bad.
PLANNED = ["Clarifies requirements first", "Proposes a simple baseline",
           "Talks in buzzwords without data flows"]


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

    def app(self, session: Session | None = None):  # type: ignore[no-untyped-def]
        return create_app(self.store, self.clock, self.library, session or self.session,
                          tick=10_000)

    def rows(self, kind: str) -> list[dict[str, object]]:
        rows = self.store.conn.execute(
            "SELECT seq, section, data FROM events WHERE session_id = 's1' AND type = ? "
            "ORDER BY seq", (kind,)).fetchall()
        return [{"seq": r[0], "section": r[1], **json.loads(r[2])} for r in rows]

    def reopened(self) -> Session:
        return Session.reopen(self.store.events("s1"), self.clock, self.store.sink("s1"))


@pytest.fixture
def live(tmp_path: Path, library: Library) -> Iterator[Live]:
    store = Store(tmp_path / "live.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-live", "backend")
    session = Session.start(plan, clock, store.sink("s1"), session_id="s1",
                            candidate="Sam Lee", role="backend")
    yield Live(store, clock, session, library)
    store.close()


def _in_view(app, widget) -> bool:  # type: ignore[no-untyped-def]
    """The widget is drawn whole: inside the terminal and inside each of its containers
    (not scrolled away, pushed off or clipped at the bottom)."""
    region = widget.region
    if not (widget.display and region.height > 0):
        return False
    node = widget.parent
    while node is not None and node is not app.screen:
        if not node.region.contains_region(region):
            return False
        node = node.parent
    width, height = app.size
    return region.y >= 0 and region.bottom <= height and region.right <= width


def _design_with_notes(live: Live, count: int, signals: int = 0) -> None:
    """In the Design section (questions and signals above the notes): `count` notes and
    `signals` ad-hoc signals after the three planned ones."""
    live.session.next_section()
    for number in range(signals):
        live.session.add_signal(f"ad hoc signal {number + 4}", "good" if number % 2 else "bad")
    with live.store.atomic():
        for number in range(count):
            live.clock.advance(1)
            live.session.add_note(f"earlier note {number} about the design")


# --- notes -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", SIZES)
async def test_the_note_just_saved_is_on_screen_after_enter(live: Live,
                                                            size: tuple[int, int]) -> None:
    """In a section with questions, signals and a long timeline: after every Enter the note
    is in the timeline's visible lines, and the timeline is inside the terminal."""
    _design_with_notes(live, 40, signals=9)
    app = live.app()
    async with app.run_test(size=size) as pilot:
        timeline = app.screen.query_one("#notes", NotesTimeline)
        note = app.screen.query_one("#note", Input)
        for number in range(3):
            note.value = f"fresh observation {number}: asked about fan-out"
            await pilot.press("enter")
            await pilot.pause()
            assert _in_view(app, timeline)
            assert f"fresh observation {number}: asked about fan-out" in \
                timeline.visible_text()
            assert f"fresh observation {number}" in screen_text(app)
    saved = [r["text"] for r in live.rows("note_added")]
    assert saved[-3:] == [f"fresh observation {n}: asked about fan-out" for n in range(3)]


async def test_page_keys_scroll_the_notes_while_typing_and_a_new_note_comes_back(
        live: Live) -> None:
    _design_with_notes(live, 40)
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.screen.query_one("#notes", NotesTimeline)
        note = app.screen.query_one("#note", Input)
        assert "earlier note 39" in timeline.visible_text()
        note.value = "half typed"
        await pilot.press("pageup", "pageup")
        assert app.focused is note and note.value == "half typed", "no letters taken"
        assert not timeline.following
        assert "earlier note 39" not in timeline.visible_text()
        assert "scrolled up" in str(timeline.border_title)
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert timeline.following and "earlier note 39" in timeline.visible_text()
        await pilot.press("ctrl+home")
        assert "earlier note 0 " in timeline.visible_text() + " "
        assert note.value == "half typed"
        await pilot.press("enter")  # a new note brings the newest back
        await pilot.pause()
        assert timeline.following
        assert "half typed" in timeline.visible_text()
        await pilot.press("escape", "home")  # command mode: plain Home and End work too
        assert "earlier note 0 " in timeline.visible_text() + " "
        await pilot.press("end")
        assert "half typed" in timeline.visible_text()
    assert live.rows("note_added")[-1]["text"] == "half typed"


async def test_the_mouse_wheel_scrolls_the_notes(live: Live) -> None:
    _design_with_notes(live, 40)
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.screen.query_one("#notes", NotesTimeline)
        await pilot.pause()
        wheel = (1, 1, 0, 0, 0, False, False, False)
        timeline.post_message(MouseScrollUp(timeline, *wheel))
        await pilot.pause()
        assert not timeline.following
        assert "earlier note 39" not in timeline.visible_text()
        timeline.post_message(MouseScrollDown(timeline, *wheel))
        await pilot.pause()
        assert timeline.following


async def test_a_flag_edit_or_retraction_redraws_that_note(live: Live) -> None:
    _design_with_notes(live, 5)
    app = live.app()
    async with app.run_test(size=(120, 36)) as pilot:
        timeline = app.screen.query_one("#notes", NotesTimeline)
        await pilot.press("escape", "f")  # flag the last note
        await pilot.pause()
        assert "★ earlier note 4" in timeline.visible_text()
        await pilot.press("escape", "x")  # (a flag returns to typing) retract it: the one
        # before is now the last note
        await pilot.pause()
        assert "✗ retracted: earlier note 4" in timeline.visible_text()
        await pilot.press("escape", "f")
        await pilot.pause()
        assert "★ earlier note 3" in timeline.visible_text()
        await pilot.press("escape", "e")
        app.screen.query_one("#text", Input).value = "note three, corrected"
        await pilot.press("enter")
        await pilot.pause()
        assert "★ note three, corrected ✎ edited" in timeline.visible_text()
    assert [r[0] for r in live.store.conn.execute(
        "SELECT type FROM events WHERE session_id = 's1' ORDER BY seq DESC LIMIT 4")] == [
        "note_edited", "note_flagged", "note_retracted", "note_flagged"]


async def test_enter_in_a_section_of_10000_notes_draws_a_screenful(live: Live) -> None:
    """The notes pane renders only what is visible: opening a 10,000-note section and
    saving one more wrap a screenful of notes and draw a screenful of lines, not 10,000."""
    _design_with_notes(live, 10_000)
    drawn: list[int] = []
    real_render_line = NotesTimeline.render_line

    def counting(self: NotesTimeline, y: int):  # type: ignore[no-untyped-def]
        drawn.append(y)
        return real_render_line(self, y)

    app = live.app(live.reopened())  # as `companion resume` opens it
    async with app.run_test(size=(80, 24)) as pilot:
        timeline = app.screen.query_one("#notes", NotesTimeline)
        await pilot.pause()
        height = timeline.size.height
        assert 0 < timeline.notes_wrapped <= 3 * height, "a screenful (or a few)"
        NotesTimeline.render_line = counting  # type: ignore[method-assign]
        try:
            wrapped = timeline.notes_wrapped
            app.screen.query_one("#note", Input).value = "note 10,001"
            await pilot.press("enter")
            await pilot.pause()
        finally:
            NotesTimeline.render_line = real_render_line  # type: ignore[method-assign]
        assert "note 10,001" in timeline.visible_text()
        assert timeline.notes_wrapped - wrapped <= 1, "only the new note is wrapped"
        assert 0 < len(drawn) <= 4 * height, "a few screenfuls of lines at most"
        assert "Notes 10,001" in str(timeline.border_title)
    assert len(live.rows("note_added")) == 10_001


# --- signals -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_every_signal_has_its_number_and_state_in_sight(live: Live,
                                                              size: tuple[int, int]) -> None:
    """Twelve signals: the strip shows all twelve by number, a tick shows as `3✓` there and
    in words on the line above the note line, however far the rows are scrolled."""
    _design_with_notes(live, 10, signals=9)
    app = live.app()
    async with app.run_test(size=size) as pilot:
        strip = app.screen.query_one("#strip", SignalStrip)
        assert _in_view(app, strip)
        shown = str(strip.render())
        for number in range(1, 13):
            assert f"{number}·" in shown, number
        await pilot.press("escape", "3")
        await pilot.pause()
        shown = str(strip.render())
        assert "3✓" in shown and "Signals 1/12" in shown
        assert "✓ ticked 3: Talks in buzzwords" in screen_text(app)
        await pilot.press("3")
        await pilot.pause()
        assert "3·" in str(strip.render())
        assert "○ unticked 3: Talks in buzzwords" in screen_text(app)
    toggles = [(r["signal"], r["on"]) for r in live.rows("signal_toggled")]
    assert toggles == [("buzzwords", True), ("buzzwords", False)]


async def test_signal_rows_are_numbered_and_reachable_with_ctrl_down(live: Live) -> None:
    _design_with_notes(live, 10, signals=9)
    app = live.app()
    async with app.run_test(size=(60, 20)) as pilot:
        rows = list(app.screen.query(SignalRow))
        texts = [str(row.render()) for row in rows]
        assert [re.match(r"\[.\] +(\d+) ", t).group(1)  # type: ignore[union-attr]
                for t in texts] == [str(n) for n in range(1, 13)]
        plan = app.screen.query_one("#plan", PlanScroll)
        for _ in range(8):
            await pilot.press("ctrl+down")  # while typing
        await pilot.pause()
        assert plan.scroll_y > 0
        assert rows[-1].region.bottom <= plan.region.bottom, "the last signal scrolls into view"
        assert app.focused is app.screen.query_one("#note", Input)
        await pilot.press("ctrl+up")
        assert plan.scroll_y < plan.max_scroll_y
        before = plan.scroll_y
        await pilot.press("alt+up")  # the same, where ctrl+arrows are the system's
        assert plan.scroll_y < before
        await pilot.press("ctrl+home", "escape", "l")  # command mode: the signal list
        await pilot.pause()
        assert plan.region.y <= rows[0].region.y < plan.region.bottom
        await pilot.press("l")  # and back to the question, with the guidance
        await pilot.pause()
        assert plan.scroll_y == 0


async def test_an_ad_hoc_signal_takes_the_next_number_and_keeps_it(live: Live) -> None:
    """Adding a good signal never renumbers the bad one after the planned good ones; the
    numbers are the same after a resume."""
    live.session.next_section()
    app = live.app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "plus")
        app.screen.query_one("#text", Input).value = "Draws the data flow first"
        await pilot.press("enter")
        await pilot.press("escape", "minus")
        app.screen.query_one("#text", Input).value = "Skips failure modes"
        await pilot.press("enter")
        await pilot.pause()
        texts = [str(row.render()) for row in app.screen.query(SignalRow)]
        assert texts[2].startswith("[ ] 3 − bad  Talks in buzzwords")
        assert texts[3].startswith("[✓] 4 + good Draws the data flow first")
        assert texts[4].startswith("[✓] 5 − bad  Skips failure modes")
        await pilot.press("escape", "3")  # still the planned bad signal
        assert "buzzwords" in live.session.state.section.ticked
    resumed = live.reopened()
    app = live.app(resumed)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("escape", "4")  # the ad-hoc good one, as before the resume
        await pilot.pause()
        assert "4·" in str(app.screen.query_one("#strip", SignalStrip).render())
    added = live.rows("signal_added")
    last = live.rows("signal_toggled")[-1]
    assert last == {**last, "signal": f"adhoc-{added[0]['seq']}", "on": False}


async def test_b_ticks_the_signals_after_the_tenth(live: Live) -> None:
    _design_with_notes(live, 0, signals=12)  # 15 signals in all
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        strip = app.screen.query_one("#strip", SignalStrip)
        await pilot.press("escape", "b")
        assert "▸ b: 1-5 tick 11-15" in str(strip.render())
        await pilot.press("2")  # signal 12
        await pilot.pause()
        assert "12✓" in str(strip.render())
        assert "▸ b:" not in str(strip.render()), "one tick per b"
        await pilot.press("2")  # signal 2 again, bank back to 1-10
        await pilot.press("b", "b", "5")  # b b goes round to 1-10 with 15 signals: 5
        await pilot.press("b", "7")  # 17 does not exist
        await pilot.pause()
        assert "No signal 17 in this section." in screen_text(app)
        section = live.session.state.section
        texts = {s.id: s.text for s in [*section.good, *section.bad]}
        # Ad-hoc signal N is named "ad hoc signal N" (see _design_with_notes).
        assert sorted(texts[i] for i in section.ticked) == [
            "Proposes a simple baseline", "ad hoc signal 12", "ad hoc signal 5"]
        await pilot.press("f1")
        help_text = str(app.screen.query_one(Static).render())
        assert "b then 1-0: signals 11-20" in help_text


async def test_b_with_ten_signals_or_fewer_says_so(live: Live) -> None:
    live.session.next_section()
    app = live.app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("escape", "b")
        await pilot.pause()
        assert "no b needed" in screen_text(app)
        await pilot.press("1")
        assert "clarifies" in live.session.state.section.ticked


# --- questions ---------------------------------------------------------------------------

async def test_questions_fold_to_a_line_with_the_highlighted_one_open(live: Live) -> None:
    live.session.next_section()
    live.session.add_prompt("An ad-hoc question long enough to wrap at sixty columns, about "
                            "how the limiter behaves when a region is cut off")
    app = live.app()
    async with app.run_test(size=(60, 20)) as pilot:
        rows = list(app.screen.query(PromptRow))
        await pilot.pause()
        assert rows[0].region.height > 1, "the highlighted one is open, with its follow-ups"
        assert [r.region.height for r in rows[1:]] == [1, 1], "the others: a line each"
        await pilot.press("escape", "o")
        await pilot.pause()
        assert rows[2].region.height > 1, "o opens them all"
        await pilot.press("o", "j", "j")
        await pilot.pause()
        assert rows[0].region.height == 1 and rows[2].region.height > 1
        assert "folded (o opens)" in str(app.screen.query_one("#prompts").border_title)
        await pilot.press("a")
    assert [r["prompt"] for r in live.rows("prompt_asked")] == [
        live.session.state.section.prompts[2].id]


async def test_the_palette_and_help_list_the_layout_keys(live: Live) -> None:
    app = live.app()
    async with app.run_test(size=(100, 30)) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for action in ("Earlier notes", "Later notes", "Oldest note", "Newest note",
                       "Scroll questions up", "Scroll questions down", "Fold questions",
                       "Signals 11+", "Signal list"):
            assert any(t.startswith(action) for t in titles), action
        await pilot.press("f1")
        help_text = str(app.screen.query_one(Static).render())
        for tooltip in ("Scroll the notes up a page", "Scroll the questions and signals up",
                        "Fold every question but the highlighted"):
            assert tooltip in help_text


async def test_a_read_only_view_scrolls_and_folds_but_writes_nothing(tmp_path: Path,
                                                                      library: Library) -> None:
    from companion.holding import hold_new, open_read_only

    clock = FakeClock()
    with Store(tmp_path / "held.db") as holder:
        session = Session.start(resolve_plan(library, "t-live", "backend"), clock,
                                holder.sink("h1"), session_id="h1", candidate="Sam Lee")
        hold_new(holder, session, clock)
        with holder.atomic():
            for number in range(40):
                session.add_note(f"held note {number}")
        written = len(holder.events("h1"))
        viewer = Store(tmp_path / "held.db")
        app = create_app(viewer, clock, library, open_read_only(viewer, "h1", clock),
                         tick=10_000, heartbeat=10_000, read_only=True)
        async with app.run_test(size=(80, 24)) as pilot:
            timeline = app.screen.query_one("#notes", NotesTimeline)
            assert "held note 39" in timeline.visible_text()
            await pilot.press("pageup")
            assert not timeline.following and "held note 39" not in timeline.visible_text()
            await pilot.press("end", "o", "b", "1")
            assert timeline.following
        assert len(holder.events("h1")) == written
        viewer.close()


async def test_practice_gives_the_notes_room_to_the_question(tmp_path: Path,
                                                            library: Library) -> None:
    """In practice the scratch area is the notes: no timeline, the question and the
    signal strip take the column."""
    import random

    from companion.practice.draws import practice_plan

    store = Store(tmp_path / "practice.db")
    clock = FakeClock()
    plan = practice_plan(library, store, "t-practice", candidate="me", rng=random.Random(1))
    session = Session.start(plan, clock, store.sink("p1"), session_id="p1", candidate="me")
    app = create_app(store, clock, library, session, tick=10_000)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one("#notes", NotesTimeline).display
        assert _in_view(app, app.screen.query_one("#strip", SignalStrip))
        plan_pane = app.screen.query_one("#plan", PlanScroll)
        assert plan_pane.region.height >= 6
    store.close()


@pytest.mark.parametrize("size", [(120, 36), (80, 24), (60, 20)])
async def test_a_toast_covers_neither_the_note_line_nor_the_timer(
        live: Live, size: tuple[int, int]) -> None:
    from textual.widgets._toast import Toast

    app = live.app()
    async with app.run_test(size=size, notifications=True) as pilot:
        await pilot.pause()
        app.notify("Section 1 left; now 2 · z undoes it", timeout=60)
        await pilot.pause()
        (toast,) = app.screen.query(Toast)
        for keep in ("#note", "#mode", "#last-note", "#timer", "#pacing"):
            assert not toast.region.overlaps(app.screen.query_one(keep).region), keep
