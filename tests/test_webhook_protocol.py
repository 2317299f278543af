"""The WeChat protocol at /wechat: handshake, plain/compat/safe pushes, key rotation, AppID, freshness window,
and the official crypto test vectors (wechat-protocol.md §3) against both the fake server and the bot."""

from __future__ import annotations

import time

import pytest

from tests.conftest import AES_KEY, APPID, OLD_AES_KEY, TOKEN
from tests.fake_wechat import (
    DEFAULT_ACCOUNT,
    AesCipher,
    CryptoError,
    FakeWeChat,
    FlaskTransport,
    build_message,
    parse_xml,
    signature,
)

# Official vectors, transcribed from wechat-protocol.md §3 (Tencent samples, WxJava, wechatpy tests).
A_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
A1 = {
    "key": A_KEY,
    "appid": "wxb11529c136998cb6",
    "random": b"aaaabbbbccccdddd",
    "msg": "我是中文abcd123",
    "encrypt": "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==",
}
C = {  # Tencent Python Sample.py: a compat-mode body
    "token": "spamtest",
    "key": A_KEY,
    "appid": "wx2c2769f8efd9abc2",
    "timestamp": "1409735669",
    "nonce": "1320562132",
    "msg_signature": "5d197aaffba7e9b25a30732f161a50dee96bd5fa",
    "body": (
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA["
        "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName><CreateTime>1409735668</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]></Content>"
        "<MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk"
        "53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0"
        "B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKO"
        "IbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0Vxp"
        "Ae+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q"
        "5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
    ),
    "msg": (
        "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA["
        "oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n"
        "<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n"
        "<MsgId>6054768590064713728</MsgId>\n</xml>"
    ),
}
E = {  # open-platform doc example: EncodingAESKey of 43 x "A" (32 zero bytes)
    "token": "AAAAA",
    "key": "A" * 43,
    "appid": "wx134c8103faa5a59e",
    "timestamp": "1715943329",
    "nonce": "1590219412",
    "msg_signature": "6c12a4205838198b8fa631b3220723bb07f1015c",
    "encrypt": (
        "D7yzvUNAL930rd28wf21s4hvXhz0L6Uit/p2Di6C5DHyYGpEgdBRnKjBec34JwoQXicwaZC7fOVihW80F4Vtsdv"
        "E//1vr7oAbqjDv8KenVp+ajKYpJnyQ4zMRhIC+a31fCVOMC03FfzV/QuC94kBP55a+Za3sJgvAn+ZbsNqZI5Dk"
        "yuzkhQN8OBqCzFhizGmy0xpM0MEA4agpvE+RuNO1rhHTtuJB5yltw1FiYzecSXJ+y/D2r81VkRn2eYjh2ltso"
        "yfbDR7Is6ookXIFxTfyeNyeHxMeT4KN5WpCDmSbTcUYrbBUlkGLJ9n/rU8YOywma6G7aTb7KZKOqCxgfoUlYEZ"
        "Pk4FUL/TK7ShriFDMVCLyjQJ15Ob++agDWtcxhfUfe6HIoIpRW8mKNBQiY/Jd1svvuskA1wLef1RTtzKfMpag"
        "SCX/laZINmdnX4zrF6kIaR9P4xQrWXbsTFHTYe0Mg=="
    ),
    "msg_len": 292,
    "reply_random": b"999951349e8ee746",
    "reply_msg": "<xml><demo_resp>[CDATA[good luck]]</demo_resp></xml>",
    "reply_encrypt": (
        "hE8R6mGXHkJJjU72KxzKUd1GEkKJaEZq7vRL8XgK3o+00k8JGq6+pZJUIlTSyhsX+bxIBQ72g3GyvDdIZcr"
        "6+3HAZbSvPT9t/o11MI7d6WELwqrGd7jMnV0zv3Zc9Nq7"
    ),
    "reply_timestamp": "1713424427",
    "reply_nonce": "415670741",
    "reply_signature": "03e0812039325c2712ef5f0f980fd14c70d6e307",
}
W2 = {  # wechatpy tests/test_crypto.py: encrypting a reply
    "token": "123456",
    "key": "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR",
    "appid": "wx49f0ab532d5d035a",
    "random": b"1234567890123456",
    "timestamp": "1411525903",
    "nonce": "461056294",
    "msg": (
        "<xml>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[test]]></Content>\n"
        "<FromUserName><![CDATA[wx49f0ab532d5d035a]]></FromUserName>\n"
        "<ToUserName><![CDATA[messense]]></ToUserName>\n<AgentID>1</AgentID>\n"
        "<CreateTime>1411525903</CreateTime>\n</xml>"
    ),
    "encrypt": (
        "9s4gMv99m88kKTh/H8IdkOiMg6bisoy3ypwy9H4hvSPe9nsGaqyw5hhSjdYbcrKk+j3nba4HMOTzHrluLBYqxg"
        "NcBqGsL8GqxlhZgURnAtObvesEl5nZ+uBE8bviY0LWke8Zy9V/QYKxNV2FqllNXcfmstttyIkMKCCmVbCFM2J"
        "TF5wY0nFhHZSjPUL2Q1qvSUCUld+/WIXrx0oyKQmpB6o8NRrrNrsDf03oxI1p9FxUgMnwKKZeOA/uu+2IEvEB"
        "tb7muXsVbwbgX05UPPJvFurDXafG0RQyPR+mf1nDnAtQmmNOuiR5MIkdQ39xn1vWwi1O5oazPoQJz0nTYjxxEE"
        "8kv3kFxtAGVRe3ypD3WeK2XeFYFMNMpatF9XiKzHo3"
    ),
    "msg_signature": "407518b7649e86ef23978113f92d27afa9296533",
}


# the vectors against the fake server's own crypto


def test_fake_reproduces_plain_signature_vector():
    assert signature("test", "1410685589", "test") == "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"


def test_fake_reproduces_vector_a1():
    cipher = AesCipher(A1["key"], A1["appid"])
    assert cipher.encrypt(A1["msg"], A1["random"]) == A1["encrypt"]
    assert cipher.decrypt(A1["encrypt"]) == A1["msg"]


def test_fake_decrypts_vector_c():
    assert signature(C["token"], C["timestamp"], C["nonce"], parse_xml(C["body"])["Encrypt"]) == C["msg_signature"]
    assert AesCipher(C["key"], C["appid"]).decrypt(parse_xml(C["body"])["Encrypt"]) == C["msg"]


def test_fake_reproduces_vector_e():
    cipher = AesCipher(E["key"], E["appid"])
    assert signature(E["token"], E["timestamp"], E["nonce"], E["encrypt"]) == E["msg_signature"]
    msg = cipher.decrypt(E["encrypt"])
    assert len(msg.encode()) == E["msg_len"]
    assert "<Event><![CDATA[debug_demo]]></Event>" in msg
    assert cipher.encrypt(E["reply_msg"], E["reply_random"]) == E["reply_encrypt"]
    assert signature(E["token"], E["reply_timestamp"], E["reply_nonce"], E["reply_encrypt"]) == E["reply_signature"]


def test_fake_reproduces_vector_w2():
    cipher = AesCipher(W2["key"], W2["appid"])
    assert cipher.encrypt(W2["msg"], W2["random"]) == W2["encrypt"]
    assert signature(W2["token"], W2["timestamp"], W2["nonce"], W2["encrypt"]) == W2["msg_signature"]


def test_fake_refuses_wrong_appid_and_bad_padding():
    cipher = AesCipher(A1["key"], A1["appid"])
    with pytest.raises(CryptoError, match="AppID"):
        AesCipher(A1["key"], "wxsomeoneelse0000").decrypt(A1["encrypt"])
    with pytest.raises(CryptoError):
        cipher.decrypt(A1["encrypt"][:-8] + "AAAAAAA=")


# the vectors against the bot


def test_bot_answers_handshake_for_plain_signature_vector(make_app):
    client = make_app(WECHAT_TOKEN="test").test_client()
    resp = client.get(
        "/wechat?signature=f21891de399b4e33a1a93c9a7b8a8fffb5a443ff&timestamp=1410685589&nonce=test&echostr=e1"
    )
    assert resp.status_code == 200 and resp.data == b"e1"


def test_bot_decrypts_vector_c_compat_body(make_app):
    # The vector is from 2014, so widen the freshness window (a setting) to accept it.
    app = make_app(
        WECHAT_TOKEN=C["token"], WECHAT_AES_KEY=C["key"], WECHAT_APPID=C["appid"], WECHAT_TIMESTAMP_WINDOW=10**10
    )
    fake = FakeWeChat(FlaskTransport(app.test_client()), C["token"], C["key"], C["appid"])
    query = {
        "signature": signature(C["token"], C["timestamp"], C["nonce"]),
        "timestamp": C["timestamp"],
        "nonce": C["nonce"],
        "openid": "oyORnuP8q7ou2gfYjqLzSIWZf0rs",
        "encrypt_type": "aes",
        "msg_signature": C["msg_signature"],
    }
    d = fake.post(query, C["body"])
    assert d.status == 200 and not d.problems, d.text
    assert d.envelope is not None, "an encrypted request must get an encrypted reply"
    assert d.reply["ToUserName"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert d.reply["FromUserName"] == "gh_10f6c3c3ac5a"
    log = app.extensions["pufa"].store.log
    assert log.count_key("msg:6054768590064713728") == 1
    row = next(app.extensions["pufa"].store.db.get().query("SELECT kind, text FROM consultations"))
    assert row == {"kind": "text", "text": "abcdteT"}


def test_bot_decrypts_vector_e_safe_envelope(make_app):
    app = make_app(
        WECHAT_TOKEN=E["token"], WECHAT_AES_KEY=E["key"], WECHAT_APPID=E["appid"], WECHAT_TIMESTAMP_WINDOW=10**10
    )
    fake = FakeWeChat(FlaskTransport(app.test_client()), E["token"], E["key"], E["appid"])
    body = (
        f"<xml><ToUserName><![CDATA[gh_97417a04a28d]]></ToUserName><Encrypt><![CDATA[{E['encrypt']}]]></Encrypt></xml>"
    )
    query = {
        "signature": signature(E["token"], E["timestamp"], E["nonce"]),
        "timestamp": E["timestamp"],
        "nonce": E["nonce"],
        "encrypt_type": "aes",
        "msg_signature": E["msg_signature"],
    }
    d = fake.post(query, body)
    assert d.status == 200 and d.is_success  # an event we do not know: no reply
    assert app.extensions["pufa"].store.log.count() == 1


# GET handshake


@pytest.mark.parametrize("echostr", ["11328701160039546815", "abc DEF-_.~", "中文回显"])
def test_handshake_echoes_echostr_verbatim(wechat, echostr):
    status, body = wechat.verify(echostr)
    assert status == 200
    assert body == echostr.encode("utf-8")


def test_handshake_is_plaintext_in_safe_mode(safe_wechat):
    assert safe_wechat.verify("1616140317555161061") == (200, b"1616140317555161061")


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"signature": "0" * 40, "timestamp": "1410685589", "nonce": "1"},
        {"timestamp": "1410685589", "nonce": "1"},
        {"signature": "", "timestamp": "", "nonce": ""},
    ],
    ids=["no-params", "bad-signature", "missing-signature", "empty"],
)
def test_handshake_refuses_bad_or_missing_signature(wechat, query):
    status, body = wechat.verify("should-not-echo", query)
    assert status == 403
    assert b"should-not-echo" not in body


