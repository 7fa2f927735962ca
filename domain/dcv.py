"""Domain control validation: what the customer publishes for each method, and the checks behind two ports.

This module describes the test CA's own validation; an ACME CA names its own records and files
(domain/acme/), looked at with the same `check_txt` / `check_file` before the CA is asked.

DNS: a TXT record `_dnsauth.<domain>` holding the certificate's token. HTTP: a file
`http://<domain>/.well-known/pki-validation/<token>.txt` holding the same token. E-mail: the CA mails an approver
address of the domain (admin@, administrator@, hostmaster@, postmaster@, webmaster@) and the approver confirms.

The resolver and the fetcher are ports, so tests (and a deployment behind a split-horizon DNS) can plug their own;
the shipped ones are dnspython against DNS_RESOLVERS (the system's when empty) and aiohttp with a timeout.
"""

from __future__ import annotations

import asyncio
import ipaddress
from dataclasses import dataclass, field
from typing import Protocol

import aiohttp
import dns.asyncresolver
import dns.exception
import dns.nameserver
import dns.resolver

METHODS = ("dns", "http", "email")
APPROVER_LOCALPARTS = ("admin", "administrator", "hostmaster", "postmaster", "webmaster")
DNS_PREFIX = "_dnsauth"
HTTP_PATH = "/.well-known/pki-validation/"
MAX_BODY = 4096
MAX_SHOWN = 80  # of a wrong answer, enough to recognise it


class LookupFailed(Exception):
    """The check could not be made (no answer, timeout); `reason` is a short code for the customer."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TxtResolver(Protocol):
    async def txt(self, name: str) -> list[str]:
        """Every TXT string at `name`; [] when the name has none; LookupFailed when nobody answers."""
        ...


class HttpFetcher(Protocol):
    async def get(self, url: str) -> tuple[int, str]:
        """The status and the start of the body; LookupFailed when the server cannot be reached."""
        ...


def parse_resolvers(text: str) -> list[tuple[str, int]]:
    """'1.1.1.1, 127.0.0.1:5353, [::1]:53' -> [(address, port), ...]; ValueError naming a bad entry."""
    servers = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        host, port = part, 53
        if part.startswith("["):
            host, _, rest = part[1:].partition("]")
            if rest:
                port = int(rest.removeprefix(":"))
        elif part.count(":") == 1:
            host, _, port_text = part.partition(":")
            port = int(port_text)
        ipaddress.ip_address(host)
        if not 0 < port < 65536:
            raise ValueError(part)
        servers.append((host, port))
    return servers


class DnsPythonResolver:
    """TXT lookups with dnspython: the given name servers, or the system's when none are given."""

    def __init__(self, servers: list[tuple[str, int]] | None = None, timeout: float = 5.0) -> None:
        self._servers = servers or []
        self._timeout = timeout

    def _resolver(self) -> dns.asyncresolver.Resolver:
        if self._servers:
            resolver = dns.asyncresolver.Resolver(configure=False)
            resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port) for host, port in self._servers]
        else:
            try:
                resolver = dns.asyncresolver.Resolver()
            except dns.resolver.NoResolverConfiguration:
                raise LookupFailed("no-resolver") from None
        resolver.lifetime = self._timeout
        resolver.cache = None  # a record just published must be seen at the next check
        return resolver

    async def txt(self, name: str) -> list[str]:
        try:
            answer = await self._resolver().resolve(name, "TXT")
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except dns.exception.Timeout:
            raise LookupFailed("timeout") from None
        except dns.exception.DNSException:
            raise LookupFailed("no-answer") from None
        return [b"".join(rdata.strings).decode(errors="replace")
                for rdata in answer]


class AiohttpFetcher:
    """Redirects are not followed: the host is the customer's to choose, and a redirect could point the bot at an
    internal address whose answer would be shown back as "found"."""

    def __init__(self, timeout: float = 10.0) -> None:
        self._timeout = timeout

    async def get(self, url: str) -> tuple[int, str]:
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self._timeout)) as session, \
                    session.get(url, allow_redirects=False) as response:
                body = await response.content.read(MAX_BODY)
                return response.status, body.decode(errors="replace")
        except TimeoutError:
            raise LookupFailed("timeout") from None
        except aiohttp.ClientError:
            raise LookupFailed("unreachable") from None


@dataclass(frozen=True, slots=True)
class CheckResult:
    """What a check saw next to what it looked for: `found` are the values seen (TXT strings, or the HTTP body's
    first line), `error` why nothing could be seen."""

    ok: bool
    method: str
    where: str
    expected: str
    found: list[str] = field(default_factory=list)
    error: str | None = None
    status: int | None = None


def dns_name(base: str) -> str:
    return f"{DNS_PREFIX}.{base}"


def http_url(base: str, token: str) -> str:
    return f"http://{base}{HTTP_PATH}{token}.txt"


def approvers(base: str) -> list[str]:
    return [f"{local}@{base}" for local in APPROVER_LOCALPARTS]


async def check_txt(resolver: TxtResolver, name: str, expected: str) -> CheckResult:
    """Whether one of the TXT strings at `name` is `expected` (other records may stand beside it)."""
    try:
        found = await resolver.txt(name)
    except LookupFailed as exc:
        return CheckResult(False, "dns", name, expected, error=exc.reason)
    return CheckResult(expected in [v.strip() for v in found], "dns", name, expected, found)


async def check_file(fetcher: HttpFetcher, url: str, expected: str) -> CheckResult:
    """Whether `url` answers 200 with `expected` as its first line (surrounding white space aside)."""
    try:
        status, body = await asyncio.wait_for(fetcher.get(url), timeout=60)
    except (LookupFailed, TimeoutError) as exc:
        return CheckResult(False, "http", url, expected, error=getattr(exc, "reason", "timeout"))
    first = body.strip().splitlines()[0].strip() if body.strip() else ""
    shown = [first[:MAX_SHOWN] if first != expected else first] if first else []
    return CheckResult(status == 200 and first == expected, "http", url, expected, shown, status=status)


async def check_dns(resolver: TxtResolver, base: str, token: str) -> CheckResult:
    return await check_txt(resolver, dns_name(base), token)


async def check_http(fetcher: HttpFetcher, base: str, token: str) -> CheckResult:
    return await check_file(fetcher, http_url(base, token), token)
