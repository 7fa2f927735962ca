"""Main menu, help, deep links and /cancel: the frame every client-area section plugs into."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from aiogram import F, Router
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from handlers.common.ui import (
    HOME,
    MenuCb,
    MenuSection,
    keyboard,
    leave_dialog,
    main_menu_keyboard,
    nav_row,
    register_section,
    show,
)

register_section(MenuSection(key="help", text_key="menu-button-help", order=1000))

DeepLink = Callable[[Message, I18nContext, Customer, FSMContext], Awaitable[None]]
_DEEP_LINKS: dict[str, DeepLink] = {}


def deep_link(prefix: str) -> Callable[[DeepLink], DeepLink]:
    """Register a /start payload handler; the payload is `<prefix>` or `<prefix>-<argument>`."""

    def register(func: DeepLink) -> DeepLink:
        _DEEP_LINKS[prefix] = func
        return func

    return register


# Where Cancel leads from a step of a dialog: back to the section the dialog belongs to, not to the menu.
CancelReturn = Callable[..., Awaitable[None]]
_CANCEL_RETURNS: list[tuple[type[StatesGroup], CallableObject]] = []


def on_cancel(group: type[StatesGroup]) -> Callable[[CancelReturn], CancelReturn]:
    """Register what Cancel (the button or /cancel) shows from a step of `group`. The function leaves the dialog
    itself (it may need the dialog's data first) and takes, by name, what a handler takes (`i18n`, `user`,
    `domain`, `state`...) and `note`, the "cancelled" line to put above its screen."""

    def register(func: CancelReturn) -> CancelReturn:
        _CANCEL_RETURNS.append((group, CallableObject(func)))
        return func

    return register


async def _return_from(event: Message | CallbackQuery, raw_state: str | None, note: str,
                       data: dict[str, Any]) -> bool:
    """Cancel into the section of the dialog being left, when it registered where; whether it did."""
    if raw_state is None:
        return False
    for group, target in _CANCEL_RETURNS:
        if raw_state in group:
            await target.call(event, note=note, **data)
            return True
    return False


def menu_text(i18n: I18nContext, user: Customer) -> str:
    return i18n.get("menu-text", name=escape(user.first_name))


async def send_menu(message: Message, i18n: I18nContext, user: Customer, lead: str | None = None) -> None:
    """The main menu as a new message; `lead` (a hint, a confirmation) goes above it in the same message."""
    text = menu_text(i18n, user) if lead is None else f"{lead}\n\n{menu_text(i18n, user)}"
    await show(message, text, main_menu_keyboard(i18n))


@deep_link("help")
async def help_link(message: Message, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    await show_help(message, i18n)


async def cmd_start_link(message: Message, command: CommandObject, i18n: I18nContext, user: Customer,
                         state: FSMContext, raw_state: str | None) -> None:
    """Open whatever a t.me/<bot>?start=<payload> link points at; unknown payloads get the menu."""
    payload = command.args or ""
    handler = _DEEP_LINKS.get(payload.split("-", 1)[0])
    if handler is None and "_" in payload:  # `promo_<CODE>`: a code may itself contain "-"
        handler = _DEEP_LINKS.get(payload.split("_", 1)[0])
    await leave_dialog(state, raw_state)
    if handler is None:
        await send_menu(message, i18n, user, lead=i18n.get("start-link-unknown"))
        return
    await handler(message, i18n, user, state)


async def cmd_start(message: Message, i18n: I18nContext, user: Customer, state: FSMContext,
                    raw_state: str | None) -> None:
    """Open the main menu, leaving any dialog."""
    await leave_dialog(state, raw_state)
    await send_menu(message, i18n, user)


async def cmd_cancel(message: Message, i18n: I18nContext, user: Customer, state: FSMContext,
                     raw_state: str | None, **data: Any) -> None:
    """Leave any dialog and return to its section (or to the menu)."""
    data.update(i18n=i18n, user=user, state=state, raw_state=raw_state)
    if await _return_from(message, raw_state, i18n.get("cancel-done"), data):
        return
    had_dialog = await leave_dialog(state, raw_state)
    await send_menu(message, i18n, user, lead=i18n.get("cancel-done" if had_dialog else "cancel-nothing"))


async def cancel_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext,
                         raw_state: str | None, **data: Any) -> None:
    """The Cancel button of any text-input step: back to the section the step belongs to (or to the menu)."""
    data.update(i18n=i18n, user=user, state=state, raw_state=raw_state)
    if await _return_from(callback, raw_state, i18n.get("cancel-done"), data):
        return
    await leave_dialog(state, raw_state)
    await show(callback, i18n.get("cancel-done") + "\n\n" + menu_text(i18n, user), main_menu_keyboard(i18n))


async def show_help(event: Message | CallbackQuery, i18n: I18nContext) -> None:
    await show(event, i18n.get("help-text"), keyboard(nav_row(i18n, HOME)))


async def cmd_help(message: Message, i18n: I18nContext) -> None:
    """Show what the bot can do and its commands."""
    await show_help(message, i18n)


async def help_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    await show_help(callback, i18n)


async def home_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext,
                       raw_state: str | None) -> None:
    """Main menu button: also leaves a dialog the customer walked away from."""
    await leave_dialog(state, raw_state)
    await show(callback, menu_text(i18n, user), main_menu_keyboard(i18n))


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.register(cmd_start_link, CommandStart(deep_link=True))
    routes.message.register(cmd_start, Command("menu"))
    routes.message.register(cmd_start, CommandStart())
    routes.message.register(cmd_cancel, Command("cancel"))
    routes.callback_query.register(cancel_pressed, F.data == "cancel")
    routes.message.register(cmd_help, Command("help"))
    routes.callback_query.register(help_pressed, MenuCb.filter(F.section == "help"))
    routes.callback_query.register(home_pressed, MenuCb.filter(F.section == "home"))
    return routes
