"""The ACME backend against Pebble, at the domain level: DNS-01 (one name; a wildcard with its base domain),
HTTP-01, a wrong record caught before the CA is asked, a refusal by the CA in words and its retry, the rejected
name, renewal of a short-lived certificate, reissue and delete revoking at the CA, one account across racing
processes. Each issued chain is verified up to Pebble's root; the figures (time from the check passing to the
certificate stored, ACME requests per issuance) are printed (`-s` shows them)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select, update

from bot.certificates import ValidationJobs
from domain.acme.client import AcmeClient
from domain.acme.errors import AccountProblem
from domain.acme.orders import AcmeOrders
from domain.acme.port import Account
from domain.certificates import Checked, Validation
from domain.clock import FrozenClock
from domain.errors import InvalidInput
from domain.models import Notification, Service, ServiceEvent
from domain.models.ssl import AcmeAccount
from domain.unit import unit_of_work
from tests.acme.conftest import AcmeDns, ChallengeSite, buy_ssl
from tests.acme.pebble import BLOCKED, Pebble, start_pebble

Unit = Callable[[], Any]
FIGURES: list[str] = []


def publish(acme_dns: AcmeDns, site: ChallengeSite, validation: Validation) -> None:
    for item in validation.items:
        if item.status != "pending":
            continue
        if item.method == "dns":
            acme_dns.txt.setdefault(item.where, []).append(item.value)
        else:
            assert item.file_name is not None
            site.files[(item.name, item.file_name)] = item.value


async def key_and_validation(unit: Unit, sid: int, sans: str | None = None,
                             method: str = "dns") -> tuple[str, Validation]:
    async with unit() as domain:
        if sans is not None:
            await domain.certificates.set_sans(1, sid, sans)
        if method != "dns":
            await domain.certificates.set_method(1, sid, method)
        made = await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        validation = await domain.certificates.validation(1, sid)
    assert validation.backend == "acme" and validation.state == "awaiting", validation
    return made.key_pem, validation


async def check(unit: Unit, sid: int) -> Checked:
    async with unit() as domain:
        return await domain.certificates.check(1, sid)


async def until_stored(jobs: ValidationJobs, clock: FrozenClock, rounds: int = 60) -> None:
    """Run the acme-orders job as the scheduler would, the clock moved past each backoff, until a certificate
    is stored."""
    for _ in range(rounds):
        if await jobs.acme_orders():
            return
        clock.move(seconds=30)
        await asyncio.sleep(0.02)
    raise AssertionError("no certificate was stored")


async def issue(unit: Unit, jobs: ValidationJobs, clock: FrozenClock, ca: AcmeClient, sid: int, what: str) -> Checked:
    """Check now (which must pass and ask the CA), then the job until stored; records the figures."""
    before = ca.requests
    started = time.perf_counter()
    checked = await check(unit, sid)
    assert checked.submitted and checked.problem is None, checked
    passed = time.perf_counter()
    await until_stored(jobs, clock)
    stored = time.perf_counter()
    FIGURES.append(f"{what}: check {1000 * (passed - started):.0f} ms, check passed -> stored "
                   f"{1000 * (stored - passed):.0f} ms, {ca.requests - before} ACME requests from the check on")
    print("ACME figures:", FIGURES[-1])
    return checked


def verify(pebble: Pebble, files: Any, key_pem: str, name: str) -> x509.Certificate:
    root, intermediate = pebble.roots()
    leaf = x509.load_pem_x509_certificate(files.certificate.encode())
    chain = x509.load_pem_x509_certificates(files.ca_bundle.encode())
    assert intermediate in chain and files.full_chain.startswith(files.certificate)
    verifier = PolicyBuilder().store(Store([root])).time(datetime.now(UTC)).build_server_verifier(x509.DNSName(name))
    path = verifier.verify(leaf, chain)
    assert path[-1] == root
    key = serialization.load_pem_private_key(key_pem.encode(), None)
    assert leaf.public_key() == key.public_key()
    return leaf


def sans(leaf: x509.Certificate) -> list[str]:
    return sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                  .get_values_for_type(x509.DNSName))


async def events(unit: Unit, sid: int) -> list[ServiceEvent]:
    async with unit() as domain:
        return list(await domain.session.scalars(
            select(ServiceEvent).where(ServiceEvent.service_id == sid).order_by(ServiceEvent.id)))


async def test_dns01_single_name(unit, shop, jobs, clock, ca, pebble, acme_dns, site) -> None:
    sid = await buy_ssl(unit, "one.example.com")
    async with unit() as domain:
        await domain.certificates.acme_account()  # as the job does first: directory, nonce, new account
    account_requests = ca.requests
    key, validation = await key_and_validation(unit, sid, sans="")
    assert validation.methods == ("dns", "http") and len(validation.items) == 1
    item = validation.items[0]
    assert (item.name, item.method, item.where) == ("one.example.com", "dns", "_acme-challenge.one.example.com")
    assert len(item.value) == 43 and "=" not in item.value  # base64url SHA-256, no padding
    publish(acme_dns, site, validation)
    await issue(unit, jobs, clock, ca, sid, "DNS-01, one name")
    FIGURES.append(f"DNS-01, one name: {account_requests} requests to register the account, "
                   f"{ca.requests - account_requests} for the whole issuance (order to download), "
                   f"{ca.bad_nonces} badNonce refusals retried in this test")
    print("ACME figures:", FIGURES[-1])
    async with unit() as domain:
        view = await domain.certificates.get(1, sid)
        files = await domain.certificates.files(1, sid)
        notes = list(await domain.session.scalars(select(Notification)))
    leaf = verify(pebble, files, key, "one.example.com")
    assert view.state(clock.now()) == "issued" and sans(leaf) == ["one.example.com"]
    assert view.certificate.serial == format(leaf.serial_number, "x")
    assert [n.key for n in notes] == ["certificate-notification-issued"]
    history = await events(unit, sid)
    acme_steps = [(e.action, (e.after or {}).get("order")) for e in history if e.action.startswith("ssl-")]
    order_url = validation.order_url
    assert order_url and ("ssl-acme-order", order_url) in acme_steps and ("ssl-acme-answered", order_url) in acme_steps
    assert ("ssl-issued", order_url) in acme_steps


async def test_dns01_wildcard_and_its_base_domain(unit, shop, jobs, clock, ca, pebble, acme_dns, site) -> None:
    sid = await buy_ssl(unit, "*.wild.example.com", "wildcard")
    async with unit() as domain:
        with pytest.raises(InvalidInput) as refused:
            await domain.certificates.set_method(1, sid, "http")
        assert refused.value.message_id == "certificate-http-wildcard"
        with pytest.raises(InvalidInput) as no_email:
            await domain.certificates.set_method(1, sid, "email")
        assert no_email.value.message_id == "acme-method-unavailable"
    key, validation = await key_and_validation(unit, sid)
    assert validation.methods == ("dns",)
    assert sorted((i.name, i.where) for i in validation.items) == [
        ("*.wild.example.com", "_acme-challenge.wild.example.com"),
        ("wild.example.com", "_acme-challenge.wild.example.com")]
    assert len({i.value for i in validation.items}) == 2  # one record name, two values side by side
    publish(acme_dns, site, validation)
    await issue(unit, jobs, clock, ca, sid, "DNS-01, wildcard + base")
    async with unit() as domain:
        files = await domain.certificates.files(1, sid)
    leaf = verify(pebble, files, key, "shop.wild.example.com")
    assert sans(leaf) == ["*.wild.example.com", "wild.example.com"]


async def test_http01_survives_a_restart_between_check_and_issue(unit, shop, jobs, clock, ca, pebble, acme_dns, site,
                                                                 sessions, context) -> None:
    sid = await buy_ssl(unit, "web.example.com")
    acme_dns.a.update({"web.example.com": "127.0.0.1", "www.web.example.com": "127.0.0.1"})
    key, validation = await key_and_validation(unit, sid, method="http")
    assert [(i.name, i.method) for i in validation.items] == [("web.example.com", "http"),
                                                              ("www.web.example.com", "http")]
    item = validation.items[0]
    assert item.where == f"http://web.example.com/.well-known/acme-challenge/{item.file_name}"
    async with unit() as domain:
        offered = await domain.certificates.validation_file(1, sid)
    assert (offered.file_name, offered.content) == (item.file_name, f"{item.value}\n".encode())
    publish(acme_dns, site, validation)
    checked = await check(unit, sid)
    assert checked.submitted and all(r.ok for r in checked.results) and len(checked.results) == 2
    # A new process: a fresh adapter (no pooled client, no cached directory), the order found in the database.
    from dataclasses import replace

    restarted = AcmeClient(ca.directory_url, name="pebble", trusted=False, ca_bundle=pebble.ca_bundle, timeout=10)
    fresh = replace(context, ssl=replace(context.ssl, ca=restarted))
    jobs = ValidationJobs(lambda: unit_of_work(sessions, fresh))
    started = time.perf_counter()
    await until_stored(jobs, clock)
    FIGURES.append(f"HTTP-01, two names, after a restart: check passed -> stored "
                   f"{1000 * (time.perf_counter() - started):.0f} ms, {restarted.requests} ACME requests by the job")
    print("ACME figures:", FIGURES[-1])
    async with unit() as domain:
        files = await domain.certificates.files(1, sid)
    assert sans(verify(pebble, files, key, "www.web.example.com")) == ["web.example.com", "www.web.example.com"]
    assert {host for host, _ in site.requests} == {"web.example.com", "www.web.example.com"}


async def test_a_wrong_record_is_refused_before_the_ca_is_asked(unit, shop, jobs, clock, ca, pebble, acme_dns,
                                                                site) -> None:
    sid = await buy_ssl(unit, "typo.example.com")
    key, validation = await key_and_validation(unit, sid, sans="")
    item = validation.items[0]
    acme_dns.txt[item.where] = [item.value[:-1] + ("A" if item.value[-1] != "A" else "B")]
    checked = await check(unit, sid)
    assert not checked.submitted and not checked.result.ok and checked.problem is None
    assert (checked.result.where, checked.result.expected) == (item.where, item.value)
    assert checked.result.found == acme_dns.txt[item.where]
    # Nothing was answered: the CA still waits for the challenge, and the history has no answer.
    async with unit() as domain:
        orders = AcmeOrders(domain.session, clock, domain.context.cipher, ca, domain.context.ssl.resolver,
                            domain.context.ssl.fetcher)
        order = await ca.order(await orders.account(), validation.order_url or "")
    assert [(a.status, a.challenges["dns"].status) for a in order.authorizations] == [("pending", "pending")]
    assert "ssl-acme-answered" not in [e.action for e in await events(unit, sid)]
    assert await jobs.acme_orders() == 0
    acme_dns.txt[item.where] = [item.value]
    await issue(unit, jobs, clock, ca, sid, "DNS-01 after a corrected record")
    async with unit() as domain:
        verify(pebble, await domain.certificates.files(1, sid), key, "typo.example.com")


async def test_a_refused_authorisation_is_told_in_words_and_retried(unit, shop, jobs, clock, ca, pebble, acme_dns,
                                                                    site) -> None:
    sid = await buy_ssl(unit, "gone.example.com")
    key, validation = await key_and_validation(unit, sid, sans="")
    item = validation.items[0]
    publish(acme_dns, site, validation)
    acme_dns.vanish_after[item.where] = 1  # read once by "check now", gone when the CA looks
    checked = await check(unit, sid)
    assert checked.submitted
    for _ in range(20):
        await jobs.acme_orders()
        async with unit() as domain:
            failed = await domain.certificates.validation(1, sid)
        if failed.state == "failed":
            break
        clock.move(seconds=30)
        await asyncio.sleep(0.02)
    assert failed.state == "failed" and failed.problem is not None
    assert (failed.problem.message_id, failed.problem.args_["name"]) == ("acme-error-unauthorized", "gone.example.com")
    history = await events(unit, sid)
    failure = next(e for e in history if e.action == "ssl-acme-failed")
    assert failure.after["order"] == validation.order_url and failure.after["detail"].startswith("unauthorized")
    async with unit() as domain:
        notes = [n.key for n in await domain.session.scalars(select(Notification))]
        checked = await domain.certificates.check(1, sid)
    assert notes == ["acme-notification-failed"] and checked.problem is not None
    assert checked.problem.message_id == "acme-error-unauthorized" and not checked.submitted

    del acme_dns.vanish_after[item.where]
    async with unit() as domain:
        retried = await domain.certificates.retry_validation(1, sid)
    assert retried.state == "awaiting" and retried.order_url != validation.order_url
    assert retried.items[0].value != item.value  # a fresh challenge, a new value to publish
    acme_dns.txt[item.where] = [retried.items[0].value]
    await issue(unit, jobs, clock, ca, sid, "DNS-01 on a retried order")
    async with unit() as domain:
        verify(pebble, await domain.certificates.files(1, sid), key, "gone.example.com")


async def test_a_name_the_ca_will_not_sign_is_told_in_words(unit, shop, ca, pebble) -> None:
    sid = await buy_ssl(unit, BLOCKED)
    async with unit() as domain:
        await domain.certificates.set_sans(1, sid, "")
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        validation = await domain.certificates.validation(1, sid)
        checked = await domain.certificates.check(1, sid)
    assert validation.state == "failed" and validation.problem is not None
    assert validation.problem.message_id == "acme-error-rejected-identifier"
    assert checked.problem is not None and checked.problem.message_id == "acme-error-rejected-identifier"
    history = [e for e in await events(unit, sid) if e.action == "ssl-acme-error"]
    assert history and history[0].after["error"] == "acme-error-rejected-identifier"


async def test_a_short_lived_certificate_is_renewed_while_the_service_is_paid(unit, shop, jobs, clock, ca, pebble,
                                                                              acme_dns, site) -> None:
    sid = await buy_ssl(unit, "renew.example.com")
    key, validation = await key_and_validation(unit, sid, sans="")
    publish(acme_dns, site, validation)
    await issue(unit, jobs, clock, ca, sid, "DNS-01 before renewal")
    async with unit() as domain:
        first = (await domain.certificates.get(1, sid)).certificate
        assert await domain.certificates.renewed() == []
    assert first.renew_after is not None and first.not_after is not None
    assert first.renew_after == first.not_after - (first.not_after - first.not_before) / 3

    clock.set(first.renew_after + timedelta(seconds=1))
    acme_dns.txt.clear()  # the name validated before is reused: the customer publishes nothing this time
    before = ca.requests
    started = time.perf_counter()
    await jobs.recheck()
    if (await jobs.acme_orders()) == 0:
        await until_stored(jobs, clock)
    FIGURES.append(f"renewal (authorisation reused): {1000 * (time.perf_counter() - started):.0f} ms, "
                   f"{ca.requests - before} ACME requests")
    print("ACME figures:", FIGURES[-1])
    async with unit() as domain:
        renewed = (await domain.certificates.get(1, sid)).certificate
        files = await domain.certificates.files(1, sid)
        notes = [n.key for n in await domain.session.scalars(select(Notification).order_by(Notification.id))]
    assert renewed.serial != first.serial and renewed.key_type == "ec256"
    verify(pebble, files, key, "renew.example.com")
    assert notes == ["certificate-notification-issued", "certificate-notification-renewed"]
    assert [e.action for e in await events(unit, sid)].count("ssl-renewed") == 1


async def test_reissue_and_delete_revoke_at_the_ca(unit, shop, jobs, clock, ca, pebble, acme_dns, site) -> None:
    sid = await buy_ssl(unit, "again.example.com")
    _, validation = await key_and_validation(unit, sid, sans="")
    publish(acme_dns, site, validation)
    await issue(unit, jobs, clock, ca, sid, "DNS-01 before reissue")
    async with unit() as domain:
        old = (await domain.certificates.get(1, sid)).certificate.serial
        await domain.certificates.reissue(1, sid)
        made = await domain.certificates.generate_key(1, sid, "rsa2048", keep=False)
        reissuing = await domain.certificates.validation(1, sid)
    assert reissuing.state == "ready"  # the name was validated lately: reused
    assert old is not None and pebble.status(old) == "Valid"
    await until_stored(jobs, clock)
    await jobs.acme_orders()  # the revocation queued by the reissue
    async with unit() as domain:
        view = await domain.certificates.get(1, sid)
        verify(pebble, await domain.certificates.files(1, sid), made.key_pem, "again.example.com")
    new = view.certificate.serial
    assert new != old and view.certificate.status == "issued"
    assert pebble.status(old) == "Revoked" and pebble.status(new or "") == "Valid"

    # An SSL service ends deleted through the expiry sweeps (suspended, then deleted); whichever way it gets there,
    # its certificate is revoked.
    async with unit() as domain:
        await domain.session.execute(update(Service).where(Service.id == sid).values(status="deleted"))
    await jobs.acme_orders()
    assert pebble.status(new or "") == "Revoked"
    revoked = [e.after["serial"] for e in await events(unit, sid) if e.action == "ssl-revoked"]
    assert revoked == [old, new]


async def test_one_account_when_two_processes_race(sessions, clock, cipher, pebble, ca, acme_dns) -> None:
    from domain import dcv

    other = AcmeClient(pebble.directory_url, name="pebble", trusted=False, ca_bundle=pebble.ca_bundle, timeout=10)

    async def register(client: AcmeClient) -> str | None:
        async with sessions() as session:
            orders = AcmeOrders(session, clock, cipher, client, dcv.DnsPythonResolver(), dcv.AiohttpFetcher())
            url = (await orders.account()).url
            await session.commit()
            return url

    first, second = await asyncio.gather(register(ca), register(other))
    async with sessions() as session:
        rows = list(await session.scalars(select(AcmeAccount)))
    assert first == second and len(rows) == 1 and rows[0].url == first
    assert b"PRIVATE KEY" not in rows[0].key


async def test_external_account_binding(pebble_binary, tmp_path, acme_dns, site) -> None:
    import base64
    import secrets


    hmac = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("=")
    server = start_pebble(tmp_path, acme_dns.port, site.port, eab_keys={"kid-1": hmac})
    try:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        plain = AcmeClient(server.directory_url, ca_bundle=server.ca_bundle, timeout=10)
        with pytest.raises(AccountProblem) as refused:
            await plain.register(Account(pem), None)
        assert refused.value.code == "externalAccountRequired"
        bound = AcmeClient(server.directory_url, ca_bundle=server.ca_bundle, eab_kid="kid-1", eab_hmac_key=hmac,
                           timeout=10)
        url = await bound.register(Account(pem), "ops@vendor.example.com")
        assert url.startswith("https://127.0.0.1:") and await bound.register(Account(pem), None) == url
    finally:
        server.stop()
