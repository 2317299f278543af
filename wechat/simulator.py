"""A small WeChat-side client: builds signed (and, in safe mode, encrypted) pushes like WeChat's server does.

Used by `bot.py chat` so that talking in the terminal goes through the same webhook as a real 公众号.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import time
import urllib.parse
from dataclasses import dataclass, field

import xmltodict
from wechatpy.crypto import WeChatCrypto


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def build_xml(
    msg_type: str,
    openid: str,
    account: str = "gh_pufa_demo",
    msg_id: int | None = None,
    create_time: int | None = None,
    **fields,
) -> str:
    parts = [
        f"<ToUserName>{_cdata(account)}</ToUserName>",
        f"<FromUserName>{_cdata(openid)}</FromUserName>",
        f"<CreateTime>{create_time or int(time.time())}</CreateTime>",
        f"<MsgType>{_cdata(msg_type)}</MsgType>",
    ]
    for name, value in fields.items():
        parts.append(f"<{name}>{_cdata(str(value))}</{name}>")
    if msg_type != "event":
        parts.append(f"<MsgId>{msg_id or random.randint(10**18, 9 * 10**18)}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


@dataclass
class SignedRequest:
    query: str
    body: bytes


@dataclass
class WeChatSide:
    token: str
    aes_key: str = ""
    appid: str = ""
    crypto: WeChatCrypto | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        if self.aes_key:
            self.crypto = WeChatCrypto(self.token, self.aes_key, self.appid)

    def sign(self, xml: str, openid: str = "") -> SignedRequest:
        ts, nonce = str(int(time.time())), str(random.randint(10**8, 10**10))
        sig = hashlib.sha1("".join(sorted([self.token, ts, nonce])).encode()).hexdigest()
        q = {"signature": sig, "timestamp": ts, "nonce": nonce, "openid": openid}
        body = xml
        if self.crypto is not None:
            envelope = self.crypto.encrypt_message(xml, nonce, ts)
            enc = xmltodict.parse(envelope)["xml"]["Encrypt"]
            q["encrypt_type"] = "aes"
            q["msg_signature"] = hashlib.sha1("".join(sorted([self.token, ts, nonce, enc])).encode()).hexdigest()
            body = f"<xml><ToUserName>{_cdata('gh_pufa_demo')}</ToUserName><Encrypt>{_cdata(enc)}</Encrypt></xml>"
        return SignedRequest(urllib.parse.urlencode(q), body.encode("utf-8"))

    def read_reply(self, body: str) -> str:
        """The Content of a reply (decrypted in safe mode); '' for `success`."""
        if not body or body == "success":
            return ""
        if self.crypto is not None and "<Encrypt>" in body:
            data = xmltodict.parse(body)["xml"]
            body = self.crypto.decrypt_message(body, data["MsgSignature"], data["TimeStamp"], data["Nonce"])
        data = xmltodict.parse(body)["xml"]
        return data.get("Content") or ""


def new_openid() -> str:
    return "oChat" + secrets.token_hex(12)


__all__ = ["WeChatSide", "build_xml", "new_openid"]
