"""SSL certificates after the order: key and CSR, domain validation, issuance, the files, reissue, history.

A certificate belongs to an ssl service (made at checkout, domain/orders.py) and is looked up by that service's id
and its owner: a foreign or missing id is NotFound. The steps:

    csr         the bot makes a key and CSR (EC P-256, RSA 2048/3072), or the customer gives their own CSR
    validation  DNS TXT record, HTTP file or approver e-mail; "check now" or the scheduled re-check
    issued      signed by the CA port (domain/ca.py); files, private key, PKCS#12
    reissuing   an issued certificate awaiting a new key and CSR; the names are validated already, so the new
                certificate is issued as soon as the CSR is in (the old files stay available until then)

With an ACME CA (domain/acme/) the CA validates the names itself: once the CSR is in, an order is opened for the
CSR's names, `validation()` tells what to publish per name (`_acme-challenge` TXT or an
/.well-known/acme-challenge/ file), "check now" compares what is published with what the CA will look for and
only then asks the CA to validate; the `acme-orders` job polls the order (backoff), finalises it with the CSR and
stores the chain. Renewal and reissue open new orders; a replaced or deleted certificate is revoked at the CA.

What a certificate's status allows is `details()`'s `actions` (an `Action` each): a suspended or expired service
keeps its files and history but takes no new key, names, method, check or reissue; a deleted one keeps only its
history. Every use case refuses what its certificate's status does not allow with the reason (a typed error), so
a button no longer shown, or a forged one, gets an answer rather than an effect.

Every step writes a ServiceEvent on the service. Private keys are encrypted with the secrets key, or not kept at
all when the customer says so (then they get the file once).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from functools import cache
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain import dcv
from domain.acme.errors import AcmeError, CaServerError, CaUnreachable
from domain.acme.orders import ACTIVE, POLLED, REVOKE_CESSATION, REVOKE_SUPERSEDED, AcmeOrders, Publish
from domain.acme.port import AcmeAuthority
from domain.ca import CertificateAuthority, LocalTestCA
from domain.clock import Clock, SystemClock
from domain.crypto import Cipher
from domain.db import rowcount, upsert
from domain.errors import DomainError, InvalidInput, NotFound
from domain.models import Certificate, Product, Service, ServiceEvent, Tariff
from domain.models.ssl import AcmeOrder, AcmeRevocation
from domain.notifications import Notifications, button
from domain.security import CodeRequired, Security
from domain.validation import display_domain, domain_name

KEY_TYPES = ("ec256", "rsa2048", "rsa3072")
# Names a certificate may carry besides its domain, per tariff; DV covers the domain and its www.
EXPIRING = timedelta(days=30)
MIN_RSA_BITS = 2048
CURVES = ("secp256r1", "secp384r1")
P12_MIN, P12_MAX = 8, 64
PER_PAGE = 5
HISTORY_PER_PAGE = 8
MAX_CSR_BYTES = 16_384
EDITABLE = ("csr", "validation")
RENEW_RETRY = timedelta(days=1)  # a renewal the CA refused is tried again after this
ACME_RENEW_SHARE = 3  # an ACME certificate is renewed when a third of its life is left (at most EXPIRING)


@cache
def _memory_ca() -> LocalTestCA:
    """A process-wide test CA for contexts built without one (unit tests, tools)."""
    return LocalTestCA.generate(SystemClock().now())[0]


@dataclass(frozen=True)
class SslSettings:
    """The CA (one that signs what the bot validated, or an ACME CA), and how validation looks at the world
    (DNS_RESOLVERS, HTTP timeout); `acme_email` is the ACME account's contact (ACME_EMAIL)."""

    ca: CertificateAuthority | AcmeAuthority | None = None
    resolver: dcv.TxtResolver = field(default_factory=dcv.DnsPythonResolver)
    fetcher: dcv.HttpFetcher = field(default_factory=dcv.AiohttpFetcher)
    acme_email: str | None = None

    @property
    def acme(self) -> AcmeAuthority | None:
        return self.ca if isinstance(self.ca, AcmeAuthority) else None

    @property
    def authority(self) -> CertificateAuthority:
        """The signing CA; with an ACME CA configured only its name, trust and methods are read through this."""
        if self.ca is None:
            return _memory_ca()
        return self.ca  # type: ignore[return-value]  # the port's Protocol is narrower than what mypy infers


class NotEditable(DomainError):
    """Parameters change only before issuance."""

    message_id = "certificate-not-editable"


class WrongStep(DomainError):
    """The certificate is not at the step this action belongs to (a stale button)."""

    message_id = "certificate-wrong-step"


class NoPrivateKey(DomainError):
    message_id = "certificate-no-key"


class ServiceInactive(DomainError):
    message_id = "certificate-service-inactive"


class ServiceDeleted(DomainError):
    """A deleted service's certificate keeps only its history."""

    message_id = "certificate-service-deleted"


class MethodFixed(DomainError):
    """Only one validation method fits this certificate with the configured CA: there is nothing to choose."""

    message_id = "certificate-method-fixed"


class Action(StrEnum):
    """What a customer may do with a certificate; which of them its status allows is `Details.actions`."""

    KEY = "key"  # make a key and CSR, or send one's own
    METHOD = "method"  # choose the validation method (and the approver)
    NAMES = "names"  # change the additional names
    CHECK = "check"  # look at what is published now
    RETRY = "retry"  # a fresh ACME order after the CA refused
    VALIDATION_FILE = "validation-file"  # download the HTTP-01 file
    FILES = "files"  # the certificate's files, private key, PKCS#12
    REISSUE = "reissue"
    KEEP_CURRENT = "keep-current"  # give up a reissue, keep the current certificate
    QUESTION = "question"  # a support ticket about the certificate
    HISTORY = "history"


@dataclass(frozen=True, slots=True)
class CertView:
    certificate: Certificate
    service: Service
    tariff: Tariff
    product: Product

    @property
    def domain(self) -> str:
        return self.service.domain or ""

    @property
    def names(self) -> list[str]:
        return [self.domain, *self.certificate.sans]

    @property
    def base(self) -> str:
        return base_domain(self.domain)

    @property
    def san_limit(self) -> int:
        return self.tariff.san_limit

    def state(self, now: datetime) -> str:
        """csr, validation, issued, expiring, expired or reissuing."""
        cert = self.certificate
        if cert.status == "issued" and cert.not_after is not None:
            if now >= cert.not_after:
                return "expired"
            renew_after = cert.renew_after or cert.not_after - EXPIRING
            if now >= renew_after:
                return "expiring"
        return cert.status


