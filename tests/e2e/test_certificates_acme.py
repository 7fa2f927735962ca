"""SSL certificates from an ACME CA as a customer gets them in the chat, against Pebble (CA_BACKEND=acme): the
screen shows what the CA asks for per name, the test publishes it in the local DNS server or on the local web
server (Pebble validates against both), "check now" compares and only then asks the CA, the acme-orders job (run
here as the scheduler would, the app's clock moved past each backoff) gets the certificate signed and the customer
told; the files are downloaded and verified up to Pebble's root. Also: a wrong value refused before the CA is
asked, a refusal by the CA in words and its retry, a wildcard with its base domain (DNS only), a reissue that
revokes the old certificate at Pebble. The figures (check passed -> files available, ACME requests per issuance)
are printed (`-s` shows them)."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select

from domain.clock import FrozenClock
from domain.models import Certificate, ServiceEvent
from domain.models.ssl import AcmeOrder
from sandbox import FloodLimits, Sandbox
from tests.acme.conftest import LocalFetcher, acme_dns, pebble, pebble_binary, site  # noqa: F401 (fixtures)
from tests.e2e.conftest import make_settings
from tests.e2e.flows import buy_ssl as buy

PUBLISH_DNS = re.compile(r"^(?P<name>\S+): a TXT record (?P<where>\S+) with the value (?P<value>\S+)$", re.M)
PUBLISH_HTTP = re.compile(r"^(?P<name>\S+): a file at (?P<where>\S+) whose content is (?P<value>\S+)$", re.M)


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def clock() -> FrozenClock:
    """Pebble signs in real time: the app's clock starts there, and the tests move it past each backoff."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, pebble, acme_dns):  # noqa: F811
    """Pebble as the ACME CA, the local DNS server as DNS_RESOLVERS; no scheduler: the test runs the job."""
    return make_settings(sandbox, db_url, redis_url, tmp_path, ca_backend="acme",
                         acme_directory_url=pebble.directory_url, acme_ca_bundle=pebble.ca_bundle,
                         acme_email="ops@vendor.example.com", dns_resolvers=f"127.0.0.1:{acme_dns.port}",
                         dcv_http_timeout=5, scheduler_enabled=False)


@pytest.fixture
async def app(running, site, monkeypatch):  # noqa: F811
    """The running app, its HTTP checks taken to the local web server (as DNS would take them to a real site), and
    its ACME account registered first, as the acme-orders job does when it starts."""
    monkeypatch.setattr(running.app.context.ssl.fetcher, "get", LocalFetcher(site.port).get)
    await running.app.dispatcher["validation_jobs"].acme_orders()
    return running.app


def requests(app) -> int:
    """HTTP requests the app sent to the ACME CA so far, less the retries of nonces Pebble refused on purpose (it
    refuses a share of good nonces at random)."""
    return app.context.ssl.ca.requests - app.context.ssl.ca.bad_nonces


async def run_jobs_until_stored(app, clock: FrozenClock, rounds: int = 60) -> int:
    """The acme-orders job as the scheduler runs it, the clock moved past each backoff; the rounds it took."""
    jobs = app.dispatcher["validation_jobs"]
    for round_no in range(1, rounds + 1):
        if await jobs.acme_orders():
            return round_no
        clock.move(seconds=30)
    raise AssertionError("no certificate was stored")


async def open_certificate(customer, name: str, state: str = "📝 Awaiting CSR") -> None:
    await customer.send("/menu")
    await customer.press("🔒 Certificates")
    await customer.press(f"{name} · {state}")


async def make_key(customer, key: str = "Make an EC P-256 key (recommended)", keep: bool = True) -> None:
    await customer.press("🔑 Key and CSR")
    await customer.press(key)
    await customer.press("🔐 Keep it, encrypted" if keep else "📤 Send it once, keep no copy")


