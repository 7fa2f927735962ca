"""The order wizard: its screens (text and buttons)."""

from __future__ import annotations

from html import escape

from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.models import Product, Tariff
from domain.unit import Domain
from domain.validation import display_domain
from handlers.common.format import money, text_of
from handlers.discounts import cart_discount_line
from handlers.order.keyboards import (
    LAST_PARAM,
    OrderAction,
    OrderStep,
    choices_markup,
    licence_in_cart_markup,
    needs_licence_markup,
    summary_markup,
)
from handlers.order.states import OrderData

Screen = tuple[str, InlineKeyboardMarkup]


async def products_screen(domain: Domain, i18n: I18nContext) -> Screen:
    products = await domain.catalogue.products()
    lines = [i18n.get("order-choose-product")]
    choices = []
    for product in products:
        name = escape(text_of(product.names, i18n.locale))
        lines.append(f"\n<b>{name}</b>\n{escape(text_of(product.descriptions, i18n.locale))}")
        choices.append((text_of(product.names, i18n.locale), product.code))
    return "\n".join(lines), choices_markup(i18n, OrderAction.PRODUCT, choices, None)


async def tariffs_screen(domain: Domain, i18n: I18nContext, user: Customer, product: Product) -> Screen:
    """Each tariff with what this customer pays for its base period (their discounts in it)."""
    currency = domain.ledger.currency
    lines = [i18n.get("order-choose-tariff", product=escape(text_of(product.names, i18n.locale)))]
    choices = []
    offers = await domain.orders.offers(user.id)
    for tariff in await domain.catalogue.tariffs(product.code):
        priced = domain.orders.line_price(product, tariff, product.base_months, offers)
        price = money(priced.price.total if priced is not None else tariff.price, currency, i18n.locale)
        per = i18n.get("order-price-per-month" if product.base_months == 1 else "order-price-per-year", price=price)
        lines.append(f"\n<b>{escape(text_of(tariff.names, i18n.locale))}</b> — {per}\n"
                     f"{escape(text_of(tariff.descriptions, i18n.locale))}")
        choices.append((f"{text_of(tariff.names, i18n.locale)} · {per}", str(tariff.id)))
    return "\n".join(lines), choices_markup(i18n, OrderAction.TARIFF, choices, OrderStep.PRODUCTS)


async def periods_screen(domain: Domain, i18n: I18nContext, user: Customer, product: Product,
                         tariff: Tariff) -> Screen:
    """Each period with what this customer pays for it: the price the cart will show."""
    currency = domain.ledger.currency
    discounts = {p["months"]: p["discount_bp"] for p in product.periods}
    choices = []
    for months, priced in await domain.orders.period_prices(user.id, product, tariff):
        label = i18n.get("order-period-option", months=months,
                         price=money(priced.price.total, currency, i18n.locale))
        if discounts.get(months):
            label += " " + i18n.get("order-period-discount", percent=discounts[months] // 100)
        choices.append((label, str(months)))
    text = i18n.get("order-choose-period", product=escape(text_of(product.names, i18n.locale)),
                    tariff=escape(text_of(tariff.names, i18n.locale)))
    return text, choices_markup(i18n, OrderAction.PERIOD, choices, OrderStep.TARIFFS)


async def licences_screen(domain: Domain, i18n: I18nContext, user: Customer) -> Screen:
    licences = await domain.orders.licences_for_modules(user.id)
    if not licences:
        if await domain.orders.licences_in_cart(user.id):
            # The licence is bought with the cart: the module follows once it is active.
            return i18n.get("order-module-licence-in-cart"), licence_in_cart_markup(i18n)
        return i18n.get("order-module-needs-licence"), needs_licence_markup(i18n)
    choices = [(f"#{lic.id} {lic.name or ''} {lic.ip_address}".replace("  ", " "), str(lic.id)) for lic in licences]
    return i18n.get("order-choose-licence"), choices_markup(i18n, OrderAction.LICENCE, choices, OrderStep.PERIODS)


async def summary_screen(domain: Domain, i18n: I18nContext, user: Customer, data: OrderData) -> Screen:
    """What the order will cost in the cart: the same price rule, with the customer's discounts in it."""
    product = await domain.catalogue.product(data.product or "")
    tariff = await domain.catalogue.tariff(data.tariff or 0)
    months = data.months or 0
    priced = await domain.orders.price(user.id, tariff.id, months)
    price = priced.price
    currency, locale = domain.ledger.currency, i18n.locale
    params = []
    if data.name:
        params.append(i18n.get("order-param-name", name=escape(data.name)))
    if data.ip:
        params.append(i18n.get("order-param-ip", ip=data.ip))
    if data.domain:
        params.append(i18n.get("order-param-domain", domain=escape(display_domain(data.domain))))
    if data.licence_id:
        params.append(i18n.get("order-param-licence", licence=str(data.licence_id)))
    lines = [i18n.get(
        "order-summary",
        product=escape(text_of(product.names, locale)),
        tariff=escape(text_of(tariff.names, locale)),
        months=months,
        params="\n".join(params) or "—",
    ), ""]
    if price.discount:
        lines.append(i18n.get("order-summary-price", list_price=money(price.list_price, currency, locale)))
        lines.append(i18n.get("order-summary-discount", discount=money(price.discount, currency, locale)))
    if priced.applied is not None:
        lines.append(cart_discount_line(i18n, priced.applied, currency))
    lines.append(i18n.get("order-summary-total", total=money(price.total, currency, locale)))
    return "\n".join(lines), summary_markup(i18n, LAST_PARAM[product.kind])
