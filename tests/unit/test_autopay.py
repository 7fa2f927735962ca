"""Payment methods and automatic payments without Telegram, against the local fake of Stripe: cards saved from
webhook events once, charges idempotent on their key (one PaymentIntent, one ledger entry), declines counted and
automatic payments turned off after N, the monthly limit, Stripe unavailable, webhook signatures."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.autopay import CHARGED, FAILED, LIMIT, OFF, PENDING, NoCard
from domain.crypto import Cipher
from domain.errors import InvalidInput, NotFound
from domain.models import AutopayCharge, LedgerEntry, Notification, PaymentMethod, StripeCustomer, User
from domain.payment_methods import MethodSettings
from domain.stripe_gateway import BadSignature, StripeGateway
from domain.unit import DomainContext, unit_of_work
from tests.fakes.stripe_api import FakeStripe, sign

DECLINED = "4000000000000002"


@pytest.fixture
async def fake():
    stripe = await FakeStripe().start()
    yield stripe
    await stripe.stop()


@pytest.fixture
async def context(fake, clock):
    gateway = StripeGateway(fake.secret_key, fake.webhook_secret, fake.url)
    yield DomainContext(clock=clock, cipher=Cipher.generate(), card_gateway=gateway,
                        methods=MethodSettings(autopay_max_failures=3))
    await gateway.close()


@pytest.fixture
async def uow(sessions, context, clock):
    async with unit_of_work(sessions, context) as domain:
        for user_id in (1, 2):
            domain.session.add(User(id=user_id, first_name=f"U{user_id}", created_at=clock.now(),
                                    last_seen_at=clock.now(), time_zone="UTC", reachable=True))
    return lambda: unit_of_work(sessions, context)


async def add_card(uow, fake, user_id: int, card: str = "4242424242424242") -> int:
    """The customer's way through: a setup page, the card entered at Stripe, the webhook event received."""
    async with uow() as domain:
        await domain.payment_methods.start_card_setup(user_id, "https://t.me/bot", "https://t.me/bot")
    session = fake.last_session()
    assert await fake.complete_setup(session["id"], card) == 0  # not posted: handed to the domain below
    async with uow() as domain:
        method = await domain.payment_methods.receive_event(fake.last_event)
        assert method is not None
        return method.id


async def all_rows(uow, model, *where):
    async with uow() as domain:
        order = model.__table__.primary_key.columns
        return list(await domain.session.scalars(select(model).where(*where).order_by(*order)))


async def test_a_card_is_saved_once_with_stripe_ids_encrypted(uow, fake, context) -> None:
    method_id = await add_card(uow, fake, 1)
    event = fake.last_event
    async with uow() as domain:
        # The same event again, and the other event of the same setup: nothing more is saved.
        assert await domain.payment_methods.receive_event(event) is None
        seti = fake.setup_intents[fake.sessions[event["data"]["object"]["id"]]["setup_intent"]]
        other = {"id": "evt_other", "type": "setup_intent.succeeded", "data": {"object": seti}}
        assert await domain.payment_methods.receive_event(other) is None
    methods = await all_rows(uow, PaymentMethod)
    assert [(m.id, m.kind, m.brand, m.last4, m.exp_month, m.exp_year, m.is_default) for m in methods] == [
        (method_id, "card", "visa", "4242", 12, 2030, True)]
    pm_id = seti["payment_method"]
    assert pm_id.encode() not in methods[0].stripe_id
    assert context.cipher.decrypt_text(methods[0].stripe_id) == pm_id
    customer = (await all_rows(uow, StripeCustomer))[0]
    assert context.cipher.decrypt_text(customer.customer_id) == seti["customer"]
    assert [n.key for n in await all_rows(uow, Notification)] == ["methods-card-saved-note"]


