"""Support tickets end to end: a customer files and follows a ticket; staff answer from the forum group."""

from __future__ import annotations

import asyncio

import pytest

from domain.models import Notification, OutboxMessage, Ticket, TicketGroupMessage, TicketMessage
from handlers.tickets.keyboards import TicketAction, TkCb
from sandbox import make_png
from tests.e2e.conftest import RunningBot, make_settings
from tests.e2e.flows import (
    COMPANY,
    GROUP,
    RIGHTS,
    buy,
    drain,
    eventually,
    file_ticket,
    open_licence,
    order_licence,
    order_ssl,
    posts,
    rows,
    topic_texts,
)


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, request):
    extra = getattr(request, "param", {})
    return make_settings(sandbox, db_url, redis_url, tmp_path, staff_chat_id=GROUP, scheduler_enabled=False,
                         **extra)


def sam_alert(sandbox, staff) -> str | None:
    answer = staff.last_callback_answer
    return answer.text if answer is not None else None


async def test_a_ticket_round_trip_with_attachments_both_ways(ann, sam, group, running, sandbox) -> None:
    await file_ticket(ann, "Printer on fire", "It <b>burns</b> since Monday.", photos=1, document=b"trace")
    assert "Ticket #1 is filed." in ann.screen.text
    assert "Status: 🆕 Open" in ann.screen.text and "It <b>burns</b> since Monday." in ann.screen.text

    topic = group.topic("❗ #1 Printer on fire")
    posted = posts(group, topic)
    header = posted[0].text
    assert "#1 Printer on fire · Billing" in header and "Ann Lee (@ann, id 1001)" in header
    assert "Balance: €0.00" in header and "Language: en" in header
    assert "It <b>burns</b> since Monday." in posted[1].text  # escaped on the way, shown as typed
    assert posted[2].photo is not None and posted[3].document["file_name"] == "log.txt"

    # Staff answer with text, a photo and a document: the customer gets them as from Support.
    await sam.write_in_topic(topic, "Unplug it, please.")
    answer = ann.bot_messages[-1]
    assert answer.text.startswith("💬 Support · ticket #1 “Printer on fire”")
    assert "Unplug it, please." in answer.text and "Sam" not in answer.text
    assert answer.button_texts == ["✏️ Reply", "🎫 Open ticket"]
    await sam.write_in_topic(topic, photo=make_png(4, 4), caption="Like this")
    await sam.write_in_topic(topic, document=b"manual", file_name="manual.pdf")
    assert ann.bot_messages[-2].photo is not None and "Like this" in ann.bot_messages[-2].caption
    assert ann.bot_messages[-1].document["file_name"] == "manual.pdf"
    assert group.topic("💬 #1 Printer on fire")

    # The customer answers with text and a photo from the ticket.
    await ann.press("✏️ Reply", message=ann.bot_messages[-1])
    await ann.send("Done, thanks")
    assert "Sent to support (ticket #1)" in ann.screen.text
    await ann.send_photo(make_png(5, 5), caption="now")
    texts = topic_texts(group, group.topic("❗ #1 Printer on fire"))
    assert "Done, thanks" in texts[-2] and "now" in texts[-1]
    assert posts(group, topic)[-1].photo is not None
    await ann.press("✔️ Done")
    screen = ann.screen.text
    assert "Status: ⏳ Awaiting support" in screen and "Unplug it, please." in screen and "🖼 Photo" in screen

    [ticket] = await rows(running, Ticket)
    assert (ticket.status, ticket.topic_id, ticket.staff_chat_id) == ("awaiting", topic.message_thread_id, GROUP)
    messages = await rows(running, TicketMessage)
    assert [(m.author, m.kind) for m in messages] == [
        ("customer", "text"), ("customer", "photo"), ("customer", "document"),
        ("staff", "text"), ("staff", "photo"), ("staff", "document"), ("customer", "text"), ("customer", "photo")]
    assert messages[3].author_name == "Sam" and all(m.file_id for m in messages if m.kind != "text")
    # Every bot message in the topic and every staff message is linked to the ticket.
    links = await rows(running, TicketGroupMessage)
    assert len(links) == 4 + 3 + 2 and {link.ticket_id for link in links} == {1}


