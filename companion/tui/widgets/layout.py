"""The live screen's layout and the keys that move around it: the questions and signals
scroll above, the signal strip and the notes timeline stay in sight below; questions fold;
`b` picks the next bank of ten signals. LiveScreen (companion.tui.screens.live) builds on
this and binds the keys; here is what they do."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.screen import Screen

from companion.session import SessionState
from companion.tui.widgets.panes import BANK_SIZE, PromptRow, SignalStrip, numbered_signals
from companion.tui.widgets.timeline import NotesTimeline


class PlanScroll(VerticalScroll, inherit_bindings=False):
    """The questions and signals, scrolling. Without a scroll container's own keys: when it
    has focus (after a dialog), PgUp/PgDn, Home/End and the arrows still do what the live
    screen says (the notes, the question cursor)."""


class LiveLayout(Screen[None]):
    SCOPED_CSS = False  # the rules name this class, so they apply to its subclasses
    DEFAULT_CSS = """
    LiveLayout #body { height: 1fr; }
    LiveLayout #main { width: 1fr; height: 1fr; }
    /* As tall as the questions and signals need, up to 55 %: the signal strip (a line or
       two) and at least three lines of notes always fit below it, never clipped. */
    LiveLayout #plan { height: auto; max-height: 55%; }
    LiveLayout #notes { height: 1fr; min-height: 3; border-top: solid $panel; padding: 0 1; }
    /* Practice: the scratch area is the notes (saved as one at scoring), so the question
       and its signals get the room. */
    LiveLayout.-practice #notes { display: none; }
    LiveLayout.-practice #plan { height: 1fr; max-height: 100%; }
    """

    cursor: int
    folded: bool  # every question but the highlighted one on one line
    signal_bank: int  # b: the digits tick signals 11-20, then 21-30...

    @property
    def state(self) -> SessionState:
        raise NotImplementedError

    def _show_prompts(self) -> None:
        raise NotImplementedError

    def _say(self, message: str, *, error: bool = False) -> None:
        raise NotImplementedError

    def action_scroll_notes(self, direction: int) -> None:
        self.query_one("#notes", NotesTimeline).page(direction)

    def action_notes_oldest(self) -> None:
        self.query_one("#notes", NotesTimeline).to_oldest()

    def action_notes_newest(self) -> None:
        self.query_one("#notes", NotesTimeline).to_newest()

    def action_scroll_plan(self, direction: int) -> None:
        plan = self.query_one("#plan", PlanScroll)
        plan.scroll_relative(y=direction * max(2, plan.size.height - 2), animate=False)

    def action_toggle_fold(self) -> None:
        self.folded = not self.folded
        self._show_prompts()
        self.call_after_refresh(self.scroll_to_cursor)

    def scroll_to_cursor(self) -> None:
        """Bring the highlighted question into view: the first one with the section's
        guidance above it."""
        plan = self.query_one("#plan", PlanScroll)
        rows = list(self.query(PromptRow))
        if self.cursor == 0 or not rows:
            plan.scroll_home(animate=False)
        elif self.cursor < len(rows):
            plan.scroll_to_widget(rows[self.cursor], animate=False)

    def action_signals_in_view(self) -> None:
        """The signal list at the top of the pane; pressed again, back to the question."""
        plan = self.query_one("#plan", PlanScroll)
        signals = self.query_one("#signals")
        top = signals.virtual_region.y
        if top <= 0 or plan.scroll_y == min(top, plan.max_scroll_y):
            self.scroll_to_cursor()
        else:
            plan.scroll_to(y=top, animate=False)

    def action_signal_bank(self) -> None:
        count = len(numbered_signals(self.state.section))
        banks = -(-count // BANK_SIZE)
        if banks <= 1:
            self._say(f"This section has {count} signal{'s' if count != 1 else ''}: "
                      "1-9 and 0 tick them, no b needed.")
            return
        self.signal_bank = (self.signal_bank + 1) % banks
        self.show_bank()

    def show_bank(self, bank: int | None = None) -> None:
        """Set (or just redraw) the bank the digits tick, shown on the signal strip."""
        if bank is not None:
            self.signal_bank = bank
        self.query_one("#strip", SignalStrip).show(self.state, self.signal_bank)
