"""Message entities with UTF-16 offsets, and the text formatting entry point."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any


class ParseError(ValueError):
    """A parse_mode error; the message is what Telegram puts after "can't parse entities: "."""


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass
class FormattedText:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    html: str = ""


def sort_entities(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def checked_link(url: str) -> str:
    """A link as Telegram keeps it in a text_link entity ("" when it is not a usable link)."""
    url = url.strip()
    if not url or any(ch.isspace() for ch in url):
        return ""
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
        return url
    return "http://" + url


def link_entity(offset: int, length: int, url: str) -> dict[str, Any] | None:
    match = re.fullmatch(r"tg://user\?id=(\d+)", url)
    if match:
        user = {"id": int(match.group(1)), "is_bot": False, "first_name": "User"}
        return {"type": "text_mention", "offset": offset, "length": length, "user": user}
    checked = checked_link(url)
    if not checked:
        return None
    return {"type": "text_link", "offset": offset, "length": length, "url": checked}


_AUTO_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("bot_command", re.compile(r"(?<![\w/])/[a-zA-Z0-9_]{1,64}(?:@[a-zA-Z0-9_]{3,32})?(?![\w/])")),
    ("email", re.compile(r"(?<![\w.@])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("url", re.compile(r"(?<![\w@/])(?:https?://)?(?:[\w-]+\.)+[a-zA-Z]{2,}(?::\d+)?(?:/[^\s]*)?")),
    ("mention", re.compile(r"(?<![\w@])@[a-zA-Z0-9_]{4,32}\b")),
    ("hashtag", re.compile(r"(?<![\w#])#\w+")),
]


def detect_entities(text: str) -> list[dict[str, Any]]:
    """Entities Telegram finds by itself in a message text: commands, links, mentions, hashtags, e-mails."""
    found: list[dict[str, Any]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _AUTO_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < t_end and t_start < end for t_start, t_end in taken):
                continue
            taken.append((start, end))
            offset = utf16_len(text[:start])
            found.append({"type": kind, "offset": offset, "length": utf16_len(match.group(0))})
    return sort_entities(found)


_HTML_TAGS = {
    "bold": ("<b>", "</b>"),
    "italic": ("<i>", "</i>"),
    "underline": ("<u>", "</u>"),
    "strikethrough": ("<s>", "</s>"),
    "spoiler": ("<tg-spoiler>", "</tg-spoiler>"),
    "code": ("<code>", "</code>"),
    "blockquote": ("<blockquote>", "</blockquote>"),
    "expandable_blockquote": ("<blockquote expandable>", "</blockquote>"),
}


def _open_tag(entity: dict[str, Any]) -> tuple[str, str]:
    kind = entity["type"]
    if kind in _HTML_TAGS:
        return _HTML_TAGS[kind]
    if kind == "text_link":
        return f'<a href="{html.escape(entity["url"])}">', "</a>"
    if kind == "text_mention":
        return f'<a href="tg://user?id={entity["user"]["id"]}">', "</a>"
    if kind == "custom_emoji":
        return f'<tg-emoji emoji-id="{entity["custom_emoji_id"]}">', "</tg-emoji>"
    if kind == "pre":
        language = entity.get("language")
        if language:
            return f'<pre><code class="language-{html.escape(language)}">', "</code></pre>"
        return "<pre>", "</pre>"
    return "", ""


def entities_to_html(text: str, entities: list[dict[str, Any]]) -> str:
    """Render a text with its entities as Telegram HTML (the form the driver and playground show)."""
    units = text.encode("utf-16-le")
    starts: dict[int, list[dict[str, Any]]] = {}
    for entity in sort_entities(entities):
        if _open_tag(entity)[0]:
            starts.setdefault(entity["offset"], []).append(entity)
    out: list[str] = []
    stack: list[tuple[int, str]] = []
    pos = 0
    total = len(units) // 2
    while pos <= total:
        while stack and stack[-1][0] <= pos:
            out.append(stack.pop()[1])
        for entity in starts.get(pos, []):
            opening, closing = _open_tag(entity)
            out.append(opening)
            stack.append((entity["offset"] + entity["length"], closing))
        if pos == total:
            break
        step = 2 if 0xD800 <= int.from_bytes(units[pos * 2 : pos * 2 + 2], "little") <= 0xDBFF else 1
        out.append(html.escape(units[pos * 2 : (pos + step) * 2].decode("utf-16-le"), quote=False))
        pos += step
    while stack:
        out.append(stack.pop()[1])
    return "".join(out)


def _validate_entities(text: str, raw: Any) -> list[dict[str, Any]]:
    from sandbox.errors import bad_request

    if not isinstance(raw, list):
        raise bad_request("can't parse entities JSON object")
    total = utf16_len(text)
    result: list[dict[str, Any]] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("type"), str):
            raise bad_request("can't parse MessageEntity: Field \"type\" must be of type String")
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or offset < 0 or length <= 0:
            raise bad_request("can't parse MessageEntity: Field \"offset\" must be of type Number")
        if offset + length > total:
            continue
        result.append(dict(item))
    return sort_entities(result)


def format_text(text: str, parse_mode: str | None, entities: Any = None) -> FormattedText:
    """Apply parse_mode (or explicit entities) the way Telegram does; raises ParseError or ApiError."""
    from sandbox.errors import bad_request
    from sandbox.text.html_parser import parse_html
    from sandbox.text.markdown import parse_markdown, parse_markdown_v2

    if entities is not None and entities != []:
        plain_entities = _validate_entities(text, entities)
        return FormattedText(text, plain_entities, entities_to_html(text, plain_entities))
    mode = (parse_mode or "").strip()
    if not mode:
        return FormattedText(text, [], html.escape(text, quote=False))
    lowered = mode.lower()
    if lowered == "html":
        plain, found = parse_html(text)
        return FormattedText(plain, found, text)
    if lowered == "markdownv2":
        plain, found = parse_markdown_v2(text)
    elif lowered == "markdown":
        plain, found = parse_markdown(text)
    else:
        raise bad_request("unsupported parse_mode")
    return FormattedText(plain, found, entities_to_html(plain, found))
