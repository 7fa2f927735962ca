"""SSL certificates as a customer gets one: order, key and CSR (made by the bot or their own), DNS validation
against a local DNS server through the bot's real resolver, issuance by the local test CA, the files downloaded
from the sandbox and checked (key matches, chain verifies to the test root, PKCS#12 opens), reissue, history."""

from __future__ import annotations

from datetime import datetime

import pytest
from aiogram.fsm.storage.base import StorageKey
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from cryptography.x509.verification import PolicyBuilder, Store
from sqlalchemy import select, update

from domain.ca import TEST_ROOT_NAME
from domain.certificates import make_csr
from domain.errors import DomainError
from domain.models import Certificate, Service, ServiceEvent
from sandbox import FloodLimits, Sandbox
from tests.e2e.conftest import make_settings
from tests.e2e.flows import buy as buy_service
from tests.e2e.flows import buy_ssl, code, credit, drain, enable, issue, one
from tests.local_dns import start_dns


@pytest.fixture
async def sandbox():
    """No per-chat flood limit: a test downloads five files in a row faster than a person taps."""
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
async def local_dns():
    server = await start_dns()
    yield server
    server.close()


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, local_dns):
    """The bot asks the local DNS server; no background jobs: the test runs the re-check and delivery itself."""
    return make_settings(sandbox, db_url, redis_url, tmp_path, dns_resolvers=f"127.0.0.1:{local_dns.port}",
                         scheduler_enabled=False)


async def buy_ru(customer, running, domain: str) -> None:
    await customer.send("/start")
    await credit(running, customer.id, 100_000, f"test:gift:{customer.id}")
    await customer.press("🛒 Заказать")
    await customer.press("SSL-сертификат")
    await customer.press(next(b for b in customer.screen.button_texts if b.startswith("С проверкой домена")))
    await customer.press(next(b for b in customer.screen.button_texts if b.startswith("12 месяцев")))
    await customer.send(domain)
    await customer.press("✅ В корзину")
    await customer.press("🧺 Корзина")
    await customer.press("💳 Оплатить 15,00\xa0€")


def loaded(pem: bytes) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem)


async def download(customer, button: str) -> tuple[str, bytes]:
    await customer.press(button)
    document = customer.screen.document
    assert document is not None, customer.screen.text
    return document["file_name"], customer.screen.file_bytes()


