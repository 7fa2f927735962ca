"""Renewing a service from its notification: "Renew now" (confirm, then charge the balance, or the card for what
it lacks when automatic payments are on) and "Top up" of the renewal's shortfall. Ownership and the price are
decided in the domain, never taken from the button."""

from __future__ import annotations

from html import escape

from aiogram import Bot, F, Router
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError
from domain.renewals import period_key
from domain.unit import Domain
from handlers.billing import register_resume, send_invoice
from handlers.common import format as fmt
from handlers.common.errors import refuse
from handlers.common.ui import keyboard, nav_row, show
from handlers.notifications import register_action
from handlers.renewals.keyboards import RenewAction, RenewCb, back_of, confirm_markup, short_markup
from handlers.renewals.views import quote_args, renewed_text


async def renew_pressed(callback: CallbackQuery, callback_data: RenewCb, i18n: I18nContext, domain: Domain,
                        user: Customer) -> None:
    """What renewing costs and the new expiry date; confirm, or top up the shortfall first."""
    await render_offer(callback, domain, i18n, user, callback_data.id, callback_data.p, callback_data.c)


async def render_offer(event: CallbackQuery | Message, domain: Domain, i18n: I18nContext, user: Customer,
                       service_id: int, period_shown: str = "", c: int = 0) -> None:
    try:
        offer = await domain.checkout.renewal_offer(user.id, service_id)
    except DomainError as exc:
        await refuse(event, i18n, exc, user.time_zone)
        return
    quote = offer.quote
    period = period_key(quote.service.expires_at)
    args = quote_args(quote, i18n, domain.ledger.currency, user)
    back = back_of(quote.service.kind, quote.service.id, bool(c))
    if period_shown and period_shown != period:
        await show(event, i18n.get("renew-already", service=args["service"], expires=args["expires"]),
                   keyboard(nav_row(i18n, back)))
        return
    if not quote.shortfall:
        await show(event, i18n.get("renew-confirm", **args),
                   confirm_markup(i18n, quote.service.id, args["price"], period, back, c))
        return
    text = i18n.get("renew-short", **args)
    if offer.card is not None:
        # Automatic payments on: the card can cover the shortfall now, as the renewal sweep would.
        card = i18n.get("methods-card-label", brand=escape((offer.card.brand or "").title()),
                        last4=escape(offer.card.last4 or ""))
        text += "\n" + i18n.get("renew-by-card-hint", shortfall=args["shortfall"], card=card)
    await show(event, text, short_markup(i18n, quote.service.id, args["shortfall"], period,
                                         args["price"] if offer.card is not None else None, back, c))


async def renewal_resumed(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                          numbers: list[int]) -> None:
    """After a top-up made for a renewal: its confirmation, now that the balance covers it."""
    if len(numbers) == 1:
        await render_offer(message, domain, i18n, user, numbers[0])


async def renew_confirmed(callback: CallbackQuery, callback_data: RenewCb, i18n: I18nContext, domain: Domain,
                          user: Customer) -> None:
    """Charge the balance and extend the service by its period (once per period, however often pressed)."""
    currency = domain.ledger.currency
    try:
        paid = await domain.checkout.pay_renewal(user.id, callback_data.id, callback_data.p or None)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    if paid.renewed is None or paid.quote is None:
        assert paid.short is not None
        await callback.answer(i18n.get("renew-short-alert", shortfall=fmt.money(paid.short.shortfall, currency,
                                                                                i18n.locale)), show_alert=True)
        return
    # A receipt: its own message, which navigation from it never edits away.
    back = back_of(paid.quote.service.kind, paid.quote.service.id, bool(callback_data.c))
    await show(callback, renewed_text(i18n, paid.renewed, paid.quote, currency, user), keyboard(nav_row(i18n, back)),
               keep=True)


async def renewal_topup_pressed(callback: CallbackQuery, callback_data: RenewCb, bot: Bot, i18n: I18nContext,
                                domain: Domain, user: Customer, payment_provider_token: str) -> None:
    """An invoice for exactly what the renewal lacks now (the balance may have changed since the notice)."""
    try:
        payment = await domain.checkout.renewal_topup(user.id, callback_data.id)
    except DomainError as exc:
        await refuse(callback, i18n, exc, user.time_zone)
        return
    await send_invoice(bot, user.id, payment, i18n, payment_provider_token)
    await callback.answer()


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(renew_pressed, RenewCb.filter(F.action == RenewAction.QUOTE))
    routes.callback_query.register(renew_confirmed, RenewCb.filter(F.action == RenewAction.RENEW))
    routes.callback_query.register(renewal_topup_pressed, RenewCb.filter(F.action == RenewAction.TOPUP))
    return routes


# The buttons of expiry and renewal notifications (domain/renewals.py names them by these actions).
register_action("renew", lambda args: RenewCb(action=RenewAction.QUOTE, id=int(args["service_id"]),
                                              p=str(args.get("period", ""))))
register_action("renewal-topup", lambda args: RenewCb(action=RenewAction.TOPUP, id=int(args["service_id"])))
register_resume("renew", renewal_resumed)
