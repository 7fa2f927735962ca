"""ACME orders of certificates, kept in the database so a restart loses nothing: the account, each order's
authorisations and challenges, what the customer must publish, the check before the CA is asked, the polling
steps the job takes (with backoff), revocations due.

`AcmeOrders` knows the CA and the tables; `domain/certificates.py` drives it and owns the certificate, its
history and the customer's notices.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain import dcv
from domain.acme.errors import AcmeError, CaServerError, CaUnreachable, ValidationTimeout, problem_error
from domain.acme.port import (
    Account,
    AcmeAuthority,
    Order,
    Problem,
    dns_name,
    dns_value,
    http_url,
    key_authorization,
    thumbprint,
)
from domain.clock import Clock
from domain.crypto import Cipher
from domain.db import upsert
from domain.models.ssl import AcmeAccount, AcmeOrder, AcmeRevocation

ACTIVE = ("awaiting", "validating", "ready", "finalizing")
POLLED = ("validating", "ready", "finalizing")
FIRST_POLL = timedelta(seconds=1)
MAX_BACKOFF = timedelta(minutes=10)
MAX_POLLS = 40  # about five hours with the backoff: an order the CA has not settled by then is given up
MAX_REVOKE_ATTEMPTS = 30
REVOKE_SUPERSEDED, REVOKE_CESSATION = 4, 5
TRANSIENT = (CaUnreachable, CaServerError)


@dataclass(frozen=True, slots=True)
class Publish:
    """What the customer publishes for one name: a TXT record (`where` is its name) or a file at the URL `where`
    (`file_name` under /.well-known/acme-challenge/, `value` its whole content). `status` is the CA's word on the
    name: pending (to publish), valid (done, nothing to publish), invalid."""

    name: str
    method: str
    status: str
    where: str
    value: str
    file_name: str | None = None


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 ... seconds between polls, at most MAX_BACKOFF."""
    return min(timedelta(seconds=FIRST_POLL.total_seconds() * 2 ** min(attempts, 20)), MAX_BACKOFF)


def _authorizations(order: Order) -> list[dict[str, Any]]:
    return [{"name": a.name, "url": a.url, "status": a.status,
             "challenges": {m: {"url": c.url, "token": c.token, "status": c.status} for m, c in a.challenges.items()}}
            for a in order.authorizations]


def _failure(order: Order) -> Problem | None:
    """Why the CA gave up on the order: the refused name's challenge error, else the order's own."""
    for authz in order.authorizations:
        if authz.status == "invalid":
            problem = authz.problem or Problem("unauthorized")
            return problem if problem.name else Problem(problem.code, problem.detail, authz.name)
    if order.status == "invalid":
        return order.error or Problem("other")
    return None


def _problem(code: str | None, detail: str | None) -> Problem:
    return Problem(code or "other", detail or "")


