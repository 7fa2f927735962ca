"""User settings: phone, e-mail, avatar, interface language and time zone (two-step authentication: security.py).

The settings screen is a photo (the avatar) with the settings as its caption when the customer has an avatar,
a plain text screen otherwise. Changing the e-mail is a guarded action (handlers/guard.py).
"""

from __future__ import annotations

import io
import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.images import MAX_AVATAR_BYTES
from domain.timezones import REGIONS, city, search, utc_offset, zone_at
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.format import when
from handlers.common.screen import drop_pressed, is_photo, screen
from handlers.common.ui import (
    HOME,
    Callback,
    MenuCb,
    MenuSection,
    button,
    keyboard,
    leave_dialog,
    nav_row,
    register_section,
    show,
)
from handlers.guard import GUARDED
from handlers.notifications import PREFERENCES

log = logging.getLogger(__name__)


register_section(MenuSection(key="settings", text_key="menu-button-settings", order=900))

ZONES_PER_PAGE = 8


class SettingsCb(Callback, prefix="st"):
    """`action` names the screen or change; `value` a locale, region or zone; `page` a list page."""

    action: str
    value: str = ""
    page: int = 0


SETTINGS = SettingsCb(action="home")


class SettingsForm(StatesGroup):
    phone = State()
    email = State()
    avatar = State()
    time_zone = State()


# --- the settings screen ---------------------------------------------------------------------------------

def _not_set(i18n: I18nContext) -> str:
    return i18n.get("settings-not-set")


def zone_label(zone: str, i18n: I18nContext, moment) -> str:  # type: ignore[no-untyped-def]
    name = zone if zone == "UTC" else f"{city(zone, i18n.locale)} ({zone})"
    return f"{name}, {utc_offset(zone, moment)}"


def settings_text(i18n: I18nContext, user: Customer, domain: Domain, note: str | None = None) -> str:
    now = domain.clock.now()
    text = i18n.get(
        "settings-text",
        phone=escape(user.phone_masked or _not_set(i18n)),
        email=escape(user.email or _not_set(i18n)),
        avatar=i18n.get("settings-avatar-set" if user.avatar_file_id else "settings-avatar-none"),
        language=i18n.get("language-self-name"),
        zone=escape(zone_label(user.time_zone, i18n, now)),
        now=when(now, user.time_zone, i18n.locale),
        twofa=i18n.get("settings-twofa-on" if user.two_factor else "settings-twofa-off"),
    )
    return f"{note}\n\n{text}" if note else text


def settings_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    def entry(key: str, action: str) -> InlineKeyboardButton:
        return button(i18n.get(key), SettingsCb(action=action))

    return keyboard(
        [entry("settings-button-phone", "phone"), entry("settings-button-email", "email")],
        [entry("settings-button-avatar", "avatar"), entry("settings-button-language", "lang")],
        [entry("settings-button-time-zone", "tz"), entry("settings-button-twofa", "2fa")],
        [button(i18n.get("notifications-button-preferences"), PREFERENCES)],
        nav_row(i18n, HOME),
    )


async def show_settings(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                        note: str | None = None, *, new: bool = False) -> None:
    """The settings screen: edited in place for a button, a new message otherwise (or when `new`)."""
    text, markup = settings_text(i18n, user, domain, note), settings_keyboard(i18n)
    callback = event if isinstance(event, CallbackQuery) else None
    if callback is not None and not new:
        if user.avatar_file_id is None or is_photo(callback):
            if is_photo(callback) and user.avatar_file_id is None:
                await screen(callback, text, markup)
                return
            if is_photo(callback):
                await callback.answer()
                try:
                    await callback.message.edit_caption(caption=text, reply_markup=markup)  # type: ignore[union-attr]
                except TelegramBadRequest as exc:
                    if "message is not modified" not in exc.message:
                        raise
                return
            await show(callback, text, markup)
            return
        await callback.answer()
        await drop_pressed(callback)
    elif callback is not None:
        await callback.answer()
    chat_id = event.chat.id if isinstance(event, Message) else callback.message.chat.id  # type: ignore[union-attr]
    bot: Bot = event.bot  # type: ignore[assignment]
    if user.avatar_file_id is None:
        await bot.send_message(chat_id, text, reply_markup=markup)
        return
    await send_avatar(bot, chat_id, user, domain, text, markup)


