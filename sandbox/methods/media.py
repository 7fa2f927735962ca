"""Photos, documents, media groups and file downloads."""

from __future__ import annotations

import mimetypes
import secrets
from typing import TYPE_CHECKING, Any

import aiohttp

from sandbox.errors import bad_request
from sandbox.images import image_size, image_type, photo_sizes, reencoding_available
from sandbox.methods.common import api, caption, new_bot_message, target_chat, thread_id
from sandbox.methods.registry import method
from sandbox.models import StoredFile
from sandbox.params import Params, Upload
from sandbox.world import World

if TYPE_CHECKING:
    from sandbox.core import Core

WRONG_FILE = "wrong file identifier/HTTP URL specified"


def store_upload(world: World, kind: str, content: bytes, file_name: str | None, mime_type: str | None, *,
                 strict: bool = True, reencode: bool = True) -> StoredFile:
    """Keep an uploaded file the way Telegram would: photos are checked, measured and (`reencode`) stored as
    JPEGs in several sizes; the StoredFile returned is the largest.

    `strict=False` (user uploads) accepts photos that are no readable image, as 0x0 and as uploaded.
    """
    if not content:
        raise bad_request("file must be non-empty")
    if kind == "photo":
        return _store_photo(world, content, strict=strict, reencode=reencode)
    mime = mime_type if mime_type and mime_type != "application/octet-stream" else None
    if mime is None and file_name:
        mime = mimetypes.guess_type(file_name)[0]
    return world.store_file(content, kind, file_name=file_name, mime_type=mime or "application/octet-stream")


def _store_photo(world: World, content: bytes, *, strict: bool, reencode: bool) -> StoredFile:
    size = image_size(content)
    if size is None and strict:
        raise bad_request("IMAGE_PROCESS_FAILED")
    if size is not None and strict:
        width, height = size
        if width + height > 10000 or max(width, height) > 20 * max(min(width, height), 1):
            raise bad_request("PHOTO_INVALID_DIMENSIONS")
    encoded = photo_sizes(content) if reencode else None
    if encoded is None and strict and reencode and reencoding_available():
        raise bad_request("IMAGE_PROCESS_FAILED")  # the header looked right, the image did not decode
    if encoded is None:
        width, height = size or (0, 0)
        mime = (image_type(content) or ("application/octet-stream", ""))[0]
        return world.store_file(content, "photo", mime_type=mime, width=width, height=height)
    stored = [world.store_file(s.content, "photo", mime_type=s.mime_type, width=s.width, height=s.height)
              for s in encoded]
    for item in stored:
        item.sizes = stored
    stored[-1].original = content
    return stored[-1]


async def _download(url: str) -> Upload:
    try:
        async with aiohttp.ClientSession() as session, session.get(url, timeout=aiohttp.ClientTimeout(10)) as resp:
            if resp.status != 200:
                raise bad_request("failed to get HTTP URL content")
            name = url.rstrip("/").rsplit("/", 1)[-1] or "file"
            return Upload(name, await resp.read(), resp.headers.get("Content-Type"))
    except aiohttp.ClientError:
        raise bad_request("failed to get HTTP URL content") from None


async def input_file(core: Core, p: Params, value: Any, field: str, kind: str) -> StoredFile:
    """Resolve an InputFile: an upload, attach://name, a file_id or an HTTP URL."""
    upload = p.uploads.get(field)
    if upload is None and isinstance(value, str) and value.startswith("attach://"):
        upload = p.uploads.get(value[len("attach://") :])
        if upload is None:
            raise bad_request(f"file {value} not found")
    if upload is None and isinstance(value, str) and value.lower().startswith(("http://", "https://")):
        upload = await _download(value)
    if upload is not None:
        return store_upload(core.world, kind, upload.content, upload.filename, upload.content_type,
                            reencode=core.config.reencode_photos)
    if not isinstance(value, str) or not value:
        raise bad_request(f"there is no {kind} in the request")
    stored = core.world.files.get(value)
    if stored is None:
        raise bad_request(WRONG_FILE)
    if (stored.kind == "photo") != (kind == "photo"):
        raise bad_request(f"type of file mismatch: can't use file of type {stored.kind.capitalize()} as "
                          f"{kind.capitalize()}")
    return stored


def _largest(stored: StoredFile) -> StoredFile:
    return stored.sizes[-1] if stored.sizes else stored


def media_content(stored: StoredFile) -> dict[str, Any]:
    if stored.kind == "photo":
        return {"photo": stored.photo()}
    return {"document": stored.document()}


async def _send_file(core: Core, p: Params, kind: str) -> dict[str, Any]:
    chat = target_chat(core, p)
    stored = await input_file(core, p, p.raw(kind), kind, kind)
    formatted = caption(core, p)
    fields: dict[str, Any] = {"content": media_content(stored), "file_ids": [_largest(stored).file_id]}
    if formatted is not None:
        fields.update(caption=formatted.text, caption_entities=formatted.entities, caption_html=formatted.html)
    return api(core, new_bot_message(core, chat, p, **fields))


@method("sendPhoto")
async def send_photo(core: Core, p: Params) -> dict[str, Any]:
    return await _send_file(core, p, "photo")


@method("sendDocument")
async def send_document(core: Core, p: Params) -> dict[str, Any]:
    return await _send_file(core, p, "document")


@method("sendMediaGroup")
async def send_media_group(core: Core, p: Params) -> list[dict[str, Any]]:
    chat = target_chat(core, p)
    media = p.json("media")
    if not isinstance(media, list) or not 2 <= len(media) <= 10:
        raise bad_request("wrong number of media in the album: must be between 2 and 10")
    kinds = {item.get("type") if isinstance(item, dict) else None for item in media}
    if not kinds <= {"photo", "document"}:
        raise bad_request("sandbox media groups support photo and document only")
    if len(kinds) > 1:
        raise bad_request("document can't be mixed with other media types")
    prepared = []
    for item in media:
        stored = await input_file(core, p, item.get("media"), "", item["type"])
        item_params = Params({"caption": item.get("caption"), "parse_mode": item.get("parse_mode"),
                              "caption_entities": item.get("caption_entities")})
        prepared.append((stored, caption(core, item_params)))
    thread_id(core, chat, p)
    core.check_flood(chat, count=len(prepared))
    group_id = str(secrets.randbits(60))
    messages = []
    for stored, formatted in prepared:
        fields: dict[str, Any] = {"content": media_content(stored), "file_ids": [_largest(stored).file_id],
                                  "media_group_id": group_id}
        if formatted is not None:
            fields.update(caption=formatted.text, caption_entities=formatted.entities, caption_html=formatted.html)
        album_params = Params({**p.values, "reply_markup": None})
        messages.append(api(core, new_bot_message(core, chat, album_params, flood=False, **fields)))
    return messages


@method("getFile")
def get_file(core: Core, p: Params) -> dict[str, Any]:
    file_id = p.str("file_id") or ""
    stored = core.world.files.get(file_id)
    if stored is None:
        raise bad_request("invalid file_id")
    return stored.to_file_api()
