"""The Textual app: a thin composition. Everything it needs is passed in (store, clock,
content, what to open), so the CLI and the tests build it the same way."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.screen import Screen

from companion.clock import Clock
from companion.collector import resume_collector
from companion.content.library import Library
from companion.errors import CompanionError
from companion.lease import HEARTBEAT_S
from companion.model import Prompt
from companion.session import Session
from companion.store.database import Store, StoreError
from companion.textsafe import visible
from companion.tui.drafts import SCREEN, Drafts
from companion.tui.holder import OneHolderApp
from companion.tui.navigation import Navigator
from companion.tui.widgets.banner import show_content_banner

UI_BUSY_S = 0.05  # a write from the screen waits this long for a lock, never seconds


@dataclass(frozen=True)
class Start:
    """What the app opens on: a session (new or reopened) or, with None, the home screen."""

    session: Session | None = None
    draft: str = ""
    think: float = 0.0  # practice: seconds before the clock starts
    home_filter: str = ""
    read_only: bool = False  # held by another process: looked at, never written
    note: str = ""  # told once the first screen is up (e.g. the time away is not known)
    screen: str = ""  # the after-call screen the session was left on: "rubric" or "close"
    amend: bool = False  # an ended session, held, opened on its after-call screens


# The content, or what loads it when first needed (see CompanionApp.library).
LibrarySource = Library | Callable[[], Library] | None


class CompanionApp(OneHolderApp):
    CSS_PATH: ClassVar[str] = str(Path(__file__).with_name("companion.tcss"))
    # Below 100 columns the screens stack their panes in one column (`-narrow`).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]  # noqa: RUF012 (App declares it)
    TITLE = "companion"
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, clock: Clock, library: LibrarySource, start: Start,
                 *, tick: float = 1.0, seed: int | None = None,
                 heartbeat: float = HEARTBEAT_S,
                 sees_all: bool | Callable[[], bool] = False) -> None:
        super().__init__()
        # The panel's organiser sees every scorecard; anyone else not the panel scorecards
        # of a candidate they have not sealed a scorecard of yet (companion.panel.reveal).
        self._sees_all = sees_all
        self.heartbeat = heartbeat
        store.set_busy(UI_BUSY_S)
        self.rng = random.Random(seed)
        self.store = store
        self.clock = clock
        self._library = library
        self.start = start
        self.tick = tick
        self.content_banner = ""  # content problems found at start, said on home and live
        self.theme = "textual-dark"
        self._stacks = 0
        # The first screen's module is imported now, before Textual starts: imported from
        # inside the starting app (its driver threads running) it delayed the first frame
        # by a further ~18 ms.
        if start.session is not None and not start.amend:
            import companion.tui.screens.live
        else:
            import companion.tui.screens.home  # noqa: F401

    @property
    def sees_all(self) -> bool:
        """Whether this user is their panel's organiser, read when first asked (home,
        search): the panel's config costs about 10 ms that a live screen never needs."""
        if callable(self._sees_all):
            self._sees_all = self._sees_all()
        return self._sees_all

    @property
    def library(self) -> Library | None:
        """The content: given, or loaded on first use by the loader given (`companion run`
        drops the library it resolved the plan with, so the live screen is built without it
        in memory: about 5 MiB of peak memory)."""
        if callable(self._library):
            try:
                self._library = self._library()
            except CompanionError as err:
                self.notify(f"the content could not be read: {err}", severity="error",
                            markup=False)
                self._library = Library()
            self._tell_content_problems()  # read only now: its problems are said now
        return self._library

    def on_mount(self) -> None:
        self.call_after_refresh(resume_collector)
        self.set_interval(self.heartbeat, self.beat)
        if self.start.note:
            self.notify(self.start.note, severity="warning", timeout=10, markup=False)
        self._tell_content_problems()
        session = self.start.session
        if session is not None and not self.start.read_only and not session.state.finished:
            # Back to the after-call screen the session was on when it was left.
            self.open_after_call(session, self.start.screen)
        elif session is not None and self.start.amend:
            self.open_after_call(session, self.start.screen or "rubric")
        self._catch_signals()

    def _tell_content_problems(self) -> None:
        """Content files left out at start (printed on stderr too, but hidden behind the
        full screen until it closes): said in the app, with what to run."""
        # Only content already read: a resume reads it when first needed (home, a redraw),
        # and says so then; reading it here would cost the first frame.
        loaded = None if callable(self._library) else self._library
        problems = loaded.problems if loaded is not None else []
        if not problems:
            return
        first = problems[0]
        where = visible(f"{first.path}:{first.line}" if first.line else first.path)
        words = (f"⚠ {len(problems)} content problem(s): those files were left out "
                 f"(first: {where}). Run `companion validate` to see every one.")
        # A banner on top of home and the live screen for as long as the app runs.
        self.content_banner = words
        for screen in self.screen_stack:
            show_content_banner(screen, words)

    # The flow: home -> live -> rubric -> close (recommendation, summary) -> summary -> home.
    # Home, live and summary each start a fresh screen stack; the others go on top of it.
    def get_default_screen(self) -> Screen[Any]:
        """The first screen is the bottom of Textual's default stack itself. (With Textual's
        blank default screen under it, that one was composed, styled and drawn first, and
        the first real frame came about 60 ms later.)"""
        if self.start.session is not None and self.start.amend:
            from companion.tui.screens.summary import SummaryScreen

            return SummaryScreen(self.start.session)
        if self.start.session is not None:
            return self._live(self.start.session, self.start.draft, self.start.think,
                              self.start.read_only)
        return self._home(self.start.home_filter)

    def _replace_all(self, screen: Screen[Any]) -> None:
        # A stack's bottom screen cannot be switched out in Textual: each fresh stack is a
        # mode of its own, and the old one is removed.
        while len(self.screen_stack) > 1:
            self.pop_screen()
        old_mode, old_bottom = self.current_mode, self.screen
        self._stacks += 1
        mode = f"stack-{self._stacks}"
        self.add_mode(mode, lambda: screen)
        self.switch_mode(mode)
        if old_mode == App.DEFAULT_MODE:
            # Textual keeps its default mode for good: the first screen stays in it, with
            # nothing of its own running.
            retire = getattr(old_bottom, "retire", None)
            if retire is not None:
                retire()
        else:
            self.remove_mode(old_mode)

    def _live(self, session: Session, draft: str, think: float,
              read_only: bool = False) -> Screen[Any]:
        from companion.tui.screens.live import LiveScreen

        return LiveScreen(session, self.store, tick=self.tick, draft=draft, think=think,
                          read_only=read_only)

    def _home(self, query: str) -> Screen[Any]:
        from companion.tui.screens.home import HomeScreen

        return HomeScreen(self.store, self.library, self.clock, self.rng, query=query)

    def open_live(self, session: Session, draft: str = "", think: float = 0.0,
                  read_only: bool = False) -> None:
        self._replace_all(self._live(session, draft, think, read_only))

    def redraw_questions(self, session: Session) -> list[Prompt] | None:
        """Practice: other questions for the current section (None when it has no draw)."""
        from companion.practice.draws import practice_history, redraw, seen_questions

        if self.library is None:
            return None
        state = session.state
        recent = seen_questions(practice_history(self.store, state.candidate, state.plan.id))
        return redraw(self.library, state, state.current, self.rng, recent)

    def open_rubric(self, session: Session) -> None:
        from companion.tui.screens.rubric import RubricScreen

        if session.state.plan.rubric is None:
            self.open_close(session)
            return
        self.push_screen(RubricScreen(session, self._drafts(session)))

    def open_close(self, session: Session) -> None:
        from companion.tui.screens.close import AmendCloseScreen, CloseScreen

        if session.state.running:
            session.pause()
        kind = AmendCloseScreen if session.state.finished else CloseScreen
        self.push_screen(kind(session, self._drafts(session)))

    def open_after_call(self, session: Session, screen: str) -> None:
        """The rubric or close screen a session was left on (nothing for any other word)."""
        if screen in ("rubric", "close"):
            self.open_rubric(session)
            if screen == "close" and session.state.plan.rubric is not None:
                self.open_close(session)

    def _drafts(self, session: Session) -> Drafts:
        def told(message: str) -> None:
            self.notify(message, severity="error", markup=False)

        return Drafts(self.store, session.id, self.clock, told)

    def open_summary(self, session: Session) -> None:
        from companion.panel.seal import seal_on_close
        from companion.tui.screens.summary import SummaryScreen

        seal_on_close(self.store, session.id, self.clock)  # the ended scorecard is sealed
        if session.id in self.store.held:
            self._drafts(session).clear(SCREEN)  # an amendment opens on the rubric again
        self._replace_all(SummaryScreen(session))

    def open_amend(self, session_id: str, take_over: bool = False,
                   current: Session | None = None) -> None:
        """Reopen an ended session's rubric, recommendation and summary to amend them,
        holding its lease (asked first when another terminal holds it), over its summary."""
        from companion.holding import open_to_amend
        from companion.tui.screens.held import TAKE_OVER, HeldChoice
        from companion.tui.screens.summary import SummaryScreen

        try:
            opened = open_to_amend(self.store, session_id, self.clock, take_over=take_over,
                                   current=current)
        except StoreError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        if opened.session is None:
            words = opened.held_by.words() if opened.held_by else "another terminal"

            def answered(choice: str | None) -> None:
                if choice == TAKE_OVER:
                    self.open_amend(session_id, take_over=True, current=current)

            self.push_screen(HeldChoice(session_id, words, read_only=False), answered)
            return
        try:
            screen = self.store.draft(session_id, "screen")
        except StoreError:
            screen = ""
        below = self.screen
        if not (isinstance(below, SummaryScreen) and below.session is opened.session):
            # Esc from the rubric, and Ctrl+S on the close screen, come back to the
            # scorecard as amended.
            self._replace_all(SummaryScreen(opened.session))
        self.open_after_call(opened.session, screen or "rubric")

    def go_home(self, query: str = "") -> None:
        self._replace_all(self._home(query))

    def open_stats(self, candidate: str | None = None) -> None:
        from companion.tui.screens.stats import StatsScreen

        self.push_screen(StatsScreen(self.store, self.library, candidate))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        from companion.tui.keymap import palette_commands

        yield from super().get_system_commands(screen)
        yield from palette_commands(self, screen)

    async def action_quit(self) -> None:
        # The screen that has something to settle (the live screen pauses its session) may
        # be under a modal such as help.
        problem = None
        for screen in reversed(self.screen_stack):
            prepare = getattr(screen, "prepare_to_leave", None)
            if prepare is not None:
                problem = prepare()
                break
        self.release_leases()
        self.exit(message=problem)


def _is_a_navigator(app: CompanionApp) -> Navigator:
    """Checked by mypy: the app implements every move the screens ask of it."""
    return app
