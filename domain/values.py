"""Typed values that domain errors and notifications carry, so the handler layer formats each for its reader."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in integer minor units of an ISO currency (XTR: Telegram Stars)."""

    minor: int
    currency: str


@dataclass(frozen=True, slots=True)
class Day:
    """A moment shown as its calendar day in the reader's time zone (a plain `datetime` shows the time too)."""

    moment: datetime


# An amount as a customer types it: digits, one decimal separator (point or comma), at most nine digits before
# it; a currency sign or code and spaces (thousands, or around the sign) are allowed and ignored.
_TYPED_AMOUNT = re.compile(r"^(\d{1,9})(?:[.,](\d+))?$")
_CURRENCY_MARKS = re.compile(r"[€$£₽¥]|\b(?:eur|usd|gbp|rub|руб|р)\b\.?|[\s\u00a0\u202f]", re.IGNORECASE)


def parse_amount(text: str, precision: int, message_id: str = "topup-error-not-amount") -> int:
    """'12.50', '12,50', '€ 12.5', '1 000' -> minor units; anything else (letters, signs, more decimals than the
    currency has, a number no one pays) is InvalidInput with what was typed."""
    found = _TYPED_AMOUNT.match(_CURRENCY_MARKS.sub("", text))
    if found is None or len(found.group(2) or "") > precision:
        raise InvalidInput(message_id, value=text.strip())
    whole, fraction = found.group(1), (found.group(2) or "").ljust(precision, "0")
    scale: int = 10**precision  # an int for a precision >= 0, which typeshed cannot tell from the int type
    return int(whole) * scale + int(fraction or "0")
