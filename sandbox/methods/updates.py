"""getUpdates and the webhook methods."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

from sandbox.errors import WEBHOOK_CONFLICT, ApiError, bad_request
from sandbox.methods.registry import method
from sandbox.params import Params
from sandbox.webhook import SECRET_RE

if TYPE_CHECKING:
    from sandbox.core import Core

_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


def _allowed(p: Params) -> list[str] | None:
    allowed = p.json("allowed_updates")
    if allowed is None:
        return None
    if not isinstance(allowed, list) or not all(isinstance(item, str) for item in allowed):
        raise bad_request("can't parse allowed_updates JSON object")
    return allowed


@method("getUpdates")
async def get_updates(core: Core, p: Params) -> list[dict[str, Any]]:
    if core.webhook.url:
        raise WEBHOOK_CONFLICT
    queue = core.world.updates
    offset = p.int("offset")
    if offset:
        queue.confirm(offset)
    allowed = _allowed(p)
    if allowed is not None:
        queue.set_allowed(allowed)
    limit = max(1, min(100, p.int("limit") or 100))
    timeout = max(0.0, float(p.int("timeout") or 0))
    core.poll_generation += 1
    generation = core.poll_generation
    deadline = time.monotonic() + timeout
    while not queue.pending and not core.closing and p.connected():
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        queue.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(queue.changed.wait(), min(remaining, 0.5))
        if core.poll_generation != generation:
            raise ApiError(409, _CONFLICT)
        if core.webhook.url:
            raise WEBHOOK_CONFLICT
    if not p.connected():
        return []
    updates = queue.pending[:limit]
    core.activity.mark_taken(update["update_id"] for update in updates)
    return updates


@method("setWebhook")
def set_webhook(core: Core, p: Params) -> bool:
    url = (p.str("url") or "").strip()
    if p.bool("drop_pending_updates"):
        core.world.updates.clear()
    if not url:
        core.webhook.delete()
        return True
    if not url.lower().startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    secret = p.str("secret_token")
    if secret is not None and not SECRET_RE.match(secret):
        raise bad_request("bad webhook: secret token contains unallowed characters")
    # Telegram's Bot API server clamps the number to 1..100 (telegram-bot-api, Client::get_webhook_max_connections)
    max_connections = p.int("max_connections")
    max_connections = 40 if max_connections is None else min(max(max_connections, 1), 100)
    allowed = _allowed(p)
    if allowed is not None:
        core.world.updates.set_allowed(allowed)
    core.webhook.set(url, secret, max_connections, p.str("ip_address"), allowed)
    return True


@method("deleteWebhook")
def delete_webhook(core: Core, p: Params) -> bool:
    if p.bool("drop_pending_updates"):
        core.world.updates.clear()
    core.webhook.delete()
    return True


@method("getWebhookInfo")
def get_webhook_info(core: Core, p: Params) -> dict[str, Any]:
    return core.webhook.info()
