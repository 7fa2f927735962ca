"""Reply keyboard buttons that ask for something: contact, location, users, a chat; through the control API."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox import Sandbox
from tests.sandbox.http import BotHttp, Control


@pytest.fixture
async def people(ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann", "phone_number": "+37120000001"})
    await ctl.call("POST", "/users", {"id": 1002, "first_name": "Bob", "last_name": "Brown", "username": "bob"})
    await ctl.call("POST", "/users", {"id": 1003, "first_name": "Cy", "is_premium": True})


async def keyboard(tg: BotHttp, *buttons: dict[str, Any], **markup: Any) -> None:
    await tg.call("sendMessage", chat_id=1001, text="choose",
                  reply_markup={"keyboard": [[dict(button) for button in buttons]], **markup})


async def last_message(tg: BotHttp, update_id: int) -> dict[str, Any]:
    update = (await tg.updates())[-1]
    assert update["update_id"] == update_id
    return update["message"]


async def test_contact_and_location_buttons_send_what_they_ask_for(tg: BotHttp, ctl: Control, people: None) -> None:
    await keyboard(tg, {"text": "📞 Share phone", "request_contact": True},
                   {"text": "📍 Where am I", "request_location": True}, {"text": "Plain"})
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "📞 Share phone"})
    message = await last_message(tg, pressed["update_id"])
    assert "text" not in message
    assert message["contact"] == {"phone_number": "+37120000001", "first_name": "Ann", "user_id": 1001}

    pressed = await ctl.call("POST", "/users/1001/press", {"text": "📍 Where am I",
                                                           "location": {"latitude": 56.95, "longitude": 24.1}})
    assert (await last_message(tg, pressed["update_id"]))["location"] == {"latitude": 56.95, "longitude": 24.1}
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "📍 Where am I"})
    assert (await last_message(tg, pressed["update_id"]))["location"] == {"latitude": 0.0, "longitude": 0.0}
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "Plain"})
    assert (await last_message(tg, pressed["update_id"]))["text"] == "Plain"

    # A user without a phone of their own shares a made-up but plausible one; another can be given.
    await tg.call("sendMessage", chat_id=1002, text="phone?",
                  reply_markup={"keyboard": [[{"text": "Phone", "request_contact": True}]], "one_time_keyboard": True})
    assert (await ctl.call("GET", "/users"))["users"][1]["phone_number"] == "+15550001002"
    pressed = await ctl.call("POST", "/users/1002/press", {"text": "Phone"})
    contact = (await last_message(tg, pressed["update_id"]))["contact"]
    assert contact == {"phone_number": "+15550001002", "first_name": "Bob", "last_name": "Brown", "user_id": 1002}
    assert (await ctl.call("GET", "/chats/1002/messages"))["reply_keyboard"] is None  # one-time: gone once used


async def test_users_picked_for_request_users(sb: Sandbox, tg: BotHttp, ctl: Control, people: None) -> None:
    await keyboard(tg, {"text": "Pick two", "request_users": {"request_id": 5, "max_quantity": 2,
                                                              "request_name": True, "request_username": True}},
                   {"text": "Pick one", "request_users": {"request_id": 6, "user_is_bot": False}},
                   {"text": "Pick premium", "request_users": {"request_id": 7, "user_is_premium": True}},
                   {"text": "Pick a bot", "request_users": {"request_id": 8, "user_is_bot": True,
                                                            "request_username": True}})
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "Pick two", "users": [1002, 1003]})
    message = await last_message(tg, pressed["update_id"])
    assert message["users_shared"] == {"request_id": 5, "users": [
        {"user_id": 1002, "first_name": "Bob", "last_name": "Brown", "username": "bob"},
        {"user_id": 1003, "first_name": "Cy"}]}
    assert "text" not in message and message["from"]["id"] == 1001

    pressed = await ctl.call("POST", "/users/1001/press", {"text": "Pick one", "users": [1002]})
    assert (await last_message(tg, pressed["update_id"]))["users_shared"] == {"request_id": 6,
                                                                              "users": [{"user_id": 1002}]}
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "Pick a bot", "users": [sb.bot.id]})
    assert (await last_message(tg, pressed["update_id"]))["users_shared"]["users"] == [
        {"user_id": sb.bot.id, "username": "client_area_bot"}]

    for body, error in [
        ({"text": "Pick two"}, "pick them"),
        ({"text": "Pick one", "users": [1002, 1003]}, "at most 1 user"),
        ({"text": "Pick one", "users": [1001]}, "cannot pick themselves"),
        ({"text": "Pick one", "users": [4242]}, "no user 4242"),
        ({"text": "Pick one", "users": [sb.bot.id]}, "people, not bots"),
        ({"text": "Pick premium", "users": [1002]}, "Premium users"),
        ({"text": "Pick two", "users": [1002, 1002]}, "picked twice"),
        ({"text": "Pick two", "chat": -1001234567890}, "does not ask for a chat"),
    ]:
        assert error in (await ctl.call("POST", "/users/1001/press", body, status=400))["error"], body


async def test_a_group_picked_for_request_chat(tg: BotHttp, ctl: Control, people: None) -> None:
    await ctl.call("POST", "/groups", {"id": -1001234567890, "title": "Support", "forum": True, "owner": 1001,
                                       "members": [1002], "bot_rights": {"can_manage_topics": True}})
    await ctl.call("POST", "/groups", {"id": -1009999999999, "title": "Chatter", "members": [1001, 1002]})
    await keyboard(tg, {"text": "Forum", "request_chat": {
        "request_id": 3, "chat_is_channel": False, "chat_is_forum": True, "chat_is_created": True,
        "bot_administrator_rights": {"can_manage_topics": True}, "request_title": True}},
        {"text": "Channel", "request_chat": {"request_id": 4, "chat_is_channel": True}})
    pressed = await ctl.call("POST", "/users/1001/press", {"text": "Forum", "chat": -1001234567890})
    assert (await last_message(tg, pressed["update_id"]))["chat_shared"] == {
        "request_id": 3, "chat_id": -1001234567890, "title": "Support"}
    error = (await ctl.call("POST", "/users/1001/press", {"text": "Forum", "chat": -1009999999999}, status=400))
    assert "a forum" in error["error"] and "can_manage_topics" in error["error"]
    assert "no channels" in (await ctl.call("POST", "/users/1001/press", {"text": "Channel", "chat": -1009999999999},
                                            status=400))["error"]


async def test_python_driver_picks_too(sb: Sandbox, tg: BotHttp) -> None:
    ann = await sb.user(id=1001, first_name="Ann")
    bob = await sb.user(id=1002, first_name="Bob")
    ann.phone_number = "+37120000001"
    await keyboard(tg, {"text": "Pick", "request_users": {"request_id": 1}},
                   {"text": "Phone", "request_contact": True}, {"text": "Where", "request_location": True})
    update_id = await ann.press("Pick", users=[bob], wait=False)
    assert (await last_message(tg, update_id))["users_shared"]["users"] == [{"user_id": 1002}]
    update_id = await ann.press("Phone", wait=False)
    assert (await last_message(tg, update_id))["contact"]["phone_number"] == "+37120000001"
    update_id = await ann.press("Where", location=(48.8584, 2.2945), wait=False)
    assert (await last_message(tg, update_id))["location"] == {"latitude": 48.8584, "longitude": 2.2945}
    assert ann.messages[-1].content["location"]["latitude"] == 48.8584
