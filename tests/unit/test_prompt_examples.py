"""Every example a prompt or an error shows ("e.g. 203.0.113.10", "например +7 900 123-45-67") is taken by the
validator that checks what the customer then types: a prompt never offers what it refuses.

The examples are read from the locales themselves, in every language, so a changed example is checked again;
a message that shows an example and is not listed here fails `test_every_example_is_checked`."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fluent.runtime import FluentBundle, FluentResource
from fluent.syntax import FluentParser, ast

from domain.discounts import parse_grant
from domain.payers import clean_field, parse_country, tax_number
from domain.settings import normalise_email, normalise_phone
from domain.timezones import search
from domain.validation import domain_name, public_ipv4
from domain.values import parse_amount

LOCALES = Path(__file__).resolve().parents[2] / "locales"
LANGUAGES = sorted(p.name for p in LOCALES.iterdir() if p.is_dir())
# What introduces an example, in the languages the bot speaks.
MARKER = re.compile(r"e\.g\.|Example:|например|напр\.|Пример:")
INVOICE_NUMBER = re.compile(r"^\d{4}-\d{6}$")


def amount(text: str) -> None:
    assert parse_amount(text, 2) > 0


def time_zone(text: str) -> None:
    assert search(text, tuple(LANGUAGES)), f"no time zone found for {text!r}"


def invoice_number(text: str) -> None:
    assert INVOICE_NUMBER.match(text.removeprefix("/paid ").strip()), text


def discount_command(text: str) -> None:
    parse_grant(text.removeprefix("/discount").strip(), 2, date(2026, 11, 26))


Check = Callable[[str], Any]
# message id -> the arguments it is shown with (one dict per variant of a select), and the check of its examples
EXAMPLES: dict[str, tuple[list[dict[str, Any]], Check]] = {
    "order-ask-ip": ([{}], public_ipv4),
    "licence-ask-ip": ([{"title": "x", "current": "—"}], public_ipv4),
    "order-ask-domain": ([{}], lambda text: domain_name(text, wildcard=False)),
    "order-ask-domain-wildcard": ([{}], lambda text: domain_name(text, wildcard=True)),
    "domain-error-wildcard-needed": ([{"value": "x"}], lambda text: domain_name(text, wildcard=True)),
    "settings-phone-ask": ([{"current": "—"}], normalise_phone),
    "settings-phone-invalid": ([{}], normalise_phone),
    "settings-email-invalid": ([{}], normalise_email),
    "settings-tz-text": ([{"zone": "UTC", "now": "now"}], time_zone),
    "settings-tz-not-found": ([{"query": "x"}], time_zone),
    "payers-ask-name": ([{"kind": "legal"}, {"kind": "individual"}],
                        lambda text: clean_field("individual", "name", text, None)),
    "payers-ask-tax-number": ([{"kind": "legal"}], lambda text: tax_number(text[:2], text, "legal")),
    "payers-error-country": ([{"value": "x"}], parse_country),
    "topup-ask-amount": ([{"minimum": "5", "maximum": "1000"}], amount),
    "topup-error-not-amount": ([{"value": "x"}], amount),
    "invoices-ask-amount": ([{"minimum": "5", "maximum": "1000"}], amount),
    "methods-autopay-ask-limit": ([{}], amount),
    "invoices-staff-usage": ([{}], invoice_number),
    "discounts-staff-usage": ([{}], discount_command),
}
# Messages the marker matches that show no example to type.
NOT_EXAMPLES = {
    "ip-error-documentation",  # "reserved for documentation and examples"
    "domain-error-wildcard-position",  # states the rule
}


def bundle(language: str) -> FluentBundle:
    fluent = FluentBundle([language], use_isolating=False)
    for path in sorted((LOCALES / language).glob("*.ftl")):
        fluent.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return fluent


def examples_in(text: str) -> list[str]:
    """What follows the marker: the <code>/<i> parts after it, else the words up to the sentence's end, split
    at "or"/"или"/commas."""
    found = MARKER.search(text)
    assert found is not None, f"no example in {text!r}"
    rest = text[found.end():]
    tagged = re.findall(r"<(?:code|i)>(.*?)</(?:code|i)>", rest)
    if tagged:
        return [t.replace("&lt;", "<").replace("&gt;", ">") for t in tagged]
    rest = rest.split(")")[0].split("\n")[0].strip().lstrip(",").strip()
    rest = re.sub(r"\.$", "", rest)
    return [part.strip() for part in re.split(r"\s+(?:or|или)\s+|,\s+", rest) if part.strip()]


CASES = [(language, message_id, args) for language in LANGUAGES for message_id, (variants, _) in EXAMPLES.items()
         for args in variants]


@pytest.mark.parametrize(("language", "message_id", "args"), CASES)
def test_examples_pass_their_own_validation(language: str, message_id: str, args: dict[str, Any]) -> None:
    fluent = bundle(language)
    message = fluent.get_message(message_id)
    assert message.value is not None
    text, errors = fluent.format_pattern(message.value, args)
    assert not errors, errors
    check = EXAMPLES[message_id][1]
    shown = examples_in(text)
    assert shown, text
    for example in shown:
        check(example)  # raises InvalidInput (or fails) for an example the bot would refuse


def test_the_documentation_address_is_refused_so_no_prompt_may_show_it() -> None:
    from domain.errors import InvalidInput

    with pytest.raises(InvalidInput):
        public_ipv4("203.0.113.10")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_example_is_checked(language: str) -> None:
    """A message whose text shows an example must be in EXAMPLES (or, showing none, in NOT_EXAMPLES)."""
    unchecked = []
    parser = FluentParser()
    for path in sorted((LOCALES / language).glob("*.ftl")):
        for entry in parser.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(entry, ast.Message) or entry.value is None:
                continue
            source = "".join(e.value for e in _text_elements(entry.value))
            if re.search(r"e\.g\.|Example:|например|напр\.|Пример:", source) and entry.id.name not in EXAMPLES \
                    and entry.id.name not in NOT_EXAMPLES:
                unchecked.append(entry.id.name)
    assert unchecked == []


def _text_elements(node: Any) -> list[ast.TextElement]:
    found = []
    for element in getattr(node, "elements", []):
        if isinstance(element, ast.TextElement):
            found.append(element)
        elif isinstance(element, ast.Placeable) and isinstance(element.expression, ast.SelectExpression):
            for variant in element.expression.variants:
                found.extend(_text_elements(variant.value))
    return found
