"""Passwords and session tokens."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

import config
import db


def hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def check_password(user: dict[str, Any], password: str) -> bool:
    return user["password_hash"] == hash_password(password)


def _sign(payload: str) -> str:
    return hmac.new(config.SIGNING_KEY.encode(), payload.encode(), hashlib.sha256).hexdigest()


def new_token(user_id: int) -> str:
    """A session token: user id, expiry time and a signature, joined by dots."""
    expires = int(time.time()) + config.SESSION_HOURS * 3600
    payload = f"{user_id}.{expires}"
    return f"{payload}.{_sign(payload)}"


def user_for_token(token: str) -> dict[str, Any] | None:
    try:
        user_id, expires, signature = token.split(".")
    except ValueError:
        return None
    if signature != _sign(f"{user_id}.{expires}"):
        return None
    if int(expires) < time.time():
        return None
    return db.user_by_id(int(user_id))


def current_user(headers: dict[str, str]) -> dict[str, Any] | None:
    value = headers.get("authorization", "")
    if not value.startswith("Bearer "):
        return None
    return user_for_token(value.removeprefix("Bearer "))
