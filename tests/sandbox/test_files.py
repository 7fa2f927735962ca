"""Uploads by the bot and by users, file_id re-sending, getFile and downloads."""

from __future__ import annotations

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputMediaDocument, InputMediaPhoto

from sandbox import Sandbox, UserDriver, make_png


@pytest.fixture
async def ann(sb: Sandbox) -> UserDriver:
    return await sb.user(id=1001, first_name="Ann")


async def download(sb: Sandbox, file_path: str) -> bytes:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/file/bot{sb.token}/{file_path}") as resp:
        assert resp.status == 200
        return await resp.read()


async def test_bot_photo_upload_and_resend(sb: Sandbox, bot: Bot, ann: UserDriver) -> None:
    png = make_png(40, 30)
    message = await bot.send_photo(1001, BufferedInputFile(png, "chart.png"), caption="<b>Chart</b>",
                                   parse_mode="HTML")
    assert message.photo is not None and (message.photo[-1].width, message.photo[-1].height) == (40, 30)
    assert message.caption == "Chart" and ann.screen is not None and ann.screen.html == "<b>Chart</b>"
    assert ann.screen.file_bytes().startswith(b"\xff\xd8") and ann.screen.uploaded_bytes() == png

    again = await bot.send_photo(1001, message.photo[-1].file_id)
    assert again.photo is not None and again.photo[-1].file_unique_id == message.photo[-1].file_unique_id

    file = await bot.get_file(message.photo[-1].file_id)
    assert file.file_path is not None and file.file_path.endswith(".jpg")
    assert file.file_size == len(ann.screen.file_bytes())
    assert await download(sb, file.file_path) == ann.screen.file_bytes()


async def test_bot_document_and_caption_edit(sb: Sandbox, bot: Bot, ann: UserDriver) -> None:
    message = await bot.send_document(1001, BufferedInputFile(b"%PDF-1.4 data", "invoice.pdf"), caption="v1")
    assert message.document is not None
    assert (message.document.file_name, message.document.mime_type) == ("invoice.pdf", "application/pdf")
    edited = await bot.edit_message_caption(chat_id=1001, message_id=message.message_id, caption="v2")
    assert edited.caption == "v2" and ann.screen is not None and ann.screen.caption == "v2"
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await bot.edit_message_text("x", chat_id=1001, message_id=message.message_id)


async def test_user_uploads_are_downloadable(sb: Sandbox, bot: Bot, ann: UserDriver) -> None:
    await ann.send_document(b"hello world", "notes.txt", wait=False)
    await ann.send_photo(make_png(8, 8), caption="look", wait=False)
    updates = await bot.get_updates()
    document = updates[0].message.document  # type: ignore[union-attr]
    photo = updates[1].message.photo  # type: ignore[union-attr]
    assert document is not None and document.mime_type == "text/plain"
    assert photo is not None and photo[-1].width == 8
    file = await bot.get_file(document.file_id)
    assert await download(sb, file.file_path or "") == b"hello world"
    destination = await bot.download(photo[-1].file_id)
    assert destination is not None and destination.read() == ann.messages[-1].file_bytes()
    assert ann.messages[-1].uploaded_bytes() == make_png(8, 8)


async def test_media_group(sb: Sandbox, bot: Bot, ann: UserDriver) -> None:
    media = [InputMediaPhoto(media=BufferedInputFile(make_png(), "a.png"), caption="first"),
             InputMediaPhoto(media=BufferedInputFile(make_png(3, 3), "b.png"))]
    messages = await bot.send_media_group(1001, media)
    assert len(messages) == 2 and messages[0].media_group_id == messages[1].media_group_id
    assert messages[0].caption == "first" and len(ann.messages) == 2
    with pytest.raises(TelegramBadRequest, match="document can't be mixed"):
        await bot.send_media_group(1001, [InputMediaPhoto(media=messages[0].photo[-1].file_id),  # type: ignore[index]
                                          InputMediaDocument(media=BufferedInputFile(b"x", "x.txt"))])


async def test_file_errors(sb: Sandbox, bot: Bot, ann: UserDriver) -> None:
    with pytest.raises(TelegramBadRequest, match="Bad Request: wrong file identifier/HTTP URL specified"):
        await bot.send_photo(1001, "AgACnot-a-file")
    with pytest.raises(TelegramBadRequest, match="Bad Request: IMAGE_PROCESS_FAILED"):
        await bot.send_photo(1001, BufferedInputFile(b"not an image", "x.png"))
    with pytest.raises(TelegramBadRequest, match="Bad Request: invalid file_id"):
        await bot.get_file("nope")
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/file/bot{sb.token}/photos/none.jpg") as resp:
        assert resp.status == 404
