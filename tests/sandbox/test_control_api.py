"""The HTTP control API under /sandbox/, driven with a plain aiohttp client."""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, LabeledPrice, Message

from sandbox import Sandbox, make_png
from tests.sandbox.conftest import StartPolling


class Client:
    def __init__(self, http: aiohttp.ClientSession, base: str) -> None:
        self.http, self.base = http, base

    async def call(self, verb: str, path: str, body: dict[str, Any] | None = None,
                   status: int = 200) -> dict[str, Any]:
        async with self.http.request(verb, self.base + path, json=body) as resp:
            data = await resp.json()
            assert resp.status == status, data
            return data


@pytest.fixture
async def api(sb: Sandbox) -> AsyncIterator[Client]:
    async with aiohttp.ClientSession() as http:
        yield Client(http, f"{sb.url}/sandbox")


def demo_bot() -> Dispatcher:
    dp = Dispatcher()
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Go", callback_data="go")]])

    @dp.message(F.text == "/start")
    async def start(message: Message) -> None:
        await message.answer("<b>Menu</b>", parse_mode="HTML", reply_markup=markup)

    @dp.callback_query(F.data == "go")
    async def go(query: CallbackQuery) -> None:
        await query.answer("Going", show_alert=True)

    @dp.message(F.photo | F.document | F.contact | F.location)
    async def media(message: Message) -> None:
        await message.answer(f"got {message.content_type.value}")

    @dp.pre_checkout_query()
    async def checkout(query: Any) -> None:
        await query.answer(ok=True)

    return dp


async def test_users_messages_press_wait(api: Client, sb: Sandbox, start_polling: StartPolling) -> None:
    await start_polling(demo_bot())
    user = await api.call("POST", "/users", {"id": 1001, "first_name": "Ann", "username": "ann",
                                             "language_code": "en"})
    assert user["chat_id"] == 1001 and user["blocked"] is False
    assert [u["id"] for u in (await api.call("GET", "/users"))["users"]] == [1001]

    sent = await api.call("POST", "/users/1001/messages", {"text": "/start"})
    assert set(sent) >= {"update_id", "message_id"}
    await api.call("POST", "/wait", {"update_id": sent["update_id"], "timeout": 5})
    chat = await api.call("GET", "/chats/1001/messages?limit=1")
    last = chat["messages"][-1]
    assert last["from_bot"] and last["text"] == "Menu" and last["html"] == "<b>Menu</b>"
    assert last["reply_markup"]["inline_keyboard"][0][0]["text"] == "Go"
    assert {"message_id", "from", "date"} <= set(last)

    await api.call("POST", "/users/1001/press", {"chat_id": 1001, "message_id": last["message_id"], "text": "Nope"},
                   status=400)
    pressed = await api.call("POST", "/users/1001/press", {"chat_id": 1001, "message_id": last["message_id"],
                                                           "text": "Go"})
    await api.call("POST", "/wait", {"update_id": pressed["update_id"]})
    answer = (await api.call("GET", "/users/1001/callback_answer"))["callback_answer"]
    assert answer["text"] == "Going" and answer["show_alert"] is True
    assert (await api.call("GET", "/chats/1001/messages"))["callback_answer"]["text"] == "Going"
    by_data = await api.call("POST", "/users/1001/press", {"chat_id": 1001, "message_id": last["message_id"],
                                                           "callback_data": "go"})
    await api.call("POST", "/wait", {"update_id": by_data["update_id"]})


