"""The ACME tests' world: Pebble (skipped with the reason when its binary is absent; CI installs it), a DNS server
that the bot's resolver and Pebble's validation both ask, a web server answering HTTP-01 for any domain, and a
unit of work whose CA is Pebble through the real adapter."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset
import pytest
from aiohttp import web
from sqlalchemy import select

from bot.certificates import ValidationJobs
from bot.config import PROJECT_ROOT
from domain import dcv
from domain.acme.client import AcmeClient
from domain.certificates import SslSettings
from domain.clock import FrozenClock
from domain.crypto import Cipher
from domain.models import LedgerEntry, User
from domain.unit import DomainContext, unit_of_work
from tests.acme.pebble import Pebble, free_port, start_pebble
from tests.local_dns import LocalDns


class AcmeDns(LocalDns):
    """TXT records as LocalDns, plus A records (so Pebble reaches the web server), and TXT records that vanish
    after being read `vanish_after[name]` times (the customer removing a record between the check and the CA)."""

    def __init__(self) -> None:
        super().__init__()
        self.a: dict[str, str] = {}
        self.vanish_after: dict[str, int] = {}

    def datagram_received(self, data: bytes, addr: Any) -> None:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        if question.rdtype == dns.rdatatype.TXT and name in self.vanish_after:
            self.vanish_after[name] -= 1
            if self.vanish_after[name] < 0:
                self.txt.pop(name, None)
        if name not in self.txt and name not in self.a:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT and name in self.txt:
            response.answer.append(dns.rrset.from_text_list(
                question.name, 60, dns.rdataclass.IN, dns.rdatatype.TXT, [f'"{v}"' for v in self.txt[name]]))
        elif question.rdtype == dns.rdatatype.A and name in self.a:
            response.answer.append(dns.rrset.from_text_list(
                question.name, 60, dns.rdataclass.IN, dns.rdatatype.A, [self.a[name]]))
        assert self._transport is not None
        self._transport.sendto(response.to_wire(), addr)


class ChallengeSite:
    """The customers' web sites: /.well-known/acme-challenge/<token> of any host, from `files[(host, token)]`."""

    def __init__(self) -> None:
        self.files: dict[tuple[str, str], str] = {}
        self.requests: list[tuple[str, str]] = []
        self.port = 0

    async def serve(self, request: web.Request) -> web.Response:
        host = request.host.split(":")[0].lower()
        token = request.match_info["token"]
        self.requests.append((host, token))
        if (host, token) not in self.files:
            return web.Response(status=404)
        return web.Response(text=self.files[(host, token)])


class LocalFetcher(dcv.AiohttpFetcher):
    """The bot's real HTTP fetch, with every host taken to the local web server (as DNS would for a real site)."""

    def __init__(self, port: int) -> None:
        super().__init__(timeout=5)
        self._port = port

    async def get(self, url: str) -> tuple[int, str]:
        host, _, path = url.removeprefix("http://").partition("/")
        try:
            async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as session, \
                    session.get(f"http://127.0.0.1:{self._port}/{path}", headers={"Host": host},
                                allow_redirects=False) as response:
                return response.status, (await response.content.read(dcv.MAX_BODY)).decode(errors="replace")
        except aiohttp.ClientError:
            raise dcv.LookupFailed("unreachable") from None


@pytest.fixture(scope="session")
def pebble_binary() -> str:
    binary = shutil.which("pebble")
    if binary is None:
        pytest.skip("the pebble binary is not installed (apt-get install pebble); .ci/run installs it")
    return binary


@pytest.fixture
async def acme_dns() -> AsyncIterator[AcmeDns]:
    import asyncio

    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(AcmeDns, local_addr=("127.0.0.1", 0))
    yield protocol
    protocol.close()


@pytest.fixture
async def site() -> AsyncIterator[ChallengeSite]:
    site = ChallengeSite()
    app = web.Application()
    app.router.add_get("/.well-known/acme-challenge/{token}", site.serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site.port = free_port()
    await web.TCPSite(runner, "127.0.0.1", site.port).start()
    yield site
    await runner.cleanup()


@pytest.fixture
def pebble(pebble_binary: str, tmp_path: Path, acme_dns: AcmeDns, site: ChallengeSite) -> Iterator[Pebble]:
    server = start_pebble(tmp_path, acme_dns.port, site.port)
    yield server
    server.stop()


@pytest.fixture
def clock() -> FrozenClock:
    """Pebble signs in real time; the bot's clock starts there and is moved by the tests."""
    return FrozenClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def ca(pebble: Pebble) -> AcmeClient:
    return AcmeClient(pebble.directory_url, name="pebble", trusted=False, ca_bundle=pebble.ca_bundle, timeout=10)


@pytest.fixture
def cipher() -> Cipher:
    return Cipher.generate()


@pytest.fixture
def context(clock: FrozenClock, cipher: Cipher, ca: AcmeClient, acme_dns: AcmeDns,
            site: ChallengeSite) -> DomainContext:
    ssl = SslSettings(ca=ca, resolver=dcv.DnsPythonResolver([("127.0.0.1", acme_dns.port)], timeout=2),
                      fetcher=LocalFetcher(site.port), acme_email="ops@vendor.example.com")
    return DomainContext(clock=clock, cipher=cipher, ssl=ssl)


@pytest.fixture
def unit(sessions: Any, context: DomainContext) -> Callable[[], Any]:
    return lambda: unit_of_work(sessions, context)


@pytest.fixture
def jobs(unit: Callable[[], Any]) -> ValidationJobs:
    return ValidationJobs(unit)


@pytest.fixture
async def shop(unit: Callable[[], Any], clock: FrozenClock) -> None:
    async with unit() as domain:
        domain.session.add(User(id=1, first_name="U1", created_at=clock.now(), last_seen_at=clock.now(),
                                time_zone="UTC", reachable=True))
        text = (PROJECT_ROOT / "catalogue" / "catalogue.toml").read_text(encoding="utf-8")
        await domain.catalogue.sync(text, ("en", "ru"))


async def buy_ssl(unit: Callable[[], Any], domain_name: str, tariff: str = "dv") -> int:
    async with unit() as domain:
        chosen = next(t for t in await domain.catalogue.tariffs("ssl") if t.code == tariff)
        price = await domain.catalogue.price(chosen, 12)
        count = len(list(await domain.session.scalars(select(LedgerEntry))))
        await domain.ledger.post(1, "adjustment", price.total, f"test:{count}")
        await domain.orders.add_to_cart(1, chosen.id, 12, {"domain": domain_name})
        return int((await domain.orders.checkout(1)).services[0].id)
