"""Push delivery: the outbox worker that sends notifications within Telegram's limits and loses nothing.

How it works. The worker runs in the scheduler's leader (one instance among many; `SCHEDULER_ENABLED`), as a
loop of passes. A pass claims the due outbox rows (oldest first) in one short transaction, leasing them by
moving `next_attempt_at` a minute ahead: on PostgreSQL `FOR UPDATE SKIP LOCKED` keeps two instances off the
same rows, on SQLite there is one process. Each row is rendered in the recipient's language and time zone *as
they are now* (not when the notification was made) and sent with its buttons, paced:

* overall at `DELIVERY_RATE` messages a second (default 25, under Telegram's ~30); user-facing replies share
  the bot's budget, hence the margin;
* at most one message a second per private chat and 20 a minute per group; rows that would wait longer than
  a pass for their chat go back to the table, due when their chat is free, so one busy customer never holds
  up the others;
* a 429 pauses every send for `retry_after` (the row is sent again after the wait); the session's own
  flood-wait retry (`bot/telegram.py`) is switched off here so the worker sees every 429;
* a 403 (bot blocked, chat deleted) marks the user unreachable and drops all their pending rows; the user is
  reachable again as soon as they write to the bot (`domain/accounts.py`);
* a network error, a timeout or a 5xx counts an attempt and retries after `DELIVERY_BACKOFF` seconds,
  doubling, until `DELIVERY_MAX_ATTEMPTS`; then the row is `failed` and logged. A 400 (Telegram refused the
  content) or a rendering error fails the row at once: repeating cannot help.

Nothing is lost across a restart: the state is in the table. Stopping lets the sends in flight finish, marks
them, and gives unsent claimed rows back at once; rows of a worker that died keep their lease and are due
again when it ends (a minute later).

The duplicate window (at-least-once). Telegram has no idempotency key, so a message can be sent twice only
if the process dies, or the database is unreachable, between Telegram accepting `sendMessage` and the commit
that marks the row `sent`: each row is marked in its own commit right after its API call, so that window is
one round trip to the database. The other case is a request that times out after Telegram delivered it; it
is retried like any network error. A lease is never used past its end: a row is only sent while its lease
has longer to run than the request timeout, so a second instance cannot take it over mid-send.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections import deque
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
)

from bot import metrics
from bot.config import available_locales
from bot.i18n import pick_locale
from bot.telegram import retry_flood_waits
from domain.clock import Clock
from domain.notifications import Delivery
from domain.unit import Domain
from handlers.notifications import render_push

if TYPE_CHECKING:
    from aiogram_i18n.cores import FluentRuntimeCore

    from bot.application import App
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

PRIVATE_CHAT_INTERVAL = 1.0  # seconds between two messages to one person
GROUP_CHAT_INTERVAL = 3.0  # 20 a minute in a group
LEASE = timedelta(seconds=60)
REQUEST_TIMEOUT = 15  # seconds; must stay well under the lease
PASS_HORIZON = 2.0  # seconds of sending one pass plans ahead
POLL_INTERVAL = 1.0  # seconds between looks at an idle outbox
MAX_IN_FLIGHT = 50


@dataclass
class PassStats:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    dropped: int = 0
    released: int = 0
    flood_waits: int = 0

    def add(self, other: PassStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def chat_interval(chat_id: int) -> float:
    return PRIVATE_CHAT_INTERVAL if chat_id > 0 else GROUP_CHAT_INTERVAL


class DeliveryWorker:
    def __init__(
        self,
        *,
        domain: Callable[[], AbstractAsyncContextManager[Domain]],
        bot: Bot,
        core: FluentRuntimeCore,
        clock: Clock,
        default_locale: str,
        rate: float = 25.0,
        max_attempts: int = 5,
        backoff: float = 15.0,
    ) -> None:
        self._domain = domain
        self._bot = bot
        self._core = core
        self._clock = clock
        self._default_locale = default_locale
        self._locales = available_locales()
        self.rate = rate
        self.max_attempts = max_attempts
        self.backoff = timedelta(seconds=backoff)
        self._next_slot = 0.0  # monotonic time of the next free slot under the overall rate
        self._chat_free: dict[int, float] = {}  # monotonic time each chat may get its next message
        self._paused_until = 0.0  # Telegram asked to wait (429) until then
        self._stopping = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.totals = PassStats()

    @classmethod
    def from_app(cls, app: App) -> DeliveryWorker:
        settings = app.settings
        return cls(domain=app.domain, bot=app.bot, core=app.i18n.core,  # type: ignore[arg-type]  # always a FluentRuntimeCore (bot/i18n.py)
                   clock=app.context.clock,
                   default_locale=settings.default_locale, rate=settings.delivery_rate,
                   max_attempts=settings.delivery_max_attempts, backoff=settings.delivery_backoff)

    # --- running in the background -----------------------------------------------------------------------

    def schedule(self, scheduler: Scheduler) -> None:
        """Run while this instance leads the scheduler; the job restarts the loop should it ever end."""

        async def keep_delivering() -> None:
            self.start()

        scheduler.add("deliver-notifications", keep_delivering, seconds=10)

    def start(self) -> None:
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.create_task(self._loop(), name="notification-delivery")

    def wake(self) -> None:
        """Look at the outbox now rather than at the next poll."""
        self._wake.set()

    async def stop(self, timeout: float = 20.0) -> None:  # noqa: ASYNC109 - a deadline for the sends in flight
        self._stopping = True
        self._wake.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(asyncio.shield(self._task), timeout)
            except TimeoutError:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task
            self._task = None

    async def _loop(self) -> None:
        retry_flood_waits.set(False)  # this task's own context
        while not self._stopping:
            try:
                stats = await self._pass()
            except Exception:
                log.exception("notification delivery pass failed")
                stats = PassStats()
            if stats.claimed == 0 and not self._stopping:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), POLL_INTERVAL)
                self._wake.clear()

    # --- one pass ----------------------------------------------------------------------------------------

    async def run_once(self) -> PassStats:
        """One pass: claim what is due, send it within the limits, settle every row. For tests and tools."""
        token = retry_flood_waits.set(False)
        try:
            return await self._pass()
        finally:
            retry_flood_waits.reset(token)

    async def drain(self, max_passes: int = 1000) -> PassStats:
        """Passes until nothing is due (rows waiting for a backoff stay for later)."""
        total = PassStats()
        for _ in range(max_passes):
            stats = await self.run_once()
            total.add(stats)
            if stats.claimed == 0:
                break
        return total

    async def _pass(self) -> PassStats:
        stats = PassStats()
        await self._wait_until(self._paused_until)
        if self._stopping:
            return stats
        async with self._domain() as domain:
            claimed = await domain.outbox.claim(max(1, math.ceil(self.rate * PASS_HORIZON)), LEASE)
        stats.claimed = len(claimed)
        if not claimed:
            return stats
        queue = await self._plan(claimed, stats)
        blocked: set[int] = set()
        in_flight: set[asyncio.Task[None]] = set()
        while queue or in_flight:
            if not queue or len(in_flight) >= MAX_IN_FLIGHT:
                await asyncio.wait(in_flight, return_when=asyncio.FIRST_COMPLETED)
                in_flight = {task for task in in_flight if not task.done()}
                continue
            if self._stopping:
                await self._release([d for _, d in queue], stats)
                queue.clear()
                continue
            slot, delivery = queue[0]
            if delivery.chat_id in blocked:
                queue.popleft()
                continue
            go_at = max(slot, self._next_slot, self._paused_until)
            if not self._lease_covers(delivery, go_at - time.monotonic()):
                # A long flood wait: the lease would run out before this send ends; give the rest back.
                await self._release([d for _, d in queue], stats)
                queue.clear()
                continue
            await self._wait_until(go_at)
            if self._stopping or time.monotonic() < self._paused_until:
                continue  # stopped, or a 429 arrived while waiting: look again
            queue.popleft()
            now = time.monotonic()
            self._next_slot = max(self._next_slot, now) + 1 / self.rate
            self._chat_free[delivery.chat_id] = now + chat_interval(delivery.chat_id)
            in_flight.add(asyncio.create_task(self._deliver(delivery, queue, blocked, stats)))
        self._forget_idle_chats()
        self.totals.add(stats)
        return stats

    def _lease_covers(self, delivery: Delivery, wait: float) -> bool:
        """Whether a send starting after `wait` seconds ends before the row's lease does."""
        left = (delivery.lease_until - self._clock.now()).total_seconds()
        return max(wait, 0.0) + REQUEST_TIMEOUT < left

    async def _plan(self, claimed: list[Delivery], stats: PassStats) -> deque[tuple[float, Delivery]]:
        """Order the claimed rows by when each may go; drop the unreachable; give back what must wait."""
        now = time.monotonic()
        horizon = now + PASS_HORIZON
        planned: list[tuple[float, Delivery]] = []
        later: list[tuple[Delivery, float]] = []
        unreachable: list[Delivery] = []
        chat_next: dict[int, float] = {}
        for delivery in claimed:
            if not delivery.reachable:
                unreachable.append(delivery)
                continue
            chat = delivery.chat_id
            free = max(now, self._chat_free.get(chat, 0.0), chat_next.get(chat, 0.0))
            chat_next[chat] = free + chat_interval(chat)
            if free > horizon:
                later.append((delivery, free - now))
            else:
                planned.append((free, delivery))
        if unreachable or later:
            async with self._domain() as domain:
                for delivery in unreachable:
                    await domain.outbox.drop(delivery.outbox_id, "recipient unreachable (bot blocked)")
                for delivery, wait in later:
                    at = self._clock.now() + timedelta(seconds=wait)
                    await domain.outbox.release([delivery.outbox_id], at)
            stats.dropped += len(unreachable)
            stats.released += len(later)
            metrics.NOTIFICATIONS.labels("dropped").inc(len(unreachable))
        planned.sort(key=lambda item: item[0])
        return deque(planned)

    async def _deliver(self, delivery: Delivery, queue: deque[tuple[float, Delivery]], blocked: set[int],
                       stats: PassStats) -> None:
        outbox_id, chat_id = delivery.outbox_id, delivery.chat_id
        try:
            text, markup = self._render(delivery)
        except Exception as exc:
            log.exception("notification %s (outbox %s) cannot be rendered; giving up",
                          delivery.notification.id, outbox_id)
            reason = f"render: {exc!r}"
            await self._settle(lambda d: d.outbox.fail(outbox_id, reason))
            stats.failed += 1
            metrics.NOTIFICATIONS.labels("failed").inc()
            return
        try:
            message = await self._bot.send_message(chat_id, text, reply_markup=markup,
                                                   request_timeout=REQUEST_TIMEOUT)
        except TelegramRetryAfter as exc:
            # Telegram wants a pause from the whole bot: every send waits, this one goes again first.
            self._paused_until = max(self._paused_until, time.monotonic() + exc.retry_after)
            queue.appendleft((0.0, delivery))
            stats.flood_waits += 1
            metrics.NOTIFICATIONS.labels("flood_wait").inc()
            log.warning("flood control: pausing delivery for %ss", exc.retry_after)
            return
        except TelegramForbiddenError as exc:
            blocked.add(chat_id)
            reason = f"403: {exc.message}"

            async def unreachable(domain: Domain) -> int:
                if chat_id > 0:
                    await domain.accounts.mark_unreachable(chat_id)
                return await domain.outbox.drop_pending_for(chat_id, reason)

            dropped = await self._settle(unreachable)
            stats.dropped += dropped or 0
            metrics.NOTIFICATIONS.labels("dropped").inc(dropped or 0)
            log.info("chat %s cannot be reached (%s); dropped %s pending message(s)", chat_id, exc.message, dropped)
            return
        except TelegramBadRequest as exc:
            reason = f"400: {exc.message}"
            log.error("Telegram refused notification %s (outbox %s) for chat %s: %s",
                      delivery.notification.id, outbox_id, chat_id, exc.message)
            await self._settle(lambda d: d.outbox.fail(outbox_id, reason))
            stats.failed += 1
            metrics.NOTIFICATIONS.labels("failed").inc()
            return
        except (TelegramAPIError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
            status = await self._settle(lambda d: d.outbox.retry_or_fail(
                outbox_id, error, max_attempts=self.max_attempts, backoff=self.backoff))
            if status == "failed":
                stats.failed += 1
                metrics.NOTIFICATIONS.labels("failed").inc()
                log.error("giving up on outbox %s for chat %s after %s attempts: %s", outbox_id, chat_id,
                          self.max_attempts, error)
            else:
                stats.retried += 1
                metrics.NOTIFICATIONS.labels("retried").inc()
                log.warning("outbox %s for chat %s will be retried: %s", outbox_id, chat_id, error)
            return
        # The duplicate window is from here to the commit below: keep it to this one statement.
        await self._settle(lambda d: d.outbox.mark_sent(outbox_id, message.message_id))
        stats.sent += 1
        metrics.NOTIFICATIONS.labels("sent").inc()

    def _render(self, delivery: Delivery) -> tuple[str, Any]:
        locale = pick_locale(delivery.locale, delivery.language_code, self._default_locale, self._locales)

        def translate(key: str, **args: Any) -> str:
            return self._core.get(key, locale, **args)

        return render_push(translate, delivery.notification, locale, delivery.time_zone)

    async def _settle(self, action: Callable[[Domain], Any]) -> Any:
        """Record one outcome in its own unit of work; a database failure is logged, the lease covers it."""
        try:
            async with self._domain() as domain:
                return await action(domain)
        except Exception:
            log.exception("could not record a delivery outcome; the row is retried when its lease ends")
            return None

    async def _release(self, deliveries: list[Delivery], stats: PassStats) -> None:
        if deliveries:
            pause = max(0.0, self._paused_until - time.monotonic())
            at = self._clock.now() + timedelta(seconds=pause)
            await self._settle(lambda d: d.outbox.release([x.outbox_id for x in deliveries], at))
            stats.released += len(deliveries)

    async def _wait_until(self, moment: float) -> None:
        """Sleep until a monotonic moment; stopping cuts the wait short."""
        delay = moment - time.monotonic()
        if delay > 0 and not self._stopping:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop_requested(), delay)

    async def _stop_requested(self) -> None:
        while not self._stopping:
            await self._wake.wait()
            self._wake.clear()

    def _forget_idle_chats(self) -> None:
        if len(self._chat_free) > 10_000:
            now = time.monotonic()
            self._chat_free = {chat: t for chat, t in self._chat_free.items() if t > now}
