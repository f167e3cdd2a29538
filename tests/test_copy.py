"""Copy that tells the truth: a clipboard tool when one takes the text, else OSC 52 and a
0600 file, else the file alone, each with its exact message; the text copied is plain text
(no Markdown escapes, no word joiners)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from textual.widgets import Markdown

from companion.cli.config import Config
from companion.cli.launch import create_app
from companion.clock import FakeClock
from companion.content.library import Library, resolve_plan
from companion.export import clipboard
from companion.export.markdown import WORD_JOINER
from companion.session import Session
from companion.store.database import Store
from companion.tui.screens.summary import SummaryScreen

FIXTURES = Path(__file__).parent / "fixtures" / "live"
TRICKY = "Design (60 min) for a mid+ engineer: ~8k rps; mail sam@example.org, see www.example.org"


def fake_tool(folder: Path, name: str, *, code: int = 0, hang: bool = False) -> Path:
    """A small script named like a clipboard tool: it saves what it is given beside itself."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / name
    body = "/bin/sleep 30\n" if hang else ""
    script.write_text(f"#!/bin/sh\n{body}/bin/cat > \"$0.got\"\nexit {code}\n")
    script.chmod(0o755)
    return script


def env_with(path: Path, **extra: str) -> dict[str, str]:
    return {"PATH": str(path), **extra}


def test_the_first_tool_that_takes_the_text_is_named(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "xclip", code=1)  # fails: passed over
    fake_tool(bin_dir, "xsel")
    out = clipboard.copy_text("hello", env_with(bin_dir, DISPLAY=":0"), tmp_path / "cache",
                              "card.txt", osc52=True)
    assert out.tool == "xsel" and out.file is None
    assert out.message() == "Copied to the clipboard (xsel)."
    assert (bin_dir / "xsel.got").read_text() == "hello"
    assert not (tmp_path / "cache" / "card.txt").exists()


