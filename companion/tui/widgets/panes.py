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
from companion.events import adhoc_seq
from companion.model import Signal
from companion.session import Note, SectionState, SessionState
from companion.textsafe import visible
from companion.tui.text import fit, plain

SIGNAL_KEYS = "1234567890"
BANK_SIZE = len(SIGNAL_KEYS)


def numbered_signals(section: SectionState) -> list[tuple[str, Signal]]:
    """A section's signals with their polarity, in the order of their numbers: the plan's
    good ones, its bad ones, then the ad-hoc ones in the order they were added. Adding one
    never renumbers another, and a replay or a resume numbers them the same."""
    planned = section.plan.signals
    numbered = [("good", s) for s in planned.good] + [("bad", s) for s in planned.bad] if (
        planned) else []
    added = [("good", s) for s in section.extra_good] + [("bad", s) for s in section.extra_bad]
    added.sort(key=lambda pair: adhoc_seq(pair[1].id) or 0)
    return numbered + added


def signal_key(number: int) -> str:
    """The keys that tick signal `number` (1-based) in command mode: 1-9 and 0 for the
    first ten, then `b` once per further bank of ten before the digit (b 1 is 11)."""
    bank, place = divmod(number - 1, BANK_SIZE)
    return "b" * bank + ("" if not bank else " ") + SIGNAL_KEYS[place]


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
        # Redraw when a shown figure changes, not every tick: the current section's time is
        # shown in whole minutes (the timer above counts its seconds). A redraw of this tall
        # column every second made the compositor repaint the whole body beside the timer:
        # a third of a running session's idle CPU.
        key = (state.current, state.status, state.events, int(state.section_used(
            state.current, now) // 60), self.size)
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
            if index == state.current and not state.finished:
                times = f"{int(used // 60)}m/{minutes}" if section.plan.minutes else "now"
            else:
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

    DEFAULT_CSS = "PromptRow.-folded { text-wrap: nowrap; text-overflow: ellipsis; }"


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
             follow_ups: dict[str, int] | None = None, look_for: bool = True,
             folded: bool = False) -> None:
        """`follow_ups`: how many follow-ups to show per prompt id (None: all). `folded`:
        every question but the highlighted one on one line."""
        section = state.section
        rows = self._sync_rows(PromptRow, [p.id for p in section.prompts])
        checklist = state.mode == "checklist"
        fold_hint = "" if len(section.prompts) < 2 else (
            " · folded (o opens)" if folded else " · o folds")
        if not section.prompts:
            self.border_title = "Questions: none in this section (q adds one)"
        elif checklist:
            self.border_title = (f"Checklist {len(section.asked)}/{len(section.prompts)} "
                                 f"done{fold_hint}")
        else:
            asked = len(section.asked)
            self.border_title = f"Questions {asked}/{len(section.prompts)} asked{fold_hint}"
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
            row.set_class(folded and not here, "-folded")  # one line; the highlighted opens
            row.update(text)


class SignalPane(_RowsPane):
    """Every signal of the section, numbered for its key (see numbered_signals)."""

    DEFAULT_CSS = "SignalPane { height: auto; }"

    def show(self, state: SessionState) -> None:
        section = state.section
        signals = numbered_signals(section)
        rows = self._sync_rows(SignalRow, [s.id for _, s in signals])
        if not signals:
            self.border_title = "Signals: none here (+ / - add one)"
        else:
            ticked = len(section.ticked)
            self.border_title = f"Signals {ticked}/{len(signals)} ticked"
        width = len(str(len(signals)))
        for number, ((polarity, signal), row) in enumerate(zip(signals, rows, strict=False),
                                                           1):
            on = signal.id in section.ticked
            text = Text()
            text.append("[✓] " if on else "[ ] ", style="bold" if on else "")
            text.append(f"{number:>{width}} ", style="bold")
            text.append("+ good " if polarity == "good" else "− bad  ",
                        style="green" if polarity == "good" else "red")
            text.append_text(plain(signal.text, "bold" if on else ""))
            if signal.id.startswith("adhoc-"):
                text.append("  (ad hoc)", style="dim italic")
            if on:
                text.append(f"  {mmss(section.ticked[signal.id])}", style="dim italic")
            row.set_class(on, "-on")
            row.update(text)


class SignalStrip(Static):
    """Every signal of the section on a line or two, by number: `3✓` ticked, `3·` not, `+`
    and `−` where the polarity changes. Always in view, so a tick is seen even when the
    signal's row is scrolled away; it also says which bank the digits tick."""

    DEFAULT_CSS = "SignalStrip { height: auto; padding: 0 1; }"

    def show(self, state: SessionState, bank: int = 0) -> None:
        section = state.section
        signals = numbered_signals(section)
        if not signals:
            self.display = False
            return
        self.display = True
        text = Text()
        ticked = sum(1 for _, s in signals if s.id in section.ticked)
        text.append(f"Signals {ticked}/{len(signals)}:", style="bold")
        polarity_shown = ""
        for number, (polarity, signal) in enumerate(signals, 1):
            text.append(" ")
            if polarity != polarity_shown:
                polarity_shown = polarity
                text.append("+" if polarity == "good" else "−",
                            style="green" if polarity == "good" else "red")
            on = signal.id in section.ticked
            in_bank = (number - 1) // BANK_SIZE == bank
            style = ("bold reverse" if on else "bold") if bank and in_bank else (
                "bold" if on else "dim")
            text.append(f"{number}{'✓' if on else '·'}", style=style)
        if bank:
            first = bank * BANK_SIZE + 1
            last = min(len(signals), first + BANK_SIZE - 1)
            count = last - first + 1
            keys = "1" if count == 1 else f"1-{SIGNAL_KEYS[count - 1]}"
            ticks = f"{first}" if count == 1 else f"{first}-{last}"
            text.append(f"  ▸ b: {keys} tick{'s' if count == 1 else ''} {ticks}",
                        style="bold reverse")
        elif len(signals) > BANK_SIZE:
            text.append("  b 1 = 11", style="dim")
        self.update(text)


class LastAction(Static):
    """One line above the note line confirming what was just saved: the note ("✓ saved
    01:02: …") or the tick ("✓ ticked 3: …", "○ unticked 3: …"), whatever the layout."""

    DEFAULT_CSS = "LastAction { text-wrap: nowrap; text-overflow: ellipsis; }"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._ticks: tuple[int, frozenset[str]] = (-1, frozenset())
        self._note: tuple[int, str] | None = None
        self._shown = False

    def show(self, state: SessionState, last_note: Note | None) -> None:
        section = state.section
        ticks = (state.current, frozenset(section.ticked))
        note_key = (last_note.id, last_note.text) if last_note else None
        message: Text | None = None
        if ticks[0] == self._ticks[0] and ticks[1] != self._ticks[1]:
            numbers = {s.id: (n, s) for n, (_, s) in enumerate(numbered_signals(section), 1)}
            changed = [i for i in ticks[1] ^ self._ticks[1] if i in numbers]
            if changed:
                number, signal = min(numbers[i] for i in changed)
                on = signal.id in section.ticked
                message = Text("✓ ticked " if on else "○ unticked ", style="bold")
                message.append(f"{number}: ")
                message.append_text(plain(signal.text))
        elif note_key != self._note or not self._shown:
            message = (Text(f"✓ saved {mmss(last_note.t)}: ") + plain(last_note.text[:300])
                       if last_note else Text("No notes yet."))
        self._ticks, self._note = ticks, note_key
        if message is not None:
            self._shown = True
            self.update(message)
