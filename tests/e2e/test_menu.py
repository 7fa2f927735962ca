"""The customer opens the client area, moves around the menu, and gets answers in their language."""

from __future__ import annotations

from aiogram.types import BotCommandScopeAllPrivateChats
from sqlalchemy import select

from domain.models import User


async def test_start_shows_menu_and_stores_the_profile(ann, running) -> None:
    await ann.send("/start")
    screen = ann.screen
    assert "Client area" in screen.text and "Hello, Ann!" in screen.text
    assert "<b>Client area</b>" in screen.html
    assert "❓ Help" in screen.button_texts
    async with running.sessions() as session:
        user = (await session.execute(select(User).where(User.id == 1001))).scalar_one()
    assert (user.first_name, user.last_name, user.username, user.language_code) == ("Ann", "Lee", "ann", "en")
    assert user.locale is None and user.reachable


async def test_help_edits_in_place_and_back_to_menu(ann) -> None:
    await ann.send("/start")
    menu_id = ann.screen.message_id
    count = len(ann.messages)
    await ann.press("❓ Help")
    assert ann.screen.message_id == menu_id and len(ann.messages) == count
    assert "/cancel — leave the current dialog" in ann.screen.text
    assert ann.screen.button_texts == ["☰ Main menu"]
    await ann.press("☰ Main menu")
    assert ann.screen.message_id == menu_id and "Hello, Ann!" in ann.screen.text


async def test_commands_help_menu_cancel(ann) -> None:
    await ann.send("/help")
    assert ann.screen.text.startswith("Help")
    await ann.send("/menu")
    assert "Choose a section." in ann.screen.text
    await ann.send("/cancel")
    assert ann.screen.text.startswith("There is nothing to cancel.\n\n") and "Choose a section." in ann.screen.text


async def test_unknown_text_gets_a_hint_and_the_menu(ann) -> None:
    await ann.send("what is this?")
    # One message: the hint above the menu, whose buttons are right there.
    assert ann.screen.text.startswith("I did not understand that. Please use the menu buttons below.\n\n")
    assert "Choose a section." in ann.screen.text and "🛒 Order" in ann.screen.button_texts


async def test_deep_links(ann) -> None:
    await ann.send("/start help")
    assert ann.screen.text.startswith("Help")
    await ann.send("/start no-such-thing")
    assert ann.screen.text.startswith("This link is not valid (any more). Here is the main menu.\n\n")
    assert "Choose a section." in ann.screen.text


async def test_russian_customer_gets_russian(ivan, running) -> None:
    await ivan.send("/start")
    assert "Личный кабинет" in ivan.screen.text and "Здравствуйте, Иван!" in ivan.screen.text
    await ivan.press("❓ Помощь")
    assert ivan.screen.text.startswith("Помощь")
    await ivan.send("абракадабра")
    assert ivan.messages[-1].text.startswith("Не понял сообщение")


async def test_saved_language_wins_over_telegram(ann, running) -> None:
    await ann.send("/start")
    async with running.app.domain() as domain:
        await domain.accounts.set_locale(1001, "ru", ("en", "ru"))
    await ann.send("/menu")
    assert "Здравствуйте, Ann!" in ann.screen.text


async def test_user_supplied_names_are_escaped(sandbox, running) -> None:
    eve = await sandbox.user(id=1003, first_name="<b>Eve</b> & co", language_code="en")
    await eve.send("/start")
    assert "Hello, <b>Eve</b> & co!" in eve.screen.text
    assert "&lt;b&gt;Eve&lt;/b&gt; &amp; co" in eve.screen.html


async def test_stale_button_is_answered_like_a_foreign_id(ann) -> None:
    await ann.send("/start")
    await ann.press(callback_data="x:gone:1", message=ann.screen)
    assert ann.bot_messages[-1].text == "Not found. It may have been removed, or it is not yours."


async def test_commands_are_set_per_language(ann, running) -> None:
    await ann.send("/start")  # the app is surely started
    bot = running.app.bot
    english = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats())
    russian = await bot.get_my_commands(scope=BotCommandScopeAllPrivateChats(), language_code="ru")
    assert [(c.command, c.description) for c in english][:2] == [("start", "Open the client area"),
                                                                  ("menu", "Main menu")]
    assert [c.command for c in russian] == ["start", "menu", "settings", "help", "cancel"]
    assert russian[3].description == "Помощь"


async def test_group_chatter_is_ignored(sandbox, running) -> None:
    sam = await sandbox.user(id=2001, first_name="Sam", username="sam")
    group = await sandbox.group(id=-1001000000002, title="Elsewhere", forum=False, members=[sam], admins=[sam])
    before = len(sandbox.requests)
    await sam.send("hello bot", chat_id=group.id)
    await sam.send("/start", chat_id=group.id)
    sent = [r for r in sandbox.requests[before:] if r.method.lower().startswith("send")]
    assert sent == []
