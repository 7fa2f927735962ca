"""SSL certificates without Telegram: CSR checks with reasons, SANs, validation over a real DNS lookup against a
local server and over a stub HTTP fetcher, issuance by the test CA, files, PKCS#12, reissue, ownership."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select, update

from bot.config import PROJECT_ROOT
from domain import dcv
from domain.ca import TEST_ROOT_NAME, LocalTestCA
from domain.certificates import (
    Action,
    MethodFixed,
    NoPrivateKey,
    NotEditable,
    ServiceDeleted,
    ServiceInactive,
    SslSettings,
    WrongStep,
    base_domain,
    check_csr,
    default_sans,
    make_csr,
    parse_sans,
)
from domain.clock import FrozenClock
from domain.crypto import Cipher
from domain.errors import InvalidInput, NotFound
from domain.models import Certificate, LedgerEntry, Notification, Service, ServiceEvent, User
from domain.unit import DomainContext, unit_of_work
from tests.local_dns import start_dns

START = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
NAMES = ["example.com", "www.example.com"]


def own_csr(names: list[str], key=None) -> bytes:
    key = key or ec.generate_private_key(ec.SECP256R1())
    return make_csr(key, names).encode()


def test_names_base_and_default_sans() -> None:
    assert base_domain("*.example.com") == "example.com" and base_domain("www.example.com") == "example.com"
    assert base_domain("www.com") == "www.com" and base_domain("shop.example.com") == "shop.example.com"
    assert default_sans("example.com") == ["www.example.com"]
    assert default_sans("www.example.com") == ["example.com"]
    assert default_sans("*.example.com") == ["example.com"]


def test_sans_stay_under_the_validated_domain_and_within_the_limit() -> None:
    assert parse_sans("www.example.com, mail.example.com\nexample.com", "example.com", 4) == [
        "www.example.com", "mail.example.com"]
    assert parse_sans("-", "example.com", 1) == []
    with pytest.raises(InvalidInput) as outside:
        parse_sans("www.example.org", "example.com", 4)
    assert (outside.value.message_id, outside.value.args_["base"]) == ("certificate-san-outside", "example.com")
    with pytest.raises(InvalidInput) as many:
        parse_sans("a.example.com b.example.com", "example.com", 1)
    assert many.value.message_id == "certificate-san-too-many" and many.value.args_["max"] == 1
    with pytest.raises(InvalidInput) as wildcard:
        parse_sans("*.example.com", "example.com", 4)
    assert wildcard.value.message_id == "domain-error-wildcard-not-allowed"


def reason(data: bytes, names: list[str] = NAMES) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_csr(data, names)
    return refused.value.message_id


def test_own_csr_is_checked_with_a_reason() -> None:
    good = own_csr(["example.com"])
    assert check_csr(b"pasted:\n" + good, NAMES).startswith("-----BEGIN CERTIFICATE REQUEST-----")
    der = x509.load_pem_x509_csr(good).public_bytes(serialization.Encoding.DER)
    assert check_csr(der, NAMES).startswith("-----BEGIN")
    assert reason(b"hello") == "certificate-csr-error-parse"
    lines = good.splitlines()
    assert reason(b"\n".join(lines[:2] + lines[3:])) == "certificate-csr-error-parse"  # a line lost in the paste
    # A valid structure whose signature does not match: flip a bit of the signature's last byte.
    tampered = bytearray(der)
    tampered[-1] ^= 1
    assert reason(bytes(tampered)) == "certificate-csr-error-signature"
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    assert reason(own_csr(["example.com"], weak)) == "certificate-csr-error-key-weak"
    curve = ec.generate_private_key(ec.SECP256K1())
    assert reason(own_csr(["example.com"], curve)) == "certificate-csr-error-key-curve"
    edwards = ed25519.Ed25519PrivateKey.generate()
    ed_csr = (x509.CertificateSigningRequestBuilder()
              .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "example.com")]))
              .sign(edwards, None).public_bytes(serialization.Encoding.PEM))
    assert reason(ed_csr) == "certificate-csr-error-key-type"
    assert reason(own_csr(["www.example.com"]), NAMES) == "certificate-csr-error-domain-missing"
    with pytest.raises(InvalidInput) as foreign:
        check_csr(own_csr(["example.com", "evil.example.org"]), NAMES)
    assert foreign.value.message_id == "certificate-csr-error-name-foreign"
    assert foreign.value.args_["name"] == "evil.example.org"


class StubFetcher:
    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, str]] = {}
        self.asked: list[str] = []

    async def get(self, url: str) -> tuple[int, str]:
        self.asked.append(url)
        if url not in self.pages:
            raise dcv.LookupFailed("unreachable")
        return self.pages[url]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(START)


@pytest.fixture
async def local_dns():
    server = await start_dns()
    yield server
    server.close()


@pytest.fixture
def fetcher() -> StubFetcher:
    return StubFetcher()


@pytest.fixture
def ca(clock) -> LocalTestCA:
    return LocalTestCA.generate(clock.now())[0]


@pytest.fixture
def unit(sessions, clock, local_dns, fetcher, ca):
    ssl = SslSettings(ca=ca, resolver=dcv.DnsPythonResolver([("127.0.0.1", local_dns.port)], timeout=2),
                      fetcher=fetcher)
    context = DomainContext(clock=clock, cipher=Cipher.generate(), ssl=ssl)
    return lambda: unit_of_work(sessions, context)


@pytest.fixture
async def shop(unit, clock) -> None:
    async with unit() as domain:
        for user_id in (1, 2):
            domain.session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(),
                                    last_seen_at=clock.now(), time_zone="UTC", reachable=True))
        text = (PROJECT_ROOT / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")
        await domain.catalogue.sync(text, ("en", "ru"))


async def buy_ssl(unit, user_id: int, domain_name: str = "example.com", tariff: str = "dv") -> int:
    async with unit() as domain:
        chosen = next(t for t in await domain.catalogue.tariffs("ssl") if t.code == tariff)
        price = await domain.catalogue.price(chosen, 12)
        count = len(list(await domain.session.scalars(select(LedgerEntry))))
        await domain.ledger.post(user_id, "adjustment", price.total, f"test:{count}")
        await domain.orders.add_to_cart(user_id, chosen.id, 12, {"domain": domain_name})
        return (await domain.orders.checkout(user_id)).services[0].id


def verify_chain(files, root_pem: str, name: str, at: datetime) -> None:
    leaf = x509.load_pem_x509_certificate(files.certificate.encode())
    bundle = x509.load_pem_x509_certificates(files.ca_bundle.encode())
    root = next(c for c in bundle if c.subject == c.issuer)
    assert root.public_bytes(serialization.Encoding.PEM).decode() == root_pem
    intermediates = [c for c in bundle if c.subject != c.issuer]
    verifier = PolicyBuilder().store(Store([root])).time(at).build_server_verifier(x509.DNSName(name))
    chain = verifier.verify(leaf, intermediates)
    assert chain[-1].subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == TEST_ROOT_NAME


async def test_generated_key_dns_validation_issuance_files_and_pkcs12(unit, shop, clock, local_dns, ca) -> None:
    sid = await buy_ssl(unit, 1)
    async with unit() as domain:
        page = await domain.certificates.page(1)
        assert [(v.service.id, v.state(clock.now()), v.names) for v in page.views] == [(sid, "csr", NAMES)]
        with pytest.raises(NotFound):
            await domain.certificates.get(2, sid)
        with pytest.raises(WrongStep):
            await domain.certificates.check(1, sid)
        made = await domain.certificates.generate_key(1, sid, "ec256", keep=True)
    assert made.key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    async with unit() as domain:
        view = await domain.certificates.get(1, sid)
        cert = view.certificate
        assert view.state(clock.now()) == "validation" and made.key_pem.encode() not in cert.private_key
        token = cert.dcv_token
        checked = await domain.certificates.check(1, sid)
    assert not checked.issued and checked.result.where == "_dnsauth.example.com"
    assert checked.result.expected == token and checked.result.found == []

    local_dns.txt["_dnsauth.example.com"] = ["some-other-value"]
    async with unit() as domain:
        checked = await domain.certificates.check(1, sid)
    assert not checked.issued and checked.result.found == ["some-other-value"]

    local_dns.txt["_dnsauth.example.com"] = ["some-other-value", token]
    async with unit() as domain:
        checked = await domain.certificates.check(1, sid)
        assert checked.issued and checked.view.state(clock.now()) == "issued"
        files = await domain.certificates.files(1, sid)
        _, key = await domain.certificates.private_key(1, sid)
        with pytest.raises(InvalidInput):
            await domain.certificates.pkcs12(1, sid, "short")
        _, p12 = await domain.certificates.pkcs12(1, sid, "correct horse")
        with pytest.raises(NotEditable):
            await domain.certificates.set_method(1, sid, "http")
    assert key == made.key_pem
    verify_chain(files, ca.root.public_bytes(serialization.Encoding.PEM).decode(), "www.example.com", clock.now())
    leaf = x509.load_pem_x509_certificate(files.certificate.encode())
    private = serialization.load_pem_private_key(key.encode(), None)
    assert leaf.public_key() == private.public_key()
    assert files.full_chain.startswith(files.certificate) and leaf.not_valid_after_utc == START.replace(year=2027)
    loaded_key, loaded_cert, loaded_cas = pkcs12.load_key_and_certificates(p12, b"correct horse")
    assert loaded_cert == leaf and loaded_key.public_key() == private.public_key() and len(loaded_cas) == 2
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12, b"wrong password")

    async with unit() as domain:
        history = await domain.certificates.history(1, sid)
    assert [e.action for e in history.events] == [
        "ssl-p12", "ssl-key-download", "ssl-issued", "ssl-check", "ssl-check", "ssl-check", "ssl-key", "order"]

    # Expiring 30 days before the end, expired after it.
    clock.set(START.replace(year=2027) - timedelta(days=29))
    async with unit() as domain:
        assert (await domain.certificates.get(1, sid)).state(clock.now()) == "expiring"
    clock.set(START.replace(year=2027))
    async with unit() as domain:
        assert (await domain.certificates.get(1, sid)).state(clock.now()) == "expired"


async def test_own_csr_http_validation_and_reissue(unit, shop, clock, fetcher, ca) -> None:
    sid = await buy_ssl(unit, 1, "shop.example.com")
    async with unit() as domain:
        with pytest.raises(InvalidInput) as bad:
            await domain.certificates.submit_csr(1, sid, own_csr(["other.example.com"]))
        assert bad.value.message_id == "certificate-csr-error-domain-missing"
        await domain.certificates.set_sans(1, sid, "")
        await domain.certificates.submit_csr(1, sid, own_csr(["shop.example.com"]))
        view = await domain.certificates.set_method(1, sid, "http")
        token = view.certificate.dcv_token
        assert view.certificate.private_key is None and view.certificate.key_type == "own"
    url = f"http://shop.example.com/.well-known/pki-validation/{token}.txt"
    async with unit() as domain:
        checked = await domain.certificates.check(1, sid)
    assert (checked.issued, checked.result.where, checked.result.error) == (False, url, "unreachable")
    fetcher.pages[url] = (200, token + "\n")
    async with unit() as domain:
        assert (await domain.certificates.check(1, sid)).issued
        with pytest.raises(NoPrivateKey):
            await domain.certificates.private_key(1, sid)
        with pytest.raises(NoPrivateKey):
            await domain.certificates.pkcs12(1, sid, "long enough")
        first = (await domain.certificates.get(1, sid)).certificate.serial
        await domain.certificates.reissue(1, sid)
        assert (await domain.certificates.files(1, sid)).certificate  # the old files stay during a reissue
        made = await domain.certificates.generate_key(1, sid, "rsa2048", keep=False)
        view = await domain.certificates.get(1, sid)
    assert view.certificate.status == "issued" and view.certificate.serial != first
    assert view.certificate.private_key is None and made.key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    leaf = x509.load_pem_x509_certificate(view.certificate.cert_pem.encode())
    key = serialization.load_pem_private_key(made.key_pem.encode(), None)
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 2048 and leaf.public_key() == key.public_key()
    leaf.verify_directly_issued_by(ca.intermediate)
    assert leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName) == ["shop.example.com"]
    assert leaf.signature_hash_algorithm.name == hashes.SHA256().name


async def test_the_scheduled_recheck_issues_and_notifies_once(unit, shop, local_dns) -> None:
    sid = await buy_ssl(unit, 1, "*.example.com", "wildcard")
    async with unit() as domain:
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        token = (await domain.certificates.get(1, sid)).certificate.dcv_token
        assert await domain.certificates.pending() == [(1, sid)]
        assert not await domain.certificates.recheck(1, sid)
    local_dns.txt["_dnsauth.example.com"] = [token]
    async with unit() as domain:
        assert await domain.certificates.recheck(1, sid)
        assert await domain.certificates.pending() == []
        view = await domain.certificates.get(1, sid)
        notes = list(await domain.session.scalars(select(Notification)))
        events = list(await domain.session.scalars(select(ServiceEvent).where(ServiceEvent.service_id == sid)))
    assert view.names == ["*.example.com", "example.com"]
    assert [(n.user_id, n.key, n.args["domain"]) for n in notes] == [(1, "certificate-notification-issued",
                                                                      "*.example.com")]
    # The failed scheduled check left no history row; the successful one did, by the system.
    assert [(e.action, e.actor) for e in events if e.action.startswith("ssl-check")] == [("ssl-check", "system")]


async def test_parameters_change_only_before_issuance_and_only_for_the_owner(unit, shop) -> None:
    sid = await buy_ssl(unit, 1, "example.com", "ov")
    async with unit() as domain:
        with pytest.raises(NotFound):
            await domain.certificates.set_method(2, sid, "email")
        view = await domain.certificates.set_method(1, sid, "email")
        assert view.certificate.approver_email == "admin@example.com"
        await domain.certificates.set_approver(1, sid, "webmaster@example.com")
        with pytest.raises(NotFound):
            await domain.certificates.set_approver(1, sid, "someone@evil.org")
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        # New names make the CSR useless: back to the CSR step.
        view = await domain.certificates.set_sans(1, sid, "www.example.com mail.example.com")
        assert view.certificate.status == "csr" and view.certificate.csr_pem is None
        with pytest.raises(InvalidInput):
            await domain.certificates.set_sans(1, sid, "a.example.com b.example.com c.example.com d.example.com "
                                                       "e.example.com")
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        checked = await domain.certificates.check(1, sid)  # the test CA plays an approver who confirms
        assert checked.issued and checked.result.found == ["webmaster@example.com"]
        rows = list(await domain.session.scalars(select(Certificate)))
    assert len(rows) == 1 and rows[0].sans == ["www.example.com", "mail.example.com"]


def test_test_ca_is_kept_encrypted_in_the_data_folder(tmp_path, clock) -> None:
    cipher = Cipher.generate()
    first = LocalTestCA.load_or_create(tmp_path / "ca", cipher, clock.now())
    again = LocalTestCA.load_or_create(tmp_path / "ca", cipher, clock.now())
    assert first.root == again.root and first.intermediate == again.intermediate
    assert b"PRIVATE KEY" not in (tmp_path / "ca" / "issuing.key.enc").read_bytes()
    assert first.root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == TEST_ROOT_NAME
    assert not first.trusted


def test_resolver_list_parses() -> None:
    assert dcv.parse_resolvers("1.1.1.1, 127.0.0.1:5353,[::1]:53") == [("1.1.1.1", 53), ("127.0.0.1", 5353),
                                                                         ("::1", 53)]
    assert dcv.parse_resolvers("") == []
    with pytest.raises(ValueError):
        dcv.parse_resolvers("dns.example.com")


async def test_a_wildcard_cannot_be_validated_over_http(unit, shop) -> None:
    sid = await buy_ssl(unit, 1, "*.example.com", "wildcard")
    async with unit() as domain:
        with pytest.raises(InvalidInput) as refused:
            await domain.certificates.set_method(1, sid, "http")
        assert refused.value.message_id == "certificate-http-wildcard"
        assert (await domain.certificates.get(1, sid)).certificate.dcv_method == "dns"


async def test_the_http_fetcher_reads_the_file_and_names_what_went_wrong() -> None:
    from aiohttp import web

    async def validation_file(request: web.Request) -> web.Response:
        return web.Response(text="token-1\nmore")

    app = web.Application()
    app.router.add_get("/.well-known/pki-validation/t.txt", validation_file)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        fetcher = dcv.AiohttpFetcher(timeout=5)
        assert await fetcher.get(f"http://127.0.0.1:{port}/.well-known/pki-validation/t.txt") == (200, "token-1\nmore")
        status, _ = await fetcher.get(f"http://127.0.0.1:{port}/.well-known/pki-validation/other.txt")
        assert status == 404
    finally:
        await runner.cleanup()
    with pytest.raises(dcv.LookupFailed) as failed:
        await dcv.AiohttpFetcher(timeout=5).get(f"http://127.0.0.1:{port}/gone")
    assert failed.value.reason == "unreachable"


async def test_an_unanswered_dns_lookup_is_reported_not_raised() -> None:
    class Silent:
        async def txt(self, name: str) -> list[str]:
            raise dcv.LookupFailed("timeout")

    result = await dcv.check_dns(Silent(), "example.com", "tok")
    assert (result.ok, result.error, result.where, result.expected) == (False, "timeout", "_dnsauth.example.com", "tok")


async def test_a_certificate_is_issued_once_when_two_checks_race(unit, shop, local_dns) -> None:
    sid = await buy_ssl(unit, 1)
    async with unit() as domain:
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        view = await domain.certificates.get(1, sid)
    local_dns.txt["_dnsauth.example.com"] = [view.certificate.dcv_token]
    async with unit() as domain:
        stale = await domain.certificates.get(1, sid)  # what this check read before the other one committed
        assert stale.certificate.status == "validation"
        await domain.session.execute(update(Certificate).where(Certificate.id == stale.certificate.id)
                                     .values(status="issued").execution_options(synchronize_session=False))
        with pytest.raises(WrongStep):
            await domain.certificates.check(1, sid, scheduled=True)


async def test_the_http_check_does_not_follow_redirects() -> None:
    from aiohttp import web

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound("http://127.0.0.1:1/internal")

    app = web.Application()
    app.router.add_get("/.well-known/pki-validation/t.txt", redirect)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        status, _ = await dcv.AiohttpFetcher(timeout=5).get(
            f"http://127.0.0.1:{port}/.well-known/pki-validation/t.txt")
    finally:
        await runner.cleanup()
    assert status == 302


async def test_what_each_status_allows_and_why_the_rest_is_refused(unit, shop, local_dns) -> None:
    sid = await buy_ssl(unit, 1, "*.example.com", "wildcard")
    A = Action
    async with unit() as domain:
        details = await domain.certificates.details(1, sid)
        assert details.backend == "test" and details.methods == ("dns", "email")
        assert details.actions == {A.KEY, A.METHOD, A.NAMES, A.QUESTION, A.HISTORY}
        assert details.validation is not None and details.validation.approvers[0] == "admin@example.com"
        with pytest.raises(WrongStep):
            await domain.certificates.for_action(1, sid, A.FILES)
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        assert (await domain.certificates.details(1, sid)).actions == {
            A.KEY, A.METHOD, A.NAMES, A.CHECK, A.QUESTION, A.HISTORY}
        view = await domain.certificates.set_approver(1, sid, 4)  # by its place in `Validation.approvers`
        assert view.certificate.approver_email == "webmaster@example.com"
        with pytest.raises(NotFound):
            await domain.certificates.set_approver(1, sid, 5)
        local_dns.txt["_dnsauth.example.com"] = [view.certificate.dcv_token]
        assert (await domain.certificates.check(1, sid)).issued
        issued = await domain.certificates.details(1, sid)
        assert issued.validation is None and issued.actions == {A.FILES, A.REISSUE, A.QUESTION, A.HISTORY}

        await domain.session.execute(update(Service).where(Service.id == sid).values(status="suspended"))
        suspended = await domain.certificates.details(1, sid)
        assert suspended.actions == {A.FILES, A.QUESTION, A.HISTORY}
        for refused in (A.REISSUE, A.KEY):
            with pytest.raises((ServiceInactive, WrongStep)):
                await domain.certificates.for_action(1, sid, refused)
        with pytest.raises(ServiceInactive):
            await domain.certificates.reissue(1, sid)

        await domain.session.execute(update(Service).where(Service.id == sid).values(status="deleted"))
        deleted = await domain.certificates.details(1, sid)  # still readable: its history stays
        assert deleted.actions == {A.HISTORY}
        assert (await domain.certificates.history(1, sid)).total > 0
        for call in (domain.certificates.files(1, sid), domain.certificates.private_key(1, sid),
                     domain.certificates.cancel_reissue(1, sid), domain.certificates.check(1, sid)):
            with pytest.raises(ServiceDeleted):
                await call
        assert (await domain.certificates.page(1)).total == 0  # the list leaves it out
        with pytest.raises(NotFound):
            await domain.certificates.details(2, sid)


async def test_one_method_left_is_not_offered_for_choosing(unit, shop, sessions, clock) -> None:
    sid = await buy_ssl(unit, 1, "*.example.com", "wildcard")
    ca = LocalTestCA.generate(START)[0]
    ca.methods = ("dns", "http")  # a CA without e-mail validation, as an ACME CA is
    async with unit_of_work(sessions, DomainContext(clock=clock, ssl=SslSettings(ca=ca))) as domain:
        details = await domain.certificates.details(1, sid)
        assert details.methods == ("dns",) and Action.METHOD not in details.actions
        with pytest.raises(MethodFixed) as refused:
            await domain.certificates.for_action(1, sid, Action.METHOD)
    assert refused.value.args_ == {"method": "dns"}


async def test_the_test_cas_http_file_is_shown_not_offered_as_a_download(unit, shop) -> None:
    sid = await buy_ssl(unit, 1, "example.net")
    async with unit() as domain:
        await domain.certificates.set_method(1, sid, "http")
        await domain.certificates.generate_key(1, sid, "ec256", keep=True)
        details = await domain.certificates.details(1, sid)
        assert details.validation is not None and details.validation.items[0].where.endswith(".txt")
        assert Action.CHECK in details.actions and Action.VALIDATION_FILE not in details.actions
