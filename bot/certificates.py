"""SSL wiring: the CA and validation ports from the settings, and the job that re-checks pending validations
and signs the new term's certificate of a renewed service."""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING

from bot.config import Settings
from domain.ca import LocalTestCA
from domain.certificates import SslSettings
from domain.clock import Clock
from domain.crypto import Cipher
from domain.dcv import AiohttpFetcher, DnsPythonResolver, parse_resolvers
from domain.errors import DomainError
from domain.unit import Domain

if TYPE_CHECKING:
    from bot.app import App
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

DCV_JOB = "ssl-validation"


def ssl_settings(settings: Settings, cipher: Cipher, clock: Clock) -> SslSettings:
    """CA_BACKEND=test: the local test CA kept in DATA_DIR/test-ca (made on first start)."""
    ca = LocalTestCA.load_or_create(settings.data_dir / "test-ca", cipher, clock.now())
    return SslSettings(
        ca=ca,
        resolver=DnsPythonResolver(parse_resolvers(settings.dns_resolvers), timeout=settings.dcv_http_timeout),
        fetcher=AiohttpFetcher(timeout=settings.dcv_http_timeout),
    )


class ValidationJobs:
    """Re-checks every certificate awaiting validation; a pass issues it and notifies the customer."""

    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]],
                 wake: Callable[[], None] = lambda: None) -> None:
        self._domain = domain
        self._wake = wake

    @classmethod
    def from_app(cls, app: App, wake: Callable[[], None] = lambda: None) -> ValidationJobs:
        return cls(app.domain, wake)

    def schedule(self, scheduler: Scheduler, interval: float) -> None:
        scheduler.add(DCV_JOB, self.recheck, seconds=interval)

    async def recheck(self) -> int:
        """Each pending certificate in its own unit of work, then the renewed ones; returns how many were
        issued."""
        async with self._domain() as domain:
            pending = await domain.certificates.pending()
        issued = 0
        for owner_id, service_id in pending:
            try:
                async with self._domain() as domain:
                    issued += await domain.certificates.recheck(owner_id, service_id)
            except DomainError as exc:  # changed meanwhile (issued by "check now", service suspended)
                log.info("validation re-check of service %s skipped: %s", service_id, exc.message_id)
        renewed = await self.renew()
        if issued:
            log.info("validation re-check: %d certificate(s) issued of %d pending", issued, len(pending))
        if issued or renewed:
            self._wake()
        return issued + renewed

    async def renew(self) -> int:
        """Certificates whose service was renewed get the new term's certificate; returns how many."""
        async with self._domain() as domain:
            due = await domain.certificates.renewed()
        renewed = 0
        for owner_id, service_id in due:
            try:
                async with self._domain() as domain:
                    renewed += await domain.certificates.renew_issued(owner_id, service_id)
            except Exception:  # one certificate the CA refuses must not hold up the others
                log.exception("renewed certificate of service %s not signed", service_id)
        if renewed:
            log.info("%d renewed certificate(s) signed", renewed)
        return renewed
