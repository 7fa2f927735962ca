"""reply_markup comes back the way Telegram answers it: only the fields it knows, some of them reshaped."""

from __future__ import annotations

import pytest

from sandbox import Sandbox
from tests.sandbox.http import BotHttp, Control


@pytest.fixture
async def ann(ctl: Control) -> int:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    return 1001


async def test_unknown_inline_button_fields_are_not_echoed(tg: BotHttp, ctl: Control, ann: int) -> None:
    markup = {"inline_keyboard": [
        [{"text": "Go", "callback_data": "go", "hide": False, "url": None},  # what Telegraf sends
         {"text": "Site", "url": "https://example.com", "hide": False, "style": "primary"}],
        [{"text": "Log in", "login_url": {"url": "https://example.com/login", "forward_text": "f", "x": 1}},
         {"text": "Pick", "switch_inline_query_chosen_chat": {"query": "q", "allow_user_chats": True}},
         {"text": "Share", "switch_inline_query_chosen_chat": {
             "allow_user_chats": True, "allow_bot_chats": True, "allow_group_chats": True,
             "allow_channel_chats": True}}],
        [{"text": "App", "web_app": {"url": "https://example.com/app", "junk": 1}},
         {"text": "Copy", "copy_text": {"text": "KEY-1", "junk": 1}, "icon_custom_emoji_id": "5368324170671202286"},
         {"text": "Play", "callback_game": {"anything": 1}}],
    ], "extra": "dropped"}
    sent = await tg.call("sendMessage", chat_id=ann, text="menu", reply_markup=markup)
    assert sent["reply_markup"] == {"inline_keyboard": [
        [{"text": "Go", "callback_data": "go"}, {"text": "Site", "style": "primary", "url": "https://example.com"}],
        [{"text": "Log in", "url": "https://example.com/login"},
         {"text": "Pick", "switch_inline_query_chosen_chat": {
             "query": "q", "allow_user_chats": True, "allow_bot_chats": False, "allow_group_chats": False,
             "allow_channel_chats": False}},
         {"text": "Share", "switch_inline_query": ""}],
        [{"text": "App", "web_app": {"url": "https://example.com/app"}},
         {"text": "Copy", "icon_custom_emoji_id": "5368324170671202286", "copy_text": {"text": "KEY-1"}},
         {"text": "Play", "callback_game": {}}],
    ]}
    pressed = await ctl.call("POST", "/users/1001/press", {"message_id": sent["message_id"], "text": "Go"})
    update = (await tg.updates())[-1]
    assert update["update_id"] == pressed["update_id"]
    assert update["callback_query"]["message"]["reply_markup"] == sent["reply_markup"]
    view = (await ctl.call("GET", "/chats/1001/messages"))["messages"][-1]
    assert view["reply_markup"] == sent["reply_markup"]

    edited = await tg.call("editMessageReplyMarkup", chat_id=ann, message_id=sent["message_id"],
                           reply_markup={"inline_keyboard": [[{"text": "Pay", "pay": True, "hide": False}]]})
    assert edited["reply_markup"] == {"inline_keyboard": [[{"text": "Pay", "pay": True}]]}


async def test_unknown_reply_keyboard_fields_are_dropped(tg: BotHttp, ctl: Control, ann: int) -> None:
    markup = {"keyboard": [[{"text": "Phone", "request_contact": True, "hide": False},
                            {"text": "Where", "request_location": True, "request_poll": None}],
                           ["Plain", {"text": "Vote", "request_poll": {"type": "quiz", "x": 1}}]],
              "resize_keyboard": True, "one_time_keyboard": False, "is_persistent": True, "selective": False,
              "input_field_placeholder": "Choose", "columns": 2}
    sent = await tg.call("sendMessage", chat_id=ann, text="keyboard", reply_markup=markup)
    assert "reply_markup" not in sent  # Telegram returns only inline keyboards with a message
    shown = (await ctl.call("GET", "/chats/1001/messages"))["reply_keyboard"]
    assert shown == {"keyboard": [[{"text": "Phone", "request_contact": True},
                                   {"text": "Where", "request_location": True}],
                                  [{"text": "Plain"}, {"text": "Vote", "request_poll": {"type": "quiz"}}]],
                     "is_persistent": True, "resize_keyboard": True, "input_field_placeholder": "Choose"}

    await tg.call("sendMessage", chat_id=ann, text="bye", reply_markup={"remove_keyboard": True, "hide": 1})
    assert (await ctl.call("GET", "/chats/1001/messages"))["reply_keyboard"] is None
    forced = await tg.call("sendMessage", chat_id=ann, text="?",
                           reply_markup={"force_reply": True, "input_field_placeholder": "Your answer", "x": 1})
    assert "reply_markup" not in forced


