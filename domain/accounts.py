"""Customer accounts: the Telegram profile kept fresh, and the customer's own preferences."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers
from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import InvalidInput, NotFound
from domain.models import User

# How stale last_seen_at may get before an update writes it again: keeps navigation read-only.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


def mask_phone(e164: str) -> str:
    """The country code and the last three digits: '+447911123456' -> '+44 •••••••456'."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return "•" * max(len(e164) - 3, 0) + e164[-3:]
    national = str(number.national_number)
    hidden = max(len(national) - 3, 0)
    return f"+{number.country_code} " + "•" * hidden + national[hidden:]


@dataclass(frozen=True, slots=True)
class Profile:
    """What Telegram says about the person behind an update."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


@dataclass(frozen=True, slots=True)
class Customer:
    """A read-only view of an account as of the start of an update; changes go through `Accounts`."""

    id: int
    first_name: str
    last_name: str | None
    username: str | None
    language_code: str | None
    locale: str | None
    time_zone: str
    reachable: bool
    last_seen_at: datetime
    # Settings (domain/settings.py): the phone in E.164, the e-mail, the Telegram file id showing the avatar.
    phone: str | None = None
    email: str | None = None
    avatar_file_id: str | None = None
    two_factor: bool = False

    @classmethod
    def of(cls, user: User) -> Customer:
        return cls(user.id, user.first_name, user.last_name, user.username, user.language_code, user.locale,
                   user.time_zone, user.reachable, user.last_seen_at, user.phone, user.email, user.avatar_file_id,
                   bool(user.two_factor))

    @property
    def phone_masked(self) -> str | None:
        """'+44 •••••••456': enough to recognise one's own number, not enough to read it off a shoulder."""
        return mask_phone(self.phone) if self.phone else None

    def matches(self, profile: Profile) -> bool:
        return (self.first_name, self.last_name, self.username) == (
            profile.first_name, profile.last_name, profile.username
        ) and (profile.language_code is None or profile.language_code == self.language_code)


class AccountCache:
    """Recently seen accounts, for a deployment with a single process (SQLite): an update from a known,
    unchanged customer then needs no database round trip. Entries are added only after a commit and dropped
    on every change, so a rolled-back update never leaves a wrong entry behind."""

    def __init__(self, max_size: int = 50_000) -> None:
        self._entries: OrderedDict[int, Customer] = OrderedDict()
        self._max_size = max_size

    def get(self, user_id: int) -> Customer | None:
        customer = self._entries.get(user_id)
        if customer is not None:
            self._entries.move_to_end(user_id)
        return customer

    def put(self, customer: Customer) -> None:
        self._entries[customer.id] = customer
        self._entries.move_to_end(customer.id)
        while len(self._entries) > self._max_size:
            self._entries.popitem(last=False)

    def forget(self, user_id: int) -> None:
        self._entries.pop(user_id, None)


def _no_hook(_: Callable[[], None]) -> None:
    """Without a unit of work nothing runs after commit."""


class Accounts:
    def __init__(self, session: AsyncSession, clock: Clock, cache: AccountCache | None = None,
                 on_commit: Callable[[Callable[[], None]], None] = _no_hook) -> None:
        self._session = session
        self._clock = clock
        self._cache = cache
        self._on_commit = on_commit

    async def touch(self, profile: Profile) -> Customer:
        """Create the account on first contact, refresh the profile when Telegram's copy changed."""
        now = self._clock.now()
        cached = self._cache.get(profile.id) if self._cache is not None else None
        if (cached is not None and cached.reachable and cached.matches(profile)
                and now - cached.last_seen_at < LAST_SEEN_RESOLUTION):
            return cached
        user = await self._session.get(User, profile.id)
        if user is None:
            user = User(
                id=profile.id,
                first_name=profile.first_name,
                last_name=profile.last_name,
                username=profile.username,
                language_code=profile.language_code,
                created_at=now,
                last_seen_at=now,
                time_zone="UTC",
                reachable=True,
            )
            self._session.add(user)
            await self._session.flush()
        else:
            fresh = {
                "first_name": profile.first_name,
                "last_name": profile.last_name,
                "username": profile.username,
                "language_code": profile.language_code or user.language_code,
            }
            for field, value in fresh.items():
                if getattr(user, field) != value:
                    setattr(user, field, value)
            # A person who writes to the bot has unblocked it.
            if not user.reachable:
                user.reachable = True
            if now - user.last_seen_at >= LAST_SEEN_RESOLUTION:
                user.last_seen_at = now
        customer = Customer.of(user)
        self._remember_after_commit(customer)
        return customer

    def _remember_after_commit(self, customer: Customer) -> None:
        if self._cache is not None:
            cache = self._cache
            self._on_commit(lambda: cache.put(customer))

    def _changed(self, user_id: int) -> None:
        if self._cache is not None:
            self._cache.forget(user_id)

    def changed(self, user_id: int) -> None:
        """Another domain service changed this account's row: drop the cached snapshot."""
        self._changed(user_id)

    async def get(self, user_id: int) -> User:
        user = await self._session.get(User, user_id)
        if user is None:
            raise NotFound()
        return user

    async def set_locale(self, user_id: int, locale: str, available: tuple[str, ...]) -> Customer:
        if locale not in available:
            raise InvalidInput("error-unknown-locale", locale=locale)
        user = await self.get(user_id)
        user.locale = locale
        self._changed(user_id)
        return Customer.of(user)

    async def mark_unreachable(self, user_id: int) -> None:
        """Telegram refused to deliver (the bot is blocked): stop pushing until the customer writes again."""
        user = await self._session.get(User, user_id)
        if user is not None and user.reachable:
            user.reachable = False
        self._changed(user_id)
