"""Search notes, evidence and summaries from the app (the same search as `companion search`).
The query runs in a thread worker with its own connection: a long read off the UI thread.
Each hit names its session; Enter on a hit opens that session's scorecard."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from companion.clock import Clock, RealClock
from companion.panel.reveal import hidden_scorecards
from companion.session import Session, SessionError
from companion.store.database import SEARCH_LATEST, Store, StoreError
from companion.store.search import Hit, Results, search_results
from companion.tui.navigation import navigator
from companion.tui.screens.overlay import Overlay
from companion.tui.text import plain


def hit_label(hit: Hit) -> Text:
    """One hit as an option: who, where, when, what, the session, then the snippet."""
    text = plain(hit.candidate, "bold")
    text.append(f" · {hit.plan_title} · {hit.where} · {hit.stamp} on {hit.date} · "
                f"{hit.label} · session {hit.session_id}\n", style="dim")
    text.append("  ")
    text.append_text(plain(hit.snippet))
    return text


def hits_heading(query: str, results: Results) -> Text:
    if not results.hits:
        return Text(f"Nothing matches “{query}”.", style="dim")
    text = Text(f"{len(results.hits)} match(es) · Enter opens the session's scorecard",
                style="bold")
    if results.capped:
        text.append("\n" + results.note(), style="italic")
    return text


def hits_text(query: str, results: Results) -> Text:
    if not results.hits:
        return Text(f"Nothing matches “{query}”.", style="dim")
    text = Text(f"{len(results.hits)} match(es)\n", style="bold")
    if results.capped:
        text.append(results.note() + "\n", style="italic")
    for hit in results.hits:
        text.append_text(plain(hit.candidate, "bold"))
        text.append(f" · {hit.plan_title} · {hit.where} · {hit.stamp} on {hit.date} · "
                    f"{hit.label} · session {hit.session_id}\n", style="dim")
        text.append("  ")
        text.append_text(plain(hit.snippet))
        text.append("\n")
    text.rstrip()
    return text


class SearchScreen(Overlay[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss", "Close", tooltip="Close the search", id="search.close"),
        Binding("ctrl+o", "open_hit", "Open scorecard", tooltip="Open the highlighted hit's "
                "session as its scorecard (Enter on a hit does too)", id="search.open"),
    ]
    DEFAULT_CSS = """
    SearchScreen { align: center middle; }
    SearchScreen > Vertical {
        width: 95%; max-width: 110; height: 90%; border: round $accent;
        background: $surface; padding: 0 1;
    }
    SearchScreen Input { border: none; background: $boost; }
    SearchScreen #hits { height: auto; }
    SearchScreen #hit-list { height: 1fr; }
    """

    def __init__(self, store: Store, latest: int = SEARCH_LATEST,
                 clock: Clock | None = None) -> None:
        super().__init__()
        self.store = store
        self.latest = latest  # how many of the newest matches are ranked
        self.clock = clock or RealClock()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Search notes, evidence and summaries (words; Enter searches, then "
                         "Enter on a hit opens its scorecard; Esc closes)", markup=False)
            yield Input(id="query", placeholder="e.g. cache failover")
            yield Static(id="hits", markup=False)
            yield OptionList(id="hit-list")

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
                hidden = hidden_scorecards(store, sees_all=lambda: navigator(self).sees_all)
                results = search_results(store, query, latest=self.latest,
                                         exclude=hidden.ids)
        except StoreError as err:
            self.app.call_from_thread(self.query_one("#hits", Static).update, str(err))
            return
        self.app.call_from_thread(self._show, query, results)

    def _show(self, query: str, results: Results) -> None:
        self.query_one("#hits", Static).update(hits_heading(query, results))
        hit_list = self.query_one("#hit-list", OptionList)
        hit_list.clear_options()
        hit_list.add_options([Option(hit_label(h), id=f"{i}:{h.session_id}")
                              for i, h in enumerate(results.hits)])
        if results.hits:
            hit_list.highlighted = 0
            hit_list.focus()  # Enter opens the highlighted hit; Shift+Tab back to the words

    @on(OptionList.OptionSelected, "#hit-list")
    def hit_selected(self, event: OptionList.OptionSelected) -> None:
        self._open((event.option.id or ":").split(":", 1)[1])

    def action_open_hit(self) -> None:
        hit_list = self.query_one("#hit-list", OptionList)
        if hit_list.highlighted is None or not hit_list.option_count:
            self.notify("Search first, then pick a hit.", severity="warning")
            return
        option = hit_list.get_option_at_index(hit_list.highlighted)
        self._open((option.id or ":").split(":", 1)[1])

    def _open(self, sid: str) -> None:
        """The hit's session, as its scorecard (the summary screen; h goes home)."""
        from companion.tui.screens.summary import SummaryScreen

        try:
            session = Session(self.store.events(sid), self.clock, self.store.sink(sid))
            row = self.store.session(sid) or {}
            if row.get("source", "local") != "local" and session.state.mode != "practice":
                # Another interviewer's scorecard shown: logged for the blind-first marks.
                self.store.record_views("search", self.clock.wall(), [{
                    "session_id": sid, "interviewer": session.state.interviewer,
                    "candidate": session.state.candidate,
                    "candidate_id": session.state.candidate_id}])
        except (StoreError, SessionError) as err:
            self.notify(str(err), severity="error", markup=False)
            return
        self.app.push_screen(SummaryScreen(session))

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
