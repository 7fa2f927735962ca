"""The customer opens Settings and changes phone, e-mail, avatar, language and time zone."""

from __future__ import annotations

import pytest
from aiogram.types import BotCommandScopeChat

from domain.models import Avatar, User
from sandbox import make_png
from tests.e2e.conftest import make_settings
from tests.e2e.flows import one


@pytest.fixture
def settings(sandbox, db_url, redis_url, tmp_path):
    """A test taps faster than a person: a wider throttle than the default."""
    return make_settings(sandbox, db_url, redis_url, tmp_path, throttle_rate=50, throttle_burst=50)


async def open_settings(driver) -> None:
    await driver.send("/start")
    await driver.press(driver.screen.button_texts[[t.endswith(("Settings", "Настройки")) for t in
                                                   driver.screen.button_texts].index(True)])


async def test_settings_screen_from_menu_and_command(ann) -> None:
    await ann.send("/start")
    menu_id = ann.screen.message_id
    await ann.press("⚙️ Settings")
    assert ann.screen.message_id == menu_id  # edited in place
    text = ann.screen.text
    assert text.startswith("⚙️ Settings")
    assert "📱 Phone: not set" in text and "✉️ E-mail: not set" in text and "🖼 Avatar: none" in text
    assert "🌐 Language: English" in text and "🔐 Two-step authentication: off" in text
    assert "🕒 Time zone: UTC (now 26 Nov 2026, 09:00)" in text and "UTC, UTC" not in text
    assert ann.screen.button_texts[-1] == "☰ Main menu"
    await ann.send("/settings")
    assert ann.screen.message_id != menu_id and ann.screen.text.startswith("⚙️ Settings")


async def test_phone_from_own_contact_is_saved_masked(ann, running) -> None:
    await open_settings(ann)
    await ann.press("📱 Phone")
    assert "Share your contact" in ann.messages[-2].text
    assert ann.reply_keyboard is not None and ann.reply_keyboard[0][0].text == "📱 Share my contact"
    await ann.send_contact("447911123456", user_id=1001)
    assert ann.messages[-2].text == "✅ Phone saved: +44 •••••••456"
    assert ann.reply_keyboard is None
    assert "📱 Phone: +44 •••••••456" in ann.screen.text
    assert (await one(running, User, User.id == 1001)).phone == "+447911123456"


async def test_foreign_contact_is_refused(ann, running) -> None:
    await open_settings(ann)
    await ann.press("📱 Phone")
    await ann.send_contact("+447911999999", user_id=4242)
    assert ann.screen.text == "This is somebody else’s contact. Please share your own contact or type your number."
    await ann.send_contact("+447911999999")  # a contact card without a Telegram account behind it
    assert ann.screen.text.startswith("This is somebody else’s contact.")
    assert (await one(running, User, User.id == 1001)).phone is None


async def test_typed_phone_is_validated_and_normalised(ann, running) -> None:
    await open_settings(ann)
    await ann.press("📱 Phone")
    await ann.send("12345")
    assert ann.screen.text.startswith("This is not a valid phone number.")
    assert (await one(running, User, User.id == 1001)).phone is None
    await ann.send("+44 (0)20 7946 0958")
    assert ann.messages[-2].text == "✅ Phone saved: +44 •••••••958"
    assert (await one(running, User, User.id == 1001)).phone == "+442079460958"
    await ann.press("📱 Phone")
    assert "Current number: +44 •••••••958" in ann.messages[-2].text
    await ann.press("🗑 Remove phone")
    assert (await one(running, User, User.id == 1001)).phone is None


async def test_reply_cancel_takes_the_keyboard_away(ann, running) -> None:
    await open_settings(ann)
    await ann.press("📱 Phone")
    await ann.send("✖ Cancel")  # the reply keyboard's button (the inline one has the same label)
    assert ann.reply_keyboard is None
    assert ann.messages[-2].text == "Cancelled. Nothing was changed."
    assert ann.screen.text.startswith("⚙️ Settings")