async def test_staff_names_are_shown_when_the_setting_says_so(sandbox, db_url, redis_url, tmp_path, sam, group,
                                                              clock) -> None:
    bot = RunningBot(make_settings(sandbox, db_url, redis_url, tmp_path, staff_chat_id=GROUP,
                                   scheduler_enabled=False, support_show_staff_names=True), [], clock, sandbox)
    await bot.start()
    try:
        ivan = await sandbox.user(id=1002, first_name="Иван", username="ivan", language_code="ru")
        await file_ticket(ivan, "Ключ", "Не подходит ключ", department="Техническая поддержка",
                          menu="/support", new="✍️ Новое обращение", send="📨 Отправить обращение")
        assert "Обращение #1 создано." in ivan.screen.text
        await sam.write_in_topic(group.topic("❗ #1 Ключ"), "Проверим")
        assert ivan.bot_messages[-1].text.startswith("💬 Поддержка (Sam) · обращение #1 «Ключ»")
        await ivan.press("🎫 Открыть обращение")
        assert "Поддержка (Sam)" in ivan.screen.text and "Статус: 💬 Есть ответ" in ivan.screen.text
    finally:
        await bot.stop()


async def test_staff_commands_close_reopen_note_assign_and_rating(ann, sam, group, running, sandbox) -> None:
    await file_ticket(ann, "Invoice", "Need an invoice for October")
    topic = group.topic("❗ #1 Invoice")

    await sam.write_in_topic(topic, "/note VIP customer, be quick")
    assert topic_texts(group, topic)[-1] == "📝 Note saved. The customer does not see it."
    await sam.write_in_topic(topic, "/note")
    assert topic_texts(group, topic)[-1].startswith("Usage: /note <text>")
    await sam.write_in_topic(topic, "/assign @support_sam")
    assert topic_texts(group, topic)[-1] == "👷 Ticket #1 is assigned to @support_sam."
    await sam.write_in_topic(topic, "/assign")
    assert topic_texts(group, topic)[-1] == "Usage: /assign @username"
    assert all("VIP" not in (m.text or "") for m in ann.messages)

    await sam.write_in_topic(topic, "/close")
    assert topic_texts(group, topic)[-1].startswith("✅ Ticket #1 closed by Sam.")
    assert group.topic("✅ #1 Invoice")
    await drain(running)
    notice = ann.bot_messages[-1]
    assert notice.text.startswith("✅ Ticket #1 “Invoice” was closed by support.")
    await ann.press("⭐ Rate the answer", message=notice)
    assert "Status: ✅ Closed" in ann.screen.text
    await ann.press("4⭐")
    assert "Thank you! Your rating: 4 of 5." in ann.screen.text and "★★★★☆" in ann.screen.text
    assert topic_texts(group, topic)[-1] == "⭐ The customer rated the answer to ticket #1: 4 of 5."

    # A closed ticket takes no answers until reopened.
    await sam.write_in_topic(topic, "One more thing")
    assert topic_texts(group, topic)[-1] == "This ticket is closed: nothing was sent. /reopen it first."
    await sam.write_in_topic(topic, "/reopen")
    assert topic_texts(group, topic)[-1] == "🔄 Ticket #1 is open again."
    sent = await sam.write_in_topic(topic, "One more thing")
    assert "One more thing" in ann.bot_messages[-1].text
    count = len(ann.messages)
    await sandbox.redeliver(sent)  # the same update again: relayed once
    assert len(ann.messages) == count

    [ticket] = await rows(running, Ticket)
    assert (ticket.status, ticket.assignee, ticket.rating) == ("answered", "support_sam", 4)
    notes = await rows(running, TicketMessage, TicketMessage.author == "note")
    assert [n.text for n in notes] == ["VIP customer, be quick"]
    # The note never reaches the customer's screen either.
    await ann.press("🎫 Open ticket")
    assert "VIP" not in ann.screen.text