async def test_markups_with_nothing_telegram_knows_are_no_markup(tg: BotHttp, ann: int) -> None:
    for markup in ({}, {"inline_keyboard": []}, {"hide": False}, {"keyboard": [], "resize_keyboard": True}):
        sent = await tg.call("sendMessage", chat_id=ann, text="plain", reply_markup=markup)
        assert "reply_markup" not in sent, markup
    with_keys = await tg.call("sendMessage", chat_id=ann, text="k",
                              reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]})
    assert await tg.error("editMessageReplyMarkup", chat_id=ann, message_id=with_keys["message_id"],
                          reply_markup={"inline_keyboard": [[{"text": "a", "callback_data": "a", "x": 1}]]}
                          ) == ("Bad Request: message is not modified: specified new message content and reply markup "
                                "are exactly the same as a current content and reply markup of the message")
    removed = await tg.call("editMessageReplyMarkup", chat_id=ann, message_id=with_keys["message_id"],
                            reply_markup={"inline_keyboard": []})
    assert "reply_markup" not in removed


@pytest.mark.parametrize(("button", "description"), [
    ({"text": "a", "callback_data": "a", "style": "neon"},
     "can't parse inline keyboard button: invalid button style specified"),
    ({"text": "a", "web_app": "https://x.org"}, 'can\'t parse inline keyboard button: Field "web_app" must be of '
     "type Object"),
    ({"text": "a", "copy_text": {}}, 'can\'t parse inline keyboard button: Can\'t find field "text"'),
])
async def test_inline_button_errors(tg: BotHttp, ann: int, button: dict[str, object], description: str) -> None:
    assert await tg.error("sendMessage", chat_id=ann, text="x",
                          reply_markup={"inline_keyboard": [[button]]}) == f"Bad Request: {description}"


async def test_request_buttons_are_for_private_chats(sb: Sandbox, tg: BotHttp, ctl: Control, ann: int) -> None:
    await ctl.call("POST", "/groups", {"id": -1001234567890, "title": "Support", "members": [1001]})
    for button, text in [
        ({"request_contact": True}, "phone number can be requested in private chats only"),
        ({"request_location": True}, "location can be requested in private chats only"),
        ({"request_users": {"request_id": 1}}, "users can be requested in private chats only"),
        ({"request_chat": {"request_id": 2, "chat_is_channel": False}}, "chats can be requested in private chats only"),
        ({"web_app": {"url": "https://example.com"}}, "web App buttons can be used in private chats only"),
    ]:
        markup = {"keyboard": [[{"text": "b", **button}]]}
        assert await tg.error("sendMessage", chat_id=-1001234567890, text="x", reply_markup=markup) == (
            f"Bad Request: {text}")
    await tg.call("sendMessage", chat_id=-1001234567890, text="x", reply_markup={"keyboard": [["plain"]]})


async def test_request_users_and_chat_are_validated_and_normalised(tg: BotHttp, ctl: Control, ann: int) -> None:
    async def keyboard_of(button: dict[str, object]) -> dict[str, object]:
        await tg.call("sendMessage", chat_id=ann, text="pick", reply_markup={"keyboard": [[button]]})
        return (await ctl.call("GET", "/chats/1001/messages"))["reply_keyboard"]["keyboard"][0][0]

    assert await keyboard_of({"text": "Pick", "request_users": {
        "request_id": 7, "user_is_bot": False, "max_quantity": 0, "request_name": True, "request_photo": False,
        "junk": 1}}) == {"text": "Pick", "request_users": {"request_id": 7, "user_is_bot": False, "max_quantity": 1,
                                                          "request_name": True}}
    assert await keyboard_of({"text": "Old", "request_user": {"request_id": 8}}) == {
        "text": "Old", "request_users": {"request_id": 8, "max_quantity": 1}}
    assert await keyboard_of({"text": "Group", "request_chat": {
        "request_id": 9, "chat_is_channel": False, "chat_is_forum": True, "bot_is_member": True,
        "bot_administrator_rights": {"can_manage_topics": True, "x": 1}}}) == {
        "text": "Group", "request_chat": {
            "request_id": 9, "chat_is_channel": False, "chat_is_forum": True, "bot_is_member": True,
            "bot_administrator_rights": {"is_anonymous": False, "can_manage_chat": False,
                                         "can_delete_messages": False, "can_manage_video_chats": False,
                                         "can_restrict_members": False, "can_promote_members": False,
                                         "can_change_info": False, "can_invite_users": False,
                                         "can_post_stories": False, "can_edit_stories": False,
                                         "can_delete_stories": False, "can_post_messages": False,
                                         "can_edit_messages": False, "can_pin_messages": False,
                                         "can_manage_topics": True, "can_manage_direct_messages": False}}}

    for request, description in [
        ({}, 'can\'t parse keyboard button: Can\'t find field "request_id"'),
        ({"request_id": "x"}, 'can\'t parse keyboard button: Field "request_id" must be of type Number'),
        ({"request_id": 2**31}, 'can\'t parse keyboard button: Field "request_id" must be a valid Number'),
        ({"request_id": 1, "max_quantity": 11}, "REQUEST_PEER_INVALID"),
    ]:
        markup = {"keyboard": [[{"text": "Pick", "request_users": request}]]}
        assert await tg.error("sendMessage", chat_id=ann, text="x", reply_markup=markup) == (
            f"Bad Request: {description}")
