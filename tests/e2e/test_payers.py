"""Client -> Payers as a customer uses them: each type with valid and invalid numbers, edit, default, disable,
delete, and the payer pick at checkout and top-up."""

from __future__ import annotations

from domain.models import Order, Payer, Payment
from tests.e2e.flows import add_legal_ru, credit, open_payers, order_licence, rows


async def add_two_people(customer) -> None:
    """Two individual payers through the dialog, the first becoming the default; ends on the payers list."""
    for name in ("First Person", "Second Person"):
        await customer.press("➕ Add a payer")
        await customer.press("Individual")
        await customer.send(name)
        await customer.send("GB")
        await customer.press("Skip")
        await customer.press("✅ Save")
        await customer.press("« Back")


async def test_individual_payer_with_back_skip_and_summary(ann, running) -> None:
    await open_payers(ann)
    assert "You have no payers: you pay as a private person." in ann.screen.text
    await ann.press("➕ Add a payer")
    await ann.press("Individual")
    assert "step 1 of 3" in ann.screen.text and "full name" in ann.screen.text
    await ann.send("A")  # too short
    assert ann.screen.text.startswith("Please send a name of 2 to 200 characters.")
    await ann.send("Ann <b>Lee</b>")
    assert "step 2 of 3" in ann.screen.text
    await ann.send("Narnia")
    assert "I do not know the country “Narnia”" in ann.screen.text
    await ann.send("de")
    assert "step 3 of 3" in ann.screen.text
    await ann.press("« Back")  # the country again, the answer kept
    assert "step 2 of 3" in ann.screen.text and "Current: Germany" in ann.screen.text
    await ann.send("France")
    await ann.press("Skip")
    summary = ann.screen.text
    assert "New payer: Individual" in summary and "Full name: Ann <b>Lee</b>" in summary
    assert "Country: France" in summary and "Address: not given" in summary
    assert "&lt;b&gt;" in ann.screen.html  # the customer's text is escaped
    await ann.press("✅ Save")
    assert ann.screen.text.startswith("✅ Payer saved.") and "★ Default payer" in ann.screen.text

    [payer] = await rows(running, Payer)
    assert (payer.user_id, payer.kind, payer.name, payer.country, payer.address, payer.is_default) == (
        1001, "individual", "Ann <b>Lee</b>", "FR", None, True)


async def test_sole_trader_numbers_are_checked_for_the_country(ann, running) -> None:
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Sole trader")
    await ann.send("Hans Müller")
    await ann.send("Germany")
    await ann.send("DE136695977")  # wrong check digit
    assert ann.screen.text.startswith("“DE136695977” is not a valid tax number for this country.")
    await ann.send("136 695 976")  # without the prefix: stored with it
    await ann.send("Unter den Linden 1, 10117 Berlin")
    assert "Tax number: DE136695976" in ann.screen.text
    await ann.press("✅ Save")
    [payer] = await rows(running, Payer)
    assert (payer.kind, payer.country, payer.tax_number) == ("sole", "DE", "DE136695976")


async def test_legal_entity_in_russian_with_inn_kpp_and_ogrn(ivan, running) -> None:
    await open_payers(ivan, "👤 Клиент", "🧾 Плательщики")
    await ivan.press("➕ Добавить плательщика")
    await ivan.press("Юридическое лицо")
    await ivan.send("ООО «Ромашка»")
    await ivan.send("Россия")
    assert "шаг 3 из 7" in ivan.screen.text
    await ivan.send("1027700132194")  # OGRN with a wrong check digit
    assert ivan.screen.text.startswith("«1027700132194» — неверный регистрационный номер")
    await ivan.send("1027700132195")
    await ivan.send("7707083894")  # INN with a wrong check digit
    assert ivan.screen.text.startswith("«7707083894» — неверный налоговый номер")
    await ivan.send("7707083893/773601001")
    await ivan.send("123112, Москва, Пресненская наб., 10")
    await ivan.send("Пётр Петров")
    await ivan.send("not an e-mail")
    assert "шаг 7 из 7" in ivan.screen.text
    await ivan.send("buh@romashka.ru")
    summary = ivan.screen.text
    assert "Страна: Российская Федерация" in summary and "ИНН / номер НДС: 7707083893/773601001" in summary
    assert "Регистрационный номер: 1027700132195" in summary
    await ivan.press("✅ Сохранить")
    [payer] = await rows(running, Payer)
    assert (payer.kind, payer.name, payer.country, payer.reg_number, payer.tax_number, payer.contact, payer.email) \
        == ("legal", "ООО «Ромашка»", "RU", "1027700132195", "7707083893/773601001", "Пётр Петров",
            "buh@romashka.ru")


async def test_unknown_formats_are_accepted_as_typed(ann, running) -> None:
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Legal entity")
    for answer in ("Gulf Trading LLC", "AE", "CN-1234567", "100123456700003", "Sheikh Zayed Rd 1, Dubai",
                   "Omar", "billing@gulf.example"):
        await ann.send(answer)
    await ann.press("✅ Save")
    [payer] = await rows(running, Payer)
    assert (payer.country, payer.reg_number, payer.tax_number) == ("AE", "CN-1234567", "100123456700003")