async def test_a_card_of_another_customer_is_not_saved(uow, fake) -> None:
    await add_card(uow, fake, 1)
    event = fake.last_event
    forged = {"id": "evt_forged", "type": "checkout.session.completed",
              "data": {"object": {**event["data"]["object"], "client_reference_id": "2"}}}
    async with uow() as domain:
        assert await domain.payment_methods.receive_event(forged) is None
    assert [m.user_id for m in await all_rows(uow, PaymentMethod)] == [1]


async def test_the_same_purpose_is_charged_once(uow, fake) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 700, "renewal:5:20261226", reason="renewal")).status == OFF
        await domain.autopay.enable(1, method_id, 5000)
    for _ in range(2):
        async with uow() as domain:
            result = await domain.autopay.cover(1, 700, "renewal:5:20261226", reason="renewal")
            assert (result.status, result.amount) == (CHARGED, 700)
    assert len(fake.charges) == 1
    intent = fake.charges[0]
    assert (intent["amount"], intent["currency"], intent["off_session"]) == (700, "eur", True)
    assert intent["idempotency_key"] == "autopay:renewal:5:20261226:20261126"
    entries = await all_rows(uow, LedgerEntry)
    [charge] = await all_rows(uow, AutopayCharge)
    assert [(e.kind, e.amount, e.reference) for e in entries] == [("topup", 700, f"autopay:{charge.id}")]
    # Stripe's id is kept encrypted, like every other provider id.
    assert charge.payment_intent is None and intent["id"].encode() not in charge.payment_intent_secret
    async with uow() as domain:
        assert domain.payment_methods.unseal(charge.payment_intent_secret) == intent["id"]
    async with uow() as domain:
        assert await domain.ledger.balance(1) == 700
        assert (await domain.autopay.view(1)).used == 700
    assert [n.key for n in await all_rows(uow, Notification, Notification.user_id == 1)] == [
        "methods-card-saved-note", "methods-autopay-charged-note"]


async def test_an_attempt_left_pending_by_a_crash_reuses_its_key(uow, fake, clock) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
    fake.down = True  # Stripe unreachable: the attempt stays pending, nothing counted as a failure
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 900, "checkout:1:abc", reason="checkout")).status == PENDING
    assert [(c.status, c.amount) for c in await all_rows(uow, AutopayCharge)] == [("pending", 900)]
    fake.down = False
    async with uow() as domain:
        # Asked again (even for another amount): the pending attempt is completed as it was recorded.
        result = await domain.autopay.cover(1, 1200, "checkout:1:abc", reason="checkout")
        assert (result.status, result.amount) == (CHARGED, 900)
        assert (await domain.autopay.view(1)).failures == 0
    assert len(fake.charges) == 1
    assert [(c.status, c.amount) for c in await all_rows(uow, AutopayCharge)] == [("succeeded", 900)]


async def test_a_pending_attempt_is_settled_later_with_its_own_key(uow, fake, clock) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
    fake.down = True
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 800, "renewal:5:20261226", reason="renewal")).status == PENDING
    fake.down = False
    clock.move(hours=20)  # another day: a new attempt would have a new key, so the old one is settled first
    async with uow() as domain:
        assert await domain.autopay.settle_pending() == 1
    async with uow() as domain:
        assert await domain.autopay.settle_pending() == 0
        assert await domain.ledger.balance(1) == 800
    assert [c["idempotency_key"] for c in fake.charges] == ["autopay:renewal:5:20261226:20261126"]
    [charge] = await all_rows(uow, AutopayCharge)
    async with uow() as domain:
        assert (charge.status, domain.payment_methods.unseal(charge.payment_intent_secret)) == (
            "succeeded", fake.charges[0]["id"])


