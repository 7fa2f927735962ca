"""The cart: lines with prices and discounts, remove, change period, clear, and Pay for everything at once."""

from __future__ import annotations

from html import escape

from aiogram import F, Router
from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.autopay import CHARGED, LIMIT, PENDING, Cover
from domain.checkout import CartPayment
from domain.errors import DomainError
from domain.orders import AlreadyPaid, CartChanged, CartView, CheckoutResult, EmptyCart
from domain.unit import Domain
from domain.validation import display_domain
from handlers.common.errors import error_text, refuse
from handlers.common.format import day, money, text_of
from handlers.common.format import method_label as card_label
from handlers.common.ui import Callback, MenuCb, MenuSection, TopupCb, button, keyboard, nav_row, register_section, show
from handlers.discounts import cart_discount_line
from handlers.payers import pick_payer

register_section(MenuSection(key="cart", text_key="menu-button-cart", order=110))


class CartCb(Callback, prefix="c"):
    """action: rm, per (choose a period), setper, clear, clear-yes, pay; rev: the cart revision shown."""

    action: str
    item: int = 0
    months: int = 0
    rev: str = ""
    payer: int = 0  # the payer picked when the customer has several (handlers/payers.py)


def line_params(i18n: I18nContext, params: dict) -> str:
    parts = []
    if params.get("name"):
        parts.append(escape(params["name"]))
    if params.get("ip"):
        parts.append(params["ip"])
    if params.get("domain"):
        parts.append(escape(display_domain(params["domain"])))
    if params.get("licence_id"):
        parts.append(i18n.get("cart-for-licence", licence=str(params["licence_id"])))
    return ", ".join(parts)


def cart_text(i18n: I18nContext, view: CartView, currency: str, notice: str | None = None) -> str:
    if not view.lines:
        return (notice + "\n\n" if notice else "") + i18n.get("cart-empty")
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("cart-title", count=len(view.lines)))
    for number, line in enumerate(view.lines, 1):
        head = i18n.get("cart-line", number=number, product=escape(text_of(line.product.names, i18n.locale)),
                        tariff=escape(text_of(line.tariff.names, i18n.locale)), months=line.item.months)
        params = line_params(i18n, line.item.params)
        if not line.available:
            price = i18n.get("cart-line-unavailable")
        elif line.price.discount:
            price = i18n.get("cart-line-discounted", price=money(line.price.total, currency, i18n.locale),
                             list_price=money(line.price.list_price, currency, i18n.locale))
        else:
            price = money(line.price.total, currency, i18n.locale)
        if line.applied is not None:
            price += "\n" + cart_discount_line(i18n, line.applied, currency)
        lines.append(f"\n{head}\n{params}\n{price}" if params else f"\n{head}\n{price}")
    lines.append("")
    if view.discount:
        lines.append(i18n.get("cart-discount", discount=money(view.discount, currency, i18n.locale)))
    lines.append(i18n.get("cart-total", total=money(view.total, currency, i18n.locale)))
    return "\n".join(lines)


def cart_markup(i18n: I18nContext, view: CartView, currency: str) -> InlineKeyboardMarkup:
    rows = []
    for number, line in enumerate(view.lines, 1):
        row = [button(i18n.get("cart-remove", number=number), CartCb(action="rm", item=line.item.id))]
        if line.available and len(line.product.periods) > 1:
            row.insert(0, button(i18n.get("cart-change-period", number=number),
                                 CartCb(action="per", item=line.item.id)))
        rows.append(row)
    if view.lines:
        rows.append([button(i18n.get("cart-clear"), CartCb(action="clear"))])
    if view.payable:
        rows.append([button(i18n.get("cart-pay", total=money(view.total, currency, i18n.locale)),
                            CartCb(action="pay", rev=view.revision))])
    if not view.lines:
        rows.append([button(i18n.get("menu-button-order"), MenuCb(section="order"))])
    return keyboard(*rows, nav_row(i18n))


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


