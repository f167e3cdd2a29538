"""Search notes, evidence and summaries from the app (the same search as `companion search`).
The query runs in a thread worker with its own connection: a long read off the UI thread."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from companion.store.database import SEARCH_LATEST, Store, StoreError
from companion.store.search import Results, search_results
from companion.tui.text import plain


def hits_text(query: str, results: Results) -> Text:
    if not results.hits:
        return Text(f"Nothing matches “{query}”.", style="dim")
    text = Text(f"{len(results.hits)} match(es)\n", style="bold")
    if results.capped:
        text.append(results.note() + "\n", style="italic")
    for hit in results.hits:
        text.append_text(plain(hit.candidate, "bold"))
        text.append(f" · {hit.plan_title} · {hit.where} · {hit.stamp} on {hit.date} · "
                    f"{hit.label}\n", style="dim")
        text.append("  ")
        text.append_text(plain(hit.snippet))
        text.append("\n")
    text.rstrip()
    return text


class SearchScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close the search", id="search.close"),
    ]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical {
        width: 95%; max-width: 110; height: 90%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    SearchScreen Input { border: none; background: $boost; }
    """

    def __init__(self, store: Store, latest: int = SEARCH_LATEST) -> None:
        super().__init__()
        self.store = store
        self.latest = latest  # how many of the newest matches are ranked

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Search notes, evidence and summaries (words; Enter searches, "
                         "Esc closes)", markup=False)
            yield Input(id="query", placeholder="e.g. cache failover")
            with VerticalScroll():
                yield Static(id="hits", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = False
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#hits", Static).update("Searching…")
            self.run_search(event.value.strip())

    @work(thread=True, exclusive=True)
    def run_search(self, query: str) -> None:
        try:
            with Store(self.store.path) as store:
                results = search_results(store, query, latest=self.latest)
        except StoreError as err:
            self.app.call_from_thread(self.query_one("#hits", Static).update, str(err))
            return
        self.app.call_from_thread(self.query_one("#hits", Static).update,
                                  hits_text(query, results))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