def shown(pattern: re.Pattern[str], text: str) -> list[dict[str, str]]:
    return [m.groupdict() for m in pattern.finditer(text)]


async def certificate(running) -> Certificate:
    async with running.sessions() as session:
        return (await session.scalars(select(Certificate))).one()


async def actions(running, service_id: int) -> list[str]:
    async with running.sessions() as session:
        return list(await session.scalars(select(ServiceEvent.action).where(ServiceEvent.service_id == service_id)
                                          .order_by(ServiceEvent.id)))


async def download(customer, button: str) -> tuple[str, bytes]:
    await customer.press(button)
    document = customer.screen.document
    assert document is not None, customer.screen.text
    return document["file_name"], customer.screen.file_bytes()


async def downloaded_files(customer) -> tuple[x509.Certificate, list[x509.Certificate], list[x509.Certificate]]:
    """The certificate, its CA bundle and its full chain, as the customer downloads them."""
    await customer.press("📁 Files")
    files = []
    for button in [b for b in customer.screen.button_texts if b.startswith("📄 ")]:
        _, data = await download(customer, button)
        files.append(x509.load_pem_x509_certificates(data))
    crt, bundle, chain = files
    return crt[0], bundle, chain


def verify(pebble, leaf: x509.Certificate, bundle: list[x509.Certificate], chain: list[x509.Certificate],  # noqa: F811
           name: str) -> None:
    """The chain verifies up to Pebble's root (from its management API), for `name`."""
    root, intermediate = pebble.roots()
    assert intermediate in bundle and chain[0] == leaf and chain[1:] == bundle
    verifier = PolicyBuilder().store(Store([root])).time(datetime.now(UTC)).build_server_verifier(x509.DNSName(name))
    assert verifier.verify(leaf, bundle)[-1] == root


def names_of(leaf: x509.Certificate) -> list[str]:
    return sorted(leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
                  .get_values_for_type(x509.DNSName))


def figure(line: str) -> None:
    print("ACME e2e figures:", line)


