"""The notes timeline draws a window of its notes without ever laying out the whole
section: checked against the plain model (every note wrapped, one after the other) over
random notes, widths and scrolling, with Hypothesis."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from helpers import make_plan
from hypothesis import example, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult

from companion.clock import FakeClock
from companion.session import Session
from companion.tui.widgets.timeline import NotesTimeline

HEIGHT = 6

words = st.text(alphabet="abcdefgh ijk", min_size=1, max_size=90).filter(str.strip)
moves = st.lists(st.one_of(st.tuples(st.just("up"), st.integers(1, 8)),
                           st.tuples(st.just("down"), st.integers(1, 8)),
                           st.tuples(st.just("home"), st.just(0)),
                           st.tuples(st.just("end"), st.just(0)),
                           st.tuples(st.just("note"), st.just(0))), max_size=12)


class TimelineApp(App[None]):
    CSS: ClassVar[str] = f"NotesTimeline {{ height: {HEIGHT}; }}"

    def compose(self) -> ComposeResult:
        yield NotesTimeline(id="notes")


def _check(texts: list[str], width: int, steps: list[tuple[str, int]]) -> None:
    session = Session.start(make_plan(), FakeClock(), lambda event, row: None,
                            session_id="tl1", candidate="Sam")
    for text in texts:
        session.add_note(text)

    async def run() -> None:
        app = TimelineApp()
        async with app.run_test(size=(width, HEIGHT + 2)) as pilot:
            timeline = app.query_one(NotesTimeline)
            timeline.show(session.state)
            await pilot.pause()

            def every_line() -> list[str]:
                return [line.text.rstrip() for index in range(len(timeline._notes))
                        for line in timeline._lines_of(index)]

            total = len(every_line())
            top: int | None = None  # None: following the tail
            for move, amount in steps:
                shown = max(0, total - HEIGHT) if top is None else top
                if move == "up":
                    timeline.scroll_lines(-amount)
                    top = max(0, shown - amount)
                elif move == "down":
                    timeline.scroll_lines(amount)
                    top = shown + amount
                elif move == "home":
                    timeline.to_oldest()
                    top = 0
                elif move == "end":
                    timeline.to_newest()
                    top = None
                else:
                    session.add_note(f"new note {total}")
                    timeline.show(session.state)
                    total, top = len(every_line()), None
                if top is not None and top + HEIGHT >= total:
                    top = None  # the end is in view: the tail is followed again
                await pilot.pause()
                lines = every_line()
                start = max(0, total - HEIGHT) if top is None else top
                assert timeline.following == (top is None), (move, amount)
                assert timeline.visible_text().split("\n") == lines[start:start + HEIGHT]

    asyncio.run(run())


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(words, min_size=1, max_size=14), width=st.integers(20, 70),
       steps=moves)
# Back down to exactly the last line: following again. Up within one tall note.
@example(texts=[f"note {n}" for n in range(10)], width=70, steps=[("up", 4), ("down", 4)])
@example(texts=["x", "a long note " * 30], width=30, steps=[("up", 2), ("up", 1), ("down", 1)])
def test_the_window_is_the_slice_of_every_note_wrapped(texts: list[str], width: int,
                                                       steps: list[tuple[str, int]]) -> None:
    _check(texts, width, steps)


def test_a_note_taller_than_the_window_shows_its_end_when_new() -> None:
    _check(["short", "a long note " * 30], 30, [("up", 3), ("down", 1), ("end", 0)])
