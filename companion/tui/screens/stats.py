"""The practice trend: totals over time as a Sparkline, averages per criterion with the
weakest named, time per section against plan, reps, and the advice on the last five."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Sparkline, Static

from companion.content.library import Library
from companion.practice.stats import (
    PracticeStats,
    practice_records,
    practice_stats,
    question_pace_words,
)
from companion.store.database import Store, StoreError
from companion.tui.text import plain
from companion.tui.widgets.footer import KeysFooter


def stats_body(result: PracticeStats) -> Text:
    text = Text()
    if not result.sessions:
        text.append("No practice yet.\n\n", style="bold")
        text.append("Start one from home (pick a plan in the practice group) or with "
                    "`companion practice`. After a few sessions this shows your totals, "
                    "your weakest criterion and what to change.")
        return text
    text.append(f"{result.sessions} practice session(s), {result.scored} scored\n",
                style="bold")
    if result.totals:
        series = "  ".join(f"{t.total}/{t.max}" for t in result.totals[-12:])
        text.append(f"Totals, oldest first: {series}\n")
    weakest = result.weakest
    if weakest:
        text.append("\nWeakest: ", style="bold")
        text.append_text(plain(weakest.title))
        text.append(f" (average {weakest.average:.2f}/2)\n")
        for c in result.criteria:
            bar = "█" * round(c.average * 5) + "░" * (10 - round(c.average * 5))
            text.append(f"  {bar} {c.average:.2f}  ")
            text.append_text(plain(c.title))
            text.append("\n")
    text.append("\nAdvice on the last five of each plan\n", style="bold")
    for entry in result.advice:
        mark = "✗ below" if entry.below else "✓ at or above"
        text.append(f"  {entry.plan_id}: {entry.average:.1f}/{entry.max} "
                    f"({mark} {entry.threshold})\n")
        if entry.suggestion:
            text.append(f"    {entry.suggestion}\n", style="italic")
    text.append("\nTime per section, average against plan\n", style="bold")
    for row in result.section_times:
        plan_text = f"{row.planned_seconds / 60:g} min" if row.planned_seconds else "untimed"
        text.append(f"  {row.plan_id} / ")
        text.append_text(plain(row.section))
        text.append(f": {row.average_used_seconds / 60:.1f} min of {plan_text}\n")
    paced = question_pace_words(result.question_pace)
    if paced:
        text.append("\nTime per question, against its budget (oldest first)\n", style="bold")
        text.append(f"  {paced}\n")
    text.append("\nReps per week: " + ", ".join(
        f"{week} {count}" for week, count in result.reps_per_week.items()))
    return text


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,h", "app.pop_screen", "Back", tooltip="Back", id="stats.back"),
        Binding("f1", "help", "Help", tooltip="All keys", id="stats.help"),
    ]
    DEFAULT_CSS = """
    StatsScreen #stats-title { height: 1; padding: 0 1; background: $panel; }
    StatsScreen Sparkline { height: 3; margin: 1 1 0 1; }
    StatsScreen #stats-body { padding: 0 1; }
    """

    def __init__(self, store: Store, library: Library | None,
                 candidate: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.library = library
        self.candidate = candidate

    def compose(self) -> ComposeResult:
        yield Static(" Practice trend (totals over time)", id="stats-title", markup=False)
        yield Sparkline([], id="trend")
        with VerticalScroll():
            yield Static(id="stats-body", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#stats-body", Static).update("Reading your practice history…")
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        """Replaying every practice session is a long read: off the UI thread, on its own
        connection (a connection belongs to the thread that made it)."""
        try:
            with Store(self.store.path) as store:
                history = practice_records(store, self.candidate)
        except StoreError as err:
            self.app.call_from_thread(self.notify, str(err), severity="error", markup=False)
            history = []
        self.app.call_from_thread(self.show, practice_stats(history, self.library))

    def show(self, result: PracticeStats) -> None:
        self.query_one("#trend", Sparkline).data = [t.total for t in result.totals]
        self.query_one("#stats-body", Static).update(stats_body(result))

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
