"""A database made by the code of schema version 6 (tests/fixtures/v6/make_v6.py says how)
opens with today's code, migrates, replays, and exports what that code exported.

Every later schema change keeps this test green: it gets a migration, and the migrated copy
must still give the same sessions, people, drafts, lease rows, imports and exports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import fixture_db, run_cli, schema_version

from companion.session import ABANDONED, ENDED, PAUSED, replay
from companion.store.database import SCHEMA_VERSION, Store

V6 = Path(__file__).parent / "fixtures" / "v6"
SESSIONS = {"a1b2c3d4": ENDED, "e5f6a7b8": ENDED, "c9d0e1f2": PAUSED, "0a0b0c0d": ABANDONED,
            "f1e2d3c4": ENDED}


@pytest.fixture
def v6_db(tmp_path: Path) -> Path:
    return fixture_db(6, tmp_path)


def test_the_fixture_is_schema_version_6() -> None:
    assert schema_version(V6 / "v6.db") == 6


def test_a_v6_database_migrates_and_replays(v6_db: Path) -> None:
    with Store(v6_db) as store:
        for session_id, status in SESSIONS.items():
            state = replay(store.events(session_id))
            assert state.status == status
            assert (store.session(session_id) or {})["status"] == status
        assert store.draft("c9d0e1f2") == "half a note"
        assert store.draft("c9d0e1f2", field="summary") == "a summary being typed"
        lease = store.lease("c9d0e1f2")
        assert lease is not None and not lease.held
        interview = replay(store.events("a1b2c3d4"))
        assert interview.candidate == "Sam Lee-Park" and interview.archetype == "high-growth"
        assert [n.text for n in interview.live_notes()] == [
            "explained the approach before coding", "missed the empty input",
            "wrote tests first, then edge cases"]
        assert replay(store.events("0a0b0c0d")).candidate_id == "sam@example.org"
        assert store.import_record("f1e2d3c4") is not None
        assert store.seal("a1b2c3d4") is not None
    with sqlite3.connect(v6_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_v6_database_lists_its_people(v6_db: Path) -> None:
    result = run_cli("--db", str(v6_db), "candidates", "--json")
    assert result.exit_code == 0, result.output
    assert "sam@example.org" in result.stdout and "Kim Park" in result.stdout


@pytest.mark.parametrize("session_id", ["a1b2c3d4", "e5f6a7b8"])
@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_v6_database_exports_what_it_exported(v6_db: Path, session_id: str, fmt: str) -> None:
    result = run_cli("--db", str(v6_db), "export", session_id, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (V6 / f"{session_id}.{fmt}").read_text()


def test_the_seals_made_by_version_6_still_verify(v6_db: Path) -> None:
    imported = run_cli("--db", str(v6_db), "verify", "f1e2d3c4")
    assert imported.exit_code == 0, imported.output
    assert imported.output.startswith("intact: session f1e2d3c4"), imported.output
    # Renamed after it was sealed: the seal still holds for what it covers, and says so.
    renamed = run_cli("--db", str(v6_db), "verify", "a1b2c3d4")
    assert renamed.exit_code == 0, renamed.output
    assert renamed.output.startswith("amended: session a1b2c3d4"), renamed.output
    assert "candidate renamed" in renamed.output and "covering events 1-27" in renamed.output
