"""The loops for every role and level (seeds 000, 001, 003), the company-archetype questions
in the system-design and deep-dive banks, and the end of the funnel: the resume-screen
scorecard, reference checks, the offer call and the candidate messages."""

from __future__ import annotations

import difflib
import re

import pytest
from helpers import run_cli as run

from companion.content.library import Library, builtin_sources, load_library, resolve_plan
from companion.model import Bank, Plan, QuestionRef, TagQuery

ARCHETYPES = ("archetype-high-growth", "archetype-enterprise", "archetype-safety-critical")

# Every loop, with the plans that carry the emphasis seed 001 (or 000/003) gives it.
LOOPS: dict[str, tuple[str, ...]] = {
    "mid-backend-loop": ("backend-system-design", "backend-deep-dive"),
    "junior-backend-loop": ("stage-technical-screen", "pairing-45"),
    "senior-backend-loop": ("stage-system-design", "senior-technical-leadership",
                            "team-interview-product"),
    "mle-loop": ("mle-production-readiness", "guide-ai-deep-dive"),
    "data-engineer-loop": ("de-sql-modeling", "stage-system-design"),
    "data-scientist-loop": ("ds-experiment-case", "ds-ambiguity-to-plan"),
    "sre-loop": ("sre-incident-response", "guide-delivery-troubleshooting",
                 "guide-cloud-ops-pairing"),
    "product-engineering-loop": ("system-design-45", "pairing-45", "team-interview-product"),
}
NEW_LOOPS = [loop_id for loop_id in LOOPS if loop_id != "mid-backend-loop"]

# The role each role loop is run with, and the plans whose questions follow that role.
LOOP_ROLES = {
    "mle-loop": "mle",
    "data-engineer-loop": "data-engineering",
    "data-scientist-loop": "data-science",
    "sre-loop": "sre",
}

NEW_PLANS = [
    "system-design-45", "pairing-45", "team-interview-product",
    "mle-production-readiness", "de-sql-modeling", "ds-experiment-case",
    "ds-ambiguity-to-plan", "sre-incident-response", "senior-technical-leadership",
    "resume-screen-scorecard", "reference-check-call", "offer-call", "candidate-messages",
]
NEW_BANKS = ["reference-check"]

# The system-design and deep-dive banks: every one gets two questions per archetype.
ARCHETYPE_BANKS = [
    "stage-system-design", "guide-architecture", "backend-agentic-ai", "guide-cloud-ops",
    "guide-deep-dive", "guide-ml-depth", "stage-technical-discussion", "backend-takehome",
]