async def test_customer_closes_reopens_within_the_window_and_the_archive(ann, sam, group, running, clock) -> None:
    await file_ticket(ann, "Question", "How do I renew?")
    await ann.press("✅ Close ticket")
    await ann.press("✅ Yes, close it")
    assert "The ticket is closed." in ann.screen.text
    topic = group.topic("✅ #1 Question")
    assert topic_texts(group, topic)[-1] == "✅ The customer closed ticket #1."
    await ann.press("🔄 Reopen")
    assert "The ticket is open again." in ann.screen.text and "Status: ⏳ Awaiting support" in ann.screen.text
    assert group.topic("❗ #1 Question")
    await ann.press("✅ Close ticket")
    await ann.press("✅ Yes, close it")

    clock.move(days=8)
    await ann.send("/support")
    await ann.press("🎫 Tickets")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("#1 Question")))
    assert "🔄 Reopen" not in ann.screen.button_texts

    jobs = running.app.dispatcher["ticket_jobs"]
    assert await jobs.archive() == 0  # 8 days: not yet
    clock.move(days=30)
    assert await jobs.archive() == 1
    assert await jobs.archive() == 0
    assert [t.name for t in group.topics] == ["📦 #1 Question"]
    await ann.send("/support")
    await ann.press("🗄 Archived tickets")
    assert "Archived tickets</b> — 1" in ann.screen.html or "Archived tickets — 1" in ann.screen.text
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("#1 Question")))
    assert "archived and read-only" in ann.screen.text
    assert "✏️ Reply" not in ann.screen.button_texts and "🔄 Reopen" not in ann.screen.button_texts
    await ann.press("« Back")
    await ann.press("« Back")
    await ann.press("🎫 Tickets")
    assert "You have no tickets yet." in ann.screen.text


async def test_a_ticket_filed_while_the_group_is_unreachable_reaches_it_later(ann, sam, group, running,
                                                                              sandbox) -> None:
    """Nothing the customer wrote is lost when the staff group cannot be reached: the placing job posts the
    whole conversation once the group answers again, and only once."""
    sandbox.faults.add(method="createForumTopic", code=502, count=2)
    await file_ticket(ann, "Lost", "First words", photos=1)
    assert "Ticket #1 is filed." in ann.screen.text  # the customer is not bothered with the staff side
    [ticket] = await rows(running, Ticket)
    assert ticket.staff_chat_id is None and posts(group) == []

    jobs = running.app.dispatcher["ticket_jobs"]
    assert await jobs.relay() == 0  # still unreachable: tried again on the next run
    assert await jobs.relay() == 1
    topic = group.topic("❗ #1 Lost")
    posted = posts(group, topic)
    assert "#1 Lost · Billing" in posted[0].text and "First words" in posted[1].text
    assert posted[2].photo is not None and len(posted) == 3
    assert await jobs.relay() == 0
    assert len(posts(group)) == 3
    [ticket] = await rows(running, Ticket)
    assert ticket.topic_id == topic.message_thread_id
    assert len(await rows(running, TicketGroupMessage)) == 3


async def test_the_next_message_places_a_ticket_with_the_whole_conversation(ann, sam, group, running,
                                                                            sandbox) -> None:
    sandbox.faults.add(method="createForumTopic", code=502, count=1)
    await file_ticket(ann, "Late", "Said first")
    assert posts(group) == []
    await ann.press("✏️ Reply")
    await ann.send("Said second")
    assert "Sent to support (ticket #1)" in ann.screen.text
    texts = topic_texts(group, group.topic("❗ #1 Late"))
    assert len(texts) == 3 and "Said first" in texts[1] and "Said second" in texts[2]
    assert await running.app.dispatcher["ticket_jobs"].relay() == 0


