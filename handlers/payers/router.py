"""Client -> Payers: list, add (a step-by-step dialog with Back and a summary), edit a field, set the default,
disable or enable, delete (only a payer nothing was paid for); and the payer pick at checkout and top-up."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from aiogram import F, Router
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.payers import FIELDS, KINDS, OPTIONAL, PayerInUse, clean_field
from domain.unit import Domain
from handlers.client import ClientEntry, register_entry
from handlers.common.errors import error_text, refuse
from handlers.common.guard import GUARDED
from handlers.common.ui import button, keyboard, show
from handlers.menu import on_cancel
from handlers.payers.keyboards import (
    PAYERS,
    PayerAction,
    PayerCb,
    delete_markup,
    edit_markup,
    fields_markup,
    kinds_markup,
    list_markup,
    payer_markup,
    pick_markup,
    step_markup,
    summary_markup,
)
from handlers.payers.states import PayerDraft, PayerEdit, PayerForm
from handlers.payers.views import edit_text, list_text, payer_text, step_text, summary_text


async def _entry_button(i18n: I18nContext, domain: Domain, user: Customer) -> InlineKeyboardButton:
    return button(i18n.get("payers-button"), PAYERS)


register_entry(ClientEntry(key="payers", order=100, button=_entry_button))


# --- list and details -------------------------------------------------------------------------------------

async def show_list(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                    notice: str | None = None) -> None:
    payers = await domain.payers.list(user.id)
    await show(event, list_text(i18n, payers, notice), list_markup(i18n, payers))


async def list_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext, raw_state: str | None) -> None:
    """The customer's payers, the default first."""
    if raw_state is not None:
        await state.clear()
    await show_list(callback, domain, i18n, user)


@on_cancel(PayerForm)
async def payer_cancelled(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                          state: FSMContext, raw_state: str | None, note: str) -> None:
    """Cancel while adding a payer: back to the payers; while changing one: back to that payer."""
    payer_id = (await PayerEdit.load(state)).payer if raw_state == PayerForm.edit.state else None
    await state.clear()
    if payer_id is not None:
        await show_payer(event, domain, i18n, user, payer_id, note)
        return
    await show_list(event, domain, i18n, user, note)


async def show_payer(event: Message | CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                     payer_id: int, notice: str | None = None) -> None:
    payer = await domain.payers.get(user.id, payer_id)
    await show(event, payer_text(i18n, payer, notice), payer_markup(i18n, payer))


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
    active = callback_data.action == PayerAction.ON
    await domain.payers.set_active(user.id, callback_data.id, active)
    await show_payer(callback, domain, i18n, user, callback_data.id,
                     i18n.get("payers-enabled" if active else "payers-disabled-done"))


async def delete_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                         user: Customer) -> None:
    """Deleting asks first."""
    payer = await domain.payers.get(user.id, callback_data.id)
    await show(callback, i18n.get("payers-delete-confirm", name=escape(payer.name)), delete_markup(i18n, payer))


async def delete_confirmed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                           user: Customer) -> None:
    try:
        await domain.payers.delete(user.id, callback_data.id)
    except PayerInUse as exc:
        await show_payer(callback, domain, i18n, user, callback_data.id, error_text(i18n, exc))
        return
    await show_list(callback, domain, i18n, user, i18n.get("payers-deleted"))


# --- adding: type, then one step per field, then a summary ------------------------------------------------

async def add_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext,
                      raw_state: str | None) -> None:
    """Which type of payer."""
    if raw_state is not None:
        await state.clear()
    await show(callback, i18n.get("payers-choose-kind"), kinds_markup(i18n))


async def _advance(event: Message | CallbackQuery, i18n: I18nContext, state: FSMContext, draft: PayerDraft) -> None:
    draft.step += 1
    if draft.step >= len(FIELDS[draft.kind]):
        await state.set_state(PayerForm.summary)
        await draft.save(state)
        await show(event, summary_text(i18n, draft), summary_markup(i18n))
        return
    await draft.save(state)
    await show(event, step_text(i18n, draft), step_markup(i18n, draft))


async def kind_chosen(callback: CallbackQuery, callback_data: PayerCb, i18n: I18nContext,
                      state: FSMContext) -> None:
    if callback_data.kind not in KINDS:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    draft = PayerDraft(kind=callback_data.kind)
    await state.set_state(PayerForm.step)
    await draft.save(state)
    await show(callback, step_text(i18n, draft), step_markup(i18n, draft))


async def field_entered(message: Message, i18n: I18nContext, state: FSMContext) -> None:
    """One answer, checked at once: a bad one is explained and the same question stays."""
    draft = await PayerDraft.load(state)
    field = FIELDS[draft.kind][draft.step]
    try:
        value = clean_field(draft.kind, field, message.text or "", draft.answers.get("country"))
    except InvalidInput as exc:
        await message.answer(error_text(i18n, exc) + "\n\n" + step_text(i18n, draft),
                             reply_markup=step_markup(i18n, draft))
        return
    draft.answers[field] = value
    await _advance(message, i18n, state, draft)


