"""Typed values that domain errors and notifications carry, so the handler layer formats each for its reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of an ISO currency (XTR: Telegram Stars)."""

    minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class Day:
    """A moment shown as its calendar day in the reader's time zone (a plain `datetime` shows the time too)."""

    moment: datetime
