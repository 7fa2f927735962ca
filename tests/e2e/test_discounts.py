"""Discounts and promo codes as staff and customers use them: staff grant and revoke in the staff group, the cart
applies the best discount per line, checkout charges what the cart showed, and every promo refusal says why."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from domain.models import Discount, LedgerEntry, Notification, Order, OrderItem, PromoCode, PromoRedemption
from tests.e2e.conftest import make_settings
from tests.e2e.flows import credit, deliver, order_licence, order_ssl, rows

STAFF_CHAT = -1001000000077


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    # No scheduler: pushes arrive when a test delivers them, not in the middle of its screens.
    return make_settings(sandbox, db_url, redis_url, tmp_path, staff_chat_id=STAFF_CHAT, scheduler_enabled=False)


@pytest.fixture
async def staff(sandbox, running):
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    group = await sandbox.group(id=STAFF_CHAT, title="Support", forum=True, members=[sam], admins=[sam],
                                bot_rights={"can_manage_topics": True})

    async def say(text: str) -> str:
        await sam.send(text, chat_id=STAFF_CHAT)
        return group.bot_messages()[-1].text

    return say


async def test_staff_grant_the_cart_applies_the_discount_checkout_records_it(ann, staff, running, clock) -> None:
    await ann.send("/start")
    assert (await staff("/discount")).startswith("Not enough for a discount.\n\nUsage: /discount <user_id>")
    assert (await staff("/discount 1001 10% product:nope Loyal")).startswith(
        "There is no product “nope” in the catalogue.")
    assert (await staff("/discount 1001 150% Too much")).startswith("“150%” must be more than 0 % and at most 100 %.")
    assert (await staff("/discount 1001 10% until:2020-01-01 Late")).startswith("“until:2020-01-01” is in the past.")
    assert (await staff("/discount 1001 10%")).startswith("Not enough for a discount.")
    assert (await staff("/discount 1001 10% product:ispmanager")).startswith("Give a reason")
    assert (await staff("/discount 4242 10% Nobody")).startswith("There is no customer 4242.")
    assert await rows(running, Discount) == []

    reply = await staff("/discount 1001 10% product:ispmanager until:2027-06-30 Loyal <customer>")
    assert reply == ("✅ Discount #1 for customer 1001:\n"
                     "• 10 % off ispmanager licence, until 30 Jun 2027\n    Loyal <customer>")
    assert (await staff("/discount 1001 2.00 Sorry for the outage")).startswith("✅ Discount #2 for customer 1001")
    notes = await rows(running, Notification, Notification.user_id == 1001)
    assert [n.key for n in notes] == ["discounts-notification-granted"] * 2
    assert notes[0].args["scope"] == "product" and notes[0].args["percent"] == 10
    await deliver(running, clock)
    pushes = [m.text for m in ann.bot_messages[-2:]]
    assert pushes == ["🎁 You have a new discount: 10 % off ispmanager licence, until 30 Jun 2027.\nLoyal <customer>",
                      "🎁 You have a new discount: €2.00 off everything.\nSorry for the outage"]

    await ann.press("🎁 My discounts", message=ann.bot_messages[-1])
    screen = ann.screen.text
    assert "Your discounts — 2" in screen
    assert "• 10 % off ispmanager licence, until 30 Jun 2027\n    Loyal <customer>" in screen
    assert "• €2.00 off everything\n    Sorry for the outage" in screen
    assert "Loyal &lt;customer&gt;" in ann.screen.html

    await order_licence(ann)  # Pro, 12 months: €131.58 after the period discount; 10 % saves €13.16 (> €2.00)
    await order_ssl(ann)  # €15.00: only the €2.00 applies
    await ann.press("🧺 Cart")
    cart = ann.screen.text
    assert "🎁 10 % (Loyal <customer>): −€13.16" in cart
    assert "🎁 €2.00 (Sorry for the outage): −€2.00" in cart
    assert "Discount: −€38.38" in cart and "Total: €131.42" in cart

    await credit(running, 1001, 20_000, "test:gift")
    await ann.press("💳 Pay €131.42")
    assert ann.screen.text.startswith("✅ Paid — order #1, €131.42.")
    items = sorted(await rows(running, OrderItem), key=lambda i: i.id)
    assert [(i.discount_id, i.customer_discount, i.price) for i in items] == [(1, 1316, 11842), (2, 200, 1300)]
    charges = await rows(running, LedgerEntry, LedgerEntry.kind == "charge")
    assert sorted(e.amount for e in charges) == [-11842, -1300]

    # Customers cannot grant themselves anything; staff discounts stay for the next orders.
    await ann.send("/discount 1001 90% Me")
    assert len(await rows(running, Discount)) == 2
    listing = await staff("/discounts 1001")
    assert listing.startswith("Discounts of customer 1001\n#2 [active] • €2.00 off everything")
    assert "#1 [active] • 10 % off ispmanager licence" in listing
    assert await staff("/revoke 1") == "✅ Discount #1 of customer 1001 is revoked."
    assert await staff("/revoke 1") == "There is no active discount #1."
    assert await staff("/revoke x") == "Usage: /revoke <discount_id>"
    assert "#1 [revoked]" in await staff("/discounts 1001")

    await order_licence(ann)
    await ann.press("🧺 Cart")
    assert "10 %" not in ann.screen.text and "🎁 €2.00 (Sorry for the outage): −€2.00" in ann.screen.text
    assert "Total: €129.58" in ann.screen.text


async def test_a_discount_ending_between_viewing_and_paying_is_caught(ann, staff, running, clock) -> None:
    await ann.send("/start")
    await staff("/discount 1001 20% period:1 until:2026-11-26 Black Friday")
    await credit(running, 1001, 10_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    assert "🎁 20 % (Black Friday): −€1.18" in ann.screen.text and "Total: €4.72" in ann.screen.text
    clock.move(days=1)
    await ann.press("💳 Pay €4.72")
    assert ann.screen.text.startswith("The cart changed since you opened it.")
    assert "Total: €5.90" in ann.screen.text and "Black Friday" not in ann.screen.text
    assert await rows(running, Order) == []
    await ann.press("💳 Pay €5.90")
    assert ann.screen.text.startswith("✅ Paid — order #1, €5.90.")


async def test_promo_codes_from_staff_each_refusal_says_why(ann, ivan, staff, running, clock) -> None:
    await ann.send("/start")
    assert (await staff("/promo new SPRING 5.00 uses:1 once")).startswith("✅ Promo code created:\nSPRING: €5.00 off")
    assert "used 0 of ∞, once per customer" in await staff("/promo new gift credit:3.50")
    await staff("/promo new FIRST 20% first until:2026-11-30")
    assert (await staff("/promo new SPRING 1%")).startswith("The code SPRING exists already.")
    assert (await staff("/promo new X 1%")).startswith("“X” cannot be a code")
    assert (await staff("/promo new OKAY 1% forever")).startswith("“forever” is not an option.")
    assert (await staff("/promo frobnicate")).startswith("Usage:")

    await ann.send("/menu")
    await ann.press("👤 Client")
    await ann.press("🎁 Discounts")
    assert "You have no discounts right now." in ann.screen.text
    await ann.press("🎟 Enter a promo code")
    assert ann.screen.text == "Send the promo code."
    await ann.send("nope!")
    assert ann.screen.text == "There is no promo code “NOPE!”. Check the spelling and send it again."
    await ann.send(" spring ")
    assert ann.screen.text.startswith("✅ Code SPRING applied: €5.00 off your next order.")
    assert "• €5.00 off everything, for one order\n    promo code SPRING" in ann.screen.text

    await ann.press("🎟 Enter a promo code")
    await ann.send("SPRING")
    assert ann.screen.text == "You have already used the promo code SPRING."
    await ann.send("GIFT")
    assert ann.screen.text.startswith("✅ Code GIFT applied: €3.50 added to your balance. Balance: €3.50.")

    await ivan.send("/start promo_SPRING")
    assert ivan.screen.text == "Применить промокод SPRING?"
    await ivan.press("✅ Применить")
    assert ivan.screen.text.startswith("Промокод SPRING использован максимальное число раз.")
    assert await staff("/promo off FIRST") == "✅ The promo code FIRST is switched off."
    await ivan.send("/start promo_first")
    await ivan.press("✅ Применить")
    assert ivan.screen.text.startswith("Промокод FIRST больше не действует.")

    spring = (await rows(running, PromoCode, PromoCode.code == "SPRING"))[0]
    assert spring.uses == 1
    assert [(r.user_id, r.credit) for r in await rows(running, PromoRedemption)] == [(1001, 0), (1001, 350)]
    assert [(e.kind, e.amount, e.reference) for e in await rows(running, LedgerEntry)] == [
        ("adjustment", 350, "promo:3:1001")]

    # The one-off discount prices one order and is used up by it.
    await credit(running, 1001, 10_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    assert "🎁 €5.00 (promo code SPRING): −€5.00" in ann.screen.text and "Total: €0.90" in ann.screen.text
    await ann.press("💳 Pay €0.90")
    assert ann.screen.text.startswith("✅ Paid — order #1, €0.90.")
    assert [d.used_order_id for d in await rows(running, Discount)] == [1]
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    assert "Total: €5.90" in ann.screen.text

    listing = await staff("/promo list")
    assert "SPRING: €5.00 off everything (used 1 of 1, once per customer)" in listing
    assert "FIRST: 20 % off everything (used 0 of ∞, first order only, until 30 Nov 2026, switched off)" in listing
    assert "WELCOME10 (catalogue file)" in listing


async def test_the_catalogue_code_first_order_only_and_expiry(ann, ivan, staff, running, clock) -> None:
    await ann.send("/start")
    await credit(running, 1001, 10_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    await ann.send("/start promo_welcome10")
    await ann.press("✅ Apply the code")
    assert ann.screen.text.startswith("The promo code WELCOME10 is only for a first order, and you have ordered")

    await ivan.send("/start promo_WELCOME10")
    await ivan.press("✅ Применить")
    assert ivan.screen.text.startswith("✅ Промокод WELCOME10 применён: скидка 10 % на следующий заказ.")

    await staff("/promo new LATE 1.00 until:2026-11-27")
    clock.move(days=2)
    await ivan.send("/start promo_LATE")
    await ivan.press("✅ Применить")
    assert ivan.screen.text.startswith("Срок действия промокода LATE истёк.")
    await ivan.send("/start promo_")
    assert ivan.screen.text.startswith("Промокода «» нет.")
    assert [(r.user_id, r.promo_id) for r in await rows(running, PromoRedemption)] == [(1002, 1)]


async def test_staff_commands_elsewhere_are_ignored(ann, sandbox, running) -> None:
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    other = await sandbox.group(id=-1001000000078, title="Elsewhere", forum=False, members=[sam], admins=[sam])
    await ann.send("/start")
    await sam.send("/discount 1001 50% Friend", chat_id=other.id)
    await sam.send("/promo new FREE credit:100", chat_id=other.id)
    assert other.bot_messages() == []
    assert await rows(running, Discount) == [] and await rows(running, PromoCode, PromoCode.source == "staff") == []
    async with running.sessions() as session:
        assert await session.scalar(select(PromoCode.code)) == "WELCOME10"


async def test_only_administrators_of_the_staff_group_grant_discounts_and_codes(ann, sandbox, running) -> None:
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    pat = await sandbox.user(id=2002, first_name="Pat", username="pat")
    group = await sandbox.group(id=STAFF_CHAT, title="Support", forum=True, members=[sam, pat], admins=[sam],
                                bot_rights={"can_manage_topics": True})
    await ann.send("/start")
    refused = "Only the group's administrators can do this: it moves money or prices."
    for command in ("/discount 1001 50% Friend", "/promo new FREE credit:100", "/promo off WELCOME10",
                    "/revoke 1"):
        await pat.send(command, chat_id=STAFF_CHAT)
        assert group.bot_messages()[-1].text == refused, command
    assert await rows(running, Discount) == [] and await rows(running, PromoCode, PromoCode.source == "staff") == []
    await pat.send("/promo list", chat_id=STAFF_CHAT)  # reading is for every member
    assert "WELCOME10" in group.bot_messages()[-1].text
    await sam.send("/discount 1001 5% Friend", chat_id=STAFF_CHAT)
    assert group.bot_messages()[-1].text.startswith("✅ Discount #1 for customer 1001")
