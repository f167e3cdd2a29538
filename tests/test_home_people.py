"""Home and search for people (issue 25), driven with Pilot on a FakeClock, checking the
database too: pending scorecards first with their age, finished from home; a known name
fills in the person, a name of several people asks; earlier interviews' scores one key
away; the note after four interviews a day; a search hit opens its scorecard."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import recent_text, screen_text
from textual.widgets import Input, OptionList, TextArea

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.close import CloseScreen
from companion.tui.screens.home import HomeScreen
from companion.tui.screens.person import PersonPicker
from companion.tui.screens.rubric import RubricScreen
from companion.tui.screens.summary import SummaryScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    assert not lib.problems
    return lib



def interview(store: Store, clock: FakeClock, library: Library, sid: str, candidate: str,
              candidate_id: str = "", role: str = "", level: str = "",
              scores: dict[str, int] | None = None, complete: bool = False) -> Session:
    s = Session.start(resolve_plan(library, "t-live"), clock, store.sink(sid), session_id=sid,
                      candidate=candidate, candidate_id=candidate_id, role=role, level=level,
                      interviewer="Ann")
    clock.advance(60)
    s.add_note(f"note on {candidate}")
    for criterion, score in (scores or {}).items():
        s.set_score(criterion, score, "seen")
    if complete:
        s.set_recommendation("yes")
        s.set_summary("done")
    s.end()
    return s


async def test_pending_scorecards_come_first_with_their_age_and_are_finished_from_home(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "h.db")
    clock = FakeClock()
    interview(store, clock, library, "pend0001", "Pending Person", scores={"clarity": 1})
    clock.advance(3 * 3600)
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 50)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        pending = app.screen.query_one("#pending", OptionList)
        assert pending.display and pending.option_count == 1
        label = str(pending.get_option_at_index(0).prompt)
        assert "pending" in label and "Pending Person" in label and "ended 3 h ago" in label
        pending.focus()
        pending.highlighted = 0
        await pilot.press("enter")
        assert isinstance(app.screen, RubricScreen)
        app.screen.query_one("#criterion-depth").focus()
        await pilot.press("2")
        app.screen.query_one("#text", Input).value = "went deep on the cache"
        await pilot.press("enter")
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("3")
        app.screen.query_one("#text", TextArea).text = "Finished three hours later."
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SummaryScreen)
    row = store.session("pend0001") or {}
    assert row["scorecard"] == "complete" and row["completed_at"]
    types = [e.type for e in store.events("pend0001")]
    assert types.count("session_ended") == 1 and types[-1] == "scorecard_completed"
    store.close()


async def test_a_known_name_fills_in_the_person_and_a_shared_name_asks(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "n.db")
    clock = FakeClock()
    interview(store, clock, library, "knwn0001", "Kim Park", "kim@example.org", "sre",
              "junior")
    interview(store, clock, library, "knwn0002", "Kim Park", "kim@example.org", "backend",
              "senior")
    interview(store, clock, library, "twin0001", "Alex Roe", "alex1@example.org",
              "data-engineering")
    interview(store, clock, library, "twin0002", "alex roe", "", "frontend")
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 50)) as pilot:
        home = app.screen
        name = home.query_one("#candidate", Input)
        name.focus()
        name.value = "KIM PARK"
        await pilot.press("enter")
        await pilot.pause()
        assert home.query_one("#candidate-id", Input).value == "kim@example.org"
        assert home.query_one("#role", Input).value == "backend"  # the last session's
        assert home.query_one("#level", Input).value == "senior"
        assert home.query_one("#candidate", Input).value == "Kim Park"

        name.focus()
        name.value = "Alex Roe"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonPicker)
        options = app.screen.query_one("#people", OptionList)
        texts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("alex1@example.org" in t for t in texts)
        assert any("no stable id" in t and "twin0002" in t for t in texts)
        assert "Someone new" in texts[-1]
        index = next(i for i, t in enumerate(texts) if "alex1@example.org" in t)
        options.highlighted = index
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert home.query_one("#candidate-id", Input).value == "alex1@example.org"
        assert home.query_one("#role", Input).value == "data-engineering"
        # Starting now gives the new session the person's id: it joins them in the database.
        await pilot.press("ctrl+s")
        sid = app.screen.session.id  # type: ignore[attr-defined]
    row = store.session(sid) or {}
    assert row["candidate_id"] == "alex1@example.org"
    assert sorted(r["id"] for r in store.sessions(candidate="alex1@example.org")) == sorted(
        ["twin0001", sid])
    store.close()


async def test_earlier_interviews_show_as_scored_and_four_a_day_suggest_a_pause(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "a.db")
    clock = FakeClock()
    for n in range(4):
        interview(store, clock, library, f"day0000{n}", f"Person {n}", f"p{n}@example.org",
                  scores={"clarity": 2, "depth": 1}, complete=True)
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 60)) as pilot:
        home = app.screen
        recent = recent_text(home)
        assert "Person 3" in recent and "scored" in recent
        assert "3/4" not in recent and "yes" not in recent
        note = home.query_one("#pause-note")
        assert note.display and "4 interviews today" in str(note.render())
        await pilot.press("f2")
        recent = recent_text(home)
        assert "3/4" in recent and "yes" in recent
        assert "Scores" in screen_text(app)  # the key is in the footer
        await pilot.press("f2")
        assert "3/4" not in recent_text(home)
    store.close()


async def test_fewer_than_four_interviews_make_no_note(tmp_path: Path,
                                                       library: Library) -> None:
    store = Store(tmp_path / "b.db")
    clock = FakeClock()
    for n in range(3):
        interview(store, clock, library, f"few0000{n}", f"P {n}", complete=True)
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 50)):
        assert not app.screen.query_one("#pause-note").display
    store.close()


async def test_a_search_hit_names_its_session_and_opens_its_scorecard(
        tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "s.db")
    clock = FakeClock()
    s = interview(store, clock, library, "hit00001", "Hit Person")
    for n in range(3):
        s.set_summary(f"wombat summary, autosaved version {n}")
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f")
        app.screen.query_one("#query", Input).value = "wombat"
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        hits = app.screen.query_one("#hit-list", OptionList)
        assert hits.option_count == 1  # three autosaved versions: one hit, the latest
        label = str(hits.get_option_at_index(0).prompt)
        assert "session hit00001" in label and "version 2" in label
        await pilot.press("enter")
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen.session.id == "hit00001"
        assert "wombat summary, autosaved version 2" in screen_text(app)
    assert [e.type for e in store.events("hit00001")].count("session_reopened") == 0
    store.close()
