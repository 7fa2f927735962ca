"""The customer's own settings: phone, e-mail, avatar, time zone (the language lives in `Accounts`)."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import Accounts, Customer, mask_phone
from domain.clock import Clock
from domain.errors import InvalidInput
from domain.images import MAX_AVATAR_BYTES, check_image
from domain.models import Avatar
from domain.timezones import is_zone


class ForeignContact(InvalidInput):
    """A shared contact that is somebody else's: only the customer's own number is taken from a contact."""

    message_id = "settings-phone-foreign-contact"


def normalise_phone(text: str, region: str | None = None) -> str:
    """A typed or shared number in E.164 ('+447911123456'), or InvalidInput."""
    raw = text.strip()
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        raise InvalidInput("settings-phone-invalid") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput("settings-phone-invalid")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(text: str) -> str:
    """The address as email-validator normalises it (domain lower-cased, IDN to Unicode); syntax only:
    the bot runs offline, so no DNS lookup for deliverability."""
    try:
        checked = validate_email(text.strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("settings-email-invalid") from None
    return checked.normalized


@dataclass(frozen=True, slots=True)
class AvatarImage:
    content: bytes
    content_type: str
    width: int
    height: int


class Settings:
    def __init__(self, session: AsyncSession, clock: Clock, accounts: Accounts) -> None:
        self._session = session
        self._clock = clock
        self._accounts = accounts

    async def _update(self, user_id: int, **values: object) -> Customer:
        user = await self._accounts.get(user_id)
        for name, value in values.items():
            setattr(user, name, value)
        await self._session.flush()
        self._accounts.changed(user_id)
        return Customer.of(user)

    async def set_phone(self, user_id: int, text: str, region: str | None = None) -> Customer:
        return await self._update(user_id, phone=normalise_phone(text, region))

    async def set_phone_from_contact(self, user_id: int, phone_number: str, contact_user_id: int | None) -> Customer:
        """A contact shared through the request_contact button; Telegram sends the number without '+'."""
        if contact_user_id != user_id:
            raise ForeignContact()
        digits = phone_number.strip()
        return await self._update(user_id, phone=normalise_phone(digits if digits.startswith("+") else f"+{digits}"))

    async def remove_phone(self, user_id: int) -> Customer:
        return await self._update(user_id, phone=None)

    async def set_email(self, user_id: int, text: str) -> Customer:
        return await self._update(user_id, email=normalise_email(text))

    async def remove_email(self, user_id: int) -> Customer:
        return await self._update(user_id, email=None)

    async def set_time_zone(self, user_id: int, zone: str) -> Customer:
        if not is_zone(zone):
            raise InvalidInput("settings-tz-unknown", query=zone)
        return await self._update(user_id, time_zone=zone)

    async def set_avatar(self, user_id: int, data: bytes, file_id: str | None) -> Customer:
        """Keep a checked image as the avatar; `file_id` is Telegram's id to show it again without uploading."""
        kind, width, height = check_image(data)
        avatar = await self._session.get(Avatar, user_id)
        if avatar is None:
            avatar = Avatar(user_id=user_id)
            self._session.add(avatar)
        avatar.content, avatar.content_type, avatar.width, avatar.height = data, kind, width, height
        avatar.size, avatar.uploaded_at = len(data), self._clock.now()
        return await self._update(user_id, avatar_file_id=file_id)

    async def avatar(self, user_id: int) -> AvatarImage | None:
        avatar = await self._session.get(Avatar, user_id)
        if avatar is None:
            return None
        return AvatarImage(avatar.content, avatar.content_type, avatar.width, avatar.height)

    async def set_avatar_file_id(self, user_id: int, file_id: str) -> Customer:
        """The stored avatar was uploaded again (e.g. another bot token): remember Telegram's new id for it."""
        return await self._update(user_id, avatar_file_id=file_id)

    async def remove_avatar(self, user_id: int) -> Customer:
        avatar = await self._session.get(Avatar, user_id)
        if avatar is not None:
            await self._session.delete(avatar)
        return await self._update(user_id, avatar_file_id=None)


__all__ = ["MAX_AVATAR_BYTES", "AvatarImage", "ForeignContact", "Settings", "mask_phone", "normalise_email",
           "normalise_phone"]
