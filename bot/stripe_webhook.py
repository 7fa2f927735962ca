"""Stripe's webhook: `POST /stripe/webhook`, signature checked with STRIPE_WEBHOOK_SECRET (400 otherwise), each
event handled once. Served by the webhook server in webhook mode, and by a small site of its own on
WEBHOOK_HOST:STRIPE_WEBHOOK_PORT in polling mode when Stripe is configured."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from aiohttp import web

from bot.config import Settings
from domain.payment_methods import MethodSettings
from domain.stripe_gateway import BadSignature, StripeGateway, StripeUnavailable

if TYPE_CHECKING:
    from bot.application import App

log = logging.getLogger(__name__)

STRIPE_WEBHOOK_PATH = "/stripe/webhook"
SIGNATURE_HEADER = "Stripe-Signature"


def card_gateway(settings: Settings) -> StripeGateway | None:
    """The Stripe gateway, or None (no card option anywhere) without STRIPE_SECRET_KEY."""
    if settings.stripe_secret_key is None:
        return None
    secret = settings.stripe_webhook_secret.get_secret_value() if settings.stripe_webhook_secret else None
    return StripeGateway(settings.stripe_secret_key.get_secret_value(), secret, settings.stripe_api_base)


def method_settings(settings: Settings) -> MethodSettings:
    return MethodSettings(success_url=settings.stripe_success_url, cancel_url=settings.stripe_cancel_url,
                          autopay_max_failures=settings.autopay_max_failures)


def add_stripe_route(web_app: web.Application, app: App) -> None:
    async def stripe_webhook(request: web.Request) -> web.Response:
        gateway = app.context.card_gateway
        if gateway is None:
            raise web.HTTPNotFound()
        payload = await request.read()
        try:
            event = gateway.event(payload, request.headers.get(SIGNATURE_HEADER, ""))
        except BadSignature:
            log.warning("stripe webhook with a bad signature refused")
            return web.json_response({"error": "bad signature"}, status=400)
        try:
            async with app.domain() as domain:
                saved = await domain.payment_methods.receive_event(event)
        except StripeUnavailable:
            # Not recorded: Stripe delivers the event again later.
            return web.json_response({"error": "stripe unavailable"}, status=503)
        if saved is not None:
            delivery = app.dispatcher.get("delivery")
            if delivery is not None:
                delivery.wake()
        return web.json_response({"received": True})

    web_app.router.add_post(STRIPE_WEBHOOK_PATH, stripe_webhook)


async def start_stripe_site(app: App, host: str, port: int) -> tuple[web.AppRunner, int]:
    """Polling mode: the webhook endpoint on its own little server. Returns the runner and the port bound."""
    web_app = web.Application()
    add_stripe_route(web_app, app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    # aiohttp offers no public call for the port it bound for port 0; its server object has the sockets.
    server = getattr(site, "_server", None)
    bound = server.sockets[0].getsockname()[1] if server is not None else port
    log.info("stripe webhook listening on %s:%s%s", host, bound, STRIPE_WEBHOOK_PATH)
    return runner, bound
