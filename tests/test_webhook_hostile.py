"""Hostile and broken pushes: never a 500; each gets a 4xx or a polite, well-formed reply; nothing is expanded."""

from __future__ import annotations

import pytest

from tests.conftest import TOKEN
from tests.fake_wechat import cdata, signature

BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>'
    "<xml><ToUserName>gh_x</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&lol4;</Content><MsgId>1</MsgId></xml>"
)
XXE = (
    '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    "<xml><ToUserName>gh_x</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>"
)
INTERNAL_ENTITY = (
    '<!DOCTYPE xml [<!ENTITY greet "你好">]>'
    "<xml><ToUserName>gh_x</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>"
    "<MsgType>text</MsgType><Content>&greet;</Content><MsgId>3</MsgId></xml>"
)
PARAMETER_ENTITY = (
    '<!DOCTYPE xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd">%remote;]>'
    "<xml><FromUserName>{openid}</FromUserName><MsgType>text</MsgType><Content>x</Content></xml>"
)
LOWERCASE_DOCTYPE = "<!doctype xml><xml><FromUserName>{openid}</FromUserName><MsgType>text</MsgType></xml>"
SPACED_ENTITY = '<! ENTITY x "y"><xml><FromUserName>{openid}</FromUserName><MsgType>text</MsgType></xml>'
DECLARATIONS = {
    "billion_laughs": BILLION_LAUGHS,
    "xxe": XXE,
    "internal_entity": INTERNAL_ENTITY,
    "parameter_entity": PARAMETER_ENTITY,
    "lowercase_doctype": LOWERCASE_DOCTYPE,
    "spaced_entity": SPACED_ENTITY,
}


def assert_civil(d, store=None):
    """A 4xx, or a 200 with `success` or a well-formed reply (no 5xx, no broken XML)."""
    assert d.status < 500, d.text
    assert d.status == 200 or 400 <= d.status < 500, d.status
    if d.status == 200:
        assert not d.problems, d.problems
        if d.reply is not None:
            assert d.reply["MsgType"] == "text" and d.content


# malformed XML


@pytest.mark.parametrize(
    "body",
    [
        b"not xml at all",
        b"<xml><ToUserName>gh_x</ToUserName>",
        b"<xml><a></b></xml>",
        b'{"MsgType": "text", "Content": "hi"}',
        b"<html><body>hi</body></html>",
        b"<xml></xml>",
        b"<xml>just text</xml>",
        b"<xml/>",
        b"<?xml version='1.0'?>",
        b"<xml><MsgType>text</MsgType><Content>hi</Content></xml>",
        b"<xml><FromUserName>o1</FromUserName><MsgType><![CDATA[text]]></MsgType><Content>x</Content></xml><xml/>",
        b"\xef\xbb\xbf<xml><ToUserName>gh_x</ToUserName><FromUserName>o1</FromUserName><MsgType>text</MsgType>"
        b"<Content>x</Content></xml>",
    ],
    ids=[
        "not-xml",
        "truncated",
        "mismatched",
        "json",
        "html",
        "empty-root",
        "text-root",
        "self-closing-root",
        "declaration-only",
        "no-from-user",
        "two-roots",
        "utf8-bom",
    ],
)
def test_malformed_xml(wechat, store, body):
    d = wechat.deliver(body)
    assert_civil(d)


def test_empty_body(wechat, safe_wechat, store):
    assert 400 <= wechat.deliver(b"").status < 500
    query, _ = safe_wechat.wire(safe_wechat.text("x"))
    assert 400 <= safe_wechat.post(query, b"").status < 500
    assert store.log.count() == 0


@pytest.mark.parametrize(
    "fields",
    [
        "<FromUserName>o1</FromUserName>",  # no MsgType
        "<FromUserName>o1</FromUserName><MsgType></MsgType>",
        "<FromUserName>o1</FromUserName><MsgType><a>b</a></MsgType>",
        "<FromUserName>o1</FromUserName><MsgType>text</MsgType><MsgType>voice</MsgType>",
        "<FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>a</Content><Content>b</Content>",
        "<FromUserName>o1</FromUserName><MsgType>text</MsgType><Content><b>bold</b></Content>",
        "<FromUserName>o1</FromUserName><FromUserName>o2</FromUserName><MsgType>text</MsgType><Content>a</Content>",
        "<FromUserName><x>o1</x></FromUserName><MsgType>text</MsgType><Content>a</Content>",
        "<FromUserName>o1</FromUserName><MsgType>event</MsgType>",  # event without Event
        "<FromUserName>o1</FromUserName><MsgType>event</MsgType><Event></Event>",
        "<FromUserName>o1</FromUserName><MsgType>event</MsgType><Event>CLICK</Event><EventKey><k>1</k></EventKey>",
        "<FromUserName>o1</FromUserName><MsgType>voice</MsgType><Recognition>a</Recognition><Recognition>b</Recognition>",
        "<FromUserName>o1</FromUserName><CreateTime>yesterday</CreateTime><MsgType>text</MsgType><Content>a</Content>",
        "<FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>a</Content><MsgId>not-a-number</MsgId>",
        "<FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>a</Content><MsgId></MsgId>",
    ],
)
def test_odd_fields_never_crash(wechat, fields):
    d = wechat.deliver(f"<xml><ToUserName>gh_x</ToUserName>{fields}</xml>")
    assert_civil(d)


