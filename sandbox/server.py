"""`Sandbox`: the emulator's HTTP server plus the Python driver entry points."""

from __future__ import annotations

import inspect
import logging
import time
from collections import Counter
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from aiohttp import web

from sandbox.api import setup_bot_api
from sandbox.appkeys import CORE_KEY, SANDBOX_KEY
from sandbox.clock import Clock, ClockListener, ClockMove
from sandbox.config import SandboxConfig
from sandbox.control import setup_control_api
from sandbox.core import BotError, Core, RequestRecord
from sandbox.driver import GroupDriver, UserDriver, member_ids
from sandbox.errors import SandboxError
from sandbox.faults import Faults
from sandbox.flood import FloodLimits
from sandbox.ids import TOKEN_RE, generate_token
from sandbox.models import Chat, User
from sandbox.views import MessageView
from sandbox.world import World

try:
    from sandbox.playground import setup_playground
except ImportError:
    setup_playground = None

log = logging.getLogger(__name__)

class Sandbox:
    """A local Telegram Bot API for one bot. Use `async with Sandbox(...) as sb:` or start()/stop()."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, token: str | None = None, *,
                 bot_username: str = "sandbox_bot", bot_first_name: str = "Sandbox Bot",
                 flood_limits: FloodLimits | None = None, settle: float | None = None,
                 wait_timeout: float | None = None, pre_checkout_timeout: float | None = None,
                 privacy_mode: bool | None = None, config: SandboxConfig | None = None) -> None:
        token = token or generate_token()
        if not TOKEN_RE.match(token):
            raise ValueError(f"malformed bot token {token!r}: expected '<digits>:<35 characters>'")
        config = config or SandboxConfig()
        overrides = {"flood_limits": flood_limits, "settle": settle, "wait_timeout": wait_timeout,
                     "pre_checkout_timeout": pre_checkout_timeout, "privacy_mode": privacy_mode}
        for name, value in overrides.items():
            if value is not None:
                setattr(config, name, value)
        self.host = host
        self.port = port
        self.core = Core(token, bot_username, bot_first_name, config)
        self._runner: web.AppRunner | None = None

    # lifecycle -------------------------------------------------------------------------------------------
    def make_app(self) -> web.Application:
        app = web.Application(client_max_size=self.core.config.max_upload_size)
        app[CORE_KEY] = self.core
        app[SANDBOX_KEY] = self
        setup_bot_api(app)
        setup_control_api(app)
        if setup_playground is not None:
            setup_playground(app, self)
        return app

    async def start(self) -> Sandbox:
        if self._runner is not None:
            return self
        self.core.closing = False
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        server = site._server
        if self.port == 0 and server is not None and server.sockets:
            self.port = server.sockets[0].getsockname()[1]
        self._runner = runner
        return self

    async def stop(self) -> None:
        self.core.closing = True
        self.core.world.updates.changed.set()
        await self.core.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Sandbox:
        return await self.start()

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    # identity and state ----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        return self.core.token

    @property
    def bot(self) -> User:
        return self.core.bot

    @property
    def world(self) -> World:
        return self.core.world

    @property
    def config(self) -> SandboxConfig:
        return self.core.config

    @property
    def faults(self) -> Faults:
        return self.core.faults

    @property
    def requests(self) -> list[RequestRecord]:
        return self.core.requests

    @property
    def method_counts(self) -> Counter[str]:
        return self.core.method_counts

    def calls(self, method: str) -> list[RequestRecord]:
        return [record for record in self.core.requests if record.method.lower() == method.lower()]

    @property
    def bot_errors(self) -> list[BotError]:
        """Every 4xx/5xx answer given to the bot since the start (or the last clear/reset), oldest first."""
        return self.core.bot_errors

    def clear_bot_errors(self) -> None:
        self.core.bot_errors.clear()

    def assert_no_bot_errors(self, *, include_injected: bool = False) -> None:
        """Raise AssertionError listing the error answers the bot got (those made by fault rules excepted)."""
        errors = [e for e in self.core.bot_errors if include_injected or not e.injected]
        if errors:
            lines = "\n".join(f"  {e.method}: {e.error_code} {e.description}" for e in errors)
            raise AssertionError(f"the sandbox answered the bot with {len(errors)} error(s):\n{lines}")

    # clock -----------------------------------------------------------------------------------------------
    @property
    def clock(self) -> Clock:
        return self.core.clock

    def now(self) -> float:
        """The sandbox's current Unix time: real time plus however far the clock was moved."""
        return self.core.clock.time()

    def on_clock_moved(self, callback: ClockListener) -> ClockListener:
        """Call `callback(ClockMove)` after every move of the sandbox clock (it may be a coroutine function,
        awaited by move_clock). An app in the same process hooks its own clock here. Returns the callback."""
        self.core.clock.listeners.append(callback)
        return callback

    def remove_clock_listener(self, callback: ClockListener) -> None:
        if callback in self.core.clock.listeners:
            self.core.clock.listeners.remove(callback)

    async def move_clock(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0,
                         weeks: float = 0, wait: bool = True, timeout: float | None = None) -> ClockMove:  # noqa: ASYNC109
        """Move the sandbox clock forward: listeners hear of it first, then whatever fell due meanwhile happens
        (subscription renewals); with `wait` the bot has handled the updates that caused when this returns."""
        delta = seconds + 60 * minutes + 3600 * hours + 86400 * days + 7 * 86400 * weeks
        move = self.core.clock.advance(delta)
        for listener in list(self.core.clock.listeners):
            try:
                result = listener(move)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("sandbox clock listener %r failed", listener)
        update_ids = tuple(self.core.clock_moved())
        move = ClockMove(move.delta, move.offset, move.now, update_ids)
        if wait:
            for update_id in update_ids:
                await self.wait(update_id, timeout)
        return move

    # driver ----------------------------------------------------------------------------------------------
    async def user(self, id: int, first_name: str, *, last_name: str | None = None, username: str | None = None,
                   language_code: str | None = None, is_premium: bool | None = None,
                   started: bool = True, phone_number: str | None = None) -> UserDriver:
        """Create (or replace) a user and its private chat with the bot."""
        self.add_user(id, first_name, last_name=last_name, username=username, language_code=language_code,
                      is_premium=is_premium, started=started, phone_number=phone_number)
        return self.user_driver(id)

    def add_user(self, id: int, first_name: str, **fields: Any) -> User:
        if id <= 0:
            raise SandboxError("user ids are positive")
        if id == self.bot.id:
            raise SandboxError("that id is the bot's")
        existing = self.world.users.get(id)
        user = User(id=id, first_name=first_name, **fields)
        if existing is not None:
            user.blocked = existing.blocked
        self.world.add_user(user)
        return user

    def user_driver(self, user_id: int) -> UserDriver:
        if user_id not in self.world.users:
            raise SandboxError(f"no user {user_id}")
        return UserDriver(self, self.world.users[user_id])

    async def group(self, id: int, title: str, *, forum: bool = False, members: Sequence[UserDriver | int] = (),
                    admins: Sequence[UserDriver | int] = (), owner: UserDriver | int | None = None,
                    bot_rights: dict[str, bool] | None = None, username: str | None = None,
                    restricted: Sequence[UserDriver | int] = ()) -> GroupDriver:
        """Create a group (or a forum supergroup) with the bot in it; bot_rights makes the bot an admin.
        `restricted` members may write but getChatMember reports them as "restricted"."""
        owner_id = member_ids([owner])[0] if owner is not None else None
        self.add_group(id, title, forum=forum, members=member_ids(members), admins=member_ids(admins),
                       owner_id=owner_id, bot_rights=bot_rights, username=username,
                       restricted=member_ids(restricted))
        return GroupDriver(self, self.world.chats[id])

    def add_group(self, id: int, title: str, *, forum: bool = False, members: Sequence[int] = (),
                  admins: Sequence[int] = (), owner_id: int | None = None, bot_rights: dict[str, bool] | None = None,
                  username: str | None = None, restricted: Sequence[int] = ()) -> Chat:
        if id >= 0:
            raise SandboxError("group ids are negative (supergroups: -100...)")
        supergroup = str(id).startswith("-100")
        if forum and not supergroup:
            raise SandboxError("forums are supergroups: use an id like -100...")
        for user_id in [*members, *admins, *restricted, *([owner_id] if owner_id else [])]:
            if user_id not in self.world.users:
                raise SandboxError(f"no user {user_id}")
        all_members = list(dict.fromkeys([*members, *admins, *restricted, *([owner_id] if owner_id else [])]))
        chat = Chat(id=id, type="supergroup" if supergroup else "group", title=title, username=username,
                    is_forum=forum, members=all_members, admins=list(admins), owner_id=owner_id,
                    restricted=[r for r in restricted if r not in admins and r != owner_id],
                    bot_rights=dict(bot_rights) if bot_rights is not None else None)
        return self.world.add_group(chat)

    def group_driver(self, chat_id: int) -> GroupDriver:
        chat = self.world.chats.get(chat_id)
        if chat is None or chat.is_private:
            raise SandboxError(f"no group {chat_id}")
        return GroupDriver(self, chat)

    # waiting ---------------------------------------------------------------------------------------------
    async def wait(self, update: int | MessageView | None, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Return once the bot has taken the update (an update_id or a sent MessageView) and gone quiet."""
        update_id = update.update_id if isinstance(update, MessageView) else update
        if update_id is None:
            await self.settle(timeout)
            return
        timeout = self.config.wait_timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout
        if not await self.core.activity.wait_taken(update_id, deadline):
            pending = [u for u in self.world.updates.pending if u["update_id"] == update_id]
            kind = next((k for k in pending[0] if k != "update_id"), "update") if pending else "update"
            raise TimeoutError(f"the bot did not take {kind} {update_id} within {timeout} s "
                               f"(is it polling {self.url} or is a webhook set?)")
        if not await self.core.activity.wait_quiet(self.config.settle, deadline, after=update_id,
                                                   grace=self.config.response_grace):
            raise TimeoutError(f"the bot took update {update_id} but did not go quiet within {timeout} s "
                               f"({self.core.activity.in_flight} requests in flight)")

    async def redeliver(self, update: int | MessageView, *, wait: bool = True,
                        timeout: float | None = None) -> int:  # noqa: ASYNC109
        """Deliver an earlier update's payload once more, as Telegram does when it is not sure the bot got it
        (a webhook retried after a timeout, a restart before confirming). Returns the new update_id."""
        update_id = update.update_id if isinstance(update, MessageView) else update
        original = self.world.updates.history.get(update_id)
        if original is None:
            raise SandboxError(f"update {update_id} is not in the recent history")
        kind = next(k for k in original if k != "update_id")
        new_id = self.world.push_update(kind, original[kind])
        if new_id is None:
            raise SandboxError(f"the bot's allowed_updates exclude {kind}")
        if wait:
            await self.wait(new_id, timeout)
        return new_id

    async def wait_taken(self, update: int | MessageView, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Return as soon as the bot has taken the update, without waiting for it to be handled."""
        update_id = update.update_id if isinstance(update, MessageView) else update
        timeout = self.config.wait_timeout if timeout is None else timeout
        if not await self.core.activity.wait_taken(update_id, time.monotonic() + timeout):
            raise TimeoutError(f"the bot did not take update {update_id} within {timeout} s")

    def handling_started(self) -> None:
        """For a bot in the same process: it began handling an update. Once a bot reports this, waits go by its
        reports (the update handled, nothing else being handled) instead of guessing from its API calls."""
        self.core.activity.handling_started()

    def handling_finished(self, update_id: int) -> None:
        """For a bot in the same process: it finished handling `update_id` (whatever the outcome)."""
        self.core.activity.handling_finished(update_id)

    async def settle(self, timeout: float | None = None) -> None:  # noqa: ASYNC109
        """Wait until no bot request is in flight and none came for the settle time."""
        timeout = self.config.wait_timeout if timeout is None else timeout
        if not await self.core.activity.wait_quiet(self.config.settle, time.monotonic() + timeout):
            raise TimeoutError(f"the bot did not go quiet within {timeout} s")

    async def reset(self) -> None:
        """Forget users, chats, messages, files, faults and the request log (webhook and token stay)."""
        self.core.reset()
