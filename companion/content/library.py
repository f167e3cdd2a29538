"""Find, load and validate banks/ and sessions/ into model objects.

Every problem is reported as `path:line: message`, all at once; nothing here raises on bad
content. Also resolves a plan into the SessionPlan a session snapshots when it starts."""

from __future__ import annotations

import difflib
import math
import os
import random
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from companion.content.located import LList, LMap, Problem, clip
from companion.content.safefile import (
    RefusedFile,
    list_folder,
    read_regular,
    walk_folder,
    why_not,
)
from companion.model import (
    ARCHETYPE_TOPIC,
    ARCHETYPES,
    DEFAULT_RECOMMENDATION_SCALE,
    MODES,
    Attachment,
    Bank,
    Criterion,
    InlinePrompt,
    Loop,
    Plan,
    Prompt,
    PromptSpec,
    Question,
    QuestionRef,
    Rubric,
    Section,
    SectionPlan,
    SessionPlan,
    Signal,
    SignalSet,
    TagQuery,
    Where,
)

KINDS = ("bank", "signals", "rubric", "plan", "loop")
_KIND_LABEL = {
    "bank": "bank",
    "signals": "signal set",
    "rubric": "rubric",
    "plan": "plan",
    "loop": "loop",
}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_MINUTES = 24 * 60  # a section or a question of more than a day is a typo
MAX_COUNT = 1000  # questions one query draws


@dataclass(frozen=True, slots=True)
class Source:
    """One place content comes from, in search order: built-in, user config, --banks/--plans."""

    label: str
    dirs: tuple[Path, ...]
    files: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class _Ref:
    """A reference from one content item to another, checked once all are read."""

    kind: str  # "bank", "question", "signals", "rubric", "plan", "criterion", "query"
    target: str
    where: Where
    detail: Any = None


@dataclass
class _Item:
    """One content item read from a file, before references are checked."""

    kind: str
    id: str
    obj: Any
    where: Where
    source: str
    refs: list[_Ref]


@dataclass
class Library:
    """All content that loaded: banks, signal sets, rubrics, plans, loops, and the problems
    and notices found on the way."""

    banks: dict[str, Bank] = field(default_factory=dict)
    signal_sets: dict[str, SignalSet] = field(default_factory=dict)
    rubrics: dict[str, Rubric] = field(default_factory=dict)
    plans: dict[str, Plan] = field(default_factory=dict)
    loops: dict[str, Loop] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # Each item left out because its references dangled, at the item: what `validate PATH`
    # sums up when the cause (an override) is in the file given and they are not.
    dropped: list[Problem] = field(default_factory=list)

    def table(self, kind: str) -> dict[str, Any]:
        tables: dict[str, dict[str, Any]] = {
            "bank": self.banks,
            "signals": self.signal_sets,
            "rubric": self.rubrics,
            "plan": self.plans,
            "loop": self.loops,
        }
        return tables[kind]

    def loops_of(self, plan_id: str) -> list[Loop]:
        return [loop for loop in self.loops.values() if plan_id in loop.plans]

    def listing_order(self, plan: Plan) -> tuple[str, int, str, str]:
        """How plans are listed: by family, then a loop's plans in the loop's order, then
        by stage and id."""
        position = min((lp.plans.index(plan.id) for lp in self.loops_of(plan.id)),
                       default=len(self.plans))
        return (plan.family, position, plan.stage, plan.id)


# --- Where content lives -------------------------------------------------------------------


def builtin_dirs() -> tuple[Path, ...]:
    """banks/ and sessions/ inside the installed package, else the checkout's top level.
    (The package is always a folder on disk: the wheel is installed, never imported from a
    zip, so its own path is enough and importlib.resources need not be imported.)"""
    package = Path(__file__).parent.parent  # companion/, above companion/content/
    inside = (package / "banks", package / "sessions")
    if all(d.is_dir() for d in inside):
        return inside
    return (package.parent / "banks", package.parent / "sessions")


def builtin_sources() -> list[Source]:
    return [Source("built-in", builtin_dirs())]


def content_sources(
    user_config_dir: Path | None,
    banks: Iterable[Path] = (),
    plans: Iterable[Path] = (),
) -> list[Source]:
    sources = builtin_sources()
    if user_config_dir is not None:
        sources.append(
            Source("user config", (user_config_dir / "banks", user_config_dir / "sessions"))
        )
    sources.extend(Source(f"--banks {d}", (Path(d),)) for d in banks)
    sources.extend(Source(f"--plans {d}", (Path(d),)) for d in plans)
    return sources


def files_of(source: Source) -> Iterator[Path]:
    yield from listing(source)[0]


def listing(source: Source) -> tuple[list[Path], list[Problem]]:
    """A source's content files in load order, and a problem for each of its folders that is
    there but cannot be read (a missing folder is only content not written yet)."""
    files: list[Path] = []
    problems: list[Problem] = []
    for directory in source.dirs:
        found, unreadable = list_folder(directory, source.label)
        files.extend(found)
        problems.extend(unreadable)
    files.extend(source.files)
    return files, problems


def kit_file_stats(source: Source) -> Iterator[tuple[str, os.stat_result]]:
    """Every file a plan of `source` may attach, with its stat (for the content cache's
    key): everything under the kits/ folders beside its folders, and the other files of its
    folders. One walk: the key is worked out at every start, and pathlib's rglob, is_file
    and a second stat cost it ~5 ms. Regular files only (a link is followed to one); linked
    folders are not entered."""
    folders = {*source.dirs, *(f.parent for f in source.files)}
    seen: set[Path] = set()
    for folder in sorted(folders):
        for kits in kit_dirs(folder / "plan.yaml"):
            if kits in seen or not kits.is_dir():
                continue
            seen.add(kits)
            found: list[tuple[str, os.stat_result]] = []
            for top, dirs, names in os.walk(kits):
                dirs.sort()
                for name in names:
                    path = os.path.join(top, name)
                    try:
                        st = os.stat(path)
                    except FileNotFoundError:  # a broken link: not a file
                        continue
                    if stat.S_ISREG(st.st_mode):
                        found.append((path, st))
            yield from sorted(found, key=lambda item: item[0])


