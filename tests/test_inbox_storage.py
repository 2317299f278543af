"""Retention and erasure for the inbox and the replies kept on consultation rows: `bot.py forget` removes a person's
threads, messages, staff messages and OpenID; `bot.py purge` removes threads nobody waits on past RETENTION_DAYS
(a waiting one stays); anonymising a row drops its reply and the note of its 答错了 flag."""

from __future__ import annotations

import time

from click.testing import CliRunner

from bot import cli
from storage import retention
from storage.consultations import Consultation
from tests.test_log_privacy import db_bytes
from tests.test_retention import env_for

MESSAGE = "老板欠我工资，电话13912345678，住在某某村"


def _leave(wechat, text: str = MESSAGE) -> None:
    wechat.say("留言")
    wechat.say(text)


def test_forget_removes_the_inbox_and_staff_messages(app, wechat, store, tmp_path):
    _leave(wechat)
    user = app.extensions["pufa"].pseudonym(wechat.openid)
    app.extensions["pufa"].messenger.send(user, "staff_reply", "1", "工作人员回复您：收到，明天联系您", "caseworker1")
    assert retention.preview_user(store.db, user)["inbox_threads"] == 1
    result = CliRunner().invoke(cli, ["forget", user, "--apply", "--by", "王主任"], env=env_for(app))
    assert result.exit_code == 0 and "给工作人员的留言 1 条" in result.output
    db = store.db.get()
    for table in ("inbox_threads", "outbox", "openid_vault"):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE user_id = ?", [user]).fetchone()[0] == 0, table
    assert db.execute("SELECT count(*) FROM inbox_messages").fetchone()[0] == 0
    assert "老板欠我工资".encode() not in db_bytes(tmp_path / "bot.db")


def test_purge_removes_old_threads_nobody_waits_on(app, store):
    now = time.time()
    for user in ("u_old_closed", "u_old_waiting", "u_new_closed"):
        store.inbox.leave(user, "一条留言", f"k-{user}")
    store.inbox.close(1, "admin1")
    store.inbox.close(3, "admin1")
    old = now - 200 * 86400
    store.db.get().execute("UPDATE inbox_threads SET updated = ? WHERE id IN (1, 2)", [old])
    done = {p.rule.name: p.rows for p in retention.purge(store.db, app.extensions["pufa"].settings)}
    assert done["inbox_threads"] == 1
    assert [t["user_id"] for t in store.inbox.list("all")] == ["u_old_waiting", "u_new_closed"]
    assert store.db.get().execute("SELECT count(*) FROM inbox_messages").fetchone()[0] == 2


def test_anonymising_drops_the_reply_and_the_flag_note(app, store):
    c = Consultation("u_anon00001", "text", "answered", "老板欠薪", faq_id="wage-complain-where", msg_key="m1",
                     ts=time.time() - 400 * 86400, reply="答复 电话13912345678")  # fmt: skip
    cid = store.log.record(c, reply="答复")
    store.flags.flag(cid, "admin1", "这位张三说的是另一回事")
    retention.purge(store.db, app.extensions["pufa"].settings)
    row = store.conversations.get(cid)
    assert row["reply"] is None and row["text"] == "" and row["user_id"].startswith("anon_")
    assert store.db.get().execute("SELECT count(*) FROM reply_texts").fetchone()[0] == 0  # nothing points at it
    flag = store.flags.get(cid)
    assert flag["note"] is None and flag["faq_id"] == "wage-complain-where"  # the count per entry stays


def test_the_reply_on_the_row_is_masked(wechat, store, app):
    services = app.extensions["pufa"]
    user = services.pseudonym(wechat.openid)
    services.messenger.send(user, "staff_reply", "1", "工作人员回复您：我是李明，电话13912345678", "caseworker1")
    reply = wechat.say("老板不给工资怎么办")
    assert reply.startswith("工作人员回复您：我是李明，电话13912345678")  # the person gets it as written
    stored = store.conversations.get(store.log.count())["reply"]
    assert "13912345678" not in stored and "139****5678" in stored and "李某" in stored


def test_each_distinct_reply_is_kept_once_and_forget_removes_the_ones_only_that_person_had(app, wechat, store):
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    other = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    for person in (wechat, other, wechat):
        person.say("申请劳动仲裁要交钱吗")
    services = app.extensions["pufa"]
    user = services.pseudonym(wechat.openid)
    services.messenger.send(user, "staff_reply", "1", "工作人员回复您：只给这一位的回复", "caseworker1")
    wechat.say("谢谢")
    texts = [r[0] for r in store.db.get().execute("SELECT text FROM reply_texts")]
    assert len(texts) == 2  # the FAQ answer once for three rows, and the reply that carried the staff message
    retention.forget_user(store.db, user, "test")
    [left] = [r[0] for r in store.db.get().execute("SELECT text FROM reply_texts")]
    assert "只给这一位的回复" not in left and left == store.conversations.get(2)["reply"]  # the other person's stays


def test_usage_is_counted_in_the_log_when_the_rollups_cannot_be_folded(app, store, monkeypatch):
    import sqlite3

    import storage.answer_flags

    for outcome in ("answered", "answered", "tentative", "suggested"):
        store.log.record(Consultation("u_usage0001", "text", outcome, "问", faq_id="wage-complain-where"))
    from_rollups = store.flags.usage()
    assert (
        from_rollups["wage-complain-where"]["answered"] == 2 and from_rollups["wage-complain-where"]["tentative"] == 1
    )

    def busy(db):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(storage.answer_flags.rollups, "catch_up", busy)
    assert store.flags.usage() == from_rollups
    assert store.flags.usage("wage-complain-where") == {"wage-complain-where": from_rollups["wage-complain-where"]}
