"""Messages from staff to a person (messaging/, storage/outbox.py): pushed through the customer-service API within
48 hours when it is configured (a local fake WeChat API), otherwise delivered first in the reply to the person's
next message; encrypted at rest; never before an emergency line."""

from __future__ import annotations

import time

import pytest

from storage.outbox import CUSTOM, DELIVERED, NEXT_MESSAGE, PENDING, PUSH_WINDOW_SECONDS, PUSHED
from tests.llm_fakes import Chat
from tests.test_log_privacy import db_bytes

pytest_plugins = ["tests.llm_fixtures"]

STAFF = "工作人员回复您：您说的情况我们已经记下，明天上午会给您打电话。"


def _user(app, chat: Chat) -> str:
    return app.extensions["pufa"].pseudonym(chat.openid)


def test_without_the_api_a_staff_message_goes_out_with_the_next_reply(llm_app_factory):
    app = llm_app_factory(None)
    services = app.extensions["pufa"]
    chat = Chat(app)
    chat.send("老板欠工资不给怎么办")
    row = services.messenger.send(_user(app, chat), "staff_reply", "t1", STAFF, "caseworker1")
    assert row["state"] == PENDING and row["error"] == "no_api"

    reply, _ = chat.send("产假有多少天")
    assert reply.startswith(STAFF)  # the staff message first
    assert "98" in reply.split(STAFF, 1)[1]  # then the answer to what they asked
    row = services.store.outbox.get(row["id"])
    assert row["state"] == DELIVERED and row["channel"] == NEXT_MESSAGE and row["delivered"]

    again, _ = chat.send("产假有多少天")
    assert STAFF not in again  # delivered once


def test_a_retry_of_the_delivering_message_gets_the_same_reply(llm_app_factory):
    app = llm_app_factory(None)
    chat = Chat(app)
    app.extensions["pufa"].messenger.send(_user(app, chat), "staff_reply", "t1", STAFF, "caseworker1")
    msg_id = chat.new_msg_id()
    first, _ = chat.send("你好", msg_id=msg_id)
    retry, _ = chat.send("你好", msg_id=msg_id)
    assert first == retry and first.startswith(STAFF)


def test_with_the_api_the_message_is_pushed_at_once(llm_app_factory, fake_wx_api):
    app = llm_app_factory(None, fake_wx_api.url)
    services = app.extensions["pufa"]
    chat = Chat(app)
    chat.send("我想留言")
    user = _user(app, chat)
    services.store.openids.remember(user, chat.openid)  # what the inbox / intake flows do when a person writes in
    row = services.messenger.send(user, "staff_reply", "t1", STAFF, "caseworker1")
    assert row["state"] == PUSHED and row["channel"] == CUSTOM
    assert fake_wx_api.sent == [{"touser": chat.openid, "content": STAFF}]
    reply, _ = chat.send("谢谢")
    assert STAFF not in reply  # already with them


def test_outside_48_hours_or_refused_the_message_waits_for_the_next_one(llm_app_factory, fake_wx_api):
    app = llm_app_factory(None, fake_wx_api.url)
    services = app.extensions["pufa"]
    chat = Chat(app)
    user = _user(app, chat)
    services.store.openids.remember(user, chat.openid)
    fake_wx_api.fail_next = [45015]  # WeChat: the 48-hour window is closed
    row = services.messenger.send(user, "staff_reply", "t1", STAFF, "caseworker1")
    assert row["state"] == PENDING and row["error"] == "push:45015"

    services.store.db.get().execute("UPDATE openid_vault SET seen = ?", [time.time() - PUSH_WINDOW_SECONDS - 5])
    old = services.messenger.send(user, "staff_reply", "t2", "第二条", "caseworker1")
    assert old["state"] == PENDING and old["error"] == "window_closed"
    assert len(fake_wx_api.attempts) == 1  # no push tried once the window is known to be closed

    reply, _ = chat.send("在吗")
    assert reply.startswith(STAFF) and "第二条" in reply
    assert services.store.openids.reachable(user)  # they wrote: pushes work again for 48 hours


def test_an_emergency_reply_is_never_preceded_by_a_staff_message(llm_app_factory):
    app = llm_app_factory(None)
    chat = Chat(app)
    app.extensions["pufa"].messenger.send(_user(app, chat), "staff_reply", "t1", STAFF, "caseworker1")
    reply, _ = chat.send("救命 他拿着刀在砍门")
    assert reply.startswith("【紧急】") and STAFF not in reply
    later, _ = chat.send("保护令怎么申请")
    assert later.startswith(STAFF)


def test_texts_and_openids_are_encrypted_at_rest(llm_app_factory, tmp_path):
    app = llm_app_factory(None)
    services = app.extensions["pufa"]
    chat = Chat(app)
    user = _user(app, chat)
    services.store.openids.remember(user, chat.openid)
    services.messenger.send(user, "staff_reply", "t1", STAFF + " 电话 13912345678", "caseworker1")
    raw = db_bytes(tmp_path / "bot.db")
    assert chat.openid.encode() not in raw
    assert b"13912345678" not in raw and "明天上午会给您打电话".encode() not in raw


@pytest.mark.parametrize("bad", ["", "f1:not-a-token", "plain text"])
def test_an_unreadable_token_reads_as_none(llm_app_factory, bad):
    app = llm_app_factory(None)
    assert app.extensions["pufa"].store.cipher.decrypt(bad) is None
