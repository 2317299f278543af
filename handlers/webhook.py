"""The /wechat blueprint: verify, decrypt, de-duplicate, dispatch, log, encrypt."""

from __future__ import annotations

import logging
import re
import secrets
import time

from flask import Blueprint, Response, abort, current_app, request
from wechatpy.exceptions import InvalidAppIdException

from dialogue import Reply
from handlers import handler_for, log_kind, message_kind, said
from handlers.context import Context
from handlers.protocol import (
    BadRequest,
    check_fresh,
    check_msg_signature,
    check_signature,
    decode_body,
    dedup_key,
    encrypted_part,
    parse,
    render_text_reply,
)
from storage.consultations import Consultation
from storage.crypto import PREFIX
from storage.privacy import mask_pii, mask_reply
from storage.vocab import Outcome

log = logging.getLogger("pufa.webhook")
bp = Blueprint("wechat", __name__)

SUCCESS = "success"
RETRY_WAIT_SECONDS = 4.5  # a retry waits this long for the first delivery's reply (WeChat gives up at 5 s)
ERROR_TEXT = "抱歉，系统开了个小差，请稍后再发一次您的问题。急事请拨打检察服务热线 12309。"


def _services():
    return current_app.extensions["pufa"]


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _refuse(status: int, reason: str) -> Response:
    log.warning("refused %s %s: %s", request.method, request.path, reason)
    return _plain(reason, status)


@bp.get("/wechat")
def verify():
    """Server-config handshake: echo `echostr` verbatim when the signature is right (all three modes)."""
    s = _services().settings
    a = request.args
    if not check_signature(s.WECHAT_TOKEN, a.get("signature", ""), a.get("timestamp", ""), a.get("nonce", "")):
        return _refuse(403, "bad signature")
    return _plain(a.get("echostr", ""))


@bp.post("/wechat")
def receive():
    started = time.perf_counter()
    services = _services()
    s = services.settings
    a = request.args
    timestamp, nonce = a.get("timestamp", ""), a.get("nonce", "")
    if not check_signature(s.WECHAT_TOKEN, a.get("signature", ""), timestamp, nonce):
        return _refuse(403, "bad signature")
    if not check_fresh(timestamp, s.WECHAT_TIMESTAMP_WINDOW):
        return _refuse(403, "timestamp outside the allowed window")
    encrypted = a.get("encrypt_type", "raw").lower() == "aes"
    if not encrypted and services.cryptos and not s.WECHAT_ALLOW_PLAINTEXT:
        # With an EncodingAESKey, WeChat sends every push encrypted (compat and safe mode). A plaintext push then
        # is a forgery or a replay: in plain mode the signature does not cover the body.
        return _refuse(400, "plaintext push refused: this account expects encrypted messages")
    try:
        xml = decode_body(_read_body())
        crypto = None
        if encrypted:
            xml, crypto = _decrypt(services, xml, a.get("msg_signature", ""), timestamp, nonce)
        msg = parse(xml, checked=crypto is None)
    except BadRequest as exc:
        return _refuse(exc.status, exc.reason)

    user_id = services.pseudonym(str(msg.source))
    key = dedup_key(msg, user_id)
    writer = services.store.writer
    # Plain mode: the signature does not cover the body, so each signed (timestamp, nonce) may carry one message.
    used = None if encrypted else (int(timestamp), nonce)
    if used is not None and writer.nonce_used(*used, key):
        return _refuse(403, "replayed signature: this timestamp and nonce already carried another message")
    cached = _readable(services, writer.stored_reply(key))
    if cached is not None:  # a retry after the reply was stored (by any worker process, or spooled)
        log.info("retry of %s answered from the stored reply", key.split(":")[0])
        return _respond(_render(msg, cached), crypto, nonce, timestamp)
    first = services.inflight.begin(key)
    if first is not None:  # a retry while this process is still handling the first delivery
        first.wait(RETRY_WAIT_SECONDS)
        cached = _readable(services, writer.stored_reply(key))
        log.info("retry of %s waited for the first delivery (%s)", key.split(":")[0], "hit" if cached else "busy")
        return _respond(_render(msg, cached), crypto, nonce, timestamp)

    try:
        text = _handle(services, msg, key, user_id, started, used)
    except Exception as exc:
        log.exception("handler failed for a %s message", message_kind(msg))
        if current_app.testing:
            raise
        # Keep what the user sent (staff see it in the unanswered queue) and give retries the same apology.
        failed = Reply(ERROR_TEXT, Outcome.UNANSWERED, detail={"error": type(exc).__name__}, log_text=said(msg))
        text = _record(services, msg, key, started, user_id, failed, used)
    finally:
        services.inflight.end(key)
    return _respond(_render(msg, text), crypto, nonce, timestamp)


