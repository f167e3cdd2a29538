"""Key bindings shared by more than one widget or screen (each with an id, a description and
a tooltip, so the footer, the help and the command palette all show them)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from textual.actions import parse
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode
    from textual.screen import Screen

TYPING_BINDINGS: list[BindingType] = [
    Binding("ctrl+n", "screen.next_section", "Next", tooltip="End this section and start "
            "the next", id="typing.next_section"),
    Binding("ctrl+t", "screen.toggle_pause", "Pause", tooltip="Pause or resume the timer",
            id="typing.toggle_pause"),
    Binding("ctrl+f", "screen.flag", "Flag", tooltip="Save the note line as a flagged key "
            "moment, or flag the last note", id="typing.flag"),
    Binding("ctrl+l", "screen.cycle_backdate", "Back-date", tooltip="Back-date the next "
            "note: 15, 30, 60 s", id="typing.cycle_backdate"),
    Binding("ctrl+r", "screen.rubric", "Rubric", tooltip="Score the rubric",
            id="typing.rubric"),
    Binding("ctrl+o", "screen.redraw", "Redraw", tooltip="Practice: draw another question "
            "(before you answer; the clock restarts)", id="typing.redraw"),
]


def _declared(node: DOMNode) -> list[Binding]:
    """The bindings a companion class of `node` declares (not Textual's own widgets')."""
    found: list[Binding] = []
    for cls in reversed(type(node).__mro__):
        if cls.__module__.startswith("companion."):
            found += [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
    return found


def allowed(node: DOMNode, binding: Binding) -> bool:
    """Whether the binding's action may run now (check_action, as the footer asks it)."""
    namespace, name, params = parse(binding.action)
    target: DOMNode = node
    if namespace == "screen" and isinstance(node, Widget):
        target = node.screen
    elif namespace == "app":
        target = node.app
    return target.check_action(name, params) is not False


def screen_bindings(screen: Screen[Any]) -> list[tuple[DOMNode, Binding, list[str]]]:
    """Every action bound on the screen or its companion widgets that may run now, once,
    with all the keys that run it (`ctrl+n` and `n`): what the help and the command
    palette list. The screen's bindings come first; the binding given is the first seen."""
    found: dict[str, tuple[DOMNode, Binding, list[str]]] = {}
    for node in [screen, *screen.query("*")]:
        for binding in _declared(node):
            action = binding.action.removeprefix("screen.")
            if not allowed(node, binding):
                continue
            if action not in found:
                found[action] = (node, binding, [])
            keys = found[action][2]
            keys += [k for k in binding.key.split(",") if k not in keys]
    return list(found.values())


def palette_commands(app: App[None], screen: Screen[Any]) -> Iterator[SystemCommand]:
    """Every action of the current screen and its widgets that may run there, with its key,
    for the command palette (beside Textual's own commands)."""
    for node, binding, keys in screen_bindings(screen):
        shown = ", ".join(app.get_key_display(Binding(key, "")) for key in keys)
        yield SystemCommand(f"{binding.description} ({shown})",
                            binding.tooltip or binding.description, _runner(node, binding.action))


def _runner(node: DOMNode, action: str):  # type: ignore[no-untyped-def]
    async def run() -> None:
        await node.app.run_action(action, node)

    return run
