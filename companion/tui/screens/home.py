"""Home: choose a plan (searchable, grouped by family and stage), say who the candidate is
(a known name fills in that person's id, role and level, or asks which person), start;
finish a pending scorecard (shown first, with its age); resume / abandon a session in
progress; recent sessions. Against anchoring, earlier interviews show as "scored", their
scores and recommendation one key away (F2), and after four interviews in a day a note
suggests a pause."""

from __future__ import annotations

import random
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from companion.clock import Clock
from companion.content.library import Library, UnknownPlan, resolve_plan
from companion.holding import hold_new, open_for_writing, open_read_only
from companion.model import ARCHETYPES, Plan
from companion.panel import scorecards
from companion.panel.reveal import hidden_scorecards
from companion.practice.draws import practice_plan
from companion.session import Session, SessionError, new_session_id
from companion.store.database import Store, StoreError
from companion.textsafe import fold_name, visible
from companion.tui.navigation import navigator
from companion.tui.screens.confirm import Confirm
from companion.tui.screens.held import READ_ONLY, TAKE_OVER, HeldChoice
from companion.tui.screens.person import PersonPicker
from companion.tui.text import plain
from companion.tui.widgets.banner import on_screen_mount
from companion.tui.widgets.footer import KeysFooter

RECENT = 8


def plan_details(lib: Library, plan: Plan) -> Text:
    """What `companion show` says first: minutes, sections, who, description."""
    text = Text()
    text.append_text(plain(plan.title, "bold"))
    minutes = f"{plan.minutes:g} min" if plan.minutes else "untimed"
    text.append(f"\n{plan.id} · {plan.mode} · {minutes}", style="dim")
    if plan.stage:
        text.append(f" · {plan.stage}", style="dim")
    loops = lib.loops_of(plan.id)
    if loops:
        text.append("\nPart of: " + ", ".join(visible(lp.title) for lp in loops), style="dim")
    if plan.participants:
        text.append("\nWho: ")
        text.append_text(plain(", ".join(plan.participants)))
    if plan.description:
        text.append("\n\n")
        text.append_text(plain(plan.description))
    text.append("\n\nSections\n", style="bold")
    for number, section in enumerate(plan.sections, 1):
        mins = f"{section.minutes:g}m" if section.minutes else "-"
        text.append(f" {number}. ")
        text.append_text(plain(section.title))
        text.append(f"  {mins}\n", style="dim")
    if plan.rubric and plan.rubric in lib.rubrics:
        rubric = lib.rubrics[plan.rubric]
        text.append(f"Rubric: {visible(rubric.title)} (pass {rubric.threshold}/"
                    f"{rubric.max_score})", style="dim")
    return text


class DetailsColumn(VerticalScroll, can_focus=False, inherit_bindings=False):
    """The right-hand column: no Tab stop of its own and no keys of its own, so pageup and
    pagedown reach the screen's scroll_details from any field in it."""


