"""The ledger: append-only entries, a cached balance kept in the same transaction, never below zero."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import DomainError
from domain.models import Balance, EntryKind, LedgerEntry, Service, Tariff
from domain.validation import display_domain
from domain.values import Money

KINDS = tuple(EntryKind)
PAYMENT_KINDS = (EntryKind.TOPUP, EntryKind.REFUND)
EXPENSE_KINDS = (EntryKind.CHARGE,)


class InsufficientFunds(DomainError):
    message_id = "billing-insufficient-funds"

    def __init__(self, shortfall: int, total: int, balance: int, currency: str) -> None:
        super().__init__(shortfall=Money(shortfall, currency), total=Money(total, currency),
                         balance=Money(balance, currency))
        self.shortfall = shortfall
        self.total = total
        self.balance = balance
        self.currency = currency


@dataclass(frozen=True, slots=True)
class Page:
    entries: list[LedgerEntry]
    total: int
    page: int
    pages: int


def bought_label(name: str | None, domain: str | None, ip: str | None) -> str:
    """The service's name as a charge keeps it (what the expenses list shows later)."""
    return (name or display_domain(domain or "") or ip or "")[:128]


class Ledger:
    def __init__(self, session: AsyncSession, clock: Clock, currency: str) -> None:
        self._session = session
        self._clock = clock
        self.currency = currency

    async def balance(self, user_id: int) -> int:
        amount = await self._session.scalar(select(Balance.amount).where(Balance.user_id == user_id))
        return amount or 0

    async def post(self, user_id: int, kind: str, amount: int, reference: str, *, service_id: int | None = None,
                   payment_id: int | None = None) -> bool:
        """Enter a movement once per reference. Returns False (and changes nothing) for a reference already
        entered. A debit the balance cannot cover raises InsufficientFunds; the caller's transaction must
        then roll back, which is what keeps a checkout all-or-nothing."""
        if kind not in KINDS or not reference:
            raise ValueError(f"bad ledger entry {kind!r} {reference!r}")
        bought = (await self._bought_as({service_id})).get(service_id or 0, (None, None))
        inserted = await self._session.scalar(
            upsert(self._session, LedgerEntry)
            .values(user_id=user_id, kind=kind, amount=amount, currency=self.currency, reference=reference,
                    service_id=service_id, payment_id=payment_id, created_at=self._clock.now(),
                    tariff_id=bought[0], label=bought[1])
            .on_conflict_do_nothing(index_elements=["reference"])
            .returning(LedgerEntry.id)
        )
        if inserted is None:
            return False
        if amount >= 0:
            stmt = upsert(self._session, Balance).values(
                user_id=user_id, amount=amount, currency=self.currency)
            await self._session.execute(stmt.on_conflict_do_update(
                index_elements=["user_id"], set_={"amount": Balance.amount + stmt.excluded.amount}))
        else:
            changed = await rowcount(
                self._session,
                update(Balance).where(Balance.user_id == user_id, Balance.amount >= -amount)
                .values(amount=Balance.amount + amount)
            )
            if changed != 1:
                balance = await self.balance(user_id)
                raise InsufficientFunds(shortfall=-amount - balance, total=-amount, balance=balance,
                                        currency=self.currency)
        return True

    async def charge_many(self, user_id: int, charges: list[tuple[int, str, int | None]]) -> None:
        """Debit several (amount, reference, service_id) at once: one insert, one guarded balance update.
        A balance that cannot cover the total raises InsufficientFunds; the caller's transaction must roll back."""
        total = sum(amount for amount, _, _ in charges)
        now = self._clock.now()
        bought = await self._bought_as({service_id for _, _, service_id in charges})
        await self._session.execute(insert(LedgerEntry), [
            {"user_id": user_id, "kind": EntryKind.CHARGE, "amount": -amount, "currency": self.currency,
             "reference": reference, "service_id": service_id, "created_at": now,
             "tariff_id": bought.get(service_id or 0, (None, None))[0],
             "label": bought.get(service_id or 0, (None, None))[1]}
            for amount, reference, service_id in charges
        ])
        changed = await rowcount(
            self._session,
            update(Balance).where(Balance.user_id == user_id, Balance.amount >= total)
            .values(amount=Balance.amount - total)
        )
        if changed != 1:
            balance = await self.balance(user_id)
            raise InsufficientFunds(shortfall=total - balance, total=total, balance=balance, currency=self.currency)

    async def _bought_as(self, service_ids: set[int | None]) -> dict[int, tuple[int, str]]:
        """Each service's tariff and name now: what its charge keeps."""
        wanted = {i for i in service_ids if i}
        if not wanted:
            return {}
        rows = await self._session.execute(
            select(Service.id, Service.tariff_id, Service.name, Service.domain, Service.ip_address)
            .where(Service.id.in_(wanted)))
        return {row.id: (row.tariff_id, bought_label(row.name, row.domain, row.ip_address)) for row in rows}

    async def tariffs(self, tariff_ids: set[int]) -> dict[int, Tariff]:
        """The tariffs charges were made under, for their names."""
        if not tariff_ids:
            return {}
        return {t.id: t for t in await self._session.scalars(select(Tariff).where(Tariff.id.in_(tariff_ids)))}

    async def entries(self, user_id: int, kinds: tuple[str, ...], page: int, per_page: int = 8) -> Page:
        where = (LedgerEntry.user_id == user_id, LedgerEntry.kind.in_(kinds))
        total = await self._session.scalar(select(func.count()).select_from(LedgerEntry).where(*where)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        entries = list(await self._session.scalars(
            select(LedgerEntry).where(*where).order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
            .offset(page * per_page).limit(per_page)
        ))
        return Page(entries, total, page, pages)

    async def between(self, user_id: int, start: datetime, end: datetime) -> list[LedgerEntry]:
        return list(await self._session.scalars(
            select(LedgerEntry).where(LedgerEntry.user_id == user_id, LedgerEntry.created_at >= start,
                                      LedgerEntry.created_at < end)
            .order_by(LedgerEntry.created_at, LedgerEntry.id)
        ))

    async def months_with_entries(self, user_id: int) -> list[datetime]:
        """First and last entry dates, for offering which months can be exported."""
        row = (await self._session.execute(
            select(func.min(LedgerEntry.created_at), func.max(LedgerEntry.created_at))
            .where(LedgerEntry.user_id == user_id)
        )).one()
        return [value for value in row if value is not None]

    async def sum_of_entries(self, user_id: int) -> int:
        return await self._session.scalar(
            select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(LedgerEntry.user_id == user_id)
        ) or 0
