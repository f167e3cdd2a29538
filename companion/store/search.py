"""Search over notes, score evidence, summaries and post-mortems, for the `search` command and
the home screen. No Textual here: the UI shows `Hit`s as it likes (plain text, no markup).

A hit says where it is: candidate, plan, section (number and title from the plan the session
snapshotted), session time (mm:ss) and date, what kind of text it is, and a snippet with the
matched words in [brackets].

Only the latest `latest` matches (default 2,000, the most recently saved) are ranked: every
match of a rare or ordinary word, but for a word in a large share of many notes the best of
its latest mentions, so that any search stays fast on a big database (ranking all 150,000
matches of a common word among 1,000,000 notes takes ~150 ms). `Results.capped` says when
older matches were left out; more words, or a candidate, narrow the search."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from companion.clock import mmss
from companion.store.database import SEARCH_LATEST, Store

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


@dataclass(frozen=True, slots=True)
class Results:
    """What a search found, and whether older matches were left unranked."""

    hits: list[Hit]  # the best first; ties, the newest first
    ranked: int  # how many matches were ranked: all of them, or the latest `latest`
    capped: bool  # there were older matches than those, left unranked

    def note(self) -> str:
        """A sentence saying the hits are the best of the latest matches only ('' when they
        are the best of all the matches)."""
        if not self.capped:
            return ""
        return (f"The best of the latest {self.ranked:,} matches; older ones were not ranked. "
                "Add words to narrow the search.")


def search_results(store: Store, query: str, candidate: str | None = None, limit: int = 50,
                   latest: int = SEARCH_LATEST,
                   exclude: frozenset[str] = frozenset()) -> Results:
    """The best matches first, among the `latest` newest (at least `limit`). The query is
    words (all must match), never FTS syntax; `candidate` is a name (any case) or a stable
    id, and narrows before the cap (that candidate's latest matches). `exclude`: sessions
    whose text is not shown (the panel's hidden scorecards, companion.panel.reveal)."""
    found = store.search_places(query, candidate=candidate, limit=limit, latest=latest)
    hits = []
    for row in found.rows:
        if row["session_id"] in exclude:
            continue
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
    return Results(hits, found.ranked, found.capped)


def search(store: Store, query: str, candidate: str | None = None,
           limit: int = 50, latest: int = SEARCH_LATEST) -> list[Hit]:
    """The hits of `search_results`, best first."""
    return search_results(store, query, candidate, limit, latest).hits
