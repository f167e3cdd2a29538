"""The notepost database: users, teams and notes, in SQLite."""

from __future__ import annotations

import sqlite3
from typing import Any

import config

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, email TEXT UNIQUE NOT NULL, password_hash TEXT NOT NULL,
    team_id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS notes (
    id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL, team_id INTEGER NOT NULL,
    title TEXT NOT NULL, body TEXT NOT NULL, shared INTEGER NOT NULL DEFAULT 0);
"""

_connection: sqlite3.Connection | None = None


def connect(path: str | None = None) -> sqlite3.Connection:
    global _connection
    if _connection is None:
        _connection = sqlite3.connect(path or config.DATABASE)
        _connection.row_factory = sqlite3.Row
        _connection.executescript(SCHEMA)
    return _connection


def _row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    return dict(row) if row is not None else None


def add_user(email: str, password_hash: str, team_id: int) -> int:
    cur = connect().execute(
        "INSERT INTO users (email, password_hash, team_id) VALUES (?, ?, ?)",
        (email, password_hash, team_id))
    connect().commit()
    return int(cur.lastrowid or 0)


def user_by_email(email: str) -> dict[str, Any] | None:
    return _row(connect().execute("SELECT * FROM users WHERE email = ?", (email,)).fetchone())


def user_by_id(user_id: int) -> dict[str, Any] | None:
    return _row(connect().execute("SELECT * FROM users WHERE id = ?", (user_id,)).fetchone())


def add_note(owner_id: int, team_id: int, title: str, body: str, shared: bool) -> int:
    cur = connect().execute(
        "INSERT INTO notes (owner_id, team_id, title, body, shared) VALUES (?, ?, ?, ?, ?)",
        (owner_id, team_id, title, body, int(shared)))
    connect().commit()
    return int(cur.lastrowid or 0)


def get_note(note_id: int) -> dict[str, Any] | None:
    return _row(connect().execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone())


def notes_visible_to(user: dict[str, Any]) -> list[dict[str, Any]]:
    rows = connect().execute(
        "SELECT id, title, owner_id FROM notes WHERE owner_id = ? OR (team_id = ? AND shared = 1)"
        " ORDER BY id", (user["id"], user["team_id"]))
    return [dict(r) for r in rows]


def search_notes(user: dict[str, Any], term: str) -> list[dict[str, Any]]:
    sql = ("SELECT id, title FROM notes WHERE owner_id = ? AND title LIKE '%" + term + "%'"
           " ORDER BY id")
    return [dict(r) for r in connect().execute(sql, (user["id"],))]


def update_note(note_id: int, title: str, body: str) -> None:
    connect().execute("UPDATE notes SET title = ?, body = ? WHERE id = ?",
                      (title, body, note_id))
    connect().commit()


def delete_note(note_id: int) -> None:
    connect().execute("DELETE FROM notes WHERE id = ?", (note_id,))
    connect().commit()
