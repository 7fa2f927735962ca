"""Expiry rules without Telegram: thresholds, renewal prices, muting, and the bulk notify the sweeps use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from domain.catalogue import period_price
from domain.errors import InvalidInput
from domain.models import Notification, OutboxMessage, Product, Tariff
from domain.notifications import button, localized_arg
from domain.renewals import period_key, renewal_price, renewal_reference, service_label, threshold_for
from tests.unit.conftest import domain_with_customers

THRESHOLDS = (14, 7, 3, 1, 0)


@pytest.mark.parametrize(("days_left", "expected"), [
    (30, None), (15, None), (14, 14), (13, 14), (8, 14), (7, 7), (4, 7), (3, 3), (2, 3), (1, 1), (0, 0), (-1, 0),
])
def test_the_reminder_due_is_the_nearest_threshold_at_or_above(days_left: int, expected: int | None) -> None:
    assert threshold_for(days_left, THRESHOLDS) == expected


def test_renewal_price_is_the_catalogue_price_of_the_period() -> None:
    product = Product(code="p", base_months=1, periods=[{"months": 1, "discount_bp": 0},
                                                        {"months": 12, "discount_bp": 1500}])
    tariff = Tariff(price=1290)
    assert renewal_price(tariff, product, 1) == 1290
    assert renewal_price(tariff, product, 12) == period_price(1290, 1, 12, 1500).total == 13158
    assert renewal_price(tariff, product, 6) == 7740  # a period no longer offered: no discount


def test_keys_and_labels() -> None:
    moment = datetime(2026, 12, 26, 9, tzinfo=UTC)
    assert period_key(moment) == "20261226"
    assert renewal_reference(7, moment) == "renewal:7:20261226"
    assert service_label("licence", "web-1", None, "1.1.1.1", 7) == "web-1"
    assert service_label("ssl", None, "xn--e1afmkfd.xn--p1ai", None, 7) == "пример.рф"
    assert service_label("licence", None, None, "1.1.1.1", 7) == "1.1.1.1"
    assert service_label("module", None, None, None, 7) == "#7"


@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        d = await domain_with_customers(session, clock, (1, 2))
        yield d
        await d.rollback()


async def test_muted_categories_are_kept_but_not_pushed(domain) -> None:
    notes = domain.notifications
    assert await notes.set_muted(1, "news", True) == {"news"}
    assert await notes.set_muted(1, "services", True) == {"news", "services"}
    for category in ("finance", "security"):
        with pytest.raises(InvalidInput):
            await notes.set_muted(1, category, True)
    await notes.notify(1, category="news", key="notification-news", dedupe_key="n1")
    await notes.notify(1, category="finance", key="refund-customer", dedupe_key="f1")
    await notes.notify(2, category="news", key="notification-news", dedupe_key="n2")
    created = await notes.notify_many([
        {"user_id": 1, "category": "services", "key": "k", "dedupe_key": "s1",
         "buttons": [button("notification-button-renew", action="renew", service_id=1)]},
        {"user_id": 2, "category": "services", "key": "k", "dedupe_key": "s2",
         "args": {"product": localized_arg({"en": "Licence", "ru": "Лицензия"})}},
        {"user_id": 1, "category": "finance", "key": "k", "dedupe_key": "f2"},
        {"user_id": 1, "category": "finance", "key": "k", "dedupe_key": "f1"},  # already there
    ])
    assert created == 3
    rows = (await domain.session.execute(select(Notification.dedupe_key, OutboxMessage.id).outerjoin(
        OutboxMessage, OutboxMessage.notification_id == Notification.id).order_by(Notification.id))).all()
    assert [(key, outbox is not None) for key, outbox in rows] == [
        ("n1", False), ("f1", True), ("n2", True), ("s1", False), ("s2", True), ("f2", True)]
    assert await notes.set_muted(1, "news", False) == {"services"}
    second = await notes.notify_many([{"user_id": 1, "category": "services", "key": "k", "dedupe_key": "s1"}])
    assert second == 0
