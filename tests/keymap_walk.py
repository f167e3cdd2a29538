"""Walks the real app through every screen and mode of docs/keys.md and records, for each,
the key bindings in force (the focused widget's, its screen's, the app's: Textual's binding
chain, priority bindings included), what the footer shows, what the help screen lists and
what the command palette offers. tests/test_keymap.py checks the published keymap with it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.text import Text
from textual.app import App
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.session import Session
from companion.store.database import Store

FIXTURES = Path(__file__).parent / "fixtures" / "live"


@dataclass(frozen=True)
class Bound:
    """One binding in force: the key, the action as the node resolves it, whose it is."""

    key: str
    action: str  # "<namespace class>.<action name>(params)"
    binding: Binding
    ours: bool  # declared by a companion class (not one of Textual's widgets)
    node: str


@dataclass
class Mode:
    """One screen in one mode (a focus position, or the union of several)."""

    name: str
    chains: list[list[Bound]] = field(default_factory=list)  # one per focus position
    enabled: set[str] = field(default_factory=set)  # our keys whose action is allowed here
    effective: dict[str, Bound] = field(default_factory=dict)  # key -> the binding it runs
    doubled: list[tuple[Bound, Bound]] = field(default_factory=list)  # ours, two actions
    shadowed: list[tuple[Bound, Bound]] = field(default_factory=list)  # (Textual's, ours)
    footer: set[str] = field(default_factory=set)  # keys the footer shows
    help_text: str = ""
    palette: list[str] = field(default_factory=list)
    display: dict[str, str] = field(default_factory=dict)  # key -> as the app shows it

    def palette_keys(self) -> set[str]:
        """The keys the palette's titles name: "Next section (^n, n)"."""
        return {key for title in self.palette if title.endswith(")")
                for key in title.rpartition(" (")[2][:-1].split(", ")}

    def ours(self) -> list[Bound]:
        return [b for chain in self.chains for b in chain if b.ours]


def _ours(node: DOMNode, binding: Binding) -> bool:
    """Declared in the BINDINGS of a companion class of the node (not inherited from one
    of Textual's widgets)."""
    for cls in type(node).__mro__:
        if not cls.__module__.startswith("companion"):
            continue
        for declared in cls.__dict__.get("BINDINGS", []):
            if isinstance(declared, Binding) and declared.action == binding.action and (
                    binding.key in declared.key.split(",")):
                return True
    return False


def _resolve(node: DOMNode, action: str) -> str:
    namespace, _, name = action.rpartition(".")
    target: Any = node
    if namespace == "screen":
        target = node.screen if isinstance(node, Widget) else node
    elif namespace == "app":
        target = node.app
    return f"{type(target).__name__}.{name}"


def chain(screen: Screen[Any]) -> list[Bound]:
    """Every binding in force on the screen as it is focused now, innermost first."""
    found: list[Bound] = []
    for node, bindings in screen._binding_chain:
        for key, key_bindings in bindings.key_to_bindings.items():
            for binding in key_bindings:
                found.append(Bound(key, _resolve(node, binding.action), binding,
                                   _ours(node, binding), type(node).__name__))
    return found


def _enabled(screen: Screen[Any], bound: Bound) -> bool:
    """check_action, asked of the node the binding belongs to (as the footer asks it)."""
    from companion.tui.keymap import allowed

    for node, bindings in screen._binding_chain:
        if bound.binding in bindings.key_to_bindings.get(bound.key, []):
            return allowed(node, bound.binding)
    return False


TEXT_FIELDS = ("Input", "TextArea", "OptionList")
TYPING_FIELDS = ("Input", "TextArea")


def _printable_keys() -> set[str]:
    import string

    from textual.keys import _character_to_key

    return {_character_to_key(c) for c in string.printable if c.isprintable()}


PRINTABLE = _printable_keys()


def _is_a(widget: Widget | None, names: tuple[str, ...]) -> bool:
    return widget is not None and any(c.__name__ in names for c in type(widget).__mro__)


def _effective(screen: Screen[Any], focused: Widget | None, bound: list[Bound],
               mode: Mode) -> None:
    """Per key, the binding that runs (the innermost whose action may run): ours go into
    the mode's keymap. Two of ours for one key with different actions are doubled; one of
    ours under a Textual binding is shadowed, unless the focused widget is a text field or
    a list, whose own keys (arrows, paging) are what a user expects there."""
    by_key: dict[str, list[Bound]] = {}
    for b in bound:
        by_key.setdefault(b.key, []).append(b)
    for key, candidates in by_key.items():
        if key in PRINTABLE and _is_a(focused, TYPING_FIELDS):
            continue  # a text field takes every printable key as text, before any binding
        live = [b for b in candidates if not b.ours or _enabled(screen, b)]
        if not live:
            continue
        first = live[0]
        ours = [b for b in live if b.ours]
        mode.doubled += [(ours[0], b) for b in ours[1:] if b.action != ours[0].action]
        if first.ours:
            mode.effective.setdefault(key, first)
        elif ours:
            field_focused = focused is not None and first.node == type(focused).__name__ and (
                _is_a(focused, TEXT_FIELDS))
            if not field_focused:
                mode.shadowed.append((first, ours[0]))


def help_text(app: App[Any], screen: Screen[Any]) -> str:
    from companion.tui.screens.help import help_text as text_of

    return text_of(app, screen).plain


def footer_keys(screen: Screen[Any]) -> set[str]:
    return {key for key, active in screen.active_bindings.items()
            if active.binding.show and active.enabled}


