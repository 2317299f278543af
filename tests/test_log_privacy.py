"""The consultation log and personal information: no raw OpenID anywhere in the database file, keyed pseudonyms,
masked phone/ID/bank-card numbers, WAL mode, and the users table (first/last seen, subscribed)."""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

import pytest

from storage.privacy import mask_pii, pseudonym
from tests.conftest import AES_KEY, APPID, TOKEN
from tests.fake_wechat import FakeWeChat, FlaskTransport, new_msg_id


def db_bytes(path: str | Path) -> bytes:
    """The database file and its -wal/-shm companions, as raw bytes."""
    out = b""
    for suffix in ("", "-wal", "-shm", "-journal"):
        p = Path(str(path) + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


def converse(fake: FakeWeChat) -> None:
    """A bit of everything a user does, including a retry."""
    fake.send(fake.event("subscribe", create_time=int(time.time()) - 5))
    fake.say("你好")
    fake.say("1")
    fake.say("2")
    retried = fake.text("包工头跑路了 工钱找谁要", msg_id=new_msg_id())
    fake.send(retried)
    fake.send(retried)
    fake.send(fake.voice("老板欠工资不给怎么办"))
    fake.send(fake.voice())
    fake.send(fake.event("CLICK", "TOPIC_3"))
    fake.send(fake.image())
    fake.send(fake.event("unsubscribe"))


@pytest.mark.parametrize("mode", ["plain", "safe", "compat"])
def test_no_raw_openid_anywhere_in_the_database(make_app, mode, caplog):
    caplog.set_level(logging.DEBUG)
    if mode == "plain":
        app = make_app()
        fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN, mode=mode)
    else:
        app = make_app(WECHAT_AES_KEY=AES_KEY, WECHAT_APPID=APPID)
        fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN, AES_KEY, APPID, mode=mode)
    converse(fake)
    services = app.extensions["pufa"]
    data = db_bytes(services.settings.DATABASE_PATH)
    user_id = services.pseudonym(fake.openid)
    assert user_id.encode() in data  # the grep does see the rows
    assert fake.openid.encode() not in data
    assert fake.openid.encode("utf-16-le") not in data
    assert fake.openid not in caplog.text  # nor in the logs
    users = list(services.store.db.get().query("SELECT user_id FROM users"))
    assert users == [{"user_id": user_id}]


def test_no_raw_openid_after_checkpoint(app, wechat, store):
    converse(wechat)
    store.db.get().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert wechat.openid.encode() not in db_bytes(app.extensions["pufa"].settings.DATABASE_PATH)


def test_pseudonym_is_keyed(make_app):
    openid = "oUSER000000000000000000000001"
    a = make_app(db_name="a.db", PSEUDONYM_KEY="key-one").extensions["pufa"]
    b = make_app(db_name="b.db", PSEUDONYM_KEY="key-two").extensions["pufa"]
    a2 = make_app(db_name="c.db", PSEUDONYM_KEY="key-one").extensions["pufa"]
    assert a.pseudonym(openid) != b.pseudonym(openid)
    assert a.pseudonym(openid) == a2.pseudonym(openid)  # stable for the same key
    assert a.pseudonym(openid) != a.pseudonym(openid[:-1] + "2")
    plain_hashes = {hashlib.sha256(openid.encode()).hexdigest(), hashlib.md5(openid.encode()).hexdigest()}
    assert not any(a.pseudonym(openid)[2:] in h for h in plain_hashes)  # not an unkeyed hash anyone can redo


def test_pseudonym_key_defaults_to_one_derived_from_secret_key(make_app):
    openid = "oUSER000000000000000000000001"
    a = make_app(db_name="a.db", SECRET_KEY="s1").extensions["pufa"]
    b = make_app(db_name="b.db", SECRET_KEY="s2").extensions["pufa"]
    assert a.pseudonym(openid) != b.pseudonym(openid)
    assert a.pseudonym(openid) == pseudonym(openid, "pseudonym:s1")


def test_logged_user_id_is_the_keyed_pseudonym(make_app):
    app = make_app(PSEUDONYM_KEY="k")
    fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    fake.say("你好")
    row = next(app.extensions["pufa"].store.db.get().query("SELECT user_id FROM consultations"))
    assert row["user_id"] == pseudonym(fake.openid, "k")


# masking


@pytest.mark.parametrize(
    "text,secret,kept",
    [
        ("我电话13812345678，老板欠钱", "13812345678", "138****5678"),
        ("电话 138 1234 5678", "1234", "138****5678"),
        ("电话138-1234-5678", "138-1234", "138****5678"),
        ("+8613812345678", "13812345678", "138****5678"),
        ("身份证620102199001011234", "199001011234", "620***********1234"),
        ("身份证号62010219900101123x", "1990010112", "620***********123x"),
        ("身份证620102 19900101 123X", "19900101", "620***********123X"),
        ("老身份证620102900101123", "900101", "620*********123"),
        ("工资卡6222021234567890", "02123456", "6222********7890"),
        ("卡号6222021234567890123", "0212345678", "6222***********0123"),
        ("卡号 6222 0212 3456 7890", "0212 3456", "6222 **** **** 7890"),
        ("座机0931-8123456", "8123456", "0931-****456"),
    ],
)
def test_mask_pii(text, secret, kept):
    masked = mask_pii(text)
    assert secret not in masked
    assert kept in masked


