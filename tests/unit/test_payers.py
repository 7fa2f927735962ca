"""Payers and invoices in the domain, without Telegram: number formats, countries, VAT, default payer rules,
per-year numbering and the bank transfer credited once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from domain.accounts import Accounts, Profile
from domain.clock import FrozenClock
from domain.errors import DomainError, InvalidInput, NotFound
from domain.invoices import VendorDetails, format_number, vat_of
from domain.models import LedgerEntry
from domain.payers import PayerInUse, country_name, parse_country, reg_number, tax_number
from domain.unit import DomainContext, unit_of_work
from tests.unit.conftest import COMPANY


@pytest.mark.parametrize(("net", "rate", "vat"), [
    (25_000, 2000, 5_000), (5, 1000, 1), (4, 1000, 0), (1, 5000, 1), (123, 1900, 23), (590, 2000, 118), (0, 2000, 0),
])
def test_vat_is_rounded_half_up(net: int, rate: int, vat: int) -> None:
    assert vat_of(net, rate) == vat


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=10_000))
def test_vat_matches_decimal_half_up(net: int, rate: int) -> None:
    exact = (Decimal(net) * rate / 10_000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    assert vat_of(net, rate) == int(exact)


def test_invoice_number_format() -> None:
    assert format_number(2026, 123) == "2026-000123"


@pytest.mark.parametrize(("typed", "code"), [
    ("de", "DE"), ("DEU", "DE"), ("Germany", "DE"), ("германия", "DE"), ("Россия", "RU"), ("Russia", "RU"),
    ("Российская Федерация", "RU"), ("  united   kingdom ", "GB"), ("Казахстан", "KZ"), ("France", "FR"),
])
def test_country_by_code_or_name(typed: str, code: str) -> None:
    assert parse_country(typed) == code


@pytest.mark.parametrize("typed", ["", "xx", "Narnia", "a", "Atlantis" * 20])
def test_unknown_country(typed: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_country(typed)
    assert info.value.message_id == "payers-error-country"


def test_country_names_per_language() -> None:
    assert country_name("DE", "ru") == "Германия" and country_name("DE", "en") == "Germany"
    assert country_name("RU", "ru") == "Российская Федерация"


@pytest.mark.parametrize(("country", "typed", "kind", "stored"), [
    ("DE", "DE136695976", "legal", "DE136695976"),
    ("DE", "136 695 976", "sole", "DE136695976"),
    ("NL", "NL004495445B01", "legal", "NL004495445B01"),
    ("RU", "7707083893", "legal", "7707083893"),
    ("RU", "7707083893 / 773601001", "legal", "7707083893/773601001"),
    ("RU", "500100732259", "sole", "500100732259"),
    ("US", "12-3456789", "legal", "123456789"),
    ("AE", "100123456700003", "legal", "100123456700003"),  # no stdnum format: kept as typed
])
def test_valid_tax_numbers(country: str, typed: str, kind: str, stored: str) -> None:
    assert tax_number(country, typed, kind) == stored


@pytest.mark.parametrize(("country", "typed", "kind"), [
    ("DE", "DE136695977", "legal"),  # check digit
    ("DE", "FR40303265045", "legal"),  # another country's VAT number
    ("RU", "7707083894", "legal"),
    ("RU", "500100732259", "legal"),  # a person's INN for a company
    ("RU", "7707083893", "sole"),  # a company's INN for a sole trader
    ("RU", "7707083893/77360", "legal"),  # malformed KPP
    ("RU", "500100732259/773601001", "sole"),  # KPP is for companies
    ("AE", "??", "legal"),
    ("AE", "", "legal"),
])
def test_invalid_tax_numbers(country: str, typed: str, kind: str) -> None:
    with pytest.raises(InvalidInput) as info:
        tax_number(country, typed, kind)
    assert info.value.message_id == "payers-error-tax-number"


def test_registration_numbers() -> None:
    assert reg_number("RU", "1027700132195", "legal") == "1027700132195"
    assert reg_number("FR", "732 829 320", "legal") == "732829320"
    assert reg_number("DE", "HRB 12345", "legal") == "HRB 12345"
    for country, typed in (("RU", "1027700132194"), ("RU", "304500116000157"), ("FR", "732829321"), ("DE", "#")):
        with pytest.raises(InvalidInput):
            reg_number(country, typed, "legal")


# --- the services -----------------------------------------------------------------------------------------

CLOCK_START = datetime(2026, 12, 30, 12, tzinfo=UTC)
VENDOR = VendorDetails(name="Vendor", vat_rate_bp=2000, due_days=10)


@pytest.fixture
def context() -> DomainContext:
    return DomainContext(clock=FrozenClock(CLOCK_START), vendor=VENDOR)


async def customers(sessions, context, *ids: int) -> None:
    async with unit_of_work(sessions, context) as domain:
        for user_id in ids:
            await Accounts(domain.session, context.clock).touch(Profile(id=user_id, first_name=f"User{user_id}"))


PERSON = {"name": "Ann Lee", "country": "GB", "address": None}


async def test_default_payer_rules_and_ownership(sessions, context) -> None:
    await customers(sessions, context, 1, 2)
    async with unit_of_work(sessions, context) as domain:
        first = await domain.payers.create(1, "individual", PERSON)
        second = await domain.payers.create(1, "legal", COMPANY)
        assert (first.is_default, second.is_default) == (True, False)
        assert await domain.payers.resolve(1, None) == first.id
        assert await domain.payers.resolve(2, None) is None  # the implied private person
        with pytest.raises(NotFound):
            await domain.payers.get(2, first.id)
        with pytest.raises(NotFound):
            await domain.payers.resolve(2, first.id)
        with pytest.raises(NotFound):
            await domain.payers.delete(2, first.id)

        await domain.payers.set_default(1, second.id)
        assert [p.id for p in await domain.payers.list(1)] == [second.id, first.id]
        await domain.payers.set_active(1, second.id, False)  # the default passes on
        assert (first.is_default, second.is_default) == (True, False)
        with pytest.raises(DomainError):
            await domain.payers.resolve(1, second.id)
        with pytest.raises(DomainError):
            await domain.payers.set_default(1, second.id)
        await domain.payers.delete(1, first.id)  # nothing paid: deleted; the default goes to... nobody active
        assert await domain.payers.resolve(1, None) is None
        await domain.payers.set_active(1, second.id, True)
        assert second.is_default


async def test_create_checks_every_field_again(sessions, context) -> None:
    await customers(sessions, context, 1)
    async with unit_of_work(sessions, context) as domain:
        with pytest.raises(InvalidInput):
            await domain.payers.create(1, "legal", {**COMPANY, "tax_number": "7707083894"})
        with pytest.raises(InvalidInput):
            await domain.payers.create(1, "sole", {"name": "Hans", "country": "DE", "address": "Berlin 1"})
        with pytest.raises(InvalidInput):
            await domain.payers.create(1, "robot", PERSON)
        payer = await domain.payers.create(1, "legal", COMPANY)
        with pytest.raises(InvalidInput) as info:
            await domain.payers.update_field(1, payer.id, "country", "Germany")  # the INN is not German
        assert info.value.message_id == "payers-error-country-numbers"
        with pytest.raises(InvalidInput):
            await domain.payers.update_field(1, payer.id, "email", None)  # required


async def test_invoices_numbered_per_year_and_paid_once(sessions, context) -> None:
    await customers(sessions, context, 1, 2)
    async with unit_of_work(sessions, context) as domain:
        company = await domain.payers.create(1, "legal", COMPANY)
        first = await domain.invoices.issue_topup(1, None, 10_000)
        second = await domain.invoices.issue_topup(2, None, 2_500)
        assert (first.number, second.number) == ("2026-000001", "2026-000002")
        assert (first.payer_id, first.status, first.bank_transfer) == (company.id, "awaiting", True)
        assert (first.net, first.vat, first.total) == (10_000, 2_000, 12_000)
        assert (second.payer_id, second.status, second.payer["implied"]) == (None, "issued", True)
        assert first.due_at == datetime(2027, 1, 9, 12, tzinfo=UTC)
        with pytest.raises(InvalidInput):
            await domain.invoices.issue_topup(1, None, 1)  # below the top-up minimum
        with pytest.raises(NotFound):
            await domain.invoices.get(2, first.id)
        with pytest.raises(NotFound):
            await domain.invoices.cancel(2, first.id)
    context.clock.move(days=2)  # type: ignore[attr-defined]
    async with unit_of_work(sessions, context) as domain:
        assert (await domain.invoices.issue_topup(1, None, 10_000)).number == "2027-000001"

    async with unit_of_work(sessions, context) as domain:
        paid = await domain.invoices.mark_paid("2026-000001", staff_id=99)
        assert paid.credited and paid.invoice.status == "paid"
        again = await domain.invoices.mark_paid("2026-000001", staff_id=99)
        assert not again.credited
        assert await domain.ledger.balance(1) == 10_000
        with pytest.raises(DomainError) as info:
            await domain.invoices.mark_paid("2026-000002", staff_id=99)  # a private person's, paid in the bot
        assert info.value.message_id == "invoices-error-not-bank-transfer"
        with pytest.raises(NotFound):
            await domain.invoices.mark_paid("2026-000404", staff_id=99)
        with pytest.raises(DomainError):
            await domain.invoices.cancel(1, first.id)  # paid: no longer open
        with pytest.raises(PayerInUse):
            await domain.payers.delete(1, company.id)
        entries = await domain.session.scalars(select(LedgerEntry))
        assert [(e.reference, e.amount) for e in entries] == [(f"invoice:{first.id}", 10_000)]


async def test_concurrent_invoices_get_distinct_sequential_numbers(sessions, context) -> None:
    await customers(sessions, context, *range(1, 6))

    async def issue(user_id: int) -> str:
        async with unit_of_work(sessions, context) as domain:
            return (await domain.invoices.issue_topup(user_id, None, 1_000)).number

    numbers = await asyncio.gather(*(issue(user_id) for user_id in range(1, 6)))
    assert sorted(numbers) == [f"2026-00000{n}" for n in range(1, 6)]
