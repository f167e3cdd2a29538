"""Opening the app from the command line: builds the CompanionApp (the same factory the
tests use) on the real clock, and turns database trouble into a message, not a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from companion.cli.config import Config
from companion.clock import Clock, RealClock
from companion.content.library import Library
from companion.errors import CompanionError
from companion.holding import (
    Opened,
    hold_new,
    open_for_writing,
    open_read_only,
    open_to_amend,
)
from companion.model import SessionPlan
from companion.session import Session, new_session_id
from companion.store.database import Store, StoreError

if TYPE_CHECKING:
    from companion.tui.app import CompanionApp, LibrarySource


def create_app(store: Store, clock: Clock, library: LibrarySource,
               session: Session | None = None, draft: str = "", tick: float = 1.0,
               *, think: float = 0.0, home_filter: str = "", seed: int | None = None,
               read_only: bool = False, note: str = "", screen: str = "",
               heartbeat: float | None = None, sees_all: bool | None = None,
               amend: bool = False) -> CompanionApp:
    """The one app factory, used by the commands and the tests. `amend`: `session` has
    ended and is held; the app opens on its summary with the rubric over it."""
    from companion.lease import HEARTBEAT_S
    from companion.tui.app import CompanionApp, Start

    return CompanionApp(store, clock, library,
                        Start(session, draft, think, home_filter, read_only, note, screen,
                              amend),
                        tick=tick, seed=seed,
                        heartbeat=HEARTBEAT_S if heartbeat is None else heartbeat,
                        sees_all=_sees_all if sees_all is None else sees_all)


def _sees_all() -> bool:
    """Whether this user is their panel's organiser (companion.panel.reveal)."""
    from companion.panel.sharing import viewer_sees_all
    from companion.paths import user_config_dir

    return viewer_sees_all(user_config_dir())


