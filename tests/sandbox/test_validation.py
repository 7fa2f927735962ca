"""Telegram's validation: aiogram raises the same exception types with the same descriptions."""

from __future__ import annotations

import json

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.methods import GetMe
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, ReplyKeyboardMarkup

from sandbox import Sandbox, UserDriver
from tests.sandbox.conftest import close_bot, make_bot

pytestmark = pytest.mark.usefixtures("ann")


@pytest.fixture
async def ann(sb: Sandbox) -> UserDriver:
    return await sb.user(id=1001, first_name="Ann", username="ann")


def keyboard(**button: object) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="B", **button)]])  # type: ignore[arg-type]


async def bad(bot: Bot, description: str, **send: object) -> None:
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_message(chat_id=send.pop("chat_id", 1001), **send)  # type: ignore[arg-type]
    assert caught.value.message == f"Bad Request: {description}"


async def test_get_me(bot: Bot, sb: Sandbox) -> None:
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.username, me.first_name) == (123456789, True, "client_area_bot", "Sandbox Bot")


async def test_wrong_token_is_unauthorized(sb: Sandbox) -> None:
    other = make_bot(sb, token="987654321:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1")
    try:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await other.get_me()
    finally:
        await close_bot(other)


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    class Unknown(GetMe):
        __api_method__ = "sendTelepathy"

    with pytest.raises(TelegramNotFound, match="Not Found"):
        await bot(Unknown())


async def test_method_names_are_case_insensitive(sb: Sandbox) -> None:
    async with aiohttp.ClientSession() as http, http.get(f"{sb.url}/bot{sb.token}/GETME") as resp:
        body = await resp.json()
    assert body["ok"] and body["result"]["username"] == "client_area_bot"


async def test_error_body_shape(sb: Sandbox) -> None:
    async with aiohttp.ClientSession() as http, http.post(f"{sb.url}/bot{sb.token}/sendMessage",
                                                          json={"chat_id": 1001, "text": ""}) as resp:
        assert resp.status == 400
        body = await resp.json()
    assert body == {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}


