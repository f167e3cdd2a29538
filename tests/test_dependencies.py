"""The tested dependency set (constraints.txt) still satisfies what pyproject asks for, and
pyproject caps each run-time dependency below its next major version."""

from __future__ import annotations

import importlib.metadata
import os
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())


def pins() -> dict[str, Version]:
    pinned: dict[str, Version] = {}
    for raw in (REPO / "constraints.txt").read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: '{line}' is not an exact pin"
            pinned[canonicalize_name(name)] = Version(version)
    return pinned


def requirements() -> list[tuple[str, Requirement]]:
    project = PYPROJECT["project"]
    found = [("dependencies", Requirement(r)) for r in project["dependencies"]]
    found += [("test extra", Requirement(r)) for r in project["optional-dependencies"]["test"]]
    found += [("build-system", Requirement(r)) for r in PYPROJECT["build-system"]["requires"]]
    return found


def test_every_requirement_is_pinned_within_its_range() -> None:
    pinned = pins()
    problems = []
    for where, req in requirements():
        version = pinned.get(canonicalize_name(req.name))
        if version is None:
            problems.append(f"{req} ({where}) has no pin in constraints.txt")
        elif not req.specifier.contains(version, prereleases=True):
            problems.append(f"{req} ({where}) is not met by the pin {req.name}=={version}")
    assert problems == [], "refresh the pins (README, Development):\n" + "\n".join(problems)


def test_the_run_time_dependencies_stop_before_their_next_major() -> None:
    for req in (Requirement(r) for r in PYPROJECT["project"]["dependencies"]):
        uppers = [Version(s.version) for s in req.specifier if s.operator == "<"]
        assert uppers, f"{req} needs an upper bound below its next major version"
        lowers = [Version(s.version) for s in req.specifier if s.operator == ">="]
        assert lowers and uppers[0].major == lowers[0].major + 1, req


def test_this_environment_is_the_pinned_one_when_installed_with_the_pins() -> None:
    """Installed with the pins (the README's test command and .ci/run export PIP_CONSTRAINT),
    every pinned package here is at its pinned version: a suite that passes on other versions
    says nothing about the tested set. The newest-versions run has no pins to compare."""
    if Path(os.environ.get("PIP_CONSTRAINT", "")).name != "constraints.txt":
        pytest.skip("not installed with PIP_CONSTRAINT=constraints.txt")
    wrong = []
    for name, version in pins().items():
        try:
            installed = Version(importlib.metadata.version(name))
        except importlib.metadata.PackageNotFoundError:
            continue  # a build-only or platform-only pin
        if installed != version:
            wrong.append(f"{name} {installed} (pinned {version})")
    assert wrong == []