async def test_phone_in_russian(ivan, running) -> None:
    await open_settings(ivan)
    await ivan.press("📱 Телефон")
    await ivan.send("8 900 123")
    assert ivan.screen.text.startswith("Это не похоже на номер телефона.")
    await ivan.send("+7 900 123-45-67")
    assert ivan.messages[-2].text == "✅ Телефон сохранён: +7 •••••••567"
    assert "📱 Телефон: +7 •••••••567" in ivan.screen.text


async def test_email_is_validated_and_saved(ann, running) -> None:
    await open_settings(ann)
    await ann.press("✉️ E-mail")
    assert "Send the new address." in ann.screen.text
    await ann.send("not an address")
    assert ann.screen.text.startswith("This does not look like an e-mail address.")
    await ann.send("Ann.Lee@Example.COM")
    assert "✅ E-mail saved: Ann.Lee@example.com" in ann.screen.text
    assert "✉️ E-mail: Ann.Lee@example.com" in ann.screen.text
    assert (await one(running, User, User.id == 1001)).email == "Ann.Lee@example.com"
    await ann.press("✉️ E-mail")
    await ann.press("🗑 Remove e-mail")
    assert "✅ E-mail removed." in ann.screen.text
    assert (await one(running, User, User.id == 1001)).email is None


async def test_email_in_russian(ivan, running) -> None:
    await open_settings(ivan)
    await ivan.press("✉️ E-mail")
    await ivan.send('"<b>x</b>"@example.com')
    assert ivan.screen.text.startswith("Это не похоже на адрес e-mail.")
    await ivan.send("ivan@пример.рф")
    assert "✅ E-mail сохранён: ivan@пример.рф" in ivan.screen.text
    assert (await one(running, User, User.id == 1002)).email == "ivan@пример.рф"


