"""Hostile text in every field of every export (issue 21): whatever code points a note, a
name, a plan title or a summary holds, no raw control character or bidi override reaches a
file or a terminal (JSON keeps the exact text as escapes), a CSV cell never starts a formula,
and the Markdown never becomes a link, an image or raw HTML under CommonMark or GitHub's
renderer. A wall clock set back during a session is marked, never shown as if nothing
happened. Hypothesis over any code point (surrogates aside: they are not text)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import unicodedata
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options
from helpers import Recorder, make_plan
from helpers import run_cli as run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companion.clock import FakeClock
from companion.export.csv_export import safe_cell
from companion.export.formats import FORMATS, render_debrief, render_session
from companion.export.markdown import WORD_JOINER, escape_inline
from companion.export.report import report
from companion.model import SessionPlan
from companion.panel.debrief import debrief
from companion.session import Session
from companion.store.database import Store
from companion.textsafe import BIDI_CONTROLS, json_safe, printable, visible

FIELDS = ("plan_title", "section_title", "rubric_title", "criterion_title", "anchor",
          "advice", "scale", "plan_prompt", "plan_signal", "candidate", "candidate_id",
          "role", "level", "interviewer", "prompt", "signal", "note", "edit", "evidence",
          "summary", "postmortem")
# Text that looks like what GFM, CommonMark and HTML act on, mixed with anything at all.
PIECES = ["www.", "WWW.", "https://", "http://", "ftp://", "mailto:", "xmpp:", "@", ".com",
          "a", "x.y", "<", ">", "&lt;", "&gt;", "&", ";", "[", "](", ")", "!", "`", "*", "_",
          "<a href=x>", "<img src=x>", "<!--", "-->", "=", "+", "-", "\\", "|", "#", "\n",
          "\t", "\r", "\x00", "\x1b]0;t\x07", "\x9b", "\x7f", "\u202e", "\u2066", "\u200b",
          "\ufeff", "\uff1d", "\uff0b", "\uff0d", "\uff20", " ", "1.", "~", "'"]
hostile = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=40),
    st.lists(st.sampled_from(PIECES), max_size=12).map("".join),
    st.lists(st.one_of(st.sampled_from(PIECES),
                       st.text(st.characters(exclude_categories=("Cs",)), max_size=3)),
             max_size=10).map("".join),
)
texts = st.fixed_dictionaries({name: hostile for name in FIELDS})

C0_BUT_NEWLINE_TAB = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
ALLOWED_MD_TAGS = {"p", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td",
                   "strong", "em", "del", "code", "h1", "h2", "h3", "h4", "h5", "h6", "br",
                   "hr", "blockquote"}


def could_run(cell: str) -> bool:
    """The test's own reading of OWASP's rule: the first character a spreadsheet may act on,
    behind whitespace, control and format characters, in any width."""
    rest = cell.lstrip("".join(chr(c) for c in range(0x2400, 0x2422)) + "\ufffd")
    for ch in rest:
        if ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf"):
            continue
        return unicodedata.normalize("NFKC", ch)[:1] in "=+-@\u2212"
    return False


def nonempty(text: str) -> str:
    return text if text.strip() else f"x{text}"


def session_with(t: dict[str, str], *, mode: str = "interview",
                 clock: FakeClock | None = None) -> dict[str, Any]:
    """A session with hostile text in every field a user or a plan author types (the plan's
    titles, question, signal, rubric, anchors, advice and recommendation scale too), ended
    and reported with its events."""
    plan = make_plan(mode=mode, threshold=6,
                     recommendation_scale=(nonempty(t["scale"]), f"{t['scale']} and more"))
    sections = list(plan.sections)
    first = sections[0]
    assert first.signals is not None and plan.rubric is not None
    signals = dataclasses.replace(first.signals, title=t["plan_signal"], good=(
        dataclasses.replace(first.signals.good[0], text=t["plan_signal"]),
        *first.signals.good[1:]))
    sections[0] = dataclasses.replace(
        first, title=t["section_title"], guidance=t["plan_prompt"], signals=signals,
        prompts=(dataclasses.replace(first.prompts[0], text=t["plan_prompt"],
                                     follow_ups=(t["plan_prompt"],)), *first.prompts[1:]))
    criteria = list(plan.rubric.criteria)
    criteria[0] = dataclasses.replace(criteria[0], title=t["criterion_title"],
                                      anchors=(t["anchor"], t["anchor"] + "!", t["anchor"]))
    rubric = dataclasses.replace(plan.rubric, title=t["rubric_title"], advice=t["advice"],
                                 criteria=tuple(criteria))
    plan = dataclasses.replace(plan, title=t["plan_title"], sections=tuple(sections),
                               rubric=rubric)
    return _report(plan, t, clock or FakeClock())


def _report(plan: SessionPlan, t: dict[str, str], clock: FakeClock) -> dict[str, Any]:
    sink = Recorder()
    s = Session.start(plan, clock, sink, session_id="hostile1", candidate=t["candidate"],
                      candidate_id=t["candidate_id"], role=t["role"], level=t["level"],
                      interviewer=t["interviewer"])
    clock.advance(30)
    s.add_prompt(nonempty(t["prompt"]))
    s.toggle_asked(s.state.section.prompts[-1].id)
    s.toggle_asked("q1")
    s.toggle_signal("g1")
    s.add_signal(nonempty(t["signal"]), "bad")
    note = s.add_note(nonempty(t["note"]), flagged=True)
    s.edit_note(note.id, nonempty(t["edit"]))
    s.add_note(nonempty(t["note"] + t["edit"]))
    s.set_score("c1", 1, t["evidence"])
    s.set_score("c2", 2, "")
    s.set_recommendation(plan.recommendation_scale[0])
    s.set_summary(t["summary"])
    if plan.mode == "practice":
        s.set_postmortem(t["postmortem"])
    clock.advance(30)
    s.end()
    return report(s.state, sink.events)


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def tags_of(html_text: str) -> Tags:
    parser = Tags()
    parser.feed(html_text)
    parser.close()
    return parser


def assert_no_raw_controls(text: str, *, crlf: bool = False) -> None:
    if crlf:
        text = text.replace("\r\n", "\n")
    found = C0_BUT_NEWLINE_TAB.search(text)
    if found is not None:
        around = text[max(0, found.start() - 30):found.end() + 30]
        raise AssertionError(f"raw U+{ord(found.group()):04X} in {around!r}")


def assert_markdown_is_inert(md: str) -> None:
    """Rendered by GitHub's renderer (GFM) and by CommonMark, with raw HTML let through:
    only the layout's own tags, never a link, an image, raw HTML or a comment."""
    for html_text in (cmarkgfm.github_flavored_markdown_to_html(md, Options.CMARK_OPT_UNSAFE),
                      cmarkgfm.markdown_to_html(md, Options.CMARK_OPT_UNSAFE)):
        parsed = tags_of(html_text)
        assert set(parsed.tags) <= ALLOWED_MD_TAGS, set(parsed.tags) - ALLOWED_MD_TAGS
        assert not parsed.comments
        assert not [a for a in parsed.attrs if a[0] not in ("align", "style")], parsed.attrs


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_in_every_field_of_every_session_export(t: dict[str, str]) -> None:
    mode = "practice" if t["postmortem"][:1] < "m" else "interview"
    r = session_with(t, mode=mode)
    plain = session_with(dict.fromkeys(FIELDS, "x"), mode=mode)
    for fmt in FORMATS:
        out = render_session(r, fmt)
        if fmt == "json":
            assert json.loads(out) == json.loads(json.dumps(r))  # the exact text, all of it
            assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e"
                                 "\u2066-\u2069]", out)
            continue
        assert_no_raw_controls(out, crlf=fmt == "csv")
        if fmt == "md":
            assert_markdown_is_inert(out)
        elif fmt == "html":
            parsed, layout = tags_of(out), tags_of(render_session(plain, "html"))
            assert set(parsed.tags) <= set(layout.tags)  # no tag from the text
            assert {name for name, _ in parsed.attrs} <= {name for name, _ in layout.attrs}
            assert "<a " not in out and "<img" not in out
        elif fmt == "csv":
            rows = list(csv.reader(io.StringIO(out, newline="")))
            for row in rows[1:]:
                for cell in row:
                    assert not could_run(cell) or cell.startswith("'"), cell


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, texts)
def test_any_text_in_a_debrief(a: dict[str, str], b: dict[str, str]) -> None:
    b = {**b, "candidate": a["candidate"], "candidate_id": a["candidate_id"]}
    first, second = session_with(a), session_with(b)
    second["session_id"] = "hostile2"
    d = debrief([first, second])
    md = render_debrief(d, "md")
    assert_no_raw_controls(md)
    assert_markdown_is_inert(md)
    out = render_debrief(d, "html")
    assert_no_raw_controls(out)
    assert "<a " not in out and "<img" not in out and "<script" not in out


