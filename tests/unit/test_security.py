"""Two-step authentication rules on a frozen clock: drift, replay, lockout, recovery codes, unlock window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from domain.accounts import Profile
from domain.clock import FrozenClock
from domain.models import Notification, RecoveryCode, TwoFactor, User
from domain.security import AlreadyEnabled, CodeRequired, NotEnabled, current_step, totp_code
from domain.unit import Domain, DomainContext


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 5, 4, 10, 0, 5, tzinfo=UTC))


@pytest.fixture
async def domain(sessions, clock):
    async with sessions() as session:
        domain = Domain(session, DomainContext(clock=clock))
        await domain.accounts.touch(Profile(id=9, first_name="Ann"))
        yield domain
        await domain.rollback()


def now_code(secret: str, clock: FrozenClock, offset: int = 0) -> str:
    return totp_code(secret, current_step(clock.now()) + offset)


async def enabled(domain: Domain, clock: FrozenClock) -> tuple[str, list[str]]:
    setup = await domain.security.begin(9, issuer="Client Area", account_name="@ann")
    verdict, codes = await domain.security.confirm(9, now_code(setup.secret, clock))
    assert verdict.ok
    clock.move(seconds=30)
    return setup.secret, codes


async def security_keys(domain: Domain) -> list[str]:
    return list((await domain.session.scalars(
        select(Notification.key).where(Notification.category == "security").order_by(Notification.id))).all())


async def test_setup_is_pending_until_a_valid_code(domain, clock) -> None:
    setup = await domain.security.begin(9, issuer="Client Area", account_name="@ann")
    assert setup.uri.startswith("otpauth://totp/Client%20Area:%40ann?secret=" + setup.secret)
    row = await domain.session.get(TwoFactor, 9)
    assert setup.secret.encode() not in row.secret
    assert await domain.security.pending_secret(9) == setup.secret
    assert (await domain.security.status(9)).pending
    assert await domain.security.is_unlocked(9)  # nothing is guarded before 2FA is on
    with pytest.raises(NotEnabled):
        await domain.security.verify(9, "123456")
    for _ in range(7):  # wrong setup codes do not lock anybody out
        verdict, codes = await domain.security.confirm(9, now_code(setup.secret, clock, offset=3))
        assert verdict.reason == "setup-wrong" and codes == []
    verdict, codes = await domain.security.confirm(9, now_code(setup.secret, clock))
    assert verdict.ok and len(codes) == 10 == len(set(codes))
    assert (await domain.session.get(User, 9)).two_factor
    with pytest.raises(AlreadyEnabled):
        await domain.security.begin(9, issuer="Client Area", account_name="@ann")
    assert await security_keys(domain) == ["notification-security-enabled"]


async def test_drift_replay_and_unlock_window(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    assert not await domain.security.is_unlocked(9)
    assert (await domain.security.verify(9, now_code(secret, clock, offset=-2))).reason == "wrong"
    assert (await domain.security.verify(9, now_code(secret, clock, offset=2))).reason == "wrong"
    ahead = now_code(secret, clock, offset=1)
    assert (await domain.security.verify(9, ahead)).ok
    assert await domain.security.is_unlocked(9)
    # The same step again, and any older step, are replays even within the drift window.
    assert (await domain.security.verify(9, ahead)).reason == "replay"
    assert (await domain.security.verify(9, now_code(secret, clock))).reason == "replay"
    clock.move(minutes=5)
    assert not await domain.security.is_unlocked(9)
    assert (await domain.security.verify(9, " ".join(now_code(secret, clock, offset=-1)))).ok


async def test_five_wrong_codes_lock_for_fifteen_minutes(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    wrong = now_code(secret, clock, offset=5)
    lefts = [(await domain.security.verify(9, wrong)).attempts_left for _ in range(4)]
    assert lefts == [4, 3, 2, 1]
    locked = await domain.security.verify(9, wrong)
    assert locked.reason == "locked" and locked.just_locked
    assert locked.locked_until == clock.now() + timedelta(minutes=15)
    assert (await domain.security.verify(9, now_code(secret, clock))).reason == "locked"
    clock.move(minutes=14, seconds=59)
    assert (await domain.security.verify(9, now_code(secret, clock))).reason == "locked"
    clock.move(seconds=1)
    assert (await domain.security.verify(9, now_code(secret, clock))).ok
    assert (await domain.security.status(9)).locked_until is None
    assert await security_keys(domain) == ["notification-security-enabled", "notification-security-lockout"]


async def test_a_correct_code_resets_the_count(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    for _ in range(4):
        await domain.security.verify(9, "000000" if now_code(secret, clock) != "000000" else "111111")
    assert (await domain.security.verify(9, now_code(secret, clock))).ok
    clock.move(seconds=30)
    assert (await domain.security.verify(9, wrong_code(secret, clock))).attempts_left == 4


def wrong_code(secret: str, clock) -> str:
    return "000000" if now_code(secret, clock) != "000000" else "111111"


async def test_what_is_not_shaped_like_a_code_does_not_count(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    for slip in ("/settings", "hello", "12345", "1234567", "🙂", "", "ab-cd"):
        verdict = await domain.security.verify(9, slip)
        assert (verdict.reason, verdict.attempts_left) == ("malformed", 5), slip
    assert (await domain.security.verify(9, wrong_code(secret, clock))).attempts_left == 4


async def test_wrong_codes_count_within_a_window(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    assert (await domain.security.verify(9, wrong_code(secret, clock))).attempts_left == 4
    clock.move(minutes=20)  # the first failure is forgotten: four more do not lock
    for left in (4, 3, 2, 1):
        assert (await domain.security.verify(9, wrong_code(secret, clock))).attempts_left == left
    assert (await domain.security.status(9)).locked_until is None
    assert (await domain.security.verify(9, wrong_code(secret, clock))).reason == "locked"


async def test_recovery_codes_are_hashed_and_single_use(domain, clock) -> None:
    _, codes = await enabled(domain, clock)
    stored = (await domain.session.scalars(select(RecoveryCode))).all()
    assert not {s.digest for s in stored} & {c.replace("-", "") for c in codes}
    verdict = await domain.security.verify(9, codes[3].upper().replace("-", " "))
    assert verdict.ok and verdict.recovery_used and verdict.recovery_left == 9
    assert (await domain.security.verify(9, codes[3])).reason == "wrong"
    assert (await domain.security.status(9)).recovery_left == 9
    new = await domain.security.regenerate_recovery_codes(9)  # unlocked by the recovery code above
    assert not set(new) & set(codes)
    assert (await domain.security.verify(9, codes[4])).reason == "wrong"
    assert (await domain.security.verify(9, new[0])).ok
    assert await security_keys(domain) == ["notification-security-enabled", "notification-security-recovery-used",
                                           "notification-security-recovery-regenerated",
                                           "notification-security-recovery-used"]


async def test_disabling_needs_a_recent_code(domain, clock) -> None:
    secret, _ = await enabled(domain, clock)
    with pytest.raises(CodeRequired):
        await domain.security.disable(9)
    with pytest.raises(CodeRequired):
        await domain.security.regenerate_recovery_codes(9)
    assert (await domain.security.verify(9, now_code(secret, clock))).ok
    await domain.security.disable(9)
    assert not (await domain.session.get(User, 9)).two_factor
    assert await domain.session.get(TwoFactor, 9) is None
    assert (await domain.session.scalars(select(RecoveryCode))).all() == []
    assert await domain.security.is_unlocked(9)
    assert (await security_keys(domain))[-1] == "notification-security-disabled"
