"""Notifications: what the bot tells a customer on its own, kept in an inbox and pushed through an outbox.

Any section notifies inside its own unit of work::

    await domain.notifications.notify(
        user_id, category="finance", key="notification-topup-received",
        args={"amount": money_arg(1500, "EUR"), "at": now},
        buttons=[button("notification-button-billing", callback="m:billing")],
        dedupe_key=f"topup:{payment_id}",
    )

Arguments are stored as JSON and rendered at delivery in the recipient's language and time zone then: money
as `money_arg(minor, currency)` (or any object with `minor` and `currency`), moments as `datetime` (shown in
the recipient's time zone), calendar days as `date`. Strings are escaped when rendered.

Idempotent on `dedupe_key`: the insert is guarded by the UNIQUE constraint (`ON CONFLICT DO NOTHING`), so a
second call with the same key writes nothing, returns None and leaves the caller's transaction intact.

The outbox state machine (used by the delivery worker, `bot/delivery.py`)::

    pending --claim--> pending (next_attempt_at = now + lease) --sent--> sent
                                                               --retry--> pending (attempts + 1, backoff)
                                                               --give up--> failed
    pending --recipient blocked the bot--> dropped
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.db import rowcount, upsert
from domain.errors import InvalidInput, NotFound
from domain.models.base import table_of
from domain.models.notifications import (
    Notification,
    NotificationCategory,
    NotificationMute,
    OutboxMessage,
    OutboxStatus,
)
from domain.models.user import User

CATEGORIES = tuple(NotificationCategory)
# Legally required notices (payments, refunds, renewals, account security) are always pushed.
MANDATORY = frozenset({NotificationCategory.FINANCE, NotificationCategory.SECURITY})
MUTABLE = tuple(c for c in CATEGORIES if c not in MANDATORY)
BULK_CHUNK = 500
STATUSES = tuple(OutboxStatus)
MISSING = "missing"  # what `Outbox.retry_or_fail` answers for a row that is not there: not a status of a row
MAX_CALLBACK_BYTES = 64
MAX_BUTTONS = 6


# --- arguments -------------------------------------------------------------------------------------------

def money_arg(minor: int, currency: str) -> dict[str, Any]:
    """An amount of money as a notification argument: integer minor units and an ISO currency."""
    return {"$type": "money", "minor": int(minor), "currency": currency}


def datetime_arg(moment: datetime) -> dict[str, Any]:
    """A moment, shown in the recipient's time zone at delivery."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given where UTC is required")
    return {"$type": "datetime", "value": moment.isoformat()}


def localized_arg(texts: Mapping[str, str]) -> dict[str, Any]:
    """A text given in several languages (a product name from the catalogue); the reader's language is shown."""
    return {"$type": "text", "values": {str(k): str(v) for k, v in texts.items()}}


def date_arg(day: date) -> dict[str, Any]:
    """A calendar day, shown as it is (no time zone shift)."""
    return {"$type": "date", "value": day.isoformat()}


def encode_arg(value: Any) -> Any:
    """Turn a Python value into its JSON form; typed values get a `$type` marker."""
    if isinstance(value, datetime):
        return datetime_arg(value)
    if isinstance(value, date):
        return date_arg(value)
    if hasattr(value, "minor") and hasattr(value, "currency"):
        return money_arg(value.minor, value.currency)
    if value is None or isinstance(value, bool | int | str | float):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"notification argument of type {type(value).__name__} is not JSON")


def encode_args(args: Mapping[str, Any] | None) -> dict[str, Any]:
    return {str(name): encode_arg(value) for name, value in (args or {}).items()}


def button(text_key: str, *, callback: str | None = None, url: str | None = None, action: str | None = None,
           **args: Any) -> dict[str, Any]:
    """An action button under a notification. Exactly one of: `callback` (callback data as the handler layer
    packs it, <= 64 bytes), `url`, or `action` (a name the handler layer maps to a callback with `args`).
    `args` also feed the button's own text (e.g. "Top up { $amount }")."""
    targets = {"callback": callback, "url": url, "action": action}
    given = {name: value for name, value in targets.items() if value is not None}
    if len(given) != 1:
        raise ValueError("a notification button needs exactly one of callback, url, action")
    if callback is not None and not 1 <= len(callback.encode()) <= MAX_CALLBACK_BYTES:
        raise ValueError("callback data must be 1..64 bytes")
    return {"text_key": text_key, **given, "args": encode_args(args)}


