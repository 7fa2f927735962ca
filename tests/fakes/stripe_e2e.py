"""End-to-end plumbing for Stripe: the app configured against the fake, and the app's webhook endpoint served the
way polling mode serves it (its own little site), with the fake posting events to it."""

from __future__ import annotations

from typing import Any

from bot.stripe_webhook import STRIPE_WEBHOOK_PATH, start_stripe_site
from tests.e2e.flows import deliver
from tests.fakes.stripe_api import FakeStripe


def stripe_settings(fake: FakeStripe, **extra: Any) -> dict[str, Any]:
    return {"stripe_secret_key": fake.secret_key, "stripe_webhook_secret": fake.webhook_secret,
            "stripe_api_base": fake.url, "scheduler_enabled": False, "delivery_backoff": 1, **extra}


async def serve_webhook(running: Any, fake: FakeStripe) -> Any:
    """Start the app's /stripe/webhook on a free port and point the fake at it; returns the site's runner."""
    runner, port = await start_stripe_site(running.app, "127.0.0.1", 0)
    fake.webhook_url = f"http://127.0.0.1:{port}{STRIPE_WEBHOOK_PATH}"
    return runner


async def add_card(customer: Any, fake: FakeStripe, running: Any, clock: Any, card: str = "4242424242424242",
                   *, event: str = "checkout.session.completed") -> None:
    """Client -> Payment methods -> Add -> Bank card, the hosted page completed, the webhook delivered."""
    await customer.send("/menu")
    await customer.press("👤 Client")
    await customer.press("💳 Payment methods")
    await customer.press("➕ Add")
    await customer.press("💳 Bank card (Stripe)")
    session = fake.last_session()
    assert customer.screen.buttons[0][0].url == session["url"]
    assert await fake.complete_setup(session["id"], card, event=event) == 200
    await deliver(running, clock)
