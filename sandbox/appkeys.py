"""Keys under which the aiohttp application keeps the sandbox objects."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

if TYPE_CHECKING:
    from sandbox.core import Core
    from sandbox.server import Sandbox

CORE_KEY: web.AppKey[Core] = web.AppKey("sandbox_core")
SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")
