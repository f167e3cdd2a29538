"""Commands about content: plans, banks, show, validate, paths. None imports Textual."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from companion.cli.common import common_options, config_of, load_content, print_problems
from companion.errors import EXIT_BAD_INPUT, CompanionError
from companion.textsafe import printable, visible

if TYPE_CHECKING:
    from companion.content.library import Library
    from companion.export.kit import KitFile
    from companion.model import SessionPlan


def _plan_json(lib: Library, plan_id: str) -> dict[str, Any]:
    plan = lib.plans[plan_id]
    return {
        "id": plan.id,
        "title": plan.title,
        "mode": plan.mode,
        "minutes": plan.minutes,
        "stage": plan.stage,
        "family": plan.family,
        "description": plan.description,
        "participants": list(plan.participants),
        "sections": [{"title": s.title, "minutes": s.minutes} for s in plan.sections],
        "rubric": plan.rubric,
        "loops": [loop.id for loop in lib.loops_of(plan.id)],
        "path": plan.where.path if plan.where else None,
    }


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@click.option("--stage", help="Only plans of this stage.")
@click.option("--mode", type=click.Choice(["interview", "practice", "checklist"]),
              help="Only plans of this mode.")
@common_options
@click.pass_context
def plans(ctx: click.Context, as_json: bool, stage: str | None, mode: str | None) -> None:
    """List the session plans, grouped by family and stage."""
    lib = load_content(ctx)
    chosen = [
        p for p in lib.plans.values()
        if (stage is None or p.stage == stage) and (mode is None or p.mode == mode)
    ]
    if stage is not None and not chosen and not as_json:
        stages = sorted({p.stage for p in lib.plans.values() if p.stage})
        raise CompanionError(f"no plans of stage '{stage}'; stages: {', '.join(stages)}")
    chosen.sort(key=lib.listing_order)
    if as_json:
        click.echo(json.dumps([_plan_json(lib, p.id) for p in chosen], indent=2, allow_nan=False))
        return
    width = max((len(p.id) for p in chosen), default=10)
    family = None
    for plan in chosen:
        if plan.family != family:
            family = plan.family
            click.echo(f"\n{visible(family or 'other')}")
        minutes = f"{plan.minutes:g} min" if plan.minutes else "untimed"
        click.echo(f"  {plan.id:<{width}}  {plan.mode:<9}  {minutes:>7}  "
                   f"{visible(plan.stage):<20}  {visible(plan.title)}")
    for loop in sorted(lib.loops.values(), key=lambda lp: lp.id):
        if stage is None and mode is None:
            click.echo(f"\nloop {loop.id}: {visible(loop.title)}")
            click.echo("  " + " → ".join(loop.plans))
    click.echo(f"\n{len(chosen)} plan(s). `companion show PLAN` prints one; "
               "`companion run PLAN --candidate NAME` runs it.")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON (documented in the README).")
@common_options
@click.pass_context
def banks(ctx: click.Context, as_json: bool) -> None:
    """List the question banks, signal sets and rubrics."""
    lib = load_content(ctx)
    rows = [
        {
            "id": b.id,
            "title": b.title,
            "stage": b.stage,
            "roles": list(b.roles),
            "questions": len(b.questions),
            "with_follow_ups": sum(1 for q in b.questions if q.follow_ups),
            "with_look_for": sum(1 for q in b.questions if q.look_for),
            "with_examples": sum(1 for q in b.questions if q.examples),
            "path": b.where.path if b.where else None,
        }
        for b in sorted(lib.banks.values(), key=lambda b: b.id)
    ]
    if as_json:
        click.echo(json.dumps(rows, indent=2, allow_nan=False))
        return
    width = max((len(b.id) for b in lib.banks.values()), default=10)
    click.echo("banks")
    for row in rows:
        click.echo(f"  {row['id']:<{width}}  {row['questions']:>3} questions  "
                   f"{visible(str(row['title']))}")
    click.echo("signal sets")
    for s in sorted(lib.signal_sets.values(), key=lambda s: s.id):
        click.echo(f"  {s.id:<{width}}  {len(s.good):>2} good {len(s.bad):>2} bad  "
                   f"{visible(s.title)}")
    click.echo("rubrics")
    for r in sorted(lib.rubrics.values(), key=lambda r: r.id):
        click.echo(f"  {r.id:<{width}}  {len(r.criteria)} criteria, pass "
                   f"{r.threshold}/{r.max_score}  {visible(r.title)}")


def _resolved(lib: Library, plan_id: str, role: str | None, level: str | None) -> SessionPlan:
    from companion.content.library import UnknownPlan, resolve_plan

    try:
        return resolve_plan(lib, plan_id, role, level)
    except UnknownPlan as err:
        raise CompanionError(str(err)) from None


def _no_brief(lib: Library, plan_id: str) -> CompanionError:
    with_brief = sorted(p.id for p in lib.plans.values() if p.brief is not None)
    return CompanionError(f"plan '{plan_id}' has no brief for the candidate; plans with one: "
                          f"{', '.join(with_brief) or 'none'}")


@click.command()
@click.argument("plan_id")
@click.option("--role", help="Resolve role-tagged questions for this role.")
@click.option("--level", help="Resolve level-tagged questions for this level.")
@click.option("--brief", is_flag=True, help="Print only the part to send to the candidate.")
@common_options
@click.pass_context
def show(ctx: click.Context, plan_id: str, role: str | None, level: str | None,
         brief: bool) -> None:
    """Print a plan as Markdown: scripts, sections, questions with worked examples, signals,
    rubric. With --brief: the candidate's brief and the files that go with it."""
    from companion.export.kit import KitFileMissing, brief_text
    from companion.export.plan import plan_markdown

    lib = load_content(ctx)
    session_plan = _resolved(lib, plan_id, role, level)
    written = lib.plans[plan_id]
    if brief:
        if written.brief is None:
            raise _no_brief(lib, plan_id)
        try:
            click.echo(printable(brief_text(written)), nl=False)
        except KitFileMissing as err:
            raise CompanionError(str(err)) from None
        return
    click.echo(plan_markdown(session_plan, role, level, written), nl=False)


