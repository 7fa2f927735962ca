"""Two-step authentication as a customer meets it: QR code, recovery codes, guarded actions, lockout, replay."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from domain.models import Notification, RecoveryCode, TwoFactor, User
from sandbox import FloodLimits, Sandbox
from tests.e2e.conftest import make_settings
from tests.e2e.flows import code, drain, enable, open_twofa, secret_from


@pytest.fixture
async def sandbox():
    """Telegram's per-chat flood limit off: a test types five codes within a second, which no person does, and
    a flood wait the bot sits out looks like a finished update to the driver."""
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot", bot_first_name="Client Area",
                       flood_limits=FloodLimits.off()) as sb:
        yield sb


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    """No background delivery: security notifications reach the chat when a test drains the outbox, so they
    never land between a tap and the screen it asserts on. The throttle is wider than a person needs: a test
    types codes faster than anybody."""
    return make_settings(sandbox, db_url, redis_url, tmp_path, scheduler_enabled=False, throttle_rate=50,
                         throttle_burst=50)


async def security_keys(running, user_id: int) -> list[str]:
    async with running.sessions() as session:
        rows = (await session.execute(
            select(Notification.key).where(Notification.user_id == user_id, Notification.category == "security")
            .order_by(Notification.id)
        )).scalars().all()
    return list(rows)


async def test_enabling_shows_qr_and_takes_effect_after_a_valid_code(ann, running, clock) -> None:
    await open_twofa(ann)
    assert ann.screen.text.startswith("🔐 Two-step authentication is off.")
    await ann.press("🔐 Enable")
    qr = ann.screen
    assert qr.photo and qr.uploaded_bytes().startswith(b"\x89PNG")
    assert "Scan this QR code" in qr.caption
    secret = secret_from(qr.caption)
    async with running.sessions() as session:
        row = await session.get(TwoFactor, 1001)
        user = await session.get(User, 1001)
    assert row is not None and row.confirmed_at is None and not user.two_factor
    assert secret.encode() not in row.secret  # encrypted at rest
    assert running.app.context.cipher.decrypt_text(row.secret) == secret

    await ann.send("123")
    assert ann.screen.text == "Send the 6-digit code from your authenticator app, or a recovery code."
    wrong = code(secret, clock, offset=5)
    await ann.send(wrong)
    # While setting up nothing is protected yet: a wrong code counts for nothing, so no "attempts left".
    assert ann.screen.text.startswith("❌ That code does not match.") and "left" not in ann.screen.text
    async with running.sessions() as session:
        assert not (await session.get(User, 1001)).two_factor

    await ann.send(code(secret, clock))
    text = ann.screen.text
    assert text.startswith("✅ Two-step authentication is on.") and "shown only now" in text
    codes = re.findall(r"\b[2-9a-z]{5}-[2-9a-z]{5}\b", text)
    assert len(codes) == 10 == len(set(codes))
    assert qr.message_id not in [m.message_id for m in ann.messages]  # the secret is off the screen
    async with running.sessions() as session:
        stored = (await session.execute(select(RecoveryCode).where(RecoveryCode.user_id == 1001))).scalars().all()
        assert (await session.get(User, 1001)).two_factor
    assert len(stored) == 10 and not any(c.replace("-", "") in s.digest for c in codes for s in stored)
    assert await security_keys(running, 1001) == ["notification-security-enabled"]
    await ann.press("✅ I have saved them")
    assert "🔐 Two-step authentication: on" in ann.screen.text


async def test_changing_email_asks_for_a_code_then_unlocks_for_five_minutes(ann, running, clock) -> None:
    secret, _ = await enable(ann, clock)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    assert ann.screen.text.startswith("🔐 Confirmation needed")
    await ann.send(code(secret, clock))
    assert ann.screen.text.startswith("✅ Code accepted. Sensitive actions need no code for the next 5 minutes.")
    await ann.press("▶️ Continue")
    assert "Send the new address." in ann.screen.text
    await ann.send("ann@example.com")
    assert "✅ E-mail saved: ann@example.com" in ann.screen.text
    clock.move(minutes=4)
    await ann.press("✉️ E-mail")
    assert "Send the new address." in ann.screen.text  # still unlocked
    await ann.send("/settings")
    clock.move(minutes=2)
    await ann.press("✉️ E-mail")
    assert ann.screen.text.startswith("🔐 Confirmation needed")  # the five minutes are over
    await ann.press("✖ Cancel")
    async with running.sessions() as session:
        assert (await session.get(User, 1001)).email == "ann@example.com"


async def test_a_used_step_is_refused_and_one_step_of_drift_is_accepted(ann, running, clock) -> None:
    await open_twofa(ann)
    await ann.press("🔐 Enable")
    secret = secret_from(ann.screen.caption)
    first = code(secret, clock)
    await ann.send(first)
    assert ann.screen.text.startswith("✅ Two-step authentication is on.")
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    await ann.send(first)  # the code that turned 2FA on, seen over the customer's shoulder
    assert ann.screen.text == "❌ This code has already been used. Wait for the next code in your app."
    await ann.send(code(secret, clock, offset=-2))  # a minute old: too old
    assert ann.screen.text == "❌ Wrong code. Attempts left: 4."  # the replay was not counted
    await ann.send(code(secret, clock, offset=1))  # the phone's clock is 30 s ahead: fine
    assert ann.screen.text.startswith("✅ Code accepted.")
    clock.move(minutes=6)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    await ann.send(code(secret, clock, offset=-1))  # 30 s behind: fine too
    assert ann.screen.text.startswith("✅ Code accepted.")


async def test_brute_force_locks_for_fifteen_minutes(ann, running, clock) -> None:
    secret, _ = await enable(ann, clock)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    wrong = code(secret, clock, offset=10)
    for left in (4, 3, 2):
        await ann.send(wrong)
        assert ann.screen.text == f"❌ Wrong code. Attempts left: {left}."
    await ann.send(wrong)
    assert ann.screen.text == "❌ Wrong code. One more wrong code locks code entry for 15 minutes."
    await ann.send(wrong)
    assert ann.screen.text.startswith("🔒 Too many wrong codes: code entry is locked until 26 Nov 2026, 09:15.")
    assert "notification-security-lockout" in await security_keys(running, 1001)
    await drain(running)
    assert ann.screen.text.startswith("🔒 Code entry locked\n\nFive wrong two-step authentication codes in a row: "
                                      "code entry is locked until 26 Nov 2026, 09:15.")
    # Even the right code is refused while locked, and the guard says so.
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    assert ann.screen.text == "🔒 Too many wrong codes: code entry is locked until 26 Nov 2026, 09:15."
    clock.move(minutes=14)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    assert ann.screen.text.startswith("🔒")
    clock.move(minutes=2)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    assert ann.screen.text.startswith("🔐 Confirmation needed")
    await ann.send(code(secret, clock))
    assert ann.screen.text.startswith("✅ Code accepted.")


async def test_recovery_code_works_once(ann, running, clock) -> None:
    _, recovery = await enable(ann, clock)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    await ann.send(recovery[0].upper())
    assert "🔑 A recovery code was used; 9 left." in ann.screen.text
    clock.move(minutes=6)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    await ann.send(recovery[0])
    assert ann.screen.text.startswith("❌ Wrong code.")
    assert "notification-security-recovery-used" in await security_keys(running, 1001)


async def test_disabling_needs_a_code(ann, running, clock) -> None:
    secret, _ = await enable(ann, clock)
    await open_twofa(ann)
    assert "Unused recovery codes: 10." in ann.screen.text
    await ann.press("🚫 Disable")
    await ann.press("🚫 Yes, disable")
    assert ann.screen.text.startswith("🔐 Confirmation needed")
    await ann.send(code(secret, clock))
    await ann.press("▶️ Continue")
    assert ann.screen.text.startswith("✅ Two-step authentication is off.")
    async with running.sessions() as session:
        assert await session.get(TwoFactor, 1001) is None
        assert not (await session.get(User, 1001)).two_factor
        assert (await session.execute(select(RecoveryCode))).first() is None
    assert await security_keys(running, 1001) == ["notification-security-enabled",
                                                  "notification-security-disabled"]
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    assert "Send the new address." in ann.screen.text  # no guard without 2FA


async def test_forged_disable_button_still_needs_a_code(ann, running, clock) -> None:
    await enable(ann, clock)
    await ann.send("/settings")
    await ann.press(callback_data="st:2fa_off_yes::0", message=ann.screen)
    assert ann.screen.text.startswith("🔐 Confirmation needed")
    async with running.sessions() as session:
        assert (await session.get(User, 1001)).two_factor


async def test_new_recovery_codes(ann, running, clock) -> None:
    secret, old = await enable(ann, clock)
    await open_twofa(ann)
    await ann.press("🔑 New recovery codes")
    await ann.send(code(secret, clock))
    await ann.press("▶️ Continue")
    new = re.findall(r"\b[2-9a-z]{5}-[2-9a-z]{5}\b", ann.screen.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert "notification-security-recovery-regenerated" in await security_keys(running, 1001)
    clock.move(minutes=6)
    await ann.send("/settings")
    await ann.press("✉️ E-mail")
    await ann.send(old[0])
    assert ann.screen.text.startswith("❌ Wrong code.")
    await ann.send(new[0])
    assert ann.screen.text.startswith("✅ Code accepted.")


async def test_two_factor_in_russian(ivan, running, clock) -> None:
    secret, _ = await enable(ivan, clock, enable_button="🔐 Включить")
    assert await security_keys(running, 1002) == ["notification-security-enabled"]
    await drain(running)
    assert ivan.screen.text.startswith("🔐 Двухэтапная аутентификация включена")
    await ivan.send("/settings")
    assert "🔐 Двухэтапная аутентификация: включена" in ivan.screen.text
    await ivan.press("✉️ E-mail")
    assert ivan.screen.text.startswith("🔐 Нужно подтверждение")
    await ivan.send("000000" if code(secret, clock) != "000000" else "111111")
    assert ivan.screen.text == "❌ Неверный код. Осталось попыток: 4."
    await ivan.send(code(secret, clock))
    assert ivan.screen.text.startswith("✅ Код принят.")
    await ivan.press("▶️ Продолжить")
    assert "Отправьте новый адрес." in ivan.screen.text


async def test_cancel_while_enabling_returns_to_two_step_and_takes_the_qr_away(ann, running, clock) -> None:
    await open_twofa(ann)
    await ann.press("🔐 Enable")
    qr = ann.screen
    secret = secret_from(qr.caption)
    await ann.send(code(secret, clock, offset=5))  # a wrong code: its answer carries a Cancel too
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n🔐 Two-step authentication is off.")
    assert all(not m.photo for m in ann.bot_messages), "the QR code with the secret is gone"
    await ann.send(code(secret, clock))  # the step is left: a code now turns nothing on
    async with running.sessions() as session:
        assert not (await session.get(User, 1001)).two_factor
