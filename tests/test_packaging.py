"""The wheel ships the content and the command; the content layer runs without Textual."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Iterator[zipfile.ZipFile]:
    """Built once for this module: no network, no build isolation, just hatchling."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "-w", str(out), str(REPO)],
        check=True, capture_output=True, text=True, timeout=300,
    )
    wheels = sorted(out.glob("companion-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as zf:
        yield zf


def yaml_names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir() if p.suffix in (".yaml", ".yml")}


def test_wheel_ships_the_builtin_banks(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {n.removeprefix("companion/banks/") for n in names
               if n.startswith("companion/banks/") and n.endswith((".yaml", ".yml"))}
    assert shipped, "no banks in the wheel"
    assert shipped == yaml_names(REPO / "banks")


def test_wheel_ships_the_builtin_sessions(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    shipped = {n.removeprefix("companion/sessions/") for n in names
               if n.startswith("companion/sessions/") and n.endswith((".yaml", ".yml"))}
    assert shipped == yaml_names(REPO / "sessions")


def test_wheel_ships_the_code(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    for module in ("__init__", "cli/root", "content/library", "content/yamlsafe", "cli/config",
                   "model", "clock", "store/database", "panel/seal", "tui/app"):
        assert f"companion/{module}.py" in names
    assert "companion/tui/companion.tcss" in names
    assert not any(n.startswith("tests/") for n in names)


def test_wheel_declares_the_console_script(wheel: zipfile.ZipFile) -> None:
    entry_points = next(n for n in wheel.namelist() if n.endswith(".dist-info/entry_points.txt"))
    parser = configparser.ConfigParser()
    parser.read_string(wheel.read(entry_points).decode("utf-8"))
    assert parser["console_scripts"]["companion"].strip() == "companion.startup:main"


def test_shipped_content_matches_the_checkout(wheel: zipfile.ZipFile) -> None:
    for folder in ("banks", "sessions"):
        for name in yaml_names(REPO / folder):
            assert wheel.read(f"companion/{folder}/{name}") == (REPO / folder / name).read_bytes()


def test_content_commands_import_without_textual() -> None:
    """`companion validate` and friends never pay for Textual."""
    code = (
        "import sys; from click.testing import CliRunner; from companion.cli.root import main; "
        "r = CliRunner().invoke(main, ['validate']); "
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] == 'textual'); "
        "assert not loaded, loaded; sys.exit(r.exit_code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_wheel_ships_every_kit_file_a_plan_attaches(wheel: zipfile.ZipFile) -> None:
    """No plan refers to material that is not shipped: every brief and attachment of every
    built-in plan is in the wheel, under companion/kits/."""
    from companion.content.library import builtin_sources, load_library

    lib = load_library(builtin_sources())
    names = set(wheel.namelist())
    attached = {a.file for plan in lib.plans.values() for a in plan.kit}
    assert attached, "no plan attaches anything"
    missing = sorted(f for f in attached if f"companion/kits/{f}" not in names)
    assert not missing, missing
    shipped = {n.removeprefix("companion/kits/") for n in names
               if n.startswith("companion/kits/") and not n.endswith("/")}
    assert shipped == {str(p.relative_to(REPO / "kits")) for p in (REPO / "kits").rglob("*")
                       if p.is_file()}
