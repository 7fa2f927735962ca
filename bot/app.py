"""Composition root: settings in, a wired Bot + Dispatcher + database out."""

from __future__ import annotations

import gc
import logging
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage
from aiogram.fsm.storage.memory import SimpleEventIsolation
from aiogram.fsm.storage.redis import RedisStorage
from aiogram.types import BotCommand, BotCommandScopeAllPrivateChats
from aiogram_i18n import I18nMiddleware
from babel.numbers import get_currency_precision
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

import handlers
from bot import migrate
from bot.application import App
from bot.certificates import ssl_settings
from bot.config import ConfigError, Settings, available_locales, resolve_secret_key
from bot.i18n import create_core, create_i18n
from bot.locks import ChatLocks
from bot.middlewares import (
    AnswerPresses,
    CommandsLeaveDialogs,
    ErrorBoundary,
    GuardMiddleware,
    InFlightMiddleware,
    NormaliseInput,
    ThrottlingMiddleware,
    UnitOfWorkMiddleware,
    UserMiddleware,
)
from bot.middlewares.throttling import RedisBuckets
from bot.screens import ScreensMiddleware, StorageScreenBook
from bot.storage import SqlStorage
from bot.stripe_webhook import card_gateway, method_settings
from bot.telegram import (
    CallbackAnswers,
    FitTexts,
    FloodWaitRetry,
    JsonBodySession,
    KeepResponseTypes,
    MessagesBelowScreens,
)
from domain.accounts import AccountCache
from domain.catalogue import Catalogue, CatalogueError
from domain.clock import Clock, SystemClock
from domain.crypto import Cipher
from domain.db import create_engine, create_session_factory, is_sqlite, ping
from domain.invoices import VendorDetails
from domain.payments import PaymentSettings
from domain.promos import sync_file_promos
from domain.renewals import RenewalSettings
from domain.tickets import TicketSettings
from domain.unit import DomainContext

log = logging.getLogger(__name__)
__all__ = ["App", "build_app", "create_bot", "create_dispatcher", "set_commands"]
COMMANDS = ("start", "menu", "settings", "help", "cancel")
# Commands that leave a dialog before they run (/cancel leaves it itself, saying so).
LEAVING_COMMANDS = tuple(c for c in (*COMMANDS, "support") if c != "cancel")


def freeze_startup_heap() -> None:
    """What startup built (modules, routers, pydantic schemas, the catalogue, keyboards kept per language) lives
    as long as the process. Collect once, then move it out of the collector's way (gc.freeze): later collections
    scan only what updates allocate. For the long-running entry points, not for code that builds many apps."""
    gc.collect()
    gc.freeze()


