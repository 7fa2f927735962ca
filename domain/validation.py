"""Service parameters a customer types: a licence's IPv4 address, a certificate's domain name, a name."""

from __future__ import annotations

import ipaddress
import re

import idna

from domain.errors import InvalidInput

MAX_NAME = 64
_LABEL = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_SHARED = ipaddress.IPv4Network("100.64.0.0/10")  # carrier-grade NAT
_BENCHMARK = ipaddress.IPv4Network("198.18.0.0/15")
_DOCUMENTATION = [ipaddress.IPv4Network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]


def public_ipv4(text: str) -> str:
    """A public unicast IPv4 address, or InvalidInput saying what is wrong with it."""
    value = text.strip()
    try:
        address = ipaddress.IPv4Address(value)
    except ValueError:
        if ":" in value:
            raise InvalidInput("ip-error-ipv6", value=value) from None
        raise InvalidInput("ip-error-malformed", value=value) from None
    checks = [
        (address.is_unspecified, "ip-error-unspecified"),
        (address.is_loopback, "ip-error-loopback"),
        (address.is_link_local, "ip-error-link-local"),
        (address.is_multicast, "ip-error-multicast"),
        (address == ipaddress.IPv4Address("255.255.255.255"), "ip-error-broadcast"),
        (address in _SHARED, "ip-error-shared"),
        (any(address in net for net in _DOCUMENTATION), "ip-error-documentation"),
        (address in _BENCHMARK, "ip-error-reserved"),
        (address.is_reserved, "ip-error-reserved"),
        (address.is_private, "ip-error-private"),
        (not address.is_global, "ip-error-reserved"),
    ]
    for failed, message_id in checks:
        if failed:
            raise InvalidInput(message_id, value=str(address))
    return str(address)


def domain_name(text: str, *, wildcard: bool) -> str:
    """A certificate's domain in ASCII (IDN converted to punycode); a wildcard certificate needs `*.`
    as the whole leftmost label, any other certificate must not have one."""
    value = text.strip().rstrip(".").lower()
    if value.startswith(("http://", "https://")) or "/" in value:
        raise InvalidInput("domain-error-url", value=text.strip())
    is_wildcard = value.startswith("*.")
    if wildcard and not is_wildcard:
        raise InvalidInput("domain-error-wildcard-needed", value=value)
    if not wildcard and "*" in value:
        raise InvalidInput("domain-error-wildcard-not-allowed", value=value)
    base = value[2:] if is_wildcard else value
    if "*" in base:
        raise InvalidInput("domain-error-wildcard-position", value=value)
    try:
        ascii_name = idna.encode(base, uts46=True).decode("ascii")
    except (idna.IDNAError, UnicodeError):
        raise InvalidInput("domain-error-malformed", value=value) from None
    labels = ascii_name.split(".")
    if len(ascii_name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InvalidInput("domain-error-malformed", value=value)
    if labels[-1].isdigit():
        raise InvalidInput("domain-error-ip", value=value)
    if is_wildcard and len(labels) < 2:
        raise InvalidInput("domain-error-malformed", value=value)
    return ("*." if is_wildcard else "") + ascii_name


def display_domain(ascii_name: str) -> str:
    """The domain as the customer typed it (Unicode for IDN)."""
    prefix = "*." if ascii_name.startswith("*.") else ""
    try:
        return prefix + idna.decode(ascii_name.removeprefix("*."))
    except idna.IDNAError:
        return ascii_name


def service_name(text: str) -> str:
    value = " ".join(text.split())
    if not value:
        raise InvalidInput("name-error-empty")
    if len(value) > MAX_NAME:
        raise InvalidInput("name-error-too-long", max=MAX_NAME, length=len(value))
    return value
