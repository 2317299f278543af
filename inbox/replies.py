"""Staff replies, for the console and `bot.py inbox reply`: to a thread in the inbox, or to the person behind any
consultation (回复此人, which opens a thread for them). Every reply goes through messaging/ (pushed within 48 hours
when the customer-service API is configured, else delivered with the person's next message) and starts with
"工作人员回复您：" so the person can tell it from the bot."""

from __future__ import annotations

from messaging import Messenger
from storage import Store
from storage.inbox import CLOSED

STAFF_PREFIX = "工作人员回复您："
KIND = "staff_reply"
MAX_CHARS = 500  # with the prefix and the bot's own answer it must still fit one WeChat reply (2,048 bytes)


class ReplyError(ValueError):
    """A reply that cannot be sent as written (the message says why, in Chinese)."""


def staff_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ReplyError("请写回复的内容。")
    if len(text) > MAX_CHARS:
        raise ReplyError(f"回复最多 {MAX_CHARS} 个字（现在 {len(text)} 个）：微信一条消息放不下更多。")
    return text if text.startswith(STAFF_PREFIX) else STAFF_PREFIX + text


def reply_to_thread(store: Store, messenger: Messenger, thread_id: int, text: str, author: str) -> dict:
    """Send a staff reply to a thread; returns its outbox row (state, channel, error say how it went)."""
    thread = store.inbox.get(thread_id)
    if thread is None:
        raise ReplyError(f"没有编号为 {thread_id} 的留言。")
    if thread["status"] == CLOSED:
        raise ReplyError("这个留言已经关闭。要再回复，请先重新打开。")
    body = staff_text(text)
    row = messenger.send(thread["user_id"], KIND, str(thread_id), body, author)
    store.inbox.replied(thread_id, author)
    return row


def reply_to_person(
    store: Store, messenger: Messenger, user_id: str, origin: int | None, text: str, author: str
) -> tuple[int, dict]:
    """回复此人: a reply to whoever sent a consultation, through their inbox thread (opened for it if need be)."""
    staff_text(text)  # refuse before opening a thread
    thread_id = store.inbox.thread_for_reply(user_id, origin, author)
    return thread_id, reply_to_thread(store, messenger, thread_id, text, author)
