"""The issue tracker mock for the API-client pair-coding interview (see issues-api.md).

Run it before the call, with Python 3.11 or newer and nothing else installed:

    python3 mock_server.py --port 8080

It prints the token and client credentials to give the candidate. Switch the failure modes
on one at a time, in the order of mock-behaviour.md, from a second terminal:

    curl -X POST localhost:8080/_mock/switch/retry-5xx       # on
    curl -X DELETE localhost:8080/_mock/switch/retry-5xx     # off
    curl localhost:8080/_mock/switches                        # what is on
    curl -X POST localhost:8080/_mock/reset                   # between candidates

The 60-minute plan uses four switches: labels, retry-5xx, rate-limit-429, timeouts-hangs.
Three more (etag-cache, token-refresh, parallel-details) serve further steps of the bank that
the plan does not ask; leave them off. Failures are counted, not random (every 20th request
is a 503, every 50th hangs), so every candidate meets exactly the same conditions.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ISSUES = 12_000
PAGE = 100
SWITCHES = ("labels", "retry-5xx", "rate-limit-429", "timeouts-hangs", "etag-cache",
            "token-refresh", "parallel-details")
CLIENT_ID, CLIENT_SECRET, FIRST_TOKEN = "pair-client", "pair-secret", "tok-start"
STATUSES = ("open", "in_progress", "closed")


def _issue(n: int) -> dict[str, Any]:
    """Issue n of 12,000: the same every run. A third of the issues created before 2019 have
    no priority: about one issue in eight overall."""
    created = datetime(2016, 1, 4, 9, 0, tzinfo=UTC) + timedelta(hours=6 * n)
    old = created.year < 2019
    return {
        "id": n,
        "title": f"Issue {n}: {('Export', 'Login', 'Search', 'Billing', 'Sync')[n % 5]} "
                 f"{('fails', 'is slow', 'shows the wrong total', 'times out')[n % 4]}",
        "status": STATUSES[n % 3],
        "priority": None if old and n % 3 == 0 else 1 + n % 4,
        "assignee": None if n % 7 == 0 else f"user-{100 + n % 40}",
        "created_at": created.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "updated_at": (created + timedelta(days=n % 9)).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }


@dataclass
class Reply:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (the hang)


@dataclass
class Mock:
    """All the mock's state; `handle` is a pure step over it, given the time."""

    issues: list[dict[str, Any]] = field(
        default_factory=lambda: [_issue(n) for n in range(ISSUES, 0, -1)])  # newest first
    on: set[str] = field(default_factory=set)
    tokens: dict[str, float] = field(default_factory=lambda: {FIRST_TOKEN: float("inf")})
    requests: int = 0
    recent: dict[str, deque[float]] = field(default_factory=dict)
    in_flight: dict[str, int] = field(default_factory=dict)
    version: int = 0

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes,
               now: float) -> Reply:
        url = urlsplit(target)
        path, query = url.path.rstrip("/") or "/", parse_qs(url.query)
        if path.startswith("/_mock"):
            return self._admin(method, path)
        if method == "POST" and path == "/tokens":
            return self._token(body, now)
        token = headers.get("authorization", "").removeprefix("Bearer ").strip()
        expiry = self.tokens.get(token)
        if expiry is None or now >= expiry:
            return Reply(401, {"error": "invalid_token"})
        self.requests += 1
        if "rate-limit-429" in self.on:
            window = self.recent.setdefault(token, deque())
            while window and window[0] <= now - 60:
                window.popleft()
            if len(window) >= 60:
                return Reply(429, {"error": "rate_limited"}, {"Retry-After": "5"})
            window.append(now)
        if "parallel-details" in self.on and self.in_flight.get(token, 0) > 10:
            return Reply(429, {"error": "too_many_in_flight"}, {"Retry-After": "1"})
        if "retry-5xx" in self.on and self.requests % 20 == 0:
            return Reply(503, {"error": "overloaded"})
        delay = 30.0 if "timeouts-hangs" in self.on and self.requests % 50 == 0 else 0.0
        reply = self._route(method, path, query, headers, body)
        reply.delay = delay
        return reply

    def _route(self, method: str, path: str, query: dict[str, list[str]],
               headers: dict[str, str], body: bytes) -> Reply:
        if method == "GET" and path == "/issues":
            return self._list(query, headers)
        if method == "GET" and path.startswith("/issues/"):
            wanted = path.removeprefix("/issues/")
            found = next((i for i in self.issues if str(i["id"]) == wanted), None)
            return Reply(200, self._shown(found)) if found else Reply(404, {"error": "not_found"})
        if method == "POST" and path == "/issues":
            return self._create(body)
        return Reply(404, {"error": "not_found"})

    def _shown(self, issue: dict[str, Any]) -> dict[str, Any]:
        if "labels" in self.on:
            return {**issue, "labels": ["triaged"] if issue["id"] % 3 == 0 else []}
        return issue

    def _list(self, query: dict[str, list[str]], headers: dict[str, str]) -> Reply:
        try:
            raw = query.get("cursor", [""])[0]
            offset = int(base64.urlsafe_b64decode(raw.encode() + b"==").decode()
                         .removeprefix("offset=")) if raw else 0
        except ValueError:
            return Reply(400, {"error": "bad_cursor"})
        status = query.get("status", [""])[0]
        chosen = [i for i in self.issues if not status or i["status"] == status]
        page = [self._shown(i) for i in chosen[offset:offset + PAGE]]
        more = offset + PAGE < len(chosen)
        cursor = base64.urlsafe_b64encode(f"offset={offset + PAGE}".encode()).decode().rstrip(
            "=") if more else None
        reply = Reply(200, {"items": page, "next_cursor": cursor})
        if "etag-cache" in self.on:
            tag = '"' + hashlib.sha256(f"{self.version}/{status}/{offset}/{sorted(self.on)}"
                                       .encode()).hexdigest()[:16] + '"'
            reply.headers["ETag"] = tag
            if headers.get("if-none-match") == tag:
                return Reply(304, None, {"ETag": tag})
        return reply

    def _create(self, body: bytes) -> Reply:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return Reply(400, {"error": "bad_json"})
        title = data.get("title") if isinstance(data, dict) else None
        if not isinstance(title, str) or not 0 < len(title.strip()) <= 200:
            return Reply(422, {"error": "invalid", "field": "title"})
        priority = data.get("priority")
        if priority is not None and priority not in (1, 2, 3, 4):
            return Reply(422, {"error": "invalid", "field": "priority"})
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        issue = {"id": max(i["id"] for i in self.issues) + 1, "title": title.strip(),
                 "status": "open", "priority": priority, "assignee": None,
                 "created_at": now, "updated_at": now}
        self.issues.insert(0, issue)
        self.version += 1
        return Reply(201, self._shown(issue))

    def _token(self, body: bytes, now: float) -> Reply:
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return Reply(400, {"error": "bad_json"})
        if not isinstance(data, dict) or (data.get("client_id"), data.get("client_secret")) != (
                CLIENT_ID, CLIENT_SECRET):
            return Reply(401, {"error": "invalid_client"})
        token = f"tok-{len(self.tokens)}"
        lifetime = 900 if "token-refresh" in self.on else 86_400
        self.tokens[token] = now + lifetime
        if "token-refresh" in self.on:  # from now on the first token expires too
            self.tokens[FIRST_TOKEN] = min(self.tokens[FIRST_TOKEN], now + lifetime)
        return Reply(200, {"access_token": token, "expires_in": lifetime})

    def _admin(self, method: str, path: str) -> Reply:
        if path == "/_mock/switches":
            return Reply(200, {"on": sorted(self.on), "all": list(SWITCHES)})
        if path == "/_mock/reset" and method == "POST":
            self.__init__()  # type: ignore[misc]
            return Reply(200, {"on": []})
        name = path.removeprefix("/_mock/switch/")
        if name not in SWITCHES:
            return Reply(404, {"error": f"no switch '{name}'", "all": list(SWITCHES)})
        if method == "POST":
            self.on.add(name)
            if name == "token-refresh":
                self.tokens[FIRST_TOKEN] = min(self.tokens[FIRST_TOKEN], time.time() + 900)
        elif method == "DELETE":
            self.on.discard(name)
        return Reply(200, {"on": sorted(self.on)})


def serve(port: int, host: str = "127.0.0.1") -> None:
    mock, lock = Mock(), threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(length, 1_000_000))
            headers = {k.lower(): v for k, v in self.headers.items()}
            token = headers.get("authorization", "").removeprefix("Bearer ").strip()
            with lock:
                mock.in_flight[token] = mock.in_flight.get(token, 0) + 1
                reply = mock.handle(self.command, self.path, headers, body, time.time())
            try:
                if reply.delay:
                    time.sleep(reply.delay)  # the hang the candidate must time out on
                data = b"" if reply.body is None else json.dumps(reply.body).encode()
                self.send_response(reply.status)
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                if data:
                    self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            finally:
                with lock:
                    mock.in_flight[token] -= 1

        do_GET = do_POST = do_DELETE = _any

    print(f"issue tracker mock on http://{host}:{port}\n"
          f"token: {FIRST_TOKEN}   client_id: {CLIENT_ID}   client_secret: {CLIENT_SECRET}")
    ThreadingHTTPServer((host, port), Handler).serve_forever()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="The API-client interview's mock.")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--host", default="127.0.0.1",
                        help="0.0.0.0 to let the candidate's machine reach it")
    args = parser.parse_args()
    serve(args.port, args.host)
