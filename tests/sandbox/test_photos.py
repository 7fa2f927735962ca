"""Photos are JPEGs in several sizes, as Telegram keeps them; without re-encoding they keep their real type."""

from __future__ import annotations

import io
from typing import Any

import aiohttp
import pytest
from PIL import Image

from sandbox import Sandbox, SandboxConfig, images, make_png
from tests.sandbox.http import BotHttp, Control, clients


def picture(kind: str, width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    mode = "RGBA" if kind == "PNG" else "RGB"
    Image.new(mode, (width, height), (10, 120, 200, 128)[: len(mode)]).save(buffer, kind)
    return buffer.getvalue()


async def upload(tg: BotHttp, content: bytes, name: str, **params: Any) -> dict[str, Any]:
    form = aiohttp.FormData()
    form.add_field("chat_id", "1001")
    for key, value in params.items():
        form.add_field(key, str(value))
    form.add_field("photo", content, filename=name)
    async with tg.http.post(f"{tg.base}/sendPhoto", data=form) as resp:
        return await resp.json()


async def fetch(sb: Sandbox, tg: BotHttp, file_id: str) -> tuple[str, str, bytes]:
    file = await tg.call("getFile", file_id=file_id)
    async with tg.http.get(f"{sb.url}/file/bot{sb.token}/{file['file_path']}") as resp:
        assert resp.status == 200
        return file["file_path"], resp.content_type, await resp.read()


@pytest.fixture
async def ann(ctl: Control) -> None:
    await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})


async def test_bot_photos_become_jpegs_in_telegram_sizes(sb: Sandbox, tg: BotHttp, ann: None) -> None:
    answer = await upload(tg, make_png(1000, 500), "chart.png")
    sizes = answer["result"]["photo"]
    assert [(s["width"], s["height"]) for s in sizes] == [(90, 45), (320, 160), (800, 400), (1000, 500)]
    assert len({s["file_id"] for s in sizes}) == len({s["file_unique_id"] for s in sizes}) == 4
    for size in sizes:
        path, content_type, content = await fetch(sb, tg, size["file_id"])
        assert path.endswith(".jpg") and content_type == "image/jpeg" and content.startswith(b"\xff\xd8")
        assert len(content) == size["file_size"]
        with Image.open(io.BytesIO(content)) as decoded:
            assert decoded.size == (size["width"], size["height"]) and decoded.format == "JPEG"

    again = await tg.call("sendPhoto", chat_id=1001, photo=sizes[1]["file_id"])  # any size names the photo
    assert again["photo"] == sizes

    huge = await upload(tg, picture("JPEG", 3000, 150), "banner.jpg")
    assert [(s["width"], s["height"]) for s in huge["result"]["photo"]][-1] == (2560, 128)


@pytest.mark.parametrize("kind", ["GIF", "WEBP", "PNG", "JPEG"])
async def test_every_image_type_is_served_as_jpeg(sb: Sandbox, tg: BotHttp, ann: None, kind: str) -> None:
    answer = await upload(tg, picture(kind, 60, 40), f"pic.{kind.lower()}")
    assert [(s["width"], s["height"]) for s in answer["result"]["photo"]] == [(60, 40)]
    _, content_type, content = await fetch(sb, tg, answer["result"]["photo"][-1]["file_id"])
    assert content_type == "image/jpeg" and content.startswith(b"\xff\xd8")


async def test_user_photos_are_reencoded_too(sb: Sandbox, tg: BotHttp, ctl: Control, ann: None) -> None:
    import base64

    await ctl.call("POST", "/users/1001/messages", {"photo": base64.b64encode(make_png(400, 300)).decode()})
    photo = (await tg.updates())[-1]["message"]["photo"]
    assert [(s["width"], s["height"]) for s in photo] == [(90, 68), (320, 240), (400, 300)]
    view = (await ctl.call("GET", "/chats/1001/messages"))["messages"][-1]["photo"]
    assert view["file_id"] == photo[-1]["file_id"]
    async with tg.http.get(sb.url + view["url"]) as resp:
        assert resp.content_type == "image/jpeg"


async def test_photo_dimension_limits(tg: BotHttp, ann: None) -> None:
    assert (await upload(tg, make_png(2100, 100), "strip.png"))["description"] == (
        "Bad Request: PHOTO_INVALID_DIMENSIONS")
    broken = make_png(10, 10)[:40]  # a PNG header and no picture
    assert (await upload(tg, broken, "broken.png"))["description"] == "Bad Request: IMAGE_PROCESS_FAILED"


@pytest.mark.parametrize("why", ["configured", "no Pillow"])
async def test_photos_kept_as_uploaded_keep_their_real_type(monkeypatch: pytest.MonkeyPatch, why: str) -> None:
    config = SandboxConfig(reencode_photos=why != "configured")
    if why == "no Pillow":
        monkeypatch.setattr(images, "Image", None)
    async with Sandbox(config=config) as sb, clients(sb) as (tg, ctl):
        await ctl.call("POST", "/users", {"id": 1001, "first_name": "Ann"})
        for kind, mime, suffix in [("PNG", "image/png", ".png"), ("GIF", "image/gif", ".gif"),
                                   ("WEBP", "image/webp", ".webp"), ("JPEG", "image/jpeg", ".jpg")]:
            content = picture(kind, 30, 20)
            answer = await upload(tg, content, "pic")
            sizes = answer["result"]["photo"]
            assert [(s["width"], s["height"]) for s in sizes] == [(30, 20)]
            path, content_type, served = await fetch(sb, tg, sizes[0]["file_id"])
            assert (path[-len(suffix):], content_type, served) == (suffix, mime, content)
