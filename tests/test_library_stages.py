"""The built-in content for the hiring stages (seed 000), role variants (001), the recruiter
stage (002), the mid-level backend loop (004) and the practice plans."""

from __future__ import annotations

import difflib
import random
import re

import pytest

from companion.content.library import builtin_sources, draw, load_library, resolve_plan
from companion.model import InlinePrompt, QuestionRef, TagQuery

ROLES = [None, "backend", "mle", "data-engineering", "data-science", "sre"]
LEVELS = [None, "junior", "mid", "senior", "staff"]

# Seed 000: every stage of the hiring process -> (plan id, mode, minutes or None).
STAGE_PLANS = {
    "application-review": ("stage-application-review", "checklist", None),
    "recruiter-screen": ("stage-recruiter-screen", "interview", 30),
    "technical-screen": ("stage-technical-screen", "interview", 60),
    "onsite-coding": ("stage-onsite-coding", "interview", 60),
    "system-design": ("stage-system-design", "interview", 60),
    "technical-discussion": ("stage-technical-discussion", "interview", 60),
    "behavioral": ("stage-behavioral", "interview", 45),
    "hiring-manager": ("stage-hiring-manager", "interview", 45),
    "debrief": ("stage-debrief", "checklist", None),
    "offer": ("stage-offer", "checklist", None),
    "background-check": ("stage-background-check", "checklist", None),
}

# Seed 004: the loop's sessions, in order -> (plan id, mode, stage, minutes).
LOOP_SESSIONS = [
    ("recruiter connect", "backend-recruiter-connect", "interview", "recruiter-screen", 30),
    ("take-home", "backend-takehome-review", "checklist", "take-home", 60),
    ("behavioral (BEI)", "backend-behavioral", "interview", "behavioral", 45),
    ("pair programming", "backend-pair-programming", "interview", "pairing", 60),
    ("system design", "backend-system-design", "interview", "system-design", 60),
    ("agentic AI design", "backend-agentic-ai-design", "interview", "ai-ml", 45),
    ("technical deep dive", "backend-deep-dive", "interview", "technical-discussion", 45),
    ("leadership", "backend-leadership", "interview", "leadership", 30),
    ("coffee chat", "backend-coffee-chat", "interview", "team-chat", 30),
]

PRACTICE_PLANS = {
    "practice-coding": 45,
    "practice-system-design": 45,
    "practice-behavioral": 30,
    "practice-recruiter-screen": 20,
    "practice-candidate-questions": 20,
}

# Banks written for these plans, and whether their questions are technical (stating levels).
BANKS = {
    "stage-coding": True,
    "role-fundamentals": True,
    "stage-system-design": True,
    "stage-technical-discussion": True,
    "backend-takehome": True,
    "backend-pairing": True,
    "backend-agentic-ai": True,
    "stage-behavioral": False,
    "stage-hiring-manager": False,
    "recruiter-screen": False,
    "practice-candidate-questions": False,
}

GENERIC_LOOK_FORS = {
    "good communication", "communicates well", "problem solving", "problem-solving skills",
    "team player", "good attitude", "strong technical skills", "culture fit", "passion",
}

NUMBER = re.compile(r"\d|\b(two|three|four|five|six|ten|twice|hundred|thousand|million)\b")
REFLECTION = ("differently", "again", "now", "would you change", "looking back")

MY_PLANS = (
    [plan_id for plan_id, _, _ in STAGE_PLANS.values()]
    + [plan_id for _, plan_id, _, _, _ in LOOP_SESSIONS]
    + list(PRACTICE_PLANS)
)


# The rubric that fits each kind of interview; coding and design keep "interviewer".
# The review of 1 December: design rounds score no ownership ("design"); the pair programming
# round scores the code reached ("coding-pairing"); the mid-level leadership round is scored at
# an engineer's scope ("engineer-leadership"). Coding rounds keep "interviewer".
STAGE_RUBRICS = {"recruiter-screen": "recruiter-screen", "behavioral": "behavioral",
                 "hiring-manager": "hiring-manager", "technical-discussion": "deep-dive",
                 "system-design": "design", "technical-screen": "design",
                 "onsite-coding": "coding-pairing"}
