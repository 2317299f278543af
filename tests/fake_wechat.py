"""A fake WeChat server for the tests: builds pushes the way WeChat does, signs and encrypts them, reads the replies.

The crypto (WXBizMsgCrypt) is implemented here from the published scheme with the `cryptography` package, not
with wechatpy, so the bot's use of wechatpy is checked against an independent implementation:
AES-256-CBC, key = base64(EncodingAESKey + "="), IV = key[:16], PKCS#7 padding to 32 bytes,
plaintext = random(16) + len(xml) as 4-byte big-endian + xml + AppID;
msg_signature = sha1(sorted(token, timestamp, nonce, encrypt)).
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import secrets
import string
import struct
import time
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

DEFAULT_ACCOUNT = "gh_5113a1c0ffee"
SUCCESS = "success"
# WeChat sends these without CDATA (numbers); everything else is CDATA-wrapped.
NUMERIC_FIELDS = frozenset(
    {"CreateTime", "MsgId", "Location_X", "Location_Y", "Scale", "Latitude", "Longitude", "Precision"}
)
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


class CryptoError(Exception):
    """A ciphertext, padding, AppID or signature that does not check out."""


class ReplyError(AssertionError):
    """The bot's reply breaks the protocol (what WeChat would show as 该公众号暂时无法提供服务)."""


def signature(*parts: str | int) -> str:
    """sha1 of the sorted, concatenated parts: signature (token, timestamp, nonce) and msg_signature (+ encrypt)."""
    return hashlib.sha1("".join(sorted(str(p) for p in parts)).encode("utf-8")).hexdigest()


def cdata(value: object) -> str:
    """A CDATA section; a `]]>` inside is split over two sections, the way a careful XML writer does."""
    return "<![CDATA[" + str(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def pkcs7_pad(data: bytes, block: int = 32) -> bytes:
    n = block - len(data) % block
    return data + bytes([n]) * n


def pkcs7_unpad(data: bytes, block: int = 32) -> bytes:
    if not data or len(data) % 16:
        raise CryptoError("ciphertext length is not a multiple of the AES block")
    n = data[-1]
    if not 1 <= n <= block or data[-n:] != bytes([n]) * n:
        raise CryptoError(f"bad PKCS#7 padding (last byte {n})")
    return data[:-n]


def random16() -> bytes:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(16)).encode("ascii")


class AesCipher:
    """WXBizMsgCrypt's AES part for one EncodingAESKey and AppID."""

    def __init__(self, encoding_aes_key: str, appid: str):
        if not re.fullmatch(r"[A-Za-z0-9]{43}", encoding_aes_key):
            raise CryptoError("EncodingAESKey must be 43 letters or digits")
        self.key = base64.b64decode(encoding_aes_key + "=")
        assert len(self.key) == 32
        self.appid = appid

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def encrypt(self, message: str | bytes, random_prefix: bytes | None = None, appid: str | None = None) -> str:
        data = message.encode("utf-8") if isinstance(message, str) else message
        prefix = random_prefix if random_prefix is not None else random16()
        tail = (self.appid if appid is None else appid).encode("utf-8")
        plain = pkcs7_pad(prefix + struct.pack(">I", len(data)) + data + tail)
        enc = self._cipher().encryptor()
        return base64.b64encode(enc.update(plain) + enc.finalize()).decode("ascii")

    def decrypt_raw(self, encrypted: str) -> tuple[bytes, str]:
        """(message bytes, AppID) from a base64 ciphertext; CryptoError on any defect."""
        try:
            raw = base64.b64decode(encrypted, validate=True)
        except ValueError as exc:
            raise CryptoError(f"Encrypt is not base64: {exc}") from exc
        if not raw or len(raw) % 16:
            raise CryptoError("ciphertext length is not a multiple of 16")
        dec = self._cipher().decryptor()
        plain = pkcs7_unpad(dec.update(raw) + dec.finalize())
        if len(plain) < 20:
            raise CryptoError("plaintext too short")
        (length,) = struct.unpack(">I", plain[16:20])
        if 20 + length > len(plain):
            raise CryptoError("message length field runs past the plaintext")
        return plain[20 : 20 + length], plain[20 + length :].decode("utf-8")

    def decrypt(self, encrypted: str) -> str:
        """The message, after checking that it was encrypted for our AppID."""
        data, appid = self.decrypt_raw(encrypted)
        if appid != self.appid:
            raise CryptoError(f"AppID {appid!r} is not ours ({self.appid!r})")
        return data.decode("utf-8")


def new_openid() -> str:
    """A fresh 28-character OpenID like WeChat's (o + 27 url-safe characters)."""
    alphabet = string.ascii_letters + string.digits + "-_"
    return "o" + "".join(secrets.choice(alphabet) for _ in range(27))


def new_msg_id() -> int:
    return secrets.randbits(62) | (1 << 62)


