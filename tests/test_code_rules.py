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
BIN = Path(sys.executable).parent


def test_import_contracts_hold() -> None:
    """pyproject's import-linter contracts: the layers (CLI above TUI above the panel above
    exports and practice above store, content and session), the domain without Textual, the
    TUI without SQL or YAML, and SQL only in the store. Lazy imports count."""
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], capture_output=True,
                            text=True, cwd=PACKAGE.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def _import_graph() -> dict[str, set[str]]:
    """Every import between our modules, those inside functions included, plus the commands
    the CLI loads by name (CommandGroup.LATER), which no import statement shows."""
    import grimp

    from companion.cli.root import CommandGroup

    graph = grimp.build_graph("companion", cache_dir=None)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    for module_name, _attribute in CommandGroup.LATER.values():
        edges["companion.cli.root"].add(module_name)
    return edges


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles_counting_lazy_imports_and_commands_loaded_by_name() -> None:
    edges = _import_graph()
    assert "companion.cli.panel" in edges["companion.cli.root"]  # the LATER edges are in
    assert _cycles(edges) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


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
    # database.py, and split off by size: listing.py (what the listing keeps for flat
    # reads) and migrations.py (the schema's history)
    assert offenders == ["store/database.py", "store/listing.py", "store/migrations.py"]


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