async def test_generated_key_dns_validation_issuance_and_files(ann, running, local_dns, clock) -> None:
    await buy_ssl(ann, running, "example.com")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    assert "SSL certificates · 1" in ann.screen.text and "example.com — Domain validation (DV)" in ann.screen.text
    await ann.press("example.com · 📝 Awaiting CSR")
    details = ann.screen.text
    token = (await one(running, Certificate)).dcv_token
    assert "Names: example.com, www.example.com" in details and "Status: 📝 Awaiting CSR" in details
    assert f"Name: _dnsauth.example.com\nValue: {token}" in details
    assert f"<code>{token}</code>" in ann.screen.html  # tap to copy

    await ann.press("🔑 Key and CSR")
    await ann.press("Make an EC P-256 key (recommended)")
    await ann.press("🔐 Keep it, encrypted")
    assert ann.screen.text.startswith("🔑 New EC P-256 key and CSR, key kept encrypted.")
    assert "Status: ⏳ Awaiting validation" in ann.screen.text

    await ann.press("🔍 Check now")
    assert "❌ Not validated yet. Looked up TXT _dnsauth.example.com" in ann.screen.text
    assert f"Expected: {token}\nFound: no TXT record" in ann.screen.text
    local_dns.txt["_dnsauth.example.com"] = ["v=spf1 -all"]
    await ann.press("🔍 Check now")
    assert "Found: v=spf1 -all" in ann.screen.text and "_dnsauth.example.com" in local_dns.queries

    local_dns.txt["_dnsauth.example.com"] = ["v=spf1 -all", token]
    await ann.press("🔍 Check now")
    issued = ann.screen.text
    assert issued.startswith("✅ Validation passed: the TXT record is there. The certificate is issued.")
    assert "Status: ✅ Issued" in issued and "Valid until: 26 Nov 2027, 09:00" in issued
    assert "⚠️ Issued by the local TEST CA: browsers do not trust it." in issued
    assert "🔍 Check now" not in ann.screen.button_texts and "✅ Validation method" not in ann.screen.button_texts

    await ann.press("📁 Files")
    files = ann.screen
    crt_name, crt = await download(ann, "📄 example.com.crt")
    bundle_name, bundle = await download(ann, "📄 example.com.ca-bundle.crt")
    chain_name, chain = await download(ann, "📄 example.com.fullchain.crt")
    key_name, key_pem = await download(ann, "🔑 Private key")
    assert (crt_name, bundle_name, chain_name, key_name) == (
        "example.com.crt", "example.com.ca-bundle.crt", "example.com.fullchain.crt", "example.com.key")
    leaf, = loaded(crt)
    key = serialization.load_pem_private_key(key_pem, None)
    assert isinstance(key, ec.EllipticCurvePrivateKey) and leaf.public_key() == key.public_key()
    root = next(c for c in loaded(bundle) if c.subject == c.issuer)
    assert root.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == TEST_ROOT_NAME
    full = loaded(chain)
    assert full[0] == leaf
    verifier = PolicyBuilder().store(Store([root])).time(clock.now()).build_server_verifier(
        x509.DNSName("www.example.com"))
    assert verifier.verify(leaf, full[1:])[-1] == root

    await ann.press("📦 PKCS#12 (.p12) with a password", message=files)
    assert "8 to 64 characters" in ann.screen.text
    short = await ann.send("short")
    assert "The password must be 8 to 64 characters" in ann.screen.text
    typed = await ann.send("correct horse battery")
    mine = [m.message_id for m in ann.messages if not m.from_bot]
    assert short.message_id not in mine and typed.message_id not in mine  # passwords do not stay in the chat
    p12 = next(m for m in reversed(ann.bot_messages) if m.document)
    assert p12.document["file_name"] == "example.com.p12"
    p12_key, p12_cert, p12_cas = pkcs12.load_key_and_certificates(p12.file_bytes(), b"correct horse battery")
    assert p12_cert == leaf and p12_key.public_key() == key.public_key() and root in p12_cas
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(p12.file_bytes(), b"wrong password")

    stored = await one(running, Certificate)
    assert stored.status == "issued" and key_pem not in stored.private_key  # encrypted at rest
    await ann.press("📜 History")
    history = ann.screen.text
    assert "History of example.com · 8" in history
    for line in ("you · PKCS#12 downloaded", "you · private key downloaded", "the CA · certificate issued",
                 "you · validation checked\npassed", "you · validation checked\nnot yet",
                 "you · key and CSR made\n🔑 New EC P-256 key and CSR, key kept encrypted.", "you · ordered"):
        assert line in history, line


def csr_bytes(names: list[str], key=None, der: bool = False) -> bytes:
    pem = make_csr(key or ec.generate_private_key(ec.SECP384R1()), names).encode()
    return x509.load_pem_x509_csr(pem).public_bytes(serialization.Encoding.DER) if der else pem


