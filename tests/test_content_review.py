"""What an interviewer's read of every plan found (1 December), held in place: scripts that
match their plans, unscored parts that score nothing, and kits that run as shipped."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from companion.content.library import builtin_sources, load_library
from companion.model import InlinePrompt, QuestionRef, TagQuery

REPO = Path(__file__).resolve().parent.parent
LIB = load_library(builtin_sources())

# Plans where the candidate writes code: one policy on coding assistants, said in the opening.
CODING_PLANS = ("stage-technical-screen", "stage-onsite-coding", "backend-pair-programming",
                "guide-pairing", "pairing-45", "guide-api-client-pairing",
                "guide-cloud-ops-pairing", "guide-frontend-live-coding")


@pytest.mark.parametrize("plan_id", CODING_PLANS)
def test_coding_plans_share_one_assistant_policy(plan_id: str) -> None:
    opening = " ".join((LIB.plans[plan_id].opening or "").split())
    assert "Coding assistants are encouraged" in opening, plan_id
    assert "say what you are asking the assistant" in opening, plan_id


_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}


def test_the_opening_counts_the_parts_the_plan_has() -> None:
    for plan in LIB.plans.values():
        said = re.search(r"\bin (\w+) parts\b", " ".join((plan.opening or "").split()))
        if said and said.group(1) in _COUNTS:
            assert _COUNTS[said.group(1)] == len(plan.sections), (plan.id, said.group(0))


def test_work_above_the_level_is_never_scored_down() -> None:
    level = next(c for c in LIB.rubrics["resume-screen"].criteria if c.id == "level-scope")
    assert "below" in level.anchors[0] and "above" not in level.anchors[0]
    assert "never scored down" in " ".join(level.anchors[2].split())


@pytest.mark.parametrize("plan_id", ["stage-recruiter-screen", "backend-recruiter-connect"])
def test_pay_is_asked_unscored(plan_id: str) -> None:
    """Pay never lowers a score, so it is no bank question with criteria or examples: an
    inline prompt, marked not scored, after the band is stated."""
    bank = LIB.banks["recruiter-screen"]
    assert not [q for q in bank.questions if "compensation" in q.text.lower()]
    prompts = [p for s in LIB.plans[plan_id].sections for p in s.prompts]
    pay = [p for p in prompts if isinstance(p, InlinePrompt) and "compensation" in p.text]
    assert len(pay) == 1 and pay[0].text.startswith("Not scored.")


def test_the_candidates_own_questions_carry_no_look_for() -> None:
    for plan_id in ("system-design-45", "team-interview-product"):
        last = LIB.plans[plan_id].sections[-1]
        assert last.title == "Candidate questions"
        assert all(isinstance(p, InlinePrompt) and not p.look_for for p in last.prompts)


def test_the_onsite_constraint_change_is_each_problems_first_follow_up() -> None:
    plan = LIB.plans["stage-onsite-coding"]
    change = next(s for s in plan.sections if s.title.startswith("Change a constraint"))
    assert "first follow-up" in " ".join(change.guidance.split())
    assert not re.search(r"\d", " ".join(p.text for p in change.prompts))  # no fixed numbers
    query = next(p for s in plan.sections for p in s.prompts if isinstance(p, TagQuery))
    for question in LIB.banks[query.bank].questions:
        if "onsite" in question.topics:
            first = question.follow_ups[0]
            changed = r"\bnow\b|drops|change|twice|most real edits"
            assert re.search(changed, first, re.I), question.id


def test_scenarios_of_the_leadership_plans_ask_for_the_past_case() -> None:
    bank = LIB.banks["guide-leadership"]
    for plan_id, title in (("guide-cto-leadership", "How you would run the team"),
                           ("guide-em-peer", "Scenarios")):
        section = next(s for s in LIB.plans[plan_id].sections if s.title == title)
        for spec in section.prompts:
            assert isinstance(spec, QuestionRef)
            question = bank.question(spec.question)
            assert question is not None
            assert any(f.startswith("When did you last handle") for f in question.follow_ups)


def test_the_hiring_manager_intro_scores_nothing_and_presumes_no_interview() -> None:
    plan = LIB.plans["guide-hiring-manager-intro"]
    assert plan.rubric is None and "strong yes" not in plan.recommendation_scale
    question = LIB.banks["guide-leadership"].question("closing-open-question")
    assert question is not None and "earlier interviews left" not in question.text


def test_the_backend_pairing_starters_run_as_shipped(tmp_path: Path) -> None:
    kit = REPO / "kits" / "backend-pairing"
    done = subprocess.run([sys.executable, "-m", "unittest", "starter.py"], cwd=kit,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    files = {a.file for a in LIB.plans["backend-pair-programming"].kit}
    assert {"backend-pairing/starter.md", "backend-pairing/starter.py",
            "backend-pairing/starter.mjs"} <= files


def test_the_access_log_sample_is_shipped_and_reproducible(tmp_path: Path) -> None:
    kit = REPO / "kits" / "pairing"
    for name, extra in (("access.log", []), ("access-malformed.log", ["--malformed"])):
        done = subprocess.run([sys.executable, str(kit / "make-access-log.py"), *extra],
                              cwd=tmp_path, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / name).read_text() == (kit / name).read_text(), name
    lines = (kit / "access.log").read_text().splitlines()
    assert len(lines) == 2000 and all(len(line.split()) == 5 for line in lines)
    files = {a.file for a in LIB.plans["guide-pairing"].kit}
    assert "pairing/access.log" in files


def test_the_cloud_ops_mock_can_listen_where_the_candidate_reaches_it() -> None:
    source = (REPO / "kits" / "cloud-ops" / "mock-api.py").read_text()
    assert '"--host"' in source and '"--port"' in source and "mock-api.md" not in source
    guidance = " ".join(s.guidance for s in LIB.plans["guide-cloud-ops-pairing"].sections)
    assert "--host 0.0.0.0" in guidance
    frontend = " ".join(s.guidance for s in LIB.plans["guide-frontend-live-coding"].sections)
    assert "--host 0.0.0.0" in frontend
