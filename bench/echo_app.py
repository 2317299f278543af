"""A bare wechatpy echo webhook: the ceiling for any bot on this machine (`python -m bench.echo_app --port N`).

Same protocol steps as the bot's /wechat (signature, timestamp window, body cap, DOCTYPE refusal, control
characters, AES decrypt, parse, reply XML, AES encrypt) and the same gunicorn options and worker count
(server.gunicorn_options), but no retry de-duplication, no database, no matching: every text gets "echo".
"""

from __future__ import annotations

import argparse
import re
import time

from flask import Flask, Response, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

from settings import Settings

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def create_echo_app(settings: Settings) -> Flask:
    """The echo webhook at /wechat (and /healthz), configured from the bot's own Settings."""
    app = Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = settings.MAX_BODY_BYTES
    token, window = settings.WECHAT_TOKEN, settings.WECHAT_TIMESTAMP_WINDOW
    crypto = WeChatCrypto(token, settings.WECHAT_AES_KEY, settings.WECHAT_APPID) if settings.WECHAT_AES_KEY else None

    def plain(body: str, status: int = 200) -> Response:
        return Response(body, status=status, mimetype="text/plain")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.route("/wechat", methods=["GET", "POST"])
    def wechat():
        a = request.args
        timestamp, nonce = a.get("timestamp", ""), a.get("nonce", "")
        try:
            check_signature(token, a.get("signature", ""), timestamp, nonce)
        except InvalidSignatureException:
            return plain("bad signature", 403)
        if request.method == "GET":
            return plain(a.get("echostr", ""))
        try:
            fresh = abs(time.time() - int(timestamp)) <= window
        except ValueError:
            fresh = False
        if not fresh:
            return plain("timestamp outside the allowed window", 403)
        body = request.get_data(cache=False)
        if _DTD.search(body):
            return plain("DOCTYPE/ENTITY not allowed", 400)
        encrypted = a.get("encrypt_type", "raw").lower() == "aes"
        try:
            xml = _CONTROL.sub("", body.decode("utf-8"))
            if encrypted:
                if crypto is None:
                    return plain("no AES key configured", 400)
                xml = crypto.decrypt_message(xml, a.get("msg_signature", ""), timestamp, nonce)
            msg = parse_message(_CONTROL.sub("", xml))
        except (InvalidSignatureException, InvalidAppIdException):
            return plain("bad msg_signature", 403)
        except Exception as exc:  # ExpatError, ValueError (entities), KeyError, crypto errors: the client's fault
            return plain(f"malformed message ({type(exc).__name__})", 400)
        reply = TextReply(message=msg, content="echo").render()
        if encrypted:
            reply = crypto.encrypt_message(reply, nonce, timestamp)
        return Response(reply, mimetype="application/xml")

    return app


def main(argv: list[str] | None = None) -> None:
    from pufa.server import gunicorn_options, serve_app

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8001)
    p.add_argument("--workers", type=int, default=None)
    args = p.parse_args(argv)
    settings = Settings.from_env()
    serve_app(create_echo_app(settings), gunicorn_options(settings, args.host, args.port, args.workers))


if __name__ == "__main__":
    main()
