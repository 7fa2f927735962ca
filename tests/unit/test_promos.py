"""Promo codes without Telegram: the staff syntax, the catalogue file's [[promo]] tables and their sync, and
redemption with each of its refusals."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from domain.catalogue import CatalogueError
from domain.errors import InvalidInput
from domain.models import Discount, LedgerEntry, Order, PromoCode, PromoRedemption, User
from domain.promos import PromoRefused, PromoSpec, parse_file_promos, parse_promo, sync_file_promos, usable
from domain.unit import Domain, DomainContext
from tests.conftest import on_postgres
from tests.unit.conftest import domain_with_customers

TODAY = date(2026, 11, 26)
CATALOGUE = (Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")


def test_staff_syntax() -> None:
    spec = parse_promo("spring-26 10% uses:100 once first until:2027-03-31 product:ispmanager", 2, TODAY)
    assert spec == PromoSpec("SPRING-26", "percent", 1000, "product", "ispmanager", 100, True, True,
                             datetime(2027, 3, 31, 23, 59, 59, tzinfo=UTC))
    assert parse_promo("GIFT credit:5", 2, TODAY) == PromoSpec("GIFT", "credit", 500)
    assert parse_promo("FIVE 5.00", 2, TODAY).kind == "fixed"


@pytest.mark.parametrize(("args", "message_id"), [
    ("", "promo-error-usage"), ("ONLY", "promo-error-usage"), ("AB 10%", "promo-error-code-format"),
    ("BAD:CODE 10%", "promo-error-code-format"), ("GOOD ten", "promo-error-value"),
    ("GOOD 10% uses:0", "promo-error-uses"), ("GOOD 10% twice", "promo-error-option"),
    ("GOOD credit:5 product:ssl", "promo-error-credit-scope"),
    ("GOOD 10% until:2026-01-01", "discounts-error-date-past"),
])
def test_bad_staff_commands_say_what_is_wrong(args: str, message_id: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_promo(args, 2, TODAY)
    assert info.value.message_id == message_id.replace("promo-error-value", "discounts-error-value")


def test_the_shipped_catalogue_has_a_welcome_code() -> None:
    assert parse_file_promos(CATALOGUE, 2) == [PromoSpec("WELCOME10", "percent", 1000, once_per_customer=True,
                                                         first_order_only=True)]


@pytest.mark.parametrize(("text", "error"), [
    ("[[promo]]\ncode = 'x'", "promo 1 (x): `code` must be"),
    ("[[promo]]\ncode = 'abc'\nkind = 'gift'", "`kind` must be one of"),
    ("[[promo]]\ncode = 'abc'\nkind = 'percent'\nvalue = 20000", "`value` must be"),
    ("[[promo]]\ncode = 'abc'\nkind = 'credit'\nvalue = 5\nscope = 'product:ssl'", "bad `scope`"),
    ("[[promo]]\ncode = 'abc'\nkind = 'fixed'\nvalue = 5\nuntil = 'soon'", "`until` must be a date"),
    ("[[promo]]\ncode = 'abc'\nkind = 'fixed'\nvalue = 5\n[[promo]]\ncode = 'ABC'\nkind = 'fixed'\nvalue = 5",
     "promo 2 (ABC): the code is listed twice"),
])
def test_bad_file_codes_are_refused_with_the_place(text: str, error: str) -> None:
    with pytest.raises(CatalogueError, match=error.replace("(", r"\(").replace(")", r"\)")):
        parse_file_promos(text, 2)


@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        yield await domain_with_customers(session, clock, (1, 2, 3), CATALOGUE)


async def redeemed(domain: Domain, user_id: int, code: str):
    result = await domain.promos.redeem(user_id, code)
    await domain.session.commit()
    return result


async def refused(domain: Domain, user_id: int, code: str) -> str:
    """The refusal's reason; the transaction is rolled back as the handler does."""
    with pytest.raises(PromoRefused) as info:
        await domain.promos.redeem(user_id, code)
    await domain.session.rollback()
    return info.value.message_id


