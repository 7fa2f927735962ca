"""Billing: texts (the balance, histories and their CSV export, invoices and their PDF document, receipts)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from html import escape
from typing import Any

from aiogram_i18n import I18nContext
from babel.numbers import get_currency_precision

from domain.accounts import Customer
from domain.invoice_pdf import InvoiceDocument
from domain.invoices import VendorDetails
from domain.models import Invoice, LedgerEntry, Service, Tariff
from domain.payers import FIELDS, country_name
from domain.payments import PaymentSettings
from domain.validation import display_domain
from handlers.common.format import day, money, text_of, when, zone
from handlers.payers import field_key

EXPORT_MONTHS = 12

Translate = Callable[..., str]


# billing and top-ups -------------------------------------------------------------------------------------
def billing_text(i18n: I18nContext, balance: int, currency: str) -> str:
    return i18n.get("billing-text", balance=money(balance, currency, i18n.locale))


def topup_text(i18n: I18nContext, settings: PaymentSettings, currency: str) -> str:
    return i18n.get("topup-choose", minimum=money(settings.topup_min, currency, i18n.locale),
                    maximum=money(settings.topup_max, currency, i18n.locale),
                    method=i18n.get(f"topup-method-{settings.method}"))


# histories and their export ------------------------------------------------------------------------------
def service_labels(i18n: I18nContext, services: dict[int, tuple[Service, Tariff]]) -> dict[int, str]:
    """'#12 Lite web-1': what each ledger entry was for, as the customer recognises the service."""
    labels = {}
    for service_id, (service, tariff) in services.items():
        what = service.name or display_domain(service.domain or "") or service.ip_address or ""
        labels[service_id] = f"#{service_id} {text_of(tariff.names, i18n.locale)} {what}".strip()
    return labels


def entry_labels(i18n: I18nContext, entries: list[LedgerEntry], services: dict[int, tuple[Service, Tariff]],
                  tariffs: dict[int, Tariff]) -> dict[int, str]:
    """What each entry was for, by entry id: as charged (the tariff and name it keeps), else (entries from
    before charges kept them) the service as it is now."""
    now = service_labels(i18n, services)
    labels = {}
    for entry in entries:
        tariff = tariffs.get(entry.tariff_id or 0)
        if tariff is not None and entry.service_id:
            labels[entry.id] = f"#{entry.service_id} {text_of(tariff.names, i18n.locale)} {entry.label or ''}".strip()
        elif entry.service_id in now:
            labels[entry.id] = now[entry.service_id]
    return labels


def entry_line(i18n: I18nContext, entry: LedgerEntry, user: Customer, label: str | None) -> str:
    amount = money(abs(entry.amount), entry.currency, i18n.locale)
    sign = "+" if entry.amount >= 0 else "−"
    what = escape(label) if label else i18n.get(f"ledger-kind-{entry.kind}")
    line = f"{when(entry.created_at, user.time_zone, i18n.locale)}  <b>{sign}{amount}</b>  {what}"
    # A Telegram payment and its refund: the charge id support asks for (and refunds by).
    source, _, charge = entry.reference.partition(":")
    if source in ("tg", "refund") and charge:
        line += "\n" + i18n.get("billing-entry-charge", charge=escape(charge))
    return line


def history_text(i18n: I18nContext, action: str, entries: list[LedgerEntry], user: Customer,
                 labels: dict[int, str]) -> str:
    title = i18n.get(f"billing-{action}-title")
    if not entries:
        body = i18n.get(f"billing-{action}-none")
    else:
        body = "\n".join(entry_line(i18n, e, user, labels.get(e.id)) for e in entries)
    return f"<b>{title}</b>\n\n{body}"


def export_months(span: list[datetime], time_zone: str) -> list[str]:
    """The months (YYYY-MM, in the customer's zone) from the newest entry back to the first, at most a year."""
    tz = zone(time_zone)
    first, last = (moment.astimezone(tz) for moment in span)
    months: list[str] = []
    year, month = last.year, last.month
    while (year, month) >= (first.year, first.month) and len(months) < EXPORT_MONTHS:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months


def month_bounds(month: str, time_zone: str) -> tuple[datetime, datetime]:
    """A month (YYYY-MM) of the customer's zone as a UTC interval; ValueError for anything else."""
    year, number = (int(part) for part in month.split("-"))
    tz = zone(time_zone)
    start = datetime(year, number, 1, tzinfo=tz)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=tz)
    return start.astimezone(UTC), end.astimezone(UTC)


def ledger_csv(entries: list[LedgerEntry], labels: dict[int, str], currency: str, time_zone: str) -> bytes:
    """One month of the ledger, times in the customer's zone (UTF-8 with a BOM, so spreadsheets read it)."""
    precision = get_currency_precision(currency)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["date", "kind", "amount", "currency", "service", "reference"])
    tz = zone(time_zone)
    for entry in entries:
        writer.writerow([entry.created_at.astimezone(tz).isoformat(timespec="seconds"), entry.kind,
                         f"{Decimal(entry.amount).scaleb(-precision):.{precision}f}", entry.currency,
                         labels.get(entry.id, ""), entry.reference])
    return buffer.getvalue().encode("utf-8-sig")


