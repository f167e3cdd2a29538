"""One session exported: Markdown, JSON (validated against docs/session.schema.json), CSV and
HTML each hold the whole scorecard; hostile note text stays text in every format; the
`companion export` command writes to stdout or a new 0600 file, never over one without
--force."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import stat
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest
from helpers import run_cli as run
from markdown_it import MarkdownIt

from companion.clock import FakeClock
from companion.content.library import Library, Source, load_library, resolve_plan
from companion.export.csv_export import COLUMNS, safe_cell, session_csv
from companion.export.html import session_html
from companion.export.json_export import session_json
from companion.export.markdown import WORD_JOINER, session_markdown
from companion.export.report import report
from companion.session import EVENT_TYPES, Session
from companion.store.database import Store

REPO = Path(__file__).resolve().parent.parent
LIVE = Path(__file__).resolve().parent / "fixtures" / "live"
SCHEMA = json.loads((REPO / "docs" / "session.schema.json").read_text(encoding="utf-8"))
NASTY = "# heading? <script>alert(1)</script> | pipe | `tick`\n- not a list\n1. nor this"
NASTY_EVIDENCE = "pipes | in | evidence `x` <script>alert(2)</script>"
SID = "fixed001"
PRACTICE_SID = "prac0001"


@pytest.fixture(scope="module")
def library() -> Library:
    lib = load_library([Source("fixtures", (LIVE,))])
    assert not lib.problems
    return lib


def build_interview(store: Store, library: Library, clock: FakeClock) -> Session:
    """A fixed interview: every kind of thing an export must show."""
    plan = resolve_plan(library, "t-live")
    s = Session.start(plan, clock, store.sink(SID), session_id=SID, candidate="Zoë Quinn",
                      candidate_id="zoe@example.org", role="backend", level="mid",
                      interviewer="Robin Interviewer")
    clock.advance(40)
    s.toggle_asked(s.state.section.prompts[0].id)
    s.add_note("Owns the billing pipeline")
    clock.advance(260)
    s.next_section()  # Design, at 05:00
    clock.advance(60)
    s.toggle_asked("t-design/rate-limiter")
    s.toggle_signal("clarifies")
    s.add_note("Asked for the read/write ratio first", flagged=True)
    clock.advance(120)
    s.add_note("Named token buckets", back=15)
    clock.advance(60)
    s.toggle_signal("buzzwords")
    edited = s.add_note("Redis w/o failover")
    s.edit_note(edited.id, "Redis cluster without a failover plan")
    clock.advance(30)
    gone = s.add_note("mistaken note")
    s.retract_note(gone.id)
    clock.advance(30)
    s.add_note(NASTY)
    s.add_note("=HYPERLINK(\"http://evil.example\",\"x\")")
    clock.advance(1000)
    s.next_section()  # Questions
    clock.advance(200)
    s.next_section()
    s.set_score("clarity", 2, "Structured the problem in three steps")
    s.set_score("depth", 0, NASTY_EVIDENCE)
    s.set_recommendation("yes")
    s.set_summary("Clear communicator.\nNeeds depth on failure modes.")
    s.end()
    return s


def build_practice(store: Store, library: Library, clock: FakeClock) -> Session:
    plan = resolve_plan(library, "t-practice")
    s = Session.start(plan, clock, store.sink(PRACTICE_SID), session_id=PRACTICE_SID,
                      candidate="Zoë Quinn")
    clock.advance(500)
    s.add_note("too slow on estimates")
    s.set_postmortem("Spent six minutes on estimates; cap them at three.")
    s.set_score("clarity", 1, "mostly clear")
    s.end()
    return s


@pytest.fixture
def db(tmp_path: Path, library: Library) -> Path:
    path = tmp_path / "export.db"
    clock = FakeClock()
    with Store(path) as store:
        build_interview(store, library, clock)
        clock.advance(3600)
        build_practice(store, library, clock)
    return path


def the_report(db: Path, sid: str = SID) -> dict:  # type: ignore[type-arg]
    from companion.session import replay

    with Store(db) as store:
        events = store.events(sid)
    return report(replay(events), events)


# --- what every format holds -----------------------------------------------------------

EVERYWHERE = [
    "Test design interview",  # plan title
    "t-live",  # plan id
    "Zoë Quinn", "zoe@example.org",  # candidate and id
    "backend", "mid",  # role and level
    "Robin Interviewer",  # interviewer
    "interview",  # mode
    "Introductions", "Design", "Questions",  # sections
    "Design a rate limiter",  # a question asked
    "Clarifies requirements first", "Talks in buzzwords",  # signals, good and bad
    "Owns the billing pipeline", "Asked for the read/write ratio first",
    "Redis cluster without a failover plan", "Redis w/o failover",  # edit and its original
    "mistaken note",  # a retracted note
    "Clarity", "Depth", "Crisp and structured.", "Surface only.",  # rubric and anchors
    "Structured the problem in three steps",  # evidence
    "yes", "Clear communicator.",  # recommendation, summary
]


def test_markdown_holds_the_whole_scorecard(db: Path) -> None:
    md = session_markdown(the_report(db))
    for text in EVERYWHERE:
        # An @ gets an invisible word joiner, so GitHub does not make it a mailto link.
        assert text in md.replace(WORD_JOINER, ""), text
    assert "zoe\u2060@example.org" in md
    assert "**Started:** 2026-09-21T" in md  # the date
    assert "| 2 | Design | 20:00 | 21:40 | done |" in md  # time against plan
    assert "**Total 2/4**, pass mark 3: below" in md
    assert "**Recommendation:** yes" in md
    assert "Signal + good at 06:00: Clarifies requirements first" in md
    assert "Signal − bad at 09:00: Talks in buzzwords" in md
    assert "Note at 06:00 (section 01:00): Asked for the read/write ratio first (**flagged**)" \
        in md
    assert "back-dated 15 s" in md
    assert "edited, was: “Redis w/o failover”" in md
    assert "~~mistaken note~~ (retracted)" in md


def test_markdown_of_practice_has_the_postmortem(db: Path) -> None:
    md = session_markdown(the_report(db, PRACTICE_SID))
    assert "## Post-mortem" in md and "cap them at three" in md
    assert "Recommendation" not in md


def test_markdown_keeps_user_text_as_text(db: Path) -> None:
    md = session_markdown(the_report(db))
    parser = MarkdownIt("commonmark").enable("table")
    out = parser.render(md)
    assert "<script" not in out and "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert out.count("<h1>") == 1  # a note's leading # made no heading
    assert "<ol" not in out  # "1. nor this" made no numbered list
    assert "<code>" in out  # only the session and plan ids are code spans ...
    assert "<code>tick</code>" not in out  # ... not the backticks of a note
    # Every row of every table keeps its column count, pipes in evidence or not.
    for table in re.findall(r"<table>.*?</table>", out, re.DOTALL):
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in rows}
        assert len(widths) == 1, table
    rubric_table = next(t for t in re.findall(r"<table>.*?</table>", out, re.DOTALL)
                        if "Criterion" in t)
    assert "pipes | in | evidence `x` &lt;script&gt;alert(2)&lt;/script&gt;" in rubric_table
    assert "- not a list" in out and "1. nor this" in out  # the note's lines, as typed


def test_session_markdown_level_nests_headings(db: Path) -> None:
    md = session_markdown(the_report(db), level=3)
    assert md.startswith("### Test design interview")
    assert "\n#### Rubric" in md and "\n##### 2. Design" in md


# --- JSON ---------------------------------------------------------------------------------


def test_json_validates_against_the_schema(db: Path) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    validator = jsonschema.Draft202012Validator(SCHEMA,
                                                format_checker=jsonschema.FormatChecker())
    for sid in (SID, PRACTICE_SID):
        text = session_json(the_report(db, sid))
        validator.validate(json.loads(text))


def test_json_is_stable_readable_and_complete(db: Path) -> None:
    r = the_report(db)
    text = session_json(r)
    assert text == session_json(the_report(db))  # same session, same bytes
    assert "Zoë Quinn" in text and "\\u00eb" not in text  # ensure_ascii=False
    # Its scorecard was complete at the end: scorecard_completed, an event of format 3.
    assert text.startswith('{\n  "format": "companion-session",\n  "format_version": 3,')
    doc = json.loads(text)
    # The documented key order (`archetype` only when the session has one).
    # Neither an archetype chosen nor an amendment made: both keys absent.
    assert list(doc) == [k for k in SCHEMA["properties"] if k not in ("archetype", "amendments")]
    assert doc["candidate"] == {"name": "Zoë Quinn", "id": "zoe@example.org"}
    assert doc["rubric"]["total"] == 2 and doc["rubric"]["threshold"] == 3
    assert doc["rubric"]["meets_threshold"] is False
    design = doc["sections"][1]
    assert design["planned_seconds"] == 1200 and design["used_seconds"] == 1300
    assert {s["polarity"] for s in design["signals"]} == {"good", "bad"}
    notes = {n["text"]: n for n in design["notes"]}
    assert notes["Asked for the read/write ratio first"]["flagged"] is True
    assert notes["Redis cluster without a failover plan"]["edited_from"] == [
        "Redis w/o failover"]
    assert notes["mistaken note"]["retracted"] is True
    assert notes[NASTY]["text"] == NASTY
    assert [e["seq"] for e in doc["events"]] == list(range(1, len(doc["events"]) + 1))
    assert the_report(db, PRACTICE_SID)["postmortem"].startswith("Spent six minutes")


def test_schema_knows_every_event_type() -> None:
    refs = SCHEMA["$defs"]["event"]["oneOf"]
    types = {ref["$ref"].removeprefix("#/$defs/event.") for ref in refs}
    assert types == set(EVENT_TYPES)
    for name in EVENT_TYPES:
        assert SCHEMA["$defs"][f"event.{name}"]["properties"]["type"] == {"const": name}


def test_the_schema_file_is_the_one_generated_from_the_event_catalogue() -> None:
    """docs/session.schema.json: refresh with `python -m companion.export.schema`."""
    from companion.export.schema import SCHEMA_PATH, generated, render

    current = SCHEMA_PATH.read_text(encoding="utf-8")
    assert render(generated(json.loads(current))) == current


def test_the_schema_refuses_an_event_whose_data_does_not_fit_its_type(db: Path) -> None:
    doc = json.loads(session_json(the_report(db)))
    jsonschema.validate(doc, SCHEMA)
    note = next(e for e in doc["events"] if e["type"] == "note_added")
    note["data"]["text"] = 5
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)
    note["data"] = {"text": "x", "flagged": "yes"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, SCHEMA)


# --- CSV ----------------------------------------------------------------------------------


def test_csv_one_row_per_event_round_trips(db: Path) -> None:
    r = the_report(db)
    text = session_csv(r)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) - 1 == len(r["events"])
    records = [dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]]
    assert {rec["session_id"] for rec in records} == {SID}
    assert {rec["candidate"] for rec in records} == {"Zoë Quinn"}
    assert [int(rec["seq"]) for rec in records] == [e["seq"] for e in r["events"]]
    by_type: dict[str, list[dict[str, str]]] = {}
    for rec in records:
        by_type.setdefault(rec["type"], []).append(rec)
    nasty = next(rec for rec in by_type["note_added"] if "alert(1)" in rec["text"])
    assert nasty["text"] == NASTY  # newlines, pipes and all, back as typed
    assert (nasty["section_index"], nasty["section_title"]) == ("2", "Design")
    formula = next(rec for rec in by_type["note_added"] if "HYPERLINK" in rec["text"])
    assert formula["text"].startswith("'=HYPERLINK")
    flagged = next(rec for rec in by_type["note_added"] if "read/write" in rec["text"])
    assert flagged["flagged"] == "true" and flagged["session_seconds"] == "360.0"
    backdated = next(rec for rec in by_type["note_added"] if "token" in rec["text"])
    assert float(backdated["back_seconds"]) == 15
    edit = by_type["note_edited"][0]
    assert edit["section_title"] == "Design" and edit["note_ref"]
    assert by_type["note_retracted"][0]["section_index"] == "2"
    good, bad = by_type["signal_toggled"]
    assert (good["signal"], good["polarity"], good["text"], good["value"]) == (
        "clarifies", "good", "Clarifies requirements first", "on")
    assert bad["polarity"] == "bad"
    asked = [rec["text"] for rec in by_type["prompt_asked"]]
    assert any(t.startswith("Design a rate limiter") for t in asked)
    scores = {rec["criterion"]: rec for rec in by_type["score_set"]}
    assert scores["clarity"]["score"] == "2"
    assert scores["depth"]["evidence"] == NASTY_EVIDENCE
    assert by_type["recommendation_set"][0]["value"] == "yes"
    started = by_type["session_started"][0]
    assert json.loads(started["data_json"])["plan"] == {"id": "t-live",
                                                        "title": "Test design interview"}
    for rec in records:
        assert rec["at"] and json.loads(rec["data_json"]) is not None


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_csv_formula_cells_are_defused(value: str) -> None:
    assert safe_cell(value) == "'" + value.replace("\r", "\u240d")  # CR shown as ␍
    assert safe_cell("plain") == "plain" and safe_cell(3) == 3


# --- HTML ---------------------------------------------------------------------------------


class Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs


def test_html_is_self_contained_printable_and_escaped(db: Path) -> None:
    out = session_html(the_report(db))
    assert out.startswith("<!DOCTYPE html>")
    assert "<script" not in out.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "@page { size: A4" in out and "@media print" in out
    parser = Tags()
    parser.feed(out)
    assert "script" not in parser.tags and "link" not in parser.tags
    assert "img" not in parser.tags and "iframe" not in parser.tags
    assert not [name for name, _ in parser.attrs if name.startswith("on") or name == "src"]
    assert not re.search(r"url\(|@import|https?://(?!evil\.example)", out)
    assert "Content-Security-Policy" in out and "default-src 'none'" in out
    # The HYPERLINK note is text, its URL escaped inside it, never a link.
    assert "<a " not in out
    shown = html.unescape(re.sub(r"<[^>]+>", "", out))
    for text in EVERYWHERE:
        assert text in shown, text
    assert NASTY in shown  # every character of it, as text
    assert "⚑ flagged" in out and "retracted" in out and "was: " in out
    assert "back-dated 15 s" in out
    assert "Total 2/4" in out and "pass mark 3" in out and "below the pass mark" in out
    assert '<td class="score s2">2</td>' in out and '<td class="score s0">0</td>' in out
    assert "+01:40" in out  # the Design section ran over its 20 minutes
    assert "✓ good" in out and "✗ bad" in out


def test_html_of_practice_has_the_postmortem(db: Path) -> None:
    out = session_html(the_report(db, PRACTICE_SID))
    assert "Post-mortem" in out and "cap them at three" in out


# --- the command ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,marker", [
    ("md", "# Test design interview: Zoë Quinn"),
    ("json", '"format": "companion-session"'),
    ("csv", ",".join(COLUMNS)),
    ("html", "<!DOCTYPE html>"),
])
def test_export_to_stdout(db: Path, fmt: str, marker: str) -> None:
    result = run("--db", str(db), "export", SID[:5], "--format", fmt)
    assert result.exit_code == 0, result.output
    assert marker in result.stdout


def test_export_defaults_to_markdown(db: Path) -> None:
    result = run("export", SID, "--db", str(db))
    assert result.exit_code == 0 and result.stdout.startswith("# Test design interview")


def test_export_to_a_private_file_and_never_over_one(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "card.html"
    old_umask = os.umask(0o022)
    try:
        result = run("--db", str(db), "export", SID, "-o", str(target))
    finally:
        os.umask(old_umask)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # the file has it all; the note goes to stderr
    assert f"to {target}" in result.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # from .html
    before = target.read_bytes()

    again = run("--db", str(db), "export", SID, "-o", str(target), "--format", "md")
    assert again.exit_code == 2
    assert again.stderr.startswith("error: ") and "--force" in again.stderr
    assert target.read_bytes() == before

    target.chmod(0o644)
    forced = run("--db", str(db), "export", SID, "-o", str(target), "--format", "md",
                 "--force")
    assert forced.exit_code == 0, forced.output
    assert target.read_text(encoding="utf-8").startswith("# Test design interview")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_file_formats_from_extension(db: Path, tmp_path: Path) -> None:
    for name, start in (("a.json", "{"), ("a.csv", "session_id,"), ("a.md", "# ")):
        assert run("--db", str(db), "export", SID, "-o", str(tmp_path / name)).exit_code == 0
        assert (tmp_path / name).read_text(encoding="utf-8").startswith(start)


def test_export_does_not_follow_into_a_symlink_without_force(db: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(victim)
    result = run("--db", str(db), "export", SID, "-o", str(link))
    assert result.exit_code == 2 and victim.read_text() == "keep me"


@pytest.mark.parametrize("args,message", [
    (["export"], "either a SESSION_ID or --candidate"),
    (["export", SID, "--candidate", "Zoë Quinn"], "either a SESSION_ID or --candidate"),
    (["export", "nosuch"], "no session 'nosuch'"),
    (["export", "--candidate", "Zoë Quinn", "--format", "csv"], "md or html"),
])
def test_export_errors(db: Path, args: list[str], message: str) -> None:
    result = run("--db", str(db), *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and message in result.stderr


def test_export_into_a_missing_folder_is_an_error(db: Path, tmp_path: Path) -> None:
    result = run("--db", str(db), "export", SID, "-o", str(tmp_path / "no" / "such.md"))
    assert result.exit_code == 2 and "cannot write" in result.stderr


def test_exports_search_and_purge_never_import_textual(db: Path) -> None:
    """The domain and these commands stay free of Textual (and of its start-up cost)."""
    code = (
        "import sys; from click.testing import CliRunner; from companion.cli.root import main; "
        "import companion.export.report, companion.export.markdown, companion.export.html, "
        "companion.export.json_export, companion.export.csv_export, "
        "companion.panel.debrief, companion.store.search; "
        f"db = {str(db)!r}; codes = []; "
        "codes.append(CliRunner().invoke(main, ['--db', db, 'export', 'fixed', '--format', "
        "'html']).exit_code); "
        "codes.append(CliRunner().invoke(main, ['--db', db, 'export', '--candidate', "
        "'zoe@example.org']).exit_code); "
        "codes.append(CliRunner().invoke(main, ['--db', db, 'search', 'redis']).exit_code); "
        "codes.append(CliRunner().invoke(main, ['--db', db, 'purge', '--older-than', '9999', "
        "'--yes']).exit_code); "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual'); "
        "assert not loaded, loaded; assert codes == [0, 0, 0, 0], codes"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_every_format_writes_durations_past_an_hour_the_same_way(db: Path) -> None:
    """One formatter for every export and the screen: 75 minutes is 1:15:00, never 75:00."""
    from companion.clock import duration
    from companion.export.formats import FORMATS, render_session

    r = the_report(db)
    r["used_seconds"] = 75 * 60.0
    r["sections"][0]["used_seconds"] = 75 * 60.0
    assert duration(75 * 60.0) == "1:15:00" and duration(None) == "-"
    for name in ("md", "html", "text"):
        text = render_session(r, name)
        assert "1:15:00" in text and "75:00" not in text, name
    # The ATS shapes hold no section times (docs/exports.md: lost on the way).
    assert set(FORMATS) == {"md", "json", "csv", "html", "text", "greenhouse", "lever", "ashby"}
