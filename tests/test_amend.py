"""Amendments: an ended session's rubric, recommendation and summary reopened (from the
summary screen, from home's list, with `companion amend`), each field written once as an
amendment, shown as such in every export, refused for an imported session."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import jsonschema
import pytest
from helpers import screen_text
from textual.widgets import OptionList, TextArea

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock, iso
from companion.content.library import Library, resolve_plan
from companion.export.csv_export import session_csv
from companion.export.html import session_html
from companion.export.markdown import session_markdown
from companion.export.report import report
from companion.holding import NotAmendable, open_to_amend
from companion.lease import new_lease
from companion.session import Session, replay
from companion.store.database import Store
from companion.tui.screens.close import AmendCloseScreen, CloseScreen
from companion.tui.screens.confirm import Confirm
from companion.tui.screens.held import HeldChoice
from companion.tui.screens.home import HomeScreen
from companion.tui.screens.rubric import RubricScreen
from companion.tui.screens.summary import SummaryScreen
from tests.helpers import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "live"
SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "session.schema.json").read_text())


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    assert not lib.problems
    return lib


def after_end(store: Store, sid: str) -> list[str]:
    """The types of the events written after the session_ended event."""
    types = [e.type for e in store.events(sid)]
    return types[types.index("session_ended") + 1:]


def ended_without_summary(store: Store, clock: FakeClock, library: Library,
                          sid: str = "amd00001") -> Session:
    """An interview scored and recommended, ended without a summary: a pending scorecard."""
    session = Session.start(resolve_plan(library, "t-live"), clock, store.sink(sid),
                            session_id=sid, candidate="Ada Example", interviewer="Me")
    clock.advance(600)
    session.set_score("clarity", 2, "clear structure")
    session.set_score("depth", 1, "some depth")
    session.set_recommendation("yes")
    session.end()
    return session


async def test_ended_without_a_summary_then_amended_from_the_summary_screen(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "a.db")
    clock = FakeClock()
    session = Session.start(resolve_plan(library, "t-live"), clock, store.sink("amd00001"),
                            session_id="amd00001", candidate="Ada Example")
    store.take_lease(new_lease("amd00001", clock), stale=lambda lease: True)
    app = create_app(store, clock, library, session, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        clock.advance(600)
        await pilot.press("ctrl+r", "2")
        await pilot.press(*"clear", "enter")
        await pilot.press("1")
        await pilot.press(*"ok", "enter")
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("3", "ctrl+s")
        assert isinstance(app.screen, Confirm)
        assert "You can still add it later: a on the summary amends it." in screen_text(app)
        await pilot.press("y")
        assert isinstance(app.screen, SummaryScreen)
        assert (store.session("amd00001") or {})["scorecard"] == "pending"
        await pilot.pause()  # the new screen's footer is drawn on the next refresh
        assert "a Amend" in screen_text(app)
        clock.advance(2 * 3600)
        await pilot.press("a")
        assert isinstance(app.screen, RubricScreen)
        assert "Amending (ended" in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, AmendCloseScreen)
        assert "Save" in screen_text(app) and "End session" not in screen_text(app)
        area = app.screen.query_one("#text", TextArea)
        area.focus()
        area.text = "Strong structure; probe failure handling next."
        await pilot.pause()
        # Kept as a draft as it is typed; no event while typing pauses.
        assert store.draft("amd00001", "summary") == area.text
        clock.advance(30)
        area.autosave()
        await pilot.pause()
        assert after_end(store, "amd00001") == []
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SummaryScreen)
        card = app.screen.markdown
        assert "## Summary (amended " in card and "2 h after the end)" in card
        assert "Strong structure" in card
    # One amendment for the one field changed, and the scorecard is complete now.
    assert after_end(store, "amd00001") == ["summary_set", "scorecard_completed"]
    row = store.session("amd00001") or {}
    assert row["status"] == "ended" and row["scorecard"] == "complete"


async def test_leaving_the_field_writes_one_amendment_and_an_unchanged_field_none(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "b.db")
    clock = FakeClock()
    ended_without_summary(store, clock, library)
    clock.advance(3600)
    opened = open_to_amend(store, "amd00001", clock)
    assert opened.session is not None
    app = create_app(store, clock, library, opened.session, tick=10_000, amend=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, RubricScreen)
        await pilot.press("2")  # clarity is 2 already: nothing is written
        assert after_end(store, "amd00001") == []
        await pilot.press("j", "2")  # depth 1 -> 2: its evidence is kept
        await pilot.press("ctrl+n")
        area = app.screen.query_one("#text", TextArea)
        area.focus()
        for text in ("First", "First try", "First try at a summary"):
            area.text = text
            clock.advance(5)
            await pilot.pause()
        await pilot.press("shift+tab")  # leaves the field (to the scale): written once
        await pilot.pause()
        assert after_end(store, "amd00001")[-2:] == ["summary_set", "scorecard_completed"]
        await pilot.press("1")  # another recommendation: one amendment
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SummaryScreen)
    kinds = after_end(store, "amd00001")
    assert kinds.count("summary_set") == 1 and kinds.count("score_set") == 1
    assert kinds.count("recommendation_set") == 1
    state = replay(store.events("amd00001"))
    assert state.summary == "First try at a summary"
    assert state.scores["depth"].score == 2 and state.scores["depth"].evidence == "some depth"
    # Pressing the option already chosen again writes nothing.
    before = len(store.events("amd00001"))
    session = Session(store.events("amd00001"), clock, store.sink("amd00001"))
    session.set_recommendation(state.recommendation)
    session.set_summary(state.summary)
    session.set_score("depth", 2, "some depth")
    assert len(store.events("amd00001")) == before


async def test_home_amends_the_highlighted_recent_session(tmp_path: Path,
                                                          library: Library) -> None:
    store = Store(tmp_path / "c.db")
    clock = FakeClock()
    ended_without_summary(store, clock, library)
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 36)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        recent = app.screen.query_one("#recent", OptionList)
        assert "Ada Example" in str(recent.get_option_at_index(0).prompt)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RubricScreen)
        assert "amd00001" in store.held  # amending holds the lease
        await pilot.press("escape")
        assert isinstance(app.screen, SummaryScreen)


async def test_a_session_held_elsewhere_asks_before_amending(tmp_path: Path,
                                                             library: Library) -> None:
    store = Store(tmp_path / "d.db")
    clock = FakeClock()
    ended_without_summary(store, clock, library)
    other = Store(tmp_path / "d.db")
    lease = new_lease("amd00001", clock)
    other.take_lease(dataclasses.replace(lease, pid=1, token="other"), stale=lambda _: True)
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, HeldChoice)
        assert "r: open it read-only" not in screen_text(app)
        await pilot.press("q")
        assert isinstance(app.screen, HomeScreen)
        assert "amd00001" not in store.held


def test_an_imported_session_cannot_be_amended(tmp_path: Path, library: Library) -> None:
    db = tmp_path / "e.db"
    store = Store(db)
    clock = FakeClock()
    ended_without_summary(store, clock, library)
    store.conn.execute("UPDATE sessions SET source = 'import:Bo Other' WHERE id = 'amd00001'")
    store.conn.commit()
    with pytest.raises(NotAmendable, match="imported from Bo Other"):
        open_to_amend(store, "amd00001", clock)
    store.close()
    result = run_cli("--db", str(db), "amend", "amd00001")
    assert result.exit_code != 0
    assert "imported from Bo Other: it is their scorecard" in result.output
    assert "Traceback" not in result.output


def test_amend_refuses_what_is_not_an_ended_session_of_yours(tmp_path: Path,
                                                              library: Library) -> None:
    db = tmp_path / "f.db"
    store = Store(db)
    clock = FakeClock()
    Session.start(resolve_plan(library, "t-live"), clock, store.sink("open0001"),
                  session_id="open0001", candidate="Running Person")
    store.close()
    result = run_cli("--db", str(db), "amend", "open0001")
    assert result.exit_code != 0 and "has not ended" in result.output
    assert "companion resume open0001" in result.output
    result = run_cli("--db", str(db), "amend", "nope")
    assert result.exit_code != 0 and "no session 'nope'" in result.output


def test_every_export_shows_the_amendments(tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "g.db")
    clock = FakeClock()
    ended_without_summary(store, clock, library)
    from companion.panel.seal import seal_session

    seal_session(store, "amd00001", clock, None)
    clock.advance(2 * 3600)
    session = Session(store.events("amd00001"), clock, store.sink("amd00001"))
    session.set_score("depth", 0, "on reflection: none")
    session.set_summary("Written two hours later.")
    events = store.events("amd00001")
    r = report(replay(events), events, seal=store.seal("amd00001"))
    words = f"amended {iso(clock.wall())[11:16]} UTC, 2 h after the end, after the seal"
    assert [(a["field"], a["words"]) for a in r["amendments"]] == [
        ("depth", words), ("summary", words)]
    jsonschema.Draft202012Validator(SCHEMA).validate(r)
    md = session_markdown(r)
    assert f"| 0 ({words}) |" in md and f"## Summary ({words})" in md
    assert "**Clock:**" not in md  # amendments after the end are no clock jump
    assert f"- score changed (Depth): {words}" in md or "score changed (" in md
    page = session_html(r)
    assert page.count(words) >= 3
    rows = list(csv.DictReader(io.StringIO(session_csv(r), newline="")))
    amended = [row for row in rows if row["value"].endswith(words)]
    assert [row["type"] for row in amended] == ["score_set", "summary_set"]
    # verify: the seal covers what it covered, and says it was amended after.
    store.close()
    result = run_cli("--db", str(tmp_path / "g.db"), "verify", "amd00001")
    assert result.exit_code == 0
    assert result.output.startswith("amended: session amd00001")
    assert "amended after sealing: score changed" in result.output
    assert "amended after sealing: summary rewritten" in result.output
