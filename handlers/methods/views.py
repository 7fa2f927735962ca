"""Payment methods: texts."""

from __future__ import annotations

from html import escape

from aiogram_i18n import I18nContext

from domain.models import PaymentMethod
from domain.payment_methods import CARD
from handlers.common.format import method_label as label


def expires(method: PaymentMethod) -> str:
    return f"{method.exp_month or 0:02d}/{method.exp_year or 0}"


def line(i18n: I18nContext, method: PaymentMethod) -> str:
    text = (i18n.get("methods-line-card", label=label(i18n, method), expires=expires(method))
            if method.kind == CARD else i18n.get("methods-line-telegram", label=label(i18n, method)))
    return f"{text}  {i18n.get('methods-default-mark')}" if method.is_default else text


def list_text(i18n: I18nContext, methods: list[PaymentMethod], notice: str | None = None) -> str:
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("methods-title"))
    lines.append("")
    if methods:
        lines.extend(line(i18n, m) for m in methods)
    else:
        lines.append(i18n.get("methods-none"))
    return "\n".join(lines)


def method_text(i18n: I18nContext, method: PaymentMethod, notice: str | None = None) -> str:
    details = (i18n.get("methods-detail-card", brand=escape((method.brand or "").title()),
                        last4=escape(method.last4 or ""), expires=expires(method))
               if method.kind == CARD else i18n.get("methods-detail-telegram"))
    text = i18n.get("methods-detail", label=label(i18n, method), default="yes" if method.is_default else "no",
                    details=details)
    return f"{notice}\n\n{text}" if notice else text
