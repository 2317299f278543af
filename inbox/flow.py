"""Leaving a message for staff (留言), a dialogue Flow: the person asks ("留言", the 留言给工作人员 button, "好" or "3"
after the bot offered it), writes the message in their next text or voice message, and gets a confirmation saying
when to expect a reply. "取消" stops. "我要留言：……" leaves the message at once.

It is also a dialogue Delivery, for one case: a message written for staff that speaks of danger now gets the
emergency reply first (the safety check runs before any flow), and still reaches staff.

Each step is safe to repeat for the same WeChat message (storage/inbox.py stores one message per MsgId), and the
message itself never reaches the consultation log (a placeholder does).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from collections.abc import Callable
from datetime import datetime

from dialogue.dialogue import parse_choice
from dialogue.intents import Intent
from dialogue.reply import Reply
from dialogue.texts import MAX_REPLY_BYTES
from dialogue.turn import Turn
from inbox import texts
from messaging.hours import Hours
from storage.db import now_local
from storage.vocab import Outcome

log = logging.getLogger("pufa.inbox")

STATE_KEY = "inbox"  # chat state while the person is writing their message
WRITING = "writing"
OFFER_KEY = "offer"  # set by the dialogue's handoff and fallback replies when they offer 留言
CANCEL = {"取消", "不留了", "不留言", "不留言了", "算了", "不用了", "退出"}
ACCEPT = {"好", "好的", "好吧", "可以", "行", "要", "嗯", "嗯嗯", "是", "是的", "对", "留", "麻烦了", "好的谢谢"}
HANDOFF_CHOICE = 3  # "3. 回复“留言”……" in the handoff reply (dialogue/texts.py)
# "我要留言：……", "给检察官留言，……": the request and the message in one go (of any length)
INLINE = re.compile(
    r"^(?:我要|我想|想|请|麻烦)?(?:给|跟)?(?:你们|工作人员|检察官|检察院|检察长)?(?:留(?:个)?言|留个话)[:：,，\s]+(?P<m>.+)$",
    re.S,
)
MIN_CHARS = 2  # a message for staff: at least this many letters or characters (not "好", not "?")
INLINE_MIN_CHARS = 5  # "留言：……" counts as the message itself only when there is a message after it
BARE_REQUEST_CHARS = 6  # while writing, "我要留言" or "转人工" asks again; anything longer is the message
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)


def inline_message(text: str) -> str | None:
    m = INLINE.match(text or "")
    body = m.group("m").strip() if m else ""
    return body if len(_PUNCT.sub("", body)) >= INLINE_MIN_CHARS else None


class LeaveMessageFlow:
    name = "inbox"

    def __init__(self, hours: Hours, promise_days: int, hotline_hours: str, clock: Callable[[], datetime] = now_local):
        self.hours = hours
        self.promise_days = promise_days
        self.hotline_hours = hotline_hours
        self.clock = clock

    def handle(self, turn: Turn) -> Reply | None:
        writing = turn.state.get(STATE_KEY) == WRITING
        if writing and not turn.clicked:
            return self._writing(turn)
        if turn.intent is Intent.LEAVE_MESSAGE:
            inline = inline_message(turn.text)
            return self._save(turn, inline) if inline else self._prompt()
        if INLINE.match(turn.text or ""):  # "我要留言：……" of any length
            inline = inline_message(turn.text)
            return self._save(turn, inline) if inline else self._prompt()
        offer = turn.state.get(OFFER_KEY)
        if offer and self._accepts(turn.text, offer):
            return self._prompt()
        return None

    @staticmethod
    def _accepts(text: str, offer: str) -> bool:
        said = _PUNCT.sub("", text or "")
        return said in ACCEPT or (offer == "handoff" and parse_choice(text or "") == HANDOFF_CHOICE)

    def _prompt(self) -> Reply:
        text = texts.prompt(self.hours, self.promise_days)
        return Reply(text, Outcome.INBOX, detail={"inbox": "prompt"}, chat_state={STATE_KEY: WRITING})

    def _writing(self, turn: Turn) -> Reply:
        said = _PUNCT.sub("", turn.text)
        if said in CANCEL or turn.text.strip() == "0":
            return Reply(texts.CANCELLED, Outcome.INBOX, detail={"inbox": "cancelled"}, chat_state={})
        if len(said) <= BARE_REQUEST_CHARS and turn.intent in (Intent.LEAVE_MESSAGE, Intent.HANDOFF):
            return self._prompt()  # "留言", "转人工" again: not a message yet (a longer one is the message)
        if len(said) < MIN_CHARS:
            return Reply(texts.TOO_SHORT, Outcome.INBOX, detail={"inbox": "too_short"}, chat_state={STATE_KEY: WRITING})
        return self._save(turn, inline_message(turn.text) or turn.text)

    def deliver(self, turn: Turn, reply: Reply) -> Reply:
        if reply.outcome != Outcome.EMERGENCY or turn.clicked or turn.state.get(STATE_KEY) != WRITING:
            return reply
        try:
            thread_id, _ = turn.store.inbox.leave(turn.user_id, turn.text, turn.msg_key)
            turn.store.openids.remember(turn.user_id, turn.openid)
        except sqlite3.Error as exc:
            log.warning("could not store a message for staff after an emergency reply: %s", exc)
            return reply
        reply.detail["thread"] = thread_id
        if len(((reply.text or "") + texts.ALSO_SENT).encode("utf-8")) <= MAX_REPLY_BYTES:
            reply.text = (reply.text or "") + texts.ALSO_SENT
        return reply

    def _save(self, turn: Turn, message: str) -> Reply:
        store = turn.store
        try:
            thread_id, new = store.inbox.leave(turn.user_id, message, turn.msg_key)
        except sqlite3.Error as exc:  # locked past DB_WRITE_TIMEOUT, read-only, full: say so, keep them writing
            log.warning("could not store a message for staff: %s", exc)
            return Reply(
                texts.NOT_SAVED,
                Outcome.INBOX,
                detail={"inbox": "not_saved", "error": type(exc).__name__},
                chat_state={STATE_KEY: WRITING},
                log_text=texts.NOT_SAVED_LOG,
            )
        try:
            store.openids.remember(turn.user_id, turn.openid)  # staff may push the reply within 48 hours
        except sqlite3.Error as exc:  # the reply then waits for their next message: the message itself is safe
            log.warning("could not keep the OpenID for a push: %s", exc)
        if not new:
            log.info("message for staff %s was already stored (a retry)", (turn.msg_key or "").split(":")[0])
        text = texts.confirmation(self.hours, self.promise_days, self.hotline_hours, self.clock())
        return Reply(
            text, Outcome.INBOX, detail={"inbox": "left", "thread": thread_id}, chat_state={},
            log_text=texts.LOG_PLACEHOLDER,
        )  # fmt: skip