class AcmeOrders:
    def __init__(self, session: AsyncSession, clock: Clock, cipher: Cipher, ca: AcmeAuthority,
                 resolver: dcv.TxtResolver, fetcher: dcv.HttpFetcher, email: str | None = None) -> None:
        self._session = session
        self._clock = clock
        self._cipher = cipher
        self._ca = ca
        self._resolver = resolver
        self._fetcher = fetcher
        self._email = email
        self._account: Account | None = None
        self._thumbprint: str | None = None

    # the account ------------------------------------------------------------------------------------------
    async def account(self) -> Account:
        """The vendor's account at the CA: its key made once and kept encrypted (one row per directory, so
        processes racing here share the winner's), registered once (registering a known key returns its
        account, so a race still ends with one)."""
        if self._account is not None:
            return self._account
        directory = self._ca.directory_url
        row = await self._session.scalar(select(AcmeAccount).where(AcmeAccount.directory_url == directory))
        if row is None:
            key = await asyncio.to_thread(ec.generate_private_key, ec.SECP256R1())
            pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
            await self._session.execute(
                upsert(self._session, AcmeAccount)
                .values(directory_url=directory, key=self._cipher.encrypt(pem), email=self._email,
                        created_at=self._clock.now())
                .on_conflict_do_nothing(index_elements=["directory_url"]))
            row = await self._session.scalar(select(AcmeAccount).where(AcmeAccount.directory_url == directory)
                                             .execution_options(populate_existing=True))
            assert row is not None
        key_pem = self._cipher.decrypt_text(row.key)
        if row.url is None:
            url = await self._ca.register(Account(key_pem), self._email)
            await self._session.execute(
                update(AcmeAccount).where(AcmeAccount.id == row.id, AcmeAccount.url.is_(None))
                .values(url=url, registered_at=self._clock.now()).execution_options(synchronize_session=False))
            row.url = url
        self._account = Account(key_pem, row.url)
        self._thumbprint = thumbprint(key_pem)
        return self._account

    async def _thumb(self) -> str:
        if self._thumbprint is None:
            await self.account()
        assert self._thumbprint is not None
        return self._thumbprint

    # orders -----------------------------------------------------------------------------------------------
    async def current(self, certificate_id: int) -> AcmeOrder | None:
        """The certificate's newest order that was not replaced."""
        return await self._session.scalar(
            select(AcmeOrder).where(AcmeOrder.certificate_id == certificate_id, AcmeOrder.state != "abandoned")
            .order_by(AcmeOrder.id.desc()).limit(1))

    async def abandon(self, certificate_id: int) -> None:
        await self._session.execute(
            update(AcmeOrder).where(AcmeOrder.certificate_id == certificate_id, AcmeOrder.state.in_(ACTIVE))
            .values(state="abandoned", next_poll_at=None, updated_at=self._clock.now())
            .execution_options(synchronize_session=False))

    async def start(self, certificate_id: int, names: list[str], purpose: str) -> AcmeOrder:
        """A new order for `names` (the one before is abandoned). The CA may hand back names it validated
        recently: then nothing is left to publish and the order goes straight to finalisation."""
        try:
            order = await self._ca.new_order(await self.account(), names)
        except AcmeError as exc:  # kept, so the screen says why and a renewal is not asked for again at once
            await self.abandon(certificate_id)
            failed = AcmeOrder(certificate_id=certificate_id, purpose=purpose, url="", ca_status="", names=names,
                               authorizations=[], finalize_url="", attempts=0, created_at=self._clock.now(),
                               updated_at=self._clock.now(), state="awaiting")
            self._fail(failed, exc.problem)
            self._session.add(failed)
            await self._session.flush()
            raise
        await self.abandon(certificate_id)
        now = self._clock.now()
        row = AcmeOrder(certificate_id=certificate_id, purpose=purpose, url=order.url, ca_status=order.status,
                        names=names, authorizations=_authorizations(order), finalize_url=order.finalize_url,
                        certificate_url=order.certificate_url, attempts=0, expires_at=order.expires,
                        created_at=now, updated_at=now, state="awaiting")
        failure = _failure(order)
        if failure is not None:
            self._fail(row, failure)
        elif order.status == "ready" or all(a.status == "valid" for a in order.authorizations):
            row.state, row.next_poll_at = "ready", now
        self._session.add(row)
        await self._session.flush()
        return row

    def _fail(self, row: AcmeOrder, problem: Problem) -> None:
        row.state, row.next_poll_at = "failed", None
        row.error, row.detail = problem_error(problem).message_id, f"{problem.code}: {problem.detail}"[:2000]
        row.updated_at = self._clock.now()

    @staticmethod
    def unreached(row: AcmeOrder) -> bool:
        """A failed order that never reached the CA because it was away: the next check may open it."""
        return row.state == "failed" and not row.url and row.error in (CaUnreachable.message_id,
                                                                       CaServerError.message_id)

    def failure(self, row: AcmeOrder) -> AcmeError | None:
        """The failed order's reason as the typed error a screen renders."""
        if row.state != "failed":
            return None
        code, _, detail = (row.detail or "other: ").partition(": ")
        refused = next((a["name"] for a in row.authorizations if a["status"] == "invalid"), None)
        return problem_error(Problem(code, detail, refused))

    async def publish(self, row: AcmeOrder, method: str) -> list[Publish]:
        """Per name, what to publish with `method` (dns for a wildcard whatever the method)."""
        thumb = await self._thumb()
        items = []
        rank = {name: i for i, name in enumerate(row.names)}
        for authz in sorted(row.authorizations, key=lambda a: rank.get(a["name"], len(rank))):
            name, status = authz["name"], authz["status"]
            chosen = "dns" if name.startswith("*.") or method not in authz["challenges"] else method
            challenge = authz["challenges"].get(chosen)
            if challenge is None:
                continue
            token = challenge["token"]
            if chosen == "dns":
                items.append(Publish(name, "dns", status, dns_name(name), dns_value(token, thumb)))
            else:
                items.append(Publish(name, "http", status, http_url(name, token), key_authorization(token, thumb),
                                     token))
        return items

    async def check(self, row: AcmeOrder, method: str) -> list[dcv.CheckResult]:
        """Look, as the CA will, at what each pending name has published; nothing is sent to the CA."""
        checks = []
        for item in await self.publish(row, method):
            if item.status != "pending":
                continue
            if item.method == "dns":
                checks.append(dcv.check_txt(self._resolver, item.where, item.value))
            else:
                checks.append(dcv.check_file(self._fetcher, item.where, item.value))
        return list(await asyncio.gather(*checks))

    async def answer(self, row: AcmeOrder, method: str) -> None:
        """Tell the CA each pending name is ready; the job polls from now on."""
        account = await self.account()
        challenges = {a["name"]: a["challenges"] for a in row.authorizations}
        for item in await self.publish(row, method):
            if item.status == "pending":
                await self._ca.answer(account, challenges[item.name][item.method]["url"])
        now = self._clock.now()
        row.state, row.method, row.answered_at = "validating", method, now
        row.next_poll_at, row.attempts, row.updated_at = now + FIRST_POLL, 0, now
        await self._session.flush()

    async def due(self, limit: int = 200) -> list[AcmeOrder]:
        return list(await self._session.scalars(
            select(AcmeOrder).where(AcmeOrder.state.in_(POLLED), AcmeOrder.next_poll_at <= self._clock.now())
            .order_by(AcmeOrder.next_poll_at, AcmeOrder.id).limit(limit)))

    async def advance(self, row: AcmeOrder, csr_pem: str) -> str | None:
        """One step of a polled order: look at the CA's view, finalise once every name is valid, download once
        signed. Returns the certificate chain when it is in; otherwise the next poll is set (backoff), or the
        order failed (`row.state`). The CA out of reach or failing inside only postpones the step."""
        account = await self.account()
        now = self._clock.now()
        row.attempts += 1
        row.updated_at = now
        expired = row.expires_at is not None and row.expires_at <= now
        try:
            if row.state == "validating":
                order = await self._ca.order(account, row.url)
                self._seen(row, order)
                failure = _failure(order)
                if failure is not None:
                    self._fail(row, failure)
                    return None
                if order.status == "ready":
                    row.state = "ready"
                elif order.status in ("processing", "valid"):
                    row.state = "finalizing"
            if row.state == "ready":
                order = await self._ca.finalize(account, self._order(row), csr_pem)
                self._seen(row, order)
                row.state, row.attempts = "finalizing", 0
                if order.status == "invalid":
                    self._fail(row, order.error or Problem("badCSR"))
                    return None
                if order.status != "valid":
                    self._postpone(row, order.retry_after)
                    return None
            elif row.state == "finalizing":
                order = await self._ca.order(account, row.url, authorizations=False)
                self._seen(row, order)
                if order.status == "invalid":
                    self._fail(row, order.error or Problem("other"))
                    return None
            if row.state == "finalizing" and row.ca_status == "valid" and row.certificate_url:
                chain = await self._ca.download(account, row.certificate_url)
                row.state, row.next_poll_at = "done", None
                return chain
        except TRANSIENT as exc:
            row.detail = f"{exc.code}: {exc.detail}"[:2000]
        except AcmeError as exc:
            self._fail(row, exc.problem)
            return None
        if expired or row.attempts >= MAX_POLLS:
            self._fail(row, Problem("timeout"))
            return None
        self._postpone(row, None)
        return None

    def _order(self, row: AcmeOrder) -> Order:
        return Order(row.url, row.ca_status, [], row.finalize_url, row.certificate_url)

    def _seen(self, row: AcmeOrder, order: Order) -> None:
        row.ca_status, row.certificate_url = order.status, order.certificate_url or row.certificate_url
        if order.authorizations:
            row.authorizations = _authorizations(order)

    def _postpone(self, row: AcmeOrder, retry_after: float | None) -> None:
        wait = backoff(row.attempts)
        if retry_after is not None:
            wait = min(max(wait, timedelta(seconds=retry_after)), MAX_BACKOFF)
        row.next_poll_at = self._clock.now() + wait

    def done(self, row: AcmeOrder, serial: str) -> None:
        row.serial, row.updated_at = serial, self._clock.now()

    def give_up(self, row: AcmeOrder) -> None:
        self._fail(row, ValidationTimeout().problem)

    # revocation -------------------------------------------------------------------------------------------
    async def queue_revocation(self, certificate_id: int, serial: str, cert_pem: str, reason: int) -> None:
        now = self._clock.now()
        await self._session.execute(
            upsert(self._session, AcmeRevocation)
            .values(certificate_id=certificate_id, serial=serial, cert_pem=cert_pem, reason=reason, attempts=0,
                    next_attempt_at=now, created_at=now)
            .on_conflict_do_nothing(index_elements=["serial"]))

    async def revocations_due(self, limit: int = 200) -> list[AcmeRevocation]:
        return list(await self._session.scalars(
            select(AcmeRevocation).where(AcmeRevocation.revoked_at.is_(None),
                                         AcmeRevocation.attempts < MAX_REVOKE_ATTEMPTS,
                                         AcmeRevocation.next_attempt_at <= self._clock.now())
            .order_by(AcmeRevocation.next_attempt_at, AcmeRevocation.id).limit(limit)))

    async def revoke(self, row: AcmeRevocation) -> bool:
        """Revoke at the CA; a certificate the CA already counts as revoked is done too. False (and a later
        attempt) when the CA could not be asked."""
        now = self._clock.now()
        row.attempts += 1
        try:
            await self._ca.revoke(await self.account(), row.cert_pem, row.reason)
        except AcmeError as exc:
            if "already revoked" not in exc.detail.lower() and exc.code != "alreadyRevoked":
                row.error, row.next_attempt_at = exc.message_id, now + backoff(row.attempts + 4)
                return False
        row.revoked_at, row.error = now, None
        return True
