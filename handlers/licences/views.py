"""Licences: texts."""

from __future__ import annotations

from collections.abc import Mapping
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
def change(i18n: I18nContext, field: str, old: str, new: str) -> str:
    """'Tariff: Pro → Host': what changed, in words, with the old and the new value."""
    return i18n.get("licence-history-change", field=field, old=old, new=new)


def on_off(i18n: I18nContext, value: object) -> str:
    return i18n.get("licence-auto-renew-state", on="yes" if value else "no")


def _day(i18n: I18nContext, user: Customer, value: object) -> str:
    return day(datetime.fromisoformat(str(value)), user.time_zone, i18n.locale) if value else "—"


def event_detail(i18n: I18nContext, event: ServiceEvent, domain: Domain, user: Customer,
                 tariffs: Mapping[str, dict[str, str]]) -> str:
    """What an event changed, in words; `tariffs` names the product's tariffs by code (old ones too)."""
    before, after = event.before or {}, event.after or {}
    currency, locale = domain.ledger.currency, i18n.locale

    def tariff(code: object) -> str:
        names = tariffs.get(str(code))
        return escape(text_of(names, locale) if names else str(code or "—"))

    if event.action == "rename":
        return change(i18n, "name", escape(before.get("name") or "—"), escape(after.get("name") or "—"))
    if event.action == "ip":
        return change(i18n, "ip", before.get("ip") or "—", after.get("ip") or "—")
    if event.action == "key":
        return i18n.get("licence-history-key", first="yes" if not before.get("fingerprint") else "no")
    if event.action == "tariff":
        return change(i18n, "tariff", tariff(before.get("tariff")), tariff(after.get("tariff"))) + ", " \
            + signed(i18n, int(after.get("amount", 0)), currency)
    if event.action == "auto_renew":
        return change(i18n, "auto_renew", on_off(i18n, before.get("auto_renew")), on_off(i18n, after.get("auto_renew")))
    if event.action == "order" and "price" in after:
        return i18n.get("licence-history-order", tariff=tariff(after.get("tariff")), months=int(after.get("months", 0)),
                        price=money(int(after["price"]), currency, locale))
    if event.action == "renewal" and "expires_at" in after:
        lines = [change(i18n, "expires", _day(i18n, user, before.get("expires_at")),
                        _day(i18n, user, after["expires_at"]))]
        if "price" in after:
            lines.append(i18n.get("licence-history-charged", price=money(int(after["price"]), currency, locale)))
        if before.get("status") and before.get("status") != after.get("status"):
            lines.append(change(i18n, "status", status_text(i18n, str(before["status"])),
                                status_text(i18n, str(after.get("status")))))
        return "\n".join(lines)
    if "status" in after:  # deleted by the customer, or moved by the expiry sweeps
        text = change(i18n, "status", status_text(i18n, str(before.get("status") or "—")),
                      status_text(i18n, str(after["status"])))
        if after.get("refund"):
            text += "\n" + i18n.get("licence-deleted-refund", amount=money(int(after["refund"]), currency, locale))
        return text
    return ""