def build_message(
    msg_type: str,
    fields: dict | None = None,
    *,
    openid: str,
    account: str = DEFAULT_ACCOUNT,
    create_time: int | None = None,
    msg_id: int | None | bool = None,
) -> str:
    """A push as WeChat writes it. msg_id: None = a fresh one for messages (events have none); False = leave out."""
    parts = [
        f"<ToUserName>{cdata(account)}</ToUserName>",
        f"<FromUserName>{cdata(openid)}</FromUserName>",
        f"<CreateTime>{int(time.time()) if create_time is None else create_time}</CreateTime>",
        f"<MsgType>{cdata(msg_type)}</MsgType>",
    ]
    for name, value in (fields or {}).items():
        if value is None:
            continue
        text = str(value) if name in NUMERIC_FIELDS else cdata(value)
        parts.append(f"<{name}>{text}</{name}>")
    if msg_id is None and msg_type != "event":
        msg_id = new_msg_id()
    if msg_id:
        parts.append(f"<MsgId>{msg_id}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"


def parse_xml(body: bytes | str) -> dict:
    """The top-level fields of an XML document (raises ET.ParseError when it is not well formed)."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    if _DTD.search(data):
        raise ReplyError("reply contains a DOCTYPE/ENTITY declaration")
    root = ET.fromstring(data)
    return {child.tag: (child.text or "") for child in root}


# transports: how the fake reaches the bot


class FlaskTransport:
    """Talks to a Flask test client."""

    def __init__(self, client, path: str = "/wechat"):
        self.client = client
        self.path = path

    def post(self, query: dict, body: bytes, content_type: str = "text/xml") -> tuple[int, bytes]:
        resp = self.client.post(self.path + "?" + urllib.parse.urlencode(query), data=body, content_type=content_type)
        return resp.status_code, resp.get_data()

    def get(self, query: dict) -> tuple[int, bytes]:
        resp = self.client.get(self.path + "?" + urllib.parse.urlencode(query))
        return resp.status_code, resp.get_data()


class HttpTransport:
    """Talks real HTTP to a running server (a new connection per request, like WeChat's retries)."""

    def __init__(self, base_url: str, path: str = "/wechat", timeout: float = 15):
        parsed = urllib.parse.urlsplit(base_url)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.path = path
        self.timeout = timeout

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)

    def request(self, method: str, target: str, body: bytes | None = None, headers: dict | None = None):
        conn = self.connection()
        try:
            conn.request(method, target, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def post(self, query: dict, body: bytes, content_type: str = "text/xml") -> tuple[int, bytes]:
        target = self.path + "?" + urllib.parse.urlencode(query)
        return self.request("POST", target, body, {"Content-Type": content_type, "User-Agent": "Mozilla/4.0"})

    def get(self, query: dict) -> tuple[int, bytes]:
        return self.request("GET", self.path + "?" + urllib.parse.urlencode(query))


@dataclass
class Delivery:
    """One push and the bot's answer, checked against the protocol."""

    status: int
    body: bytes
    encrypted_request: bool
    query: dict
    reply: dict | None = None  # the (decrypted) reply fields; None for `success` or an empty body
    envelope: dict | None = None  # the encrypted reply's envelope fields
    problems: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def content(self) -> str | None:
        return None if self.reply is None else self.reply.get("Content")

    @property
    def is_success(self) -> bool:
        return self.status == 200 and self.reply is None


class FakeWeChat:
    """WeChat's side of the webhook: message builders, signing, compat/safe encryption, reply checks."""

    def __init__(
        self,
        transport,
        token: str,
        aes_key: str | None = None,
        appid: str = "",
        *,
        mode: str | None = None,
        account: str = DEFAULT_ACCOUNT,
        openid: str | None = None,
    ):
        self.transport = transport
        self.token = token
        self.appid = appid
        self.cipher = AesCipher(aes_key, appid) if aes_key else None
        self.mode = mode or ("safe" if aes_key else "plain")
        self.account = account
        self.openid = openid or new_openid()

    # messages and events
    def message(self, msg_type: str, openid: str | None = None, **kw) -> str:
        fields = {k: v for k, v in kw.items() if k not in ("create_time", "msg_id", "account")}
        return build_message(
            msg_type,
            fields,
            openid=openid or self.openid,
            account=kw.get("account", self.account),
            create_time=kw.get("create_time"),
            msg_id=kw.get("msg_id"),
        )

    def text(self, content: str, **kw) -> str:
        return self.message("text", Content=content, **kw)

    def voice(self, recognition: str | None = None, **kw) -> str:
        return self.message("voice", MediaId="media_voice_1", Format="amr", Recognition=recognition, **kw)

    def image(self, **kw) -> str:
        return self.message("image", PicUrl="http://mmbiz.qpic.cn/example.jpg", MediaId="media_image_1", **kw)

    def video(self, **kw) -> str:
        return self.message("video", MediaId="media_video_1", ThumbMediaId="thumb_1", **kw)

    def shortvideo(self, **kw) -> str:
        return self.message("shortvideo", MediaId="media_video_2", ThumbMediaId="thumb_2", **kw)

    def location(self, **kw) -> str:
        return self.message("location", Location_X="36.061089", Location_Y="103.834304", Scale="15", Label="兰州", **kw)

    def link(self, **kw) -> str:
        return self.message("link", Title="标题", Description="描述", Url="https://example.com/a", **kw)

    def file(self, **kw) -> str:
        return self.message("file", Title="合同.pdf", Description="劳动合同", FileKey="fk1", FileMd5="0" * 32, **kw)

    def event(self, name: str, key: str | None = None, **kw) -> str:
        return self.message("event", Event=name, EventKey=key, **kw)

    def unknown(self, msg_type: str = "hologram", **kw) -> str:
        return self.message(msg_type, Payload="?", **kw)

    # signing and encryption
    def signed_query(self, timestamp: int | str | None = None, nonce: str | None = None) -> dict:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = nonce or str(secrets.randbelow(10**10))
        return {"signature": signature(self.token, ts, nonce), "timestamp": ts, "nonce": nonce, "openid": self.openid}

    def encrypt(self, message: str | bytes, appid: str | None = None) -> str:
        if self.cipher is None:
            raise CryptoError("this fake has no EncodingAESKey")
        return self.cipher.encrypt(message, appid=appid)

    def encrypted_query(self, encrypt: str, timestamp: int | str | None = None, nonce: str | None = None) -> dict:
        q = self.signed_query(timestamp, nonce)
        q["encrypt_type"] = "aes"
        q["msg_signature"] = signature(self.token, q["timestamp"], q["nonce"], encrypt)
        return q

    def wire(
        self,
        xml: str | bytes,
        mode: str | None = None,
        timestamp: int | str | None = None,
        nonce: str | None = None,
        appid: str | None = None,
    ) -> tuple[dict, bytes]:
        """(query, body) for a push in plain, compat or safe mode."""
        mode = mode or self.mode
        if mode == "plain":
            return self.signed_query(timestamp, nonce), xml.encode("utf-8") if isinstance(xml, str) else xml
        enc = self.encrypt(xml, appid)
        if mode == "safe":
            body = f"<xml><ToUserName>{cdata(self.account)}</ToUserName><Encrypt>{cdata(enc)}</Encrypt></xml>"
        elif mode == "compat":  # the plaintext fields plus <Encrypt>
            text = xml.decode("utf-8") if isinstance(xml, bytes) else xml
            body = text[: text.rindex("</xml>")] + f"<Encrypt>{cdata(enc)}</Encrypt></xml>"
        else:
            raise ValueError(f"unknown mode {mode}")
        return self.encrypted_query(enc, timestamp, nonce), body.encode("utf-8")

    # talking to the bot
    def post(self, query: dict, body: bytes | str, content_type: str = "text/xml") -> Delivery:
        """POST a prepared query and body; the reply is read and checked but not asserted on."""
        data = body.encode("utf-8") if isinstance(body, str) else body
        status, reply = self.transport.post(query, data, content_type)
        return self.read_reply(status, reply, query)

    def deliver(self, xml: str | bytes, mode: str | None = None, **kw) -> Delivery:
        """Push one message as WeChat would (signed, and encrypted in compat/safe mode)."""
        query, body = self.wire(xml, mode, **kw)
        return self.post(query, body)

    def send(self, xml: str | bytes, mode: str | None = None, **kw) -> Delivery:
        """`deliver`, asserting a 200 reply that follows the protocol."""
        d = self.deliver(xml, mode, **kw)
        if d.status != 200 or d.problems:
            raise ReplyError(f"HTTP {d.status} {d.text[:300]!r}; problems: {d.problems}")
        return d

    def say(self, content: str, **kw) -> str | None:
        """Send a text message and return the reply's Content."""
        return self.send(self.text(content, **kw)).content

    def verify(self, echostr: str, query: dict | None = None) -> tuple[int, bytes]:
        """The server-config handshake (GET)."""
        q = dict(self.signed_query() if query is None else query)
        q["echostr"] = echostr
        return self.transport.get(q)

    def read_reply(self, status: int, body: bytes, query: dict) -> Delivery:
        """Check a reply the way WeChat does: `success`/empty or well-formed XML; encrypted and signed in AES mode."""
        encrypted = query.get("encrypt_type") == "aes"
        d = Delivery(status, body, encrypted, query)
        if status != 200:
            return d
        text = body.decode("utf-8")
        if text.strip() in ("", SUCCESS):
            return d
        fields = parse_xml(body)
        if encrypted:
            if "Encrypt" not in fields:
                d.problems.append("an encrypted request got a plaintext reply")
                d.reply = fields
                return d
            d.envelope = fields
            expected = signature(self.token, fields.get("TimeStamp", ""), fields.get("Nonce", ""), fields["Encrypt"])
            if fields.get("MsgSignature") != expected:
                d.problems.append("reply MsgSignature does not verify")
            fields = parse_xml(self.cipher.decrypt(fields["Encrypt"]))
        d.reply = fields
        for name in ("ToUserName", "FromUserName", "CreateTime", "MsgType"):
            if not fields.get(name):
                d.problems.append(f"reply lacks {name}")
        return d
