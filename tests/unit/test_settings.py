"""Settings rules without Telegram: phone, e-mail, avatar checks, time zones, and the account cache."""

from __future__ import annotations

import struct
from datetime import UTC, datetime

import pytest

from domain.accounts import AccountCache, Profile
from domain.clock import FrozenClock
from domain.errors import InvalidInput
from domain.images import check_image
from domain.models import Avatar
from domain.settings import ForeignContact, mask_phone, normalise_email, normalise_phone
from domain.timezones import REGIONS, is_zone, search, utc_offset, zone_at
from domain.unit import Domain, DomainContext
from sandbox import make_png


@pytest.mark.parametrize(("typed", "region", "e164"), [
    ("+44 20 7946 0958", None, "+442079460958"),
    ("0044 20 7946 0958", None, "+442079460958"),
    ("+7 (900) 123-45-67", None, "+79001234567"),
    ("8 900 123-45-67", "RU", "+79001234567"),
    ("+1 650-253-0000", None, "+16502530000"),
])
def test_phone_normalised_to_e164(typed: str, region: str | None, e164: str) -> None:
    assert normalise_phone(typed, region) == e164


@pytest.mark.parametrize("typed", ["", "12345", "+44 12", "phone", "+999 123456789", "8 900 123-45-67"])
def test_bad_phones_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalise_phone(typed)
    assert caught.value.message_id == "settings-phone-invalid"


def test_phone_mask_keeps_country_and_last_digits() -> None:
    assert mask_phone("+447911123456") == "+44 •••••••456"
    assert mask_phone("+79001234567") == "+7 •••••••567"


def test_email_syntax_only() -> None:
    assert normalise_email("  Ann@Example.COM ") == "Ann@example.com"
    assert normalise_email("ivan@пример.рф") == "ivan@пример.рф"
    assert normalise_email("someone@no-such-domain-anywhere.example") == "someone@no-such-domain-anywhere.example"
    for bad in ("", "ann", "ann@", "@example.com", "ann@@example.com", "a b@example.com"):
        with pytest.raises(InvalidInput):
            normalise_email(bad)


def _jpeg(width: int, height: int) -> bytes:
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0" + b"\0" * 9 + sof + b"\xff\xd9"


def test_image_checks() -> None:
    assert check_image(make_png(64, 32)) == ("image/png", 64, 32)
    assert check_image(_jpeg(640, 480)) == ("image/jpeg", 640, 480)
    for data, message_id in [
        (b"GIF89a" + b"\0" * 20, "settings-avatar-not-image"),
        (b"%PDF-1.4", "settings-avatar-not-image"),
        (make_png(8, 8), "settings-avatar-bad-size"),
        (make_png(5000, 40), "settings-avatar-bad-size"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024), "settings-avatar-too-big"),
    ]:
        with pytest.raises(InvalidInput) as caught:
            check_image(data)
        assert caught.value.message_id == message_id


def test_time_zone_lookup() -> None:
    assert all(is_zone(zone) for zones in REGIONS.values() for zone in zones)
    assert search("europe/berlin") == ["Europe/Berlin"]
    assert search("New York") == ["America/New_York"]
    assert search("москва", ("en", "ru")) == ["Europe/Moscow"]
    assert search("Atlantis") == [] and search("x") == []
    assert "America/Santiago" in search("San")
    assert zone_at(56.95, 24.1) == "Europe/Riga"
    assert zone_at(55.75, 37.62) == "Europe/Moscow"
    assert zone_at(91, 0) is None
    moment = datetime(2026, 7, 1, tzinfo=UTC)
    assert (utc_offset("Europe/Berlin", moment), utc_offset("America/New_York", moment)) == ("UTC+02:00",
                                                                                            "UTC−04:00")
    assert utc_offset("UTC", moment) == "UTC" and utc_offset("Asia/Kolkata", moment) == "UTC+05:30"


async def test_settings_change_the_account_and_drop_the_cached_snapshot(sessions) -> None:
    cache = AccountCache()
    context = DomainContext(clock=FrozenClock(datetime(2026, 3, 1, tzinfo=UTC)), account_cache=cache)
    async with sessions() as session:
        domain = Domain(session, context)
        await domain.accounts.touch(Profile(id=7, first_name="Ann"))
        await domain.commit()
    assert cache.get(7) is not None
    async with sessions() as session:
        domain = Domain(session, context)
        customer = await domain.settings.set_phone_from_contact(7, "447911123456", 7)
        assert customer.phone == "+447911123456" and customer.phone_masked == "+44 •••••••456"
        assert cache.get(7) is None
        with pytest.raises(ForeignContact):
            await domain.settings.set_phone_from_contact(7, "447911999999", 8)
        with pytest.raises(ForeignContact):
            await domain.settings.set_phone_from_contact(7, "447911999999", None)
        customer = await domain.settings.set_email(7, "ann@example.com")
        customer = await domain.settings.set_time_zone(7, "Europe/Riga")
        with pytest.raises(InvalidInput):
            await domain.settings.set_time_zone(7, "Mars/Olympus")
        customer = await domain.settings.set_avatar(7, make_png(40, 40), "file-1")
        assert (customer.email, customer.time_zone, customer.avatar_file_id) == ("ann@example.com", "Europe/Riga",
                                                                                "file-1")
        image = await domain.settings.avatar(7)
        assert image is not None and (image.width, image.content_type) == (40, "image/png")
        await domain.commit()
    async with sessions() as session:
        domain = Domain(session, context)
        customer = await domain.settings.remove_avatar(7)
        assert customer.avatar_file_id is None and await session.get(Avatar, 7) is None
        await domain.commit()
