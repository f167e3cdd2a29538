"""The validated-content cache: a hit gives the same library, any edit misses, and a damaged
or foreign cache file is rebuilt rather than trusted."""

from __future__ import annotations

import marshal
import os
import shutil
from dataclasses import fields
from pathlib import Path

from companion.content.cache import (
    _PATH_LISTS,
    _PROBLEM_LISTS,
    _TABLES,
    _frame,
    _payload,
    load_library_cached,
)
from companion.content.library import Library, Source, builtin_sources, load_library

FIXTURES = Path(__file__).parent / "fixtures" / "live"


def _copy(tmp_path: Path) -> list[Source]:
    content = tmp_path / "content"
    shutil.copytree(FIXTURES, content)
    return [Source("test", (content,))]


def _same(a: Library, b: Library) -> bool:
    """Equal in every field of the Library, whatever fields it has."""
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(Library))


def test_a_warm_library_equals_the_cold_one_field_by_field(tmp_path: Path) -> None:
    """The built-in content, cold (read from YAML) and warm (from the cache): every field of
    the Library compared on its own, so a field the cache forgot shows by name."""
    sources = builtin_sources()
    cache = tmp_path / "cache"
    cold = load_library_cached(sources, cache)
    warm = load_library_cached(sources, cache)
    assert len(list(cache.glob("library-*"))) == 1
    for f in fields(Library):
        assert getattr(warm, f.name) == getattr(cold, f.name), f.name
    assert cold.plans and cold.banks and cold.loops and cold.files  # not empty by accident


def test_the_cache_keeps_every_field_of_the_library() -> None:
    kept = {*_TABLES, *_PROBLEM_LISTS, *_PATH_LISTS}
    assert kept == {f.name for f in fields(Library)}


def test_hit_gives_the_same_library_without_yaml(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    sources = _copy(tmp_path)
    cache = tmp_path / "cache"
    first = load_library_cached(sources, cache)
    assert len(list(cache.glob("library-*"))) == 1
    assert _same(first, load_library(sources))
    import companion.content.library as content

    def no_parsing(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a cache hit must not read the YAML files")

    monkeypatch.setattr(content, "read_file", no_parsing)
    second = load_library_cached(sources, cache)
    assert _same(first, second)


def test_an_edit_misses_and_replaces_the_old_entry(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    cache = tmp_path / "cache"
    load_library_cached(sources, cache)
    plan = sources[0].dirs[0] / "plan.yaml"
    plan.write_text(plan.read_text().replace("Test design interview", "Renamed interview"))
    stat = plan.stat()
    os.utime(plan, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    lib = load_library_cached(sources, cache)
    assert lib.plans["t-live"].title == "Renamed interview"
    assert len(list(cache.glob("library-*"))) == 1


def test_problems_are_cached_too(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    (sources[0].dirs[0] / "broken.yaml").write_text("kind: plan\nid: [x\n")
    cache = tmp_path / "cache"
    cold = load_library_cached(sources, cache)
    warm = load_library_cached(sources, cache)
    assert cold.problems and [str(p) for p in warm.problems] == [str(p) for p in cold.problems]


def _with_plan(data: dict, **changes: object) -> dict:  # type: ignore[type-arg]
    """The cache's data with its first plan record changed (fields by position)."""
    record = list(data["plans"][0])
    for position, value in changes.items():
        record[int(position.removeprefix("f"))] = value
    return {**data, "plans": (tuple(record), *data["plans"][1:])}


def test_damaged_or_foreign_cache_is_rebuilt(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    cache = tmp_path / "cache"
    load_library_cached(sources, cache)
    entry = next(cache.glob("library-*"))
    good = entry.read_bytes()
    data = marshal.loads(_payload(good))
    ran: list[str] = []
    foreign = [
        b"{not marshal",
        good[: len(good) // 2],  # cut short
        good[:-1] + bytes([good[-1] ^ 1]),  # one bit flipped: the CRC-32 catches it
        good[:40] + b"(\xff\xff\xff\x7f",  # would make marshal allocate 2**31 items
        _frame(marshal.dumps(["a", "list", "not", "a", "dict"])),
        # A code object is only data to marshal: it is refused, never run.
        _frame(marshal.dumps(compile("ran.append('code')", "x", "exec"))),
        _frame(marshal.dumps(_with_plan(data, f0="os.system"))),  # not a Plan record
        _frame(marshal.dumps({**data, "plans": (("Plan",),)})),  # fields missing
    ]
    for blob in foreign:
        entry.write_bytes(blob)
        lib = load_library_cached(sources, cache)
        assert lib.plans["t-live"].title == "Test design interview"
        assert entry.read_bytes() == good  # rebuilt
    assert ran == []


def test_unwritable_cache_still_loads(tmp_path: Path) -> None:
    sources = _copy(tmp_path)
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert "t-live" in load_library_cached(sources, blocker / "cache").plans


def test_a_cache_file_for_other_content_is_not_used(tmp_path: Path) -> None:
    """The file name is only a CRC-32 of the key: the key inside is compared in full."""
    sources = _copy(tmp_path)
    cache = tmp_path / "cache"
    load_library_cached(sources, cache)
    entry = next(cache.glob("library-*"))
    data = _with_plan(marshal.loads(_payload(entry.read_bytes())),
                      f2="Title from other content")
    data["key"] = data["key"].replace("plan.yaml", "other.yaml")
    entry.write_bytes(_frame(marshal.dumps(data)))
    assert load_library_cached(sources, cache).plans["t-live"].title == "Test design interview"
    assert marshal.loads(_payload(entry.read_bytes()))["key"] != data["key"]  # rebuilt


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    """Such a name comes back from the OS as surrogates; the cache key must take it."""
    sources = _copy(tmp_path)
    odd = sources[0].dirs[0] / os.fsdecode(b"caf\xe9.yaml")
    odd.write_text("kind: plan\nid: odd-name\ntitle: Odd name\nmode: interview\n"
                   "sections:\n  - title: Only\n    minutes: 5\n")
    cache = tmp_path / "cache"
    assert "odd-name" in load_library_cached(sources, cache).plans
    assert "odd-name" in load_library_cached(sources, cache).plans  # and from the cache


def test_any_file_under_kits_is_in_the_key_and_odd_entries_do_not_break_it(
        tmp_path: Path) -> None:
    from companion.content.cache import _key

    sources = _copy(tmp_path)
    kits = tmp_path / "kits" / "deep" / "er"
    kits.mkdir(parents=True)
    (tmp_path / "kits" / "gone").symlink_to(tmp_path / "nowhere")  # a broken link
    (tmp_path / "kits" / "loop").symlink_to(tmp_path / "kits")  # a linked folder: not entered
    before = _key(sources)
    (kits / "data.csv").write_text("a,b\n")
    after = _key(sources)
    assert after != before and str(kits / "data.csv") in after
    assert "loop" not in after and "gone" not in after
    (kits / "data.csv").write_text("a,c\n")  # same size: the change time still moves
    os.utime(kits / "data.csv", ns=(0, 0))
    assert _key(sources) != after
