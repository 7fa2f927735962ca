"""Configuration: good values load, every bad value is refused with one line naming the setting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.config import ConfigError, load_settings, resolve_secret_key

GOOD_TOKEN = "123456:" + "A" * 35


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name in {"BOT_TOKEN", "DATABASE_URL", "REDIS_URL", "DEFAULT_LOCALE", "CURRENCY", "SECRET_KEY",
                    "TELEGRAM_API_BASE", "WEBHOOK_URL", "WEBHOOK_SECRET", "LOG_FORMAT", "LOG_LEVEL",
                    "STAFF_CHAT_ID", "WEBHOOK_PORT", "SCHEDULER_ENABLED"}:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.sandbox_mode
    assert settings.database_url == "sqlite+aiosqlite:///./data/bot.db"
    assert settings.telegram_api_base == "https://api.telegram.org"
    assert (settings.default_locale, settings.currency, settings.log_format) == ("en", "EUR", "text")
    assert settings.scheduler_enabled and settings.redis_url is None and settings.staff_chat_id is None


def test_env_and_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"BOT_TOKEN={GOOD_TOKEN}\nCURRENCY=usd\nSTAFF_CHAT_ID=-100123\n")
    monkeypatch.setenv("DEFAULT_LOCALE", "ru")
    settings = load_settings()
    assert settings.token == GOOD_TOKEN and not settings.sandbox_mode
    assert settings.currency == "USD" and settings.staff_chat_id == -100123 and settings.default_locale == "ru"
    assert GOOD_TOKEN not in repr(settings)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BOT_TOKEN", "not-a-token", "malformed"),
        ("BOT_TOKEN", "123:short", "malformed"),
        ("TELEGRAM_API_BASE", "api.telegram.org", "URL"),
        ("DATABASE_URL", "mysql://localhost/x", "not supported"),
        ("DATABASE_URL", "::nonsense::", "not a database URL"),
        ("DEFAULT_LOCALE", "de", "unknown locale 'de'"),
        ("CURRENCY", "EURO", "ISO 4217"),
        ("SECRET_KEY", "too-short", "Fernet"),
        ("REDIS_URL", "localhost:6379", "redis://"),
        ("WEBHOOK_SECRET", "has spaces", "1-256"),
        ("WEBHOOK_PORT", "0", "greater than"),
        ("LOG_FORMAT", "xml", "text"),
        ("STAFF_CHAT_ID", "support", "integer"),
    ],
)
def test_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert info.value.setting == name
    assert expected in info.value.reason


def test_plain_driver_names_become_async(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://bot:pw@db:5432/bot")
    assert load_settings().database_url == "postgresql+asyncpg://bot:pw@db:5432/bot"


def test_secret_key_generated_once_apart_from_the_data(tmp_path: Path) -> None:
    settings = load_settings(data_dir=tmp_path / "data", secret_key_file=tmp_path / "keys" / "secret.key")
    key, generated = resolve_secret_key(settings)
    assert generated and (tmp_path / "keys" / "secret.key").read_bytes() == key
    assert not (tmp_path / "data").exists()
    assert resolve_secret_key(settings) == (key, False)


def test_a_key_generated_beside_the_data_before_stays_in_use(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    old = Fernet.generate_key()
    (tmp_path / "data" / "secret.key").write_bytes(old)
    settings = load_settings(data_dir=tmp_path / "data", secret_key_file=tmp_path / "keys" / "secret.key")
    assert resolve_secret_key(settings) == (old, False)
    assert not (tmp_path / "keys").exists()


async def test_unreachable_redis_is_a_configuration_error(tmp_path: Path) -> None:
    from bot.app import build_app

    settings = load_settings(_env_file=None, bot_token=GOOD_TOKEN, data_dir=tmp_path,
                             secret_key_file=tmp_path / "secret.key",
                             database_url=f"sqlite+aiosqlite:///{tmp_path / 'x.db'}", redis_url="redis://127.0.0.1:9/0")
    with pytest.raises(ConfigError) as info:
        await build_app(settings)
    assert info.value.setting == "REDIS_URL" and info.value.reason.startswith("cannot connect")


def test_every_setting_is_documented_in_the_readme_and_env_example() -> None:
    """A newcomer configures the bot from the README's table and .env.example: neither may miss a setting."""
    from pathlib import Path

    from bot.config import Settings

    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (root / ".env.example").read_text(encoding="utf-8")
    names = [name.upper() for name in Settings.model_fields]
    assert [n for n in names if f"`{n}`" not in readme] == []
    assert [n for n in names if f"{n}=" not in example] == []
