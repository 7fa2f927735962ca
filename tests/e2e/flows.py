"""What several end-to-end modules do the same way: a customer's flows through the bot (ordering, opening a
section, filing a ticket, turning on two-step authentication), purchases made straight through the domain, the
test data they share, and short reads of the database. Test modules import from here, never from each other.

Customer flows take a sandbox user driver (`ann`, `ivan`) and act as a person does: type, tap, read. Helpers
that take `running` (the `RunningBot`) go through the app's own unit of work or a plain session.
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from bot.delivery import DeliveryWorker
from bot.jobs import ExpiryJobs
from domain.models import Certificate, LedgerEntry
from domain.security import current_step, totp_code
from sandbox import make_png

ROOT = Path(__file__).resolve().parents[2]

# --- shared data ---------------------------------------------------------------------------------------------

PUBLIC_IP = "93.184.216.34"  # a licence's address: public, IPv4
PRO_MONTH = 1290  # €12.90: the Pro licence for one month
GROUP = -1001000000001  # the staff group (a forum) of modules that set STAFF_CHAT_ID to it
RIGHTS = {"can_manage_topics": True, "can_delete_messages": True, "can_pin_messages": True}  # the bot's, there
COMPANY = {"name": "ООО «Ромашка»", "country": "RU", "reg_number": "1027700132195",
           "tax_number": "7707083893/773601001", "address": "Москва, Пресненская наб., 10", "contact": "Пётр",
           "email": "buh@romashka.ru"}  # a legal-entity payer, as `domain.payers.create(user, "legal", COMPANY)`


# --- the database ----------------------------------------------------------------------------------------------

async def rows(running, model, *where) -> list:
    """Every `model` row matching `where`, in primary key order."""
    async with running.sessions() as session:
        return list(await session.scalars(
            select(model).where(*where).order_by(*model.__table__.primary_key.columns)))


async def one(running, model, *where):
    """The one `model` row matching `where` (fails on none or several)."""
    async with running.sessions() as session:
        return (await session.scalars(select(model).where(*where))).one()


async def count(running, model, *where) -> int:
    async with running.sessions() as session:
        return await session.scalar(select(func.count()).select_from(model).where(*where)) or 0


# --- money and purchases through the domain ----------------------------------------------------------------------

async def credit(running, user_id: int, amount: int, reference: str) -> None:
    """An adjustment of `amount` (minor units) on the customer's balance, as staff would make it."""
    async with running.app.domain() as domain:
        await domain.ledger.post(user_id, "adjustment", amount, reference)


async def buy(running, user_id: int, tariff: str = "pro", months: int = 12, product: str = "ispmanager", *,
              extra: int = 0, auto_renew: bool = False, push_keys: bool = False, **params) -> int:
    """A service bought through the real cart and checkout, paid with a gift of its price plus `extra` (which is
    left on the balance); `params` are the order's (name, ip, domain, licence_id). Returns the service's id.
    `push_keys`: a licence's key notice is pushed too, as for a purchase not answered in the chat (by default it
    waits in the inbox, as after a purchase in the chat, so no push lands in the middle of a test's flow)."""
    async with running.app.domain() as domain:
        chosen = next(t for t in await domain.catalogue.tariffs(product) if t.code == tariff)
        price = await domain.catalogue.price(chosen, months)
        entries = await domain.session.scalar(select(func.count()).select_from(LedgerEntry))
        await domain.ledger.post(user_id, "adjustment", price.total + extra, f"test:{entries}")
        if product == "ispmanager":
            params.setdefault("ip", PUBLIC_IP)
        await domain.orders.add_to_cart(user_id, chosen.id, months, params)
        service = (await domain.orders.checkout(user_id, push_keys=push_keys)).services[0]
        if auto_renew:
            await domain.renewals.set_auto_renew(user_id, service.id, True)
        return service.id


# --- ordering as a customer ------------------------------------------------------------------------------------

def starting(customer, prefix: str) -> str:
    """The label of the button on the screen that starts with `prefix` (tariffs and periods carry prices)."""
    return next(b for b in customer.screen.button_texts if b.startswith(prefix))


async def order_licence(customer, tariff: str = "Pro", months: str = "12 months", name: str | None = "web-1",
                        ip: str = PUBLIC_IP) -> None:
    """Order -> ispmanager licence through the wizard, into the cart (not paid)."""
    await customer.send("/menu")
    await customer.press("🛒 Order")
    await customer.press("ispmanager licence")
    await customer.press(starting(customer, tariff))
    await customer.press(starting(customer, months))
    if name:
        await customer.send(name)
    else:
        await customer.press("Skip")
    await customer.send(ip)
    await customer.press("✅ To cart")


async def order_ssl(customer, tariff: str = "Domain validation (DV)", domain: str = "пример.рф",
                    period: str = "12 months") -> None:
    """Order -> SSL certificate through the wizard, into the cart (not paid)."""
    await customer.send("/menu")
    await customer.press("🛒 Order")
    await customer.press("SSL certificate")
    await customer.press(starting(customer, tariff))
    await customer.press(starting(customer, period))
    await customer.send(domain)
    await customer.press("✅ To cart")


async def press(customer, callback) -> None:
    """Tap a button with this callback data (a `CallbackData` or its packed text) on the last bot message, as a
    forged or stale client would: whether or not such a button is on the screen."""
    await customer.press(callback_data=callback if isinstance(callback, str) else callback.pack(),
                         message=customer.bot_messages[-1])


# --- sections --------------------------------------------------------------------------------------------------

async def open_licence(customer, service_id: int, section: str = "🔑 Licences") -> None:
    await customer.send("/menu")
    await customer.press(section)
    await customer.press(starting(customer, f"#{service_id} "))


