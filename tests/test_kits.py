"""Kits (briefs and files shipped with plans), worked examples, opening and closing scripts
and the debrief's agenda: how they are read, validated, shown and written."""

from __future__ import annotations

import json
import re
import stat
import sys
from pathlib import Path

import pytest
from helpers import run_cli as run
from hypothesis import given, settings
from hypothesis import strategies as st

from companion.content.library import builtin_sources, load_library
from companion.content.rules import content_warnings

REPO = Path(__file__).resolve().parent.parent
LIB = load_library(builtin_sources())
CORE_BANKS = ("stage-coding", "stage-system-design", "stage-behavioral", "recruiter-screen",
              "stage-hiring-manager", "backend-agentic-ai", "backend-pairing", "backend-takehome")

# Words in a plan that say the interviewer hands over or keeps material.
MATERIAL = re.compile(r"\b(brief the candidate received|the brief|the manifest|the mock|"
                      r"written task|design mock|endpoint list|take-home brief)\b", re.I)


def _plan_text(plan_id: str) -> str:
    plan = LIB.plans[plan_id]
    parts = [plan.description]
    for section in plan.sections:
        parts.append(section.guidance)
        parts += [getattr(p, "text", "") for p in section.prompts]
    return " ".join(parts)


# --- Kits -----------------------------------------------------------------------------------


# Plans whose "brief" is spoken in the room, written in the plan itself.
SPOKEN = {
    "guide-architecture": "the design brief is the question, read out",
    "system-design-45": "the design brief is the question, read out",
    "team-interview-product": "the product manager reads the brief written in the prompt",
}
# Generic plans for the team's own material; the library's own material has its own plans.
GENERIC = {
    "guide-takehome-walkthrough": "the team's own take-home; the library's take-homes have "
                                  "their own walkthrough plans, which ship their briefs",
}


def test_every_plan_that_refers_to_material_ships_it() -> None:
    referring = ({pid for pid in LIB.plans if MATERIAL.search(_plan_text(pid))}
                 - set(SPOKEN) - set(GENERIC))
    assert {"backend-takehome-review", "guide-api-client-pairing",
            "guide-delivery-troubleshooting", "guide-frontend-live-coding"} <= referring
    without = sorted(pid for pid in referring if not LIB.plans[pid].kit)
    assert not without, f"these plans refer to material they do not ship: {without}"
    for pid in GENERIC:
        assert "generic" in LIB.plans[pid].description.lower(), pid
    for plan in LIB.plans.values():
        for attachment in plan.kit:
            path = Path(attachment.path)
            assert path.is_file() and (REPO / "kits") in path.parents, attachment


def test_the_kits_the_issue_names_are_there() -> None:
    files = {a.file for plan in LIB.plans.values() for a in plan.kit}
    for needed in ("backend-takehome/brief.md", "api-client/issues-api.md",
                   "frontend/design.md", "frontend/api.md", "delivery/fault-2-liveness.yaml",
                   "cloud-ops/pairing-task.md", "cloud-ops/takehome-brief.md",
                   "release/brief.md", "ai-eval/brief.md"):
        assert needed in files


def test_the_liveness_manifest_states_the_probe_values_of_about_a_minute() -> None:
    text = (REPO / "kits" / "delivery" / "fault-2-liveness.yaml").read_text()
    liveness = text[text.index("livenessProbe"):text.index("readinessProbe")]
    values = {k: int(v) for k, v in re.findall(r"(\w+Seconds|failureThreshold|port): (\d+)",
                                                 liveness)}
    assert values["port"] == 8081 and "containerPort: 8080" in text
    killed_by = values["initialDelaySeconds"] + (values["failureThreshold"] - 1) * values[
        "periodSeconds"]
    assert 45 <= killed_by < 60  # "works for less than a minute": failures at 30, 40, 50 s
    customer = (REPO / "kits" / "delivery" / "fault-1-image-pull.yaml").read_text()
    assert customer[customer.index("livenessProbe"):] == text[text.index("livenessProbe"):]


