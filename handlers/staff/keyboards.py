"""Staff: callback data and keyboards."""

from __future__ import annotations

from enum import StrEnum

from aiogram.types import InlineKeyboardMarkup

from handlers.common.staff import Translate
from handlers.common.ui import Callback, button, keyboard


class NewsAction(StrEnum):
    """What a button under a /news preview does; the values are what buttons already sent carry."""

    SEND = "s"
    DROP = "x"


class NewsCb(Callback, prefix="tnw"):
    """`id`: the /news message the preview came from."""

    action: NewsAction
    id: int


def news_markup(t: Translate, message_id: int) -> InlineKeyboardMarkup:
    return keyboard([button(t("tickets-news-button-send"), NewsCb(action=NewsAction.SEND, id=message_id)),
                     button(t("tickets-news-button-drop"), NewsCb(action=NewsAction.DROP, id=message_id))])