def has_terminal() -> bool:
    """A terminal on stdin and stdout: the full-screen app needs both."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def need_a_terminal(what: str, store: Store | None = None) -> None:
    """Refuse, before anything is written, to open the full-screen app without a terminal
    (from a script, a pipe, `</dev/null`): exit 2 with what to do instead."""
    if has_terminal():
        return
    if store is not None:
        store.close()
    raise CompanionError(
        f"{what} opens the full-screen app, which needs a terminal on stdin and stdout; "
        "run it in a terminal. Commands that print (plans, sessions, export, search, stats, "
        "validate) work without one.")


def _run(app: CompanionApp) -> None:
    try:
        app.run()
    except StoreError as err:  # raised outside a screen handler, e.g. while starting
        raise CompanionError(str(err)) from None
    finally:
        app.release_leases()  # also after a crash of the app: a clean lease, not a stale one


def run_new(store: Store, plan: SessionPlan, *, candidate: str, candidate_id: str, role: str,
            level: str, interviewer: str, library: LibrarySource = None,
            think: float = 0.0, archetype: str = "") -> None:
    need_a_terminal(f"`companion {'practice' if plan.mode == 'practice' else 'run'}`", store)
    clock = RealClock()
    session_id = new_session_id()
    try:
        session = Session.start(plan, clock, store.sink(session_id), session_id=session_id,
                                candidate=candidate,
                                candidate_id=candidate_id, role=role, level=level,
                                interviewer=interviewer, archetype=archetype,
                                run=not think)
        hold_new(store, session, clock)
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    with store:
        _run(create_app(store, clock, library, session, think=think))
        _farewell(session, store)


def run_resume(store: Store, session_id: str, library: LibrarySource = None, *,
               read_only: bool = False, take_over: bool = False) -> None:
    clock = RealClock()
    if not has_terminal():
        # Held elsewhere: that is the first thing to know (and a terminal the second).
        from companion.lease import is_stale

        try:
            lease = store.lease(session_id)
        except StoreError as err:
            store.close()
            raise CompanionError(str(err)) from None
        if lease is not None and not is_stale(lease, clock):
            store.close()
            raise CompanionError(f"session {session_id} is open in another terminal: held by "
                                 f"{lease.words()}. In a terminal, open it with --read-only, "
                                 "or take it over with --take-over")
        need_a_terminal("`companion resume`", store)
    try:
        # Read-only asked for: look, take no lease and write nothing (no reopen either).
        opened = (Opened(None) if read_only
                  else open_for_writing(store, session_id, clock, take_over=take_over))
        if opened.held_by is not None and not read_only:
            choice = _ask_held(session_id, opened.held_by.words())
            if choice == "q":
                store.close()
                click.echo(f"Left session {session_id} to the other terminal.")
                return
            if choice == "t":
                opened = open_for_writing(store, session_id, clock, take_over=True)
            read_only = choice == "r"
        screen = ""
        if opened.session is None or read_only:
            session = open_read_only(store, session_id, clock)
            draft = ""
        else:
            session = opened.session
            draft = store.draft(session_id)
            screen = store.draft(session_id, "screen")
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    with store:
        _run(create_app(store, clock, library, session, draft, read_only=read_only,
                        note=opened.note, screen=screen))
        if not read_only:
            _farewell(session, store)


def run_amend(store: Store, session_id: str, library: Library | None = None, *,
              take_over: bool = False) -> None:
    """`companion amend`: the ended session held (asked first when another terminal holds
    it), then its after-call screens."""
    need_a_terminal("`companion amend`", store)
    clock = RealClock()
    try:
        opened = open_to_amend(store, session_id, clock, take_over=take_over)
        if opened.held_by is not None:
            choice = _ask_held(session_id, opened.held_by.words(), read_only=False)
            if choice != "t":
                store.close()
                click.echo(f"Left session {session_id} to the other terminal.")
                return
            opened = open_to_amend(store, session_id, clock, take_over=True)
        session = opened.session
        assert session is not None
        screen = store.draft(session_id, "screen")
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    with store:
        _run(create_app(store, clock, library, session, screen=screen, amend=True))
        _farewell(session, store)


def _ask_held(session_id: str, words: str, *, read_only: bool = True) -> str:
    """r, t or q: what to do with a session another terminal holds."""
    import sys

    question = (f"Session {session_id} is open in another terminal: held by {words}.\n"
                + ("  r  open it read-only (no note line; the other terminal keeps it)\n"
                   if read_only else "")
                + "  t  take it over (the other terminal turns read-only)\n"
                "  q  quit")
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        how = "Open it with --read-only, or take" if read_only else "Take"
        raise CompanionError(f"session {session_id} is open in another terminal: held by "
                             f"{words}. {how} it over with --take-over")
    click.echo(question)
    choices = ["r", "t", "q"] if read_only else ["t", "q"]
    return str(click.prompt("Choice", type=click.Choice(choices), default="q"))


def _farewell(session: Session, store: Store) -> None:
    """What to do next with the session the command opened: "saved" only when it is (the
    lease still ours when the app closed: no other terminal took it over)."""
    sid = session.id
    lease = store.lease(sid)
    if lease is not None and lease.held and sid not in store.held:
        click.echo(f"Session {sid} was taken over in another terminal ({lease.words()}); "
                   "what this terminal saved before that is kept.")
        return
    if session.state.finished:
        click.echo(f"Session {sid} {session.state.status}. `companion export {sid}` shows it.")
    else:
        click.echo(f"Session {sid} saved. Resume it with `companion resume {sid}`.")


def open_home(config: Config, library: Library) -> None:
    need_a_terminal("`companion` with no command")
    try:
        store = Store(config.db_path)
    except StoreError as err:
        raise CompanionError(str(err)) from None
    for warning in store.exposure_warnings():
        click.echo(f"warning: {warning}", err=True)
    with store:
        _run(create_app(store, RealClock(), library))


def open_practice_home(store: Store, library: Library) -> None:
    """The home screen with the plan list narrowed to practice plans."""
    need_a_terminal("`companion practice`", store)
    with store:
        _run(create_app(store, RealClock(), library, home_filter="practice"))
