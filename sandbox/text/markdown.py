"""Telegram's MarkdownV2 and legacy Markdown parse modes, following tdlib."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.text.entities import ParseError, link_entity, sort_entities, utf16_len

_RESERVED = "_*[]()~`>#+-=|{}.!\n"
_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "text_link": "TextUrl", "code": "Code", "pre": "Pre", "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}


@dataclass
class _Open:
    kind: str
    argument: str
    offset: int
    byte_offset: int
    text_start: int


def _reserved(char: str) -> ParseError:
    return ParseError(f"Character '{char}' is reserved and must be escaped with the preceding '\\'")


class _MarkdownV2:
    def __init__(self, src: str) -> None:
        self.src = src
        self.out: list[str] = []
        self.u16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []
        self.have_blockquote = False

    def at(self, i: int) -> str:
        return self.src[i] if 0 <= i < len(self.src) else ""

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode())

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.u16 += utf16_len(text)

    def is_end(self, i: int) -> bool:
        char = self.src[i]
        if not self.stack:
            return False
        if self.have_blockquote and char == "\n" and self.at(i + 1) != ">":
            return True
        kind = self.stack[-1].kind
        return {
            "bold": char == "*",
            "italic": char == "_" and self.at(i + 1) != "_",
            "code": char == "`",
            "pre": char == "`" and self.at(i + 1) == "`" and self.at(i + 2) == "`",
            "text_link": char == "]",
            "underline": char == "_" and self.at(i + 1) == "_",
            "strikethrough": char == "~",
            "spoiler": char == "|" and self.at(i + 1) == "|",
            "custom_emoji": char == "]",
        }.get(kind, False)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        src, i = self.src, 0
        while i < len(src):
            char = src[i]
            if char == "\\" and 0 < ord(self.at(i + 1) or "\0") <= 126:
                self.emit(src[i + 1])
                i += 2
                continue
            in_code = bool(self.stack) and self.stack[-1].kind in ("code", "pre")
            reserved = "`" if in_code else _RESERVED
            if char not in reserved:
                self.emit(char)
                i += 1
                continue
            i = self.close(i) if self.is_end(i) else self.open(i)
        if self.have_blockquote and self.stack and self.stack[-1].kind == "blockquote":
            opened = self.stack.pop()
            if self.u16 > opened.offset:
                length = self.u16 - opened.offset
                self.entities.append({"type": "blockquote", "offset": opened.offset, "length": length})
        if self.stack:
            opened = self.stack[-1]
            raise ParseError(f"Can't find end of {_TYPE_NAMES[opened.kind]} entity at byte offset {opened.byte_offset}")
        return "".join(self.out), sort_entities(self.entities)

    def open(self, i: int) -> int:
        char, start, argument = self.src[i], i, ""
        if char == "_":
            kind = "underline" if self.at(i + 1) == "_" else "italic"
            i += 2 if kind == "underline" else 1
        elif char == "*":
            kind, i = "bold", i + 1
        elif char == "~":
            kind, i = "strikethrough", i + 1
        elif char == "|":
            if self.at(i + 1) != "|":
                raise _reserved(char)
            kind, i = "spoiler", i + 2
        elif char == "[":
            kind, i = "text_link", i + 1
        elif char == "`":
            if self.at(i + 1) == "`" and self.at(i + 2) == "`":
                kind, i = "pre", i + 3
                end = i
                while end < len(self.src) and not self.src[end].isspace() and self.src[end] != "`":
                    end += 1
                if end != i and end < len(self.src) and self.src[end] != "`":
                    argument, i = self.src[i:end], end
                if self.at(i) in "\r\n" and self.at(i):
                    pair = self.at(i + 1) in "\r\n" and self.at(i + 1) and self.at(i + 1) != self.at(i)
                    i += 2 if pair else 1
            else:
                kind, i = "code", i + 1
        elif char == "!":
            if self.at(i + 1) != "[":
                raise _reserved(char)
            kind, i = "custom_emoji", i + 2
        elif char == "\n":
            self.emit("\n")
            i += 1
            if self.at(i) != ">":
                return i
            i += 1
            if self.have_blockquote:
                return i
            kind = "blockquote"
            self.have_blockquote = True
        elif char == ">" and i == 0:
            kind, i = "blockquote", i + 1
            self.have_blockquote = True
        else:
            raise _reserved(char)
        self.stack.append(_Open(kind, argument, self.u16, self.byte_offset(start), len(self.out)))
        return i

    def close(self, i: int) -> int:
        opened = self.stack[-1]
        char = self.src[i]
        if char == "\n" and opened.kind != "blockquote":
            raise ParseError(f"Can't find end of {_TYPE_NAMES[opened.kind]} entity at byte offset {opened.byte_offset}")
        skip = self.u16 == opened.offset
        entity: dict[str, Any] | None = None
        base = {"offset": opened.offset, "length": self.u16 - opened.offset}
        if opened.kind in ("bold", "italic", "code", "strikethrough"):
            entity, i = {"type": opened.kind, **base}, i + 1
        elif opened.kind in ("underline", "spoiler"):
            entity, i = {"type": opened.kind, **base}, i + 2
        elif opened.kind == "pre":
            entity, i = {"type": "pre", **base}, i + 3
            if opened.argument:
                entity["language"] = opened.argument
        elif opened.kind == "text_link":
            if self.at(i + 1) != "(":
                url, i = "".join(self.out[opened.text_start :]), i + 1
            else:
                url, i = self.read_url(i + 2, "Can't find end of a URL at byte offset")
            entity = link_entity(opened.offset, base["length"], url)
        elif opened.kind == "custom_emoji":
            if self.at(i + 1) != "(":
                raise ParseError("Custom emoji entity must contain a tg://emoji URL")
            url, i = self.read_url(i + 2, "Can't find end of a custom emoji URL at byte offset")
            emoji_id = url.removeprefix("tg://emoji?id=")
            if emoji_id == url or not emoji_id.isdigit():
                raise ParseError("Custom emoji URL must have an emoji identifier")
            entity = {"type": "custom_emoji", **base, "custom_emoji_id": emoji_id}
        else:
            self.have_blockquote = False
            self.emit(char)
            i += 1
            base["length"] = self.u16 - opened.offset
            entity = {"type": "blockquote", **base}
            skip = False
        self.stack.pop()
        if entity is not None and not skip:
            self.entities.append(entity)
        return i

    def read_url(self, i: int, error: str) -> tuple[str, int]:
        start, chars = i, []
        while i < len(self.src) and self.src[i] != ")":
            if self.src[i] == "\\" and 0 < ord(self.at(i + 1) or "\0") <= 126:
                chars.append(self.src[i + 1])
                i += 2
                continue
            chars.append(self.src[i])
            i += 1
        if self.at(i) != ")":
            raise ParseError(f"{error} {self.byte_offset(start)}")
        return "".join(chars), i + 1


def parse_markdown_v2(src: str) -> tuple[str, list[dict[str, Any]]]:
    return _MarkdownV2(src).parse()


_LEGACY = {"_": "italic", "*": "bold", "`": "code", "[": "text_link"}


def parse_markdown(src: str) -> tuple[str, list[dict[str, Any]]]:
    """Legacy Markdown: *bold*, _italic_, `code`, ```pre```, [text](url); no nesting, no escaping inside."""
    out: list[str] = []
    entities: list[dict[str, Any]] = []
    u16, i = 0, 0
    while i < len(src):
        char = src[i]
        if char == "\\" and i + 1 < len(src) and src[i + 1] in "_*`[":
            out.append(src[i + 1])
            u16 += 1
            i += 2
            continue
        if char not in _LEGACY:
            out.append(char)
            u16 += utf16_len(char)
            i += 1
            continue
        begin = i
        if src.startswith("```", i):
            end = src.find("```", i + 3)
            if end < 0:
                raise ParseError(f"Can't find end of the entity starting at byte offset {len(src[:begin].encode())}")
            body = src[i + 3 : end]
            language = ""
            first_line, newline, rest = body.partition("\n")
            if newline and first_line and " " not in first_line:
                language, body = first_line, rest
            if body:
                entity = {"type": "pre", "offset": u16, "length": utf16_len(body)}
                if language:
                    entity["language"] = language
                entities.append(entity)
            out.append(body)
            u16 += utf16_len(body)
            i = end + 3
            continue
        end_char = "]" if char == "[" else char
        end = src.find(end_char, i + 1)
        if end < 0:
            raise ParseError(f"Can't find end of the entity starting at byte offset {len(src[:begin].encode())}")
        body = src[i + 1 : end]
        i = end + 1
        if char == "[":
            if src[i : i + 1] != "(" or src.find(")", i) < 0:
                raise ParseError(f"Can't find end of the entity starting at byte offset {len(src[:begin].encode())}")
            close = src.find(")", i)
            url, i = src[i + 1 : close], close + 1
            entity = link_entity(u16, utf16_len(body), url) if body else None
        else:
            entity = {"type": _LEGACY[char], "offset": u16, "length": utf16_len(body)} if body else None
        if entity is not None:
            entities.append(entity)
        out.append(body)
        u16 += utf16_len(body)
    return "".join(out), sort_entities(entities)
