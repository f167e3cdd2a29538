"""Opening the app from the command line: builds the CompanionApp (the same factory the
tests use) on the real clock, and turns database trouble into a message, not a traceback."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from companion.cli.config import Config
from companion.clock import Clock, RealClock
from companion.content.library import Library
from companion.errors import CompanionError
from companion.model import SessionPlan
from companion.session import Session, new_session_id
from companion.store.database import Store, StoreError

if TYPE_CHECKING:
    from companion.tui.app import CompanionApp


def create_app(store: Store, clock: Clock, library: Library | None,
               session: Session | None = None, draft: str = "", tick: float = 0.5,
               *, think: float = 0.0, home_filter: str = "",
               seed: int | None = None) -> CompanionApp:
    """The one app factory, used by the commands and the tests."""
    from companion.tui.app import CompanionApp, Start

    return CompanionApp(store, clock, library, Start(session, draft, think, home_filter),
                        tick=tick, seed=seed)


def _run(app: CompanionApp) -> None:
    try:
        app.run()
    except StoreError as err:  # raised outside a screen handler, e.g. while starting
        raise CompanionError(str(err)) from None


def run_new(store: Store, plan: SessionPlan, *, candidate: str, candidate_id: str, role: str,
            level: str, interviewer: str, library: Library | None = None,
            think: float = 0.0) -> None:
    clock = RealClock()
    session_id = new_session_id()
    try:
        session = Session.start(plan, clock, store.sink(session_id), session_id=session_id,
                                candidate=candidate,
                                candidate_id=candidate_id, role=role, level=level,
                                interviewer=interviewer, run=not think)
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    with store:
        _run(create_app(store, clock, library, session, think=think))
    _farewell(session)


def run_resume(store: Store, session_id: str, library: Library | None = None) -> None:
    clock = RealClock()
    try:
        session = Session.reopen(store.events(session_id), clock, store.sink(session_id))
        draft = store.draft(session_id)
    except StoreError as err:
        store.close()
        raise CompanionError(str(err)) from None
    with store:
        _run(create_app(store, clock, library, session, draft))
    _farewell(session)


def _farewell(session: Session) -> None:
    """What to do next with the session the command opened."""
    sid = session.id
    if session.state.finished:
        click.echo(f"Session {sid} {session.state.status}. `companion export {sid}` shows it.")
    else:
        click.echo(f"Session {sid} saved. Resume it with `companion resume {sid}`.")


def open_home(config: Config, library: Library) -> None:
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
    with store:
        _run(create_app(store, RealClock(), library, home_filter="practice"))
