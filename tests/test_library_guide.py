"""The built-in "engineering-guide" content: one interview plan per interview type of the
consolidated engineering interview guide (seed 003), with the seed's participants, durations
and section timings, and the question banks and signal sets those plans use."""

from __future__ import annotations

import re

import pytest

from companion.content.library import builtin_sources, load_library, resolve_plan
from companion.content.rules import plan_levels
from companion.model import InlinePrompt, QuestionRef, TagQuery

STAGES = {
    "application-review",
    "recruiter-screen",
    "technical-screen",
    "onsite-coding",
    "system-design",
    "technical-discussion",
    "behavioral",
    "hiring-manager",
    "take-home",
    "pairing",
    "leadership",
    "team-chat",
    "ai-ml",
    "security",
    "delivery",
    "frontend",
    "practice",
}
ROLES = {
    "backend",
    "frontend",
    "sre",
    "security",
    "mle",
    "data-engineering",
    "data-science",
    "manager",
}
LEVELS = {"junior", "mid", "senior", "staff"}

# interview type -> (plan id, total minutes, section minutes where the guide fixes them)
INTERVIEW_TYPES: dict[str, tuple[str, int, list[int] | None]] = {
    "architecture / system design": ("guide-architecture", 60, None),
    "technical problem solving and resume deep dive": ("guide-problem-solving", 60, None),
    "code walkthrough": ("guide-code-walkthrough", 45, [5, 30, 10]),
    "pairing exercise": ("guide-pairing", 60, None),
    "pair coding on an API client": ("guide-api-client-pairing", 60, None),
    "frontend live coding": ("guide-frontend-live-coding", 60, None),
    "delivery troubleshooting and extension": ("guide-delivery-troubleshooting", 60, None),
    "cloud ops pairing": ("guide-cloud-ops-pairing", 60, None),
    "cloud ops exercise walkthrough and system design": ("guide-cloud-ops-walkthrough", 45, None),
    "release / tooling take-home walkthrough": ("guide-release-takehome", 60, None),
    "take-home walkthrough": ("guide-takehome-walkthrough", 45, None),
    "application security walkthrough": ("guide-appsec-walkthrough", 45, [5, 30, 10]),
    "security operations case study": ("guide-secops-case-study", 45, None),
    "AI/ML hiring manager screen, ML breadth": ("guide-ai-breadth-screen", 60, None),
    "AI/ML technical background": ("guide-ai-technical-background", 45, None),
    "AI/ML technical deep dive": ("guide-ai-deep-dive", 45, None),
    "AI pairing on an open-source AI coding assistant": (
        "guide-ai-assistant-pairing",
        60,
        [15, 15, 30],
    ),
    "AI evaluation framework exercise review": ("guide-ai-eval-review", 45, None),
    "hiring manager intro": ("guide-hiring-manager-intro", 15, None),
    "leadership interview with the CTO": ("guide-cto-leadership", 60, None),
    "peer interview with two engineering managers": ("guide-em-peer", 60, None),
    "leadership technical interview (45-60, picked 60)": ("guide-leadership-technical", 60, None),
    "cross-functional collaboration (30-60, picked 45)": ("guide-cross-functional", 45, None),
}
PLAN_IDS = [plan_id for plan_id, _, _ in INTERVIEW_TYPES.values()]

GUIDE_BANKS = [
    "guide-architecture",
    "guide-deep-dive",
    "guide-code-walkthrough",
    "guide-pairing-exercises",
    "guide-api-client",
    "guide-frontend",
    "guide-kubernetes-delivery",
    "guide-cloud-ops",
    "guide-takehome",
    "guide-appsec",
    "guide-secops",
    "guide-ml-breadth",
    "guide-ml-depth",
    "guide-ai-exercises",
    "guide-leadership",
    "guide-cross-functional",
]

GENERIC_LOOK_FORS = {
    "good communication",
    "problem solving",
    "communicates well",
    "strong problem solving",
    "good attitude",
    "culture fit",
}


# The rubric that fits each kind of interview; coding and design keep "interviewer".
# The review of 1 December: design, troubleshooting and live coding rounds score no ownership
# ("design"); hypothetical questions and code the candidate may not have written are scored
# on "discussion"; the hiring-manager intro is not scored.
GUIDE_RUBRICS = {
    "guide-ai-assistant-pairing": "pull-request", "guide-api-client-pairing": "coding-pairing",
    "guide-delivery-troubleshooting": "coding-pairing",
    "guide-cloud-ops-pairing": "pairing", "guide-pairing": "pairing",
    "guide-cross-functional": "product-collaboration", "guide-cto-leadership": "leadership",
    "guide-em-peer": "leadership", "guide-leadership-technical": "technical-leadership",
    "guide-hiring-manager-intro": None,
    **{plan: "design" for plan in (
        "guide-architecture", "guide-frontend-live-coding")},
    **{plan: "discussion" for plan in (
        "guide-ai-breadth-screen", "guide-ai-deep-dive", "guide-appsec-walkthrough",
        "guide-code-walkthrough", "guide-secops-case-study")},
    **{plan: "deep-dive" for plan in (
        "guide-ai-eval-review", "guide-ai-technical-background",
        "guide-cloud-ops-walkthrough", "guide-problem-solving",
        "guide-release-takehome", "guide-takehome-walkthrough")},
}


