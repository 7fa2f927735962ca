"""Ledger invariants over random sequences of top-ups, checkouts and refunds (hypothesis):
the balance equals the sum of the entries, is never negative, and every entry has its own reference."""

from __future__ import annotations

import asyncio
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from domain.accounts import Profile
from domain.catalogue import Catalogue
from domain.clock import FrozenClock
from domain.db import create_engine, create_session_factory
from domain.errors import DomainError
from domain.models import Balance, Base, LedgerEntry, Service
from domain.unit import Domain, DomainContext

CATALOGUE = (Path(__file__).resolve().parents[2] / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")
USER = 7

topup = st.tuples(st.just("topup"), st.integers(min_value=1, max_value=40_000), st.booleans())
checkout = st.tuples(st.just("checkout"), st.lists(st.tuples(st.integers(0, 3), st.sampled_from([1, 3, 6, 12])),
                                                   min_size=1, max_size=4), st.booleans())
refund = st.tuples(st.just("refund"), st.integers(min_value=0, max_value=10), st.booleans())
operations = st.lists(st.one_of(topup, checkout, refund), min_size=1, max_size=12)


async def _scenario(ops: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp}/ledger.db")
        async with engine.begin() as conn:
            await conn.run_sync(Base.metadata.create_all)
        sessions = create_session_factory(engine)
        context = DomainContext(clock=FrozenClock(datetime(2026, 1, 1, tzinfo=UTC)))
        async with sessions() as session:
            domain = Domain(session, context)
            await Catalogue(session).sync(CATALOGUE, ("en", "ru"))
            await domain.accounts.touch(Profile(id=USER, first_name="Prop"))
            await domain.commit()
            tariffs = [t.id for t in await domain.catalogue.tariffs("ispmanager")]
        charges: list[str] = []
        paid: list[str] = []
        for number, (kind, value, flag) in enumerate(ops):
            async with sessions() as session:
                domain = Domain(session, context)
                try:
                    if kind == "topup":
                        payment = await domain.payments.create_topup(USER, value, exact=True)
                        charge = f"charge-{number}"
                        await domain.payments.complete(USER, payment.payload, payment.invoice_currency,
                                                       payment.invoice_amount, charge, None)
                        if flag:  # Telegram delivers the same successful_payment again
                            again = await domain.payments.complete(USER, payment.payload, payment.invoice_currency,
                                                                   payment.invoice_amount, charge, None)
                            assert not again.credited
                        paid.append(charge)
                    elif kind == "checkout":
                        for tariff_index, months in value:
                            await domain.orders.add_to_cart(USER, tariffs[tariff_index], months, {"ip": "8.8.8.8"})
                        result = await domain.orders.checkout(USER)
                        charges.extend(f"order:{result.order_id}:{n}" for n in range(1, len(value) + 1))
                    elif paid:
                        payment = await domain.payments.refundable(paid[value % len(paid)])
                        await domain.payments.record_refund(payment)
                    await domain.commit()
                except DomainError:
                    await domain.rollback()  # the unit of work fails as a whole
            async with sessions() as session:
                entries = list(await session.scalars(select(LedgerEntry)))
                balance = await session.scalar(select(Balance.amount).where(Balance.user_id == USER)) or 0
                services = await session.scalar(select(func.count()).select_from(Service))
            assert balance == sum(e.amount for e in entries)
            assert balance >= 0
            assert all(e.reference for e in entries)
            assert len({e.reference for e in entries}) == len(entries)
            assert sorted(e.reference for e in entries if e.kind == "charge") == sorted(charges)
            assert services == len(charges)
        await engine.dispose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(operations)
def test_ledger_invariants(ops: list[tuple]) -> None:
    asyncio.run(_scenario(ops))