async def send_avatar(bot: Bot, chat_id: int, user: Customer, domain: Domain, caption: str,
                      markup: InlineKeyboardMarkup) -> None:
    """Show the avatar by Telegram's file id; when Telegram no longer knows it (another bot token, or the
    upload was a document), upload the stored copy and remember the new id."""
    try:
        await bot.send_photo(chat_id, user.avatar_file_id, caption=caption, reply_markup=markup)  # type: ignore[arg-type]
        return
    except TelegramBadRequest:
        pass
    image = await domain.settings.avatar(user.id)
    if image is None:
        await bot.send_message(chat_id, caption, reply_markup=markup)
        return
    sent = await bot.send_photo(chat_id, BufferedInputFile(image.content, "avatar"), caption=caption,
                                reply_markup=markup)
    if sent.photo:
        await domain.settings.set_avatar_file_id(user.id, sent.photo[-1].file_id)


async def cmd_settings(message: Message, i18n: I18nContext, user: Customer, domain: Domain, state: FSMContext,
                       raw_state: str | None) -> None:
    """Open the settings, leaving any dialog."""
    await leave_dialog(state, raw_state)
    await show_settings(message, i18n, user, domain)


async def settings_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                           state: FSMContext, raw_state: str | None) -> None:
    await leave_dialog(state, raw_state)
    await show_settings(callback, i18n, user, domain)


async def finish(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                 state: FSMContext, note: str) -> None:
    """A setting was changed: leave the dialog (taking away a reply keyboard it showed) and show the settings."""
    had_keyboard = bool((await state.get_data()).get("reply_keyboard"))
    await state.clear()
    if had_keyboard:
        chat_id = event.chat.id if isinstance(event, Message) else event.message.chat.id  # type: ignore[union-attr]
        await event.bot.send_message(chat_id, note, reply_markup=ReplyKeyboardRemove())  # type: ignore[union-attr]
        await show_settings(event, i18n, user, domain, new=True)
        return
    await show_settings(event, i18n, user, domain, note)


def cancel_row(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("button-cancel"), "cancel")]


async def offer_reply_keyboard(event: Message | CallbackQuery, state: FSMContext, text: str,
                               first: KeyboardButton, i18n: I18nContext) -> None:
    """Contact and location can only be asked for with a reply keyboard, which needs a message of its own."""
    chat_id = event.chat.id if isinstance(event, Message) else event.message.chat.id  # type: ignore[union-attr]
    markup = ReplyKeyboardMarkup(keyboard=[[first], [KeyboardButton(text=i18n.get("settings-button-reply-cancel"))]],
                                 resize_keyboard=True, one_time_keyboard=True)
    await event.bot.send_message(chat_id, text, reply_markup=markup)  # type: ignore[union-attr]
    await state.update_data(reply_keyboard=True)


def _reply_cancel_labels(message: Message, i18n: I18nContext) -> bool:
    labels = {i18n.get("settings-button-reply-cancel", locale) for locale in i18n.core.available_locales}
    return message.text in labels


async def reply_cancel_pressed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    """The Cancel button of a reply keyboard (phone, location): take the keyboard away, back to the settings."""
    await state.clear()
    await message.answer(i18n.get("cancel-done"), reply_markup=ReplyKeyboardRemove())
    await show_settings(message, i18n, user, domain)


async def refused(message: Message, i18n: I18nContext, error: DomainError, markup: InlineKeyboardMarkup) -> None:
    await refuse(message, i18n, error, markup=markup)


# --- phone -----------------------------------------------------------------------------------------------

async def phone_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """Ask for the number: the share-contact button, or typed in international format."""
    await state.set_state(SettingsForm.phone)
    rows = [cancel_row(i18n)]
    if user.phone:
        rows.insert(0, [button(i18n.get("settings-button-phone-remove"), SettingsCb(action="phone_rm"))])
    current = escape(user.phone_masked or _not_set(i18n))
    await screen(callback, i18n.get("settings-phone-ask", current=current), keyboard(*rows))
    share = KeyboardButton(text=i18n.get("settings-button-share-contact"), request_contact=True)
    await offer_reply_keyboard(callback, state, i18n.get("settings-phone-keyboard"), share, i18n)


