"""The app's part of one holder per session (companion.lease): the heartbeat of every
session this process holds, a lease lost to another terminal, the release at exit, and the
signals that end the app as Ctrl+Q does."""

from __future__ import annotations

import contextlib
import os
import threading

from textual.app import App

from companion.clock import Clock
from companion.store.database import LeaseLost, Store, StoreError

EXIT_GRACE_S = 5.0  # after a signal: long enough for any exit that is not stuck


class OneHolderApp(App[None]):
    """The base of CompanionApp: what holding sessions asks of the app."""

    store: Store
    clock: Clock

    def __init__(self) -> None:
        super().__init__()
        self._told_lost: set[str] = set()  # sessions whose lost lease the screens were told

    def beat(self) -> None:
        """Refresh the heartbeat of every session this process holds; a lease another
        process took turns its screens read-only."""
        # A lease found lost by any write (a draft saved, a note, a score) is said here too,
        # once: the path that found it may have reported it only as a failed save.
        told = self._told_lost
        for session_id in [*self.store.held, *sorted(self.store.lost - told)]:
            try:
                self.store.heartbeat(session_id, self.clock.wall(), self.clock.boottime())
            except LeaseLost as err:
                told.add(session_id)
                self.lease_lost(str(err))
            except StoreError:
                pass  # a locked or full file: the next beat tries again (STALE_S of slack)
        for screen in self.screen_stack:
            follow = getattr(screen, "follow", None)
            if follow is not None:
                follow()

    def lease_lost(self, message: str) -> None:
        for screen in self.screen_stack:
            lost = getattr(screen, "lease_lost", None)
            if lost is not None:
                lost(message)
                return
        self.notify(message, severity="error", timeout=15, markup=False)

    def release_leases(self) -> None:
        for session_id in list(self.store.held):
            # A failed release is harmless: the lease goes stale by itself within STALE_S.
            with contextlib.suppress(StoreError):
                self.store.release_lease(session_id, self.clock.wall(), self.clock.boottime())

    def _catch_signals(self) -> None:
        """SIGTERM, SIGHUP and SIGINT end the app as Ctrl+Q does: draft saved, session
        paused, lease released, terminal restored (Textual's exit leaves the alternate
        screen, turns mouse capture off and shows the cursor)."""
        import asyncio
        import signal

        try:
            loop = asyncio.get_running_loop()
            for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                loop.add_signal_handler(number, self._on_signal)
        except (RuntimeError, NotImplementedError, ValueError):
            pass  # not the main thread (a test), or a platform without them

    def _on_signal(self) -> None:
        self.call_later(self.action_quit)
        # A closed terminal window sends SIGHUP, and Textual's shutdown can then wait for
        # ever on output nobody reads (seen: blocked putting into its writer's queue). By
        # then the draft, the pause and the release are written, so the process ends itself
        # if it is still here after EXIT_GRACE_S.
        watchdog = threading.Timer(EXIT_GRACE_S, os._exit, (0,))
        watchdog.daemon = True
        watchdog.start()