PICKING = re.compile(r"\b(pick|choose|one of|any two)\b", re.IGNORECASE)
# About the person rather than the work (a "healthy" service is fine; "your health" is not).
UNFAIR = re.compile(r"\b(famil(y|ies)|your health|medical|ages?|religio\w*|nationality|"
                    r"national origin|salary history|current salary|culture fit|"
                    r"culture match|married|children|pregnan\w*|outside work)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def lib() -> Library:
    return load_library(builtin_sources())


def _texts(plan: Plan, lib: Library) -> list[str]:
    """Every sentence a plan shows: its description, guidance and prompts, resolved."""
    out = [plan.description]
    for section in plan.sections:
        out.append(section.guidance)
    for role in (None, *LOOP_ROLES.values(), "backend"):
        for section_plan in resolve_plan(lib, plan.id, role, "senior").sections:
            for prompt in section_plan.prompts:
                out += [prompt.text, *prompt.follow_ups, *prompt.look_for]
    return out


def _question_minutes(bank: Bank, spec: QuestionRef | TagQuery) -> int:
    """A fixed question's minutes; a query's: its `count` longest matching questions."""
    if isinstance(spec, QuestionRef):
        question = bank.question(spec.question)
        assert question is not None
        return question.minutes or 0
    matching = sorted(
        (q.minutes or 0 for q in bank.questions
         if (not spec.kind or q.kind == spec.kind) and set(spec.topics) <= set(q.topics)),
        reverse=True,
    )
    return sum(matching[: spec.count])


# --- Loops ----------------------------------------------------------------------------------


def test_plans_lists_at_least_seven_loops() -> None:
    result = run("plans")
    assert result.exit_code == 0, result.output
    listed = re.findall(r"^loop ([a-z0-9-]+):", result.stdout, re.MULTILINE)
    assert len(listed) >= 7, listed
    assert set(LOOPS) <= set(listed)


@pytest.mark.parametrize("loop_id", sorted(LOOPS))
def test_each_loop_holds_the_stages_its_role_and_level_need(lib: Library, loop_id: str) -> None:
    loop = lib.loops.get(loop_id)
    assert loop is not None, f"no loop {loop_id}"
    assert all(plan_id in lib.plans for plan_id in loop.plans)
    assert set(LOOPS[loop_id]) <= set(loop.plans)
    for plan_id in loop.plans:
        plan = lib.plans[plan_id]
        if plan.mode == "interview":
            assert plan.minutes > 0 and all(s.minutes for s in plan.sections), plan_id


@pytest.mark.parametrize("loop_id", NEW_LOOPS)
def test_new_loops_run_from_the_resume_screen_to_the_offer(lib: Library, loop_id: str) -> None:
    plans = lib.loops[loop_id].plans
    assert plans[0] == "resume-screen-scorecard"
    assert plans[-3:] == ("stage-debrief", "reference-check-call", "offer-call")
    assert len(plans) == len(set(plans)), "a loop runs each plan once"


@pytest.mark.parametrize(("loop_id", "role"), sorted(LOOP_ROLES.items()))
def test_role_loops_ask_questions_written_for_the_role(lib: Library, loop_id: str,
                                                       role: str) -> None:
    for plan_id in ("stage-technical-screen", "stage-system-design"):
        if plan_id not in lib.loops[loop_id].plans:
            continue
        resolved = resolve_plan(lib, plan_id, role, "mid")
        own = [p.id for s in resolved.sections for p in s.prompts
               if (bank := lib.banks.get(p.id.partition("/")[0])) is not None
               and (q := bank.question(p.id.partition("/")[2])) is not None
               and role in q.roles]
        assert own, f"{loop_id}: {plan_id} asks nothing written for {role}"


# --- The seed 003 variants ------------------------------------------------------------------


def test_revised_system_design_is_45_minutes_with_ten_for_questions(lib: Library) -> None:
    plan = lib.plans["system-design-45"]
    assert plan.minutes == 45 and plan.stage == "system-design"
    assert plan.sections[-1].minutes == 10
    assert "stop digging" in plan.sections[-1].guidance.lower()
    assert any(isinstance(p, TagQuery) and p.bank == "guide-architecture"
               for s in plan.sections for p in s.prompts)


def test_45_minute_pairing_stops_coding_for_questions(lib: Library) -> None:
    plan = lib.plans["pairing-45"]
    assert plan.minutes == 45 and plan.stage == "pairing"
    assert plan.rubric == lib.plans["guide-pairing"].rubric, "scored like the 60-minute one"
    assert "q&a" in plan.sections[-1].title.lower()
    assert "stop coding" in plan.sections[-1].guidance.lower()
    words = " ".join(p.text for s in plan.sections for p in s.prompts
                     if not isinstance(p, QuestionRef | TagQuery)).lower()
    assert "finishing is not the goal" in words and "assistants" in words


def test_team_interview_has_a_product_manager_and_a_designer(lib: Library) -> None:
    plan = lib.plans["team-interview-product"]
    assert plan.minutes == 60
    who = " ".join(plan.participants).lower()
    assert "product manager" in who and "designer" in who
    assert not any(isinstance(p, QuestionRef | TagQuery) for s in plan.sections
                   for p in s.prompts), "the same brief, inline, for every candidate"


# --- Archetypes -----------------------------------------------------------------------------


def _design_and_deep_dive_banks(lib: Library) -> set[str]:
    """Banks whose design questions a system-design plan asks, and banks a deep dive uses."""
    found: set[str] = set()
    for plan in lib.plans.values():
        title = plan.title.lower()
        design = plan.stage == "system-design" or "system design" in title
        deep_dive = "deep dive" in title
        for section in plan.sections:
            for spec in section.prompts:
                if isinstance(spec, QuestionRef):
                    question = lib.banks[spec.bank].question(spec.question)
                    kind = question.kind if question else ""
                elif isinstance(spec, TagQuery):
                    kind = spec.kind
                else:
                    continue
                if deep_dive or (design and kind == "design"):
                    found.add(spec.bank)
    return found


def test_every_system_design_and_deep_dive_bank_is_covered(lib: Library) -> None:
    assert _design_and_deep_dive_banks(lib) <= set(ARCHETYPE_BANKS)


@pytest.mark.parametrize("bank_id", ARCHETYPE_BANKS)
def test_two_questions_per_archetype(lib: Library, bank_id: str) -> None:
    bank = lib.banks[bank_id]
    for archetype in ARCHETYPES:
        tagged = [q.id for q in bank.questions if archetype in q.topics]
        assert len(tagged) >= 2, f"{bank_id}: {archetype} has {tagged}"


@pytest.mark.parametrize("bank_id", ARCHETYPE_BANKS)
def test_archetype_questions_never_displace_the_default_ones(lib: Library,
                                                             bank_id: str) -> None:
    """At the end of the bank and for every role: a query without an archetype still
    gives every candidate the questions it gave before."""
    questions = lib.banks[bank_id].questions
    flags = [any(a in q.topics for a in ARCHETYPES) for q in questions]
    first = flags.index(True)
    assert all(flags[first:]), f"{bank_id}: archetype questions are not all at the end"
    for q in questions[first:]:
        assert not q.roles, f"{bank_id}/{q.id} is role-tagged and would be drawn first"
        assert q.follow_ups and q.look_for and q.minutes, f"{bank_id}/{q.id}"
        assert q.kind in {other.kind for other in questions[:first]}, f"{bank_id}/{q.id}"


# --- New banks and plans --------------------------------------------------------------------


@pytest.mark.parametrize("bank_id", NEW_BANKS)
def test_new_banks_have_ten_questions_with_follow_ups_look_fors_and_minutes(
        lib: Library, bank_id: str) -> None:
    bank = lib.banks[bank_id]
    assert len(bank.questions) >= 10
    for q in bank.questions:
        assert q.follow_ups, f"{bank_id}/{q.id}: no follow-up"
        assert q.look_for, f"{bank_id}/{q.id}: no look-for"
        assert q.minutes and q.minutes > 0, f"{bank_id}/{q.id}: no minutes"


@pytest.mark.parametrize("plan_id", NEW_PLANS)
def test_new_plans_fit_their_time_and_treat_candidates_alike(lib: Library,
                                                            plan_id: str) -> None:
    plan = lib.plans.get(plan_id)
    assert plan is not None, f"no plan {plan_id}"
    rubric = lib.rubrics.get(plan.rubric) if plan.rubric else None
    criteria = {c.id for c in rubric.criteria} if rubric else set()
    levels = {"junior", "mid", "senior", "staff"} & set(plan.tags)
    for section in plan.sections:
        assert section.prompts, f"{plan_id}/{section.title} is empty"
        assert not PICKING.search(section.guidance), f"{plan_id}/{section.title}"
        needed = 0
        for spec in section.prompts:
            if isinstance(spec, QuestionRef | TagQuery):
                bank = lib.banks[spec.bank]
                needed += _question_minutes(bank, spec)
            if isinstance(spec, QuestionRef):
                question = bank.question(spec.question)
                assert question is not None
                assert not question.levels or levels <= set(question.levels), spec
                if rubric and plan.mode == "interview":
                    assert set(question.criteria) & criteria, f"{spec}: no {rubric.id} criterion"
        if section.minutes:
            assert needed <= section.minutes, f"{plan_id}/{section.title}: {needed} min"
    for text in _texts(plan, lib):
        assert not UNFAIR.search(text), f"{plan_id}: {text}"


def test_reference_call_asks_every_reference_question_once(lib: Library) -> None:
    plan = lib.plans["reference-check-call"]
    asked = [p.question for s in plan.sections for p in s.prompts if isinstance(p, QuestionRef)]
    assert asked == [q.id for q in lib.banks["reference-check"].questions]
    assert plan.rubric == "reference-check"
    criteria = {c.id for c in lib.rubrics["reference-check"].criteria}
    for q in lib.banks["reference-check"].questions:
        assert q.criteria and set(q.criteria) <= criteria, q.id


def test_resume_scorecard_scores_the_checklist_and_still_excludes_proxies(lib: Library) -> None:
    plan = lib.plans["resume-screen-scorecard"]
    rubric = lib.rubrics[plan.rubric or ""]
    assert [c.id for c in rubric.criteria] == [
        "must-have-evidence", "level-scope", "outcomes", "nice-to-haves"]
    assert all(len(c.anchors) == 3 and all(a.strip() for a in c.anchors)
               for c in rubric.criteria)
    scored = " ".join(c.title + " " + " ".join(c.anchors) for c in rubric.criteria).lower()
    for proxy in ("school", "gap", "photo"):
        assert proxy not in scored, f"the rubric scores {proxy}"
    shown = run("show", "resume-screen-scorecard").stdout.lower()
    for proxy in ("school names", "employment gaps", "photos"):
        assert proxy in shown, f"the scorecard no longer says it never scores {proxy}"


def test_offer_call_ties_the_offer_to_the_level() -> None:
    shown = run("show", "offer-call").stdout.lower()
    assert "decision date" in shown and "written offer" in shown
    assert "set by the role and the level" in shown
    assert not re.search(r"\bearn|current pay|past pay", shown)


def test_message_templates_are_shown_for_every_decline() -> None:
    result = run("show", "candidate-messages")
    assert result.exit_code == 0, result.output
    for title in ("Decline after the application review", "Decline after a screen",
                  "Decline after the interview loop", "Decline after references",
                  "The role is filled or closed", "Hold", "feedback, in four parts"):
        assert title in result.stdout, title
    assert result.stdout.count("\\(first name\\)") >= 6


# --- Must-haves: one meaning in the docs, the loops, the rubrics and the debrief ------------


MUST_HAVE_CRITERIA = {"resume-screen": "must-have-evidence", "recruiter-screen": "must-haves"}


@pytest.mark.parametrize("loop_id", sorted(LOOPS))
def test_each_loop_checks_the_must_haves_before_any_interview(lib: Library, loop_id: str) -> None:
    loop = lib.loops[loop_id]
    description = " ".join(loop.description.split())
    assert "Must-haves are the role's written requirements" in description
    # Said in the interviewer's words, not as a pointer to the docs.
    assert "docs/formats.md" not in description and "is a gap" in description
    rubrics = [lib.plans[p].rubric for p in loop.plans]
    first_check = next(i for i, r in enumerate(rubrics) if r in MUST_HAVE_CRITERIA)
    scored = [i for i, r in enumerate(rubrics) if r and r not in MUST_HAVE_CRITERIA]
    assert first_check < min(scored), f"{loop_id}: an interview comes before the must-haves"
    for rubric_id, criterion in MUST_HAVE_CRITERIA.items():
        assert criterion in {c.id for c in lib.rubrics[rubric_id].criteria}
    assert "stage-debrief" in loop.plans
    screen = next(p for p in loop.plans if lib.plans[p].rubric == "recruiter-screen")
    asked = [lib.banks[p.id.partition("/")[0]].question(p.id.partition("/")[2])
             for s in resolve_plan(lib, screen, role=None, level=None).sections
             for p in s.prompts if "/" in p.id]
    assert any(q is not None and "must-haves" in q.criteria for q in asked), screen


def test_the_debrief_and_the_docs_define_must_haves_the_same_way(lib: Library) -> None:
    from pathlib import Path

    agenda = " ".join(" ".join(lib.plans["stage-debrief"].agenda).split())
    assert "Must-haves (the role's written requirements)" in agenda
    assert "Every gap in the export" in agenda and "no written evidence" in agenda
    assert "evidence at 1 or above" not in agenda  # the old rule, which the export cannot check
    docs = " ".join((Path(__file__).resolve().parent.parent / "docs" / "formats.md")
                    .read_text(encoding="utf-8").split())
    assert "**Must-haves** are the role's written requirements" in docs
    assert "A low score with evidence is not a gap" in docs


# --- No question asked twice in a loop ------------------------------------------------------

# The roles and levels each loop is run for, as its description says.
LOOP_RUNS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "mid-backend-loop": (("backend",), ("mid",)),
    "junior-backend-loop": (("backend",), ("junior",)),
    "senior-backend-loop": (("backend",), ("senior", "staff")),
    "mle-loop": (("mle",), ("senior",)),
    "data-engineer-loop": (("data-engineering",), ("mid", "senior", "staff")),
    "data-scientist-loop": (("data-science",), ("mid", "senior", "staff")),
    "sre-loop": (("sre",), ("mid", "senior")),
    "product-engineering-loop": (("backend", "frontend", "sre"), ("mid", "senior")),
}


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_every_loop_has_its_roles_and_levels_listed(lib: Library) -> None:
    assert set(lib.loops) == set(LOOP_RUNS)


