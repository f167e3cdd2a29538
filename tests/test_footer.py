"""The footer (companion.tui.widgets.footer): rebuilt when the keys it shows change, and only
then."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets._footer import FooterKey

from companion.tui.widgets.footer import KeysFooter


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("x", "mark", "Mark"),
        Binding("y", "other", "Other"),
    ]
    marked = False

    def compose(self) -> ComposeResult:
        yield KeysFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "other":
            return None if self.marked else True  # greyed out once marked
        return True

    def action_mark(self) -> None:
        self.marked = True
        self.refresh_bindings()

    def action_other(self) -> None:
        pass


async def test_the_same_keys_keep_their_footer_keys() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        keys = list(app.query(FooterKey))
        assert [k.key for k in keys] == ["x", "y", "ctrl+p"]
        app.refresh_bindings()  # an update that changes nothing shown
        await pilot.pause()
        assert list(app.query(FooterKey)) == keys


async def test_a_changed_key_is_shown() -> None:
    app = FooterApp()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not next(k for k in app.query(FooterKey) if k.key == "y").has_class("-disabled")
        await pilot.press("x")
        await pilot.pause()
        assert next(k for k in app.query(FooterKey) if k.key == "y").has_class("-disabled")
