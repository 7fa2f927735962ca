"""The Bot API over HTTP: /bot<token>/<method> and /file/bot<token>/<path>."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from sandbox.appkeys import CORE_KEY
from sandbox.core import DropConnection
from sandbox.errors import NOT_FOUND, UNAUTHORIZED, ApiError, bad_request
from sandbox.params import Params, Upload


def api_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


async def read_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    uploads: dict[str, Upload] = {}
    if request.method == "POST" and request.can_read_body:
        content_type = request.content_type
        if content_type == "application/json":
            raw = await request.read()
            if raw.strip():
                try:
                    data = json.loads(raw)
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(data, dict):
                    raise bad_request("JSON object expected")
                values.update(data)
        elif content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    uploads[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    values[key] = value
    transport = request.transport
    return Params(values, uploads, connected=lambda: transport is not None and not transport.is_closing())


async def bot_method(request: web.Request) -> web.StreamResponse:
    core = request.app[CORE_KEY]
    method = request.match_info["method"]
    if request.match_info["token"] != core.token:
        core.record_error(method, UNAUTHORIZED, {})
        return api_response(UNAUTHORIZED.to_json(), 401)
    polling = method.lower() == "getupdates"
    if not polling:
        core.activity.request_started()
    try:
        params = await read_params(request)
        result = await core.call(method, params)
        return api_response({"ok": True, "result": result})
    except ApiError as error:
        if error.code == 429 and error.parameters and not polling:
            # A well-behaved bot comes back after retry_after: it is not quiet before then.
            core.activity.expect_retry(float(error.parameters.get("retry_after", 0)))
        return api_response(error.to_json(), error.code)
    except DropConnection:
        if request.transport is not None:
            request.transport.abort()
        raise web.HTTPServiceUnavailable() from None
    finally:
        if not polling:
            core.activity.request_finished()


async def file_download(request: web.Request) -> web.StreamResponse:
    core = request.app[CORE_KEY]
    if request.match_info["token"] != core.token:
        return api_response(UNAUTHORIZED.to_json(), 401)
    stored = core.world.files_by_path.get(request.match_info["path"])
    if stored is None:
        return api_response(NOT_FOUND.to_json(), 404)
    return web.Response(body=stored.content, content_type=stored.mime_type or "application/octet-stream")


def setup_bot_api(app: web.Application) -> None:
    app.router.add_route("*", "/bot{token}/{method}", bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", file_download)
