"""A tiny authoritative DNS server on 127.0.0.1 for the validation tests: TXT records the test publishes, answered
over UDP with dnspython, so the bot's real resolver (DNS_RESOLVERS) makes a real lookup."""

from __future__ import annotations

import asyncio
from typing import Any

import dns.message
import dns.rcode
import dns.rdataclass
import dns.rdatatype
import dns.rrset


class LocalDns(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.txt: dict[str, list[str]] = {}
        self.queries: list[str] = []
        self._transport: asyncio.DatagramTransport | None = None

    def connection_made(self, transport: Any) -> None:
        self._transport = transport

    def datagram_received(self, data: bytes, addr: Any) -> None:
        query = dns.message.from_wire(data)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text(omit_final_dot=True).lower()
        self.queries.append(name)
        values = self.txt.get(name)
        if values is None:
            response.set_rcode(dns.rcode.NXDOMAIN)
        elif question.rdtype == dns.rdatatype.TXT:
            response.answer.append(dns.rrset.from_text_list(
                question.name, 60, dns.rdataclass.IN, dns.rdatatype.TXT, [f'"{v}"' for v in values]))
        assert self._transport is not None
        self._transport.sendto(response.to_wire(), addr)

    @property
    def port(self) -> int:
        assert self._transport is not None
        return int(self._transport.get_extra_info("sockname")[1])

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()


async def start_dns() -> LocalDns:
    loop = asyncio.get_running_loop()
    _, protocol = await loop.create_datagram_endpoint(LocalDns, local_addr=("127.0.0.1", 0))
    return protocol