async def contact_shared(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                         state: FSMContext) -> None:
    """A shared contact, in the phone step or from a keyboard left over: only the customer's own is taken."""
    contact = message.contact
    assert contact is not None
    try:
        user = await domain.settings.set_phone_from_contact(user.id, contact.phone_number, contact.user_id)
    except InvalidInput as error:
        await refused(message, i18n, error, keyboard(cancel_row(i18n)))
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-phone-saved", phone=user.phone_masked))


async def phone_typed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                      state: FSMContext) -> None:
    try:
        user = await domain.settings.set_phone(user.id, message.text or "")
    except InvalidInput as error:
        await refused(message, i18n, error, keyboard(cancel_row(i18n)))
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-phone-saved", phone=user.phone_masked))


async def phone_remove_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    user = await domain.settings.remove_phone(user.id)
    await finish(callback, i18n, user, domain, state, i18n.get("settings-phone-removed"))


# --- e-mail (guarded) ------------------------------------------------------------------------------------

async def email_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """Ask for the address invoices and receipts go to. Guarded: a hijacked account must not redirect them."""
    await state.set_state(SettingsForm.email)
    rows = [cancel_row(i18n)]
    if user.email:
        rows.insert(0, [button(i18n.get("settings-button-email-remove"), SettingsCb(action="email_rm"))])
    current = escape(user.email or _not_set(i18n))
    await screen(callback, i18n.get("settings-email-ask", current=current), keyboard(*rows))


async def email_typed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                      state: FSMContext) -> None:
    try:
        user = await domain.settings.set_email(user.id, message.text or "")
    except InvalidInput as error:
        await refused(message, i18n, error, keyboard(cancel_row(i18n)))
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-email-saved", email=escape(user.email or "")))


async def email_remove_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    user = await domain.settings.remove_email(user.id)
    await finish(callback, i18n, user, domain, state, i18n.get("settings-email-removed"))


# --- avatar ----------------------------------------------------------------------------------------------

async def avatar_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    await state.set_state(SettingsForm.avatar)
    rows = [cancel_row(i18n)]
    if user.avatar_file_id:
        rows.insert(0, [button(i18n.get("settings-button-avatar-remove"), SettingsCb(action="avatar_rm"))])
    limit = MAX_AVATAR_BYTES // (1024 * 1024)
    await screen(callback, i18n.get("settings-avatar-ask", limit_mb=limit), keyboard(*rows))


async def _download(bot: Bot, file_id: str) -> bytes:
    file = await bot.get_file(file_id)
    buffer = io.BytesIO()
    await bot.download_file(file.file_path or "", destination=buffer)
    return buffer.getvalue()


async def _take_avatar(message: Message, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                       state: FSMContext, file_id: str, size: int | None) -> None:
    limit = MAX_AVATAR_BYTES // (1024 * 1024)
    if size is not None and size > MAX_AVATAR_BYTES:
        # Refused before downloading: Telegram says how big it is.
        await refused(message, i18n, InvalidInput("settings-avatar-too-big", limit_mb=limit),
                      keyboard(cancel_row(i18n)))
        return
    try:
        data = await _download(bot, file_id)
        user = await domain.settings.set_avatar(user.id, data, file_id)
    except InvalidInput as error:
        await refused(message, i18n, error, keyboard(cancel_row(i18n)))
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-avatar-saved"))


async def avatar_photo_sent(message: Message, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                            state: FSMContext) -> None:
    """A photo: Telegram keeps several sizes; the largest is the one to keep."""
    largest = max(message.photo or [], key=lambda p: p.width * p.height)
    await _take_avatar(message, bot, i18n, user, domain, state, largest.file_id, largest.file_size)


async def avatar_document_sent(message: Message, bot: Bot, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    """An image sent as a file (uncompressed). Its bytes decide whether it is an image, not its name."""
    document = message.document
    assert document is not None
    await _take_avatar(message, bot, i18n, user, domain, state, document.file_id, document.file_size)


async def avatar_other_sent(message: Message, i18n: I18nContext) -> None:
    limit = MAX_AVATAR_BYTES // (1024 * 1024)
    await refused(message, i18n, InvalidInput("settings-avatar-ask", limit_mb=limit), keyboard(cancel_row(i18n)))


async def avatar_remove_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                                state: FSMContext) -> None:
    user = await domain.settings.remove_avatar(user.id)
    await finish(callback, i18n, user, domain, state, i18n.get("settings-avatar-removed"))


