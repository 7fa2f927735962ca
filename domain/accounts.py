"""Customer accounts: the Telegram profile kept fresh, and the customer's own preferences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from domain.clock import Clock
from domain.errors import InvalidInput, NotFound
from domain.models import User

# How stale last_seen_at may get before an update writes it again: keeps navigation read-only.
LAST_SEEN_RESOLUTION = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Profile:
    """What Telegram says about the person behind an update."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None


class Accounts:
    def __init__(self, session: AsyncSession, clock: Clock) -> None:
        self._session = session
        self._clock = clock

    async def touch(self, profile: Profile) -> User:
        """Create the account on first contact, refresh the profile when Telegram's copy changed."""
        now = self._clock.now()
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
            return user
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
        return user

    async def get(self, user_id: int) -> User:
        user = await self._session.get(User, user_id)
        if user is None:
            raise NotFound()
        return user

    async def set_locale(self, user_id: int, locale: str, available: tuple[str, ...]) -> User:
        if locale not in available:
            raise InvalidInput("error-unknown-locale", locale=locale)
        user = await self.get(user_id)
        user.locale = locale
        return user
