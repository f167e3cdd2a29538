"""notepost: the HTTP routes. Every route returns JSON."""

from __future__ import annotations

import base64
import os
import pickle

import auth
import config
import db
from web import Request, Response, route


def _user_or_401(request: Request) -> dict | Response:
    user = auth.current_user(request.headers)
    return user if user is not None else Response(401, {"error": "sign in first"})


@route("POST", "/login")
def login(request: Request) -> Response:
    data = request.json()
    user = db.user_by_email(str(data.get("email", "")))
    if user is None or not auth.check_password(user, str(data.get("password", ""))):
        return Response(401, {"error": "wrong email or password"})
    return Response(200, {"token": auth.new_token(user["id"])})


@route("GET", "/notes")
def list_notes(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    term = request.query.get("q")
    notes = db.search_notes(user, term) if term else db.notes_visible_to(user)
    return Response(200, {"notes": notes})


@route("POST", "/notes")
def create_note(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    data = request.json()
    title, body = str(data.get("title", "")).strip(), str(data.get("body", ""))
    if not title or len(body) > config.MAX_NOTE_LENGTH:
        return Response(422, {"error": "a title, and a body of at most 20,000 characters"})
    note_id = db.add_note(user["id"], user["team_id"], title, body, bool(data.get("shared")))
    return Response(201, {"id": note_id})


@route("GET", "/notes/<note_id>")
def read_note(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    note = db.get_note(int(request.params["note_id"]))
    if note is None:
        return Response(404, {"error": "no such note"})
    return Response(200, note)


@route("PUT", "/notes/<note_id>")
def edit_note(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    note = db.get_note(int(request.params["note_id"]))
    if note is None or note["owner_id"] != user["id"]:
        return Response(404, {"error": "no such note"})
    data = request.json()
    db.update_note(note["id"], str(data.get("title", note["title"])),
                   str(data.get("body", note["body"])))
    return Response(200, {"id": note["id"]})


@route("DELETE", "/notes/<note_id>")
def remove_note(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    note = db.get_note(int(request.params["note_id"]))
    if note is None or note["owner_id"] != user["id"]:
        return Response(404, {"error": "no such note"})
    db.delete_note(note["id"])
    return Response(204)


@route("GET", "/attachments")
def download_attachment(request: Request) -> Response:
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    name = request.query.get("name", "")
    if not name.endswith(config.ALLOWED_EXTENSIONS):
        return Response(400, {"error": "file type not allowed"})
    path = os.path.join(config.UPLOAD_DIR, str(user["team_id"]), name)
    if not os.path.isfile(path):
        return Response(404, {"error": "no such file"})
    with open(path, "rb") as handle:
        content = base64.b64encode(handle.read()).decode()
    return Response(200, {"name": name, "content": content})


@route("POST", "/notes/import")
def import_notes(request: Request) -> Response:
    """Restore notes from a backup made by an earlier version's export button."""
    user = _user_or_401(request)
    if isinstance(user, Response):
        return user
    backup = pickle.loads(base64.b64decode(request.body))
    count = 0
    for item in backup.get("notes", []):
        db.add_note(user["id"], user["team_id"], item["title"], item["body"], False)
        count += 1
    return Response(200, {"imported": count})
