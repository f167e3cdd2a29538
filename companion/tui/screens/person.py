"""Which person is this? Asked on home when a typed name belongs to more than one person
(sessions with different stable ids, or sessions without one): each is shown with its id,
role, level, sessions and when last seen, and one more choice keeps the name as a new
person. A stable id identifies a person; a session without one is a person of its own."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from companion.textsafe import visible
from companion.tui.screens.overlay import Overlay
from companion.tui.text import plain

NEW = "__new__"


def person_label(person: dict[str, Any]) -> Text:
    label = plain(person["name"], "bold")
    ident = person["ids"][0] if person["ids"] else "no stable id"
    label.append(f"  {visible(ident)}", style="bold" if person["ids"] else "italic")
    who = " ".join(v for v in (person["role"], person["level"]) if v)
    label.append(f"  {visible(who) or 'no role'} · {person['sessions']} session(s) · last "
                 f"{str(person['last_seen'])[:10]}", style="dim")
    if not person["ids"]:
        label.append(f" · session {person['session_ids'][0]}", style="dim")
    return label


class PersonPicker(Overlay[dict[str, Any] | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "keep", "Keep as typed", tooltip="Keep the name as typed, fill in "
                "nothing", id="person.keep"),
    ]
    DEFAULT_CSS = """
    PersonPicker { align: center middle; }
    PersonPicker > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 80%; border: round $warning;
        background: $surface; padding: 0 1;
    }
    PersonPicker OptionList { height: auto; max-height: 14; }
    """

    def __init__(self, name: str, people: list[dict[str, Any]]) -> None:
        super().__init__()
        self.typed = name
        self.people = people

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"“{visible(self.typed)}” is the name of {len(self.people)} "
                        "people in this database, or of sessions without a stable id. Which "
                        "one is this?", markup=False)
            options = [Option(person_label(p), id=str(i)) for i, p in enumerate(self.people)]
            options.append(Option(Text("Someone new: fill in nothing", style="italic"),
                                  id=NEW))
            yield OptionList(*options, id="people")
            yield Label("Enter picks (id, role and level of their last session) · Esc keeps "
                        "the name as typed. Sessions without an id join a person only with "
                        "`companion candidates merge`.", markup=False, classes="hint")

    def on_mount(self) -> None:
        self.query_one("#people", OptionList).focus()

    @on(OptionList.OptionSelected, "#people")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id in (None, NEW):
            self.dismiss(None)
            return
        self.dismiss(self.people[int(event.option.id)])

    def action_keep(self) -> None:
        self.dismiss(None)