async def period_pressed(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    item, product, tariff = await domain.orders.periods_for_item(user.id, callback_data.item)
    currency = domain.ledger.currency
    rows = []
    for period in product.periods:
        price = await domain.catalogue.price(tariff, period["months"])
        mark = "• " if period["months"] == item.months else ""
        rows.append([button(mark + i18n.get("order-period-option", months=period["months"],
                                            price=money(price.total, currency, i18n.locale)),
                            CartCb(action="setper", item=item.id, months=period["months"]))])
    text = i18n.get("cart-choose-period", product=escape(text_of(product.names, i18n.locale)),
                    tariff=escape(text_of(tariff.names, i18n.locale)))
    await show(callback, text, keyboard(*rows, nav_row(i18n, MenuCb(section="cart"))))


async def period_set(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                     user: Customer) -> None:
    await domain.orders.change_period(user.id, callback_data.item, callback_data.months)
    await render_cart(callback, domain, i18n, user)


async def clear_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Clearing asks first: it throws away everything configured."""
    await show(callback, i18n.get("cart-clear-confirm"), keyboard(
        [button(i18n.get("cart-clear-yes"), CartCb(action="clear-yes")),
         button(i18n.get("cart-clear-no"), MenuCb(section="cart"))]))


async def clear_confirmed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer) -> None:
    await domain.orders.clear(user.id)
    await render_cart(callback, domain, i18n, user, i18n.get("cart-cleared"))


def paid_text(i18n: I18nContext, result: CheckoutResult, currency: str, time_zone: str) -> str:
    lines = [i18n.get("checkout-paid", order=str(result.order_id), total=money(result.total, currency, i18n.locale),
                      balance=money(result.balance, currency, i18n.locale))]
    for service in result.services:
        what = escape(service.name or display_domain(service.domain or "") or service.ip_address or "")
        lines.append(i18n.get("checkout-service", id=str(service.id), kind=i18n.get(f"service-kind-{service.kind}"),
                              what=what, expires=day(service.expires_at, time_zone, i18n.locale)))
    return "\n".join(lines)


def paid_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("menu-button-billing"), MenuCb(section="billing"))], nav_row(i18n))


def shortfall_markup(i18n: I18nContext, shortfall: int, currency: str, revision: str,
                     payer: int = 0) -> InlineKeyboardMarkup:
    return keyboard(
        [button(i18n.get("checkout-topup-shortfall", amount=money(shortfall, currency, i18n.locale)),
                TopupCb(then=1, rev=revision, payer=payer))],
        nav_row(i18n, MenuCb(section="cart")),
    )


async def pay_pressed(callback: CallbackQuery, callback_data: CartCb, domain: Domain, i18n: I18nContext,
                      user: Customer) -> None:
    """Pay the cart shown from the balance (the card covering a shortfall when automatic payments are on);
    still short, offer a top-up of exactly the shortfall."""
    if not callback_data.payer and await pick_payer(
            callback, domain, i18n, user, lambda payer: CartCb(action="pay", rev=callback_data.rev, payer=payer),
            MenuCb(section="cart")):
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
    await show(callback, *payment_screen(i18n, domain, user, outcome, callback_data.rev, callback_data.payer))


def payment_screen(i18n: I18nContext, domain: Domain, user: Customer, outcome: CartPayment, revision: str,
                   payer: int) -> tuple[str, InlineKeyboardMarkup]:
    """What paying the cart came to: paid, still short (with the card's attempt if one was made), or bought
    nothing after the card paid (the money is on the balance)."""
    currency, locale = domain.ledger.currency, i18n.locale
    lines = [card_notice(i18n, outcome.card, currency)] if outcome.card is not None else []
    if outcome.order is not None:
        lines.append(paid_text(i18n, outcome.order, currency, user.time_zone))
        return "\n\n".join(lines), paid_markup(i18n)
    if outcome.refused is not None:
        lines.append(error_text(i18n, outcome.refused, user.time_zone))
        return "\n\n".join(lines), keyboard(nav_row(i18n, MenuCb(section="cart")))
    short = outcome.short
    assert short is not None
    lines.append(i18n.get("checkout-short", total=money(short.total, currency, locale),
                          balance=money(short.balance, currency, locale),
                          shortfall=money(short.shortfall, currency, locale)))
    return "\n\n".join(lines), shortfall_markup(i18n, short.shortfall, currency, revision, payer)


def card_notice(i18n: I18nContext, card: Cover, currency: str) -> str:
    """The automatic payment tried for the cart: charged, the monthly limit, Stripe unreachable, declined."""
    name = card_label(i18n, card.method) if card.method is not None else ""
    if card.status == CHARGED:
        return i18n.get("methods-checkout-charged", amount=money(card.amount, currency, i18n.locale), card=name)
    if card.status == LIMIT:
        return i18n.get("methods-checkout-limit")
    if card.status == PENDING:
        return i18n.get("methods-error-stripe")
    return i18n.get("methods-checkout-declined", card=name)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(cart_pressed, MenuCb.filter(F.section == "cart"))
    routes.callback_query.register(remove_pressed, CartCb.filter(F.action == "rm"))
    routes.callback_query.register(period_pressed, CartCb.filter(F.action == "per"))
    routes.callback_query.register(period_set, CartCb.filter(F.action == "setper"))
    routes.callback_query.register(clear_pressed, CartCb.filter(F.action == "clear"))
    routes.callback_query.register(clear_confirmed, CartCb.filter(F.action == "clear-yes"))
    routes.callback_query.register(pay_pressed, CartCb.filter(F.action == "pay"))
    return routes
