"""Licences: texts."""

from __future__ import annotations

from datetime import datetime
from html import escape

from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.models import Service, ServiceEvent
from domain.services import Details, IpChangeLimited, KeyLimited, Row
from domain.unit import Domain
from handlers.common.format import day, money, text_of, when


# text helpers ---------------------------------------------------------------------------------------------
def title(service: Service) -> str:
    """'#12 web-1' (escaped), or '#12' for an unnamed service."""
    return f"#{service.id} {escape(service.name)}" if service.name else f"#{service.id}"


def plain_title(service: Service) -> str:
    return f"#{service.id} {service.name}" if service.name else f"#{service.id}"


def status_text(i18n: I18nContext, status: str) -> str:
    return i18n.get("licence-status", status=status)


def list_line(i18n: I18nContext, row: Row, user: Customer) -> str:
    service = row.service
    parts = [service.ip_address] if service.ip_address else []
    if row.parent is not None:
        parts.append(i18n.get("licence-on-licence", licence=title(row.parent)))
    parts.append(status_text(i18n, service.status))
    parts.append(i18n.get("licence-until", date=day(service.expires_at, user.time_zone, i18n.locale)))
    return (f"<b>{title(service)}</b> — {escape(text_of(row.tariff.names, i18n.locale))}\n"
            + " · ".join(parts))


# details --------------------------------------------------------------------------------------------------
def details_text(i18n: I18nContext, details: Details, user: Customer) -> str:
    row, service, tz, locale = details.row, details.row.service, user.time_zone, i18n.locale
    lines = [i18n.get(f"licence-details-title-{service.kind}", title=title(service)),
             i18n.get("licence-field-product", value=escape(text_of(row.product.names, locale))),
             i18n.get("licence-field-tariff", value=escape(text_of(row.tariff.names, locale))),
             i18n.get("licence-field-name", value=escape(service.name) if service.name else "—")]
    if service.kind == "licence":
        lines.append(i18n.get("licence-field-ip", value=service.ip_address or "—"))
    if row.parent is not None:
        lines.append(i18n.get("licence-field-licence", value=title(row.parent)))
    lines += [
        i18n.get("licence-field-status", value=status_text(i18n, service.status)),
        i18n.get("licence-field-period", months=service.period_months),
        i18n.get("licence-field-ordered", value=day(service.created_at, tz, locale)),
        i18n.get("licence-field-expires", value=when(service.expires_at, tz, locale)),
        i18n.get("licence-field-auto-renew", on="yes" if service.auto_renew else "no"),
    ]
    if details.modules:
        lines.append("\n" + i18n.get("licence-modules", count=len(details.modules)))
        lines += [f"• {title(m.service)} — {escape(text_of(m.tariff.names, locale))}, "
                  f"{status_text(i18n, m.service.status)}" for m in details.modules]
    return "\n".join(lines)


# IP address -----------------------------------------------------------------------------------------------
def ip_limited_text(i18n: I18nContext, user: Customer, exc: IpChangeLimited) -> str:
    return i18n.get("licence-ip-limited", date=day(exc.available, user.time_zone, i18n.locale))


# activation key -------------------------------------------------------------------------------------------
def key_limited_text(i18n: I18nContext, user: Customer, exc: KeyLimited) -> str:
    return i18n.get("licence-key-limited", date=when(exc.available, user.time_zone, i18n.locale))


# tariff ---------------------------------------------------------------------------------------------------
def signed(i18n: I18nContext, amount: int, currency: str) -> str:
    if amount > 0:
        return i18n.get("licence-tariff-pay", amount=money(amount, currency, i18n.locale))
    if amount < 0:
        return i18n.get("licence-tariff-credit", amount=money(-amount, currency, i18n.locale))
    return i18n.get("licence-tariff-free")


# history --------------------------------------------------------------------------------------------------
def event_detail(i18n: I18nContext, event: ServiceEvent, domain: Domain, user: Customer) -> str:
    before, after = event.before or {}, event.after or {}
    currency, locale = domain.ledger.currency, i18n.locale
    if event.action == "rename":
        return f"{escape(before.get('name') or '—')} → {escape(after.get('name') or '—')}"
    if event.action == "ip":
        return f"{before.get('ip') or '—'} → {after.get('ip') or '—'}"
    if event.action == "tariff":
        return f"{escape(str(before.get('tariff')))} → {escape(str(after.get('tariff')))}, " \
               + signed(i18n, int(after.get("amount", 0)), currency)
    if event.action == "auto_renew":
        return i18n.get("licence-auto-renew-state", on="yes" if after.get("auto_renew") else "no")
    if event.action == "order" and "price" in after:
        return i18n.get("licence-history-order", months=int(after.get("months", 0)),
                        price=money(int(after["price"]), currency, locale))
    if event.action == "renewal" and "expires_at" in after:
        return i18n.get("licence-history-until",
                        date=day(datetime.fromisoformat(after["expires_at"]), user.time_zone, locale))
    if event.action == "delete" and after.get("refund"):
        return i18n.get("licence-deleted-refund", amount=money(int(after["refund"]), currency, locale))
    return ""