async def test_a_message_telegram_refuses_is_posted_later_in_order(ann, sam, group, running, sandbox) -> None:
    await file_ticket(ann, "Order", "zero")
    topic = group.topic("❗ #1 Order")
    await ann.press("✏️ Reply")
    sandbox.faults.add(method="sendMessage", code=502, count=1)  # Telegram down for a moment
    await ann.send("one")
    assert "Sent to support (ticket #1)" in ann.screen.text  # the customer's message is kept all the same
    assert [t for t in topic_texts(group, topic) if "one" in t] == []
    await ann.send("two")  # posts what is missing first: the topic keeps the customer's order
    texts = topic_texts(group, topic)
    assert ["zero" in texts[1], "one" in texts[2], "two" in texts[3]] == [True] * 3 and len(texts) == 4

    sandbox.faults.add(method="sendMessage", code=502, count=1)
    await ann.send("three")
    assert len(topic_texts(group, topic)) == 4
    jobs = running.app.dispatcher["ticket_jobs"]
    assert await jobs.relay() == 1
    assert await jobs.relay() == 0
    texts = topic_texts(group, topic)
    assert len(texts) == 5 and "three" in texts[4]
    messages = await rows(running, TicketMessage)
    assert all(m.relayed_at is not None for m in messages)
    assert len(await rows(running, TicketGroupMessage)) == 5


async def test_what_cannot_reach_the_customer_is_said_in_the_topic(ann, sam, group, running) -> None:
    await file_ticket(ann, "Where", "Where are you?")
    topic = group.topic("❗ #1 Where")
    before = len(ann.messages)
    await sam.send_location(56.95, 24.1, chat_id=GROUP, message_thread_id=topic.message_thread_id)
    assert topic_texts(group, topic)[-1] == "Not sent: only texts, photos and documents reach the customer."
    assert len(ann.messages) == before
    assert [m.author for m in await rows(running, TicketMessage)] == ["customer"]


async def test_a_topic_deleted_in_the_group_is_made_anew_with_the_conversation(ann, sam, group, running) -> None:
    await file_ticket(ann, "Gone", "First words")
    old = group.topic("❗ #1 Gone")
    await running.app.bot.delete_forum_topic(GROUP, old.message_thread_id)  # an admin cleaned up too eagerly
    await ann.press("✏️ Reply")
    await ann.send("Anyone there?")
    assert "Sent to support (ticket #1)" in ann.screen.text
    [topic] = group.topics
    assert topic.message_thread_id != old.message_thread_id
    texts = topic_texts(group, topic)
    assert "#1 Gone · Billing" in texts[0] and "First words" in texts[1] and "Anyone there?" in texts[2]
    assert len(texts) == 3
    [ticket] = await rows(running, Ticket)
    assert ticket.topic_id == topic.message_thread_id
    await sam.write_in_topic(topic, "Here!")  # and staff answer from the new topic
    assert "Here!" in ann.bot_messages[-1].text


async def test_a_non_staff_member_cannot_answer(ann, sam, sandbox, running) -> None:
    guest = await sandbox.user(id=2002, first_name="Guest", username="guest")
    group = await sandbox.group(id=GROUP, title="Support staff", forum=True, members=[sam], admins=[sam],
                                restricted=[guest], bot_rights=RIGHTS)
    await file_ticket(ann, "Help", "Please help")
    topic = group.topic("❗ #1 Help")
    before = len(ann.messages)
    await guest.write_in_topic(topic, "I am not staff")
    await guest.write_in_topic(topic, "/close")
    assert len(ann.messages) == before
    [ticket] = await rows(running, Ticket)
    assert ticket.status == "open"
    assert [m.author for m in await rows(running, TicketMessage)] == ["customer"]
    # Other chats and unknown topics are ignored too.
    stray = await sandbox.group(id=-1001000000077, title="Elsewhere", forum=True, members=[sam],
                                bot_rights=RIGHTS)
    other = await running.app.bot.create_forum_topic(stray.id, "#1 Help")
    await sam.write_in_topic(stray.topic("#1 Help"), "Wrong chat")
    await sam.send("chatter in General", chat_id=GROUP)
    assert len(ann.messages) == before and other.message_thread_id