def test_handshake_refuses_signature_for_another_token(client):
    q = f"signature={signature('other', '1', '2')}&timestamp=1&nonce=2&echostr=x"
    assert client.get("/wechat?" + q).status_code == 403


# POST in the three modes


def _check_swapped(d, fake):
    assert d.reply["ToUserName"] == fake.openid
    assert d.reply["FromUserName"] == fake.account
    assert d.reply["MsgType"] == "text"
    assert abs(int(d.reply["CreateTime"]) - time.time()) < 60


def test_plain_push_gets_plain_reply(wechat):
    d = wechat.send(wechat.text("你好"))
    assert d.envelope is None
    _check_swapped(d, wechat)
    assert "12309" in d.content


@pytest.mark.parametrize("mode", ["compat", "safe"])
def test_encrypted_push_gets_encrypted_signed_reply(safe_wechat, mode):
    d = safe_wechat.send(safe_wechat.text("你好"), mode=mode)
    assert d.envelope is not None, "reply must be encrypted when the request was"
    assert set(d.envelope) >= {"Encrypt", "MsgSignature", "TimeStamp", "Nonce"}
    # the fake checked MsgSignature (d.problems is empty); check it again here explicitly
    env = d.envelope
    assert env["MsgSignature"] == signature(TOKEN, env["TimeStamp"], env["Nonce"], env["Encrypt"])
    _check_swapped(d, safe_wechat)
    assert "12309" in d.content


