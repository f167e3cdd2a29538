"""A database made by the code of schema version 3 (tests/fixtures/v3/make_v3.py says how)
opens with today's code, migrates, replays, and exports what that code exported.

Every schema change of later work keeps this test green: it gets a migration, and the
migrated copy must still give the same sessions and the same exports."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import fixture_db, run_cli, schema_version

from companion.session import ABANDONED, ENDED, PAUSED, replay
from companion.store.database import SCHEMA_VERSION, Store

V3 = Path(__file__).parent / "fixtures" / "v3"
SESSIONS = {"a1b2c3d4": ENDED, "e5f6a7b8": ENDED, "c9d0e1f2": PAUSED, "0a0b0c0d": ABANDONED}


@pytest.fixture
def v3_db(tmp_path: Path) -> Path:
    return fixture_db(3, tmp_path)


def test_the_fixture_is_schema_version_3() -> None:
    assert schema_version(V3 / "v3.db") == 3


def test_a_v3_database_migrates_and_replays(v3_db: Path) -> None:
    with Store(v3_db) as store:
        for session_id, status in SESSIONS.items():
            state = replay(store.events(session_id))
            assert state.status == status
            assert (store.session(session_id) or {})["status"] == status
        assert store.draft("c9d0e1f2") == "half a note"
        interview = replay(store.events("a1b2c3d4"))
        assert [n.text for n in interview.live_notes()] == [
            "explained the approach before coding", "missed the empty input",
            "wrote tests first, then edge cases"]
        assert interview.notes[0].flagged and interview.notes[1].back == 15
        assert interview.summary == "Solid on tests; slow on edge cases."
    with sqlite3.connect(v3_db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("session_id", ["a1b2c3d4", "e5f6a7b8"])
@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_v3_database_exports_what_it_exported(v3_db: Path, session_id: str, fmt: str) -> None:
    result = run_cli("--db", str(v3_db), "export", session_id, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (V3 / f"{session_id}.{fmt}").read_text()


def test_the_seals_made_by_version_3_still_verify(v3_db: Path) -> None:
    for session_id in ("a1b2c3d4", "e5f6a7b8"):
        result = run_cli("--db", str(v3_db), "verify", session_id)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"intact: session {session_id}"), result.output