async def test_a_charge_stripe_made_before_a_crash_is_credited_not_repeated(uow, fake, context, clock) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
        # The process died after Stripe charged and before our commit: the attempt row is still pending.
        key = "autopay:checkout:1:r1:20261126"
        domain.session.add(AutopayCharge(user_id=1, method_id=method_id, idempotency_key=key, purpose="checkout:1:r1",
                                         amount=650, currency="EUR", status="pending", created_at=clock.now()))
        customer = await domain.payment_methods.stripe_customer(1)
        card = domain.payment_methods.stripe_id(await domain.payment_methods.get(1, method_id))
    assert (await context.card_gateway.charge(customer, card, 650, "EUR", key, "checkout:1:r1")).ok
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 650, "checkout:1:r1", reason="checkout")).status == CHARGED
        assert await domain.ledger.balance(1) == 650
    assert len(fake.charges) == 1


async def test_a_card_detached_at_stripe_is_a_failure_and_tiny_amounts_are_raised(uow, fake) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
        assert (await domain.autopay.cover(1, 3, "checkout:1:a", reason="checkout")).status == CHARGED
    assert fake.charges[0]["amount"] == 50  # Stripe's minimum; the rest stays on the balance
    for method in fake.payment_methods.values():
        method["customer"] = None  # removed in Stripe's dashboard
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 500, "checkout:1:b", reason="checkout")).status == FAILED
        assert await domain.ledger.balance(1) == 50
    assert [(c.status, c.error) for c in await all_rows(uow, AutopayCharge)] == [
        ("succeeded", None), ("failed", "resource_missing")]


async def test_declines_notify_and_turn_automatic_payments_off_after_n(uow, fake, clock) -> None:
    method_id = await add_card(uow, fake, 1, DECLINED)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
    for day in range(3):
        for attempt in range(2):  # the same day: one attempt only (and none once turned off)
            async with uow() as domain:
                result = await domain.autopay.cover(1, 500, "renewal:5:20261226", reason="renewal")
                assert result.status == (OFF if day == 2 and attempt else FAILED)
        async with uow() as domain:
            view = await domain.autopay.view(1)
            assert (view.failures, view.enabled) == (day + 1, day < 2)
        clock.move(days=1)
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 500, "renewal:5:20261226", reason="renewal")).status == OFF
        assert await domain.ledger.balance(1) == 0
    assert len(fake.charges) == 3
    assert [c.error for c in await all_rows(uow, AutopayCharge)] == ["card_declined"] * 3
    keys = [n.key for n in await all_rows(uow, Notification, Notification.user_id == 1)]
    assert keys.count("methods-autopay-failed-note") == 3
    assert keys[-1] == "methods-autopay-off-note"
    assert not await all_rows(uow, LedgerEntry)


async def test_the_monthly_limit_is_respected(uow, fake, clock) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 1000)
        assert (await domain.autopay.cover(1, 600, "checkout:1:a", reason="checkout")).status == CHARGED
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 500, "checkout:1:b", reason="checkout")).status == LIMIT
        assert (await domain.autopay.cover(1, 400, "checkout:1:c", reason="checkout")).status == CHARGED
    clock.move(days=5)  # 1 December: a new month
    async with uow() as domain:
        assert (await domain.autopay.cover(1, 500, "checkout:1:b", reason="checkout")).status == CHARGED
        assert await domain.ledger.balance(1) == 1500
    assert [c["amount"] for c in fake.charges] == [600, 400, 500]
    keys = [n.key for n in await all_rows(uow, Notification, Notification.user_id == 1)]
    assert keys.count("methods-autopay-limit-note") == 1


async def test_removing_the_card_stops_automatic_payments_and_detaches_it(uow, fake) -> None:
    method_id = await add_card(uow, fake, 1)
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 1000)
    async with uow() as domain:
        with pytest.raises(NotFound):
            await domain.payment_methods.remove(2, method_id)
    async with uow() as domain:
        removed = await domain.payment_methods.remove(1, method_id)
        assert removed.autopay_stopped
    async with uow() as domain:
        assert not (await domain.autopay.view(1)).enabled
        assert (await domain.autopay.cover(1, 500, "checkout:1:x", reason="checkout")).status == OFF
    assert all(pm["customer"] is None for pm in fake.payment_methods.values())
    assert not fake.charges


