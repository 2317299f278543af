"""The WeChat edge: the /wechat webhook and one handler per kind of message, registered in one dispatch table.

A handler is `def on_x(msg, ctx: Context) -> Reply`; the webhook alone turns the Reply into XML. A new message
kind is one new function and one line in HANDLERS.
"""

from __future__ import annotations

from collections.abc import Callable

from dialogue import Reply
from handlers.context import Context
from handlers.events import known_click_key, on_click, on_subscribe, on_uninteresting_event, on_unsubscribe
from handlers.media import on_media
from handlers.text import on_text
from handlers.unknown import on_unknown
from handlers.voice import on_voice

Handler = Callable[[object, Context], Reply]

HANDLERS: dict[str, Handler] = {
    "text": on_text,
    "voice": on_voice,
    "image": on_media,
    "video": on_media,
    "shortvideo": on_media,
    "location": on_media,
    "link": on_media,
    "file": on_media,
    "event:subscribe": on_subscribe,
    "event:subscribe_scan": on_subscribe,
    "event:unsubscribe": on_unsubscribe,
    "event:click": on_click,
    "event:view": on_uninteresting_event,
    "event:scan": on_uninteresting_event,
    "event:location": on_uninteresting_event,
}
# Events WeChat documents that need no reply: logged under their own name. Any other MsgType or Event is whatever
# the sender wrote (in plain mode anyone holding a signed URL): logged as "unknown", never stored as sent.
QUIET_EVENTS = (
    "templatesendjobfinish",
    "masssendjobfinish",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
    "view_miniprogram",
)
HANDLERS.update({f"event:{name}": on_uninteresting_event for name in QUIET_EVENTS})
UNKNOWN_KIND = "unknown"


def message_kind(msg) -> str:
    """The dispatch key of a parsed wechatpy message, e.g. "text" or "event:click"."""
    if msg.type == "event":
        return "event:" + str(getattr(msg, "event", "") or "").lower()
    if msg.type == "unknown":
        # wechatpy has no class for some kinds WeChat sends (e.g. "file", newer events): use the raw MsgType.
        data = getattr(msg, "_data", None) or {}
        raw = str(data.get("MsgType") or "unknown").lower()
        return f"event:{str(data.get('Event') or '').lower()}" if raw == "event" else raw
    return str(msg.type or "unknown")


def log_kind(msg) -> str:
    """The kind stored in the log: a known kind ("text", "voice", "subscribe", "click", ...) or "unknown"."""
    kind = message_kind(msg)
    if kind not in HANDLERS:
        return UNKNOWN_KIND
    if kind == "event:subscribe_scan":  # a follow through a QR code is still a follow (stats count "subscribe")
        return "subscribe"
    return kind.split(":", 1)[1] if kind.startswith("event:") else kind


def said(msg) -> str:
    """What the user typed, said or clicked, for logging a message whose handler failed (a handler that works
    sets Reply.log_text itself)."""
    kind = message_kind(msg)
    if kind == "text":
        return msg.content or ""
    if kind == "voice":
        return getattr(msg, "recognition", None) or ""
    if kind == "event:click":
        return known_click_key(msg) or ""
    return ""


def handler_for(msg) -> Handler:
    return HANDLERS.get(message_kind(msg), on_unknown)


__all__ = ["HANDLERS", "Context", "handler_for", "log_kind", "message_kind", "said"]
