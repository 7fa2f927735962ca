"""What an uploaded avatar may be: a PNG, JPEG or WebP of sensible size, recognised by its bytes, not its name."""

from __future__ import annotations

import struct

from domain.errors import InvalidInput

MAX_AVATAR_BYTES = 5 * 1024 * 1024
MIN_SIDE = 32
MAX_SIDE = 4096


def image_kind(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def image_size(data: bytes, kind: str) -> tuple[int, int] | None:
    if kind == "image/png":
        if data[12:16] == b"IHDR" and len(data) >= 24:
            return struct.unpack(">II", data[16:24])
        return None
    if kind == "image/webp":
        return _webp_size(data)
    return _jpeg_size(data)


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01, 0xFF) or 0xD0 <= marker <= 0xD7:
            pos += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[pos + 2 : pos + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return None


def check_image(data: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of an acceptable avatar, or InvalidInput saying what is wrong."""
    if len(data) > MAX_AVATAR_BYTES:
        raise InvalidInput("settings-avatar-too-big", limit_mb=MAX_AVATAR_BYTES // (1024 * 1024))
    kind = image_kind(data)
    size = image_size(data, kind) if kind else None
    if kind is None or size is None:
        raise InvalidInput("settings-avatar-not-image")
    width, height = size
    if min(width, height) < MIN_SIDE or max(width, height) > MAX_SIDE:
        raise InvalidInput("settings-avatar-bad-size", min=MIN_SIDE, max=MAX_SIDE)
    return kind, width, height
