"""Ticket rules without Telegram: ownership, statuses, reopening window, rating, archive sweep, group links, news."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.errors import InvalidInput, NotFound
from domain.models import Notification, OutboxMessage, Ticket, TicketMessage, User
from domain.tickets import Attachment, ReopenExpired, TicketClosed, TicketSettings
from domain.unit import DomainContext, unit_of_work


@pytest.fixture
def unit(sessions, clock):
    context = DomainContext(clock=clock, tickets=TicketSettings(max_attachments=2, reopen_days=7, archive_days=30))
    return lambda: unit_of_work(sessions, context)


@pytest.fixture
async def users(unit, clock) -> None:
    async with unit() as domain:
        for user_id in (1, 2):
            domain.session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(),
                                    last_seen_at=clock.now(), time_zone="UTC", reachable=True))


async def new_ticket(unit, user_id: int = 1, **kwargs) -> int:
    kwargs.setdefault("department", "billing")
    kwargs.setdefault("subject", "Invoice")
    kwargs.setdefault("body", "Please send it")
    async with unit() as domain:
        return (await domain.tickets.create(user_id, **kwargs)).id


async def test_create_checks_every_field_and_keeps_attachments_as_file_ids(unit, users) -> None:
    async with unit() as domain:
        tickets = domain.tickets
        with pytest.raises(InvalidInput) as caught:
            await tickets.create(1, department="legal", subject="x", body="y")
        assert caught.value.message_id == "tickets-error-department"
        with pytest.raises(InvalidInput, match="tickets-error-subject"):
            await tickets.create(1, department="sales", subject=" \n ", body="y")
        with pytest.raises(InvalidInput, match="tickets-error-subject"):
            await tickets.create(1, department="sales", subject="s" * 101, body="y")
        with pytest.raises(InvalidInput, match="tickets-error-body"):
            await tickets.create(1, department="sales", subject="s", body="   ")
        with pytest.raises(InvalidInput, match="tickets-error-too-many"):
            await tickets.create(1, department="sales", subject="s", body="b",
                                 attachments=[Attachment("photo", f"f{i}") for i in range(3)])
        with pytest.raises(NotFound):
            await tickets.create(1, department="sales", subject="s", body="b", service_id=42)
    ticket_id = await new_ticket(unit, subject="  Two\nlines  ", attachments=[Attachment("document", "F1", "a.pdf")])
    async with unit() as domain:
        conversation = await domain.tickets.conversation(1, ticket_id)
        assert conversation.ticket.subject == "Two lines" and conversation.ticket.status == "open"
        assert [(m.kind, m.file_id, m.file_name) for m in conversation.messages] == [
            ("text", None, None), ("document", "F1", "a.pdf")]


async def test_a_foreign_ticket_is_not_found_for_every_customer_action(unit, users) -> None:
    ticket_id = await new_ticket(unit)
    async with unit() as domain:
        tickets = domain.tickets
        for call in (tickets.get(2, ticket_id), tickets.conversation(2, ticket_id), tickets.close(2, ticket_id),
                     tickets.reopen(2, ticket_id), tickets.rate(2, ticket_id, 5),
                     tickets.add_customer_message(2, ticket_id, "text", text="hi"), tickets.get(1, 999)):
            with pytest.raises(NotFound):
                await call
        assert (await tickets.page(2)).total == 0


async def test_statuses_follow_the_conversation(unit, users, clock) -> None:
    ticket_id = await new_ticket(unit)
    async with unit() as domain:
        await domain.tickets.add_customer_message(1, ticket_id, "text", text="more")
        assert (await domain.tickets.get(1, ticket_id)).status == "open"
        ticket = await domain.tickets.by_id(ticket_id)
        await domain.tickets.add_staff_message(ticket, 7, "Sam", "text", text="answer")
        assert ticket.status == "answered"
        clock.move(minutes=5)
        await domain.tickets.add_customer_message(1, ticket_id, "photo", file_id="P")
        assert ticket.status == "awaiting" and ticket.updated_at == clock.now()
        await domain.tickets.add_note(ticket, 7, "Sam", "internal")
        seen = await domain.tickets.conversation(1, ticket_id)
        assert [m.author for m in seen.messages] == ["customer", "customer", "staff", "customer"]
        with pytest.raises(InvalidInput):
            await domain.tickets.add_customer_message(1, ticket_id, "photo")  # no file
    async with unit() as domain:
        reply = (await domain.session.scalars(select(Notification))).one()
        assert (reply.key, reply.category, reply.args["ticket"]) == ("tickets-notify-reply", "support", ticket_id)
        assert (await domain.session.scalars(select(OutboxMessage))).all() == []  # the answer itself is the push


async def test_closing_reopening_and_rating(unit, users, clock) -> None:
    ticket_id = await new_ticket(unit)
    async with unit() as domain:
        with pytest.raises(InvalidInput, match="tickets-error-rate-open"):
            await domain.tickets.rate(1, ticket_id, 4)
        ticket = await domain.tickets.by_id(ticket_id)
        await domain.tickets.staff_close(ticket)
        with pytest.raises(TicketClosed):
            await domain.tickets.close(1, ticket_id)
        with pytest.raises(TicketClosed):
            await domain.tickets.add_customer_message(1, ticket_id, "text", text="late")
        with pytest.raises(TicketClosed):
            await domain.tickets.add_staff_message(ticket, 7, "Sam", "text", text="late")
        with pytest.raises(InvalidInput, match="tickets-error-rating"):
            await domain.tickets.rate(1, ticket_id, 6)
        assert (await domain.tickets.rate(1, ticket_id, 5)).rating == 5
    async with unit() as domain:
        closed = (await domain.session.scalars(select(Notification))).one()
        assert closed.key == "tickets-notify-closed" and closed.buttons[0]["action"] == "ticket-open"
        assert len((await domain.session.scalars(select(OutboxMessage))).all()) == 1
    clock.move(days=7)
    async with unit() as domain:
        assert (await domain.tickets.reopen(1, ticket_id)).status == "awaiting"
        await domain.tickets.close(1, ticket_id)  # by the customer: no push
        assert len((await domain.session.scalars(select(OutboxMessage))).all()) == 1
    clock.move(days=7, seconds=1)
    async with unit() as domain:
        with pytest.raises(ReopenExpired) as caught:
            await domain.tickets.reopen(1, ticket_id)
        assert caught.value.args_ == {"days": 7}
        ticket = await domain.tickets.by_id(ticket_id)
        assert (await domain.tickets.staff_reopen(ticket)).status == "awaiting"  # staff may always


async def test_the_archive_sweep_is_idempotent_and_archived_tickets_are_read_only(unit, users, clock) -> None:
    old = await new_ticket(unit)
    recent = await new_ticket(unit, subject="Recent")
    still_open = await new_ticket(unit, subject="Open")
    async with unit() as domain:
        await domain.tickets.close(1, old)
    clock.move(days=20)
    async with unit() as domain:
        await domain.tickets.close(1, recent)
    clock.move(days=10)
    async with unit() as domain:
        assert [a.id for a in await domain.tickets.archive_closed()] == [old]
        assert await domain.tickets.archive_closed() == []
    async with unit() as domain:
        statuses = {t.id: t.status for t in (await domain.session.scalars(select(Ticket))).all()}
        assert statuses == {old: "archived", recent: "closed", still_open: "open"}
        assert [t.id for t in (await domain.tickets.page(1, archived=True)).tickets] == [old]
        assert {t.id for t in (await domain.tickets.page(1)).tickets} == {recent, still_open}
        assert await domain.tickets.has_archived(1) and not await domain.tickets.has_archived(2)
        with pytest.raises(ReopenExpired):
            await domain.tickets.reopen(1, old)
        with pytest.raises(TicketClosed):
            await domain.tickets.add_customer_message(1, old, "text", text="hello?")


async def test_group_links_are_stored_once_and_the_first_placement_wins(unit, users) -> None:
    ticket_id = await new_ticket(unit)
    async with unit() as domain:
        assert await domain.tickets.attach_to_group(ticket_id, -100, 55)
        assert not await domain.tickets.attach_to_group(ticket_id, -100, 56)
        assert await domain.tickets.link_group_message(-100, 60, ticket_id)
        assert not await domain.tickets.link_group_message(-100, 60, ticket_id)
    async with unit() as domain:
        assert (await domain.tickets.by_topic(-100, 55)).id == ticket_id
        assert await domain.tickets.by_topic(-100, 56) is None
        assert (await domain.tickets.by_group_message(-100, 60)).id == ticket_id
        assert await domain.tickets.by_group_message(-101, 60) is None


async def test_assign_and_notes_validate_their_input(unit, users) -> None:
    ticket_id = await new_ticket(unit)
    async with unit() as domain:
        ticket = await domain.tickets.by_id(ticket_id)
        assert (await domain.tickets.assign(ticket, "@sam_1")).assignee == "sam_1"
        for bad in ("", "@", "two words", "x" * 33):
            with pytest.raises(InvalidInput):
                await domain.tickets.assign(ticket, bad)
        with pytest.raises(InvalidInput):
            await domain.tickets.add_note(ticket, 7, "Sam", "  ")
    async with unit() as domain:
        assert (await domain.session.scalars(select(TicketMessage).where(TicketMessage.author == "note"))).all() == []


async def test_news_reaches_every_inbox_once_and_skips_pushes_to_muted(unit, users) -> None:
    async with unit() as domain:
        await domain.notifications.set_muted(2, "news", True)
        assert await domain.tickets.publish_news("Maintenance tonight", "g:1") == 2
        assert await domain.tickets.publish_news("Maintenance tonight", "g:1") == 0
        with pytest.raises(InvalidInput):
            await domain.tickets.publish_news("  ", "g:2")
    async with unit() as domain:
        notes = (await domain.session.scalars(select(Notification))).all()
        assert sorted((n.user_id, n.key, n.args["text"]) for n in notes) == [
            (1, "tickets-news", "Maintenance tonight"), (2, "tickets-news", "Maintenance tonight")]
        assert [o.chat_id for o in (await domain.session.scalars(select(OutboxMessage))).all()] == [1]