def test_kit_writes_every_file_private_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run("kit", "guide-delivery-troubleshooting", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert written == ["brief.md", "interviewer/deployment.yaml",
                       "interviewer/fault-1-image-pull.yaml", "interviewer/fault-2-liveness.yaml",
                       "interviewer/interviewer-notes.md", "plan.md"]
    for path in [out, *out.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        assert mode == (0o700 if path.is_dir() else 0o600), (path, oct(mode))
    assert (out / "interviewer" / "fault-2-liveness.yaml").read_bytes() == (
        REPO / "kits" / "delivery" / "fault-2-liveness.yaml").read_bytes()
    assert "## Opening script" in (out / "plan.md").read_text()
    assert "send the candidate brief.md" in result.stdout
    assert "candidate/" not in result.stdout

    (out / "plan.md").write_text("my notes")
    again = run("kit", "guide-delivery-troubleshooting", "-o", str(out))
    assert again.exit_code == 2
    assert "already has files; add --force" in again.stderr
    assert (out / "plan.md").read_text() == "my notes"
    forced = run("kit", "guide-delivery-troubleshooting", "-o", str(out), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert "## Opening script" in (out / "plan.md").read_text()


@pytest.mark.parametrize("plan_id", sorted(p.id for p in LIB.plans.values() if p.kit))
def test_kit_is_complete_for_every_plan_with_material(plan_id: str, tmp_path: Path) -> None:
    out = tmp_path / plan_id
    result = run("kit", plan_id, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    plan = LIB.plans[plan_id]
    assert (out / "plan.md").is_file()
    assert (out / "brief.md").is_file() == (plan.brief is not None)
    for a in plan.attachments:
        assert (out / a.audience / Path(a.file).name).read_bytes() == Path(a.path).read_bytes()


def test_kit_of_an_unknown_plan_and_into_a_file_say_what_to_do(tmp_path: Path) -> None:
    result = run("kit", "no-such-plan", "-o", str(tmp_path / "k"))
    assert result.exit_code == 2 and "no plan 'no-such-plan'" in result.stderr
    afile = tmp_path / "afile"
    afile.write_text("x")
    result = run("kit", "guide-release-takehome", "-o", str(afile))
    assert result.exit_code == 2 and "is a file; give a folder" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_brief_prints_only_the_candidate_part() -> None:
    result = run("show", "guide-api-client-pairing", "--brief")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Pair coding: an API client")
    assert "- issues-api.md: Description of the issue tracker API" in result.stdout
    assert "mock-behaviour" not in result.stdout  # the interviewer's file stays with them
    assert "Look for" not in result.stdout


def test_show_brief_of_a_plan_without_one_names_those_with_one() -> None:
    result = run("show", "stage-behavioral", "--brief")
    assert result.exit_code == 2
    assert "plan 'stage-behavioral' has no brief for the candidate" in result.stderr
    assert "guide-release-takehome" in result.stderr


def _user_content(tmp_path: Path, plan_extra: str, kit: dict[str, bytes]) -> Path:
    root = tmp_path / "content"
    (root / "sessions").mkdir(parents=True)
    for name, data in kit.items():
        (root / "kits" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "kits" / name).write_bytes(data)
    (root / "sessions" / "mine.yaml").write_text(
        "kind: plan\nid: mine\ntitle: Mine\nmode: checklist\n" + plan_extra
        + "sections:\n  - title: Only\n    prompts: [Read the brief.]\n")
    return root / "sessions"


def test_a_user_plan_finds_its_kit_beside_its_folder(tmp_path: Path) -> None:
    plans = _user_content(tmp_path, "brief: mine/brief.md\nattachments:\n"
                          "  - {file: mine/data.csv, title: Sample data, for: candidate}\n",
                          {"mine/brief.md": b"# My brief\n", "mine/data.csv": b"a,b\n1,2\n"})
    result = run("show", "mine", "--brief", "--plans", str(plans))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ("# My brief\n\n---\n\nFiles sent with this brief:\n\n"
                             "- data.csv: Sample data\n")


@pytest.mark.parametrize(("extra", "kit", "message"), [
    ("brief: mine/gone.md\n", {}, "the brief 'mine/gone.md' is not there: looked in"),
    ("brief: ../secret.md\n", {}, "must be a relative path of plain names"),
    ("brief: mine/b.md\n", {"mine/b.md": b"\xff\xfe"}, "is not UTF-8 text"),
    ("brief: mine/b.md\n", {"mine/b.md": b"ok\x1b[2J\n"}, "has a control character (U+001B)"),
    ("attachments:\n  - {file: mine/a.md, title: A, for: everyone}\n", {"mine/a.md": b"a"},
     "use candidate (sent to them with the brief) or interviewer"),
    ("attachments:\n  - {file: mine/a.md, title: A, for: candidate}\n"
     "  - {file: other/a.md, title: B, for: candidate}\n",
     {"mine/a.md": b"a", "other/a.md": b"b"}, "already has a file named 'a.md'"),
    ("attachments:\n  - {file: mine/a.md, for: candidate}\n", {"mine/a.md": b"a"},
     "missing required key 'title'"),
])
def test_bad_attachments_are_problems_at_their_line(tmp_path: Path, extra: str,
                                                    kit: dict[str, bytes],
                                                    message: str) -> None:
    plans = _user_content(tmp_path, extra, kit)
    result = run("validate", str(plans / "mine.yaml"), "--plans", str(plans))
    assert result.exit_code == 2
    assert re.search(rf"mine\.yaml:\d+: .*{re.escape(message)}", result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_a_changed_kit_file_is_seen_through_the_cache(tmp_path: Path) -> None:
    from companion.content.cache import load_library_cached
    from companion.content.library import content_sources

    plans = _user_content(tmp_path, "brief: mine/brief.md\n", {"mine/brief.md": b"# One\n"})
    sources = content_sources(None, plans=[plans])
    cache = tmp_path / "cache"
    assert load_library_cached(sources, cache).plans["mine"].brief is not None
    (tmp_path / "content" / "kits" / "mine" / "brief.md").unlink()
    again = load_library_cached(sources, cache)
    assert "mine" not in again.plans
    assert any("is not there" in p.message for p in again.problems)


# --- Worked examples ------------------------------------------------------------------------


def test_every_question_of_the_core_banks_has_three_short_examples() -> None:
    for bank_id in CORE_BANKS:
        for question in LIB.banks[bank_id].questions:
            assert len(question.examples) == 3, f"{bank_id}/{question.id}"
            assert len(set(question.examples)) == 3, f"{bank_id}/{question.id}"


def test_banks_json_counts_the_questions_with_examples() -> None:
    result = run("banks", "--json")
    rows = {row["id"]: row for row in json.loads(result.stdout)}
    for bank_id in CORE_BANKS:
        assert rows[bank_id]["with_examples"] == rows[bank_id]["questions"] > 0
    assert rows["rubric-self-score"]["with_examples"] == 0 if "rubric-self-score" in rows \
        else True


def test_show_prints_the_examples_under_each_question() -> None:
    result = run("show", "stage-system-design")
    assert result.exit_code == 0
    assert "  - Example of a 0: " in result.stdout
    assert "  - Example of a 2: " in result.stdout


def _bank(tmp_path: Path, questions: str) -> Path:
    folder = tmp_path / "banks"
    folder.mkdir(exist_ok=True)
    (folder / "b.yaml").write_text("kind: bank\nid: b\ntitle: B\nquestions:\n" + questions)
    return folder


def test_an_example_missing_a_level_is_a_problem(tmp_path: Path) -> None:
    banks = _bank(tmp_path, "  - id: q\n    text: Why?\n    examples:\n      0: Nothing.\n"
                  "      2: Everything.\n      3: More.\n")
    result = run("validate", str(banks / "b.yaml"), "--banks", str(banks))
    assert result.exit_code == 2
    assert "b.yaml:7: question 'q' has no example for a score of 1" in result.stderr
    assert "b.yaml:10: example level '3' in question 'q' is not 0, 1 or 2" in result.stderr


def test_long_examples_and_a_bank_half_done_are_warnings(tmp_path: Path) -> None:
    three = "Did one thing. Then another. Then a third."
    banks = _bank(tmp_path, f"  - id: q\n    text: Why?\n    examples:\n      0: {three}\n"
                  "      1: Some.\n      2: All.\n  - id: r\n    text: How?\n")
    relaxed = run("validate", str(banks / "b.yaml"), "--banks", str(banks))
    assert relaxed.exit_code == 0
    strict = run("validate", "--strict", str(banks / "b.yaml"), "--banks", str(banks))
    assert strict.exit_code == 2
    assert "the example of a 0 of question 'q' is 42 characters and 3 sentence(s)" in \
        strict.stderr
    assert "question 'r' has no worked examples, though 1 other question(s)" in strict.stderr


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["Did it", "Asked why", "Tested it", "e.g. a heap", "O(n)"]),
                min_size=1, max_size=5))
def test_the_sentence_count_of_an_example_follows_its_full_stops(words: list[str]) -> None:
    from companion.content.rules import _SENTENCE_END

    text = ". ".join(words) + "."
    assert len(_SENTENCE_END.findall(text)) == text.count(". ") + 1


# --- Scripts and the agenda -----------------------------------------------------------------


def test_every_interview_plan_opens_and_closes_with_a_script() -> None:
    for plan in LIB.plans.values():
        if plan.mode != "interview":
            continue
        assert plan.opening and plan.closing, plan.id
        if plan.id != "reference-check-call":  # the referee is not the candidate
            assert "note" in plan.opening.lower(), plan.id
            assert "break" in plan.opening, plan.id  # the accommodations on offer
            assert "working days" in plan.closing, plan.id
        if plan.id.startswith("guide-") and plan.stage in ("pairing", "frontend", "delivery"):
            assert "assistants are encouraged" in plan.opening, plan.id


def test_the_debrief_has_an_agenda_with_the_scale_and_a_rule() -> None:
    agenda = " ".join(LIB.plans["stage-debrief"].agenda)
    for words in ("before anyone speaks", "strong no", "strong yes", "Decision rule"):
        assert words.lower() in agenda.lower()
    result = run("show", "stage-debrief")
    assert "## Agenda" in result.stdout and "1. Before anyone speaks" in result.stdout


def test_show_prints_the_opening_before_the_sections_and_the_closing_after() -> None:
    out = run("show", "stage-recruiter-screen").stdout
    assert out.index("## Opening script") < out.index("## 1. ") < out.index("## Closing script")


def test_an_interview_plan_without_scripts_is_warned(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "kind: plan\nid: p\ntitle: P\nmode: interview\n"
        "sections:\n  - title: Talk\n    minutes: 5\n    prompts: [Hello?]\n")
    lib = load_library([*builtin_sources(),
                        *[s for s in __import__("companion.content.library", fromlist=["x"])
                          .content_sources(None, plans=[tmp_path])][1:]])
    mine = [w.message for w in content_warnings(lib) if w.path.endswith("p.yaml")]
    assert any("has no opening script" in m for m in mine)
    assert any("has no closing script" in m for m in mine)


# --- On screen: the live screen on request, the rubric beside the anchors -------------------


def _system_design_session(tmp_path: Path):  # type: ignore[no-untyped-def]
    from companion.clock import FakeClock
    from companion.content.library import resolve_plan
    from companion.session import Session
    from companion.store.database import Store

    store = Store(tmp_path / "kits.db")
    clock = FakeClock()
    plan = resolve_plan(LIB, "stage-system-design", "backend", "mid")
    session = Session.start(plan, clock, store.sink("s1"), session_id="s1",
                            candidate="Ada Example", role="backend", level="mid")
    # The first section that asks a bank question (it has worked examples).
    index = next(n for n, s in enumerate(plan.sections) if any(p.examples for p in s.prompts))
    session.go_to(index)
    return store, clock, session, plan.sections[index].prompts[0]


async def test_c_on_the_live_screen_shows_the_highlighted_questions_examples(
        tmp_path: Path) -> None:
    from companion.cli.launch import create_app
    from companion.tui.screens.examples import ExamplesScreen
    from companion.tui.screens.live import LiveScreen

    store, clock, session, prompt = _system_design_session(tmp_path)
    app = create_app(store, clock, LIB, session, "", tick=10_000)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, LiveScreen)
        await pilot.press("c")  # typing mode: the letter goes to the note line
        assert not isinstance(app.screen, ExamplesScreen)
        await pilot.press("escape", "c")
        assert isinstance(app.screen, ExamplesScreen)
        shown = str(app.screen.query_one("#examples").render())
        for score, example in enumerate(prompt.examples):
            assert f"{score}: {example[:30]}" in " ".join(shown.split())
        await pilot.press("escape")
        assert isinstance(app.screen, LiveScreen)
    binding = next(b for b in LiveScreen.BINDINGS if getattr(b, "action", "") == "examples")
    assert binding.id == "live.examples" and binding.tooltip  # type: ignore[union-attr]
    store.close()


def test_the_rubric_hints_show_the_examples_of_asked_questions(tmp_path: Path) -> None:
    from companion.tui.screens.rubric import _hints

    store, _clock, session, prompt = _system_design_session(tmp_path)
    rubric = session.state.plan.rubric
    assert rubric is not None
    criterion = next(c for c in rubric.criteria if c.id in prompt.criteria)
    assert "e.g. 0:" not in _hints(session.state, criterion).plain  # not asked yet
    session.toggle_asked(prompt.id)
    hints = " ".join(_hints(session.state, criterion).plain.split())
    for score, example in enumerate(prompt.examples):
        assert f"e.g. {score}: {' '.join(example.split())[:40]}" in hints
    store.close()


# --- The API-client mock shipped in the kit -------------------------------------------------


def _mock():  # type: ignore[no-untyped-def]
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "kit_mock_server", REPO / "kits" / "api-client" / "mock_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


AUTH = {"authorization": "Bearer tok-start"}


def _all_pages(mock, now: float = 0.0) -> tuple[list[int], list[int]]:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    statuses: list[int] = []
    cursor = None
    while True:
        reply = mock.handle("GET", "/issues" + (f"?cursor={cursor}" if cursor else ""), AUTH,
                            b"", now)
        statuses.append(reply.status)
        if reply.status != 200:
            continue  # a client that retries at once
        ids += [i["id"] for i in reply.body["items"]]
        cursor = reply.body["next_cursor"]
        if cursor is None:
            return ids, statuses


def test_the_mock_lists_12000_issues_in_120_pages_as_its_description_says() -> None:
    mock = _mock().Mock()
    ids, statuses = _all_pages(mock)
    assert len(ids) == 12_000 == len(set(ids)) and statuses == [200] * 120
    assert ids == sorted(ids, reverse=True)  # newest first
    nulls = [i for i in mock.issues if i["priority"] is None]
    assert 0.10 < len(nulls) / 12_000 < 0.15 and all(i["created_at"] < "2019" for i in nulls)
    assert mock.handle("GET", "/issues", {}, b"", 0).status == 401
    assert mock.handle("GET", "/issues?cursor=%%%", AUTH, b"", 0).status == 400
    assert mock.handle("GET", "/issues/999999", AUTH, b"", 0).status == 404
    assert mock.handle("POST", "/issues", AUTH, b'{"title": ""}', 0).status == 422


def test_the_mocks_switches_give_every_candidate_the_same_failures() -> None:
    module = _mock()
    for run_ in range(2):
        mock = module.Mock()
        assert mock.handle("POST", "/_mock/switch/retry-5xx", {}, b"", 0).status == 200
        _ids, statuses = _all_pages(mock)
        assert statuses.count(503) == len(statuses) // 20, run_  # every 20th, not at random
    mock = module.Mock()
    mock.handle("POST", "/_mock/switch/rate-limit-429", {}, b"", 0)
    replies = [mock.handle("GET", "/issues", AUTH, b"", 1.0) for _ in range(61)]
    assert [r.status for r in replies[:60]] == [200] * 60
    assert replies[60].status == 429 and replies[60].headers["Retry-After"] == "5"
    assert mock.handle("GET", "/issues", AUTH, b"", 62.0).status == 200  # the minute passed
    mock.handle("POST", "/_mock/switch/etag-cache", {}, b"", 0)
    tag = mock.handle("GET", "/issues", AUTH, b"", 200.0).headers["ETag"]
    assert mock.handle("GET", "/issues", {**AUTH, "if-none-match": tag}, b"", 200.0).status \
        == 304
    mock.handle("POST", "/issues", AUTH, b'{"title": "New one"}', 200.0)
    assert mock.handle("GET", "/issues", {**AUTH, "if-none-match": tag}, b"", 200.0).status \
        == 200  # an issue changed: no stale data
    mock.handle("POST", "/_mock/switch/timeouts-hangs", {}, b"", 0)
    delays = [mock.handle("GET", "/issues/5", AUTH, b"", 300.0).delay for _ in range(50)]
    assert delays.count(30.0) == 1
    assert mock.handle("POST", "/_mock/reset", {}, b"", 0).body == {"on": []}


def test_the_frontend_mock_answers_as_its_description_says() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "kit_mock_api", REPO / "kits" / "frontend" / "mock_api.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    status, body, delay = module.respond("/api/items/it-208")
    assert (status, delay) == (200, 1.5) and body["status"] == "in_progress"
    assert module.respond("/api/items/it-208?delay=6000")[2] == 6.0
    assert module.respond("/api/items/it-208?fail=500")[:2] == (500, {"error": "internal"})
    assert isinstance(module.respond("/api/items/it-210?shape=bad")[1]["author"], str)
    assert module.respond("/api/items/it-209")[1]["description"] == ""
    assert module.respond("/api/items/it-210")[1]["author"]["avatar_url"] is None
    assert module.respond("/api/items/nope")[0] == 404


@pytest.mark.parametrize(("plan_id", "provided"), [
    ("guide-code-walkthrough", "provided library"),
    ("guide-appsec-walkthrough", "provided application"),
])
def test_walkthroughs_of_own_code_are_fair_and_safe(plan_id: str, provided: str) -> None:
    """Candidates may bring their own code: the brief says never an employer's confidential
    code, offers the provided alternative, and says both are assessed the same; the
    interviewer's guidance says the same."""
    plan = LIB.plans[plan_id]
    assert plan.brief is not None
    brief = " ".join(Path(plan.brief.path).read_text(encoding="utf-8").split()).lower()
    assert "confidential" in brief and "employer" in brief
    assert provided in brief and "the default" in brief
    assert "scored on the same things" in brief and "not a disadvantage" in brief
    guidance = " ".join(plan.sections[0].guidance.split()).lower()
    assert "never ask for a copy" in guidance and "same criteria" in guidance
    assert "confidential" in " ".join(plan.description.split()).lower()


def test_the_ai_eval_brief_states_its_deadline_and_what_happens_then() -> None:
    plan = LIB.plans["guide-ai-eval-review"]
    assert plan.brief is not None
    brief = " ".join(Path(plan.brief.path).read_text(encoding="utf-8").split())
    assert "7 calendar days" in brief and "At the end of the 7 days, send what you have" in brief
    assert "within 5 working days" in brief and "7 calendar days" in plan.description
