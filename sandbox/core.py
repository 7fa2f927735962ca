"""The Bot API engine: state, method dispatch, request log, flood control and faults."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sandbox.activity import Activity
from sandbox.clock import Clock
from sandbox.config import SandboxConfig
from sandbox.errors import NOT_FOUND, ApiError, forbidden
from sandbox.faults import Faults
from sandbox.flood import FloodControl
from sandbox.ids import bot_id_from_token
from sandbox.models import Chat, User
from sandbox.params import Params
from sandbox.webhook import Webhook
from sandbox.world import World


class DropConnection(Exception):
    """A fault rule asked to close the connection without answering."""


@dataclass
class RequestRecord:
    method: str
    params: dict[str, Any]
    started: float
    via: str = "http"
    ok: bool | None = None
    error_code: int | None = None
    description: str | None = None
    duration: float | None = None
    time: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "params": self.params, "via": self.via, "ok": self.ok,
                "error_code": self.error_code, "description": self.description, "duration": self.duration,
                "time": self.time}


@dataclass(frozen=True)
class BotError:
    """An error answer (4xx/5xx) the sandbox gave the bot; `injected` when a fault rule made it up."""

    method: str
    error_code: int
    description: str
    params: dict[str, Any]
    via: str = "http"
    injected: bool = False
    time: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method, "error_code": self.error_code, "description": self.description,
                "params": self.params, "via": self.via, "injected": self.injected, "time": self.time}


class Core:
    def __init__(self, token: str, bot_username: str, bot_first_name: str, config: SandboxConfig) -> None:
        self.token = token
        self.config = config
        bot = User(id=bot_id_from_token(token), first_name=bot_first_name, username=bot_username, is_bot=True)
        self.clock = Clock()
        self.world = World(bot, self.clock)
        self.activity = Activity()
        self.flood = FloodControl(config.flood_limits)
        self.faults = Faults()
        self.requests: list[RequestRecord] = []
        self.bot_errors: list[BotError] = []
        self.webhook = Webhook(self)
        self.poll_generation = 0
        self.closing = False

    @property
    def bot(self) -> User:
        return self.world.bot

    @property
    def method_counts(self) -> Counter[str]:
        return Counter(record.method for record in self.requests)

    async def call(self, method: str, params: Params, via: str = "http") -> Any:
        """Run one Bot API method; raises ApiError like Telegram would answer it."""
        from sandbox.methods import REGISTRY

        entry = REGISTRY.get(method.lower())
        record = RequestRecord(method=entry.name if entry else method, params=params.loggable(),
                               started=time.monotonic(), via=via)
        self.requests.append(record)
        injected = False
        try:
            if via == "http":
                injected = True
                await self._apply_faults(record.method)
                injected = False
            if entry is None:
                raise NOT_FOUND
            result = entry.handler(self, params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as error:
            record.ok, record.error_code, record.description = False, error.code, error.description
            self.record_error(record.method, error, record.params, via, injected)
            raise
        except DropConnection:
            record.ok, record.description = False, "connection dropped"
            raise
        finally:
            record.duration = time.monotonic() - record.started
        record.ok = True
        return result

    def record_error(self, method: str, error: ApiError, params: dict[str, Any], via: str = "http",
                     injected: bool = False) -> None:
        self.bot_errors.append(BotError(method, error.code, error.description, params, via, injected,
                                        self.clock.time()))

    async def _apply_faults(self, method: str) -> None:
        for rule in self.faults.take(method):
            if rule.latency:
                await asyncio.sleep(rule.latency)
            if rule.drop:
                raise DropConnection(method)
            error = rule.error()
            if error is not None:
                raise error

    def clock_moved(self) -> list[int]:
        """Let what fell due happen after a move of the clock; returns the update ids it caused."""
        from sandbox import stars

        self.world.emit({"type": "clock", "chat_id": None, "offset": self.clock.offset, "now": self.clock.time()})
        return stars.renew_due(self)

    # helpers for methods -------------------------------------------------------------------------------
    def check_can_send(self, chat: Chat) -> None:
        if chat.is_private and chat.user_id is not None:
            user = self.world.users[chat.user_id]
            if user.blocked:
                raise forbidden("bot was blocked by the user")
            if not user.started:
                raise forbidden("bot can't initiate conversation with a user")

    def check_flood(self, chat: Chat, count: int = 1) -> None:
        self.flood.check(chat.id, chat.is_private, count)

    def bot_right(self, chat: Chat, right: str) -> bool:
        return bool(chat.bot_rights and chat.bot_rights.get(right))

    def reset(self) -> None:
        self.world.reset()
        self.flood.reset()
        self.faults.clear()
        self.requests.clear()
        self.bot_errors.clear()
        self.activity.reset()
        self.world.emit({"type": "reset", "chat_id": None})
