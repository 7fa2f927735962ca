"""Promo codes: a code a customer enters for a discount on their next order or a credit to the balance.

Limits: total uses (counted by a conditional UPDATE, so two customers racing for the last use cannot both get
it), once per customer (UNIQUE (promo_id, once_user_id) on the redemptions), an expiry, first order only (no paid
order yet). A credit is one ledger entry with the reference `promo:<promo_id>:<user_id>`, so credit codes are
always once per customer. A discount from a code is single-use: the order that uses it consumes it.
Codes come from staff (`/promo new`) or from `[[promo]]` tables in the catalogue file, kept in sync at startup;
codes removed from the file are switched off, and redemptions are never deleted.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.catalogue import BASIS_POINTS, CatalogueError
from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.discounts import Discounts, Terms, parse_scope, parse_until, parse_value
from domain.errors import DomainError, InvalidInput, NotFound
from domain.ledger import Ledger
from domain.models import Discount, DiscountScope, EntryKind, Order, PromoCode, PromoKind, PromoRedemption, PromoSource

CODE_RE = re.compile(r"^[A-Z0-9_-]{3,32}$")
PROMO_KINDS = tuple(PromoKind)


class PromoRefused(DomainError):
    """Why a code gives nothing: unknown, disabled, expired, used up, already used by you, first order only."""

    message_id = "promo-error-unknown"


def normalize(code: str) -> str:
    return code.strip().upper()


@dataclass(frozen=True, slots=True)
class PromoSpec:
    """A code's terms, from a staff command or the catalogue file."""

    code: str
    kind: str  # PromoKind
    value: int
    scope: str = DiscountScope.ALL
    target: str | None = None
    max_uses: int | None = None
    once_per_customer: bool = False
    first_order_only: bool = False
    valid_until: datetime | None = None


@dataclass(frozen=True, slots=True)
class Redeemed:
    promo: PromoCode
    discount: Discount | None
    credit: int
    balance: int


def check_code(code: str) -> str:
    code = normalize(code)
    if not CODE_RE.match(code):
        raise InvalidInput("promo-error-code-format", code=code[:40])
    return code


def parse_promo(args: str, precision: int, today: date) -> PromoSpec:
    """`<CODE> <10% | 5.00 | credit:5.00> [uses:N] [once] [first] [until:YYYY-MM-DD] [scope]`."""
    tokens = args.split()
    if len(tokens) < 2:
        raise InvalidInput("promo-error-usage")
    code = check_code(tokens[0])
    kind, value = parse_value(tokens[1], precision, credit=True)
    options: dict[str, Any] = {}
    for token in tokens[2:]:
        lowered = token.lower()
        if lowered == "once":
            options["once_per_customer"] = True
        elif lowered == "first":
            options["first_order_only"] = True
        elif lowered.startswith("uses:"):
            number = lowered[5:]
            if not number.isdigit() or not 1 <= int(number) <= 1_000_000:
                raise InvalidInput("promo-error-uses", value=token)
            options["max_uses"] = int(number)
        elif lowered.startswith("until:"):
            options["valid_until"] = parse_until(token, today)
        elif (scope := parse_scope(token)) is not None:
            options["scope"], options["target"] = scope
        else:
            raise InvalidInput("promo-error-option", option=token)
    if kind == PromoKind.CREDIT and options.get("scope", DiscountScope.ALL) != DiscountScope.ALL:
        raise InvalidInput("promo-error-credit-scope")
    return PromoSpec(code, kind, value, **options)


