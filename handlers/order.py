"""Order wizard: product -> tariff -> period -> parameters -> summary -> To cart. Back at every step."""

from __future__ import annotations

from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.models import Product, Tariff
from domain.unit import Domain
from domain.validation import display_domain, domain_name, public_ipv4, service_name
from handlers.common.errors import refuse
from handlers.common.format import money, text_of
from handlers.common.ui import Callback, MenuCb, MenuSection, button, keyboard, nav_row, register_section, show

register_section(MenuSection(key="order", text_key="menu-button-order", order=100))


class OrderCb(Callback, prefix="o"):
    """step: product, tariff, period, licence, skip, back, cart; value: the choice or the step to go back to."""

    step: str
    value: str = ""


class OrderWizard(StatesGroup):
    product = State()
    tariff = State()
    period = State()
    name = State()
    ip = State()
    domain = State()
    licence = State()
    summary = State()


def cancel_row(i18n: I18nContext, back_to: str | None) -> list:
    row = []
    if back_to:
        row.append(button(i18n.get("button-back"), OrderCb(step="back", value=back_to)))
    row.append(button(i18n.get("button-cancel"), "cancel"))
    return row


# screens ----------------------------------------------------------------------------------------------------
async def products_screen(domain: Domain, i18n: I18nContext) -> tuple[str, InlineKeyboardMarkup]:
    products = await domain.catalogue.products()
    lines = [i18n.get("order-choose-product")]
    rows = []
    for product in products:
        name = escape(text_of(product.names, i18n.locale))
        lines.append(f"\n<b>{name}</b>\n{escape(text_of(product.descriptions, i18n.locale))}")
        rows.append([button(text_of(product.names, i18n.locale), OrderCb(step="product", value=product.code))])
    return "\n".join(lines), keyboard(*rows, nav_row(i18n))


async def tariffs_screen(domain: Domain, i18n: I18nContext, product: Product) -> tuple[str, InlineKeyboardMarkup]:
    currency = domain.ledger.currency
    lines = [i18n.get("order-choose-tariff", product=escape(text_of(product.names, i18n.locale)))]
    rows = []
    for tariff in await domain.catalogue.tariffs(product.code):
        price = money(tariff.price, currency, i18n.locale)
        per = i18n.get("order-price-per-month" if product.base_months == 1 else "order-price-per-year", price=price)
        lines.append(f"\n<b>{escape(text_of(tariff.names, i18n.locale))}</b> — {per}\n"
                     f"{escape(text_of(tariff.descriptions, i18n.locale))}")
        label = f"{text_of(tariff.names, i18n.locale)} · {per}"
        rows.append([button(label, OrderCb(step="tariff", value=str(tariff.id)))])
    return "\n".join(lines), keyboard(*rows, cancel_row(i18n, "products"))


