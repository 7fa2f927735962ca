"""Licences and modules as a customer manages them: list, details, rename, IP, key, tariff, auto-renewal,
delete, history; in English and Russian; limits over time; forged callbacks."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, func, select

from domain.models import Balance, LedgerEntry, Service, ServiceEvent
from handlers.licences.keyboards import ListCb, ServiceAction, SvcCb
from sandbox import FloodLimits, Sandbox
from tests.e2e.conftest import make_settings
from tests.e2e.flows import PUBLIC_IP, buy, code, credit, enable, one, open_licence, rows


@pytest.fixture
async def sandbox():
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, request):
    extra = {"scheduler_enabled": False, **getattr(request, "param", {})}
    return make_settings(sandbox, db_url, redis_url, tmp_path, **extra)


async def test_list_details_filter_modules_and_rename(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    module = await buy(running, 1001, "softaculous", 1, product="module", licence_id=licence)
    await ann.send("/menu")
    await ann.press("🔑 Licences")
    listing = ann.screen.text
    assert listing.startswith("Licences · All · 1")
    assert f"#{licence} web-1 — Pro\n{PUBLIC_IP} · ✅ Active · until 26 Nov 2027" in listing
    await ann.press("🧩 Modules")
    assert f"#{module} — Softaculous\non #{licence} web-1 · ✅ Active · until 26 Dec 2026" in ann.screen.text
    await ann.press("🔑 Licences")
    await ann.press("🗂 Status: All")
    await ann.press("Expired")
    assert "Licences · Expired · 0" in ann.screen.text and "No licences here." in ann.screen.text

    await open_licence(ann, licence)
    details = ann.screen.text
    for line in (f"Licence #{licence} web-1", "Product: ispmanager licence", "Tariff: Pro", "Name: web-1",
                 f"IP address: {PUBLIC_IP}", "Status: ✅ Active", "Period: 12 months", "Ordered: 26 Nov 2026",
                 "Expires: 26 Nov 2027, 09:00", "Auto-renewal: off", "Modules (1)", f"• #{module} — Softaculous"):
        assert line in details, line
    await ann.press(f"🧩 #{module} · Softaculous")
    assert f"Licence: #{licence} web-1" in ann.screen.text
    await ann.press("« Back")
    await ann.press("✏ Rename")
    await ann.send("x" * 65)
    assert "64" in ann.screen.text
    await ann.send("  db   <b>1</b>  ")
    assert "✅ Renamed." in ann.screen.text
    assert f"Licence #{licence} db &lt;b&gt;1&lt;/b&gt;" in ann.screen.html
    assert (await one(running, Service, Service.id == licence)).name == "db <b>1</b>"
    await ann.press("📜 History")
    history = ann.screen.text
    assert "26 Nov 2026, 09:00 · you: renamed\nName: web-1 → db <b>1</b>" in history
    assert "you: ordered\nTariff: Pro, 12 months, €131.58" in history


async def test_time_zone_of_the_customer_is_used(ann, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.settings.set_time_zone(1001, "Asia/Tokyo")
    licence = await buy(running, 1001)
    await open_licence(ann, licence)
    assert "Expires: 26 Nov 2027, 18:00" in ann.screen.text


async def test_ip_change_once_a_calendar_month(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    await open_licence(ann, licence)
    await ann.press("🌐 Change IP")
    assert "Current address: " + PUBLIC_IP in ann.screen.text
    await ann.send("10.1.2.3")
    assert "private" in ann.screen.text
    await ann.send(PUBLIC_IP)
    assert ann.screen.text == f"{PUBLIC_IP} is already this licence's address."
    await ann.send("8.8.8.8")
    assert "✅ IP address changed to 8.8.8.8." in ann.screen.text and "IP address: 8.8.8.8" in ann.screen.text
    await ann.press("🌐 Change IP")
    refusal = ann.screen
    assert "already changed this month. The next change is possible from 1 Dec 2026." in refusal.text
    assert refusal.button_texts[0] == "💬 Contact support"
    clock.set(datetime(2026, 12, 1, 0, 0, tzinfo=UTC))
    await ann.press("« Back")
    await ann.press("🌐 Change IP")
    await ann.send("1.1.1.1")
    assert (await one(running, Service, Service.id == licence)).ip_address == "1.1.1.1"
    events = await rows(running, ServiceEvent, ServiceEvent.action == "ip")
    assert [(e.actor, e.before, e.after) for e in events] == [
        ("customer", {"ip": PUBLIC_IP}, {"ip": "8.8.8.8"}), ("customer", {"ip": "8.8.8.8"}, {"ip": "1.1.1.1"})]


async def test_new_activation_key_once_in_30_days(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    old = (await one(running, Service, Service.id == licence)).activation_key
    await open_licence(ann, licence)
    await ann.press("🔑 New activation key")
    assert "The current key stops working" in ann.screen.text
    await ann.press("🔑 Generate a new key")
    shown = ann.bot_messages[-2]  # its own message, the card below it is the screen
    assert shown.text.startswith("New activation key for") and not shown.buttons
    assert ann.screen.text.startswith(f"Licence #{licence} web-1")
    code_entity = next(e for e in shown.entities if e["type"] == "code")
    key = shown.text[code_entity["offset"]: code_entity["offset"] + code_entity["length"]]
    stored = (await one(running, Service, Service.id == licence)).activation_key
    assert stored != old and running.app.context.cipher.decrypt_text(stored) == key and len(key) == 23
    await ann.press("« Back")
    # Navigation never edits the key away.
    assert key in next(m for m in ann.bot_messages if m.message_id == shown.message_id).text
    assert key not in ann.screen.text
    await ann.press(f"#{licence} web-1 · Pro")
    clock.move(days=29)
    await ann.press("🔑 New activation key")
    assert "The next one is possible from 26 Dec 2026, 09:00." in ann.screen.text
    assert "💬 Contact support" in ann.screen.button_texts
    clock.move(days=1)
    await ann.press("« Back")
    await ann.press("🔑 New activation key")
    await ann.press("🔑 Generate a new key")
    assert running.app.context.cipher.decrypt_text(
        (await one(running, Service, Service.id == licence)).activation_key) != key
    assert len(await rows(running, ServiceEvent, ServiceEvent.action == "key")) == 2


async def test_tariff_change_prorated_to_the_day(ann, running, clock) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")  # Pro, 12 months: €131.58 until 26 Nov 2027
    clock.move(days=65)  # 300 of 365 days left
    await open_licence(ann, licence)
    await ann.press("📦 Change tariff")
    choose = ann.screen.text
    assert "For the remaining 300 days until 26 Nov 2027" in choose
    assert "Lite — €58.69 back to the balance" in choose and "Host — pay €142.52" in choose
    await ann.press("Host · pay €142.52")
    confirm = ann.screen.text
    assert "Unused Pro: −€108.15" in confirm and "Host for the remaining days: €250.67" in confirm
    assert "Difference: pay €142.52" in confirm and "Your balance is short by €142.52" in confirm
    assert ann.screen.button_texts[0] == "💳 Top up €142.52" or ann.screen.button_texts[0].endswith("€142.52")
    await credit(running, 1001, 15_000, "test:gift")
    await ann.press("« Back")
    await ann.press("Host · pay €142.52")
    await ann.press("✅ Switch to Host")
    assert "✅ Tariff changed to Host: pay €142.52. Balance: €7.48." in ann.screen.text
    assert "Tariff: Host" in ann.screen.text
    await ann.press("📦 Change tariff")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Lite")))
    await ann.press("✅ Switch to Lite")
    assert "Tariff changed to Lite: €201.21 back to the balance. Balance: €208.69." in ann.screen.text
    entries = await rows(running, LedgerEntry, LedgerEntry.service_id == licence)
    assert [(e.kind, e.amount) for e in entries] == [("charge", -13158), ("charge", -14252), ("adjustment", 20121)]
    assert (await one(running, Balance, Balance.user_id == 1001)).amount == 20869
    events = await rows(running, ServiceEvent, ServiceEvent.action == "tariff")
    assert [(e.before, e.after) for e in events] == [
        ({"tariff": "pro"}, {"tariff": "host", "amount": 14252, "days": 300}),
        ({"tariff": "host"}, {"tariff": "lite", "amount": -20121, "days": 300})]


async def test_a_double_tap_on_switch_charges_once(ann, running, clock, sandbox) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001)
    await credit(running, 1001, 50_000, "test:gift")
    await open_licence(ann, licence)
    await ann.press("📦 Change tariff")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith("Host")))
    screen = ann.screen
    first = await ann.press("✅ Switch to Host", message=screen, wait=False)
    second = await ann.press("✅ Switch to Host", message=screen, wait=False)
    await sandbox.wait(first)
    await sandbox.wait(second)
    charges = await rows(running, LedgerEntry, LedgerEntry.service_id == licence, LedgerEntry.kind == "charge")
    assert len(charges) == 2  # the order and one switch


async def test_auto_renewal_toggle_writes_history(ann, running) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001)
    await open_licence(ann, licence)
    await ann.press("🔁 Auto-renewal: off")
    assert "✅ Auto-renewal is on" in ann.screen.text and "🔁 Auto-renewal: on" in ann.screen.button_texts
    assert (await one(running, Service, Service.id == licence)).auto_renew is True
    await ann.press("🔁 Auto-renewal: on")
    assert (await one(running, Service, Service.id == licence)).auto_renew is False
    events = await rows(running, ServiceEvent, ServiceEvent.action == "auto_renew")
    assert [e.after for e in events] == [{"auto_renew": True}, {"auto_renew": False}]


async def test_delete_without_two_factor_keeps_history_and_refunds_nothing(ann, running) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    module = await buy(running, 1001, "imunify", 1, product="module", licence_id=licence)
    await open_licence(ann, licence)
    await ann.press("🗑 Delete")
    confirm = ann.screen.text
    assert confirm.startswith(f"Delete licence #{licence} web-1 (Pro)?")
    assert "Its 1 module is deleted too." in confirm and "The paid period is not refunded." in confirm
    await ann.press(f"🗑 Yes, delete #{licence} web-1")
    assert ann.screen.text.startswith(f"🗑 #{licence} web-1 deleted.")
    assert "No licences here." in ann.screen.text
    statuses = {s.id: s.status for s in await rows(running, Service)}
    assert statuses == {licence: "deleted", module: "deleted"}
    assert await rows(running, LedgerEntry, LedgerEntry.kind == "adjustment", LedgerEntry.amount < 10000) != []
    assert not await rows(running, LedgerEntry, LedgerEntry.reference.like("delete:%"))
    await ann.press("🗂 Status: All")
    await ann.press("Deleted")
    await ann.press(next(b for b in ann.screen.button_texts if b.startswith(f"#{licence} ")))
    assert ann.screen.button_texts[0] == "📜 History"
    await ann.press("📜 History")
    assert "you: deleted" in ann.screen.text and "you: ordered" in ann.screen.text


@pytest.mark.parametrize("settings", [{"refund_on_delete": "prorated"}], indirect=True)
async def test_delete_with_two_factor_asks_for_a_code_and_refunds_prorated(ann, running, clock) -> None:
    await ann.send("/start")
    secret, _ = await enable(ann, clock)
    licence = await buy(running, 1001, "lite", 1, name="web-1")  # €5.90 for 30 days
    clock.move(days=10)
    await open_licence(ann, licence)
    await ann.press("🗑 Delete")
    assert "The unused days, €3.93, go back to your balance." in ann.screen.text
    await ann.press(f"🗑 Yes, delete #{licence} web-1")
    assert (await one(running, Service, Service.id == licence)).status == "active"
    await ann.send(code(secret, clock))
    await ann.press(next(b for b in ann.screen.button_texts if b != "☰ Main menu"))
    assert f"#{licence} web-1 deleted." in ann.screen.text and "€3.93 credited to the balance." in ann.screen.text
    assert (await one(running, Service, Service.id == licence)).status == "deleted"
    refund = await one(running, LedgerEntry, LedgerEntry.reference == f"delete:{licence}")
    assert (refund.kind, refund.amount) == ("adjustment", 393)


async def test_new_key_is_guarded_by_two_factor(ann, running, clock) -> None:
    await ann.send("/start")
    secret, _ = await enable(ann, clock)
    licence = await buy(running, 1001)
    old = (await one(running, Service, Service.id == licence)).activation_key
    await open_licence(ann, licence)
    await ann.press("🔑 New activation key")
    await ann.press("🔑 Generate a new key")
    assert (await one(running, Service, Service.id == licence)).activation_key == old
    await ann.send(code(secret, clock))
    await ann.press(next(b for b in ann.screen.button_texts if b != "☰ Main menu"))
    assert "New activation key for" in ann.bot_messages[-2].text
    assert (await one(running, Service, Service.id == licence)).activation_key != old


async def test_forged_callbacks_for_another_customers_licence_change_nothing(ann, running, sandbox) -> None:
    bob = await sandbox.user(id=1005, first_name="Bob", language_code="en")
    await bob.send("/start")
    await ann.send("/start")
    licence = await buy(running, 1005, name="bobs")
    await credit(running, 1005, 100_000, "test:bob")
    host = (await one(running, Service, Service.id == licence)).tariff_id + 1

    async def snapshot():
        async with running.sessions() as session:
            service = (await session.get(Service, licence))
            return (service.name, service.ip_address, service.tariff_id, service.status, service.auto_renew,
                    service.activation_key,
                    await session.scalar(select(func.count()).select_from(ServiceEvent)),
                    await session.scalar(select(func.count()).select_from(LedgerEntry)))

    before = await snapshot()
    await ann.send("/menu")
    for action, value, amount in [("d", 0, 0), ("rn", 0, 0), ("ip", 0, 0), ("key", 0, 0), ("key!", 0, 0),
                                  ("tf", 0, 0), ("tc", host, 0), ("tx", host, 14252), ("ar", 1, 0), ("del", 0, 0),
                                  ("del!", 0, 0), ("h", 0, 0)]:
        forged = SvcCb(action=action, id=licence, v=value, x=amount).pack()
        await ann.press(callback_data=forged, message=ann.screen)
        assert ann.bot_messages[-1].text.startswith("Not found"), action
        assert "bobs" not in ann.bot_messages[-1].text
    assert await snapshot() == before


async def test_russian_main_flows(ivan, running, clock) -> None:
    await ivan.send("/start")
    licence = await buy(running, 1002, name="web-1")
    await ivan.send("/menu")
    await ivan.press("🔑 Лицензии")
    assert f"#{licence} web-1 — Pro\n{PUBLIC_IP} · ✅ Действует · до 26 нояб. 2027" in ivan.screen.text
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith(f"#{licence} ")))
    assert "Период: 12 месяцев" in ivan.screen.text and "Автопродление: выключено" in ivan.screen.text
    await ivan.press("✏ Переименовать")
    await ivan.send("сервер")
    assert "✅ Название изменено." in ivan.screen.text
    await ivan.press("🌐 Сменить IP")
    await ivan.send("8.8.8.8")
    assert "✅ IP-адрес изменён на 8.8.8.8." in ivan.screen.text
    await ivan.press("🌐 Сменить IP")
    assert "Следующая смена возможна с 1 дек. 2026." in ivan.screen.text
    await ivan.press("« Назад")
    await ivan.press("🔑 Новый ключ активации")
    await ivan.press("🔑 Получить новый ключ")
    assert "Новый ключ активации для" in ivan.bot_messages[-2].text
    assert "Лицензия #" in ivan.screen.text  # the card, below the kept key
    await ivan.press("🔑 Новый ключ активации")
    assert "Следующий возможен с 26 дек. 2026" in ivan.screen.text
    await ivan.press("« Назад")
    clock.move(days=65)
    await credit(running, 1002, 15_000, "test:gift")
    await ivan.press("📦 Сменить тариф")
    assert "За оставшиеся 300 дней" in ivan.screen.text
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith("Host")))
    assert "Разница: к оплате 142,52\xa0€" in ivan.screen.text
    await ivan.press("✅ Перейти на Host")
    assert "✅ Тариф изменён на Host: к оплате 142,52\xa0€." in ivan.screen.text
    await ivan.press("🔁 Автопродление: выкл.")
    assert "Автопродление включено" in ivan.screen.text
    await ivan.press("📜 История")
    history = ivan.screen.text
    for action in ("заказ", "переименование", "смена IP-адреса", "новый ключ активации", "смена тарифа",
                   "автопродление"):
        assert f"вы: {action}" in history, action
    await ivan.press("« Назад")
    await ivan.press("🗑 Удалить")
    assert ivan.screen.text.startswith(f"Удалить лицензию #{licence} сервер (Host)?")
    await ivan.press(f"🗑 Да, удалить #{licence} сервер")
    assert f"🗑 Услуга #{licence} сервер удалена." in ivan.screen.text
    assert (await one(running, Service, Service.id == licence)).status == "deleted"


async def test_history_is_paginated(ann, running) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001)
    async with running.app.domain() as domain:
        for number in range(10):
            await domain.services.rename(1001, licence, f"name-{number}")
    await open_licence(ann, licence)
    await ann.press("📜 History")
    assert f"History of #{licence} name-9 · 11" in ann.screen.text and "1/2" in ann.screen.button_texts
    await ann.press("»")
    assert "you: ordered" in ann.screen.text and "2/2" in ann.screen.button_texts


async def test_the_list_costs_the_same_statements_for_many_licences(ann, running) -> None:
    await ann.send("/start")
    await buy(running, 1001)
    counts = []
    statements = [0]
    event.listen(running.app.engine.sync_engine, "before_cursor_execute",
                 lambda *_: statements.__setitem__(0, statements[0] + 1))
    for round_ in range(2):
        await ann.send("/menu")
        before = statements[0]
        await ann.press("🔑 Licences")
        counts.append(statements[0] - before)
        async with running.app.domain() as domain:
            # Another tariff each round: the order's key is the cart's content (item ids are reused on SQLite).
            tariff = (await domain.catalogue.tariffs("ispmanager"))[round_]
            await domain.ledger.post(1001, "adjustment", tariff.price * 20, f"test:many:{round_}")
            for _ in range(20):
                await domain.orders.add_to_cart(1001, tariff.id, 1, {"ip": PUBLIC_IP})
            await domain.orders.checkout(1001)
    assert counts[0] == counts[1] and counts[1] <= 3, counts
    print("statements for the list screen:", counts)
    assert ListCb(kind="licence", status="all", page=3).pack()  # packs well below 64 bytes


async def set_status(running, service_id: int, status: str) -> None:
    async with running.sessions() as session:
        service = await session.get(Service, service_id)
        service.status = status
        await session.commit()


@pytest.mark.parametrize("status", ["suspended", "deleted"])
async def test_a_service_offers_only_what_its_status_allows(ann, running, status) -> None:
    await ann.send("/start")
    licence = await buy(running, 1001, name="web-1")
    module = await buy(running, 1001, "softaculous", 1, product="module", licence_id=licence)
    await set_status(running, licence, status)
    await set_status(running, module, status)
    for service_id, section in ((licence, "🔑 Licences"), (module, "🧩 Modules")):
        await ann.press(callback_data=SvcCb(action=ServiceAction.DETAILS, id=service_id).pack(),
                        message=ann.bot_messages[-1])
        buttons = ann.screen.button_texts
        for hidden in ("🌐 Change IP", "🔑 New activation key", "📦 Change tariff"):
            assert hidden not in buttons, (section, hidden)
        assert "📜 History" in buttons
        if status == "deleted":
            assert "✏ Rename" not in buttons and "🗑 Delete" not in buttons
        else:
            assert "✏ Rename" in buttons and "🗑 Delete" in buttons
    # Forcing a hidden action: the reason, and no dialog to be stuck in.
    for action in (ServiceAction.IP, ServiceAction.KEY, ServiceAction.TARIFFS):
        await ann.press(callback_data=SvcCb(action=action, id=licence).pack(), message=ann.bot_messages[-1])
        text = ann.bot_messages[-1].text
        assert (text == "Only an active service can be changed." if status == "suspended"
                else text.startswith("Not found")), (action, text)
    await ann.send("8.8.8.8")  # would have been an IP address typed into the prompt
    assert "I did not understand that" in ann.bot_messages[-1].text
    assert (await one(running, Service, Service.id == licence)).ip_address == PUBLIC_IP
