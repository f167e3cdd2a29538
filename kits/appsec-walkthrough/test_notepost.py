"""Tests for notepost: python3 -m pytest test_notepost.py (runs on a temporary database)."""

from __future__ import annotations

import json
from pathlib import Path

import app  # noqa: F401  (registers the routes)
import auth
import db
import pytest
from web import Request, dispatch


@pytest.fixture(autouse=True)
def fresh_db(tmp_path: Path) -> None:
    db._connection = None
    db.connect(str(tmp_path / "test.db"))


def call(method: str, path: str, token: str = "", body: object = None,
         query: dict[str, str] | None = None):
    headers = {"authorization": f"Bearer {token}"} if token else {}
    raw = json.dumps(body).encode() if body is not None else b""
    return dispatch(Request(method, path, query or {}, headers, raw))


def sign_in(email: str, team_id: int = 1) -> str:
    db.add_user(email, auth.hash_password("correct horse"), team_id)
    reply = call("POST", "/login", body={"email": email, "password": "correct horse"})
    assert reply.status == 200
    return reply.body["token"]


def test_login_refuses_a_wrong_password() -> None:
    sign_in("a@example.org")
    reply = call("POST", "/login", body={"email": "a@example.org", "password": "nope"})
    assert reply.status == 401


def test_a_note_can_be_created_listed_and_read() -> None:
    token = sign_in("a@example.org")
    created = call("POST", "/notes", token, {"title": "Plan", "body": "Ship it"})
    assert created.status == 201
    listed = call("GET", "/notes", token)
    assert [n["title"] for n in listed.body["notes"]] == ["Plan"]
    assert call("GET", f"/notes/{created.body['id']}", token).body["body"] == "Ship it"


def test_only_the_owner_can_edit_a_note() -> None:
    owner, other = sign_in("a@example.org"), sign_in("b@example.org")
    note = call("POST", "/notes", owner, {"title": "Mine", "body": "x"}).body["id"]
    assert call("PUT", f"/notes/{note}", other, {"title": "Theirs"}).status == 404
    assert call("PUT", f"/notes/{note}", owner, {"title": "Still mine"}).status == 200


def test_search_finds_by_title() -> None:
    token = sign_in("a@example.org")
    call("POST", "/notes", token, {"title": "Release plan", "body": ""})
    call("POST", "/notes", token, {"title": "Lunch", "body": ""})
    found = call("GET", "/notes", token, query={"q": "plan"})
    assert [n["title"] for n in found.body["notes"]] == ["Release plan"]


def test_every_route_needs_a_token() -> None:
    assert call("GET", "/notes").status == 401
    assert call("GET", "/attachments", query={"name": "a.txt"}).status == 401