# --- Reading one file ---------------------------------------------------------------------


class _Reader:
    """Typed access to an LMap that records a Problem for every mismatch."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[Problem] = []

    def fail(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def where(self, line: int) -> Where:
        return Where(self.path, line)

    def line(self, m: LMap, key: str) -> int:
        return m.lines.get(key, m.line)

    def keys(
        self, m: LMap, what: str, required: Iterable[str], optional: Iterable[str]
    ) -> None:
        required = tuple(required)
        allowed = set(required) | set(optional)
        for key in m:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f"; did you mean '{close[0]}'?" if close else (
                    f"; allowed: {', '.join(sorted(allowed))}"
                )
                self.fail(m.lines[key], f"unknown key '{clip(key)}' in {what}{hint}")
        for key in required:
            if key not in m:
                self.fail(m.line, f"missing required key '{key}' in {what}")

    def mapping(self, value: Any, line: int, what: str) -> LMap | None:
        if isinstance(value, LMap):
            return value
        self.fail(line, f"{what} must be a mapping (key: value lines), not {_type_name(value)}")
        return None

    def items(self, m: LMap, key: str, what: str) -> list[tuple[Any, int]]:
        value = m.get(key)
        if value is None:
            return []
        if not isinstance(value, LList):
            self.fail(self.line(m, key), f"'{key}' in {what} must be a list, "
                      f"not {_type_name(value)}")
            return []
        return list(zip(value, value.lines, strict=True))

    def typed(self, container: LMap | LList, key: Any, line: int, what: str) -> str | None:
        """The text as written when YAML read this text value as a number, true/false,
        nothing or a date (reported: `1:30` must not become 90 silently), else None."""
        written: str | None = container.raw.get(key)
        if written is not None:
            shown = f"'{key}'" if isinstance(key, str) else "an item"
            name = key if isinstance(key, str) else "-"
            sep = ":" if isinstance(key, str) else ""
            self.fail(line, f"{shown} in {what} is written {clip(written)}, which YAML reads as "
                      f"{_read_as(container[key])}, not as text; put it in quotes "
                      f"({name}{sep} \"{clip(written)}\") to keep the text as written")
        return written

    def text(self, m: LMap, key: str, what: str, default: str = "") -> str:
        if key not in m:
            return default
        written = self.typed(m, key, self.line(m, key), what)
        if written is not None:
            return written
        if m[key] is None and default != "":
            return default
        value = m[key]
        if value is None:  # `key:` with nothing after it
            self.fail(self.line(m, key), f"'{key}' in {what} is empty; write the text")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(self.line(m, key), f"'{key}' in {what} must be text, "
                      f"not {_type_name(value)}")
            return default
        text = str(value).strip()
        if not text:
            self.fail(self.line(m, key), f"'{key}' in {what} is empty; write the text")
        return text

    def ident(self, m: LMap, key: str, what: str) -> str:
        value = self.text(m, key, what)
        if value and not _ID.match(value):
            self.fail(self.line(m, key), f"'{key}' '{clip(value)}' in {what} must be lowercase "
                      "letters, digits and '-' (for example 'system-design')")
        return value

    def texts(self, m: LMap, key: str, what: str) -> tuple[str, ...]:
        if key not in m:
            return ()
        value = m[key]
        written = self.typed(m, key, self.line(m, key), what)
        if written is not None:  # `follow_ups: 1.10`, meant as one text
            return (written,)
        if isinstance(value, str):
            return (value.strip(),) if value.strip() else ()
        if not isinstance(value, LList):
            self.fail(self.line(m, key), f"'{key}' in {what} must be a list of text, "
                      f"not {_type_name(value)}")
            return ()
        out: list[str] = []
        for index, (item, line) in enumerate(zip(value, value.lines, strict=True)):
            written = self.typed(value, index, line, f"'{key}' of {what}")
            if written is not None:
                out.append(written)
            elif isinstance(item, bool) or not isinstance(item, str | int | float):
                self.fail(line, f"each item of '{key}' in {what} must be text, "
                          f"not {_type_name(item)}")
            elif not str(item).strip():
                self.fail(line, f"an item of '{key}' in {what} is empty; write the text")
            else:
                out.append(str(item).strip())
        return tuple(out)

    def number(
        self, m: LMap, key: str, what: str, *, whole: bool = False, positive: bool = False,
        most: float | None = None,
    ) -> float | None:
        if key not in m or m[key] is None:
            return None
        value = m[key]
        if isinstance(value, bool) or not isinstance(value, int | float) or (
            whole and not isinstance(value, int)
        ):
            kind = "a whole number" if whole else "a number"
            self.fail(self.line(m, key), f"'{key}' in {what} must be {kind}, "
                      f"not {_type_name(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):  # .nan, .inf, 1.0e+400
            self.fail(self.line(m, key), f"'{key}' in {what} must be a finite number, "
                      f"not {m.raw.get(key, value)}; write a plain number")
            return None
        if positive and value <= 0:
            self.fail(self.line(m, key), f"'{key}' in {what} must be more than 0, "
                      f"not {_clip(value)}")
            return None
        if most is not None and value > most:
            self.fail(self.line(m, key), f"'{key}' in {what} must be at most {most:g}, "
                      f"not {_clip(value)}")
            return None
        return value

    def flag(self, m: LMap, key: str, what: str) -> bool:
        value = m.get(key, False)
        if not isinstance(value, bool):
            self.fail(self.line(m, key), f"'{key}' in {what} must be true or false")
            return False
        return value


def _named(m: LMap, key: str) -> str:
    """How a message names an item: by its id or title as written."""
    shown = m.raw.get(key, m.get(key))
    return "?" if shown is None else clip(shown, 80)


def _read_as(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {_clip(value)}"
    return "a date"


def _clip(value: float) -> str:
    """A number as a message may show it: 10**4000 is not printed in full."""
    text = f"{value:g}" if isinstance(value, float) else str(value) if abs(value) < 10**30 \
        else f"{float(value):g}" if abs(value) < 10**300 else "a number too large to show"
    return text


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, LMap | dict):
        return "a mapping"
    if isinstance(value, LList | list):
        return "a list"
    if isinstance(value, int | float):
        return f"the number {_clip(value)}"
    return f"the text '{clip(value)}'"


def _unique(r: _Reader, ids: list[tuple[str, int]], what: str) -> None:
    seen: dict[str, int] = {}
    for ident, line in ids:
        if not ident:
            continue
        if ident in seen:
            r.fail(line, f"duplicate {what} id '{ident}' (first at line {seen[ident]})")
        else:
            seen[ident] = line


def _read_bank(r: _Reader, m: LMap, refs: list[_Ref]) -> Bank:
    r.keys(m, "the bank", ("kind", "id", "title", "questions"), ("description", "tags"))
    bank_id = r.ident(m, "id", "the bank")
    stage = ""
    roles: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    if "tags" in m:
        tags = r.mapping(m["tags"], r.line(m, "tags"), "'tags' of the bank")
        if tags is not None:
            r.keys(tags, "the bank's tags", (), ("stage", "roles", "levels"))
            stage = r.text(tags, "stage", "the bank's tags")
            roles = r.texts(tags, "roles", "the bank's tags")
            levels = r.texts(tags, "levels", "the bank's tags")
    questions: list[Question] = []
    items = r.items(m, "questions", "the bank")
    if "questions" in m and not items and isinstance(m["questions"], LList):
        r.fail(r.line(m, "questions"), "the bank has no questions; add at least one")
    ids: list[tuple[str, int]] = []
    for item, line in items:
        q = r.mapping(item, line, "a question")
        if q is None:
            continue
        what = f"question '{_named(q, 'id')}'"
        r.keys(q, what, ("id", "text"),
               ("follow_ups", "look_for", "tags", "criteria", "reviewed", "examples"))
        qid = r.ident(q, "id", what)
        ids.append((qid, q.lines.get("id", line)))
        kind, minutes = "", None
        qroles: tuple[str, ...] = ()
        qlevels: tuple[str, ...] = ()
        topics: tuple[str, ...] = ()
        if "tags" in q:
            tags = r.mapping(q["tags"], r.line(q, "tags"), f"'tags' of {what}")
            if tags is not None:
                r.keys(tags, f"the tags of {what}", (),
                       ("kind", "roles", "levels", "minutes", "topics"))
                kind = r.text(tags, "kind", f"the tags of {what}")
                qroles = r.texts(tags, "roles", f"the tags of {what}")
                qlevels = r.texts(tags, "levels", f"the tags of {what}")
                topics = r.texts(tags, "topics", f"the tags of {what}")
                mins = r.number(tags, "minutes", f"the tags of {what}", whole=True,
                                positive=True, most=MAX_MINUTES)
                minutes = int(mins) if mins is not None else None
        criteria = r.texts(q, "criteria", what)
        for criterion in criteria:
            refs.append(_Ref("criterion", criterion, r.where(r.line(q, "criteria"))))
        questions.append(
            Question(
                id=qid,
                text=r.text(q, "text", what),
                follow_ups=r.texts(q, "follow_ups", what),
                look_for=r.texts(q, "look_for", what),
                kind=kind,
                roles=qroles,
                levels=qlevels,
                minutes=minutes,
                topics=topics,
                criteria=criteria,
                where=r.where(line),
                reviewed=r.text(q, "reviewed", what),
                examples=_examples(r, q, what),
            )
        )
    _unique(r, ids, "question")
    return Bank(
        id=bank_id,
        title=r.text(m, "title", "the bank"),
        description=r.text(m, "description", "the bank"),
        stage=stage,
        roles=roles,
        levels=levels,
        questions=tuple(questions),
        where=r.where(m.line),
    )


def _examples(r: _Reader, q: LMap, what: str) -> tuple[str, ...]:
    """A question's worked examples: exactly the levels 0, 1 and 2, each a short text."""
    if "examples" not in q:
        return ()
    e = r.mapping(q["examples"], r.line(q, "examples"), f"'examples' of {what}")
    if e is None:
        return ()
    for key, key_line in e.lines.items():
        if key not in ("0", "1", "2"):
            r.fail(key_line, f"example level '{key}' in {what} is not 0, 1 or 2; "
                   "write one example per score")
    texts = ["", "", ""]
    for level in range(3):
        if str(level) not in e:
            r.fail(r.line(q, "examples"), f"{what} has no example for a score of {level}; "
                   "write one or two sentences saying what such a candidate did")
        else:
            texts[level] = r.text(e, str(level), f"example {level} of {what}")
    return tuple(texts) if all(texts) else ()


