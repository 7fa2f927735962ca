"""Bot API methods; importing this package registers them all."""

from sandbox.methods import (  # noqa: F401  (modules register their methods on import)
    bot,
    callbacks,
    chats,
    forum,
    media,
    messages,
    payments,
    updates,
)
from sandbox.methods.registry import REGISTRY, Method

__all__ = ["REGISTRY", "Method"]