async def test_a_restart_in_the_middle_keeps_the_mapping(ann, sam, group, running) -> None:
    await file_ticket(ann, "Restart", "Before the restart")
    topic = group.topic("❗ #1 Restart")
    await running.restart()
    await sam.write_in_topic(topic, "After the restart")
    assert "After the restart" in ann.bot_messages[-1].text
    await ann.press("✏️ Reply", message=ann.bot_messages[-1])
    await ann.send("Got it")
    assert "Got it" in topic_texts(group, group.topic("❗ #1 Restart"))[-1]
    assert len(group.topics) == 1


async def test_two_customer_messages_at_once_make_one_topic(ann, sam, group, running, sandbox) -> None:
    # The staff group refuses topics for a moment: the ticket is filed but has no topic yet.
    sandbox.faults.add(method="createForumTopic", code=500, count=1)
    await file_ticket(ann, "Twice", "First")
    assert group.topics == []
    await ann.press("✏️ Reply")
    first = await ann.send("one", wait=False)
    second = await ann.send("two", wait=False)
    await sandbox.wait(first)
    await sandbox.wait(second)
    # The second waits for the customer's lock (Redis polls it) and may look quiet meanwhile: wait for its answer.
    await eventually(lambda: sum("Sent to support" in (m.text or "") for m in ann.messages) == 2)
    assert [t.name for t in group.topics] == ["❗ #1 Twice"]
    texts = topic_texts(group, group.topics[0])
    assert sum("one" in t for t in texts) == 1 and sum("two" in t for t in texts) == 1
    [ticket] = await rows(running, Ticket)
    assert ticket.topic_id == group.topics[0].message_thread_id
    assert [r.ok for r in sandbox.calls("createForumTopic")] == [False, True]


async def test_concurrent_placements_of_one_ticket_create_one_topic(ann, sam, group, running, sandbox) -> None:
    from handlers.tickets import place_ticket

    sandbox.faults.add(method="createForumTopic", code=500, count=1)
    await file_ticket(ann, "Race", "Both at once")

    async def place() -> int | None:
        async with running.app.domain() as domain:
            ticket = await place_ticket(running.app.bot, domain, running.app.i18n.core, GROUP, 1)
            return ticket.topic_id if ticket is not None else None

    first, second = await asyncio.gather(place(), place())
    assert first == second == group.topics[0].message_thread_id and len(group.topics) == 1
    # The lock kept the second placement from even asking Telegram for a topic.
    assert [r.ok for r in sandbox.calls("createForumTopic")] == [False, True]
    assert sum("#1 Race" in (m.text or "") for m in posts(group, group.topics[0])) == 1  # one header card


async def test_reply_mode_when_the_group_has_no_topics(ann, sam, sandbox, running) -> None:
    group = await sandbox.group(id=GROUP, title="Support staff", members=[sam], admins=[sam], bot_rights=RIGHTS)
    await file_ticket(ann, "No forum", "Plain group")
    header, body = posts(group)[-2:]
    assert "#1 No forum" in header.text and "Plain group" in body.text
    await sam.send("Reply by reply", chat_id=GROUP, reply_to_message_id=body.message_id)
    assert "Reply by reply" in ann.bot_messages[-1].text
    await sam.send("/note internal", chat_id=GROUP, reply_to_message_id=header.message_id)
    assert posts(group)[-1].text == "📝 Note saved. The customer does not see it."
    await sam.send("not a reply", chat_id=GROUP)
    assert "not a reply" not in ann.bot_messages[-1].text


