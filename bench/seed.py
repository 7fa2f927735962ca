"""Bulk data for the screen bench and the statement-count test: customers with services, ledger entries,
tickets with messages and notifications, inserted in chunks straight into the tables (not through the bot),
shaped like what the bot writes."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from domain.models import Balance, LedgerEntry, Notification, Service, Tariff, Ticket, TicketMessage, User

CHUNK = 5_000
START = datetime(2024, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class History:
    """How much one customer has: services, ledger entries, tickets (with `messages` each), notifications."""

    services: int
    entries: int
    tickets: int
    messages: int = 3
    notifications: int = 0


async def _chunks(session: AsyncSession, model: Any, rows: list[dict[str, Any]]) -> None:
    for start in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[start:start + CHUNK])


async def seed_customers(sessions: async_sessionmaker[AsyncSession], first_id: int, count: int,
                         history: History, *, now: datetime | None = None, seed: int = 1) -> None:
    """`count` customers from id `first_id`, each with `history`. Ids of rows come from the database."""
    now = now or datetime.now(UTC)
    rng = random.Random(seed)
    async with sessions.begin() as session:
        tariffs = list((await session.execute(
            select(Tariff.id, Tariff.product_code).where(Tariff.product_code == "ispmanager"))).all())
        service_base = (await session.scalar(select(func.max(Service.id)))) or 0
        entry_base = (await session.scalar(select(func.count()).select_from(LedgerEntry))) or 0
        users, services, entries, balances, notifications = [], [], [], [], []
        for n in range(count):
            user_id = first_id + n
            users.append({"id": user_id, "first_name": f"Customer {user_id}", "language_code": "en",
                          "time_zone": "UTC", "reachable": True, "created_at": START, "last_seen_at": now})
            for s in range(history.services):
                tariff_id, product = tariffs[rng.randrange(len(tariffs))]
                created = START + timedelta(days=rng.randrange(700))
                services.append({"user_id": user_id, "kind": "licence", "product_code": product,
                                 "tariff_id": tariff_id, "status": "active" if s % 7 else "suspended",
                                 "name": f"srv-{s}", "ip_address": f"8.{n % 250}.{s % 250}.{1 + s % 200}",
                                 "period_months": 12, "auto_renew": bool(s % 2), "created_at": created,
                                 "expires_at": now + timedelta(days=1 + rng.randrange(360))})
            total = 0
            for e in range(history.entries):
                amount = rng.choice((-1290, -590, 2500, 5000, -2990))
                total += amount
                entries.append({"user_id": user_id, "kind": "topup" if amount > 0 else "charge", "amount": amount,
                                "currency": "EUR", "reference": f"seed:{entry_base + len(entries)}",
                                "created_at": START + timedelta(minutes=e * 37 % 1_000_000)})
            balances.append({"user_id": user_id, "amount": max(total, 0), "currency": "EUR"})
            for k in range(history.notifications):
                notifications.append({"user_id": user_id, "category": ("services", "finance", "news")[k % 3],
                                      "key": "topup-credited-note",
                                      "args": {"amount": {"$type": "money", "minor": 500, "currency": "EUR"}},
                                      "buttons": [], "dedupe_key": f"seed:{user_id}:{k}",
                                      "created_at": START + timedelta(hours=k), "read_at": None})
        await _chunks(session, User, users)
        await _chunks(session, Service, services)
        await _chunks(session, LedgerEntry, entries)
        await _chunks(session, Balance, balances)
        await _chunks(session, Notification, notifications)
        del service_base
        ticket_id = (await session.scalar(select(func.max(Ticket.id)))) or 0
        tickets, messages = [], []
        for n in range(count):
            for t in range(history.tickets):
                ticket_id += 1
                created = START + timedelta(days=t % 700, minutes=t)
                tickets.append({"id": ticket_id, "user_id": first_id + n, "department": "technical",
                                "subject": f"Question {t}", "status": ("open", "answered", "closed")[t % 3],
                                "created_at": created, "updated_at": created})
                messages += [{"ticket_id": ticket_id, "author": "customer" if m % 2 == 0 else "staff", "kind": "text",
                              "text": f"Message {m} of ticket {t}", "created_at": created + timedelta(minutes=m),
                              "relayed_at": created + timedelta(minutes=m)} for m in range(history.messages)]
        await _chunks(session, Ticket, tickets)
        await _chunks(session, TicketMessage, messages)
        if session.get_bind().dialect.name == "postgresql":  # ids given above: the sequence follows them
            await session.execute(text("SELECT setval(pg_get_serial_sequence('tickets', 'id'), "
                                       "(SELECT max(id) FROM tickets))"))