# --- language --------------------------------------------------------------------------------------------

def language_screen(i18n: I18nContext, note: str | None = None) -> tuple[str, InlineKeyboardMarkup]:
    rows = []
    for locale in sorted(i18n.core.available_locales):
        name = i18n.get("language-self-name", locale)
        mark = "✓ " if locale == i18n.locale else ""
        rows.append([button(f"{mark}{name}", SettingsCb(action="lang_set", value=locale))])
    text = i18n.get("settings-language-text", language=i18n.get("language-self-name"))
    return (f"{note}\n\n{text}" if note else text), keyboard(*rows, nav_row(i18n, SETTINGS))


async def language_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    await screen(callback, *language_screen(i18n))


async def language_chosen(callback: CallbackQuery, callback_data: SettingsCb, bot: Bot, i18n: I18nContext,
                          user: Customer, bot_commands: tuple[str, ...]) -> None:
    """Switch the interface language; this screen and the command list follow at once."""
    if callback_data.value not in i18n.core.available_locales:
        await callback.answer(i18n.get("error-unknown-locale", locale=callback_data.value[:16]))
        return
    await i18n.set_locale(callback_data.value)  # saved through domain.accounts by the locale manager
    try:
        commands = [BotCommand(command=name, description=i18n.get(f"command-{name}")) for name in bot_commands]
        await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=user.id))
    except TelegramAPIError as exc:
        log.warning("could not set the commands for user %s: %s", user.id, exc)
    await screen(callback, *language_screen(i18n, i18n.get("settings-language-saved")))


# --- time zone -------------------------------------------------------------------------------------------

def time_zone_screen(i18n: I18nContext, user: Customer, domain: Domain) -> tuple[str, InlineKeyboardMarkup]:
    now = domain.clock.now()
    regions = [button(i18n.get(f"settings-tz-region-{key}"), SettingsCb(action="tzr", value=key))
               for key in REGIONS]
    text = i18n.get("settings-tz-text", zone=escape(zone_label(user.time_zone, i18n, now)),
                    now=when(now, user.time_zone, i18n.locale))
    return text, keyboard(
        *(regions[i : i + 2] for i in range(0, len(regions), 2)),
        [button(i18n.get("settings-button-location"), SettingsCb(action="tzloc"))],
        cancel_row(i18n),
    )


async def time_zone_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                            state: FSMContext) -> None:
    """Regions to browse; typing a city or a zone name works on this screen too."""
    if await state.get_state() != SettingsForm.time_zone.state:
        await state.set_state(SettingsForm.time_zone)
    await screen(callback, *time_zone_screen(i18n, user, domain))


def zone_button(zone: str, i18n: I18nContext, domain: Domain) -> InlineKeyboardButton:
    now = domain.clock.now()
    name = "UTC" if zone == "UTC" else city(zone, i18n.locale)
    return button(f"{name} · {utc_offset(zone, now)}", SettingsCb(action="tzs", value=zone))


async def region_pressed(callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext,
                         domain: Domain) -> None:
    zones = REGIONS.get(callback_data.value)
    if zones is None:
        await callback.answer(i18n.get("error-generic"))
        return
    pages = -(-len(zones) // ZONES_PER_PAGE)
    page = min(max(callback_data.page, 0), pages - 1)
    shown = zones[page * ZONES_PER_PAGE : (page + 1) * ZONES_PER_PAGE]
    rows = [[zone_button(zone, i18n, domain)] for zone in shown]
    if pages > 1:
        paging = []
        if page > 0:
            paging.append(button("«", SettingsCb(action="tzr", value=callback_data.value, page=page - 1)))
        paging.append(button(f"{page + 1}/{pages}", SettingsCb(action="tzr", value=callback_data.value, page=page)))
        if page < pages - 1:
            paging.append(button("»", SettingsCb(action="tzr", value=callback_data.value, page=page + 1)))
        rows.append(paging)
    rows.append(nav_row(i18n, SettingsCb(action="tz")))
    region = i18n.get(f"settings-tz-region-{callback_data.value}")
    await screen(callback, i18n.get("settings-tz-region-text", region=region, page=page + 1, pages=pages),
                 keyboard(*rows))


async def _set_zone(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                    state: FSMContext, zone: str) -> None:
    user = await domain.settings.set_time_zone(user.id, zone)
    now = domain.clock.now()
    note = i18n.get("settings-tz-saved", zone=escape(zone_label(zone, i18n, now)),
                    now=when(now, zone, i18n.locale))
    await finish(event, i18n, user, domain, state, note)


async def zone_chosen(callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, user: Customer,
                      domain: Domain, state: FSMContext) -> None:
    try:
        await _set_zone(callback, i18n, user, domain, state, callback_data.value)
    except InvalidInput:
        await callback.answer(i18n.get("error-generic"))


async def zone_typed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                     state: FSMContext) -> None:
    """A city or zone name: one match is taken, several are offered, none is said so."""
    query = (message.text or "").strip()[:64]
    matches = search(query, tuple(i18n.core.available_locales))
    if len(matches) == 1:
        await _set_zone(message, i18n, user, domain, state, matches[0])
        return
    if not matches:
        await message.answer(i18n.get("settings-tz-not-found", query=escape(query)),
                             reply_markup=keyboard(cancel_row(i18n)))
        return
    rows = [[zone_button(zone, i18n, domain)] for zone in matches]
    await message.answer(i18n.get("settings-tz-choose", query=escape(query)),
                         reply_markup=keyboard(*rows, cancel_row(i18n)))


