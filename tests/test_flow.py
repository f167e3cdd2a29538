"""A whole session through the screens: home -> live -> rubric -> recommendation -> summary ->
home, driven with Pilot, checking the screens and the events saved."""

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
from companion.tui.screens.live import LiveScreen
from companion.tui.screens.rubric import RubricScreen
from companion.tui.screens.summary import SummaryScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    assert not lib.problems
    return lib



def event_types(store: Store, sid: str) -> list[str]:
    return [e.type for e in store.events(sid)]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_whole_session_from_home(tmp_path: Path, library: Library,
                                       size: tuple[int, int]) -> None:
    store = Store(tmp_path / "flow.db")
    clock = FakeClock()
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=size) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert "No finished sessions yet" in recent_text(app.screen)
        home = app.screen
        home.query_one("#filter", Input).value = "test design"
        await pilot.pause()
        home.query_one("#candidate", Input).value = "Ada Example"
        home.query_one("#candidate-id", Input).value = "ada@example.org"
        home.query_one("#role", Input).value = "backend"
        home.query_one("#interviewer", Input).value = "Panel Engineer"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, LiveScreen)
        sid = app.screen.session.id
        clock.advance(30)
        app.screen.query_one("#note", Input).value = "structured the problem first"
        await pilot.press("enter", "ctrl+n", "escape", "1")
        clock.advance(600)
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RubricScreen)
        await pilot.press("2")
        app.screen.query_one("#text", Input).value = "Split read and write paths unprompted"
        await pilot.press("enter")
        # The next criterion is highlighted once one is scored with its evidence.
        assert app.focused is app.screen.query_one("#criterion-depth")
        await pilot.press("1", "enter")  # no evidence typed ...
        await pilot.press("y")  # ... so it asks, and we confirm
        state = app.screen.session.state
        assert state.scores["clarity"].score == 2
        assert state.scores["depth"].evidence == ""
        assert "Total 3/4" in screen_text(app) and "meets the pass mark" in screen_text(app)
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("ctrl+s")  # refused: no recommendation yet
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("3")
        area = app.screen.query_one("#text", TextArea)
        area.text = "Strong on structure; probe failure handling next round."
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, SummaryScreen)
        text = screen_text(app)
        assert "Ada Example" in text and "Split read and write paths" in text
        assert f"companion export {sid}" in text
        await pilot.press("h")
        assert isinstance(app.screen, HomeScreen)
        recent = recent_text(app.screen)
        # Against anchoring: the last candidate's scores are one key away, not on screen.
        assert "Ada Example" in recent and "scored" in recent and "3/4" not in recent
        await pilot.press("f2")
        recent = recent_text(app.screen)
        assert "Ada Example" in recent and "3/4" in recent and "yes" in recent
    types = event_types(store, sid)
    assert types[0] == "session_started"
    # Complete when it ended: the moment is recorded once.
    assert types[-4:] == ["recommendation_set", "summary_set", "session_ended",
                          "scorecard_completed"]
    assert (store.session(sid) or {})["scorecard"] == "complete"
    for kind in ("note_added", "signal_toggled", "score_set", "section_paused"):
        assert kind in types
    row = store.session(sid)
    assert row is not None
    assert (row["status"], row["score"], row["max_score"], row["recommendation"],
            row["candidate_id"], row["interviewer"]) == (
        "ended", 3, 4, "yes", "ada@example.org", "Panel Engineer")


async def test_resume_and_abandon_from_home(tmp_path: Path, library: Library) -> None:
    store = Store(tmp_path / "home.db")
    clock = FakeClock()
    plan = resolve_plan(library, "t-live")
    first = Session.start(plan, clock, store.sink("aaaa0001"), session_id="aaaa0001",
                          candidate="First Person")
    first.add_note("kept")
    clock.advance(10)
    Session.start(plan, clock, store.sink("bbbb0002"), session_id="bbbb0002",
                  candidate="Second Person")
    store.save_draft("aaaa0001", "half typed", clock.wall())
    app = create_app(store, clock, library, tick=10_000)
    async with app.run_test(size=(120, 40)) as pilot:
        in_progress = app.screen.query_one("#in-progress", OptionList)
        assert in_progress.option_count == 2
        in_progress.focus()
        in_progress.highlighted = 0  # newest first: bbbb0002
        await pilot.press("ctrl+g", "y")
        assert store.session("bbbb0002")["status"] == "abandoned"  # type: ignore[index]
        assert in_progress.option_count == 1
        in_progress.highlighted = 0
        await pilot.press("ctrl+o")
        assert isinstance(app.screen, LiveScreen)
        assert app.screen.query_one("#note", Input).value == "half typed"
        assert "kept" in screen_text(app)
    assert event_types(store, "aaaa0001")[-1] == "session_reopened"
    assert event_types(store, "bbbb0002")[-1] == "session_abandoned"


def started(tmp_path: Path, library: Library, sid: str,
            candidate: str = "C") -> tuple[Store, Session]:
    """A new session `sid` of the test plan, on the fake clock, in a database of its own."""
    store = Store(tmp_path / f"{sid}.db")
    session = Session.start(resolve_plan(library, "t-live"), FakeClock(), store.sink(sid),
                            session_id=sid, candidate=candidate)
    return store, session


