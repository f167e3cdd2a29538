"""The content rules of `companion validate`: each with a good and a bad fixture folder
(tests/fixtures/rules), `--strict` clean on the built-in content, and the fairness rule's
true and false positives side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import run_cli as run
from hypothesis import given
from hypothesis import strategies as st

from companion.content.fairness import unfair_phrases
from companion.content.library import builtin_sources, load_library, resolve_plan

RULES = Path(__file__).resolve().parent / "fixtures" / "rules"


def test_builtin_content_has_no_warnings_even_strict() -> None:
    result = run("validate", "--strict")
    assert result.exit_code == 0, result.stderr
    assert "warning" not in result.stderr + result.stdout


@pytest.mark.parametrize("rule", ["minutes", "criteria", "levels", "picking", "fairness"])
def test_a_good_fixture_passes_strict(rule: str) -> None:
    result = run("validate", "--strict", str(RULES / f"{rule}-good"))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


@pytest.mark.parametrize(("rule", "expected"), [
    ("minutes", ["plan.yaml:7: warning: section 'Design' has 22 minutes of questions in its "
                 "15 minutes",
                 "plan.yaml:12: warning: section 'Query' has 22 minutes of questions in its 20",
                 "plan.yaml:16: warning: section 'Untimed question' of timed plan 'rules-plan' "
                 "may ask rules-bank/c"]),
    ("criteria", ["plan.yaml:7: warning: section 'Design' asks rules-bank/a",
                  "include none of rubric 'rules-rubric' (rules-clarity)"]),
    ("levels", ["plan.yaml:8: warning: section 'Design' fixes rules-bank/a",
                "junior candidates would not be asked it"]),
    ("picking", ["plan.yaml:7: warning: the guidance of section 'Discussion' asks the "
                 "interviewer to choose ('Pick') among its 3 questions"]),
    ("fairness", ["bank.yaml:5: warning: the text of question 'kids' ('do you have children') "
                  "touches family",
                  "bank.yaml:5: warning: the text of question 'kids' ('how old are you') "
                  "touches age",
                  "look-for 2 of question 'weekend'",
                  "plan.yaml:11: warning: the text of a prompt in section 'Talk' "
                  "('current salary') touches salary history",
                  "signals.yaml:1: warning: signal 'fits-in' of 'rules-signals' ('culture fit') "
                  "touches culture match"]),
])
def test_a_bad_fixture_warns_with_its_place_and_fails_strict(
    rule: str, expected: list[str]
) -> None:
    folder = RULES / f"{rule}-bad"
    relaxed = run("validate", str(folder))
    assert relaxed.exit_code == 0, relaxed.stderr  # warnings alone do not fail
    assert "warning(s)" in relaxed.stdout
    strict = run("validate", "--strict", str(folder))
    assert strict.exit_code == 2
    for part in expected:
        assert part in strict.stderr, (part, strict.stderr)
    for line in strict.stderr.splitlines()[:-1]:
        assert line.startswith(str(folder)), line  # path:line: first, always


def test_a_criterion_no_rubric_has_is_a_problem_with_a_suggestion() -> None:
    folder = RULES / "criteria-unknown"
    result = run("validate", str(folder))
    assert result.exit_code == 2
    assert f"{folder}/bank.yaml:14: unknown rubric criterion 'clartiy'; did you mean " \
           "'rules-clarity'?" in result.stderr


def test_a_section_counts_the_minutes_of_phases_that_follow_it() -> None:
    """minutes-good asks 20 minutes in a 15-minute section followed by a 5-minute phase with
    only an inline prompt: the exercise runs on into it."""
    result = run("validate", "--strict", str(RULES / "minutes-good"))
    assert result.exit_code == 0, result.stderr


def test_fixed_prompts_follow_level_tags_as_queries_do() -> None:
    lib = load_library(builtin_sources())
    ids = {p.id for s in resolve_plan(lib, "guide-code-walkthrough", level="junior").sections
           for p in s.prompts}
    assert "guide-code-walkthrough/zoom-out" not in ids  # tagged mid, senior, staff
    assert "guide-code-walkthrough/zoom-in" in ids  # tagged for every level
    senior = {p.id for s in resolve_plan(lib, "guide-code-walkthrough", level="senior").sections
              for p in s.prompts}
    assert "guide-code-walkthrough/zoom-out" in senior


def test_each_interview_plan_names_a_rubric_that_fits_and_the_coffee_chat_none() -> None:
    lib = load_library(builtin_sources())
    expected = {
        "stage-recruiter-screen": "recruiter-screen", "backend-recruiter-connect":
        "recruiter-screen", "stage-behavioral": "behavioral", "backend-behavioral": "behavioral",
        "stage-hiring-manager": "hiring-manager", "guide-hiring-manager-intro": None,
        "guide-pairing": "pairing", "backend-pair-programming": "coding-pairing",
        "guide-cto-leadership": "leadership", "guide-code-walkthrough": "discussion",
        "stage-system-design": "design", "stage-onsite-coding": "coding-pairing",
        "team-interview-product": "product-collaboration", "de-sql-modeling": "case",
        "ds-ambiguity-to-plan": "case-influence",
    }
    assert {plan: lib.plans[plan].rubric for plan in expected} == expected
    assert lib.plans["backend-coffee-chat"].rubric is None


# --- Fairness: true and false positives side by side ------------------------------------

UNFAIR = [
    "How old are you?", "What year were you born?", "When did you graduate from school?",
    "Are you close to retirement?", "Do you have children?", "Are you married?",
    "Do you plan to start a family?", "Who looks after your kids while you work?",
    "What does your husband do?", "Are you pregnant?", "Do you plan to take maternity leave?",
    "Do you have any disabilities?", "How is your health?", "Have you been seriously ill?",
    "How many sick days did you take last year?", "What religion are you?",
    "Do you go to church?", "Which holidays do you observe?", "Where are you from originally?",
    "What is your nationality?", "Are you a citizen?", "Is English your first language?",
    "Where were your parents born?", "What is your current salary?",
    "How much did you earn at your last job?", "What do you do outside work?",
    "What are your hobbies?", "Tell me about your personal life.",
    "Would they be a good culture fit?", "Matches how this team works",
    "Would I grab a beer with them?", "Mentions family commitments",
    "Discloses visa constraints up front", "What is your age?",
    "Which year did you finish university?", "Are you planning to retire soon?",
    "Is there a Mrs?", "Is your partner okay with the move?", "How many children do you have?",
    "Are you expecting?", "What's your marital status?", "Who takes care of your children?",
    "Do you have a medical condition?", "Are you disabled?", "How often are you off sick?",
    "What medications do you take?", "Do you attend religious services?",
    "Will you need Fridays off for prayers?", "Do you celebrate Christmas?",
    "Where were you born?", "Where is your accent from?", "What visa are you on?",
    "What's your ethnic background?", "What were you earning in your last role?",
    "What is your current base?", "What do you like to do in your free time?",
    "Are you involved in any sports?", "Tell us about your life outside the office.",
    "Fits our team culture", "Feels like one of us", "Would get along with everyone",
    "Has the right personality for the team",
]
FAIR = [
    "Add a health check to the service.", "Why use a native button instead of a div?",
    "What is the age of a cache entry before it is evicted?",
    "Design a family of services for payments.", "Explain parent and child processes.",
    "Set max-age on the response.", "Walk the tree and visit each node's children.",
    "Is there a race condition here?", "The button stays disabled until the form is valid.",
    "How would users with visual disabilities use this with a screen reader?",
    "What happens when the cluster health degrades?", "How do you retire the old API?",
    "Functions are first-class citizens in Python.", "Pages outside working hours: who answers?",
    "Describe the incident culture of your last team.", "What salary range are you expecting?",
    "Do you have the right to work in this country?", "Which instance family would you pick?",
    "A component re-renders its children.", "One of us drives while the other reviews.",
    "Does the working set fit in memory?", "Deploys stop during the holiday freeze.",
    "How old is the oldest unprocessed event?", "Reap zombie child processes in the parent.",
    "What is the maximum age of a message in the queue?", "Walk the DOM and its child nodes.",
    "Each pod reports its health to the kubelet.", "A parent span with three child spans.",
    "Make the form usable for people with motor disabilities.",
    "Which model family would you start with?", "What are your compensation expectations?",
    "Are you legally allowed to work in this country?", "How do you age out old log files?",
    "Your pairing partner suggests a different approach. What do you do?",
    "How will you retire the old API?", "What is a healthy error budget?",
    "Describe a time you disagreed with your manager.", "Kill the process and its children.",
]


@pytest.mark.parametrize("text", UNFAIR)
def test_unfair_phrasings_are_flagged(text: str) -> None:
    assert unfair_phrases(text), text


@pytest.mark.parametrize("text", FAIR)
def test_technical_senses_of_the_same_words_pass(text: str) -> None:
    assert unfair_phrases(text) == [], text


@given(st.sampled_from(UNFAIR), st.sampled_from(FAIR), st.sampled_from(["", " ", "\n  "]))
def test_an_unfair_phrase_is_found_inside_fair_text_and_only_once_per_topic(
    unfair: str, fair: str, gap: str
) -> None:
    alone = {f.topic for f in unfair_phrases(unfair)}
    joined = unfair_phrases(f"{fair}{gap} {unfair.upper()}")
    assert alone <= {f.topic for f in joined}
    assert len({f.topic for f in joined}) == len(joined)


@given(st.lists(st.sampled_from(FAIR), min_size=1, max_size=4), st.booleans())
def test_fair_sentences_stay_fair_in_any_combination_and_case(parts: list[str], upper: bool
                                                              ) -> None:
    text = " ".join(parts)
    assert unfair_phrases(text.upper() if upper else text) == []


def test_a_reviewed_note_silences_only_its_own_item(tmp_path: Path) -> None:
    reviewed = RULES / "fairness-good" / "bank.yaml"
    assert "reviewed:" in reviewed.read_text()
    assert run("validate", "--strict", str(RULES / "fairness-good")).exit_code == 0
    unreviewed = tmp_path / "bank.yaml"
    unreviewed.write_text(reviewed.read_text().replace("    reviewed:", "    # reviewed:"))
    for name in ("rubric.yaml", "plan.yaml", "signals.yaml"):
        (tmp_path / name).write_text((RULES / "fairness-good" / name).read_text())
    result = run("validate", "--strict", str(tmp_path))
    assert result.exit_code == 2
    assert "question 'reviewed'" in result.stderr and "touches health" in result.stderr
    assert "question 'tech'" not in result.stderr


def test_the_technical_screen_asks_two_role_questions_for_every_role_and_level() -> None:
    lib = load_library(builtin_sources())
    roles = sorted({r for q in lib.banks["role-fundamentals"].questions for r in q.roles})
    for role in [None, *roles]:
        for level in [None, "junior", "mid", "senior", "staff"]:
            plan = resolve_plan(lib, "stage-technical-screen", role, level)
            section = next(s for s in plan.sections if s.title == "Role fundamentals")
            assert len(section.prompts) == 2, (role, level)
