"""Run modes: long polling (+ scheduler), webhook server, and the token-less local sandbox."""

from __future__ import annotations

import hashlib
import logging
import signal
from typing import Any
from urllib.parse import urlsplit

from aiogram.webhook.aiohttp_server import setup_application
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.app import App, build_app, freeze_startup_heap, set_commands
from bot.certificates import ValidationJobs
from bot.config import ConfigError, Settings
from bot.delivery import DeliveryWorker
from bot.demo import Demo
from bot.jobs import ExpiryJobs
from bot.scheduler import Scheduler, standard_jobs
from bot.stripe_webhook import add_stripe_route, start_stripe_site
from bot.ticket_jobs import TicketJobs
from bot.webhook import UpdateReceiver
from domain.db import ping

log = logging.getLogger(__name__)

def lifecycle(app: App) -> Scheduler | None:
    """Startup/shutdown hooks shared by both run modes; shutdown first lets in-flight updates finish."""
    dp = app.dispatcher
    scheduler = None
    if app.settings.scheduler_enabled:
        scheduler = Scheduler(app.engine, takeover=app.settings.scheduler_takeover,
                              lease=app.settings.scheduler_lease)
        standard_jobs(scheduler, app.storage)
    dp["scheduler"] = scheduler
    # Push delivery runs in the scheduler's leader; without a scheduler it is there for tools and tests.
    delivery = dp["delivery"] = DeliveryWorker.from_app(app)
    jobs = dp["expiry_jobs"] = ExpiryJobs.from_app(app, delivery)
    if scheduler is not None:
        delivery.schedule(scheduler)
        scheduler.on_lead(delivery.start, delivery.stop)
        jobs.schedule(scheduler, reminder_interval=app.settings.reminder_interval,
                      renewal_interval=app.settings.renewal_interval)
    validation = dp["validation_jobs"] = ValidationJobs.from_app(app, delivery.wake)
    if scheduler is not None:
        validation.schedule(scheduler, app.settings.dcv_check_interval)
    ticket_jobs = dp["ticket_jobs"] = TicketJobs.from_app(app)
    if scheduler is not None:
        ticket_jobs.schedule(scheduler)

    async def on_startup(**_: Any) -> None:
        await set_commands(app.bot, app.i18n, app.settings.default_locale)
        if scheduler is not None:
            await scheduler.start()  # the leader starts delivery at once (on_lead)

    async def on_shutdown(**_: Any) -> None:
        await delivery.stop()
        if scheduler is not None:
            await scheduler.stop()

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)
    return scheduler


async def run_polling(settings: Settings) -> None:
    demo = None
    token = None
    clock = None
    if settings.sandbox_mode:
        demo = await Demo.start(settings)
        settings, token, clock = demo.settings, demo.sandbox.token, demo.clock
    app = await build_app(settings, token=token, clock=clock)
    scheduler = lifecycle(app)
    freeze_startup_heap()
    if demo is not None:
        demo.follow(app, scheduler)
        # Printed, not logged: this is what a newcomer running `make run` is looking for.
        print(demo.banner(), flush=True)
    stripe_site = None
    if app.context.card_gateway is not None:
        stripe_site, port = await start_stripe_site(app, settings.webhook_host, settings.stripe_webhook_port)
        if demo is not None:
            demo.cards_post_to(port)
    try:
        await app.bot.delete_webhook(drop_pending_updates=False)
        await app.dispatcher.start_polling(
            app.bot, allowed_updates=app.dispatcher.resolve_used_update_types(), handle_signals=True
        )
    finally:
        if stripe_site is not None:
            await stripe_site.cleanup()
        await app.close()
        if demo is not None:
            await demo.stop()


def webhook_secret(settings: Settings) -> str:
    """The configured secret, or one derived from the token so every worker agrees without config."""
    if settings.webhook_secret is not None:
        return settings.webhook_secret.get_secret_value()
    return hashlib.sha256(b"webhook:" + settings.token.encode()).hexdigest()[:64]


def create_webhook_app(app: App) -> web.Application:
    settings = app.settings
    if not settings.webhook_url:
        raise ConfigError("WEBHOOK_URL", "is required in webhook mode")
    path = urlsplit(settings.webhook_url).path or "/webhook"
    secret = webhook_secret(settings)
    web_app = web.Application()

    async def healthz(_: web.Request) -> web.Response:
        try:
            await ping(app.engine)
        except Exception:
            return web.json_response({"status": "database unavailable"}, status=503)
        return web.json_response({"status": "ok", "in_flight": app.inflight.in_flight})

    async def metrics(_: web.Request) -> web.Response:
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    if app.context.card_gateway is not None:
        add_stripe_route(web_app, app)
    UpdateReceiver(app.dispatcher, app.bot, secret_token=secret,
                   max_in_flight=settings.webhook_max_in_flight).register(web_app, path=path)

    async def register_webhook(**_: Any) -> None:
        assert settings.webhook_url is not None  # checked above
        await app.bot.set_webhook(
            settings.webhook_url,
            secret_token=secret,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
        )

    async def close_app(_: web.Application) -> None:
        await app.close()

    app.dispatcher.startup.register(register_webhook)
    setup_application(web_app, app.dispatcher, bot=app.bot)
    web_app.on_cleanup.append(close_app)
    return web_app


async def run_webhook(settings: Settings) -> None:
    if settings.sandbox_mode:
        raise ConfigError("BOT_TOKEN", "is required in webhook mode (use `run` for the local sandbox)")
    app = await build_app(settings)
    lifecycle(app)
    web_app = create_webhook_app(app)
    freeze_startup_heap()
    runner = web.AppRunner(web_app, handle_signals=True)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info("webhook server listening on %s:%s", settings.webhook_host, settings.webhook_port)
    stop = _signal_event()
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


async def run_scheduler(settings: Settings) -> None:
    """Only the background jobs and push delivery, no updates: for scale-out next to webhook workers (which
    then run with SCHEDULER_ENABLED=false, or not: one leader runs the jobs either way)."""
    if settings.sandbox_mode:
        raise ConfigError("BOT_TOKEN", "is required in scheduler mode (use `run` for the local sandbox)")
    app = await build_app(settings.model_copy(update={"scheduler_enabled": True}))
    scheduler = lifecycle(app)
    assert scheduler is not None
    freeze_startup_heap()
    stop = _signal_event()
    dp = app.dispatcher
    # What start_polling passes to startup/shutdown hooks (aiogram-i18n's needs the dispatcher).
    workflow = {"dispatcher": dp, "bots": [app.bot], **dp.workflow_data}
    await dp.emit_startup(bot=app.bot, **workflow)
    log.info("scheduler mode: %s", "leading the jobs" if scheduler.is_leader else "standing by for the leader lock")
    try:
        await stop.wait()
    finally:
        await dp.emit_shutdown(bot=app.bot, **workflow)
        await app.close()


def _signal_event() -> Any:
    import asyncio

    event = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, event.set)
    return event