def _read_signals(r: _Reader, m: LMap, refs: list[_Ref]) -> SignalSet:
    r.keys(m, "the signal set", ("kind", "id", "title"), ("good", "bad", "description"))
    r.text(m, "description", "the signal set")  # not kept, but checked as the text it is
    if "good" not in m and "bad" not in m:
        r.fail(m.line, "the signal set has neither 'good' nor 'bad' signals; add some")
    ids: list[tuple[str, int]] = []
    lists: dict[str, tuple[Signal, ...]] = {}
    for polarity in ("good", "bad"):
        signals = []
        for item, line in r.items(m, polarity, "the signal set"):
            s = r.mapping(item, line, f"a {polarity} signal")
            if s is None:
                continue
            what = f"{polarity} signal '{_named(s, 'id')}'"
            r.keys(s, what, ("id", "text"), ("reviewed",))
            sid = r.ident(s, "id", what)
            ids.append((sid, s.lines.get("id", line)))
            signals.append(Signal(sid, r.text(s, "text", what), r.text(s, "reviewed", what)))
        lists[polarity] = tuple(signals)
    _unique(r, ids, "signal")
    return SignalSet(
        id=r.ident(m, "id", "the signal set"),
        title=r.text(m, "title", "the signal set"),
        good=lists["good"],
        bad=lists["bad"],
        where=r.where(m.line),
    )


