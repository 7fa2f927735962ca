"""answerCallbackQuery."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sandbox.errors import bad_request
from sandbox.methods.registry import method
from sandbox.params import Params

if TYPE_CHECKING:
    from sandbox.core import Core

QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"


@method("answerCallbackQuery")
def answer_callback_query(core: Core, p: Params) -> bool:
    query = core.world.callback_queries.get(p.str("callback_query_id") or "")
    if query is None or query.answer is not None:
        raise bad_request(QUERY_INVALID)
    text = p.str("text")
    if text is not None and len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    answer: dict[str, Any] = {"callback_query_id": query.id, "text": text, "show_alert": p.bool("show_alert"),
                              "url": p.str("url"), "chat_id": query.chat_id, "message_id": query.message_id,
                              "data": query.data}
    query.answer = answer
    core.world.callback_answers[query.user_id] = answer
    core.world.emit({"type": "callback_answer", "chat_id": query.chat_id, "user_id": query.user_id,
                     "answer": answer})
    return True
