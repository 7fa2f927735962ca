"""getChat, getChatMember, getChatAdministrators, getChatMemberCount."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.methods.registry import method
from sandbox.models import Chat, User
from sandbox.params import Params
from sandbox.serialize import chat_full_info

if TYPE_CHECKING:
    from sandbox.core import Core

ADMIN_RIGHTS = (
    "can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
    "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories", "can_edit_stories",
    "can_delete_stories", "can_pin_messages", "can_manage_topics", "can_send_welcome_messages",
)
# A restricted member may send messages of every kind and do nothing else.
RESTRICTED_RIGHTS = (
    "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos", "can_send_videos",
    "can_send_video_notes", "can_send_voice_notes", "can_send_polls", "can_send_other_messages",
    "can_add_web_page_previews", "can_react_to_messages", "can_change_info", "can_invite_users",
    "can_pin_messages", "can_manage_topics", "can_edit_tag",
)
USER_ADMIN_RIGHTS = {right: right not in ("can_promote_members", "can_send_welcome_messages") for right in ADMIN_RIGHTS}


def _administrator(user: User, rights: dict[str, bool], *, is_bot: bool) -> dict[str, Any]:
    member: dict[str, Any] = {"status": "administrator", "user": user.to_api(), "can_be_edited": False,
                              "is_anonymous": False}
    for right in ADMIN_RIGHTS:
        member[right] = bool(rights.get(right, False))
    if is_bot:
        member["can_manage_chat"] = True
    return member


def chat_member(core: Core, chat: Chat, user_id: int) -> dict[str, Any]:
    world = core.world
    if user_id == world.bot.id:
        if chat.bot_rights is not None and not chat.is_private:
            return _administrator(world.bot, chat.bot_rights, is_bot=True)
        return {"status": "member", "user": world.bot.to_api()}
    user = world.users.get(user_id)
    if user is None:
        raise bad_request("user not found")
    if chat.is_private:
        if chat.user_id != user_id:
            raise bad_request("user not found")
        return {"status": "member", "user": user.to_api()}
    if chat.owner_id == user_id:
        return {"status": "creator", "user": user.to_api(), "is_anonymous": False}
    if user_id in chat.admins:
        return _administrator(user, USER_ADMIN_RIGHTS, is_bot=False)
    if user_id in chat.restricted:
        return {"status": "restricted", "user": user.to_api(), "is_member": True, "until_date": 0,
                **{right: right.startswith("can_send_") or right in ("can_add_web_page_previews",
                                                                     "can_react_to_messages")
                   for right in RESTRICTED_RIGHTS}}
    if user_id in chat.members:
        return {"status": "member", "user": user.to_api()}
    return {"status": "left", "user": user.to_api()}


@method("getChat")
def get_chat(core: Core, p: Params) -> dict[str, Any]:
    return chat_full_info(core.world, core.world.chat(p.chat_id()))


@method("getChatMember")
def get_chat_member(core: Core, p: Params) -> dict[str, Any]:
    chat = core.world.chat(p.chat_id())
    user_id = p.int("user_id", required=True)
    assert user_id is not None
    return chat_member(core, chat, user_id)


@method("getChatAdministrators")
def get_chat_administrators(core: Core, p: Params) -> list[dict[str, Any]]:
    chat = core.world.chat(p.chat_id())
    if chat.is_private:
        raise bad_request("there are no administrators in the private chat")
    ids = ([chat.owner_id] if chat.owner_id else []) + [a for a in chat.admins if a != chat.owner_id]
    result = [chat_member(core, chat, user_id) for user_id in ids]
    if chat.bot_rights is not None:
        result.append(chat_member(core, chat, core.bot.id))
    return result


@method("getChatMemberCount")
def get_chat_member_count(core: Core, p: Params) -> int:
    chat = core.world.chat(p.chat_id())
    if chat.is_private:
        return 2
    return len(set(chat.members) | set(chat.admins) | ({chat.owner_id} if chat.owner_id else set())) + 1