async def test_text_length(bot: Bot) -> None:
    await bad(bot, "message text is empty", text="   ")
    await bad(bot, "message text is empty", text="<b></b>", parse_mode="HTML")
    await bad(bot, "message is too long", text="x" * 4097)
    assert (await bot.send_message(1001, "x" * 4096)).text == "x" * 4096
    assert (await bot.send_message(1001, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")).text == "x" * 4096


async def test_caption_length(bot: Bot) -> None:
    from aiogram.types import BufferedInputFile

    from sandbox import make_png

    with pytest.raises(TelegramBadRequest, match="Bad Request: message caption is too long"):
        await bot.send_photo(1001, BufferedInputFile(make_png(), "p.png"), caption="c" * 1025)


async def test_html_errors(bot: Bot) -> None:
    await bad(bot, 'can\'t parse entities: Unsupported start tag "foo" at byte offset 0', text="<foo>x</foo>",
              parse_mode="HTML")
    await bad(bot, 'can\'t parse entities: Can\'t find end tag corresponding to start tag "b"', text="<b>bold",
              parse_mode="HTML")
    await bad(bot, 'can\'t parse entities: Unmatched end tag at byte offset 8, expected "</i>", found "</b>"',
              text="<b>x<i>y</b></i>", parse_mode="HTML")
    await bad(bot, "can't parse entities: Unexpected end tag at byte offset 1", text="x</b>", parse_mode="HTML")
    await bad(bot, "can't parse entities: Unclosed start tag at byte offset 2", text="a <b", parse_mode="HTML")


async def test_markdown_v2_errors(bot: Bot) -> None:
    await bad(bot, "can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'",
              text="Version 1.0", parse_mode="MarkdownV2")
    await bad(bot, "can't parse entities: Can't find end of Bold entity at byte offset 0", text="*bold",
              parse_mode="MarkdownV2")
    message = await bot.send_message(1001, "*bold* \\. _it_", parse_mode="MarkdownV2")
    assert message.text == "bold . it"


async def test_unsupported_parse_mode(bot: Bot) -> None:
    await bad(bot, "unsupported parse_mode", text="x", parse_mode="BBCode")


async def test_html_entities_and_offsets(bot: Bot, sb: Sandbox, ann: UserDriver) -> None:
    html = ('😀 <b>жир</b> &lt;tag&gt; <a href="https://example.com">link</a> '
            '<pre><code class="language-py">x</code></pre>')
    message = await bot.send_message(1001, html, parse_mode="HTML")
    assert message.text == "😀 жир <tag> link x"
    kinds = [(e.type, e.offset, e.length) for e in message.entities or []]
    assert kinds == [("bold", 3, 3), ("text_link", 13, 4), ("pre", 18, 1)]
    assert message.entities is not None and message.entities[2].language == "py"
    assert ann.screen.html == html


async def test_callback_data_limits(bot: Bot) -> None:
    await bad(bot, "BUTTON_DATA_INVALID", text="x", reply_markup=keyboard(callback_data="x" * 65))
    await bad(bot, "BUTTON_DATA_INVALID", text="x", reply_markup=keyboard(callback_data="ж" * 33))
    await bot.send_message(1001, "x", reply_markup=keyboard(callback_data="x" * 64))


async def test_keyboard_shape(sb: Sandbox) -> None:
    cases = [
        ({"inline_keyboard": [{"text": "a", "callback_data": "a"}]},
         'field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'),
        ({"inline_keyboard": [[["nested"]]]},
         "can't parse inline keyboard button: InlineKeyboardButton must be an Object"),
        ({"inline_keyboard": [[{"text": "a"}]]},
         "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"),
        ({"inline_keyboard": [[{"text": "a", "callback_data": "a", "url": "https://x.org"}]]},
         "can't parse inline keyboard button: InlineKeyboardButton must have exactly one of the fields "
         "callback_data, url"),
        ({"inline_keyboard": [[{"text": "a", "url": "ftp://x"}]]}, "BUTTON_URL_INVALID"),
        ({"keyboard": "no"}, 'field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays'),
        ("not json", "can't parse reply keyboard markup JSON object"),
    ]
    async with aiohttp.ClientSession() as http:
        for markup, description in cases:
            payload = {"chat_id": "1001", "text": "x",
                       "reply_markup": markup if isinstance(markup, str) else json.dumps(markup)}
            async with http.post(f"{sb.url}/bot{sb.token}/sendMessage", data=payload) as resp:
                body = await resp.json()
            assert (resp.status, body["description"]) == (400, f"Bad Request: {description}"), markup


async def test_reply_keyboard_is_shown_to_the_user(bot: Bot, ann: UserDriver) -> None:
    from aiogram.types import KeyboardButton

    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Share phone", request_contact=True)]],
                                 resize_keyboard=True)
    await bot.send_message(1001, "Send your phone", reply_markup=markup)
    assert ann.reply_keyboard[0][0].request_contact
    assert ann.screen.buttons == []


async def test_chat_not_found(bot: Bot) -> None:
    await bad(bot, "chat not found", chat_id=4242, text="x")
    with pytest.raises(TelegramBadRequest, match="Bad Request: chat not found"):
        await bot.get_chat(4242)


async def test_edit_errors(bot: Bot, sb: Sandbox, ann: UserDriver) -> None:
    message = await bot.send_message(1001, "same", reply_markup=keyboard(callback_data="a"))
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.edit_message_text(chat_id=1001, message_id=message.message_id, text="same",
                                    reply_markup=keyboard(callback_data="a"))
    assert caught.value.message == (
        "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
        "as a current content and reply markup of the message")
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to edit not found"):
        await bot.edit_message_text(chat_id=1001, message_id=999, text="x")
    user_message = await ann.send("mine", wait=False)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message can't be edited"):
        await bot.edit_message_text(chat_id=1001, message_id=user_message.message_id, text="x")
    with pytest.raises(TelegramBadRequest, match="Bad Request: there is no caption in the message to edit"):
        await bot.edit_message_caption(chat_id=1001, message_id=message.message_id, caption="c")

    edited = await bot.edit_message_reply_markup(chat_id=1001, message_id=message.message_id)
    assert edited.reply_markup is None and edited.edit_date is not None
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=1001, message_id=message.message_id)


async def test_delete(bot: Bot, ann: UserDriver) -> None:
    message = await bot.send_message(1001, "bye")
    assert await bot.delete_message(1001, message.message_id)
    assert all(m.message_id != message.message_id for m in ann.messages)
    with pytest.raises(TelegramBadRequest, match="Bad Request: message to delete not found"):
        await bot.delete_message(1001, message.message_id)
    first, second = (await bot.send_message(1001, "a")), (await bot.send_message(1001, "b"))
    assert await bot.delete_messages(1001, [first.message_id, second.message_id, 999])
    assert ann.messages == []


async def test_blocked_user_is_forbidden(bot: Bot, ann: UserDriver) -> None:
    await ann.block(wait=False)
    with pytest.raises(TelegramForbiddenError) as caught:
        await bot.send_message(1001, "hello?")
    assert caught.value.message == "Forbidden: bot was blocked by the user"
    updates = await bot.get_updates()
    assert updates[-1].my_chat_member is not None
    assert updates[-1].my_chat_member.new_chat_member.status == "kicked"
    await ann.unblock(wait=False)
    await bot.send_message(1001, "welcome back")


