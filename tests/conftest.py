"""Shared fixtures: a clean database per test (SQLite by default, PostgreSQL with TEST_DATABASE_URL)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.db import create_engine, create_session_factory

# A busy machine (CI, two cores) can take longer than the sandbox's 5 s to answer; a wait ends as soon as the
# bot is done, so a longer limit costs nothing when things are fast.
os.environ.setdefault("SANDBOX_WAIT_TIMEOUT", "15")

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "")
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "")


def on_postgres() -> bool:
    return TEST_DATABASE_URL.startswith("postgresql")


async def _wipe_postgres(url: str) -> None:
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


@pytest.fixture
async def db_url(tmp_path: Path) -> str:
    """An empty database: a fresh SQLite file, or the PostgreSQL test database wiped clean."""
    if on_postgres():
        await _wipe_postgres(TEST_DATABASE_URL)
        return TEST_DATABASE_URL
    return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"


@pytest.fixture
async def redis_url() -> AsyncIterator[str | None]:
    """TEST_REDIS_URL flushed before the test, or None when Redis is not under test."""
    if not TEST_REDIS_URL:
        yield None
        return
    from redis.asyncio import Redis

    client = Redis.from_url(TEST_REDIS_URL)
    await client.flushdb()
    await client.aclose()
    yield TEST_REDIS_URL


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[AsyncEngine]:
    """A migrated database engine."""
    from bot.migrate import upgrade

    engine = create_engine(db_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)
