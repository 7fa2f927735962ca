"""HTML, MarkdownV2 and Markdown parsing: plain text, UTF-16 entities, Telegram's error messages."""

from __future__ import annotations

import pytest

from sandbox.text import ParseError, entities_to_html, format_text, utf16_len


def parse(text: str, mode: str) -> tuple[str, list[tuple[str, int, int]]]:
    formatted = format_text(text, mode)
    return formatted.text, [(e["type"], e["offset"], e["length"]) for e in formatted.entities]


def test_utf16_offsets_count_surrogate_pairs() -> None:
    assert utf16_len("😀a") == 3
    assert parse("😀<b>x</b>", "HTML") == ("😀x", [("bold", 2, 1)])


@pytest.mark.parametrize(("tag", "kind"), [
    ("b", "bold"), ("strong", "bold"), ("i", "italic"), ("em", "italic"), ("u", "underline"), ("ins", "underline"),
    ("s", "strikethrough"), ("strike", "strikethrough"), ("del", "strikethrough"), ("tg-spoiler", "spoiler"),
    ("code", "code"), ("pre", "pre"), ("blockquote", "blockquote"),
])
def test_html_tags(tag: str, kind: str) -> None:
    assert parse(f"a <{tag}>x</{tag}>", "HTML") == ("a x", [(kind, 2, 1)])


def test_html_attributes_and_special_tags() -> None:
    formatted = format_text('<span class="tg-spoiler">s</span> <a href="tg://user?id=42">u</a> '
                            '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> '
                            "<blockquote expandable>q</blockquote>", "HTML")
    kinds = [e["type"] for e in formatted.entities]
    assert kinds == ["spoiler", "text_mention", "custom_emoji", "expandable_blockquote"]
    assert formatted.entities[1]["user"]["id"] == 42
    assert formatted.entities[2]["custom_emoji_id"] == "5368324170671202286"


def test_html_character_references() -> None:
    assert parse("&lt;&gt;&amp;&quot;&#65;&#x42; &unknown; & x", "HTML")[0] == '<>&"AB &unknown; & x'


def test_nested_html_round_trips() -> None:
    html = '<b>bold <i>both</i></b> <a href="https://example.com/?a=1&amp;b=2">link</a> 1 &lt; 2'
    formatted = format_text(html, "HTML")
    assert formatted.text == "bold both link 1 < 2"
    assert format_text(entities_to_html(formatted.text, formatted.entities), "HTML").entities == formatted.entities


@pytest.mark.parametrize(("text", "error"), [
    ("<foo>", 'Unsupported start tag "foo" at byte offset 0'),
    ("ж<br/>", 'Unsupported start tag "br/" at byte offset 2'),
    ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
    ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
    ("</b>", "Unexpected end tag at byte offset 0"),
    ("<b x", 'Expected equal sign in declaration of an attribute of the tag "b" at byte offset 0'),
    ("<b>x</b", "Unclosed end tag at byte offset 4"),
    ('<a href="x>y', "Unclosed start tag at byte offset 0"),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a" at byte offset 0'),
    ("<tg-emoji emoji-id=abc>x</tg-emoji>", "Invalid custom emoji identifier specified"),
])
def test_html_errors(text: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        format_text(text, "HTML")
    assert str(caught.value) == error


def test_markdown_v2_entities() -> None:
    text, entities = parse("*b* _i_ __u__ ~s~ ||sp|| `c` [l](https://x.org) \\*", "MarkdownV2")
    assert text == "b i u s sp c l *"
    assert [e[0] for e in entities] == ["bold", "italic", "underline", "strikethrough", "spoiler", "code",
                                        "text_link"]
    assert parse("```python\nprint(1)\n```", "MarkdownV2") == ("print(1)\n", [("pre", 0, 9)])
    assert parse(">quote\n>more\nafter", "MarkdownV2") == ("quote\nmore\nafter", [("blockquote", 0, 11)])


@pytest.mark.parametrize(("text", "error"), [
    ("1.5", "Character '.' is reserved and must be escaped with the preceding '\\'"),
    ("a-b", "Character '-' is reserved and must be escaped with the preceding '\\'"),
    ("*x", "Can't find end of Bold entity at byte offset 0"),
    ("ж _x", "Can't find end of Italic entity at byte offset 3"),
    ("[x](http://a", "Can't find end of a URL at byte offset 4"),
])
def test_markdown_v2_errors(text: str, error: str) -> None:
    with pytest.raises(ParseError) as caught:
        format_text(text, "MarkdownV2")
    assert str(caught.value) == error


def test_legacy_markdown() -> None:
    assert parse("*b* _i_ `c` [l](https://x.org)", "Markdown") == ("b i c l", [
        ("bold", 0, 1), ("italic", 2, 1), ("code", 4, 1), ("text_link", 6, 1)])
    with pytest.raises(ParseError, match="Can't find end of the entity starting at byte offset 0"):
        format_text("*open", "Markdown")


def test_plain_text_keeps_an_escaped_html_view() -> None:
    formatted = format_text("a < b & c", None)
    assert formatted.entities == [] and formatted.html == "a &lt; b &amp; c"
