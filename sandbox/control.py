"""HTTP control API under /sandbox/ (JSON in, JSON out) for tools outside the test suite."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from sandbox import actions
from sandbox.appkeys import SANDBOX_KEY
from sandbox.errors import ApiError, SandboxError
from sandbox.models import Chat, Message, User
from sandbox.serialize import message_view_json

if TYPE_CHECKING:
    from sandbox.server import Sandbox

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _sandbox(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


def _json(data: Any, status: int = 200) -> web.Response:
    return web.json_response(data, status=status, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))


def _guard(handler: Handler) -> Handler:
    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except (SandboxError, ValueError, KeyError, TypeError) as error:
            message = str(error) if not isinstance(error, KeyError) else f"missing field {error}"
            return _json({"error": message}, 400)
        except ApiError as error:
            return _json({"error": error.description, "error_code": error.code}, 400)
        except TimeoutError as error:
            return _json({"error": str(error)}, 408)

    return guarded


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        data = await request.json()
    except ValueError:
        raise SandboxError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise SandboxError("the body must be a JSON object")
    return data


def _user_json(sb: Sandbox, user: User) -> dict[str, Any]:
    return {**user.to_api(), "chat_id": user.id, "blocked": user.blocked, "started": user.started,
            "phone_number": user.phone()}


def _group_json(chat: Chat) -> dict[str, Any]:
    return {"id": chat.id, "type": chat.type, "title": chat.title, "username": chat.username,
            "forum": chat.is_forum, "members": chat.members, "admins": chat.admins, "owner": chat.owner_id,
            "restricted": chat.restricted, "bot_rights": chat.bot_rights,
            "topics": [{**topic.to_api(), "closed": topic.closed} for topic in chat.topics.values()]}


def _user(sb: Sandbox, request: web.Request) -> User:
    user_id = int(request.match_info["user_id"])
    user = sb.world.users.get(user_id)
    if user is None:
        raise SandboxError(f"no user {user_id}")
    return user


def _message(sb: Sandbox, body: dict[str, Any], user: User) -> Message:
    chat_id = int(body.get("chat_id") or user.id)
    message = sb.world.message(chat_id, int(body["message_id"]))
    if message is None:
        raise SandboxError(f"no message {body['message_id']} in chat {chat_id}")
    return message


def _decode(data: str) -> bytes:
    try:
        return base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        raise SandboxError("file content must be base64") from None


async def post_user(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = sb.add_user(int(body["id"]), str(body["first_name"]), last_name=body.get("last_name"),
                       username=body.get("username"), language_code=body.get("language_code"),
                       is_premium=body.get("is_premium"), started=bool(body.get("started", True)),
                       phone_number=body.get("phone_number"))
    return _json(_user_json(sb, user))


USER_FIELDS = {"first_name", "last_name", "username", "language_code", "is_premium", "phone_number"}


async def patch_user(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    unknown = set(body) - USER_FIELDS
    if unknown:
        raise SandboxError(f"unknown user fields {sorted(unknown)}; allowed: {sorted(USER_FIELDS)}")
    if "first_name" in body and not str(body["first_name"] or "").strip():
        raise SandboxError("first_name cannot be empty")
    for name, value in body.items():
        setattr(user, name, value if value != "" else None)
    sb.world.emit({"type": "user", "chat_id": user.id, "user": user.to_api(), "blocked": user.blocked})
    return _json(_user_json(sb, user))


async def get_users(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    return _json({"users": [_user_json(sb, user) for user in sb.world.users.values()]})


def _content(sb: Sandbox, user: User, body: dict[str, Any]) -> dict[str, Any]:
    if "text" in body:
        return {"text": str(body["text"])}
    if "contact" in body:
        contact = body["contact"]
        return {"content": actions.contact_content(user, str(contact["phone_number"]), contact.get("user_id"),
                                                   contact.get("first_name"), contact.get("last_name"))}
    if "photo" in body:
        content, file_ids = actions.photo_content(sb.core, _decode(body["photo"]))
        return {"content": content, "file_ids": file_ids}
    if "document" in body:
        document = body["document"]
        content, file_ids = actions.document_content(sb.core, _decode(document["content"]),
                                                     str(document.get("file_name") or "file.bin"),
                                                     document.get("mime_type"))
        return {"content": content, "file_ids": file_ids}
    if "location" in body:
        location = body["location"]
        return {"content": {"location": {"latitude": float(location["latitude"]),
                                         "longitude": float(location["longitude"])}}}
    raise SandboxError("a message needs one of text, contact, photo, document, location")


async def _maybe_wait(sb: Sandbox, body: dict[str, Any], update_id: int | None) -> None:
    if body.get("wait"):
        timeout = body.get("timeout")
        if update_id is None:
            await sb.settle(timeout)
        else:
            await sb.wait(update_id, timeout)


async def post_message(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    fields = _content(sb, user, body)
    update_id, message = actions.user_message(
        sb.core, user, chat_id=body.get("chat_id"), thread_id=body.get("message_thread_id"),
        reply_to_message_id=body.get("reply_to_message_id"), caption=body.get("caption"), **fields)
    await _maybe_wait(sb, body, update_id)
    return _json({"update_id": update_id, "message_id": message.message_id, "chat_id": message.chat_id})


async def press(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    text, data = body.get("text"), body.get("callback_data")
    if (text is None) == (data is None):
        raise SandboxError("press needs exactly one of text or callback_data")
    if body.get("message_id") is None:
        chat = sb.world.chats.get(int(body.get("chat_id") or user.id))
        if chat is None:
            raise SandboxError(f"no chat {body.get('chat_id')}")
        button = actions.reply_keyboard_button(chat, str(text)) if text is not None else None
        if button is None:
            raise SandboxError(f"no reply keyboard button {text!r}; {actions.describe_buttons(sb.core, chat)}")
        location = body.get("location")
        update_id, message = actions.press_reply_button(
            sb.core, user, chat, button, phone_number=body.get("phone_number"),
            location=(float(location["latitude"]), float(location["longitude"])) if location else None,
            users=[int(u) for u in body["users"]] if body.get("users") is not None else None,
            shared_chat=int(body["chat"]) if body.get("chat") is not None else None)
        await _maybe_wait(sb, body, update_id)
        return _json({"update_id": update_id, "message_id": message.message_id})
    message = _message(sb, body, user)
    button = actions.find_inline_button(message, text, data)
    if button is None:
        chat = sb.world.chats[message.chat_id]
        raise SandboxError(f"no such button on message {message.message_id}; "
                           f"{actions.describe_buttons(sb.core, chat, message)}")
    update_id = actions.press_inline(sb.core, user, message, button)
    await _maybe_wait(sb, body, update_id)
    return _json({"update_id": update_id})


async def pay(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    if body.get("link"):
        outcome = await actions.pay_link(sb.core, user, str(body["link"]))
    else:
        outcome = await actions.pay(sb.core, user, _message(sb, body, user))
    await _maybe_wait(sb, body, outcome.payment_update_id)
    return _json(outcome.to_json())


async def get_subscriptions(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    user_id = request.query.get("user_id")
    found = [s for s in sb.world.subscriptions if user_id is None or s.user_id == int(user_id)]
    return _json({"subscriptions": [{**s.to_json(), "renews": s.renews} for s in found]})


async def fail_next_charge(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    user.fail_next_charge = bool(body.get("fail", True))
    return _json({"fail_next_charge": user.fail_next_charge})


async def cancel_subscription(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    user = _user(sb, request)
    sb.user_driver(user.id).cancel_subscription(request.match_info["charge_id"],
                                                bool(body.get("is_canceled", True)))
    return _json({"ok": True})


async def block(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    user = _user(sb, request)
    blocked = request.path.endswith("/block")
    update_id = actions.set_blocked(sb.core, user, blocked)
    return _json({"blocked": user.blocked, "update_id": update_id})


async def callback_answer(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    user = _user(sb, request)
    return _json({"callback_answer": sb.world.callback_answers.get(user.id)})


async def post_group(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    chat = sb.add_group(int(body["id"]), str(body["title"]), forum=bool(body.get("forum")),
                        members=[int(m) for m in body.get("members", [])],
                        admins=[int(a) for a in body.get("admins", [])], owner_id=body.get("owner"),
                        bot_rights=body.get("bot_rights"), username=body.get("username"),
                        restricted=[int(r) for r in body.get("restricted", [])])
    return _json(_group_json(chat))


async def get_groups(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    return _json({"groups": [_group_json(chat) for chat in sb.world.chats.values() if not chat.is_private]})


async def chat_messages(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    chat_id = int(request.match_info["chat_id"])
    chat = sb.world.chats.get(chat_id)
    if chat is None:
        raise SandboxError(f"no chat {chat_id}")
    thread = request.query.get("message_thread_id")
    messages = sb.world.chat_messages(chat_id, int(thread) if thread else None)
    limit = request.query.get("limit")
    if limit:
        messages = messages[-int(limit) :]
    answer = sb.world.callback_answers.get(chat.user_id) if chat.user_id else None
    return _json({"chat_id": chat_id, "messages": [message_view_json(sb.world, m) for m in messages],
                  "reply_keyboard": chat.reply_keyboard, "callback_answer": answer,
                  "pinned_message_id": chat.pinned[-1] if chat.pinned else None})


async def chat_commands(request: web.Request) -> web.Response:
    from sandbox.methods.bot import commands_for, menu_button_for

    sb = _sandbox(request)
    chat_id = int(request.match_info["chat_id"])
    chat = sb.world.chats.get(chat_id)
    if chat is None:
        raise SandboxError(f"no chat {chat_id}")
    user_id = request.query.get("user_id")
    commands, scope, language = commands_for(sb.core, chat, int(user_id) if user_id else chat.user_id)
    return _json({"commands": commands, "scope": scope or None, "language_code": language,
                  "menu_button": menu_button_for(sb.core, chat)})


async def file_content(request: web.Request) -> web.StreamResponse:
    sb = _sandbox(request)
    stored = sb.world.files.get(request.match_info["file_id"])
    if stored is None:
        return _json({"error": "no such file"}, 404)
    headers = {}
    if stored.file_name:
        headers["Content-Disposition"] = f'inline; filename="{stored.file_name}"'
    return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream",
                        headers=headers)


async def wait(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    timeout = body.get("timeout")
    if body.get("update_id") is None:
        await sb.settle(timeout)
    else:
        await sb.wait(int(body["update_id"]), timeout)
    return _json({"ok": True})


async def add_fault(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    allowed = {"method", "code", "retry_after", "count", "rate", "latency", "drop", "description", "seed"}
    unknown = set(body) - allowed
    if unknown:
        raise SandboxError(f"unknown fault fields {sorted(unknown)}; allowed: {sorted(allowed)}")
    rule = sb.faults.add(**body)
    return _json({"fault": rule.to_json()})


async def get_faults(request: web.Request) -> web.Response:
    return _json({"faults": [rule.to_json() for rule in _sandbox(request).faults.rules]})


async def clear_faults(request: web.Request) -> web.Response:
    _sandbox(request).faults.clear()
    return _json({"ok": True})


async def get_requests(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    records = sb.requests
    method = request.query.get("method")
    if method:
        records = [r for r in records if r.method.lower() == method.lower()]
    limit = request.query.get("limit")
    if limit:
        records = records[-int(limit) :]
    return _json({"requests": [r.to_json() for r in records], "method_counts": dict(sb.method_counts)})


def _clock_json(sb: Sandbox) -> dict[str, Any]:
    now = sb.now()
    return {"now": now, "date": int(now), "offset": sb.clock.offset,
            "iso": datetime.fromtimestamp(now, UTC).isoformat(timespec="seconds")}


async def get_clock(request: web.Request) -> web.Response:
    return _json(_clock_json(_sandbox(request)))


async def move_clock(request: web.Request) -> web.Response:
    sb, body = _sandbox(request), await _body(request)
    units = {"seconds", "minutes", "hours", "days", "weeks"}
    unknown = set(body) - units - {"wait", "timeout"}
    if unknown:
        raise SandboxError(f"unknown clock fields {sorted(unknown)}; allowed: {sorted(units)}, wait, timeout")
    amounts = {unit: float(body[unit]) for unit in units if unit in body}
    move = await sb.move_clock(**amounts, wait=bool(body.get("wait", False)), timeout=body.get("timeout"))
    return _json({**_clock_json(sb), "delta": move.delta, "update_ids": list(move.update_ids)})


async def get_errors(request: web.Request) -> web.Response:
    return _json({"errors": [error.to_json() for error in _sandbox(request).bot_errors]})


async def clear_errors(request: web.Request) -> web.Response:
    _sandbox(request).clear_bot_errors()
    return _json({"ok": True})


async def reset(request: web.Request) -> web.Response:
    await _sandbox(request).reset()
    return _json({"ok": True})


async def bot_info(request: web.Request) -> web.Response:
    sb = _sandbox(request)
    return _json({"bot": sb.bot.to_api(), "token": sb.token, "api_url": sb.url, "webhook": sb.core.webhook.info(),
                  "pending_updates": len(sb.world.updates.pending), "clock": _clock_json(sb)})


def setup_control_api(app: web.Application) -> None:
    routes = [
        ("POST", "/sandbox/users", post_user), ("GET", "/sandbox/users", get_users),
        ("PATCH", "/sandbox/users/{user_id}", patch_user),
        ("POST", "/sandbox/users/{user_id}/messages", post_message),
        ("POST", "/sandbox/users/{user_id}/press", press), ("POST", "/sandbox/users/{user_id}/pay", pay),
        ("POST", "/sandbox/users/{user_id}/fail_next_charge", fail_next_charge),
        ("POST", "/sandbox/users/{user_id}/subscriptions/{charge_id}/cancel", cancel_subscription),
        ("GET", "/sandbox/subscriptions", get_subscriptions),
        ("POST", "/sandbox/users/{user_id}/block", block), ("POST", "/sandbox/users/{user_id}/unblock", block),
        ("GET", "/sandbox/users/{user_id}/callback_answer", callback_answer),
        ("POST", "/sandbox/groups", post_group), ("GET", "/sandbox/groups", get_groups),
        ("GET", "/sandbox/chats/{chat_id}/messages", chat_messages),
        ("GET", "/sandbox/chats/{chat_id}/commands", chat_commands),
        ("GET", "/sandbox/files/{file_id}", file_content),
        ("POST", "/sandbox/wait", wait),
        ("POST", "/sandbox/faults", add_fault), ("GET", "/sandbox/faults", get_faults),
        ("DELETE", "/sandbox/faults", clear_faults),
        ("GET", "/sandbox/requests", get_requests), ("POST", "/sandbox/reset", reset),
        ("GET", "/sandbox/bot", bot_info),
        ("GET", "/sandbox/clock", get_clock), ("POST", "/sandbox/clock", move_clock),
        ("GET", "/sandbox/errors", get_errors), ("DELETE", "/sandbox/errors", clear_errors),
    ]
    for verb, path, handler in routes:
        app.router.add_route(verb, path, _guard(handler))
