"""The relay between a ticket and the staff group, without Telegram: a stand-in group that can fail."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from domain.errors import InvalidInput
from domain.models import Ticket, TicketGroupMessage, TicketMessage, User
from domain.relay import Opened, Posted, TicketChange
from domain.tickets import Attachment, HeaderCard, TicketClosed
from domain.unit import DomainContext, unit_of_work

GROUP = -100


class Group:
    """The staff group as a list of posts; `down` refuses everything, `refuse` the next N posts."""

    def __init__(self, chat_id: int | None = GROUP) -> None:
        self.chat_id = chat_id
        self.topics: list[int] = []
        self.posts: list[tuple[int | None, str]] = []
        self.renamed: list[tuple[int, str]] = []
        self.down = False
        self.refuse = 0
        self.gone: set[int] = set()
        self._ids = iter(range(1, 1000))

    async def open_topic(self, ticket: Ticket) -> Opened | None:
        await asyncio.sleep(0)  # a round trip: another task may run meanwhile
        if self.down:
            return None
        topic = next(self._ids)
        self.topics.append(topic)
        return Opened(topic)

    async def drop_topic(self, topic_id: int) -> None:
        self.topics.remove(topic_id)

    def _post(self, topic_id: int | None, text: str) -> Posted:
        if topic_id in self.gone:
            return Posted(None, place_gone=True)
        if self.down or self.refuse:
            self.refuse = max(0, self.refuse - 1)
            return Posted(None)
        self.posts.append((topic_id, text))
        return Posted(next(self._ids))

    async def post_header(self, card: HeaderCard, topic_id: int | None) -> int | None:
        return self._post(topic_id, f"header #{card.ticket.id}").message_id

    async def post_message(self, ticket: Ticket, message: TicketMessage, customer: User) -> Posted:
        return self._post(ticket.topic_id, f"{customer.first_name}: {message.text or message.kind}")

    async def post_line(self, ticket: Ticket, key: str, args: dict[str, Any]) -> Posted:
        return self._post(ticket.topic_id, key)

    async def show_status(self, ticket: Ticket) -> None:
        if ticket.topic_id is not None:
            self.renamed.append((ticket.topic_id, ticket.status))


@pytest.fixture
def unit(sessions, clock):
    context = DomainContext(clock=clock)
    return lambda: unit_of_work(sessions, context)


@pytest.fixture
async def ann(unit, clock) -> int:
    async with unit() as domain:
        domain.session.add(User(id=1, first_name="Ann", created_at=clock.now(), last_seen_at=clock.now(),
                                time_zone="UTC", reachable=True))
    return 1


def texts(group: Group, topic: int | None = None) -> list[str]:
    return [text for where, text in group.posts if topic is None or where == topic]


async def test_a_new_ticket_gets_a_place_with_its_header_and_messages_in_order(unit, ann) -> None:
    group = Group()
    async with unit() as domain:
        filed = await domain.relay.file(1, group, department="billing", subject="Help", body="First",
                                        attachments=[Attachment("photo", "P1")])
    assert filed.relayed.complete and filed.ticket.topic_id == group.topics[0]
    assert texts(group) == ["header #1", "Ann: First", "Ann: photo"]
    async with unit() as domain:
        written = await domain.relay.write(1, filed.ticket.id, group, "text", text="Second")
        links = list(await domain.session.scalars(select(TicketGroupMessage.ticket_id)))
    assert written.relayed.complete and texts(group)[-1] == "Ann: Second"
    assert links == [1] * 4 and len(group.topics) == 1


async def test_what_the_group_refused_is_posted_by_the_next_relay_in_the_customers_order(unit, ann) -> None:
    group = Group()
    group.down = True
    async with unit() as domain:
        filed = await domain.relay.file(1, group, department="billing", subject="Down", body="zero")
        assert not filed.relayed.complete and filed.relayed.ticket is not None
        ticket_id = filed.ticket.id
    group.down = False
    async with unit() as domain:
        await domain.relay.relay(ticket_id, group)
    group.refuse = 1
    async with unit() as domain:
        assert not (await domain.relay.write(1, ticket_id, group, "text", text="one")).relayed.complete
    async with unit() as domain:
        assert (await domain.relay.write(1, ticket_id, group, "text", text="two")).relayed.complete
    assert texts(group) == ["header #1", "Ann: zero", "Ann: one", "Ann: two"]
    async with unit() as domain:
        assert (await domain.relay.relay(ticket_id, group)).complete  # nothing left: nothing posted twice
        messages = list(await domain.session.scalars(select(TicketMessage)))
    assert len(group.posts) == 4 and all(m.relayed_at and m.relay_claimed_until is None for m in messages)


async def test_a_topic_deleted_in_the_group_is_made_anew_with_the_whole_conversation(unit, ann) -> None:
    group = Group()
    async with unit() as domain:
        ticket_id = (await domain.relay.file(1, group, department="billing", subject="Gone", body="a")).ticket.id
    group.gone.add(group.topics[0])
    async with unit() as domain:
        written = await domain.relay.write(1, ticket_id, group, "text", text="b")
    new = group.topics[-1]
    assert written.relayed.complete and written.relayed.ticket.topic_id == new != group.topics[0]
    assert texts(group, new) == ["header #1", "Ann: a", "Ann: b"]


async def test_two_placements_at_once_make_one_place(unit, ann) -> None:
    group = Group()
    group.down = True
    async with unit() as domain:
        ticket_id = (await domain.relay.file(1, group, department="billing", subject="Race", body="x")).ticket.id
    group.down = False

    async def place() -> int | None:
        async with unit() as domain:
            ticket = await domain.relay.place(ticket_id, group)
            return ticket.topic_id if ticket is not None else None

    first, second = await asyncio.gather(place(), place())
    assert first == second == group.topics[0] and len(group.topics) == 1 and texts(group) == ["header #1"]


async def test_without_a_staff_group_a_ticket_is_filed_and_waits(unit, ann) -> None:
    async with unit() as domain:
        filed = await domain.relay.file(1, Group(None), department="billing", subject="Alone", body="x")
    assert filed.relayed.ticket is None and not filed.relayed.complete and filed.ticket.staff_chat_id is None


async def test_a_refusal_writes_nothing_and_posts_nothing(unit, ann) -> None:
    group = Group()
    async with unit() as domain:
        with pytest.raises(InvalidInput):
            await domain.relay.file(1, group, department="billing", subject=" ", body="x")
    async with unit() as domain:
        assert list(await domain.session.scalars(select(Ticket))) == [] and group.posts == []


async def test_the_customers_changes_show_in_the_topic(unit, ann) -> None:
    group = Group()
    async with unit() as domain:
        ticket_id = (await domain.relay.file(1, group, department="billing", subject="Q", body="x")).ticket.id
    async with unit() as domain:
        closed = await domain.relay.change(1, ticket_id, TicketChange.CLOSE, group)
        rated = await domain.relay.change(1, ticket_id, TicketChange.RATE, group, rating=4)
        reopened = await domain.relay.change(1, ticket_id, TicketChange.REOPEN, group)
    assert (closed.status, rated.rating, reopened.status) == ("awaiting", 4, "awaiting")
    assert texts(group)[-3:] == ["tickets-group-closed-by-customer", "tickets-group-rated",
                                 "tickets-group-reopened-by-customer"]
    assert [status for _, status in group.renamed][-3:] == ["closed", "closed", "awaiting"]


async def test_a_staff_answer_is_taken_once(unit, ann) -> None:
    group = Group()
    async with unit() as domain:
        ticket = (await domain.relay.file(1, group, department="billing", subject="Q", body="x")).ticket
    async with unit() as domain:
        ticket = await domain.tickets.by_id(ticket.id)
        answer = await domain.relay.take_answer(ticket, GROUP, 500, 7, "Sam", "text", text="Hello")
        again = await domain.relay.take_answer(ticket, GROUP, 500, 7, "Sam", "text", text="Hello")
    assert answer.customer.id == 1 and answer.message.text == "Hello" and again.duplicate and again.message is None
    async with unit() as domain:
        ticket = await domain.relay.change(1, ticket.id, TicketChange.CLOSE, group)
        with pytest.raises(TicketClosed):
            await domain.relay.take_answer(ticket, GROUP, 501, 7, "Sam", "text", text="Late")
