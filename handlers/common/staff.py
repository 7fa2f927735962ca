"""The staff group (STAFF_CHAT_ID) as every section sees it: the language it is written to in, and what a
staff handler declares about who may use it.

Every handler under the staff branch (handlers/__init__.py) is gated by membership of the group
(`handlers.staff.StaffGate`): members (the creator, administrators and members, no bots) by default, and only the
group's administrators for a handler flagged `ADMIN` (commands that move money or prices: /paid, /refund,
/discount, /revoke, /promo new|off)::

    routes.message.register(staff_revoke, Command("revoke"), flags=ADMIN)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram_i18n.cores import BaseCore

STAFF_FLAG = "staff"
MEMBER: dict[str, Any] = {STAFF_FLAG: "member"}
ADMIN: dict[str, Any] = {STAFF_FLAG: "admin"}

Translate = Callable[..., str]


def group_translate(core: BaseCore[Any]) -> tuple[Translate, str]:
    """Texts for the staff group: in the default locale, whoever triggered them."""
    locale = core.default_locale or "en"
    return (lambda key, **args: core.get(key, locale, **args)), locale