# invoices ------------------------------------------------------------------------------------------------
def line_text(t: Translate, line: dict[str, Any], locale: str) -> str:
    if line.get("kind") == "topup":
        return t("invoices-line-topup")
    params = line.get("params") or {}
    what = params.get("name") or display_domain(params.get("domain") or "") or params.get("ip") or ""
    text = t("invoices-line-item", product=text_of(line["product"], locale), tariff=text_of(line["tariff"], locale),
             months=line["months"])
    return f"{text} {what}".strip() if what else text


def payer_lines(t: Translate, details: dict[str, Any], locale: str) -> list[str]:
    """The buyer as issued; an implied payer is the customer as a private person."""
    if details.get("implied"):
        return [details.get("name") or "", t("invoices-implied-payer")]
    kind = details["kind"]
    lines = [f"{details['name']} ({t(f'payers-kind-{kind}')})"]
    for field in FIELDS[kind][1:]:
        value = details.get(field)
        if value:
            shown = country_name(value, locale) if field == "country" else value
            lines.append(f"{t(field_key('payers-field', field), kind=kind)}: {shown}")
    return lines


def vat_label(t: Translate, invoice: Invoice) -> str:
    percent = f"{invoice.vat_rate_bp / 100:g}"
    return t("invoices-vat", rate=percent)


def document_of(t: Translate, invoice: Invoice, vendor: VendorDetails, locale: str, time_zone: str) -> InvoiceDocument:
    cur = invoice.currency
    # The amount without VAT is a line of its own only above a VAT line; without VAT the locale's note says so.
    totals = []
    if invoice.vat_rate_bp:
        totals += [(t("invoices-subtotal"), money(invoice.net, cur, locale)),
                   (vat_label(t, invoice), money(invoice.vat, cur, locale))]
    totals.append((t("invoices-total"), money(invoice.total, cur, locale)))
    seller = [vendor.name, *vendor.address.splitlines()]
    if vendor.tax_id:
        seller.append(t("invoices-vendor-tax-id", value=vendor.tax_id))
    notes = [] if invoice.vat_rate_bp else [t("invoices-vat-none")]
    bank = [line for line in vendor.bank_details.splitlines() if line.strip()]
    if not invoice.bank_transfer:
        notes.append(t("invoices-pay-in-bot"))
    elif bank:  # the sentence ends with a colon: it is printed only with the details it introduces
        notes += [t("invoices-pay-by-transfer", number=invoice.number), *bank]
    return InvoiceDocument(
        title=t("invoices-pdf-title", number=invoice.number),
        meta=[t("invoices-issued", date=day(invoice.issued_at, time_zone, locale)),
              t("invoices-due", date=day(invoice.due_at, time_zone, locale)),
              t("invoices-status-line", status=t(f"invoices-status-{invoice.status}"))],
        seller_heading=t("invoices-seller"), seller=seller,
        buyer_heading=t("invoices-buyer"), buyer=payer_lines(t, invoice.payer, locale),
        columns=(t("invoices-column-description"), t("invoices-column-amount")),
        lines=[(line_text(t, line, locale), money(line["amount"], cur, locale)) for line in invoice.lines],
        totals=totals, notes=notes, author=vendor.name, created=invoice.issued_at,
    )


def invoice_text(i18n: I18nContext, invoice: Invoice, time_zone: str) -> str:
    t, locale, cur = i18n.get, i18n.locale, invoice.currency
    lines = [i18n.get("invoices-head", number=invoice.number,
                      status=i18n.get(f"invoices-status-{invoice.status}")),
             i18n.get("invoices-issued", date=day(invoice.issued_at, time_zone, locale)) + " · " +
             i18n.get("invoices-due", date=day(invoice.due_at, time_zone, locale)),
             "",
             i18n.get("invoices-buyer") + ": " + escape(", ".join(payer_lines(t, invoice.payer, locale)[:2])),
             ""]
    lines += [f"• {escape(line_text(t, line, locale))} — {money(line['amount'], cur, locale)}"
              for line in invoice.lines]
    if invoice.vat_rate_bp:
        lines.append(f"{vat_label(t, invoice)}: {money(invoice.vat, cur, locale)}")
    lines.append(i18n.get("invoices-total-line", total=money(invoice.total, cur, locale)))
    if invoice.status == "awaiting":
        lines += ["", i18n.get("invoices-awaiting-hint", number=invoice.number)]
    elif invoice.status == "issued":
        lines += ["", i18n.get("invoices-issued-hint")]
    return "\n".join(lines)


def invoices_text(i18n: I18nContext, invoices: list[Invoice], notice: str | None = None) -> str:
    return (notice + "\n\n" if notice else "") + i18n.get("invoices-title") + "\n" + (
        i18n.get("invoices-none") if not invoices else i18n.get("invoices-intro"))