def test_missing_from_user_is_refused(wechat, store):
    xml = (
        "<xml><ToUserName>gh_x</ToUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>hi</Content></xml>"
    )
    assert 400 <= wechat.deliver(xml).status < 500
    empty = xml.replace("<CreateTime>", "<FromUserName></FromUserName><CreateTime>")
    assert 400 <= wechat.deliver(empty).status < 500
    assert store.log.count() == 0


def test_deep_nesting_under_the_size_limit(wechat):
    body = "<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>" + "<a>" * 3000
    body += "</a>" * 3000 + "</Content></xml>"
    assert_civil(wechat.deliver(body))


@pytest.mark.parametrize("encoding", ["UTF-16", "ISO-8859-1", "GBK", "bogus"])
def test_lying_encoding_declaration(wechat, encoding):
    body = f'<?xml version="1.0" encoding="{encoding}"?>' + wechat.text("你好")
    assert_civil(wechat.deliver(body))


# DOCTYPE / ENTITY


@pytest.mark.parametrize("name", sorted(DECLARATIONS))
def test_declarations_in_plain_body_are_refused(wechat, store, name):
    d = wechat.deliver(DECLARATIONS[name].format(openid=wechat.openid))
    assert d.status == 400
    assert b"root:" not in d.body and b"lollol" not in d.body
    assert store.log.count() == 0


@pytest.mark.parametrize("name", sorted(DECLARATIONS))
@pytest.mark.parametrize("mode", ["safe", "compat"])
def test_declarations_inside_encrypted_payload_are_refused(safe_wechat, safe_store, name, mode):
    payload = DECLARATIONS[name].format(openid=safe_wechat.openid)
    if mode == "compat":  # compat bodies carry the plaintext too: put the declaration only inside the ciphertext
        enc = safe_wechat.encrypt(payload)
        query = safe_wechat.encrypted_query(enc)
        body = safe_wechat.text("hi")[: -len("</xml>")] + f"<Encrypt>{cdata(enc)}</Encrypt></xml>"
    else:
        query, body = safe_wechat.wire(payload, mode)
    d = safe_wechat.post(query, body)
    assert d.status == 400
    assert safe_store.log.count() == 0


@pytest.mark.parametrize("name", ["billion_laughs", "xxe", "internal_entity"])
def test_declarations_in_encrypted_envelope_are_refused(safe_wechat, safe_store, name):
    enc = safe_wechat.encrypt(safe_wechat.text("你好"))
    dtd = DECLARATIONS[name].split("<xml>")[0]
    body = dtd + f"<xml><ToUserName>{cdata('gh_x')}</ToUserName><Encrypt>{cdata(enc)}</Encrypt></xml>"
    d = safe_wechat.post(safe_wechat.encrypted_query(enc), body)
    assert d.status == 400
    assert safe_store.log.count() == 0


# size limit


def test_body_over_limit_gets_413(wechat, store):
    filler = "欠" * 30000  # 90 000 bytes > 64 KiB
    d = wechat.deliver(wechat.text(filler))
    assert d.status == 413
    assert store.log.count() == 0


def test_body_over_limit_gets_413_in_safe_mode(safe_wechat):
    assert safe_wechat.deliver(safe_wechat.text("x" * 70000)).status == 413


def test_body_limit_is_a_setting(make_app):
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    fake = FakeWeChat(FlaskTransport(make_app(MAX_BODY_BYTES=2048).test_client()), TOKEN)
    assert fake.deliver(fake.text("a" * 3000)).status == 413
    assert fake.send(fake.text("你好")).content


