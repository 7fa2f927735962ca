"""Text that arrives is put in the domain's normal form before anything reads it (`domain.text.normalise`):
NUL and other control characters removed, Unicode NFC. One place at the edge, so no step can forget it and
PostgreSQL and SQLite store the same."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Message, MessageEntity, TelegramObject, Update

from domain.text import normalise


def _entities(entities: list[MessageEntity] | None, text: str) -> list[MessageEntity] | None:
    """Entities are UTF-16 offsets into the old text; those still inside the new one are kept (a command at the
    start, mostly), the rest dropped rather than pointing at the wrong characters."""
    if not entities:
        return entities
    length = len(text.encode("utf-16-le")) // 2
    return [entity for entity in entities if entity.offset + entity.length <= length]


def normalised_message(message: Message) -> Message:
    changes: dict[str, Any] = {}
    if message.text is not None and (text := normalise(message.text)) != message.text:
        changes["text"] = text
        changes["entities"] = _entities(message.entities, text)
    if message.caption is not None and (caption := normalise(message.caption)) != message.caption:
        changes["caption"] = caption
        changes["caption_entities"] = _entities(message.caption_entities, caption)
    if not changes:
        return message
    return message.model_copy(update=changes)


class NormaliseInput(BaseMiddleware):
    """An outer middleware of the update: messages (and edits) with text or a caption are normalised."""

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        if isinstance(event, Update):
            changes = {}
            for field in ("message", "edited_message"):
                message = getattr(event, field)
                if message is not None and (fresh := normalised_message(message)) is not message:
                    changes[field] = fresh
            if changes:
                event = event.model_copy(update=changes)
        return await handler(event, data)
