"""The service-expiry jobs: auto-renewal, expiry reminders, suspension and deletion (rules in domain/renewals.py).

Each job is an idempotent sweep over the domain tables; running one twice, or on two instances at once, changes
nothing more (UNIQUE dedupe keys and ledger references). Tests call these functions directly with a moved clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from domain.errors import DomainError
from domain.renewals import BatchRefused, SweepStats, period_key
from domain.unit import Domain

if TYPE_CHECKING:
    from bot.application import App
    from bot.delivery import DeliveryWorker
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)
RENEWALS_PER_TRANSACTION = 200

AUTO_RENEWAL_JOB = "auto-renewal"
EXPIRY_JOB = "expiry-sweep"


@dataclass
class RenewalRun:
    renewed: int = 0
    failed: int = 0
    plan: SweepStats = field(default_factory=SweepStats)
    autopay: dict[str, int] = field(default_factory=dict)


class ExpiryJobs:
    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]],
                 wake: Callable[[], None] = lambda: None) -> None:
        self._domain = domain
        self._wake = wake

    @classmethod
    def from_app(cls, app: App, delivery: DeliveryWorker | None = None) -> ExpiryJobs:
        return cls(app.domain, delivery.wake if delivery is not None else (lambda: None))

    def schedule(self, scheduler: Scheduler, *, reminder_interval: float, renewal_interval: float) -> None:
        scheduler.add(AUTO_RENEWAL_JOB, self.auto_renewal, seconds=renewal_interval)
        scheduler.add(EXPIRY_JOB, self.expiry, seconds=reminder_interval)

    async def auto_renewal(self) -> RenewalRun:
        """Renew what the balance covers, each in its own unit of work; notify the rest."""
        run = RenewalRun()
        # Shortfalls charged to saved cards first (domain/autopay.py), so the plan below finds them covered.
        async with self._domain() as domain:
            run.autopay = await domain.autopay.cover_renewals()
        async with self._domain() as domain:
            due, run.plan = await domain.renewals.plan_auto_renewals()
        # A few hundred renewals a transaction, written together; what the batch leaves (a balance that moved, a
        # service renewed meanwhile) renews one by one, each in a savepoint of its own, so one failure rolls back
        # alone and the next sweep sees it again.
        for start in range(0, len(due), RENEWALS_PER_TRANSACTION):
            chunk = due[start:start + RENEWALS_PER_TRANSACTION]
            async with self._domain() as domain:
                try:
                    async with domain.savepoint():
                        renewed, left = await domain.renewals.renew_due(chunk)
                    run.renewed += len(renewed)
                except BatchRefused as exc:
                    log.info("auto-renewal batch renewed one by one: %s", exc)
                    left = list(chunk)
                for item in left:
                    try:
                        async with domain.savepoint():
                            await domain.renewals.renew(item.user_id, item.service_id, period_key(item.expires_at),
                                                        actor="system", notify_push=True)
                        run.renewed += 1
                    except DomainError as exc:
                        run.failed += 1
                        log.info("auto-renewal of service %s skipped: %s", item.service_id, exc.message_id)
        if run.renewed or run.plan.notified or any(run.autopay.values()):
            log.info("auto-renewal: %d renewed, %d short (%d notified), %d skipped", run.renewed, run.plan.short,
                     run.plan.notified, run.failed)
            self._wake()
        return run

    async def expiry(self) -> tuple[SweepStats, SweepStats]:
        """Reminders, then suspension and deletion of services left expired."""
        async with self._domain() as domain:
            reminded = await domain.renewals.remind()
        async with self._domain() as domain:
            expired = await domain.renewals.expire()
        if reminded.notified or expired.notified:
            log.info("expiry sweep: %d reminder(s), %d suspended, %d deleted", reminded.notified,
                     expired.suspended, expired.deleted)
            self._wake()
        return reminded, expired

    async def run_all(self) -> None:
        """Every sweep once, renewals first (a service renewed now needs no reminder)."""
        await self.auto_renewal()
        await self.expiry()