def test_body_just_under_limit_is_handled(wechat):
    xml = wechat.text("")
    content = "a" * (65536 - len(xml.encode()) - 10)
    assert_civil(wechat.deliver(wechat.text(content)))


# control characters, invalid UTF-8, CDATA breakout, emoji


@pytest.mark.parametrize("chars", ["\x00", "\x01\x02\x03", "\x08\x0b\x0c", "\x1b[31m", "\x7f", "\x0e\x1f"])
def test_control_characters_in_text(wechat, store, chars):
    d = wechat.send(wechat.text(f"老板{chars}欠工资不给怎么办"))
    assert d.content
    row = next(store.db.get().query("SELECT text FROM consultations"))
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in row["text"])


def test_control_characters_inside_encrypted_payload(safe_wechat):
    d = safe_wechat.send(safe_wechat.text("工资\x01\x02被拖欠\x1f怎么办"))
    assert d.content


@pytest.mark.parametrize(
    "body",
    [
        b"<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>\xff\xfe</Content></xml>",
        b"<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>\xc3\x28</Content></xml>",
        b"<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>\xed\xa0\x80</Content></xml>",
        "<xml><Content>你好</Content></xml>".encode("gbk"),
        "<xml><Content>你好</Content></xml>".encode("utf-16"),
    ],
    ids=["ff-fe", "bad-continuation", "surrogate", "gbk", "utf-16"],
)
def test_invalid_utf8(wechat, safe_wechat, store, body):
    assert 400 <= wechat.deliver(body).status < 500
    assert 400 <= safe_wechat.deliver(body).status < 500  # the same bytes inside the ciphertext
    assert store.log.count() == 0


@pytest.mark.parametrize(
    "text",
    [
        "]]>",
        "工资]]><MsgType>news</MsgType><x><![CDATA[",
        "<tag> & </tag> &amp; &lt;",
        "]]]]><![CDATA[>",
        "<![CDATA[x]]>",
        "&#x0; &#1; &unknown;",
    ],
)
@pytest.mark.parametrize("mode", ["plain", "safe"])
def test_markup_in_user_text_keeps_reply_well_formed(wechat, safe_wechat, store, text, mode):
    fake = wechat if mode == "plain" else safe_wechat
    d = fake.send(fake.text(text))  # the fake parses the reply with ElementTree (and decrypts it in safe mode)
    assert d.content
    assert d.reply["MsgType"] == "text"


@pytest.mark.parametrize("where", ["ToUserName", "FromUserName"])
def test_cdata_breakout_in_account_ids_keeps_reply_well_formed(wechat, where):
    evil = "o]]><Content>pwned</Content><x><![CDATA["
    kw = {"account": evil} if where == "ToUserName" else {"openid": evil}
    d = wechat.send(wechat.text("你好", **kw))
    assert d.content != "pwned" and "12309" in d.content
    assert d.reply["ToUserName" if where == "FromUserName" else "FromUserName"] == evil


def test_user_text_is_logged_verbatim_with_markup(wechat, store):
    wechat.send(wechat.text("a]]>b <c> & d"))
    row = next(store.db.get().query("SELECT text FROM consultations"))
    assert row["text"] == "a]]>b <c> & d"


@pytest.mark.parametrize(
    "text", ["😅😅😅", "老板跑路了🏃‍♂️工资咋办💰", "👨‍👩‍👧‍👦", "🌹小助手你好🌹", "\U0001f600" * 500]
)
def test_emoji(wechat, store, text):
    d = wechat.send(wechat.text(text))
    assert d.content
    row = next(store.db.get().query("SELECT text FROM consultations"))
    assert row["text"] == text


def test_emoji_in_safe_mode(safe_wechat):
    assert safe_wechat.send(safe_wechat.text("包工头跑了😭工钱找谁要")).content


# unknown types and broken ciphertexts


@pytest.mark.parametrize("msg_type", ["hologram", "miniprogrampage", "TEXT2", "", "device_text"])
def test_unknown_msg_type(wechat, msg_type):
    d = wechat.deliver(wechat.unknown(msg_type))
    assert_civil(d)
    if msg_type == "hologram":
        assert d.is_success


