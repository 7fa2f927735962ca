"""What a service's card gives the customer: the licence's activation key from the purchase on (shown again on
the card, behind the second factor, as a message navigation never edits), Renew now on every service (licence,
module, certificate) with its price, a top-up of the shortfall, and a stale button that renews nothing twice."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.models import LedgerEntry, Notification, OutboxMessage, Service, ServiceEvent
from sandbox import FloodLimits, Sandbox
from tests.e2e.conftest import make_settings
from tests.e2e.flows import (
    PRO_MONTH,
    buy,
    buy_ssl,
    code,
    current,
    deliver,
    enable,
    jobs,
    one,
    open_licence,
    pushes,
    rows,
    starting,
)


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False)


def code_in(message) -> str:
    entity = next(e for e in message.entities if e["type"] == "code")
    return message.text[entity["offset"]: entity["offset"] + entity["length"]]


async def stored_key(running, service_id: int) -> str:
    service = await one(running, Service, Service.id == service_id)
    return running.app.context.cipher.decrypt_text(service.activation_key)


async def money_state(running, service_id: int) -> tuple:
    """What a stale money button must not change: the service's ledger entries, its expiry and its history."""
    async with running.sessions() as session:
        service = await session.get(Service, service_id)
        entries = list(await session.scalars(select(LedgerEntry.reference).order_by(LedgerEntry.id)))
        events = list(await session.scalars(select(ServiceEvent.id).where(ServiceEvent.service_id == service_id)))
        return service.expires_at, service.status, entries, events


# --- the activation key --------------------------------------------------------------------------------------

async def test_a_bought_licence_comes_with_its_key_and_the_card_shows_it_again(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1", push_keys=True)  # as when staff record a transfer
    key = await stored_key(running, licence)
    await deliver(running, clock)
    [notice] = pushes(ann, "is ready")
    assert notice.text.startswith(f"🔑 Licence #{licence} web-1 (ispmanager licence) is ready.")
    # The key is encrypted at rest: neither the service row, the notice nor its outbox row hold it in clear.
    raw = (await one(running, Service, Service.id == licence)).activation_key
    assert key.encode() not in raw
    [row] = await rows(running, Notification, Notification.key == "licence-notification-key")
    assert key not in str(row.args) + str(row.buttons) and key not in notice.text
    assert len(await rows(running, OutboxMessage, OutboxMessage.notification_id == row.id)) == 1

    await ann.press("🔑 Show key", message=notice)
    kept = ann.bot_messages[-2]
    assert code_in(kept) == key and kept.text.startswith(f"Activation key of #{licence} web-1:")
    assert not kept.buttons
    assert ann.screen.text.startswith(f"Licence #{licence} web-1")  # the card below, as the screen
    await ann.press("« Back")
    await ann.press("☰ Main menu")
    assert key in current(ann, kept).text  # navigation never edits it away

    # From the card, again; after a new key, the card shows the new one.
    await open_licence(ann, licence)
    await ann.press("🔑 Show key")
    assert code_in(ann.bot_messages[-2]) == key
    await ann.press("🔑 New activation key")
    await ann.press("🔑 Generate a new key")
    new = code_in(ann.bot_messages[-2])
    assert new != key and new == await stored_key(running, licence)
    await ann.press("🔑 Show key")
    assert code_in(ann.bot_messages[-2]) == new


async def test_showing_the_key_asks_for_the_second_factor(ann, running, clock) -> None:
    await ann.send("/start")
    secret, _ = await enable(ann, clock)
    licence = await buy(running, 1001, name="web-1")
    key = await stored_key(running, licence)
    await open_licence(ann, licence)
    await ann.press("🔑 Show key")
    assert all(key not in m.text for m in ann.bot_messages)
    await ann.send(code(secret, clock))
    await ann.press(next(b for b in ann.screen.button_texts if b != "☰ Main menu"))
    assert code_in(ann.bot_messages[-2]) == key


async def test_the_key_in_russian(ivan, running, clock) -> None:
    await ivan.send("/start")
    licence = await buy(running, 1002, name="сервер", push_keys=True)
    await deliver(running, clock)
    [notice] = pushes(ivan, "готова")
    assert notice.text.startswith(f"🔑 Лицензия #{licence} сервер (Лицензия ispmanager) готова.")
    await ivan.press("🔑 Показать ключ", message=notice)
    assert ivan.bot_messages[-2].text.startswith(f"Ключ активации #{licence} сервер:")
    assert code_in(ivan.bot_messages[-2]) == await stored_key(running, licence)
    assert "🔄 Продлить сейчас · 131,58\xa0€" in ivan.screen.button_texts


# --- Renew now -----------------------------------------------------------------------------------------------

async def test_renew_now_on_a_licence_card_and_a_stale_card_button(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, months=1, name="web-1", extra=PRO_MONTH)
    await open_licence(ann, licence)
    card = ann.screen
    renew = next(b for row in card.buttons for b in row if b.text == "🔄 Renew now · €12.90").callback_data
    await ann.press("🔄 Renew now · €12.90")
    assert "Now until 26 Dec 2026; after renewal until 26 Jan 2027." in ann.screen.text
    await ann.press("« Back")
    assert ann.screen.text.startswith(f"Licence #{licence} web-1")
    await ann.press("🔄 Renew now · €12.90")
    await ann.press("✅ Renew for €12.90")
    receipt = ann.screen
    assert receipt.text.startswith("✅ web-1 renewed until 26 Jan 2027.")
    await ann.press("« Back")
    assert "Expires: 26 Jan 2027, 09:00" in ann.screen.text
    assert current(ann, receipt).text == receipt.text  # a receipt: navigation does not edit it away
    before = await money_state(running, licence)
    # The card's button of the old period, pressed again: already renewed, nothing charged.
    await ann.press(callback_data=renew, message=ann.screen)
    assert "web-1 has already been renewed: it is now valid until 26 Jan 2027." in ann.screen.text
    assert await money_state(running, licence) == before


async def test_renew_now_short_offers_the_shortfall(ann, running) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, months=1, name="web-1", extra=500)
    await open_licence(ann, licence)
    await ann.press("🔄 Renew now · €12.90")
    assert "Your balance: €5.00. Top up €7.90 to renew." in ann.screen.text
    assert "💳 Top up €7.90" in ann.screen.button_texts
    assert "« Back" in ann.screen.button_texts


