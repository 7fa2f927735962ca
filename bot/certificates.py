"""SSL wiring: the CA and validation ports from the settings, the job that re-checks pending validations and
signs the new term's certificate of a renewed service, and (CA_BACKEND=acme) the job that moves ACME orders on and
revokes replaced or deleted certificates."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from typing import TYPE_CHECKING, Protocol

from bot.config import Settings
from domain.acme.client import AcmeClient
from domain.acme.port import AcmeAuthority
from domain.ca import CertificateAuthority, LocalTestCA
from domain.certificates import SslSettings
from domain.clock import Clock
from domain.crypto import Cipher
from domain.dcv import AiohttpFetcher, DnsPythonResolver, parse_resolvers
from domain.errors import DomainError
from domain.unit import Domain, DomainContext

if TYPE_CHECKING:
    from bot.scheduler import Scheduler

log = logging.getLogger(__name__)

DCV_JOB = "ssl-validation"
ACME_JOB = "acme-orders"
ACME_NAMES = {"acme-v02.api.letsencrypt.org": "letsencrypt", "acme-staging-v02.api.letsencrypt.org":
              "letsencrypt-staging", "acme.zerossl.com": "zerossl", "dv.acme-v02.api.pki.goog": "google",
              "dv.acme-v02.test-api.pki.goog": "google-staging"}


def acme_client(settings: Settings) -> AcmeClient:
    """The ACME CA of ACME_DIRECTORY_URL. Staging directories and CAs reached through ACME_CA_BUNDLE (a test CA)
    issue certificates browsers do not trust, and the screens say so."""
    url = settings.acme_directory_url
    assert url is not None  # the settings require it with CA_BACKEND=acme
    host = url.split("://", 1)[1].split("/", 1)[0]
    name = ACME_NAMES.get(host, host)
    hmac = settings.acme_eab_hmac_key.get_secret_value() if settings.acme_eab_hmac_key is not None else None
    return AcmeClient(url, name=name, trusted="staging" not in name and settings.acme_ca_bundle is None,
                      ca_bundle=str(settings.acme_ca_bundle) if settings.acme_ca_bundle else None,
                      eab_kid=settings.acme_eab_kid, eab_hmac_key=hmac, timeout=int(settings.dcv_http_timeout) + 20)


def ssl_settings(settings: Settings, cipher: Cipher, clock: Clock) -> SslSettings:
    """CA_BACKEND=test: the local test CA kept in DATA_DIR/test-ca (made on first start); acme: ACME_DIRECTORY_URL."""
    ca: CertificateAuthority | AcmeAuthority
    if settings.ca_backend == "acme":
        ca = acme_client(settings)
    else:
        ca = LocalTestCA.load_or_create(settings.data_dir / "test-ca", cipher, clock.now())
    return SslSettings(
        ca=ca,
        resolver=DnsPythonResolver(parse_resolvers(settings.dns_resolvers), timeout=settings.dcv_http_timeout),
        fetcher=AiohttpFetcher(timeout=settings.dcv_http_timeout),
        acme_email=settings.acme_email,
    )


class WiredApp(Protocol):
    """What the jobs take from the composition root (bot.app.App), named here so that bot.app, which builds the
    CA port from this module, is not imported back."""

    settings: Settings
    context: DomainContext

    def domain(self) -> AbstractAsyncContextManager[Domain]: ...


class ValidationJobs:
    """Re-checks every certificate awaiting validation; a pass issues it and notifies the customer."""

    def __init__(self, domain: Callable[[], AbstractAsyncContextManager[Domain]],
                 wake: Callable[[], None] = lambda: None, acme_poll_interval: float | None = None) -> None:
        self._domain = domain
        self._wake = wake
        self._acme_poll_interval = acme_poll_interval

    @classmethod
    def from_app(cls, app: WiredApp, wake: Callable[[], None] = lambda: None) -> ValidationJobs:
        acme = app.context.ssl.acme is not None
        return cls(app.domain, wake, app.settings.acme_poll_interval if acme else None)

    def schedule(self, scheduler: Scheduler, interval: float) -> None:
        scheduler.add(DCV_JOB, self.recheck, seconds=interval)
        if self._acme_poll_interval is not None:
            scheduler.add(ACME_JOB, self.acme_orders, seconds=self._acme_poll_interval)

    async def acme_orders(self) -> int:
        """ACME: the account first (once, in a unit of its own), then each order due for a poll moves on (a
        certificate signed is stored and its customer told), then the revocations due; returns how many
        certificates were stored."""
        async with self._domain() as domain:
            await domain.certificates.acme_account()
        stored = await self._each(lambda domain: domain.certificates.due_orders(),
                                  lambda domain, owner, service: domain.certificates.advance(owner, service),
                                  "ACME order step")
        async with self._domain() as domain:
            await domain.certificates.queue_revocations()
            due = await domain.certificates.revocations_due()
        for revocation_id in due:
            try:
                async with self._domain() as domain:
                    await domain.certificates.revoke_due(revocation_id)
            except Exception:
                log.exception("revocation %s failed", revocation_id)
        if stored:
            log.info("ACME: %d certificate(s) stored", stored)
            self._wake()
        return stored

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
