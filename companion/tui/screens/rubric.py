"""The rubric: each criterion 0 / 1 / 2 with its anchor sentence and an evidence line, the
evidence hints (ticked signals, flagged notes, asked questions that exercise it), and the
total against the plan's pass mark. Every change is a score_set event."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Key
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from companion.clock import mmss
from companion.model import Criterion
from companion.session import Session, SessionError, SessionState
from companion.store.database import StoreError
from companion.textsafe import visible
from companion.tui.drafts import SCREEN, Drafts
from companion.tui.navigation import navigator
from companion.tui.screens.close import POSTMORTEM_TEMPLATE, amending_words
from companion.tui.screens.confirm import Confirm
from companion.tui.screens.text_prompt import TextPrompt
from companion.tui.text import plain
from companion.tui.widgets.autosave import AutosaveArea
from companion.tui.widgets.footer import KeysFooter


def _b(key: str, action: str, description: str, tooltip: str, show: bool = True) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip,
                   id=f"rubric.{action.split('(')[0]}")


class CriterionRow(Widget, can_focus=True):
    """One criterion. Focus it, then 0 / 1 / 2 scores it and Enter edits its evidence."""

    DEFAULT_CSS = """
    CriterionRow { height: auto; padding: 0 1; border-left: blank; }
    CriterionRow:focus { border-left: thick $accent; background: $boost; }
    """

    def __init__(self, criterion: Criterion, number: int) -> None:
        super().__init__(id=f"criterion-{criterion.id}")
        self.criterion = criterion
        self.number = number
        self.state: SessionState | None = None

    def show(self, state: SessionState) -> None:
        self.state = state
        self.refresh(layout=True)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def render(self) -> Text:
        c = self.criterion
        score = self.state.scores.get(c.id) if self.state else None
        text = Text()
        # The focused criterion says so in a glyph, not by its colour alone.
        text.append("▶ " if self.has_focus else "  ", style="bold")
        text.append(f"{self.number}. ", style="bold")
        text.append_text(plain(c.title, "bold"))
        text.append("   ")
        for level in range(3):
            chosen = score is not None and score.score == level
            text.append(f"[{level}]" if not chosen else f"({level}●)",
                        style="bold reverse" if chosen else "dim")
            text.append(" ")
        if score is None:
            text.append(" not scored", style="italic")
        text.append("\n")
        if score is not None:
            text.append("   ")
            text.append_text(plain(c.anchors[score.score], "italic"))
            text.append("\n   evidence: ", style="dim")
            if score.evidence.strip():
                text.append_text(plain(score.evidence))
            else:
                text.append("none given (Enter adds it)", style="bold")
        else:
            for level in range(3):
                text.append(f"   {level}: ", style="dim")
                text.append_text(plain(c.anchors[level], "dim"))
                text.append("\n")
            text.rstrip()
        return text


POSTMORTEM_LABEL = "  Post-mortem (Tab here to write it; saved as you pause typing)"
POSTMORTEM_FOCUSED = "▶ Post-mortem: WRITING (saved as you pause typing; Tab back to the criteria)"


class CriteriaScroll(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The criteria's scrolling column: no Tab stop of its own (focus stays on a criterion
    or the post-mortem), and none of the container's keys, so up and down reach the
    screen and move between criteria (the focused criterion scrolls into view)."""


class RubricScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        _b("0", "score(0)", "Score 0", "Score the highlighted criterion 0"),
        _b("1", "score(1)", "Score 1", "Score the highlighted criterion 1"),
        _b("2", "score(2)", "Score 2", "Score the highlighted criterion 2"),
        _b("enter,e", "evidence", "Evidence", "Write the evidence for the highlighted score"),
        _b("c", "clear", "Clear", "Remove the highlighted score", show=False),
        _b("j,down", "move(1)", "Next criterion", "Highlight the next criterion", show=False),
        _b("k,up", "move(-1)", "Previous criterion", "Highlight the previous criterion",
           show=False),
        _b("ctrl+n", "finish", "Finish", "Go on: recommendation and summary, then end"),
        _b("escape", "back", "Back", "Back to the live screen (scores are saved)"),
        _b("f1,question_mark", "help", "Help", "All keys", show=False),
    ]
    DEFAULT_CSS = """
    RubricScreen #rubric-title { height: auto; padding: 0 1; background: $panel; }
    RubricScreen #total { height: auto; padding: 0 1; border-top: solid $panel; }
    RubricScreen #hints { height: auto; padding: 0 1; color: $text-muted;
                          border-top: solid $panel; }
    RubricScreen #look-fors { height: auto; padding: 0 1; border-bottom: solid $panel; }
    RubricScreen .label { padding: 1 1 0 1; text-style: bold; }
    RubricScreen #postmortem { height: 8; }
    RubricScreen #postmortem:focus { border: thick $accent; }
    RubricScreen .label.-writing { background: $boost; }
    """

    def __init__(self, session: Session, drafts: Drafts | None = None, *,
                 can_go_back: bool = True) -> None:
        super().__init__()
        self.session = session
        self.drafts = drafts
        self.can_go_back = can_go_back
        self._last_row: CriterionRow | None = None

    @property
    def rubric(self):  # type: ignore[no-untyped-def]
        return self.session.state.plan.rubric

    @property
    def practice(self) -> bool:
        return self.session.state.mode == "practice"

    def compose(self) -> ComposeResult:
        yield Static(id="rubric-title", markup=False)
        with CriteriaScroll(id="criteria"):
            if self.practice:
                # Revealed only now, for honest self-scoring.
                yield Static(_look_fors(self.session.state), id="look-fors", markup=False)
            if self.rubric is not None:
                for number, criterion in enumerate(self.rubric.criteria, 1):
                    yield CriterionRow(criterion, number)
            yield Static(id="hints", markup=False)
            if self.practice:
                yield Static(POSTMORTEM_LABEL, id="postmortem-label", classes="label",
                             markup=False)
                saved = self.session.state.postmortem
                kept = self.drafts.get("postmortem") if self.drafts else ""
                yield AutosaveArea(kept or saved, self._save_postmortem,
                                   self.session.clock, template=POSTMORTEM_TEMPLATE,
                                   keep=self.drafts.keep("postmortem") if self.drafts else None,
                                   saved=saved, on_idle=not self.session.state.finished,
                                   id="postmortem")
        yield Static(id="total", markup=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        if self.drafts is not None:
            self.drafts.put(SCREEN, "rubric")  # a resume comes back here
        self.refresh_view()
        rows = list(self.query(CriterionRow))
        if rows:
            unscored = [r for r in rows if r.criterion.id not in self.session.state.scores]
            (unscored or rows)[0].focus()

    def refresh_view(self) -> None:
        state = self.session.state
        rubric = self.rubric
        title = f" Rubric · {visible(state.plan.title)} · {visible(state.candidate)}"
        if state.finished:
            title = f" {amending_words(state)} ·" + title
        if rubric is not None:
            title += f" · {visible(rubric.title)}"
        self.query_one("#rubric-title", Static).update(title)
        for row in self.query(CriterionRow):
            row.show(state)
        self.query_one("#hints", Static).update(_hints(state, self._focused_criterion()))
        self.query_one("#total", Static).update(_total_line(state))

    def _focused_criterion(self) -> Criterion | None:
        return self.focused.criterion if isinstance(self.focused, CriterionRow) else None

    def on_descendant_focus(self) -> None:
        if isinstance(self.focused, CriterionRow):
            self._last_row = self.focused
        self._show_postmortem_focus()
        self.query_one("#hints", Static).update(
            _hints(self.session.state, self._focused_criterion()))

    def _say(self, message: str, *, error: bool = False) -> None:
        self.notify(message, severity="error" if error else "warning", markup=False)

    def _set(self, criterion: Criterion, score: int | None, evidence: str) -> None:
        try:
            self.session.set_score(criterion.id, score, evidence)
        except SessionError as err:
            self._say(str(err))
        except StoreError as err:
            self._say(f"NOT SAVED: {err}", error=True)
        self.refresh_view()

    def action_move(self, step: int) -> None:
        """The next or previous criterion, stopping at the first and the last: focus never
        leaves the criteria this way (Tab reaches the post-mortem in practice)."""
        rows = list(self.query(CriterionRow))
        if not rows:
            return
        here = self._focused_criterion()
        index = next((i for i, row in enumerate(rows) if row.criterion is here), -1)
        target = rows[max(0, min(len(rows) - 1, index + step))] if index >= 0 else (
            self._last_row or rows[0])
        target.focus()

    def on_key(self, event: Key) -> None:
        """Tab goes between the criteria and the post-mortem (not criterion to criterion:
        j/k do that), and a letter that does nothing on a criterion says where text goes,
        instead of vanishing."""
        area = self.query(AutosaveArea)
        if event.key in ("tab", "shift+tab") and area:
            event.stop()
            event.prevent_default()
            if isinstance(self.focused, AutosaveArea):
                rows = list(self.query(CriterionRow))
                if rows:
                    (self._last_row if self._last_row in rows else rows[0]).focus()
            else:
                area.first().focus()
        elif (isinstance(self.focused, CriterionRow) and event.is_printable
              and event.key not in self._bindings.key_to_bindings):
            self._say("On a criterion, 0 1 2 score it and Enter writes the evidence"
                      + ("; Tab goes to the post-mortem." if area else "."))

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._keep_focus)
        self.call_after_refresh(self._show_postmortem_focus)

    def _show_postmortem_focus(self) -> None:
        labels = self.query("#postmortem-label")
        if labels:
            writing = isinstance(self.focused, AutosaveArea)
            label = labels.first(Static)
            label.update(POSTMORTEM_FOCUSED if writing else POSTMORTEM_LABEL)
            label.set_class(writing, "-writing")

    def _keep_focus(self) -> None:
        """The rubric always has a criterion (or, in practice, the post-mortem) focused:
        digits score it, and evidence is never read as keys."""
        if self.app.screen is not self or isinstance(self.focused, CriterionRow | AutosaveArea):
            return
        rows = list(self.query(CriterionRow))
        if rows:
            (self._last_row if self._last_row in rows else rows[0]).focus()

    def _save_postmortem(self, text: str) -> bool:
        try:
            self.session.set_postmortem(text)
        except (SessionError, StoreError) as err:
            self._say(f"Post-mortem NOT SAVED: {err}", error=True)
            return False
        # "Post-mortem: written" (and what it allows) follows at once.
        self.query_one("#total", Static).update(_total_line(self.session.state))
        return True

    def _flush_postmortem(self) -> bool:
        areas = self.query(AutosaveArea)
        return areas.first().autosave(force=True) if areas else True

    def action_score(self, level: int) -> None:
        criterion = self._focused_criterion()
        if criterion is None:
            return
        self._flush_postmortem()
        current = self.session.state.scores.get(criterion.id)
        if current is not None and current.evidence.strip():
            self._set(criterion, level, current.evidence)
            return
        self._ask_evidence(criterion, level, "")

    def _ask_evidence(self, criterion: Criterion, level: int, evidence: str) -> None:
        def got(text: str | None) -> None:
            if text:
                self._set(criterion, level, text)
                self._to_next_unscored(criterion)
                return
            if text is None:
                return  # cancelled: nothing changes

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self._set(criterion, level, "")
                    self._to_next_unscored(criterion)

            self.app.push_screen(
                Confirm(f"Save {criterion.title} = {level} with no evidence?",
                        "A score without evidence is hard to defend in the debrief."),
                confirmed,
            )

        field = f"evidence:{criterion.id}"
        kept = self.drafts.get(field) if self.drafts else ""
        self.app.push_screen(
            TextPrompt(f"Evidence for {criterion.title} = {level}: what did you see or hear?",
                       kept or evidence, keep=self.drafts.keep(field) if self.drafts else None,
                       context=_hints(self.session.state, criterion)),
            self.drafts.then_clear(field, got) if self.drafts else got,
        )

    def _to_next_unscored(self, after: Criterion) -> None:
        """Once a criterion is scored with its evidence, highlight the next one still to
        score (after it, else from the top), so scoring is digit, evidence, Enter each."""
        rows = list(self.query(CriterionRow))
        start = next(i for i, row in enumerate(rows) if row.criterion is after) + 1
        scores = self.session.state.scores
        for row in rows[start:] + rows[:start]:
            if row.criterion.id not in scores:
                row.focus()
                return

    def action_evidence(self) -> None:
        criterion = self._focused_criterion()
        if criterion is None:
            return
        current = self.session.state.scores.get(criterion.id)
        if current is None:
            self._say("Score it first: 0, 1 or 2.")
            return
        self._ask_evidence(criterion, current.score, current.evidence)

    def action_clear(self) -> None:
        criterion = self._focused_criterion()
        if criterion is not None and criterion.id in self.session.state.scores:
            self._set(criterion, None, "")

    def action_back(self) -> None:
        self._flush_postmortem()
        if self.can_go_back:
            self.dismiss()

    def action_finish(self) -> None:
        if not self._flush_postmortem():
            return
        state = self.session.state
        missing = [c.title for c in (self.rubric.criteria if self.rubric else ())
                   if c.id not in state.scores]

        def go(yes: bool | None) -> None:
            if not yes:
                return
            if self.practice:
                self._end_practice()
            else:
                navigator(self).open_close(self.session)

        if missing:
            self.app.push_screen(Confirm(f"Not scored yet: {', '.join(missing)}. Go on?",
                                         "Unscored criteria show as gaps in the debrief."), go)
        else:
            go(True)

    def _end_practice(self) -> None:
        """Practice ends here: the post-mortem is on this screen."""

        def end(yes: bool | None = True) -> None:
            if not yes:
                return
            try:
                self.session.end()
            except (SessionError, StoreError) as err:
                self._say(str(err), error=True)
                return
            navigator(self).open_summary(self.session)

        if not self.session.state.postmortem.strip():
            self.app.push_screen(Confirm("End without a post-mortem?",
                                         "Writing one is what makes the next rep better."),
                                 end)
        else:
            end()

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))