async def test_edit_default_disable_and_delete(ann, running) -> None:
    await open_payers(ann)
    await add_two_people(ann)
    assert ann.screen.button_texts[:2] == ["★ First Person (Individual)", "Second Person (Individual)"]

    await ann.press("Second Person (Individual)")
    await ann.press("✏ Edit")
    await ann.press("Country")
    await ann.send("Atlantis")
    assert "I do not know the country “Atlantis”" in ann.screen.text
    await ann.send("Ireland")
    assert ann.screen.text.startswith("✅ Changed.") and "Country: Ireland" in ann.screen.text
    await ann.press("★ Make default")
    assert "★ This is now your default payer." in ann.screen.text
    first, second = await rows(running, Payer)
    assert (first.is_default, second.is_default, second.country) == (False, True, "IE")

    # Disabling the default passes the default on; a disabled payer is not offered for payments.
    await ann.press("⏸ Disable")
    first, second = await rows(running, Payer)
    assert (first.is_default, second.is_default, second.active) == (True, False, False)
    await ann.press("▶ Enable")

    # A payer something was paid for can only be disabled.
    async with running.app.domain() as domain:
        payment = await domain.payments.create_topup(1001, 1000)
        payment.payer_id = first.id
    await ann.press("« Back")
    await ann.press("★ First Person (Individual)")
    await ann.press("🗑 Delete")
    await ann.press("Yes, delete")
    assert ann.screen.text.startswith("Something has been paid or invoiced for this payer")
    assert len(await rows(running, Payer)) == 2

    await ann.press("« Back")
    await ann.press("Second Person (Individual)")
    await ann.press("🗑 Delete")
    await ann.press("No, keep it")
    await ann.press("🗑 Delete")
    await ann.press("Yes, delete")
    assert ann.screen.text.startswith("🗑 Payer deleted.")
    assert [p.name for p in await rows(running, Payer)] == ["First Person"]


async def test_a_foreign_payer_is_not_found(ann, ivan, running) -> None:
    await add_legal_ru(ivan)
    [payer] = await rows(running, Payer)
    await open_payers(ann)
    await ann.press(callback_data=f"py:view:{payer.id}::", message=ann.screen)
    assert "not found" in ann.bot_messages[-1].text.lower()
    await ann.press(callback_data=f"py:del-yes:{payer.id}::", message=ann.screen)
    assert len(await rows(running, Payer)) == 1


async def test_several_payers_are_picked_at_checkout_and_top_up(ivan, running) -> None:
    await add_legal_ru(ivan)
    await ivan.press("« Назад")
    await ivan.press("➕ Добавить плательщика")
    await ivan.press("Физическое лицо")
    await ivan.send("Иван Иванов")
    await ivan.send("RU")
    await ivan.press("Пропустить")
    await ivan.press("✅ Сохранить")
    legal, person = await rows(running, Payer)

    await credit(running, 1002, 100_000, "test:gift")
    await ivan.send("/menu")
    await ivan.press("🛒 Заказать")
    await ivan.press("Лицензия ispmanager")
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith("Lite")))
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith("1 месяц")))
    await ivan.press("Пропустить")
    await ivan.send("1.1.1.1")
    await ivan.press("✅ В корзину")
    await ivan.press("🧺 Корзина")
    await ivan.press(next(b for b in ivan.screen.button_texts if b.startswith("💳 Оплатить")))
    assert ivan.screen.text == "Кто платит? (★ — плательщик по умолчанию)"
    assert ivan.screen.button_texts[:2] == ["★ ООО «Ромашка» (Юридическое лицо)", "Иван Иванов (Физическое лицо)"]
    await ivan.press("Иван Иванов (Физическое лицо)")
    assert ivan.screen.text.startswith("✅ Оплачено — заказ #1")
    [order] = await rows(running, Order)
    assert order.payer_id == person.id

    await ivan.send("/menu")
    await ivan.press("💰 Финансы")
    await ivan.press("➕ Пополнить")
    await ivan.press(ivan.screen.button_texts[0])
    await ivan.press("★ ООО «Ромашка» (Юридическое лицо)")
    assert ivan.screen.invoice is not None
    [payment] = await rows(running, Payment)
    assert payment.payer_id == legal.id


async def test_one_payer_is_used_without_asking(ann, running) -> None:
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Individual")
    await ann.send("Ann Lee")
    await ann.send("GB")
    await ann.press("Skip")
    await ann.press("✅ Save")
    await credit(running, 1001, 10_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    assert ann.screen.text.startswith("✅ Paid — order #1")
    [payer] = await rows(running, Payer)
    assert [o.payer_id for o in await rows(running, Order)] == [payer.id]


async def test_without_payers_orders_carry_no_payer(ann, running) -> None:
    await ann.send("/start")
    await credit(running, 1001, 10_000, "test:gift")
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    assert [o.payer_id for o in await rows(running, Order)] == [None]


async def test_the_picked_payer_follows_the_shortfall_top_up(ann, running) -> None:
    await open_payers(ann)
    await add_two_people(ann)
    _, second = await rows(running, Payer)
    await order_licence(ann, tariff="Lite", months="1 month")
    await ann.press("🧺 Cart")
    await ann.press("💳 Pay €5.90")
    await ann.press("Second Person (Individual)")
    assert "Missing: €5.90" in ann.screen.text
    await ann.press("Top up €5.90")  # the payer was picked already: straight to the invoice
    assert ann.screen.invoice is not None
    await ann.pay()
    assert ann.bot_messages[-1].text.startswith("✅ Paid — order #1")
    assert [p.payer_id for p in await rows(running, Payment)] == [second.id]
    assert [o.payer_id for o in await rows(running, Order)] == [second.id]


async def test_cancel_in_the_payer_dialog_returns_to_the_payers(ann, running) -> None:
    await open_payers(ann)
    await ann.press("➕ Add a payer")
    await ann.press("Individual")
    await ann.send("Ann Lee")
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n")
    assert "You have no payers" in ann.screen.text
    await ann.send("GB")  # the dialog is left: nothing is saved
    assert await rows(running, Payer) == []