LOOP_RUBRICS: dict[str, str | None] = {
    "backend-recruiter-connect": "recruiter-screen", "backend-behavioral": "behavioral",
    "backend-pair-programming": "coding-pairing", "backend-deep-dive": "deep-dive",
    "backend-leadership": "engineer-leadership", "backend-coffee-chat": None,
    "backend-system-design": "design", "backend-agentic-ai-design": "design",
    "backend-takehome-review": "design",
}


@pytest.fixture(scope="module")
def lib():
    return load_library(builtin_sources())


def test_library_loads_without_problems(lib):
    assert not lib.problems, "\n".join(str(p) for p in lib.problems)


# --- Seed 000: one plan per stage ---------------------------------------------------------


@pytest.mark.parametrize("stage", sorted(STAGE_PLANS))
def test_each_hiring_stage_has_its_plan(lib, stage):
    plan_id, mode, minutes = STAGE_PLANS[stage]
    plan = lib.plans.get(plan_id)
    assert plan is not None, f"no plan {plan_id} for stage {stage}"
    assert plan.mode == mode
    assert plan.stage == stage
    assert plan.family == "hiring-stages"
    if mode == "interview":
        assert plan.rubric == STAGE_RUBRICS.get(stage, "interviewer")
        assert plan.minutes == minutes
    else:
        # Non-interview stages are points to cover, written inline.
        assert all(isinstance(p, InlinePrompt) for s in plan.sections for p in s.prompts)


# --- Seed 004: the mid-level backend loop ---------------------------------------------------


def test_backend_loop_lists_one_plan_per_session_in_order(lib):
    loop = lib.loops.get("mid-backend-loop")
    assert loop is not None
    # The review of 1 December: the loop ends with the debrief, references and offer too.
    assert list(loop.plans) == [plan_id for _, plan_id, _, _, _ in LOOP_SESSIONS] + [
        "stage-debrief", "reference-check-call", "offer-call"]
    assert "4.5 h" in loop.description  # the on-site length chosen where the seed disagrees


@pytest.mark.parametrize(("session", "plan_id", "mode", "stage", "minutes"), LOOP_SESSIONS)
def test_backend_loop_sessions(lib, session, plan_id, mode, stage, minutes):
    plan = lib.plans.get(plan_id)
    assert plan is not None, f"no plan {plan_id} for the {session}"
    assert plan.mode == mode
    assert plan.stage == stage
    assert plan.family == "backend-loop"
    assert plan.rubric == LOOP_RUBRICS.get(plan_id, "interviewer")
    assert plan.minutes == minutes


def test_backend_onsite_adds_up_to_four_and_a_half_hours_with_breaks(lib):
    onsite = ["backend-behavioral", "backend-pair-programming", "backend-system-design",
              "backend-agentic-ai-design", "backend-deep-dive"]
    assert sum(lib.plans[p].minutes for p in onsite) + 15 == 270
    assert lib.plans["backend-pair-programming"].minutes == 60


# --- Practice plans -------------------------------------------------------------------------


@pytest.mark.parametrize(("plan_id", "minutes"), sorted(PRACTICE_PLANS.items()))
def test_practice_plans(lib, plan_id, minutes):
    plan = lib.plans.get(plan_id)
    assert plan is not None
    assert plan.mode == "practice"
    assert plan.stage == "practice"
    assert plan.family == "practice"
    assert plan.rubric == "self-score"
    assert plan.minutes == minutes
    assert plan.sections[-1].title == "Post-mortem"
    assert any(isinstance(p, TagQuery) for s in plan.sections for p in s.prompts)


# --- Every plan of ours ---------------------------------------------------------------------


@pytest.mark.parametrize("plan_id", MY_PLANS)
def test_timed_plans_have_minutes_on_every_section(lib, plan_id):
    plan = lib.plans[plan_id]
    if plan.mode != "checklist":
        assert all(s.minutes and s.minutes > 0 for s in plan.sections)
    assert all(s.prompts for s in plan.sections), "a section without prompts"
    # What to do mid-call is short; a fact sheet to give when asked may follow it.
    assert all(len(s.guidance.split("Fact sheet")[0]) <= 200 for s in plan.sections), \
        "guidance must be short"


