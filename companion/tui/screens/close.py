"""Closing a session, after the rubric: the recommendation on the plan's scale and a short
written summary (interview), the summary alone (checklist), or the post-mortem (practice).
The session ends only when what the mode asks for is given or explicitly skipped."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from companion.clock import iso
from companion.session import Session, SessionError, SessionState
from companion.store.database import StoreError
from companion.textsafe import visible
from companion.tui.drafts import SCREEN, Drafts
from companion.tui.navigation import navigator
from companion.tui.screens.confirm import Confirm
from companion.tui.text import plain
from companion.tui.widgets.autosave import AutosaveArea
from companion.tui.widgets.footer import KeysFooter

POSTMORTEM_TEMPLATE = "What went well:\n\nWhat to change:\n\nWhat to drill next:\n"


class ScalePicker(Widget, can_focus=True):
    """The recommendation scale: `(●)` chosen, `( )` not. Digits choose, s skips."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"choose({n - 1})", f"Choose {n}", show=False,
                    tooltip=f"Choose option {n} of the scale", id=f"close.choose{n}")
            for n in range(1, 10)
        ],
        Binding("s", "skip", "Skip", tooltip="Skip the recommendation (recorded as skipped)",
                id="close.skip"),
    ]
    DEFAULT_CSS = """
    ScalePicker { height: auto; padding: 0 1; border-left: blank; }
    ScalePicker:focus { border-left: thick $accent; background: $boost; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="scale")
        self.session = session

    def render(self) -> Text:
        state = self.session.state
        count = len(state.plan.recommendation_scale)
        text = Text(f"Recommendation (1-{count} chooses, s skips)\n", style="bold")
        for number, option in enumerate(state.plan.recommendation_scale, 1):
            chosen = state.recommendation == option
            text.append(f"  {'(●)' if chosen else '( )'} {number} ",
                        style="bold reverse" if chosen else "")
            text.append_text(plain(option, "bold" if chosen else ""))
            text.append("\n")
        if state.recommendation_skipped and state.events and not state.recommendation:
            text.append("  skipped", style="italic")
        text.rstrip()
        return text

    class Chosen(Message):
        """The user chose an option of the scale (None: skipped); the screen saves it."""

        def __init__(self, value: str | None) -> None:
            super().__init__()
            self.value = value

    def action_choose(self, index: int) -> None:
        scale = self.session.state.plan.recommendation_scale
        if index < len(scale):
            self.post_message(self.Chosen(scale[index]))

    def action_skip(self) -> None:
        self.post_message(self.Chosen(None))


class CloseScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "end", "End session", tooltip="Save and end the session",
                id="close.end"),
        Binding("escape", "back", "Back", tooltip="Back to the rubric", id="close.back"),
        Binding("f1", "help", "Help", tooltip="All keys", id="close.help"),
    ]
    DEFAULT_CSS = """
    CloseScreen #close-title { height: 1; padding: 0 1; background: $panel; }
    CloseScreen TextArea { height: 10; }
    CloseScreen .label { padding: 1 1 0 1; text-style: bold; }
    """

    def __init__(self, session: Session, drafts: Drafts | None = None) -> None:
        super().__init__()
        self.session = session
        self.drafts = drafts
        self.mode = session.state.mode
        # Ended already: an amendment (or a pending scorecard finished after the call).
        self.amending = session.state.finished

    def _current_saved(self) -> str:
        state = self.session.state
        return state.postmortem if self.mode == "practice" else state.summary

    def compose(self) -> ComposeResult:
        yield Static(id="close-title", markup=False)
        with VerticalScroll():
            if self.mode == "interview":
                yield ScalePicker(self.session)
            label = ("Post-mortem: what went well, what to change, what to drill next"
                     if self.mode == "practice" else "Summary for the debrief (a few lines)")
            yield Static(label, classes="label", markup=False)
            template = POSTMORTEM_TEMPLATE if self.mode == "practice" else ""
            operation = (self.session.set_postmortem if self.mode == "practice"
                         else self.session.set_summary)
            field = "postmortem" if self.mode == "practice" else "summary"
            saved = self._current_saved()
            kept = self.drafts.get(field) if self.drafts else ""
            yield AutosaveArea(kept or saved, lambda text: self.save(operation, text),
                               self.session.clock, template=template,
                               keep=self.drafts.keep(field) if self.drafts else None,
                               saved=saved, on_idle=not self.amending, id="text")
            yield Static("Ctrl+S saves and shows the scorecard · Esc back to the rubric · Tab "
                         "moves" if self.amending else
                         "Ctrl+S ends the session · Esc back to the rubric · Tab moves",
                         classes="label", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.drafts is not None:
            self.drafts.put(SCREEN, "close")  # a resume comes back here
        state = self.session.state
        self.query_one("#close-title", Static).update(
            f" {amending_words(state) if self.amending else 'Close'} · "
            f"{visible(state.plan.title)} · {visible(state.candidate)}")
        first = "#scale" if self.mode == "interview" else "#text"
        self.query_one(first).focus()

    def on_scale_picker_chosen(self, message: ScalePicker.Chosen) -> None:
        self.save(self.session.set_recommendation, message.value)
        self.query_one(ScalePicker).refresh(layout=True)

    def save(self, operation: Callable[..., object], *args: object) -> bool:
        try:
            operation(*args)
        except SessionError as err:
            self.notify(str(err), severity="warning", markup=False)
            return False
        except StoreError as err:
            self.notify(f"NOT SAVED: {err}", severity="error", markup=False)
            return False
        return True

    @property
    def text_area(self) -> AutosaveArea:
        return self.query_one("#text", AutosaveArea)

    def action_back(self) -> None:
        self.text_area.autosave(force=True)
        self.dismiss()

    def action_end(self) -> None:
        if not self.text_area.autosave(force=True):
            return
        state = self.session.state
        if self.mode == "interview" and state.recommendation is None and not (
                state.recommendation_skipped):
            count = len(state.plan.recommendation_scale)
            self.notify(f"Choose a recommendation (1-{count}) or skip it (s) first.",
                        severity="warning")
            self.query_one("#scale").focus()
            return
        if not self.text_area.value:
            what = "post-mortem" if self.mode == "practice" else "summary"

            def go(yes: bool | None) -> None:
                if yes:
                    self._end()

            if self.amending:
                self.app.push_screen(Confirm(f"Save without a {what}?",
                                             "Press a on the summary to add it later."), go)
            else:
                self.app.push_screen(Confirm(f"End without a {what}?", "You can still add it "
                                             "later: a on the summary amends it."), go)
            return
        self._end()

    def _end(self) -> None:
        if self.save(self.session.end):
            navigator(self).open_summary(self.session)

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))


class AmendCloseScreen(CloseScreen):
    """The close screen of an ended session: Ctrl+S saves what was changed (each field once,
    as the amendment on record) and shows the scorecard; the session stays ended."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "end", "Save", tooltip="Save the amendments and show the scorecard",
                id="close.save"),
    ]


def amending_words(state: SessionState) -> str:
    """`Amending (ended 14:02 UTC)`: the title of the after-call screens of an ended session."""
    ended = f" (ended {iso(state.ended_at)[11:16]} UTC)" if state.ended_at else ""
    return f"Amending{ended}"
