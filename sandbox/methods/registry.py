"""Bot API method registry: name (case-insensitive) -> handler(core, params)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sandbox.core import Core
    from sandbox.params import Params

Handler = Callable[["Core", "Params"], Any | Awaitable[Any]]


@dataclass(frozen=True)
class Method:
    name: str
    handler: Handler


REGISTRY: dict[str, Method] = {}


def method(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            REGISTRY[name.lower()] = Method(name, handler)
        return handler

    return register
