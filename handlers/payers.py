"""Client -> Payers: list, add (a step-by-step dialog with Back and a summary), edit a field, set the default,
disable or enable, delete (only a payer nothing was paid for); and the payer pick at checkout and top-up."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.models import Payer
from domain.payers import FIELDS, KINDS, MAX_PAYERS, OPTIONAL, PayerInUse, clean_field, country_name
from domain.unit import Domain
from handlers.client import CLIENT, ClientEntry, register_entry
from handlers.common.errors import error_text, refuse
from handlers.common.guard import GUARDED
from handlers.common.ui import Callback, button, keyboard, nav_row, show


class PayerCb(Callback, prefix="py"):
    """action: list, add, new, skip, back, save, view, fields, edit, default, off, on, del, del-yes."""

    action: str
    id: int = 0
    kind: str = ""
    field: str = ""


class PayerForm(StatesGroup):
    step = State()  # adding: answering field number `step` of the kind's fields
    summary = State()
    edit = State()  # changing one field of a saved payer


PAYERS = PayerCb(action="list")


async def _entry_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("payers-button"), PAYERS)


register_entry(ClientEntry(key="payers", order=100, button=_entry_button))


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


def details_text(i18n: I18nContext, kind: str, values: dict[str, Any]) -> str:
    return "\n".join(
        f"{i18n.get(field_key('payers-field', field), kind=kind)}: <b>{field_value(i18n, field, values.get(field))}</b>"
        for field in FIELDS[kind])


# --- list and details -------------------------------------------------------------------------------------

async def show_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                    notice: str | None = None) -> None:
    payers = await domain.payers.list(user.id)
    lines = [notice, ""] if notice else []
    lines.append(i18n.get("payers-title"))
    lines.append(i18n.get("payers-none") if not payers else i18n.get("payers-intro"))
    rows = [[button(payer_label(i18n, p), PayerCb(action="view", id=p.id))] for p in payers]
    if len(payers) < MAX_PAYERS:
        rows.append([button(i18n.get("payers-add"), PayerCb(action="add"))])
    await show(event, "\n".join(lines), keyboard(*rows, nav_row(i18n, CLIENT)))


async def list_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext, raw_state: str | None) -> None:
    """The customer's payers, the default first."""
    if raw_state is not None:
        await state.clear()
    await show_list(callback, domain, i18n, user)


async def show_payer(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                     payer_id: int, notice: str | None = None) -> None:
    payer = await domain.payers.get(user.id, payer_id)
    head = f"<b>{escape(payer.name)}</b> — {kind_name(i18n, payer.kind)}"
    status = i18n.get("payers-default") if payer.is_default else (
        i18n.get("payers-disabled") if not payer.active else "")
    values = {field: getattr(payer, field) for field in FIELDS[payer.kind]}
    text = "\n".join(part for part in (notice, head, status, "", details_text(i18n, payer.kind, values))
                     if part is not None)
    rows = [[button(i18n.get("payers-edit"), PayerCb(action="fields", id=payer.id))]]
    if payer.active and not payer.is_default:
        rows.append([button(i18n.get("payers-make-default"), PayerCb(action="default", id=payer.id))])
    rows.append([button(i18n.get("payers-disable" if payer.active else "payers-enable"),
                        PayerCb(action="off" if payer.active else "on", id=payer.id)),
                 button(i18n.get("payers-delete"), PayerCb(action="del", id=payer.id))])
    await show(event, text, keyboard(*rows, nav_row(i18n, PAYERS)))


async def view_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    if raw_state is not None:
        await state.clear()
    await show_payer(callback, domain, i18n, user, callback_data.id)


async def default_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                          user: Customer) -> None:
    await domain.payers.set_default(user.id, callback_data.id)
    await show_payer(callback, domain, i18n, user, callback_data.id, i18n.get("payers-default-set"))


async def active_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Disable (kept on the records, not offered for new payments) or enable again."""
    active = callback_data.action == "on"
    await domain.payers.set_active(user.id, callback_data.id, active)
    await show_payer(callback, domain, i18n, user, callback_data.id,
                     i18n.get("payers-enabled" if active else "payers-disabled-done"))


async def delete_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Deleting asks first."""
    payer = await domain.payers.get(user.id, callback_data.id)
    await show(callback, i18n.get("payers-delete-confirm", name=escape(payer.name)), keyboard(
        [button(i18n.get("payers-delete-yes"), PayerCb(action="del-yes", id=payer.id)),
         button(i18n.get("payers-delete-no"), PayerCb(action="view", id=payer.id))]))


