"""WeChat protocol details the webhook needs: signatures, freshness, safe parsing, dedup keys, reply XML.

wechatpy does the parsing, replies and AES; this module adds what it lacks (constant-time signature checks,
a timestamp window, refusing DOCTYPE/ENTITY, stripping control characters, escaping `]]>` in CDATA).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import time

from wechatpy import parse_message
from wechatpy.replies import TextReply

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# Elements WeChat sends once, as plain text, and that the webhook or the handlers read.
_TEXT_FIELDS = (
    "ToUserName",
    "FromUserName",
    "CreateTime",
    "MsgType",
    "MsgId",
    "Content",
    "Recognition",
    "Event",
    "EventKey",
)
_ENCRYPT = re.compile(r"<Encrypt>\s*(?:<!\[CDATA\[)?([A-Za-z0-9+/=\s]*?)(?:\]\]>)?\s*</Encrypt>", re.S)


class BadRequest(Exception):
    """The request is not a valid WeChat push; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def check_signature(token: str, signature: str, timestamp: str, nonce: str) -> bool:
    """sha1(sorted(token, timestamp, nonce)), compared in constant time."""
    if not (signature and timestamp and nonce):
        return False
    return hmac.compare_digest(sha1_signature(token, timestamp, nonce), signature.lower())


def check_fresh(timestamp: str, window: int, now: float | None = None) -> bool:
    """The request timestamp lies within ±window seconds of now (WeChat documents none; this stops replays)."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    return abs((time.time() if now is None else now) - ts) <= window


def refuse_dtd(data: bytes) -> None:
    if _DTD.search(data):
        raise BadRequest(400, "DOCTYPE/ENTITY not allowed")


def decode_body(body: bytes) -> str:
    refuse_dtd(body)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadRequest(400, "body is not valid UTF-8") from exc
    return _CONTROL.sub("", text)


def encrypted_part(xml: str) -> str:
    m = _ENCRYPT.search(xml)
    if not m:
        raise BadRequest(400, "no <Encrypt> element")
    return re.sub(r"\s+", "", m.group(1))


def check_msg_signature(token: str, msg_signature: str, timestamp: str, nonce: str, encrypted: str) -> bool:
    if not msg_signature:
        return False
    return hmac.compare_digest(sha1_signature(token, timestamp, nonce, encrypted), msg_signature.lower())


def parse(xml: str, checked: bool = False):
    """A wechatpy message from plaintext XML; BadRequest(400) for anything malformed.

    `checked`: the XML came straight from `decode_body`, which already refused DTDs and removed control characters.
    """
    if not checked:
        refuse_dtd(xml.encode("utf-8"))
        xml = _CONTROL.sub("", xml)
    try:
        msg = parse_message(xml)
    except Exception as exc:  # ExpatError, ValueError (entities), KeyError (no MsgType), TypeError ...
        raise BadRequest(400, f"malformed XML ({type(exc).__name__})") from exc
    if msg is None or not getattr(msg, "source", None):
        raise BadRequest(400, "message without FromUserName")
    data = getattr(msg, "_data", None) or {}
    for name in _TEXT_FIELDS:
        # A repeated or nested element parses to a list/dict, which the handlers would choke on.
        if data.get(name) is not None and not isinstance(data[name], str):
            raise BadRequest(400, f"malformed {name} element")
    return msg


_MSG_ID = re.compile(r"[0-9]{1,24}")


def dedup_key(msg, user_id: str) -> str:
    """MsgId for ordinary messages; FromUserName+CreateTime+Event+EventKey for events (no MsgId).

    `user_id` is the sender's pseudonym, used in place of FromUserName: the key is stored, the raw OpenID never is.
    The key is bounded: a MsgId that is not a number, and every event's fields, go in as a digest (in plain mode
    anyone holding a signed URL chooses them: a 30 KB EventKey must not become a 30 KB stored key).
    """
    data = getattr(msg, "_data", {}) or {}
    msg_id = data.get("MsgId") or data.get("MsgID")
    if msg_id:
        msg_id = str(msg_id)
        return f"msg:{msg_id}" if _MSG_ID.fullmatch(msg_id) else f"msg:#{_digest(msg_id)}"
    parts = (data.get("CreateTime", ""), data.get("Event", ""), data.get("EventKey", ""))
    return f"evt:{user_id}:{_digest(chr(0).join(str(p) for p in parts))}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def cdata_safe(text: str) -> str:
    """wechatpy writes <![CDATA[value]]> without escaping; split any ']]>' so the XML stays well formed."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def render_text_reply(msg, text: str) -> str:
    """A text reply to `msg`; the parties are swapped and every CDATA value is made safe (the ids too: in plain
    mode anyone holding a signed URL can put `]]>` in ToUserName/FromUserName)."""
    return TextReply(
        source=cdata_safe(str(msg.target or "")),
        target=cdata_safe(str(msg.source)),
        content=cdata_safe(_CONTROL.sub("", text)),
    ).render()
