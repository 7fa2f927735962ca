"""The sandbox clock (message dates follow it, listeners hear of moves) and the record of error answers."""

from __future__ import annotations

import time

from sandbox import ClockMove, Sandbox
from tests.sandbox.http import BotHttp, Control

DAY = 86400


async def test_message_dates_follow_the_moved_clock(sb: Sandbox, tg: BotHttp, ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    before = (await ctl.call("GET", "/clock"))
    assert before["offset"] == 0 and abs(before["now"] - time.time()) < 2
    await ctl.call("POST", "/users/1001/messages", {"text": "today"})

    moved = await ctl.call("POST", "/clock", {"days": 1, "hours": 2})
    assert moved["delta"] == DAY + 7200 and moved["offset"] == DAY + 7200
    assert moved["iso"].endswith("+00:00") and abs(moved["now"] - (time.time() + DAY + 7200)) < 2
    await ctl.call("POST", "/users/1001/messages", {"text": "tomorrow"})
    sent = await tg.call("sendMessage", chat_id=1001, text="answer")

    first, second = [u["message"] for u in await tg.updates()]
    assert second["date"] - first["date"] >= DAY + 7200 - 2
    assert sent["date"] >= second["date"] and abs(sent["date"] - sb.now()) < 2
    edited = await tg.call("editMessageText", chat_id=1001, message_id=sent["message_id"], text="edited")
    assert edited["edit_date"] >= sent["date"]

    error = await ctl.call("POST", "/clock", {"days": -1}, status=400)
    assert "forward" in error["error"]
    assert "unknown clock fields" in (await ctl.call("POST", "/clock", {"years": 1}, status=400))["error"]


async def test_listeners_follow_each_move(sb: Sandbox) -> None:
    heard: list[ClockMove] = []
    awaited: list[float] = []

    async def app_clock(move: ClockMove) -> None:
        awaited.append(move.offset)

    def failing(move: ClockMove) -> None:
        raise RuntimeError("a broken listener does not stop the others")

    sb.on_clock_moved(heard.append)
    sb.on_clock_moved(failing)
    sb.on_clock_moved(app_clock)
    move = await sb.move_clock(days=1)
    assert move == heard[0] and move.delta == DAY and move.update_ids == ()
    await sb.move_clock(weeks=1, seconds=5)
    assert [m.offset for m in heard] == [DAY, 8 * DAY + 5] == awaited
    assert abs(heard[-1].now - (time.time() + 8 * DAY + 5)) < 2
    sb.remove_clock_listener(heard.append)
    await sb.move_clock(minutes=1)
    assert len(heard) == 2 and len(awaited) == 3
    await sb.reset()
    assert sb.clock.offset == 8 * DAY + 65, "reset keeps the clock: time never runs backwards for the app"


async def test_error_answers_are_recorded_and_cleared(sb: Sandbox, tg: BotHttp, ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
    await tg.call("sendMessage", chat_id=1001, text="fine")
    assert sb.bot_errors == []
    sb.assert_no_bot_errors()

    assert await tg.error("sendMessage", chat_id=42, text="x") == "Bad Request: chat not found"
    assert await tg.error("sendMessage", chat_id=1001, text=" ") == "Bad Request: message text is empty"
    await ctl.call("POST", "/faults", {"method": "getMe", "code": 502})
    assert (await tg.raw("getMe"))["error_code"] == 502
    async with tg.http.post(f"{sb.url}/bot123:wrong/getMe") as resp:
        assert resp.status == 401

    assert [(e.method, e.error_code, e.injected) for e in sb.bot_errors] == [
        ("sendMessage", 400, False), ("sendMessage", 400, False), ("getMe", 502, True), ("getMe", 401, False)]
    assert sb.bot_errors[0].params == {"chat_id": 42, "text": "x"}
    listed = (await ctl.call("GET", "/errors"))["errors"]
    assert [e["description"] for e in listed][:2] == ["Bad Request: chat not found",
                                                      "Bad Request: message text is empty"]
    try:
        sb.assert_no_bot_errors()
    except AssertionError as error:
        assert "sendMessage: 400 Bad Request: chat not found" in str(error) and "502" not in str(error)
    else:
        raise AssertionError("errors were not reported")

    await ctl.call("DELETE", "/errors")
    assert sb.bot_errors == [] and (await ctl.call("GET", "/errors"))["errors"] == []
