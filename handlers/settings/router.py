"""Settings: phone, e-mail, avatar, interface language and time zone, and two-step authentication
(handlers in security.py).

The settings screen is a photo (the avatar) with the settings as its caption when the customer has an avatar,
a plain text screen otherwise. Changing the e-mail is a guarded action (handlers/common/guard.py).
"""

from __future__ import annotations

import contextlib
import io
import logging
from html import escape

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardRemove,
)
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.errors import DomainError, InvalidInput
from domain.images import MAX_AVATAR_BYTES
from domain.timezones import REGIONS, search, zone_at
from domain.unit import Domain
from handlers.common.errors import refuse
from handlers.common.guard import GUARDED, GuardForm
from handlers.common.screen import drop_pressed, is_photo, screen
from handlers.common.ui import (
    MenuCb,
    MenuSection,
    bot_of,
    chat_id_of,
    keyboard,
    leave_dialog,
    register_section,
    send_screen,
    show,
)
from handlers.menu import on_cancel
from handlers.settings.keyboards import (
    ZONES_PER_PAGE,
    SettingsAction,
    SettingsCb,
    ask_markup,
    cancel_row,
    language_markup,
    region_markup,
    reply_keyboard,
    settings_keyboard,
    time_zone_markup,
    zones_markup,
)
from handlers.settings.security import (
    disable_confirmed,
    disable_pressed,
    enable_pressed,
    guard_code_entered,
    new_codes_pressed,
    setup_code_entered,
    show_two_factor,
    two_factor_pressed,
)
from handlers.settings.states import SettingsData, SettingsForm, TwoFactorData, TwoFactorForm
from handlers.settings.views import language_text, not_set, settings_text, time_zone_text, zone_saved_text

log = logging.getLogger(__name__)


register_section(MenuSection(key="settings", text_key="menu-button-settings", order=900))


# --- the settings screen ---------------------------------------------------------------------------------

async def show_settings(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                        note: str | None = None, *, new: bool = False) -> None:
    """The settings screen: edited in place for a button, a new message otherwise (or when `new`)."""
    text, markup = settings_text(i18n, user, domain.clock.now(), note), settings_keyboard(i18n)
    callback = event if isinstance(event, CallbackQuery) else None
    if callback is not None and not new:
        if user.avatar_file_id is None or is_photo(callback):
            if is_photo(callback) and user.avatar_file_id is None:
                await screen(callback, text, markup)
                return
            if is_photo(callback):
                await callback.answer()
                try:
                    if isinstance(callback.message, Message):
                        await callback.message.edit_caption(caption=text, reply_markup=markup)
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
    chat_id = chat_id_of(event)
    bot = bot_of(event)
    if user.avatar_file_id is None:
        await send_screen(bot, chat_id, text, markup)
        return
    await send_avatar(bot, chat_id, user, domain, text, markup)


async def send_avatar(bot: Bot, chat_id: int, user: Customer, domain: Domain, caption: str,
                      markup: InlineKeyboardMarkup) -> None:
    """Show the avatar by Telegram's file id; when Telegram no longer knows it (another bot token, or the
    upload was a document), upload the stored copy and remember the new id."""
    try:
        assert user.avatar_file_id is not None  # the caller sends the photo only when there is one
        await send_screen(bot, chat_id, caption, markup, photo=user.avatar_file_id)
        return
    except TelegramBadRequest:
        pass
    image = await domain.settings.avatar(user.id)
    if image is None:
        await send_screen(bot, chat_id, caption, markup)
        return
    sent = await send_screen(bot, chat_id, caption, markup, photo=BufferedInputFile(image.content, "avatar"))
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
    had_keyboard = (await SettingsData.load(state)).reply_keyboard
    await state.clear()
    if had_keyboard:
        chat_id = chat_id_of(event)
        await bot_of(event).send_message(chat_id, note, reply_markup=ReplyKeyboardRemove())
        await show_settings(event, i18n, user, domain, new=True)
        return
    await show_settings(event, i18n, user, domain, note)


@on_cancel(SettingsForm)
async def settings_cancelled(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                             state: FSMContext, note: str) -> None:
    """Cancel in a step of the settings: back to the settings (a reply keyboard the step showed goes away)."""
    await finish(event, i18n, user, domain, state, note)


@on_cancel(TwoFactorForm)
async def two_factor_cancelled(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext, note: str) -> None:
    """Cancel while enabling two-step authentication: back to its screen (the QR code goes away)."""
    qr_message = (await TwoFactorData.load(state)).qr_message
    await state.clear()
    pressed = event.message.message_id if isinstance(event, CallbackQuery) and event.message else None
    if qr_message and qr_message != pressed:  # the secret should not stay on screen
        with contextlib.suppress(TelegramBadRequest):
            await bot_of(event).delete_message(chat_id_of(event), qr_message)
    await show_two_factor(event, i18n, user, domain, note)


