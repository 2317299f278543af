"""The consultation log's single-statement write: one INSERT into the message_log view logs the consultation,
touches the user, stores the reply for retries and the conversation state, or, for a second delivery of a
message already answered, writes nothing at all."""

from __future__ import annotations

import time

from storage import Store
from storage.consultations import Consultation


def _c(key: str | None, user: str = "u1", kind: str = "text", text: str = "老板欠薪") -> Consultation:
    return Consultation(user_id=user, kind=kind, outcome="answered", text=text, msg_key=key)


def test_first_delivery_writes_everything(tmp_path):
    store = Store(tmp_path / "bot.db")
    row = store.log.record(_c("msg:1"), reply="答复", chat_state={"choices": ["a", "b"]})
    assert row and store.log.get(row)["text"] == "老板欠薪"
    assert store.replies.get("msg:1") == "答复"
    assert store.chat.get("u1") == {"choices": ["a", "b"]}
    assert next(store.db.get().query("SELECT messages FROM users WHERE user_id = 'u1'"))["messages"] == 1


def test_second_delivery_writes_nothing(tmp_path):
    store = Store(tmp_path / "bot.db")
    store.log.record(_c("msg:1"), reply="答复", chat_state={"menu": True})
    assert store.log.record(_c("msg:1", text="别的"), reply="另一个", chat_state={}) is None
    assert store.replies.get("msg:1") == "答复"
    assert store.chat.get("u1") == {"menu": True}  # not cleared by the duplicate
    assert store.log.count() == 1
    assert next(store.db.get().query("SELECT messages FROM users"))["messages"] == 1


def test_empty_reply_is_stored_and_state_cleared(tmp_path):
    store = Store(tmp_path / "bot.db")
    store.log.record(_c("msg:1"), reply="", chat_state={"menu": True})
    store.log.record(_c("msg:2"), reply="", chat_state={})
    assert store.replies.get("msg:1") == ""  # answered with no reply ("success"): still a retry
    assert store.replies.get("msg:3") is None
    assert store.chat.get("u1") == {}


def test_state_untouched_when_none(tmp_path):
    store = Store(tmp_path / "bot.db")
    store.log.record(_c("msg:1"), reply="x", chat_state={"menu": True})
    store.log.record(_c("msg:2"), reply="y", chat_state=None)
    assert store.chat.get("u1") == {"menu": True}


def test_subscribe_and_unsubscribe_flags(tmp_path):
    store = Store(tmp_path / "bot.db")
    store.log.record(_c("evt:1", kind="subscribe", text=""), reply="欢迎", subscribed=True)
    user = next(store.db.get().query("SELECT * FROM users"))
    assert user["subscribed"] == 1 and user["subscribed_at"]
    store.log.record(_c("evt:2", kind="unsubscribe", text=""), reply="", subscribed=False)
    user = next(store.db.get().query("SELECT * FROM users"))
    assert user["subscribed"] == 0 and user["unsubscribed_at"] and user["messages"] == 2


def test_rows_without_a_key_get_a_local_one(tmp_path):
    store = Store(tmp_path / "bot.db")
    a, b = store.log.record(_c(None)), store.log.record(_c(None))
    assert a and b and a != b
    assert store.log.get(a)["msg_key"].startswith("local:")


def test_a_claim_left_pending_by_an_older_version_is_taken_over(tmp_path):
    store = Store(tmp_path / "bot.db")
    store.db.get().execute(
        "INSERT INTO message_replies (key, state, reply, created) VALUES ('msg:7', 'pending', NULL, 0)"
    )
    assert store.log.record(_c("msg:7"), reply="答复")
    assert store.replies.get("msg:7") == "答复"


# purging the retry cache: WeChat retries within 15 s, a stored reply is kept a day


def test_purge_drops_old_replies_and_keeps_fresh_ones(tmp_path):
    store = Store(tmp_path / "bot.db")
    day = 86400
    store.log.record(_c("msg:old", text="前天的"), reply="旧回复")
    store.db.get().execute("UPDATE message_replies SET created = ? WHERE key = 'msg:old'", [time.time() - 2 * day])
    store.log.record(_c("msg:new", text="刚才的"), reply="新回复")
    assert store.replies.purge() == 1
    assert store.replies.get("msg:old") is None
    assert store.replies.get("msg:new") == "新回复"  # a retry of this message still gets its reply
    assert store.log.count() == 2  # the consultation log itself is never purged


def test_purge_keeps_todays_replies_and_drops_old_ones(tmp_path):
    """The hourly purge (in each worker's log-maintenance thread, storage/logwriter.py) keeps replies retries may
    still need and drops the old ones."""
    store = Store(tmp_path / "bot.db")
    store.log.record(_c("msg:1"), reply="答复")
    assert store.replies.purge() == 0  # a fresh reply stays for WeChat's retries
    assert store.replies.get("msg:1") == "答复"
    store.db.get().execute("UPDATE message_replies SET created = 0")
    assert store.replies.purge() == 1
