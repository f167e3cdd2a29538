"""The content commands: validate, plans, banks, show, paths, --version.

Exact-shape checks use the tiny source in tests/fixtures/content (ids prefixed `fixture-`),
so they hold whatever the built-in content says."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli as run

from companion import __version__

CONTENT = Path(__file__).resolve().parent / "fixtures" / "content"
BANKS = CONTENT / "banks"
PLANS = CONTENT / "sessions"
BAD = CONTENT / "bad" / "bad-plan.yaml"
FIXTURE_OPTS = ["--banks", str(BANKS), "--plans", str(PLANS)]


def fixture_rows(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in rows if str(row["path"]).startswith(str(CONTENT))}


# --- validate -------------------------------------------------------------------------------


def test_validate_builtin_content_is_clean() -> None:
    result = run("validate")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")
    assert " plans, " in result.stdout and " banks, " in result.stdout
    assert result.stderr == ""


def test_validate_with_the_fixture_source_is_clean() -> None:
    result = run("validate", *FIXTURE_OPTS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: ")


def test_validate_the_fixture_folder_alone() -> None:
    result = run("validate", str(CONTENT / "banks"), str(CONTENT / "sessions"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 7 file(s), ")


def test_validate_a_bad_file_lists_every_problem() -> None:
    result = run("validate", str(BAD))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines == [
        f"{BAD}:4: mode 'interveiw' is not one of interview, practice, checklist; "
        "did you mean 'interview'?",
        f"{BAD}:7: 'minutes' in section 'Intro' must be more than 0, not 0",
        f"{BAD}:8: unknown key 'promts' in section 'Intro'; did you mean 'prompts'?",
        "3 problem(s) in 1 file(s) (1 checked)",
    ]


def test_validate_a_file_in_any_folder(tmp_path: Path) -> None:
    anywhere = tmp_path / "some" / "where"
    anywhere.mkdir(parents=True)
    bad = anywhere / "draft.yml"
    shutil.copy(BAD, bad)
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4: mode 'interveiw'" in result.stderr

    good = anywhere / "plan.yaml"
    good.write_text(
        "kind: plan\nid: elsewhere\ntitle: Elsewhere\nmode: checklist\n"
        "sections:\n  - title: Only\n    prompts: [Say hello.]\n",
        encoding="utf-8",
    )
    result = run("validate", str(good))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("ok: 1 file(s), ")


def test_validate_a_folder(tmp_path: Path) -> None:
    shutil.copy(BAD, tmp_path / "a.yaml")
    nested = tmp_path / "nested"
    nested.mkdir()
    shutil.copy(BAD, nested / "b.yaml")
    (tmp_path / "notes.md").write_text("not content", encoding="utf-8")
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'a.yaml'}:4:" in result.stderr
    assert f"{nested / 'b.yaml'}:4:" in result.stderr
    assert result.stderr.splitlines()[-1] == "6 problem(s) in 2 file(s) (2 checked)"


def test_validate_the_same_id_twice_names_both_places(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    shutil.copy(BANKS / "fixture-signals.yaml", first)
    shutil.copy(BANKS / "fixture-signals.yaml", second)
    result = run("validate", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        f"{second}:2: duplicate signal set id 'fixture-signals': also defined at {first}:2; "
        "rename one of them")


def test_validate_references_resolve_against_given_sources(tmp_path: Path) -> None:
    plan = tmp_path / "mine.yaml"
    plan.write_text(
        "kind: plan\nid: mine\ntitle: Mine\nmode: interview\nsections:\n"
        "  - title: Q\n    minutes: 10\n    prompts:\n      - question: fixture-bank/cach\n",
        encoding="utf-8",
    )
    result = run("validate", str(plan), "--banks", str(BANKS))
    assert result.exit_code == 2
    assert (f"{plan}:9: bank 'fixture-bank' has no question 'cach'; did you mean 'cache'?"
            in result.stderr.splitlines())
    fixed = plan.read_text(encoding="utf-8").replace("/cach\n", "/cache\n")
    plan.write_text(fixed, encoding="utf-8")
    assert run("validate", str(plan), "--banks", str(BANKS)).exit_code == 0
    # Without the bank's folder the reference dangles.
    result = run("validate", str(plan))
    assert result.exit_code == 2
    assert "unknown bank 'fixture-bank'" in result.stderr


def test_validate_missing_path(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run("validate", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"error: no such file or folder: {missing}\n"
    assert result.stdout == ""


def test_validate_reports_an_override_as_a_notice(tmp_path: Path) -> None:
    user = tmp_path / "mine"
    user.mkdir()
    copy = user / "interview.yaml"
    copy.write_text((PLANS / "fixture-interview.yaml").read_text(encoding="utf-8")
                    .replace("Fixture interview round", "My round"), encoding="utf-8")
    result = run("validate", *FIXTURE_OPTS, "--plans", str(user))
    assert result.exit_code == 0, result.stderr
    assert (f"{copy}:2: notice: plan 'fixture-interview' overrides the one at "
            f"{PLANS / 'fixture-interview.yaml'}:2 (--plans {PLANS})") in result.stderr


def test_a_broken_user_file_is_reported_but_does_not_stop_listing(tmp_path: Path) -> None:
    shutil.copy(BAD, tmp_path / "bad.yaml")
    result = run("plans", "--json", *FIXTURE_OPTS, "--plans", str(tmp_path))
    assert result.exit_code == 0
    assert f"{tmp_path / 'bad.yaml'}:4: mode 'interveiw'" in result.stderr
    assert "left out" in result.stderr
    ids = {row["id"] for row in json.loads(result.stdout)}
    assert "fixture-interview" in ids and "fixture-bad" not in ids


# --- plans ----------------------------------------------------------------------------------


def test_plans_json_shape() -> None:
    result = run("plans", "--json", *FIXTURE_OPTS)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert isinstance(rows, list) and rows
    for row in rows:
        assert {"id", "title", "mode", "minutes", "stage", "sections", "rubric", "path"} <= set(
            row)
        for section in row["sections"]:
            assert set(section) >= {"title", "minutes"}
    mine = fixture_rows(rows)
    assert set(mine) == {"fixture-interview", "fixture-practice", "fixture-checklist"}
    interview = mine["fixture-interview"]
    assert interview["title"] == "Fixture interview round"
    assert interview["mode"] == "interview"
    assert interview["minutes"] == 35
    assert interview["stage"] == "fixture-design"
    assert interview["family"] == "fixture-family"
    assert interview["rubric"] == "fixture-rubric"
    assert interview["participants"] == ["One engineer"]
    assert interview["sections"] == [
        {"title": "Introductions", "minutes": 5},
        {"title": "Design", "minutes": 30},
    ]
    assert interview["loops"] == ["fixture-loop"]
    assert interview["path"] == str(PLANS / "fixture-interview.yaml")
    checklist = mine["fixture-checklist"]
    assert checklist["rubric"] is None
    assert checklist["minutes"] == 0
    assert [s["minutes"] for s in checklist["sections"]] == [None, None]


def test_plans_stage_filter() -> None:
    result = run("plans", "--json", "--stage", "fixture-design", *FIXTURE_OPTS)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert {r["id"] for r in rows} == {"fixture-interview", "fixture-checklist"}


def test_plans_mode_filter() -> None:
    result = run("plans", "--json", "--mode", "practice", *FIXTURE_OPTS)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows and all(r["mode"] == "practice" for r in rows)
    assert set(fixture_rows(rows)) == {"fixture-practice"}


def test_plans_unknown_mode_is_a_usage_error() -> None:
    result = run("plans", "--mode", "exam")
    assert result.exit_code == 2
    assert "exam" in result.stderr


def test_plans_unknown_stage_lists_the_stages() -> None:
    result = run("plans", "--stage", "fixture-nope", *FIXTURE_OPTS)
    assert result.exit_code == 2
    assert "no plans of stage 'fixture-nope'" in result.stderr
    assert "fixture-design" in result.stderr


def test_plans_text_listing() -> None:
    result = run("plans", "--stage", "fixture-design", *FIXTURE_OPTS)
    assert result.exit_code == 0
    assert "fixture-interview" in result.stdout
    assert "Fixture interview round" in result.stdout
    assert "untimed" in result.stdout  # the checklist
    assert "2 plan(s)" in result.stdout


# --- banks ----------------------------------------------------------------------------------


def test_banks_json_shape() -> None:
    result = run("banks", "--json", *FIXTURE_OPTS)
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    for row in rows:
        assert {"id", "title", "path", "questions", "with_follow_ups", "with_look_for",
                "with_examples"} <= set(row)
        assert isinstance(row["questions"], int) and row["questions"] >= 1
    mine = fixture_rows(rows)
    assert mine == {
        "fixture-bank": {
            "id": "fixture-bank",
            "title": "Fixture bank",
            "stage": "fixture-design",
            "roles": [],
            "questions": 3,
            "with_follow_ups": 2,
            "with_look_for": 1,
            "with_examples": 0,
            "path": str(BANKS / "fixture-bank.yaml"),
        }
    }


def test_banks_text_listing() -> None:
    result = run("banks", *FIXTURE_OPTS)
    assert result.exit_code == 0
    assert "fixture-bank" in result.stdout
    assert "fixture-signals" in result.stdout
    assert "pass 2/4" in result.stdout


# --- show -----------------------------------------------------------------------------------


def test_show_prints_markdown() -> None:
    result = run("show", "fixture-interview", *FIXTURE_OPTS)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "# Fixture interview round"
    assert "## 1. Introductions (5 min)" in lines
    assert "## 2. Design (30 min)" in lines
    assert "- **Design a cache for arr\\[i\\] lookups.**" in lines  # text, not markup
    assert "  - Follow-up: What gets evicted first?" in lines
    assert "- **Design a job queue.**" in lines  # the query, resolved in file order
    assert "- [ ] good: Asks about the load before choosing a design" in lines
    assert "## Rubric: Fixture rubric" in lines


def test_show_checklist_without_minutes() -> None:
    result = run("show", "fixture-checklist", *FIXTURE_OPTS)
    assert result.exit_code == 0
    assert "## 1. Before the call (no time limit)" in result.stdout.splitlines()


def test_show_unknown_plan_suggests_a_close_one() -> None:
    result = run("show", "fixture-intervew", *FIXTURE_OPTS)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: no plan 'fixture-intervew'")
    assert "did you mean 'fixture-interview'?" in result.stderr


def test_show_unknown_role_is_refused_with_a_did_you_mean() -> None:
    """`--role ml` or `--role data` used to fall back to the generic questions silently."""
    result = run("show", "stage-technical-screen", "--role", "ml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "error: no role 'ml'; did you mean 'mle'?" in result.stderr
    result = run("show", "stage-technical-screen", "--role", "data")
    assert "did you mean 'data-engineering' or 'data-science'?" in result.stderr
    assert run("show", "stage-technical-screen", "--role", "mle").exit_code == 0


# --- Options before or after the subcommand -------------------------------------------------


@pytest.mark.parametrize("args", [
    ["--banks", str(BANKS), "--plans", str(PLANS), "show", "fixture-practice"],
    ["show", "fixture-practice", "--banks", str(BANKS), "--plans", str(PLANS)],
    ["--banks", str(BANKS), "show", "--plans", str(PLANS), "fixture-practice"],
    ["--plans", str(PLANS), "show", "fixture-practice", "--banks", str(BANKS)],
])
def test_source_options_before_and_after_the_subcommand(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("# Fixture practice drill\n")


def test_without_the_source_options_the_fixture_plan_is_unknown() -> None:
    result = run("show", "fixture-practice")
    assert result.exit_code == 2
    assert "no plan 'fixture-practice'" in result.stderr


def test_paths_lists_every_source(tmp_path: Path) -> None:
    result = run("--banks", str(BANKS), "paths")
    assert result.exit_code == 0
    out = result.stdout
    assert out.startswith("database: ")
    assert "built-in: " in out
    assert "user config: " in out
    assert f"--banks {BANKS}: {BANKS}\n" in out
    assert "(not there)" in out  # the user config folders do not exist in a fresh home
    assert "built-in kits: " in out and "user config kits: " in out  # plans' attachments


def test_missing_content_folder_is_an_error(tmp_path: Path) -> None:
    result = run("paths", "--plans", str(tmp_path / "missing"))
    assert result.exit_code == 2
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_db_option_before_and_after(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    assert f"database: {db}\n" in run("--db", str(db), "paths").stdout
    assert f"database: {db}\n" in run("paths", "--db", str(db)).stdout


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"companion, version {__version__}\n"
