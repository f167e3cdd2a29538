"""House rules, checked: the domain never imports Textual; the UI never speaks SQL and never
parses YAML; ruff and strict mypy are clean."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "companion"
DOMAIN = sorted(
    "companion." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts)
    for p in PACKAGE.rglob("*.py")
    if "tui" not in p.parts and p.name not in ("__main__.py", "launch.py")
)


def test_domain_imports_without_textual() -> None:
    code = (
        "import importlib, sys\n"
        f"for name in {DOMAIN!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] == 'textual')\n"
        "assert not leaked, leaked\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "companion.session" in DOMAIN and "companion.export.report" in DOMAIN


def test_ui_never_speaks_sql_or_parses_yaml() -> None:
    forbidden = re.compile(r"^\s*(import|from)\s+(sqlite3|sqlite_utils|yaml)\b|\.execute\(",
                           re.MULTILINE)
    offenders = [
        str(path.relative_to(PACKAGE)) for path in (PACKAGE / "tui").rglob("*.py")
        if forbidden.search(path.read_text())
    ]
    assert offenders == []


def test_only_the_store_speaks_sql() -> None:
    speaks = re.compile(r"^\s*(import|from)\s+(sqlite3|sqlite_utils)\b", re.MULTILINE)
    offenders = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                       if speaks.search(p.read_text()))
    assert offenders == ["store.py"]


@pytest.mark.skipif(shutil.which("ruff", path=str(Path(sys.executable).parent)) is None,
                    reason="ruff is not installed in this environment")
def test_ruff_is_clean() -> None:
    ruff = str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", str(PACKAGE), str(PACKAGE.parent / "tests"),
                             str(PACKAGE.parent / "bench")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_mypy_strict_is_clean() -> None:
    pytest.importorskip("mypy")
    result = subprocess.run([sys.executable, "-m", "mypy", str(PACKAGE)], capture_output=True,
                            text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout
