"""Bot identity, commands and menu button."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.methods.registry import method
from sandbox.models import Chat
from sandbox.params import Params

if TYPE_CHECKING:
    from sandbox.core import Core

_COMMAND_RE = re.compile(r"^[a-z0-9_]{1,32}$")
_SCOPES = {"default", "all_private_chats", "all_group_chats", "all_chat_administrators", "chat",
           "chat_administrators", "chat_member"}
_MENU_TYPES = {"commands", "web_app", "default"}


@method("getMe")
def get_me(core: Core, p: Params) -> dict[str, Any]:
    return {**core.bot.to_api(), "can_join_groups": True, "can_read_all_group_messages": not core.config.privacy_mode,
            "supports_inline_queries": False, "can_connect_to_business": False, "has_main_web_app": False}


@method("logOut", "close")
def log_out(core: Core, p: Params) -> bool:
    return True


def _scope_key(core: Core, p: Params) -> str:
    scope = p.json("scope") or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPES:
        raise bad_request("can't parse BotCommandScope: unsupported type")
    kind = scope["type"]
    chat_part = user_part = ""
    if kind in ("chat", "chat_administrators", "chat_member"):
        chat_part = str(core.world.chat(scope.get("chat_id")).id)
    if kind == "chat_member":
        user_part = str(core.world.user(int(scope.get("user_id") or 0)).id)
    return f"{kind}:{chat_part}:{user_part}"


def _language(p: Params) -> str:
    language = p.str("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return language


def commands_for(core: Core, chat: Chat, user_id: int | None) -> tuple[list[dict[str, Any]], str, str]:
    """The commands a Telegram client shows this user in this chat's menu, found the way Telegram documents it
    (the narrowest scope with commands wins, each scope tried with the user's language first, then without).
    Returns (commands, scope key, language) - empty when no scope has any."""
    user = core.world.users.get(user_id) if user_id is not None else None
    language = (user.language_code or "")[:2].lower() if user else ""
    if chat.is_private:
        scopes = [f"chat:{chat.id}:", "all_private_chats::", "default::"]
    else:
        admin = user_id is not None and (user_id in chat.admins or user_id == chat.owner_id)
        scopes = [f"chat_member:{chat.id}:{user_id}" if user_id is not None else None,
                  f"chat_administrators:{chat.id}:" if admin else None, f"chat:{chat.id}:",
                  "all_chat_administrators::" if admin else None, "all_group_chats::", "default::"]
    for scope in filter(None, scopes):
        for lang in dict.fromkeys([language, ""]):
            commands = core.world.commands.get((scope, lang))
            if commands:
                return list(commands), scope, lang
    return [], "", ""


def menu_button_for(core: Core, chat: Chat) -> dict[str, Any]:
    return chat.menu_button or core.world.default_menu_button


@method("setMyCommands")
def set_my_commands(core: Core, p: Params) -> bool:
    commands = p.json("commands")
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > 100:
        raise bad_request("BOT_COMMANDS_TOO_MUCH")
    cleaned = []
    for item in commands:
        if not isinstance(item, dict):
            raise bad_request("can't parse BotCommand: BotCommand must be an Object")
        command, description = str(item.get("command", "")), str(item.get("description", ""))
        command = command.removeprefix("/")
        if not _COMMAND_RE.match(command):
            raise bad_request("BOT_COMMAND_INVALID")
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        cleaned.append({"command": command, "description": description})
    key = (_scope_key(core, p), _language(p))
    if cleaned:
        core.world.commands[key] = cleaned
    else:
        core.world.commands.pop(key, None)
    core.world.emit({"type": "commands", "chat_id": None})
    return True


@method("getMyCommands")
def get_my_commands(core: Core, p: Params) -> list[dict[str, Any]]:
    return list(core.world.commands.get((_scope_key(core, p), _language(p)), []))


@method("deleteMyCommands")
def delete_my_commands(core: Core, p: Params) -> bool:
    core.world.commands.pop((_scope_key(core, p), _language(p)), None)
    core.world.emit({"type": "commands", "chat_id": None})
    return True


@method("setChatMenuButton")
def set_chat_menu_button(core: Core, p: Params) -> bool:
    button = p.json("menu_button") or {"type": "default"}
    if not isinstance(button, dict) or button.get("type") not in _MENU_TYPES:
        raise bad_request("can't parse menu button: unsupported type")
    if button["type"] == "web_app":
        web_app = button.get("web_app")
        if not button.get("text") or not isinstance(web_app, dict) or not str(web_app.get("url", "")).startswith(
            "https://"
        ):
            raise bad_request("BUTTON_URL_INVALID")
    if p.has("chat_id"):
        chat = core.world.chat(p.chat_id())
        if not chat.is_private:
            raise bad_request("chat not found")
        chat.menu_button = None if button["type"] == "default" else button
        core.world.emit({"type": "chat", "chat_id": chat.id, "menu_button": button})
    else:
        core.world.default_menu_button = {"type": "commands"} if button["type"] == "default" else button
    return True


@method("getChatMenuButton")
def get_chat_menu_button(core: Core, p: Params) -> dict[str, Any]:
    if p.has("chat_id"):
        chat = core.world.chat(p.chat_id())
        if chat.menu_button is not None:
            return chat.menu_button
    return core.world.default_menu_button
