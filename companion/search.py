"""Search over notes, score evidence, summaries and post-mortems, for the `search` command and
the home screen. No Textual here: the UI shows `Hit`s as it likes (plain text, no markup).

A hit says where it is: candidate, plan, section (number and title from the plan the session
snapshotted), session time (mm:ss) and date, what kind of text it is, and a snippet with the
matched words in [brackets]."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from companion.clock import mmss
from companion.store import Store

KIND_LABELS = {
    "note": "note",
    "evidence": "score evidence",
    "summary": "summary",
    "postmortem": "post-mortem",
}


@dataclass(frozen=True, slots=True)
class Hit:
    session_id: str
    candidate: str
    candidate_id: str
    plan_id: str
    plan_title: str
    mode: str
    section: int | None  # 1-based, as shown; None for text of the whole session
    section_title: str
    kind: str  # note, evidence, summary, postmortem
    edited: bool  # this text is an edit of an earlier note
    retracted: bool  # the note was retracted later
    edited_later: bool  # the note was edited after this text
    at: str  # ISO-8601 UTC
    session_seconds: float
    snippet: str

    @property
    def stamp(self) -> str:
        return mmss(self.session_seconds)

    @property
    def date(self) -> str:
        return self.at[:10]

    @property
    def where(self) -> str:
        if self.section is None:
            return "whole session"
        return f"section {self.section}" + (f" {self.section_title}" if self.section_title
                                            else "")

    @property
    def label(self) -> str:
        """The kind in words, with what happened to a note afterwards."""
        words = [KIND_LABELS.get(self.kind, self.kind)]
        if self.edited:
            words.append("(edit)")
        if self.retracted:
            words.append("(retracted later)")
        elif self.edited_later:
            words.append("(edited later)")
        return " ".join(words)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "stamp": self.stamp, "date": self.date, "label": self.label}


def search(store: Store, query: str, candidate: str | None = None,
           limit: int = 50) -> list[Hit]:
    """The best matches first. The query is words (all must match), never FTS syntax;
    `candidate` is a name (any case) or a stable id."""
    hits = []
    for row in store.search_places(query, candidate=candidate, limit=limit):
        section = row["section"]
        hits.append(Hit(
            session_id=row["session_id"],
            candidate=row["candidate"] or "",
            candidate_id=row["candidate_id"] or "",
            plan_id=row["plan_id"],
            plan_title=row["plan_title"] or "",
            mode=row["mode"],
            section=None if section is None else int(section) + 1,
            section_title=row["section_title"] or "",
            kind=row["kind"],
            edited=row["type"] == "note_edited",
            retracted=bool(row["retracted"]),
            edited_later=bool(row["edited_later"]),
            at=row["at"],
            session_seconds=float(row["t"]),
            snippet=row["snippet"] or "",
        ))
    return hits