async def test_dns01_in_the_chat_from_order_to_files(ann, running, app, clock, pebble, acme_dns) -> None:  # noqa: F811
    await buy(ann, running, "shop.example.com")
    await open_certificate(ann, "shop.example.com")
    details = ann.screen.text
    assert "Validation: DNS record" in details and "appear here once the key and CSR are in" in details
    assert "_dnsauth" not in details
    await ann.press("✅ Validation method")
    assert [b for b in ann.screen.button_texts if "DNS" in b or "HTTP" in b or "mail" in b] == [
        "• DNS record (TXT)", "HTTP file"]  # no approver e-mail with an ACME CA
    await ann.press("« Back")

    before_order = requests(app)
    await make_key(ann)
    screen = ann.screen
    assert screen.text.startswith("🔑 New EC P-256 key and CSR, key kept encrypted.")
    assert "Publish the values below, then press “Check now”." in screen.text
    records = shown(PUBLISH_DNS, screen.text)
    assert [(r["name"], r["where"]) for r in records] == [
        ("shop.example.com", "_acme-challenge.shop.example.com"),
        ("www.shop.example.com", "_acme-challenge.www.shop.example.com")]
    for record in records:
        assert len(record["value"]) == 43 and f"<code>{record['value']}</code>" in screen.html  # tap to copy
    sid = (await certificate(running)).service_id
    async with app.domain() as domain:  # exactly what the CA will look for
        validation = await domain.certificates.validation(ann.id, sid)
    assert [(i.where, i.value) for i in validation.items] == [(r["where"], r["value"]) for r in records]
    assert "🔍 Check now" in screen.button_texts and "📄 Validation file" not in screen.button_texts

    # A typo in one record: refused with what was found against what was expected, and the CA is not asked.
    apex, www = records
    acme_dns.txt[apex["where"]] = [apex["value"][:-1] + ("A" if apex["value"][-1] != "A" else "B")]
    acme_dns.txt[www["where"]] = [www["value"]]
    asked = requests(app)
    await ann.press("🔍 Check now")
    refused = ann.screen.text
    assert f"❌ Not validated yet. Looked up TXT {apex['where']}\nExpected: {apex['value']}\n" \
           f"Found: {acme_dns.txt[apex['where']][0]}" in refused
    assert f"✅ {www['where']}: the expected value is there." in refused
    assert "validating now" not in refused and "🔍 Check now" in ann.screen.button_texts
    assert requests(app) == asked  # nothing went to the CA
    assert "ssl-acme-answered" not in await actions(running, sid)
    async with running.sessions() as session:
        assert (await session.scalars(select(AcmeOrder.state))).one() == "awaiting"

    acme_dns.txt[apex["where"]] = [apex["value"]]
    await ann.press("🔍 Check now")
    passed = time.perf_counter()
    checked = ann.screen
    assert checked.text.startswith(f"✅ {apex['where']}: the expected value is there.\n"
                                   f"✅ {www['where']}: the expected value is there.\n"
                                   "✅ Everything is in place: the certificate authority is validating now.")
    assert "The CA is checking your records now." in checked.text
    assert "🔍 Check now" not in checked.button_texts and "🔑 Key and CSR" in checked.button_texts

    rounds = await run_jobs_until_stored(app, clock)
    stored = time.perf_counter()
    await running.app.dispatcher["delivery"].drain()
    assert ann.screen.text == ("🔒 The certificate for shop.example.com is issued: validation passed. Its files are "
                               "ready.")
    await ann.press("🔒 Open the certificate")
    assert "Status: ✅ Issued" in ann.screen.text and "TEST CA" not in ann.screen.text
    ca = pebble.directory_url.split("/")[2]
    assert f"⚠️ Issued by {ca}, a test or staging certificate authority: browsers do not trust it." in ann.screen.text
    leaf, bundle, chain = await downloaded_files(ann)
    available = time.perf_counter()
    _, key_pem = await download(ann, "🔑 Private key")
    key = serialization.load_pem_private_key(key_pem, None)
    assert leaf.public_key() == key.public_key()
    verify(pebble, leaf, bundle, chain, "www.shop.example.com")
    assert names_of(leaf) == ["shop.example.com", "www.shop.example.com"]
    figure(f"DNS-01, two names: check passed -> certificate stored {1000 * (stored - passed):.0f} ms in {rounds} "
           f"job run(s), -> files downloaded {1000 * (available - passed):.0f} ms; {requests(app) - before_order} "
           f"ACME requests from the order to the download ({requests(app) - asked} from the passing check on)")

    await ann.press("« Back")
    files_screen = next(m for m in reversed(ann.bot_messages) if m.text and "📜 History" in m.button_texts)
    await ann.press("📜 History", message=files_screen)
    history = files_screen.text
    order_url = (await order(running)).url
    for line in ("you · order opened at the CA\nfor the certificate: shop.example.com, www.shop.example.com · "
                 f"{order_url}", f"the CA · asked to validate\nDNS record · {order_url}",
                 "you · validation checked\npassed", "you · validation checked\nnot yet",
                 "the CA · certificate issued\nserial "):
        assert line in history, line


async def order(running) -> AcmeOrder:
    async with running.sessions() as session:
        return (await session.scalars(select(AcmeOrder).order_by(AcmeOrder.id.desc()).limit(1))).one()


