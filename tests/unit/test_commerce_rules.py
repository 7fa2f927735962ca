"""Catalogue parsing and pricing, and the service parameters a customer types."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from domain.catalogue import CatalogueError, Price, parse_catalogue, period_price
from domain.errors import InvalidInput
from domain.orders import add_months
from domain.validation import display_domain, domain_name, public_ipv4, service_name

CATALOGUE = Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml"


def test_shipped_catalogue_parses() -> None:
    products = parse_catalogue(CATALOGUE.read_text(encoding="utf-8"), ("en", "ru"))
    assert [p["code"] for p in products] == ["ispmanager", "module", "ssl"]
    licence = products[0]
    assert [t["code"] for t in licence["tariffs"]] == ["lite", "pro", "host", "business"]
    assert [p["months"] for p in licence["periods"]] == [1, 3, 6, 12]
    assert [t["code"] for t in products[2]["tariffs"]] == ["dv", "wildcard", "ov"]
    assert products[2]["tariffs"][1]["wildcard"] and products[2]["base_months"] == 12
    assert [t["san_limit"] for t in products[2]["tariffs"]] == [1, 1, 4]
    assert licence["tariffs"][0]["san_limit"] == 1  # the default, unused outside ssl


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("products = 1", "no [[products]]"),
        ("[[products]]\ncode = 'x'\nkind = 'boat'", "`kind` must be one of"),
        ("[[products]]\ncode = 'x'\nkind = 'ssl'\nname = {en = 'X'}", "no periods"),
        ("[[products]]\ncode = 'x'\nkind = 'ssl'\nperiods = [{months = 12}]\nname = {en = 'X'}", "no text for ru"),
        ("[[products]]\ncode = 'x'\nkind = 'ssl'\nperiods = [{months = 12}]\nname = {en = 'X', ru = 'Х'}\n"
         "description = {en = 'X', ru = 'Х'}\ntariffs = [{code = 'a', price = -1}]", "`price` must be a positive"),
        ("[[products]]\ncode = 'x'\nkind = 'ssl'\nperiods = [{months = 12}]\nname = {en = 'X', ru = 'Х'}\n"
         "description = {en = 'X', ru = 'Х'}\ntariffs = [{code = 'a', price = 1, san_limit = -1}]",
         "tariff 1 \\(a\\): `san_limit` must be a whole number from 0 to 100"),
        ("not toml [", "not valid TOML"),
    ],
)
def test_bad_catalogue_is_refused_with_the_place(text: str, error: str) -> None:
    with pytest.raises(CatalogueError, match=error.replace("[", r"\[").replace("]", r"\]")):
        parse_catalogue(text, ("en", "ru"))


def test_period_prices() -> None:
    assert period_price(1290, 1, 12, 1500) == Price(15480, 2322, 13158)
    assert period_price(590, 1, 3, 500).total == 1681  # 5 % of 17.70 rounds half up to 0.89
    assert period_price(1500, 12, 24, 1000) == Price(3000, 300, 2700)
    assert period_price(1500, 12, 12, 0) == Price(1500, 0, 1500)


@pytest.mark.parametrize(
    ("text", "message_id"),
    [
        ("10.1.2.3", "ip-error-private"), ("192.168.0.1", "ip-error-private"), ("172.20.0.1", "ip-error-private"),
        ("127.0.0.1", "ip-error-loopback"), ("0.0.0.0", "ip-error-unspecified"), ("169.254.1.1", "ip-error-link-local"),
        ("224.0.0.5", "ip-error-multicast"), ("255.255.255.255", "ip-error-broadcast"),
        ("100.64.0.1", "ip-error-shared"), ("203.0.113.7", "ip-error-documentation"),
        ("240.0.0.1", "ip-error-reserved"), ("198.18.0.1", "ip-error-reserved"),
        ("1.2.3", "ip-error-malformed"), ("01.2.3.4", "ip-error-malformed"), ("a.b.c.d", "ip-error-malformed"),
        ("::1", "ip-error-ipv6"), ("", "ip-error-malformed"),
    ],
)
def test_ip_refusals_say_what_is_wrong(text: str, message_id: str) -> None:
    with pytest.raises(InvalidInput) as info:
        public_ipv4(text)
    assert info.value.message_id == message_id


def test_public_ip_accepted_and_trimmed() -> None:
    assert public_ipv4("  93.184.216.34 ") == "93.184.216.34"


@pytest.mark.parametrize(
    ("text", "wildcard", "expected"),
    [
        ("Example.com.", False, "example.com"), ("пример.рф", False, "xn--e1afmkfd.xn--p1ai"),
        ("*.Example.com", True, "*.example.com"), ("*.пример.рф", True, "*.xn--e1afmkfd.xn--p1ai"),
        ("a-b.co.uk", False, "a-b.co.uk"),
    ],
)
def test_domains_accepted(text: str, wildcard: bool, expected: str) -> None:
    assert domain_name(text, wildcard=wildcard) == expected


@pytest.mark.parametrize(
    ("text", "wildcard", "message_id"),
    [
        ("*.example.com", False, "domain-error-wildcard-not-allowed"),
        ("example.com", True, "domain-error-wildcard-needed"),
        ("*.*.example.com", True, "domain-error-wildcard-position"),
        ("a.*.example.com", True, "domain-error-wildcard-needed"),
        ("localhost", False, "domain-error-malformed"), ("-a.com", False, "domain-error-malformed"),
        ("exa mple.com", False, "domain-error-malformed"), ("http://example.com", False, "domain-error-url"),
        ("1.2.3.4", False, "domain-error-ip"), ("a" * 64 + ".com", False, "domain-error-malformed"),
    ],
)
def test_domains_refused(text: str, wildcard: bool, message_id: str) -> None:
    with pytest.raises(InvalidInput) as info:
        domain_name(text, wildcard=wildcard)
    assert info.value.message_id == message_id


def test_display_domain_and_names() -> None:
    assert display_domain("*.xn--e1afmkfd.xn--p1ai") == "*.пример.рф"
    assert service_name("  web   server 1 ") == "web server 1"
    with pytest.raises(InvalidInput):
        service_name("x" * 65)
    with pytest.raises(InvalidInput):
        service_name("   ")


def test_add_months_clamps_to_the_month_end() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 26, 9, tzinfo=UTC), 12) == datetime(2027, 11, 26, 9, tzinfo=UTC)
    assert add_months(datetime(2026, 12, 15, tzinfo=UTC), 3) == datetime(2027, 3, 15, tzinfo=UTC)
