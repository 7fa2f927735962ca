"""Settings: texts."""

from __future__ import annotations

import io
from datetime import datetime
from html import escape

import segno
from aiogram_i18n import I18nContext

from domain.accounts import Customer
from domain.security import Status, Verdict
from domain.timezones import city, utc_offset
from handlers.common.format import when


def not_set(i18n: I18nContext) -> str:
    return i18n.get("settings-not-set")


def zone_label(zone: str, i18n: I18nContext, moment: datetime) -> str:
    offset = utc_offset(zone, moment)
    if zone == "UTC":  # its name is its offset: said once
        return offset
    return f"{city(zone, i18n.locale)} ({zone}), {offset}"


def settings_text(i18n: I18nContext, user: Customer, now: datetime, note: str | None = None) -> str:
    text = i18n.get(
        "settings-text",
        phone=escape(user.phone_masked or not_set(i18n)),
        email=escape(user.email or not_set(i18n)),
        avatar=i18n.get("settings-avatar-set" if user.avatar_file_id else "settings-avatar-none"),
        language=i18n.get("language-self-name"),
        zone=escape(zone_label(user.time_zone, i18n, now)),
        now=when(now, user.time_zone, i18n.locale),
        twofa=i18n.get("settings-twofa-on" if user.two_factor else "settings-twofa-off"),
    )
    return f"{note}\n\n{text}" if note else text


def language_text(i18n: I18nContext, note: str | None = None) -> str:
    text = i18n.get("settings-language-text", language=i18n.get("language-self-name"))
    return f"{note}\n\n{text}" if note else text


def time_zone_text(i18n: I18nContext, user: Customer, now: datetime) -> str:
    return i18n.get("settings-tz-text", zone=escape(zone_label(user.time_zone, i18n, now)),
                    now=when(now, user.time_zone, i18n.locale))


def zone_saved_text(i18n: I18nContext, zone: str, now: datetime) -> str:
    return i18n.get("settings-tz-saved", zone=escape(zone_label(zone, i18n, now)), now=when(now, zone, i18n.locale))


# --- two-step authentication -----------------------------------------------------------------------------

def two_factor_text(i18n: I18nContext, user: Customer, status: Status, note: str | None = None) -> str:
    text = i18n.get("twofa-text-on", left=status.recovery_left) if status.enabled else i18n.get("twofa-text-off")
    if status.locked_until is not None:
        text += "\n\n" + i18n.get("twofa-locked", until=when(status.locked_until, user.time_zone, i18n.locale))
    return f"{note}\n\n{text}" if note else text


def verdict_text(i18n: I18nContext, user: Customer, verdict: Verdict) -> str:
    """What a refused code entry tells the customer (the 2FA setup, and the guard's code)."""
    if verdict.reason == "locked":
        until = when(verdict.locked_until, user.time_zone, i18n.locale) if verdict.locked_until else ""
        key = "twofa-locked-now" if verdict.just_locked else "twofa-locked"
        return i18n.get(key, until=until)
    if verdict.reason == "replay":
        return i18n.get("twofa-code-reused")
    if verdict.reason == "malformed":
        return i18n.get("twofa-code-malformed")
    if verdict.reason == "setup-wrong":
        return i18n.get("twofa-setup-code-wrong")
    return i18n.get("twofa-code-wrong", left=verdict.attempts_left)


def qr_png(uri: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="png", scale=6, border=3)
    return buffer.getvalue()


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def codes_text(i18n: I18nContext, codes: list[str]) -> str:
    listing = "\n".join(f"<code>{escape(code)}</code>" for code in codes)
    return i18n.get("twofa-recovery-codes", codes=listing, count=len(codes))