async def test_renew_now_on_a_module_and_its_stale_confirmation(ann, running) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    module = await buy(running, 1001, "softaculous", 1, product="module", licence_id=licence, extra=10_000)
    await open_licence(ann, licence)
    await ann.press(f"🧩 #{module} · Softaculous")
    renew = starting(ann, "🔄 Renew now · ")
    await ann.press(renew)
    confirm = ann.screen
    confirm_data = confirm.buttons[0][0].callback_data
    await ann.press(confirm.buttons[0][0].text)
    assert "renewed until 26 Jan 2027" in ann.screen.text
    await ann.press("« Back")
    assert ann.screen.text.startswith(f"Module #{module}")
    before = await money_state(running, module)
    await ann.press(callback_data=confirm_data, message=confirm)
    assert "already been renewed" in ann.last_callback_answer.text
    assert await money_state(running, module) == before
    charges = await rows(running, LedgerEntry, LedgerEntry.service_id == module, LedgerEntry.kind == "charge")
    assert len(charges) == 2  # the order and one renewal


async def test_renew_now_and_auto_renewal_on_a_certificate(ann, running) -> None:
    await buy_ssl(ann, running, "example.com")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("example.com · 📝 Awaiting CSR")
    assert "Auto-renewal: off" in ann.screen.text
    await ann.press("🔁 Auto-renewal: off")
    assert "Auto-renewal: on" in ann.screen.text
    sid = (await one(running, Service, Service.kind == "ssl")).id
    assert (await one(running, Service, Service.id == sid)).auto_renew is True
    [event] = await rows(running, ServiceEvent, ServiceEvent.service_id == sid, ServiceEvent.action == "auto_renew")
    assert event.actor == "customer"
    card = ann.screen
    renew = next(b for row in card.buttons for b in row if b.text == "🔄 Renew now · €15.00").callback_data
    await ann.press("🔄 Renew now · €15.00")
    confirm = ann.screen
    confirm_data = confirm.buttons[0][0].callback_data
    await ann.press("✅ Renew for €15.00")
    assert "renewed until 26 Nov 2028" in ann.screen.text
    await ann.press("« Back")
    assert "Paid until: 26 Nov 2028" in ann.screen.text
    before = await money_state(running, sid)
    await ann.press(callback_data=confirm_data, message=confirm)
    assert "already been renewed" in ann.last_callback_answer.text
    await ann.press(callback_data=renew, message=ann.screen)
    assert "has already been renewed" in ann.screen.text
    assert await money_state(running, sid) == before


