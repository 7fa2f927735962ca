"""Payment methods as the customer lives them: a card added through Stripe's hosted page and saved by Stripe's
webhook (only Stripe's ids kept, encrypted), Telegram Payments, bank transfer for companies, rename, default and
remove behind the 2FA guard; a webhook with a bad signature saves nothing; without Stripe no card is offered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.models import PaymentMethod, StripeEvent
from tests.e2e.conftest import RunningBot, make_settings
from tests.e2e.flows import COMPANY, code, deliver, enable, free_port, rows
from tests.fakes.stripe_api import sign
from tests.fakes.stripe_e2e import add_card, stripe_settings

BACK = "« Back"
NOT_FOUND_RU = "Не найдено. Возможно, объект удалён или принадлежит не вам."


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path, fake):
    return make_settings(sandbox, db_url, redis_url, tmp_path, **stripe_settings(fake))


async def test_a_card_is_added_through_stripe_and_saved_by_the_webhook(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await add_card(ann, fake, running, clock)
    session = fake.last_session()
    assert session["client_reference_id"] == "1001"
    assert session["success_url"] == "https://t.me/client_area_bot"
    assert ann.bot_messages[-1].text.startswith("💳 Card Visa •••• 4242 saved.")
    await ann.press("🔁 Automatic payments", message=ann.bot_messages[-1])
    assert ann.screen.text.startswith("🔁 Automatic payments: off")
    assert ann.screen.button_texts[0] == "✅ Turn on"
    saved = await rows(running, PaymentMethod)
    assert [(m.user_id, m.kind, m.brand, m.last4, m.is_default) for m in saved] == [
        (1001, "card", "visa", "4242", True)]
    pm_id = fake.setup_intents[session["setup_intent"]]["payment_method"]
    assert pm_id.encode() not in saved[0].stripe_id
    assert running.app.context.cipher.decrypt_text(saved[0].stripe_id) == pm_id
    # Stripe delivers an event again, and the setup intent's own event too: still one card.
    assert await fake.send_event("checkout.session.completed", session, event_id=fake.last_event["id"]) == 200
    assert await fake.send_event("setup_intent.succeeded", fake.setup_intents[session["setup_intent"]]) == 200
    assert len(await rows(running, PaymentMethod)) == 1
    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("💳 Payment methods")
    assert "💳 Visa •••• 4242, valid until 12/2030  ★ default" in ann.screen.text
    assert ann.screen.button_texts[:2] == ["★ Visa •••• 4242", "➕ Add"]


async def test_a_webhook_with_a_bad_signature_is_refused_and_saves_nothing(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("💳 Payment methods")
    await ann.press("➕ Add")
    await ann.press("💳 Bank card (Stripe)")
    session = fake.last_session()
    assert await fake.complete_setup(session["id"], secret="whsec_somebody_else") == 400
    payload = b'{"id": "evt_x", "type": "checkout.session.completed"}'
    assert await fake.send_event("checkout.session.completed", session,
                                 signature=sign(payload, fake.webhook_secret)) == 400
    assert await fake.send_event("checkout.session.completed", session, signature="garbage") == 400
    assert await rows(running, PaymentMethod) == []
    async with running.sessions() as db:
        assert list(await db.scalars(select(StripeEvent))) == []


async def test_telegram_payments_bank_transfer_rename_default_and_remove(ann, running, clock, webhook) -> None:
    fake = webhook
    await ann.send("/start")
    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("💳 Payment methods")
    assert "No saved payment methods yet." in ann.screen.text
    await ann.press("➕ Add")
    assert ann.screen.button_texts[:3] == ["💳 Bank card (Stripe)", "✈️ Telegram Payments",
                                           "🏦 Bank transfer (companies)"]
    await ann.press("🏦 Bank transfer (companies)")
    assert "Bank transfer is for legal entities and sole traders. Add such a payer first" in ann.screen.text
    assert ann.screen.button_texts[0] == "👤 Add a payer"
    await ann.press(BACK)
    async with running.app.domain() as domain:
        await domain.payers.create(1001, "legal", COMPANY)
    await ann.press("🏦 Bank transfer (companies)")
    assert "Billing → Invoices" in ann.screen.text and ann.screen.button_texts[0] == "🧾 Invoices"
    await ann.press(BACK)
    await ann.press("✈️ Telegram Payments")
    assert ann.screen.text.startswith("✈️ Telegram Payments added.")
    await add_card(ann, fake, running, clock, "5555555555554444")
    saved = await rows(running, PaymentMethod)
    assert [(m.kind, m.is_default) for m in saved] == [("telegram", True), ("card", False)]
    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("💳 Payment methods")
    await ann.press("Mastercard •••• 4444")
    await ann.press("★ Make default")
    assert ann.screen.text.startswith("★ Mastercard •••• 4444 is now your default payment method.")
    await ann.press("✏️ Rename")
    await ann.send(" ")
    assert ann.bot_messages[-1].text == "The name cannot be empty."
    await ann.send("<b>Work</b> card")
    assert ann.screen.text.startswith("✅ Renamed.\n\n<b>Work</b> card ★")  # shown as typed, not as markup
    assert [(m.name, m.is_default) for m in await rows(running, PaymentMethod)] == [
        (None, False), ("<b>Work</b> card", True)]
    await ann.press("🗑 Remove")
    assert ann.screen.text == "Remove <b>Work</b> card? Automatic payments with it stop."
    await ann.press("🗑 Yes, remove")
    assert ann.screen.text.startswith("🗑 <b>Work</b> card removed.")
    assert [(m.kind, m.is_default) for m in await rows(running, PaymentMethod)] == [("telegram", True)]
    assert all(pm["customer"] is None for pm in fake.payment_methods.values())  # detached at Stripe


async def test_another_customers_method_is_not_found(ann, ivan, running, clock, webhook) -> None:
    await ann.send("/start")
    await ivan.send("/start")
    await add_card(ann, webhook, running, clock)
    card = (await rows(running, PaymentMethod))[0]
    await ivan.send("/menu")
    for action in ("show", "rm!", "def", "ren"):
        await ivan.press(callback_data=f"pm:{action}:{card.id}", message=ivan.screen)
        assert ivan.bot_messages[-1].text == NOT_FOUND_RU
    assert len(await rows(running, PaymentMethod)) == 1
    assert (await rows(running, PaymentMethod))[0].user_id == 1001


async def test_without_stripe_no_card_is_offered(sandbox, db_url, redis_url, tmp_path, clock) -> None:
    bot = RunningBot(make_settings(sandbox, db_url, redis_url, tmp_path), clock=clock, sandbox=sandbox)
    await bot.start()
    try:
        assert bot.app.context.card_gateway is None
        ann = await sandbox.user(id=1001, first_name="Ann", language_code="en")
        await ann.send("/start")
        await ann.send("/menu")
        await ann.press("👤 Client")
        await ann.press("💳 Payment methods")
        await ann.press("➕ Add")
        assert ann.screen.button_texts[:2] == ["✈️ Telegram Payments", "🏦 Bank transfer (companies)"]
        await ann.press(callback_data="pm:card:0", message=ann.screen)
        assert ann.last_callback_answer.text == "Cards are not accepted here."
    finally:
        await bot.stop()


async def test_removing_a_method_needs_a_code_when_two_step_authentication_is_on(ann, running, clock,
                                                                               webhook) -> None:
    await ann.send("/start")
    await add_card(ann, webhook, running, clock)
    secret, _ = await enable(ann, clock)
    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("💳 Payment methods")
    await ann.press("★ Visa •••• 4242")
    await ann.press("🗑 Remove")
    await ann.press("🗑 Yes, remove")
    assert ann.screen.text.startswith("🔐 Confirmation needed")
    assert len(await rows(running, PaymentMethod)) == 1  # nothing removed without the code
    await ann.send(code(secret, clock))
    await ann.press("▶️ Continue")
    assert ann.screen.text.startswith("🗑 Visa •••• 4242 removed.")
    assert await rows(running, PaymentMethod) == []


async def test_webhook_mode_serves_the_stripe_endpoint(sandbox, db_url, redis_url, tmp_path, fake) -> None:
    from aiohttp import web

    from bot.app import build_app
    from bot.runner import create_webhook_app, lifecycle

    port = free_port()
    settings = make_settings(sandbox, db_url, redis_url, tmp_path, webhook_url=f"http://127.0.0.1:{port}/tg/hook",
                             webhook_port=port, webhook_host="127.0.0.1", **stripe_settings(fake))
    app = await build_app(settings)
    lifecycle(app)
    runner = web.AppRunner(create_webhook_app(app))
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        fake.webhook_url = f"http://127.0.0.1:{port}/stripe/webhook"
        assert await fake.send_event("customer.created", {"id": "cus_x"}, secret="whsec_wrong") == 400
        assert await fake.send_event("customer.created", {"id": "cus_x"}, event_id="evt_ok") == 200
        assert await fake.send_event("customer.created", {"id": "cus_x"}, event_id="evt_ok") == 200
        async with app.sessions() as session:
            assert [e.id for e in await session.scalars(select(StripeEvent))] == ["evt_ok"]
    finally:
        await runner.cleanup()


async def test_payment_methods_in_russian(ivan, running, clock, webhook) -> None:
    await ivan.send("/start")
    await ivan.send("/menu")
    await ivan.press("👤 Клиент")
    await ivan.press("💳 Способы оплаты")
    assert "Сохранённых способов оплаты пока нет." in ivan.screen.text
    await ivan.press("➕ Добавить")
    await ivan.press("💳 Банковская карта (Stripe)")
    assert ivan.screen.text.startswith("💳 Добавить карту")
    assert await webhook.complete_setup(webhook.last_session()["id"], "5555555555554444") == 200
    await deliver(running, clock)
    assert ivan.bot_messages[-1].text.startswith("💳 Карта Mastercard •••• 4444 сохранена.")
    await ivan.press("🔁 Автоплатежи", message=ivan.bot_messages[-1])
    await ivan.press("✅ Включить")
    await ivan.send("99,90")
    assert ivan.screen.text.startswith("✅ Автоплатежи включены.")
    assert "Месячный лимит: 99,90\xa0€" in ivan.screen.text
