"""How the app's Bot API calls travel: one JSON body unless a file is uploaded, a shared keyboard converted once."""

from __future__ import annotations

from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import create_bot


async def test_calls_go_as_json_and_uploads_as_multipart(sandbox, settings) -> None:
    ann = await sandbox.user(id=1001, first_name="Ann")
    bot = create_bot(settings)
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Menu", callback_data="m:home")]])
    try:
        for text in ("first", "second"):  # the same keyboard object twice: converted once, sent alike
            await bot.send_message(ann.id, text, reply_markup=markup)
        await bot.send_document(ann.id, BufferedInputFile(b"hello", "hello.txt"), reply_markup=markup)
    finally:
        await bot.session.close()

    first, second = sandbox.calls("sendMessage")
    expected = {"inline_keyboard": [[{"text": "Menu", "callback_data": "m:home"}]]}
    assert first.params["reply_markup"] == second.params["reply_markup"] == expected  # an object: a JSON body
    assert first.params["parse_mode"] == "HTML" and first.params["link_preview_options"] == {"is_disabled": True}
    assert first.params["chat_id"] == 1001  # a number, not the text of one
    [upload] = sandbox.calls("sendDocument")
    assert isinstance(upload.params["reply_markup"], str)  # multipart: fields are text
    assert ann.messages[-1].document["file_name"] == "hello.txt" and ann.messages[-1].file_bytes() == b"hello"
    assert [m.button_texts for m in ann.messages] == [["Menu"]] * 3