def _look_fors(state: SessionState) -> Text:
    text = Text("What a strong answer shows\n", style="bold")
    for section in state.sections:
        for prompt in section.prompts:
            if not section.visited:
                continue
            text.append("? ", style="dim")
            text.append_text(plain(prompt.text, "italic"))
            text.append("\n")
            for look in prompt.look_for:
                text.append("  ◆ ", style="dim")
                text.append_text(plain(look))
                text.append("\n")
    text.rstrip()
    return text


def _total_line(state: SessionState) -> Text:
    rubric = state.plan.rubric
    text = Text()
    if rubric is None:
        return Text("This plan has no rubric.")
    scored = len(state.scores)
    text.append(f"Total {state.total}/{rubric.max_score}", style="bold")
    text.append(f"  ({scored}/{len(rubric.criteria)} scored, pass mark {rubric.threshold})  ")
    if scored:
        if state.total >= rubric.threshold:
            text.append("✓ meets the pass mark", style="bold green")
        else:
            text.append("✗ below the pass mark", style="bold red")
            if rubric.advice:
                text.append("\n")
                text.append_text(plain(rubric.advice, "italic"))
    if state.mode == "practice":
        pm = "written" if state.postmortem.strip() else "not written yet (needed for a 2)"
        text.append(f"\nPost-mortem: {pm}", style="dim")
    return text


