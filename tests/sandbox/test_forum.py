"""Forum topics in supergroups."""

from __future__ import annotations

import pytest
from aiogram import Bot, Dispatcher, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import Message

from sandbox import Sandbox, UserDriver, make_png
from tests.sandbox.conftest import StartPolling

GROUP = -1001234567890
RIGHTS = {"can_manage_topics": True, "can_delete_messages": True, "can_pin_messages": True}


@pytest.fixture
async def staff(sb: Sandbox) -> UserDriver:
    return await sb.user(id=2001, first_name="Sam", username="sam")


async def test_topics_lifecycle(sb: Sandbox, bot: Bot, staff: UserDriver) -> None:
    group = await sb.group(id=GROUP, title="Support", forum=True, members=[staff], admins=[staff], bot_rights=RIGHTS)
    topic = await bot.create_forum_topic(GROUP, "Ticket #1", icon_color=0xFFD67E)
    assert topic.name == "Ticket #1" and topic.icon_color == 0xFFD67E
    assert [t.name for t in group.topics] == ["Ticket #1"]
    view = group.topic("Ticket #1")
    assert view.message_thread_id == topic.message_thread_id

    sent = await bot.send_message(GROUP, "Hello staff", message_thread_id=topic.message_thread_id)
    assert sent.message_thread_id == topic.message_thread_id and sent.is_topic_message
    assert [m.text for m in group.messages(topic.message_thread_id)][-1] == "Hello staff"

    assert await bot.edit_forum_topic(GROUP, topic.message_thread_id, name="Ticket #1 (VIP)")
    assert group.topics[0].name == "Ticket #1 (VIP)"
    assert await bot.close_forum_topic(GROUP, topic.message_thread_id)
    assert group.topics[0].closed
    with pytest.raises(TelegramBadRequest, match="Bad Request: TOPIC_NOT_MODIFIED"):
        await bot.close_forum_topic(GROUP, topic.message_thread_id)
    assert await bot.reopen_forum_topic(GROUP, topic.message_thread_id)
    assert await bot.delete_forum_topic(GROUP, topic.message_thread_id)
    assert group.topics == [] and group.messages(topic.message_thread_id) == []


async def test_topic_errors(sb: Sandbox, bot: Bot, staff: UserDriver) -> None:
    await sb.group(id=GROUP, title="Support", forum=True, members=[staff], bot_rights={"can_manage_topics": False})
    await sb.group(id=-1001000000009, title="Plain", members=[staff], bot_rights=RIGHTS)
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.create_forum_topic(GROUP, "x")
    assert caught.value.message == "Bad Request: not enough rights to create a topic"
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.create_forum_topic(-1001000000009, "x")
    assert caught.value.message == "Bad Request: the chat is not a forum"
    with pytest.raises(TelegramBadRequest) as caught:
        await bot.send_message(GROUP, "x", message_thread_id=424242)
    assert caught.value.message == "Bad Request: message thread not found"


async def test_staff_writes_in_topic(sb: Sandbox, bot: Bot, staff: UserDriver, start_polling: StartPolling) -> None:
    dp = Dispatcher()
    seen: list[Message] = []

    @dp.message(F.chat.type == "supergroup")
    async def relay(message: Message) -> None:
        seen.append(message)
        await message.reply(f"got {message.content_type.value}")

    await start_polling(dp)
    group = await sb.group(id=GROUP, title="Support", forum=True, members=[staff], admins=[staff], bot_rights=RIGHTS)
    topic = await bot.create_forum_topic(GROUP, "Ticket #2")
    view = group.topic("Ticket #2")

    await staff.write_in_topic(view, "Looking into it")
    await staff.write_in_topic(view, photo=make_png(), caption="screenshot")
    await staff.write_in_topic(view, document=b"log line", file_name="log.txt")
    assert [m.message_thread_id for m in seen] == [topic.message_thread_id] * 3
    assert [m.content_type for m in seen] == ["text", "photo", "document"]
    assert seen[1].caption == "screenshot" and seen[2].document is not None
    assert seen[2].document.file_name == "log.txt"
    bot_replies = [m.text for m in group.bot_messages(topic.message_thread_id) if m.text]
    assert bot_replies == ["got text", "got photo", "got document"]

    await staff.send("general chatter", chat_id=GROUP)
    assert seen[-1].message_thread_id is None


async def test_privacy_mode_in_groups_without_admin_rights(sb: Sandbox, bot: Bot, staff: UserDriver) -> None:
    group = await sb.group(id=-1001000000002, title="Chat", members=[staff])
    first = await staff.send("hello bot", chat_id=group.id, wait=False)
    second = await staff.send("/start", chat_id=group.id, wait=False)
    assert first.update_id is None and second.update_id is not None
    updates = await bot.get_updates()
    assert [u.message.text for u in updates if u.message] == ["/start"]


async def test_restricted_members_write_but_are_reported_restricted(sb: Sandbox, bot: Bot, staff: UserDriver) -> None:
    guest = await sb.user(id=2003, first_name="Guest")
    group = await sb.group(id=GROUP, title="Support", forum=True, members=[staff], admins=[staff],
                           restricted=[guest], bot_rights=RIGHTS)
    member = await bot.get_chat_member(GROUP, guest.id)
    assert member.status == "restricted" and member.is_member and member.can_send_messages
    assert not member.can_manage_topics and not member.can_pin_messages
    assert (await bot.get_chat_member(GROUP, staff.id)).status == "administrator"
    assert await bot.get_chat_member_count(GROUP) == 3
    topic = await bot.create_forum_topic(GROUP, "Ticket #3")
    await guest.write_in_topic(group.topic("Ticket #3"), "hello", wait=False)
    assert [m.text for m in group.messages(topic.message_thread_id) if m.text] == ["hello"]