def parse_file_promos(text: str, precision: int) -> list[PromoSpec]:
    """The catalogue file's `[[promo]]` tables: code, kind (percent | fixed | credit), value (basis points or
    minor units), and optional scope ("product:<code>", ...), uses, once, first_order, until (a date)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(f"not valid TOML: {exc}") from None
    entries = data.get("promo") or []
    if not isinstance(entries, list):
        raise CatalogueError("`promo` must be [[promo]] tables")
    specs: list[PromoSpec] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, 1):
        where = f"promo {index} ({entry.get('code', 'no code')})"
        try:
            code = check_code(str(entry.get("code", "")))
        except InvalidInput:
            raise CatalogueError(f"{where}: `code` must be 3-32 letters, digits, _ or -") from None
        if code in seen:
            raise CatalogueError(f"{where}: the code is listed twice")
        seen.add(code)
        kind, value = entry.get("kind"), entry.get("value")
        if kind not in PROMO_KINDS:
            raise CatalogueError(f"{where}: `kind` must be one of {', '.join(PROMO_KINDS)}")
        if not isinstance(value, int) or value <= 0 or (kind == PromoKind.PERCENT and value > BASIS_POINTS):
            raise CatalogueError(f"{where}: `value` must be a positive whole number (basis points or minor units)")
        try:
            scope = parse_scope(str(entry.get("scope", DiscountScope.ALL)))
        except InvalidInput:
            scope = None
        if scope is None or (kind == PromoKind.CREDIT and scope[0] != DiscountScope.ALL):
            raise CatalogueError(f"{where}: bad `scope` {entry.get('scope')!r}")
        uses = entry.get("uses")
        if uses is not None and (not isinstance(uses, int) or uses < 1):
            raise CatalogueError(f"{where}: `uses` must be a positive whole number")
        until = entry.get("until")
        if until is not None and not isinstance(until, date):
            raise CatalogueError(f"{where}: `until` must be a date (2027-12-31)")
        specs.append(PromoSpec(
            code, kind, value, scope[0], scope[1], uses, bool(entry.get("once", False)),
            bool(entry.get("first_order", False)),
            datetime.combine(until, time(23, 59, 59), UTC) if until is not None else None,
        ))
    return specs


def usable(promo: PromoCode) -> bool:
    """Not switched off by staff, and a file code still in the file."""
    return promo.active and (promo.source != PromoSource.FILE or promo.in_file)


class Promos:
    def __init__(self, session: AsyncSession, clock: Clock, ledger: Ledger, discounts: Discounts) -> None:
        self._session = session
        self._clock = clock
        self._ledger = ledger
        self._discounts = discounts

    async def _by_code(self, code: str) -> PromoCode | None:
        return await self._session.scalar(select(PromoCode).where(PromoCode.code == normalize(code)))

    # --- staff and the catalogue file ----------------------------------------------------------------------

    async def create(self, spec: PromoSpec, created_by: int | None = None,
                     source: str = PromoSource.STAFF) -> PromoCode:
        if await self._by_code(spec.code) is not None:
            raise InvalidInput("promo-error-exists", code=spec.code)
        if spec.kind != PromoKind.CREDIT:
            await self._discounts.check_terms(Terms(spec.kind, spec.value, spec.scope, spec.target))
        promo = PromoCode(source=source, created_by=created_by, created_at=self._clock.now(), uses=0, active=True)
        self._apply(promo, spec)
        self._session.add(promo)
        await self._session.flush()
        return promo

    async def create_command(self, args: str, precision: int, created_by: int | None = None) -> PromoCode:
        """`/promo new` as staff typed it (`parse_promo`), created; a refusal changes nothing."""
        return await self.create(parse_promo(args, precision, self._clock.now().date()), created_by)

    @staticmethod
    def _apply(promo: PromoCode, spec: PromoSpec) -> None:
        promo.code, promo.kind, promo.value = spec.code, spec.kind, spec.value
        promo.scope, promo.target, promo.max_uses = spec.scope, spec.target, spec.max_uses
        promo.once_per_customer = spec.once_per_customer or spec.kind == PromoKind.CREDIT
        promo.first_order_only, promo.valid_until = spec.first_order_only, spec.valid_until

    async def all(self) -> list[PromoCode]:
        return list(await self._session.scalars(select(PromoCode).order_by(PromoCode.active.desc(), PromoCode.code)))

    async def disable(self, code: str) -> PromoCode:
        promo = await self._by_code(code)
        if promo is None:
            raise NotFound("promo-error-unknown", code=normalize(code)[:40])
        promo.active = False
        await self._session.flush()
        return promo

    # --- the customer --------------------------------------------------------------------------------------

    async def redeem(self, user_id: int, code: str) -> Redeemed:
        """Use a code: a single-use discount for the next order, or a credit to the balance. Every refusal is a
        PromoRefused with its own reason, and changes nothing: the counted use, the redemption and what it gives
        are written in a savepoint of their own, which a refusal past the first checks undoes (the use is given
        back) while the caller's transaction goes on."""
        code = normalize(code)
        if not CODE_RE.match(code):
            raise PromoRefused("promo-error-unknown", code=code[:40])
        promo = await self._by_code(code)
        if promo is None:
            raise PromoRefused("promo-error-unknown", code=code)
        now = self._clock.now()
        if not usable(promo):
            raise PromoRefused("promo-error-disabled", code=code)
        if promo.valid_until is not None and promo.valid_until < now:
            raise PromoRefused("promo-error-expired", code=code)
        if promo.once_per_customer and await self._session.scalar(select(exists().where(
                PromoRedemption.promo_id == promo.id, PromoRedemption.user_id == user_id))):
            raise PromoRefused("promo-error-already-used", code=code)
        if promo.first_order_only and await self._session.scalar(select(exists().where(Order.user_id == user_id))):
            raise PromoRefused("promo-error-first-order", code=code)
        async with self._session.begin_nested():
            counted = await rowcount(
                self._session,
                update(PromoCode).where(PromoCode.id == promo.id, PromoCode.active.is_(True),
                                        (PromoCode.max_uses.is_(None)) | (PromoCode.uses < PromoCode.max_uses))
                .values(uses=PromoCode.uses + 1).execution_options(synchronize_session=False)
            )
            if counted != 1:
                raise PromoRefused("promo-error-used-up", code=code)
            redemption_id = await self._session.scalar(
                upsert(self._session, PromoRedemption)
                .values(promo_id=promo.id, user_id=user_id, once_user_id=user_id if promo.once_per_customer else None,
                        credit=promo.value if promo.kind == PromoKind.CREDIT else 0, created_at=now)
                .on_conflict_do_nothing(index_elements=["promo_id", "once_user_id"])
                .returning(PromoRedemption.id)
            )
            if redemption_id is None:  # the same customer, twice at once
                raise PromoRefused("promo-error-already-used", code=code)
            await self._session.refresh(promo)
            if promo.kind == PromoKind.CREDIT:
                if not await self._ledger.post(user_id, EntryKind.ADJUSTMENT, promo.value,
                                               f"promo:{promo.id}:{user_id}"):
                    raise PromoRefused("promo-error-already-used", code=code)
                balance = await self._ledger.balance(user_id)
                return Redeemed(promo, None, promo.value, balance)
            discount = await self._discounts.grant(
                user_id, Terms(promo.kind, promo.value, promo.scope, promo.target), promo.code, single_use=True,
                promo_id=promo.id, notify=False)
            redemption = await self._session.get(PromoRedemption, redemption_id)
            assert redemption is not None
            redemption.discount_id = discount.id
            await self._session.flush()
            return Redeemed(promo, discount, 0, await self._ledger.balance(user_id))


async def sync_file_promos(session: AsyncSession, clock: Clock, text: str, precision: int) -> int:
    """Upsert the catalogue file's codes; file codes no longer listed stop working (never deleted: their
    redemptions stay). `uses` is kept across syncs, a lower limit in the file just stops further uses, and a code
    staff switched off stays off."""
    specs = parse_file_promos(text, precision)
    listed = {spec.code for spec in specs}
    existing = {p.code: p for p in await session.scalars(select(PromoCode))}
    for spec in specs:
        promo = existing.get(spec.code)
        if promo is None:
            promo = PromoCode(uses=0, created_at=clock.now())
            session.add(promo)
            promo.active = True
        Promos._apply(promo, spec)
        promo.source, promo.in_file = PromoSource.FILE, True
    for code, promo in existing.items():
        if promo.source == PromoSource.FILE and code not in listed:
            promo.in_file = False
    await session.flush()
    return len(specs)
