"""Python driver for tests: users who talk to the bot and groups they share with it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sandbox import actions, stars
from sandbox.errors import SandboxError
from sandbox.models import Chat, Message, Subscription, User
from sandbox.views import Button, CallbackAnswer, MessageView, PaymentResult, TopicView

if TYPE_CHECKING:
    from sandbox.server import Sandbox


class UserDriver:
    """A Telegram user. Actions wait for the bot to take the update and go quiet unless `wait=False`."""

    def __init__(self, sandbox: Sandbox, user: User) -> None:
        self._sb = sandbox
        self.user = user

    def __repr__(self) -> str:
        return f"<UserDriver {self.user.id} {self.user.first_name!r}>"

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def chat_id(self) -> int:
        return self.user.id

    @property
    def blocked(self) -> bool:
        return self.user.blocked

    def _view(self, message: Message, update_id: int | None = None) -> MessageView:
        return MessageView(self._sb.world, message, update_id)

    def chat_messages(self, chat_id: int | None = None, thread_id: int | None = None) -> list[MessageView]:
        return [self._view(m) for m in self._sb.world.chat_messages(chat_id or self.chat_id, thread_id)]

    @property
    def messages(self) -> list[MessageView]:
        """Every message in the private chat with the bot, oldest first, as it looks now."""
        return self.chat_messages()

    @property
    def bot_messages(self) -> list[MessageView]:
        return [m for m in self.messages if m.from_bot]

    @property
    def screen(self) -> MessageView | None:
        """The latest bot message in the private chat."""
        bot_messages = self.bot_messages
        return bot_messages[-1] if bot_messages else None

    @property
    def reply_keyboard(self) -> list[list[Button]] | None:
        markup = self._sb.world.chats[self.chat_id].reply_keyboard
        if not markup:
            return None
        return [[Button.from_api(button) for button in row] for row in markup["keyboard"]]

    @property
    def last_callback_answer(self) -> CallbackAnswer | None:
        answer = self._sb.world.callback_answers.get(self.id)
        return CallbackAnswer.from_answer(answer) if answer else None

    async def _settle(self, update_id: int | None, wait: bool, timeout: float | None) -> None:  # noqa: ASYNC109
        if not wait:
            return
        if update_id is None:
            await self._sb.settle(timeout)
        else:
            await self._sb.wait(update_id, timeout)

    async def _post(self, wait: bool, timeout: float | None, **fields: Any) -> MessageView:  # noqa: ASYNC109
        update_id, message = actions.user_message(self._sb.core, self.user, **fields)
        await self._settle(update_id, wait, timeout)
        return self._view(message, update_id)

    async def send(self, text: str, *, chat_id: int | None = None, message_thread_id: int | None = None,
                   reply_to_message_id: int | None = None, wait: bool = True,
                   timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        """Send a text message (to the private chat unless chat_id is given); returns the user's message."""
        return await self._post(wait, timeout, chat_id=chat_id, thread_id=message_thread_id,
                                reply_to_message_id=reply_to_message_id, text=text)

    async def send_contact(self, phone_number: str, user_id: int | None = None, *, first_name: str | None = None,
                           last_name: str | None = None, chat_id: int | None = None, wait: bool = True,
                           timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        content = actions.contact_content(self.user, phone_number, user_id, first_name, last_name)
        return await self._post(wait, timeout, chat_id=chat_id, content=content)

    async def send_photo(self, data: bytes, *, caption: str | None = None, chat_id: int | None = None,
                         message_thread_id: int | None = None, reply_to_message_id: int | None = None,
                         wait: bool = True, timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        """Send a photo (PNG/JPEG/GIF/WebP bytes; `sandbox.make_png()` makes one)."""
        content, file_ids = actions.photo_content(self._sb.core, data)
        return await self._post(wait, timeout, chat_id=chat_id, thread_id=message_thread_id,
                                reply_to_message_id=reply_to_message_id, caption=caption, content=content,
                                file_ids=file_ids)

    async def send_document(self, data: bytes, file_name: str, *, mime_type: str | None = None,
                            caption: str | None = None, chat_id: int | None = None,
                            message_thread_id: int | None = None, reply_to_message_id: int | None = None,
                            wait: bool = True, timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        content, file_ids = actions.document_content(self._sb.core, data, file_name, mime_type)
        return await self._post(wait, timeout, chat_id=chat_id, thread_id=message_thread_id,
                                reply_to_message_id=reply_to_message_id, caption=caption, content=content,
                                file_ids=file_ids)

    async def send_location(self, latitude: float, longitude: float, *, chat_id: int | None = None,
                            message_thread_id: int | None = None, wait: bool = True,
                            timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        content = {"location": {"latitude": latitude, "longitude": longitude}}
        return await self._post(wait, timeout, chat_id=chat_id, thread_id=message_thread_id, content=content)

    async def write_in_topic(self, topic: TopicView, text: str | None = None, *, photo: bytes | None = None,
                             document: bytes | None = None, file_name: str = "file.bin", caption: str | None = None,
                             wait: bool = True, timeout: float | None = None) -> MessageView:  # noqa: ASYNC109
        """Write a text, photo or document in a forum topic."""
        where = {"chat_id": topic.chat_id, "message_thread_id": topic.message_thread_id, "wait": wait,
                 "timeout": timeout}
        if photo is not None:
            return await self.send_photo(photo, caption=caption, **where)
        if document is not None:
            return await self.send_document(document, file_name, caption=caption, **where)
        if text is None:
            raise SandboxError("write_in_topic needs text, photo or document")
        return await self.send(text, **where)

    def _find_button(self, chat: Chat, text: str | None, callback_data: str | None,
                     message: MessageView | None) -> tuple[Message, dict[str, Any]] | None:
        candidates = [message.message] if message is not None else list(
            reversed(self._sb.world.chat_messages(chat.id)))
        for candidate in candidates:
            button = actions.find_inline_button(candidate, text, callback_data)
            if button is not None:
                return candidate, button
        return None

    async def press(self, text: str | None = None, *, message: MessageView | None = None,
                    callback_data: str | None = None, chat_id: int | None = None,
                    location: tuple[float, float] | None = None, users: Sequence[UserDriver | int] | None = None,
                    chat: GroupDriver | int | None = None, wait: bool = True,
                    timeout: float | None = None) -> int | None:  # noqa: ASYNC109
        """Press an inline button (latest message having it) or, failing that, a reply keyboard button.

        Returns the update_id of the callback query (or of the message a reply keyboard button sent).
        With both `message` and `callback_data` given, a callback button that is no longer on the message
        is pressed anyway, like a client still showing an old keyboard would. Reply buttons that ask for
        something: request_contact sends `phone_number` (or a made-up number), request_location `location`
        ((0.0, 0.0) unless given), request_users the `users` picked, request_chat the group `chat` picked.
        """
        if (text is None) == (callback_data is None):
            raise SandboxError("press needs exactly one of text or callback_data")
        core = self._sb.core
        where = core.world.chats[chat_id or (message.chat_id if message else self.chat_id)]
        found = self._find_button(where, text, callback_data, message)
        if found is None and message is not None and callback_data is not None:
            found = message.message, {"text": "", "callback_data": callback_data}
        if found is not None:
            update_id = actions.press_inline(core, self.user, found[0], found[1])
            await self._settle(update_id, wait, timeout)
            return update_id
        button = actions.reply_keyboard_button(where, text) if text is not None and message is None else None
        if button is None:
            wanted = repr(text) if text is not None else f"with callback_data {callback_data!r}"
            raise SandboxError(f"no button {wanted} for user {self.id} in chat {where.id}; "
                               f"{actions.describe_buttons(core, where, message.message if message else None)}")
        picked_chat = chat.id if isinstance(chat, GroupDriver) else chat
        update_id, _ = actions.press_reply_button(
            core, self.user, where, button, location=location,
            users=member_ids(users) if users is not None else None, shared_chat=picked_chat)
        await self._settle(update_id, wait, timeout)
        return update_id

    @property
    def phone_number(self) -> str | None:
        """The user's own phone number, which request_contact buttons share (None: a made-up one)."""
        return self.user.phone_number

    @phone_number.setter
    def phone_number(self, value: str | None) -> None:
        self.user.phone_number = value

    def user_phone(self) -> str:
        return self.user.phone()

    async def pay(self, message: MessageView | None = None, *, wait: bool = True,
                  timeout: float | None = None) -> PaymentResult:  # noqa: ASYNC109
        """Pay the latest invoice (or `message`); see actions.pay for the flow."""
        if message is None:
            invoices = [m for m in self.bot_messages if m.invoice is not None]
            if not invoices:
                raise SandboxError(f"no invoice in the chat of user {self.id}")
            message = invoices[-1]
        return await self._payment(actions.pay(self._sb.core, self.user, message.message), wait, timeout)

    async def pay_link(self, link: str, *, wait: bool = True,
                       timeout: float | None = None) -> PaymentResult:  # noqa: ASYNC109
        """Pay an invoice link from createInvoiceLink; one with subscription_period starts a subscription."""
        return await self._payment(actions.pay_link(self._sb.core, self.user, link), wait, timeout)

    async def _payment(self, paying: Any, wait: bool, timeout: float | None) -> PaymentResult:  # noqa: ASYNC109
        outcome = await paying
        if outcome.payment_update_id is not None:
            await self._settle(outcome.payment_update_id, wait, timeout)
        elif wait:
            await self._sb.settle(timeout)
        return PaymentResult(outcome.status, outcome.telegram_payment_charge_id,
                             outcome.provider_payment_charge_id, outcome.error_message,
                             outcome.payment_update_id or outcome.update_id,
                             self._view(outcome.message) if outcome.message else None)

    @property
    def subscriptions(self) -> list[Subscription]:
        """The user's Stars subscriptions, oldest first (`renews`, `expires_at`, `charge_ids`, ...)."""
        return [s for s in self._sb.world.subscriptions if s.user_id == self.id]

    def fail_next_charge(self, fail: bool = True) -> None:
        """Make the next subscription renewal charged to this user fail (too few Stars): no payment arrives and
        that subscription lapses."""
        self.user.fail_next_charge = fail

    def cancel_subscription(self, telegram_payment_charge_id: str, canceled: bool = True) -> None:
        """The user cancels (or resumes) a subscription in their Telegram settings: it is not renewed; the bot
        is not told."""
        subscription = stars.subscription_of(self._sb.core, self.id, telegram_payment_charge_id)
        if subscription is None:
            raise SandboxError(f"no subscription of user {self.id} with charge {telegram_payment_charge_id!r}")
        subscription.canceled_by_user = canceled

    async def block(self, *, wait: bool = True, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._settle(actions.set_blocked(self._sb.core, self.user, True), wait, timeout)

    async def unblock(self, *, wait: bool = True, timeout: float | None = None) -> None:  # noqa: ASYNC109
        await self._settle(actions.set_blocked(self._sb.core, self.user, False), wait, timeout)


class GroupDriver:
    """A group or forum supergroup shared by users and the bot."""

    def __init__(self, sandbox: Sandbox, chat: Chat) -> None:
        self._sb = sandbox
        self.chat = chat

    def __repr__(self) -> str:
        return f"<GroupDriver {self.chat.id} {self.chat.title!r}>"

    @property
    def id(self) -> int:
        return self.chat.id

    @property
    def title(self) -> str | None:
        return self.chat.title

    @property
    def topics(self) -> list[TopicView]:
        return [TopicView.of(self.chat.id, topic) for topic in self.chat.topics.values()]

    def topic(self, name: str) -> TopicView:
        for topic in self.topics:
            if topic.name == name:
                return topic
        raise SandboxError(f"no topic {name!r} in {self!r}; topics: {[t.name for t in self.topics]}")

    def messages(self, thread_id: int | None = None) -> list[MessageView]:
        return [MessageView(self._sb.world, m) for m in self._sb.world.chat_messages(self.chat.id, thread_id)]

    def bot_messages(self, thread_id: int | None = None) -> list[MessageView]:
        return [m for m in self.messages(thread_id) if m.from_bot]

    @property
    def pinned(self) -> MessageView | None:
        message = self._sb.world.pinned_message(self.chat)
        return MessageView(self._sb.world, message) if message else None


def member_ids(users: Sequence[UserDriver | int]) -> list[int]:
    return [user.id if isinstance(user, UserDriver) else int(user) for user in users]
