"""Two-step authentication: a TOTP second factor (RFC 6238, 30-second steps, 6 digits) with recovery codes.

Rules: a code is accepted within one step of drift either way; a step once accepted is never accepted again
(replay); five wrong codes in a row lock code entry for fifteen minutes (and say so in a security
notification); a correct code opens guarded actions for five minutes. The secret is Fernet-encrypted at rest,
recovery codes are kept as salted SHA-256 digests and shown once.

Code checks return a `Verdict` instead of raising: a wrong code must still be counted, and the unit of work
rolls back on an exception.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

import pyotp
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import Accounts
from domain.clock import Clock
from domain.crypto import Cipher
from domain.errors import DomainError
from domain.models import NotificationCategory, RecoveryCode, TwoFactor
from domain.notifications import Notifications

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1
MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
# Wrong codes count towards the lockout within this long of the first of them; later ones start afresh.
FAILURE_WINDOW = timedelta(minutes=15)
UNLOCK_WINDOW = timedelta(minutes=5)
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i
RECOVERY_LENGTH = 10


class AlreadyEnabled(DomainError):
    message_id = "twofa-error-already-on"


class NotEnabled(DomainError):
    message_id = "twofa-error-off"


class CodeRequired(DomainError):
    """A guarded change reached the domain without a recent code (the handler's guard was bypassed)."""

    message_id = "twofa-error-code-required"


@dataclass(frozen=True, slots=True)
class Setup:
    secret: str
    uri: str


class Refusal(StrEnum):
    """Why a code was not accepted."""

    MALFORMED = "malformed"  # not shaped like a code: not counted
    WRONG = "wrong"
    SETUP_WRONG = "setup-wrong"  # while setting up: not counted
    REPLAY = "replay"  # the step was accepted before
    LOCKED = "locked"


@dataclass(frozen=True, slots=True)
class Verdict:
    """The outcome of one code entry: `reason` is None when the code was accepted."""

    reason: Refusal | None = None
    attempts_left: int = MAX_FAILURES
    locked_until: datetime | None = None
    just_locked: bool = False
    recovery_used: bool = False
    recovery_left: int = 0

    @property
    def ok(self) -> bool:
        return self.reason is None


@dataclass(frozen=True, slots=True)
class Status:
    enabled: bool
    pending: bool
    locked_until: datetime | None
    unlocked_until: datetime | None
    recovery_left: int


def current_step(moment: datetime) -> int:
    return int(moment.timestamp()) // STEP_SECONDS


def totp_code(secret: str, step: int) -> str:
    """The code an authenticator app shows during `step` (tests and tools use it to act as the app)."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).generate_otp(step)


def _clean(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return f"{raw[:5]}-{raw[5:]}"


class Security:
    def __init__(self, session: AsyncSession, clock: Clock, cipher: Cipher, accounts: Accounts,
                 notifications: Notifications) -> None:
        self._session = session
        self._clock = clock
        self._cipher = cipher
        self._accounts = accounts
        self._notifications = notifications

    async def _row(self, user_id: int) -> TwoFactor | None:
        return await self._session.get(TwoFactor, user_id)

    async def _enabled_row(self, user_id: int) -> TwoFactor:
        row = await self._row(user_id)
        if row is None or row.confirmed_at is None:
            raise NotEnabled()
        return row

    async def _recovery_left(self, user_id: int) -> int:
        return await self._session.scalar(
            select(func.count()).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        ) or 0

    async def status(self, user_id: int) -> Status:
        row = await self._row(user_id)
        now = self._clock.now()
        if row is None:
            return Status(False, False, None, None, 0)
        enabled = row.confirmed_at is not None
        locked = row.locked_until if row.locked_until and row.locked_until > now else None
        unlocked = row.unlocked_until if row.unlocked_until and row.unlocked_until > now else None
        return Status(enabled, not enabled, locked, unlocked,
                      await self._recovery_left(user_id) if enabled else 0)

    async def _notify(self, user_id: int, event: str, **args: object) -> None:
        await self._notifications.notify(user_id, category=NotificationCategory.SECURITY,
                                         key=f"notification-security-{event}", args=args)

    # --- enabling ------------------------------------------------------------------------------------------

    async def begin(self, user_id: int, issuer: str, account_name: str) -> Setup:
        """A new secret, pending until `confirm` gets a valid code for it; starting again replaces it."""
        row = await self._row(user_id)
        if row is not None and row.confirmed_at is not None:
            raise AlreadyEnabled()
        secret = pyotp.random_base32()
        if row is None:
            row = TwoFactor(user_id=user_id, failures=0)
            self._session.add(row)
        row.secret = self._cipher.encrypt(secret)
        row.created_at = self._clock.now()
        row.last_step = row.locked_until = row.unlocked_until = None
        await self._session.flush()
        uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
            name=account_name, issuer_name=issuer)
        return Setup(secret, uri)

    async def pending_secret(self, user_id: int) -> str | None:
        row = await self._row(user_id)
        if row is None or row.confirmed_at is not None:
            return None
        return self._cipher.decrypt_text(row.secret)

    async def confirm(self, user_id: int, code: str) -> tuple[Verdict, list[str]]:
        """Turn the pending secret on with a first valid code; returns the recovery codes, shown once.
        Wrong codes here do not count towards the lockout: nothing is protected yet."""
        row = await self._row(user_id)
        if row is None:
            raise NotEnabled()
        if row.confirmed_at is not None:
            raise AlreadyEnabled()
        cleaned = _clean(code)
        if not (cleaned.isdigit() and len(cleaned) == DIGITS):
            return Verdict(Refusal.MALFORMED), []
        step = self._matching_step(self._cipher.decrypt_text(row.secret), cleaned)
        if step is None:
            return Verdict(Refusal.SETUP_WRONG), []
        now = self._clock.now()
        row.confirmed_at, row.last_step, row.failures = now, step, 0
        user = await self._accounts.get(user_id)
        user.two_factor = True
        codes = await self._new_recovery_codes(user_id)
        await self._session.flush()
        self._accounts.changed(user_id)
        await self._notify(user_id, "enabled", at=now)
        return Verdict(recovery_left=len(codes)), codes

    def _matching_step(self, secret: str, code: str) -> int | None:
        now_step = current_step(self._clock.now())
        # Newest first: should two steps ever share a code, the later one is the one remembered.
        for step in range(now_step + DRIFT_STEPS, now_step - DRIFT_STEPS - 1, -1):
            if hmac.compare_digest(totp_code(secret, step), code):
                return step
        return None

    async def _new_recovery_codes(self, user_id: int) -> list[str]:
        await self._session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        now = self._clock.now()
        codes = [new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
        for code in codes:
            salt = secrets.token_hex(16)
            self._session.add(RecoveryCode(user_id=user_id, salt=salt, digest=_digest(salt, _clean(code)),
                                           created_at=now, used_at=None))
        return codes

    # --- codes ---------------------------------------------------------------------------------------------

    async def verify(self, user_id: int, code: str) -> Verdict:
        """Check a TOTP or recovery code for a guarded action; a correct one opens the unlock window."""
        row = await self._enabled_row(user_id)
        now = self._clock.now()
        if row.locked_until is not None and row.locked_until > now:
            return Verdict(Refusal.LOCKED, 0, row.locked_until)
        cleaned = _clean(code)
        if cleaned.isdigit() and len(cleaned) == DIGITS:
            step = self._matching_step(self._cipher.decrypt_text(row.secret), cleaned)
            if step is not None and row.last_step is not None and step <= row.last_step:
                # The right code, but its step was used already: somebody may have watched it being typed.
                return Verdict(Refusal.REPLAY, self._attempts_left(row, now))
            if step is not None:
                row.last_step = step
                return await self._accepted(row, now)
            return await self._failed(row, now)
        if len(cleaned) == RECOVERY_LENGTH and all(c in RECOVERY_ALPHABET for c in cleaned):
            if await self._use_recovery_code(user_id, cleaned, now):
                left = await self._recovery_left(user_id)
                await self._notify(user_id, "recovery-used", at=now, left=left)
                verdict = await self._accepted(row, now)
                return Verdict(recovery_used=True, recovery_left=left, attempts_left=verdict.attempts_left)
            return await self._failed(row, now)
        # Not shaped like a code (a word, a command, a sticker's emoji): a slip, not a guess; it does not count.
        return Verdict(Refusal.MALFORMED, self._attempts_left(row, now))

    def _attempts_left(self, row: TwoFactor, now: datetime) -> int:
        return MAX_FAILURES - self._failures(row, now)

    @staticmethod
    def _failures(row: TwoFactor, now: datetime) -> int:
        """Wrong codes that still count: those since the first one within FAILURE_WINDOW."""
        if row.failures_since is None or now - row.failures_since >= FAILURE_WINDOW:
            return 0
        return row.failures

    async def _use_recovery_code(self, user_id: int, cleaned: str, now: datetime) -> bool:
        unused: Sequence[RecoveryCode] = (await self._session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )).all()
        for stored in unused:
            if hmac.compare_digest(stored.digest, _digest(stored.salt, cleaned)):
                stored.used_at = now
                await self._session.flush()
                return True
        return False

    async def _accepted(self, row: TwoFactor, now: datetime) -> Verdict:
        row.failures, row.failures_since = 0, None
        row.unlocked_until = now + UNLOCK_WINDOW
        await self._session.flush()
        return Verdict()

    async def _failed(self, row: TwoFactor, now: datetime) -> Verdict:
        if self._failures(row, now) == 0:
            row.failures, row.failures_since = 0, now
        row.failures += 1
        if row.failures >= MAX_FAILURES:
            row.failures, row.failures_since = 0, None
            row.locked_until = now + LOCKOUT
            row.unlocked_until = None
            await self._session.flush()
            await self._notify(row.user_id, "lockout", until=row.locked_until)
            return Verdict(Refusal.LOCKED, 0, row.locked_until, just_locked=True)
        await self._session.flush()
        return Verdict(Refusal.WRONG, MAX_FAILURES - row.failures)

    async def is_unlocked(self, user_id: int) -> bool:
        """Whether guarded actions may run now: 2FA is off, or a correct code was given within five minutes."""
        row = await self._row(user_id)
        if row is None or row.confirmed_at is None:
            return True
        return row.unlocked_until is not None and row.unlocked_until > self._clock.now()

    async def _require_unlocked(self, user_id: int) -> TwoFactor:
        row = await self._enabled_row(user_id)
        if row.unlocked_until is None or row.unlocked_until <= self._clock.now():
            raise CodeRequired()
        return row

    # --- guarded changes -----------------------------------------------------------------------------------

    async def disable(self, user_id: int) -> None:
        """Turn two-step authentication off; only right after a correct code (the guard asks for it)."""
        row = await self._require_unlocked(user_id)
        await self._session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        await self._session.delete(row)
        user = await self._accounts.get(user_id)
        user.two_factor = False
        await self._session.flush()
        self._accounts.changed(user_id)
        await self._notify(user_id, "disabled", at=self._clock.now())

    async def regenerate_recovery_codes(self, user_id: int) -> list[str]:
        """Ten new recovery codes; the old ones stop working."""
        await self._require_unlocked(user_id)
        codes = await self._new_recovery_codes(user_id)
        await self._session.flush()
        await self._notify(user_id, "recovery-regenerated", at=self._clock.now())
        return codes
