"""A tiny request router, vendored from the tinyroute micro-framework, version 0.4.1.

Copied in 2021 so the app has no packages to install. It has no server of its own: the
deployment's front end calls dispatch() with each parsed request.
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import config


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    params: dict[str, str] = field(default_factory=dict)

    def json(self) -> Any:
        return json.loads(self.body or b"{}")


@dataclass
class Response:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]
_routes: list[tuple[str, re.Pattern[str], Handler]] = []


def route(method: str, pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler: @route("GET", "/notes/<note_id>")."""
    regex = re.compile("^" + re.sub(r"<(\w+)>", r"(?P<\1>[^/]+)", pattern) + "$")

    def register(handler: Handler) -> Handler:
        _routes.append((method, regex, handler))
        return handler

    return register


def dispatch(request: Request) -> Response:
    for method, regex, handler in _routes:
        match = regex.match(request.path)
        if match and method == request.method:
            request.params = match.groupdict()
            try:
                return handler(request)
            except Exception:
                if config.DEBUG:
                    return Response(500, {"error": traceback.format_exc()})
                return Response(500, {"error": "internal error"})
    return Response(404, {"error": "not found"})