@pytest.mark.parametrize("loop_id", sorted(LOOP_RUNS))
def test_no_question_is_asked_twice_in_a_loop(lib: Library, loop_id: str) -> None:
    """Every stage's plan resolved for the loop's role and level: no bank question twice,
    and no two questions of different plans with near-identical text. (Short inline prompts,
    such as the candidate's questions, are left out: they are meant to look alike.)"""
    roles, levels = LOOP_RUNS[loop_id]
    for role in roles:
        for level in levels:
            asked: list[tuple[str, str, str]] = []
            for plan_id in lib.loops[loop_id].plans:
                for section in resolve_plan(lib, plan_id, role, level).sections:
                    asked += [(plan_id, p.id, _words(p.text)) for p in section.prompts]
            banked = [pid for _, pid, _ in asked if not pid.startswith("inline-")]
            twice = sorted({pid for pid in banked if banked.count(pid) > 1})
            assert not twice, f"{loop_id} ({role}, {level}) asks {twice} twice"
            long = [a for a in asked if len(a[2]) >= 80]
            for i, (plan_a, id_a, text_a) in enumerate(long):
                for plan_b, id_b, text_b in long[i + 1:]:
                    if plan_a == plan_b:
                        continue
                    ratio = difflib.SequenceMatcher(None, text_a, text_b).ratio()
                    assert ratio < 0.8, (f"{loop_id} ({role}, {level}): {plan_a} {id_a} and "
                                         f"{plan_b} {id_b} ask nearly the same ({ratio:.2f})")


