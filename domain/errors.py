"""Typed domain errors: each carries a Fluent message id and its arguments, never English text."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every expected business error; the handler layer renders `message_id` in the user's language."""

    message_id = "error-generic"

    def __init__(self, message_id: str | None = None, **args: Any) -> None:
        self.message_id = message_id or type(self).message_id
        self.args_ = args
        super().__init__(self.message_id, args)


class NotFound(DomainError):
    """A missing object and an object owned by somebody else look the same."""

    message_id = "error-not-found"


class InvalidInput(DomainError):
    message_id = "error-invalid-input"
