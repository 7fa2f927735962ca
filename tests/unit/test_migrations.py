"""Stairway: every revision upgrades, downgrades and upgrades again; head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from bot.migrate import all_revisions, current_revision, downgrade, head_revision, upgrade
from domain.db import create_engine
from domain.models import Base


async def test_stairway(db_url: str) -> None:
    engine = create_engine(db_url)
    try:
        revisions = all_revisions()
        assert revisions and revisions[-1] == head_revision()
        previous = "base"
        for revision in revisions:
            await upgrade(engine, revision)
            assert await current_revision(engine) == revision
            await downgrade(engine, previous)
            assert await current_revision(engine) == (None if previous == "base" else previous)
            await upgrade(engine, revision)
            previous = revision
    finally:
        await engine.dispose()


async def test_models_match_migrations(engine) -> None:
    def diff(connection):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