def mid_call_guidance(guidance: str) -> str:
    return re.split(r"Fact sheet|Before the call:", guidance)[0]


@pytest.fixture(scope="module")
def lib():
    return load_library(builtin_sources())


def _sections_minutes(plan) -> list[float]:
    return [s.minutes for s in plan.sections]


def test_library_loads_without_problems(lib) -> None:
    assert lib.problems == []


@pytest.mark.parametrize("interview_type", sorted(INTERVIEW_TYPES))
def test_every_interview_type_has_its_plan(lib, interview_type: str) -> None:
    plan_id, minutes, sections = INTERVIEW_TYPES[interview_type]
    plan = lib.plans.get(plan_id)
    assert plan is not None, f"{interview_type}: no plan {plan_id}"
    assert plan.mode == "interview"
    assert plan.family == "engineering-guide"
    assert plan.stage in STAGES
    assert plan.rubric == GUIDE_RUBRICS.get(plan_id, "design")
    assert plan.participants, "participants are named by role"
    assert plan.minutes == minutes
    assert all(s.minutes is not None and s.minutes > 0 for s in plan.sections)
    if sections is not None:
        assert _sections_minutes(plan) == sections


def test_no_participant_is_named_as_a_person(lib) -> None:
    role_words = ("engineer", "manager", "CTO", "head of", "peer", "security")
    for plan_id in PLAN_IDS:
        for who in lib.plans[plan_id].participants:
            assert any(w.lower() in who.lower() for w in role_words), (plan_id, who)


def test_guidance_is_short_enough_to_read_mid_call(lib) -> None:
    # What to do mid-call is short; a fact sheet (facts to give when asked) or what to read
    # before the call may follow it, marked "Fact sheet" or "Before the call:".
    for plan_id in PLAN_IDS:
        for section in lib.plans[plan_id].sections:
            assert len(mid_call_guidance(section.guidance)) <= 170, (plan_id, section.title)


def test_pairing_keeps_the_last_ten_minutes_for_questions(lib) -> None:
    plan = lib.plans["guide-pairing"]
    last = plan.sections[-1]
    assert last.minutes == 10
    assert "q&a" in last.title.lower()
    assert "stop coding" in last.guidance.lower()
    assert len(plan.participants) == 2
    assert any("observ" in p for p in plan.participants)
    assert any("muted" in s.guidance for s in plan.sections)
    words = " ".join(
        [s.guidance for s in plan.sections]
        + [p.text for s in plan.sections for p in s.prompts if isinstance(p, InlinePrompt)]
    ).lower()
    assert "finishing is not the goal" in words
    assert "assistants" in words and "looking things up" in words


def test_pairing_exercises_fit_the_guide_criteria(lib) -> None:
    bank = lib.banks["guide-pairing-exercises"]
    assert len(bank.questions) >= 10
    for q in bank.questions:
        assert q.kind == "coding"
        assert len(q.follow_ups) >= 2, f"{q.id}: needs ways to extend it"
        assert q.minutes is not None and 30 <= q.minutes <= 60, q.id
    query = lib.plans["guide-pairing"].sections[1].prompts[0]
    assert isinstance(query, TagQuery) and query.bank == "guide-pairing-exercises"


def test_ai_assistant_pairing_models_live_and_review_parts(lib) -> None:
    plan = lib.plans["guide-ai-assistant-pairing"]
    live = plan.sections[0].minutes + plan.sections[1].minutes
    assert live == 30
    assert "two hours" in plan.sections[1].guidance
    assert "review" in plan.sections[-1].title.lower()


def test_take_home_walkthrough_has_the_eight_look_fors(lib) -> None:
    signals = lib.signal_sets["guide-takehome"]
    assert len(signals.good) == 8
    plan = lib.plans["guide-takehome-walkthrough"]
    assert any(s.signals == "guide-takehome" for s in plan.sections)


