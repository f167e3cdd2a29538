"""Tests for linetally: python3 -m pytest test_linetally.py"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import events
import pytest
from events import Event, parse_line, read_events
from store import MemoryEventStore, StoreFactory
from tally import Tally, busiest_window, rate, window_counts

T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def ev(key: str, seconds: int, n: int = 1) -> Event:
    return Event(ts=T0 + timedelta(seconds=seconds), key=key, n=n)


def test_parse_line_reads_key_time_and_count() -> None:
    event = parse_line('{"key": "a", "ts": "2026-03-02T10:00:05+00:00", "n": 3}')
    assert event == ev("a", 5, 3)


def test_parse_line_rejects_a_line_without_a_key() -> None:
    with pytest.raises(ValueError):
        parse_line('{"ts": "2026-03-02T10:00:05+00:00"}')


def test_read_events_skips_blank_lines() -> None:
    lines = ['{"key": "a", "ts": "2026-03-02T10:00:00+00:00"}', "", "  "]
    assert list(read_events(lines)) == [ev("a", 0)]


def test_store_keeps_events_in_time_order() -> None:
    store = MemoryEventStore()
    store.add_all([ev("a", 30), ev("b", 10), ev("a", 20)])
    assert [e.ts for e in store.between(T0, T0 + timedelta(minutes=1))] == [
        T0 + timedelta(seconds=s) for s in (10, 20, 30)]


def test_factory_creates_a_memory_store() -> None:
    assert isinstance(StoreFactory.create("memory"), MemoryEventStore)


def test_top_returns_n_keys() -> None:
    tally = Tally()
    for event in [ev("a", 0), ev("b", 1), ev("b", 2), ev("c", 3, 5)]:
        tally.add(event)
    assert len(tally.top(2)) == 2


def test_window_counts_splits_by_window() -> None:
    store = MemoryEventStore()
    store.add_all([ev("a", 5), ev("a", 65), ev("b", 70, 2)])
    buckets = window_counts(store, T0, T0 + timedelta(minutes=2), 60)
    assert buckets == [(T0, Counter(a=1)), (T0 + timedelta(minutes=1), Counter(a=1, b=2))]


def test_busiest_window() -> None:
    store = MemoryEventStore()
    store.add_all([ev("a", 5), ev("a", 65), ev("b", 70, 2)])
    assert busiest_window(store, T0, T0 + timedelta(minutes=2), 60) == (
        T0 + timedelta(minutes=1), 3)


def test_rate_is_events_per_second() -> None:
    store = MemoryEventStore()
    store.add_all([ev("a", 0), ev("a", 5), ev("b", 10)])
    assert rate(store, "a") == pytest.approx(0.2)


def test_the_sample_file_reads() -> None:
    found = events.read_file("sample-events.jsonl")
    assert len(found) == 14
