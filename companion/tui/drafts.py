"""Text typed on a screen and not yet an event (evidence, a summary, a post-mortem, a dialog's
text, and which screen the session was on): kept in the store, one draft per session and
field, as each change arrives, so a crash loses nothing typed. Cleared once it is saved as
an event, or when the user cancels it."""

from __future__ import annotations

from collections.abc import Callable

from companion.clock import Clock
from companion.store.database import LeaseLost, Store, StoreError

SCREEN = "screen"  # the draft field that says which after-call screen was open


class Drafts:
    def __init__(self, store: Store, session_id: str, clock: Clock,
                 told: Callable[[str], None]) -> None:
        self.store = store
        self.session_id = session_id
        self.clock = clock
        self._told = told  # how a failed save is said (once per message)
        self._last_error = ""

    def get(self, field: str) -> str:
        try:
            return self.store.draft(self.session_id, field)
        except StoreError as err:
            self._tell(err)
            return ""

    def keep(self, field: str) -> Callable[[str], None]:
        """A callback that saves the field's text as it is now (call it on every change)."""
        def save(text: str) -> None:
            self.put(field, text)
        return save

    def put(self, field: str, text: str) -> None:
        try:
            self.store.save_draft(self.session_id, text, self.clock.wall(), field)
            self._last_error = ""
        except LeaseLost:
            pass  # the live screen says so; nothing more is written from here
        except StoreError as err:
            self._tell(err)

    def clear(self, field: str) -> None:
        self.put(field, "")

    def then_clear(self, field: str,
                   done: Callable[[str | None], None]) -> Callable[[str | None], None]:
        """A dialog's callback that clears the field's draft (its text is saved, or the
        user cancelled it), then does what `done` does."""
        def finished(text: str | None) -> None:
            self.clear(field)
            done(text)
        return finished

    def _tell(self, err: StoreError) -> None:
        message = f"Draft not saved yet (retrying): {err}"
        if message != self._last_error:
            self._last_error = message
            self._told(message)
