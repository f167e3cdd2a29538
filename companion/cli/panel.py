"""Panel commands: `key init|path`, `verify`, `import`, `calibration`; and the seal, the view
log and the calibration in `export` (docs/panel.md). None imports Textual.

`export` (defined in companion.cli.export) runs `export_sealed` here, so that every export
carries its session's seal, every scorecard shown is logged for the blind-first marks, and
the debrief gets each interviewer's calibration over their whole history."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from companion.cli.common import (
    common_options,
    config_of,
    hidden_now,
    one_line,
    open_store,
    resolve_session_id,
    say_matches,
    write_private,
)
from companion.errors import CompanionError
from companion.events import AMENDMENT_WORDS
from companion.store.database import Store, StoreError
from companion.textsafe import json_safe

# --- the team key -----------------------------------------------------------------------------


def load_team_key(ctx: click.Context, *, quiet: bool = False) -> bytes | None:
    from companion.panel.seal import SealError, key_warning, load_key

    config_dir = config_of(ctx).config_dir
    try:
        key = load_key(config_dir)
    except SealError as err:
        raise CompanionError(str(err)) from None
    warning = key_warning(config_dir) if key is not None and not quiet else None
    if warning:
        click.echo(f"warning: {warning}", err=True)
    return key


@click.group()
def key() -> None:
    """The team key that makes seals tamper-evident for the whole panel.

    Without a key a session's seal is a SHA-256, which only catches accidental edits. With the
    team key every seal is an HMAC-SHA256: anyone holding the key can tell an edited export.
    One person runs `companion key init` and shares the file out of band (not with the
    exports); everyone else puts it at `companion key path`."""


@key.command("init")
@click.option("--force", is_flag=True, help="Replace an existing key (old seals then show as "
                                              "made with another key).")
@common_options
@click.pass_context
def key_init(ctx: click.Context, force: bool) -> None:
    """Write a new random 32-byte team key (hex, mode 0600) to the user config dir."""
    from companion.panel.seal import SealError, init_key

    try:
        path, kid = init_key(config_of(ctx).config_dir, force=force)
    except SealError as err:
        raise CompanionError(str(err)) from None
    click.echo(f"wrote a new team key to {path} (mode 0600, key id {kid}).")
    click.echo("Share this file with your panel out of band (not by the channel the exports "
               "go through); each of them puts it at the path `companion key path` prints. "
               "Sessions are sealed with it from now on.")


@key.command("path")
@common_options
@click.pass_context
def key_path_command(ctx: click.Context) -> None:
    """Print where the team key is read from (and whether it is there)."""
    from companion.panel.seal import SealError, key_id, key_path, key_warning, load_key

    path = key_path(config_of(ctx).config_dir)
    click.echo(one_line(path))
    try:
        found = load_key(config_of(ctx).config_dir)
    except SealError as err:
        click.echo(f"warning: {err}", err=True)
        return
    warning = key_warning(config_of(ctx).config_dir)
    if warning:
        click.echo(f"warning: {warning}", err=True)
    if found is None:
        click.echo("(no key there: seals are plain SHA-256, which only catches accidental "
                   "edits; `companion key init` makes one)", err=True)
    else:
        click.echo(f"(key id {key_id(found)})", err=True)


@key.command("fingerprint")
@common_options
@click.pass_context
def key_fingerprint(ctx: click.Context) -> None:
    """Print the team key's fingerprint, for members to compare out of band (read it to each
    other on a call): the same fingerprint, the same key."""
    from companion.panel.seal import fingerprint, key_id, key_path

    found = load_team_key(ctx)
    if found is None:
        raise CompanionError(f"no team key at {key_path(config_of(ctx).config_dir)}; "
                             "`companion key init` makes one, or put the team's file there")
    click.echo(f"fingerprint {fingerprint(found)}  (key id {key_id(found)})")
    older = getattr(found, "older", {})
    if older:
        click.echo(f"older keys kept by rotations (their seals still verify): "
                   f"{', '.join(sorted(older))}")


@key.command("rotate")
@click.option("--from", "from_file", type=click.Path(dir_okay=False, path_type=Path),
              metavar="FILE", help="Install this new team key file (the one a member who "
                                   "rotated shared), instead of making a new one.")
@common_options
@click.pass_context
def key_rotate(ctx: click.Context, from_file: Path | None) -> None:
    """Replace the team key with a new one, keeping the old one so that seals made with it
    still verify. One member rotates and shares the new file out of band; the others run
    `companion key rotate --from FILE`."""
    from companion.panel.seal import SealError, fingerprint, key_path, read_key_file, rotate_key

    config_dir = config_of(ctx).config_dir
    try:
        new = read_key_file(from_file) if from_file is not None else None
        old_id, new_id = rotate_key(config_dir, new)
        current = read_key_file(key_path(config_dir))
    except SealError as err:
        raise CompanionError(str(err)) from None
    click.echo(f"the team key is now {new_id} (fingerprint {fingerprint(current)}); the old "
               f"key {old_id} is kept, so its seals still verify.")
    if from_file is None:
        click.echo(f"Share {key_path(config_dir)} with the panel out of band; each of them "
                   "runs `companion key rotate --from FILE` and compares `companion key "
                   "fingerprint` with you.")


# --- export, with seals and the view log -------------------------------------------------------


def _seen(r: dict[str, Any]) -> dict[str, Any]:
    return {"session_id": r["session_id"], "interviewer": r["interviewer"] or "",
            "candidate": r["candidate"]["name"], "candidate_id": r["candidate"]["id"] or ""}


def _replayed(store: Store, session_id: str, events: list[Any] | None = None) -> Any:
    """The session's state from its log; a log that does not replay (a row another program
    wrote without its events, a damaged event) is named, with what to do."""
    from companion.events import EventError
    from companion.session import replay
    from companion.state import SessionError

    try:
        return replay(store.events(session_id) if events is None else events)
    except (EventError, SessionError) as err:
        raise CompanionError(
            f"session {one_line(session_id)} in {store.path} does not read ({err}): its row "
            "was written without its log, or the log is damaged. Restore a backup, or "
            f"erase it with `companion purge --session {one_line(session_id)}`") from None


def _sealed_report(store: Store, session_id: str) -> dict[str, Any]:
    from companion.export.report import report

    events = store.events(session_id)
    return report(_replayed(store, session_id, events), events, seal=store.seal(session_id))


def history_cards(store: Store, interviewers: list[str] | None = None,
                  hidden: Any = frozenset()) -> list[Any]:
    """Calibration cards of the ended, non-practice scorecards in the database that
    calibrating `interviewers` needs (theirs, and the others' on their candidates; None:
    every one), from the listing's rows and digests: no replay, and only those rows read. A
    session whose digest was never worked out (its log did not replay at the upgrade) is
    replayed, so a damaged one is named as before. Those in `hidden` (the panel's scorecards
    this user may not see yet: companion.panel.reveal) are left out, as per-interviewer
    figures leave them out too."""
    from companion.panel.calibration import card_from_listing, card_from_state, person

    keys = None if interviewers is None else [person(i) for i in interviewers]
    cards = []
    for row in store.scorecard_rows(keys):
        if row["id"] in hidden:
            continue
        digest = row.get("digest")
        card = (card_from_listing(row, json.loads(digest)) if digest
                else card_from_state(_replayed(store, row["id"])))
        if card is not None:
            cards.append(card)
    return cards


def _debrief(store: Store, candidate: str, fmt: str, clock: Any,
             team_key: bytes | None, hidden: Any) -> tuple[str, str, list[dict[str, Any]]]:
    from companion.export.formats import render_debrief
    from companion.panel.calibration import person
    from companion.panel.debrief import debrief
    from companion.panel.seal import seal_pending

    rows = store.sessions(candidate=candidate)
    if not rows:
        raise CompanionError(f"no sessions for candidate '{one_line(candidate)}'; "
                             "`companion candidates` lists the people")
    matched = say_matches(store, candidate)
    seal_pending(store, clock, team_key, (candidate,))
    waiting = sum(1 for row in rows if row["id"] in hidden)
    rows = [row for row in rows if row["id"] not in hidden]
    if waiting:
        click.echo(f"note: {waiting} scorecard{'s' if waiting != 1 else ''} waiting until "
                   "yours is sealed (not in this debrief)", err=True)
    if not rows:
        raise CompanionError(f"no scorecard of '{one_line(candidate)}' to show yet: "
                             f"{waiting} wait until yours is sealed (end and seal your "
                             "interview, then `companion panel sync`)")
    reports = [_sealed_report(store, row["id"]) for row in rows]
    panel = sorted({r["interviewer"] for r in reports
                    if r["mode"] != "practice" and r["status"] == "ended" and r["interviewer"]})
    d = debrief(reports, history=history_cards(store, panel, hidden), waiting=waiting)
    if not d["sessions"] and not d["missing"]:
        raise CompanionError(
            f"'{one_line(candidate)}' has only practice sessions "
            f"({d['practice_left_out']}); a debrief covers interview sessions")
    if len(matched["ids"]) + len(matched["without_id"]) > 1:
        click.echo("warning: this debrief puts more than one person side by side; use "
                   "--candidate ID to take one person, or `companion candidates merge` to "
                   "join sessions without an id to one", err=True)
    if d["missing"]:
        click.echo(f"note: {len(d['missing'])} session(s) not ended: listed as missing "
                   "scorecards", err=True)
    for row in rows:
        if row["source"] != "local" or row["mode"] == "practice":
            continue
        if row["status"] in ("ended", "abandoned") and store.seal(row["id"]) is not None:
            continue
        me = person(row["interviewer"])
        others = sorted({r["interviewer"] or "someone" for r in d["sessions"]
                         if person(r["interviewer"]) != me})
        if others:
            whose = f"{one_line(row['interviewer'])}'s" if row["interviewer"] else "your"
            click.echo(f"warning: {whose} own scorecard "
                       f"for this candidate (session {row['id']}) is not sealed yet "
                       f"({row['status']}), and this debrief shows "
                       f"{', '.join(map(one_line, others))}'s. Seen now, it cannot count as "
                       f"scored blind: end it first (`companion resume {row['id']}`).",
                       err=True)
    what = (f"debrief of {one_line(d['candidate']['name'])} ({len(d['sessions'])} "
            f"scorecard(s))")
    return render_debrief(d, fmt), what, [_seen(r) for r in d["sessions"]]


def export_sealed(ctx: click.Context, session_id: str | None, candidate: str | None,
                  fmt: str | None, output: Path | None, force: bool) -> None:
    """`companion export`: as cli_export defines it, with the session's seal in every format
    (sealing an ended session first if it is not yet), each scorecard shown logged for the
    blind-first marks, and calibration over the whole history in the debrief."""
    from companion.clock import RealClock
    from companion.export.formats import DEBRIEF_FORMATS, FORMATS, format_for, render_session
    from companion.panel.seal import seal_pending, seal_session

    if bool(session_id) == bool(candidate):
        raise CompanionError("give either a SESSION_ID or --candidate NAME_OR_ID "
                             "(`companion sessions` lists them)")
    if fmt is None:
        fmt = format_for(output if output and str(output) != "-" else None)
    if candidate and fmt not in DEBRIEF_FORMATS:
        raise CompanionError(f"a debrief comes as {' or '.join(DEBRIEF_FORMATS)}, not {fmt}; "
                             "export single sessions for the other formats")
    team_key = load_team_key(ctx)
    clock = RealClock()
    text: str | None
    with open_store(ctx) as store:
        hidden = hidden_now(ctx, store)
        try:
            if candidate:
                text, what, seen = _debrief(store, candidate.strip(), fmt, clock, team_key,
                                            hidden)
            else:
                sid = resolve_session_id(store, session_id)
                if sid in hidden:
                    raise CompanionError(
                        f"session {sid} is another interviewer's scorecard, waiting until "
                        "yours of the same candidate is sealed: end and seal your interview "
                        "first (nothing was shown)")
                row = store.session(sid) or {}
                seal_pending(store, clock, team_key,
                             tuple(c for c in (row.get("candidate"), row.get("candidate_id"))
                                   if c))
                seal_session(store, sid, clock, team_key)
                r = _sealed_report(store, sid)
                what = f"session {sid} ({one_line(r['candidate']['name'])})"
                if FORMATS[fmt].ats:  # files of their own (companion.cli.ats_export)
                    from companion.cli.ats_export import write_ats

                    text = write_ats(ctx, r, fmt, output, force, what)
                else:
                    text = render_session(r, fmt)
                seen = [] if r["mode"] == "practice" else [_seen(r)]
        except StoreError as err:
            raise CompanionError(str(err)) from None
        except ValueError as err:  # json's allow_nan=False: never write NaN or Infinity
            if "JSON compliant" not in str(err):
                raise
            raise CompanionError(
                f"{session_id or candidate}: a session holds a number that is not finite (NaN "
                "or infinity, from a plan's minutes before companion checked them), so it "
                "cannot be sealed or exported; nothing was written") from None
        if text is None:
            pass  # written already
        elif output is None or str(output) == "-":
            click.echo(text, nl=False)
        else:
            write_private(output, text, force)
            click.echo(f"wrote {what} as {fmt} to {one_line(output)}", err=True)
        try:
            if seen:
                store.record_views("debrief" if candidate else "export", clock.wall(), seen)
        except StoreError as err:
            click.echo(f"warning: could not log this view for the blind-first marks: {err}",
                       err=True)


# --- verify ----------------------------------------------------------------------------------

_NAMES = {"hmac-sha256": "HMAC-SHA256", "sha256": "SHA-256"}


def _looks_like_file(target: str, db: Path | None = None) -> bool:
    """A file when there is one by that name; else a session id when the database holds
    one exactly so (an imported id may end in .json or hold a /); else by its shape."""
    if Path(target).is_file():
        return True
    if db is not None and db.is_file():
        try:
            with Store(db) as store:
                if store.session(target) is not None:
                    return False
        except StoreError:
            pass
    return target.lower().endswith(".json") or os.sep in target or "/" in target


def _verdict_lines(verdict: Any, label: str, start: dict[str, Any],
                   team_key: bytes | None, blind: bool | None) -> list[str]:
    from companion.clock import iso
    from companion.export.markdown import blind_words

    who = one_line(start.get("candidate")) or "unnamed candidate"
    if start.get("interviewer"):
        who += f" · interviewer {one_line(start['interviewer'])}"
    lines = [f"{verdict.status}: {label} · {who}", f"  {verdict.reason}"]
    seal = verdict.seal
    if seal and seal.get("algorithm") in _NAMES:
        name = _NAMES[seal["algorithm"]]
        key_text = f"team key {seal.get('key_id')}" if seal.get("key_id") else "no team key"
        lines.append(f"  sealed {one_line(seal.get('sealed_at'))} with {name} ({key_text}), "
                     f"covering events 1-{seal.get('covers')}")
    for e in verdict.amendments:
        lines.append(f"  amended after sealing: {AMENDMENT_WORDS.get(e.type, e.type)} at "
                     f"{iso(e.at)} "
                     f"(event {e.seq}), not covered by the seal")
    if seal and verdict.ok and start.get("mode", "interview") != "practice":
        lines.append("  scored blind: " + blind_words(blind, seal.get("seen_others"),
                                                      seal.get("seen_others_at")))
    if seal and seal.get("algorithm") == "sha256" and verdict.status != "unkeyed":
        if team_key is None:
            lines.append("note: no team key: this SHA-256 seal only detects accidental edits; "
                         "anyone who edits the record can compute a new one. A team key "
                         "(`companion key init`, shared out of band) makes seals HMAC-SHA256.")
        else:
            lines.append("note: this seal was made without the team key (plain SHA-256): it "
                         "only detects accidental edits.")
    return lines


@click.command()
@click.argument("target", metavar="SESSION_ID|FILE.json")
@common_options
@click.pass_context
def verify(ctx: click.Context, target: str) -> None:
    """Check a seal: a session in this database (id or unique prefix) or an exported JSON file.

    Prints intact, amended (sealed part intact, a summary or post-mortem changed after), or
    broken. Exit 0 intact or amended; 1 broken, not sealed, or sealed with a key that is not
    here; 2 when TARGET cannot be read at all."""
    from companion.clock import RealClock
    from companion.export.sealview import blind
    from companion.panel.seal import (
        BROKEN,
        Refused,
        Verdict,
        check,
        read_export,
        seal_session,
        verify_export,
    )

    team_key = load_team_key(ctx)
    if _looks_like_file(target, config_of(ctx).db_path):
        path = Path(target)
        try:
            doc, events = read_export(path)
        except Refused as refused:
            if not refused.malformed:
                raise CompanionError(one_line(f"{target}: {refused}")) from None
            click.echo(one_line(f"{BROKEN}: {target}"))
            click.echo(one_line(f"  {refused.what}"))
            ctx.exit(1)
            return
        verdict = verify_export(doc, events, team_key)
        start = {**events[0].data, "mode": doc.get("mode")}
        label = f"{path.name} (session {one_line(start.get('session_id'))})"
        started = doc.get("started_at") or ""
    else:
        sealed_now = False
        with open_store(ctx) as store:
            try:
                sid = resolve_session_id(store, target)
                before = store.seal(sid)
                after = seal_session(store, sid, RealClock(), team_key)
                sealed_now = before is None and after is not None
                events = store.events(sid)
                verdict = check(events, store.seal(sid), team_key) if events else Verdict(
                    BROKEN, "it has no events")
                row = store.session(sid) or {}
            except StoreError as err:
                raise CompanionError(str(err)) from None
        start = {**(events[0].data if events else {}), "mode": row.get("mode")}
        label = f"session {sid}" + (" (sealed just now: it had ended unsealed)"
                                    if sealed_now else "")
        if row.get("source", "local") != "local":
            label += f", {one_line(row['source'])}"
        started = row.get("started_at") or ""
    is_blind = blind(verdict.seal, started) if verdict.seal and started else None
    for line in _verdict_lines(verdict, label, start, team_key, is_blind):
        click.echo(one_line(line))  # a file's text never reaches the terminal raw
    ctx.exit(0 if verdict.ok else 1)


# --- import ----------------------------------------------------------------------------------


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path),
                metavar="FILE.json...")
@click.option("--allow-unkeyed", is_flag=True,
              help="With a team key configured, still accept exports sealed without it "
                   "(plain SHA-256).")
@common_options
@click.pass_context
def import_command(ctx: click.Context, files: tuple[Path, ...], allow_unkeyed: bool) -> None:
    """Take other interviewers' JSON exports into this database, for the debrief.

    Each seal is checked (with the team key when there is one); a broken, unsealed, duplicate
    or malformed file is refused with the reason, and nothing of it is written. Local sessions
    are never merged into or changed. Exit 0 when every file was imported, 1 when any was
    refused."""
    from companion.clock import RealClock
    from companion.panel.seal import Refused, check_file, import_file

    team_key = load_team_key(ctx)
    clock = RealClock()
    imported = refused = 0
    store: Store | None = None
    try:
        for path in files:
            try:
                # Checked before the database is even opened: a refused file (or a run
                # where every file is refused) leaves it as it was, or not created at all.
                check_file(path, team_key, allow_unkeyed=allow_unkeyed)
                if store is None:
                    store = open_store(ctx)
                info = import_file(store, path, clock, team_key, allow_unkeyed=allow_unkeyed)
            except Refused as err:
                refused += 1
                click.echo(one_line(f"{path}: refused: {err}"), err=True)
                continue
            except StoreError as err:
                raise CompanionError(str(err)) from None
            imported += 1
            verdict = info["verdict"]
            seal = verdict.seal or {}
            who = one_line(info["candidate"]) + (f" ({one_line(info['candidate_id'])})"
                                                  if info["candidate_id"] else "")
            click.echo(f"imported {info['session_id']} from {one_line(path)}: {who}, interviewer "
                       f"{one_line(info['interviewer']) or '-'}, {info['status']}; seal "
                       f"{verdict.status} ({_NAMES.get(str(seal.get('algorithm')), '?')})")
            for e in verdict.amendments:
                click.echo(f"  amended after sealing: {e.type} (event {e.seq})")
    finally:
        if store is not None:
            store.close()
    if len(files) > 1:
        click.echo(f"{imported} imported, {refused} refused", err=True)
    if refused:
        ctx.exit(1)


# --- calibration -----------------------------------------------------------------------------


def _timeliness_words(t: dict[str, Any]) -> str:
    from companion.panel.scorecards import duration

    if not t["scorecards"]:
        return "time to complete: no ended scorecards"
    if not t["complete"]:
        return f"time to complete: none of {t['scorecards']} complete yet"
    return (f"time to complete: median {duration(t['median_seconds'])}; "
            f"{t['within_1h']:.0%} within 1 h, {t['within_24h']:.0%} within 24 h "
            f"(of {t['scorecards']}" + (f", {t['pending']} still pending" if t["pending"]
                                        else "") + ")")


def calibration_text(result: dict[str, Any]) -> str:
    from companion.panel.calibration import TOO_FEW

    if not result["interviewers"]:
        return ("No ended interview scorecards with a named interviewer yet. Calibration "
                "compares interviewers who scored the same candidates; `companion import` "
                "brings in the others' scorecards.")

    def num(value: float | None, signed: bool = False) -> str:
        return "-" if value is None else (f"{value:+.2f}" if signed else f"{value:.2f}")

    lines = [f"Calibration over {result['scorecards']} scorecard(s) of "
             f"{result['candidates']} candidate(s): each interviewer against the others on "
             f"the same candidates (a lean is {result['lean_threshold']:g} point or more)."]
    for p in result["interviewers"]:
        lines.append("")
        lines.append(f"{one_line(p['interviewer'])}: {p['scorecards']} scorecard(s), "
                     f"{p['candidates']} candidate(s)")
        if p["compared_scores"]:
            lean = p["lean"]
            if lean == TOO_FEW:
                lean = f"{TOO_FEW} ({result['min_shared']} shared scores needed)"
            lines.append(f"  scores vs panel: {num(p['difference'], True)} on average over "
                         f"{p['compared_scores']} shared score(s): {lean}")
        else:
            lines.append("  scores vs panel: nobody else scored the same criteria of the same "
                         "candidates yet")
        lines.append("  " + _timeliness_words(p["timeliness"]))
        rec = p["recommendations"]
        if rec["compared"]:
            lines.append(f"  recommendation matched the panel {rec['matched']} of "
                         f"{rec['compared']} time(s) ({rec['rate']:.0%}), "
                         f"{num(rec['offset'], True)} step(s) from it on average"
                         + (f"; {rec['split']} split panel(s) not counted" if rec["split"]
                            else ""))
        else:
            lines.append("  recommendation: no panel to compare with yet"
                         + (f" ({rec['split']} split)" if rec["split"] else ""))
        if p["criteria"]:
            width = max(len(one_line(c["title"])) for c in p["criteria"])
            width = max(width, 9)
            lines.append(f"  {'criterion':<{width}}  own (n)     panel (n)   difference")
            for c in p["criteria"]:
                own = f"{num(c['average'])} ({c['scores']})"
                panel = (f"{num(c['panel_average'])} ({c['shared']})" if c["shared"]
                         else "-")
                diff = (f"{num(c['difference'], True)} {c['lean']}" if c["shared"] else "")
                lines.append(f"  {one_line(c['title']):<{width}}  {own:<10}  {panel:<10}  "
                             f"{diff}".rstrip())
    return "\n".join(lines)


@click.command()
@click.option("--interviewer", metavar="NAME", help="Only this interviewer (any case).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (docs/panel.md).")
@common_options
@click.pass_context
def calibration(ctx: click.Context, interviewer: str | None, as_json: bool) -> None:
    """Strict or lenient? Each interviewer's average per criterion beside the panel's, and how
    often their recommendation matched the panel's, over every ended interview scorecard in
    this database (yours and imported ones)."""
    from companion.panel.calibration import calibrate, person

    with open_store(ctx) as store:
        try:
            hidden = hidden_now(ctx, store)
            cards = history_cards(store, hidden=hidden)
        except StoreError as err:
            raise CompanionError(str(err)) from None
    result = calibrate(cards, interviewer)
    if hidden and not as_json:
        click.echo(f"note: {hidden.words()}: left out of these figures", err=True)
    if interviewer and not result["interviewers"]:
        known = sorted({c.interviewer for c in cards}, key=person)
        raise CompanionError(
            f"no ended interview scorecards by '{one_line(interviewer)}'"
            + (f"; interviewers: {', '.join(map(one_line, known))}" if known else
               "; there are none yet"))
    if as_json:
        click.echo(json_safe(json.dumps(result, indent=2, ensure_ascii=False, allow_nan=False)))
        return
    click.echo(calibration_text(result))
