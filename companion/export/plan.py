"""A plan as readable Markdown, for preparing before a call or printing (`companion show`)."""

from __future__ import annotations

from companion.export.markdown import escape_inline as esc
from companion.model import SessionPlan


def _minutes(value: float | None) -> str:
    if value is None:
        return "no time limit"
    return f"{value:g} min"


def plan_markdown(plan: SessionPlan, role: str | None = None, level: str | None = None) -> str:
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
    if plan.mode == "practice":
        out += ["*Practice: questions are drawn at random when the session starts; "
                "these are examples.*", ""]
    for number, section in enumerate(plan.sections, 1):
        out += [f"## {number}. {esc(section.title)} ({_minutes(section.minutes)})", ""]
        if section.guidance:
            out += [f"> {esc(section.guidance)}", ""]
        for prompt in section.prompts:
            out.append(f"- **{esc(prompt.text)}**")
            out += [f"  - Follow-up: {esc(f)}" for f in prompt.follow_ups]
            out += [f"  - Look for: {esc(item)}" for item in prompt.look_for]
        if section.prompts:
            out.append("")
        if section.signals:
            out += [f"**Signals ({esc(section.signals.title)})**", ""]
            out += [f"- [ ] good: {esc(s.text)}" for s in section.signals.good]
            out += [f"- [ ] bad: {esc(s.text)}" for s in section.signals.bad]
            out.append("")
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
