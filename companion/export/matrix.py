"""The calibration as a table for the debriefs: one row per criterion, one cell per
interviewer. Shared by the Markdown and HTML debriefs."""

from __future__ import annotations

from typing import Any


def criterion_matrix(cal: dict[str, Any]) -> list[tuple[str, list[dict[str, Any] | None]]]:
    """The calibration as a table: one row per criterion (its title), one cell per
    interviewer in `cal["interviewers"]` order (None where they never scored it)."""
    titles: dict[tuple[str, str], str] = {}
    for row in cal["interviewers"]:
        for c in row["criteria"]:
            titles.setdefault((c["rubric"] or "", c["criterion"]), c["title"])
    return [
        (title, [
            next((c for c in row["criteria"]
                  if (c["rubric"] or "", c["criterion"]) == key), None)
            for row in cal["interviewers"]
        ])
        for key, title in titles.items()
    ]
