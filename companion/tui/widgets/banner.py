"""The content banner: content files left out at start (a bad YAML file, a plan that does
not check), said at the top of home and the live screen for as long as the app runs, with
the command that lists every problem. A toast said it for 30 s and was gone."""

from __future__ import annotations

from textual.widgets import Static

from companion.tui.text import plain


class ContentBanner(Static):
    """Hidden while there is nothing to say. The app hands the words down (`show`)."""

    DEFAULT_CSS = """
    ContentBanner { height: auto; padding: 0 1; background: $error 30%; display: none; }
    ContentBanner.-shown { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__("", markup=False, **kwargs)  # type: ignore[arg-type]
        self.words = ""

    def on_mount(self) -> None:
        self.show(str(getattr(self.app, "content_banner", "")))

    def show(self, words: str) -> None:
        if words == self.words:
            return
        self.words = words
        self.set_class(bool(words), "-shown")
        self.update(plain(words))  # file names are user text: never markup
