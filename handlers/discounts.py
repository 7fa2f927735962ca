"""Discounts: the customer's discounts, entering a promo code (also by a t.me/<bot>?start=promo_<CODE> link),
and how a discount is described wherever it shows (the cart's lines, staff replies)."""

from __future__ import annotations

from decimal import Decimal
from html import escape

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext
from babel.numbers import format_decimal

from domain.accounts import Customer
from domain.discounts import Applied
from domain.models import Discount
from domain.promos import CODE_RE, PromoRefused, Redeemed, normalize
from domain.unit import Domain
from handlers.client import CLIENT, ClientEntry, register_entry
from handlers.common.errors import error_text
from handlers.common.format import babel_locale, day, money, text_of
from handlers.common.ui import Callback, MenuCb, button, keyboard, leave_dialog, nav_row, show
from handlers.menu import deep_link
from handlers.notifications import register_action

DISCOUNTS = MenuCb(section="discounts")


async def _client_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("menu-button-discounts"), DISCOUNTS)


# Client -> Discounts, as in the web client area.
register_entry(ClientEntry(key="discounts", order=300, button=_client_button))
register_action("discounts", lambda args: DISCOUNTS)


class DiscountCb(Callback, prefix="dsc"):
    """a: code (ask for a promo code), redeem (apply `code`, from a deep link's confirmation)."""

    a: str
    code: str = ""


class PromoForm(StatesGroup):
    code = State()


# --- describing a discount ------------------------------------------------------------------------------

def percent_text(basis_points: int, locale: str) -> str:
    return format_decimal(Decimal(basis_points) / 100, locale=babel_locale(locale))


def value_text(i18n: I18nContext, kind: str, value: int, currency: str) -> str:
    if kind == "percent":
        return i18n.get("discounts-value-percent", percent=percent_text(value, i18n.locale))
    return i18n.get("discounts-value-fixed", amount=money(value, currency, i18n.locale))


def scope_text(i18n: I18nContext, scope: str, target: str | None, names: dict[str, dict[str, str]]) -> str:
    if scope == "product":
        return i18n.get("discounts-scope-product",
                        product=escape(text_of(names[target], i18n.locale) if target in names else target or ""))
    if scope == "tariff":
        return i18n.get("discounts-scope-tariff",
                        tariff=escape(text_of(names[target], i18n.locale) if target in names else target or ""))
    if scope == "period":
        return i18n.get("discounts-scope-period", months=int(target or 0))
    return i18n.get("discounts-scope-all")


def reason_text(i18n: I18nContext, discount: Discount) -> str:
    if discount.promo_id is not None:
        return i18n.get("discounts-from-promo", code=escape(discount.reason))
    return escape(discount.reason)


def discount_text(i18n: I18nContext, discount: Discount, currency: str, names: dict[str, dict[str, str]]) -> str:
    """'10 % off everything — until 31 Dec 2026' and the reason below."""
    text = i18n.get("discounts-item", value=value_text(i18n, discount.kind, discount.value, currency),
                    scope=scope_text(i18n, discount.scope, discount.target, names))
    if discount.valid_until is not None:
        text += i18n.get("discounts-item-until", until=day(discount.valid_until, "UTC", i18n.locale))
    if discount.single_use:
        text += i18n.get("discounts-item-once")
    return f"{text}\n    <i>{reason_text(i18n, discount)}</i>"


def cart_discount_line(i18n: I18nContext, applied: Applied, currency: str) -> str:
    """Under a cart line: which discount priced it and what it took off."""
    reason = i18n.get("discounts-from-promo", code=escape(applied.reason)) if applied.promo else escape(applied.reason)
    return i18n.get("discounts-cart-line", value=value_text(i18n, applied.terms.kind, applied.terms.value, currency),
                    reason=reason, amount=money(applied.amount, currency, i18n.locale))


def fit(i18n: I18nContext, head: list[str], items: list[str], tail: list[str], limit: int = 3800) -> str:
    """As many items as fit in one Telegram message (4096 characters), then how many more there are."""
    size = sum(len(part) + 1 for part in head + tail)
    shown: list[str] = []
    for number, item in enumerate(items):
        if size + len(item) + 1 > limit:
            shown.append(i18n.get("discounts-more", count=len(items) - number))
            break
        shown.append(item)
        size += len(item) + 1
    return "\n".join(head + shown + tail)