def test_safe_app_refuses_plaintext_push(safe_wechat, safe_store):
    """With an AES key every real push is encrypted; a plaintext one (unsigned body) is refused."""
    d = safe_wechat.deliver(safe_wechat.text("你好"), mode="plain")
    assert d.status == 400
    assert safe_store.log.count() == 0


def test_plaintext_push_allowed_while_switching_modes(make_app):
    app = make_app(WECHAT_AES_KEY=AES_KEY, WECHAT_APPID=APPID, WECHAT_ALLOW_PLAINTEXT=True)
    fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN, AES_KEY, APPID)
    d = fake.send(fake.text("你好"), mode="plain")
    assert d.envelope is None and "12309" in d.content


def test_encrypted_push_to_app_without_key_is_refused(client):
    fake = FakeWeChat(FlaskTransport(client), TOKEN, AES_KEY, APPID)
    d = fake.deliver(fake.text("你好"))
    assert 400 <= d.status < 500


def test_bad_msg_signature_is_refused(safe_wechat, safe_store):
    query, body = safe_wechat.wire(safe_wechat.text("你好"))
    query["msg_signature"] = "0" * 40
    assert safe_wechat.post(query, body).status == 403
    del query["msg_signature"]
    assert safe_wechat.post(query, body).status == 403
    assert safe_store.log.count() == 0