async def test_media_messages(api: Client, sb: Sandbox, start_polling: StartPolling) -> None:
    await start_polling(demo_bot())
    await api.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    png = make_png(5, 5)
    bodies = [
        {"photo": base64.b64encode(png).decode(), "caption": "pic"},
        {"document": {"file_name": "a.txt", "content": base64.b64encode(b"abc").decode(), "mime_type": "text/plain"}},
        {"contact": {"phone_number": "+100", "user_id": 1001}},
        {"location": {"latitude": 1.5, "longitude": 2.5}},
    ]
    for body in bodies:
        sent = await api.call("POST", "/users/1001/messages", body)
        await api.call("POST", "/wait", {"update_id": sent["update_id"]})
    messages = (await api.call("GET", "/chats/1001/messages"))["messages"]
    assert [m.get("text") for m in messages if m["from_bot"]] == ["got photo", "got document", "got contact",
                                                                  "got location"]
    photo = messages[0]["photo"]
    assert photo["url"] == f"/sandbox/files/{photo['file_id']}" and messages[0]["caption"] == "pic"
    async with api.http.get(sb.url + photo["url"]) as resp:  # Telegram re-encodes photos to JPEG
        assert resp.content_type == "image/jpeg" and (await resp.read()).startswith(b"\xff\xd8")
    assert (photo["width"], photo["height"]) == (5, 5)
    assert messages[2]["document"]["file_name"] == "a.txt"


async def test_pay_block_groups(api: Client, sb: Sandbox, bot: Bot, start_polling: StartPolling) -> None:
    await start_polling(demo_bot())
    await api.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    await api.call("POST", "/users", {"id": 2001, "first_name": "Sam"})
    invoice = await bot.send_invoice(1001, title="Pro", description="Year", payload="p", currency="XTR",
                                     prices=[LabeledPrice(label="Pro", amount=5)])
    result = await api.call("POST", "/users/1001/pay", {"chat_id": 1001, "message_id": invoice.message_id})
    assert result["status"] == "paid" and result["telegram_payment_charge_id"]
    await api.call("POST", "/wait", {"update_id": result["payment_update_id"]})

    blocked = await api.call("POST", "/users/1001/block")
    assert blocked["blocked"] is True
    assert (await api.call("GET", "/users"))["users"][0]["blocked"] is True
    assert (await api.call("POST", "/users/1001/unblock"))["blocked"] is False

    group = await api.call("POST", "/groups", {"id": -1001234567890, "title": "Support", "forum": True,
                                               "members": [2001], "admins": [2001],
                                               "bot_rights": {"can_manage_topics": True}})
    assert group["forum"] is True
    topic = await bot.create_forum_topic(-1001234567890, "Ticket")
    groups = (await api.call("GET", "/groups"))["groups"]
    assert groups[0]["topics"][0]["name"] == "Ticket"
    sent = await api.call("POST", "/users/2001/messages", {"text": "on it", "chat_id": -1001234567890,
                                                           "message_thread_id": topic.message_thread_id})
    await api.call("POST", "/wait", {"update_id": sent["update_id"]})
    thread = await api.call("GET", f"/chats/-1001234567890/messages?message_thread_id={topic.message_thread_id}")
    assert [m.get("text") for m in thread["messages"]] == [None, "on it"]


async def test_faults_requests_reset(api: Client, sb: Sandbox, bot: Bot) -> None:
    fault = await api.call("POST", "/faults", {"method": "getMe", "code": 500, "count": 1})
    assert fault["fault"]["code"] == 500
    assert len((await api.call("GET", "/faults"))["faults"]) == 1
    await api.call("POST", "/faults", {"bogus": 1}, status=400)
    await api.call("DELETE", "/faults")
    await bot.get_me()
    log = await api.call("GET", "/requests")
    assert log["method_counts"] == {"getMe": 1} and log["requests"][0]["ok"] is True
    await api.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    await api.call("POST", "/reset")
    assert (await api.call("GET", "/users"))["users"] == []


async def test_errors_are_clear(api: Client, sb: Sandbox) -> None:
    assert "no user 5" in (await api.call("POST", "/users/5/messages", {"text": "x"}, status=400))["error"]
    await api.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    error = await api.call("POST", "/users/1001/messages", {"sticker": "x"}, status=400)
    assert "text, contact, photo, document, location" in error["error"]
    sent = await api.call("POST", "/users/1001/messages", {"text": "nobody polls"})
    timeout = await api.call("POST", "/wait", {"update_id": sent["update_id"], "timeout": 0.1}, status=408)
    assert "did not take" in timeout["error"]