async def test_user_who_never_started_the_bot(bot: Bot, sb: Sandbox) -> None:
    await sb.user(id=1005, first_name="Quiet", started=False)
    with pytest.raises(TelegramForbiddenError, match="Forbidden: bot can't initiate conversation with a user"):
        await bot.send_message(1005, "hi")


async def test_get_updates_conflicts_with_webhook(bot: Bot) -> None:
    await bot.set_webhook("http://127.0.0.1:9/hook")
    with pytest.raises(TelegramConflictError) as caught:
        await bot.get_updates()
    assert caught.value.message == (
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")
    await bot.delete_webhook()
    assert await bot.get_updates() == []


async def test_reply_to_missing_message(bot: Bot) -> None:
    await bad(bot, "message to be replied not found", text="x", reply_to_message_id=777)


async def test_copy_and_forward(bot: Bot, sb: Sandbox, ann: UserDriver) -> None:
    original = await ann.send("original", wait=False)
    copied = await bot.copy_message(chat_id=1001, from_chat_id=1001, message_id=original.message_id)
    assert ann.messages[-1].message_id == copied.message_id and ann.messages[-1].text == "original"
    forwarded = await bot.forward_message(chat_id=1001, from_chat_id=1001, message_id=original.message_id)
    assert forwarded.forward_origin is not None and forwarded.forward_origin.type == "user"


async def test_commands_per_scope_and_language(bot: Bot) -> None:
    from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat

    await bot.set_my_commands([BotCommand(command="start", description="Start")])
    await bot.set_my_commands([BotCommand(command="start", description="Старт")], language_code="ru")
    await bot.set_my_commands([BotCommand(command="help", description="Help")], scope=BotCommandScopeChat(chat_id=1001))
    assert [c.description for c in await bot.get_my_commands()] == ["Start"]
    assert [c.description for c in await bot.get_my_commands(language_code="ru")] == ["Старт"]
    assert [c.command for c in await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=1001))] == ["help"]
    assert await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats()) == []
    await bot.delete_my_commands(language_code="ru")
    assert await bot.get_my_commands(language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="Bad Request: BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_menu_button(bot: Bot) -> None:
    from aiogram.types import MenuButtonCommands, MenuButtonWebApp, WebAppInfo

    assert isinstance(await bot.get_chat_menu_button(), MenuButtonCommands)
    await bot.set_chat_menu_button(chat_id=1001, menu_button=MenuButtonWebApp(
        text="Open", web_app=WebAppInfo(url="https://example.com/app")))
    button = await bot.get_chat_menu_button(chat_id=1001)
    assert isinstance(button, MenuButtonWebApp) and button.text == "Open"


async def test_get_chat_and_members(bot: Bot, sb: Sandbox, ann: UserDriver) -> None:
    chat = await bot.get_chat(1001)
    assert chat.type == "private" and chat.first_name == "Ann" and chat.username == "ann"
    member = await bot.get_chat_member(1001, 1001)
    assert member.status == "member"
    group = await sb.group(id=-1001000000001, title="Support", members=[ann], admins=[ann],
                           bot_rights={"can_delete_messages": True})
    admins = await bot.get_chat_administrators(group.id)
    assert [(a.user.id, a.status) for a in admins] == [(1001, "administrator"), (123456789, "administrator")]
    bot_member = await bot.get_chat_member(group.id, 123456789)
    assert bot_member.status == "administrator" and bot_member.can_delete_messages  # type: ignore[union-attr]
    full = await bot.get_chat(group.id)
    assert full.title == "Support" and full.type == "supergroup"


async def test_pins(bot: Bot, ann: UserDriver) -> None:
    message = await bot.send_message(1001, "pin me")
    assert await bot.pin_chat_message(1001, message.message_id)
    assert (await bot.get_chat(1001)).pinned_message.message_id == message.message_id  # type: ignore[union-attr]
    assert await bot.unpin_chat_message(1001)
    with pytest.raises(TelegramBadRequest, match="message to unpin not found"):
        await bot.unpin_chat_message(1001)


async def test_chat_action_location_reaction(bot: Bot, ann: UserDriver) -> None:
    from aiogram.types import ReactionTypeEmoji

    assert await bot.send_chat_action(1001, "typing")
    location = await bot.send_location(1001, latitude=56.95, longitude=24.1)
    assert location.location is not None and location.location.latitude == 56.95
    mine = await ann.send("nice", wait=False)
    assert await bot.set_message_reaction(1001, mine.message_id, [ReactionTypeEmoji(emoji="👍")])
