"""Where events are kept between reading and tallying.

Stores are created by name through StoreFactory, so other back ends can be added later
without changing the callers.
"""

from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import ClassVar

from events import Event


class EventStore(ABC):
    """The interface every store implements."""

    @abstractmethod
    def add(self, event: Event) -> None: ...

    @abstractmethod
    def between(self, start: datetime, end: datetime) -> list[Event]:
        """The events with start <= ts < end, oldest first."""

    @abstractmethod
    def keys(self) -> set[str]: ...

    @abstractmethod
    def __len__(self) -> int: ...

    def add_all(self, events: Iterable[Event]) -> None:
        for event in events:
            self.add(event)


class MemoryEventStore(EventStore):
    """Keeps every event in a list sorted by time, so events may arrive in any order."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def add(self, event: Event) -> None:
        bisect.insort(self._events, event)

    def between(self, start: datetime, end: datetime) -> list[Event]:
        lo = bisect.bisect_left(self._events, start, key=lambda e: e.ts)
        hi = bisect.bisect_left(self._events, end, key=lambda e: e.ts)
        return self._events[lo:hi]

    def keys(self) -> set[str]:
        return {event.key for event in self._events}

    def first(self) -> Event | None:
        return self._events[0] if self._events else None

    def last(self) -> Event | None:
        return self._events[-1] if self._events else None

    def __len__(self) -> int:
        return len(self._events)


class StoreFactory:
    """Creates stores by name: StoreFactory.create("memory")."""

    _makers: ClassVar[dict[str, Callable[[], EventStore]]] = {}

    @classmethod
    def register(cls, name: str, maker: Callable[[], EventStore]) -> None:
        cls._makers[name] = maker

    @classmethod
    def create(cls, name: str = "memory") -> EventStore:
        try:
            return cls._makers[name]()
        except KeyError:
            raise ValueError(f"no store called {name!r}") from None


StoreFactory.register("memory", MemoryEventStore)