async def field_skipped(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    draft = await PayerDraft.load(state)
    field = FIELDS[draft.kind][draft.step]
    if field not in OPTIONAL[draft.kind]:
        await callback.answer(i18n.get("payers-error-missing"), show_alert=True)
        return
    draft.answers[field] = None
    await _advance(callback, i18n, state, draft)


async def step_back(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    """The previous question (its answer kept and shown); before the first one, the choice of type."""
    draft = await PayerDraft.load(state)
    draft.step = min(draft.step, len(FIELDS[draft.kind])) - 1
    if draft.step < 0:
        await state.clear()
        await show(callback, i18n.get("payers-choose-kind"), kinds_markup(i18n))
        return
    await state.set_state(PayerForm.step)
    await draft.save(state)
    await show(callback, step_text(i18n, draft), step_markup(i18n, draft))


async def save_pressed(callback: CallbackQuery, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    """The summary confirmed: the payer is created (the answers are checked again), or the reason shown."""
    draft = await PayerDraft.load(state)
    try:
        payer = await domain.payers.create(user.id, draft.kind, draft.answers)
    except DomainError as exc:
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
    await show(callback, i18n.get("payers-choose-field", name=escape(payer.name)), fields_markup(i18n, payer))


async def edit_pressed(callback: CallbackQuery, callback_data: PayerCb, domain: Domain, i18n: I18nContext,
                       user: Customer, state: FSMContext) -> None:
    payer = await domain.payers.get(user.id, callback_data.id)
    field = callback_data.field
    if field not in FIELDS[payer.kind]:
        await callback.answer(i18n.get("error-not-found"), show_alert=True)
        return
    await state.set_state(PayerForm.edit)
    await PayerEdit(payer=payer.id, field=field).save(state)
    await show(callback, edit_text(i18n, payer, field), edit_markup(i18n, payer, field))


async def edit_entered(message: Message, domain: Domain, i18n: I18nContext, user: Customer,
                       state: FSMContext) -> None:
    edit = await PayerEdit.load(state)
    try:
        await domain.payers.update_field(user.id, edit.payer, edit.field, message.text or "")
    except InvalidInput as exc:
        await refuse(message, i18n, exc, markup=keyboard([button(i18n.get("button-cancel"), "cancel")]))
        return
    await state.clear()
    await show_payer(message, domain, i18n, user, edit.payer, i18n.get("payers-updated"))


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
    await show(event, i18n.get("payers-pick"), pick_markup(i18n, payers, make, back))
    return True


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.callback_query.register(list_pressed, PayerCb.filter(F.action == PayerAction.LIST))
    routes.callback_query.register(view_pressed, PayerCb.filter(F.action == PayerAction.VIEW))
    routes.callback_query.register(default_pressed, PayerCb.filter(F.action == PayerAction.DEFAULT))
    routes.callback_query.register(active_pressed, PayerCb.filter(F.action.in_({PayerAction.OFF, PayerAction.ON})))
    routes.callback_query.register(delete_pressed, PayerCb.filter(F.action == PayerAction.DELETE))
    routes.callback_query.register(delete_confirmed, PayerCb.filter(F.action == PayerAction.DELETE_CONFIRM),
                                   flags=GUARDED)
    routes.callback_query.register(add_pressed, PayerCb.filter(F.action == PayerAction.ADD))
    routes.callback_query.register(kind_chosen, PayerCb.filter(F.action == PayerAction.NEW))
    routes.message.register(field_entered, PayerForm.step, F.text)
    routes.callback_query.register(field_skipped, PayerForm.step, PayerCb.filter(F.action == PayerAction.SKIP))
    routes.callback_query.register(step_back, PayerForm.summary, PayerCb.filter(F.action == PayerAction.BACK))
    routes.callback_query.register(step_back, PayerForm.step, PayerCb.filter(F.action == PayerAction.BACK))
    routes.callback_query.register(save_pressed, PayerForm.summary, PayerCb.filter(F.action == PayerAction.SAVE))
    routes.callback_query.register(
        stale_step, PayerCb.filter(F.action.in_({PayerAction.SKIP, PayerAction.BACK, PayerAction.SAVE})))
    routes.callback_query.register(fields_pressed, PayerCb.filter(F.action == PayerAction.FIELDS))
    routes.callback_query.register(edit_pressed, PayerCb.filter(F.action == PayerAction.EDIT))
    routes.message.register(edit_entered, PayerForm.edit, F.text)
    routes.callback_query.register(edit_cleared, PayerCb.filter(F.action == PayerAction.CLEAR))
    return routes