async def location_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await callback.answer()
    if await state.get_state() != SettingsForm.time_zone.state:
        await state.set_state(SettingsForm.time_zone)
    share = KeyboardButton(text=i18n.get("settings-button-share-location"), request_location=True)
    await offer_reply_keyboard(callback, state, i18n.get("settings-tz-location-keyboard"), share, i18n)


async def location_shared(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                          state: FSMContext) -> None:
    """A shared location: its zone is looked up offline (timezonefinder's bundled map)."""
    location = message.location
    assert location is not None
    zone = zone_at(location.latitude, location.longitude)
    if zone is None:
        await message.answer(i18n.get("settings-tz-location-unknown"), reply_markup=keyboard(cancel_row(i18n)))
        return
    await _set_zone(message, i18n, user, domain, state, zone)


def router() -> Router:
    """This section's handlers, in the order they are tried."""
    routes = Router(name=__name__)
    routes.message.register(cmd_settings, Command("settings"))
    routes.callback_query.register(settings_pressed, SettingsCb.filter(F.action == "home"))
    routes.callback_query.register(settings_pressed, MenuCb.filter(F.section == "settings"))
    routes.message.register(reply_cancel_pressed, F.text, _reply_cancel_labels)
    routes.callback_query.register(phone_pressed, SettingsCb.filter(F.action == "phone"))
    routes.message.register(contact_shared, F.contact)
    routes.message.register(phone_typed, SettingsForm.phone, F.text)
    routes.callback_query.register(phone_remove_pressed, SettingsCb.filter(F.action == "phone_rm"))
    routes.callback_query.register(email_pressed, SettingsCb.filter(F.action == "email"), flags=GUARDED)
    routes.message.register(email_typed, SettingsForm.email, F.text)
    routes.callback_query.register(email_remove_pressed, SettingsCb.filter(F.action == "email_rm"), flags=GUARDED)
    routes.callback_query.register(avatar_pressed, SettingsCb.filter(F.action == "avatar"))
    routes.message.register(avatar_photo_sent, SettingsForm.avatar, F.photo)
    routes.message.register(avatar_document_sent, SettingsForm.avatar, F.document)
    routes.message.register(avatar_other_sent, SettingsForm.avatar)
    routes.callback_query.register(avatar_remove_pressed, SettingsCb.filter(F.action == "avatar_rm"))
    routes.callback_query.register(language_pressed, SettingsCb.filter(F.action == "lang"))
    routes.callback_query.register(language_chosen, SettingsCb.filter(F.action == "lang_set"))
    routes.callback_query.register(time_zone_pressed, SettingsCb.filter(F.action == "tz"))
    routes.callback_query.register(region_pressed, SettingsCb.filter(F.action == "tzr"))
    routes.callback_query.register(zone_chosen, SettingsCb.filter(F.action == "tzs"))
    routes.message.register(zone_typed, SettingsForm.time_zone, F.text)
    routes.callback_query.register(location_pressed, SettingsCb.filter(F.action == "tzloc"))
    routes.message.register(location_shared, F.location)
    return routes