async def test_question_on_a_licence_links_the_ticket_with_its_history(ann, sam, group, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.ledger.post(1001, "topup", 100_000, "test-topup")
    await order_licence(ann)
    await ann.press("🧺 Cart")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("💳 Pay")))
    await ann.send("/menu")
    await ann.press("🔑 Licences")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("#1 web-1")))
    # A new ticket from Support offers the customer's services; "Question" on a licence links it directly.
    await ann.send("/support")
    await ann.press("✍️ New ticket")
    await ann.press("Sales")
    assert ann.screen.text == "Which of your services is it about?"
    assert ann.screen.button_texts[:2] == ["#1 web-1 · licence", "No particular service"]
    await ann.press("✖ Cancel")
    await ann.send("/menu")
    await ann.press("🔑 Licences")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("#1 web-1")))
    await ann.press("❓ Question")
    await ann.press("Technical")
    await ann.send("Licence question")
    await ann.send("Which modules fit?")
    await ann.press("📨 Send ticket")
    assert "Service: #1 web-1" in ann.screen.text
    header = posts(group, group.topic("❗ #1 Licence question"))[0].text
    assert "About this service:" in header and "#1 web-1 (licence) — active" in header
    assert "93.184.216.34" in header and "customer: order" in header and "Services: 1" in header
    [ticket] = await rows(running, Ticket)
    assert ticket.service_id == 1 and ticket.department == "technical"


async def test_news_goes_to_every_customer_who_has_not_muted_it(ann, ivan, sam, group, running, sandbox) -> None:
    await ann.send("/start")
    await ivan.send("/start")
    async with running.app.domain() as domain:
        await domain.notifications.set_muted(1002, "news", True)
    await sam.send("/news New <b>datacenter</b> in Riga", chat_id=GROUP)
    preview = posts(group)[-1]
    assert preview.text.startswith("📰 News preview") and "New <b>datacenter</b> in Riga" in preview.text
    send = preview.buttons[0][0].callback_data
    await sam.press("📨 Send to everyone", message=preview)
    assert posts(group)[-1].text.startswith("📨 News sent to 2 customers.")
    await sam.press(callback_data=send, message=preview)  # a second tap (a stale client) sends nothing again
    assert sam_alert(sandbox, sam) == "This preview is no longer valid. Post /news again."
    await drain(running)
    assert ann.bot_messages[-1].text == "📰 News: New <b>datacenter</b> in Riga"
    assert not any("datacenter" in (m.text or "") for m in ivan.messages)
    news = await rows(running, Notification, Notification.category == "news")
    assert sorted(n.user_id for n in news) == [1001, 1002]  # Sam is only staff: no customer, no news
    pushed = await rows(running, OutboxMessage)
    assert 1002 not in {o.chat_id for o in pushed}
    await ivan.send("/support")
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith("🔔")))
    await ivan.press(next(b for b in ivan.screen.button_texts if "📰 Новости: New <b>datacenter</b>" in b))
    assert "New &lt;b&gt;datacenter" in ivan.screen.html  # the staff member's text, escaped

    # Inside a ticket's topic, /news is refused.
    await file_ticket(ann, "Topic", "x")
    await sam.write_in_topic(group.topic("❗ #1 Topic"), "/news nope")
    assert topic_texts(group, group.topic("❗ #1 Topic"))[-1] == "Post news from the General topic."


async def test_bad_input_gets_a_clear_answer_and_changes_nothing(ann, group, running) -> None:
    await ann.send("/support")
    await ann.press("✍️ New ticket")
    await ann.press("Sales")
    await ann.send("x" * 101)
    assert ann.screen.text == "The subject must be one line of 1 to 100 characters."
    await ann.send("Fine subject")
    await ann.send("Body")
    for _ in range(5):
        await ann.send_photo(make_png())
    await ann.send_photo(make_png())
    assert ann.screen.text.startswith("At most 5 attachments.")
    await ann.press("📨 Send ticket")
    assert len(await rows(running, TicketMessage)) == 6
    # A forged ticket id is "not found".
    from handlers.tickets import TkCb

    await ann.press(callback_data=TkCb(action="o", id=999).pack(), message=ann.screen)
    assert ann.last_callback_answer.show_alert
    await ann.press(callback_data=TkCb(action="rt", id=1, v=9).pack(), message=ann.screen)
    [ticket] = await rows(running, Ticket)
    assert ticket.rating is None


