"""Staff: what a staff member's state in the group keeps (the /news preview waiting for Send)."""

from __future__ import annotations

from pydantic import BaseModel

from handlers.common.dialogs import DialogData


class NewsDraft(BaseModel):
    id: int  # the /news message the preview answers
    text: str


class NewsData(DialogData):
    news_draft: NewsDraft | None = None
