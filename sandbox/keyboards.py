"""reply_markup validation with Telegram's error descriptions, normalised to the fields Telegram knows.

Telegram parses a markup into its own objects and answers with those, so fields it does not know (Telegraf's
`"hide": false`, typos, nulls) never come back, and a few come back reshaped (a login_url button returns as a
url button, switch_inline_query_chosen_chat spells out all four flags).
"""

from __future__ import annotations

import json
from typing import Any

from sandbox.errors import ApiError, bad_request

INLINE_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)
REPLY_ACTIONS = (
    "request_contact", "request_location", "request_poll", "web_app", "request_users", "request_chat",
)
BUTTON_STYLES = ("primary", "danger", "success")
_URL_SCHEMES = ("http://", "https://", "tg://")
_CHOSEN_CHAT_FLAGS = ("allow_user_chats", "allow_bot_chats", "allow_group_chats", "allow_channel_chats")
REQUEST_USERS_FIELDS = ("user_is_bot", "user_is_premium", "request_name", "request_username", "request_photo")
REQUEST_CHAT_FLAGS = ("chat_is_channel", "chat_is_forum", "chat_has_username", "chat_is_created", "bot_is_member",
                      "request_title", "request_username", "request_photo")
ADMIN_RIGHTS = (
    "is_anonymous", "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_post_messages", "can_edit_messages", "can_pin_messages", "can_manage_topics",
    "can_manage_direct_messages",
)
# What a request button asks for, in Telegram's words when the chat is not private.
_PRIVATE_ONLY = {
    "request_contact": "phone number can be requested in private chats only",
    "request_location": "location can be requested in private chats only",
    "request_poll": "poll can be requested in private chats only",
    "web_app": "web App buttons can be used in private chats only",
    "request_users": "users can be requested in private chats only",
    "request_chat": "chats can be requested in private chats only",
}


