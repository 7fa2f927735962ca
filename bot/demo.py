"""The token-less demo (`make run` with no BOT_TOKEN): everything the bot does, on one machine, with nothing to
sign up for.

- the local Telegram sandbox in this process, with a demo customer and a staff forum group (Sam is staff);
- a local test-mode card provider (sandbox/cards.py) standing in for Stripe, so cards and automatic payments
  can be tried: 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined;
- the app's clock follows the sandbox's, which the playground moves forward a day, a week or a month; after
  each move the scheduled jobs run at once, so expiry reminders, automatic renewal, suspension, archiving and
  their pushes show up in the chat;
- example bank details for invoices paid by transfer.
"""

from __future__ import annotations

import logging
import secrets
from datetime import UTC, datetime
from typing import Any

from bot.config import Settings
from bot.stripe_webhook import STRIPE_WEBHOOK_PATH

log = logging.getLogger(__name__)

CUSTOMER: dict[str, Any] = {"id": 1001, "first_name": "Demo", "last_name": "Customer", "username": "demo_customer",
            "language_code": "en"}
STAFF: dict[str, Any] = {"id": 2001, "first_name": "Sam", "username": "support_sam", "language_code": "en"}
STAFF_CHAT = -1001000000001
BANK_DETAILS = "IBAN DE89 3704 0044 0532 0130 00\\nBIC COBADEFFXXX\\nDemo Bank AG, Berlin"


class SandboxClock:
    """Now, as the sandbox has it: real time plus however far the playground moved its clock."""

    def __init__(self, sandbox: Any) -> None:
        self._sandbox = sandbox

    def now(self) -> datetime:
        return datetime.fromtimestamp(self._sandbox.now(), UTC)


class Demo:
    def __init__(self, sandbox: Any, cards: Any | None, settings: Settings) -> None:
        self.sandbox = sandbox
        self.cards = cards
        self.settings = settings
        self.clock = SandboxClock(sandbox)

    @classmethod
    async def start(cls, settings: Settings) -> Demo:
        from sandbox import Sandbox
        from sandbox.cards import LocalCardProvider

        sandbox = Sandbox(host=settings.sandbox_host, port=settings.sandbox_port, bot_username="client_area_bot",
                          bot_first_name="Client Area")
        await sandbox.start()
        await sandbox.user(**CUSTOMER)
        staff = await sandbox.user(**STAFF)
        staff_chat = settings.staff_chat_id or STAFF_CHAT
        await sandbox.group(id=staff_chat, title="Support staff", forum=True, members=[staff], admins=[staff],
                            bot_rights={"can_manage_topics": True, "can_delete_messages": True,
                                        "can_pin_messages": True})
        changes: dict[str, Any] = {"telegram_api_base": sandbox.url, "staff_chat_id": staff_chat}
        if not settings.vendor_bank_details:
            changes["vendor_bank_details"] = BANK_DETAILS
        cards = None
        if settings.stripe_secret_key is None:  # a real Stripe account configured wins over the stand-in
            cards = LocalCardProvider(secret_key=f"sk_test_{secrets.token_hex(8)}",
                                      webhook_secret=f"whsec_{secrets.token_hex(8)}")
            await cards.start(settings.sandbox_host)
            changes.update(stripe_secret_key=cards.secret_key, stripe_webhook_secret=cards.webhook_secret,
                           stripe_api_base=cards.url, stripe_success_url=f"{sandbox.url}/",
                           stripe_cancel_url=f"{sandbox.url}/")
        return cls(sandbox, cards, settings.model_copy(update=_secrets(changes)))

    def cards_post_to(self, port: int) -> None:
        """The stand-in posts its webhook events to the bot's endpoint (polling mode's small server)."""
        if self.cards is not None:
            self.cards.webhook_url = f"http://127.0.0.1:{port}{STRIPE_WEBHOOK_PATH}"

    def follow(self, app: Any, scheduler: Any) -> None:
        """After each move of the sandbox clock, run the scheduled jobs at once."""

        async def moved(move: Any) -> None:
            if scheduler is not None:
                log.info("demo clock moved %.0f s: running the scheduled jobs", move.delta)
                await scheduler.run_now()

        self.sandbox.on_clock_moved(moved)

    def banner(self) -> str:
        lines = ["", "No BOT_TOKEN set: running against the local Telegram sandbox.",
                 f"  Playground: {self.sandbox.url}/",
                 f"  Bot API:    {self.sandbox.url}/bot<token>/<method>",
                 "  Demo Customer chats with the bot; Sam is staff: staff commands go in the General topic of",
                 "  the \"Support staff\" group (/help lists them). Promo code: WELCOME10."]
        if self.cards is not None:
            lines.append("  Cards (test mode): 4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined.")
        lines.append("  The playground's clock buttons move time forward; the scheduled jobs run after each move.")
        return "\n".join(lines) + "\n"

    async def stop(self) -> None:
        if self.cards is not None:
            await self.cards.stop()
        await self.sandbox.stop()


def _secrets(changes: dict[str, Any]) -> dict[str, Any]:
    from pydantic import SecretStr

    return {k: SecretStr(v) if k in {"stripe_secret_key", "stripe_webhook_secret"} else v for k, v in changes.items()}
