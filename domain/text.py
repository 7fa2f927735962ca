"""Text a customer or staff member typed, as the domain stores it: one normal form on every database."""

from __future__ import annotations

import unicodedata

_KEPT_CONTROLS = {"\n", "\t"}


def _unwanted(char: str) -> bool:
    """Control characters (C0, C1, NUL included; newline and tab kept), surrogates and noncharacters.
    Format characters (RTL marks, the zero-width joiner in emoji) are part of real text and stay."""
    if char in _KEPT_CONTROLS:
        return False
    code = ord(char)
    if 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE:
        return True
    return unicodedata.category(char) in ("Cc", "Cs")


def normalise(text: str) -> str:
    """NFC, line breaks as `\\n`, without control characters, surrogates and noncharacters. PostgreSQL refuses
    NUL in text, SQLite keeps it: removing it here makes both store the same."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if any(_unwanted(char) for char in text):
        text = "".join(char for char in text if not _unwanted(char))
    return unicodedata.normalize("NFC", text)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[: max(limit - 1, 0)].rstrip() + "…"