async def test_contact_support_after_a_refused_new_key_opens_a_linked_ticket(ivan, sam, group, running) -> None:
    await ivan.send("/start")
    licence = await buy(running, 1002, name="srv-ru")
    await open_licence(ivan, licence, section="🔑 Лицензии")
    await ivan.press("🔑 Новый ключ активации")
    await ivan.press("🔑 Получить новый ключ")
    await open_licence(ivan, licence, section="🔑 Лицензии")
    await ivan.press("🔑 Новый ключ активации")
    await ivan.press("💬 Написать в поддержку")
    assert "В какой отдел?" in ivan.screen.text
    await ivan.press("Техническая поддержка")
    await ivan.send("Нужен ещё ключ")
    await ivan.send("Сервер переустановлен")
    await ivan.press("📨 Отправить обращение")
    assert "Обращение #1 создано." in ivan.screen.text and f"Услуга: #{licence} srv-ru" in ivan.screen.text
    header = posts(group, group.topic("❗ #1 Нужен ещё ключ"))[0].text
    assert "Technical" in header and "Language: ru" in header and f"#{licence} srv-ru (licence) — active" in header
    assert "customer: key" in header  # the refused change's history is on the card
    await sam.write_in_topic(group.topic("❗ #1 Нужен ещё ключ"), "Сделаем")
    assert ivan.bot_messages[-1].text.startswith("💬 Поддержка · обращение #1 «Нужен ещё ключ»")
    assert ivan.bot_messages[-1].button_texts == ["✏️ Ответить", "🎫 Открыть обращение"]