@pytest.mark.parametrize(("loop_id", "role", "level", "avoid"), [
    # The technical screen's role questions are not the on-site case's topics again.
    ("mle-loop", "mle", "senior", "role-fundamentals/mle-precision-drift"),
    ("data-engineer-loop", "data-engineering", "mid", "role-fundamentals/de-page-view-model"),
    ("data-scientist-loop", "data-science", "mid",
     "role-fundamentals/ds-checkout-test-duration"),
    ("data-scientist-loop", "data-science", "senior",
     "role-fundamentals/ds-clicks-up-revenue-down"),
])
def test_technical_screen_does_not_ask_the_on_site_case_again(
        lib: Library, loop_id: str, role: str, level: str, avoid: str) -> None:
    asked = {p.id for s in resolve_plan(lib, "stage-technical-screen", role, level).sections
             for p in s.prompts}
    assert avoid not in asked
    assert sum(p.startswith("role-fundamentals/") for p in asked) == 2


def test_data_engineering_screen_asks_about_cost(lib: Library) -> None:
    for level in ("mid", "senior", "staff"):
        asked = {p.id for s in resolve_plan(lib, "stage-technical-screen", "data-engineering",
                                            level).sections for p in s.prompts}
        assert "role-fundamentals/de-warehouse-bill-doubled" in asked, level