async def open_payers(customer, client: str = "👤 Client", payers: str = "🧾 Payers") -> None:
    await customer.send("/menu")
    await customer.press(client)
    await customer.press(payers)


async def add_legal_ru(customer) -> None:
    """A Russian company added through Client -> Payers in Russian; ends on the saved payer."""
    await open_payers(customer, "👤 Клиент", "🧾 Плательщики")
    await customer.press("➕ Добавить плательщика")
    await customer.press("Юридическое лицо")
    await customer.send("ООО «Ромашка»")
    await customer.send("Россия")
    await customer.send("1027700132195")
    await customer.send("7707083893/773601001")
    await customer.send("123112, Москва, Пресненская наб., 10")
    await customer.send("Пётр Петров")
    await customer.send("buh@romashka.ru")
    await customer.press("✅ Сохранить")


# --- two-step authentication -------------------------------------------------------------------------------------

async def open_twofa(driver, button: str = "🔐 Two-step authentication") -> None:
    await driver.send("/settings")
    await driver.press(button)


def secret_from(caption: str) -> str:
    """What a person types into the authenticator app: the key under the QR code, without spaces."""
    match = re.search(r"\n([A-Z2-7 ]{20,})\n", caption)
    assert match, caption
    return match.group(1).replace(" ", "")


def code(secret: str, clock, offset: int = 0) -> str:
    """The authenticator app's code now (or `offset` 30-second steps away)."""
    return totp_code(secret, current_step(clock.now()) + offset)


async def enable(driver, clock, enable_button: str = "🔐 Enable") -> tuple[str, list[str]]:
    """Turn two-step authentication on with the first code; returns the secret and the recovery codes shown.
    The clock moves on 30 s, so the next code is a fresh one."""
    await open_twofa(driver, "🔐 Two-step authentication" if enable_button == "🔐 Enable"
                     else "🔐 Двухэтапная аутентификация")
    await driver.press(enable_button)
    secret = secret_from(driver.screen.caption)
    await driver.send(code(secret, clock))
    recovery = re.findall(r"\b[2-9a-z]{5}-[2-9a-z]{5}\b", driver.screen.text)
    clock.move(seconds=30)  # the next code from the app
    return secret, recovery


# --- support tickets and the staff group ----------------------------------------------------------------------

async def file_ticket(customer, subject: str, body: str, *, department: str = "Billing",
                      photos: int = 0, document: bytes | None = None, menu: str = "/support",
                      new: str = "✍️ New ticket", send: str = "📨 Send ticket") -> None:
    await customer.send(menu)
    await customer.press(new)
    await customer.press(department)
    await customer.send(subject)
    await customer.send(body)
    for _ in range(photos):
        await customer.send_photo(make_png(3, 3))
    if document is not None:
        await customer.send_document(document, "log.txt")
    await customer.press(send)


def posts(group, topic=None) -> list:
    """The bot's messages in a topic (or the whole group), without Telegram's service messages."""
    thread = topic.message_thread_id if topic is not None else None
    return [m for m in group.bot_messages(thread) if not any(k.startswith("forum_topic") for k in m.content)]


def topic_texts(group, topic) -> list[str]:
    return [m.text or m.caption or "" for m in posts(group, topic)]


# --- SSL certificates ------------------------------------------------------------------------------------------

async def buy_ssl(customer, running, domain: str, tariff: str = "Domain validation (DV)",
                  pay: str = "💳 Pay €15.00", period: str = "12 months") -> None:
    """A certificate ordered and paid in the bot, with a gift that covers it."""
    await customer.send("/start")
    await credit(running, customer.id, 100_000, f"test:gift:{customer.id}")
    await order_ssl(customer, tariff, domain, period)
    await customer.press("🧺 Cart")
    await customer.press(pay)


async def issue(customer, running, local_dns, domain: str, key: str = "Make an EC P-256 key (recommended)",
                **order: str) -> Certificate:
    """Order a certificate, make a key kept on the server, publish the DNS record and check: issued."""
    await buy_ssl(customer, running, domain, **order)
    await customer.send("/menu")
    await customer.press("🔒 Certificates")
    await customer.press(f"{domain} · 📝 Awaiting CSR")
    await customer.press("🔑 Key and CSR")
    await customer.press(key)
    await customer.press("🔐 Keep it, encrypted")
    local_dns.txt[f"_dnsauth.{domain}"] = [(await one(running, Certificate)).dcv_token]
    await customer.press("🔍 Check now")
    assert "Status: ✅ Issued" in customer.screen.text
    return await one(running, Certificate)


# --- the app's background work, run by the test --------------------------------------------------------------

def worker(running) -> DeliveryWorker:
    return running.app.dispatcher["delivery"]


def jobs(running) -> ExpiryJobs:
    return running.app.dispatcher["expiry_jobs"]


async def drain(running) -> None:
    """One pass of the delivery worker over everything due now."""
    await worker(running).drain()


async def deliver(running, clock) -> None:
    """Everything due, including what waited for its chat's one-message-a-second slot."""
    for _ in range(10):
        await worker(running).drain()
        async with running.app.domain() as domain:
            if not (await domain.outbox.counts())["pending"]:
                return
        clock.move(seconds=2)
    raise AssertionError("outbox not drained")


def current(customer, message):
    """A message as it is now (screens are edited in place)."""
    return next(m for m in customer.bot_messages if m.message_id == message.message_id)


def pushes(customer, marker: str) -> list:
    return [m for m in customer.bot_messages if marker in m.text]


async def eventually(condition: Callable[[], Any], attempts: int = 200) -> None:
    """Wait (up to 10 s) for what the bot does on its own time."""
    for _ in range(attempts):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("condition not reached")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
