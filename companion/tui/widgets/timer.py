"""The section countdown. It draws in render() and is refreshed by the screen's tick, which
is cheaper than updating a Label (no re-layout): this runs beside a video call."""

from __future__ import annotations

from rich.text import Text
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

    def tick(self) -> None:
        """Redraw only when what it shows changes: once a second while running, not at
        every tick (this runs beside a video call)."""
        state = self.session.state
        now = self.session.now()
        key = (state.current, state.status, int(state.section_used(state.current, now)),
               int(state.total_used(now)),
               None if self.think_left is None else int(self.think_left), self.size)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def render(self) -> Text:
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
        line1 = Text()
        line1.append(f"{glyph} ", style=style)
        if word:
            line1.append(f"{word} ", style=style)
        line1.append(f"{clock_text}", style=style)
        title = visible(section.plan.title)
        line1.append(f" │ {index + 1}/{len(state.sections)} ")
        room = width - line1.cell_len
        line1.append(fit(title, max(0, room)),
                     style="bold")
        total = state.total_used(now)
        overall = f" {mmss(total)}"
        if state.planned_total:
            overall += f"/{mmss(state.planned_total)}"
        line2 = Text()
        bar_width = max(4, width - len(overall) - 8)
        if planned:
            fraction = min(1.0, used / planned) if planned else 0.0
            filled = round(fraction * bar_width)
            line2.append("█" * filled, style=style if current_phase != "ok" else "")
            line2.append("░" * (bar_width - filled), style="dim")
        else:
            line2.append("·" * bar_width, style="dim")
        line2.append(f" total{overall}", style="dim")
        return Text("\n").join([line1, line2])