@pytest.mark.parametrize("plan_id", MY_PLANS)
def test_queries_find_enough_questions_for_every_role_and_level(lib, plan_id):
    plan = lib.plans[plan_id]
    for section in plan.sections:
        for spec in section.prompts:
            if not isinstance(spec, TagQuery):
                continue
            bank = lib.banks[spec.bank]
            for role in ROLES:
                for level in LEVELS:
                    got = draw(bank, spec, role, level, None)
                    assert len(got) == spec.count, (
                        f"{plan_id} / {section.title}: {spec} gives {len(got)} "
                        f"for role={role} level={level}")


@pytest.mark.parametrize("plan_id", MY_PLANS)
def test_resolved_plans_never_repeat_a_question(lib, plan_id):
    plan = lib.plans[plan_id]
    for role in ROLES:
        for level in LEVELS:
            rng = random.Random(7) if plan.mode == "practice" else None
            resolved = resolve_plan(lib, plan_id, role, level, rng=rng)
            ids = [p.id for s in resolved.sections for p in s.prompts
                   if not p.id.startswith("inline-")]
            assert len(ids) == len(set(ids)), f"{plan_id} repeats a question: {ids}"


@pytest.mark.parametrize("role", [r for r in ROLES if r])
def test_screens_ask_role_specific_questions(lib, role):
    """Seed 001: loops differ by role; the role chosen at start picks the questions."""
    for plan_id in ("stage-technical-screen", "stage-system-design",
                    "stage-technical-discussion"):
        resolved = resolve_plan(lib, plan_id, role, "mid")
        tagged = []
        for section in resolved.sections:
            for prompt in section.prompts:
                bank_id, _, question_id = prompt.id.partition("/")
                bank = lib.banks.get(bank_id)
                question = bank.question(question_id) if bank else None
                if question is not None and role in question.roles:
                    tagged.append(prompt.id)
        assert tagged, f"{plan_id} asks nothing specific to {role}"


def test_question_references_point_at_existing_questions(lib):
    for plan_id in MY_PLANS:
        for section in lib.plans[plan_id].sections:
            for spec in section.prompts:
                if isinstance(spec, QuestionRef):
                    assert lib.banks[spec.bank].question(spec.question) is not None


# --- Banks ----------------------------------------------------------------------------------


def _practised(lib, bank_id: str) -> set[str]:
    """The questions of a bank that some practice plan may draw."""
    found: set[str] = set()
    bank = lib.banks[bank_id]
    for plan in lib.plans.values():
        if plan.mode != "practice":
            continue
        for section in plan.sections:
            for spec in section.prompts:
                if isinstance(spec, QuestionRef) and spec.bank == bank_id:
                    found.add(spec.question)
                elif isinstance(spec, TagQuery) and spec.bank == bank_id:
                    found |= {q.id for q in bank.questions
                              if (not spec.kind or q.kind == spec.kind)
                              and set(spec.topics) <= set(q.topics)}
    return found


@pytest.mark.parametrize("bank_id", sorted(BANKS))
def test_banks_meet_the_quality_bar(lib, bank_id):
    bank = lib.banks.get(bank_id)
    assert bank is not None
    assert len(bank.questions) >= 10
    criteria = {c.id for c in lib.rubrics["self-score"].criteria}
    practised = _practised(lib, bank_id)
    for q in bank.questions:
        assert q.follow_ups, f"{bank_id}/{q.id} has no follow-up"
        assert q.look_for, f"{bank_id}/{q.id} has no look-for"
        assert q.kind, f"{bank_id}/{q.id} has no kind"
        assert q.criteria, f"{bank_id}/{q.id} names no criterion"
        # Practice (and --focus-weak) scores what a practice plan draws on self-score; the
        # other questions name only the criteria their look-fors evidence.
        if q.id in practised:
            assert set(q.criteria) & criteria, f"{bank_id}/{q.id} names no self-score criterion"
        for item in q.look_for:
            assert item.lower().strip(". ") not in GENERIC_LOOK_FORS, f"{bank_id}/{q.id}: {item}"
        if BANKS[bank_id]:
            assert q.levels, f"{bank_id}/{q.id} states no level"
            assert re.search(NUMBER, q.text), f"{bank_id}/{q.id} states no concrete number"