async def test_every_refusal_has_its_reason(domain, clock) -> None:
    promos = domain.promos
    await promos.create(parse_promo("LAST 10% uses:1", 2, TODAY))
    await promos.create(parse_promo("ONCE 1.00 once", 2, TODAY))
    await promos.create(parse_promo("FIRST 20% first", 2, TODAY))
    await promos.create(parse_promo("SOON 5% until:2026-11-27", 2, TODAY))
    await promos.create(parse_promo("OFF 5%", 2, TODAY))
    await promos.disable("off")
    await domain.session.commit()

    assert await refused(domain, 1, "NOPE") == "promo-error-unknown"
    assert await refused(domain, 1, "no way!") == "promo-error-unknown"
    assert await refused(domain, 1, "Off") == "promo-error-disabled"
    assert (await redeemed(domain, 1, "last")).discount is not None
    assert await refused(domain, 2, "LAST") == "promo-error-used-up"
    assert (await redeemed(domain, 1, "ONCE")).discount is not None
    assert await refused(domain, 1, "once") == "promo-error-already-used"
    domain.session.add(Order(user_id=2, idempotency_key="x", total=1, currency="EUR", created_at=clock.now()))
    await domain.session.commit()
    assert await refused(domain, 2, "FIRST") == "promo-error-first-order"
    assert (await redeemed(domain, 3, "FIRST")).discount is not None
    clock.move(days=2)
    assert await refused(domain, 3, "SOON") == "promo-error-expired"

    # Refusals changed nothing; the rolled-back attempts gave their counted uses back.
    uses = dict((await domain.session.execute(select(PromoCode.code, PromoCode.uses))).all())
    assert uses == {"LAST": 1, "ONCE": 1, "FIRST": 1, "SOON": 0, "OFF": 0}
    assert await domain.session.scalar(select(func.count()).select_from(PromoRedemption)) == 3


async def test_a_code_that_is_not_once_gives_a_discount_each_time_within_its_uses(domain) -> None:
    await domain.promos.create(parse_promo("AGAIN 5% uses:2", 2, TODAY))
    first = await redeemed(domain, 1, "AGAIN")
    second = await redeemed(domain, 1, "again")
    assert first.discount is not None and second.discount is not None and first.discount.id != second.discount.id
    promo_id = first.promo.id
    assert await refused(domain, 1, "AGAIN") == "promo-error-used-up"
    discounts = list(await domain.session.execute(select(Discount.single_use, Discount.reason, Discount.promo_id)))
    assert discounts == [(True, "AGAIN", promo_id)] * 2


async def test_a_credit_is_entered_in_the_ledger_once_per_customer(domain) -> None:
    await domain.promos.create(parse_promo("GIFT credit:2.50", 2, TODAY))
    result = await redeemed(domain, 1, "gift")
    assert (result.credit, result.balance, result.discount) == (250, 250, None)
    promo_id = result.promo.id
    assert await refused(domain, 1, "GIFT") == "promo-error-already-used"
    entries = list(await domain.session.execute(select(LedgerEntry.kind, LedgerEntry.amount, LedgerEntry.reference)))
    assert entries == [("adjustment", 250, f"promo:{promo_id}:1")]


