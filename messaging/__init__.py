"""Messages from staff to one person: a reply to a message they left, an update on their case.

`Messenger.send` stores the message (storage/outbox.py) and pushes it at once through WeChat's customer-service
API when the API is configured and the person wrote within the last 48 hours; when it cannot (no API, the window
closed: 45015, quota used up: 45047, WeChat unreachable) the message waits and goes out first thing in the reply to
their next message (`Messenger.deliver`, a dialogue Delivery). Either way the outbox records how it went, and the
console shows it.
"""

from __future__ import annotations

import logging

from dialogue.reply import Reply
from dialogue.texts import MAX_REPLY_BYTES
from storage import Store
from storage.outbox import CUSTOM, DELIVERED, NEXT_MESSAGE, PUSHED
from storage.vocab import Outcome
from wechat.api import WeChatApi, WeChatApiError

log = logging.getLogger("pufa.messaging")

AFTER_MESSAGES = "——\n您刚才发的消息："
NO_ROOM = "——\n您刚才发的消息我收到了，请再发一次，我接着回答。"


class Messenger:
    def __init__(self, store: Store, wechat: WeChatApi | None = None):
        self.store = store
        self.wechat = wechat

    @property
    def can_push(self) -> bool:
        return self.wechat is not None

    def send(self, user_id: str, kind: str, ref: str, text: str, author: str) -> dict:
        """Store a message for a person and push it when possible; returns its outbox row after the attempt."""
        outbox = self.store.outbox
        message_id = outbox.add(user_id, kind, ref, text, author)
        openid = self.store.openids.reachable(user_id) if self.wechat is not None else None
        if self.wechat is None:
            outbox.note_error(message_id, "no_api")
        elif openid is None:
            outbox.note_error(message_id, "window_closed")
        else:
            try:
                self.wechat.send_text(openid, text)
                outbox.mark(message_id, PUSHED, CUSTOM)
            except WeChatApiError as exc:
                # 45015: more than 48 hours since they wrote (or they unfollowed); 45047: quota used up; -1: unreachable
                log.warning("push of outbox %s failed (%s); kept for the next message", message_id, exc.code)
                outbox.note_error(message_id, f"push:{exc.code}")
        return outbox.get(message_id)

    def deliver(self, turn, reply: Reply) -> Reply:
        """Waiting messages go out first in the reply to the person's next message (a dialogue Delivery)."""
        if reply.outcome == Outcome.EMERGENCY:  # the emergency line comes first and alone; messages wait
            return reply
        if self.store.openids.known(turn.user_id):
            self.store.openids.remember(turn.user_id, turn.openid)  # they wrote: 48 more hours for pushes
        waiting = self.store.outbox.pending_for(turn.user_id)
        if not waiting:
            return reply
        taken = [m for m in waiting if self.store.outbox.mark(m["id"], DELIVERED, NEXT_MESSAGE)]
        if not taken:
            return reply
        head = "\n\n".join(m["text"] for m in taken if m["text"])
        body = reply.text or ""
        combined = f"{head}\n\n{AFTER_MESSAGES}\n{body}" if body else head
        if len(combined.encode("utf-8")) > MAX_REPLY_BYTES:
            combined = f"{head}\n\n{NO_ROOM}"
        reply.text = combined
        reply.private = True  # staff messages are personal: the copy kept for retries is encrypted
        reply.detail["delivered"] = [m["id"] for m in taken]
        return reply


__all__ = ["Messenger"]