def test_wayland_first_and_no_display_means_no_x_tools(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    for name in ("wl-copy", "xclip"):
        fake_tool(bin_dir, name)
    assert clipboard.copy_with_tools("a", env_with(bin_dir, WAYLAND_DISPLAY="w", DISPLAY=":0")
                                     ) == "wl-copy"
    assert clipboard.copy_with_tools("a", env_with(bin_dir)) is None  # no display: no xclip
    fake_tool(bin_dir, "pbcopy")
    assert clipboard.copy_with_tools("a", env_with(bin_dir)) == "pbcopy"


def test_a_hanging_tool_times_out(tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "clip.exe", hang=True)
    out = clipboard.copy_text("x", env_with(bin_dir), tmp_path / "cache", "card.txt",
                              osc52=False, timeout=0.2)
    assert out.tool is None and out.file == tmp_path / "cache" / "card.txt"


def test_no_tool_and_no_osc52_writes_a_private_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = clipboard.copy_text("the text", env_with(tmp_path / "empty"), cache, "card.txt",
                              osc52=False)
    assert out.message() == f"No clipboard here: the text is in {cache / 'card.txt'}."
    assert (cache / "card.txt").read_text() == "the text"
    assert stat.S_IMODE(os.stat(cache / "card.txt").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o700


def test_osc52_only_also_writes_the_file(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    out = clipboard.copy_text("t", env_with(tmp_path), cache, "card.txt", osc52=True)
    assert out.message() == ("Sent to the terminal's clipboard. If nothing pastes, the text is "
                             f"in {cache / 'card.txt'}.")
    assert stat.S_IMODE(os.stat(cache / "card.txt").st_mode) == 0o600


@pytest.mark.parametrize(("setting", "reaches"), [("on", True), ("external", False),
                                                   ("off", False)])
def test_osc52_counts_in_tmux_only_with_set_clipboard_on(tmp_path: Path, setting: str,
                                                         reaches: bool) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tmux = bin_dir / "tmux"
    tmux.write_text(f"#!/bin/sh\necho {setting}\n")
    tmux.chmod(0o755)
    env = env_with(bin_dir, TMUX="/tmp/tmux-0/default,1,0")
    assert clipboard.osc52_reaches(env, True) is reaches
    assert clipboard.osc52_reaches(env_with(bin_dir), True) is True  # not in tmux
    assert clipboard.osc52_reaches(env_with(bin_dir), False) is False  # no terminal


# --- the summary screen ------------------------------------------------------------------


@pytest.fixture(scope="module")
def library() -> Library:
    lib = Config(config_dir=FIXTURES / "none", plans=[FIXTURES]).library()
    assert not lib.problems
    return lib


def ended(tmp_path: Path, library: Library) -> tuple[Store, Session]:
    store = Store(tmp_path / "copy.db")
    clock = FakeClock()
    session = Session.start(resolve_plan(library, "t-live"), clock, store.sink("cpy00001"),
                            session_id="cpy00001", candidate="Sam Lee",
                            candidate_id="sam@example.org")
    clock.advance(300)
    session.set_score("clarity", 2, TRICKY)
    session.set_score("depth", 1, "\x1b]52;c;aGk=\x07 escape \x1b[2J in evidence")
    session.set_recommendation("yes")
    session.set_summary(TRICKY + "\nsecond line")
    session.end()
    return store, session


async def copy_on_summary(tmp_path: Path, library: Library,
                          monkeypatch: pytest.MonkeyPatch, *,
                          terminal: bool) -> tuple[str, list[str]]:
    """Press c on the summary screen: what it says, and what went to OSC 52."""
    store, session = ended(tmp_path, library)
    sent: list[str] = []
    monkeypatch.setattr(SummaryScreen, "_on_a_terminal", lambda self: terminal)
    app = create_app(store, session.clock, library, tick=10_000)
    monkeypatch.setattr(app, "copy_to_clipboard", sent.append)
    async with app.run_test(size=(100, 30)) as pilot:
        app.open_summary(session)
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await pilot.pause()
        said = [n.message for n in app._notifications]
        assert app.screen.query_one(Markdown)  # still on the summary
    return said[-1], sent


async def test_summary_copy_with_a_tool(tmp_path: Path, library: Library,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    fake_tool(bin_dir, "xclip")
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("TMUX", raising=False)
    said, sent = await copy_on_summary(tmp_path, library, monkeypatch, terminal=True)
    assert said == "Copied to the clipboard (xclip)."
    assert sent == []
    text = (bin_dir / "xclip.got").read_text()
    # Plain text for an ATS field: as typed, no Markdown escapes, no word joiners.
    assert TRICKY in text and "second line" in text
    assert "\\(" not in text and "\\+" not in text and "\\~" not in text
    assert WORD_JOINER not in text
    assert "\x1b" not in text and "␛]52;c;aGk=␇ escape ␛[2J" in text
    assert "Clarity: 2/2" in text and "Recommendation: yes" in text


async def test_summary_copy_with_osc52_only(tmp_path: Path, library: Library,
                                            monkeypatch: pytest.MonkeyPatch,
                                            isolated_home: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.delenv("TMUX", raising=False)
    said, sent = await copy_on_summary(tmp_path, library, monkeypatch, terminal=True)
    card = isolated_home / ".cache" / "companion" / "scorecard-cpy00001.txt"
    assert said == ("Sent to the terminal's clipboard. If nothing pastes, the text is in "
                    f"{card}.")
    assert sent and TRICKY in sent[0]
    assert card.read_text() == sent[0]
    assert stat.S_IMODE(os.stat(card).st_mode) == 0o600


async def test_summary_copy_with_no_clipboard(tmp_path: Path, library: Library,
                                              monkeypatch: pytest.MonkeyPatch,
                                              isolated_home: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    said, sent = await copy_on_summary(tmp_path, library, monkeypatch, terminal=False)
    card = isolated_home / ".cache" / "companion" / "scorecard-cpy00001.txt"
    assert said == f"No clipboard here: the text is in {card}."
    assert sent == []
    assert TRICKY in card.read_text()
    assert stat.S_IMODE(os.stat(card).st_mode) == 0o600
