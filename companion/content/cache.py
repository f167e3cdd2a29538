"""A cache of validated content, so start-up does not parse and check every YAML file again.

Keyed on every content file's path, size and modification time (and companion's and
Python's versions): any edit, added or removed file makes a new key. Stored with marshal,
as plain values only (strings, numbers, None, tuples, a dict at the top), and decoded into
the model's own dataclasses only (an allow-list); never pickle: like JSON, loading a cache
file cannot run code. (marshal rather than JSON: it keeps tuples, so nothing is converted,
and it reads a 10,000-question bank in a third less time. The file is our own, written
atomically in the user's cache folder; anything unreadable or unexpected is rebuilt.)"""

from __future__ import annotations

import contextlib
import gc
import json
import marshal
import os
import sys
import types
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from companion import __version__, model
from companion.content.library import Library, Source, kit_file_stats, listing, load_library
from companion.content.located import Problem
from companion.content.safefile import read_regular
from companion.files import write_atomic
from companion.paths import private_dir

FORMAT = 6  # 4: questions and inline prompts know their line; 5: texts as typed, checked types;
# 6: worked examples, scripts, agendas and kit attachments
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in (model.Where, model.Question, model.Bank, model.Signal, model.SignalSet,
                model.Criterion, model.Rubric, model.QuestionRef, model.TagQuery,
                model.InlinePrompt, model.Section, model.Plan, model.Loop, model.Attachment,
                Problem)
}


def _library_fields() -> tuple[dict[str, type], tuple[str, ...], tuple[str, ...]]:
    """The Library's fields as the cache keeps them: tables of content by id (`dict[str, C]`),
    lists of problems, and lists of paths. Derived from the dataclass itself, so a new kind of
    content is cached with no list here to forget; a field of any other type fails at once."""
    hints = get_type_hints(Library)
    tables: dict[str, type] = {}
    problems: list[str] = []
    paths: list[str] = []
    for f in fields(Library):
        hint = hints[f.name]
        args = get_args(hint)
        if get_origin(hint) is dict and args[0] is str and args[1] in _CLASSES.values():
            tables[f.name] = args[1]
        elif get_origin(hint) is list and args == (Problem,):
            problems.append(f.name)
        elif get_origin(hint) is list and args == (Path,):
            paths.append(f.name)
        else:
            raise TypeError(f"the content cache cannot keep Library.{f.name} ({hint})")
    return tables, tuple(problems), tuple(paths)


_TABLES, _PROBLEM_LISTS, _PATH_LISTS = _library_fields()

# A record is a tuple: the class name, then the fields in declaration order. Decoding
# follows the model's type hints, through one small function per class generated on first
# use (as dataclasses builds __init__): a 10,000-question bank is one C read of plain tuples
# and one call per object, where a dict and a keyword call per object cost twice the time.


class RefusedRecord(ValueError):
    """A record that is not what the model expects there: the cache is rebuilt."""


def _encode(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return (type(value).__name__, *(_encode(getattr(value, f.name)) for f in fields(value)))
    if isinstance(value, tuple | list):
        return tuple(_encode(v) for v in value)
    return value


def _dataclass_args(hint: Any) -> tuple[type, ...]:
    """The model classes a hint names (`Where | None` gives Where), else ()."""
    args = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) \
        else (hint,)
    return tuple(a for a in args if isinstance(a, type) and a.__name__ in _CLASSES)


def _field_expr(hint: Any, item: str, names: dict[str, Any]) -> str:
    """Python source that decodes `item` (a field of a record) for a field of type `hint`."""
    if typing.get_origin(hint) is tuple:
        classes = tuple(c for a in typing.get_args(hint) for c in _dataclass_args(a))
        if not classes:
            return item  # stored as a tuple
        if len(classes) == 1:
            names[f"_d_{classes[0].__name__}"] = _decoder(classes[0])
            return f"tuple(map(_d_{classes[0].__name__}, {item}))"
        names["_any"] = _decode_tagged
        return f"tuple(map(_any, {item}))"
    classes = _dataclass_args(hint)
    if classes:
        (cls,) = classes
        names[f"_d_{cls.__name__}"] = _decoder(cls)
        return f"(None if {item} is None else _d_{cls.__name__}({item}))"
    return item


