"""Renewing a service from its notification: "Renew now" (confirm, then charge the balance) and "Top up" of the
renewal's shortfall. Ownership and the price are decided in the domain, never taken from the button."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.ledger import InsufficientFunds
from domain.renewals import Quote, Renewed, label_of, period_key
from domain.unit import Domain
from handlers.billing import send_invoice
from handlers.common import format as fmt
from handlers.common.errors import refuse
from handlers.common.ui import Callback, button, keyboard, nav_row, show
from handlers.notifications import register_action


class RenewCb(Callback, prefix="rn"):
    """a: q(uote and confirm), r(enew), t(op up the shortfall); p: the expiry date (YYYYMMDD) the offer was for."""

    a: str
    id: int
    p: str = ""


register_action("renew", lambda args: RenewCb(a="q", id=int(args["service_id"]), p=str(args.get("period", ""))))
register_action("renewal-topup", lambda args: RenewCb(a="t", id=int(args["service_id"])))


def _product(quote: Quote, locale: str) -> str:
    names: Mapping[str, str] = quote.product.names
    return escape(names.get(locale) or names.get("en") or quote.product.code)


def _args(quote: Quote, i18n: I18nContext, domain: Domain, user: Customer) -> dict[str, Any]:
    currency, locale = domain.ledger.currency, i18n.locale
    return {
        "service": escape(label_of(quote.service)), "product": _product(quote, locale),
        "months": quote.service.period_months, "price": fmt.money(quote.price, currency, locale),
        "balance": fmt.money(quote.balance, currency, locale),
        "shortfall": fmt.money(quote.shortfall, currency, locale),
        "expires": fmt.day(quote.service.expires_at, user.time_zone, locale),
        "new_expires": fmt.day(quote.new_expires_at, user.time_zone, locale),
    }


async def _alert(callback: CallbackQuery, i18n: I18nContext, exc: DomainError, user: Customer) -> None:
    await refuse(callback, i18n, exc, user.time_zone)


async def renew_pressed(callback: CallbackQuery, callback_data: RenewCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    """What renewing costs and the new expiry date; confirm, or top up the shortfall first."""
    try:
        quote = await domain.renewals.quote(user.id, callback_data.id)
    except DomainError as exc:
        await _alert(callback, i18n, exc, user)
        return
    period = period_key(quote.service.expires_at)
    if callback_data.p and callback_data.p != period:
        args = _args(quote, i18n, domain, user)
        await show(callback, i18n.get("renew-already", service=args["service"], expires=args["expires"]),
                   keyboard(nav_row(i18n)))
        return
    args = _args(quote, i18n, domain, user)
    if quote.shortfall:
        text = i18n.get("renew-short", **args)
        rows = [[button(i18n.get("notification-button-top-up", amount=args["shortfall"]),
                        RenewCb(a="t", id=quote.service.id))]]
        autopay = await domain.autopay.view(user.id)
        if autopay.enabled and autopay.method is not None:
            # Automatic payments on: the card can cover the shortfall now, as the renewal sweep would.
            card = i18n.get("methods-card-label", brand=escape((autopay.method.brand or "").title()),
                            last4=escape(autopay.method.last4 or ""))
            text += "\n" + i18n.get("renew-by-card-hint", shortfall=args["shortfall"], card=card)
            rows.insert(0, [button(i18n.get("renew-button-by-card", price=args["price"]),
                                   RenewCb(a="r", id=quote.service.id, p=period))])
    else:
        text = i18n.get("renew-confirm", **args)
        rows = [[button(i18n.get("renew-button-confirm", price=args["price"]),
                        RenewCb(a="r", id=quote.service.id, p=period))]]
    await show(callback, text, keyboard(*rows, nav_row(i18n)))


async def renew_confirmed(callback: CallbackQuery, callback_data: RenewCb, i18n: I18nContext, domain: Domain,
                          user: Customer) -> None:
    """Charge the balance and extend the service by its period (once per period, however often pressed)."""
    currency, locale = domain.ledger.currency, i18n.locale
    try:
        renewed = await domain.renewals.renew(user.id, callback_data.id, callback_data.p or None)
    except InsufficientFunds as exc:
        await domain.rollback()
        renewed = await _renew_by_card(domain, user, callback_data, exc.shortfall)
        if renewed is None:
            await callback.answer(i18n.get("renew-short-alert", shortfall=fmt.money(exc.shortfall, currency, locale)),
                                  show_alert=True)
            return
    except DomainError as exc:
        await domain.rollback()
        await _alert(callback, i18n, exc, user)
        return
    quote = await domain.renewals.quote(user.id, renewed.service_id)
    text = i18n.get("renew-done", service=escape(label_of(quote.service)), product=_product(quote, locale),
                    price=fmt.money(renewed.price, currency, locale),
                    expires=fmt.day(renewed.expires_at, user.time_zone, locale),
                    balance=fmt.money(renewed.balance, currency, locale))
    await show(callback, text, keyboard(nav_row(i18n)))


async def _renew_by_card(domain: Domain, user: Customer, callback_data: RenewCb, shortfall: int) -> Renewed | None:
    """With automatic payments on, the shortfall goes to the saved card (the customer is told by the payment's
    own notice) and the renewal is tried again; None leaves the usual top-up offer."""
    try:
        quote = await domain.renewals.quote(user.id, callback_data.id)
        cover = await domain.autopay.cover_renewal(user.id, quote.service.id, quote.service.expires_at, shortfall,
                                                   label_of(quote.service))
        if not cover.charged:
            return None
        return await domain.renewals.renew(user.id, callback_data.id, callback_data.p or None)
    except DomainError:
        await domain.rollback()
        return None


async def renewal_topup_pressed(callback: CallbackQuery, callback_data: RenewCb, i18n: I18nContext,
                                domain: Domain, user: Customer, payment_provider_token: str) -> None:
    """An invoice for exactly what the renewal lacks now (the balance may have changed since the notice)."""
    try:
        quote = await domain.renewals.quote(user.id, callback_data.id)
    except DomainError as exc:
        await _alert(callback, i18n, exc, user)
        return
    if not quote.shortfall:
        await callback.answer(i18n.get("renew-covered-alert"), show_alert=True)
        return
    payment = await domain.payments.create_topup(user.id, quote.shortfall, exact=True)
    await domain.commit()  # the payment row must exist before the invoice can be paid
    assert callback.bot is not None
    await send_invoice(callback.bot, user.id, payment, i18n, payment_provider_token)
    await callback.answer()


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(renew_pressed, RenewCb.filter(F.a == "q"))
    routes.callback_query.register(renew_confirmed, RenewCb.filter(F.a == "r"))
    routes.callback_query.register(renewal_topup_pressed, RenewCb.filter(F.a == "t"))
    return routes