@click.command()
@click.argument("plan_id")
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True,
              help="The folder to write the kit into (made 0700).")
@click.option("--role", help="Resolve role-tagged questions for this role.")
@click.option("--level", help="Resolve level-tagged questions for this level.")
@click.option("--force", is_flag=True, help="Write into a folder that already has files "
              "(files of the same name are replaced).")
@common_options
@click.pass_context
def kit(ctx: click.Context, plan_id: str, output: Path, role: str | None, level: str | None,
        force: bool) -> None:
    """Write the interviewer's kit of a plan into a folder: plan.md, brief.md and the files
    (candidate/ to send, interviewer/ to keep), each 0600 in 0700 folders."""
    from companion.export.kit import KitFileMissing, kit_files

    lib = load_content(ctx)
    session_plan = _resolved(lib, plan_id, role, level)
    try:
        files = kit_files(lib.plans[plan_id], session_plan, role, level)
    except KitFileMissing as err:
        raise CompanionError(str(err)) from None
    write_kit(output, files, force)
    for f in files:
        click.echo(visible(str(output / f.name)))
    sent = [f.name for f in files if f.name == "brief.md" or f.name.startswith("candidate/")]
    advice = (f"send the candidate {', '.join(sent)}" if sent
              else "this plan sends the candidate nothing")
    click.echo(f"kit of '{plan_id}': {len(files)} file(s) in {visible(str(output))}; {advice}")