def _check_expr(hint: Any, item: str, names: dict[str, Any]) -> str | None:
    """Python source that is true when `item` has the plain type `hint` says (None: a model
    class, which its own decoder checks). A cache whose checksum holds but whose fields do
    not (written by another version, or by hand) is refused here, at the decode boundary,
    rather than failing later in a command."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if _dataclass_args(hint):
            return None
        parts = [_check_expr(a, item, names) for a in args]
        return "(" + " or ".join(p or "True" for p in parts) + ")"
    if hint is type(None):
        return f"{item} is None"
    if origin is tuple:
        if _dataclass_args(args[0]):
            return None
        allowed = {a for a in args if a is not Ellipsis}
        names["_allowed_" + "_".join(sorted(a.__name__ for a in allowed))] = allowed
        allowed_name = "_allowed_" + "_".join(sorted(a.__name__ for a in allowed))
        length = "" if Ellipsis in args else f" and len({item}) == {len(args)}"
        return f"(type({item}) is tuple and {{*map(type, {item})}} <= {allowed_name}{length})"
    if hint is float:  # x - x == 0 is false for NaN and the infinities
        return (f"(type({item}) is int or (type({item}) is float and "
                f"{item} - {item} == 0))")
    if hint in (str, int, bool):
        return f"type({item}) is {hint.__name__}"
    if _dataclass_args(hint):
        return None
    raise TypeError(f"the content cache cannot check a field of type {hint}")


_DECODERS: dict[str, Callable[[tuple[Any, ...]], Any]] = {}


def _decoder(cls: type) -> Callable[[tuple[Any, ...]], Any]:
    name = cls.__name__
    if name not in _DECODERS:
        hints = typing.get_type_hints(cls)
        names: dict[str, Any] = {"_cls": cls, "_Refused": RefusedRecord}
        _DECODERS[name] = _refuse  # a placeholder while the fields' decoders are made
        args = ", ".join(_field_expr(hints[f.name], f"r[{i}]", names)
                         for i, f in enumerate(fields(cls), start=1))
        # Texts and tuples of texts, the bulk of a bank, are checked in one C call each:
        # str.join raises TypeError on anything but texts, and `() + x` on a non-tuple.
        texts, text_tuples, checks = [], [], []
        for i, f in enumerate(fields(cls), start=1):
            hint, item = hints[f.name], f"r[{i}]"
            if hint is str:
                texts.append(item)
            elif typing.get_origin(hint) is tuple and set(typing.get_args(hint)) <= {str, ...}:
                text_tuples.append(item)
                if ... not in typing.get_args(hint):
                    checks.append(f"len({item}) == {len(typing.get_args(hint))}")
            elif (check := _check_expr(hint, item, names)) is not None:
                checks.append(check)
        joined = (f"    _join(({', '.join(texts)},))\n" if texts else "") + (
            f"    _join(() + {' + '.join(text_tuples)})\n" if text_tuples else "")
        names["_join"] = "".join
        source = (f"def decode(r):\n"
                  f"    if r[0] != {name!r} or len(r) != {len(fields(cls)) + 1}:\n"
                  f"        raise _Refused(r[0])\n"
                  f"{joined}"
                  f"    if not ({' and '.join(checks) or 'True'}):\n"
                  f"        raise _Refused(r[0])\n"
                  f"    return _cls({args})\n")
        exec(source, names)  # our own source, made from the model's type hints
        _DECODERS[name] = names["decode"]
    return _DECODERS[name]


def _refuse(record: Any) -> Any:
    raise RefusedRecord(record)


def _decode_tagged(record: tuple[Any, ...]) -> Any:
    """A record of a field that may hold several classes (a section's prompts)."""
    cls = _CLASSES.get(record[0]) if type(record) is tuple and record else None
    if cls is None:  # anything but a model class is refused
        raise RefusedRecord(record)
    return _decoder(cls)(record)


def _key(sources: list[Source]) -> str:
    """Every content file's path, size, modification time, inode and change time, as one
    string. The change time is what an edit cannot keep: a tool that restores the size and
    the mtime (`touch -d`, a same-length edit within the clock's tick) still moves it, and a
    file replaced by a rename has a new inode. The cache file is named by the key's CRC-32
    and holds the key itself, compared in full on reading: no cryptographic hash needed
    (hashlib alone is ~4 ms of a start)."""
    entries: list[Any] = [__version__, FORMAT, sys.version, marshal.version]
    for source in sources:
        files, unreadable = listing(source)
        entries.append([source.label, [str(d) for d in source.dirs],
                        [str(p) for p in unreadable]])
        named = {str(path) for path in files}
        stats = [(str(path), os.stat(path)) for path in files]
        # A plan's attachments are checked on load (the content files among them once).
        stats += [item for item in kit_file_stats(source) if item[0] not in named]
        for name, st in stats:
            entries.append([name, st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev,
                            st.st_ctime_ns])
    return json.dumps(entries, ensure_ascii=False)


# A cache file: this header, the payload's length and CRC-32 (4 bytes each, little-endian),
# then the marshalled payload. The check comes before marshal reads a byte: a damaged file
# could otherwise ask it for a tuple of two billion items.
_MAGIC = b"companion content cache\0"
MAX_CACHE_BYTES = 512 * 1024 * 1024
_HEADER = len(_MAGIC) + 8


class StaleCache(ValueError):
    """A cache file for other content (its name's CRC-32 matched by chance), or damaged."""


def _dump(lib: Library, key: str) -> bytes:
    data: dict[str, Any] = {"key": key}
    data |= {table: _encode(tuple(getattr(lib, table).values())) for table in _TABLES}
    data |= {name: _encode(getattr(lib, name)) for name in _PROBLEM_LISTS}
    data |= {name: tuple(str(path) for path in getattr(lib, name)) for name in _PATH_LISTS}
    return _frame(marshal.dumps(data))


def _frame(payload: bytes) -> bytes:
    return (_MAGIC + len(payload).to_bytes(4, "little")
            + zlib.crc32(payload).to_bytes(4, "little") + payload)


def _payload(blob: bytes) -> memoryview:
    """The marshalled payload of a cache file, once its header and CRC-32 check out."""
    payload = memoryview(blob)[_HEADER:]
    if (not blob.startswith(_MAGIC)
            or int.from_bytes(blob[len(_MAGIC):len(_MAGIC) + 4], "little") != len(payload)
            or int.from_bytes(blob[len(_MAGIC) + 4:_HEADER], "little") != zlib.crc32(payload)):
        raise StaleCache("damaged")
    return payload


def _load(blob: bytes, key: str) -> Library:
    payload = _payload(blob)
    with _collector_paused():
        data = marshal.loads(payload)
        if type(data) is not dict or data.get("key") != key:
            raise StaleCache(key)
        return _decode_library(data)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Decoding makes tens of thousands of long-lived objects and no cycles: the cyclic
    collector would only walk them again and again (a third of a big bank's load time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode_library(data: dict[str, Any]) -> Library:
    lib = Library()
    for table, cls in _TABLES.items():
        decode = _decoder(cls)
        getattr(lib, table).update((obj.id, obj) for obj in map(decode, data[table]))
    decode_problem = _decoder(Problem)
    for name in _PROBLEM_LISTS:
        setattr(lib, name, [decode_problem(r) for r in data[name]])
    for name in _PATH_LISTS:
        setattr(lib, name, [Path(path) for path in data[name]])
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
    # surrogatepass: a file name that is not UTF-8 comes back from the OS as surrogates.
    path = cache_dir / f"library-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.marshal"
    try:
        # Non-blocking and regular files only: a FIFO or a device put there must not hang
        # or flood every content command.
        return _load(read_regular(path, MAX_CACHE_BYTES), key)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, IndexError, EOFError, MemoryError):
        # A damaged or foreign cache file is only a cache: rebuild it.
        with contextlib.suppress(OSError):
            path.unlink()
    lib = load_library(sources)
    _write(cache_dir, path, _dump(lib, key))
    return lib


def _write(cache_dir: Path, path: Path, blob: bytes) -> None:
    """Whole or absent (companion.files: no temporary file stays behind), and only ours:
    older cache files are removed. A cache that cannot be written just means the next start
    parses again."""
    try:
        private_dir(cache_dir)
        write_atomic(path, blob, overwrite=True)
        for old in cache_dir.glob("library-*"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        return
