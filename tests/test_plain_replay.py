"""Plain mode: the signature covers token + timestamp + nonce, not the body, so a captured signed URL could carry any
body inside the timestamp window. Each signed (timestamp, nonce) carries one message, across worker processes; and
what a sender chooses (event names, event keys, MsgType, MsgId) is bounded and checked before it is stored."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.fake_wechat import new_msg_id


def all_stored_text(store) -> str:
    """Every text value in the tables the webhook writes, joined (to look for what an attacker sent)."""
    conn = store.db.get().conn
    out = []
    for table in ("consultations", "users", "message_replies", "chat_state", "seen_nonces"):
        for row in conn.execute(f"SELECT * FROM {table}"):
            out.extend(str(v) for v in row if v is not None)
    return "\n".join(out)


def test_a_replayed_signed_url_with_a_new_body_is_refused(wechat, store):
    query, body = wechat.wire(wechat.text("老板不给工资怎么办"))
    assert wechat.post(query, body).content
    for text in ("伪造的消息一", "伪造的消息二", "伪造的消息三"):
        forged = wechat.post(query, wechat.text(text).encode())
        assert forged.status == 403 and b"replayed" in forged.body
    assert [r["text"] for r in store.db.get().query("SELECT text FROM consultations")] == ["老板不给工资怎么办"]
    assert "伪造" not in all_stored_text(store)


def test_the_same_message_under_the_same_signed_url_is_a_retry(wechat, store):
    query, body = wechat.wire(wechat.text("包工头跑路了 工钱找谁要", msg_id=new_msg_id()))
    first = wechat.post(query, body)
    again = wechat.post(query, body)
    assert again.status == 200 and again.content == first.content
    assert store.log.count() == 1


def test_a_fresh_nonce_is_fine_and_the_same_nonce_at_another_timestamp_too(wechat, store):
    now = int(time.time())
    assert wechat.send(wechat.text("你好"), timestamp=now, nonce="12345").content
    assert wechat.send(wechat.text("你好呀"), timestamp=now - 1, nonce="12345").content
    assert store.log.count() == 2


def test_encrypted_pushes_are_not_limited_by_nonce(safe_wechat, safe_store):
    # msg_signature covers the ciphertext: a new body cannot reuse a signature, so nothing is recorded
    now = int(time.time())
    safe_wechat.send(safe_wechat.text("你好"), timestamp=now, nonce="777")
    assert safe_store.db.get().execute("SELECT count(*) FROM seen_nonces").fetchone()[0] == 0


def test_nonces_are_purged_after_the_window(make_app):
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    app = make_app(WECHAT_TIMESTAMP_WINDOW=30)
    fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    store = app.extensions["pufa"].store
    fake.send(fake.text("你好"))
    old = int(time.time()) - 30 - 61
    store.db.get().execute("INSERT INTO seen_nonces (ts, nonce, msg_key) VALUES (?, 'old', 'msg:1')", [old])
    store.writer.purge_nonces()
    assert [r[0] for r in store.db.get().execute("SELECT nonce FROM seen_nonces")] != ["old"]
    assert store.db.get().execute("SELECT count(*) FROM seen_nonces").fetchone()[0] == 1


def test_concurrent_bodies_under_one_signed_url_log_one_message(live_server):
    fake = live_server.wechat()
    query, _ = fake.wire(fake.text("x"))
    bodies = [fake.text(f"同一个签名的第{i}条消息").encode() for i in range(8)]
    barrier = threading.Barrier(len(bodies))

    def deliver(body):
        barrier.wait()
        return fake.post(query, body)

    with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
        results = list(pool.map(deliver, bodies))
    assert all(r.status in (200, 403) for r in results)
    store = live_server.store()
    n = store.db.get().execute("SELECT count(*) FROM consultations WHERE text LIKE '同一个签名的第%'").fetchone()[0]
    store.close()
    assert n == 1
    # and later, from either worker process, every other body under that URL is refused
    later = [fake.post(query, fake.text(f"稍后重放{i}").encode()) for i in range(6)]
    assert {r.status for r in later} == {403}


def test_unknown_event_names_are_logged_as_unknown(wechat, store):
    name = "E" * 1000
    assert wechat.send(wechat.event(name, "k")).is_success
    row = next(store.db.get().query("SELECT kind, text, msg_key FROM consultations"))
    assert row["kind"] == "unknown" and len(row["msg_key"]) < 100
    assert "E" * 50 not in all_stored_text(store)


def test_unknown_msg_types_are_logged_as_unknown(wechat, store):
    assert wechat.send(wechat.unknown("x" * 1000)).status == 200
    assert next(store.db.get().query("SELECT kind FROM consultations"))["kind"] == "unknown"
    assert "x" * 50 not in all_stored_text(store)


def test_huge_click_keys_are_not_stored(wechat, store):
    key = "K" * 30_000
    d = wechat.send(wechat.event("CLICK", key))
    assert "回复数字" in d.content  # the menu
    row = next(store.db.get().query("SELECT kind, text, detail, msg_key FROM consultations"))
    assert (row["kind"], row["text"]) == ("click", "") and '"click": "unknown"' in row["detail"]
    assert len(row["msg_key"]) < 100
    assert "K" * 50 not in all_stored_text(store)


def test_huge_event_retries_are_still_deduplicated(wechat, store):
    xml = wechat.event("CLICK", "K" * 30_000, create_time=int(time.time()))
    assert wechat.send(xml).content == wechat.send(xml).content
    assert store.log.count() == 1


def test_a_msgid_that_is_not_a_number_is_bounded(wechat, store):
    xml = wechat.text("你好", msg_id="9" * 20 + "abc" * 1000)
    first = wechat.send(xml)
    assert wechat.send(xml).content == first.content
    row = next(store.db.get().query("SELECT msg_key FROM consultations"))
    assert row["msg_key"].startswith("msg:#") and len(row["msg_key"]) < 100 and store.log.count() == 1
