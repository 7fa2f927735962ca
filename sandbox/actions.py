"""What users do: send messages, press buttons, pay, block. Shared by the driver and the control API."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from sandbox import stars
from sandbox.core import Core
from sandbox.errors import SandboxError
from sandbox.ids import query_id
from sandbox.methods.common import publish
from sandbox.methods.media import store_upload
from sandbox.models import CallbackQuery, Chat, Message, PreCheckoutQuery, Subscription, User
from sandbox.serialize import chat_to_api, message_to_api
from sandbox.text.entities import detect_entities, entities_to_html


@dataclass
class PaymentOutcome:
    status: str
    update_id: int | None
    telegram_payment_charge_id: str | None = None
    provider_payment_charge_id: str | None = None
    error_message: str | None = None
    message: Message | None = None
    payment_update_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        data = {"status": self.status, "update_id": self.update_id,
                "pre_checkout_update_id": self.update_id,
                "telegram_payment_charge_id": self.telegram_payment_charge_id,
                "provider_payment_charge_id": self.provider_payment_charge_id,
                "error_message": self.error_message,
                "message_id": self.message.message_id if self.message else None,
                "payment_update_id": self.payment_update_id}
        return {key: value for key, value in data.items() if value is not None}


def bot_sees(core: Core, chat: Chat, message: Message) -> bool:
    """Whether Telegram delivers a group message to the bot (privacy mode)."""
    if chat.is_private or chat.bot_rights is not None or not core.config.privacy_mode:
        return True
    text = message.text or message.caption or ""
    if text.startswith("/"):
        return True
    if message.reply_to_message_id is not None:
        replied = core.world.message(chat.id, message.reply_to_message_id)
        return bool(replied and replied.from_bot)
    return False


def _writable_chat(core: Core, user: User, chat_id: int | None, thread_id: int | None) -> Chat:
    chat = core.world.chats.get(chat_id if chat_id is not None else user.id)
    if chat is None:
        raise SandboxError(f"no chat {chat_id}")
    if chat.is_private:
        if chat.user_id != user.id:
            raise SandboxError(f"user {user.id} cannot write in the private chat of user {chat.user_id}")
        if user.blocked:
            raise SandboxError(f"user {user.id} has blocked the bot; unblock it first")
    elif user.id not in chat.members and user.id not in chat.admins and user.id != chat.owner_id:
        raise SandboxError(f"user {user.id} is not a member of chat {chat.id}")
    if thread_id is not None and chat.is_forum:
        topic = chat.topics.get(thread_id)
        if topic is None:
            raise SandboxError(f"no topic {thread_id} in chat {chat.id}")
        if topic.closed and user.id not in chat.admins and user.id != chat.owner_id:
            raise SandboxError(f"topic {topic.name!r} is closed")
    return chat


def user_message(core: Core, user: User, *, chat_id: int | None = None, thread_id: int | None = None,
                 reply_to_message_id: int | None = None, text: str | None = None, caption: str | None = None,
                 content: dict[str, Any] | None = None,
                 file_ids: list[str] | None = None) -> tuple[int | None, Message]:
    """Store a message the user sent and queue its update; returns (update_id or None if unseen, message)."""
    chat = _writable_chat(core, user, chat_id, thread_id)
    if reply_to_message_id is not None and core.world.message(chat.id, reply_to_message_id) is None:
        raise SandboxError(f"no message {reply_to_message_id} in chat {chat.id}")
    implicit_reply = thread_id if chat.is_forum and thread_id is not None else None
    fields: dict[str, Any] = {"content": content or {}, "file_ids": file_ids or [],
                              "message_thread_id": thread_id if chat.is_forum else None,
                              "is_topic_message": thread_id is not None and chat.is_forum,
                              "reply_to_message_id": reply_to_message_id or implicit_reply}
    if text is not None:
        entities = detect_entities(text)
        fields.update(text=text, entities=entities, html=entities_to_html(text, entities))
    if caption:
        entities = detect_entities(caption)
        fields.update(caption=caption, caption_entities=entities, caption_html=entities_to_html(caption, entities))
    message = core.world.new_message(chat, user.id, **fields)
    user.started = True
    publish(core, message)
    if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard") and text is not None:
        chat.reply_keyboard = None
    if not bot_sees(core, chat, message):
        return None, message
    return core.world.push_update("message", message_to_api(core.world, message)), message


def photo_content(core: Core, data: bytes) -> tuple[dict[str, Any], list[str]]:
    stored = store_upload(core.world, "photo", data, None, None, strict=False, reencode=core.config.reencode_photos)
    return {"photo": stored.photo()}, [stored.file_id]


def document_content(core: Core, data: bytes, file_name: str,
                     mime_type: str | None) -> tuple[dict[str, Any], list[str]]:
    stored = store_upload(core.world, "document", data, file_name, mime_type)
    return {"document": stored.document()}, [stored.file_id]


def contact_content(user: User, phone_number: str, user_id: int | None, first_name: str | None,
                    last_name: str | None) -> dict[str, Any]:
    contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name or user.first_name}
    if last_name or (first_name is None and user.last_name):
        contact["last_name"] = last_name or user.last_name
    if user_id is not None:
        contact["user_id"] = user_id
    return {"contact": contact}


def find_inline_button(message: Message, text: str | None, callback_data: str | None) -> dict[str, Any] | None:
    markup = message.reply_markup or {}
    for row in markup.get("inline_keyboard", []):
        for button in row:
            if text is not None and button.get("text") == text:
                return button
            if callback_data is not None and button.get("callback_data") == callback_data:
                return button
    return None


def press_inline(core: Core, user: User, message: Message, button: dict[str, Any]) -> int | None:
    """Press an inline button: callback buttons send a callback_query update."""
    if "callback_data" not in button:
        kinds = [key for key in button if key != "text"]
        raise SandboxError(f"button {button['text']!r} is a {', '.join(kinds)} button; only callback buttons "
                           "can be pressed")
    chat = core.world.chats[message.chat_id]
    if chat.is_private and user.blocked:
        raise SandboxError(f"user {user.id} has blocked the bot; unblock it first")
    query = query_id()
    core.world.callback_queries[query] = CallbackQuery(id=query, user_id=user.id, chat_id=chat.id,
                                                       message_id=message.message_id,
                                                       data=button["callback_data"], created=time.monotonic())
    payload = {"id": query, "from": user.to_api(), "message": message_to_api(core.world, message),
               "chat_instance": str(abs(hash((core.bot.id, chat.id))) % 10**18),
               "data": button["callback_data"]}
    return core.world.push_update("callback_query", payload)


def reply_keyboard_button(chat: Chat, text: str) -> dict[str, Any] | None:
    for row in (chat.reply_keyboard or {}).get("keyboard", []):
        for button in row:
            if button.get("text") == text:
                return button
    return None


DEFAULT_LOCATION = (0.0, 0.0)


def press_reply_button(core: Core, user: User, chat: Chat, button: dict[str, Any], *,
                       phone_number: str | None = None, location: tuple[float, float] | None = None,
                       users: list[int] | None = None, shared_chat: int | None = None) -> tuple[int | None, Message]:
    """Press a reply keyboard button the way a Telegram client does: a text button sends its text,
    request_contact the user's own contact, request_location a location, request_users the users picked and
    request_chat the chat picked (a users_shared / chat_shared service message)."""
    kinds = [kind for kind in ("request_poll", "web_app") if kind in button]
    if kinds:
        raise SandboxError(f"button {button['text']!r} is a {kinds[0]} button, which the sandbox does not emulate")
    if "request_users" not in button and users is not None:
        raise SandboxError(f"button {button['text']!r} does not ask for users")
    if "request_chat" not in button and shared_chat is not None:
        raise SandboxError(f"button {button['text']!r} does not ask for a chat")
    if button.get("request_contact"):
        content = contact_content(user, phone_number or user.phone(), user.id, None, None)
        result = user_message(core, user, chat_id=chat.id, content=content)
    elif button.get("request_location"):
        latitude, longitude = location or DEFAULT_LOCATION
        if not -90 <= latitude <= 90 or not -180 <= longitude <= 180:
            raise SandboxError(f"no such place: latitude {latitude}, longitude {longitude}")
        content = {"location": {"latitude": float(latitude), "longitude": float(longitude)}}
        result = user_message(core, user, chat_id=chat.id, content=content)
    elif "request_users" in button:
        shared = users_shared(core, user, button["request_users"], users)
        result = user_message(core, user, chat_id=chat.id, content={"users_shared": shared})
    elif "request_chat" in button:
        shared = chat_shared(core, user, button["request_chat"], shared_chat)
        result = user_message(core, user, chat_id=chat.id, content={"chat_shared": shared})
    else:
        return user_message(core, user, chat_id=chat.id, text=button["text"])
    if chat.reply_keyboard and chat.reply_keyboard.get("one_time_keyboard"):
        chat.reply_keyboard = None
    return result


def users_shared(core: Core, user: User, request: dict[str, Any], picked: list[int] | None) -> dict[str, Any]:
    """UsersShared for the users picked for a request_users button, checked against its criteria."""
    if not picked:
        raise SandboxError(f"the button asks for up to {request['max_quantity']} user(s): pick them (users=[...])")
    if len(picked) > request["max_quantity"]:
        raise SandboxError(f"the button allows at most {request['max_quantity']} user(s), {len(picked)} picked")
    if len(set(picked)) != len(picked):
        raise SandboxError("a user was picked twice")
    shared = []
    for user_id in picked:
        if user_id == user.id:
            raise SandboxError("users cannot pick themselves")
        other = core.bot if user_id == core.bot.id else core.world.users.get(user_id)
        if other is None:
            raise SandboxError(f"no user {user_id}")
        if "user_is_bot" in request and other.is_bot != request["user_is_bot"]:
            raise SandboxError(f"the button asks for {'bots' if request['user_is_bot'] else 'people, not bots'}; "
                               f"{other.first_name} ({other.id}) is {'a bot' if other.is_bot else 'not a bot'}")
        if "user_is_premium" in request and bool(other.is_premium) != request["user_is_premium"]:
            wanted = "Premium users" if request["user_is_premium"] else "users without Premium"
            raise SandboxError(f"the button asks for {wanted}; {other.first_name} ({other.id}) is not one")
        entry: dict[str, Any] = {"user_id": other.id}
        if request.get("request_name"):
            entry["first_name"] = other.first_name
            if other.last_name:
                entry["last_name"] = other.last_name
        if request.get("request_username") and other.username:
            entry["username"] = other.username
        shared.append(entry)  # sandbox users have no profile photos, so request_photo adds nothing
    return {"request_id": request["request_id"], "users": shared}


def chat_shared(core: Core, user: User, request: dict[str, Any], chat_id: int | None) -> dict[str, Any]:
    """ChatShared for the group picked for a request_chat button, checked against its criteria."""
    if request.get("chat_is_channel"):
        raise SandboxError("the button asks for a channel; the sandbox has no channels")
    if chat_id is None:
        raise SandboxError("the button asks for a group: pick one (chat=...)")
    chat = core.world.chats.get(chat_id)
    if chat is None or chat.is_private:
        raise SandboxError(f"no group {chat_id}")
    problems = []
    if "chat_is_forum" in request and chat.is_forum != request["chat_is_forum"]:
        problems.append("a forum" if request["chat_is_forum"] else "not a forum")
    if "chat_has_username" in request and bool(chat.username) != request["chat_has_username"]:
        problems.append("a public group (with a username)" if request["chat_has_username"] else "a private group")
    if request.get("chat_is_created") and chat.owner_id != user.id:
        problems.append(f"a group created by {user.first_name}")
    rights = {right for right, on in (request.get("user_administrator_rights") or {}).items() if on}
    if rights and user.id != chat.owner_id and user.id not in chat.admins:
        problems.append(f"a group {user.first_name} administers")
    bot_rights = {right for right, on in (request.get("bot_administrator_rights") or {}).items() if on}
    missing = sorted(right for right in bot_rights if not (chat.bot_rights or {}).get(right))
    if missing:
        problems.append(f"a group where the bot has {', '.join(missing)}")
    if problems:
        raise SandboxError(f"the button asks for {'; '.join(problems)}: {chat.title!r} does not qualify")
    if user.id not in chat.members and user.id not in chat.admins and user.id != chat.owner_id:
        raise SandboxError(f"user {user.id} is not a member of {chat.title!r}")
    shared: dict[str, Any] = {"request_id": request["request_id"], "chat_id": chat.id}
    if request.get("request_title") and chat.title:
        shared["title"] = chat.title
    if request.get("request_username") and chat.username:
        shared["username"] = chat.username
    return shared


def describe_buttons(core: Core, chat: Chat, message: Message | None = None) -> str:
    messages = [message] if message is not None else core.world.chat_messages(chat.id)
    inline = [b["text"] for m in messages for row in (m.reply_markup or {}).get("inline_keyboard", []) for b in row]
    reply = [b["text"] for row in (chat.reply_keyboard or {}).get("keyboard", []) for b in row]
    return f"inline buttons: {inline or 'none'}; reply keyboard: {reply or 'none'}"


async def pay(core: Core, user: User, message: Message) -> PaymentOutcome:
    """Pay an invoice message: pre_checkout_query first, successful_payment only if the bot said ok in time."""
    invoice = message.content.get("invoice")
    if invoice is None:
        raise SandboxError(f"message {message.message_id} is not an invoice")
    return await checkout(core, user, message.chat_id, message.message_id, invoice["currency"],
                          invoice["total_amount"], message.invoice_payload or "")


def invoice_link(core: Core, link: str) -> dict[str, Any]:
    slug = link.rstrip("/").rsplit("$", 1)[-1]
    invoice = core.world.invoice_links.get(slug)
    if invoice is None:
        raise SandboxError(f"no invoice link {link!r} (createInvoiceLink makes them)")
    return invoice


async def pay_link(core: Core, user: User, link: str) -> PaymentOutcome:
    """Pay an invoice link (from createInvoiceLink), opened anywhere: the payment message lands in the user's
    private chat with the bot. A link with subscription_period starts a Stars subscription."""
    invoice = invoice_link(core, link)
    return await checkout(core, user, user.id, 0, invoice["currency"], invoice["total_amount"],
                          invoice["payload"], subscription_period=invoice.get("subscription_period"))


async def checkout(core: Core, user: User, chat_id: int, message_id: int, currency: str, total_amount: int,
                   payload: str, subscription_period: int | None = None) -> PaymentOutcome:
    query = PreCheckoutQuery(id=query_id(), user_id=user.id, chat_id=chat_id, message_id=message_id,
                             currency=currency, total_amount=total_amount, invoice_payload=payload,
                             created=time.monotonic(), subscription_period=subscription_period)
    core.world.pre_checkout_queries[query.id] = query
    update_id = core.world.push_update("pre_checkout_query", {
        "id": query.id, "from": user.to_api(), "currency": query.currency, "total_amount": query.total_amount,
        "invoice_payload": query.invoice_payload})
    if update_id is None:  # the bot's allowed_updates exclude pre_checkout_query: it can never answer
        query.expired = True
        return PaymentOutcome("timeout", None)
    try:
        await asyncio.wait_for(query.answered.wait(), core.config.pre_checkout_timeout)
    except TimeoutError:
        query.expired = True
    if query.answer is None:
        return PaymentOutcome("timeout", update_id)
    if not query.answer["ok"]:
        return PaymentOutcome("declined", update_id, error_message=query.answer["error_message"])
    subscription = None
    if subscription_period:
        subscription = Subscription(user_id=user.id, chat_id=chat_id, invoice_payload=payload, amount=total_amount,
                                    period=subscription_period, expires_at=core.clock.now() + subscription_period)
        core.world.subscriptions.append(subscription)
    payment, paid, payment_update = stars.record_payment(core, user, chat_id, currency, total_amount, payload,
                                                         subscription, first=True)
    return PaymentOutcome("paid", update_id, payment.telegram_payment_charge_id, payment.provider_payment_charge_id,
                          message=paid, payment_update_id=payment_update)


def set_blocked(core: Core, user: User, blocked: bool) -> int | None:
    """Block or unblock the bot; the bot gets a my_chat_member update like on Telegram."""
    if user.blocked == blocked:
        return None
    user.blocked = blocked
    old, new = ("member", "kicked") if blocked else ("kicked", "member")
    bot = core.bot.to_api()
    old_member: dict[str, Any] = {"status": old, "user": bot}
    new_member: dict[str, Any] = {"status": new, "user": bot}
    for member in (old_member, new_member):
        if member["status"] == "kicked":
            member["until_date"] = 0
    chat = core.world.chats[user.id]
    update = core.world.push_update("my_chat_member", {
        "chat": chat_to_api(core.world, chat), "from": user.to_api(), "date": core.clock.now(),
        "old_chat_member": old_member, "new_chat_member": new_member})
    core.world.emit({"type": "user", "chat_id": user.id, "user": user.to_api(), "blocked": blocked})
    return update