async def delete_confirmed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    try:
        await domain.payers.delete(user.id, callback_data.id)
    except PayerInUse as exc:
        await domain.rollback()
        await show_payer(callback, domain, i18n, user, callback_data.id, i18n.get(exc.message_id))
        return
    await show_list(callback, domain, i18n, user, i18n.get("payers-deleted"))


# --- adding: type, then one step per field, then a summary ------------------------------------------------

async def add_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext,
                      raw_state: str | None) -> None:
    """Which type of payer."""
    if raw_state is not None:
        await state.clear()
    rows = [[button(kind_name(i18n, kind), PayerCb(action="new", kind=kind))] for kind in KINDS]
    await show(callback, i18n.get("payers-choose-kind"), keyboard(*rows, nav_row(i18n, PAYERS)))


def _step_screen(i18n: I18nContext, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    kind, step, answers = data["kind"], data["step"], data["answers"]
    fields = FIELDS[kind]
    field = fields[step]
    text = i18n.get("payers-step", step=step + 1, steps=len(fields), kind=kind_name(i18n, kind)) + "\n\n" + \
        i18n.get(field_key("payers-ask", field), kind=kind)
    if answers.get(field):
        text += "\n\n" + i18n.get("payers-current", value=field_value(i18n, field, answers[field]))
    rows = []
    if field in OPTIONAL[kind]:
        rows.append([button(i18n.get("payers-skip"), PayerCb(action="skip"))])
    rows.append([button(i18n.get("button-back"), PayerCb(action="back")),
                 button(i18n.get("button-cancel"), "cancel")])
    return text, keyboard(*rows)


def _summary_screen(i18n: I18nContext, data: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup]:
    kind = data["kind"]
    text = i18n.get("payers-summary", kind=kind_name(i18n, kind)) + "\n\n" + details_text(i18n, kind, data["answers"])
    return text, keyboard([button(i18n.get("payers-save"), PayerCb(action="save"))],
                          [button(i18n.get("button-back"), PayerCb(action="back")),
                           button(i18n.get("button-cancel"), "cancel")])


async def _advance(event: Message | CallbackQuery, i18n: I18nContext, state: FSMContext,
                   data: dict[str, Any]) -> None:
    data["step"] += 1
    if data["step"] >= len(FIELDS[data["kind"]]):
        await state.set_state(PayerForm.summary)
        await state.set_data(data)
        await show(event, *_summary_screen(i18n, data))
        return
    await state.set_data(data)
    await show(event, *_step_screen(i18n, data))


async def kind_chosen(callback: CallbackQuery, callback_data: PayerCb, i18n: I18nContext,
                      state: FSMContext) -> None:
    if callback_data.kind not in KINDS:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    data = {"kind": callback_data.kind, "step": 0, "answers": {}}
    await state.set_state(PayerForm.step)
    await state.set_data(data)
    await show(callback, *_step_screen(i18n, data))


async def field_entered(message: Message, i18n: I18nContext, state: FSMContext) -> None:
    """One answer, checked at once: a bad one is explained and the same question stays."""
    data = await state.get_data()
    kind, answers = data["kind"], data["answers"]
    field = FIELDS[kind][data["step"]]
    try:
        value = clean_field(kind, field, message.text or "", answers.get("country"))
    except InvalidInput as exc:
        text, markup = _step_screen(i18n, data)
        await message.answer(error_text(i18n, exc) + "\n\n" + text, reply_markup=markup)
        return
    answers[field] = value
    await _advance(message, i18n, state, data)


async def field_skipped(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    data = await state.get_data()
    field = FIELDS[data["kind"]][data["step"]]
    if field not in OPTIONAL[data["kind"]]:
        await callback.answer(i18n.get("payers-error-missing"), show_alert=True)
        return
    data["answers"][field] = None
    await _advance(callback, i18n, state, data)


async def step_back(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    """The previous question (its answer kept and shown); before the first one, the choice of type."""
    data = await state.get_data()
    data["step"] = min(data["step"], len(FIELDS[data["kind"]])) - 1
    if data["step"] < 0:
        await state.clear()
        rows = [[button(kind_name(i18n, kind), PayerCb(action="new", kind=kind))] for kind in KINDS]
        await show(callback, i18n.get("payers-choose-kind"), keyboard(*rows, nav_row(i18n, PAYERS)))
        return
    await state.set_state(PayerForm.step)
    await state.set_data(data)
    await show(callback, *_step_screen(i18n, data))


async def save_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    data = await state.get_data()
    try:
        payer = await domain.payers.create(user.id, data["kind"], data["answers"])
    except DomainError as exc:
        await domain.rollback()
        await refuse(callback, i18n, exc)
        return
    await state.clear()
    await show_payer(callback, domain, i18n, user, payer.id, i18n.get("payers-saved"))


async def stale_step(callback: CallbackQuery, i18n: I18nContext) -> None:
    """A button of a dialog that is over (or was never started here)."""
    await callback.answer(i18n.get("payers-dialog-over"), show_alert=True)


# --- editing one field ------------------------------------------------------------------------------------

async def fields_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    payer = await domain.payers.get(user.id, callback_data.id)
    rows = [[button(i18n.get(field_key("payers-field", field), kind=payer.kind),
                    PayerCb(action="edit", id=payer.id, field=field))] for field in FIELDS[payer.kind]]
    await show(callback, i18n.get("payers-choose-field", name=escape(payer.name)),
               keyboard(*rows, nav_row(i18n, PayerCb(action="view", id=payer.id))))


async def edit_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext) -> None:
    payer = await domain.payers.get(user.id, callback_data.id)
    field = callback_data.field
    if field not in FIELDS[payer.kind]:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await state.set_state(PayerForm.edit)
    await state.set_data({"payer": payer.id, "field": field})
    text = i18n.get(field_key("payers-ask", field), kind=payer.kind) + "\n\n" + \
        i18n.get("payers-current", value=field_value(i18n, field, getattr(payer, field)))
    rows = []
    if field in OPTIONAL[payer.kind]:
        rows.append([button(i18n.get("payers-clear"), PayerCb(action="clear", id=payer.id, field=field))])
    rows.append([button(i18n.get("button-back"), PayerCb(action="view", id=payer.id)),
                 button(i18n.get("button-cancel"), "cancel")])
    await show(callback, text, keyboard(*rows))


async def edit_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    data = await state.get_data()
    try:
        await domain.payers.update_field(user.id, data["payer"], data["field"], message.text or "")
    except InvalidInput as exc:
        await domain.rollback()
        await refuse(message, i18n, exc, markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    await show_payer(message, domain, i18n, user, data["payer"], i18n.get("payers-updated"))


async def edit_cleared(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext, raw_state: str | None) -> None:
    """Remove an optional field (an individual's address)."""
    await domain.payers.update_field(user.id, callback_data.id, callback_data.field, None)
    if raw_state is not None:
        await state.clear()
    await show_payer(callback, domain, i18n, user, callback_data.id, i18n.get("payers-updated"))


# --- the pick at checkout and top-up ----------------------------------------------------------------------

async def pick_payer(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                     make: Callable[[int], CallbackData], back: CallbackData) -> bool:
    """With two or more active payers, ask which one pays (the default first and marked); returns whether the
    question was shown. `make(payer_id)` is the button that continues with that payer."""
    payers = await domain.payers.active(user.id)
    if len(payers) < 2:
        return False
    rows = [[button(payer_label(i18n, payer), make(payer.id))] for payer in payers]
    await show(event, i18n.get("payers-pick"), keyboard(*rows, nav_row(i18n, back)))
    return True


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(list_pressed, PayerCb.filter(F.action == "list"))
    routes.callback_query.register(view_pressed, PayerCb.filter(F.action == "view"))
    routes.callback_query.register(default_pressed, PayerCb.filter(F.action == "default"))
    routes.callback_query.register(active_pressed, PayerCb.filter(F.action.in_({"off", "on"})))
    routes.callback_query.register(delete_pressed, PayerCb.filter(F.action == "del"))
    routes.callback_query.register(delete_confirmed, PayerCb.filter(F.action == "del-yes"), flags=GUARDED)
    routes.callback_query.register(add_pressed, PayerCb.filter(F.action == "add"))
    routes.callback_query.register(kind_chosen, PayerCb.filter(F.action == "new"))
    routes.message.register(field_entered, PayerForm.step, F.text)
    routes.callback_query.register(field_skipped, PayerForm.step, PayerCb.filter(F.action == "skip"))
    routes.callback_query.register(step_back, PayerForm.summary, PayerCb.filter(F.action == "back"))
    routes.callback_query.register(step_back, PayerForm.step, PayerCb.filter(F.action == "back"))
    routes.callback_query.register(save_pressed, PayerForm.summary, PayerCb.filter(F.action == "save"))
    routes.callback_query.register(stale_step, PayerCb.filter(F.action.in_({"skip", "back", "save"})))
    routes.callback_query.register(fields_pressed, PayerCb.filter(F.action == "fields"))
    routes.callback_query.register(edit_pressed, PayerCb.filter(F.action == "edit"))
    routes.message.register(edit_entered, PayerForm.edit, F.text)
    routes.callback_query.register(edit_cleared, PayerCb.filter(F.action == "clear"))
    return routes
