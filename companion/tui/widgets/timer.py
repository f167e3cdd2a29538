"""The section countdown. It draws its two lines as strips (Textual's line API) and is
refreshed by the screen's tick only when a shown figure changes, which is cheaper than
updating a Label (no re-layout): this runs beside a video call."""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from companion.clock import mmss
from companion.session import Session
from companion.textsafe import visible
from companion.tui.text import fit

WARN_SECONDS = 120.0


def warn_threshold(planned: float) -> float:
    """The last 2 minutes, or the last 10 % of a short section."""
    return min(WARN_SECONDS, 0.1 * planned)


def phase(left: float | None, planned: float | None) -> str:
    """'untimed', 'ok', 'warning' or 'overtime' for a section's time left."""
    if left is None or planned is None:
        return "untimed"
    if left < 0:
        return "overtime"
    if left <= warn_threshold(planned):
        return "warning"
    return "ok"


class TimerBar(Widget):
    """Two lines: state, section and countdown; a bar and the overall time."""

    DEFAULT_CSS = """
    TimerBar { height: 2; padding: 0 1; }
    """

    def __init__(self, session: Session, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.session = session
        self.think_left: float | None = None  # practice think time before the clock runs
        self._shown: tuple[object, ...] = ()
        self._strips: list[Strip] = []

    def _key(self) -> tuple[object, ...]:
        """What the two lines show, to the second: they are redrawn only when it changes."""
        state = self.session.state
        now = self.session.now()
        return (id(self.session), state.current, state.status,
                int(state.section_used(state.current, now)), int(state.total_used(now)),
                None if self.think_left is None else int(self.think_left), self.size)

    def tick(self) -> None:
        """Redraw only when what it shows changes: once a second while running, not at
        every tick (this runs beside a video call)."""
        if self._key() != self._shown:
            self.refresh()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Two strips made from segments once a second: a Text through render() cost about
        # 1 ms a frame, most of the idle CPU of a running session.
        key = self._key()
        if key != self._shown:
            self._shown = key
            base = self.rich_style  # a walk up the DOM: once, not per line
            width = self.size.width
            self._strips = [
                Strip([Segment(text, Style.parse(style) if style else None)
                       for text, style in line if text]
                      ).adjust_cell_length(width).apply_style(base)
                for line in self._lines()]
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def _lines(self) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
        """The two lines as (text, style) runs."""
        state = self.session.state
        now = self.session.now()
        index = state.current
        section = state.sections[index]
        planned = section.planned
        used = state.section_used(index, now)
        left = None if planned is None else planned - used
        current_phase = phase(left, planned)
        if self.think_left is not None:
            glyph, word, style = "…", f"THINK {mmss(self.think_left)}, then the clock starts", (
                "bold")
        elif state.finished:
            glyph, word, style = "■", state.status.upper(), "bold"
        elif not state.running:
            glyph, word, style = "‖", "PAUSED", "bold reverse"
        elif current_phase == "overtime":
            word = "TIME UP" if state.mode == "practice" else "OVER TIME"
            glyph, style = "▲", "bold reverse red"
        elif current_phase == "warning":
            glyph, word, style = "△", "WRAP UP", "bold yellow"
        else:
            glyph, word, style = "▶", "", "bold"
        if left is None:
            clock_text = f"{mmss(used)} used"
        elif left < 0:
            clock_text = f"+{mmss(-left)}"
        else:
            clock_text = f"{mmss(left)} left"
        width = max(20, self.size.width - 2)
        head = f"{glyph} " + (f"{word} " if word else "") + clock_text
        place = f" │ {index + 1}/{len(state.sections)} "
        room = width - cell_len(head) - cell_len(place)
        line1 = [(head, style), (place, ""),
                 (fit(visible(section.plan.title), max(0, room)), "bold")]
        total = state.total_used(now)
        overall = f" {mmss(total)}"
        if state.planned_total:
            overall += f"/{mmss(state.planned_total)}"
        bar_width = max(4, width - len(overall) - 8)
        line2: list[tuple[str, str]]
        if planned:
            filled = round(min(1.0, used / planned) * bar_width)
            line2 = [("█" * filled, style if current_phase != "ok" else ""),
                     ("░" * (bar_width - filled), "dim")]
        else:
            line2 = [("·" * bar_width, "dim")]
        line2.append((f" total{overall}", "dim"))
        return line1, line2
