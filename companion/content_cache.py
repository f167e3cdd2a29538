"""A cache of validated content, so start-up does not parse and check every YAML file again.

Keyed on every content file's path, size and modification time (and companion's version):
any edit, added or removed file makes a new key. Stored as JSON that is decoded into the
model's own dataclasses only (an allow-list), never as pickle: a cache file cannot run code."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from companion import __version__, model
from companion.content import Library, Source, files_of, load_library
from companion.located import Problem

FORMAT = 1
_TYPES: dict[str, type] = {
    cls.__name__: cls
    for cls in (model.Where, model.Question, model.Bank, model.Signal, model.SignalSet,
                model.Criterion, model.Rubric, model.QuestionRef, model.TagQuery,
                model.InlinePrompt, model.Section, model.Plan, model.Loop, Problem)
}
_TABLES = ("banks", "signal_sets", "rubrics", "plans", "loops")


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        out = {"__t": type(value).__name__}
        out.update({f.name: _encode(getattr(value, f.name)) for f in fields(value)})
        return out
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, Path):
        return {"__t": "Path", "p": str(value)}
    return value


def _object(value: dict[str, Any]) -> Any:
    """json.loads' object hook: the parser walks the tree (in C); we only build objects."""
    kind = value.pop("__t", None)
    if kind is None:
        return value
    if kind == "Path":
        return Path(value["p"])
    cls = _TYPES[kind]  # anything else is refused: KeyError, and the cache is rebuilt
    return cls(**{k: tuple(v) if type(v) is list else v for k, v in value.items()})


def _key(sources: list[Source]) -> str:
    listing: list[Any] = [__version__, FORMAT]
    for source in sources:
        listing.append([source.label, [str(d) for d in source.dirs]])
        for path in files_of(source):
            stat = path.stat()
            listing.append([str(path), stat.st_size, stat.st_mtime_ns])
    return hashlib.sha256(json.dumps(listing).encode()).hexdigest()[:24]


def _to_json(lib: Library) -> str:
    data = {table: _encode(getattr(lib, table)) for table in _TABLES}
    data |= {"problems": _encode(lib.problems), "notices": _encode(lib.notices),
             "files": _encode(lib.files)}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _from_json(text: str) -> Library:
    data = json.loads(text, object_hook=_object)
    lib = Library()
    for table in _TABLES:
        getattr(lib, table).update(data[table])
    lib.problems = list(data["problems"])
    lib.notices = list(data["notices"])
    lib.files = list(data["files"])
    return lib


def load_library_cached(sources: Iterable[Source], cache_dir: Path | None) -> Library:
    """The library from the cache when nothing changed, else loaded and cached."""
    sources = list(sources)
    if cache_dir is None:
        return load_library(sources)
    try:
        key = _key(sources)
    except OSError:  # a file vanished while we looked: load without the cache
        return load_library(sources)
    path = cache_dir / f"library-{key}.json"
    try:
        return _from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError):
        # A damaged or foreign cache file is only a cache: rebuild it.
        with contextlib.suppress(OSError):
            path.unlink()
    lib = load_library(sources)
    _write(cache_dir, path, _to_json(lib))
    return lib


def _write(cache_dir: Path, path: Path, text: str) -> None:
    """Atomically, and only ours: older cache files are removed. A cache that cannot be
    written just means the next start parses again."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_dir, prefix=".library-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
        for old in cache_dir.glob("library-*.json"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