@dataclass(frozen=True, slots=True)
class Page:
    views: list[CertView]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class EventPage:
    view: CertView
    events: list[ServiceEvent]
    total: int
    page: int
    pages: int


@dataclass(frozen=True, slots=True)
class KeyMade:
    view: CertView
    key_pem: str  # the new private key, to be sent once when it is not kept
    kept: bool


@dataclass(frozen=True, slots=True)
class Checked:
    """A check's outcome. `result` is the first name that did not pass (or the only check, for the test CA);
    `results` has one per name still to validate. With an ACME CA: `submitted` when this check passed and the CA
    was asked to validate (the job finishes), `in_progress` when the CA is at it already, `problem` why the CA
    refused (or could not be asked), as a typed error to render; the certificate is never issued by the check
    itself."""

    view: CertView
    result: dcv.CheckResult
    issued: bool
    results: list[dcv.CheckResult] = field(default_factory=list)
    submitted: bool = False
    in_progress: bool = False
    problem: DomainError | None = None


@dataclass(frozen=True, slots=True)
class Validation:
    """What the validation screen shows: the methods this certificate may use (`methods`; a wildcard has DNS
    only, an ACME CA has no approver e-mail), the chosen one, and per name what to publish (`items`).

    `state` is None for the test CA; with ACME the order's: none (no order yet: "check now" opens it), awaiting
    (publish, then check now), validating / ready / finalizing (the CA is at it: nothing to do), done, failed
    (`problem` says why; `retry_validation` opens a fresh order). `order_url` is for staff."""

    view: CertView
    backend: str  # test or acme
    methods: tuple[str, ...]
    method: str
    items: list[Publish]
    state: str | None = None
    problem: DomainError | None = None
    order_url: str | None = None
    next_poll_at: datetime | None = None
    approvers: tuple[str, ...] = ()  # the addresses the CA may mail, when it validates by e-mail


@dataclass(frozen=True, slots=True)
class Details:
    """A certificate as its screen shows it: the CA's backend (test or acme) and the methods it offers here, what
    to publish when validation is under way (`validation`, None when there is nothing to validate), and the
    actions its status allows."""

    view: CertView
    backend: str
    methods: tuple[str, ...]
    actions: frozenset[Action]
    validation: Validation | None
    ca_trusted: bool
    ca_name: str = "test"

    def allows(self, action: Action) -> bool:
        return action in self.actions


@dataclass(frozen=True, slots=True)
class ValidationFile:
    """The HTTP validation file to put at `url`, offered for download as `file_name`."""

    url: str
    file_name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class Files:
    domain: str
    certificate: str
    ca_bundle: str
    full_chain: str


# names ------------------------------------------------------------------------------------------------------
def base_domain(domain: str) -> str:
    """The name validation is done for: the domain without `*.` and without a leading `www.`."""
    name = domain.removeprefix("*.")
    if name.startswith("www.") and name.count(".") >= 2:
        name = name.removeprefix("www.")
    return name


def default_sans(domain: str) -> list[str]:
    """example.com -> www.example.com; www.example.com -> example.com; *.example.com -> example.com."""
    if domain.startswith("*."):
        return [domain[2:]]
    base = base_domain(domain)
    return [base] if base != domain else [f"www.{domain}"]


def parse_sans(text: str, domain: str, limit: int) -> list[str]:
    """Names separated by commas, spaces or lines; each under the validated domain, at most `limit`."""
    base = base_domain(domain)
    names: list[str] = []
    for part in re.split(r"[\s,;]+", text.strip()):
        if not part or part == "-":
            continue
        name = domain_name(part, wildcard=False)
        if name != base and not name.endswith("." + base):
            raise InvalidInput("certificate-san-outside", name=display_domain(name), base=display_domain(base))
        if name != domain and name not in names:
            names.append(name)
    if len(names) > limit:
        raise InvalidInput("certificate-san-too-many", max=limit, count=len(names))
    return names


# keys and CSRs ----------------------------------------------------------------------------------------------
def make_key(key_type: str) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    if key_type == "ec256":
        return ec.generate_private_key(ec.SECP256R1())
    if key_type in ("rsa2048", "rsa3072"):
        return rsa.generate_private_key(public_exponent=65537, key_size=int(key_type[3:]))
    raise NotFound()


