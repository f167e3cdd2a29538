"""Rules about how content fits an interview, checked on a loaded library by `validate`.

They are warnings, not problems: content that breaks them still loads and runs, but an
interviewer would have to fix it on the call (`validate --strict` makes them fail). Each is
a `path:line: message` naming what is wrong and what to do:

- a section whose questions take more minutes than the section has (a query counts as its
  `count` longest matching questions: the worst case for any role and level);
- a question without minutes in a timed interview plan;
- `protected: true` on a plan's first section (nothing comes before it to overrun into it);
- a question a plan uses that names none of its plan's rubric's criteria;
- a fixed question whose level tags leave out a level the plan is for;
- interview guidance that asks the interviewer to pick among the section's questions;
- a question, follow-up, look-for or signal that touches a protected characteristic or
  invites affinity bias (see companion.content.fairness), unless it carries a `reviewed:` note.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from companion.content.fairness import unfair_phrases
from companion.content.library import Library, _matching
from companion.content.located import Problem
from companion.model import (
    Bank,
    InlinePrompt,
    Plan,
    Question,
    QuestionRef,
    Section,
    TagQuery,
    Where,
)


def content_warnings(lib: Library) -> list[Problem]:
    """Every warning for the loaded content, once each, in file and line order."""
    warnings: list[Problem] = []
    known_levels = _known_levels(lib)
    for plan in lib.plans.values():
        for section in plan.sections:
            warnings.extend(_minutes(lib, plan, section))
            warnings.extend(_criteria(lib, plan, section))
            warnings.extend(_levels(lib, plan, section, known_levels))
            warnings.extend(_picking(plan, section))
            warnings.extend(_inline_fairness(section))
        warnings.extend(_scripts(plan))
        warnings.extend(_protected(plan))
    for bank in lib.banks.values():
        warnings.extend(_examples(bank))
        for question in bank.questions:
            warnings.extend(_question_fairness(bank, question))
    for signal_set in lib.signal_sets.values():
        where = signal_set.where or Where("?", 0)
        for signal in (*signal_set.good, *signal_set.bad):
            if signal.reviewed:
                continue
            for finding in unfair_phrases(signal.text):
                warnings.append(Problem(where.path, where.line, (
                    f"signal '{signal.id}' of '{signal_set.id}' ({finding.phrase!r}) touches "
                    f"{finding.topic}: {finding.reason}; {_FAIRNESS_FIX}")))
    unique = {(w.path, w.line, w.message): w for w in warnings}
    return sorted(unique.values(), key=lambda w: (w.path, w.line, w.message))


_FAIRNESS_FIX = ("reword it around the work, or add `reviewed: <why it is fair>` once a "
                 "person has checked it")


def _at(section: Section, plan: Plan) -> Where:
    return section.where or plan.where or Where("?", 0)


def _name(bank: Bank, question: Question) -> str:
    where = f" ({question.where})" if question.where else ""
    return f"{bank.id}/{question.id}{where}"


def _used(lib: Library, plan: Plan, section: Section) -> Iterator[tuple[Bank, Question, bool]]:
    """Every question a section may show: (bank, question, fixed). A practice query may draw
    any question that matches; an interview query only the first ones in file order for
    some role and level (one further for each question the plan took from that bank before,
    since a question is never shown twice)."""
    before = 0
    for earlier in plan.sections:
        if earlier is section:
            break
        before += _offered(earlier)
    for spec in section.prompts:
        if isinstance(spec, QuestionRef):
            bank = lib.banks.get(spec.bank)
            question = bank.question(spec.question) if bank else None
            if bank is not None and question is not None:
                yield bank, question, True
        elif isinstance(spec, TagQuery) and (bank := lib.banks.get(spec.bank)) is not None:
            if plan.mode == "practice":
                yield from ((bank, q, False) for q in _matching(bank, spec, None, None))
                continue
            seen: set[str] = set()
            roles = (None, *sorted({r for q in bank.questions for r in q.roles}))
            levels = (None, *sorted({lv for q in bank.questions for lv in q.levels}))
            for role in roles:
                for level in levels:
                    for q in _matching(bank, spec, role, level)[: spec.count + before]:
                        if q.id not in seen:
                            seen.add(q.id)
                            yield bank, q, False


# --- Minutes --------------------------------------------------------------------------------


def _minutes(lib: Library, plan: Plan, section: Section) -> Iterator[Problem]:
    if section.minutes is None or plan.mode == "checklist":
        return
    where = _at(section, plan)
    parts: list[str] = []
    total = 0
    for spec in section.prompts:
        if isinstance(spec, QuestionRef):
            bank = lib.banks.get(spec.bank)
            question = bank.question(spec.question) if bank else None
            if question is not None and question.minutes:
                total += question.minutes
                parts.append(f"{spec.bank}/{spec.question} {question.minutes}")
        elif isinstance(spec, InlinePrompt) and spec.minutes:
            total += spec.minutes
            line = f" at line {spec.where.line}" if spec.where else ""
            parts.append(f"the inline prompt{line} {spec.minutes}")
        elif isinstance(spec, TagQuery) and (bank := lib.banks.get(spec.bank)) is not None:
            longest = sorted((q.minutes or 0 for q in _matching(bank, spec, None, None)),
                             reverse=True)[: spec.count]
            if sum(longest):
                total += sum(longest)
                parts.append(f"a query of {spec.count} from {bank.id} up to {sum(longest)}")
    available, carried = _available(plan, section)
    if total > available:
        also = f" (with the {carried} after it, where it runs on)" if carried else ""
        yield Problem(where.path, where.line, (
            f"section '{section.title}' has {total} minutes of questions in its "
            f"{available:g} minutes{also} ({'; '.join(parts)}); ask fewer questions, give "
            "them fewer minutes, or give the section more time"))
    if plan.mode != "interview":
        return
    for bank, question, _fixed in _used(lib, plan, section):
        if question.minutes is None:
            yield Problem(where.path, where.line, (
                f"section '{section.title}' of timed plan '{plan.id}' may ask "
                f"{_name(bank, question)}, which has no minutes; add `minutes:` to its tags"))


def _protected(plan: Plan) -> Iterator[Problem]:
    """`protected: true` guards a section's time against the sections before it (pacing
    warns when they overrun into it): on the first section nothing can."""
    first = plan.sections[0] if plan.sections else None
    if first is not None and first.protected:
        where = _at(first, plan)
        yield Problem(where.path, where.line, (
            f"section '{first.title}' is protected, but it is the plan's first section: no "
            "earlier section can overrun into it; put `protected: true` on the closing "
            "section (the candidate's questions) instead"))


def _available(plan: Plan, section: Section) -> tuple[float, str]:
    """A section's minutes, and those of the sections right after it that ask no bank
    question of their own: one exercise in phases (requirements, design, failures) runs on
    through them, guided by inline prompts."""
    index = plan.sections.index(section)
    minutes = section.minutes or 0.0
    later: list[str] = []
    for after in plan.sections[index + 1:]:
        # A protected section's time (the candidate's questions) is never borrowed.
        if after.protected or any(isinstance(p, QuestionRef | TagQuery) for p in after.prompts):
            break
        minutes += after.minutes or 0
        later.append(f"'{after.title}'")
    carried = ""
    if later:
        carried = f"section{'s' if len(later) > 1 else ''} {', '.join(later)}"
    return minutes, carried


# --- Criteria -------------------------------------------------------------------------------


def _criteria(lib: Library, plan: Plan, section: Section) -> Iterator[Problem]:
    rubric = lib.rubrics.get(plan.rubric) if plan.rubric else None
    if rubric is None:
        return
    wanted = {c.id for c in rubric.criteria}
    where = _at(section, plan)
    for bank, question, _fixed in _used(lib, plan, section):
        if not wanted & set(question.criteria):
            named = ", ".join(question.criteria) or "none"
            yield Problem(where.path, where.line, (
                f"section '{section.title}' asks {_name(bank, question)}, whose criteria "
                f"({named}) include none of rubric '{rubric.id}' "
                f"({', '.join(sorted(wanted))}); add the criteria it exercises, or use the "
                "rubric that fits the plan"))


# --- Levels ---------------------------------------------------------------------------------


def _known_levels(lib: Library) -> tuple[str, ...]:
    levels: set[str] = set()
    for bank in lib.banks.values():
        levels.update(bank.levels)
        for question in bank.questions:
            levels.update(question.levels)
    return tuple(sorted(levels))


def plan_levels(plan: Plan, known_levels: tuple[str, ...]) -> tuple[str, ...]:
    """The levels a plan is for: the level words among its tags, else every level."""
    return tuple(t for t in plan.tags if t in known_levels) or known_levels


def _levels(
    lib: Library, plan: Plan, section: Section, known_levels: tuple[str, ...]
) -> Iterator[Problem]:
    if plan.mode == "practice":
        return
    levels = plan_levels(plan, known_levels)
    where = _at(section, plan)
    for bank, question, fixed in _used(lib, plan, section):
        missing = [lv for lv in levels if question.levels and lv not in question.levels]
        if fixed and missing:
            yield Problem(where.path, where.line, (
                f"section '{section.title}' fixes {_name(bank, question)}, tagged for "
                f"{', '.join(question.levels)}, but the plan is for {', '.join(levels)}: "
                f"{', '.join(missing)} candidates would not be asked it; name the plan's "
                "levels in its tags, or widen the question's levels"))


# --- Guidance that asks the interviewer to pick ---------------------------------------------

_PICK = re.compile(
    r"\b(?:pick|picks|choose|chooses|select|selects|whichever|any (?:one|two|three|four)|"
    r"one of (?:the|these|them|those)|(?:one|two|three) (?:or|of) (?:the )?(?:two|three|four)"
    r"(?! (?:levels?|times|minutes|ways|steps))|either)\b", re.IGNORECASE)
# The candidate choosing (a language, where to start) leaves every candidate the same questions.
_CANDIDATE_PICKS = re.compile(
    r"\b(?:(?:the )?candidates?|they) (?:may |can |get to |will |should )?"
    r"(?:pick|picks|choose|chooses|select|selects)\b"
    r"|\blet (?:them|the candidate) (?:pick|choose|select)\b", re.IGNORECASE)
_ONE_QUESTION = re.compile(
    r"\bone (?:question|prompt|scenario|exercise|problem)\b(?! (?:per|each|for each))",
    re.IGNORECASE)


def _offered(section: Section) -> int:
    count = 0
    for spec in section.prompts:
        count += spec.count if isinstance(spec, TagQuery) else 1
    return count


def _picking(plan: Plan, section: Section) -> Iterator[Problem]:
    if plan.mode != "interview" or not section.guidance or _offered(section) < 2:
        return
    guidance = _CANDIDATE_PICKS.sub(" ", section.guidance)
    match = _PICK.search(guidance) or _ONE_QUESTION.search(guidance)
    if match:
        where = _at(section, plan)
        yield Problem(where.path, where.line, (
            f"the guidance of section '{section.title}' asks the interviewer to choose "
            f"({match.group(0)!r}) among its {_offered(section)} questions; every candidate "
            "of a plan and role gets the same questions: keep only the ones to ask, or split "
            "the plan"))


# --- Scripts and agendas -------------------------------------------------------------------


def _scripts(plan: Plan) -> Iterator[Problem]:
    """An interview opens and closes with a script; a debrief runs to an agenda. The scripts
    are read aloud, so the fairness topics hold for them as for a question."""
    where = plan.where or Where("?", 0)
    if plan.mode == "interview":
        if not plan.opening:
            yield Problem(where.path, where.line, (
                f"interview plan '{plan.id}' has no opening script; add `opening:` saying the "
                "format, how notes are taken, the policy on coding assistants and the "
                "accommodations on offer"))
        if not plan.closing:
            yield Problem(where.path, where.line, (
                f"interview plan '{plan.id}' has no closing script; add `closing:` saying the "
                "next steps and when the candidate will hear"))
    if plan.stage == "debrief" and not plan.agenda:
        yield Problem(where.path, where.line, (
            f"debrief plan '{plan.id}' has no agenda; add `agenda:` (independent scores "
            "read before discussion, the recommendation scale, the decision rule)"))
    for part, text in (("opening script", plan.opening), ("closing script", plan.closing),
                       *((f"agenda item {n}", t) for n, t in enumerate(plan.agenda, 1))):
        for finding in unfair_phrases(text):
            yield Problem(where.path, where.line, (
                f"the {part} of plan '{plan.id}' ({finding.phrase!r}) touches "
                f"{finding.topic}: {finding.reason}; reword it around the work"))


# --- Worked examples ------------------------------------------------------------------------

EXAMPLE_MAX_CHARS = 320
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def _examples(bank: Bank) -> Iterator[Problem]:
    """Once a bank has worked examples, every question has them (a rater calibrating on one
    question expects them on the next), and each stays short: one or two sentences saying
    what the candidate did."""
    with_examples = [q for q in bank.questions if q.examples]
    if with_examples:
        for question in bank.questions:
            if not question.examples:
                where = question.where or bank.where or Where("?", 0)
                yield Problem(where.path, where.line, (
                    f"question '{question.id}' has no worked examples, though "
                    f"{len(with_examples)} other question(s) of bank '{bank.id}' have them; "
                    "add `examples:` with a 0, a 1 and a 2 answer"))
    for question in with_examples:
        where = question.where or bank.where or Where("?", 0)
        for score, text in enumerate(question.examples):
            sentences = len(_SENTENCE_END.findall(text.strip()))
            if len(text) > EXAMPLE_MAX_CHARS or sentences > 2:
                yield Problem(where.path, where.line, (
                    f"the example of a {score} of question '{question.id}' is "
                    f"{len(text)} characters and {sentences} sentence(s); keep it to one or "
                    f"two sentences (at most {EXAMPLE_MAX_CHARS} characters) saying what "
                    "the candidate did"))


# --- Fairness -------------------------------------------------------------------------------


def _parts(text: str, follow_ups: tuple[str, ...], look_for: tuple[str, ...],
           examples: tuple[str, ...] = ()) -> Iterator[tuple[str, str]]:
    yield "the text", text
    for n, follow_up in enumerate(follow_ups, start=1):
        yield f"follow-up {n}", follow_up
    for n, look in enumerate(look_for, start=1):
        yield f"look-for {n}", look
    for score, example in enumerate(examples):
        yield f"the example of a {score}", example


def _question_fairness(bank: Bank, question: Question) -> Iterator[Problem]:
    if question.reviewed:
        return
    where = question.where or bank.where or Where("?", 0)
    for part, text in _parts(question.text, question.follow_ups, question.look_for,
                             question.examples):
        for finding in unfair_phrases(text):
            yield Problem(where.path, where.line, (
                f"{part} of question '{question.id}' ({finding.phrase!r}) touches "
                f"{finding.topic}: {finding.reason}; {_FAIRNESS_FIX}"))


def _inline_fairness(section: Section) -> Iterator[Problem]:
    for spec in section.prompts:
        if not isinstance(spec, InlinePrompt) or spec.reviewed:
            continue
        where = spec.where or section.where or Where("?", 0)
        for part, text in _parts(spec.text, spec.follow_ups, spec.look_for):
            for finding in unfair_phrases(text):
                yield Problem(where.path, where.line, (
                    f"{part} of a prompt in section '{section.title}' ({finding.phrase!r}) "
                    f"touches {finding.topic}: {finding.reason}; {_FAIRNESS_FIX}"))