def _check_buttons(buttons: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    checked = []
    for spec in buttons[:MAX_BUTTONS]:
        extra = {k: v for k, v in spec.items() if k not in {"text_key", "callback", "url", "action", "args"}}
        checked.append(button(spec["text_key"], callback=spec.get("callback"), url=spec.get("url"),
                              action=spec.get("action"), **dict(spec.get("args") or {}), **extra))
    return checked


# --- reading ---------------------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class NotificationView:
    id: int
    user_id: int
    category: str
    key: str
    args: dict[str, Any]
    buttons: list[dict[str, Any]]
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, row: Notification) -> NotificationView:
        return cls(row.id, row.user_id, row.category, row.key, dict(row.args or {}), list(row.buttons or []),
                   row.created_at, row.read_at is not None)


@dataclass(frozen=True, slots=True)
class InboxPage:
    items: list[NotificationView]
    page: int
    pages: int
    total: int
    unread: int
    category: str | None


# --- the service sections call ---------------------------------------------------------------------------

class Notifications:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def notify(
        self,
        user_id: int,
        *,
        category: str,
        key: str,
        args: Mapping[str, Any] | None = None,
        buttons: Sequence[Mapping[str, Any]] = (),
        dedupe_key: str | None = None,
        push: bool = True,
    ) -> int | None:
        """Put a notification into the customer's inbox and, with `push`, queue it for delivery.

        Returns the notification id, or None when `dedupe_key` was used before (then nothing is written).
        Without a `dedupe_key` every call is a new notification. A category the customer muted is kept in the
        inbox and not pushed (finance and security cannot be muted).
        """
        if category not in CATEGORIES:
            raise ValueError(f"unknown notification category {category!r}")
        now = self._clock.now()
        values = {
            "user_id": user_id,
            "category": category,
            "key": key,
            "args": encode_args(args),
            "buttons": _check_buttons(buttons),
            "dedupe_key": dedupe_key or f"once:{uuid.uuid4().hex}",
            "created_at": now,
            "read_at": None,
        }
        notification_id: int | None = await self._session.scalar(
            upsert(self._session, Notification)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[Notification.dedupe_key])
            .returning(Notification.id)
        )
        if notification_id is None:
            return None
        if push and category not in MANDATORY:
            push = category not in await self.muted(user_id)
        if push:
            self._session.add(OutboxMessage(notification_id=notification_id, chat_id=user_id,
                                            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=now,
                                            created_at=now))
            await self._session.flush()
        return notification_id

    async def notify_many(self, items: Sequence[Mapping[str, Any]]) -> int:
        """`notify` for many notices at once (the sweeps): each item has the arguments of `notify` plus
        `user_id`, buttons made with `button()`. Multi-row `INSERT ... ON CONFLICT DO NOTHING` per chunk;
        returns how many were new."""
        now = self._clock.now()
        created = 0
        for start in range(0, len(items), BULK_CHUNK):
            chunk = items[start : start + BULK_CHUNK]
            pushed: dict[str, bool] = {}
            values = []
            for item in chunk:
                if item["category"] not in CATEGORIES:
                    raise ValueError(f"unknown notification category {item['category']!r}")
                key = item.get("dedupe_key") or f"once:{uuid.uuid4().hex}"
                pushed[key] = bool(item.get("push", True))
                values.append({
                    "user_id": item["user_id"], "category": item["category"], "key": item["key"],
                    # Buttons come from `button()`, which has checked them; only the count is limited here.
                    "args": encode_args(item.get("args")), "buttons": list(item.get("buttons") or ())[:MAX_BUTTONS],
                    "dedupe_key": key, "created_at": now, "read_at": None,
                })
            # Core table and executemany: SQLAlchemy batches it into multi-row statements ("insertmanyvalues")
            # from one cached compilation, where ORM `.values([...])` would compile every chunk anew.
            table = table_of(Notification)
            rows = (await self._session.execute(
                upsert(self._session, table)
                .on_conflict_do_nothing(index_elements=[table.c.dedupe_key])
                .returning(table.c.id, table.c.user_id, table.c.category, table.c.dedupe_key),
                values,
            )).all()
            created += len(rows)
            muted = await self._muted_among({r.user_id for r in rows if r.category not in MANDATORY})
            outbox = [
                {"notification_id": r.id, "chat_id": r.user_id, "status": OutboxStatus.PENDING, "attempts": 0,
                 "next_attempt_at": now, "created_at": now}
                for r in rows if pushed[r.dedupe_key] and (r.user_id, r.category) not in muted
            ]
            if outbox:
                await self._session.execute(insert(table_of(OutboxMessage)), outbox)
        return created

    async def _muted_among(self, user_ids: set[int]) -> set[tuple[int, str]]:
        if not user_ids:
            return set()
        rows = await self._session.execute(
            select(NotificationMute.user_id, NotificationMute.category).where(NotificationMute.user_id.in_(user_ids))
        )
        return {(user_id, category) for user_id, category in rows}

    # --- preferences -------------------------------------------------------------------------------------

    async def muted(self, user_id: int) -> set[str]:
        """The categories the customer muted."""
        return set(await self._session.scalars(
            select(NotificationMute.category).where(NotificationMute.user_id == user_id)
        ))

    async def set_muted(self, user_id: int, category: str, muted: bool) -> set[str]:
        """Mute or unmute one category; finance and security cannot be muted. Returns the muted categories."""
        if category not in MUTABLE:
            raise InvalidInput("notifications-error-not-mutable")
        if muted:
            await self._session.execute(
                upsert(self._session, NotificationMute).values(user_id=user_id, category=category)
                .on_conflict_do_nothing()
            )
        else:
            await self._session.execute(
                delete(NotificationMute).where(NotificationMute.user_id == user_id,
                                               NotificationMute.category == category)
            )
        return await self.muted(user_id)

    async def toggle_muted(self, user_id: int, category: str) -> set[str]:
        """Mute a category the customer has pushed, or have a muted one pushed again (`set_muted`)."""
        return await self.set_muted(user_id, category, category not in await self.muted(user_id))

    async def unread_count(self, user_id: int) -> int:
        return await self._session.scalar(
            select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))
        ) or 0

    async def inbox(self, user_id: int, *, page: int = 0, per_page: int = 5,
                    category: str | None = None) -> InboxPage:
        """Newest first; `page` is clamped to the pages there are."""
        if category is not None and category not in CATEGORIES:
            raise InvalidInput()
        where = [Notification.user_id == user_id]
        if category is not None:
            where.append(Notification.category == category)
        counts = (await self._session.execute(
            select(func.count(), func.count().filter(Notification.read_at.is_(None))).where(*where)
        )).one()
        total, unread = counts[0] or 0, counts[1] or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        rows = (await self._session.scalars(
            select(Notification).where(*where).order_by(Notification.id.desc())
            .offset(page * per_page).limit(per_page)
        )).all()
        return InboxPage([NotificationView.of(r) for r in rows], page, pages, total, unread, category)

    async def open(self, user_id: int, notification_id: int) -> NotificationView:
        """The notification, marked read; a foreign or missing id is NotFound."""
        row = await self._session.get(Notification, notification_id)
        if row is None or row.user_id != user_id:
            raise NotFound()
        if row.read_at is None:
            row.read_at = self._clock.now()
            await self._session.flush()
        return NotificationView.of(row)

    async def mark_all_read(self, user_id: int, category: str | None = None) -> int:
        where = [Notification.user_id == user_id, Notification.read_at.is_(None)]
        if category is not None:
            where.append(Notification.category == category)
        changed = await rowcount(
            self._session,
            update(Notification).where(*where).values(read_at=self._clock.now())
            .execution_options(synchronize_session=False)
        )
        return changed