def make_csr(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey, names: list[str]) -> str:
    csr = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .sign(key, hashes.SHA256())
    )
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def key_pem(key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def csr_names(csr: x509.CertificateSigningRequest) -> list[str]:
    names = [str(a.value).lower() for a in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    try:
        sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names += [n.lower() for n in sans.get_values_for_type(x509.DNSName)]
    except x509.ExtensionNotFound:
        pass
    return list(dict.fromkeys(names))


def check_csr(data: bytes, names: list[str]) -> str:
    """The customer's CSR as PEM, or InvalidInput with the reason: it does not parse, its signature is wrong,
    its key is too weak or of a kind the CA does not sign, or its names are not the certificate's."""
    if len(data) > MAX_CSR_BYTES:
        raise InvalidInput("certificate-csr-error-parse")
    try:
        if b"-----BEGIN" in data:
            start = data.index(b"-----BEGIN")
            csr = x509.load_pem_x509_csr(data[start:].strip())
        else:
            csr = x509.load_der_x509_csr(data)
        given = csr_names(csr)
    except (ValueError, TypeError):
        raise InvalidInput("certificate-csr-error-parse") from None
    if not csr.is_signature_valid:
        raise InvalidInput("certificate-csr-error-signature")
    key = csr.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise InvalidInput("certificate-csr-error-key-weak", bits=str(key.key_size), min=str(MIN_RSA_BITS))
    elif isinstance(key, ec.EllipticCurvePublicKey):
        if key.curve.name not in CURVES:
            raise InvalidInput("certificate-csr-error-key-curve", curve=key.curve.name)
    else:
        raise InvalidInput("certificate-csr-error-key-type")
    if names[0] not in given:
        raise InvalidInput("certificate-csr-error-domain-missing", domain=display_domain(names[0]))
    for name in given:
        if name not in names:
            raise InvalidInput("certificate-csr-error-name-foreign", name=name, names=", ".join(names))
    return csr.public_bytes(serialization.Encoding.PEM).decode()


def fingerprint(pem: str) -> str:
    return hashlib.sha256(pem.encode()).hexdigest()[:12]


class Certificates:
    def __init__(self, session: AsyncSession, clock: Clock, cipher: Cipher, settings: SslSettings,
                 notifications: Notifications, security: Security | None = None) -> None:
        self._session = session
        self._clock = clock
        self._cipher = cipher
        self._settings = settings
        self._notifications = notifications
        self._security = security
        self._acme_orders: AcmeOrders | None = None

    async def _guarded(self, user_id: int) -> None:
        """The private key leaves the server only after a recent 2FA code (when 2FA is on), even if a handler
        forgot its guard."""
        if self._security is not None and not await self._security.is_unlocked(user_id):
            raise CodeRequired()

    # reading ----------------------------------------------------------------------------------------------
    async def _ensure(self, user_id: int) -> None:
        """A certificate row for every ssl service of the customer that has none yet (made lazily, once)."""
        missing = list(await self._session.scalars(
            select(Service).outerjoin(Certificate, Certificate.service_id == Service.id)
            .where(Service.user_id == user_id, Service.kind == "ssl", Service.status != "deleted",
                   Certificate.id.is_(None))
        ))
        if not missing:
            return
        now = self._clock.now()
        for service in missing:
            await self._session.execute(
                upsert(self._session, Certificate)
                .values(service_id=service.id, status="csr", sans=default_sans(service.domain or ""),
                        dcv_method="dns", dcv_token=secrets.token_hex(16), validated=False, created_at=now)
                .on_conflict_do_nothing(index_elements=["service_id"])
            )
        await self._session.flush()

    def _query(self, user_id: int, *, deleted: bool = False) -> Any:
        query = (
            select(Certificate, Service, Tariff, Product)
            .join(Service, Service.id == Certificate.service_id)
            .join(Tariff, Tariff.id == Service.tariff_id)
            .join(Product, Product.code == Service.product_code)
            .where(Service.user_id == user_id, Service.kind == "ssl")
        )
        return query if deleted else query.where(Service.status != "deleted")

    async def page(self, user_id: int, page: int = 0, per_page: int = PER_PAGE) -> Page:
        await self._ensure(user_id)
        total = await self._session.scalar(
            select(func.count()).select_from(Service)
            .where(Service.user_id == user_id, Service.kind == "ssl", Service.status != "deleted")) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        rows = await self._session.execute(
            self._query(user_id).order_by(Service.id.desc()).offset(page * per_page).limit(per_page))
        return Page([CertView(*row) for row in rows], total, page, pages)

    async def get(self, user_id: int, service_id: int) -> CertView:
        """The certificate of one of the customer's ssl services; a deleted service's too (the list leaves those
        out, but a button or a notice sent earlier still opens its history)."""
        await self._ensure(user_id)
        row = (await self._session.execute(
            self._query(user_id, deleted=True).where(Service.id == service_id))).first()
        if row is None:
            raise NotFound()
        return CertView(*row)

    async def details(self, user_id: int, service_id: int) -> Details:
        """The certificate with what its screen needs: what to publish, if anything, and what may be done."""
        view = await self.get(user_id, service_id)
        return await self._details(view)

    async def for_action(self, user_id: int, service_id: int, action: Action) -> Details:
        """The certificate, when its status allows `action` now; otherwise the reason, raised (a button that is
        not shown any more, or a forged one)."""
        details = await self.details(user_id, service_id)
        refusal = self._refusal(details.view, details.validation, action)
        if refusal is None and action is Action.METHOD and len(details.methods) < 2:
            refusal = MethodFixed(method=details.methods[0] if details.methods else "")
        if refusal is not None:
            raise refusal
        return details

    async def _details(self, view: CertView) -> Details:
        validation = await self._validation(view)
        methods = self.methods(view)
        actions = frozenset(a for a in Action if self._refusal(view, validation, a) is None
                            and not (a is Action.METHOD and len(methods) < 2))
        return Details(view, "test" if self._acme() is None else "acme", methods, actions, validation,
                       self.ca_trusted, self.ca_name)

    def _refusal(self, view: CertView, validation: Validation | None, action: Action) -> DomainError | None:
        """Why the certificate's status does not allow `action` (None when it does). A deleted service keeps
        only its history; a suspended or expired one keeps its files and history, and may drop a reissue."""
        cert, service = view.certificate, view.service
        if action is Action.HISTORY:
            return None
        if service.status == "deleted":
            return ServiceDeleted()
        if action is Action.QUESTION:
            return None
        if action is Action.FILES:
            return None if cert.cert_pem is not None else WrongStep()
        if action is Action.KEEP_CURRENT:
            return None if cert.status == "reissuing" else WrongStep()
        if action in (Action.METHOD, Action.NAMES) and cert.status not in EDITABLE:
            return NotEditable()
        if action is Action.KEY and cert.status not in ("csr", "validation", "reissuing"):
            return WrongStep()
        if action is Action.REISSUE and cert.status != "issued":
            return WrongStep()
        if action is Action.CHECK and not self._checkable(view, validation):
            return WrongStep()
        if action is Action.RETRY and (validation is None or validation.state != "failed"):
            return WrongStep()
        if action is Action.VALIDATION_FILE and not self._file_to_publish(validation):
            return WrongStep()
        if service.status != "active":
            return ServiceInactive()
        return None

    def _checkable(self, view: CertView, validation: Validation | None) -> bool:
        """Whether "check now" has something to look at: the test CA while the certificate awaits validation;
        an ACME order waiting for the customer's records (or none opened yet, the CA having been away)."""
        if validation is None:
            return False
        if validation.backend == "test":
            return view.certificate.status == "validation"
        return validation.state == "awaiting" or (validation.state == "none"
                                                  and view.certificate.status == "validation")

    @staticmethod
    def _file_to_publish(validation: Validation | None) -> bool:
        """Whether an ACME order waits for an HTTP-01 file (the test CA's one file is shown as text only)."""
        return validation is not None and validation.backend == "acme" and validation.state == "awaiting" and any(
            i.method == "http" and i.status == "pending" and i.file_name for i in validation.items)

    def _require(self, view: CertView, action: Action) -> None:
        refusal = self._refusal(view, None, action)
        if refusal is not None:
            raise refusal

    async def history(self, user_id: int, service_id: int, page: int = 0,
                      per_page: int = HISTORY_PER_PAGE) -> EventPage:
        view = await self.get(user_id, service_id)
        where = ServiceEvent.service_id == service_id
        total = await self._session.scalar(select(func.count()).select_from(ServiceEvent).where(where)) or 0
        pages = max(1, -(-total // per_page))
        page = min(max(page, 0), pages - 1)
        events = list(await self._session.scalars(
            select(ServiceEvent).where(where).order_by(ServiceEvent.created_at.desc(), ServiceEvent.id.desc())
            .offset(page * per_page).limit(per_page)))
        return EventPage(view, events, total, page, pages)

    def _event(self, view: CertView, actor_id: int | None, action: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> None:
        self._session.add(ServiceEvent(
            service_id=view.service.id, actor="customer" if actor_id is not None else "system", actor_id=actor_id,
            action=action, before=before, after=after, created_at=self._clock.now()))

    async def _editable(self, user_id: int, service_id: int) -> CertView:
        view = await self.get(user_id, service_id)
        self._require(view, Action.METHOD)  # the same rule for the names and the approver
        return view

    # parameters -------------------------------------------------------------------------------------------
    def methods(self, view: CertView) -> tuple[str, ...]:
        """The validation methods this certificate may use with the configured CA."""
        offered = self._settings.authority.methods
        return tuple(m for m in offered if m != "http" or not view.domain.startswith("*."))

    async def set_method(self, user_id: int, service_id: int, method: str) -> CertView:
        if method not in dcv.METHODS:
            raise NotFound()
        view = await self._editable(user_id, service_id)
        if method == "http" and view.domain.startswith("*."):
            raise InvalidInput("certificate-http-wildcard")
        if method not in self._settings.authority.methods:
            raise InvalidInput("acme-method-unavailable", method=method)
        cert = view.certificate
        if method != cert.dcv_method:
            self._event(view, user_id, "ssl-method", {"method": cert.dcv_method}, {"method": method})
            cert.dcv_method = method
            if method == "email" and cert.approver_email is None:
                cert.approver_email = dcv.approvers(view.base)[0]
            await self._session.flush()
        return view

    async def set_approver(self, user_id: int, service_id: int, email: str | int) -> CertView:
        """The approver the CA mails: one of `Validation.approvers`, by address or by its place in that list."""
        view = await self._editable(user_id, service_id)
        approvers = dcv.approvers(view.base)
        if isinstance(email, int):
            if not 0 <= email < len(approvers):
                raise NotFound()
            email = approvers[email]
        if email not in approvers:
            raise NotFound()
        cert = view.certificate
        if email != cert.approver_email:
            self._event(view, user_id, "ssl-approver", {"email": cert.approver_email}, {"email": email})
            cert.approver_email = email
            await self._session.flush()
        return view

    async def set_sans(self, user_id: int, service_id: int, text: str) -> CertView:
        """New additional names; a CSR made for the old names no longer fits, so the CSR step comes back."""
        view = await self._editable(user_id, service_id)
        sans = parse_sans(text, view.domain, view.san_limit)
        cert = view.certificate
        if sans != cert.sans:
            self._event(view, user_id, "ssl-sans", {"sans": cert.sans}, {"sans": sans})
            cert.sans = sans
            if cert.csr_pem is not None:
                cert.csr_pem, cert.private_key, cert.key_type, cert.status = None, None, None, "csr"
            acme = self._acme()
            if acme is not None:  # an order for the old names is of no use
                await acme.abandon(cert.id)
            await self._session.flush()
        return view

    # key and CSR ------------------------------------------------------------------------------------------
    async def _csr_step(self, user_id: int, service_id: int) -> CertView:
        view = await self.get(user_id, service_id)
        self._require(view, Action.KEY)
        return view

    async def generate_key(self, user_id: int, service_id: int, key_type: str, keep: bool) -> KeyMade:
        """A new key and a CSR for the certificate's names; the key is kept encrypted, or returned only."""
        if key_type not in KEY_TYPES:
            raise NotFound()
        view = await self._csr_step(user_id, service_id)
        key = await asyncio.to_thread(make_key, key_type)
        pem, csr = key_pem(key), make_csr(key, view.names)
        cert = view.certificate
        self._event(view, user_id, "ssl-key", None, {"key_type": key_type, "kept": keep, "csr": fingerprint(csr)})
        cert.key_type, cert.csr_pem = key_type, csr
        cert.private_key = self._cipher.encrypt(pem) if keep else None
        await self._after_csr(view, user_id)
        return KeyMade(view, pem, keep)

    async def submit_csr(self, user_id: int, service_id: int, data: bytes) -> CertView:
        """The customer's own CSR, checked (InvalidInput with the reason when it will not do)."""
        view = await self._csr_step(user_id, service_id)
        csr = check_csr(data, view.names)
        cert = view.certificate
        self._event(view, user_id, "ssl-csr", None, {"csr": fingerprint(csr)})
        cert.key_type, cert.csr_pem, cert.private_key = "own", csr, None
        await self._after_csr(view, user_id)
        return view

    async def _after_csr(self, view: CertView, user_id: int | None) -> None:
        cert = view.certificate
        acme = self._acme()
        if acme is not None:
            if cert.status != "reissuing":
                cert.status = "validation"
            await self._session.flush()
            # The order now, so the screen can show what to publish; "check now" opens it if the CA is away.
            with contextlib.suppress(AcmeError):
                await self._start_order(view, acme, "reissue" if cert.status == "reissuing" else "issue", user_id)
        elif cert.status == "reissuing":
            await self._issue(view, user_id)
        else:
            cert.status = "validation"
        await self._session.flush()

    # validation -------------------------------------------------------------------------------------------
    async def _check(self, view: CertView) -> dcv.CheckResult:
        cert, base = view.certificate, view.base
        if cert.dcv_method == "dns":
            return await dcv.check_dns(self._settings.resolver, base, cert.dcv_token)
        if cert.dcv_method == "http":
            return await dcv.check_http(self._settings.fetcher, base, cert.dcv_token)
        approved = await self._settings.authority.email_approved(view.names, cert.approver_email or "")
        return dcv.CheckResult(approved, "email", cert.approver_email or "", cert.approver_email or "",
                               [cert.approver_email or ""] if approved else [])

    async def check(self, user_id: int, service_id: int, *, scheduled: bool = False) -> Checked:
        """Run the validation check now; when it passes, the certificate is issued at once (with an ACME CA: the
        CA is asked to validate, see `Checked`). A `scheduled` re-check acts as the system and writes only a
        success to the history."""
        view = await self.get(user_id, service_id)
        if view.service.status == "deleted":
            raise ServiceDeleted()
        acme = self._acme()
        if acme is not None:
            return await self._check_acme(view, acme, None if scheduled else user_id, scheduled)
        if view.certificate.status != "validation":
            raise WrongStep()
        if view.service.status != "active":
            raise ServiceInactive()
        result = await self._check(view)
        cert, actor = view.certificate, None if scheduled else user_id
        cert.checked_at = self._clock.now()
        if not scheduled or result.ok:
            self._event(view, actor, "ssl-check", None,
                        {"method": result.method, "ok": result.ok, "found": result.found[:3], "error": result.error})
        if result.ok:
            cert.validated = True
            await self._issue(view, actor)
        await self._session.flush()
        return Checked(view, result, result.ok)

    async def pending(self, limit: int = 500) -> list[tuple[int, int]]:
        """(owner, service) of the certificates waiting for validation, least recently checked first (with an
        ACME CA also renewals and reissues whose new order waits for the customer's records)."""
        awaiting = exists().where(AcmeOrder.certificate_id == Certificate.id, AcmeOrder.state == "awaiting")
        rows = await self._session.execute(
            select(Service.user_id, Service.id).join(Certificate, Certificate.service_id == Service.id)
            .where(or_(Certificate.status == "validation", awaiting), Service.status == "active")
            .order_by(Certificate.checked_at.is_not(None), Certificate.checked_at, Certificate.id).limit(limit))
        return [(int(u), int(s)) for u, s in rows]

    async def recheck(self, owner_id: int, service_id: int) -> bool:
        """The scheduled re-check of one certificate; on success it is issued and the customer notified."""
        checked = await self.check(owner_id, service_id, scheduled=True)
        if checked.issued:
            cert = checked.view.certificate
            await self._notifications.notify(
                owner_id, category="services", key="certificate-notification-issued",
                args={"domain": display_domain(checked.view.domain)},
                buttons=[button("certificate-button-open", action="certificate", service_id=service_id)],
                dedupe_key=f"ssl-issued:{service_id}:{cert.serial}")
        return checked.issued

    # issuance ---------------------------------------------------------------------------------------------
    async def _issue(self, view: CertView, user_id: int | None, action: str = "ssl-issued") -> None:
        cert = view.certificate
        assert cert.csr_pem is not None
        # Claim the step first: the scheduled re-check and the customer's "check now" (or two instances) racing
        # for the same certificate issue it once; the loser sees WrongStep.
        now = self._clock.now()
        claimed = await rowcount(self._session,
            update(Certificate).where(Certificate.id == cert.id, Certificate.status == cert.status,
                                      Certificate.issued_at == cert.issued_at)
            .values(status="issued", issued_at=now).execution_options(synchronize_session=False))
        if claimed != 1:
            raise WrongStep()
        issued = await self._settings.authority.issue(cert.csr_pem, view.names, now, view.service.expires_at)
        before = {"serial": cert.serial} if cert.serial else None
        cert.cert_pem, cert.chain_pem, cert.root_pem = issued.certificate, "".join(issued.intermediates), issued.root
        cert.serial, cert.not_before, cert.not_after = issued.serial, issued.not_before, issued.not_after
        cert.issued_at, cert.status = now, "issued"
        self._event(view, user_id, action, before,
                    {"serial": issued.serial, "not_after": issued.not_after.isoformat(), "ca": self.ca_name})

    async def renewed(self, limit: int = 500) -> list[tuple[int, int]]:
        """(owner, service) of issued certificates that end before the term paid for: the service was renewed
        after they were issued, or they are about to run out before it (a CA caps a certificate's life, 397 days
        for the test CA, so a 24-month order needs a second one). They get a new certificate for the rest of the
        term (same key and names; the domain's validation is reused)."""
        now = self._clock.now()
        renewed_since = exists().where(ServiceEvent.service_id == Service.id, ServiceEvent.action == "renewal",
                                       ServiceEvent.created_at > Certificate.issued_at)
        ending = Certificate.not_after <= now + EXPIRING
        # A short-lived certificate (ACME) has its own renewal time; one with a renewal order under way, or
        # refused lately, waits.
        due = or_(and_(Certificate.renew_after.is_(None), renewed_since | ending), Certificate.renew_after <= now)
        busy = exists().where(AcmeOrder.certificate_id == Certificate.id, or_(
            AcmeOrder.state.in_(ACTIVE), and_(AcmeOrder.state == "failed", AcmeOrder.updated_at > now - RENEW_RETRY)))
        rows = await self._session.execute(
            select(Service.user_id, Service.id).join(Certificate, Certificate.service_id == Service.id)
            .where(Certificate.status == "issued", Service.status == "active", Certificate.csr_pem.is_not(None),
                   Certificate.not_after < Service.expires_at, due, ~busy)
            .order_by(Certificate.not_after, Certificate.id).limit(limit))
        return [(int(u), int(s)) for u, s in rows]

    async def renew_issued(self, owner_id: int, service_id: int) -> bool:
        """Sign the new certificate for one of `renewed()` and tell the customer its files changed. False when
        it no longer needs one (a reissue started meanwhile, another instance did it)."""
        view = await self.get(owner_id, service_id)
        cert = view.certificate
        if cert.status != "issued" or view.service.status != "active" or cert.csr_pem is None:
            return False
        if cert.not_after is not None and cert.not_after >= view.service.expires_at:
            return False
        acme = self._acme()
        if acme is not None:
            return await self._renew_acme(view, acme)
        try:
            await self._issue(view, None, "ssl-renewed")
        except WrongStep:
            return False
        await self._notifications.notify(
            owner_id, category="services", key="certificate-notification-renewed",
            args={"domain": display_domain(view.domain), "until": cert.not_after},
            buttons=[button("certificate-button-open", action="certificate", service_id=service_id)],
            dedupe_key=f"ssl-renewed:{service_id}:{cert.serial}")
        await self._session.flush()
        return True

    @property
    def ca_name(self) -> str:
        return self._settings.authority.name

    @property
    def ca_trusted(self) -> bool:
        return self._settings.authority.trusted

    async def reissue(self, user_id: int, service_id: int) -> CertView:
        """An issued certificate gets a new key and CSR next; the current files stay until the new one is out."""
        view = await self.get(user_id, service_id)
        self._require(view, Action.REISSUE)
        self._event(view, user_id, "ssl-reissue", {"serial": view.certificate.serial}, None)
        view.certificate.status = "reissuing"
        await self._session.flush()
        return view

    async def cancel_reissue(self, user_id: int, service_id: int) -> CertView:
        """Back to the current certificate; nothing to do when no reissue is under way (a button pressed twice)."""
        view = await self.get(user_id, service_id)
        if view.service.status == "deleted":
            raise ServiceDeleted()
        if view.certificate.status == "reissuing":
            view.certificate.status = "issued"
            acme = self._acme()
            if acme is not None:  # an order for the new CSR must not replace the certificate after all
                await acme.abandon(view.certificate.id)
            await self._session.flush()
        return view

    # files ------------------------------------------------------------------------------------------------
    async def _issued(self, user_id: int, service_id: int) -> CertView:
        view = await self.get(user_id, service_id)
        self._require(view, Action.FILES)
        return view

    async def files(self, user_id: int, service_id: int) -> Files:
        view = await self._issued(user_id, service_id)
        cert = view.certificate
        chain, root = cert.chain_pem or "", cert.root_pem or ""
        return Files(view.domain, cert.cert_pem or "", chain + root, (cert.cert_pem or "") + chain)

    async def private_key(self, user_id: int, service_id: int) -> tuple[CertView, str]:
        """The kept private key (a guarded download: the handler asks for 2FA); the download is in the history."""
        view = await self.get(user_id, service_id)
        if view.service.status == "deleted":
            raise ServiceDeleted()
        if view.certificate.private_key is None:
            raise NoPrivateKey()
        await self._guarded(user_id)
        pem = self._cipher.decrypt_text(view.certificate.private_key)
        self._event(view, user_id, "ssl-key-download", None, {"key_type": view.certificate.key_type})
        await self._session.flush()
        return view, pem

    async def pkcs12(self, user_id: int, service_id: int, password: str) -> tuple[CertView, bytes]:
        """Certificate, key and chain in one PKCS#12 file protected by the customer's password."""
        if not P12_MIN <= len(password) <= P12_MAX or password != password.strip():
            raise InvalidInput("certificate-p12-password", min=P12_MIN, max=P12_MAX)
        view = await self._issued(user_id, service_id)
        cert = view.certificate
        if cert.private_key is None:
            raise NoPrivateKey()
        await self._guarded(user_id)
        key = serialization.load_pem_private_key(self._cipher.decrypt(cert.private_key), None)
        leaf = x509.load_pem_x509_certificate((cert.cert_pem or "").encode())
        cas = x509.load_pem_x509_certificates(((cert.chain_pem or "") + (cert.root_pem or "")).encode())
        data = pkcs12.serialize_key_and_certificates(
            view.domain.encode(), key, leaf, cas,  # type: ignore[arg-type]  # a loaded key of any type; ours are EC/RSA
            serialization.BestAvailableEncryption(password.encode()))
        self._event(view, user_id, "ssl-p12", None, {"serial": cert.serial})
        await self._session.flush()
        return view, data

    # ACME -------------------------------------------------------------------------------------------------
    def _acme(self) -> AcmeOrders | None:
        ca = self._settings.acme
        if ca is None:
            return None
        if self._acme_orders is None:
            self._acme_orders = AcmeOrders(self._session, self._clock, self._cipher, ca, self._settings.resolver,
                                           self._settings.fetcher, self._settings.acme_email)
        return self._acme_orders

    async def acme_account(self) -> str | None:
        """Make and register the ACME account if there is none yet (the job does it first, in a unit of its own,
        so a customer's update never has to); its URL, None without an ACME CA."""
        acme = self._acme()
        return None if acme is None else (await acme.account()).url

    @staticmethod
    def _order_names(view: CertView) -> list[str]:
        """The CSR's names in the certificate's order: an ACME order must name exactly what the CSR asks for."""
        assert view.certificate.csr_pem is not None
        asked = csr_names(x509.load_pem_x509_csr(view.certificate.csr_pem.encode()))
        return [n for n in view.names if n in asked] + [n for n in asked if n not in view.names]

    @staticmethod
    def _purpose(cert: Certificate) -> str:
        return {"validation": "issue", "reissuing": "reissue"}.get(cert.status, "renew")

    async def _start_order(self, view: CertView, acme: AcmeOrders, purpose: str, actor: int | None) -> AcmeOrder:
        """A new ACME order for the certificate; a refusal is in the history (with the CA's words, for staff)
        and raised."""
        try:
            row = await acme.start(view.certificate.id, self._order_names(view), purpose)
        except AcmeError as exc:
            self._event(view, actor, "ssl-acme-error", None,
                        {"purpose": purpose, "error": exc.message_id, "detail": f"{exc.code}: {exc.detail}"[:500]})
            await self._session.flush()
            raise
        self._event(view, actor, "ssl-acme-order", None,
                    {"purpose": purpose, "order": row.url, "names": row.names, "state": row.state})
        return row

    async def _order_for(self, view: CertView, acme: AcmeOrders) -> AcmeOrder | None:
        """The order validation is about: the current one while the certificate awaits validation, or a renewal
        or reissue order not yet done."""
        row = await acme.current(view.certificate.id)
        status = view.certificate.status
        if status in ("validation", "reissuing"):
            if row is not None and row.state == "done" and row.purpose != self._purpose(view.certificate):
                return None
            return row
        if status == "issued" and row is not None and row.purpose == "renew" and row.state != "done":
            return row
        raise WrongStep()

    async def validation(self, user_id: int, service_id: int) -> Validation:
        """What the customer must publish for this certificate, per name, with the configured CA."""
        return await self._validation_of(await self.get(user_id, service_id))

    async def _validation(self, view: CertView) -> Validation | None:
        """The validation a screen shows, None when there is none to show: the test CA's until issuance, an ACME
        order's once the CSR is in (a renewal's too, while it waits for the customer's records)."""
        cert, acme = view.certificate, self._acme()
        if acme is None:
            return await self._validation_of(view) if cert.status in EDITABLE else None
        if cert.status not in ("validation", "reissuing", "issued"):
            return None
        try:
            validation = await self._validation_of(view)
        except WrongStep:
            return None
        return None if validation.state == "none" and cert.status == "reissuing" else validation

    async def _validation_of(self, view: CertView) -> Validation:
        cert = view.certificate
        methods = self.methods(view)
        acme = self._acme()
        if acme is None:
            base, token = view.base, cert.dcv_token
            item = {
                "dns": Publish(base, "dns", "pending", dcv.dns_name(base), token),
                "http": Publish(base, "http", "pending", dcv.http_url(base, token), token, f"{token}.txt"),
                "email": Publish(base, "email", "pending", cert.approver_email or "", ""),
            }[cert.dcv_method]
            approvers = tuple(dcv.approvers(base)) if "email" in methods else ()
            return Validation(view, "test", methods, cert.dcv_method, [item], approvers=approvers)
        if cert.status not in ("validation", "reissuing", "issued"):
            raise WrongStep()
        row = await self._order_for(view, acme)
        if row is None:
            return Validation(view, "acme", methods, cert.dcv_method, [], "none")
        items = await acme.publish(row, cert.dcv_method) if row.url else []
        return Validation(view, "acme", methods, cert.dcv_method, items, row.state, acme.failure(row), row.url or None,
                          row.next_poll_at)

    async def validation_file(self, user_id: int, service_id: int, name: str | None = None, *,
                              index: int | None = None) -> ValidationFile:
        """The HTTP validation file for `name` (the certificate's domain when None), or the `index`-th of the
        files still to publish (the order a screen lists them in), to offer for download."""
        view = await self.get(user_id, service_id)
        if view.service.status == "deleted":
            raise ServiceDeleted()
        validation = await self._validation_of(view)
        files = [i for i in validation.items if i.method == "http" and i.file_name]
        if index is not None:
            files = [i for i in files if i.status == "pending"][index:index + 1] if index >= 0 else []
        for item in files:
            if index is not None or name is None or item.name == name:
                assert item.file_name is not None
                return ValidationFile(item.where, item.file_name, (item.value + "\n").encode())
        raise NotFound()

    async def retry_validation(self, user_id: int, service_id: int) -> Validation:
        """After the CA refused: a fresh order (new challenges, so new values to publish)."""
        view = await self.get(user_id, service_id)
        acme = self._acme()
        if acme is None:
            raise WrongStep()
        if view.service.status == "deleted":
            raise ServiceDeleted()
        if view.service.status != "active":
            raise ServiceInactive()
        row = await self._order_for(view, acme)
        if row is not None and row.state not in ("failed", "done"):
            raise WrongStep()
        with contextlib.suppress(AcmeError):  # the validation shows the refusal
            await self._start_order(view, acme, self._purpose(view.certificate), user_id)
        return await self.validation(user_id, service_id)

    async def _check_acme(self, view: CertView, acme: AcmeOrders, actor: int | None, scheduled: bool) -> Checked:
        cert = view.certificate
        method = cert.dcv_method
        row = await self._order_for(view, acme)
        if view.service.status != "active":
            raise ServiceInactive()
        if row is None and cert.status == "reissuing":  # the new key and CSR come first
            raise WrongStep()
        nothing = dcv.CheckResult(True, method, "", "")
        if row is None or acme.unreached(row):  # no order yet: the CA could not be reached when the CSR came in
            try:
                row = await self._start_order(view, acme, self._purpose(cert), actor)
            except AcmeError as exc:
                return Checked(view, dcv.CheckResult(False, method, "", "", error=exc.code), False, problem=exc)
        if row.state == "failed":
            problem = acme.failure(row)
            return Checked(view, dcv.CheckResult(False, method, "", "", error=problem.code if problem else None),
                           False, problem=problem)
        if row.state != "awaiting":
            return Checked(view, nothing, False, in_progress=True)
        results = await acme.check(row, method)
        cert.checked_at = self._clock.now()
        ok = all(r.ok for r in results)
        shown = next((r for r in results if not r.ok), results[0] if results else nothing)
        if not scheduled or ok:
            self._event(view, actor, "ssl-check", None,
                        {"method": method, "ok": ok, "found": shown.found[:3], "error": shown.error,
                         "names": [r.where for r in results if not r.ok]})
        if not ok:
            await self._session.flush()
            return Checked(view, shown, False, results)
        try:
            await acme.answer(row, method)
        except (CaUnreachable, CaServerError) as exc:  # nothing refused: the next check asks again
            await self._session.flush()
            return Checked(view, shown, False, results, problem=exc)
        except AcmeError as exc:
            await self._fail_order(view, acme, row, exc, actor)
            return Checked(view, shown, False, results, problem=exc)
        self._event(view, actor, "ssl-acme-answered", None, {"order": row.url, "method": method})
        await self._session.flush()
        return Checked(view, shown, False, results, submitted=True)

    async def _fail_order(self, view: CertView, acme: AcmeOrders, row: AcmeOrder, exc: AcmeError | None,
                          actor: int | None) -> None:
        if exc is not None:
            acme._fail(row, exc.problem)
        problem = acme.failure(row)
        self._event(view, actor, "ssl-acme-failed", None,
                    {"order": row.url, "error": row.error, "detail": (row.detail or "")[:500],
                     "name": problem.args_.get("name") if problem else None})
        await self._notifications.notify(
            view.service.user_id, category="services", key="acme-notification-failed",
            args={"domain": display_domain(view.domain)},
            buttons=[button("certificate-button-open", action="certificate", service_id=view.service.id)],
            dedupe_key=f"acme-failed:{row.id}")
        await self._session.flush()

    async def due_orders(self, limit: int = 200) -> list[tuple[int, int]]:
        """(owner, service) of the certificates whose ACME order is due for its next poll."""
        rows = await self._session.execute(
            select(Service.user_id, Service.id).join(Certificate, Certificate.service_id == Service.id)
            .join(AcmeOrder, AcmeOrder.certificate_id == Certificate.id)
            .where(AcmeOrder.state.in_(POLLED), AcmeOrder.next_poll_at <= self._clock.now())
            .order_by(AcmeOrder.next_poll_at, AcmeOrder.id).limit(limit))
        return list(dict.fromkeys((int(u), int(s)) for u, s in rows))

    async def advance(self, owner_id: int, service_id: int) -> bool:
        """The job's step for one certificate's ACME order (poll, finalise, download); True when the certificate
        got stored, its customer told."""
        view = await self.get(owner_id, service_id)
        acme = self._acme()
        if acme is None:
            return False
        row = await acme.current(view.certificate.id)
        if row is None or row.state not in POLLED or (row.next_poll_at and row.next_poll_at > self._clock.now()):
            return False
        if view.service.status != "active" or view.certificate.csr_pem is None:
            await acme.abandon(view.certificate.id)
            return False
        version = row.attempts
        chain = await acme.advance(row, view.certificate.csr_pem)
        # Claim the step: another instance that polled the same order meanwhile leaves this one to roll back.
        with self._session.no_autoflush:
            claimed = await rowcount(self._session,
                update(AcmeOrder).where(AcmeOrder.id == row.id, AcmeOrder.attempts == version)
                .values(attempts=row.attempts).execution_options(synchronize_session=False))
        if claimed != 1:
            raise WrongStep()
        if row.state == "failed":
            await self._fail_order(view, acme, row, None, None)
            return False
        if chain is None:
            await self._session.flush()
            return False
        await self._store_acme(view, acme, row, chain)
        return True

    async def _store_acme(self, view: CertView, acme: AcmeOrders, row: AcmeOrder, chain: str) -> None:
        cert = view.certificate
        found = x509.load_pem_x509_certificates(chain.encode())
        leaf, intermediates = found[0], found[1:]
        assert cert.csr_pem is not None
        if leaf.public_key() != x509.load_pem_x509_csr(cert.csr_pem.encode()).public_key():
            await self._fail_order(view, acme, row, AcmeError(), None)  # not the key asked for: never stored
            return
        now = self._clock.now()
        old_pem, old_serial = cert.cert_pem, cert.serial
        serial = format(leaf.serial_number, "x")
        cert.cert_pem = leaf.public_bytes(serialization.Encoding.PEM).decode()
        cert.chain_pem = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in intermediates)
        cert.root_pem = ""  # an ACME CA hands out the chain up to its root, not the root itself
        cert.serial, cert.not_before, cert.not_after = serial, leaf.not_valid_before_utc, leaf.not_valid_after_utc
        life = cert.not_after - cert.not_before
        cert.renew_after = cert.not_after - min(EXPIRING, life / ACME_RENEW_SHARE)
        cert.issued_at, cert.status, cert.validated = now, "issued", True
        acme.done(row, serial)
        action = "ssl-renewed" if row.purpose == "renew" else "ssl-issued"
        self._event(view, None, action, {"serial": old_serial} if old_serial else None,
                    {"serial": serial, "not_after": cert.not_after.isoformat(), "ca": self.ca_name, "order": row.url})
        if row.purpose == "reissue" and old_pem and old_serial and old_serial != serial:
            await acme.queue_revocation(cert.id, old_serial, old_pem, REVOKE_SUPERSEDED)
        key, dedupe = (("certificate-notification-renewed", "ssl-renewed") if row.purpose == "renew"
                       else ("certificate-notification-issued", "ssl-issued"))
        args: dict[str, Any] = {"domain": display_domain(view.domain)}
        if row.purpose == "renew":
            args["until"] = cert.not_after
        await self._notifications.notify(
            view.service.user_id, category="services", key=key, args=args,
            buttons=[button("certificate-button-open", action="certificate", service_id=view.service.id)],
            dedupe_key=f"{dedupe}:{view.service.id}:{serial}")
        await self._session.flush()

    async def _renew_acme(self, view: CertView, acme: AcmeOrders) -> bool:
        """A new order for the next certificate. Names the CA validated lately are reused and it is signed
        without the customer; otherwise they are asked to publish the new values."""
        try:
            row = await self._start_order(view, acme, "renew", None)
        except AcmeError:
            return False
        if row.state == "ready":
            return await self.advance(view.service.user_id, view.service.id)
        if row.state == "awaiting":
            await self._notifications.notify(
                view.service.user_id, category="services", key="acme-notification-renewal-validation",
                args={"domain": display_domain(view.domain)},
                buttons=[button("certificate-button-open", action="certificate", service_id=view.service.id)],
                dedupe_key=f"acme-renew:{row.id}")
        elif row.state == "failed":
            await self._fail_order(view, acme, row, None, None)
        await self._session.flush()
        return False

    async def queue_revocations(self) -> int:
        """Certificates of deleted services that the ACME CA issued are queued for revocation, their orders
        abandoned; returns how many were queued."""
        acme = self._acme()
        if acme is None:
            return 0
        issued_here = exists().where(AcmeOrder.certificate_id == Certificate.id, AcmeOrder.serial == Certificate.serial)
        queued = exists().where(AcmeRevocation.serial == Certificate.serial)
        rows = list(await self._session.execute(
            select(Certificate.id, Certificate.serial, Certificate.cert_pem)
            .join(Service, Service.id == Certificate.service_id)
            .where(Service.status == "deleted", Certificate.cert_pem.is_not(None), issued_here, ~queued)))
        for cert_id, serial, pem in rows:
            assert serial is not None and pem is not None
            await acme.abandon(cert_id)
            await acme.queue_revocation(cert_id, serial, pem, REVOKE_CESSATION)
        await self._session.flush()
        return len(rows)

    async def revocations_due(self) -> list[int]:
        acme = self._acme()
        return [] if acme is None else [r.id for r in await acme.revocations_due()]

    async def revoke_due(self, revocation_id: int) -> bool:
        """Revoke one queued certificate at the CA; the certificate's history says so."""
        acme = self._acme()
        row = await self._session.get(AcmeRevocation, revocation_id)
        if acme is None or row is None or row.revoked_at is not None:
            return False
        done = await acme.revoke(row)
        if done:
            service_id = await self._session.scalar(
                select(Certificate.service_id).where(Certificate.id == row.certificate_id))
            self._session.add(ServiceEvent(
                service_id=service_id, actor="system", actor_id=None, action="ssl-revoked", before=None,
                after={"serial": row.serial, "reason": row.reason, "ca": self.ca_name}, created_at=self._clock.now()))
        await self._session.flush()
        return done