def _read_rubric(r: _Reader, m: LMap, refs: list[_Ref]) -> Rubric:
    r.keys(m, "the rubric", ("kind", "id", "title", "threshold", "criteria"),
           ("advice", "description"))
    r.text(m, "description", "the rubric")  # not kept, but checked as the text it is
    criteria: list[Criterion] = []
    ids: list[tuple[str, int]] = []
    for item, line in r.items(m, "criteria", "the rubric"):
        c = r.mapping(item, line, "a criterion")
        if c is None:
            continue
        what = f"criterion '{_named(c, 'id')}'"
        r.keys(c, what, ("id", "title", "anchors"), ("needs_postmortem", "description"))
        r.text(c, "description", what)  # not kept, but checked as the text it is
        cid = r.ident(c, "id", what)
        ids.append((cid, c.lines.get("id", line)))
        anchors = ["", "", ""]
        if "anchors" in c:
            a = r.mapping(c["anchors"], r.line(c, "anchors"), f"'anchors' of {what}")
            if a is not None:
                for key, key_line in a.lines.items():
                    if key not in ("0", "1", "2"):
                        r.fail(key_line, f"anchor level '{key}' in {what} is not 0, 1 or 2; "
                               "scores run 0-2")
                for level in range(3):
                    if str(level) not in a:
                        r.fail(a.line, f"{what} has no anchor for level {level}; "
                               "write what a score of that level looks like")
                    else:
                        anchors[level] = r.text(a, str(level), f"anchor {level} of {what}")
        criteria.append(
            Criterion(
                id=cid,
                title=r.text(c, "title", what),
                anchors=(anchors[0], anchors[1], anchors[2]),
                needs_postmortem=r.flag(c, "needs_postmortem", what),
            )
        )
    if "criteria" in m and not criteria and isinstance(m["criteria"], LList):
        r.fail(r.line(m, "criteria"), "the rubric has no criteria; add at least one")
    _unique(r, ids, "criterion")
    threshold = r.number(m, "threshold", "the rubric", whole=True)
    maximum = 2 * len(criteria)
    if threshold is not None and criteria and not 0 <= threshold <= maximum:
        r.fail(r.line(m, "threshold"),
               f"threshold {_clip(threshold)} is outside 0-{maximum} (2 points per "
               "criterion)")
    return Rubric(
        id=r.ident(m, "id", "the rubric"),
        title=r.text(m, "title", "the rubric"),
        criteria=tuple(criteria),
        threshold=int(threshold or 0),
        advice=r.text(m, "advice", "the rubric"),
        where=r.where(m.line),
    )


def _read_prompt(r: _Reader, item: Any, line: int, refs: list[_Ref]) -> PromptSpec | None:
    if isinstance(item, str):
        text = item.strip()
        if not text:
            r.fail(line, "an empty prompt; write the text")
            return None
        return InlinePrompt(text, where=r.where(line))
    p = r.mapping(item, line, "a prompt")
    if p is None:
        return None
    forms = [k for k in ("question", "query", "text") if k in p]
    if len(forms) != 1:
        r.fail(line, "a prompt needs exactly one of 'question: BANK/QUESTION', "
               "'query: {bank, count, ...}' or 'text: ...'")
        return None
    form = forms[0]
    if form == "question":
        r.keys(p, "the prompt", ("question",), ())
        ref = r.text(p, "question", "the prompt")
        bank, _, question = ref.partition("/")
        if not bank or not question:
            r.fail(r.line(p, "question"), f"'{clip(ref)}' is not BANK/QUESTION "
                   "(for example 'system-design/rate-limiter')")
            return None
        refs.append(_Ref("question", ref, r.where(r.line(p, "question"))))
        return QuestionRef(bank, question)
    if form == "query":
        r.keys(p, "the prompt", ("query",), ())
        q = r.mapping(p["query"], r.line(p, "query"), "'query'")
        if q is None:
            return None
        r.keys(q, "the query", ("bank",), ("count", "kind", "topics"))
        count = r.number(q, "count", "the query", whole=True, positive=True, most=MAX_COUNT)
        query = TagQuery(
            bank=r.ident(q, "bank", "the query"),
            count=int(count or 1),
            kind=r.text(q, "kind", "the query"),
            topics=r.texts(q, "topics", "the query"),
        )
        refs.append(_Ref("query", query.bank, r.where(r.line(p, "query")), query))
        return query
    r.keys(p, "the prompt", ("text",), ("follow_ups", "look_for", "reviewed"))
    return InlinePrompt(
        text=r.text(p, "text", "the prompt"),
        follow_ups=r.texts(p, "follow_ups", "the prompt"),
        look_for=r.texts(p, "look_for", "the prompt"),
        reviewed=r.text(p, "reviewed", "the prompt"),
        where=r.where(line),
    )


