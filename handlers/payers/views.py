"""Payers: texts."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from aiogram_i18n import I18nContext

from domain.models import Payer
from domain.payers import FIELDS, country_name
from handlers.payers.states import PayerDraft


def field_key(prefix: str, field: str) -> str:
    """Fluent ids are kebab-case: ("payers-field", "tax_number") -> "payers-field-tax-number"."""
    return f"{prefix}-{field.replace('_', '-')}"


def kind_name(i18n: I18nContext, kind: str) -> str:
    return i18n.get(f"payers-kind-{kind}")


def payer_label(i18n: I18nContext, payer: Payer) -> str:
    mark = "★ " if payer.is_default else ("⏸ " if not payer.active else "")
    return f"{mark}{payer.name} ({kind_name(i18n, payer.kind)})"


def field_value(i18n: I18nContext, field: str, value: str | None) -> str:
    if not value:
        return i18n.get("payers-not-given")
    return escape(country_name(value, i18n.locale) if field == "country" else value)


def details_text(i18n: I18nContext, kind: str, values: Mapping[str, str | None]) -> str:
    return "\n".join(
        f"{i18n.get(field_key('payers-field', field), kind=kind)}: <b>{field_value(i18n, field, values.get(field))}</b>"
        for field in FIELDS[kind])


def list_text(i18n: I18nContext, payers: list[Payer], notice: str | None = None) -> str:
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("payers-title"))
    lines.append(i18n.get("payers-none") if not payers else i18n.get("payers-intro"))
    return "\n".join(lines)


def payer_text(i18n: I18nContext, payer: Payer, notice: str | None = None) -> str:
    head = f"<b>{escape(payer.name)}</b> — {kind_name(i18n, payer.kind)}"
    status = i18n.get("payers-default") if payer.is_default else (
        i18n.get("payers-disabled") if not payer.active else "")
    values = {field: getattr(payer, field) for field in FIELDS[payer.kind]}
    return "\n".join(part for part in (notice, head, status, "", details_text(i18n, payer.kind, values))
                     if part is not None)


def step_text(i18n: I18nContext, draft: PayerDraft) -> str:
    """The question of the dialog's current step, with the answer given before (after Back)."""
    fields = FIELDS[draft.kind]
    field = fields[draft.step]
    text = i18n.get("payers-step", step=draft.step + 1, steps=len(fields), kind=kind_name(i18n, draft.kind)) + \
        "\n\n" + i18n.get(field_key("payers-ask", field), kind=draft.kind)
    if draft.answers.get(field):
        text += "\n\n" + i18n.get("payers-current", value=field_value(i18n, field, draft.answers[field]))
    return text


def summary_text(i18n: I18nContext, draft: PayerDraft) -> str:
    return i18n.get("payers-summary", kind=kind_name(i18n, draft.kind)) + "\n\n" + \
        details_text(i18n, draft.kind, draft.answers)


def edit_text(i18n: I18nContext, payer: Payer, field: str) -> str:
    current = getattr(payer, field)
    now = i18n.get("payers-current", value=field_value(i18n, field, current)) if current else \
        i18n.get("payers-current-none")
    return i18n.get(field_key("payers-ask", field), kind=payer.kind) + "\n\n" + now
