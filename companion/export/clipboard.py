"""Copying a scorecard so that what the user is told is true: the system clipboard tools
where they exist (wl-copy under Wayland, xclip or xsel under X, pbcopy, clip.exe), each with
a timeout; else the terminal's clipboard (OSC 52, which the UI sends: no program can confirm
it arrived); and whenever no tool took the text, a private file (0600, in the user cache
folder) that holds it. No Textual here: the UI passes in whether OSC 52 can reach a
clipboard, and sends it."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from companion.files import write_atomic
from companion.paths import private_dir

TOOL_TIMEOUT_S = 2.0


@dataclass(frozen=True, slots=True)
class Tool:
    name: str  # as the message says it
    argv: tuple[str, ...]


def tools_for(env: Mapping[str, str]) -> list[Tool]:
    """The clipboard tools worth trying in this environment, in order. wl-copy needs a
    Wayland display and xclip/xsel an X display; pbcopy (macOS) and clip.exe (Windows, WSL)
    need none."""
    tools = []
    if env.get("WAYLAND_DISPLAY"):
        tools.append(Tool("wl-copy", ("wl-copy",)))
    if env.get("DISPLAY"):
        tools += [Tool("xclip", ("xclip", "-selection", "clipboard", "-in")),
                  Tool("xsel", ("xsel", "--clipboard", "--input"))]
    return [*tools, Tool("pbcopy", ("pbcopy",)), Tool("clip.exe", ("clip.exe",))]


Runner = Callable[..., "subprocess.CompletedProcess[bytes]"]


def copy_with_tools(text: str, env: Mapping[str, str], *, timeout: float = TOOL_TIMEOUT_S,
                    run: Runner = subprocess.run) -> str | None:
    """Give `text` to the first tool on PATH that takes it (exit 0): its name, else None.
    A tool that fails, hangs past `timeout` or cannot start is passed over."""
    data = text.encode("utf-8")
    for tool in tools_for(env):
        path = shutil.which(tool.argv[0], path=env.get("PATH", ""))
        if path is None:
            continue
        try:
            # Output to /dev/null: xclip stays in the background to serve the selection,
            # and a pipe it kept open would make this wait for it.
            done = run([path, *tool.argv[1:]], input=data, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=timeout, env=dict(env), check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return tool.name
    return None


def osc52_reaches(env: Mapping[str, str], on_a_terminal: bool, *,
                  timeout: float = TOOL_TIMEOUT_S, run: Runner = subprocess.run) -> bool:
    """Whether OSC 52 can reach a clipboard: the app draws on a real terminal, and not inside
    a tmux whose `set-clipboard` is `off` or `external` (the default: tmux then drops an
    application's OSC 52). Elsewhere the terminal may or may not take it: it counts."""
    if not on_a_terminal:
        return False
    if not env.get("TMUX"):
        return True
    tmux = shutil.which("tmux", path=env.get("PATH", ""))
    if tmux is None:
        return True  # cannot ask: the terminal may take it
    try:
        done = run([tmux, "show-options", "-gv", "set-clipboard"], capture_output=True,
                   timeout=timeout, env=dict(env), check=False)
    except (OSError, subprocess.TimeoutExpired):
        return True
    return done.returncode != 0 or done.stdout.decode(errors="replace").strip() == "on"


@dataclass(frozen=True, slots=True)
class CopyOutcome:
    """How a copy went: a tool took it, or OSC 52 is to be sent, and the file that holds the
    text (None when a tool took it, or the file could not be written: `problem`)."""

    tool: str | None
    osc52: bool
    file: Path | None
    problem: str = ""

    def message(self) -> str:
        if self.tool:
            return f"Copied to the clipboard ({self.tool})."
        where = str(self.file) if self.file else f"nowhere ({self.problem})"
        if self.osc52:
            return f"Sent to the terminal's clipboard. If nothing pastes, the text is in {where}."
        return f"No clipboard here: the text is in {where}."


def copy_text(text: str, env: Mapping[str, str], cache_dir: Path, file_name: str, *,
              osc52: bool, timeout: float = TOOL_TIMEOUT_S,
              run: Runner = subprocess.run) -> CopyOutcome:
    """Copy `text`: a clipboard tool if one takes it; else write it to `cache_dir/file_name`
    (0600, whole or not at all), and say whether OSC 52 should be sent too."""
    tool = copy_with_tools(text, env, timeout=timeout, run=run)
    if tool:
        return CopyOutcome(tool, False, None)
    path = cache_dir / file_name
    try:
        private_dir(cache_dir)
        write_atomic(path, text.encode("utf-8"), overwrite=True)
    except OSError as err:
        return CopyOutcome(None, osc52, None, f"cannot write {path}: {err.strerror or err}")
    return CopyOutcome(None, osc52, path)
