"""Licences and modules without Telegram: proration, the IP and key limits, ownership, delete and its refund."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from bot.config import PROJECT_ROOT
from domain.clock import FrozenClock
from domain.crypto import Cipher
from domain.errors import InvalidInput, NotFound
from domain.ledger import InsufficientFunds
from domain.models import LedgerEntry, Service, ServiceEvent, User
from domain.services import (
    IpChangeLimited,
    KeyLimited,
    QuoteChanged,
    days_left,
    next_month,
    period_days,
    prorate,
    tariff_quote,
)
from domain.unit import DomainContext, unit_of_work

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
IP = "93.184.216.34"


def test_prorate_rounds_half_up_to_a_minor_unit() -> None:
    assert prorate(13158, 300, 365) == 10815  # 10814.79
    assert prorate(30498, 300, 365) == 25067  # 25066.85
    assert prorate(100, 1, 2) == 50 and prorate(1, 1, 2) == 1 and prorate(3, 1, 2) == 2
    assert prorate(13158, 365, 365) == 13158 and prorate(13158, 0, 365) == 0


def test_days_left_counts_whole_days_and_never_goes_negative() -> None:
    expires = START.replace(year=2027)
    assert days_left(START, expires) == 365
    assert days_left(START + timedelta(days=65), expires) == 300
    assert days_left(expires - timedelta(hours=23), expires) == 0
    assert days_left(expires + timedelta(days=3), expires) == 0
    assert period_days(expires, 12) == 365
    assert period_days(datetime(2027, 3, 31, tzinfo=UTC), 1) == 31  # from 28 Feb
    assert period_days(datetime(2026, 12, 26, tzinfo=UTC), 1) == 30


def test_tariff_quote_credits_unused_and_charges_new_for_the_days_left() -> None:
    expires = START.replace(year=2027)
    quote = tariff_quote(13158, 30498, object(), START + timedelta(days=65), expires, 12)  # type: ignore[arg-type]
    assert (quote.days, quote.of_days, quote.unused, quote.new_cost, quote.amount) == (300, 365, 10815, 25067, 14252)
    cheaper = tariff_quote(13158, 6018, object(), START + timedelta(days=65), expires, 12)  # type: ignore[arg-type]
    assert cheaper.amount == 4946 - 10815


def test_next_month() -> None:
    assert next_month(START) == datetime(2026, 12, 1, tzinfo=UTC)
    assert next_month(datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == datetime(2027, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
def unit(sessions, clock):
    cipher = Cipher.generate()

    def make(refund: str = "none"):
        context = DomainContext(clock=clock, cipher=cipher, refund_on_delete=refund)

        return unit_of_work(sessions, context)

    return make


@pytest.fixture
async def shop(unit, clock) -> None:
    async with unit() as domain:
        for user_id in (1, 2):
            domain.session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(),
                                    last_seen_at=clock.now(), time_zone="UTC", reachable=True))
        text = (PROJECT_ROOT / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")
        await domain.catalogue.sync(text, ("en", "ru"))


async def buy(unit, user_id: int, tariff: str = "pro", months: int = 12, product: str = "ispmanager", count: int = 1,
              **params) -> int:
    """Services bought through the cart (`count` alike in one order: the order key is the cart's content)."""
    async with unit() as domain:
        chosen = next(t for t in await domain.catalogue.tariffs(product) if t.code == tariff)
        price = await domain.catalogue.price(chosen, months)
        entries = list(await domain.session.scalars(select(LedgerEntry)))
        await domain.ledger.post(user_id, "adjustment", price.total * count, f"test:{count}:{len(entries)}")
        if product == "ispmanager":
            params.setdefault("ip", IP)
        for _ in range(count):
            await domain.orders.add_to_cart(user_id, chosen.id, months, params)
        return (await domain.orders.checkout(user_id)).services[0].id


async def test_list_is_one_statement_whatever_the_number_of_services(unit, shop, engine) -> None:
    licence = await buy(unit, 1)
    await buy(unit, 1, "lite", 1, count=7)
    await buy(unit, 1, "softaculous", 1, product="module", licence_id=licence)
    statements: list[str] = []
    event.listen(engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    async with unit() as domain:
        page = await domain.services.page(1, "licence", "all", 1, per_page=5)
    assert (page.total, page.page, page.pages, len(page.rows)) == (8, 1, 2, 3)
    assert len(statements) == 1
    async with unit() as domain:
        modules = await domain.services.page(1, "module")
    assert [(r.service.kind, r.parent.id if r.parent else None) for r in modules.rows] == [("module", licence)]
    async with unit() as domain:
        assert (await domain.services.page(2, "licence")).total == 0


async def test_ip_once_per_calendar_month(unit, shop, clock) -> None:
    licence = await buy(unit, 1)
    async with unit() as domain:
        with pytest.raises(InvalidInput) as same:
            await domain.services.change_ip(1, licence, IP)
        assert same.value.message_id == "licence-ip-same"
        with pytest.raises(InvalidInput):
            await domain.services.change_ip(1, licence, "10.0.0.1")
        await domain.services.change_ip(1, licence, " 8.8.8.8 ")
    clock.set(datetime(2026, 11, 30, 23, 59, tzinfo=UTC))
    async with unit() as domain:
        with pytest.raises(IpChangeLimited) as limited:
            await domain.services.change_ip(1, licence, "1.1.1.1")
        assert limited.value.available == datetime(2026, 12, 1, tzinfo=UTC)
    clock.set(datetime(2026, 12, 1, tzinfo=UTC))
    async with unit() as domain:
        assert (await domain.services.change_ip(1, licence, "1.1.1.1")).ip_address == "1.1.1.1"
        events = list(await domain.session.scalars(select(ServiceEvent).where(ServiceEvent.action == "ip")))
        assert [(e.before, e.after) for e in events] == [({"ip": IP}, {"ip": "8.8.8.8"}),
                                                        ({"ip": "8.8.8.8"}, {"ip": "1.1.1.1"})]


async def test_new_key_once_in_30_days_and_stored_encrypted(unit, shop, clock) -> None:
    licence = await buy(unit, 1)
    async with unit() as domain:
        key = await domain.services.new_key(1, licence)
        stored = await domain.session.get(Service, licence)
        assert domain.context.cipher.decrypt_text(stored.activation_key) == key
        assert key.encode() not in stored.activation_key
    clock.move(days=29, hours=23)
    async with unit() as domain:
        with pytest.raises(KeyLimited) as limited:
            await domain.services.new_key(1, licence)
        assert limited.value.available == START + timedelta(days=30)
    clock.move(hours=1)
    async with unit() as domain:
        assert await domain.services.new_key(1, licence) != key
        events = list(await domain.session.scalars(select(ServiceEvent).where(ServiceEvent.action == "key")))
        assert len(events) == 2 and key not in repr([(e.before, e.after) for e in events])


async def test_tariff_change_charges_the_difference_once(unit, shop, clock) -> None:
    licence = await buy(unit, 1)
    clock.move(days=65)
    async with unit() as domain:
        _, quotes = await domain.services.tariff_quotes(1, licence)
        assert {q.tariff.code: q.amount for q in quotes} == {"lite": -5869, "host": 14252, "business": 50218 - 10815}
        host = next(q.tariff.id for q in quotes if q.tariff.code == "host")
        with pytest.raises(InsufficientFunds) as short:
            await domain.services.change_tariff(1, licence, host, 14252)
        assert short.value.shortfall == 14252
    async with unit() as domain:
        await domain.ledger.post(1, "adjustment", 20000, "test:more")
    async with unit() as domain:
        with pytest.raises(QuoteChanged):
            await domain.services.change_tariff(1, licence, host, 100)
    async with unit() as domain:
        changed = await domain.services.change_tariff(1, licence, host, 14252)
        assert (changed.amount, changed.balance) == (14252, 20000 - 14252)
    async with unit() as domain:
        with pytest.raises(NotFound):  # already on it: not among the other tariffs
            await domain.services.change_tariff(1, licence, host, 14252)
        lite = next(t.id for t in await domain.catalogue.tariffs("ispmanager") if t.code == "lite")
        back = await domain.services.change_tariff(1, licence, lite, 4946 - 25067)
        assert back.balance == 20000 - 14252 + 25067 - 4946
        entries = list(await domain.session.scalars(
            select(LedgerEntry).where(LedgerEntry.service_id == licence).order_by(LedgerEntry.id)))
        assert [(e.kind, e.amount) for e in entries] == [("charge", -13158), ("charge", -14252),
                                                        ("adjustment", 20121)]
        assert len({e.reference for e in entries}) == 3
        assert await domain.ledger.balance(1) == await domain.ledger.sum_of_entries(1)


async def test_foreign_or_deleted_is_not_found(unit, shop) -> None:
    licence = await buy(unit, 1)
    async with unit() as domain:
        services = domain.services
        for call in (services.details(2, licence), services.rename(2, licence, "x"),
                     services.change_ip(2, licence, "8.8.8.8"), services.new_key(2, licence),
                     services.tariff_quotes(2, licence), services.set_auto_renew(2, licence, True),
                     services.delete(2, licence), services.history(2, licence)):
            with pytest.raises(NotFound):
                await call


async def test_delete_is_soft_takes_modules_and_refunds_only_when_prorated(unit, shop, clock) -> None:
    licence = await buy(unit, 1, "lite", 1)
    module = await buy(unit, 1, "softaculous", 1, product="module", licence_id=licence)
    other = await buy(unit, 1, "host", 1)
    async with unit() as domain:
        deleted = await domain.services.delete(1, licence)
        assert (deleted.modules, deleted.refund) == (1, 0)
        assert [r.service.id for r in (await domain.services.page(1, "licence")).rows] == [other]
        assert [r.service.id for r in (await domain.services.page(1, "licence", "deleted")).rows] == [licence]
        assert (await domain.services.page(1, "module")).total == 0
        assert (await domain.services.history(1, licence)).total == 2  # order, delete
        with pytest.raises(NotFound):
            await domain.services.rename(1, module, "x")
    clock.move(days=10)  # 20 of 30 days left
    async with unit("prorated") as domain:
        deleted = await domain.services.delete(1, other)
        assert deleted.refund == prorate(2990, 20, 30) == 1993
        entry = await domain.session.scalar(select(LedgerEntry).where(LedgerEntry.reference == f"delete:{other}"))
        assert (entry.kind, entry.amount) == ("adjustment", 1993)