def _readable(services, stored: str | None) -> str | None:
    """A stored reply as it is sent: a private one (Reply.private) was stored encrypted."""
    if stored and stored.startswith(PREFIX):
        return services.store.cipher.decrypt(stored) or ERROR_TEXT
    return stored


def _render(msg, text: str | None) -> str:
    return render_text_reply(msg, text) if text else SUCCESS


def _read_body() -> bytes:
    """The request body, or 413 when it is over MAX_BODY_BYTES. Flask refuses a too-long Content-Length itself,
    but a chunked body (no Content-Length) is silently cut at the limit by werkzeug: check for more."""
    data = request.get_data(cache=False)
    limit = request.max_content_length
    if request.content_length is None and limit is not None and len(data) >= limit:
        if request.environ["wsgi.input"].read(1):
            abort(413)
    return data


def _decrypt(services, xml: str, msg_signature: str, timestamp: str, nonce: str):
    """Decrypt a compat/safe-mode body with the current key, then the previous one (key rotation)."""
    if not services.cryptos:
        raise BadRequest(400, "encrypted message but no WECHAT_AES_KEY configured")
    encrypted = encrypted_part(xml)
    if not check_msg_signature(services.settings.WECHAT_TOKEN, msg_signature, timestamp, nonce, encrypted):
        raise BadRequest(403, "bad msg_signature")
    for crypto in services.cryptos:
        try:
            return crypto.decrypt_message(xml, msg_signature, timestamp, nonce), crypto
        except InvalidAppIdException as exc:
            raise BadRequest(403, "wrong AppID in encrypted message") from exc
        except Exception:  # wrong key, bad padding, bad base64: try the next key
            continue
    raise BadRequest(400, "could not decrypt message")


def _handle(services, msg, key: str, user_id: str, started: float, used: tuple[int, str] | None) -> str:
    """Run the message's handler; log the consultation and store the reply for retries, atomically.

    Returns the reply text ("" for no reply). The stored reply is that text, not the rendered XML, which
    would put the raw OpenID (the reply's ToUserName) into the database."""
    ctx = Context(user_id=user_id, openid=str(msg.source), dialogue=services.dialogue, msg_key=key)
    reply: Reply = handler_for(msg)(msg, ctx)
    return _record(services, msg, key, started, user_id, reply, used)


def _record(services, msg, key: str, started: float, user_id: str, reply: Reply, used) -> str:
    """Log the consultation, the user, the reply and the conversation state in one write (the spool when the
    database cannot take it); the reply text to send, which is the stored one when another delivery of the same
    message (another worker) was first."""
    kind = log_kind(msg)
    latency = (time.perf_counter() - started) * 1000
    written = services.store.writer.record(
        Consultation(
            user_id=user_id,
            kind=kind,
            outcome=reply.outcome,
            text=mask_pii(reply.log_text[:2000]),
            faq_id=reply.faq_id,
            score=reply.score,
            topic=reply.topic,
            latency_ms=latency,
            msg_key=key,
            detail=reply.detail,
            reply=(reply.log_reply or mask_reply(reply.text)) if reply.text else None,
        ),
        reply=services.store.cipher.encrypt(reply.text) if reply.private and reply.text else reply.text or "",
        subscribed=reply.subscribed,
        chat_state=reply.chat_state,
        nonce=used,
    )
    if written.where == "duplicate":
        log.info("%s was answered by another delivery first: sending its reply", key.split(":")[0])
    # The consultation row holds the same facts; at INFO this line would cost more than the matching.
    log.debug(
        "%s from %s -> %s %s (%.1f ms, %s)",
        kind,
        user_id[:10],
        reply.outcome,
        reply.faq_id or "",
        latency,
        written.where,
    )
    return _readable(services, written.reply) or ""


def _respond(body: str, crypto, nonce: str, timestamp: str) -> Response:
    if body == SUCCESS or not body:
        return _plain(SUCCESS)
    if crypto is not None:
        # The envelope echoes the nonce in CDATA; WeChat's are digits, so anything else gets a fresh one.
        if not re.fullmatch(r"[A-Za-z0-9]{1,64}", nonce):
            nonce = secrets.token_hex(8)
        body = crypto.encrypt_message(body, nonce, timestamp)
    return Response(body, mimetype="application/xml")


@bp.app_errorhandler(413)
def too_large(_exc):
    log.warning("refused %s %s: body over the size limit", request.method, request.path)
    return _plain("request body too large", 413)