# --- history in words ----------------------------------------------------------------------------------------

async def test_history_says_what_changed_in_words_and_who_did_it(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, months=1, name="web-1", extra=30_000)
    await open_licence(ann, licence)
    await ann.press("🔁 Auto-renewal: off")
    await ann.press("📦 Change tariff")
    await ann.press(starting(ann, "Host"))
    await ann.press(starting(ann, "✅ Switch to Host"))
    await ann.press("🌐 Change IP")
    await ann.send("8.8.8.8")
    clock.move(days=27, minutes=1)  # 3 days before expiry: the sweep renews it
    assert (await jobs(running).auto_renewal()).renewed == 1
    await ann.send("/menu")
    await ann.press("🔑 Licences")
    await ann.press(starting(ann, f"#{licence} "))
    await ann.press("📜 History")
    history = ann.screen.text
    for line in ("system: renewed\nPaid until: 26 Dec 2026 → 26 Jan 2027\nCharged €",
                 "you: IP address changed\nIP address: 93.184.216.34 → 8.8.8.8",
                 "you: tariff changed\nTariff: Pro → Host, ",
                 "you: auto-renewal switched\nAuto-renewal: off → on",
                 "you: ordered\nTariff: Pro, 1 month, €12.90"):
        assert line in history, line
    assert "pro" not in history and "host" not in history  # names, not codes


async def test_history_in_russian(ivan, running, clock) -> None:
    await ivan.send("/start")
    licence = await buy(running, 1002, months=1, name="сервер")
    clock.move(days=40)
    await jobs(running).expiry()  # past expiry and the grace period: the sweep suspends it
    await open_licence(ivan, licence, "🔑 Лицензии")
    await ivan.press("📜 История")
    history = ivan.screen.text
    assert "система: приостановка\nСтатус: ✅ Действует → ⏸ Действие приостановлено" in history
    assert "вы: заказ\nТариф: Pro, 1 месяц, 12,90\xa0€" in history


async def test_certificate_history_in_words_with_the_ca_as_actor(ann, running) -> None:
    await buy_ssl(ann, running, "example.com")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("example.com · 📝 Awaiting CSR")
    await ann.press("✅ Validation method")
    await ann.press("HTTP file")
    await ann.send("/menu")
    await ann.press("🔒 Certificates")
    await ann.press("example.com · 📝 Awaiting CSR")
    await ann.press("🔁 Auto-renewal: off")
    await ann.press("📜 History")
    history = ann.screen.text
    assert "you · validation method changed\nValidation: DNS → HTTP" in history
    assert "you · auto-renewal switched\nAuto-renewal: off → on" in history


async def test_a_licence_without_a_key_gets_its_first_one_when_shown(ann, running) -> None:
    """Licences bought before keys came with the purchase have none: Show key makes the first, encrypted."""
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    async with running.sessions.begin() as session:
        (await session.get(Service, licence)).activation_key = None
    await open_licence(ann, licence)
    await ann.press("🔑 Show key")
    key = code_in(ann.bot_messages[-2])
    assert key == await stored_key(running, licence) and len(key) == 23
    [event] = await rows(running, ServiceEvent, ServiceEvent.service_id == licence, ServiceEvent.action == "key")
    assert event.before == {"fingerprint": None} and key not in str(event.after)
    await ann.press("📜 History")
    assert "you: new activation key\nThe first activation key was made." in ann.screen.text
    await ann.press("« Back")
    await ann.press("🔑 Show key")
    assert code_in(ann.bot_messages[-2]) == key  # the same key, not a new one each time
