"""Engine and session factory (SQLite gets WAL and foreign keys; every backend gets UTC timestamps), and the
statement helpers that hide the differences between the backends and their typing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Executable, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import CursorResult, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from domain.models import Base


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a file-backed SQLite database, so a fresh checkout just runs."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str, *, echo: bool = False) -> AsyncEngine:
    kwargs: dict[str, Any] = {"echo": echo}
    if is_sqlite(url):
        ensure_sqlite_folder(url)
        kwargs["connect_args"] = {"timeout": 30}
    else:
        kwargs.update(pool_size=10, max_overflow=20, pool_pre_ping=True)
    engine = create_async_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


async def ping(engine: AsyncEngine) -> None:
    """Raise if the database cannot be reached."""
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))


def upsert(session: AsyncSession, target: type[Base] | Table) -> postgresql.Insert | sqlite.Insert:
    """INSERT ... ON CONFLICT for the session's dialect (SQLite and PostgreSQL share the syntax)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(target)
    return sqlite.insert(target)


async def rowcount(session: AsyncSession, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it matched. `execute` is typed as returning a plain Result;
    for these statements it is the CursorResult that has the count."""
    result = await session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount
