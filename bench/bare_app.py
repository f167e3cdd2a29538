"""The baseline: a bare one-label Textual app (what any Textual app costs to start)."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("BARE READY")


if __name__ == "__main__":
    Bare().run()
