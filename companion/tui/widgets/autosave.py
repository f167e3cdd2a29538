"""A text area whose text becomes a session event once typing pauses (and when leaving), so
a summary or post-mortem is never lost, without an event per keystroke. After the session
has ended (`on_idle=False`) each write is an amendment on record, so it is written only when
the user leaves the field or saves; the draft keeps every keystroke until then."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.widgets import TextArea

from companion.clock import Clock

IDLE_SECONDS = 2.0


class AutosaveArea(TextArea):
    def __init__(self, text: str, save: Callable[[str], bool], clock: Clock, *,
                 template: str = "", keep: Callable[[str], None] | None = None,
                 saved: str | None = None, on_idle: bool = True, **kwargs: Any) -> None:
        """`keep`: called with the text at every change (the draft, so a crash between two
        autosaves loses nothing); `saved`: what the record holds, when `text` is a draft;
        `on_idle`: also save when typing pauses (else only on leaving the field, or forced)."""
        super().__init__(text or template, soft_wrap=True, show_line_numbers=False, **kwargs)
        self._save = save
        self._keep = keep
        self._clock = clock
        self.template = template
        self.saved = text if saved is None else saved
        self._last_edit = 0.0
        self._save_on_idle = on_idle

    def on_mount(self) -> None:
        self.cursor_blink = False
        if self._save_on_idle:
            self.set_interval(1.0, self.autosave)

    def on_blur(self) -> None:
        self.autosave(force=True)  # leaving the field saves it

    def on_text_area_changed(self) -> None:
        self._last_edit = self._clock.monotonic()
        if self._keep is not None:
            self._keep(self.value)

    @property
    def value(self) -> str:
        """The text, with an untouched template counting as nothing written."""
        text = self.text.strip()
        return "" if text == self.template.strip() else text

    def autosave(self, force: bool = False) -> bool:
        """Save if changed and typing paused (or forced). False if a save failed."""
        text = self.value
        if text == self.saved or not (force or self._save_on_idle):
            return True
        if force or self._clock.monotonic() - self._last_edit >= IDLE_SECONDS:
            if not self._save(text):
                return False
            self.saved = text
        return True
