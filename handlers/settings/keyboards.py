"""Settings: callback data and keyboards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton, ReplyKeyboardMarkup
from aiogram_i18n import I18nContext

from domain.security import Status
from domain.timezones import REGIONS, city, utc_offset
from handlers.common.ui import HOME, Callback, button, keyboard, nav_row
from handlers.notifications import PREFERENCES

ZONES_PER_PAGE = 8


class SettingsAction(StrEnum):
    """What a button of the settings does; the values are what buttons already sent carry."""

    HOME = "home"
    PHONE = "phone"
    PHONE_REMOVE = "phone_rm"
    EMAIL = "email"
    EMAIL_REMOVE = "email_rm"
    AVATAR = "avatar"
    AVATAR_REMOVE = "avatar_rm"
    LANGUAGE = "lang"
    LANGUAGE_SET = "lang_set"
    TIME_ZONE = "tz"
    REGION = "tzr"
    ZONE = "tzs"
    LOCATION = "tzloc"
    TWO_FACTOR = "2fa"
    TWO_FACTOR_ON = "2fa_on"
    TWO_FACTOR_OFF = "2fa_off"
    TWO_FACTOR_OFF_CONFIRM = "2fa_off_yes"
    RECOVERY_CODES = "2fa_codes"


class SettingsCb(Callback, prefix="st"):
    """A settings screen or change; `value` a locale, region or zone; `page` a list page."""

    action: SettingsAction
    value: str = ""
    page: int = 0


SETTINGS = SettingsCb(action=SettingsAction.HOME)
TWO_FACTOR = SettingsCb(action=SettingsAction.TWO_FACTOR)


def cancel_row(i18n: I18nContext) -> list[InlineKeyboardButton]:
    return [button(i18n.get("button-cancel"), "cancel")]


def settings_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    def entry(key: str, action: SettingsAction) -> InlineKeyboardButton:
        return button(i18n.get(key), SettingsCb(action=action))

    return keyboard(
        [entry("settings-button-phone", SettingsAction.PHONE), entry("settings-button-email", SettingsAction.EMAIL)],
        [entry("settings-button-avatar", SettingsAction.AVATAR),
         entry("settings-button-language", SettingsAction.LANGUAGE)],
        [entry("settings-button-time-zone", SettingsAction.TIME_ZONE),
         entry("settings-button-twofa", SettingsAction.TWO_FACTOR)],
        [button(i18n.get("notifications-button-preferences"), PREFERENCES)],
        nav_row(i18n, HOME),
    )


def ask_markup(i18n: I18nContext, remove_key: str | None, remove: SettingsAction) -> InlineKeyboardMarkup:
    """Under a question for a new value: Remove (`remove_key`, when there is a value to remove) and Cancel."""
    rows = [cancel_row(i18n)]
    if remove_key is not None:
        rows.insert(0, [button(i18n.get(remove_key), SettingsCb(action=remove))])
    return keyboard(*rows)


def reply_keyboard(i18n: I18nContext, first: KeyboardButton) -> ReplyKeyboardMarkup:
    """Contact and location can only be asked for with a reply keyboard (and a Cancel on it)."""
    return ReplyKeyboardMarkup(keyboard=[[first], [KeyboardButton(text=i18n.get("settings-button-reply-cancel"))]],
                               resize_keyboard=True, one_time_keyboard=True)


def language_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    rows = []
    for locale in sorted(i18n.core.available_locales):
        name = i18n.get("language-self-name", locale)
        mark = "✓ " if locale == i18n.locale else ""
        rows.append([button(f"{mark}{name}", SettingsCb(action=SettingsAction.LANGUAGE_SET, value=locale))])
    return keyboard(*rows, nav_row(i18n, SETTINGS))


def time_zone_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    regions = [button(i18n.get(f"settings-tz-region-{key}"), SettingsCb(action=SettingsAction.REGION, value=key))
               for key in REGIONS]
    return keyboard(
        *(regions[i : i + 2] for i in range(0, len(regions), 2)),
        [button(i18n.get("settings-button-location"), SettingsCb(action=SettingsAction.LOCATION))],
        cancel_row(i18n),
    )


def zone_button(zone: str, i18n: I18nContext, now: datetime) -> InlineKeyboardButton:
    name = "UTC" if zone == "UTC" else city(zone, i18n.locale)
    return button(f"{name} · {utc_offset(zone, now)}", SettingsCb(action=SettingsAction.ZONE, value=zone))


def region_markup(i18n: I18nContext, region: str, zones: tuple[str, ...], page: int, pages: int,
                  now: datetime) -> InlineKeyboardMarkup:
    shown = zones[page * ZONES_PER_PAGE : (page + 1) * ZONES_PER_PAGE]
    rows = [[zone_button(zone, i18n, now)] for zone in shown]
    if pages > 1:
        paging = []
        if page > 0:
            paging.append(button("«", SettingsCb(action=SettingsAction.REGION, value=region, page=page - 1)))
        paging.append(button(f"{page + 1}/{pages}", SettingsCb(action=SettingsAction.REGION, value=region, page=page)))
        if page < pages - 1:
            paging.append(button("»", SettingsCb(action=SettingsAction.REGION, value=region, page=page + 1)))
        rows.append(paging)
    rows.append(nav_row(i18n, SettingsCb(action=SettingsAction.TIME_ZONE)))
    return keyboard(*rows)


def zones_markup(i18n: I18nContext, zones: list[str], now: datetime) -> InlineKeyboardMarkup:
    return keyboard(*([zone_button(zone, i18n, now)] for zone in zones), cancel_row(i18n))


def two_factor_markup(i18n: I18nContext, status: Status) -> InlineKeyboardMarkup:
    if status.enabled:
        rows = [[button(i18n.get("twofa-button-new-codes"), SettingsCb(action=SettingsAction.RECOVERY_CODES))],
                [button(i18n.get("twofa-button-disable"), SettingsCb(action=SettingsAction.TWO_FACTOR_OFF))]]
    else:
        rows = [[button(i18n.get("twofa-button-enable"), SettingsCb(action=SettingsAction.TWO_FACTOR_ON))]]
    return keyboard(*rows, nav_row(i18n, SETTINGS))


def disable_markup(i18n: I18nContext) -> InlineKeyboardMarkup:
    return keyboard([button(i18n.get("twofa-button-disable-confirm"),
                            SettingsCb(action=SettingsAction.TWO_FACTOR_OFF_CONFIRM))], nav_row(i18n, TWO_FACTOR))


def saved_markup(i18n: I18nContext, back: SettingsCb) -> InlineKeyboardMarkup:
    """Under recovery codes: "I have saved them", back to where they came from."""
    return keyboard([button(i18n.get("twofa-button-saved"), back)])
