"""The ACME side of the CA port (RFC 8555): what an ACME certificate authority offers, in the domain's words.

The CA validates the names itself: for each name of an order it hands out an authorisation with challenges, the
customer publishes what a challenge asks for, the bot tells the CA to look, and once every name is valid the order
is finalised with the certificate's CSR. `domain/acme/client.py` is the adapter over the `acme` library; the tests
run it against Pebble.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol, runtime_checkable

from josepy.b64 import b64encode
from josepy.jwk import JWK

DNS01, HTTP01 = "dns-01", "http-01"
CHALLENGE_TYPES = {"dns": DNS01, "http": HTTP01}
METHODS = ("dns", "http")  # our method names, in the order a screen offers them
DNS_LABEL = "_acme-challenge"
HTTP_PATH = "/.well-known/acme-challenge/"


@dataclass(frozen=True, slots=True)
class Problem:
    """An RFC 8555 problem document: `code` is the part after urn:ietf:params:acme:error: (rateLimited, caa, ...),
    `name` the identifier it is about, when the CA says."""

    code: str
    detail: str = ""
    name: str | None = None
    retry_after: datetime | None = None


@dataclass(frozen=True, slots=True)
class Challenge:
    method: str  # dns or http
    url: str
    token: str
    status: str
    error: Problem | None = None


@dataclass(frozen=True, slots=True)
class Authorization:
    """One name of an order; `name` keeps the `*.` of a wildcard (the CA's identifier has it without)."""

    name: str
    url: str
    status: str  # pending, valid, invalid, deactivated, expired, revoked
    challenges: dict[str, Challenge] = field(default_factory=dict)
    expires: datetime | None = None

    @property
    def problem(self) -> Problem | None:
        return next((c.error for c in self.challenges.values() if c.error is not None), None)


@dataclass(frozen=True, slots=True)
class Order:
    url: str
    status: str  # pending, ready, processing, valid, invalid
    authorizations: list[Authorization]
    finalize_url: str
    certificate_url: str | None = None
    error: Problem | None = None
    expires: datetime | None = None
    retry_after: float | None = None  # seconds the CA asked to wait before polling again


@dataclass(frozen=True, slots=True)
class Account:
    """The ACME account: its key (PEM, decrypted for the call) and its URL at the CA once registered."""

    key_pem: str
    url: str | None = None


@runtime_checkable
class AcmeAuthority(Protocol):
    """An RFC 8555 CA. Every call may raise AcmeError (a problem document, or the CA out of reach)."""

    name: str
    trusted: bool
    methods: tuple[str, ...]
    directory_url: str

    async def register(self, account: Account, email: str | None) -> str:
        """The account's URL; registering an already registered key returns the existing account."""
        ...

    async def new_order(self, account: Account, names: list[str]) -> Order: ...

    async def order(self, account: Account, url: str, *, authorizations: bool = True) -> Order:
        """The order as the CA sees it now, with its authorisations unless told not to fetch them."""
        ...

    async def answer(self, account: Account, challenge_url: str) -> None:
        """Tell the CA the challenge is ready to be validated."""
        ...

    async def finalize(self, account: Account, order: Order, csr_pem: str) -> Order: ...

    async def download(self, account: Account, certificate_url: str) -> str:
        """The issued certificate chain, PEM, the leaf first."""
        ...

    async def revoke(self, account: Account, certificate_pem: str, reason: int) -> None: ...


def thumbprint(key_pem: str) -> str:
    """RFC 7638 thumbprint of the account key, base64url."""
    return b64encode(jwk(key_pem).public_key().thumbprint()).decode()


def jwk(key_pem: str) -> JWK:
    return JWK.load(key_pem.encode())


def key_authorization(token: str, account_thumbprint: str) -> str:
    """What HTTP-01 serves: the challenge token and the account key's thumbprint."""
    return f"{token}.{account_thumbprint}"


def dns_value(token: str, account_thumbprint: str) -> str:
    """What DNS-01 publishes in TXT: base64url(SHA-256(key authorisation)), without padding."""
    digest = hashlib.sha256(key_authorization(token, account_thumbprint).encode()).digest()
    return b64encode(digest).decode()


def dns_name(name: str) -> str:
    return f"{DNS_LABEL}.{name.removeprefix('*.')}"


def http_url(name: str, token: str) -> str:
    return f"http://{name}{HTTP_PATH}{token}"
