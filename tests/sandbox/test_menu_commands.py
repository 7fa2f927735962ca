"""What the client's command menu shows a user (the control API resolves scopes and languages like Telegram),
and editing a user."""

from __future__ import annotations

from tests.sandbox.http import BotHttp, Control


async def test_menu_commands_follow_telegrams_scope_order(tg: BotHttp, ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann", "language_code": "ru"})
    await ctl.call("POST", "/users", {"id": 1002, "first_name": "Bob", "language_code": "en"})
    await ctl.call("POST", "/groups", {"id": -1001234567890, "title": "Support", "members": [1001],
                                       "admins": [1002]})
    empty = await ctl.call("GET", "/chats/1001/commands")
    assert empty == {"commands": [], "scope": None, "language_code": "", "menu_button": {"type": "commands"}}

    def cmd(name: str) -> dict[str, str]:
        return {"command": name, "description": name.title()}

    await tg.call("setMyCommands", commands=[cmd("start")])
    await tg.call("setMyCommands", commands=[cmd("start_ru")], language_code="ru")
    await tg.call("setMyCommands", commands=[cmd("private")], scope={"type": "all_private_chats"})
    await tg.call("setMyCommands", commands=[cmd("admins")], scope={"type": "all_chat_administrators"})
    await tg.call("setMyCommands", commands=[cmd("ann")], scope={"type": "chat", "chat_id": 1001},
                  language_code="ru")

    assert (await ctl.call("GET", "/chats/1001/commands"))["commands"] == [cmd("ann")]
    answer = await ctl.call("GET", "/chats/1002/commands")
    assert answer["commands"] == [cmd("private")] and answer["scope"] == "all_private_chats::"
    await ctl.call("PATCH", "/users/1001", {"language_code": "en"})
    assert (await ctl.call("GET", "/chats/1001/commands"))["commands"] == [cmd("private")]
    group = "/chats/-1001234567890/commands"
    assert (await ctl.call("GET", f"{group}?user_id=1001"))["commands"] == [cmd("start")]
    await ctl.call("PATCH", "/users/1001", {"language_code": "ru"})
    assert (await ctl.call("GET", f"{group}?user_id=1001"))["commands"] == [cmd("start_ru")]
    assert (await ctl.call("GET", f"{group}?user_id=1002"))["commands"] == [cmd("admins")]

    await tg.call("setChatMenuButton", chat_id=1002, menu_button={
        "type": "web_app", "text": "Open", "web_app": {"url": "https://example.com/app"}})
    assert (await ctl.call("GET", "/chats/1002/commands"))["menu_button"]["type"] == "web_app"


async def test_users_can_be_edited(ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann", "language_code": "en"})
    edited = await ctl.call("PATCH", "/users/1001", {"language_code": "ru", "phone_number": "+37120000001"})
    assert edited["language_code"] == "ru" and edited["phone_number"] == "+37120000001"
    assert "unknown user fields" in (await ctl.call("PATCH", "/users/1001", {"blocked": True}, status=400))["error"]
    assert "empty" in (await ctl.call("PATCH", "/users/1001", {"first_name": " "}, status=400))["error"]
