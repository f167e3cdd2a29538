"""Process start-up: the console script's entry point, and the cyclic garbage collector.

Start-up builds some 60,000 long-lived objects (Textual's styles and widgets, the content,
the session). The collector would walk them again and again while they are being
made, about 80 ms before the first frame on a small machine. The entry point pauses it; the
app resumes it once its first frame is on screen (other commands at once), after one full
collection, freezing what start-up made so later collections skip it. (Frozen objects are
never collected: the few thousand of them that later become garbage, such as the first
screen once left, stay for the life of the process. A one-off cost, accepted.)"""

from __future__ import annotations

import gc


def main() -> None:
    """The `companion` command."""
    gc.disable()
    from companion.cli.root import main as cli_main

    cli_main()