async def test_sync_keeps_uses_and_redemptions_and_switches_off_removed_codes(domain, clock) -> None:
    await sync_file_promos(domain.session, clock, CATALOGUE, 2)
    await domain.promos.create(parse_promo("STAFF 1%", 2, TODAY))
    await redeemed(domain, 1, "welcome10")
    changed = CATALOGUE.replace("value = 1000", "value = 1500") + (
        "\n[[promo]]\ncode = 'extra'\nkind = 'credit'\nvalue = 100\nuses = 10\nuntil = 2027-01-01\n")
    assert await sync_file_promos(domain.session, clock, changed, 2) == 2
    codes = {p.code: p for p in await domain.session.scalars(select(PromoCode))}
    assert (codes["WELCOME10"].value, codes["WELCOME10"].uses, codes["WELCOME10"].active) == (1500, 1, True)
    assert codes["EXTRA"].once_per_customer and codes["EXTRA"].max_uses == 10
    assert codes["EXTRA"].valid_until == datetime(2027, 1, 1, 23, 59, 59, tzinfo=UTC)

    await domain.promos.disable("extra")
    assert await sync_file_promos(domain.session, clock, changed, 2) == 2
    await domain.session.commit()
    assert await refused(domain, 2, "EXTRA") == "promo-error-disabled"  # what staff switched off stays off

    without = CATALOGUE.split("[[promo]]")[0]
    assert await sync_file_promos(domain.session, clock, without, 2) == 0
    await domain.session.commit()
    codes = {p.code: usable(p) for p in await domain.session.scalars(select(PromoCode))}
    assert codes == {"WELCOME10": False, "EXTRA": False, "STAFF": True}  # staff codes are not the file's
    assert await domain.session.scalar(select(func.count()).select_from(PromoRedemption)) == 1
    assert await refused(domain, 2, "WELCOME10") == "promo-error-disabled"
    assert await sync_file_promos(domain.session, clock, CATALOGUE, 2) == 1  # listed again: usable again
    assert (await redeemed(domain, 2, "WELCOME10")).discount is not None


async def test_two_customers_racing_for_the_last_use_one_gets_it(sessions, clock) -> None:
    if not on_postgres():
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL (TEST_DATABASE_URL)")
    context = DomainContext(clock=clock)
    async with sessions() as session:
        for user_id in (1, 2):
            session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(), last_seen_at=clock.now(),
                             time_zone="UTC", reachable=True))
        await session.flush()
        await Domain(session, context).promos.create(parse_promo("LAST credit:1", 2, TODAY))
        await session.execute(update(PromoCode).values(max_uses=1, once_per_customer=False))
        await session.commit()
    async with sessions() as first, sessions() as second:
        await Domain(first, context).promos.redeem(1, "LAST")  # holds the code's row until it commits
        racing = asyncio.create_task(Domain(second, context).promos.redeem(2, "LAST"))
        await asyncio.sleep(0.3)  # let the second reach its UPDATE and wait for the row
        await first.commit()
        with pytest.raises(PromoRefused) as info:
            await racing
        assert info.value.message_id == "promo-error-used-up"
    async with sessions() as session:
        assert await session.scalar(select(PromoCode.uses)) == 1
        assert list(await session.scalars(select(LedgerEntry.user_id))) == [1]


async def test_a_refusal_past_the_counted_use_gives_it_back_without_a_rollback(domain) -> None:
    promo = await domain.promos.create(parse_promo("GIFT credit:2.50", 2, TODAY))
    await domain.ledger.post(1, "adjustment", 100, f"promo:{promo.id}:1")  # the credit's reference is taken
    with pytest.raises(PromoRefused) as info:
        await domain.promos.redeem(1, "gift")
    assert info.value.message_id == "promo-error-already-used"
    await domain.session.commit()  # the caller's own work goes on and commits
    assert await domain.session.scalar(select(PromoCode.uses)) == 0
    assert await domain.session.scalar(select(func.count()).select_from(PromoRedemption)) == 0
    assert await domain.ledger.balance(1) == 100


async def test_staff_commands_are_parsed_and_carried_out_in_one_step(domain) -> None:
    promo = await domain.promos.create_command("autumn 10% uses:5", 2, created_by=7)
    assert (promo.code, promo.kind, promo.value, promo.max_uses, promo.created_by) == ("AUTUMN", "percent", 1000, 5, 7)
    with pytest.raises(InvalidInput, match="promo-error-exists"):
        await domain.promos.create_command("AUTUMN 5%", 2)
    discount = await domain.discounts.grant_command("2 5% until:2026-12-31 loyal customer", 2, granted_by=7)
    assert (discount.user_id, discount.value, discount.reason, discount.granted_by) == (2, 500, "loyal customer", 7)