def test_webhook_signatures_are_checked(fake, context) -> None:
    gateway = context.card_gateway
    payload = b'{"id": "evt_1", "type": "setup_intent.succeeded", "data": {"object": {}}}'
    assert gateway.event(payload, sign(payload, fake.webhook_secret))["id"] == "evt_1"
    for header in (sign(payload, "whsec_wrong"), "", "t=1,v1=00", sign(payload, fake.webhook_secret, 1_000_000)):
        with pytest.raises(BadSignature):
            gateway.event(payload, header)
    with pytest.raises(BadSignature):
        gateway.event(payload + b" ", sign(payload, fake.webhook_secret))


async def test_a_card_needing_authentication_fails_off_session(uow, fake) -> None:
    method_id = await add_card(uow, fake, 1, "4000002760003184")
    async with uow() as domain:
        await domain.autopay.enable(1, method_id, 5000)
        assert (await domain.autopay.cover(1, 500, "checkout:1:a", reason="checkout")).status == FAILED
    assert [c.error for c in await all_rows(uow, AutopayCharge)] == ["authentication_required"]
    async with uow() as domain:
        assert await domain.ledger.balance(1) == 0
        assert (await domain.autopay.view(1)).failures == 1


async def test_automatic_payments_need_an_own_card_and_a_positive_limit(uow, fake) -> None:
    card = await add_card(uow, fake, 1)
    async with uow() as domain:
        telegram = (await domain.payment_methods.add_telegram(1)).id
    async with uow() as domain:
        with pytest.raises(NotFound):
            await domain.autopay.enable(2, card, 1000)
        with pytest.raises(InvalidInput):
            await domain.autopay.enable(1, card, 0)
        with pytest.raises(NoCard):
            await domain.autopay.enable(1, telegram, 1000)
    async with uow() as domain:
        assert not (await domain.autopay.view(1)).enabled


def test_stripe_settings() -> None:
    from bot.config import ConfigError, load_settings
    from bot.stripe_webhook import card_gateway

    assert card_gateway(load_settings(_env_file=None)) is None
    with pytest.raises(ConfigError, match="STRIPE_WEBHOOK_SECRET"):
        load_settings(_env_file=None, stripe_secret_key="sk_test_1")
    with pytest.raises(ConfigError, match="STRIPE_API_BASE"):
        load_settings(_env_file=None, stripe_api_base="ftp://x")
    settings = load_settings(_env_file=None, stripe_secret_key="sk_test_1", stripe_webhook_secret="whsec_1",
                             stripe_success_url=" ")
    assert settings.stripe_success_url is None and settings.autopay_max_failures == 3


async def test_plain_card_payment_ids_from_before_are_encrypted_at_start(uow, clock) -> None:
    async with uow() as domain:
        domain.session.add(AutopayCharge(
            user_id=1, idempotency_key="autopay:old", purpose="renewal:5:20261226", amount=700, currency="EUR",
            status="succeeded", payment_intent="pi_plain", created_at=clock.now(), finished_at=clock.now()))
        await domain.session.flush()
        await domain.ledger.post(1, "topup", 700, "stripe:pi_plain")
    async with uow() as domain:
        assert await domain.autopay.seal_plain_intents() == 1
    [charge] = await all_rows(uow, AutopayCharge)
    assert charge.payment_intent is None and b"pi_plain" not in charge.payment_intent_secret
    assert [e.reference for e in await all_rows(uow, LedgerEntry)] == [f"autopay:{charge.id}"]
    async with uow() as domain:
        assert domain.payment_methods.unseal(charge.payment_intent_secret) == "pi_plain"
        assert await domain.autopay.seal_plain_intents() == 0
        assert await domain.ledger.balance(1) == 700
