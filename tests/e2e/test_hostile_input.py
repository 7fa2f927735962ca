"""A fixed set of hostile inputs at every text step of the bot, as a careless or malicious customer sends them:
long, HTML, control characters, NUL, right-to-left, emoji, SQL quotes, huge numbers, a photo or a document
where text is asked. Each gets an answer, never an error reference nor a 400 from Telegram; where the step
refuses the input, nothing in the database changed, and what a step took is stored normalised."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import select

from domain.models import Base
from handlers.billing import BillCb
from handlers.certificates import CertCb
from handlers.discounts.keyboards import DiscountCb
from handlers.licences.keyboards import SvcCb
from handlers.methods import PmCb
from handlers.settings import SettingsCb
from handlers.tickets import TkCb
from sandbox import FloodLimits, Sandbox, make_png
from tests.e2e.conftest import make_settings
from tests.e2e.flows import buy, open_payers, press

PHOTO = ("photo", make_png(4, 4))
DOCUMENT = ("document", b"%PDF-1.4 nothing\n")
HOSTILE: list[tuple[str, Any]] = [
    ("long", "x" * 4096),
    ("html", '<b>x</b> </code> <a href="x">'),
    ("entities", "&" * 600 + "&amp; &lt;"),
    ("control", "a\x01b\x07c\x1b[31md\x7f"),
    ("nul", "ab\x00cd"),
    ("rtl", "\u202eevil\u202c שלום مرحبا"),
    ("emoji", "👨\u200d👩\u200d👧 🔥 🇺🇦"),
    ("sql", "'; DROP TABLE users; -- \" OR 1=1"),
    ("huge number", "9" * 400),
    ("negative", "-1"),
    PHOTO,
    DOCUMENT,
]
VOLATILE = {("users", "last_seen_at")}
SKIPPED_TABLES = {"fsm_states"}  # dialog data: what a dialog holds until it saves


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False)


@dataclass
class World:
    licence: int
    certificate: int
    ticket: int
    method: int


Enter = Callable[[Any, World], Awaitable[None]]


async def order_step(customer, product: str, skip_name: bool = False) -> None:
    await customer.send("/menu")
    await customer.press("🛒 Order")
    await customer.press(product)
    await customer.press(customer.screen.button_texts[0])
    await customer.press(next(b for b in customer.screen.button_texts if b.startswith("12 months")))
    if skip_name:
        await customer.press("Skip")


async def new_ticket(customer, world: World, *, body: bool = False) -> None:
    await customer.send("/support")
    await customer.press("✍️ New ticket")
    await customer.press("Billing")
    await customer.press("No particular service")
    if body:
        await customer.send("Subject")


async def new_payer(customer, world: World) -> None:
    await open_payers(customer)
    await customer.press("➕ Add a payer")
    await customer.press("Individual")


# Every text step the bot has, and how a customer reaches it. The state is what the step is while it asks.
STEPS: list[tuple[str, str, Enter]] = [
    ("order: licence name", "OrderWizard:name", lambda c, w: order_step(c, "ispmanager licence")),
    ("order: licence IP", "OrderWizard:ip", lambda c, w: order_step(c, "ispmanager licence", skip_name=True)),
    ("order: certificate domain", "OrderWizard:domain", lambda c, w: order_step(c, "SSL certificate")),
    ("licence: rename", "ServiceForm:name", lambda c, w: press(c, SvcCb(action="rn", id=w.licence))),
    ("licence: IP", "ServiceForm:ip", lambda c, w: press(c, SvcCb(action="ip", id=w.licence))),
    ("settings: phone", "SettingsForm:phone", lambda c, w: press(c, SettingsCb(action="phone"))),
    ("settings: e-mail", "SettingsForm:email", lambda c, w: press(c, SettingsCb(action="email"))),
    ("settings: avatar", "SettingsForm:avatar", lambda c, w: press(c, SettingsCb(action="avatar"))),
    ("settings: time zone", "SettingsForm:time_zone", lambda c, w: press(c, SettingsCb(action="tz"))),
    ("2FA: first code", "TwoFactorForm:confirm", lambda c, w: press(c, SettingsCb(action="2fa_on"))),
    ("billing: top-up amount", "TopupAmount:amount", lambda c, w: press(c, BillCb(action="custom"))),
    ("discounts: promo code", "PromoForm:code", lambda c, w: press(c, DiscountCb(action="code"))),
    ("payment method: rename", "RenameMethod:name", lambda c, w: press(c, PmCb(action="ren", id=w.method))),
    ("payers: first field", "PayerForm:step", new_payer),
    ("certificate: own CSR", "CertForm:csr", lambda c, w: press(c, CertCb(action="own", id=w.certificate))),
    ("certificate: more names", "CertForm:sans", lambda c, w: press(c, CertCb(action="s", id=w.certificate))),
    ("ticket: subject", "NewTicket:subject", new_ticket),
    ("ticket: message", "NewTicket:body", lambda c, w: new_ticket(c, w, body=True)),
    ("ticket: reply", "TicketReply:message", lambda c, w: press(c, TkCb(action="r", id=w.ticket))),
]
# Steps that take one answer after another in the same state (a reply; the payer's fields, kept in the dialog
# until Save): the state cannot tell a refusal from an answer taken. Their limits have boundary tests.
REPEATING = {"TicketReply:message", "PayerForm:step"}


async def prepare(ann, running) -> World:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    certificate = await buy(running, 1001, "dv", 12, product="ssl", domain="shop.example.org")
    async with running.app.domain() as domain:
        ticket = await domain.tickets.create(1001, department="billing", subject="Help", body="Hello")
        method = await domain.payment_methods.add_telegram(1001)
    return World(licence, certificate, ticket.id, method.id)


async def snapshot(running) -> dict[str, list[tuple]]:
    rows: dict[str, list[tuple]] = {}
    async with running.sessions() as session:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in VOLATILE]
            result = await session.execute(select(*columns).order_by(*table.primary_key.columns))
            rows[table.name] = [tuple(r) for r in result]
    return rows


def carries_raw_controls(rows: dict[str, list[tuple]]) -> list[str]:
    found = []
    for table, values in rows.items():
        for row in values:
            for value in row:
                if isinstance(value, str) and any(ch in value for ch in ("\x00", "\x01", "\x07", "\x1b", "\x7f")):
                    found.append(f"{table}: {value[:40]!r}")
    return found


async def state_of(running, user_id: int) -> str | None:
    app = running.app
    key = StorageKey(bot_id=app.bot.id, chat_id=user_id, user_id=user_id)
    return await app.dispatcher.storage.get_state(key)


async def send(customer, kind: str, value: Any) -> None:
    if kind == "photo":
        await customer.send_photo(value)
    elif kind == "document":
        await customer.send_document(value, "notes.pdf")
    else:
        await customer.send(value)


async def test_every_text_step_answers_hostile_input_and_keeps_data_whole(ann, running, sandbox) -> None:
    world = await prepare(ann, running)
    results: dict[str, int] = {"sent": 0, "refused": 0, "taken": 0}
    for name, state, enter in STEPS:
        for kind, value in HOSTILE:
            if await state_of(running, 1001) != state:
                await enter(ann, world)
                assert await state_of(running, 1001) == state, f"{name}: not at the step"
            before = await snapshot(running)
            calls_before = len(sandbox.core.requests)
            shown_before = len(ann.bot_messages)
            await send(ann, kind, value)
            results["sent"] += 1
            where = f"{name} <- {kind}"
            calls = sandbox.core.requests[calls_before:]
            refused = [f"{c.method}: {c.description}" for c in calls
                       if c.error_code is not None and c.error_code >= 400]
            assert refused == [], f"{where}: Telegram refused {refused}"
            answers = [c for c in calls if c.method in ("sendMessage", "editMessageText", "sendPhoto", "sendInvoice",
                                                         "sendDocument", "editMessageReplyMarkup")]
            assert answers, f"{where}: no answer"
            texts = [m.text or m.caption or "" for m in ann.bot_messages[shown_before:]]
            assert not any("reference:" in t or "went wrong" in t for t in texts), f"{where}: {texts}"
            after = await snapshot(running)
            if await state_of(running, 1001) == state and state not in REPEATING:
                results["refused"] += 1
                changed = [t for t in after if after[t] != before[t]]
                assert changed == [], f"{where}: refused, but {changed} changed"
            else:
                results["taken"] += 1
            assert carries_raw_controls(after) == [], where
    assert results["sent"] == len(STEPS) * len(HOSTILE)
    print(f"hostile inputs: {results}")


# Every length a step states, at the limit (taken) and one past it (refused with the limit, nothing stored).
LIMITS = [
    ("order: licence name", 64, "64"),
    ("licence: rename", 64, "64"),
    ("payment method: rename", 32, "32"),
    ("payers: first field", 200, "200"),
    ("ticket: subject", 100, "100"),
    ("ticket: message", 3500, "3500"),
    ("ticket: reply", 3500, "3500"),
]


@pytest.mark.parametrize(("step", "limit", "shown"), LIMITS, ids=[s for s, _, _ in LIMITS])
async def test_each_stated_limit_at_its_boundary(ann, running, sandbox, step, limit, shown) -> None:
    world = await prepare(ann, running)
    name, state, enter = next(s for s in STEPS if s[0] == step)
    await enter(ann, world)
    before = await snapshot(running)
    await ann.send("ж" * (limit + 1))
    assert shown in ann.bot_messages[-1].text, f"{name}: the refusal names the limit"
    assert await state_of(running, 1001) == state
    after = await snapshot(running)
    assert [t for t in after if after[t] != before[t]] == []
    await ann.send("ж" * limit)
    assert shown not in ann.bot_messages[-1].text or await state_of(running, 1001) != state
    sandbox.assert_no_bot_errors()
