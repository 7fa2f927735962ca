"""Texts that Telegram would refuse as too long are cut to fit, keeping the HTML whole.

Telegram counts a message's text (4,096) and a caption (1,024) after parsing the markup, in UTF-16 code
units. A text over the limit is cut at the limit with an ellipsis, and every tag still open at the cut is
closed, so the result always parses. One place for every outgoing text (bot/telegram.py applies it to each
call), so no screen can fail for being long."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

MESSAGE_LIMIT = 4096
CAPTION_LIMIT = 1024
ELLIPSIS = "…"


def units(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


class _Cutter(HTMLParser):
    def __init__(self, budget: int) -> None:
        super().__init__(convert_charrefs=False)
        self.budget = budget
        self.out: list[str] = []
        self.open: list[str] = []
        self.full = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.full:
            self.out.append(self.get_starttag_text() or f"<{tag}>")
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.full:
            self.out.append(f"</{tag}>")
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]

    def _text(self, raw: str, plain: str) -> None:
        if self.full:
            return
        size = units(plain)
        if size <= self.budget:
            self.out.append(raw)
            self.budget -= size
            return
        # Cut inside plain text: keep whole characters that fit, escaped again.
        kept = []
        for char in plain:
            if units(char) > self.budget:
                break
            kept.append(char)
            self.budget -= units(char)
        self.out.append("".join(kept).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))
        self.full = True

    def handle_data(self, data: str) -> None:
        self._text(data.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), data)

    def handle_entityref(self, name: str) -> None:
        self._text(f"&{name};", unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self._text(f"&#{name};", unescape(f"&#{name};"))


def plain_units(html: str) -> int:
    """The length Telegram counts for an HTML text."""
    cutter = _Cutter(budget=10**9)
    cutter.feed(html)
    cutter.close()
    return 10**9 - cutter.budget


def fit_html(html: str, limit: int) -> str:
    if units(html) <= limit or plain_units(html) <= limit:  # the markup only adds length: most texts stop here
        return html
    cutter = _Cutter(budget=limit - units(ELLIPSIS))
    cutter.feed(html)
    cutter.close()
    closing = "".join(f"</{tag}>" for tag in reversed(cutter.open))
    return "".join(cutter.out).rstrip() + ELLIPSIS + closing


def fit_plain(text: str, limit: int) -> str:
    if units(text) <= limit:
        return text
    kept, budget = [], limit - units(ELLIPSIS)
    for char in text:
        budget -= units(char)
        if budget < 0:
            break
        kept.append(char)
    return "".join(kept).rstrip() + ELLIPSIS