def write_kit(folder: Path, files: list[KitFile], force: bool) -> None:
    """Every file 0600, every folder 0700, each file whole or not at all; a folder that
    already holds files only with `force`."""
    from companion.cli.common import write_private
    from companion.paths import private_dir

    try:
        if folder.exists() and not folder.is_dir():
            raise CompanionError(f"{folder} is a file; give a folder for the kit with -o")
        if folder.is_dir() and any(folder.iterdir()) and not force:
            raise CompanionError(f"{folder} already has files; add --force to write the kit "
                                 "into it (files of the same name are replaced)")
        private_dir(folder)
        os.chmod(folder, 0o700)
        for sub in sorted({f.name.rpartition("/")[0] for f in files} - {""}):
            private_dir(folder / sub)
            os.chmod(folder / sub, 0o700)
    except OSError as err:
        raise CompanionError(f"cannot make the kit folder {folder}: {err.strerror or err}; "
                             "nothing was written") from None
    for f in files:
        write_private(folder / f.name, f.data.decode("utf-8"), force)


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--strict", is_flag=True, help="Warnings fail too (exit 2).")
@common_options
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], strict: bool) -> None:
    """Check content files (all loaded content when no PATH). Exit 0 clean, 2 with problems
    (and with warnings, given --strict)."""
    config = config_of(ctx)
    missing = [p for p in paths if not _there(p)]
    if missing:
        raise CompanionError(f"no such file or folder: {missing[0]}")
    from companion.content.library import left_out_summary, validate_paths

    lib = validate_paths(paths, config.sources()) if paths else config.library()
    for notice in lib.notices:
        click.echo(visible(f"{notice.path}:{notice.line}: notice: {notice.message}"), err=True)
    checked = len(lib.files) if not paths else len(
        {str(f) for f in lib.files if any(_inside(f, p) for p in paths)}
    )
    from companion.content.rules import content_warnings

    shown = {str(f) for f in lib.files if any(_inside(f, p) for p in paths)}
    warnings = [w for w in content_warnings(lib) if not paths or w.path in shown]
    for warning in warnings:
        click.echo(visible(f"{warning.path}:{warning.line}: warning: {warning.message}"),
                   err=True)
    left_out = left_out_summary(lib)
    if lib.problems:
        print_problems(lib.problems)
        files = len({p.path for p in lib.problems})
        click.echo(f"{len(lib.problems)} problem(s) in {files} file(s) "
                   f"({checked} checked)" + (f"; {left_out}" if left_out else ""), err=True)
        sys.exit(EXIT_BAD_INPUT)
    if warnings and strict:
        click.echo(f"{len(warnings)} warning(s) in {len({w.path for w in warnings})} file(s) "
                   f"({checked} checked); --strict makes them fail", err=True)
        sys.exit(EXIT_BAD_INPUT)
    noted = f", {len(warnings)} warning(s)" if warnings else ""
    click.echo(f"ok: {checked} file(s), {len(lib.plans)} plans, {len(lib.banks)} banks, "
               f"{len(lib.signal_sets)} signal sets, {len(lib.rubrics)} rubrics, "
               f"{len(lib.loops)} loops{noted}" + (f"; {left_out}" if left_out else ""))


def _there(path: Path) -> bool:
    """Whether anything is at `path`: a loop or an unreadable file is there, and is
    reported by name when read, rather than called missing."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError:
        return True
    return True


def _inside(path: Path, given: Path) -> bool:
    if path == given or given in path.parents:
        return True
    # realpath, not Path.resolve: it never raises on a symbolic link loop.
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(given))
    return real == top or top in real.parents


@click.command()
@common_options
@click.pass_context
def paths(ctx: click.Context) -> None:
    """Print where content and the database are looked for."""
    config = config_of(ctx)
    click.echo(visible(f"database: {config.db_path}"))
    for source in config.sources():
        for directory in source.dirs:
            state = "" if directory.is_dir() else "  (not there)"
            click.echo(visible(f"{source.label}: {directory}{state}"))
        if len(source.dirs) == 2:  # banks/ and sessions/ side by side: kits/ beside them
            kits = source.dirs[1].parent / "kits"
            state = "" if kits.is_dir() else "  (not there)"
            click.echo(visible(f"{source.label} kits: {kits}{state}"))
