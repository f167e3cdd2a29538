"""The published keymap (docs/keys.md) against the code, screen by screen and mode by mode:
the same keys on both sides, no key bound twice in one mode, and every binding shown in the
footer or the help, and in the command palette. A binding added without its line in
docs/keys.md fails here (issue 22)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from keymap_walk import Mode, keys_of, walk

DOC = Path(__file__).resolve().parent.parent / "docs" / "keys.md"
PRACTICE_ONLY = {"ctrl+o", "f2"}


@pytest.fixture(scope="module")
def modes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Mode]:
    return asyncio.run(walk(tmp_path_factory.mktemp("keys")))


@pytest.fixture(scope="module")
def documented() -> dict[str, set[str]]:
    return keys_of(DOC.read_text(encoding="utf-8"))


def test_every_screen_and_mode_has_its_section(modes: dict[str, Mode],
                                               documented: dict[str, set[str]]) -> None:
    assert set(documented) == {"Everywhere", *modes}, (
        "docs/keys.md has a `## heading` per screen and mode of tests/keymap_walk.py")


def test_the_keys_documented_are_the_keys_bound(modes: dict[str, Mode],
                                                documented: dict[str, set[str]]) -> None:
    problems = []
    for name, mode in modes.items():
        bound, written = set(mode.effective), documented[name]
        if bound - written:
            problems.append(f"{name}: bound but not in docs/keys.md: {sorted(bound - written)}")
        if written - bound:
            problems.append(f"{name}: in docs/keys.md but not bound: {sorted(written - bound)}")
    assert not problems, "\n".join(problems)


def test_the_keys_everywhere_are_the_apps(modes: dict[str, Mode],
                                          documented: dict[str, set[str]]) -> None:
    home = {b.key for b in modes["Home"].chains[0]}
    assert documented["Everywhere"] <= home


def test_no_key_is_bound_twice_in_one_mode(modes: dict[str, Mode]) -> None:
    """Two of our bindings for one key with different actions, or one of ours that a
    widget's own key hides (outside a text field or list, whose keys a user expects)."""
    problems = [f"{name}: {a.key} is {a.action} ({a.node}) and {b.action} ({b.node})"
                for name, mode in modes.items() for a, b in mode.doubled]
    problems += [f"{name}: {ours.key} ({ours.action}) is taken by {theirs.action}"
                 for name, mode in modes.items() for theirs, ours in mode.shadowed]
    assert not problems, "\n".join(problems)


def test_every_binding_is_in_the_footer_or_the_help(modes: dict[str, Mode]) -> None:
    missing = []
    for name, mode in modes.items():
        for key, bound in mode.effective.items():
            listed = any(line.lstrip().startswith(mode.display[key]) or
                         f", {mode.display[key]} " in line or f", {mode.display[key]}," in line
                         for line in mode.help_text.splitlines())
            ticks = bound.binding.action.startswith("tick(") and "1 … 9, 0" in mode.help_text
            if key not in mode.footer and not listed and not ticks:
                said = bound.binding.tooltip or bound.binding.description
                missing.append(f"{name}: {key} ({said})")
    assert not missing, "\n".join(missing)


def test_every_binding_is_in_the_command_palette(modes: dict[str, Mode]) -> None:
    missing = [f"{name}: {key} ({bound.binding.description})"
               for name, mode in modes.items() for key, bound in mode.effective.items()
               if mode.display[key] not in mode.palette_keys()]
    assert not missing, "\n".join(missing)


def test_practice_only_actions_are_hidden_in_interviews(modes: dict[str, Mode]) -> None:
    for name in ("Live: typing mode", "Live: command mode"):
        mode = modes[name]
        assert not PRACTICE_ONLY & set(mode.effective)
        assert not PRACTICE_ONLY & mode.footer
        assert "Redraw" not in mode.help_text and "follow-up" not in mode.help_text
        assert not any(t.startswith(("Redraw", "Follow-up")) for t in mode.palette)
    for name in ("Practice: typing mode", "Practice: command mode"):
        assert set(modes[name].effective) >= PRACTICE_ONLY
        assert any(t.startswith("Redraw") for t in modes[name].palette)


def test_the_help_links_the_keymap(modes: dict[str, Mode]) -> None:
    assert all("docs/keys.md" in mode.help_text for mode in modes.values())
    readme = (DOC.parent.parent / "README.md").read_text(encoding="utf-8")
    assert "[docs/keys.md](docs/keys.md)" in readme
