"""A database made by the code of schema version 7 (tests/fixtures/v7/make_v7.py says how)
opens with today's code, migrates (schema 8: the imported sessions indexed), and lists,
hides and exports what that code did."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from helpers import fixture_db, run_cli, schema_version

from companion.session import replay
from companion.store.database import HIDDEN_CONDITION, SCHEMA_VERSION, Store

V7 = Path(__file__).parent / "fixtures" / "v7"


@pytest.fixture
def v7_db(tmp_path: Path) -> Path:
    return fixture_db(7, tmp_path)


def test_the_fixture_is_schema_version_7() -> None:
    assert schema_version(V7 / "v7.db") == 7


def test_a_v7_database_migrates_and_the_imported_sessions_are_indexed(v7_db: Path) -> None:
    with Store(v7_db, target_version=7) as before:
        listed = [r["id"] for r in before.sessions(limit=50)]
        hidden = before.hidden_panel_sessions()
        statuses = {sid: replay(before.events(sid)).status for sid in listed}
    with Store(v7_db) as store:
        assert store.version == SCHEMA_VERSION
        assert [r["id"] for r in store.sessions(limit=50)] == listed
        assert store.hidden_panel_sessions() == hidden
        assert {sid: replay(store.events(sid)).status for sid in listed} == statuses
        plan = store.conn.execute("EXPLAIN QUERY PLAN SELECT s.id FROM sessions s WHERE "
                                  f"{HIDDEN_CONDITION}").fetchall()
        assert "USING INDEX sessions_imported" in plan[0][3]
    with sqlite3.connect(v7_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_v7_database_exports_what_it_exported(v7_db: Path, fmt: str) -> None:
    result = run_cli("--db", str(v7_db), "export", "a1b2c3d4", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (V7 / f"a1b2c3d4.{fmt}").read_text()
