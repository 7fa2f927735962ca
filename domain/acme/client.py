"""The ACME adapter: RFC 8555 over the `acme` library (certbot's), whose calls are blocking, so each runs in a
worker thread and an update or a job never holds the event loop while the CA answers.

Clients (an HTTP session with its nonces) are pooled per account key, so consecutive calls reuse the connection
and a nonce from the previous answer instead of asking for a new one. A `badNonce` refusal is retried with a fresh
nonce (the CA refused the nonce, not the request), a few times: CAs may reject any nonce, Pebble does on purpose.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, TypeVar

import requests
from acme import challenges, messages
from acme import errors as acme_errors
from acme.client import ClientNetwork, ClientV2
from cryptography import x509
from josepy.jwa import ES256

from domain.acme.errors import AcmeError, CaUnreachable, problem_error
from domain.acme.port import DNS01, HTTP01, METHODS, Account, Authorization, Challenge, Order, Problem, jwk

T = TypeVar("T")
BAD_NONCE_TRIES = 6
CHALLENGE_METHODS = {DNS01: "dns", HTTP01: "http"}
USER_AGENT = "client-area-bot"
RETRY_AFTER = "Retry-After"


class _Network(ClientNetwork):
    """Counts the HTTP requests sent (for the figures) and retries badNonce more than once."""

    def __init__(self, *args: Any, on_request: Callable[[], None], on_bad_nonce: Callable[[], None],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_request = on_request
        self._on_bad_nonce = on_bad_nonce

    def _send_request(self, method: str, url: str, *args: Any, **kwargs: Any) -> requests.Response:
        self._on_request()
        return super()._send_request(method, url, *args, **kwargs)

    def post(self, *args: Any, **kwargs: Any) -> requests.Response:
        for attempt in range(BAD_NONCE_TRIES):
            try:
                return self._post_once(*args, **kwargs)
            except messages.Error as error:
                if error.code != "badNonce" or attempt == BAD_NONCE_TRIES - 1:
                    raise
                self._on_bad_nonce()
        raise AssertionError("unreachable")


def _problem(error: messages.Error) -> Problem:
    code = error.code or str(error.typ).rsplit(":", 1)[-1]
    name = error.identifier.value if error.identifier is not None else None
    if code == "compound" and error.subproblems:
        first = error.subproblems[0]
        return Problem(first.code or "other", first.detail or "",
                       first.identifier.value if first.identifier is not None else name)
    return Problem(code, error.detail or "", name)


def _status(value: Any) -> str:
    return str(getattr(value, "name", value))


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get(RETRY_AFTER, "")
    return float(value) if value.isdigit() else None


def _aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


class AcmeClient:
    """An ACME CA at `directory_url` (Let's Encrypt, ZeroSSL, Google Trust Services, any RFC 8555 CA).

    `ca_bundle` is a file of CA certificates to trust for the directory's TLS (a test CA such as Pebble's); None
    uses the system's. `eab_kid`/`eab_hmac_key` bind a new account to the CA's external account (ZeroSSL, Google
    Trust Services). `requests` counts the HTTP requests made, `bad_nonces` the badNonce refusals retried.
    """

    methods: tuple[str, ...] = METHODS

    def __init__(self, directory_url: str, *, name: str = "acme", trusted: bool = True, ca_bundle: str | None = None,
                 eab_kid: str | None = None, eab_hmac_key: str | None = None, timeout: int = 30) -> None:
        self.directory_url = directory_url
        self.name = name
        self.trusted = trusted
        self._verify: bool | str = ca_bundle or True
        self._eab = (eab_kid, eab_hmac_key) if eab_kid and eab_hmac_key else None
        self._timeout = timeout
        self._lock = threading.Lock()
        self._directory: messages.Directory | None = None
        self._idle: dict[str, list[ClientV2]] = {}
        self.requests = 0  # HTTP requests sent to the CA, and badNonce refusals retried (for the figures)
        self.bad_nonces = 0

    def _count(self) -> None:
        with self._lock:
            self.requests += 1

    def _count_bad_nonce(self) -> None:
        with self._lock:
            self.bad_nonces += 1

    # plumbing ---------------------------------------------------------------------------------------------
    def _network(self, key_pem: str) -> _Network:
        return _Network(key=jwk(key_pem), alg=ES256, verify_ssl=self._verify,  # type: ignore[arg-type,unused-ignore]  # a CA bundle path works too
                        user_agent=USER_AGENT, timeout=self._timeout, on_request=self._count,
                        on_bad_nonce=self._count_bad_nonce)

    def _directory_of(self, net: _Network) -> messages.Directory:
        if self._directory is None:
            self._directory = ClientV2.get_directory(self.directory_url, net)
        return self._directory

    @contextmanager
    def _client(self, account: Account) -> Iterator[ClientV2]:
        with self._lock:
            pool = self._idle.setdefault(account.key_pem, [])
            client = pool.pop() if pool else None
        if client is None:
            net = self._network(account.key_pem)
            client = ClientV2(self._directory_of(net), net)
        client.net.account = messages.RegistrationResource(body=messages.Registration(), uri=account.url) \
            if account.url else None
        yield client
        with self._lock:
            self._idle[account.key_pem].append(client)

    async def _run(self, call: Callable[[], T]) -> T:
        def guarded() -> T:
            try:
                return call()
            except messages.Error as error:
                raise problem_error(_problem(error)) from None
            except requests.RequestException as error:
                raise CaUnreachable(Problem("unreachable", type(error).__name__)) from None
            except acme_errors.Error as error:
                raise AcmeError(Problem("other", str(error)[:500])) from None

        return await asyncio.to_thread(guarded)

    def _post(self, client: ClientV2, url: str, body: Any = None) -> requests.Response:
        """A signed POST; without a body it is RFC 8555's POST-as-GET."""
        return client.net.post(url, body, new_nonce_url=client.directory["newNonce"])

    def _authorization(self, client: ClientV2, url: str) -> Authorization:
        body = messages.Authorization.from_json(self._post(client, url).json())
        found: dict[str, Challenge] = {}
        for challb in body.challenges or ():
            method = CHALLENGE_METHODS.get(challb.chall.typ)
            if method is not None:
                found[method] = Challenge(method, challb.uri, challb.chall.encode("token"), _status(challb.status),
                                          _problem(challb.error) if challb.error is not None else None)
        name = ("*." if body.wildcard else "") + body.identifier.value
        return Authorization(name, url, _status(body.status), found, _aware(body.expires))

    def _order(self, client: ClientV2, url: str, response: requests.Response, authorizations: bool = True) -> Order:
        """The order in `response`; with `authorizations`, each fetched (one request per name)."""
        body = messages.Order.from_json(response.json())
        found = [self._authorization(client, a) for a in body.authorizations or ()] if authorizations else []
        return Order(url, _status(body.status), found, body.finalize, body.certificate,
                     _problem(body.error) if body.error is not None else None, _aware(body.expires),
                     _retry_after(response))

    # the port ---------------------------------------------------------------------------------------------
    async def register(self, account: Account, email: str | None) -> str:
        def call() -> str:
            with self._client(Account(account.key_pem)) as client:
                eab = None
                if self._eab is not None:
                    eab = messages.ExternalAccountBinding.from_data(
                        account_public_key=jwk(account.key_pem).public_key(), kid=self._eab[0],
                        hmac_key=self._eab[1], directory=client.directory)
                registration = messages.NewRegistration.from_data(
                    email=email, terms_of_service_agreed=True, external_account_binding=eab)
                try:
                    return str(client.new_account(registration).uri)
                except acme_errors.ConflictError as existing:  # the key is registered already: its account
                    return str(existing.location)

        return await self._run(call)

    async def new_order(self, account: Account, names: list[str]) -> Order:
        def call() -> Order:
            with self._client(account) as client:
                identifiers = [messages.Identifier(typ=messages.IDENTIFIER_FQDN, value=n) for n in names]
                response = self._post(client, client.directory["newOrder"], messages.NewOrder(identifiers=identifiers))
                return self._order(client, response.headers["Location"], response)

        return await self._run(call)

    async def order(self, account: Account, url: str, *, authorizations: bool = True) -> Order:
        def call() -> Order:
            with self._client(account) as client:
                return self._order(client, url, self._post(client, url), authorizations)

        return await self._run(call)

    async def answer(self, account: Account, challenge_url: str) -> None:
        def call() -> None:
            with self._client(account) as client:
                # The body is `{}`: the key authorisation is not sent (RFC 8555 7.5.1).
                response = challenges.DNS01Response(key_authorization="-")
                self._post(client, challenge_url, response)

        await self._run(call)

    async def finalize(self, account: Account, order: Order, csr_pem: str) -> Order:
        def call() -> Order:
            with self._client(account) as client:
                csr = x509.load_pem_x509_csr(csr_pem.encode())
                response = self._post(client, order.finalize_url, messages.CertificateRequest(csr=csr))
                return self._order(client, order.url, response, authorizations=False)

        return await self._run(call)

    async def download(self, account: Account, certificate_url: str) -> str:
        def call() -> str:
            with self._client(account) as client:
                return self._post(client, certificate_url).text

        return await self._run(call)

    async def revoke(self, account: Account, certificate_pem: str, reason: int) -> None:
        def call() -> None:
            with self._client(account) as client:
                client.revoke(x509.load_pem_x509_certificate(certificate_pem.encode()), reason)

        await self._run(call)
