"""The footer of every screen: Textual's, rebuilt only when the keys it shows change.

Textual's Footer recomposes at every bindings update, changed or not: the live screen has
five in its first half second (focus, app focus, the stack) and more at each focus change,
each building and styling a new FooterKey per key. The five cost about 0.7 MiB of peak
memory, for the same keys each time."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    _shown: object = None  # what the keys were last composed from (None: never yet)

    async def recompose(self) -> None:
        if self.is_attached:  # else Textual's recompose does nothing either
            shown = self._keys()
            if shown == self._shown:
                return
            self._shown = shown
        await super().recompose()

    def _keys(self) -> object:
        """Everything Footer.compose reads: the shown bindings (key, display, description,
        action, group), whether each is enabled and its tooltip, and the palette key."""
        active = self.screen.active_bindings
        keys = tuple((binding, enabled, tooltip)
                     for _node, binding, enabled, tooltip in active.values() if binding.show)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (keys, None if palette is None else palette[1:], self.show_command_palette,
                self.app.ENABLE_COMMAND_PALETTE)
