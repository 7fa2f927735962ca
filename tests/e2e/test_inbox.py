"""Support -> Notifications: the customer reads their notifications, pages through them, filters, marks read."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from domain.models import User
from tests.e2e.conftest import make_settings


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    # A person reading their inbox taps faster than the default throttling allows a bot-driven test to.
    return make_settings(sandbox, db_url, redis_url, tmp_path, throttle_rate=50, throttle_burst=50)


CATEGORIES = ["services", "finance", "news", "finance", "support", "security", "services"]


async def seed(running, clock, user_id: int) -> None:
    """Seven notifications, one a minute: 'Notice 1' (services) is the oldest, 'Notice 7' the newest."""
    for n, category in enumerate(CATEGORIES, start=1):
        async with running.app.domain() as domain:
            await domain.notifications.notify(user_id, category=category, key="notification-news",
                                              args={"title": f"Notice {n}", "text": f"Body {n} <ok>"},
                                              push=False)
        clock.move(minutes=1)


def press_containing(texts: list[str], part: str) -> str:
    return next(text for text in texts if part in text)


async def test_inbox_pages_opens_and_marks_read(ann, running, clock) -> None:
    await ann.send("/start")
    await seed(running, clock, 1001)
    await ann.press("💬 Support")
    assert ann.screen.text.startswith("Support")
    assert ann.screen.button_texts == ["🎫 Tickets", "✍️ New ticket", "🔔 Notifications (7 new)", "☰ Main menu"]
    await ann.press("🔔 Notifications (7 new)")
    screen = ann.screen
    assert "Notifications · All" in screen.text and "Unread: 7 of 7. Page 1 of 2." in screen.text
    items = screen.button_texts[:5]
    assert items == [f"🔵 26 Nov 2026 · 📰 Notice {n}" for n in (7, 6, 5, 4, 3)]
    assert screen.button_texts[5:] == ["Older ›", "🗂 Filter", "✓ Mark all read", "⚙️ Preferences", "« Back",
                                       "☰ Main menu"]
    await ann.press("Older ›")
    assert "Page 2 of 2." in ann.screen.text
    assert ann.screen.button_texts[:3] == ["🔵 26 Nov 2026 · 📰 Notice 2", "🔵 26 Nov 2026 · 📰 Notice 1", "‹ Newer"]
    await ann.press("🔵 26 Nov 2026 · 📰 Notice 1")
    detail = ann.screen
    assert detail.text.splitlines()[0] == "Services · 26 Nov 2026, 09:00"
    assert "Body 1 <ok>" in detail.text and "Body 1 &lt;ok&gt;" in detail.html
    assert detail.button_texts == ["« Back", "☰ Main menu"]
    await ann.press("« Back")
    assert "Unread: 6 of 7. Page 2 of 2." in ann.screen.text
    assert "26 Nov 2026 · 📰 Notice 1" in ann.screen.button_texts  # no longer marked
    await ann.press("« Back")
    assert "🔔 Notifications (6 new)" in ann.screen.button_texts


async def test_filter_and_mark_all_read(ann, running, clock) -> None:
    await ann.send("/start")
    await seed(running, clock, 1001)
    await ann.press("💬 Support")
    await ann.press("🔔 Notifications (7 new)")
    await ann.press("🗂 Filter")
    assert ann.screen.text == "Show notifications about:"
    assert ann.screen.button_texts[:6] == ["✓ All", "Services", "Finance", "Support", "News", "Security"]
    await ann.press("Finance")
    assert "Notifications · Finance" in ann.screen.text and "Unread: 2 of 2. Page 1 of 1." in ann.screen.text
    assert [t for t in ann.screen.button_texts if "Notice" in t] == ["🔵 26 Nov 2026 · 📰 Notice 4",
                                                                     "🔵 26 Nov 2026 · 📰 Notice 2"]
    await ann.press("✓ Mark all read")
    assert "Unread: 0 of 2." in ann.screen.text
    assert "✓ Mark all read" not in ann.screen.button_texts
    assert [t for t in ann.screen.button_texts if "Notice" in t] == ["26 Nov 2026 · 📰 Notice 4",
                                                                     "26 Nov 2026 · 📰 Notice 2"]
    await ann.press("🗂 Filter")
    assert "✓ Finance" in ann.screen.button_texts
    await ann.press("All")
    assert "Unread: 5 of 7." in ann.screen.text
    await ann.press("✓ Mark all read")
    assert "Unread: 0 of 7." in ann.screen.text
    await ann.press("« Back")
    assert "🔔 Notifications" in ann.screen.button_texts


async def test_empty_inbox(ann) -> None:
    await ann.send("/start")
    await ann.press("💬 Support")
    await ann.press("🔔 Notifications")
    assert "Nothing here yet." in ann.screen.text
    assert ann.screen.button_texts == ["🗂 Filter", "⚙️ Preferences", "« Back", "☰ Main menu"]


async def test_russian_inbox_in_the_customers_time_zone(ivan, running, clock) -> None:
    await ivan.send("/start")
    async with running.app.domain() as domain:
        await domain.session.execute(update(User).where(User.id == 1002).values(time_zone="Asia/Tokyo"))
    if running.app.context.account_cache is not None:
        running.app.context.account_cache.forget(1002)
    await seed(running, clock, 1002)
    await ivan.press("💬 Поддержка")
    assert ivan.screen.text.startswith("Поддержка")
    await ivan.press("🔔 Уведомления (новых: 7)")
    assert "Уведомления · Все" in ivan.screen.text
    assert "Непрочитанных: 7 из 7. Страница 1 из 2." in ivan.screen.text
    assert ivan.screen.button_texts[0] == "🔵 26 нояб. 2026 · 📰 Notice 7"
    await ivan.press("Старше ›")
    await ivan.press("🔵 26 нояб. 2026 · 📰 Notice 1")
    assert ivan.screen.text.splitlines()[0] == "Услуги · 26 нояб. 2026, 18:00"  # 09:00 UTC in Tokyo
    await ivan.press("« Назад")
    await ivan.press("🗂 Фильтр")
    await ivan.press("Финансы")
    assert "Уведомления · Финансы" in ivan.screen.text
    await ivan.press("✓ Прочитать все")
    assert "Непрочитанных: 0 из 2." in ivan.screen.text


async def test_a_foreign_notification_cannot_be_opened(ann, ivan, running, clock) -> None:
    await ivan.send("/start")
    await seed(running, clock, 1002)
    await ann.send("/start")
    await ann.press(callback_data="nt:o:0::1", message=ann.screen)
    assert ann.last_callback_answer.text.startswith("Not found.")