async def periods_screen(domain: Domain, i18n: I18nContext, product: Product,
                         tariff: Tariff) -> tuple[str, InlineKeyboardMarkup]:
    currency = domain.ledger.currency
    rows = []
    for period in product.periods:
        price = await domain.catalogue.price(tariff, period["months"])
        label = i18n.get("order-period-option", months=period["months"],
                         price=money(price.total, currency, i18n.locale))
        if price.discount:
            label += " " + i18n.get("order-period-discount", percent=period["discount_bp"] // 100)
        rows.append([button(label, OrderCb(step="period", value=str(period["months"])))])
    text = i18n.get("order-choose-period", product=escape(text_of(product.names, i18n.locale)),
                    tariff=escape(text_of(tariff.names, i18n.locale)))
    return text, keyboard(*rows, cancel_row(i18n, "tariffs"))


async def licences_screen(domain: Domain, i18n: I18nContext, user: Customer) -> tuple[str, InlineKeyboardMarkup]:
    licences = await domain.orders.licences_for_modules(user.id)
    if not licences:
        return i18n.get("order-module-needs-licence"), keyboard(
            [button(i18n.get("order-licence-first"), OrderCb(step="product", value="ispmanager"))],
            cancel_row(i18n, "periods"))
    rows = [[button(f"#{lic.id} {lic.name or ''} {lic.ip_address}".replace("  ", " "),
                    OrderCb(step="licence", value=str(lic.id)))] for lic in licences]
    return i18n.get("order-choose-licence"), keyboard(*rows, cancel_row(i18n, "periods"))


async def summary_screen(domain: Domain, i18n: I18nContext, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    product = await domain.catalogue.product(data["product"])
    tariff = await domain.catalogue.tariff(int(data["tariff"]))
    price = await domain.catalogue.price(tariff, int(data["months"]))
    currency = domain.ledger.currency
    params = []
    if data.get("name"):
        params.append(i18n.get("order-param-name", name=escape(data["name"])))
    if data.get("ip"):
        params.append(i18n.get("order-param-ip", ip=data["ip"]))
    if data.get("domain"):
        params.append(i18n.get("order-param-domain", domain=escape(display_domain(data["domain"]))))
    if data.get("licence_id"):
        params.append(i18n.get("order-param-licence", licence=str(data["licence_id"])))
    text = i18n.get(
        "order-summary",
        product=escape(text_of(product.names, i18n.locale)),
        tariff=escape(text_of(tariff.names, i18n.locale)),
        months=int(data["months"]),
        params="\n".join(params) or "—",
        list_price=money(price.list_price, currency, i18n.locale),
        discount=money(price.discount, currency, i18n.locale),
        total=money(price.total, currency, i18n.locale),
    )
    back = {"licence": "ip", "module": "licence", "ssl": "domain"}[product.kind]
    return text, keyboard([button(i18n.get("order-to-cart"), OrderCb(step="cart"))], cancel_row(i18n, back))


# steps ------------------------------------------------------------------------------------------------------
async def go(step: str, event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
             state: FSMContext) -> None:
    """Show a step of the wizard and move the dialog to it."""
    data = await state.get_data()
    if step == "products":
        text, markup = await products_screen(domain, i18n)
        await state.set_state(OrderWizard.product)
    elif step == "tariffs":
        text, markup = await tariffs_screen(domain, i18n, await domain.catalogue.product(data["product"]))
        await state.set_state(OrderWizard.tariff)
    elif step == "periods":
        product = await domain.catalogue.product(data["product"])
        text, markup = await periods_screen(domain, i18n, product, await domain.catalogue.tariff(int(data["tariff"])))
        await state.set_state(OrderWizard.period)
    elif step == "name":
        text = i18n.get("order-ask-name", current=escape(data.get("name") or "—"))
        markup = keyboard([button(i18n.get("order-skip-name"), OrderCb(step="skip"))], cancel_row(i18n, "periods"))
        await state.set_state(OrderWizard.name)
    elif step == "ip":
        text = i18n.get("order-ask-ip")
        markup = keyboard(cancel_row(i18n, "name"))
        await state.set_state(OrderWizard.ip)
    elif step == "domain":
        tariff = await domain.catalogue.tariff(int(data["tariff"]))
        text = i18n.get("order-ask-domain-wildcard" if tariff.wildcard else "order-ask-domain")
        markup = keyboard(cancel_row(i18n, "periods"))
        await state.set_state(OrderWizard.domain)
    elif step == "licence":
        text, markup = await licences_screen(domain, i18n, user)
        await state.set_state(OrderWizard.licence)
    else:
        text, markup = await summary_screen(domain, i18n, data)
        await state.set_state(OrderWizard.summary)
    await show(event, text, markup)


def first_param_step(kind: str) -> str:
    return {"licence": "name", "module": "licence", "ssl": "domain"}[kind]


async def order_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    """Start a new order."""
    await state.set_data({})
    await go("products", callback, domain, i18n, user, state)


async def product_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    await domain.catalogue.product(callback_data.value)
    await state.set_data({"product": callback_data.value})
    await go("tariffs", callback, domain, i18n, user, state)


async def tariff_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                        user: Customer, state: FSMContext) -> None:
    data = await state.get_data()
    tariff = await domain.catalogue.tariff(int(callback_data.value))
    if tariff.product_code != data.get("product"):
        await callback.answer(i18n.get("error-generic"))
        return
    await state.update_data(tariff=tariff.id)
    await go("periods", callback, domain, i18n, user, state)


async def period_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                        user: Customer, state: FSMContext) -> None:
    data = await state.get_data()
    product = await domain.catalogue.product(data["product"])
    months = int(callback_data.value)
    await domain.catalogue.price(await domain.catalogue.tariff(int(data["tariff"])), months)
    await state.update_data(months=months)
    await go(first_param_step(product.kind), callback, domain, i18n, user, state)