async def test_question_on_a_certificate_links_the_ticket(ann, sam, group, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.ledger.post(1001, "topup", 100_000, "test-topup")
        await domain.payers.create(1001, "legal", COMPANY)
    await order_ssl(ann, "Domain validation (DV)", "shop.example.org")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €15.00")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("shop.example.org · 📝 Awaiting CSR")
    await ann.press("❓ Question")
    await ann.press("Technical")
    await ann.send("Certificate question")
    await ann.send("Which validation method is fastest?")
    await ann.press("📨 Send ticket")
    assert "Service: #1 shop.example.org" in ann.screen.text
    header = posts(group, group.topic("❗ #1 Certificate question"))[0].text
    assert "About this service:" in header and "#1 shop.example.org (ssl) — active" in header
    assert "🧾 Payer: ООО «Ромашка» (Legal entity, RU, tax number 7707083893/773601001)" in header
    [ticket] = await rows(running, Ticket)
    assert ticket.service_id == 1 and ticket.department == "technical"


async def test_reply_under_a_staff_answer_keeps_the_answer_and_asks_below(ann, sam, group, running) -> None:
    await file_ticket(ann, "Printer", "It jams")
    topic = group.topic("❗ #1 Printer")
    await sam.write_in_topic(topic, "Open the tray.")
    answer = ann.bot_messages[-1]
    assert "Open the tray." in answer.text
    count = len(ann.bot_messages)
    await ann.press("✏️ Reply", message=answer)
    # The answer stays as staff wrote it, with its buttons; the prompt is a message of its own below it.
    assert "Open the tray." in answer.text and answer.button_texts == ["✏️ Reply", "🎫 Open ticket"]
    assert len(ann.bot_messages) == count + 1 and ann.screen != answer
    assert "Reply to ticket #1" in ann.screen.text
    # Open ticket from the same answer: again a new screen, the answer untouched.
    await ann.press("🎫 Open ticket", message=answer)
    assert "Open the tray." in answer.text and answer.button_texts == ["✏️ Reply", "🎫 Open ticket"]
    assert ann.screen != answer and "Ticket #1" in ann.screen.text


async def test_an_old_card_of_a_closed_ticket_says_so_and_changes_nothing(ann, sam, group, running) -> None:
    await file_ticket(ann, "Licence", "Which key?")
    card = ann.screen
    assert "✏️ Reply" in card.button_texts and "✅ Close ticket" in card.button_texts
    topic = group.topic("❗ #1 Licence")
    await sam.write_in_topic(topic, "/close")
    await drain(running)
    [before] = await rows(running, Ticket)
    messages = len(await rows(running, TicketMessage))
    # The card still shown above the push offers Reply/Close: pressing them answers that the ticket is closed.
    for action in (TicketAction.REPLY, TicketAction.CLOSE, TicketAction.CLOSE_CONFIRM):
        await ann.press(message=card, callback_data=TkCb(action=action, id=1).pack())
        assert ann.last_callback_answer.text == "This ticket is closed. Reopen it, or open a new ticket."
        assert "Status: ✅ Closed" in ann.screen.text
        assert "✏️ Reply" not in ann.screen.button_texts and "✅ Close ticket" not in ann.screen.button_texts
        assert not card.button_texts or "Status: ✅ Closed" in card.text
    await ann.send("Are you there?")  # no reply dialog was started: this goes nowhere near the ticket
    [after] = await rows(running, Ticket)
    assert (after.status, after.closed_at, after.rating) == (before.status, before.closed_at, before.rating)
    assert len(await rows(running, TicketMessage)) == messages
    assert topic_texts(group, topic)[-1].startswith("✅ Ticket #1 closed by Sam.")


async def test_cancel_while_filing_or_replying_returns_to_the_tickets(ann, sam, group, running) -> None:
    await ann.send("/support")
    await ann.press("✍️ New ticket")
    await ann.press(ann.screen.button_texts[0])
    await ann.send("Subject here")
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n")
    assert "You have no tickets yet." in ann.screen.text
    assert await rows(running, Ticket) == []
    await file_ticket(ann, "Printer", "It jams")
    await ann.press("✏️ Reply")
    await ann.send("/cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.") and "Ticket #1" in ann.screen.text
    await ann.send("not for the ticket")
    assert [m.text for m in await rows(running, TicketMessage)] == ["It jams"]


async def test_staff_help_and_a_new_topic_marked_waiting_with_the_charges_staff_need(ann, sam, group, running,
                                                                                    sandbox) -> None:
    await sam.send("/help", chat_id=GROUP)
    help_text = group.bot_messages()[-1].text
    assert help_text.startswith("🛠 Staff commands (🔒 administrators only)")
    for command in ("/close", "/reopen", "/note", "/assign", "/news", "/discounts", "/promo list", "/help"):
        assert command in help_text
    for admin_only in ("🔒 /discount <user_id>", "🔒 /revoke", "🔒 /promo new", "🔒 /paid", "🔒 /refund"):
        assert admin_only in help_text
    # A Stars top-up, then a ticket: its topic waits for staff from its first message, and its header card
    # names the payment by the charge id /refund takes.
    await ann.send("/menu")
    await ann.press("💰 Billing")
    await ann.press("➕ Top up")
    await ann.press(next(b for b in ann.screen.button_texts if "10" in b))
    charge = (await ann.pay()).telegram_payment_charge_id
    await file_ticket(ann, "Refund please", "I paid by mistake")
    assert [t.name for t in group.topics] == ["❗ #1 Refund please"]
    header = posts(group, group.topic("❗ #1 Refund please"))[0].text
    assert f"€10.00 (500 ⭐) · charge {charge}" in header


async def test_news_to_one_customer_says_customer(ann, sam, group, running) -> None:
    await ann.send("/start")
    await sam.send("/news Maintenance tonight", chat_id=GROUP)
    await sam.press("📨 Send to everyone", message=posts(group)[-1])
    assert posts(group)[-1].text.startswith("📨 News sent to 1 customer.\n")
