"""The interviewer's kit of a plan (`companion kit`) and the candidate's brief
(`companion show --brief`): what goes in them, as file names and bytes. Writing is the
command's job; this only reads the attachments the plan names."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from companion.export.plan import plan_markdown
from companion.model import Attachment, Plan, SessionPlan


class KitFileMissing(OSError):
    """An attachment that was there when the plan loaded and cannot be read now."""


@dataclass(frozen=True, slots=True)
class KitFile:
    name: str  # relative to the kit's folder, with '/'
    data: bytes


def _read(attachment: Attachment) -> bytes:
    from companion.content.library import MAX_KIT_FILE_BYTES
    from companion.content.safefile import read_regular, why_not

    try:
        return read_regular(attachment.path, MAX_KIT_FILE_BYTES)
    except OSError as err:  # RefusedFile too: it changed since the plan was loaded
        raise KitFileMissing(f"cannot read {attachment.path} ({attachment.title}): "
                             f"{why_not(err)}; run `companion validate`") from None


def brief_text(plan: Plan) -> str:
    """The part to send to the candidate: the brief, then the files that go with it."""
    if plan.brief is None:
        raise LookupError(plan.id)
    text = _read(plan.brief).decode("utf-8").rstrip() + "\n"
    sent = [a for a in plan.attachments if a.audience == "candidate"]
    if sent:
        text += "\n---\n\nFiles sent with this brief:\n\n"
        text += "".join(f"- {Path(a.file).name}: {a.title}\n" for a in sent)
    return text


def kit_files(written: Plan, resolved: SessionPlan, role: str | None = None,
              level: str | None = None) -> list[KitFile]:
    """plan.md (the plan as Markdown), brief.md (what `show --brief` prints), then the files
    for the candidate in candidate/ and those for the panel in interviewer/."""
    files = [KitFile("plan.md", plan_markdown(resolved, role, level, written).encode())]
    if written.brief is not None:
        files.append(KitFile("brief.md", brief_text(written).encode()))
    for attachment in written.attachments:
        files.append(KitFile(f"{attachment.audience}/{Path(attachment.file).name}",
                             _read(attachment)))
    return files
