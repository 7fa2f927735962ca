"""Image dimensions from file headers (PNG, JPEG, GIF, WebP), Telegram-like photo sizes, a tiny PNG maker.

Telegram re-encodes every photo to JPEG and offers it in several sizes (longest side 90, 320, 800, 1280, 2560
px, never upscaled). The sandbox does the same with Pillow when it can import it (the project gets it through
fpdf2; the sandbox declares no dependency of its own); without Pillow, or for a "photo" Pillow cannot decode,
the photo is kept as uploaded, in one size, under its real type.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass

try:  # optional: see the module docstring
    from PIL import Image
except ImportError:  # pragma: no cover - depends on the environment
    Image = None

PHOTO_BOXES = (90, 320, 800, 1280, 2560)
JPEG_QUALITY = 87
_TYPES = (
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"\xff\xd8", "image/jpeg", ".jpg"),
    (b"GIF87a", "image/gif", ".gif"),
    (b"GIF89a", "image/gif", ".gif"),
)


@dataclass(frozen=True)
class PhotoSize:
    content: bytes
    width: int
    height: int
    mime_type: str


def image_type(data: bytes) -> tuple[str, str] | None:
    """(MIME type, file extension) of a PNG, JPEG, GIF or WebP, from its first bytes."""
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp", ".webp"
    for magic, mime, suffix in _TYPES:
        if data.startswith(magic):
            return mime, suffix
    return None


def reencoding_available() -> bool:
    return Image is not None


def photo_sizes(data: bytes) -> list[PhotoSize] | None:
    """JPEG versions of an image, smallest first, the way Telegram stores a photo; None when that cannot be done
    here (no Pillow, or not an image Pillow reads)."""
    if Image is None:
        return None
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.seek(0)
            picture = opened.convert("RGBA")
    except Exception:
        return None
    flat = Image.new("RGB", picture.size, (255, 255, 255))
    flat.paste(picture, mask=picture.getchannel("A"))
    width, height = flat.size
    longest = max(width, height)
    boxes = [box for box in PHOTO_BOXES if box < longest]
    if longest <= PHOTO_BOXES[-1]:
        boxes.append(longest)
    else:
        boxes.append(PHOTO_BOXES[-1])
    sizes = []
    for box in boxes:
        scale = box / longest
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        resized = flat if size == flat.size else flat.resize(size, Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        resized.save(buffer, "JPEG", quality=JPEG_QUALITY)
        sizes.append(PhotoSize(buffer.getvalue(), size[0], size[1], "image/jpeg"))
    return sizes


def image_size(data: bytes) -> tuple[int, int] | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return width, height
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return _webp_size(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            pos += 2
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


def make_png(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid solid-colour PNG, handy as a photo in tests."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(row * height))
            + chunk(b"IEND", b""))
