"""After the session: the whole scorecard (time per section against plan, questions,
signals, scores with evidence, recommendation, notes by section) and how to export it."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Markdown, Static

from companion.export.formats import choices_hint
from companion.export.markdown import session_markdown
from companion.export.report import report
from companion.session import Session
from companion.tui.navigation import navigator


class SummaryScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("h", "home", "Home", tooltip="Back to the home screen", id="summary.home"),
        Binding("a", "amend", "Amend", tooltip="Change the scores, recommendation, summary or "
                "post-mortem of this ended session (each change is kept as an amendment)",
                id="summary.amend"),
        Binding("c", "copy", "Copy scorecard", tooltip="Copy the Markdown scorecard to the "
                "clipboard, for pasting into an applicant-tracking system",
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
        self.markdown = session_markdown(report(session.state, session.events))

    def compose(self) -> ComposeResult:
        sid = self.session.id
        yield Static(f" Saved. Export: companion export {sid} --format {choices_hint()} "
                     f"-o FILE   ·   c copies the scorecard", id="export-hint", markup=False)
        with VerticalScroll():
            yield Markdown(self.markdown, id="scorecard")
        yield Footer()

    def on_screen_resume(self) -> None:
        """Back from an amendment: the scorecard as it reads now."""
        markdown = session_markdown(report(self.session.state, self.session.events))
        if markdown != self.markdown:
            self.markdown = markdown
            self.query_one("#scorecard", Markdown).update(markdown)

    def action_amend(self) -> None:
        if self.session.state.status != "ended":
            self.notify("Only an ended session is amended (this one was abandoned).",
                        severity="warning")
            return
        navigator(self).open_amend(self.session.id, current=self.session)

    def action_home(self) -> None:
        navigator(self).go_home()

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.markdown)
        self.notify("Scorecard copied (Markdown). Paste it into the ATS.", markup=False)

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