@pytest.mark.parametrize(("plan_id", "levels"), [
    ("ds-experiment-case", ("Mid", "Senior", "Staff")),
    ("sre-incident-response", ("Mid", "Senior", "Staff")),
    ("mle-production-readiness", ("Mid", "Senior", "Staff")),
    ("de-sql-modeling", ("Mid", "Senior", "Staff")),
    ("team-interview-product", ("Mid", "Senior", "Staff")),
    ("senior-technical-leadership", ("Senior", "Staff")),
    ("backend-leadership", ("Mid", "Senior")),
])
def test_fixed_question_plans_say_what_each_level_shows(lib: Library, plan_id: str,
                                                        levels: tuple[str, ...]) -> None:
    """One bar per level, as pairing-45 has: every scored section says what a Mid, Senior
    or Staff answer shows, names the criterion, and gives the scoring rule."""
    plan = lib.plans[plan_id]
    scored = [s for s in plan.sections
              if s.title not in ("Introductions", "Candidate questions")]
    assert scored
    for section in scored:
        lines = [section.guidance] + [f for p in section.prompts if hasattr(p, "look_for")
                                      for f in p.look_for]
        text = " ".join(lines)
        assert "is a 2" in section.guidance and "a 0" in section.guidance, section.title
        for level in levels:
            assert re.search(rf"\b{level}\b[^.:]*\([a-z -]+\)|By level \([a-z ]+\)", text, re.I), (
                section.title, level)


# The unscored coffee chat is run as it is for a senior candidate of the product engineering
# loop.
LEVEL_EXCEPTIONS = {("product-engineering-loop", "backend-coffee-chat")}


