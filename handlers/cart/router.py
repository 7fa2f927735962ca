"""The cart: lines with prices and discounts, remove, change period, clear, and Pay for everything at once."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.orders import AlreadyPaid, CartChanged, EmptyCart
from domain.unit import Domain
from handlers.cart.keyboards import CART, CartAction, CartCb, cart_markup, clear_markup, periods_markup
from handlers.cart.views import cart_text, payment_screen
from handlers.common.errors import error_text, refuse
from handlers.common.format import money, text_of
from handlers.common.ui import MenuCb, MenuSection, register_section, show
from handlers.payers import pick_payer


async def render_cart(event: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                      notice: str | None = None) -> None:
    view = await domain.orders.cart(user.id)
    currency = domain.ledger.currency
    await show(event, cart_text(i18n, view, currency, notice), cart_markup(i18n, view, currency))


async def cart_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    """Show the cart."""
    await render_cart(callback, domain, i18n, user)


async def remove_pressed(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Remove one item; the item must be this customer's (callback data can be forged)."""
    await domain.orders.remove(user.id, callback_data.item)
    await render_cart(callback, domain, i18n, user, i18n.get("cart-removed"))


async def periods_pressed(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    """The periods the line's product is sold for, each with what the customer pays for it (their discounts
    in it, as the cart prices it)."""
    item, product, tariff = await domain.orders.periods_for_item(user.id, callback_data.item)
    currency = domain.ledger.currency
    options = [(months, i18n.get("order-period-option", months=months,
                                 price=money(priced.price.total, currency, i18n.locale)), months == item.months)
               for months, priced in await domain.orders.period_prices(user.id, product, tariff)]
    text = i18n.get("cart-choose-period", product=escape(text_of(product.names, i18n.locale)),
                    tariff=escape(text_of(tariff.names, i18n.locale)))
    await show(callback, text, periods_markup(i18n, item.id, options))


async def period_chosen(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                        user: Customer) -> None:
    await domain.orders.change_period(user.id, callback_data.item, callback_data.months)
    await render_cart(callback, domain, i18n, user)


async def clear_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Clearing asks first: it throws away everything configured."""
    await show(callback, i18n.get("cart-clear-confirm"), clear_markup(i18n))


async def clear_confirmed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await domain.orders.clear(user.id)
    await render_cart(callback, domain, i18n, user, i18n.get("cart-cleared"))


async def pay_pressed(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """Pay the cart shown from the balance (the card covering a shortfall when automatic payments are on);
    still short, offer a top-up of exactly the shortfall."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user,
            lambda payer: CartCb(action=CartAction.PAY, rev=callback_data.rev, payer=payer), CART):
        return
    try:
        outcome = await domain.checkout.pay_cart(user.id, callback_data.rev, callback_data.payer or None)
    except CartChanged as exc:
        await render_cart(callback, domain, i18n, user, error_text(i18n, exc))
        return
    except (EmptyCart, AlreadyPaid) as exc:
        # A second tap after the cart was paid: say so, and leave the confirmation on screen.
        await refuse(callback, i18n, exc, user.time_zone)
        return
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        await render_cart(callback, domain, i18n, user)
        return
    # A paid cart's receipt is the customer's to keep: a message of its own that navigation never edits.
    await show(callback, *payment_screen(i18n, domain.ledger.currency, user, outcome, callback_data.rev,
                                         callback_data.payer), keep=outcome.order is not None)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(cart_pressed, MenuCb.filter(F.section == "cart"))
    routes.callback_query.register(remove_pressed, CartCb.filter(F.action == CartAction.REMOVE))
    routes.callback_query.register(periods_pressed, CartCb.filter(F.action == CartAction.PERIODS))
    routes.callback_query.register(period_chosen, CartCb.filter(F.action == CartAction.PERIOD))
    routes.callback_query.register(clear_pressed, CartCb.filter(F.action == CartAction.CLEAR))
    routes.callback_query.register(clear_confirmed, CartCb.filter(F.action == CartAction.CLEAR_CONFIRM))
    routes.callback_query.register(pay_pressed, CartCb.filter(F.action == CartAction.PAY))
    return routes


register_section(MenuSection(key="cart", text_key="menu-button-cart", order=110))