def test_signature_is_checked_in_encrypted_mode_too(safe_wechat):
    query, body = safe_wechat.wire(safe_wechat.text("你好"))
    query["signature"] = "0" * 40
    assert safe_wechat.post(query, body).status == 403


def test_plain_push_with_bad_signature_is_refused(wechat, store):
    query, body = wechat.wire(wechat.text("你好"))
    assert wechat.post({**query, "signature": "f" * 40}, body).status == 403
    assert wechat.post({k: v for k, v in query.items() if k != "signature"}, body).status == 403
    assert store.log.count() == 0


def test_reply_is_encrypted_for_our_appid(safe_wechat):
    d = safe_wechat.send(safe_wechat.text("你好"))
    _, appid = safe_wechat.cipher.decrypt_raw(d.envelope["Encrypt"])
    assert appid == APPID


# key rotation and AppID


def test_key_rotation_accepts_previous_key_and_answers_with_it(make_app):
    app = make_app(WECHAT_AES_KEY=AES_KEY, WECHAT_AES_KEY_PREVIOUS=OLD_AES_KEY, WECHAT_APPID=APPID)
    client = app.test_client()
    new = FakeWeChat(FlaskTransport(client), TOKEN, AES_KEY, APPID)
    old = FakeWeChat(FlaskTransport(client), TOKEN, OLD_AES_KEY, APPID)
    for fake in (new, old):
        for mode in ("safe", "compat"):
            d = fake.send(fake.text("你好"), mode=mode)  # fails if the reply is not encrypted with the same key
            assert "12309" in d.content
    other = FakeWeChat(FlaskTransport(client), TOKEN, "Z" * 43, APPID)
    assert other.deliver(other.text("你好")).status == 400


def test_previous_key_is_not_accepted_without_rotation_setting(safe_client):
    old = FakeWeChat(FlaskTransport(safe_client), TOKEN, OLD_AES_KEY, APPID)
    assert old.deliver(old.text("你好")).status == 400


@pytest.mark.parametrize("mode", ["safe", "compat"])
def test_wrong_appid_is_refused(safe_wechat, safe_store, mode):
    query, body = safe_wechat.wire(safe_wechat.text("你好"), mode=mode, appid="wx0000000000000bad")
    assert safe_wechat.post(query, body).status == 403
    assert safe_store.log.count() == 0


# freshness window


@pytest.mark.parametrize("offset", [-301, 301, -86400, 10**6])
def test_timestamp_outside_window_is_refused(wechat, store, offset):
    d = wechat.deliver(wechat.text("你好"), timestamp=int(time.time()) + offset)
    assert d.status == 403
    assert store.log.count() == 0


@pytest.mark.parametrize("offset", [-290, 0, 290])
def test_timestamp_inside_window_is_accepted(wechat, offset):
    assert wechat.send(wechat.text("你好"), timestamp=int(time.time()) + offset).content


@pytest.mark.parametrize("timestamp", ["", "abc", "1e9", "-"])
def test_malformed_timestamp_is_refused(wechat, timestamp):
    query, body = wechat.wire(wechat.text("你好"))
    query.update(timestamp=timestamp, signature=signature(TOKEN, timestamp, query["nonce"]))
    assert wechat.post(query, body).status == 403


def test_timestamp_window_is_a_setting(make_app):
    client = make_app(WECHAT_TIMESTAMP_WINDOW=10).test_client()
    fake = FakeWeChat(FlaskTransport(client), TOKEN)
    assert fake.deliver(fake.text("你好"), timestamp=int(time.time()) - 20).status == 403
    assert fake.deliver(fake.text("你好"), timestamp=int(time.time()) - 5).status == 200


def test_stale_timestamp_refused_in_safe_mode(safe_wechat):
    assert safe_wechat.deliver(safe_wechat.text("你好"), timestamp=int(time.time()) - 1000).status == 403


@pytest.mark.parametrize(
    "values",
    [
        {"WECHAT_AES_KEY": "short", "WECHAT_APPID": APPID},
        {"WECHAT_AES_KEY": AES_KEY},
        {"WECHAT_AES_KEY": AES_KEY, "WECHAT_APPID": APPID, "WECHAT_AES_KEY_PREVIOUS": "x" * 42},
        {"WECHAT_TIMESTAMP_WINDOW": 0},
    ],
)
def test_app_refuses_to_start_with_bad_crypto_settings(make_app, values):
    with pytest.raises(SystemExit):
        make_app(**values)


def test_build_message_shape():
    xml = build_message("text", {"Content": "a]]>b"}, openid="oX", create_time=1, msg_id=7)
    fields = parse_xml(xml)
    assert fields == {
        "ToUserName": DEFAULT_ACCOUNT,
        "FromUserName": "oX",
        "CreateTime": "1",
        "MsgType": "text",
        "Content": "a]]>b",
        "MsgId": "7",
    }