# --- the delivery side -----------------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Delivery:
    """A claimed outbox row with everything needed to render it for its recipient as they are now."""

    outbox_id: int
    chat_id: int
    attempts: int
    lease_until: datetime
    notification: NotificationView
    locale: str | None
    language_code: str | None
    time_zone: str
    reachable: bool


class Outbox:
    """Claiming and settling outbox rows. Each call is meant to run in its own short unit of work, so a claim
    and each result are committed at once (see bot/delivery.py for the at-least-once window)."""

    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def claim(self, limit: int, lease: timedelta) -> list[Delivery]:
        """Take up to `limit` due rows, oldest first, leasing them: they are not due again before the lease
        ends. On PostgreSQL `FOR UPDATE SKIP LOCKED` keeps two instances off the same rows."""
        now = self._clock.now()
        lease_until = now + lease
        due = (
            select(OutboxMessage.id)
            .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = (await self._session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(due.scalar_subquery()), OutboxMessage.status == OutboxStatus.PENDING)
            .values(next_attempt_at=lease_until)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )).scalars().all()
        if not claimed:
            return []
        rows = (await self._session.execute(
            select(OutboxMessage, Notification, User.locale, User.language_code, User.time_zone, User.reachable)
            .join(Notification, Notification.id == OutboxMessage.notification_id)
            .join(User, User.id == Notification.user_id)
            .where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        )).all()
        return [
            Delivery(outbox.id, outbox.chat_id, outbox.attempts, lease_until, NotificationView.of(notification),
                     locale, language_code, time_zone, reachable)
            for outbox, notification, locale, language_code, time_zone, reachable in sorted(
                rows, key=lambda r: r[0].id)
        ]

    async def mark_sent(self, outbox_id: int, message_id: int | None) -> None:
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.SENT, sent_at=self._clock.now(), message_id=message_id,
                    attempts=OutboxMessage.attempts + 1, last_error=None)
            .execution_options(synchronize_session=False)
        )

    async def release(self, outbox_ids: Sequence[int], at: datetime | None = None) -> None:
        """Give claimed rows back unsent (no attempt counted): due at `at`, or at once."""
        if outbox_ids:
            await self._session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(list(outbox_ids)),
                                            OutboxMessage.status == OutboxStatus.PENDING)
                .values(next_attempt_at=at or self._clock.now())
                .execution_options(synchronize_session=False)
            )

    async def retry_or_fail(self, outbox_id: int, error: str, *, max_attempts: int,
                            backoff: timedelta) -> str:
        """Count a failed attempt: due again after `backoff * 2**(attempts-1)`, or `failed` after the last
        allowed attempt. Returns the new status."""
        row = await self._session.get(OutboxMessage, outbox_id)
        if row is None or row.status != OutboxStatus.PENDING:
            return row.status if row is not None else MISSING
        row.attempts += 1
        row.last_error = error[:1000]
        if row.attempts >= max_attempts:
            row.status = OutboxStatus.FAILED
        else:
            row.next_attempt_at = self._clock.now() + backoff * (2 ** (row.attempts - 1))
        await self._session.flush()
        return row.status

    async def fail(self, outbox_id: int, error: str) -> None:
        """Give up on one row at once: retrying cannot help (Telegram refused its content, it cannot be
        rendered)."""
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.FAILED, attempts=OutboxMessage.attempts + 1, last_error=error[:1000])
            .execution_options(synchronize_session=False)
        )

    async def drop(self, outbox_id: int, error: str) -> None:
        """Nobody to deliver to (the recipient blocked the bot): not an error of the message."""
        await self._session.execute(
            update(OutboxMessage).where(OutboxMessage.id == outbox_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.DROPPED, last_error=error[:1000])
            .execution_options(synchronize_session=False)
        )

    async def drop_pending_for(self, chat_id: int, reason: str) -> int:
        """The recipient cannot be reached: none of their pending messages will be sent."""
        changed = await rowcount(
            self._session,
            update(OutboxMessage).where(OutboxMessage.chat_id == chat_id, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.DROPPED, last_error=reason[:1000])
            .execution_options(synchronize_session=False)
        )
        return changed

    async def counts(self) -> dict[str, int]:
        rows = (await self._session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        )).all()
        return {status: 0 for status in STATUSES} | {status: count for status, count in rows}

    async def next_due(self) -> datetime | None:
        return await self._session.scalar(
            select(func.min(OutboxMessage.next_attempt_at)).where(OutboxMessage.status == OutboxStatus.PENDING)
        )


__all__ = [
    "CATEGORIES",
    "MANDATORY",
    "MUTABLE",
    "STATUSES",
    "Delivery",
    "InboxPage",
    "NotificationCategory",
    "NotificationView",
    "Notifications",
    "Outbox",
    "OutboxStatus",
    "button",
    "date_arg",
    "datetime_arg",
    "encode_arg",
    "localized_arg",
    "money_arg",
]
