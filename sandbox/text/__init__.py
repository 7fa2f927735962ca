"""Telegram text formatting: HTML / MarkdownV2 / Markdown parsing and entity rendering."""

from sandbox.text.entities import FormattedText, ParseError, entities_to_html, format_text, utf16_len

__all__ = ["FormattedText", "ParseError", "entities_to_html", "format_text", "utf16_len"]
