"""Discount arithmetic (hypothesis: a line is never negative, never below the vendor's floor, never dearer than the
catalogue price, and gets the best applicable discount), the staff command syntax, and the service itself."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from domain.catalogue import BASIS_POINTS, Price, period_price
from domain.discounts import Offer, Terms, floor_of, parse_grant, parse_value, price_line, saving
from domain.errors import InvalidInput, NotFound
from domain.models import Notification, User
from domain.unit import Domain, DomainContext
from tests.unit.conftest import domain_with_customers

PRODUCTS = ("ispmanager", "module", "ssl")
TARIFFS = ("lite", "pro", "dv")
PERIODS = (1, 3, 6, 12, 24)
TODAY = date(2026, 11, 26)
CATALOGUE = (Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")

scopes = st.one_of(
    st.just(("all", None)),
    st.tuples(st.just("product"), st.sampled_from(PRODUCTS)),
    st.tuples(st.just("tariff"), st.sampled_from(TARIFFS + tuple(f"{p}/{t}" for p in PRODUCTS for t in TARIFFS))),
    st.tuples(st.just("period"), st.sampled_from([str(m) for m in PERIODS])),
)
terms = st.builds(
    lambda kind, percent, amount, scope: Terms(kind, percent if kind == "percent" else amount, *scope),
    st.sampled_from(["percent", "fixed"]), st.integers(1, BASIS_POINTS), st.integers(1, 500_000), scopes,
)
offers = st.lists(terms, max_size=6).map(lambda ts: [Offer(i + 1, t) for i, t in enumerate(ts)])
lines = st.tuples(
    st.integers(1, 1_000_000),  # tariff price for the base period
    st.sampled_from([1, 12]),  # base months
    st.sampled_from(PERIODS),
    st.integers(0, BASIS_POINTS - 1),  # the catalogue's period discount
    st.sampled_from(PRODUCTS), st.sampled_from(TARIFFS),
)


@given(line=lines, offers=offers, floor_bp=st.integers(0, BASIS_POINTS))
def test_a_line_is_never_negative_nor_below_the_floor_and_gets_the_best_discount(line, offers, floor_bp) -> None:
    base_price, base_months, months, period_bp, product, tariff = line
    base = period_price(base_price, base_months, months, period_bp)
    price, applied = price_line(base, product, tariff, months, offers, floor_bp)

    assert isinstance(price.total, int) and price.total >= 0
    assert price.total <= base.total
    assert price.total >= min(base.total, floor_of(base.list_price, floor_bp))
    assert price.list_price == base.list_price and price.list_price - price.discount == price.total
    matching = [o for o in offers if o.terms.matches(product, tariff, months)]
    best = max((saving(o.terms, base, floor_bp) for o in matching), default=0)
    assert base.total - price.total == best
    if applied is None:
        assert best == 0 and price == base
    else:
        assert applied.amount == best > 0
        assert any(o.id == applied.discount_id for o in matching)


@given(line=lines, offers=offers)
def test_without_a_floor_a_full_discount_makes_a_line_free_never_negative(line, offers) -> None:
    base_price, base_months, months, period_bp, product, tariff = line
    base = period_price(base_price, base_months, months, period_bp)
    everything = [*offers, Offer(99, Terms("percent", BASIS_POINTS))]
    price, applied = price_line(base, product, tariff, months, everything, 0)
    assert price.total == 0 and (applied is not None or base.total == 0)


def test_examples() -> None:
    base = Price(15480, 2322, 13158)  # Pro, 12 months, 15 % period discount
    ten = Offer(1, Terms("percent", 1000))
    two = Offer(2, Terms("fixed", 200))
    assert price_line(base, "ispmanager", "pro", 12, [two, ten], 0) == (
        Price(15480, 3638, 11842), price_line(base, "ispmanager", "pro", 12, [ten], 0)[1])
    # A floor of 80 % of the list price (€123.84) leaves room for €7.74 only.
    price, applied = price_line(base, "ispmanager", "pro", 12, [ten], 8000)
    assert price.total == 12384 and applied is not None and applied.amount == 774
    # The catalogue's own discount already below the floor: a customer discount adds nothing.
    assert price_line(base, "ispmanager", "pro", 12, [ten], 9000) == (base, None)
    # Scopes.
    only_ssl = Offer(3, Terms("percent", 5000, "product", "ssl"))
    assert price_line(base, "ispmanager", "pro", 12, [only_ssl], 0) == (base, None)
    assert price_line(base, "ispmanager", "pro", 12, [Offer(4, Terms("fixed", 100, "tariff", "ispmanager/pro"))],
                      0)[0].total == 13058
    assert price_line(base, "ispmanager", "pro", 12, [Offer(5, Terms("fixed", 100, "period", "3"))], 0)[1] is None
    # A tie goes to the older discount.
    assert price_line(base, "ssl", "dv", 12, [Offer(7, Terms("fixed", 100)), Offer(6, Terms("fixed", 100))],
                      0)[1].discount_id == 6


@pytest.mark.parametrize(("text", "expected"), [
    ("10%", ("percent", 1000)), ("12.5%", ("percent", 1250)), ("100%", ("percent", 10000)),
    ("5", ("fixed", 500)), ("5.00", ("fixed", 500)), ("0,99", ("fixed", 99)),
])
def test_values(text: str, expected: tuple[str, int]) -> None:
    assert parse_value(text, 2) == expected


@pytest.mark.parametrize(("text", "message_id"), [
    ("0%", "discounts-error-percent"), ("101%", "discounts-error-percent"), ("1.005%", "discounts-error-percent"),
    ("abc", "discounts-error-value"), ("-5", "discounts-error-value"), ("5.001", "discounts-error-value"),
    ("0", "discounts-error-value"), ("%", "discounts-error-value"), ("credit:5", "discounts-error-value"),
])
def test_bad_values_say_what_is_wrong(text: str, message_id: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_value(text, 2)
    assert info.value.message_id == message_id


def test_grant_syntax() -> None:
    grant = parse_grant("1001 10% tariff:Pro until:2027-01-31 Loyal  customer", 2, TODAY)
    assert grant.user_id == 1001 and grant.terms == Terms("percent", 1000, "tariff", "pro")
    assert grant.valid_until == datetime(2027, 1, 31, 23, 59, 59, tzinfo=UTC) and grant.reason == "Loyal customer"
    grant = parse_grant("7 2.50 until:2026-11-26 period:12 Outage of 3 Nov", 2, TODAY)  # options in any order
    assert grant.terms == Terms("fixed", 250, "period", "12") and grant.reason == "Outage of 3 Nov"
    assert parse_grant("7 1% all product:x is the reason", 2, TODAY).terms.scope == "product"


@pytest.mark.parametrize(("args", "message_id"), [
    ("", "discounts-error-usage"), ("1001 10%", "discounts-error-usage"), ("ann 10% why", "discounts-error-user"),
    ("1 10% period:0 why", "discounts-error-scope"), ("1 10% period:x why", "discounts-error-scope"),
    ("1 10% product: why", "discounts-error-scope"), ("1 10% until:2026-13-01 why", "discounts-error-date"),
    ("1 10% until:2026-11-25 why", "discounts-error-date-past"), ("1 10% all", "discounts-error-reason"),
    ("1 10% " + "x" * 201, "discounts-error-reason-long"),
])
def test_bad_grants_are_refused(args: str, message_id: str) -> None:
    with pytest.raises(InvalidInput) as info:
        parse_grant(args, 2, TODAY)
    assert info.value.message_id == message_id


# --- the service on a database --------------------------------------------------------------------------

@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        yield await domain_with_customers(session, clock, (1, 2), CATALOGUE)


async def test_grant_notifies_and_only_usable_discounts_count(domain, clock) -> None:
    kept = await domain.discounts.grant(1, Terms("percent", 1000), "Loyal", granted_by=99)
    ending = await domain.discounts.grant(1, Terms("fixed", 300), "Soon over", notify=False,
                                          valid_until=datetime(2026, 11, 27, tzinfo=UTC))
    revoked = await domain.discounts.grant(1, Terms("fixed", 500), "Mistake", notify=False)
    await domain.discounts.grant(2, Terms("percent", 5000), "Someone else", notify=False)
    await domain.discounts.revoke(revoked.id)
    with pytest.raises(NotFound):
        await domain.discounts.revoke(revoked.id)
    assert [d.id for d in await domain.discounts.active(1)] == [ending.id, kept.id]
    clock.move(days=2)
    assert [o.id for o in await domain.discounts.offers(1)] == [kept.id]
    assert [domain.discounts.status(d) for d in await domain.discounts.history(1)] == ["revoked", "expired", "active"]
    notes = list(await domain.session.execute(select(Notification.user_id, Notification.key, Notification.dedupe_key)))
    assert notes == [(1, "discounts-notification-granted", f"discount:{kept.id}")]


async def test_grant_checks_the_customer_and_the_scope(domain) -> None:
    with pytest.raises(NotFound) as info:
        await domain.discounts.grant(3, Terms("percent", 1000), "Nobody")
    assert info.value.message_id == "discounts-error-no-customer"
    for scope, target, message_id in [("product", "boat", "discounts-error-product"),
                                      ("tariff", "gold", "discounts-error-tariff"),
                                      ("tariff", "ssl/pro", "discounts-error-tariff")]:
        with pytest.raises(InvalidInput) as info:
            await domain.discounts.check_terms(Terms("percent", 1000, scope, target))
        assert info.value.message_id == message_id
    for scope, target in [("product", "ssl"), ("tariff", "pro"), ("tariff", "ispmanager/pro"), ("period", "7")]:
        await domain.discounts.check_terms(Terms("fixed", 100, scope, target))


async def test_standing_discounts_price_renewals_one_off_promo_discounts_do_not(sessions, clock) -> None:
    async with sessions() as session:
        context = DomainContext(clock=clock, discount_floor_bp=9000)
        domain = Domain(session, context)
        session.add(User(id=1, first_name="U1", created_at=clock.now(), last_seen_at=clock.now(), time_zone="UTC",
                         reachable=True))
        await session.flush()
        await domain.catalogue.sync(CATALOGUE, ("en", "ru"))
        pro = next(t for t in await domain.catalogue.tariffs("ispmanager") if t.code == "pro")
        await domain.ledger.post(1, "adjustment", 10_000, "test:gift")
        await domain.orders.add_to_cart(1, pro.id, 1, {"ip": "93.184.216.34"})
        service = (await domain.orders.checkout(1)).services[0]
        assert (await domain.renewals.quote(1, service.id)).price == 1290

        await domain.discounts.grant(1, Terms("fixed", 300), "One-off", single_use=True, notify=False)
        assert (await domain.renewals.quote(1, service.id)).price == 1290
        await domain.discounts.grant(1, Terms("percent", 5000, "tariff", "pro"), "Half", notify=False)
        # 50 % would be €6.45; the floor of 90 % of the list price keeps it at €11.61.
        assert (await domain.renewals.quote(1, service.id)).price == 1161
        renewed = await domain.renewals.renew(1, service.id)
        assert renewed.price == 1161 and renewed.balance == 10_000 - 1290 - 1161


def test_renewal_price_is_the_cart_rule() -> None:
    from domain.models import Product, Tariff
    from domain.renewals import renewal_price

    product = Product(code="ispmanager", base_months=1, periods=[{"months": 12, "discount_bp": 1500}])
    tariff = Tariff(code="pro", price=1290)
    ten = Offer(1, Terms("percent", 1000, "product", "ispmanager"))
    base = period_price(1290, 1, 12, 1500)
    assert renewal_price(tariff, product, 12, [ten]) == price_line(base, "ispmanager", "pro", 12, [ten], 0)[0].total
    assert renewal_price(tariff, product, 12, [ten]) == 11842
    assert renewal_price(tariff, product, 12, [Offer(2, Terms("percent", 1000, "period", "1"))]) == 13158


async def test_the_notice_names_a_tariff_in_every_language(domain) -> None:
    await domain.discounts.grant(1, Terms("fixed", 100, "tariff", "ispmanager/pro"), "Thanks")
    args = await domain.session.scalar(select(Notification.args))
    assert args["target"] == {"$type": "text", "values": {"en": "Pro", "ru": "Pro"}}
    assert args["amount"] == {"$type": "money", "minor": 100, "currency": "EUR"} and args["has_until"] == "no"


def test_a_long_list_fits_one_telegram_message() -> None:
    from handlers.discounts import fit

    class Messages:
        def get(self, key: str, **args: int) -> str:
            return f"{key}:{args['count']}"

    text = fit(Messages(), ["head"], ["x" * 1000] * 6, ["tail"])  # type: ignore[arg-type]
    assert len(text) <= 4096 and text.count("x" * 1000) == 3 and text.endswith("\ndiscounts-more:3\ntail")
    assert fit(Messages(), ["head"], ["a", "b"], []) == "head\na\nb"  # type: ignore[arg-type]
