"""The live screen's panes. Each renders from the session state it is given ("attributes
down"); clicks become messages to the screen ("messages up"). State is always shown with a
glyph or a word as well as colour."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.events import Click
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from companion.clock import mmss
from companion.session import SessionState
from companion.textsafe import visible
from companion.tui.text import fit, plain

SIGNAL_KEYS = "1234567890"


class SectionList(Widget):
    """Every section with its minutes and state: done ✓, current ▶, skipped ↷, over ▲.
    Drawn in render() so it always fits the width it has."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._state: SessionState | None = None
        self._now = 0.0
        self._shown: tuple[object, ...] = ()

    class Chosen(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def show(self, state: SessionState, now: float) -> None:
        self._state, self._now = state, now
        # Redraw when a shown figure changes (mm:ss of the current section), not every tick.
        key = (state.current, state.status, state.events, int(state.section_used(
            state.current, now)), self.size)
        if key != self._shown:
            self._shown = key
            self.refresh()

    def on_click(self, event: Click) -> None:
        """A click on a section goes to it (one line per section)."""
        if self._state is not None and 0 <= event.y < len(self._state.sections):
            self.post_message(self.Chosen(event.y))

    def render(self) -> Text:
        state, now = self._state, self._now
        lines = Text()
        if state is None:
            return lines
        width = self.size.width or 28
        for index, section in enumerate(state.sections):
            used = state.section_used(index, now)
            planned = section.planned
            over = planned is not None and used > planned
            if index == state.current and not state.finished:
                glyph, style = ("▲" if over else "▶"), "bold reverse" if over else "bold"
            elif section.skipped:
                glyph, style = "↷", "dim"
            elif section.ended:
                glyph, style = ("✓▲" if over else "✓"), "dim"
            else:
                glyph, style = "·", ""
            minutes = f"{section.plan.minutes:g}m" if section.plan.minutes else "untimed"
            times = f"{mmss(used)}/{minutes}" if used >= 1 else minutes
            head = f"{glyph:<2}{index + 1}. "
            room = max(4, width - cell_len(head) - len(times) - 1)
            title = visible(section.plan.title)
            title = fit(title, room)
            lines.append(head, style=style)
            lines.append(title, style=style)
            lines.append(" " * max(1, room - cell_len(title) + 1) + times, style="dim")
            if index < len(state.sections) - 1:
                lines.append("\n")
        return lines


class Row(Static):
    """One clickable line of a pane: a click toggles it (posted up as `Toggled`)."""

    class Toggled(Message):
        def __init__(self, row: Row) -> None:
            super().__init__()
            self.row = row
            self.row_id = row.row_id

        @property
        def control(self) -> Row:  # lets handlers pick rows by type: @on(..., "SignalRow")
            return self.row

    def __init__(self, row_id: str) -> None:
        super().__init__()
        self.row_id = row_id

    def on_click(self) -> None:
        self.post_message(self.Toggled(self))


class PromptRow(Row):
    """One question. Click to mark it asked (or not)."""


class SignalRow(Row):
    """One signal checkbox: `[✓]` ticked, `[ ]` not. Click to toggle."""


class _RowsPane(Static):
    """A pane of rows, remounted only when the set of rows changes."""

    def _sync_rows(self, kind: type[Row], ids: list[str]) -> list[Row]:
        rows = list(self.query(kind))
        if [r.row_id for r in rows] != ids:
            for row in rows:
                row.remove()
            rows = [kind(ident) for ident in ids]
            self.mount_all(rows)
        return rows


class PromptPane(_RowsPane):
    DEFAULT_CSS = "PromptPane { height: auto; }"

    def show(self, state: SessionState, cursor: int,
             follow_ups: dict[str, int] | None = None, look_for: bool = True) -> None:
        """`follow_ups`: how many follow-ups to show per prompt id (None: all)."""
        section = state.section
        rows = self._sync_rows(PromptRow, [p.id for p in section.prompts])
        checklist = state.mode == "checklist"
        if not section.prompts:
            self.border_title = "Questions: none in this section (q adds one)"
        elif checklist:
            self.border_title = f"Checklist {len(section.asked)}/{len(section.prompts)} done"
        else:
            asked = len(section.asked)
            self.border_title = f"Questions {asked}/{len(section.prompts)} asked"
        for index, (prompt, row) in enumerate(zip(section.prompts, rows, strict=False)):
            is_asked = prompt.id in section.asked
            here = index == cursor
            text = Text()
            text.append("›" if here else " ", style="bold")
            text.append("[✓] " if is_asked else "[ ] ", style="dim" if is_asked else "bold")
            text.append_text(plain(prompt.text, "dim" if is_asked and not here else ""))
            if is_asked:
                word = "done" if checklist else "asked"
                text.append(f"  {word} {mmss(section.asked[prompt.id])}", style="dim italic")
            if prompt.source == "ad hoc":
                text.append("  (ad hoc)", style="dim italic")
            if prompt.id in section.ratings:
                text.append(f"  rated {section.ratings[prompt.id]}", style="bold italic")
            if here:
                count = len(prompt.follow_ups) if follow_ups is None else follow_ups.get(
                    prompt.id, 0)
                for follow_up in prompt.follow_ups[:count]:
                    text.append("\n     ↳ ", style="dim")
                    text.append_text(plain(follow_up))
                if count < len(prompt.follow_ups):
                    text.append(f"\n     ↳ {len(prompt.follow_ups) - count} follow-up(s) "
                                "hidden: F2 shows the next", style="dim italic")
                for look in prompt.look_for if look_for else ():
                    text.append("\n     ◆ look for: ", style="dim")
                    text.append_text(plain(look, "italic"))
            row.set_class(here, "-cursor")
            row.update(text)


class SignalPane(_RowsPane):
    DEFAULT_CSS = "SignalPane { height: auto; }"

    def show(self, state: SessionState) -> None:
        section = state.section
        signals = [("good", s) for s in section.good] + [("bad", s) for s in section.bad]
        rows = self._sync_rows(SignalRow, [s.id for _, s in signals])
        if not signals:
            self.border_title = "Signals: none here (+ / - add one)"
        else:
            ticked = len(section.ticked)
            self.border_title = f"Signals {ticked} ticked"
        for index, ((polarity, signal), row) in enumerate(zip(signals, rows, strict=False)):
            on = signal.id in section.ticked
            key = SIGNAL_KEYS[index] if index < len(SIGNAL_KEYS) else " "
            text = Text()
            text.append("[✓] " if on else "[ ] ", style="bold" if on else "")
            text.append(f"{key} ", style="bold")
            text.append("+ good " if polarity == "good" else "− bad  ",
                        style="green" if polarity == "good" else "red")
            text.append_text(plain(signal.text, "bold" if on else ""))
            if on:
                text.append(f"  {mmss(section.ticked[signal.id])}", style="dim italic")
            row.set_class(on, "-on")
            row.update(text)


NOTE_SHOWN_CHARS = 2000  # a longer note is saved whole; the timeline shows its start


class NotesView(Static):
    """The current section's notes: stamps as session time (and section time), ★ flagged.
    Rebuilt only when those notes change: a huge note must not slow every key."""

    _shown: tuple[object, ...] | None = None

    def show(self, state: SessionState) -> None:
        notes = [n for n in state.notes if n.section == state.current]
        key = (state.current, *((n.id, n.flagged, n.retracted, len(n.edits)) for n in notes))
        if key == self._shown:
            return
        self._shown = key
        if not notes:
            self.update(Text("No notes in this section yet. Type below; Enter saves.",
                             style="dim"))
            return
        text = Text()
        for note in notes:
            line = Text()
            line.append(f"{mmss(note.t)} ", style="bold")
            line.append(f"({mmss(note.section_offset)}) ", style="dim")
            if note.flagged:
                line.append("★ ", style="bold yellow")
            if note.back:
                line.append(f"⟲-{note.back:g}s ", style="dim")
            if note.retracted:
                line.append("✗ retracted: ", style="dim")
                line.append_text(plain(note.text, "dim strike"))
            else:
                line.append_text(plain(note.text[:NOTE_SHOWN_CHARS]))
            if len(note.text) > NOTE_SHOWN_CHARS:
                line.append(f" … (+{len(note.text) - NOTE_SHOWN_CHARS:,} characters, all "
                            "saved)", style="dim italic")
            if note.edits and not note.retracted:
                line.append(" ✎ edited", style="dim italic")
            text.append_text(line)
            text.append("\n")
        text.rstrip()
        self.update(text)
