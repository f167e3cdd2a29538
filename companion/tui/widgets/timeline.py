"""The notes timeline of the current section: it draws only the lines it shows.

A section can hold thousands of notes. Wrapping and drawing all of them on every Enter cost
seconds (a Static holding the whole text), so this widget uses Textual's Line API: it keeps
the section's notes as a list, wraps a note only when it comes into view (cached per note,
checked against what the note says now, so a flag, an edit or a retraction shows at once),
and remembers where it is as "which note, which of its lines" rather than as a line number
of the whole text. Nothing here walks the section per note.

It follows its tail: the newest note is always in view, unless the user scrolled up
(PgUp, the mouse wheel); the next note, or End, brings it back."""

from __future__ import annotations

from itertools import islice

from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.cache import LRUCache
from textual.events import MouseScrollDown, MouseScrollUp
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from companion.clock import mmss
from companion.session import SessionState
from companion.state import Note
from companion.tui.text import plain

NOTE_SHOWN_CHARS = 2000  # a longer note is saved whole; the timeline shows its start
INDENT = "  "  # the wrapped lines of a note start under its text, not under its stamp
WHEEL_LINES = 3

# What a note's lines depend on: when any of it changes, the note is wrapped again.
Signature = tuple[str, bool, bool, int, float, float, float]


def _signature(note: Note) -> Signature:
    return (note.text, note.flagged, note.retracted, len(note.edits), note.back, note.t,
            note.section_offset)


def note_text(note: Note) -> Text:
    """One note as the timeline shows it: stamps, ★ flagged, ⟲ back-dated, ✗ retracted,
    ✎ edited (each a glyph and a word or number, never colour alone)."""
    line = Text()
    line.append(f"{mmss(note.t)} ", style="bold")
    line.append(f"({mmss(note.section_offset)}) ", style="dim")
    if note.flagged:
        line.append("★ ", style="bold yellow")
    if note.back:
        line.append(f"⟲-{note.back:g}s ", style="dim")
    if note.retracted:
        line.append("✗ retracted: ", style="dim")
        line.append_text(plain(note.text[:NOTE_SHOWN_CHARS], "dim strike"))
    else:
        line.append_text(plain(note.text[:NOTE_SHOWN_CHARS]))
    if len(note.text) > NOTE_SHOWN_CHARS:
        line.append(f" … (+{len(note.text) - NOTE_SHOWN_CHARS:,} characters, all saved)",
                    style="dim italic")
    if note.edits and not note.retracted:
        line.append(" ✎ edited", style="dim italic")
    return line