async def test_http01_with_the_validation_file_to_download(ann, running, app, clock, pebble, acme_dns,  # noqa: F811
                                                           site) -> None:  # noqa: F811
    acme_dns.a.update({"web.example.com": "127.0.0.1", "www.web.example.com": "127.0.0.1"})
    await buy(ann, running, "web.example.com")
    await open_certificate(ann, "web.example.com")
    await ann.press("✅ Validation method")
    await ann.press("HTTP file")
    assert ann.screen.text.startswith("✅ Validation by HTTP file.")
    before_order = requests(app)
    await make_key(ann)
    screen = ann.screen
    files = shown(PUBLISH_HTTP, screen.text)
    assert [f["name"] for f in files] == ["web.example.com", "www.web.example.com"]
    for shown_file in files:
        assert re.fullmatch(rf"http://{re.escape(shown_file['name'])}/\.well-known/acme-challenge/[\w-]+",
                            shown_file["where"])
    buttons = [b for b in screen.button_texts if b.startswith("📄 Validation file")]
    assert buttons == ["📄 Validation file · web.example.com", "📄 Validation file · www.web.example.com"]

    for button, shown_file in zip(buttons, files, strict=True):
        name, content = await download(ann, button)
        assert shown_file["where"].endswith(f"/{name}") and content == f"{shown_file['value']}\n".encode()
        assert shown_file["where"] in ann.screen.caption
        site.files[(shown_file["name"], name)] = content.decode()  # uploaded to the site as it came
    asked = requests(app)
    await ann.press("🔍 Check now", message=screen)
    passed = time.perf_counter()
    checked = ann.screen  # the files were sent below the screen: the answer is a new screen under them
    assert "✅ Everything is in place: the certificate authority is validating now." in checked.text
    assert not [b for b in checked.button_texts if b.startswith("📄 Validation file")]  # nothing left to publish
    rounds = await run_jobs_until_stored(app, clock)
    stored = time.perf_counter()
    assert {host for host, _ in site.requests} == {"web.example.com", "www.web.example.com"}  # Pebble fetched them
    await running.app.dispatcher["delivery"].drain()
    await ann.press("🔒 Open the certificate")
    leaf, bundle, chain = await downloaded_files(ann)
    verify(pebble, leaf, bundle, chain, "web.example.com")
    figure(f"HTTP-01, two names: check passed -> certificate stored {1000 * (stored - passed):.0f} ms in {rounds} "
           f"job run(s); {requests(app) - before_order} ACME requests from the order to the download "
           f"({requests(app) - asked} from the passing check on)")


async def test_wildcard_and_its_base_domain_by_dns_only_then_a_reissue_revokes_the_old(
        ann, running, app, clock, pebble, acme_dns) -> None:  # noqa: F811
    await buy(ann, running, "*.wild.example.com", tariff="Wildcard DV", pay="💳 Pay €99.00")
    await open_certificate(ann, "*.wild.example.com")
    details = ann.screen
    assert "Names: *.wild.example.com, wild.example.com" in details.text
    assert "✅ Validation method" not in details.button_texts  # DNS is all the CA takes for a wildcard
    sid = (await certificate(running)).service_id
    await ann.press(callback_data=f"cr:m:{sid}:", message=details)
    assert ann.last_callback_answer.text == ("This certificate can be validated only by a DNS record: there is "
                                             "nothing to choose.")
    await ann.press(callback_data=f"cr:mv:{sid}:http", message=details)
    assert ann.last_callback_answer.text == "A wildcard certificate cannot be validated with an HTTP file."

    await make_key(ann, "Make an RSA 2048 key", keep=False)
    screen = ann.screen
    records = shown(PUBLISH_DNS, screen.text)
    assert [(r["name"], r["where"]) for r in records] == [
        ("*.wild.example.com", "_acme-challenge.wild.example.com"),
        ("wild.example.com", "_acme-challenge.wild.example.com")]
    assert records[0]["value"] != records[1]["value"]
    assert "need two TXT records of the same name, one with each value" in screen.text
    assert not [b for b in screen.button_texts if b.startswith("📄 Validation file")]
    acme_dns.txt["_acme-challenge.wild.example.com"] = [r["value"] for r in records]
    await ann.press("🔍 Check now")
    assert "validating now" in ann.screen.text
    await run_jobs_until_stored(app, clock)
    first = await certificate(running)
    assert names_of(x509.load_pem_x509_certificate(first.cert_pem.encode())) == [
        "*.wild.example.com", "wild.example.com"]
    assert pebble.status(first.serial) == "Valid"

    # Reissue: a new key; the CA reuses the names it validated a moment ago, so nothing is to be published.
    await running.app.dispatcher["delivery"].drain()
    await ann.press("🔒 Open the certificate")
    await ann.press("🔄 Reissue")
    await ann.press("🔄 Reissue")
    assert "Status: 🔄 Reissuing" in ann.screen.text
    before = requests(app)
    await make_key(ann)
    assert "Every name is confirmed; the CA is about to sign the certificate." in ann.screen.text
    assert "🔍 Check now" not in ann.screen.button_texts
    await run_jobs_until_stored(app, clock)
    reissue_requests = requests(app) - before
    await app.dispatcher["validation_jobs"].acme_orders()  # the revocation the reissue queued
    second = await certificate(running)
    assert second.serial != first.serial and second.status == "issued"
    assert pebble.status(first.serial) == "Revoked" and pebble.status(second.serial) == "Valid"
    assert (await actions(running, sid))[-2:] == ["ssl-issued", "ssl-revoked"]
    await running.app.dispatcher["delivery"].drain()
    await ann.press("🔒 Open the certificate")
    await ann.press("📜 History")
    assert f"system · revoked at the CA\nserial {first.serial} · replaced by a new certificate" in ann.screen.text
    figure(f"reissue, names reused: {reissue_requests} ACME requests from the new order to the download")