async def offer_reply_keyboard(event: Message | CallbackQuery, state: FSMContext, text: str,
                               first: KeyboardButton, i18n: I18nContext) -> None:
    """Contact and location can only be asked for with a reply keyboard, which needs a message of its own."""
    chat_id = chat_id_of(event)
    await bot_of(event).send_message(chat_id, text, reply_markup=reply_keyboard(i18n, first))
    await SettingsData(reply_keyboard=True).update(state)


def _reply_cancel_labels(message: Message, i18n: I18nContext) -> bool:
    labels = {i18n.get("settings-button-reply-cancel", locale) for locale in i18n.core.available_locales}
    return message.text in labels


async def reply_cancel_pressed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    """The Cancel button of a reply keyboard (phone, location): take the keyboard away, back to the settings."""
    await state.clear()
    await message.answer(i18n.get("cancel-done"), reply_markup=ReplyKeyboardRemove())
    await show_settings(message, i18n, user, domain)


async def refused(message: Message, i18n: I18nContext, error: DomainError) -> None:
    """A value the step refuses: the reason, and the step stays (with its Cancel)."""
    await refuse(message, i18n, error, markup=keyboard(cancel_row(i18n)))


# --- phone -----------------------------------------------------------------------------------------------

async def phone_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, state: FSMContext) -> None:
    """Ask for the number: the share-contact button, or typed in international format."""
    await state.set_state(SettingsForm.phone)
    current = escape(user.phone_masked or not_set(i18n))
    await screen(callback, i18n.get("settings-phone-ask", current=current),
                 ask_markup(i18n, "settings-button-phone-remove" if user.phone else None, SettingsAction.PHONE_REMOVE))
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
        await refused(message, i18n, error)
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-phone-saved", phone=user.phone_masked))


async def phone_typed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                      state: FSMContext) -> None:
    try:
        user = await domain.settings.set_phone(user.id, message.text or "")
    except InvalidInput as error:
        await refused(message, i18n, error)
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
    current = escape(user.email or not_set(i18n))
    await screen(callback, i18n.get("settings-email-ask", current=current),
                 ask_markup(i18n, "settings-button-email-remove" if user.email else None, SettingsAction.EMAIL_REMOVE))


async def email_typed(message: Message, i18n: I18nContext, user: Customer, domain: Domain,
                      state: FSMContext) -> None:
    try:
        user = await domain.settings.set_email(user.id, message.text or "")
    except InvalidInput as error:
        await refused(message, i18n, error)
        return
    await finish(message, i18n, user, domain, state, i18n.get("settings-email-saved", email=escape(user.email or "")))


async def email_remove_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                               state: FSMContext) -> None:
    user = await domain.settings.remove_email(user.id)
    await finish(callback, i18n, user, domain, state, i18n.get("settings-email-removed"))


# --- avatar ----------------------------------------------------------------------------------------------

async def avatar_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                         state: FSMContext) -> None:
    """The avatar as it is now (the photo itself, with Remove) and what may replace it."""
    await state.set_state(SettingsForm.avatar)
    limit = MAX_AVATAR_BYTES // (1024 * 1024)
    current = i18n.get("settings-avatar-current" if user.avatar_file_id else "settings-avatar-current-none")
    text = i18n.get("settings-avatar-ask", limit_mb=limit) + "\n\n" + current
    markup = ask_markup(i18n, "settings-button-avatar-remove" if user.avatar_file_id else None,
                        SettingsAction.AVATAR_REMOVE)
    if user.avatar_file_id is None:
        await screen(callback, text, markup)
        return
    await callback.answer()
    await drop_pressed(callback)
    await send_avatar(bot_of(callback), chat_id_of(callback), user, domain, text, markup)


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
        await refused(message, i18n, InvalidInput("settings-avatar-too-big", limit_mb=limit))
        return
    try:
        data = await _download(bot, file_id)
        user = await domain.settings.set_avatar(user.id, data, file_id)
    except InvalidInput as error:
        await refused(message, i18n, error)
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
    await refused(message, i18n, InvalidInput("settings-avatar-ask", limit_mb=limit))


async def avatar_remove_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                                state: FSMContext) -> None:
    user = await domain.settings.remove_avatar(user.id)
    await finish(callback, i18n, user, domain, state, i18n.get("settings-avatar-removed"))


# --- language --------------------------------------------------------------------------------------------

async def language_pressed(callback: CallbackQuery, i18n: I18nContext) -> None:
    await screen(callback, language_text(i18n), language_markup(i18n))


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
    await screen(callback, language_text(i18n, i18n.get("settings-language-saved")), language_markup(i18n))


# --- time zone -------------------------------------------------------------------------------------------

async def time_zone_pressed(callback: CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                            state: FSMContext, raw_state: str | None) -> None:
    """Regions to browse; typing a city or a zone name works on this screen too."""
    if raw_state != SettingsForm.time_zone.state:
        await state.set_state(SettingsForm.time_zone)
    await screen(callback, time_zone_text(i18n, user, domain.clock.now()), time_zone_markup(i18n))


