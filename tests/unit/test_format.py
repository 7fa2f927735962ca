from datetime import UTC, datetime

from handlers.common.format import day, money, when


def test_money_per_locale() -> None:
    assert money(12345, "EUR", "en") == "€123.45"
    assert money(12345, "EUR", "ru") == "123,45\xa0€"
    assert money(50, "XTR", "en") == "★ 50"
    assert money(1000, "JPY", "en") == "JP¥1,000"


def test_dates_in_the_customers_zone() -> None:
    moment = datetime(2026, 11, 26, 23, 5, tzinfo=UTC)
    assert when(moment, "Europe/Moscow", "en") == "27 Nov 2026, 02:05"
    assert day(moment, "America/New_York", "en") == "26 Nov 2026"
    assert when(moment, "Not/AZone", "en") == "26 Nov 2026, 23:05"