def create_bot(settings: Settings, token: str | None = None, answers: CallbackAnswers | None = None,
               screens: StorageScreenBook | None = None) -> Bot:
    session = JsonBodySession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    session.middleware(KeepResponseTypes())
    session.middleware(FitTexts())
    session.middleware(FloodWaitRetry())
    session.middleware(answers or CallbackAnswers())
    if screens is not None:
        session.middleware(MessagesBelowScreens(screens))
    return Bot(
        token=token or settings.token,
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_fsm(settings: Settings, sessions: async_sessionmaker[AsyncSession],
               clock: Clock) -> tuple[BaseStorage, BaseEventIsolation, list[Any]]:
    """SQL storage on the app's database by default; Redis storage and Redis locks when REDIS_URL is set.

    The Redis pool is bounded and a caller waits for a free connection (REDIS_POOL_TIMEOUT) instead of failing
    when a burst uses every one of them."""
    if settings.redis_url:
        from aiogram.fsm.storage.base import DefaultKeyBuilder
        from aiogram.fsm.storage.redis import RedisStorage
        from redis.asyncio import BlockingConnectionPool, Redis

        pool = BlockingConnectionPool.from_url(settings.redis_url, max_connections=settings.redis_pool_size,
                                               timeout=settings.redis_pool_timeout)
        keys = DefaultKeyBuilder(with_destiny=True)
        storage = RedisStorage(Redis(connection_pool=pool), key_builder=keys)
        return storage, ChatLocks(storage.redis, keys), []
    isolation = SimpleEventIsolation()
    single_process = is_sqlite(settings.database_url)
    return SqlStorage(sessions, clock=clock, cache=single_process), isolation, [isolation.close]


def create_dispatcher(
    settings: Settings,
    sessions: async_sessionmaker[AsyncSession],
    context: DomainContext,
    storage: BaseStorage,
    isolation: BaseEventIsolation,
    extra_routers: Sequence[Router] = (),
    answers: CallbackAnswers | None = None,
    screens: StorageScreenBook | None = None,
) -> tuple[Dispatcher, I18nMiddleware, InFlightMiddleware]:
    dp = Dispatcher(
        storage=storage, events_isolation=isolation, settings=settings, clock=context.clock,
        # Plain values for handlers, which cannot import the bot layer's Settings.
        staff_chat_id=settings.staff_chat_id,
        payment_provider_token=(settings.payment_provider_token.get_secret_value()
                                if settings.payment_provider_token else ""),
    )
    core = create_core(settings.default_locale)
    i18n = create_i18n(settings.default_locale, core)
    inflight = InFlightMiddleware()

    # aiogram's own ErrorsMiddleware is the outermost layer; the boundary hangs there as the error handler.
    dp.errors.register(ErrorBoundary(core, settings.default_locale).handle)
    # The cheap gates go before aiogram's FSM middleware, which takes the per-chat lock: a throttled tap must
    # not queue for the lock, and shutdown must see updates that are still waiting for it.
    dp.update.outer_middleware.unregister(dp.fsm)
    dp.update.outer_middleware(inflight)
    dp.update.outer_middleware(NormaliseInput())
    buckets = (RedisBuckets(storage.redis, settings.throttle_rate, settings.throttle_burst)
               if isinstance(storage, RedisStorage) else None)
    dp.update.outer_middleware(
        ThrottlingMiddleware(core, settings.default_locale, settings.throttle_rate, settings.throttle_burst,
                             buckets=buckets)
    )
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(UnitOfWorkMiddleware(sessions, context))
    dp.update.outer_middleware(UserMiddleware())
    if screens is not None:
        dp.update.outer_middleware(ScreensMiddleware(screens))

    async def let_updates_finish() -> None:
        await inflight.drain()

    # First of all shutdown hooks: aiogram registered the FSM storage's close (Redis) at construction, and
    # i18n unloads translations; the updates still in flight need both.
    dp.shutdown.register(let_updates_finish)
    dp.shutdown.handlers.insert(0, dp.shutdown.handlers.pop())
    i18n.setup(dp)
    # Inner middlewares: they see the handler's flags (2FA gate for `flags=GUARDED` handlers).
    dp.message.middleware(GuardMiddleware())
    dp.callback_query.middleware(GuardMiddleware())
    dp.message.outer_middleware(CommandsLeaveDialogs(LEAVING_COMMANDS))
    if answers is not None:
        dp.callback_query.outer_middleware(AnswerPresses(answers))
    # The settings section sets a customer's own command list when they switch language.
    dp["bot_commands"] = COMMANDS

    dp.include_routers(*handlers.get_routers(extra_routers))
    run_filters_inline(dp)
    return dp, i18n, inflight


def run_filters_inline(root: Router) -> None:
    """aiogram runs every plain (non-async) filter, `F.chat.type == "private"` included, in a worker thread:
    a thread hop per filter per update, several per update as an event passes the section routers. Ours are
    attribute checks that never block, so they are evaluated on the event loop instead."""
    for router in root.chain_tail:
        for observer in router.observers.values():
            # Branch filters (`router.message.filter(...)`) are async Filter classes (handlers.PrivateChat).
            for handler in observer.handlers:
                for filter_object in handler.filters or []:
                    if not filter_object.awaitable:
                        filter_object.callback = _on_loop(filter_object.callback)
                        filter_object.awaitable = True


def _on_loop(check: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    if getattr(check, "__wrapped_sync_filter__", False):
        return check

    async def evaluate(*args: Any, **kwargs: Any) -> Any:
        return check(*args, **kwargs)

    evaluate.__wrapped_sync_filter__ = True  # type: ignore[attr-defined]  # a marker on the function object
    return evaluate


async def set_commands(bot: Bot, i18n: I18nMiddleware, default_locale: str) -> None:
    """Command list per language; a failure is logged and the bot keeps running."""
    core = i18n.core
    try:
        for locale in (None, *available_locales()):
            commands = [
                BotCommand(command=name, description=core.get(f"command-{name}", locale or default_locale))
                for name in COMMANDS
            ]
            await bot.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats(), language_code=locale)
    except Exception as exc:
        log.warning("could not set the bot commands: %s", exc)


async def open_database(settings: Settings) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Connect and migrate to head; an unreachable database is a configuration error."""
    engine = create_engine(settings.database_url)
    try:
        await ping(engine)
    except Exception as exc:
        await engine.dispose()
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError("DATABASE_URL", f"cannot connect: {reason}") from None
    await migrate.upgrade(engine)
    sessions = create_session_factory(engine)
    await load_catalogue(settings, sessions, engine)
    return engine, sessions


async def load_catalogue(settings: Settings, sessions: async_sessionmaker[AsyncSession], engine: AsyncEngine) -> None:
    """The catalogue file into the database; a broken file stops startup naming the problem."""
    try:
        async with sessions.begin() as session:
            text = settings.catalogue_file.read_text(encoding="utf-8")
            counts = await Catalogue(session).sync(text, available_locales())
            counts["promos"] = await sync_file_promos(session, SystemClock(), text,
                                                      get_currency_precision(settings.currency))
    except (CatalogueError, OSError) as exc:
        await engine.dispose()
        raise ConfigError("CATALOGUE_FILE", f"{settings.catalogue_file}: {exc}") from None
    log.info("catalogue: %(products)d products, %(tariffs)d tariffs, %(withdrawn)d withdrawn", counts)
    log.info("catalogue: %(promos)d promo codes", counts)


def payment_settings(settings: Settings) -> PaymentSettings:
    return PaymentSettings(
        method=settings.payments_provider,
        stars_per_unit=settings.stars_per_unit,
        topup_min=settings.minor(settings.topup_min),
        topup_max=settings.minor(settings.topup_max),
        presets=tuple(settings.minor(Decimal(p)) for p in settings.topup_presets.split(",") if p.strip()),
        precision=get_currency_precision(settings.currency),
    )


async def _ping_redis(storage: BaseStorage, engine: AsyncEngine) -> None:
    """An unreachable Redis is a configuration error, like an unreachable database."""
    try:
        if isinstance(storage, RedisStorage):
            await storage.redis.ping()
    except Exception as exc:
        await storage.close()
        await engine.dispose()
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ConfigError("REDIS_URL", f"cannot connect: {reason}") from None


async def build_app(settings: Settings, *, token: str | None = None, clock: Clock | None = None,
                    extra_routers: Sequence[Router] = ()) -> App:
    clock = clock or SystemClock()
    engine, sessions = await open_database(settings)
    storage, isolation, closers = create_fsm(settings, sessions, clock)
    if settings.redis_url:
        await _ping_redis(storage, engine)
    key, _ = resolve_secret_key(settings)
    context = DomainContext(
        clock=clock,
        cipher=Cipher(key),
        # SQLite means one process: recently seen accounts can be served from memory.
        account_cache=AccountCache() if is_sqlite(settings.database_url) else None,
        currency=settings.currency,
        payments=payment_settings(settings),
        renewals=RenewalSettings(
            reminder_days=settings.reminder_thresholds, renew_days_before=settings.renew_days_before,
            suspend_after_days=settings.suspend_after_days, delete_after_days=settings.delete_after_days),
        refund_on_delete=settings.refund_on_delete,
        card_gateway=card_gateway(settings),
        methods=method_settings(settings),
        ssl=ssl_settings(settings, Cipher(key), clock),
        tickets=TicketSettings(
            departments=settings.ticket_department_list, max_attachments=settings.ticket_max_attachments,
            reopen_days=settings.ticket_reopen_days, archive_days=settings.ticket_archive_days,
            show_staff_names=settings.support_show_staff_names),
        vendor=VendorDetails(
            name=settings.vendor_name, address=settings.vendor_address.replace("\\n", "\n"),
            tax_id=settings.vendor_tax_id, bank_details=settings.vendor_bank_details.replace("\\n", "\n"),
            vat_rate_bp=settings.vat_rate_bp, due_days=settings.invoice_due_days),
        discount_floor_bp=settings.discount_floor_bp,
    )
    answers = CallbackAnswers()
    # One process (SQLite) keeps the current screens in memory; several share them in the FSM storage.
    screens = StorageScreenBook(storage, memory_only=is_sqlite(settings.database_url))
    dp, i18n, inflight = create_dispatcher(settings, sessions, context, storage, isolation, extra_routers, answers,
                                           screens)
    bot = create_bot(settings, token, answers, screens)
    app = App(settings, engine, sessions, bot, dp, i18n, inflight, storage, context, closers)
    dp["app"] = app
    async with app.domain() as domain:
        if sealed := await domain.autopay.seal_plain_intents():
            log.info("encrypted %d stored card payment id(s)", sealed)
    if context.card_gateway is not None:
        app.closers.append(context.card_gateway.close)
    return app