class NotesTimeline(Widget):
    """The current section's notes, newest at the bottom, drawn a visible line at a time."""

    DEFAULT_CSS = "NotesTimeline { height: 1fr; }"
    EMPTY = "No notes in this section yet. Type below; Enter saves."

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._notes: list[Note] = []  # the shown section's notes, oldest first
        self._state: SessionState | None = None
        self._section = -1
        self._seen = 0  # how many of the state's notes have been looked at
        self._last: tuple[int, int, Signature] | None = None  # the newest note, as last shown
        self.following = True  # the tail is in view, and stays in view as notes come
        self._top = (0, 0)  # when not following: the first note shown, and its first line
        self._window: list[Strip] | None = None  # the lines in view, worked out per frame
        self._window_top = (0, 0)
        self._window_size = (0, 0)
        # Keyed by what the lines depend on (textual's LRUCache never replaces a key's
        # value): a changed note or width is a new key, and the old lines age out.
        self._strips: LRUCache[tuple[int, int, Signature], list[Strip]] = LRUCache(512)
        self.notes_wrapped = 0  # how many notes were wrapped into lines: the cost of a frame

    # --- what to show --------------------------------------------------------------------

    def show(self, state: SessionState) -> None:
        """Take in the state: the notes added since (only those), and whether the newest one
        changed. A new note, or a change to the newest, brings the tail back into view."""
        if state.current != self._section:
            # Another section: collect its notes once (not per note: a note only adds to
            # the end), and start at its newest.
            self._section = state.current
            self._notes = [n for n in state.notes if n.section == state.current]
            self.following, self._top = True, (0, 0)
        elif state is not self._state:
            # A state rebuilt from the log (a resume, a read-only view following the
            # holder, a listing event): the same notes in new objects, and maybe more.
            self._notes = [n for n in state.notes if n.section == state.current]
        else:
            # The notes typed since, newest last (notes_by_id keeps the typing order), each
            # put in time order as the state lists them: a back-dated note can go before
            # earlier ones, never before its section's start.
            added = list(islice(reversed(state.notes_by_id.values()),
                                len(state.notes_by_id) - self._seen))
            for note in reversed(added):
                if note.section == state.current:
                    at = len(self._notes)
                    while at and self._notes[at - 1].t > note.t:
                        at -= 1
                    self._notes.insert(at, note)
        self._state, self._seen = state, len(state.notes_by_id)
        # A note more (wherever a back-date put it), or a change to the last one shown.
        newest = ((len(self._notes), self._notes[-1].id, _signature(self._notes[-1]))
                  if self._notes else None)
        if newest != self._last:
            self._last = newest
            self.following = True
        self._redraw()

    def _redraw(self) -> None:
        """Work the window out again (which may turn following back on), then draw."""
        self._window = None
        self._ensure_window()
        self._update_title()
        self.refresh()

    def _update_title(self) -> None:
        count = len(self._notes)
        if not count:
            self.border_title = "Notes"
        elif self.following:
            # "PgUp" only when there is something above to page to.
            self.border_title = (f"Notes {count:,}" if self._window_top == (0, 0) else
                                 f"Notes {count:,} · newest below · PgUp earlier")
        else:
            self.border_title = f"Notes {count:,} · scrolled up · PgDn or End: newest"

    # --- scrolling -----------------------------------------------------------------------

    def scroll_lines(self, lines: int) -> None:
        """Up (negative) or down by `lines`; at the bottom the tail is followed again."""
        self._ensure_window()
        index, offset = self._window_top
        if lines < 0:
            self._top = self._move_up(index, offset, -lines)
        else:
            self._top = self._move_down(index, offset, lines)
        self.following = False  # until the window reaches the end again (_ensure_window)
        self._redraw()

    def page(self, direction: int) -> None:
        self.scroll_lines(direction * max(1, self.size.height - 1))

    def to_oldest(self) -> None:
        self._top, self.following = (0, 0), False
        self._redraw()

    def to_newest(self) -> None:
        self.following = True
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()  # the window and its title follow the new size

    def _on_mouse_scroll_up(self, event: MouseScrollUp) -> None:
        event.stop()
        event.prevent_default()  # this widget scrolls itself (not by a scroll offset)
        self.scroll_lines(-WHEEL_LINES)

    def _on_mouse_scroll_down(self, event: MouseScrollDown) -> None:
        event.stop()
        event.prevent_default()
        self.scroll_lines(WHEEL_LINES)

    def _move_up(self, index: int, offset: int, lines: int) -> tuple[int, int]:
        while lines > 0:
            if offset >= lines:
                return index, offset - lines
            lines -= offset
            if index == 0:
                return 0, 0
            index -= 1
            offset = len(self._lines_of(index))
        return index, offset

    def _move_down(self, index: int, offset: int, lines: int) -> tuple[int, int]:
        while index < len(self._notes):
            height = len(self._lines_of(index))
            if offset + lines < height:
                return index, offset + lines
            lines -= height - offset
            index, offset = index + 1, 0
        return max(0, len(self._notes) - 1), 0

    # --- drawing -------------------------------------------------------------------------

    def _lines_of(self, index: int) -> list[Strip]:
        """One note wrapped to the width, from the cache while the note says the same."""
        note = self._notes[index]
        width = max(1, self.size.width)
        key = (note.id, width, _signature(note))
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        self.notes_wrapped += 1
        console: Console = self.app.console
        options = console.options.update_width(max(1, width - len(INDENT)))
        lines = console.render_lines(note_text(note), options, pad=False)
        strips = []
        for number, segments in enumerate(lines):
            if number:
                segments = [Segment(INDENT), *segments]
            strip = Strip(segments)
            strips.append(strip.adjust_cell_length(width))
        if not strips:
            strips = [Strip.blank(width)]
        self._strips.set(key, strips)
        return strips

    def _ensure_window(self) -> None:
        """Work out the lines in view: from the tail up when following, else from the
        remembered note down (and back to following once that reaches the end)."""
        size = (self.size.width, self.size.height)
        if self._window is not None and size == self._window_size:
            return
        self._window_size = size
        height = max(1, self.size.height)
        if not self._notes:
            self._window, self._window_top = [], (0, 0)
            return
        if not self.following:
            index, offset = self._top
            index = min(index, len(self._notes) - 1)
            lines: list[Strip] = []
            first = (index, offset)
            while index < len(self._notes) and len(lines) < height:
                note_lines = self._lines_of(index)
                lines.extend(note_lines[offset:])
                index, offset = index + 1, 0
            if len(lines) >= height and (index < len(self._notes) or len(lines) > height):
                self._window, self._window_top = lines[:height], first
                return
            self.following = True  # the end is in view: follow it again
            self._update_title()
        lines = []
        index = len(self._notes) - 1
        while index >= 0 and len(lines) < height:
            lines[:0] = self._lines_of(index)
            index -= 1
        extra = max(0, len(lines) - height)
        self._window = lines[extra:]
        self._window_top = (index + 1, extra)

    def render_lines(self, crop: Region) -> list[Strip]:
        self._ensure_window()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        self._ensure_window()
        width = self.size.width
        window = self._window or []
        if not self._notes and y == 0:
            strip = Strip(Text(self.EMPTY, style="dim").render(self.app.console))
            return strip.adjust_cell_length(width).apply_style(self.rich_style)
        if y < len(window):
            return window[y].apply_style(self.rich_style)
        return Strip.blank(width, self.rich_style)

    def visible_text(self) -> str:
        """The lines in view as plain text (what a reader of the screen sees)."""
        self._ensure_window()
        if not self._notes:
            return self.EMPTY
        return "\n".join(strip.text.rstrip() for strip in self._window or [])
