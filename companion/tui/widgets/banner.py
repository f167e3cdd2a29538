"""The content banner: content files left out at start (a bad YAML file, a plan that does
not check), said at the top of home and the live screen for as long as the app runs, with
the command that lists every problem. A toast said it for 30 s and was gone."""

from __future__ import annotations

from typing import Any

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


def show_content_banner(screen: Screen[Any], words: str) -> None:
    """On top of a screen that shows one (home, live): at its mount, and when content read
    later turns out to have problems. Never twice."""
    if (words and getattr(screen, "SHOWS_CONTENT_BANNER", False)
            and not screen.query(ContentBanner)):
        screen.mount(ContentBanner(words), before=0)


def on_screen_mount(screen: Screen[Any]) -> None:
    """For a screen's on_mount: the banner, if the app has found problems."""
    show_content_banner(screen, str(getattr(screen.app, "content_banner", "")))
