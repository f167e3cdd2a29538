"""Starter for the password-reset pairing round (Python 3.11 or newer, nothing to install).

Share this file with the candidate at the start of the call, unchanged, and run its tests
together:

    python3 -m unittest starter.py

What is here: a users table in an in-memory store with the same interface as the real one,
an email sender stub that records what it would send, a clock the tests can set, and the
two functions to write. The reset-token store is empty on purpose: designing it is part of
the exercise. Names and signatures may change once the pair agrees why.
"""

from __future__ import annotations

import unittest
from dataclasses import dataclass


@dataclass
class User:
    id: int
    email: str
    password_hash: str


class Users:
    """The users table: in memory, with the same interface as the real store."""

    def __init__(self) -> None:
        self._by_id: dict[int, User] = {}

    def add(self, user: User) -> None:
        self._by_id[user.id] = user

    def by_id(self, user_id: int) -> User | None:
        return self._by_id.get(user_id)

    def by_email(self, email: str) -> User | None:
        return next((u for u in self._by_id.values() if u.email == email), None)

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._by_id[user_id].password_hash = password_hash


class ResetTokens:
    """The reset-token table: empty, to design together."""


class EmailSender:
    """A stub: records each email it would send, and sends nothing."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, body: str) -> None:
        self.sent.append((to, body))


class Clock:
    """The time the code sees, in seconds; tests set it and move it on."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self._now = now

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += seconds


def hash_password(password: str) -> str:
    """Stands in for the real password hasher, which is not part of this exercise."""
    return "hashed:" + password


def request_reset(email: str, users: Users, tokens: ResetTokens, sender: EmailSender,
                  clock: Clock) -> None:
    """Email a reset link carrying a token to the user with this email, if there is one."""
    raise NotImplementedError


def reset_password(token: str, new_password: str, users: Users, tokens: ResetTokens,
                   clock: Clock) -> bool:
    """Set the new password if the token is valid, and say whether it was."""
    raise NotImplementedError


class StarterTests(unittest.TestCase):
    def setUp(self) -> None:
        self.users = Users()
        self.users.add(User(1, "ada@example.org", hash_password("old password")))
        self.tokens = ResetTokens()
        self.sender = EmailSender()
        self.clock = Clock()

    def test_the_stubs_work(self) -> None:
        self.assertEqual(self.users.by_email("ada@example.org").id, 1)
        self.sender.send("ada@example.org", "hello")
        self.assertEqual(self.sender.sent, [("ada@example.org", "hello")])
        before = self.clock.now()
        self.clock.advance(30 * 60)
        self.assertEqual(self.clock.now() - before, 1800)


if __name__ == "__main__":
    unittest.main()