class HomeScreen(Screen[None]):
    SHOWS_CONTENT_BANNER = True  # content problems found at start, above everything
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", tooltip="Start the chosen plan for this candidate",
                id="home.start"),
        Binding("ctrl+o", "resume", "Resume", tooltip="Resume the highlighted session in "
                "progress", id="home.resume"),
        Binding("ctrl+y", "finish", "Finish scorecard", tooltip="Finish the highlighted "
                "pending scorecard (the oldest first): its rubric, recommendation, summary",
                id="home.finish"),
        Binding("ctrl+r", "amend", "Amend", tooltip="Amend the highlighted recent session: "
                "its scores, recommendation, summary or post-mortem (kept as amendments)",
                id="home.amend"),
        Binding("ctrl+g", "abandon", "Abandon", tooltip="Abandon the highlighted session in "
                "progress (kept, marked abandoned)", id="home.abandon"),
        Binding("ctrl+f", "search", "Search", tooltip="Search notes, evidence and summaries",
                id="home.search"),
        Binding("ctrl+t", "stats", "Trend", tooltip="Your practice trend: totals, weakest "
                "criterion, reps", id="home.stats"),
        Binding("f2", "toggle_scores", "Scores", tooltip="Show or hide the scores and "
                "recommendations of earlier interviews (hidden so the last candidate does "
                "not anchor the next)", id="home.scores"),
        Binding("f1", "help", "Help", tooltip="All keys", id="home.help"),
        # The right-hand column is no Tab stop of its own: these scroll it from anywhere
        # (in the plan list they page the list).
        Binding("pagedown", "scroll_details(1)", "Scroll down", show=False,
                tooltip="Scroll the right-hand column (details, form, sessions) down",
                id="home.scroll_down"),
        Binding("pageup", "scroll_details(-1)", "Scroll up", show=False,
                tooltip="Scroll the right-hand column up", id="home.scroll_up"),
    ]
    DEFAULT_CSS = """
    HomeScreen #home-title { height: 1; padding: 0 1; background: $panel; }
    HomeScreen #left { width: 1fr; min-width: 30; }
    HomeScreen #right { width: 1fr; }
    HomeScreen #plans { height: 1fr; min-height: 5; }
    HomeScreen #details { height: auto; max-height: 14; padding: 0 1; }
    HomeScreen #form { height: auto; }
    HomeScreen #form Input { border: none; height: 1; background: $boost; margin-bottom: 1; }
    HomeScreen #form Label { padding: 0 1; color: $text-muted; }
    HomeScreen #in-progress { height: auto; max-height: 6; }
    HomeScreen #pending { height: auto; max-height: 6; }
    HomeScreen #pause-note { height: auto; padding: 0 1; }
    HomeScreen #recent { height: auto; max-height: 10; color: $text-muted; }
    HomeScreen .heading { padding: 0 1; text-style: bold; }
    HomeScreen.-narrow #body { layout: vertical; }
    HomeScreen.-narrow #left { height: 11; }
    HomeScreen.-narrow #right { height: 1fr; }
    HomeScreen.-narrow #details { max-height: 7; }
    """

    def __init__(self, store: Store, library: Library | None, clock: Clock,
                 rng: random.Random | None = None, *, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.library = library or Library()
        self.clock = clock
        self.rng = rng or random.Random()
        self.query_text = query
        self.show_scores = False  # earlier interviews' scores: one key away (F2)
        self._looked_up = ""  # the name last looked up among known people (folded)

    def compose(self) -> ComposeResult:
        yield Static(" companion · choose a plan, name the candidate, Ctrl+S starts",
                     id="home-title", markup=False)
        with Horizontal(id="body"):
            with Vertical(id="left"):
                yield Input(placeholder="Search plans (title, id, stage, tag)", id="filter")
                yield OptionList(id="plans")
            # Not a stop of its own for Tab: from the plan list, Tab goes straight to the
            # candidate's name (the column scrolls to whatever has focus).
            with DetailsColumn(id="right"):
                yield Static(id="details", markup=False)
                with Vertical(id="form"):
                    yield Label("Candidate name")
                    yield Input(id="candidate", placeholder="Name")
                    yield Label("Candidate id (email or ATS id, optional)")
                    yield Input(id="candidate-id", placeholder="Stable id")
                    yield Label("Role (drives role-tagged questions) · level")
                    yield Input(id="role", placeholder="e.g. backend, sre, data-engineering")
                    yield Input(id="level", placeholder="e.g. junior, mid, senior")
                    yield Input(id="archetype", placeholder="Company archetype (optional: "
                                "high-growth…)",
                                suggester=SuggestFromList(ARCHETYPES, case_sensitive=False))
                    yield Label("Interviewer (you)")
                    yield Input(id="interviewer", placeholder="Your name")
                    yield Button("Start (Ctrl+S)", id="start", variant="primary")
                yield Static(id="pause-note", markup=False)
                yield Static("Pending scorecards (Enter or Ctrl+Y finishes scoring)",
                             classes="heading",
                             markup=False, id="pending-heading")
                yield OptionList(id="pending")
                yield Static("In progress (Enter or Ctrl+O resumes, Ctrl+G abandons)",
                             classes="heading", markup=False)
                yield OptionList(id="in-progress")
                yield Static("Recent (Enter or Ctrl+R amends, F2 shows scores)",
                             classes="heading", markup=False)
                yield OptionList(id="recent")
        yield KeysFooter()

    def on_mount(self) -> None:
        on_screen_mount(self)
        for widget in self.query(Input):
            widget.cursor_blink = False
        lib = self.library
        roles = sorted({r for b in lib.banks.values() for q in b.questions for r in q.roles})
        levels = sorted({lv for b in lib.banks.values() for q in b.questions for lv in q.levels})
        self.query_one("#role", Input).suggester = SuggestFromList(roles, case_sensitive=False)
        self.query_one("#level", Input).suggester = SuggestFromList(levels,
                                                                    case_sensitive=False)
        try:
            known = [name for name, _ in self.store.candidates()]
            self.query_one("#candidate", Input).suggester = SuggestFromList(
                known, case_sensitive=False)
            self.query_one("#interviewer", Input).value = self.store.last_interviewer()
        except StoreError as err:
            self.notify(str(err), severity="error", markup=False)
        self.query_one("#filter", Input).value = self.query_text
        self._fill_plans(self.query_text)
        self._fill_sessions()
        self.query_one("#filter", Input).focus()

    # --- plans ----------------------------------------------------------------------------

    def _fill_plans(self, query: str) -> None:
        words = query.lower().split()
        plans = sorted(self.library.plans.values(), key=self.library.listing_order)
        options: list[Option | None] = []
        family = None
        for plan in plans:
            hay = " ".join([plan.id, plan.title, plan.stage, plan.family, plan.mode,
                            *plan.tags]).lower()
            if not all(w in hay for w in words):
                continue
            if plan.family != family:
                family = plan.family
                options.append(Option(Text(f"── {visible(family or 'other')} ──", style="bold"),
                                      disabled=True))
            minutes = f"{plan.minutes:g}m" if plan.minutes else "untimed"
            label = plain(f"{plan.title}  ")
            label.append(f"{minutes} · {visible(plan.stage or plan.mode)}", style="dim")
            options.append(Option(label, id=plan.id))
        plan_list = self.query_one("#plans", OptionList)
        plan_list.clear_options()
        plan_list.add_options([o for o in options if o is not None])
        first = next((i for i, o in enumerate(options) if o and not o.disabled), None)
        if first is not None:
            plan_list.highlighted = first
        self._show_details()

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self._fill_plans(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#candidate", Input).focus()

    @on(OptionList.OptionHighlighted, "#plans")
    def plan_highlighted(self) -> None:
        self._show_details()

    @on(OptionList.OptionSelected, "#plans")
    def plan_selected(self) -> None:
        self.query_one("#candidate", Input).focus()

    def _chosen_plan(self) -> Plan | None:
        plan_list = self.query_one("#plans", OptionList)
        if plan_list.highlighted is None:
            return None
        option = plan_list.get_option_at_index(plan_list.highlighted)
        return self.library.plans.get(option.id or "")

    def _show_details(self) -> None:
        plan = self._chosen_plan()
        details = self.query_one("#details", Static)
        if plan is None:
            details.update("No plan matches. Clear the search, or add plans to your config "
                           "folder (`companion paths`).")
        else:
            details.update(plan_details(self.library, plan))

    # --- sessions ---------------------------------------------------------------------------

    def _fill_sessions(self) -> None:
        try:
            pending_rows = scorecards.pending(self.store)
            open_rows = [r for r in self.store.sessions(limit=50)
                         if r["status"] in ("running", "paused")]
            # The panel's scorecards this user may not see yet: counted, not listed.
            hidden = hidden_scorecards(self.store, sees_all=lambda: navigator(self).sees_all)
            recent = [r for r in self.store.sessions(limit=RECENT * 3, hide=bool(hidden))
                      if r["status"] in ("ended", "abandoned")][:RECENT]
            today = scorecards.interviews_today(self.store, self.clock.wall())
        except StoreError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        now = self.clock.wall()
        pending_list = self.query_one("#pending", OptionList)
        pending_list.clear_options()
        for row in pending_rows:
            label = Text("pending ", style="bold")
            label.append(f"{row['id']}  ", style="dim")
            label.append_text(plain(row["candidate"], "bold"))
            label.append(f"  {visible(row['plan_title'])}  ended "
                         f"{scorecards.ago(scorecards.age_of(row, now))}", style="dim")
            pending_list.add_option(Option(label, id=row["id"]))
        # Shown only when there is one (the column keeps its room for the rest).
        pending_list.display = bool(pending_rows)
        if pending_rows:
            pending_list.highlighted = 0  # Ctrl+Y finishes the oldest, from anywhere
        self.query_one("#pending-heading", Static).display = bool(pending_rows)
        note = self.query_one("#pause-note", Static)
        note.display = today >= scorecards.PAUSE_AFTER
        note.update(f"ⓘ {today} interviews today: a short pause before the next one helps "
                    "you judge each candidate on their own." if note.display else "")
        in_progress = self.query_one("#in-progress", OptionList)
        in_progress.clear_options()
        for row in open_rows:
            label = Text(f"{row['id']}  ", style="dim")
            label.append_text(plain(row["candidate"], "bold"))
            when = (row["last_event_at"] or "")[:16].replace("T", " ")
            label.append(f"  {visible(row['plan_title'])}  {when} UTC" if when else
                         f"  {visible(row['plan_title'])}", style="dim")
            in_progress.add_option(Option(label, id=row["id"]))
        if not open_rows:
            in_progress.add_option(Option(Text("none", style="dim"), disabled=True))
        else:
            in_progress.highlighted = 0  # Ctrl+O / Ctrl+G act on the newest, from anywhere
        recent_list = self.query_one("#recent", OptionList)
        recent_list.clear_options()
        for row in recent:
            recent_text = Text()
            score = f"{row['score']}/{row['max_score']}" if row["score"] is not None else "-"
            verdict = row["recommendation"] or row["status"]
            if row["mode"] != "practice" and not self.show_scores and row["status"] == "ended":
                # Against anchoring: an earlier candidate's scores stay one key away.
                score = ""
                verdict = "pending" if row.get("scorecard") == "pending" else "scored"
            recent_text.append(f"{(row['started_at'] or '')[:10]}  ")
            recent_text.append_text(plain(row["candidate"], "bold"))
            recent_text.append(f"  {visible(row['plan_title'])}  "
                               + (f"{score}  " if score else "") + f"{visible(verdict)}")
            recent_list.add_option(Option(recent_text, id=row["id"]))
        if not recent:
            recent_list.add_option(Option(Text("No finished sessions yet.", style="dim"),
                                          disabled=True))
        else:
            recent_list.highlighted = 0  # Ctrl+R amends the newest, from anywhere
        waiting = hidden.words()
        if waiting:  # others' panel scorecards, counted and not shown (panel.reveal)
            recent_list.add_option(Option(Text(f"ⓘ {waiting}", style="italic"),
                                          disabled=True))

    def _highlighted_session(self) -> str | None:
        in_progress = self.query_one("#in-progress", OptionList)
        if in_progress.highlighted is None:
            return None
        return in_progress.get_option_at_index(in_progress.highlighted).id

    @on(OptionList.OptionSelected, "#in-progress")
    def session_selected(self) -> None:
        self.action_resume()

    @on(OptionList.OptionSelected, "#pending")
    def pending_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._finish(event.option.id)

    def action_finish(self) -> None:
        pending = self.query_one("#pending", OptionList)
        if not pending.display or not pending.option_count:
            self.notify("No pending scorecards: every ended interview is complete.")
            return
        index = pending.highlighted if pending.highlighted is not None else 0
        sid = pending.get_option_at_index(index).id
        if sid is not None:
            self._finish(sid)

    def _finish(self, sid: str) -> None:
        """Finish a pending scorecard: its rubric, then the recommendation and summary (held
        as an amendment is: one terminal at a time)."""
        navigator(self).open_amend(sid)

    @on(OptionList.OptionSelected, "#recent")
    def recent_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            navigator(self).open_amend(event.option.id)

    def action_amend(self) -> None:
        recent = self.query_one("#recent", OptionList)
        index = recent.highlighted
        sid = recent.get_option_at_index(index).id if index is not None else None
        if sid is None:
            self.notify("Highlight a recent session first (Tab to the Recent list).",
                        severity="warning")
            return
        navigator(self).open_amend(sid)

    def action_toggle_scores(self) -> None:
        self.show_scores = not self.show_scores
        self._fill_sessions()
        self.notify("Earlier interviews' scores shown." if self.show_scores else
                    "Earlier interviews' scores hidden (shown as scored).", markup=False)

    # --- the candidate: a known name fills in that person ---------------------------------

    @on(Input.Submitted, "#candidate")
    def candidate_submitted(self) -> None:
        self._known_candidate()
        self.query_one("#candidate-id", Input).focus()

    @on(Input.Blurred, "#candidate")
    def candidate_left(self) -> None:
        self._known_candidate()

    def _known_candidate(self) -> None:
        name = self.query_one("#candidate", Input).value
        if not name.strip() or fold_name(name) == self._looked_up:
            return
        self._looked_up = fold_name(name)
        try:
            people = [p for p in self.store.people()
                      if any(fold_name(n) == fold_name(name) for n in p["names"])]
        except StoreError as err:
            self.notify(str(err), severity="error", markup=False)
            return
        if not people:
            return
        if len(people) == 1 and people[0]["ids"]:
            self._fill_person(people[0])
            return
        self.app.push_screen(PersonPicker(name, people), self._picked)

    def _picked(self, person: dict[str, Any] | None) -> None:
        if person:
            self._fill_person(person)

    def _fill_person(self, person: dict[str, Any]) -> None:
        """The id, role and level of that person's last session (the name as last typed)."""
        self.query_one("#candidate", Input).value = person["name"]
        self._looked_up = fold_name(person["name"])
        self.query_one("#candidate-id", Input).value = person["ids"][0] if person["ids"] else ""
        self.query_one("#role", Input).value = person["role"]
        self.query_one("#level", Input).value = person["level"]
        who = person["ids"][0] if person["ids"] else "no stable id"
        self.notify(f"Filled in from {visible(person['name'])}'s last session ({who}).",
                    markup=False)

    def action_resume(self) -> None:
        sid = self._highlighted_session()
        if sid is None:
            self.notify("Highlight a session in progress first.", severity="warning")
            return
        self._open(sid)

    def _open(self, sid: str, take_over: bool = False) -> None:
        """Hold the session and open it; when another terminal holds it, ask first."""
        try:
            opened = open_for_writing(self.store, sid, self.clock, take_over=take_over)
            if opened.held_by is not None:
                self.app.push_screen(HeldChoice(sid, opened.held_by.words()),
                                     lambda choice: self._held_answer(sid, choice))
                return
            assert opened.session is not None
            draft = self.store.draft(sid)
        except (StoreError, SessionError) as err:
            self.notify(str(err), severity="error", markup=False)
            return
        if opened.note:
            self.notify(opened.note, severity="warning", timeout=10, markup=False)
        try:
            screen = self.store.draft(sid, "screen")
        except StoreError:
            screen = ""
        navigator(self).open_live(opened.session, draft)
        navigator(self).open_after_call(opened.session, screen)

    def _held_answer(self, sid: str, choice: str | None) -> None:
        if choice == TAKE_OVER:
            self._open(sid, take_over=True)
        elif choice == READ_ONLY:
            try:
                session = open_read_only(self.store, sid, self.clock)
            except (StoreError, SessionError) as err:
                self.notify(str(err), severity="error", markup=False)
                return
            navigator(self).open_live(session, read_only=True)

    def action_abandon(self) -> None:
        sid = self._highlighted_session()
        if sid is None:
            self.notify("Highlight a session in progress first.", severity="warning")
            return

        def confirmed(yes: bool | None) -> None:
            if not yes:
                return
            try:
                held = self.store.sessions_held_elsewhere([sid])
                if held:
                    self.notify(f"Session {sid} is open in another terminal ({held[sid]}); "
                                "abandon it there.", severity="warning", markup=False)
                    return
                session = Session(self.store.events(sid), self.clock, self.store.sink(sid))
                session.abandon()
            except (StoreError, SessionError) as err:
                self.notify(str(err), severity="error", markup=False)
                return
            self.notify(f"Session {sid} abandoned (kept in the record).")
            self._fill_sessions()

        self.app.push_screen(Confirm(f"Abandon session {sid}?",
                                     "It stays in the database, marked abandoned."), confirmed)

    # --- starting ---------------------------------------------------------------------------

    @on(Button.Pressed, "#start")
    def start_pressed(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        plan = self._chosen_plan()
        value = {w.id: w.value.strip() for w in self.query(Input) if w.id}
        if plan is None:
            self.notify("Choose a plan first.", severity="warning")
            self.query_one("#plans").focus()
            return
        if plan.mode == "practice" and not value["candidate"]:
            value["candidate"] = "me"  # practising alone: the history follows this name
        if not value["candidate"]:
            self.notify("Type the candidate's name first.", severity="warning")
            self.query_one("#candidate").focus()
            return
        try:
            if plan.mode == "practice":
                session_plan = practice_plan(self.library, self.store, plan.id,
                                             candidate=value["candidate"],
                                             role=value["role"] or None,
                                             level=value["level"] or None, rng=self.rng)
            else:
                session_plan = resolve_plan(self.library, plan.id, value["role"] or None,
                                            value["level"] or None,
                                            archetype=value["archetype"].lower() or None)
            sid = new_session_id()
            session = Session.start(
                session_plan, self.clock, self.store.sink(sid), session_id=sid,
                candidate=value["candidate"], candidate_id=value["candidate-id"],
                role=value["role"], level=value["level"], interviewer=value["interviewer"],
                archetype=value["archetype"].lower() if plan.mode != "practice" else "",
            )
            hold_new(self.store, session, self.clock)
        except (UnknownPlan, StoreError, SessionError) as err:
            self.notify(str(err), severity="error", markup=False)
            return
        navigator(self).open_live(session)

    def action_scroll_details(self, direction: int) -> None:
        column = self.query_one("#right", VerticalScroll)
        if direction > 0:
            column.scroll_page_down(animate=False)
        else:
            column.scroll_page_up(animate=False)

    def action_search(self) -> None:
        from companion.tui.screens.search import SearchScreen

        self.app.push_screen(SearchScreen(self.store, clock=self.clock))

    def action_stats(self) -> None:
        navigator(self).open_stats()

    def action_help(self) -> None:
        from companion.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))
