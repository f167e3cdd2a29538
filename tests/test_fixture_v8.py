"""A database made by the code of schema version 8 (tests/fixtures/v8/make_v8.py says how)
opens with today's code, migrates (schema 9: each session keeps its listing JSON), and
lists and exports what that code did."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from helpers import fixture_db, run_cli, schema_version

from companion.session import replay
from companion.store.database import SCHEMA_VERSION, Store
from companion.store.listing import listing_object

V8 = Path(__file__).parent / "fixtures" / "v8"


@pytest.fixture
def v8_db(tmp_path: Path) -> Path:
    return fixture_db(8, tmp_path)


def test_the_fixture_is_schema_version_8() -> None:
    assert schema_version(V8 / "v8.db") == 8
    with sqlite3.connect(V8 / "v8.db") as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "listing" not in tables


def test_a_v8_database_migrates_and_lists_what_it_listed(v8_db: Path) -> None:
    with Store(v8_db, target_version=8) as before:
        rows = before.sessions()
        statuses = {r["id"]: replay(before.events(r["id"])).status for r in rows}
    with Store(v8_db) as store:
        assert store.version == SCHEMA_VERSION == 9
        assert store.sessions() == rows  # the rows read as before: no new key
        assert {r["id"]: replay(store.events(r["id"])).status for r in rows} == statuses
        kept = store.conn.execute("SELECT count(*) FROM listing l JOIN sessions s USING (id) "
                                  f"WHERE json = {listing_object('s.')}").fetchone()
        assert kept[0] == len(rows) == 5
    listed = run_cli("--db", str(v8_db), "sessions", "--json")
    assert listed.exit_code == 0, listed.output
    assert listed.stdout == (V8 / "sessions.json").read_text()
    assert len(json.loads(listed.stdout)) == 5
    with sqlite3.connect(v8_db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.parametrize("fmt", ["md", "json", "csv", "html"])
def test_a_v8_database_exports_what_it_exported(v8_db: Path, fmt: str) -> None:
    result = run_cli("--db", str(v8_db), "export", "a1b2c3d4", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stdout == (V8 / f"a1b2c3d4.{fmt}").read_text()
