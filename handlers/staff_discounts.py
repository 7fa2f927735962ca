"""Staff commands in the staff group: grant, list and revoke customer discounts; create, list and switch off
promo codes. Any other chat is ignored, like /refund."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import Message
from aiogram_i18n import I18nContext

from domain.errors import DomainError
from domain.models import Discount, PromoCode
from domain.promos import parse_promo, usable
from domain.unit import Domain
from handlers.common.errors import error_text
from handlers.common.format import day, money
from handlers.discounts import discount_text, fit, scope_text, value_text
from handlers.support_group import staff_may

LIST_LIMIT = 100  # discounts of one customer read for /discounts; what fits in a message is shown


def refusal(i18n: I18nContext, error: DomainError, usage: str) -> str:
    text = error_text(i18n, error)
    return f"{text}\n\n{i18n.get(usage)}" if usage else text


def status_text(i18n: I18nContext, domain: Domain, discount: Discount) -> str:
    return i18n.get(f"discounts-status-{domain.discounts.status(discount)}")


async def staff_grant(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                      staff_chat_id: int | None) -> None:
    """`/discount <user_id> <10% | 5.00> [scope] [until:YYYY-MM-DD] <reason...>`: give a customer a discount."""
    if not await staff_may(message, bot, i18n, staff_chat_id, admin=True):
        return
    try:
        grant = domain.discounts.parse_grant(command.args or "", domain.context.payments.precision)
        discount = await domain.discounts.grant(grant.user_id, grant.terms, grant.reason,
                                                valid_until=grant.valid_until,
                                                granted_by=message.from_user.id if message.from_user else None)
    except DomainError as exc:
        await domain.rollback()
        await message.reply(refusal(i18n, exc, "discounts-staff-usage"))
        return
    names = await domain.discounts.names()
    await message.reply(i18n.get("discounts-staff-granted", id=str(discount.id), user=str(discount.user_id),
                                 discount=discount_text(i18n, discount, domain.ledger.currency, names)))


async def staff_list(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                     staff_chat_id: int | None) -> None:
    """`/discounts <user_id>`: every discount of a customer with its status."""
    if not await staff_may(message, bot, i18n, staff_chat_id):
        return
    user_id = (command.args or "").strip()
    if not user_id.isdigit():
        await message.reply(i18n.get("discounts-staff-list-usage"))
        return
    discounts = await domain.discounts.history(int(user_id), LIST_LIMIT)
    if not discounts:
        await message.reply(i18n.get("discounts-staff-list-empty", user=user_id))
        return
    names = await domain.discounts.names()
    currency = domain.ledger.currency
    items = [i18n.get("discounts-staff-list-item", id=str(d.id), status=status_text(i18n, domain, d),
                      discount=discount_text(i18n, d, currency, names)) for d in discounts]
    await message.reply(fit(i18n, [i18n.get("discounts-staff-list", user=user_id)], items, []))


async def staff_revoke(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                       staff_chat_id: int | None) -> None:
    """`/revoke <discount_id>`: take a discount back (what was already paid stays as it was)."""
    if not await staff_may(message, bot, i18n, staff_chat_id, admin=True):
        return
    discount_id = (command.args or "").strip()
    if not discount_id.isdigit():
        await message.reply(i18n.get("discounts-staff-revoke-usage"))
        return
    try:
        discount = await domain.discounts.revoke(int(discount_id))
    except DomainError as exc:
        await message.reply(refusal(i18n, exc, ""))
        return
    await message.reply(i18n.get("discounts-staff-revoked", id=discount_id, user=str(discount.user_id)))


def promo_text(i18n: I18nContext, promo: PromoCode, currency: str, names: dict[str, dict[str, str]]) -> str:
    if promo.kind == "credit":
        what = i18n.get("promo-staff-credit", amount=money(promo.value, currency, i18n.locale))
    else:
        what = i18n.get("promo-staff-discount", value=value_text(i18n, promo.kind, promo.value, currency),
                        scope=scope_text(i18n, promo.scope, promo.target, names))
    limits = [i18n.get("promo-staff-uses", uses=promo.uses, max=str(promo.max_uses) if promo.max_uses else "∞")]
    if promo.once_per_customer:
        limits.append(i18n.get("promo-staff-once"))
    if promo.first_order_only:
        limits.append(i18n.get("promo-staff-first"))
    if promo.valid_until is not None:
        limits.append(i18n.get("promo-staff-until", until=day(promo.valid_until, "UTC", i18n.locale)))
    if not usable(promo):
        limits.append(i18n.get("promo-staff-off"))
    source = i18n.get("promo-staff-source-file") if promo.source == "file" else ""
    return i18n.get("promo-staff-item", code=promo.code, what=what, limits=", ".join(limits), source=source)


async def staff_promo(message: Message, command: CommandObject, bot: Bot, domain: Domain, i18n: I18nContext,
                      staff_chat_id: int | None) -> None:
    """`/promo new <CODE> <10% | 5.00 | credit:5.00> [uses:N] [once] [first] [until:YYYY-MM-DD] [scope]`,
    `/promo list`, `/promo off <CODE>`."""
    action, _, rest = (command.args or "").strip().partition(" ")
    action = action.lower()
    if not await staff_may(message, bot, i18n, staff_chat_id, admin=action in ("new", "off")):
        return
    currency = domain.ledger.currency
    try:
        if action == "new":
            spec = parse_promo(rest, domain.context.payments.precision, domain.clock.now().date())
            promo = await domain.promos.create(spec, message.from_user.id if message.from_user else None)
            names = await domain.discounts.names()
            await message.reply(i18n.get("promo-staff-created", promo=promo_text(i18n, promo, currency, names)))
        elif action == "list" and not rest.strip():
            promos = await domain.promos.all()
            if not promos:
                await message.reply(i18n.get("promo-staff-list-empty"))
                return
            names = await domain.discounts.names()
            await message.reply(fit(i18n, [i18n.get("promo-staff-list")],
                                    [promo_text(i18n, p, currency, names) for p in promos], []))
        elif action == "off" and rest.strip() and " " not in rest.strip():
            promo = await domain.promos.disable(rest)
            await message.reply(i18n.get("promo-staff-disabled", code=promo.code))
        else:
            await message.reply(i18n.get("promo-staff-usage"))
    except DomainError as exc:
        await domain.rollback()
        await message.reply(refusal(i18n, exc, "promo-staff-usage" if action == "new" else ""))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.filter(F.chat.type.in_({"group", "supergroup"}))
    routes.message.register(staff_grant, Command("discount"))
    routes.message.register(staff_list, Command("discounts"))
    routes.message.register(staff_revoke, Command("revoke"))
    routes.message.register(staff_promo, Command("promo"))
    return routes