@pytest.mark.parametrize("loop_id", sorted(LOOP_RUNS))
def test_every_plan_of_a_loop_is_for_the_levels_the_loop_is_run_at(lib: Library,
                                                                   loop_id: str) -> None:
    _, levels = LOOP_RUNS[loop_id]
    for plan_id in lib.loops[loop_id].plans:
        named = set(lib.plans[plan_id].tags) & {"junior", "mid", "senior", "staff"}
        if named and (loop_id, plan_id) not in LEVEL_EXCEPTIONS:
            assert set(levels) <= named, f"{loop_id}: {plan_id} is for {sorted(named)} only"


INTERNAL = re.compile(r"\bseed\b|\bseeds\b|\bthe source (gives|allows|says)\b|formats\.md",
                      re.IGNORECASE)


def test_descriptions_and_guidance_speak_to_the_interviewer(lib: Library) -> None:
    """No references to the library's own sources or docs in what an interviewer reads."""
    texts = [(f"loop {loop.id}", loop.description) for loop in lib.loops.values()]
    for plan in lib.plans.values():
        texts += [(f"plan {plan.id}", plan.title), (f"plan {plan.id}", plan.description)]
        texts += [(f"plan {plan.id}: {s.title}", s.guidance) for s in plan.sections]
    texts += [(f"bank {bank.id}", bank.description) for bank in lib.banks.values()]
    found = [(where, m.group(0)) for where, text in texts
             if text and (m := INTERNAL.search(text))]
    assert not found, found


def test_de_sql_modeling_promises_only_what_its_loop_asks(lib: Library) -> None:
    plan = lib.plans["de-sql-modeling"]
    assert "cost" not in plan.title.lower()
    assert "technical screen" in plan.description
    assert "Coding assistants are allowed; say when you use one." in " ".join(
        plan.opening.split())


@pytest.mark.parametrize(("plan_id", "bank_id"), [
    ("stage-system-design", "stage-system-design"),
    ("system-design-45", "guide-architecture"),
    ("guide-architecture", "guide-architecture"),
])
def test_design_facts_sit_on_the_problem_not_in_the_guidance(lib: Library, plan_id: str,
                                                             bank_id: str) -> None:
    """The interviewer reads only the drawn problem's facts mid-call, not a dozen problems'."""
    plan = lib.plans[plan_id]
    assert all(len(s.guidance) < 400 for s in plan.sections), plan_id
    with_facts = [q for q in lib.banks[bank_id].questions
                  if any(f.startswith("Facts to give only when asked: ") for f in q.look_for)]
    assert len(with_facts) >= 8
    for role in ("backend", "data-engineering", "mle", "sre", "data-science"):
        for section in resolve_plan(lib, plan_id, role, "mid").sections:
            for prompt in section.prompts:
                facts = [f for f in prompt.look_for if f.startswith("Facts to give")]
                assert len(facts) <= 1 and all(len(f) < 400 for f in facts), prompt.id


# A question that asks the candidate for a story of their own failure: a mistake they made, a
# decision that turned out wrong, something that went wrong. One such story per loop is
# enough; a second interviewer asking for another hears the same story twice.
FAILURE_STORY = re.compile(
    r"\bwent wrong\b|\bturned out (to be )?wrong\b|\bwrong (technical )?decision\b"
    r"|\bmistake (that )?you (personally )?made\b|\byou made a mistake\b"
    r"|\bmistake in your work\b|\bfailure you\b|\byou failed\b", re.IGNORECASE)


@pytest.mark.parametrize("loop_id", sorted(LOOP_RUNS))
def test_one_failure_story_per_loop(lib: Library, loop_id: str) -> None:
    roles, levels = LOOP_RUNS[loop_id]
    for role in roles:
        for level in levels:
            asking = sorted({(plan_id, p.id)
                             for plan_id in lib.loops[loop_id].plans
                             for section in resolve_plan(lib, plan_id, role, level).sections
                             for p in section.prompts
                             if FAILURE_STORY.search(" ".join(p.text.split()))})
            plans = {plan_id for plan_id, _ in asking}
            assert len(plans) <= 1, (f"{loop_id} ({role}, {level}): more than one plan asks "
                                     f"for a failure story: {asking}")


@pytest.mark.parametrize("text", [
    "Tell me about something you shipped that went wrong after release.",
    "Tell me about a result you owned that went wrong. What did you do about it?",
    "Tell us about a technical decision you made that turned out wrong at least six months"
    " later.",
    "Tell me about a mistake you personally made, such as a bug, that affected users.",
])
def test_the_failure_story_pattern_sees_the_old_repeats(text: str) -> None:
    assert FAILURE_STORY.search(text)
