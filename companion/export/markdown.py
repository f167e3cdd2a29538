"""Markdown helpers: user text is escaped so it can never break the layout."""

from __future__ import annotations

import html
import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def escape_inline(text: str) -> str:
    """One line of user text, safe inside a paragraph, list item or table cell."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(r"\\\1", html.escape(flat, quote=False))


def escape_block(text: str) -> str:
    """Several lines of user text: each line escaped, line breaks kept as hard breaks."""
    lines = [escape_inline(line) for line in text.splitlines() if line.strip()]
    return "  \n".join(lines)