@pytest.mark.parametrize(
    "text",
    [
        "欠了3个月工资5000元",
        "2023年5月到2024年1月没发工资",
        "打12309还是12333，还是110",
        "20230115开始上班，一共150000元",
        "劳动合同法第82条",
        "",
    ],
)
def test_mask_pii_leaves_ordinary_numbers(text):
    assert mask_pii(text) == text


def test_stored_text_is_masked(app, wechat, store):
    wechat.say("老板欠我工资，我电话13812345678，身份证620102199001011234，卡号6222021234567890")
    wechat.send(wechat.voice("我手机号是139 8765 4321"))
    texts = [r["text"] for r in store.db.get().query("SELECT text FROM consultations ORDER BY id")]
    assert texts[0] == "老板欠我工资，我电话138****5678，身份证620***********1234，卡号6222********7890"
    assert texts[1] == "我手机号是139****4321"
    data = db_bytes(app.extensions["pufa"].settings.DATABASE_PATH)
    for secret in (b"13812345678", b"620102199001011234", b"6222021234567890", b"8765"):
        assert secret not in data


def test_stats_show_masked_text(app, wechat, store):
    from storage.stats import Period, Stats

    wechat.say("明天兰州下雨吗 我电话13812345678")
    top = Stats(store.db).summary(Period())["top_unanswered"]
    assert top and "13812345678" not in top[0]["text"] and "138****5678" in top[0]["text"]


# the database


def test_wal_mode_is_on(store, wechat):
    wechat.say("你好")
    assert store.db.get().execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    import sqlite3

    other = sqlite3.connect(store.db.path)  # a fresh connection sees the persistent WAL mode too
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_consultation_row_fields(wechat, store):
    wechat.say("包工头跑路了 工钱找谁要")
    row = next(store.db.get().query("SELECT * FROM consultations"))
    assert row["kind"] == "text" and row["outcome"] == "answered"
    assert row["msg_key"].startswith("msg:")
    assert row["latency_ms"] is not None and row["latency_ms"] >= 0
    assert row["day"] == row["created_at"][:10]
    assert abs(row["ts"] - time.time()) < 60


def test_users_first_and_last_seen(app, wechat, store):
    wechat.say("你好")
    user_id = app.extensions["pufa"].pseudonym(wechat.openid)
    user = next(store.db.get().query("SELECT * FROM users WHERE user_id = ?", [user_id]))
    assert user["first_seen"] == user["last_seen"] and user["messages"] == 1
    assert user["subscribed"] is None  # a message says nothing about following
    store.db.get().execute(
        "UPDATE users SET first_seen = '2020-01-01 08:00:00', last_seen = '2020-01-01 08:00:00' WHERE user_id = ?",
        [user_id],
    )
    wechat.say("老板欠工资")
    user = next(store.db.get().query("SELECT * FROM users WHERE user_id = ?", [user_id]))
    assert user["first_seen"] == "2020-01-01 08:00:00"
    assert user["last_seen"] > "2020-01-01 08:00:00"
    assert user["messages"] == 2


def test_users_subscribed_flags(app, wechat, store):
    user_id = app.extensions["pufa"].pseudonym(wechat.openid)

    def user():
        return next(store.db.get().query("SELECT * FROM users WHERE user_id = ?", [user_id]))

    now = int(time.time())
    wechat.send(wechat.event("subscribe", create_time=now - 3))
    assert user()["subscribed"] == 1 and user()["subscribed_at"] and user()["unsubscribed_at"] is None
    wechat.say("你好")
    assert user()["subscribed"] == 1  # messages keep the flag
    wechat.send(wechat.event("unsubscribe", create_time=now - 2))
    assert user()["subscribed"] == 0 and user()["unsubscribed_at"]
    wechat.send(wechat.event("subscribe", create_time=now - 1))
    assert user()["subscribed"] == 1


def test_unsubscribe_as_first_contact(app, wechat, store):
    wechat.send(wechat.event("unsubscribe"))
    user_id = app.extensions["pufa"].pseudonym(wechat.openid)
    user = next(store.db.get().query("SELECT * FROM users WHERE user_id = ?", [user_id]))
    assert user["subscribed"] == 0


def test_one_user_row_per_openid(app, wechat, store):
    other = FakeWeChat(wechat.transport, TOKEN)
    wechat.say("你好")
    wechat.say("1")
    other.say("你好")
    assert store.db.get().execute("SELECT count(*) FROM users").fetchone()[0] == 2
    assert store.db.get().execute("SELECT count(DISTINCT user_id) FROM consultations").fetchone()[0] == 2


def test_storage_does_not_import_flask():
    import subprocess
    import sys

    code = "import sys, storage, storage.privacy, dialogue, faq.matcher, knowledge; sys.exit(1 if 'flask' in sys.modules else 0)"
    root = Path(__file__).resolve().parent.parent
    assert subprocess.run([sys.executable, "-c", code], cwd=root).returncode == 0