def live_app(tmp_path: Path, library: Library, sid: str):  # type: ignore[no-untyped-def]
    """The app as `companion run` opens it: on the live screen of a new session `sid`."""
    store, session = started(tmp_path, library, sid)
    return store, session, create_app(store, session.clock, library, session, tick=10_000)


async def searched(app, pilot, query: str) -> str:  # type: ignore[no-untyped-def]
    """Type `query` into the open search screen, run it, and return what it shows."""
    app.screen.query_one("#query", Input).value = query
    await pilot.press("enter")
    await app.workers.wait_for_complete()
    await pilot.pause()
    hit_list = app.screen.query_one("#hit-list", OptionList)
    prompts = [str(hit_list.get_option_at_index(i).prompt) for i in range(hit_list.option_count)]
    return "\n".join([str(app.screen.query_one("#hits").render()), *prompts])


async def test_score_without_evidence_can_be_declined(tmp_path: Path, library: Library) -> None:
    _, session, app = live_app(tmp_path, library, "r1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+r", "2", "enter", "n")
        assert session.state.scores == {}
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)


async def test_ended_session_cannot_change(tmp_path: Path, library: Library) -> None:
    _, session = started(tmp_path, library, "e1")
    session.set_recommendation("no")
    session.end()
    with pytest.raises(Exception, match="ended"):
        session.add_note("too late")


async def test_search_from_home(tmp_path: Path, library: Library) -> None:
    store, session = started(tmp_path, library, "srch0001", "Findable Person")
    session.add_note("mentioned consistent hashing for the cache tier")
    app = create_app(store, session.clock, library, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+f")
        text = await searched(app, pilot, "hashing")
        assert "Findable Person" in text and "[hashing]" in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_search_screen_says_when_only_the_latest_matches_were_ranked(
        tmp_path: Path, library: Library) -> None:
    from companion.tui.screens.search import SearchScreen

    store, session = started(tmp_path, library, "srch0002", "Many Notes")
    for n in range(55):  # 50 is the least a search ranks (it shows up to 50)
        session.add_note(f"cache note {n}.")
    app = create_app(store, session.clock, library, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        app.push_screen(SearchScreen(store, latest=50))
        await pilot.pause()
        text = await searched(app, pilot, "cache")
        assert "50 match(es)" in text and "The best of the latest 50 matches" in text
        assert "note 54." in text and "note 0." not in text  # the newest are the ones ranked


async def test_run_opens_on_the_live_screen_and_leaves_it_behind(tmp_path: Path,
                                                                 library: Library) -> None:
    """`companion run`: the live screen is the first screen drawn (no blank screen under
    it); once the session is over it stops ticking, and each later session's screens go
    when home opens again: only the current screen is left on the stack."""
    store, _, app = live_app(tmp_path, library, "f1")

    async def end_and_go_home(pilot) -> None:  # type: ignore[no-untyped-def]
        await pilot.press("ctrl+r")
        assert isinstance(app.screen, RubricScreen)
        await pilot.press("ctrl+n", "y")  # nothing scored: it asks, we go on
        assert isinstance(app.screen, CloseScreen)
        await pilot.press("3", "ctrl+s", "y")  # no summary: it asks, we go on
        assert isinstance(app.screen, SummaryScreen)
        assert app.screen_stack == [app.screen]
        await pilot.press("h")
        assert isinstance(app.screen, HomeScreen) and app.screen_stack == [app.screen]

    async with app.run_test(size=(100, 30)) as pilot:
        first = app.screen
        assert isinstance(first, LiveScreen) and app.screen_stack == [first]
        await end_and_go_home(pilot)
        assert first.retired and "C" in recent_text(app.screen)
        home = app.screen
        home.query_one("#filter", Input).value = "test design"
        await pilot.pause()
        home.query_one("#candidate", Input).value = "Second Person"
        await pilot.press("ctrl+s")
        second = app.screen
        assert isinstance(second, LiveScreen) and not home.is_attached
        await end_and_go_home(pilot)
        assert not second.is_attached  # its stack was removed with it
    assert store.session("f1")["status"] == "ended"  # type: ignore[index]
    assert [r["status"] for r in store.sessions()] == ["ended", "ended"]


async def test_tab_goes_from_the_plan_list_to_the_candidate(tmp_path: Path,
                                                           library: Library) -> None:
    store = Store(tmp_path / "t.db")
    app = create_app(store, FakeClock(), library, tick=10_000)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.focused is app.screen.query_one("#filter", Input)
        await pilot.press("tab")
        assert isinstance(app.focused, OptionList)
        await pilot.press("tab")
        assert app.focused is app.screen.query_one("#candidate", Input)
    store.close()


async def test_page_keys_scroll_the_right_hand_column(tmp_path: Path, library: Library) -> None:
    """At 80x24 the details, the form and the session lists overflow the column: PageDown
    shows the rest from the form, without the column being a Tab stop."""
    store = Store(tmp_path / "p.db")
    app = create_app(store, FakeClock(), library, tick=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("tab", "tab")
        right = app.screen.query_one("#right")
        assert app.focused is app.screen.query_one("#candidate", Input)
        assert right.max_scroll_y > 0
        right.scroll_home(animate=False)
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert right.scroll_y > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert right.scroll_y == 0
    store.close()