def test_behavioral_questions_ask_for_one_situation_own_part_and_reflection(lib):
    for q in lib.banks["stage-behavioral"].questions:
        assert re.search(r"\b(a time|one time|one |a specific|a mistake|a task|one piece|"
                         r"one project|one person)", q.text), q.id
        probes = " ".join(q.follow_ups).lower()
        assert any(word in probes for word in REFLECTION), q.id
        assert "you" in probes, q.id


def test_recruiter_bank_covers_the_eight_seed_questions(lib):
    ids = {q.id for q in lib.banks["recruiter-screen"].questions}
    assert {"tell-me-about-yourself", "recent-role", "why-join-us", "proudest-achievement",
            "lowest-moment", "ideal-workplace", "greatest-strength", "not-good-at"} <= ids


def test_candidate_questions_extend_the_seed_six(lib):
    ids = {q.id for q in lib.banks["practice-candidate-questions"].questions}
    seed = {"ask-engineer-day-to-day", "ask-valued-skills", "ask-successful-team",
            "ask-like-most-team", "ask-team-improve", "ask-like-best-company"}
    assert seed <= ids
    assert len(ids) >= 10


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_question_text_is_repeated_or_nearly_repeated(lib):
    """Word overlap first (cheap), then a character-level ratio for the close pairs."""
    mine = [(f"{b}/{q.id}", q.text) for b in BANKS for q in lib.banks[b].questions]
    everything = [(f"{b.id}/{q.id}", q.text) for b in lib.banks.values() for q in b.questions]
    words = {name: _words(text) for name, text in everything}
    for name, text in mine:
        for other, other_text in everything:
            if other == name:
                continue
            a, b = words[name], words[other]
            if len(a & b) / len(a | b) < 0.5:
                continue
            ratio = difflib.SequenceMatcher(None, text.lower(), other_text.lower()).ratio()
            assert ratio < 0.8, f"{name} is nearly the same as {other} ({ratio:.2f})"


# --- Rubrics and signal sets (seed 001) -----------------------------------------------------


def test_self_score_rubric(lib):
    rubric = lib.rubrics["self-score"]
    assert [c.id for c in rubric.criteria] == [
        "requirements", "correctness", "tradeoffs", "edge-cases", "communication", "postmortem"]
    assert rubric.threshold == 8
    assert rubric.max_score == 12
    assert [c.id for c in rubric.criteria if c.needs_postmortem] == ["postmortem"]
    assert "8/12" in rubric.advice
    assert all(all(a.strip() for a in c.anchors) for c in rubric.criteria)


def test_interviewer_rubric(lib):
    rubric = lib.rubrics["interviewer"]
    assert [c.id for c in rubric.criteria] == [
        "correctness", "reasoning", "signal-to-noise", "maturity", "ownership"]
    assert rubric.threshold == 6
    assert rubric.max_score == 10
    assert rubric.advice


@pytest.mark.parametrize(("set_id", "good", "bad"), [
    ("coding",
     {"clarifies-early", "fitting-approach", "clean-tested-code", "narrates-tradeoffs"},
     {"codes-without-io", "overcomplicates", "no-complexity-or-edges"}),
    ("system-design",
     {"measurable-requirements", "simple-baseline", "bottlenecks-failures",
      "tradeoffs-to-product"},
     {"buzzwords-no-data-flow", "no-capacity-planning", "no-failure-or-ops-plan"}),
    ("behavioral",
     {"concrete-story", "judgment-ownership", "collaboration-conflict"},
     {"generic-star", "no-reflection"}),
])
def test_signal_sets_hold_every_seed_behaviour(lib, set_id, good, bad):
    signals = lib.signal_sets[set_id]
    assert good <= {s.id for s in signals.good}
    assert bad <= {s.id for s in signals.bad}