def _read_plan(r: _Reader, m: LMap, refs: list[_Ref]) -> Plan:
    r.keys(m, "the plan", ("kind", "id", "title", "mode", "sections"),
           ("description", "stage", "family", "participants", "rubric", "recommendation",
            "tags", "opening", "closing", "agenda", "brief", "attachments"))
    mode = r.text(m, "mode", "the plan")
    if mode and mode not in MODES:
        close = difflib.get_close_matches(mode, MODES, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"use one of {', '.join(MODES)}"
        r.fail(r.line(m, "mode"), f"mode '{clip(mode)}' is not one of {', '.join(MODES)}; {hint}")
    sections: list[Section] = []
    for item, line in r.items(m, "sections", "the plan"):
        s = r.mapping(item, line, "a section")
        if s is None:
            continue
        what = f"section '{_named(s, 'title')}'"
        r.keys(s, what, ("title",), ("minutes", "guidance", "prompts", "signals"))
        minutes = r.number(s, "minutes", what, positive=True, most=MAX_MINUTES)
        if s.get("minutes") is None and mode != "checklist":
            r.fail(line, f"{what} has no 'minutes'; only checklist plans may leave them out")
        listed = s.get("prompts")
        prompts = [
            p for p in (
                None if isinstance(listed, LList)
                and r.typed(listed, n, ln, f"'prompts' of {what}") is not None
                else _read_prompt(r, it, ln, refs)
                for n, (it, ln) in enumerate(r.items(s, "prompts", what))
            ) if p is not None
        ]
        signals = None
        if "signals" in s:
            signals = r.ident(s, "signals", what)
            refs.append(_Ref("signals", signals, r.where(r.line(s, "signals"))))
        sections.append(
            Section(
                title=r.text(s, "title", what),
                minutes=minutes,
                guidance=r.text(s, "guidance", what),
                prompts=tuple(prompts),
                signals=signals,
                where=r.where(line),
            )
        )
    if "sections" in m and not sections and isinstance(m["sections"], LList):
        r.fail(r.line(m, "sections"), "the plan has no sections; add at least one")
    rubric = None
    if "rubric" in m:
        rubric = r.ident(m, "rubric", "the plan")
        refs.append(_Ref("rubric", rubric, r.where(r.line(m, "rubric"))))
    scale = r.texts(m, "recommendation", "the plan") or DEFAULT_RECOMMENDATION_SCALE
    brief, attachments = _read_kit(r, m)
    return Plan(
        id=r.ident(m, "id", "the plan"),
        title=r.text(m, "title", "the plan"),
        mode=mode,
        sections=tuple(sections),
        description=r.text(m, "description", "the plan"),
        stage=r.text(m, "stage", "the plan"),
        family=r.text(m, "family", "the plan"),
        participants=r.texts(m, "participants", "the plan"),
        rubric=rubric,
        recommendation_scale=scale,
        tags=r.texts(m, "tags", "the plan"),
        where=r.where(m.line),
        opening=r.text(m, "opening", "the plan"),
        closing=r.text(m, "closing", "the plan"),
        agenda=r.texts(m, "agenda", "the plan"),
        brief=brief,
        attachments=attachments,
    )


# --- Kits: files shipped with a plan ------------------------------------------------------

MAX_KIT_FILE_BYTES = 1024 * 1024
AUDIENCES = ("candidate", "interviewer")
_KIT_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")


def kit_dirs(plan_file: Path) -> tuple[Path, ...]:
    """Where a plan's attachments are looked for, in order: the `kits/` folder beside the
    plan's folder (banks/, sessions/ and kits/ side by side), then the plan's own folder."""
    return (plan_file.parent.parent / "kits", plan_file.parent)


def _find_kit_file(r: _Reader, written: str, line: int, what: str) -> str | None:
    """The path of an attachment that exists and is plain UTF-8 text, else a problem."""
    parts = written.split("/")
    if written.startswith("/") or not all(_KIT_NAME.match(part) for part in parts):
        r.fail(line, f"{what} '{written}' must be a relative path of plain names joined by "
               "'/' (letters, digits, '-', '_', '.'; no '..', no leading '/'), inside kits/")
        return None
    dirs = kit_dirs(Path(r.path))
    found = next((d / written for d in dirs if os.path.lexists(d / written)), None)
    if found is None:
        r.fail(line, f"{what} '{written}' is not there: looked in "
               f"{' and '.join(str(d) for d in dirs)}; add the file or fix the path")
        return None
    try:
        text = read_regular(found, MAX_KIT_FILE_BYTES).decode("utf-8")
    except UnicodeDecodeError as err:
        r.fail(line, f"{what} '{written}' is not UTF-8 text (byte {err.start}); kit files "
               "are text: save it as UTF-8")
        return None
    except RefusedFile as err:
        r.fail(line, f"{what} '{written}' ({found}) is {err}; kit files are plain text "
               f"files of at most {MAX_KIT_FILE_BYTES >> 20} MiB")
        return None
    except OSError as err:
        r.fail(line, f"cannot read {what} '{written}' ({found}): {why_not(err)}")
        return None
    bad = next((n for n, ch in enumerate(text) if _control(ch)), None)
    if bad is not None:
        at = text.count("\n", 0, bad) + 1
        r.fail(line, f"{what} '{written}' has a control character (U+{ord(text[bad]):04X}) "
               f"on its line {at}; kit files are plain text")
        return None
    return str(found)


def _control(ch: str) -> bool:
    code = ord(ch)
    return (code < 0x20 and ch not in "\t\n") or 0x7F <= code < 0xA0


def _read_kit(r: _Reader, m: LMap) -> tuple[Attachment | None, tuple[Attachment, ...]]:
    brief = None
    if "brief" in m:
        written = r.text(m, "brief", "the plan")
        if written:
            path = _find_kit_file(r, written, r.line(m, "brief"), "the brief")
            if path is not None:
                brief = Attachment(written, "Brief for the candidate", "candidate", path)
    attachments: list[Attachment] = []
    names: dict[str, int] = {}
    for item, line in r.items(m, "attachments", "the plan"):
        a = r.mapping(item, line, "an attachment")
        if a is None:
            continue
        what = f"attachment '{a.get('file', '?')}'"
        r.keys(a, what, ("file", "title", "for"), ())
        written = r.text(a, "file", what)
        title = r.text(a, "title", what)
        audience = r.text(a, "for", what)
        if audience and audience not in AUDIENCES:
            r.fail(r.line(a, "for"), f"'for' of {what} is '{audience}'; use candidate (sent "
                   "to them with the brief) or interviewer (kept by the panel)")
            continue
        if not written or not title or not audience:
            continue
        key = f"{audience}:{Path(written).name}"
        if key in names:
            r.fail(line, f"{what}: the kit's {audience}/ folder already has a file named "
                   f"'{Path(written).name}' (line {names[key]}); rename one")
            continue
        names[key] = line
        path = _find_kit_file(r, written, r.line(a, "file"), what)
        if path is not None:
            attachments.append(Attachment(written, title, audience, path))
    return brief, tuple(attachments)


def _read_loop(r: _Reader, m: LMap, refs: list[_Ref]) -> Loop:
    r.keys(m, "the loop", ("kind", "id", "title", "plans"), ("description",))
    plans = r.texts(m, "plans", "the loop")
    if "plans" in m and not plans:
        r.fail(r.line(m, "plans"), "the loop names no plans; list plan ids")
    for plan_id in plans:
        refs.append(_Ref("plan", plan_id, r.where(r.line(m, "plans"))))
    return Loop(
        id=r.ident(m, "id", "the loop"),
        title=r.text(m, "title", "the loop"),
        plans=plans,
        description=r.text(m, "description", "the loop"),
        where=r.where(m.line),
    )


_READERS = {
    "bank": _read_bank,
    "signals": _read_signals,
    "rubric": _read_rubric,
    "plan": _read_plan,
    "loop": _read_loop,
}


def read_file(path: Path, source: str = "") -> tuple[_Item | None, list[Problem]]:
    """Read and check one content file on its own (no cross-file references)."""
    label = str(path)
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except OSError as err:
        if isinstance(err, RefusedFile) and str(err).startswith("larger"):
            todo = "split it into smaller files"
        elif isinstance(err, PermissionError):
            todo = "fix its permissions or remove it"
        else:
            todo = "content is read from regular YAML files only (remove or replace it)"
        return None, [Problem(label, 1, f"cannot read the file: {why_not(err)}; {todo}")]
    from companion.content.yamlsafe import parse_bytes  # the YAML parser, only when a file is read

    value, parsed = parse_bytes(data, label)
    if value is None and parsed:
        return None, parsed
    # An anchor, a tag or a duplicate key leaves the rest readable: check it all, so one
    # anchor does not hide the file's other problems (its own line is reported once).
    r = _Reader(label)
    if not isinstance(value, LMap):
        r.fail(getattr(value, "line", 1), "the top level must be a mapping with a 'kind:' key, "
               f"not {_type_name(value)}")
        return None, sorted(parsed + r.problems, key=lambda p: p.line)
    kind = value.get("kind")
    if kind not in KINDS:
        if "kind" not in value:
            r.fail(value.line, f"missing required key 'kind' (one of {', '.join(KINDS)})")
        else:
            close = difflib.get_close_matches(str(kind), KINDS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            r.fail(value.lines["kind"], f"kind '{clip(value.raw.get('kind', kind))}' is not one of "
                   f"{', '.join(KINDS)}{hint}")
        return None, sorted(parsed + r.problems, key=lambda p: p.line)
    refs: list[_Ref] = []
    obj: Any = _READERS[kind](r, value, refs)
    item = _Item(kind, obj.id, obj, Where(label, value.lines.get("id", value.line)), source,
                 refs)
    lines = {p.line for p in parsed}
    problems = parsed + [p for p in r.problems if p.line not in lines]
    return (None if parsed else item), sorted(problems, key=lambda p: p.line)


# --- The whole library --------------------------------------------------------------------


def load_library(sources: Iterable[Source]) -> Library:
    """Load every source in order. A file with problems is left out (and its problems
    reported), and so is anything whose references then dangle, so what is loaded is
    always consistent and a typo in one user file never takes the built-in content down."""
    lib = Library()
    items: list[_Item] = []
    left_out: dict[tuple[str, str], _Item] = {}
    overrides: list[tuple[_Item, _Item]] = []  # (the override, the one it overrides)
    for source in sources:
        defined: dict[tuple[str, str], _Item] = {}
        paths, unreadable = listing(source)
        lib.problems.extend(unreadable)
        for path in paths:
            lib.files.append(path)
            item, problems = read_file(path, source.label)
            lib.problems.extend(problems)
            if item is None or problems:
                if item is not None and item.id:
                    left_out[(item.kind, item.id)] = item
                continue
            key = (item.kind, item.id)
            label = _KIND_LABEL[item.kind]
            if key in defined:
                other = defined[key]
                lib.problems.append(Problem(item.where.path, item.where.line,
                                            f"duplicate {label} id '{item.id}': also defined "
                                            f"at {other.where}; rename one of them"))
                continue
            defined[key] = item
            table = lib.table(item.kind)
            if item.id in table:
                previous = next(i for i in reversed(items) if (i.kind, i.id) == key)
                overrides.append((item, previous))
            table[item.id] = item.obj
            items.append(item)
    dropped = _check_refs(lib, items, left_out, {(i.kind, i.id) for i, _ in overrides})
    # Notices come once references are checked: an override that was itself left out is
    # not announced (its problems say why), and one that left others out says which.
    for item, _first in overrides:
        if id(item) in dropped:
            continue
        # The definition it overrides is the latest earlier one still loaded; an earlier
        # override that was left out is not named.
        position = next(n for n, i in enumerate(items) if i is item)
        overridden = next((i for i in reversed(items[:position])
                           if (i.kind, i.id) == (item.kind, item.id) and id(i) not in dropped),
                          None)
        if overridden is None:
            continue
        label = _KIND_LABEL[item.kind]
        casualties = [i for i, cause in dropped.values() if cause == (item.kind, item.id)]
        because = ""
        if casualties:
            because = (f"; so {_count_items(casualties)} that use what the one it overrides "
                       f"has were left out: {', '.join(_name(i) for i in casualties[:8])}"
                       f"{' ...' if len(casualties) > 8 else ''} (copy what they need into "
                       "yours, or give yours another id)")
        lib.notices.append(Problem(item.where.path, item.where.line,
                                   f"{label} '{item.id}' overrides the one at "
                                   f"{overridden.where} ({overridden.source}){because}"))
    return lib


def _name(item: _Item) -> str:
    return f"{item.source} {_KIND_LABEL[item.kind]} '{item.id}'"


def _count_items(items: Iterable[_Item]) -> str:
    """'3 plans and 1 loop', in the order of KINDS."""
    counts = {kind: 0 for kind in KINDS}
    for item in items:
        counts[item.kind] += 1
    return " and ".join(f"{n} {_KIND_LABEL[kind]}{'' if n == 1 else 's'}"
                        for kind, n in counts.items() if n)


def left_out_summary(lib: Library) -> str:
    """What was left out because its references no longer resolved ('' when nothing was),
    for the last line of `companion validate`."""
    counts = {kind: 0 for kind in KINDS}
    for problem in lib.dropped:
        kind = next((k for k in KINDS if problem.message.startswith(f"{_KIND_LABEL[k]} '")),
                    None)
        if kind is not None:
            counts[kind] += 1
    listed = [f"{n} {_KIND_LABEL[kind]}{'' if n == 1 else 's'}"
              for kind, n in counts.items() if n]
    if not listed:
        return ""
    return (f"left out because what they use is missing or overridden: {' and '.join(listed)}"
            " (see the notices and problems above)")


def _suggest(name: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(options), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def _check_refs(
    lib: Library, items: list[_Item], left_out: dict[tuple[str, str], _Item],
    overridden: set[tuple[str, str]],
) -> dict[int, tuple[_Item, tuple[str, str] | None]]:
    """Drop every item with a dangling reference, reporting all of its dangling references.
    A dropped override gives way to the definition it overrode, so a broken user file never
    takes a working built-in down. Returns what was dropped, each with the override it
    follows from (a user bank without a question a built-in plan asks for), if any."""
    reported: set[tuple[str, int, str]] = set()
    dropped: dict[int, tuple[_Item, tuple[str, str] | None]] = {}
    causes: dict[tuple[str, str], tuple[str, str] | None] = {}
    changed = True
    while changed:  # dropping one item can leave another's reference dangling
        changed = False
        criteria = {c.id for rubric in lib.rubrics.values() for c in rubric.criteria}
        for item in items:
            table = lib.table(item.kind)
            if table.get(item.id) is not item.obj:
                continue
            problems = [
                (ref, problem) for ref in item.refs
                if (problem := _ref_problem(lib, ref, criteria, left_out)) is not None
            ]
            if not problems:
                continue
            for ref, problem in problems:
                key = (ref.where.path, ref.where.line, problem)
                if key not in reported:
                    reported.add(key)
                    lib.problems.append(Problem(ref.where.path, ref.where.line, problem))
            cause = next((c for ref, _ in problems
                          if (c := _cause(_target(ref), causes, overridden)) is not None),
                         None)
            dropped[id(item)] = (item, cause)
            causes[(item.kind, item.id)] = cause
            lib.dropped.append(Problem(item.where.path, item.where.line,
                                       f"{_KIND_LABEL[item.kind]} '{item.id}' "
                                       f"({item.source}) was left out: {problems[0][1]}"))
            left_out[(item.kind, item.id)] = item
            position = next(n for n, i in enumerate(items) if i is item)
            earlier = [i for i in items[:position]
                       if (i.kind, i.id) == (item.kind, item.id) and id(i) not in dropped]
            if earlier:
                table[item.id] = earlier[-1].obj
            else:
                del table[item.id]
            changed = True
    return dropped


def _target(ref: _Ref) -> tuple[str, str] | None:
    """The item a reference points to (a criterion belongs to no one rubric)."""
    if ref.kind in ("question", "query"):
        return ("bank", ref.target.partition("/")[0])
    if ref.kind == "criterion":
        return None
    return (ref.kind, ref.target)


def _cause(
    target: tuple[str, str] | None, causes: dict[tuple[str, str], tuple[str, str] | None],
    overridden: set[tuple[str, str]],
) -> tuple[str, str] | None:
    if target is None:
        return None
    if target in causes:  # dropped itself: follow it back to its override
        return causes[target]
    return target if target in overridden else None


def _left_out(kind: str, target: str, left_out: dict[tuple[str, str], _Item]) -> str | None:
    item = left_out.get((kind, target))
    if item is None:
        return None
    return (f"{_KIND_LABEL[kind]} '{target}' was left out because of its problems "
            f"(at {item.where}); fix those first")


def _ref_problem(
    lib: Library, ref: _Ref, criteria: set[str], left_out: dict[tuple[str, str], _Item]
) -> str | None:
    if ref.kind == "question":
        bank_id, _, question_id = ref.target.partition("/")
        bank = lib.banks.get(bank_id)
        if bank is None:
            return _left_out("bank", bank_id, left_out) or (
                f"unknown bank '{bank_id}' in '{ref.target}'{_suggest(bank_id, lib.banks)}")
        if bank.question(question_id) is None:
            return (f"bank '{bank_id}' has no question '{question_id}'"
                    f"{_suggest(question_id, [q.id for q in bank.questions])}")
        return None
    if ref.kind == "query":
        bank = lib.banks.get(ref.target)
        if bank is None:
            return _left_out("bank", ref.target, left_out) or (
                f"unknown bank '{ref.target}'{_suggest(ref.target, lib.banks)}")
        matches = _matching(bank, ref.detail, role=None, level=None)
        if len(matches) < ref.detail.count:
            return (f"the query asks for {ref.detail.count} question(s) of bank '{bank.id}' "
                    f"but only {len(matches)} match kind/topics; loosen it or add questions")
        return None
    if ref.kind == "criterion":
        if ref.target not in criteria:
            return f"unknown rubric criterion '{ref.target}'{_suggest(ref.target, criteria)}"
        return None
    table = lib.table(ref.kind)
    if ref.target not in table:
        label = _KIND_LABEL[ref.kind]
        return _left_out(ref.kind, ref.target, left_out) or (
            f"unknown {label} '{ref.target}'{_suggest(ref.target, table)}")
    return None


def validate_paths(paths: Iterable[Path], base: Iterable[Source]) -> Library:
    """Check the given files (or folders) against everything else that is loaded."""
    files: list[Path] = []
    unreadable: list[Problem] = []
    for path in paths:
        if _is_folder(path):
            found, problems = walk_folder(path)
            # Files under a kits/ folder are attachments (a manifest is YAML too), not content.
            files.extend(p for p in found if "kits" not in p.relative_to(path).parts)
            unreadable.extend(problems)
        else:
            files.append(path)
    base = list(base)
    # Files already inside a loaded folder are checked in place rather than loaded twice
    # (compared resolved, so `validate banks/x.yaml` from the checkout finds the built-in).
    # realpath, not Path.resolve: it never raises on a symbolic link loop.
    loaded = {_resolved(p): p for s in base for p in files_of(s)}
    wanted: set[str] = set()
    extra: dict[Path, Path] = {}
    for path in files:
        resolved = _resolved(path)
        if resolved in loaded:
            wanted.add(str(loaded[resolved]))
        else:
            wanted.add(str(path))
            extra.setdefault(resolved, path)
    lib = load_library([*base, Source("given files", (), tuple(extra.values()))])
    lib.problems = unreadable + [p for p in lib.problems if p.path in wanted]
    # What the given files left out elsewhere (a built-in plan using a question an
    # overriding bank lacks) is not their problem, but it is part of the story.
    lib.notices = [n for n in lib.notices if n.path in wanted] + [
        d for d in lib.dropped if d.path not in wanted]
    return lib


def _is_folder(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:  # a loop, or a folder above it we may not enter: read_file says which
        return False


def _resolved(path: Path) -> Path:
    return Path(os.path.realpath(path))


# --- Resolving a plan for a session -------------------------------------------------------


def _archetype_of(q: Question) -> str | None:
    return next((t.removeprefix(ARCHETYPE_TOPIC) for t in q.topics
                 if t.startswith(ARCHETYPE_TOPIC)), None)


def _matching(bank: Bank, query: TagQuery, role: str | None, level: str | None,
              archetype: str | None = None) -> list[Question]:
    found = [
        q for q in bank.questions
        if (not query.kind or q.kind == query.kind)
        and all(t in q.topics for t in query.topics)
        and q.fits(role, level)
        # With an archetype chosen, no question written for another one.
        and (archetype is None or _archetype_of(q) in (None, archetype))
    ]
    # Questions for the chosen archetype first, then those written for the chosen role,
    # then those for every role.
    found.sort(key=lambda q: (0 if archetype and _archetype_of(q) == archetype else 1,
                              0 if role and role in q.roles else 1))
    return found


def _prompt_of(bank: Bank, q: Question) -> Prompt:
    return Prompt(
        id=f"{bank.id}/{q.id}",
        text=q.text,
        follow_ups=q.follow_ups,
        look_for=q.look_for,
        criteria=q.criteria,
        source=bank.id,
        examples=q.examples,
    )


class UnknownPlan(LookupError):
    """Raised by resolve_plan for an id that is not loaded; its message lists what is."""


def draw(
    bank: Bank,
    query: TagQuery,
    role: str | None,
    level: str | None,
    rng: random.Random | None,
    exclude: frozenset[str] = frozenset(),
    weights: dict[str, float] | None = None,
    archetype: str | None = None,
) -> list[Question]:
    """Pick `query.count` questions. Without rng: the first ones in file order (structured
    interviewing: every candidate of a plan and role gets the same). With rng: a random draw,
    avoiding `exclude` when enough others are left, weighted by the criteria a question names."""
    pool = _matching(bank, query, role, level, archetype)
    if rng is None:
        return [q for q in pool if f"{bank.id}/{q.id}" not in exclude][: query.count]
    fresh = [q for q in pool if f"{bank.id}/{q.id}" not in exclude]
    stale = [q for q in pool if f"{bank.id}/{q.id}" in exclude]
    if len(fresh) < query.count:
        # A bank smaller than the window: every unseen question, then the least bad repeats.
        rng.shuffle(fresh)
        rng.shuffle(stale)
        return (fresh + stale)[: query.count]
    picked: list[Question] = []
    while len(picked) < query.count:
        w = [1.0 + sum((weights or {}).get(c, 0.0) for c in q.criteria) for q in fresh]
        choice = rng.choices(fresh, weights=w, k=1)[0]
        picked.append(choice)
        fresh.remove(choice)
    return picked


def known_roles(lib: Library) -> frozenset[str]:
    """Every role some bank or question is tagged for: what `--role` may name."""
    return frozenset(r for b in lib.banks.values()
                     for r in (*b.roles, *(r for q in b.questions for r in q.roles)))


def _suggest_role(role: str, known: Iterable[str]) -> str:
    """A did-you-mean for a role: close spellings, or the roles that start with it."""
    close = difflib.get_close_matches(role, list(known), n=2) or sorted(
        k for k in known if k.startswith(role))
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


def resolve_plan(
    lib: Library,
    plan_id: str,
    role: str | None = None,
    level: str | None = None,
    rng: random.Random | None = None,
    exclude: frozenset[str] = frozenset(),
    weights: dict[str, float] | None = None,
    archetype: str | None = None,
) -> SessionPlan:
    """The plan with every prompt, signal set and the rubric resolved, ready to snapshot.

    Interview plans resolve deterministically; practice plans draw with `rng`. With an
    `archetype` (model.ARCHETYPES), queries pick that archetype's questions first and never
    another's."""
    if archetype is not None and archetype not in ARCHETYPES:
        raise UnknownPlan(f"no archetype '{archetype}'{_suggest(archetype, ARCHETYPES)}; "
                          f"archetypes: {', '.join(ARCHETYPES)}")
    plan = lib.plans.get(plan_id)
    if plan is None:
        hint = _suggest(plan_id, lib.plans)
        raise UnknownPlan(f"no plan '{plan_id}'{hint} (see `companion plans`)")
    if role is not None:
        known = known_roles(lib)
        if known and role not in known:
            raise UnknownPlan(f"no role '{role}'{_suggest_role(role, known)} "
                              f"(roles: {', '.join(sorted(known))})")
    randomised = rng if plan.mode == "practice" else None
    sections: list[SectionPlan] = []
    for section in plan.sections:
        prompts: list[Prompt] = []
        for index, spec in enumerate(section.prompts):
            if isinstance(spec, QuestionRef):
                bank = lib.banks[spec.bank]
                question = bank.question(spec.question)
                # Level tags hold for a fixed prompt as for a query (role tags only order).
                if question is not None and question.fits(None, level):
                    prompts.append(_prompt_of(bank, question))
            elif isinstance(spec, TagQuery):
                bank = lib.banks[spec.bank]
                taken = {p.id for s in sections for p in s.prompts} | {p.id for p in prompts}
                for q in draw(bank, spec, role, level, randomised, exclude | taken, weights,
                              archetype):
                    prompts.append(_prompt_of(bank, q))
            else:
                prompts.append(
                    Prompt(f"inline-{len(sections) + 1}-{index + 1}", spec.text,
                           spec.follow_ups, spec.look_for)
                )
        signal_set = lib.signal_sets.get(section.signals) if section.signals else None
        sections.append(
            SectionPlan(section.title, section.minutes, section.guidance, tuple(prompts),
                        signal_set)
        )
    return SessionPlan(
        id=plan.id,
        title=plan.title,
        mode=plan.mode,
        sections=tuple(sections),
        description=plan.description,
        stage=plan.stage,
        participants=plan.participants,
        rubric=lib.rubrics.get(plan.rubric) if plan.rubric else None,
        recommendation_scale=plan.recommendation_scale,
    )
