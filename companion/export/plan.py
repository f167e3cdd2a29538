"""A plan as readable Markdown, for preparing before a call or printing (`companion show`)."""

from __future__ import annotations

from companion.export.markdown import escape_inline as esc
from companion.model import Plan, SessionPlan


def _minutes(value: float | None) -> str:
    if value is None:
        return "no time limit"
    return f"{value:g} min"


def plan_markdown(plan: SessionPlan, role: str | None = None, level: str | None = None,
                  written: Plan | None = None) -> str:
    """`written`: the plan as written, for its scripts, agenda and kit (not snapshotted)."""
    out: list[str] = [f"# {esc(plan.title)}", ""]
    facts = [f"`{plan.id}`", plan.mode]
    if plan.minutes:
        facts.append(_minutes(plan.minutes))
    if role:
        facts.append(f"role: {esc(role)}")
    if level:
        facts.append(f"level: {esc(level)}")
    out += [" · ".join(facts), ""]
    if plan.description:
        out += [esc(plan.description), ""]
    if plan.participants:
        out += [f"**Who takes part:** {esc(', '.join(plan.participants))}", ""]
    if written is not None and written.kit:
        out += ["**Kit** (`companion kit " + written.id + " -o DIR` writes it):", ""]
        out += [f"- {esc(a.title)} (`{esc(a.file)}`, for the {a.audience})"
                for a in written.kit]
        out.append("")
    if written is not None and written.agenda:
        out += ["## Agenda", ""]
        out += [f"{n}. {esc(item)}" for n, item in enumerate(written.agenda, 1)]
        out.append("")
    if written is not None and written.opening:
        out += ["## Opening script", "", *_quoted(written.opening), ""]
    if plan.mode == "practice":
        out += ["*Practice: questions are drawn at random when the session starts; "
                "these are examples.*", ""]
    for number, section in enumerate(plan.sections, 1):
        guard = ", protected: the earlier sections may not take its time" if (
            section.protected) else ""
        out += [f"## {number}. {esc(section.title)} ({_minutes(section.minutes)}{guard})", ""]
        if section.guidance:
            out += [f"> {esc(section.guidance)}", ""]
        for prompt in section.prompts:
            budget = f" ({prompt.minutes} min)" if prompt.minutes else ""
            out.append(f"- **{esc(prompt.text)}**{budget}")
            out += [f"  - Follow-up: {esc(f)}" for f in prompt.follow_ups]
            out += [f"  - Look for: {esc(item)}" for item in prompt.look_for]
            out += [f"  - Example of a {score}: {esc(text)}"
                    for score, text in enumerate(prompt.examples)]
        if section.prompts:
            out.append("")
        if section.signals:
            out += [f"**Signals ({esc(section.signals.title)})**", ""]
            out += [f"- [ ] good: {esc(s.text)}" for s in section.signals.good]
            out += [f"- [ ] bad: {esc(s.text)}" for s in section.signals.bad]
            out.append("")
    if written is not None and written.closing:
        out += ["## Closing script", "", *_quoted(written.closing), ""]
    if plan.rubric:
        rubric = plan.rubric
        out += [f"## Rubric: {esc(rubric.title)}", "",
                "| Criterion | 0 | 1 | 2 |", "| --- | --- | --- | --- |"]
        out += [
            f"| {esc(c.title)} | {esc(c.anchors[0])} | {esc(c.anchors[1])} | "
            f"{esc(c.anchors[2])} |"
            for c in rubric.criteria
        ]
        out += ["", f"Pass mark: {rubric.threshold}/{rubric.max_score}."]
        if rubric.advice:
            out.append(f"Below it: {esc(rubric.advice)}")
        out.append("")
    if plan.mode == "interview" and plan.recommendation_scale:
        out += [f"**Recommendation:** {esc(' / '.join(plan.recommendation_scale))}", ""]
    return "\n".join(out).rstrip() + "\n"


def _quoted(script: str) -> list[str]:
    """A script as a block quote, one paragraph per line of the text (a folded YAML block
    keeps a blank line between paragraphs as one line break)."""
    lines: list[str] = []
    for paragraph in (p for p in script.splitlines() if p.strip()):
        if lines:
            lines.append(">")
        lines.append("> " + esc(paragraph))
    return lines
