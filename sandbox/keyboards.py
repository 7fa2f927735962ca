"""reply_markup validation with Telegram's error descriptions."""

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
_URL_SCHEMES = ("http://", "https://", "tg://")


def _button_error(message: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {message}")


def _inline_button(raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if not isinstance(raw.get("text"), str):
        raise _button_error('Field "text" must be of type String')
    actions = [name for name in INLINE_ACTIONS if raw.get(name) is not None]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise _button_error(f"InlineKeyboardButton must have exactly one of the fields {', '.join(actions)}")
    if "callback_data" in actions:
        data = raw["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode()) <= 64:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        url = raw["url"]
        if not isinstance(url, str) or not url.lower().startswith(_URL_SCHEMES) or " " in url:
            raise bad_request("BUTTON_URL_INVALID")
    return {key: value for key, value in raw.items() if value is not None}


def _reply_button(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        return {"text": raw}
    if not isinstance(raw, dict):
        raise bad_request("can't parse keyboard button: KeyboardButton must be a String or an Object")
    if not isinstance(raw.get("text"), str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    actions = [name for name in REPLY_ACTIONS if raw.get(name) not in (None, False)]
    if len(actions) > 1:
        raise bad_request(f"can't parse keyboard button: KeyboardButton must have at most one of {', '.join(actions)}")
    return {key: value for key, value in raw.items() if value is not None}


def _rows(raw: Any, field: str, owner: str) -> list[list[Any]]:
    if not isinstance(raw, list) or not all(isinstance(row, list) for row in raw):
        raise bad_request(f'field "{field}" of the {owner} must be an Array of Arrays')
    return raw


def parse_reply_markup(raw: Any) -> dict[str, Any] | None:
    """Validate and normalise a reply_markup (a dict or its JSON text); None when absent."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(raw, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in raw:
        rows = _rows(raw["inline_keyboard"], "inline_keyboard", "InlineKeyboardMarkup")
        return {"inline_keyboard": [[_inline_button(button) for button in row] for row in rows]}
    if "keyboard" in raw:
        rows = _rows(raw["keyboard"], "keyboard", "ReplyKeyboardMarkup")
        markup = {key: value for key, value in raw.items() if value is not None and key != "keyboard"}
        markup["keyboard"] = [[_reply_button(button) for button in row] for row in rows]
        return markup
    if raw.get("remove_keyboard") is True:
        return {key: value for key, value in raw.items() if value is not None}
    if raw.get("force_reply") is True:
        return {key: value for key, value in raw.items() if value is not None}
    raise bad_request("can't find field \"inline_keyboard\"")


def inline_keyboard(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    """The part of a reply_markup that stays attached to a message (inline keyboards only)."""
    if markup and "inline_keyboard" in markup:
        return markup
    return None
