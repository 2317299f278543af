"""Leaving a message for staff through the real webhook (fake WeChat server): how a person gets there (words, the
menu button, "3" after the handoff reply, "好" after the fallback), writing it (text or voice), 取消, the
confirmation with the promised date inside and outside working hours, retries, privacy at rest, and a message
with danger words (emergency reply first, and the message still reaches staff)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest

from dialogue import texts
from inbox import texts as inbox_texts
from inbox.flow import LeaveMessageFlow
from storage.db import CHINA_TZ
from storage.inbox import ANSWERED, CLOSED, WAITING
from storage.vocab import Outcome
from tests.test_log_privacy import db_bytes

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=CHINA_TZ)  # inside 周一至周五 09:00-12:00,14:30-17:30
FRIDAY_18 = datetime(2026, 12, 11, 18, 0, tzinfo=CHINA_TZ)  # after work on a Friday
MESSAGE = "老板欠我三个月工资八千五，我叫张三丰，电话13912345678，想请检察院帮忙"


@pytest.fixture
def flow(app) -> LeaveMessageFlow:
    flow = next(f for f in app.extensions["pufa"].dialogue.flows if isinstance(f, LeaveMessageFlow))
    flow.clock = lambda: MONDAY_10
    return flow


def rows(store) -> list[dict]:
    return list(store.db.get().query("SELECT * FROM consultations ORDER BY id"))


def threads(store) -> list[dict]:
    return store.inbox.list("all")


def test_asking_to_leave_a_message_then_writing_it(wechat, store, flow):
    prompt = wechat.say("我要留言")
    assert "写在下一条消息里" in prompt and "取消" in prompt and "2 个工作日" in prompt
    confirmation = wechat.say(MESSAGE)
    assert confirmation.startswith("收到，您的留言已经转给检察院的工作人员")
    assert "2 个工作日内（最晚 12月9日（星期三））" in confirmation  # Monday + 2 working days
    assert "110" in confirmation
    [thread] = threads(store)
    assert thread["status"] == WAITING and thread["latest"] == MESSAGE and thread["n_messages"] == 1
    log = rows(store)
    assert [r["outcome"] for r in log] == [Outcome.INBOX, Outcome.INBOX]
    assert log[1]["text"] == inbox_texts.LOG_PLACEHOLDER  # the log never holds what was entrusted to staff
    assert store.openids.reachable(thread["user_id"]) == wechat.openid  # kept (encrypted) for a push
    assert "留言" not in wechat.say("加班费怎么算")[:20]  # done: the next message is a question again


def test_outside_working_hours_the_confirmation_says_so_and_gives_12309(wechat, flow):
    flow.clock = lambda: FRIDAY_18
    wechat.say("留言")
    confirmation = wechat.say(MESSAGE)
    assert "现在是下班时间" in confirmation and "周一至周五 09:00-12:00,14:30-17:30" in confirmation
    assert "12月14日（星期一） 09:00 上班后" in confirmation
    assert "最晚 12月15日（星期二）" in confirmation  # Friday evening + 2 working days
    assert "12309" in confirmation


def test_the_promise_comes_from_settings(make_app, _fast_build):
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    app = make_app(STAFF_REPLY_PROMISE=5, STAFF_HOURS="每天 00:00-23:59", HOTLINE_HOURS="每天 8:00-20:00")
    wechat = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    assert "5 个工作日内回复" in wechat.say("留言")
    assert "5 个工作日内" in wechat.say(MESSAGE) and "下班时间" not in wechat.say("你好")


def test_the_menu_button_starts_it(wechat, store, flow):
    prompt = wechat.send(wechat.event("CLICK", key="LEAVE_MESSAGE")).content
    assert "写在下一条消息里" in prompt
    assert rows(store)[-1]["detail"] and '"click": "LEAVE_MESSAGE"' in rows(store)[-1]["detail"]
    assert wechat.say(MESSAGE).startswith("收到")
    assert threads(store)[0]["latest"] == MESSAGE


def test_the_handoff_reply_offers_it_and_3_or_yes_takes_it(wechat, store, flow):
    handoff = wechat.say("转人工")
    assert "回复“留言”" in handoff
    assert "写在下一条消息里" in wechat.say("3")
    assert wechat.say("取消") == inbox_texts.CANCELLED
    wechat.send(wechat.event("CLICK", key="HANDOFF"))
    assert "写在下一条消息里" in wechat.say("好的")
    assert threads(store) == []


def test_the_fallback_offers_it(wechat, store, flow):
    fallback = wechat.say("明天兰州下雨吗，我想去爬山")
    assert fallback == texts.FALLBACK_TEXT and "回复“留言”" in fallback
    assert "写在下一条消息里" in wechat.say("好")
    wechat.say(MESSAGE)
    assert len(threads(store)) == 1


def test_a_yes_without_an_offer_is_not_a_message(wechat, store, flow):
    wechat.say("加班费怎么算")
    assert "写在下一条消息里" not in wechat.say("好的")


def test_cancel_and_too_short(wechat, store, flow):
    wechat.say("留言")
    assert wechat.say("？") == inbox_texts.TOO_SHORT  # still writing
    assert wechat.say("算了") == inbox_texts.CANCELLED
    assert threads(store) == []
    wechat.say("留言")
    assert "取消" in wechat.say("留言")  # asking again while writing: the prompt again, nothing stored
    assert threads(store) == []
    assert wechat.say("我想找工作人员帮我讨薪，老板欠了三个月").startswith("收到")  # a request with a message is one
    assert threads(store)[0]["latest"] == "我想找工作人员帮我讨薪，老板欠了三个月"


def test_a_voice_message_is_the_message(wechat, store, flow):
    wechat.say("留言")
    reply = wechat.send(wechat.voice("包工头跑了 工地上二十多个人的工钱没着落")).content
    assert reply.startswith("收到")
    assert threads(store)[0]["latest"] == "包工头跑了 工地上二十多个人的工钱没着落"
    assert rows(store)[-1]["kind"] == "voice" and rows(store)[-1]["text"] == inbox_texts.LOG_PLACEHOLDER


def test_request_and_message_in_one_go(wechat, store, flow):
    long = "我要留言：" + "包工头跑了，项目部说钱已经给包工头了，" * 3 + "我们二十多个人的工钱找谁要"
    assert wechat.say(long).startswith("收到")
    assert threads(store)[0]["latest"].startswith("包工头跑了")
    assert "写在下一条消息里" in wechat.say("我要留言：好")  # too little after the colon: the prompt


def test_a_second_message_joins_the_open_thread_and_a_closed_one_starts_anew(wechat, store, flow):
    wechat.say("留言")
    wechat.say(MESSAGE)
    [first] = threads(store)
    store.inbox.replied(first["id"], "caseworker1")
    assert store.inbox.get(first["id"])["status"] == ANSWERED
    wechat.say("留言")
    wechat.say("还有，老板说下个月才给，能不能快一点")
    [thread] = threads(store)
    assert thread["id"] == first["id"] and thread["n_messages"] == 2 and thread["status"] == WAITING
    store.inbox.close(first["id"], "caseworker1")
    wechat.say("我要留言：又来了，新的工地也欠钱不给")
    assert [t["status"] for t in threads(store)] == [WAITING, CLOSED]


def test_a_retried_message_is_stored_once(wechat, store, flow):
    wechat.say("留言")
    xml = wechat.text(MESSAGE)
    first = wechat.send(xml).content
    retry = wechat.send(xml).content  # WeChat re-sends with the same MsgId
    assert first == retry
    assert threads(store)[0]["n_messages"] == 1


def test_a_handler_run_twice_for_one_message_stores_it_once(app, store, flow):
    """A crash after the flow stored the message and before the log write re-runs the handler: same MsgId."""
    dialogue = app.extensions["pufa"].dialogue
    dialogue.respond("u_rerun0001", "留言")
    one = dialogue.answer_text("u_rerun0001", MESSAGE, "oRerun", msg_key="123456789")
    two = dialogue.answer_text("u_rerun0001", MESSAGE, "oRerun", msg_key="123456789")
    assert one.text == two.text and one.detail["thread"] == two.detail["thread"]
    assert store.inbox.get(one.detail["thread"])["messages"].__len__() == 1


def test_the_message_and_the_openid_are_encrypted_at_rest(wechat, store, settings, flow, tmp_path):
    wechat.say("留言")
    wechat.say(MESSAGE)
    raw = db_bytes(tmp_path / "bot.db")
    assert b"13912345678" not in raw and "张三丰".encode() not in raw and "想请检察院帮忙".encode() not in raw
    assert wechat.openid.encode() not in raw


def test_danger_while_writing_gets_the_emergency_reply_and_still_reaches_staff(wechat, store, flow):
    wechat.say("留言")
    reply = wechat.say("他拿着刀在砍门，我想让检察官知道他一直打我")
    assert reply.startswith("【紧急】") and reply.endswith(inbox_texts.ALSO_SENT.strip())
    assert threads(store)[0]["latest"] == "他拿着刀在砍门，我想让检察官知道他一直打我"
    assert rows(store)[-1]["outcome"] == Outcome.EMERGENCY


def test_a_database_that_cannot_take_the_message_says_so(wechat, store, flow, monkeypatch):
    wechat.say("留言")

    def locked(*a, **kw):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store.inbox, "leave", locked)
    assert wechat.say(MESSAGE) == inbox_texts.NOT_SAVED
    assert rows(store)[-1]["text"] == inbox_texts.NOT_SAVED_LOG
    monkeypatch.undo()
    assert wechat.say(MESSAGE).startswith("收到")  # still writing: the message sent again is taken