async def test_own_csr_refused_with_reasons_then_email_validation(ivan, ann, running) -> None:
    await buy_ru(ivan, running, "пример.рф")
    await ivan.send("/menu")
    await ivan.press("🔒 Сертификаты")
    await ivan.press("пример.рф · 📝 Ждёт CSR")
    await ivan.press("🌐 Дополнительные имена")
    assert "не больше 1, каждое — пример.рф или его поддомен" in ivan.screen.text
    await ivan.send("www.пример.рф, почта.пример.рф")
    assert ivan.screen.text == "В этот сертификат можно добавить не больше 1 имени; вы прислали 2."
    await ivan.send("mail.example.org")
    assert ivan.screen.text == "mail.example.org не относится к пример.рф, домену, который проверяется."
    await ivan.send("почта.пример.рф")
    assert ivan.screen.text.startswith("✅ Имена: пример.рф, почта.пример.рф")
    await ivan.press("🔑 Ключ и CSR")
    await ivan.press("📄 У меня свой CSR")
    assert "В нём должно быть имя пример.рф" in ivan.screen.text

    await ivan.send("просто текст")
    assert ivan.screen.text.startswith("❌ Этот CSR не подходит: это не CSR (PEM или DER) или он повреждён.")
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    await ivan.send_document(csr_bytes(["xn--e1afmkfd.xn--p1ai"], weak), "weak.csr")
    assert "длина его ключа RSA 1024 бит; нужно не меньше 2048." in ivan.screen.text
    await ivan.send_document(csr_bytes(["other.example"], der=True), "other.der")
    assert "в нём нет имени пример.рф." in ivan.screen.text
    async with running.sessions() as session:
        assert (await session.scalars(select(Certificate))).one().csr_pem is None  # nothing changed

    await ivan.send_document(csr_bytes(["xn--e1afmkfd.xn--p1ai"]), "request.csr")
    assert ivan.screen.text.startswith("✅ CSR принят.")
    assert "ваш собственный CSR (ключ остаётся у вас)" in ivan.screen.text

    await ivan.press("✅ Способ проверки")
    await ivan.press("Письмо подтверждающему")
    await ivan.press("webmaster@xn--e1afmkfd.xn--p1ai")
    assert "✅ Письмо для подтверждения придёт на webmaster@xn--e1afmkfd.xn--p1ai." in ivan.screen.text
    await ivan.press("🔍 Проверить сейчас")
    assert ivan.screen.text.startswith("✅ Проверка пройдена: подтверждающий ответил. Сертификат выпущен.")
    await ivan.press("📁 Файлы")
    assert "Закрытый ключ не хранится на сервере" in ivan.screen.text
    assert "🔑 Закрытый ключ" not in ivan.screen.button_texts
    name, crt = await download(ivan, "📄 xn--e1afmkfd.xn--p1ai.crt")
    assert name == "xn--e1afmkfd.xn--p1ai.crt"
    leaf, = loaded(crt)
    assert leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value.get_values_for_type(
        x509.DNSName) == ["xn--e1afmkfd.xn--p1ai", "xn--80a1acny.xn--e1afmkfd.xn--p1ai"]

    # Another customer's certificate is "not found", whatever the button says.
    sid = (await one(running, Certificate)).service_id
    await ann.send("/start")
    await ann.press(callback_data=f"cr:f:{sid}:", message=ann.screen)
    assert ann.screen.text == "Not found. It may have been removed, or it is not yours."
    assert not ann.screen.document


async def test_scheduled_recheck_notifies_and_reissue_with_a_key_not_kept(ann, running, local_dns) -> None:
    await buy_ssl(ann, running, "*.example.org", tariff="Wildcard DV", pay="💳 Pay €99.00")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("*.example.org · 📝 Awaiting CSR")
    assert "Names: *.example.org, example.org" in ann.screen.text
    await ann.press("🔑 Key and CSR")
    await ann.press("Make an RSA 2048 key")
    await ann.press("📤 Send it once, keep no copy")
    sent_key = next(m for m in reversed(ann.bot_messages) if m.document)
    assert sent_key.document["file_name"] == "wildcard.example.org.key"
    assert "The server keeps no copy" in sent_key.caption
    assert ann.screen.text.startswith("🔑 New RSA 2048 key and CSR, key not kept.")
    first_key = serialization.load_pem_private_key(sent_key.file_bytes(), None)

    jobs = running.app.dispatcher["validation_jobs"]
    assert await jobs.recheck() == 0
    local_dns.txt["_dnsauth.example.org"] = [(await one(running, Certificate)).dcv_token]
    assert await jobs.recheck() == 1
    assert await jobs.recheck() == 0
    await drain(running)
    push = ann.screen
    assert push.text == ("🔒 The certificate for *.example.org is issued: validation passed. Its files are ready.")
    await ann.press("🔒 Open the certificate")
    assert "Status: ✅ Issued" in ann.screen.text
    old = await one(running, Certificate)
    assert x509.load_pem_x509_certificate(old.cert_pem.encode()).public_key() == first_key.public_key()

    await ann.press("🔄 Reissue")
    await ann.press("🔄 Reissue")
    assert ann.screen.text.startswith("🔄 Reissue started")
    assert "Status: 🔄 Reissuing" in ann.screen.text and "📁 Files" in ann.screen.button_texts
    await ann.press("🔑 Key and CSR")
    await ann.press("Make an EC P-256 key (recommended)")
    await ann.press("📤 Send it once, keep no copy")
    assert ann.screen.text.startswith("🔑 New EC P-256 key and CSR, key not kept.\n✅ The new certificate is issued.")
    new_key = serialization.load_pem_private_key(
        next(m for m in reversed(ann.bot_messages) if m.document).file_bytes(), None)
    new = await one(running, Certificate)
    assert new.serial != old.serial and new.private_key is None and new.status == "issued"
    assert x509.load_pem_x509_certificate(new.cert_pem.encode()).public_key() == new_key.public_key()
    async with running.sessions() as session:
        actions = [(e.action, e.actor) for e in await session.scalars(
            select(ServiceEvent).where(ServiceEvent.service_id == new.service_id).order_by(ServiceEvent.id))]
    assert actions == [("order", "customer"), ("ssl-key", "customer"), ("ssl-check", "system"),
                       ("ssl-issued", "system"), ("ssl-reissue", "customer"), ("ssl-key", "customer"),
                       ("ssl-issued", "customer")]
    assert datetime.fromisoformat((await one(running, Certificate)).not_after.isoformat()).year == 2027