async def name_skipped(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    await state.update_data(name=None)
    await go("ip", callback, domain, i18n, user, state)


async def licence_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    licences = {lic.id for lic in await domain.orders.licences_for_modules(user.id)}
    if int(callback_data.value) not in licences:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await state.update_data(licence_id=int(callback_data.value))
    await go("summary", callback, domain, i18n, user, state)


async def back_pressed(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Back to an earlier step; what was entered is kept."""
    if raw_state not in OrderWizard:
        await callback.answer(i18n.get("error-generic"))
        return
    await go(callback_data.value, callback, domain, i18n, user, state)


async def _typed(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext,
                 field: str, parse: Any, next_step: str, again: str) -> None:
    try:
        value = parse(message.text or "")
    except InvalidInput as exc:
        # Re-ask with the reason; everything entered before stays in the dialog.
        await refuse(message, i18n, exc, user.time_zone)
        await go(again, message, domain, i18n, user, state)
        return
    await state.update_data({field: value})
    await go(next_step, message, domain, i18n, user, state)


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    await _typed(message, domain, i18n, user, state, "name", service_name, "ip", "name")


async def ip_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                     state: FSMContext) -> None:
    await _typed(message, domain, i18n, user, state, "ip", public_ipv4, "summary", "ip")


async def domain_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                         state: FSMContext) -> None:
    tariff = await domain.catalogue.tariff(int((await state.get_data())["tariff"]))
    await _typed(message, domain, i18n, user, state, "domain",
                 lambda text: domain_name(text, wildcard=tariff.wildcard), "summary", "domain")


async def to_cart(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                  state: FSMContext) -> None:
    """Put the configured product into the cart."""
    data = await state.get_data()
    params = {key: data[key] for key in ("name", "ip", "domain", "licence_id") if data.get(key)}
    try:
        await domain.orders.add_to_cart(user.id, int(data["tariff"]), int(data["months"]), params)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await state.clear()
    view = await domain.orders.cart(user.id)
    text = i18n.get("order-added", count=len(view.lines), total=money(view.total, domain.ledger.currency, i18n.locale))
    await show(callback, text, keyboard(
        [button(i18n.get("menu-button-cart"), MenuCb(section="cart")),
         button(i18n.get("order-more"), MenuCb(section="order"))],
        nav_row(i18n),
    ))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(order_pressed, MenuCb.filter(F.section == "order"))
    routes.callback_query.register(product_chosen, OrderCb.filter(F.step == "product"))
    routes.callback_query.register(tariff_chosen, OrderCb.filter(F.step == "tariff"), OrderWizard.tariff)
    routes.callback_query.register(period_chosen, OrderCb.filter(F.step == "period"), OrderWizard.period)
    routes.callback_query.register(name_skipped, OrderCb.filter(F.step == "skip"), OrderWizard.name)
    routes.callback_query.register(licence_chosen, OrderCb.filter(F.step == "licence"), OrderWizard.licence)
    routes.callback_query.register(back_pressed, OrderCb.filter(F.step == "back"))
    routes.message.register(name_entered, OrderWizard.name, F.text)
    routes.message.register(ip_entered, OrderWizard.ip, F.text)
    routes.message.register(domain_entered, OrderWizard.domain, F.text)
    routes.callback_query.register(to_cart, OrderCb.filter(F.step == "cart"), OrderWizard.summary)
    return routes
