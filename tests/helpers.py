"""Builders shared by the session, store and CLI tests: small plans made straight from the
model dataclasses, sinks that record or fail, and sessions written through a Store."""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from companion.cli.root import main
from companion.clock import FakeClock
from companion.events import ListingRow
from companion.model import (
    DEFAULT_RECOMMENDATION_SCALE,
    Criterion,
    Prompt,
    Rubric,
    SectionPlan,
    SessionPlan,
    Signal,
    SignalSet,
)
from companion.session import Event, Session
from companion.store.database import Store

ANCHORS = ("missing", "partial", "strong")


def make_plan(
    *,
    plan_id: str = "screen",
    mode: str = "interview",
    minutes: tuple[float | None, ...] = (5, 10, 5),
    recommendation_scale: tuple[str, ...] = DEFAULT_RECOMMENDATION_SCALE,
    rubric: bool = True,
    threshold: int = 3,
) -> SessionPlan:
    """Three sections by default (5, 10 and 5 minutes); the first has two prompts and a
    signal set; a rubric of three criteria, the last needing a post-mortem to score 2."""
    titles = ("Intro", "Main", "Wrap-up", "Extra", "More")
    sections = []
    for index, mins in enumerate(minutes):
        if index == 0:
            sections.append(SectionPlan(
                titles[index], mins, guidance="warm up",
                prompts=(Prompt("q1", "Tell me about a project."),
                         Prompt("q2", "What went wrong?", follow_ups=("Why?",))),
                signals=SignalSet("sig", "Signals",
                                  good=(Signal("g1", "clear"), Signal("g2", "specific")),
                                  bad=(Signal("b1", "vague"),)),
            ))
        else:
            sections.append(SectionPlan(titles[index % len(titles)], mins))
    return SessionPlan(
        id=plan_id,
        title=f"Plan {plan_id}",
        mode=mode,
        sections=tuple(sections),
        rubric=Rubric(
            "rub", "Rubric",
            (Criterion("c1", "Communication", ANCHORS),
             Criterion("c2", "Design", ANCHORS),
             Criterion("c3", "Learning", ANCHORS, needs_postmortem=True)),
            threshold=threshold,
        ) if rubric else None,
        recommendation_scale=recommendation_scale,
    )


class Recorder:
    """A sink that keeps what it was given; `fail_at` makes the Nth write (1-based) raise."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.written: list[tuple[Event, ListingRow]] = []
        self.fail_at = fail_at
        self.calls = 0

    def __call__(self, event: Event, summary: ListingRow) -> None:
        self.calls += 1
        if self.fail_at is not None and self.calls >= self.fail_at:
            raise OSError("disk went away")
        self.written.append((event, summary))

    @property
    def events(self) -> list[Event]:
        return [e for e, _ in self.written]


def start(
    clock: FakeClock,
    sink: Any = None,
    plan: SessionPlan | None = None,
    **kwargs: Any,
) -> Session:
    """A running session on `plan` (make_plan() by default), writing to `sink` (a Recorder)."""
    kwargs.setdefault("candidate", "Sam Lee")
    return Session.start(plan or make_plan(), clock, sink if sink is not None else Recorder(),
                         **kwargs)


def stored_session(
    store: Store,
    clock: FakeClock,
    session_id: str,
    *,
    candidate: str = "Sam Lee",
    candidate_id: str = "",
    interviewer: str = "Ada",
    plan: SessionPlan | None = None,
    notes: tuple[str, ...] = ("clear answer about consensus",),
    scores: dict[str, int] | None = None,
    recommendation: str | None = None,
    finish: str | None = "end",
) -> Session:
    """A session written through `store`: some notes, optional scores, then ended (`end`),
    abandoned (`abandon`) or left open (None)."""
    session = Session.start(plan or make_plan(), clock, store.sink(session_id),
                            candidate=candidate, candidate_id=candidate_id,
                            interviewer=interviewer, session_id=session_id)
    for text in notes:
        clock.advance(30)
        session.add_note(text)
    for criterion, score in (scores or {}).items():
        session.set_score(criterion, score, evidence=f"evidence for {criterion}")
    if recommendation:
        session.set_recommendation(recommendation)
    clock.advance(10)
    if finish == "end":
        session.end()
    elif finish == "abandon":
        session.abandon()
    return session


def script_steps(session: Session, clock: FakeClock) -> None:
    """A deterministic stretch of session (notes, a pause, a back-dated note, a section
    change, an edit, two scores), for tests that compare a stored log with a live state."""
    clock.advance(40)
    session.add_note("explained raft consensus")
    session.toggle_signal("g1")
    clock.advance(20)
    session.pause()
    clock.advance(300)
    session.resume()
    clock.advance(15)
    session.add_note("-10 earlier remark", back=10)
    session.next_section()
    clock.advance(90)
    note = session.add_note("main section")
    session.edit_note(note.id, "main section, edited")
    session.set_score("c1", 2, "clear structure")
    session.set_score("c2", 1)


def file_bytes(path: Path) -> bytes:
    return path.read_bytes()


def run_cli(*args: str, env: dict[str, str] | None = None, input: str | None = None) -> Result:
    """`companion ARGS` in process; whatever it prints, never a traceback."""
    result = CliRunner().invoke(main, list(args), env=env, input=input, catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def recent_text(screen: Any) -> str:
    """Home's Recent list as it reads, one session a line (Textual imported here only)."""
    from textual.widgets import OptionList

    recent = screen.query_one("#recent", OptionList)
    return "\n".join(str(recent.get_option_at_index(i).prompt)
                     for i in range(recent.option_count))


def screen_text(app: Any) -> str:
    """What the screen shows, as plain text (like tmux capture-pane), from the SVG export."""
    texts = re.findall(r">([^<>]*)</text>", app.export_screenshot())
    return html.unescape("".join(texts)).replace("\xa0", " ")


FIXTURES = Path(__file__).parent / "fixtures"


def fixture_db(version: int, tmp_path: Path) -> Path:
    """A copy of the database made by the code of schema `version` (tests/fixtures/vN),
    mode 0600 as companion makes it (a checkout gives 0644, which gets a warning)."""
    copy = tmp_path / f"v{version}.db"
    shutil.copyfile(FIXTURES / f"v{version}" / f"v{version}.db", copy)
    copy.chmod(0o600)
    return copy


def schema_version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
