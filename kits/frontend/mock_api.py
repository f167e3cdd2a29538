"""The mock API of the frontend live-coding exercise (see api.md), for the sandbox.

    python3 mock_api.py --port 8081          # Python 3.11 or newer, nothing to install

Serves GET /api/items/{id} after about 1.5 seconds, and the avatars as small grey squares.
CORS is open so a sandbox on another port can call it. The switches (delay=MS, fail=500,
shape=bad) work as query parameters and, for the interviewer, from outside the candidate's
code: `curl 'http://127.0.0.1:8081/__switch?delay=6000'` turns one on for every later request,
`curl http://127.0.0.1:8081/__switch` turns them all off. Dates are relative to the start:
it-208 was created 3 hours before, it-209 2 days before, it-210 on 2 Nov 2024.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

STARTED = datetime.now(timezone.utc).replace(microsecond=0)  # noqa: UP017 (runs on the candidate's Python, 3.8+)
SWITCHES: dict[str, str] = {}  # set by the interviewer through /__switch


def _ago(**delta: float) -> str:
    return (STARTED - timedelta(**delta)).strftime("%Y-%m-%dT%H:%M:%SZ")


ITEMS: dict[str, dict[str, Any]] = {
    "it-208": {
        "id": "it-208",
        "title": "Move the weekly report to the new data source",
        "status": "in_progress",
        "description": (
            "The weekly report still reads from the old warehouse tables, which stop being "
            "updated at the end of the quarter.\nMove each of its six queries to the new data "
            "source, compare one month of results side by side, and switch the schedule once "
            "they match.\nThe finance team reads this report every Monday at 9:00, so the "
            "switch should happen between Monday noon and Friday.\nKeep the old queries for "
            "two weeks after the switch in case we need to compare again."),
        "created_at": _ago(hours=3),
        "author": {"id": "u-7", "name": "Sam Lee", "avatar_url": "/avatars/u-7.svg"},
    },
    "it-209": {
        "id": "it-209",
        "title": ("Investigate why the nightly import sometimes skips files that arrive in the "
                  "last minute before midnight and then processes them twice the next night, "
                  "which doubles a few totals on the Tuesday dashboard for the regional teams "
                  "and makes the numbers disagree with the monthly export that finance uses"),
        "status": "open",
        "description": "",
        "created_at": _ago(days=2),
        "author": {"id": "u-12", "name": "Robin Ortega", "avatar_url": "/avatars/u-12.svg"},
    },
    "it-210": {
        "id": "it-210",
        "title": "Closed: archive the old onboarding checklist",
        "status": "closed",
        "description": "Archived; the new checklist lives in the handbook.",
        "created_at": "2024-11-02T14:05:00Z",
        "author": {"id": "u-31",
                   "name": "Alexandra Konstantinidou-Vasquez de la Fuente Montgomery",
                   "avatar_url": None},
    },
}
# Every avatar: a 32 x 32 grey square.
AVATAR = (b'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32">'
          b'<rect width="32" height="32" fill="#aaaaaa"/></svg>')


def respond(target: str) -> tuple[int, Any, float]:
    """(status, body, delay in seconds) for a request: the whole API, as a pure function."""
    url = urlsplit(target)
    if url.path == "/__switch":
        SWITCHES.clear()
        SWITCHES.update({k: v[0] for k, v in parse_qs(url.query).items()})
        return 200, {"switches": dict(SWITCHES)}, 0.0
    query = {**SWITCHES, **{k: v[0] for k, v in parse_qs(url.query).items()}}
    delay = int(query.get("delay", "1500")) / 1000 if query.get("delay", "1500").isdigit() \
        else 1.5
    if not url.path.startswith("/api/items/"):
        return 404, {"error": "not_found"}, 0.0
    if query.get("fail") == "500":
        return 500, {"error": "internal"}, delay
    item = ITEMS.get(url.path.removeprefix("/api/items/"))
    if item is None:
        return 404, {"error": "not_found"}, delay
    if query.get("shape") == "bad":
        item = {**item, "author": item["author"]["name"]}
    return 200, item, delay


def serve(port: int, host: str) -> None:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/avatars/"):
                status, data, kind = 200, AVATAR, "image/svg+xml"
            else:
                status, body, delay = respond(self.path)
                time.sleep(delay)  # the API is slow on purpose
                data, kind = json.dumps(body).encode(), "application/json"
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(data)

    print(f"frontend mock API on http://{host}:{port}/api/items/it-208")
    ThreadingHTTPServer((host, port), Handler).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The frontend exercise's mock API.")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--host", default="127.0.0.1")
    args = parser.parse_args()
    serve(args.port, args.host)