@pytest.mark.parametrize(
    ("plan_id", "signal_set"),
    [
        ("guide-architecture", "guide-architecture"),
        ("guide-problem-solving", "guide-deep-dive"),
        ("guide-code-walkthrough", "guide-code-walkthrough"),
        ("guide-pairing", "guide-pairing"),
        ("guide-frontend-live-coding", "guide-frontend"),
        ("guide-delivery-troubleshooting", "guide-delivery"),
        ("guide-appsec-walkthrough", "guide-appsec"),
        ("guide-secops-case-study", "guide-secops"),
        ("guide-ai-deep-dive", "guide-ai-ml"),
        ("guide-ai-eval-review", "guide-ai-exercises"),
        ("guide-cto-leadership", "guide-leadership"),
        ("guide-cross-functional", "guide-cross-functional"),
    ],
)
def test_seed_look_for_lists_are_signal_sets(lib, plan_id: str, signal_set: str) -> None:
    assert signal_set in lib.signal_sets
    assert any(s.signals == signal_set for s in lib.plans[plan_id].sections)


def test_gap_prompts_cover_edges_performance_and_pressure(lib) -> None:
    arch = [
        p.text
        for s in lib.plans["guide-architecture"].sections
        for p in s.prompts
        if isinstance(p, InlinePrompt)
    ]
    assert any(t.startswith("Performance") for t in arch)
    assert any(t.startswith("Robustness") for t in arch)
    assert any(t.startswith("Pressure") for t in arch)
    refs = {
        f"{p.bank}/{p.question}"
        for plan_id in PLAN_IDS
        for s in lib.plans[plan_id].sections
        for p in s.prompts
        if isinstance(p, QuestionRef)
    }
    assert "guide-takehome/live-change" in refs
    assert "guide-takehome/tests-and-edges" in refs
    assert "guide-deep-dive/live-constraint-shift" in refs
    assert "guide-code-walkthrough/input-edges" in refs


@pytest.mark.parametrize("plan_id", PLAN_IDS)
def test_queries_resolve_for_every_role_and_level(lib, plan_id: str) -> None:
    plan = lib.plans[plan_id]
    # Every level the plan is for (level tags hold for fixed prompts too).
    for role in [None, *sorted(ROLES)]:
        for level in [None, *plan_levels(plan, tuple(sorted(LEVELS)))]:
            resolved = resolve_plan(lib, plan_id, role, level)
            for spec, section in zip(plan.sections, resolved.sections, strict=True):
                wanted = sum(p.count if isinstance(p, TagQuery) else 1 for p in spec.prompts)
                assert len(section.prompts) == wanted, (plan_id, role, level, section.title)


def test_plan_references_resolve(lib) -> None:
    for plan_id in PLAN_IDS:
        for section in lib.plans[plan_id].sections:
            if section.signals:
                assert section.signals in lib.signal_sets, (plan_id, section.title)
            for p in section.prompts:
                if isinstance(p, QuestionRef):
                    bank = lib.banks[p.bank]
                    assert bank.question(p.question) is not None, (plan_id, p)
                elif isinstance(p, TagQuery):
                    assert any(q.kind == p.kind for q in lib.banks[p.bank].questions)


@pytest.mark.parametrize("bank_id", GUIDE_BANKS)
def test_guide_banks_meet_the_quality_bar(lib, bank_id: str) -> None:
    bank = lib.banks[bank_id]
    assert len(bank.questions) >= 10
    for q in bank.questions:
        assert q.follow_ups, f"{bank_id}/{q.id}: no follow-up"
        assert q.look_for, f"{bank_id}/{q.id}: no look-for"
        assert q.kind, f"{bank_id}/{q.id}: no kind"
        assert q.levels and set(q.levels) <= LEVELS, f"{bank_id}/{q.id}: levels"
        assert set(q.roles) <= ROLES, f"{bank_id}/{q.id}: roles"
        for look in q.look_for:
            assert look.strip().lower().rstrip(".") not in GENERIC_LOOK_FORS, (q.id, look)
    assert set(bank.roles) <= ROLES
    assert set(bank.levels) <= LEVELS


def test_every_guide_bank_is_used_by_a_plan(lib) -> None:
    used = {
        p.bank
        for plan_id in PLAN_IDS
        for s in lib.plans[plan_id].sections
        for p in s.prompts
        if isinstance(p, QuestionRef | TagQuery)
    }
    assert set(GUIDE_BANKS) <= used


def test_no_question_text_is_repeated_across_banks(lib) -> None:
    seen: dict[str, str] = {}
    for bank in lib.banks.values():
        for q in bank.questions:
            key = " ".join(q.text.lower().split())
            assert key not in seen, f"{bank.id}/{q.id} repeats {seen[key]}"
            seen[key] = f"{bank.id}/{q.id}"