async def region_pressed(callback: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext,
                         domain: Domain) -> None:
    zones = REGIONS.get(callback_data.value)
    if zones is None:
        await callback.answer(i18n.get("error-generic"))
        return
    pages = -(-len(zones) // ZONES_PER_PAGE)
    page = min(max(callback_data.page, 0), pages - 1)
    region = i18n.get(f"settings-tz-region-{callback_data.value}")
    await screen(callback, i18n.get("settings-tz-region-text", region=region, page=page + 1, pages=pages),
                 region_markup(i18n, callback_data.value, zones, page, pages, domain.clock.now()))


async def _set_zone(event: Message | CallbackQuery, i18n: I18nContext, user: Customer, domain: Domain,
                    state: FSMContext, zone: str) -> None:
    user = await domain.settings.set_time_zone(user.id, zone)
    await finish(event, i18n, user, domain, state, zone_saved_text(i18n, zone, domain.clock.now()))


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
    await message.answer(i18n.get("settings-tz-choose", query=escape(query)),
                         reply_markup=zones_markup(i18n, matches, domain.clock.now()))


async def location_pressed(callback: CallbackQuery, i18n: I18nContext, state: FSMContext,
                           raw_state: str | None) -> None:
    await callback.answer()
    if raw_state != SettingsForm.time_zone.state:
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
    """This section's handlers, in the order they are tried: the guarded action's code first (it is asked for
    wherever the customer was), then the settings, then two-step authentication."""
    routes = Router(name=__name__)
    routes.message.register(guard_code_entered, GuardForm.code, F.text)
    routes.message.register(cmd_settings, Command("settings"))
    routes.callback_query.register(settings_pressed, SettingsCb.filter(F.action == SettingsAction.HOME))
    routes.callback_query.register(settings_pressed, MenuCb.filter(F.section == "settings"))
    routes.message.register(reply_cancel_pressed, F.text, _reply_cancel_labels)
    routes.callback_query.register(phone_pressed, SettingsCb.filter(F.action == SettingsAction.PHONE))
    routes.message.register(contact_shared, F.contact)
    routes.message.register(phone_typed, SettingsForm.phone, F.text)
    routes.callback_query.register(phone_remove_pressed, SettingsCb.filter(F.action == SettingsAction.PHONE_REMOVE))
    routes.callback_query.register(email_pressed, SettingsCb.filter(F.action == SettingsAction.EMAIL), flags=GUARDED)
    routes.message.register(email_typed, SettingsForm.email, F.text)
    routes.callback_query.register(email_remove_pressed, SettingsCb.filter(F.action == SettingsAction.EMAIL_REMOVE),
                                   flags=GUARDED)
    routes.callback_query.register(avatar_pressed, SettingsCb.filter(F.action == SettingsAction.AVATAR))
    routes.message.register(avatar_photo_sent, SettingsForm.avatar, F.photo)
    routes.message.register(avatar_document_sent, SettingsForm.avatar, F.document)
    routes.message.register(avatar_other_sent, SettingsForm.avatar)
    routes.callback_query.register(avatar_remove_pressed,
                                   SettingsCb.filter(F.action == SettingsAction.AVATAR_REMOVE))
    routes.callback_query.register(language_pressed, SettingsCb.filter(F.action == SettingsAction.LANGUAGE))
    routes.callback_query.register(language_chosen, SettingsCb.filter(F.action == SettingsAction.LANGUAGE_SET))
    routes.callback_query.register(time_zone_pressed, SettingsCb.filter(F.action == SettingsAction.TIME_ZONE))
    routes.callback_query.register(region_pressed, SettingsCb.filter(F.action == SettingsAction.REGION))
    routes.callback_query.register(zone_chosen, SettingsCb.filter(F.action == SettingsAction.ZONE))
    routes.message.register(zone_typed, SettingsForm.time_zone, F.text)
    routes.callback_query.register(location_pressed, SettingsCb.filter(F.action == SettingsAction.LOCATION))
    routes.message.register(location_shared, F.location)
    routes.callback_query.register(two_factor_pressed, SettingsCb.filter(F.action == SettingsAction.TWO_FACTOR))
    routes.callback_query.register(enable_pressed, SettingsCb.filter(F.action == SettingsAction.TWO_FACTOR_ON))
    routes.message.register(setup_code_entered, TwoFactorForm.confirm, F.text)
    routes.callback_query.register(disable_pressed, SettingsCb.filter(F.action == SettingsAction.TWO_FACTOR_OFF))
    routes.callback_query.register(disable_confirmed,
                                   SettingsCb.filter(F.action == SettingsAction.TWO_FACTOR_OFF_CONFIRM), flags=GUARDED)
    routes.callback_query.register(new_codes_pressed, SettingsCb.filter(F.action == SettingsAction.RECOVERY_CODES),
                                   flags=GUARDED)
    return routes