async def test_a_renewed_service_gets_a_certificate_for_its_new_term(ann, running, local_dns, clock) -> None:
    first = await issue(ann, running, local_dns, "example.net")
    assert first.not_after.year == 2027

    jobs = running.app.dispatcher["validation_jobs"]
    clock.move(days=350)
    assert await jobs.renew() == 0  # not renewed: nothing to sign
    async with running.app.domain() as domain:
        await domain.renewals.renew(1001, first.service_id)
    assert await jobs.recheck() == 1
    assert await jobs.recheck() == 0  # once
    renewed = await one(running, Certificate)
    assert renewed.serial != first.serial and renewed.status == "issued"
    assert (renewed.not_after.year, renewed.not_after.month, renewed.not_after.day) == (2028, 11, 26)
    old_leaf = x509.load_pem_x509_certificate(first.cert_pem.encode())
    new_leaf = x509.load_pem_x509_certificate(renewed.cert_pem.encode())
    assert new_leaf.public_key() == old_leaf.public_key()  # the same key: only the files change
    await drain(running)
    assert ann.screen.text.startswith("🔒 A new certificate for example.net is issued for the term you paid, "
                                      "valid until 26 Nov 2028")
    await ann.press("🔒 Open the certificate")
    assert "Valid until: 26 Nov 2028, 09:00" in ann.screen.text
    await ann.press("📜 History")
    assert "the CA · new certificate for the paid term issued" in ann.screen.text
    assert "you · renewed" in ann.screen.text


async def test_a_two_year_order_gets_a_second_certificate_before_the_first_ends(ann, running, local_dns,
                                                                              clock) -> None:
    first = await issue(ann, running, local_dns, "example.info", "Make an RSA 2048 key", period="24 months",
                        pay="💳 Pay €27.00")
    assert "Valid until: 28 Dec 2027, 09:00" in ann.screen.text  # the CA's 397 days, not the two years paid

    jobs = running.app.dispatcher["validation_jobs"]
    clock.move(days=300)
    assert await jobs.renew() == 0  # 97 days left: not yet
    clock.move(days=70)
    assert await jobs.renew() == 1  # 27 days left
    assert await jobs.renew() == 0
    second = await one(running, Certificate)
    assert second.serial != first.serial
    assert (second.not_after.year, second.not_after.month, second.not_after.day) == (2028, 11, 26)  # the term's end
    assert x509.load_pem_x509_certificate(second.cert_pem.encode()).public_key() == \
        x509.load_pem_x509_certificate(first.cert_pem.encode()).public_key()


