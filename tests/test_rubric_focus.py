"""The rubric always has a focused criterion, and in practice the focus between the criteria
and the post-mortem is visible in words and glyphs; the post-mortem line follows what is
written (issue 22). Driven with Pilot; the scores checked in the database."""

from __future__ import annotations

from pathlib import Path

from helpers import screen_text
from textual.widgets import Input, TextArea

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.rubric import CriterionRow, RubricScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"


def _app(tmp_path: Path, plan_id: str):  # type: ignore[no-untyped-def]
    library = Config(plans=[FIXTURES], config_dir=FIXTURES / "none").library()
    store = Store(tmp_path / "r.db")
    clock = FakeClock()
    plan = resolve_plan(library, plan_id, "backend")
    session = Session.start(plan, clock, store.sink("r1"), session_id="r1", candidate="Sam")
    return store, session, create_app(store, clock, library, session, tick=10_000)


async def test_up_and_k_on_the_first_criterion_keep_it_focused(tmp_path: Path) -> None:
    store, session, app = _app(tmp_path, "t-live")
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RubricScreen)
        rows = list(screen.query(CriterionRow))
        assert app.focused is rows[0]
        await pilot.press("k", "up")
        assert app.focused is rows[0], "k on criterion 1 stays on criterion 1"
        await pilot.press("j", "down")
        assert app.focused is rows[2 if len(rows) > 2 else -1]
        for _ in rows:
            await pilot.press("j")
        assert app.focused is rows[-1], "j stops at the last criterion"
        screen.set_focus(None)  # a click on empty space, say
        await pilot.pause()
        assert isinstance(app.focused, CriterionRow), "focus comes back to a criterion"
        # Digits score it; evidence goes into the evidence dialog, never read as keys.
        await pilot.press("2")
        shown = screen_text(app)
        assert "Evidence hints" in shown, "the hints stay in sight while the evidence is typed"
        assert "what did you see or hear?" in shown, "the whole title, wrapped"
        dialog = app.screen.query_one("#text", Input)
        dialog.value = "cached the hot keys"
        await pilot.press("enter")
        assert "▶ " in screen_text(app)
    criterion = rows[-1].criterion.id
    scores = [e for e in store.events("r1") if e.type == "score_set"]
    assert [(e.data["criterion"], e.data["score"], e.data["evidence"]) for e in scores] == [
        (criterion, 2, "cached the hot keys")]
    assert session.state.scores[criterion].score == 2
    store.close()


async def test_practice_shows_where_the_focus_is_and_the_post_mortem_as_written(
        tmp_path: Path) -> None:
    store, session, app = _app(tmp_path, "t-practice")
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        await pilot.press("ctrl+r")
        screen = app.screen
        assert isinstance(screen, RubricScreen)
        text = screen_text(app)
        assert "▶ 1." in text, "the focused criterion has a glyph"
        assert "Post-mortem: not written yet (needed for a 2)" in text
        assert "WRITING" not in text
        area = screen.query_one("#postmortem", TextArea)
        await pilot.press("tab")  # from criterion 1 straight to the post-mortem
        assert app.focused is area
        await pilot.pause()
        text = screen_text(app)
        assert "▶ Post-mortem: WRITING" in text and "▶ 1." not in text
        area.text = "What went well: numbers first."
        assert screen._flush_postmortem()
        await pilot.pause()
        assert "Post-mortem: written" in screen_text(app)
        await pilot.press("tab")  # and back to the criterion it came from
        await pilot.pause()
        assert app.focused is screen.query(CriterionRow).first()
        assert "WRITING" not in screen_text(app)
        await pilot.press("m")  # a letter that does nothing on a criterion says so
        await pilot.pause()
        assert "post-mortem." in screen_text(app) and "score it" in screen_text(app)
    assert session.state.postmortem == "What went well: numbers first."
    assert [e.type for e in store.events("r1")].count("postmortem_set") == 1
    store.close()
