"""Telegram's HTML parse mode, following tdlib's parser (same entities, same error messages)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sandbox.text.entities import ParseError, link_entity, sort_entities, utf16_len

SUPPORTED_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins", "tg-spoiler", "tg-emoji", "span", "pre",
     "code", "blockquote"}
)
_SIMPLE = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "s": "strikethrough", "strike": "strikethrough",
    "del": "strikethrough", "u": "underline", "ins": "underline", "tg-spoiler": "spoiler",
}
_SPACES = " \t\r\n\f\v"
_PLAIN = re.compile(r"[^<&]*")
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int
    text_start: int
    begin: int
    expandable: bool = False


def decode_entity(src: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML character reference at src[pos] == '&'; None keeps the '&' literally (as tdlib)."""
    end = pos + 1
    if src[end : end + 1] == "#":
        end += 1
        code = 0
        if src[end : end + 1] == "x":
            end += 1
            while end < len(src) and src[end] in "0123456789abcdefABCDEF":
                code = code * 16 + int(src[end], 16)
                end += 1
        else:
            while end < len(src) and src[end].isdigit() and src[end].isascii():
                code = code * 10 + int(src[end])
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10 or 0xD800 <= code <= 0xDFFF:
            return None
        char = chr(code)
    else:
        while end < len(src) and src[end].isascii() and src[end].isalpha():
            end += 1
        name = src[pos + 1 : end]
        if name not in _NAMED:
            return None
        char = _NAMED[name]
    if src[end : end + 1] == ";":
        end += 1
    return char, end


class _HtmlParser:
    def __init__(self, src: str) -> None:
        self.src = src
        self.out: list[str] = []
        self.u16 = 0
        self.entities: list[dict[str, Any]] = []
        self.stack: list[_Open] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.src[:pos].encode())

    def error(self, message: str) -> ParseError:
        return ParseError(message)

    def parse(self) -> tuple[str, list[dict[str, Any]]]:
        src, i = self.src, 0
        while i < len(src):
            char = src[i]
            if char == "&":
                decoded = decode_entity(src, i)
                if decoded is not None:
                    self.emit(decoded[0])
                    i = decoded[1]
                    continue
            if char != "<":
                # A run of plain text up to the next tag or character reference goes out in one piece.
                end = _PLAIN.match(src, i + 1).end()
                self.emit(src[i:end])
                i = end
                continue
            i = self.end_tag(i) if src[i + 1 : i + 2] == "/" else self.start_tag(i)
        if self.stack:
            raise self.error(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"')
        return "".join(self.out), sort_entities(self.entities)

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.u16 += utf16_len(text)

    def start_tag(self, begin: int) -> int:
        src, i = self.src, begin + 1
        while i < len(src) and src[i] not in _SPACES and src[i] != ">":
            i += 1
        if i >= len(src):
            raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = src[begin + 1 : i].lower()
        if tag not in SUPPORTED_TAGS:
            raise self.error(f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}')
        argument, expandable = "", False
        while True:
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i >= len(src):
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if src[i] == ">":
                break
            name_start = i
            while i < len(src) and src[i] not in _SPACES and src[i] not in "=>":
                i += 1
            name = src[name_start:i]
            if not name:
                raise self.error(f'Empty attribute name in the tag "{tag}" at byte offset {self.byte_offset(begin)}')
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i < len(src) and src[i] != "=" and tag == "blockquote" and name.lower() == "expandable":
                expandable = True
                continue
            if i >= len(src) or src[i] != "=":
                raise self.error(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            i += 1
            while i < len(src) and src[i] in _SPACES:
                i += 1
            if i >= len(src):
                raise self.error(f'Unclosed start tag "{tag}" at byte offset {self.byte_offset(begin)}')
            value, i = self.attribute_value(i)
            if i >= len(src):
                raise self.error(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            argument = self.tag_argument(tag, name, value, argument)
        if tag == "span" and argument != "spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}')
        self.stack.append(_Open(tag, argument, self.u16, len(self.out), begin, expandable))
        return i + 1

    def attribute_value(self, i: int) -> tuple[str, int]:
        src = self.src
        if src[i] not in "'\"":
            start = i
            while i < len(src) and ((src[i].isalnum() and src[i].isascii()) or src[i] in ".-"):
                i += 1
            if i < len(src) and src[i] not in _SPACES and src[i] != ">":
                raise self.error(f"Unexpected end of name token at byte offset {self.byte_offset(start)}")
            return src[start:i].lower(), i
        quote = src[i]
        i += 1
        chars: list[str] = []
        while i < len(src) and src[i] != quote:
            if src[i] == "&":
                decoded = decode_entity(src, i)
                if decoded is not None:
                    chars.append(decoded[0])
                    i = decoded[1]
                    continue
            chars.append(src[i])
            i += 1
        if i < len(src):
            i += 1
        return "".join(chars), i

    @staticmethod
    def tag_argument(tag: str, name: str, value: str, current: str) -> str:
        if tag == "a" and name == "href":
            return value
        if tag == "code" and name == "class" and value.startswith("language-"):
            return value[len("language-") :]
        if tag == "span" and name == "class" and value.startswith("tg-"):
            return value[3:]
        if tag == "tg-emoji" and name == "emoji-id":
            return value
        return current

    def end_tag(self, begin: int) -> int:
        src = self.src
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        i = begin + 2
        while i < len(src) and src[i] not in _SPACES and src[i] != ">":
            i += 1
        name = src[begin + 2 : i].lower()
        while i < len(src) and src[i] in _SPACES:
            i += 1
        if i >= len(src) or src[i] != ">":
            raise self.error(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack[-1]
        if name and name != opened.tag:
            raise self.error(
                f'Unmatched end tag at byte offset {self.byte_offset(begin)}, expected "</{opened.tag}>", '
                f'found "</{name}>"'
            )
        self.stack.pop()
        if self.u16 > opened.offset:
            self.close_entity(opened)
        return i + 1

    def close_entity(self, opened: _Open) -> None:
        offset, length, tag = opened.offset, self.u16 - opened.offset, opened.tag
        base = {"offset": offset, "length": length}
        if tag in _SIMPLE or tag == "span":
            self.entities.append({"type": _SIMPLE.get(tag, "spoiler"), **base})
        elif tag == "tg-emoji":
            if not opened.argument.isdigit() or int(opened.argument) == 0:
                raise self.error("Invalid custom emoji identifier specified")
            self.entities.append({"type": "custom_emoji", **base, "custom_emoji_id": opened.argument})
        elif tag == "a":
            url = opened.argument or "".join(self.out[opened.text_start :])
            entity = link_entity(offset, length, url)
            if entity is not None:
                self.entities.append(entity)
        elif tag == "blockquote":
            kind = "expandable_blockquote" if opened.expandable else "blockquote"
            self.entities.append({"type": kind, **base})
        elif tag == "pre":
            last = self.entities[-1] if self.entities else None
            if last and last["type"] == "code" and last["offset"] == offset and last["length"] == length:
                language = last.pop("language", "")
                last["type"] = "pre"
                if language:
                    last["language"] = language
            else:
                self.entities.append({"type": "pre", **base})
        else:
            last = self.entities[-1] if self.entities else None
            if last and last["type"] == "pre" and last["offset"] == offset and last["length"] == length:
                if opened.argument:
                    last["language"] = opened.argument
            else:
                entity = {"type": "code", **base}
                if opened.argument:
                    entity["language"] = opened.argument
                self.entities.append(entity)


def parse_html(src: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into plain text and entities (UTF-16 offsets)."""
    text, entities = _HtmlParser(src).parse()
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return text, entities
