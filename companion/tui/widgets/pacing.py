"""The pacing line under the timer: ahead or behind the plan in words and a glyph, the
protected end's warning, the current question's budget and what is left of the section
(companion.pacing does the arithmetic, from the state in memory: no database read)."""

from __future__ import annotations

from textual.widgets import Static

from companion.pacing import GLYPH_BEHIND, pace, pace_fitted
from companion.session import SessionState
from companion.tui.text import plain


class PacingLine(Static):
    """One line. `show` runs at every tick; the line is redrawn only when its words change
    (whole minutes: about once a minute), and `updates` counts the redraws."""

    DEFAULT_CSS = """
    PacingLine { height: 1; padding: 0 1; color: $text-muted; }
    PacingLine.-behind { color: $warning; }
    PacingLine.-warning { color: $error; text-style: bold; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.words = ""
        self.updates = 0

    def show(self, state: SessionState, now: float, highlighted: str | None = None) -> None:
        p = pace(state, now, highlighted)
        width = self.size.width or self.app.size.width - 2  # before the first layout
        words = pace_fitted(p, width)  # a narrow screen: fewer words, never a cut one
        if words == self.words:
            return
        self.words = words
        self.updates += 1
        self.set_class(words.startswith(GLYPH_BEHIND), "-behind")
        self.set_class(p.protected is not None, "-warning")
        self.display = bool(words)
        line = plain(words)  # a section title is user text: shown as typed, never markup
        line.no_wrap, line.overflow = True, "ellipsis"
        self.update(line)