async def test_private_key_and_pkcs12_need_a_code_when_two_step_authentication_is_on(ann, running, local_dns,
                                                                                   clock) -> None:
    await issue(ann, running, local_dns, "example.net", "Make an RSA 3072 key")

    secret, _ = await enable(ann, clock)
    clock.move(minutes=10)  # past the unlock window of the setup code
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("example.net · ✅ Issued")
    await ann.press("📁 Files")
    await ann.press("🔑 Private key")
    assert "Confirmation needed" in ann.screen.text and not ann.screen.document
    async with running.app.domain() as domain:  # the domain refuses too, whatever a handler forgets
        with pytest.raises(DomainError) as refused:
            await domain.certificates.private_key(ann.id, (await one(running, Certificate)).service_id)
    assert refused.value.message_id == "twofa-error-code-required"
    await ann.send(code(secret, clock))
    await ann.press("▶️ Continue")
    name, key_pem = ann.screen.document["file_name"], ann.screen.file_bytes()
    key = serialization.load_pem_private_key(key_pem, None)
    leaf = x509.load_pem_x509_certificate((await one(running, Certificate)).cert_pem.encode())
    assert name == "example.net.key" and isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072
    assert leaf.public_key() == key.public_key()


async def service_status(running, service_id: int, status: str) -> None:
    """The expiry sweeps suspend and delete services; here the status is set directly."""
    async with running.sessions.begin() as session:
        await session.execute(update(Service).where(Service.id == service_id).values(status=status))


async def test_what_a_status_does_not_allow_is_not_offered_and_a_forced_press_says_why(ann, running,
                                                                                      local_dns) -> None:
    issued = await issue(ann, running, local_dns, "example.com")
    sid = issued.service_id
    await service_status(running, sid, "suspended")
    await ann.press(callback_data=f"cr:d:{sid}:", message=ann.screen)
    assert "Service: suspended" in ann.screen.text
    assert ann.screen.button_texts == ["📁 Files", "🔄 Renew now · €15.00", "🔁 Auto-renewal: off", "📜 History",
                                       "❓ Question", "« Back", "☰ Main menu"]
    for forced in (f"cr:r:{sid}:", f"cr:r!:{sid}:"):
        await ann.press(callback_data=forced, message=ann.screen)
        answer = ann.last_callback_answer
        assert answer is not None and answer.show_alert, forced
        assert answer.text == "This certificate's service is not active.", forced
    assert (await one(running, Certificate, Certificate.service_id == sid)).status == "issued"  # no reissue started

    # Before issuance: no key, method, names nor check while suspended.
    other = await buy_service(running, ann.id, "dv", 12, product="ssl", domain="example.org")
    await service_status(running, other, "suspended")
    await ann.press(callback_data=f"cr:d:{other}:", message=ann.screen)
    assert ann.screen.button_texts == ["🔄 Renew now · €15.00", "🔁 Auto-renewal: off", "📜 History", "❓ Question",
                                       "« Back", "☰ Main menu"]
    for forced in (f"cr:k:{other}:", f"cr:own:{other}:", f"cr:s:{other}:", f"cr:mv:{other}:http"):
        await ann.press(callback_data=forced, message=ann.screen)
        assert ann.last_callback_answer.text == "This certificate's service is not active.", forced
    key = StorageKey(bot_id=running.app.bot.id, chat_id=ann.id, user_id=ann.id)
    assert await running.app.dispatcher.storage.get_state(key) is None  # no dialog was opened
    async with running.sessions() as session:
        cert = (await session.scalars(select(Certificate).where(Certificate.service_id == other))).one()
    assert cert.dcv_method == "dns"

    # A deleted service's certificate keeps only its history (reached through a button sent earlier).
    await service_status(running, sid, "deleted")
    await ann.press(callback_data=f"cr:d:{sid}:", message=ann.screen)
    assert ann.screen.text.startswith("Certificate example.com")
    assert ann.screen.button_texts == ["📜 History", "« Back", "☰ Main menu"]
    await ann.press(callback_data=f"cr:f:{sid}:", message=ann.screen)
    assert ann.last_callback_answer.text == "This certificate's service is deleted: only its history is left."
    await ann.press(callback_data=f"cr:ff:{sid}:crt", message=ann.screen)
    assert ann.last_callback_answer.text == "This certificate's service is deleted: only its history is left."
    assert not any(m.document and m.document["file_name"] == "example.com.crt" for m in ann.bot_messages)
    await ann.press("📜 History")
    assert "History of example.com" in ann.screen.text and "the CA · certificate issued" in ann.screen.text
    await ann.press("« Back")
    await ann.press("☰ Main menu")
    await ann.press("🔒 Certificates")
    assert "SSL certificates · 1" in ann.screen.text and "example.com ·" not in " ".join(ann.screen.button_texts)
