"""The live screen: one interview beside a video call.

Two key modes. Typing: the note line has focus, letters go to the note, and only ctrl and
function keys act. Command (Esc): single keys act. Every action is one session operation,
written through the store at once; nothing lives only in widgets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Static

from companion.clock import mmss, span
from companion.events import SectionReopened, next_rating
from companion.lease import HEARTBEAT_S
from companion.session import Session, SessionError, parse_note
from companion.state import section_to_reopen
from companion.store.database import LeaseLost, Store, StoreError
from companion.textsafe import visible
from companion.tui.drafts import SCREEN, Drafts
from companion.tui.keymap import TYPING_BINDINGS
from companion.tui.navigation import navigator
from companion.tui.screens.text_prompt import TextPrompt
from companion.tui.text import SafeInput
from companion.tui.widgets.banner import on_screen_mount
from companion.tui.widgets.footer import KeysFooter
from companion.tui.widgets.layout import LiveLayout, PlanScroll
from companion.tui.widgets.modebar import ModeBar
from companion.tui.widgets.pacing import PacingLine
from companion.tui.widgets.panes import (
    BANK_SIZE,
    SIGNAL_KEYS,
    LastAction,
    PromptPane,
    Row,
    SectionList,
    SignalPane,
    SignalStrip,
    numbered_signals,
)
from companion.tui.widgets.timeline import NotesTimeline
from companion.tui.widgets.timer import TimerBar, phase

if TYPE_CHECKING:
    from textual.widgets import TextArea

BACKDATE_STEPS = (0.0, 15.0, 30.0, 60.0)
# Command mode goes back to typing after this long without a key (session clock).
COMMAND_IDLE_S = 10.0
# Command-mode actions that change what was said or where the session is: after them the
# next key most likely starts a note, so the mode goes back to typing (a burst of letters
# typed by mistake then moves at most once, and `z` undoes that). Looking around (j/k, the
# scroll keys), ticks, asked, pause and ratings keep command mode; so does any other action
# unless it opens a dialog or a screen, which always comes back to typing.
BACK_TO_TYPING_AFTER = frozenset({
    "next_section", "previous_section", "skip_section", "reopen_section", "edit_note",
    "retract_note", "flag", "typing_mode",
})
# What a read-only view may still do: look around, never write.
READ_ONLY_ACTIONS = frozenset({"help", "command_mode", "typing_mode", "cursor", "quit",
                               "scroll_notes", "scroll_plan", "notes_oldest", "notes_newest",
                               "toggle_fold", "signals_in_view"})


class NoteLine(SafeInput):
    """The note line. Enter and the typing-mode keys act right here, as the key arrives,
    in order with the characters around it. (A binding would run only once the key has
    bubbled up, after the characters that followed it in a burst: "first⏎second⏎" would
    become one note, and a note followed at once by ^N could land in the next section.)
    The bindings stay declared for the footer, the help and the palette."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *TYPING_BINDINGS,
        # A one-line field has no use for up and down: they move the highlighted question,
        # as in command mode (Input would otherwise take them, doing nothing).
        Binding("up", "screen.cursor(-1)", "Previous question", show=False,
                tooltip="Highlight the previous question", id="typing.cursor_up"),
        Binding("down", "screen.cursor(1)", "Next question", show=False,
                tooltip="Highlight the next question", id="typing.cursor_down"),
    ]
    _IN_ORDER: ClassVar[dict[str, str]] = {
        binding.key: binding.action.removeprefix("screen.")
        for binding in TYPING_BINDINGS if isinstance(binding, Binding)
    }

    def __init__(self, commit: Callable[[], bool], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._commit = commit

    async def _on_key(self, event: Key) -> None:
        screen = self.screen
        if isinstance(screen, LiveScreen) and await screen.command_key(event):
            return
        if event.key == "enter" or event.key in self._IN_ORDER:
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self._commit()
            else:
                getattr(self.screen, f"action_{self._IN_ORDER[event.key]}")()
        # Other keys: Textual goes on to Input._on_key (handlers run down the MRO).

    async def action_submit(self) -> None:
        self._commit()


def _b(key: str, action: str, description: str, tooltip: str, *, show: bool = True,
       priority: bool = False, key_display: str | None = None) -> Binding:
    return Binding(key, action, description, show=show, priority=priority, tooltip=tooltip,
                   id=f"live.{action.split('(')[0]}", key_display=key_display)


class LiveScreen(LiveLayout, Screen[None]):
    """Sections, countdown, questions, signals, notes and the note line."""

    SHOWS_CONTENT_BANNER = True  # content problems found at start, above everything

    BINDINGS: ClassVar[list[BindingType]] = [
        # The typing-mode ctrl keys, bound here too for command mode (see NoteLine).
        *[
            _b(b.key, b.action.removeprefix("screen."), b.description, b.tooltip)
            for b in TYPING_BINDINGS if isinstance(b, Binding)
        ],
        _b("f2", "reveal_follow_up", "Follow-up", "Practice: show the next follow-up of "
           "the question, as an interviewer would probe"),
        _b("f1", "help", "Help", "All keys and the note syntax", priority=True),
        _b("escape", "command_mode", "Keys", "Command mode: single keys act"),
        # Command mode: single keys (swallowed by the note line while typing).
        _b("i", "typing_mode", "Type", "Back to the note line", show=False),
        *[
            _b(key, f"tick({index})", f"Tick signal {key}", f"Tick or untick signal {key}",
               show=False)
            for index, key in enumerate(SIGNAL_KEYS)
        ],
        _b("n", "next_section", "Next section", "End this section, start the next", show=False),
        _b("p", "previous_section", "Previous section", "Back to the previous section",
           show=False),
        _b("s", "skip_section", "Skip section", "Skip this section", show=False),
        _b("z", "reopen_section", "Undo section move", "Return to the section you left "
           "(undoes a next, a skip or a previous)", show=False),
        _b("space", "toggle_pause", "Pause/resume", "Pause or resume the timer", show=False),
        _b("j,down", "cursor(1)", "Next question", "Highlight the next question", show=False),
        _b("k,up", "cursor(-1)", "Previous question", "Highlight the previous question",
           show=False),
        _b("a", "toggle_asked", "Mark asked", "Mark the highlighted question asked (or not)",
           show=False),
        _b("g", "rate_question", "Rate answer", "Rate the answer to the highlighted "
           "question against its look-fors: strong, mixed, weak, then none", show=False),
        _b("q", "add_question", "Add question", "Add an ad-hoc question to this section",
           show=False),
        _b("plus", "add_signal('good')", "Add good signal", "Add an ad-hoc good signal",
           show=False),
        _b("minus", "add_signal('bad')", "Add bad signal", "Add an ad-hoc bad signal",
           show=False),
        _b("f", "flag", "Flag last note", "Flag or unflag the last note", show=False),
        _b("e", "edit_note", "Edit last note", "Edit the last note", show=False),
        _b("x", "retract_note", "Retract last note", "Retract the last note (kept, struck)",
           show=False),
        _b("u", "undo_tick", "Undo last tick", "Untick the signal ticked last", show=False),
        _b("A", "add_gap", "Add away time", "Count the time away into this section",
           show=False),
        _b("w", "toggle_bell", "Bell", "Ring the terminal bell at 2 minutes left and at zero",
           show=False),
        _b("r", "rubric", "Rubric", "Score the rubric", show=False),
        _b("c", "examples", "Worked examples", "Show what a 0, a 1 and a 2 answer to the "
           "highlighted question looked like", show=False),
        _b("question_mark", "help", "Help", "All keys", show=False),
        # layout: scrolling, folding, signal banks. Page, ctrl+arrow and ctrl+home/end keys
        # reach the screen while typing (the note line does not bind them); plain home/end
        # are the note line's own there, so they move the notes in command mode only.
        _b("pageup", "scroll_notes(-1)", "Earlier notes", "Scroll the notes up a page "
           "(also while typing); the next note brings the newest back", show=False),
        _b("pagedown", "scroll_notes(1)", "Later notes", "Scroll the notes down a page "
           "(also while typing)", show=False),
        _b("home,ctrl+home", "notes_oldest", "Oldest note", "Show the first notes of this "
           "section (ctrl+home also while typing)", show=False),
        _b("end,ctrl+end", "notes_newest", "Newest note", "Show the newest notes again "
           "(ctrl+end also while typing)", show=False),
        # alt+arrows too: macOS gives ctrl+arrows to Mission Control by default.
        _b("ctrl+up,alt+up", "scroll_plan(-1)", "Scroll questions up", "Scroll the "
           "questions and signals up (also while typing)", show=False),
        _b("ctrl+down,alt+down", "scroll_plan(1)", "Scroll questions down", "Scroll the "
           "questions and signals down, to the signal list (also while typing)", show=False),
        _b("l", "signals_in_view", "Signal list", "Scroll to the signal list; again: back "
           "to the highlighted question", show=False),
        _b("o", "toggle_fold", "Fold questions", "Fold every question but the highlighted "
           "one to a line, or open them all", show=False),
        _b("b", "signal_bank", "Signals 11+", "The next ten signals: b then 1-0 ticks 11-20 "
           "(b b: 21-30)", show=False),
    ]

    DEFAULT_CSS = """
    LiveScreen #sections { width: 30; height: auto; border-right: solid $panel; padding: 0 1; }
    LiveScreen.-narrow #sections { display: none; }
    LiveScreen #title { height: 1; padding: 0 1; background: $panel; }
    LiveScreen #away { height: auto; padding: 0 1; display: none; }
    LiveScreen #away.-shown { display: block; }
    LiveScreen #guidance { height: auto; padding: 0 1; color: $text-muted; }
    LiveScreen PromptPane, LiveScreen SignalPane {
        border-top: solid $panel; padding: 0 1; height: auto;
    }
    LiveScreen PromptRow.-cursor { background: $boost; }
    LiveScreen #note { border: none; height: 1; padding: 0 1; background: $boost; }
    LiveScreen TextArea#note { height: 6; }
    /* The note just saved, always in sight above the note line, whatever the width. */
    LiveScreen #last-note { height: 1; padding: 0 1; color: $text-muted; }
    LiveScreen #note:focus { background: $primary 20%; }
    """

    def __init__(self, session: Session, store: Store, *, tick: float = 1.0,
                 draft: str = "", think: float = 0.0, read_only: bool = False) -> None:
        super().__init__()
        self.session = session
        # Held by another process (opened read-only, or taken over since): nothing is
        # written from here, and the keys that would write are off.
        self.read_only = read_only
        self.drafts = Drafts(store, session.id, session.clock,
                             lambda message: self._fail_once(message))
        self.practice = session.state.mode == "practice"
        self.think_until: float | None = (
            session.clock.monotonic() + think
            if think > 0 and not any(s.visited for s in session.state.sections) else None)
        self.follow_ups_shown: dict[str, int] = {}
        self.time_up = False
        self._scratch_saved = ""
        self.store = store
        self.tick = tick
        self.cursor = 0
        self.backdate = 0.0
        self.bell = False
        self.notice = ""
        self._draft = draft
        self._draft_dirty = False
        self._last_phase = ""
        self._last_section = -1
        self._last_failure = ""
        self._last_write_seen = (len(session.events), session.clock.monotonic())
        self._checkpointed = len(session.events)
        # Notes the database refused (a full disk, a lock): kept here in order, each with
        # the moment and section it was typed in, and written as soon as it takes them.
        self._unsaved: list[UnsavedNote] = []
        self._unsaved_reason = ""
        self._tick_history: list[tuple[int, str]] = []
        self._last_key_at = session.clock.monotonic()
        self._type_on_resume = False
        # Command mode keeps the focus on the note line, which hands each key to
        # command_key() as it arrives: keys act in the order typed, and the switch back to
        # typing (a letter that is not a command key) loses nothing, even in a burst.
        self.command = False
        self.retired = False  # see retire()
        self.folded = True  # every question but the highlighted one on one line
        self.signal_bank = 0  # b: the digits tick signals 11-20, then 21-30...
        self._cursor_shown = (-1, -1)

    # --- building -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self.set_class(self.practice, "-practice")
        yield Static(id="title", markup=False)
        yield TimerBar(self.session, id="timer")
        yield PacingLine(id="pacing")
        yield Static(id="away", markup=False)
        with Horizontal(id="body"):
            yield SectionList(id="sections")
            with Vertical(id="main"):
                with PlanScroll(id="plan"):
                    yield Static(id="guidance", markup=False)
                    yield PromptPane(id="prompts")
                    yield SignalPane(id="signals")
                yield SignalStrip(id="strip")
                yield NotesTimeline(id="notes")
        self.note: Input | TextArea
        if self.practice:
            # Imported here: TextArea is a large module an interview never needs.
            from companion.tui.widgets.scratch import ScratchArea

            self.note = ScratchArea(self._draft, id="note", soft_wrap=True,
                                    show_line_numbers=False)
        else:
            self.note = NoteLine(self._commit_note, self._draft,
                                 placeholder="Type a note; Enter saves it. Esc: command keys.",
                                 id="note", select_on_focus=False)
        yield LastAction(id="last-note")
        yield self.note
        yield ModeBar(id="mode")
        yield KeysFooter()

    def on_mount(self) -> None:
        on_screen_mount(self)
        note = self.note
        note.cursor_blink = False  # the blink alone costs ~0.6 % CPU beside a video call
        if self.read_only:
            note.display = False  # a read-only view has no note line
            self.notice = "READ-ONLY: held in another terminal; nothing is written from here"
        self.refresh_view()
        if not self.read_only:
            note.focus()
        self._ticker = self.set_timer(self._next_tick_in(), self._start_ticking)

    def _next_tick_in(self) -> float:
        """Seconds to just after the interview clock's next whole second (the moment the
        countdown changes), or `tick` when the clock is stopped or ticks are slower."""
        state = self.session.state
        if not state.running or self.tick > 1.0:
            return self.tick
        return min(self.tick, 1.0 - state.total_used(self.session.now()) % 1.0 + 0.002)

    def _start_ticking(self) -> None:
        self.on_tick()
        self._ticker = self.set_interval(self.tick, self._ticked)

    def _ticked(self) -> None:
        """One wake-up a second, in phase with the interview clock, so the countdown
        redraws once a second with no lag; a pause shifts that phase, and the first tick
        after it starts the ticker again in phase."""
        self.on_tick()
        state = self.session.state
        if (self.tick <= 1.0 and state.running and not self.retired
                and state.total_used(self.session.now()) % 1.0 > 0.1):
            self._ticker.stop()
            self._ticker = self.set_timer(self._next_tick_in(), self._start_ticking)

    @property
    def state(self) -> Any:
        return self.session.state

    @property
    def typing(self) -> bool:
        return self.focused is self.note and not self.command

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.read_only and action not in READ_ONLY_ACTIONS:
            return False
        if action in ("redraw", "reveal_follow_up"):
            return self.practice
        return True

    # --- one holder (companion.lease) ---------------------------------------------------

    def lease_lost(self, message: str) -> None:
        """Another terminal took the session over: say so in words, keep whatever is in the
        note line on screen, and write nothing more (drafts included)."""
        if self.read_only:
            return
        self.read_only = True
        self.note.disabled = True
        self.notice = ("TAKEN OVER in another terminal: read-only now"
                       + (" · your unsaved line stays on screen" if self._note_text().strip()
                          else ""))
        self._say(message, error=True)
        self.refresh_bindings()
        self._show_mode()

    def follow(self) -> None:
        """Read-only: show what the holder has saved since (at each heartbeat)."""
        if not self.read_only or self.store.held.get(self.session.id):
            return
        try:
            events = self.store.events(self.session.id)
        except StoreError:
            return
        if len(events) > len(self.session.events):
            self.session = Session(events, self.session.clock, self.session.sink)
            self.query_one("#timer", TimerBar).session = self.session
            self.refresh_view()

    # --- drawing ------------------------------------------------------------------------

    def refresh_view(self) -> None:
        state = self.session.state
        now = self.session.now()
        if state.current != self._last_section:
            self._last_section = state.current
            self.cursor = 0
            self.signal_bank = 0
            self._last_phase = ""  # a new section: its warning and time-up are its own
        prompts = state.section.prompts
        self.cursor = max(0, min(self.cursor, len(prompts) - 1)) if prompts else 0
        title = f" {visible(state.plan.title)} · {visible(state.candidate)}"
        if state.role:
            title += f" · {visible(state.role)}"
        if state.archetype:
            title += f" · {state.archetype} company"
        self.query_one("#title", Static).update(title)
        self.query_one("#timer", TimerBar).refresh()
        self.query_one("#sections", SectionList).show(state, now)
        self._show_pacing(now)
        guidance = state.section.plan.guidance
        self.query_one("#guidance", Static).update(f"» {visible(guidance)}" if guidance else "")
        self._show_prompts()
        self.query_one("#signals", SignalPane).show(state)
        self.query_one("#strip", SignalStrip).show(state, self.signal_bank)
        self.query_one("#notes", NotesTimeline).show(state)
        # The note just saved, or the signal just ticked, in words whatever is scrolled away.
        self.query_one("#last-note", LastAction).show(state, self.session.last_note())
        away = self.query_one("#away", Static)
        if state.away > 0 and not state.finished:
            away.update(f"‖ Reopened after {span(state.away)} away (give or take "
                        f"{HEARTBEAT_S:g} s). ^T resumes and asks whether to count it in; "
                        "Esc A counts it in now.")
            away.add_class("-shown")
        else:
            away.remove_class("-shown")
        self._show_mode()

    def _show_prompts(self) -> None:
        """In practice the follow-ups appear one at a time (F2) and the look-fors only at
        scoring, as with a real interviewer; in an interview they all show."""
        pane = self.query_one("#prompts", PromptPane)
        if self.practice:
            pane.show(self.state, self.cursor, follow_ups=self.follow_ups_shown,
                      look_for=False, folded=self.folded)
        else:
            pane.show(self.state, self.cursor, folded=self.folded)
        if (self.state.current, self.cursor) != self._cursor_shown:
            # A new highlighted question: bring it into view (only then, so a scroll down
            # to the signals is not undone by the next tick).
            self._cursor_shown = (self.state.current, self.cursor)
            self.call_after_refresh(self.scroll_to_cursor)

    def _show_pacing(self, now: float) -> None:
        prompts = self.state.section.prompts
        highlighted = prompts[self.cursor].id if prompts else None
        self.query_one("#pacing", PacingLine).show(self.state, now, highlighted)

    def _show_mode(self) -> None:
        notice = self.notice
        if self._unsaved:
            count = len(self._unsaved)
            # Short enough for 60 columns; the notification says the rest.
            notice = f"NOT SAVED: {count} note{'s' if count > 1 else ''}, {self._unsaved_reason}"
        typing_in = (None if self.typing or self.read_only or self.time_up
                     else self._command_idle_left())
        bars = self.query("#mode")
        if not bars:
            return  # not composed yet, or torn down (the app moved on to another stack)
        bars.first(ModeBar).show(self.typing, self.backdate, self.bell, notice,
                                 self.practice, typing_in)

    def on_screen_suspend(self) -> None:
        # Whatever opened over command mode (a dialog, help by F1, the palette, the
        # rubric), the screen comes back typing.
        if not self.typing and not self.read_only and not self.time_up:
            self._type_on_resume = True

    def on_screen_resume(self) -> None:
        # Back on the live screen: a resume opens this one. Only if it is still on top: at
        # a resume into the rubric, this event comes after the rubric was pushed over it.
        if self.app.screen is self and not self.read_only and self.drafts.get(SCREEN):
            self.drafts.clear(SCREEN)
        if self._type_on_resume and not self.read_only:
            self._type_on_resume = False
            self.action_typing_mode()

    def retire(self) -> None:
        """The app has moved on for good (the session is over): stop ticking."""
        self._ticker.stop()
        self.retired = True

    def on_tick(self) -> None:
        """Recompute the clock display; save the draft if it changed (at most a tick late)."""
        state = self.session.state
        now = self.session.now()
        timer = self.query_one("#timer", TimerBar)
        if self.think_until is not None:
            left = self.think_until - self.session.clock.monotonic()
            timer.think_left = max(0.0, left)
            if left <= 0:
                self.think_until = timer.think_left = None
                self._do(self.session.start_running)
        timer.tick()
        self.query_one("#sections", SectionList).show(state, now)  # its mm:ss follow the clock
        self._show_pacing(now)
        current = phase(state.section_left(state.current, now),
                        state.sections[state.current].planned)
        if current != self._last_phase:
            if self.bell and state.running and current in ("warning", "overtime"):
                self.app.bell()
            self._last_phase = current
            if self.practice and current == "overtime" and state.running:
                self._time_is_up()
        if not self.typing and not self.read_only and not self.time_up and (
                self.app.screen is self and self.think_until is None):
            if self._command_idle_left() <= 0:
                self.action_typing_mode()
                self._say(f"Back to typing: {COMMAND_IDLE_S:g} s without a key.")
            else:
                self._show_mode()  # the countdown to typing
        if self._unsaved:
            self._write_unsaved()
        self._flush_draft()
        self._checkpoint_when_idle()

    def _checkpoint_when_idle(self) -> None:
        """Fold the WAL into the database a second after the last write, so no key press
        pays for it (a failed checkpoint loses nothing: the WAL keeps every commit)."""
        written = len(self.session.events)
        idle = self.session.clock.monotonic() - self._last_write_seen[1]
        if written != self._last_write_seen[0]:
            self._last_write_seen = (written, self.session.clock.monotonic())
        elif idle >= 1.0 and written != self._checkpointed:
            self.store.checkpoint()
            self._checkpointed = written

    def _time_is_up(self) -> None:
        """Practice has a hard stop: the screen says so, the overrun keeps counting for the
        record, and the next key moves on: to the next section, or after the last to scoring."""
        self.time_up = True
        self.command = False
        self.set_focus(None)
        last = self.state.current == len(self.state.sections) - 1
        self.notice = ("TIME IS UP: the overrun is being counted. Press any key to "
                       + ("score." if last else "go to the next section."))
        self._show_mode()
        self.app.bell()

    async def on_key(self, event: Key) -> None:
        self._last_key_at = self.session.clock.monotonic()
        if self.time_up and self.practice:
            event.stop()
            event.prevent_default()
            self.time_up = False
            self.notice = ""
            if self.state.current < len(self.state.sections) - 1:
                self._do(self.session.next_section)
                self.action_typing_mode()
            else:
                self.action_rubric()
            return
        if self.typing or self.read_only:
            return
        bindings = self._bindings.key_to_bindings.get(event.key, ())
        if bindings:
            # A command key, acted on here (not left to bubble up as a binding) so that
            # the mode can follow the action: see BACK_TO_TYPING_AFTER.
            event.stop()
            event.prevent_default()
            await self._command(bindings[0].action)
        elif event.is_printable and event.character and not self.note.disabled:
            # Not a command key: the user is typing. Back to the note line, with the
            # letter, so nothing typed is lost.
            event.stop()
            event.prevent_default()
            self.action_typing_mode()
            self._type_into_note(event.character)
            self._say(f"'{event.character}' is not a command key: back to typing.")

    async def _command(self, action: str) -> None:
        stack = len(self.app.screen_stack)
        await self.run_action(action)
        name = action.split("(")[0]
        if len(self.app.screen_stack) > stack:
            self._type_on_resume = True  # a dialog or screen opened: typing when it closes
        elif name in BACK_TO_TYPING_AFTER and not self.read_only:
            self.action_typing_mode()

    def _type_into_note(self, character: str) -> None:
        if isinstance(self.note, Input):
            self.note.insert_text_at_cursor(character)
        else:
            self.note.insert(character)

    def _command_idle_left(self) -> float:
        return COMMAND_IDLE_S - (self.session.clock.monotonic() - self._last_key_at)

    def _flush_draft(self) -> None:
        if not self._draft_dirty or self.read_only:
            return
        try:
            self.store.save_draft(self.session.id, self._draft, self.session.clock.wall())
            self._draft_dirty = False
        except LeaseLost as err:
            self.lease_lost(str(err))
        except StoreError as err:
            # Stays dirty, so the next tick tries again; say it once, not every tick.
            self._fail_once(f"Draft not saved yet (retrying): {err}")

    def _fail_once(self, message: str) -> None:
        if message != self._last_failure:
            self._last_failure = message
            self._say(message, error=True)

    # --- focus and modes ----------------------------------------------------------------

    def on_descendant_focus(self) -> None:
        if self.signal_bank:
            self.show_bank(0)  # back to typing: a bank chosen before is forgotten
        self._show_mode()

    def on_descendant_blur(self) -> None:
        self.call_after_refresh(self._show_mode)

    def action_command_mode(self) -> None:
        self._last_key_at = self.session.clock.monotonic()
        if self.read_only or self.note.disabled:
            self.set_focus(None)
        else:
            self.command = True
            self.set_focus(self.note)  # at once, not after a refresh: see command_key
        self._show_mode()

    def action_typing_mode(self) -> None:
        self.command = False
        if not self.note.disabled and self.note.display:
            self.set_focus(self.note)
        self._show_mode()

    async def command_key(self, event: Key) -> bool:
        """A key that reached the note line (or the practice scratch area) in command mode:
        True when it was a command and has acted. A letter that is not a command key goes
        back to typing and into the line, in order with the keys around it."""
        if not self.command:
            return False
        self._last_key_at = self.session.clock.monotonic()
        bindings = self._bindings.key_to_bindings.get(event.key, ())
        if bindings:
            event.stop()
            event.prevent_default()
            await self._command(bindings[0].action)
            return True
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.action_typing_mode()
            return True
        if event.is_printable and event.character:
            self.command = False  # the widget types the letter itself
            self._show_mode()
            self._say(f"'{event.character}' is not a command key: back to typing.")
        return False

    def key_enter(self) -> None:
        if not self.typing:
            self.action_typing_mode()

    # --- doing --------------------------------------------------------------------------

    def _say(self, message: str, *, error: bool = False) -> None:
        self.notify(message, severity="error" if error else "warning",
                    timeout=8 if error else 4, markup=False)

    def _do(self, operation: Any, *args: Any) -> Any:
        """Run one session operation; a refused or failed write is told at once."""
        try:
            result = operation(*args)
        except SessionError as err:
            self._say(str(err))
            return None
        except LeaseLost as err:
            self.lease_lost(str(err))
            return None
        except StoreError as err:
            self._fail_once(f"NOT SAVED: {err}")
            return None
        self._last_failure = ""
        self.refresh_view()
        return result

    def _note_text(self) -> str:
        return self.note.value if isinstance(self.note, Input) else self.note.text

    def on_text_area_changed(self, event: Message) -> None:
        """The practice scratch area changed (the handler is named after TextArea.Changed,
        so TextArea need not be imported for an interview)."""
        if event.control is self.note:
            self.note_changed()

    @on(Input.Changed, "#note")
    def note_changed(self) -> None:
        self._draft = self._note_text()
        self._draft_dirty = True

    def _commit_note(self, flagged: bool = False) -> bool:
        if self.read_only:
            self._say("Read-only: this session is held in another terminal.")
            return False
        note_line = self.query_one("#note", Input)
        raw = note_line.value
        if not raw.strip():
            return False
        text, back = parse_note(raw)
        note = UnsavedNote(text, back or self.backdate, flagged, self.session.clock_now(),
                           self.state.current)
        note_line.value = ""
        self.backdate = 0.0
        self._draft, self._draft_dirty = "", True
        if self._unsaved:
            self._unsaved.append(note)  # after the ones still waiting, in typing order
            self._write_unsaved()
        elif not self._write_note(note):
            if self.read_only or not self._unsaved:
                note_line.value = raw  # refused or taken over: the text goes back
            self._show_mode()
            return False
        self._flush_draft()
        self._show_mode()
        return True

    def _write_note(self, note: UnsavedNote) -> bool:
        """Save one note as typed then; a write the database refuses queues it."""
        # A note saved late (it waited for the database) keeps the moment it was typed: its
        # back-date grows by the wait. Saved at once, it is stamped now, as typed.
        late = self.session.clock_now() - note.typed_at if note in self._unsaved else 0.0
        try:
            self.session.add_note(note.text, note.back + late, note.flagged, note.section)
        except SessionError as err:
            self._say(str(err))
            return False
        except LeaseLost as err:
            self.lease_lost(str(err))
            return False
        except StoreError as err:
            if note not in self._unsaved:
                self._unsaved.append(note)
            self._unsaved_reason = _waiting_for(str(err))
            self._fail_once(f"NOT SAVED: {err}")
            return False
        self._last_failure = ""
        self.refresh_view()
        return True

    def _write_unsaved(self) -> None:
        """Write the waiting notes in order; stop at the first the database still refuses."""
        while self._unsaved:
            if not self._write_note(self._unsaved[0]):
                break
            self._unsaved.pop(0)
            if not self._unsaved:
                self._say("Saved now.")
        self._show_mode()

    def action_flag(self) -> None:
        if self.typing and not self.practice and self._note_text().strip():
            self._commit_note(flagged=True)
            return
        last = self.session.last_note()
        if last is None:
            self._say("No note to flag yet.")
            return
        self._do(self.session.flag_note, last.id, not last.flagged)

    def action_cycle_backdate(self) -> None:
        steps = BACKDATE_STEPS
        self.backdate = steps[(steps.index(self.backdate) + 1) % len(steps)] if (
            self.backdate in steps) else 0.0
        self._show_mode()

    def action_next_section(self) -> None:
        if self.state.finished:
            return
        was_last = self.state.current == len(self.state.sections) - 1
        if self._do(self.session.next_section) is None:
            return
        if was_last:
            self._say("That was the last section: the timer stopped. r or ^R scores the "
                      "rubric; Esc z reopens it.")
        else:
            self._say_moved("ended")

    def action_previous_section(self) -> None:
        moved = self._do(self.session.previous_section)
        if moved is False:
            self._say("Already at the first section.")
        elif moved:
            self._say_moved("left")

    def action_skip_section(self) -> None:
        if not self.state.finished and self._do(self.session.next_section, True) is not None:
            self._say_moved("skipped")

    def _say_moved(self, how: str) -> None:
        """Every section move says where it went and how to undo it (a key typed in
        command mode by mistake is one `z` away from undone)."""
        state = self.state
        left = state.left if state.left is not None else state.current
        self._say(f"Section {left + 1} {how}; now {state.current + 1} "
                  f"({visible(state.section.plan.title)}). Esc z undoes it.")

    def action_reopen_section(self) -> None:
        target = section_to_reopen(self.state)
        if target is None:
            self._say("No section move to undo.")
            return
        if self._do(self.session.append, SectionReopened(section=target)) is not None:
            title = self.state.sections[target].plan.title
            self._say(f"Back to section {target + 1} ({visible(title)}): its time goes on.")

    def action_toggle_pause(self) -> None:
        if self.state.finished:
            return
        gap = self.state.away
        if gap > 0 and not self.state.running:
            # Resuming after a reopen: the time away is counted in or not, as the user says
            # (it used to lapse without a word).
            def chosen(count: bool | None) -> None:
                if count:
                    self._do(self.session.add_gap)
                    self._say(f"Added {span(gap)} to this section.")
                self._do(self.session.resume)

            from companion.tui.screens.confirm import Confirm

            self.app.push_screen(Confirm(
                f"Resume: count the {span(gap)} away into this section?",
                "y counts it, then resumes · n resumes without it (measured from the last "
                f"heartbeat, to within {HEARTBEAT_S:g} s)"), chosen)
            return
        self._do(self.session.toggle_pause)

    def action_add_gap(self) -> None:
        gap = self.state.away
        if gap <= 0:
            self._say("No time away to add.")
            return
        self._do(self.session.add_gap)
        self._say(f"Added {span(gap)} to this section.")

    def action_tick(self, index: int) -> None:
        signals = numbered_signals(self.state.section)
        number = self.signal_bank * BANK_SIZE + index + 1
        if self.signal_bank:
            self.show_bank(0)  # one tick per b
        if number > len(signals):
            self._say(f"No signal {number} in this section.")
            return
        self._toggle_signal(signals[number - 1][1].id)

    def _toggle_signal(self, signal_id: str) -> None:
        on = self._do(self.session.toggle_signal, signal_id)
        if on:
            self._tick_history.append((self.state.current, signal_id))

    def action_undo_tick(self) -> None:
        while self._tick_history:
            section, signal_id = self._tick_history.pop()
            if section == self.state.current and signal_id in self.state.section.ticked:
                self._do(self.session.toggle_signal, signal_id)
                return
        self._say("No tick to undo in this section.")

    def action_cursor(self, step: int) -> None:
        count = len(self.state.section.prompts)
        if count:
            self.cursor = (self.cursor + step) % count
            self._show_prompts()

    def action_toggle_asked(self) -> None:
        prompts = self.state.section.prompts
        if prompts:
            self._do(self.session.toggle_asked, prompts[self.cursor].id)

    def action_rate_question(self) -> None:
        prompts = self.state.section.prompts
        if not prompts:
            self._say("No question to rate in this section.")
            return
        prompt = prompts[self.cursor]
        rating = next_rating(self.state.section.ratings.get(prompt.id))
        before = len(self.session.events)
        self._do(self.session.rate_question, prompt.id, rating)
        if len(self.session.events) > before:  # saved (a refusal was told already)
            self._say(f"Answer rated {rating} (g again changes it)." if rating
                      else "Rating cleared.")

    @on(Row.Toggled, "PromptRow")
    def prompt_clicked(self, event: Row.Toggled) -> None:
        ids = [p.id for p in self.state.section.prompts]
        if event.row_id in ids:
            self.cursor = ids.index(event.row_id)
            self._do(self.session.toggle_asked, event.row_id)

    @on(SectionList.Chosen)
    def section_clicked(self, event: SectionList.Chosen) -> None:
        if not self.state.finished:
            self._do(self.session.go_to, event.index)

    @on(Row.Toggled, "SignalRow")
    def signal_clicked(self, event: Row.Toggled) -> None:
        self._toggle_signal(event.row_id)

    def action_add_question(self) -> None:
        def done(text: str | None) -> None:
            if text:
                self._do(self.session.add_prompt, text)
                self.cursor = len(self.state.section.prompts) - 1
                self.refresh_view()

        self.app.push_screen(TextPrompt("Ad-hoc question for this section",
                                        self.drafts.get("question"),
                                        keep=self.drafts.keep("question")),
                             self.drafts.then_clear("question", done))

    def action_add_signal(self, polarity: str) -> None:
        def done(text: str | None) -> None:
            if text:
                signal = self._do(self.session.add_signal, text, polarity)
                if signal is not None:
                    self._toggle_signal(signal.id)

        field = f"signal:{polarity}"
        self.app.push_screen(TextPrompt(f"Ad-hoc {polarity} signal (ticked when added)",
                                        self.drafts.get(field), keep=self.drafts.keep(field)),
                             self.drafts.then_clear(field, done))

    def action_edit_note(self) -> None:
        last = self.session.last_note()
        if last is None:
            self._say("No note to edit yet.")
            return

        def done(text: str | None) -> None:
            if text is not None and text != last.text:
                self._do(self.session.edit_note, last.id, text)

        field = f"edit:{last.id}"
        self.app.push_screen(TextPrompt("Edit the last note", self.drafts.get(field) or last.text,
                                        keep=self.drafts.keep(field)),
                             self.drafts.then_clear(field, done))

    def action_retract_note(self) -> None:
        last = self.session.last_note()
        if last is None:
            self._say("No note to retract.")
            return
        self._do(self.session.retract_note, last.id)
        self._say("Last note retracted (kept in the record, struck through).")

    def action_toggle_bell(self) -> None:
        self.bell = not self.bell
        self._show_mode()
        self._say("Bell on: rings at the warning and at zero." if self.bell else "Bell off.")

    def action_rubric(self) -> None:
        self._flush_draft()
        if self.practice:
            # The scratch area goes into the record as a note (once per change).
            text = self._note_text().strip()
            if text and text != self._scratch_saved:
                if self._do(self.session.add_note, text) is None:
                    return
                self._scratch_saved = text
            if self.state.running:
                self._do(self.session.pause)
        navigator(self).open_rubric(self.session)

    def action_redraw(self) -> None:
        if not self.practice:
            return
        if self._note_text().strip() or self.state.section.asked:
            self._say("Redraw is for before you answer: clear the scratch area first.")
            return
        prompts = navigator(self).redraw_questions(self.session)
        if not prompts:
            self._say("This section has no bank to draw from.")
            return
        self.follow_ups_shown.clear()
        self.time_up = False
        self._do(self.session.draw_questions, prompts, None, True)
        self._say("New question; the clock started again.")

    def action_reveal_follow_up(self) -> None:
        prompts = self.state.section.prompts
        if not prompts:
            return
        prompt = prompts[self.cursor]
        shown = self.follow_ups_shown.get(prompt.id, 0)
        if shown >= len(prompt.follow_ups):
            self._say("No more follow-ups for this question.")
            return
        self.follow_ups_shown[prompt.id] = shown + 1
        self._show_prompts()

    def action_examples(self) -> None:
        from companion.tui.screens.examples import ExamplesScreen

        prompts = self.state.section.prompts
        if prompts:
            self.app.push_screen(ExamplesScreen(prompts[self.cursor]))

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def prepare_to_leave(self) -> str | None:
        """On quit: save the draft, and pause a running timer (an event, so a reopen knows
        when the session stopped). Returns what could not be saved, for the exit message."""
        if self.read_only:
            return None  # nothing of ours to save: the holder keeps the session
        self._write_unsaved()
        if self._unsaved:
            # The database still refuses them: they go to the terminal, not lost with the app.
            lines = "\n".join(f"  [{mmss(n.typed_at)}] {visible(n.text)}" for n in self._unsaved)
            return (f"NOT SAVED ({self._unsaved_reason}): {len(self._unsaved)} note(s) typed "
                    f"while the database refused them; copy them now:\n{lines}")
        try:
            self._draft = self._note_text()
            self.store.save_draft(self.session.id, self._draft, self.session.clock.wall())
            if self.state.running:
                self.session.pause()
        except LeaseLost:
            return None
        except StoreError as err:
            return f"{err} (every note saved before this is safe)"
        return None


@dataclass(frozen=True, slots=True)
class UnsavedNote:
    """A note typed while the database refused writes: saved later as it was typed."""

    text: str
    back: float
    flagged: bool
    typed_at: float  # the interview clock when Enter was pressed
    section: int


def _waiting_for(error: str) -> str:
    lowered = error.lower()
    if "disk is full" in lowered:
        return "waiting for disk space"
    if "locked" in lowered:
        return "waiting for a lock"
    return "waiting for the database"
