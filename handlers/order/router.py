"""Order wizard: product -> tariff -> period -> parameters -> summary -> To cart. Back at every step."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.unit import Domain
from domain.validation import domain_name, public_ipv4, service_name
from handlers.common.errors import refuse
from handlers.common.format import money
from handlers.common.ui import MenuCb, MenuSection, keyboard, register_section, show
from handlers.order.keyboards import FIRST_PARAM, OrderAction, OrderCb, OrderStep, added_markup, cancel_row, name_markup
from handlers.order.states import OrderData, OrderWizard
from handlers.order.views import licences_screen, periods_screen, products_screen, summary_screen, tariffs_screen


async def remember(state: FSMContext, **choices: Any) -> None:
    """Keep these answers, and what the dialog holds besides."""
    data = await OrderData.load(state)
    await data.model_copy(update=choices).save(state)


async def go(step: OrderStep, event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
             state: FSMContext) -> None:
    """Show a step of the wizard and move the dialog to it."""
    data = await OrderData.load(state)
    markup: InlineKeyboardMarkup
    if step == OrderStep.PRODUCTS:
        text, markup = await products_screen(domain, i18n)
        await state.set_state(OrderWizard.product)
    elif step == OrderStep.TARIFFS:
        text, markup = await tariffs_screen(domain, i18n, user, await domain.catalogue.product(data.product or ""))
        await state.set_state(OrderWizard.tariff)
    elif step == OrderStep.PERIODS:
        product = await domain.catalogue.product(data.product or "")
        text, markup = await periods_screen(domain, i18n, user, product,
                                            await domain.catalogue.tariff(data.tariff or 0))
        await state.set_state(OrderWizard.period)
    elif step == OrderStep.NAME:
        text = i18n.get("order-ask-name", current=escape(data.name or "—"))
        markup = name_markup(i18n)
        await state.set_state(OrderWizard.name)
    elif step == OrderStep.IP:
        text = i18n.get("order-ask-ip")
        markup = keyboard(cancel_row(i18n, OrderStep.NAME))
        await state.set_state(OrderWizard.ip)
    elif step == OrderStep.DOMAIN:
        tariff = await domain.catalogue.tariff(data.tariff or 0)
        text = i18n.get("order-ask-domain-wildcard" if tariff.wildcard else "order-ask-domain")
        markup = keyboard(cancel_row(i18n, OrderStep.PERIODS))
        await state.set_state(OrderWizard.domain)
    elif step == OrderStep.LICENCE:
        text, markup = await licences_screen(domain, i18n, user)
        await state.set_state(OrderWizard.licence)
    else:
        text, markup = await summary_screen(domain, i18n, user, data)
        await state.set_state(OrderWizard.summary)
    await show(event, text, markup)


async def order_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                        state: FSMContext) -> None:
    """Start a new order."""
    await OrderData().save(state)
    await go(OrderStep.PRODUCTS, callback, domain, i18n, user, state)


async def product_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    """Another product starts the order anew."""
    await domain.catalogue.product(callback_data.value)
    await OrderData(product=callback_data.value).save(state)
    await go(OrderStep.TARIFFS, callback, domain, i18n, user, state)


async def tariff_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                        user: Customer, state: FSMContext) -> None:
    data = await OrderData.load(state)
    tariff = await domain.catalogue.tariff(int(callback_data.value))
    if tariff.product_code != data.product:
        await callback.answer(i18n.get("error-generic"))
        return
    await remember(state, tariff=tariff.id)
    await go(OrderStep.PERIODS, callback, domain, i18n, user, state)


async def period_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                        user: Customer, state: FSMContext) -> None:
    data = await OrderData.load(state)
    product = await domain.catalogue.product(data.product or "")
    months = int(callback_data.value)
    await domain.catalogue.price(await domain.catalogue.tariff(data.tariff or 0), months)  # a period on sale
    await remember(state, months=months)
    await go(FIRST_PARAM[product.kind], callback, domain, i18n, user, state)


async def name_skipped(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    await remember(state, name=None)
    await go(OrderStep.IP, callback, domain, i18n, user, state)


async def licence_chosen(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                         user: Customer, state: FSMContext) -> None:
    licences = {lic.id for lic in await domain.orders.licences_for_modules(user.id)}
    if int(callback_data.value) not in licences:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await remember(state, licence_id=int(callback_data.value))
    await go(OrderStep.SUMMARY, callback, domain, i18n, user, state)


async def back_pressed(callback: CallbackQuery, callback_data: OrderCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Back to an earlier step; what was entered is kept."""
    if raw_state not in OrderWizard or callback_data.value not in set(OrderStep):
        await callback.answer(i18n.get("error-generic"))
        return
    await go(OrderStep(callback_data.value), callback, domain, i18n, user, state)


async def _typed(message: Message, domain: Domain, i18n: I18nContext, user: Customer, state: FSMContext,
                 field: str, parse: Callable[[str], Any], next_step: OrderStep, again: OrderStep) -> None:
    try:
        value = parse(message.text or "")
    except InvalidInput as exc:
        # Re-ask with the reason; everything entered before stays in the dialog.
        await refuse(message, i18n, exc, user.time_zone)
        await go(again, message, domain, i18n, user, state)
        return
    await remember(state, **{field: value})
    await go(next_step, message, domain, i18n, user, state)


async def name_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    await _typed(message, domain, i18n, user, state, "name", service_name, OrderStep.IP, OrderStep.NAME)


async def ip_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                     state: FSMContext) -> None:
    await _typed(message, domain, i18n, user, state, "ip", public_ipv4, OrderStep.SUMMARY, OrderStep.IP)


async def domain_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                         state: FSMContext) -> None:
    tariff = await domain.catalogue.tariff((await OrderData.load(state)).tariff or 0)
    await _typed(message, domain, i18n, user, state, "domain",
                 lambda text: domain_name(text, wildcard=tariff.wildcard), OrderStep.SUMMARY, OrderStep.DOMAIN)


async def to_cart(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                  state: FSMContext) -> None:
    """Put the configured product into the cart."""
    data = await OrderData.load(state)
    try:
        await domain.orders.add_to_cart(user.id, data.tariff or 0, data.months or 0, data.params())
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await state.clear()
    view = await domain.orders.cart(user.id)
    text = i18n.get("order-added", count=len(view.lines), total=money(view.total, domain.ledger.currency, i18n.locale))
    await show(callback, text, added_markup(i18n))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(order_pressed, MenuCb.filter(F.section == "order"))
    routes.callback_query.register(product_chosen, OrderCb.filter(F.action == OrderAction.PRODUCT))
    routes.callback_query.register(tariff_chosen, OrderCb.filter(F.action == OrderAction.TARIFF), OrderWizard.tariff)
    routes.callback_query.register(period_chosen, OrderCb.filter(F.action == OrderAction.PERIOD), OrderWizard.period)
    routes.callback_query.register(name_skipped, OrderCb.filter(F.action == OrderAction.SKIP), OrderWizard.name)
    routes.callback_query.register(licence_chosen, OrderCb.filter(F.action == OrderAction.LICENCE),
                                   OrderWizard.licence)
    routes.callback_query.register(back_pressed, OrderCb.filter(F.action == OrderAction.BACK))
    routes.message.register(name_entered, OrderWizard.name, F.text)
    routes.message.register(ip_entered, OrderWizard.ip, F.text)
    routes.message.register(domain_entered, OrderWizard.domain, F.text)
    routes.callback_query.register(to_cart, OrderCb.filter(F.action == OrderAction.CART), OrderWizard.summary)
    return routes


register_section(MenuSection(key="order", text_key="menu-button-order", order=100))
