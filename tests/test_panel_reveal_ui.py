"""The panel's display rule on the home screen (docs/panel.md, "Shown, then revealed"):
another interviewer's panel scorecard is counted, not listed, until yours of the same
candidate is sealed; the organiser sees it; someone else's pending scorecard is never in your
list of scorecards to finish. Driven with Pilot on a FakeClock."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import recent_text
from textual.widgets import OptionList

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.export.formats import render_session
from companion.export.report import report
from companion.panel.seal import import_file, seal_session
from companion.session import Session, replay
from companion.store.database import Store
from companion.tui.screens.home import HomeScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    assert not lib.problems
    return lib


def shown(app) -> str:  # type: ignore[no-untyped-def]
    """The recent list and the pending list as drawn."""
    screen = app.screen
    recent = recent_text(screen)
    pending = screen.query_one("#pending", OptionList)
    return recent + "".join(str(pending.get_option_at_index(i).prompt)
                            for i in range(pending.option_count))


def interview(store: Store, clock: FakeClock, library: Library, sid: str, who: str,
              candidate: str) -> None:
    s = Session.start(resolve_plan(library, "t-live"), clock, store.sink(sid), session_id=sid,
                      candidate=candidate, candidate_id=f"{candidate.split()[0].lower()}@x.org",
                      interviewer=who)
    clock.advance(60)
    s.add_note(f"{who} on {candidate}")
    s.end()  # pending: no score, no recommendation yet
    seal_session(store, sid, clock, None)


def ada_file(tmp_path: Path, library: Library, clock: FakeClock) -> Path:
    with Store(tmp_path / "ada.db") as ada:
        interview(ada, clock, library, "ada00001", "Ada", "Quinn Vale")
        events = ada.events("ada00001")
        text = render_session(report(replay(events), events, seal=ada.seal("ada00001")), "json")
    path = tmp_path / "ada00001.json"
    path.write_text(text)
    return path


@pytest.mark.parametrize("sees_all", [False, True])
async def test_home_counts_hidden_panel_scorecards_and_lists_them_once_yours_is_sealed(
        tmp_path: Path, library: Library, sees_all: bool) -> None:
    clock = FakeClock()
    path = ada_file(tmp_path, library, clock)
    store = Store(tmp_path / "bob.db")
    import_file(store, path, clock, None, source_kind="panel", log_view=False)
    app = create_app(store, clock, library, tick=10_000, sees_all=sees_all)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        await pilot.pause()
        text = shown(app)
        # Ada's pending scorecard is hers to finish, never in Bob's list.
        assert not app.screen.query_one("#pending").display
        if sees_all:
            assert "Quinn Vale" in text and "waiting" not in text
        else:
            assert "Quinn Vale" not in text
            assert "ⓘ 1 scorecard waiting until yours is sealed (1 candidate)" in text
    assert store.views("Quinn Vale") == []  # a hidden import is not a scorecard seen
    # Bob interviews Quinn and his session is sealed: Ada's is shown from then on.
    interview(store, clock, library, "bob00001", "Bob", "Quinn Vale")
    app = create_app(store, clock, library, tick=10_000, sees_all=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = shown(app)
        recent = recent_text(app.screen)
        assert "waiting" not in recent and recent.count("Quinn Vale") == 2
        assert "bob00001" in text and "ada00001" not in text  # his own to finish only
    store.close()


def test_the_panel_config_is_read_only_when_there_are_panel_scorecards(
        tmp_path: Path, library: Library) -> None:
    """Reading the panel's config imports about 40 ms of modules; a listing of a database
    without panel scorecards never needs it."""
    from companion.panel.reveal import NOTHING_HIDDEN, hidden_scorecards

    clock = FakeClock()
    asked: list[bool] = []

    def organiser() -> bool:
        asked.append(True)
        return False

    with Store(tmp_path / "bob.db") as store:
        interview(store, clock, library, "bob00001", "Bob", "Quinn Vale")
        assert hidden_scorecards(store, sees_all=organiser) is NOTHING_HIDDEN
        assert asked == []
    with Store(tmp_path / "carol.db") as store:  # Carol has not sealed hers of Quinn yet
        import_file(store, ada_file(tmp_path, library, clock), clock, None,
                    source_kind="panel", log_view=False)
        assert hidden_scorecards(store, sees_all=organiser).ids == {"ada00001"}
        assert asked == [True]