def record(app: App[Any], mode: Mode, focus: list[Widget | None] | None = None) -> None:
    """Add the screen's bindings in each focus position (default: every one it has)."""
    screen = app.screen
    positions: list[Widget | None] = list(focus) if focus is not None else [
        None, *screen.focus_chain]
    before = screen.focused
    for widget in positions:
        screen.set_focus(widget, scroll_visible=False)
        bound = chain(screen)
        mode.chains.append(bound)
        mode.enabled |= {b.key for b in bound if b.ours and _enabled(screen, b)}
        _effective(screen, widget, bound, mode)
        mode.footer |= footer_keys(screen)
    screen.set_focus(before, scroll_visible=False)
    mode.help_text = help_text(app, screen)
    mode.palette = [command.title for command in app.get_system_commands(screen)]
    mode.display = {key: app.get_key_display(Binding(key, "")) for key in mode.effective}


def _library() -> Library:
    lib = Config(plans=[FIXTURES], config_dir=FIXTURES / "no-user-config").library()
    assert not lib.problems, lib.problems
    return lib


Step = Callable[[App[Any], Any], Awaitable[None]]


async def walk(tmp_path: Path) -> dict[str, Mode]:
    """Every screen and mode of docs/keys.md, by its heading there."""
    from companion.tui.screens.close import CloseScreen
    from companion.tui.screens.confirm import Confirm
    from companion.tui.screens.examples import ExamplesScreen
    from companion.tui.screens.held import HeldChoice
    from companion.tui.screens.help import HelpScreen
    from companion.tui.screens.person import PersonPicker
    from companion.tui.screens.rubric import RubricScreen
    from companion.tui.screens.search import SearchScreen
    from companion.tui.screens.summary import SummaryScreen
    from companion.tui.screens.text_prompt import TextPrompt

    library = _library()
    modes: dict[str, Mode] = {}

    def mode(name: str) -> Mode:
        return modes.setdefault(name, Mode(name))

    store = Store(tmp_path / "keys.db")
    clock = FakeClock()
    try:
        app = create_app(store, clock, library, tick=10_000)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            record(app, mode("Home"))
            app.open_stats()
            await pilot.pause()
            record(app, mode("Stats"))
            app.pop_screen()
            await pilot.pause()
            await app.push_screen(SearchScreen(store))
            await pilot.pause()
            record(app, mode("Search"))
            app.pop_screen()
            await app.push_screen(PersonPicker("Sam", [{
                "ids": ["sam@example.org"], "name": "Sam", "role": "backend",
                "level": "mid", "sessions": 1, "last_seen": "2026-01-01",
                "session_ids": ["s0"]}]))
            await pilot.pause()
            record(app, mode("Dialog: which person"))
            app.pop_screen()
            await app.push_screen(HeldChoice("s0", "pid 1 on this machine since 10:02"))
            await pilot.pause()
            record(app, mode("Dialog: held in another terminal"))
            app.pop_screen()

        for practice in (False, True):
            plan = resolve_plan(library, "t-practice" if practice else "t-live", "backend")
            sid = "p1" if practice else "s1"
            session = Session.start(plan, clock, store.sink(sid), session_id=sid,
                                    candidate="Sam", role="backend")
            app = create_app(store, clock, library, session, tick=10_000)
            async with app.run_test(size=(120, 40)) as pilot:
                await pilot.pause()
                live = app.screen
                prefix = "Practice" if practice else "Live"
                record(app, mode(f"{prefix}: typing mode"), [live.query_one("#note")])
                record(app, mode(f"{prefix}: command mode"), [None])
                if practice:
                    app.open_rubric(session)
                    await pilot.pause()
                    record(app, mode("Practice: rubric and post-mortem"))
                    continue
                prompt = session.state.section.prompts[0]
                await app.push_screen(ExamplesScreen(prompt))
                await pilot.pause()
                record(app, mode("Worked examples"))
                app.pop_screen()
                await app.push_screen(HelpScreen(live))
                await pilot.pause()
                record(app, mode("Help"))
                app.pop_screen()
                await app.push_screen(TextPrompt("A question"))
                await pilot.pause()
                record(app, mode("Dialog: text"))
                app.pop_screen()
                await app.push_screen(Confirm("Sure?"))
                await pilot.pause()
                record(app, mode("Dialog: confirm"))
                app.pop_screen()
                app.open_rubric(session)
                await pilot.pause()
                assert isinstance(app.screen, RubricScreen)
                record(app, mode("Rubric"))
                app.open_close(session)
                await pilot.pause()
                assert isinstance(app.screen, CloseScreen)
                record(app, mode("Close: recommendation and summary"))
                session.set_summary("done")
                session.end()
                app.open_summary(session)
                await pilot.pause()
                assert isinstance(app.screen, SummaryScreen)
                record(app, mode("Summary"))
    finally:
        store.close()
    return modes


def keys_of(text: str) -> dict[str, set[str]]:
    """docs/keys.md: each `## heading` and the backticked keys of its tables' first column,
    with those of the section it names in "Same keys as **heading**"."""
    from textual.keys import _character_to_key

    found: dict[str, set[str]] = {}
    same_as: dict[str, str] = {}
    heading = ""
    for line in text.splitlines():
        if line.startswith("## "):
            heading = line[3:].strip()
            found[heading] = set()
        elif heading and (match := re.match(r"Same keys as \*\*(.+?)\*\*", line)):
            same_as[heading] = match.group(1)
        elif heading and line.startswith("|") and not set(line) <= set("|-: "):
            first = line.split("|")[1]
            if first.strip() == "Key":
                continue
            for token in re.findall(r"`([^`]+)`", first):
                found[heading].add(_character_to_key(token) if len(token) == 1 else token)
    for heading, base in same_as.items():
        found[heading] |= found[base]
    return found


def plain(text: Text | str) -> str:
    return text.plain if isinstance(text, Text) else text


__all__ = ["Bound", "Mode", "Static", "chain", "keys_of", "plain", "record", "walk"]
