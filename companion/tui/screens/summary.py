"""After the session: the whole scorecard (time per section against plan, questions,
signals, scores with evidence, recommendation, notes by section) and how to export it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, Static

from companion.export.clipboard import CopyOutcome
from companion.export.formats import choices_hint
from companion.export.markdown import session_markdown
from companion.export.report import report
from companion.session import Session
from companion.tui.navigation import navigator
from companion.tui.widgets.footer import KeysFooter


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "home", "Home", tooltip="Back to the home screen", id="summary.home"),
        Binding("a", "amend", "Amend", tooltip="Change the scores, recommendation, summary or "
                "post-mortem of this ended session (each change is kept as an amendment)",
                id="summary.amend"),
        Binding("c", "copy", "Copy scorecard", tooltip="Copy the scorecard as plain text, for "
                "pasting into an applicant-tracking system (the clipboard tool, else the "
                "terminal's clipboard; a file holds it whenever no tool took it)",
                id="summary.copy"),
        Binding("q", "app.quit", "Quit", tooltip="Quit companion", id="summary.quit"),
        Binding("f1", "help", "Help", tooltip="All keys", id="summary.help"),
    ]
    DEFAULT_CSS = """
    SummaryScreen #export-hint { height: auto; padding: 0 1; background: $panel; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.markdown = self._card()

    def compose(self) -> ComposeResult:
        sid = self.session.id
        yield Static(f" Saved. Export: companion export {sid} --format {choices_hint()} "
                     f"-o FILE · c copies it", id="export-hint", markup=False)
        with VerticalScroll():
            yield Markdown(self.markdown, id="scorecard")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        """Back from an amendment: the scorecard as it reads now."""
        markdown = self._card()
        if markdown != self.markdown:
            self.markdown = markdown
            self.query_one("#scorecard", Markdown).update(markdown)

    def _card(self) -> str:
        """The scorecard with its amendments; the seal is for the exports (made from the
        database, which holds it), so the event log is left out of what is rendered."""
        r = report(self.session.state, self.session.events)
        r["events"] = None
        return session_markdown(r)

    def action_amend(self) -> None:
        if self.session.state.status != "ended":
            self.notify("Only an ended session is amended (this one was abandoned).",
                        severity="warning")
            return
        navigator(self).open_amend(self.session.id, current=self.session)

    def action_home(self) -> None:
        navigator(self).go_home()

    def action_copy(self) -> None:
        """The plain-text scorecard to the clipboard, saying truly where it went: a tool may
        take up to its timeout, so it runs off the screen's thread."""
        from companion.export.plaintext import session_text

        text = session_text(report(self.session.state, self.session.events))
        self.run_worker(lambda: self._copy(text), thread=True, exclusive=True, group="copy")

    def _on_a_terminal(self) -> bool:
        """OSC 52 needs a real terminal to draw on (not a headless run, not a pipe)."""
        import sys

        stream = sys.__stdout__
        return not self.app.is_headless and stream is not None and stream.isatty()

    def _copy(self, text: str) -> None:
        import os

        from companion.export import clipboard
        from companion.paths import user_cache_dir

        osc52 = clipboard.osc52_reaches(os.environ, self._on_a_terminal())
        outcome = clipboard.copy_text(text, os.environ, user_cache_dir(),
                                      f"scorecard-{self.session.id}.txt", osc52=osc52)
        self.app.call_from_thread(self._copied, outcome, text)

    def _copied(self, outcome: CopyOutcome, text: str) -> None:
        if outcome.osc52:
            self.app.copy_to_clipboard(text)
        self.notify(outcome.message(), markup=False, timeout=10,
                    severity="information" if outcome.tool or outcome.osc52 else "warning")

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
