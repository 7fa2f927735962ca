"""Staff: texts (in the staff group's language, handlers/common/staff.py `group_translate`)."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from domain.errors import DomainError
from domain.models import PromoCode
from domain.promos import usable
from handlers.common.errors import error_text
from handlers.common.format import day, money
from handlers.discounts import scope_text, value_text


def refusal(i18n: I18nContext, error: DomainError, usage: str) -> str:
    """The reason a staff command was refused, and how to use it (`usage`, a message id, or "")."""
    text = error_text(i18n, error)
    return f"{text}\n\n{i18n.get(usage)}" if usage else text


def discount_status(i18n: I18nContext, status: str) -> str:
    return i18n.get(f"discounts-status-{status}")


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


def reader_locale(i18n: I18nContext, locale: str | None, language_code: str | None) -> str:
    """The language a customer reads: their choice, else Telegram's, else the default."""
    for candidate in (locale, (language_code or "").replace("_", "-").split("-", 1)[0].lower()):
        if candidate and candidate in i18n.core.locales:
            return candidate
    return i18n.core.default_locale or "en"


def answer_text(i18n: I18nContext, locale: str, ticket_id: int, subject: str, name: str, body: str) -> str:
    """A staff answer as the customer reads it: from Support (named when the vendor shows names)."""
    args = {"ticket": ticket_id, "subject": escape(subject)}
    head = (i18n.core.get("tickets-answer-named", locale, name=escape(name), **args) if name
            else i18n.core.get("tickets-answer", locale, **args))
    body = escape(body)
    return f"{head}\n\n{body}" if body else head