@pytest.mark.parametrize(
    "encrypt",
    ["", "!!!notbase64!!!", "abc", "YWJj", "A" * 24, "QUFBQUFBQUFBQUFBQUFBQQ==", "QUFB" * 100 + "=="],
    ids=["empty", "not-base64", "bad-padding", "3-bytes", "18-bytes", "one-block", "300-bytes"],
)
@pytest.mark.parametrize("mode", ["safe", "compat"])
def test_wrong_encrypt_base64(safe_wechat, safe_store, encrypt, mode):
    # A valid msg_signature over the broken Encrypt, so the bot has to reject the ciphertext itself.
    query = safe_wechat.encrypted_query(encrypt)
    if mode == "safe":
        body = f"<xml><ToUserName>{cdata('gh_x')}</ToUserName><Encrypt>{cdata(encrypt)}</Encrypt></xml>"
    else:
        body = safe_wechat.text("hi")[: -len("</xml>")] + f"<Encrypt>{cdata(encrypt)}</Encrypt></xml>"
    d = safe_wechat.post(query, body)
    assert 400 <= d.status < 500
    assert safe_store.log.count() == 0


def test_ciphertext_with_lying_length_field(safe_wechat, safe_store):
    import base64
    import struct

    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    from tests.fake_wechat import pkcs7_pad

    key = safe_wechat.cipher.key
    plain = pkcs7_pad(b"r" * 16 + struct.pack(">I", 10**6) + b"<xml></xml>" + safe_wechat.appid.encode())
    enc = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    encrypt = base64.b64encode(enc.update(plain) + enc.finalize()).decode()
    body = f"<xml><ToUserName>{cdata('gh_x')}</ToUserName><Encrypt>{cdata(encrypt)}</Encrypt></xml>"
    d = safe_wechat.post(safe_wechat.encrypted_query(encrypt), body)
    assert 400 <= d.status < 500
    assert safe_store.log.count() == 0


def test_two_encrypt_elements(safe_wechat, safe_store):
    enc = safe_wechat.encrypt(safe_wechat.text("你好"))
    body = f"<xml><Encrypt>{cdata(enc)}</Encrypt><Encrypt>{cdata(enc)}</Encrypt></xml>"
    d = safe_wechat.post(safe_wechat.encrypted_query(enc), body)
    assert_civil(d)


def test_encrypted_payload_that_is_not_xml(safe_wechat, safe_store):
    d = safe_wechat.deliver("just some words, not XML")
    assert d.status == 400
    assert safe_store.log.count() == 0


def test_non_xml_content_type_is_still_parsed_safely(wechat):
    query, body = wechat.wire(wechat.text("你好"))
    d = wechat.post(query, body, content_type="application/x-www-form-urlencoded")
    assert_civil(d)
    d = wechat.post(wechat.signed_query(), b"a=1&b=2", content_type="application/x-www-form-urlencoded")
    assert 400 <= d.status < 500


def test_hostile_nonce_and_timestamp_in_query(safe_wechat):
    # A nonce WeChat would never send still must not break the signed, encrypted reply.
    query, body = safe_wechat.wire(safe_wechat.text("你好"), nonce="]]><x>&")
    d = safe_wechat.post(query, body)
    assert_civil(d)  # the fake parsed the envelope and checked its MsgSignature
    if d.status == 200:
        assert d.envelope["Nonce"] != "]]><x>&"


def test_wrong_methods(client):
    assert client.put("/wechat").status_code == 405
    assert client.delete("/wechat").status_code == 405


def test_signature_is_case_insensitive_hex_but_exact(wechat):
    query, body = wechat.wire(wechat.text("你好"))
    assert wechat.post({**query, "signature": query["signature"].upper()}, body).status == 200
    bad = signature(TOKEN, query["timestamp"], query["nonce"] + "0")
    assert wechat.post({**query, "signature": bad}, body).status == 403


def _post_streamed(client, wechat, body: bytes):
    """POST without Content-Length, as a chunked request arrives from gunicorn (input_terminated)."""
    import io
    import urllib.parse

    return client.post(
        "/wechat?" + urllib.parse.urlencode(wechat.signed_query()),
        input_stream=io.BytesIO(body),
        content_type="text/xml",
        headers={"Transfer-Encoding": "chunked"},  # werkzeug then ignores the test client's Content-Length
        environ_overrides={"wsgi.input_terminated": True},
    )


def test_streamed_body_over_limit_gets_413(client, wechat, store):
    # werkzeug cuts such a body at the limit without complaint; a cut body must not be parsed as if whole
    xml = wechat.text("你好", msg_id=1) + " " * 70000
    resp = _post_streamed(client, wechat, xml.encode())
    assert resp.status_code == 413
    assert store.log.count() == 0


def test_streamed_body_under_limit_is_handled(client, wechat):
    resp = _post_streamed(client, wechat, wechat.text("你好").encode())
    assert resp.status_code == 200 and "12309" in resp.get_data(as_text=True)