@given(st.text(st.characters(exclude_categories=("Cs",))))
def test_printable_shows_every_control_and_keeps_lines(text: str) -> None:
    shown = printable(text)
    assert len(shown) == len(text)  # one character for one
    assert shown.count("\n") == text.count("\n") and shown.count("\t") == text.count("\t")
    assert not C0_BUT_NEWLINE_TAB.search(shown)
    assert not C0_BUT_NEWLINE_TAB.search(visible(text)) and "\n" not in visible(text)
    assert json.loads(json_safe(json.dumps(text, ensure_ascii=False))) == text


def test_control_pictures_and_bidi() -> None:
    assert printable("a\x1bb\x00c\x7f\r\n\t") == "a\u241bb\u2400c\u2421\u240d\n\t"
    assert printable("\x9b2J") == "\ufffd2J"
    assert all(printable(chr(c)) == "\ufffd" for c in BIDI_CONTROLS)
    assert json_safe(json.dumps("\x1b\x9b\u202e", ensure_ascii=False)) == '"\\u001b\\u009b\\u202e"'


@given(hostile)
def test_a_quote_in_front_never_exports_the_same(text: str) -> None:
    assert safe_cell(text) != safe_cell("'" + text)


@pytest.mark.parametrize("value", [
    "=1+1", " =1+1", "\n=1+1", "\x00=1+1", "\u200b=1+1", "\ufeff+1", "\u2060-1", " \t@x",
    "\uff1d1+1", "\uff0bA1", "\uff0d1", "\uff20SUM(A1)", "\ufe66x", "\u22121", "'=1+1", "\r=1",
])
def test_csv_formula_triggers_behind_anything_invisible(value: str) -> None:
    cell = safe_cell(value)
    assert cell.startswith("'") and cell[1:] == printable(value)
    assert safe_cell("=1+1") != safe_cell("'=1+1") == "''=1+1"
    assert safe_cell("plain") == "plain" and safe_cell("a=b") == "a=b"