# --- the screen -----------------------------------------------------------------------------------------

async def show_discounts(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                         notice: str | None = None) -> None:
    """Client -> Discounts: the discounts usable now and the way to enter a promo code."""
    discounts = await domain.discounts.active(user.id)
    names = await domain.discounts.names()
    currency = domain.ledger.currency
    head = [notice, ""] if notice else []
    if discounts:
        text = fit(i18n, [*head, i18n.get("discounts-title", count=len(discounts))],
                   [discount_text(i18n, d, currency, names) for d in discounts], ["", i18n.get("discounts-how")])
    else:
        text = "\n".join([*head, i18n.get("discounts-none")])
    rows = [[button(i18n.get("discounts-button-enter-code"), DiscountCb(a="code"))]]
    if discounts:
        rows.append([button(i18n.get("menu-button-cart"), MenuCb(section="cart"))])
    await show(event, text, keyboard(*rows, nav_row(i18n, CLIENT)))


async def discounts_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                            state: FSMContext, raw_state: str | None) -> None:
    await leave_dialog(state, raw_state)
    await show_discounts(callback, domain, i18n, user)


# --- promo codes ----------------------------------------------------------------------------------------

def redeemed_text(i18n: I18nContext, result: Redeemed, currency: str) -> str:
    if result.discount is None:
        return i18n.get("promo-applied-credit", code=escape(result.promo.code),
                        amount=money(result.credit, currency, i18n.locale),
                        balance=money(result.balance, currency, i18n.locale))
    return i18n.get("promo-applied-discount", code=escape(result.promo.code),
                    value=value_text(i18n, result.discount.kind, result.discount.value, currency))


async def redeem(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                 code: str) -> bool:
    """Apply a code and show the discounts; a refusal says why and changes nothing."""
    try:
        result = await domain.promos.redeem(user.id, code)
    except PromoRefused as exc:
        await domain.rollback()
        text = error_text(i18n, exc)
        if isinstance(event, Message):
            await event.answer(text, reply_markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
        else:
            await show_discounts(event, domain, i18n, user, text)
        return False
    await show_discounts(event, domain, i18n, user, redeemed_text(i18n, result, domain.ledger.currency))
    return True


async def code_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    """Ask for the code."""
    await state.set_state(PromoForm.code)
    await show(callback, i18n.get("promo-ask"),
               keyboard([button(i18n.get("button-cancel"), "cancel")], nav_row(i18n, DISCOUNTS)))


async def code_typed(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                     state: FSMContext) -> None:
    if await redeem(message, domain, i18n, user, message.text or ""):
        await state.clear()


async def code_not_text(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("promo-ask"), reply_markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))


async def redeem_pressed(callback: CallbackQuery, callback_data: DiscountCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """The confirmation under a promo link."""
    await redeem(callback, domain, i18n, user, callback_data.code)


@deep_link("promo")
async def promo_link(message: Message, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """`/start promo_<CODE>`: ask before applying, so opening a link alone uses nothing."""
    payload = (message.text or "").partition(" ")[2].strip()
    code = normalize(payload.partition("_")[2])
    if not CODE_RE.match(code):
        await message.answer(i18n.get("promo-error-unknown", code=escape(code[:40])),
                             reply_markup=keyboard(nav_row(i18n)))
        return
    await message.answer(i18n.get("promo-link-confirm", code=code), reply_markup=keyboard(
        [button(i18n.get("promo-button-apply"), DiscountCb(a="redeem", code=code))],
        [button(i18n.get("menu-button-discounts"), DISCOUNTS)],
        nav_row(i18n)))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(discounts_pressed, MenuCb.filter(F.section == "discounts"))
    routes.callback_query.register(code_pressed, DiscountCb.filter(F.a == "code"))
    routes.message.register(code_typed, PromoForm.code, F.text)
    routes.message.register(code_not_text, PromoForm.code)
    routes.callback_query.register(redeem_pressed, DiscountCb.filter(F.a == "redeem"))
    return routes