def _inline_error(message: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {message}")


def _reply_error(message: str) -> ApiError:
    return bad_request(f"can't parse keyboard button: {message}")


def _object(raw: Any, name: str, error: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise error(f'Field "{name}" must be of type Object')
    return raw


def _string(raw: Any, name: str, error: Any, *, required: bool = False) -> str | None:
    if raw is None:
        if required:
            raise error(f'Can\'t find field "{name}"')
        return None
    if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
        raise error(f'Field "{name}" must be of type String')
    return str(raw)


def _integer(raw: Any, name: str, error: Any, *, default: int | None = None) -> int:
    if raw is None:
        if default is None:
            raise error(f'Can\'t find field "{name}"')
        return default
    if isinstance(raw, bool):
        raise error(f'Field "{name}" must be of type Number')
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise error(f'Field "{name}" must be of type Number') from None


def _flag(raw: Any) -> bool:
    if isinstance(raw, str):
        return raw.lower() in ("true", "1")
    return bool(raw)


def _decoration(raw: dict[str, Any], error: Any) -> dict[str, Any]:
    """The fields every button may have besides its action: a custom emoji icon and a colour style."""
    extra: dict[str, Any] = {}
    icon = raw.get("icon_custom_emoji_id")
    if icon not in (None, "", 0, "0"):
        extra["icon_custom_emoji_id"] = str(_integer(icon, "icon_custom_emoji_id", error))
    style = raw.get("style")
    if style is not None:
        style = str(style).lower()
        if style not in ("", "default", *BUTTON_STYLES):
            raise error("invalid button style specified")
        if style in BUTTON_STYLES:
            extra["style"] = style
    return extra


def _inline_button(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _inline_error("InlineKeyboardButton must be an Object")
    if not isinstance(raw.get("text"), str):
        raise _inline_error('Field "text" must be of type String')
    actions = [name for name in INLINE_ACTIONS if raw.get(name) is not None]
    if not actions:
        raise _inline_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _inline_error(f"InlineKeyboardButton must have exactly one of the fields {', '.join(actions)}")
    button: dict[str, Any] = {"text": raw["text"], **_decoration(raw, _inline_error)}
    action, value = actions[0], raw[actions[0]]
    if action == "callback_data":
        if not isinstance(value, str) or not 1 <= len(value.encode()) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
        button["callback_data"] = value
    elif action == "url":
        if not isinstance(value, str) or not value.lower().startswith(_URL_SCHEMES) or " " in value:
            raise bad_request("BUTTON_URL_INVALID")
        button["url"] = value
    elif action == "login_url":
        login = _object(value, "login_url", _inline_error)
        url = _string(login.get("url"), "url", _inline_error, required=True)
        if not str(url).lower().startswith(("http://", "https://")):
            raise bad_request("BUTTON_URL_INVALID")
        button["url"] = url  # Telegram answers a login button as a url button
    elif action == "web_app":
        web_app = _object(value, "web_app", _inline_error)
        button["web_app"] = {"url": _string(web_app.get("url"), "url", _inline_error, required=True)}
    elif action == "copy_text":
        copy_text = _object(value, "copy_text", _inline_error)
        button["copy_text"] = {"text": _string(copy_text.get("text"), "text", _inline_error, required=True)}
    elif action == "switch_inline_query_chosen_chat":
        chosen = _object(value, "switch_inline_query_chosen_chat", _inline_error)
        flags = {name: _flag(chosen.get(name)) for name in _CHOSEN_CHAT_FLAGS}
        query = _string(chosen.get("query"), "query", _inline_error) or ""
        if all(flags.values()):
            button["switch_inline_query"] = query
        else:
            button["switch_inline_query_chosen_chat"] = {"query": query, **flags}
    elif action in ("switch_inline_query", "switch_inline_query_current_chat"):
        button[action] = _string(value, action, _inline_error, required=True)
    elif action == "callback_game":
        button["callback_game"] = {}
    else:
        button["pay"] = True
    return button


def _administrator_rights(raw: Any, name: str) -> dict[str, bool]:
    rights = _object(raw, name, _reply_error)
    return {right: _flag(rights.get(right)) for right in ADMIN_RIGHTS}


def _request_users(raw: Any) -> dict[str, Any]:
    request = _object(raw, "request_users", _reply_error)
    result: dict[str, Any] = {"request_id": _integer(request.get("request_id"), "request_id", _reply_error)}
    if not -(2**31) <= result["request_id"] < 2**31:
        raise _reply_error('Field "request_id" must be a valid Number')
    for name in ("user_is_bot", "user_is_premium"):
        if request.get(name) is not None:  # absent: no restriction; false: must not be
            result[name] = _flag(request[name])
    quantity = _integer(request.get("max_quantity"), "max_quantity", _reply_error, default=1)
    if quantity > 10:
        raise bad_request("REQUEST_PEER_INVALID")
    result["max_quantity"] = max(quantity, 1)
    for name in ("request_name", "request_username", "request_photo"):
        if _flag(request.get(name)):
            result[name] = True
    return result


def _request_chat(raw: Any) -> dict[str, Any]:
    request = _object(raw, "request_chat", _reply_error)
    result: dict[str, Any] = {"request_id": _integer(request.get("request_id"), "request_id", _reply_error),
                              "chat_is_channel": _flag(request.get("chat_is_channel"))}
    if not -(2**31) <= result["request_id"] < 2**31:
        raise _reply_error('Field "request_id" must be a valid Number')
    for name in ("chat_is_forum", "chat_has_username"):
        if request.get(name) is not None:
            result[name] = _flag(request[name])
    for name in ("chat_is_created", "bot_is_member", "request_title", "request_username", "request_photo"):
        if _flag(request.get(name)):
            result[name] = True
    for name in ("user_administrator_rights", "bot_administrator_rights"):
        if request.get(name) is not None:
            result[name] = _administrator_rights(request[name], name)
    return result


def _reply_button(raw: Any, private: bool) -> dict[str, Any]:
    if isinstance(raw, str):
        return {"text": raw}
    if not isinstance(raw, dict):
        raise _reply_error("KeyboardButton must be a String or an Object")
    if not isinstance(raw.get("text"), str):
        raise _reply_error('Field "text" must be of type String')
    raw = dict(raw)
    if raw.get("request_phone_number") not in (None, False):  # the older names Telegram still accepts
        raw.setdefault("request_contact", raw["request_phone_number"])
    if raw.get("request_user") is not None:
        raw.setdefault("request_users", raw["request_user"])
    actions = [name for name in REPLY_ACTIONS if raw.get(name) not in (None, False)]
    if len(actions) > 1:
        raise _reply_error(f"KeyboardButton must have at most one of {', '.join(actions)}")
    button: dict[str, Any] = {"text": raw["text"], **_decoration(raw, _reply_error)}
    if not actions:
        return button
    action = actions[0]
    if not private:
        raise bad_request(_PRIVATE_ONLY[action])
    if action in ("request_contact", "request_location"):
        if _flag(raw[action]):
            button[action] = True
    elif action == "request_poll":
        poll = _object(raw["request_poll"], "request_poll", _reply_error)
        kind = poll.get("type")
        button["request_poll"] = {"type": kind} if kind in ("quiz", "regular") else {}
    elif action == "web_app":
        web_app = _object(raw["web_app"], "web_app", _reply_error)
        button["web_app"] = {"url": _string(web_app.get("url"), "url", _reply_error, required=True)}
    elif action == "request_users":
        button["request_users"] = _request_users(raw["request_users"])
    else:
        button["request_chat"] = _request_chat(raw["request_chat"])
    return button


def _rows(raw: Any, field: str, owner: str) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise bad_request(f'field "{field}" of the {owner} must be an Array of Arrays')
    return raw


def _flags(raw: dict[str, Any], *names: str) -> dict[str, Any]:
    return {name: True for name in names if _flag(raw.get(name))}


def parse_reply_markup(raw: Any, *, private: bool = True) -> dict[str, Any] | None:
    """Validate and normalise a reply_markup (a dict or its JSON text) for a chat; None when there is none.

    Like Telegram, a markup with nothing it knows (or only empty keyboards) is no markup at all."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(raw, dict):
        raise bad_request("object expected as reply markup")
    rows: list[list[dict[str, Any]]] = []
    inline_rows: list[list[dict[str, Any]]] = []
    keyboard = raw.get("keyboard")
    if keyboard is not None:
        rows = [[_reply_button(button, private) for button in row]
                for row in _rows(keyboard, "keyboard", "ReplyKeyboardMarkup")]
    inline = raw.get("inline_keyboard")
    if inline is not None:
        inline_rows = [[_inline_button(button) for button in row]
                       for row in _rows(inline, "inline_keyboard", "InlineKeyboardMarkup")]
    selective = _flags(raw, "selective") or ({"selective": True} if _flag(raw.get("personal_keyboard")) else {})
    placeholder = raw.get("input_field_placeholder")
    placeholder_field = {"input_field_placeholder": str(placeholder)} if placeholder not in (None, "") else {}
    if rows:
        return {"keyboard": rows, **_flags(raw, "is_persistent", "resize_keyboard", "one_time_keyboard"),
                **placeholder_field, **selective}
    if inline_rows:
        return {"inline_keyboard": inline_rows}
    if _flag(raw.get("remove_keyboard")) or _flag(raw.get("hide_keyboard")):
        return {"remove_keyboard": True, **selective}
    if _flag(raw.get("force_reply")) or _flag(raw.get("force_reply_keyboard")):
        return {"force_reply": True, **placeholder_field, **selective}
    return None


def inline_keyboard(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a reply_markup that stays attached to a message (inline keyboards only)."""
    if markup and "inline_keyboard" in markup:
        return markup
    return None