async def test_a_refusal_by_the_ca_is_told_in_words_and_retried(ann, running, app, clock, pebble,  # noqa: F811
                                                                acme_dns) -> None:  # noqa: F811
    await buy(ann, running, "gone.example.com")
    await open_certificate(ann, "gone.example.com")
    await ann.press("🌐 Additional names")
    await ann.send("-")
    await make_key(ann)
    [record] = shown(PUBLISH_DNS, ann.screen.text)
    acme_dns.txt[record["where"]] = [record["value"]]
    acme_dns.vanish_after[record["where"]] = 1  # read by "check now", gone when the CA looks
    await ann.press("🔍 Check now")
    assert "validating now" in ann.screen.text
    jobs = app.dispatcher["validation_jobs"]
    for _ in range(20):
        await jobs.acme_orders()
        if (await order(running)).state == "failed":
            break
        clock.move(seconds=30)
    await running.app.dispatcher["delivery"].drain()
    assert ann.screen.text.startswith("⚠️ The certificate for gone.example.com was not issued")
    await ann.press("🔒 Open the certificate")
    refused = ann.screen
    assert "The CA did not issue the certificate." in refused.text
    assert ("The certificate authority did not find the expected value for gone.example.com: the record or the file "
            "changed or vanished before it looked.") in refused.text
    assert "🔁 Try again" in refused.button_texts and "🔍 Check now" not in refused.button_texts
    assert record["value"] not in refused.text  # the refused order's values are of no use any more

    del acme_dns.vanish_after[record["where"]]
    await ann.press("🔁 Try again")
    retried = ann.screen.text
    assert retried.startswith("🔁 A fresh order is open at the certificate authority")
    [fresh] = shown(PUBLISH_DNS, retried)
    assert fresh["where"] == record["where"] and fresh["value"] != record["value"]
    acme_dns.txt[fresh["where"]] = [fresh["value"]]
    await ann.press("🔍 Check now")
    await run_jobs_until_stored(app, clock)
    await running.app.dispatcher["delivery"].drain()
    assert ann.screen.text.startswith("🔒 The certificate for gone.example.com is issued")
    await ann.press("🔒 Open the certificate")
    await ann.press("📜 History")
    assert "the CA · refused the validation\ngone.example.com · unauthorized · https://" in ann.screen.text
