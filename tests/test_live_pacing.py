"""Pacing and ratings on the live screen, driven with Pilot and the fake clock: the line under
the timer says ahead or behind and warns for the protected end, redraws only when a figure
changes, and `g` rates the highlighted question (an event in the database, shown on the
rubric screen and in the exports)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.export.markdown import session_markdown
from companion.export.report import report
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.live import LiveScreen
from companion.tui.widgets.pacing import PacingLine

FIXTURES = Path(__file__).parent / "fixtures" / "pacing"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    assert not lib.problems
    return lib


@dataclass
class Paced:
    store: Store
    clock: FakeClock
    session: Session
    library: Library

    def app(self):  # type: ignore[no-untyped-def]
        # A huge tick: tests call on_tick() after advancing the fake clock.
        return create_app(self.store, self.clock, self.library, self.session, "",
                          tick=10_000)

    def rows(self, kind: str) -> list[dict[str, object]]:
        rows = self.store.conn.execute(
            "SELECT data FROM events WHERE session_id = ? AND type = ? ORDER BY seq",
            (self.session.id, kind)).fetchall()
        return [json.loads(r[0]) for r in rows]


@pytest.fixture
def paced(tmp_path: Path, library: Library) -> Iterator[Paced]:
    store = Store(tmp_path / "paced.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-paced")
    session = Session.start(plan, clock, store.sink("p1"), session_id="p1", candidate="Sam")
    yield Paced(store, clock, session, library)
    store.close()


def _line(app) -> PacingLine:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#pacing", PacingLine)


@pytest.mark.parametrize("size", [(160, 36), (80, 24)])
async def test_behind_plan_and_the_protected_end_warn_in_words(
        paced: Paced, size: tuple[int, int]) -> None:
    app = paced.app()
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, LiveScreen)
        assert _line(app).words.startswith("● on plan")
        paced.clock.advance(60)
        screen.on_tick()
        await pilot.press("escape", "n")  # warm-up done on time: the questions section
        await pilot.press("escape", "a")  # (a move returns to typing) the 1-minute question
        assert "question 0 of 1 min" in _line(app).words
        paced.clock.advance(150)  # 2:30 on a 1-minute question
        screen.on_tick()
        await pilot.pause()
        words = _line(app).words
        assert words.startswith("▼ 2 min behind"), words
        if size[0] >= 160:
            assert "⚠ Candidate questions will get 0 of its 1 min at this pace" in words
            assert "question 2 of 1 min (over)" in words
            assert "1 question left in under 1 min" in words
        else:  # the short form on a narrow screen, whole: what is left of the section goes
            assert words == "▼ 2 min behind · ⚠ Candidate questions: 0 of 1 min · q 2/1 min (over)"
        assert len(words) <= _line(app).size.width
        assert _line(app).has_class("-warning")


async def test_the_line_redraws_only_when_a_figure_changes(paced: Paced) -> None:
    app = paced.app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        line = _line(app)
        paced.clock.advance(10)  # the warm-up's last minute: "1 question left in under 1 min"
        screen.on_tick()
        before = line.updates
        for _ in range(5):  # 5 s: every figure is whole minutes, nothing changes
            paced.clock.advance(1)
            screen.on_tick()
        await pilot.pause()
        assert line.updates == before
        paced.clock.advance(120)  # the warm-up overruns by a minute: behind now
        screen.on_tick()
        assert line.updates == before + 1
        screen.on_tick()
        assert line.updates == before + 1


async def test_g_rates_the_highlighted_question_and_a_later_press_wins(paced: Paced) -> None:
    app = paced.app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("escape", "n", "escape", "a", "g")  # a move returns to typing
        assert [(r["prompt"], r["rating"]) for r in paced.rows("question_rated")] == [
            ("t-paced/one-minute", "strong")]
        await pilot.press("g", "g")  # mixed, then weak: the later event wins
        state = paced.session.state
        assert state.sections[1].ratings == {"t-paced/one-minute": "weak"}
        assert [r["rating"] for r in paced.rows("question_rated")] == [
            "strong", "mixed", "weak"]
        await pilot.pause()
        assert "rated weak" in str(app.screen.query_one("#prompts").query("PromptRow")
                                   .first().render())
        await pilot.press("j", "g")  # the two-minute question, never marked asked
        assert state.sections[1].ratings["t-paced/two-minutes"] == "strong"
        await pilot.press("r")  # the rubric: the rating beside the criterion it names
        await pilot.pause()
        hints = str(app.screen.query_one("#hints").render())
        assert "[rated weak] Explain a cache in one sentence." in hints
    markdown = session_markdown(report(paced.session.state, paced.session.events))
    assert "Explain a cache in one sentence. (took 00:00 of 01:00 · rated weak)" in markdown
    assert "Not marked asked: Sketch a queue that survives a node failure. (rated strong)" \
        in markdown
    assert report(paced.session.state, paced.session.events)["format_version"] == 4


async def test_a_pause_stops_the_question_clock_and_the_plan(paced: Paced) -> None:
    app = paced.app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        paced.clock.advance(30)
        await pilot.press("escape", "n", "escape", "a")  # warm-up 30 s early; 1-minute question
        paced.clock.advance(30)
        await pilot.press("space")  # paused mid-question
        paced.clock.advance(600)
        screen.on_tick()
        await pilot.pause()
        assert "question 0 of 1 min" in _line(app).words  # ten paused minutes: none count
        assert _line(app).words.startswith("● on plan")
        await pilot.press("escape", "space")  # (ten idle minutes went back to typing)
        paced.clock.advance(90)  # 2 min on it now, running
        screen.on_tick()
        assert "question 2 of 1 min (over)" in _line(app).words
        assert [r["prompt"] for r in paced.rows("prompt_asked")] == ["t-paced/one-minute"]
        assert len(paced.rows("section_paused")) == 1
        assert len(paced.rows("section_resumed")) == 1