async def test_avatar_photo_is_downloaded_stored_and_shown(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🖼 Avatar")
    assert "PNG, JPEG or WebP, up to 5 MB" in ann.screen.text
    png = make_png(64, 48)
    sent = await ann.send_photo(png)
    screen = ann.screen
    assert screen.photo, "the settings screen shows the avatar"
    assert screen.caption.startswith("✅ Avatar saved.") and "🖼 Avatar: set" in screen.caption
    async with running.sessions() as session:
        avatar = await session.get(Avatar, 1001)
    # Telegram re-encodes a photo: the bot keeps the JPEG it downloads, in its full size.
    jpeg = sent.file_bytes()
    assert jpeg.startswith(b"\xff\xd8") and (avatar.content, avatar.content_type) == (jpeg, "image/jpeg")
    assert (avatar.width, avatar.height, avatar.size) == (64, 48, len(jpeg))
    # Moving around from the photo screen: a text screen replaces it.
    await ann.press("🌐 Language")
    assert not ann.screen.photo and ann.screen.text.startswith("🌐 Language")
    await ann.press("« Back")
    assert ann.screen.photo and "🖼 Avatar: set" in ann.screen.caption
    # Notification preferences are part of the settings, also from the photo screen.
    await ann.press("⚙️ Preferences")
    assert not ann.screen.photo and ann.screen.text.startswith("⚙️ Notification preferences")
    await open_settings(ann)
    await ann.press("🖼 Avatar")
    # The avatar screen shows the avatar itself, with what may replace it and Remove.
    assert ann.screen.photo
    assert "Your avatar now is the picture above." in ann.screen.caption
    assert ann.screen.button_texts == ["🗑 Remove avatar", "✖ Cancel"]
    await ann.press("🗑 Remove avatar")
    assert not ann.screen.photo and "🖼 Avatar: none" in ann.screen.text
    async with running.sessions() as session:
        assert await session.get(Avatar, 1001) is None
    assert (await one(running, User, User.id == 1001)).avatar_file_id is None


async def test_avatar_as_document_is_checked_by_content(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🖼 Avatar")
    await ann.send_document(b"%PDF-1.4 not an image", "cat.png", mime_type="image/png")
    assert ann.screen.text == "This is not a PNG, JPEG or WebP image. Please send a photo."
    await ann.send_document(make_png(8, 8), "tiny.png", mime_type="image/png")
    assert ann.screen.text.startswith("The image must be at least 32")
    await ann.send("hello")
    assert "PNG, JPEG or WebP" in ann.screen.text
    png = make_png(100, 100)
    await ann.send_document(png, "me.png", mime_type="image/png")
    # A document cannot be shown as a photo by its file id: the stored copy is uploaded instead.
    assert ann.screen.photo and "🖼 Avatar: set" in ann.screen.caption
    assert ann.screen.uploaded_bytes() == png
    user = await one(running, User, User.id == 1001)
    assert user.avatar_file_id is not None
    await ann.send("/settings")
    assert ann.screen.photo and ann.screen.caption.startswith("⚙️ Settings")


async def test_avatar_too_big_is_refused_before_download(ann, sandbox, running) -> None:
    await open_settings(ann)
    await ann.press("🖼 Avatar")
    before = len(sandbox.calls("getFile"))
    await ann.send_document(b"\x89PNG\r\n\x1a\n" + b"\0" * (5 * 1024 * 1024 + 1), "big.png", mime_type="image/png")
    assert ann.screen.text == "This file is too big: an avatar can be up to 5 MB."
    assert len(sandbox.calls("getFile")) == before
    async with running.sessions() as session:
        assert await session.get(Avatar, 1001) is None


async def test_language_switch_rerenders_and_sets_commands(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🌐 Language")
    screen_id = ann.screen.message_id
    assert ann.screen.button_texts[:2] == ["✓ English", "Русский"]
    await ann.press("Русский")
    assert ann.screen.message_id == screen_id
    assert ann.screen.text.startswith("✅ Язык изменён.") and "Язык интерфейса: Русский." in ann.screen.text
    assert ann.screen.button_texts[:2] == ["English", "✓ Русский"]
    assert (await one(running, User, User.id == 1001)).locale == "ru"
    commands = await running.app.bot.get_my_commands(scope=BotCommandScopeChat(chat_id=1001))
    assert [c.command for c in commands] == ["start", "menu", "settings", "help", "cancel"]
    assert commands[3].description == "Помощь"
    await ann.press("« Назад")
    assert "🌐 Язык: Русский" in ann.screen.text
    await ann.send("/menu")
    assert "Здравствуйте, Ann!" in ann.screen.text


async def test_language_back_to_english(ivan, running) -> None:
    await open_settings(ivan)
    await ivan.press("🌐 Язык")
    await ivan.press("English")
    assert ivan.screen.text.startswith("✅ Language changed.")
    commands = await running.app.bot.get_my_commands(scope=BotCommandScopeChat(chat_id=1002))
    assert commands[3].description == "Help"


async def test_forged_language_is_refused(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🌐 Language")
    await ann.press(callback_data="st:lang_set:xx:0", message=ann.screen)
    assert ann.last_callback_answer.text == "The language “xx” is not available."
    assert (await one(running, User, User.id == 1001)).locale is None


async def test_time_zone_by_region_with_pages(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    assert "Your time zone: UTC, local time 26 Nov 2026, 09:00." in ann.screen.text
    await ann.press("Europe")
    assert ann.screen.text == "🕒 Europe · page 1 of 4"
    assert "London · UTC" in ann.screen.button_texts
    await ann.press("»")
    await ann.press("»")
    assert ann.screen.text == "🕒 Europe · page 3 of 4"
    await ann.press("Riga · UTC+02:00")
    assert ann.screen.text.startswith("✅ Time zone: Riga (Europe/Riga), UTC+02:00, local time 26 Nov 2026, 11:00.")
    assert "🕒 Time zone: Riga (Europe/Riga), UTC+02:00 (now 26 Nov 2026, 11:00)" in ann.screen.text
    assert (await one(running, User, User.id == 1001)).time_zone == "Europe/Riga"


async def test_time_zone_typed_city_or_zone(ann, running, clock) -> None:
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    await ann.send("Atlantis")
    assert ann.screen.text.startswith("No time zone matches “Atlantis”.")
    await ann.send("new york")
    assert ann.screen.text.startswith("✅ Time zone: New York (America/New_York), UTC−05:00, "
                                      "local time 26 Nov 2026, 04:00")
    assert (await one(running, User, User.id == 1001)).time_zone == "America/New_York"
    await ann.press("🕒 Time zone")
    await ann.send("asia/tokyo")
    assert (await one(running, User, User.id == 1001)).time_zone == "Asia/Tokyo"
    await ann.press("🕒 Time zone")
    await ann.send("<b>Ber")
    assert "&lt;b&gt;Ber" in ann.screen.html


async def test_time_zone_several_matches_are_offered(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    await ann.send("San")
    assert ann.screen.text.startswith("Several time zones match “San”.")
    choice = next(t for t in ann.screen.button_texts if t.startswith("Santiago"))
    await ann.press(choice)
    assert (await one(running, User, User.id == 1001)).time_zone == "America/Santiago"


async def test_time_zone_in_russian_by_russian_city(ivan, running) -> None:
    await open_settings(ivan)
    await ivan.press("🕒 Часовой пояс")
    await ivan.send("Новосибирск")
    assert ivan.screen.text.startswith("✅ Часовой пояс: Новосибирск (Asia/Novosibirsk), UTC+07:00")
    assert "16:00" in ivan.screen.text


async def test_time_zone_from_location(ann, running) -> None:
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    await ann.press("📍 Share location")
    assert ann.reply_keyboard is not None and ann.reply_keyboard[0][0].text == "📍 Send my location"
    await ann.send_location(35.68, 139.69)
    assert ann.messages[-2].text.startswith("✅ Time zone: Tokyo (Asia/Tokyo), UTC+09:00")
    assert ann.reply_keyboard is None
    assert (await one(running, User, User.id == 1001)).time_zone == "Asia/Tokyo"


async def test_dates_follow_the_time_zone(ann, running, clock) -> None:
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    await ann.send("Europe/Moscow")
    assert "(now 26 Nov 2026, 12:00)" in ann.screen.text
    clock.move(hours=13)
    await ann.send("/settings")
    assert "(now 27 Nov 2026, 01:00)" in ann.screen.text


async def test_cancel_in_a_step_returns_to_the_settings(ann, running) -> None:
    await open_settings(ann)
    await ann.press("✉️ E-mail")
    assert "The bot sends no e-mail." in ann.screen.text and "go to this address" not in ann.screen.text
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n⚙️ Settings")
    await ann.send("ann@example.com")  # the step is left: the text is not taken as the address
    assert (await one(running, User, User.id == 1001)).email is None
    # From the phone step (a reply keyboard too): the inline Cancel takes the keyboard away as well.
    await open_settings(ann)
    await ann.press("📱 Phone")
    await ann.press("✖ Cancel", message=ann.messages[-2])
    assert ann.reply_keyboard is None and ann.screen.text.startswith("⚙️ Settings")
    # /cancel in the time zone step, and the avatar step without an avatar.
    await open_settings(ann)
    await ann.press("🕒 Time zone")
    await ann.send("/cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n⚙️ Settings")
    await open_settings(ann)
    await ann.press("🖼 Avatar")
    assert "You have no avatar yet." in ann.screen.text and ann.screen.button_texts == ["✖ Cancel"]
    await ann.press("✖ Cancel")
    assert ann.screen.text.startswith("Cancelled. Nothing was changed.\n\n⚙️ Settings")
