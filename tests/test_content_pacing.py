"""Content for pacing: inline prompts may carry `minutes`, a section may be `protected`;
`validate` checks both with `path:line` messages, the cache keeps them, a session's plan
snapshot carries them (and a plan without them snapshots as before)."""

from __future__ import annotations

from pathlib import Path

from helpers import run_cli as run

from companion.content.cache import load_library_cached
from companion.content.library import Source, builtin_sources, load_library, resolve_plan

RUBRIC = """kind: rubric
id: p-rubric
title: Rubric
threshold: 1
criteria:
  - id: p-clarity
    title: Clarity
    anchors: {0: No., 1: Some., 2: Yes.}
"""

PLAN = """kind: plan
id: p-plan
title: Paced plan
mode: interview
rubric: p-rubric
opening: Thank you for joining; this interview takes the time shown, and I will take notes.
closing: Thank you; the recruiter will contact you within three working days.
sections:
  - title: Intro
    minutes: 2
    protected: true
    prompts:
      - text: Say hello.
        minutes: 3
  - title: Candidate questions
    minutes: 5
    protected: true
    prompts:
      - text: What would you like to know?
        minutes: 2
      - text: Anything else?
"""


def _write(folder: Path, plan: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "rubric.yaml").write_text(RUBRIC)
    (folder / "plan.yaml").write_text(plan)
    return folder


def test_validate_warns_at_the_line_for_an_overrun_and_a_protected_first_section(
        tmp_path: Path) -> None:
    folder = _write(tmp_path / "c", PLAN)
    result = run("validate", "--strict", str(folder))
    assert result.exit_code == 2
    assert (f"{folder}/plan.yaml:9: warning: section 'Intro' has 3 minutes of questions in "
            "its 2 minutes (the inline prompt at line 13 3); ask fewer questions, give them "
            "fewer minutes, or give the section more time") in result.stderr
    assert (f"{folder}/plan.yaml:9: warning: section 'Intro' is protected, but it is the "
            "plan's first section") in result.stderr
    assert "Candidate questions" not in result.stderr  # 2 of its 5 minutes: fine


def test_validate_refuses_bad_minutes_and_a_protected_section_without_minutes(
        tmp_path: Path) -> None:
    bad = PLAN.replace("        minutes: 2\n", "        minutes: 0\n").replace(
        "mode: interview", "mode: checklist").replace(
        "  - title: Candidate questions\n    minutes: 5\n",
        "  - title: Candidate questions\n")
    folder = _write(tmp_path / "bad", bad)
    result = run("validate", str(folder))
    assert result.exit_code == 2
    assert f"{folder}/plan.yaml:" in result.stderr
    assert "'minutes' in the prompt" in result.stderr and "0" in result.stderr
    assert ("section 'Candidate questions' is protected but has no 'minutes': pacing "
            "protects a section's time; give it minutes or remove 'protected'") in result.stderr
    flagged = _write(tmp_path / "flag", PLAN.replace("protected: true", "protected: 1", 1))
    result = run("validate", str(flagged))
    assert result.exit_code == 2
    assert f"{flagged}/plan.yaml:11:" in result.stderr and "true or false" in result.stderr


def test_the_snapshot_and_the_cache_carry_minutes_and_protected(tmp_path: Path) -> None:
    folder = _write(tmp_path / "c", PLAN)
    sources = [Source("test", (folder,))]
    cold = load_library_cached(sources, tmp_path / "cache")
    warm = load_library_cached(sources, tmp_path / "cache")
    assert warm.plans == cold.plans
    plan = resolve_plan(warm, "p-plan")
    assert [p.minutes for p in plan.sections[1].prompts] == [2, None]
    assert [s.protected for s in plan.sections] == [True, True]
    snapshot = plan.to_dict()
    assert snapshot["sections"][1]["protected"] is True
    assert "minutes" not in snapshot["sections"][1]["prompts"][1]  # none: left out


def test_builtin_closing_sections_are_protected_and_bank_minutes_reach_the_snapshot() -> None:
    lib = load_library(builtin_sources())
    plan = resolve_plan(lib, "guide-architecture")
    assert plan.sections[-1].title == "Candidate questions" and plan.sections[-1].protected
    assert not any(s.protected for s in plan.sections[:-1])
    assert plan.sections[1].prompts[0].minutes  # a bank question's minutes
    practice = resolve_plan(lib, "practice-coding")
    assert not any(s.protected for s in practice.sections)
