"""The cyclic garbage collector around start-up (see `companion.startup`): paused by the
console script, resumed once by whoever comes first, the app after its first frame or any
command that opens no app. No imports of ours, so every layer may use it."""

from __future__ import annotations

import gc


def resume_collector() -> None:
    """Collect once and resume the collector, if the entry point paused it (never in a test
    or any other caller that imports companion as a library)."""
    if gc.isenabled():
        return
    gc.collect()
    gc.freeze()
    gc.enable()
