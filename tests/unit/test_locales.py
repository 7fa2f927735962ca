"""Locales: every .ftl parses, every locale has the same messages with the same variables,
and every message id the code uses exists."""

from __future__ import annotations

import ast

import pytest
from fluent.syntax import FluentParser
from fluent.syntax import ast as ftl
from fluent.syntax.visitor import Visitor

from bot.app import COMMANDS
from bot.config import LOCALES_DIR, available_locales

ROOT = LOCALES_DIR.parent
CODE_DIRS = ("bot", "handlers", "domain")
# Call keywords and attributes whose string value is a Fluent message id.
ID_KEYWORDS = {"text_key", "message_id", "title_key"}


class _Variables(Visitor):
    def __init__(self) -> None:
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ftl.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(locale: str) -> dict[str, set[str]]:
    messages: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        junk = [entry for entry in resource.body if isinstance(entry, ftl.Junk)]
        assert not junk, f"{path}: cannot parse: {junk[0].content[:80]!r} {junk[0].annotations[0].message}"
        for entry in resource.body:
            if isinstance(entry, ftl.Message):
                assert entry.id.name not in messages, f"{path}: {entry.id.name} defined twice"
                visitor = _Variables()
                visitor.visit(entry)
                messages[entry.id.name] = visitor.names
    return messages


def _ids_used_in_code() -> set[tuple[str, str]]:
    used: set[tuple[str, str]] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
                if isinstance(node, ast.Call):
                    func = node.func
                    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                    first = node.args[0] if node.args else None
                    if (name == "get" or name.endswith("Error") or name in {"NotFound", "InvalidInput"}) and \
                            isinstance(first, ast.Constant) and isinstance(first.value, str) and "-" in first.value \
                            and " " not in first.value:
                        used.add((first.value, where))
                    for keyword in node.keywords:
                        if keyword.arg in ID_KEYWORDS and isinstance(keyword.value, ast.Constant):
                            used.add((keyword.value.value, where))
                elif (isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
                      and any(isinstance(t, ast.Name) and t.id == "message_id" for t in node.targets)):
                    used.add((node.value.value, where))
    return used


LOCALES = available_locales()


def test_english_and_russian_present() -> None:
    assert {"en", "ru"} <= set(LOCALES)


@pytest.mark.parametrize("locale", LOCALES)
def test_same_messages_and_variables_as_english(locale: str) -> None:
    english = _messages("en")
    other = _messages(locale)
    assert sorted(set(english) - set(other)) == [], f"missing in {locale}"
    assert sorted(set(other) - set(english)) == [], f"only in {locale}"
    mismatched = {key: (english[key], other[key]) for key in english if english[key] != other[key]}
    assert mismatched == {}


def test_every_id_used_in_code_exists() -> None:
    english = _messages("en")
    used = _ids_used_in_code()
    assert used, "the scan found no message ids at all"
    missing = sorted(f"{key} ({where})" for key, where in used if key not in english)
    assert missing == []
    assert all(f"command-{name}" in english for name in COMMANDS)
