"""The content banner: content files left out at start (a bad YAML file, a plan that does
not check), said at the top of home and the live screen for as long as the app runs, with
the command that lists every problem. A toast said it for 30 s and was gone."""

from __future__ import annotations

from collections.abc import Iterator

from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from companion.tui.text import plain


class ContentBanner(Static):
    """One line or two, above everything else on the screen."""

    DEFAULT_CSS = """
    ContentBanner { height: auto; padding: 0 1; background: $error 30%; }
    """

    def __init__(self, words: str) -> None:
        super().__init__(plain(words), markup=False)  # file names are user text: no markup
        self.words = words


def content_banner(app: App[None]) -> Iterator[ContentBanner]:
    """For a screen's compose: the banner, when the app has something to say (no widget
    otherwise: each one costs the first frame)."""
    words = str(getattr(app, "content_banner", ""))
    if words:
        yield ContentBanner(words)


def show_content_banner(screen: Screen[object], words: str) -> None:
    """Problems found after the screen was drawn (content read later): the banner goes on
    top of a screen that shows one (home, live)."""
    if getattr(screen, "SHOWS_CONTENT_BANNER", False) and not screen.query(ContentBanner):
        screen.mount(ContentBanner(words), before=0)