def _hints(state: SessionState, criterion: Criterion | None) -> Text:
    """What bears on the highlighted criterion: asked questions that exercise it, then every
    ticked signal and flagged note (the interviewer judges which apply)."""
    text = Text("Evidence hints\n", style="bold")
    if criterion is not None:
        for index, section in enumerate(state.sections):
            for prompt in section.prompts:
                rating = section.ratings.get(prompt.id)
                if criterion.id in prompt.criteria and (prompt.id in section.asked or rating):
                    text.append(f"  ? {index + 1}. ", style="dim")
                    if rating:  # the answer judged on its own, during the call
                        text.append(f"[rated {rating}] ", style="bold")
                    text.append_text(plain(prompt.text))
                    text.append("\n")
                    for score, example in enumerate(prompt.examples):
                        text.append(f"      e.g. {score}: ", style="dim")
                        text.append_text(plain(example, "italic"))
                        text.append("\n")
    for section in state.sections:
        names = {s.id: ("+", s.text) for s in section.good}
        names |= {s.id: ("−", s.text) for s in section.bad}
        for signal_id, at in section.ticked.items():
            sign, label = names.get(signal_id, ("?", signal_id))
            text.append(f"  {sign} {mmss(at)} ", style="dim")
            text.append_text(plain(label))
            text.append("\n")
    for note in state.live_notes():
        if note.flagged:
            text.append(f"  ★ {mmss(note.t)} ", style="dim")
            text.append_text(plain(note.text))
            text.append("\n")
    if len(text.plain.splitlines()) == 1:
        text.append("  (no ticked signals or flagged notes)", style="dim")
    text.rstrip()
    return text
