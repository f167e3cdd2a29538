"""The company archetype (seed 001), chosen at the start: it picks that archetype's
questions, is stored in the start event, shown in the live screen's header and carried by
every export; without one, every plan resolves as before."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, UnknownPlan, resolve_plan
from companion.model import ARCHETYPE_TOPIC, ARCHETYPES
from companion.session import Session, replay
from companion.store.database import Store


@pytest.fixture(scope="module")
def lib() -> Library:
    library = Config().library()
    assert not library.problems
    return library


def _design_prompts(lib: Library, archetype: str | None) -> list[str]:
    plan = resolve_plan(lib, "stage-system-design", "backend", "mid", archetype=archetype)
    return [p.id for s in plan.sections for p in s.prompts]


@pytest.mark.parametrize("archetype", ARCHETYPES)
def test_an_archetype_picks_its_own_questions_and_never_another(
        lib: Library, archetype: str) -> None:
    plan = resolve_plan(lib, "stage-system-design", "backend", "mid", archetype=archetype)
    bank = lib.banks["stage-system-design"]
    topics = {q.id: q.topics for q in bank.questions}
    asked = [p.id.split("/")[-1] for s in plan.sections for p in s.prompts]
    tagged = [[t for t in topics.get(q, ()) if t.startswith(ARCHETYPE_TOPIC)] for q in asked]
    assert [f"{ARCHETYPE_TOPIC}{archetype}"] in tagged  # its own question is asked
    assert all(t in ([], [f"{ARCHETYPE_TOPIC}{archetype}"]) for t in tagged)  # no other's


def test_without_an_archetype_a_plan_resolves_as_before(lib: Library) -> None:
    plan = resolve_plan(lib, "stage-system-design", "backend", "mid")
    assert not any(t.startswith(ARCHETYPE_TOPIC) for s in plan.sections for p in s.prompts
                   for q in lib.banks["stage-system-design"].questions
                   if p.id.endswith("/" + q.id) for t in q.topics)
    with pytest.raises(UnknownPlan, match="no archetype 'startup'"):
        resolve_plan(lib, "stage-system-design", archetype="startup")


async def test_the_archetype_is_stored_shown_and_exported(tmp_path: Path, lib: Library) -> None:
    db = tmp_path / "a.db"
    clock = FakeClock()
    plan = resolve_plan(lib, "stage-system-design", "backend", "mid", archetype="enterprise")
    with Store(db) as store:
        session = Session.start(plan, clock, store.sink("arc00001"), session_id="arc00001",
                                candidate="Sam Lee", role="backend", archetype="enterprise")
        app = create_app(store, clock, lib, session, tick=10_000, heartbeat=10_000)
        async with app.run_test(size=(120, 36)):
            title = str(app.screen.query_one("#title").render())
            assert "enterprise company" in title
        start = store.events("arc00001")[0]
        assert start.data["archetype"] == "enterprise"
        assert replay(store.events("arc00001")).archetype == "enterprise"
        session.end()
    doc = json.loads(run_cli("--db", str(db), "export", "arc00001", "--format", "json").stdout)
    assert doc["archetype"] == "enterprise" and doc["format_version"] == 3
    for fmt in ("md", "html"):
        text = run_cli("--db", str(db), "export", "arc00001", "--format", fmt).stdout
        assert "Company archetype" in text and "enterprise" in text


def test_run_refuses_an_unknown_archetype(tmp_path: Path) -> None:
    result = run_cli("--db", str(tmp_path / "x.db"), "run", "stage-system-design",
                     "--candidate", "X", "--archetype", "startup")
    assert result.exit_code == 2 and "high-growth" in result.output
