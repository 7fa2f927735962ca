"""Identifiers in Telegram's shapes: tokens, file ids, query ids."""

from __future__ import annotations

import base64
import random
import re
import secrets
import string

TOKEN_RE = re.compile(r"^(\d+):[A-Za-z0-9_-]{35}$")
_ALPHABET = string.ascii_letters + string.digits + "_-"


def generate_token() -> str:
    bot_id = random.randint(10**9, 8 * 10**9)
    return f"{bot_id}:" + "".join(secrets.choice(_ALPHABET) for _ in range(35))


def bot_id_from_token(token: str) -> int:
    head, sep, _ = token.partition(":")
    if not sep or not head.isdigit():
        raise ValueError(f"not a bot token: {token!r}")
    return int(head)


def file_ids(kind: str, serial: int) -> tuple[str, str]:
    """A (file_id, file_unique_id) pair; file_id encodes the kind like Telegram's long base64 ids."""
    raw = f"{kind}:{serial}:".encode() + secrets.token_bytes(18)
    file_id = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    unique = base64.urlsafe_b64encode(f"u{serial}".encode() + secrets.token_bytes(6)).decode().rstrip("=")
    return "AgAC" + file_id, unique


def query_id() -> str:
    return str(secrets.randbits(62))


def charge_id(prefix: str) -> str:
    return prefix + secrets.token_hex(12)