@pytest.mark.parametrize("text", [
    "see www.example.com", "https://evil.example/x", "a@b.com", "mailto:a@b.com",
    "xmpp:a@b.com/r", "<https://evil.example>", "&lt;https://evil.example&gt;",
    "[x](https://evil.example)", "![i](https://evil.example/i.png)", "<img src=x onerror=1>",
    "ftp://x.org", "a.b-c_d+e@f.g.h", "(www.x.com)", "*www.x.com*",
])
def test_markdown_never_links_under_gfm(text: str) -> None:
    assert_markdown_is_inert(f"- {escape_inline(text)}")
    assert_markdown_is_inert(f"| {escape_inline(text)} |\n| --- |\n| {escape_inline(text)} |")


# --- terminals ------------------------------------------------------------------------------


def test_every_format_on_stdout_has_no_raw_escape(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    with Store(db) as store:
        clock = FakeClock()
        s = Session.start(make_plan(), clock, store.sink("term0001"), session_id="term0001",
                          candidate="Sam \x1b]0;pwned\x07 Lee", candidate_id="\x9b31m",
                          interviewer="Ada\u202e")
        clock.advance(60)
        s.add_note("osc \x1b]0;title\x07 bell \x07 csi \x1b[2J nul \x00 del \x7f c1 \x9b")
        s.set_summary("line one\nline two\ttabbed \u2066isolate\u2069")
        s.end()
    for fmt in FORMATS:
        result = run("--db", str(db), "export", "term0001", "--format", fmt)
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.stdout and "\x07" not in result.stdout
        assert_no_raw_controls(result.stdout, crlf=fmt == "csv")
        if fmt == "json":
            assert "\\u001b]0;pwned\\u0007" in result.stdout
        elif FORMATS[fmt].ats:  # an ATS shape holds no name (the ATS has the candidate)
            assert "\ufffdisolate\ufffd" in result.stdout.replace("\\ufffd", "\ufffd")
        else:
            assert "\u241b" in result.stdout and "pwned\u2407" in result.stdout  # ␛ ␇
    debrief_md = run("--db", str(db), "export", "--candidate", "Sam \x1b]0;pwned\x07 Lee")
    assert debrief_md.exit_code == 0 and "\x1b" not in debrief_md.stdout
    for args in (["sessions"], ["sessions", "--json"], ["search", "osc"],
                 ["search", "osc", "--json"], ["verify", "term0001"]):
        result = run("--db", str(db), *args)
        assert result.exit_code == 0, (args, result.output)
        assert_no_raw_controls(result.output)
    # Errors quote what was typed: shown as symbols too.
    for args in (["export", "\x1b]0;x\x07"], ["verify", "\x9b2J"],
                 ["export", "--candidate", "\x1b[2J"], ["sessions", "--candidate", "\x1b[2J"],
                 ["search", "\x1b[31m"]):
        result = run("--db", str(db), *args)
        assert result.exit_code in (0, 2), (args, result.output)
        assert_no_raw_controls(result.output)


# --- times ------------------------------------------------------------------------------------


def test_a_wall_clock_set_back_is_marked_not_shown_as_is(tmp_path: Path) -> None:
    db = tmp_path / "jump.db"
    clock = FakeClock()
    with Store(db) as store:
        s = Session.start(make_plan(), clock, store.sink("jump0001"), session_id="jump0001",
                          candidate="Sam Lee")
        clock.advance(60)
        s.add_note("before the jump")
        clock.jump_wall(-86_400)  # set back a day
        clock.advance(60)
        s.add_note("after the jump")
        s.end()
    md = run("--db", str(db), "export", "jump0001", "--format", "md")
    assert md.exit_code == 0
    ended = next(line for line in md.stdout.splitlines() if line.startswith("- **Ended:**"))
    assert "reads before Started: clock set back" in ended
    assert "**Clock:** The wall clock was set back 23h 59m during this session" in md.stdout
    assert "- **Time:** 02:00 of 20:00" in md.stdout  # session time, unaffected
    html_out = run("--db", str(db), "export", "jump0001", "--format", "html").stdout
    assert "reads before Started: clock set back" in html_out
    assert "The wall clock was set back 23h 59m" in html_out
    # A session without a jump says nothing about the clock.
    plain = session_with(dict.fromkeys(FIELDS, "x"))
    assert "Clock" not in render_session(plain, "md")
    assert "Clock" not in render_session(plain, "html")


def test_sessions_and_purge_say_utc(tmp_path: Path) -> None:
    db = tmp_path / "utc.db"
    with Store(db) as store:
        Session.start(make_plan(), FakeClock(), store.sink("utc00001"), session_id="utc00001",
                      candidate="Sam Lee").end()
    listed = run("--db", str(db), "sessions")
    assert listed.exit_code == 0
    assert re.search(r"utc00001  \d{4}-\d\d-\d\d \d\d:\d\d UTC ", listed.stdout)
    purge = run("--db", str(db), "purge", "--older-than", "0", input="n\n")
    assert re.search(r"utc00001  \d{4}-\d\d-\d\d \d\d:\d\d UTC ", purge.stdout)


def test_hostile_text_only_adds_invisible_joiners_to_markdown() -> None:
    text = "mail a@b.com or see www.x.org, https://y.org"
    shown = escape_inline(text).replace(WORD_JOINER, "")
    assert unicodedata.normalize("NFC", shown.replace("\\", "")) == text
