"""End-to-end harness: the local Telegram sandbox plus the real app (real Bot, Dispatcher and database)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from aiogram import Router
from aiogram.types import Update

from bot.app import App, build_app
from bot.config import Settings, load_settings
from bot.runner import lifecycle
from domain.clock import Clock, FrozenClock
from sandbox import Sandbox
from tests.e2e.flows import GROUP, RIGHTS
from tests.fakes.stripe_api import FakeStripe
from tests.fakes.stripe_e2e import serve_webhook


class RunningBot:
    """The app polling the sandbox; can be stopped and started again on the same database."""

    def __init__(self, settings: Settings, extra_routers: Sequence[Router] = (), clock: Clock | None = None,
                 sandbox: Sandbox | None = None) -> None:
        self.settings = settings
        self.extra_routers = extra_routers
        self.clock = clock
        self.sandbox = sandbox
        self.app: App | None = None
        self._task: asyncio.Task[Any] | None = None

    async def start(self) -> App:
        self.app = await build_app(self.settings, extra_routers=self.extra_routers, clock=self.clock)
        lifecycle(self.app)
        dp = self.app.dispatcher
        if self.sandbox is not None:
            dp.update.outer_middleware(_ReportHandling(self.sandbox))
        self._task = asyncio.create_task(
            dp.start_polling(self.app.bot, handle_signals=False, allowed_updates=dp.resolve_used_update_types(),
                             polling_timeout=1)
        )
        return self.app

    async def stop(self) -> None:
        if self.app is None or self._task is None:
            return
        with contextlib.suppress(RuntimeError):  # polling had already ended
            await self.app.dispatcher.stop_polling()
        await asyncio.wait_for(self._task, 15)
        await self.app.close()
        self.app, self._task = None, None

    async def restart(self) -> App:
        await self.stop()
        # Fresh routers: aiogram refuses to attach a router to a second dispatcher.
        self.extra_routers = [_clone(r) for r in self.extra_routers]
        return await self.start()

    @property
    def sessions(self):
        assert self.app is not None
        return self.app.sessions


class _ReportHandling:
    """Tells the sandbox when each update's handling begins and ends, so the driver's waits end when the app is
    done rather than after a pause in its API calls."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox

    async def __call__(self, handler: Callable[[Update, dict[str, Any]], Awaitable[Any]], event: Update,
                       data: dict[str, Any]) -> Any:
        self.sandbox.handling_started()
        try:
            return await handler(event, data)
        finally:
            self.sandbox.handling_finished(event.update_id)


def _clone(router: Router) -> Router:
    factory = getattr(router, "factory", None)
    if factory is None:
        raise RuntimeError("routers given to RunningBot must carry a `factory` to be rebuilt on restart")
    new = factory()
    new.factory = factory  # type: ignore[attr-defined]
    return new


def routers(*factories: Any) -> list[Router]:
    """Test routers built by factories, so a restarted app can get fresh copies."""
    built = []
    for factory in factories:
        router = factory()
        router.factory = factory  # type: ignore[attr-defined]
        built.append(router)
    return built


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    async with Sandbox(host="127.0.0.1", port=0, bot_username="client_area_bot",
                       bot_first_name="Client Area") as sb:
        yield sb


def make_settings(sandbox: Sandbox, db_url: str, redis_url: str | None, data_dir: Path, **extra: Any) -> Settings:
    # A test taps faster than any person; throttling has its own test with the real defaults.
    values: dict[str, Any] = {"throttle_rate": 100, "throttle_burst": 100, **extra}
    return load_settings(
        _env_file=None,
        bot_token=sandbox.token,
        telegram_api_base=sandbox.url,
        database_url=db_url,
        redis_url=redis_url,
        data_dir=data_dir,
        secret_key_file=data_dir / "secret.key",
        **values,
    )


@pytest.fixture
def settings(sandbox: Sandbox, db_url: str, redis_url: str | None, tmp_path: Path) -> Settings:
    return make_settings(sandbox, db_url, redis_url, tmp_path)


@pytest.fixture
def extra_routers() -> list[Router]:
    """Override in a test module to plug test-only routers into the real dispatcher."""
    return []


@pytest.fixture
def clock() -> FrozenClock:
    """The app's clock in end-to-end tests: it stands still until a test moves it."""
    return FrozenClock(datetime(2026, 11, 26, 9, 0, tzinfo=UTC))


@pytest.fixture
async def running(sandbox: Sandbox, settings: Settings, extra_routers: list[Router],
                  clock: FrozenClock) -> AsyncIterator[RunningBot]:
    bot = RunningBot(settings, extra_routers, clock, sandbox)
    await bot.start()
    yield bot
    await bot.stop()


@pytest.fixture
async def ann(sandbox: Sandbox, running: RunningBot):
    return await sandbox.user(id=1001, first_name="Ann", last_name="Lee", username="ann", language_code="en")


@pytest.fixture
async def ivan(sandbox: Sandbox, running: RunningBot):
    return await sandbox.user(id=1002, first_name="Иван", username="ivan", language_code="ru")


@pytest.fixture
async def sam(sandbox: Sandbox):
    """A member of staff; with `group`, the administrator of the staff group."""
    return await sandbox.user(id=2001, first_name="Sam", username="support_sam", language_code="en")


@pytest.fixture
async def group(sandbox: Sandbox, sam):
    """The staff group, a forum with a topic per ticket; for modules whose settings set STAFF_CHAT_ID=GROUP."""
    return await sandbox.group(id=GROUP, title="Support staff", forum=True, members=[sam], admins=[sam],
                               bot_rights=RIGHTS)


@pytest.fixture
async def fake() -> AsyncIterator[FakeStripe]:
    """The local fake of Stripe's API; a module's `settings` point the app at it with `stripe_settings(fake)`."""
    stripe = await FakeStripe().start()
    yield stripe
    await stripe.stop()


@pytest.fixture
async def webhook(running: RunningBot, fake: FakeStripe) -> AsyncIterator[FakeStripe]:
    """The fake of Stripe, posting its events to the running app's webhook endpoint."""
    runner = await serve_webhook(running, fake)
    yield fake
    await runner.cleanup()
