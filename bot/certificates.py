"""SSL wiring: the CA and validation ports from the settings, and the job that re-checks pending validations
and signs the new term's certificate of a renewed service."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
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
        """Each pending certificate, then each that needs a certificate for the rest of its paid term; returns
        how many were issued."""
        issued = await self._each(lambda domain: domain.certificates.pending(),
                                  lambda domain, owner, service: domain.certificates.recheck(owner, service),
                                  "validation re-check")
        renewed = await self.renew()
        if issued:
            log.info("validation re-check: %d certificate(s) issued", issued)
        if issued or renewed:
            self._wake()
        return issued + renewed

    async def renew(self) -> int:
        """Certificates that end before their paid term get the next one; returns how many."""
        renewed = await self._each(lambda domain: domain.certificates.renewed(),
                                   lambda domain, owner, service: domain.certificates.renew_issued(owner, service),
                                   "certificate for the paid term")
        if renewed:
            log.info("%d certificate(s) signed for the rest of their paid term", renewed)
        return renewed

    async def _each(self, find: Callable[[Domain], Awaitable[list[tuple[int, int]]]],
                    act: Callable[[Domain, int, int], Awaitable[bool]], what: str) -> int:
        """`act` on each (owner, service) `find` lists, each in its own unit of work, so one that changed
        meanwhile (issued by "check now", suspended) or that the CA refuses does not hold up the others."""
        async with self._domain() as domain:
            items = await find(domain)
        done = 0
        for owner_id, service_id in items:
            try:
                async with self._domain() as domain:
                    done += await act(domain, owner_id, service_id)
            except DomainError as exc:
                log.info("%s of service %s skipped: %s", what, service_id, exc.message_id)
            except Exception:
                log.exception("%s of service %s failed", what, service_id)
        return done
