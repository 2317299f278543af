"""WeChat re-sends a push it got no answer for within 5 s (up to 3 more times), re-signed and re-encrypted.

A retried MsgId (events: FromUserName + CreateTime + Event + EventKey) gets the same reply and is logged once:
after the first delivery finished, while it is still being handled, and across the real server's worker processes.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from dialogue import Dialogue, Reply
from handlers.inflight import InFlight
from tests.fake_wechat import new_msg_id, new_openid


def rows(store, where: str = "1=1", params: list | None = None) -> list[dict]:
    return list(store.db.get().query(f"SELECT * FROM consultations WHERE {where} ORDER BY id", params or []))


def test_retried_msgid_gets_same_reply_and_one_row(wechat, store):
    xml = wechat.text("包工头跑路了 工钱找谁要", msg_id=new_msg_id())
    first = wechat.send(xml)
    retries = [wechat.send(xml) for _ in range(3)]  # each retry freshly signed, like WeChat's
    assert {r.content for r in retries} == {first.content}
    assert {r.reply["ToUserName"] for r in retries} == {wechat.openid}
    assert len(rows(store)) == 1
    user = next(store.db.get().query("SELECT messages FROM users"))
    assert user["messages"] == 1


@pytest.mark.parametrize("mode", ["safe", "compat"])
def test_retry_in_encrypted_mode_is_re_encrypted(safe_wechat, safe_store, mode):
    xml = safe_wechat.text("你好", msg_id=new_msg_id())
    first = safe_wechat.send(xml, mode=mode)
    retry = safe_wechat.send(xml, mode=mode)
    assert retry.content == first.content
    assert retry.envelope["Encrypt"] != first.envelope["Encrypt"]  # fresh ciphertext, still verifies
    assert len(rows(safe_store)) == 1


def test_retry_does_not_advance_the_conversation(wechat, store):
    wechat.say("你好")  # menu
    xml = wechat.text("1", msg_id=new_msg_id())  # topic list 1
    first = wechat.send(xml)
    again = wechat.send(xml)
    assert again.content == first.content
    assert len(rows(store, "text = '1'")) == 1


def test_same_text_with_new_msgid_is_a_new_consultation(wechat, store):
    wechat.say("老板不给工资怎么办")
    wechat.say("老板不给工资怎么办")
    assert len(rows(store)) == 2


def test_retry_of_a_no_reply_event(wechat, store):
    xml = wechat.event("unsubscribe", create_time=int(time.time()))
    assert wechat.send(xml).is_success
    assert wechat.send(xml).is_success
    assert len(rows(store, "kind = 'unsubscribe'")) == 1


def test_retried_event_is_logged_once(wechat, store):
    xml = wechat.event("subscribe", create_time=int(time.time()))
    first = wechat.send(xml)
    again = wechat.send(xml)
    assert again.content == first.content and "12309" in first.content
    assert len(rows(store, "kind = 'subscribe'")) == 1


def test_different_events_in_the_same_second_are_both_handled(wechat, store):
    now = int(time.time())
    subscribe = wechat.send(wechat.event("subscribe", create_time=now))
    location = wechat.send(
        wechat.event("LOCATION", create_time=now, Latitude="36.06", Longitude="103.83", Precision="65.0")
    )
    assert "12309" in subscribe.content
    assert location.is_success
    assert [r["kind"] for r in rows(store)] == ["subscribe", "location"]


def test_same_event_different_keys_in_the_same_second(wechat, store):
    now = int(time.time())
    one = wechat.send(wechat.event("CLICK", "TOPIC_1", create_time=now))
    two = wechat.send(wechat.event("CLICK", "TOPIC_2", create_time=now))
    assert one.content != two.content
    assert len(rows(store, "kind = 'click'")) == 2


def test_same_event_from_two_users_in_the_same_second(wechat, store):
    now = int(time.time())
    wechat.send(wechat.event("subscribe", create_time=now))
    wechat.send(wechat.event("subscribe", create_time=now, openid=new_openid()))
    assert len(rows(store, "kind = 'subscribe'")) == 2


def test_msgid_retry_ignores_a_different_body(wechat, store):
    # Dedup is by MsgId only (WeChat re-sends the same message); a replayed MsgId cannot smuggle in new text.
    msg_id = new_msg_id()
    first = wechat.send(wechat.text("你好", msg_id=msg_id))
    second = wechat.send(wechat.text("老板欠工资", msg_id=msg_id))
    assert second.content == first.content
    assert [r["text"] for r in rows(store)] == ["你好"]


def _hold_first_delivery(monkeypatch, method: str, retries: int) -> threading.Event:
    """Make Dialogue.`method` (the first delivery's handling) wait until `retries` other deliveries of the same
    message have found it in flight, so they cannot arrive after it however slow the machine; the returned event
    is set when the first delivery's handling has started."""
    started, retries_waiting = threading.Event(), threading.Event()
    seen, lock = [], threading.Lock()
    real_begin = InFlight.begin

    def begin(self, key):
        first = real_begin(self, key)
        if first is not None:  # a retry that will wait for the first delivery
            with lock:
                seen.append(key)
                if len(seen) >= retries:
                    retries_waiting.set()
        return first

    real = getattr(Dialogue, method)

    def held(self, *args, **kwargs):
        started.set()
        assert retries_waiting.wait(10), "the retries never arrived"
        return real(self, *args, **kwargs)

    monkeypatch.setattr(InFlight, "begin", begin)
    monkeypatch.setattr(Dialogue, method, held)
    return started


def test_retry_while_first_is_in_flight_gets_same_reply(wechat, store, monkeypatch):
    started = _hold_first_delivery(monkeypatch, "answer_text", retries=3)
    xml = wechat.text("包工头跑路了 工钱找谁要", msg_id=new_msg_id())
    with ThreadPoolExecutor(max_workers=4) as pool:
        first = pool.submit(wechat.send, xml)
        assert started.wait(5)
        retries = [pool.submit(wechat.send, xml) for _ in range(3)]  # arrive while the first is held
        contents = [first.result().content] + [r.result().content for r in retries]
    assert contents[0] and len(set(contents)) == 1
    assert len(rows(store)) == 1


def test_retry_while_first_is_in_flight_in_safe_mode(safe_wechat, safe_store, monkeypatch):
    started = _hold_first_delivery(monkeypatch, "answer_text", retries=1)
    xml = safe_wechat.text("你好呀", msg_id=new_msg_id())
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(safe_wechat.send, xml)
        assert started.wait(5)
        retry = pool.submit(safe_wechat.send, xml, "compat")
        assert retry.result().content == first.result().content
    assert len(rows(safe_store)) == 1


def test_event_retry_while_first_is_in_flight(wechat, store, monkeypatch):
    started = _hold_first_delivery(monkeypatch, "welcome", retries=1)
    xml = wechat.event("subscribe", create_time=int(time.time()))
    with ThreadPoolExecutor(max_workers=2) as pool:
        first = pool.submit(wechat.send, xml)
        assert started.wait(5)
        retry = pool.submit(wechat.send, xml)
        assert retry.result().content == first.result().content
    assert len(rows(store, "kind = 'subscribe'")) == 1


def test_two_workers_handling_one_message_send_the_reply_committed_first(make_app, monkeypatch):
    """Two apps on one database stand for two worker processes that both got the same MsgId: the delivery that
    commits first decides the reply, the other sends that same reply and writes nothing."""
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    apps = [make_app(), make_app()]
    fakes = [FakeWeChat(FlaskTransport(app.test_client()), TOKEN) for app in apps]
    order = iter(["第一个回复", "第二个回复"])
    started, second_committed = threading.Event(), threading.Event()

    def answer(self, *args, **kwargs):
        text = next(order)
        if text == "第一个回复":
            started.set()
            assert second_committed.wait(10)  # the first worker is slow: the second commits first
        return Reply(text, "answered", chat_state={})

    monkeypatch.setattr(Dialogue, "answer_text", answer)
    xml = fakes[0].text("老板欠工资", msg_id=new_msg_id())
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(fakes[0].send, xml)
        assert started.wait(5)
        assert fakes[1].send(xml).content == "第二个回复"  # answered and stored by the second worker
        second_committed.set()
        assert slow.result().content == "第二个回复"
    store = apps[0].extensions["pufa"].store
    assert store.log.count() == 1
    assert next(store.db.get().query("SELECT messages FROM users"))["messages"] == 1


def test_a_worker_starting_up_keeps_the_replies_other_workers_stored(make_app, monkeypatch):
    """A new worker purges old replies on its first request; a retry of a message another worker answered a
    moment ago must still get that reply from it, without a second handling or a second count."""
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    handled = []
    real = Dialogue.answer_text

    def counting(self, user_id, text, *args, **kwargs):
        handled.append(text)
        return real(self, user_id, text, *args, **kwargs)

    monkeypatch.setattr(Dialogue, "answer_text", counting)
    running = make_app()
    fake = FakeWeChat(FlaskTransport(running.test_client()), TOKEN)
    xml = fake.text("老板欠工资", msg_id=new_msg_id())
    first = fake.send(xml)
    started = make_app()  # same database: a worker that has not served a request yet
    other = FakeWeChat(FlaskTransport(started.test_client()), TOKEN, openid=fake.openid)
    other.send(other.text("你好", msg_id=new_msg_id()))  # its first request runs the purge
    retry = other.send(xml)
    assert retry.content == first.content
    assert handled.count("老板欠工资") == 1
    store = running.extensions["pufa"].store
    assert store.log.count() == 2
    assert next(store.db.get().query("SELECT messages FROM users"))["messages"] == 2


def test_failed_delivery_is_kept_in_the_log_and_retries_get_the_same_apology(make_app, monkeypatch):
    from tests.conftest import TOKEN
    from tests.fake_wechat import FakeWeChat, FlaskTransport

    app = make_app(testing=False)
    fake = FakeWeChat(FlaskTransport(app.test_client()), TOKEN)
    calls = []
    real = Dialogue.answer_text

    def flaky(self, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database hiccup")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Dialogue, "answer_text", flaky)
    xml = fake.text("我的电话13812345678 老板欠工资", msg_id=new_msg_id())
    first = fake.send(xml)
    assert "12309" in first.content and "稍后" in first.content  # the polite error text, not a 500
    retry = fake.send(xml)  # WeChat only retries when our reply was lost: it gets the same apology
    assert retry.content == first.content and len(calls) == 1
    store = app.extensions["pufa"].store
    assert store.log.count() == 1  # nothing accepted is lost: the question is in the log for staff
    row = list(store.db.get().query("SELECT outcome, text, detail FROM consultations"))[0]
    assert row["outcome"] == "unanswered" and "138****5678" in row["text"] and "RuntimeError" in row["detail"]
    assert "普法小助手" in fake.send(fake.text("你好", msg_id=new_msg_id())).content  # the next message is fine


def test_handler_errors_propagate_under_testing(wechat, monkeypatch):
    def broken(self, *args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(Dialogue, "answer_text", broken)
    with pytest.raises(RuntimeError, match="bug"):
        wechat.send(wechat.text("你好"))


# the real server: two gunicorn worker processes sharing one SQLite file


def test_live_server_runs_two_workers(live_server):
    assert live_server.workers_booted() >= 2


def test_live_concurrent_duplicates_are_logged_once(live_server):
    fake = live_server.wechat()
    xml = fake.text("包工头跑路了 工钱找谁要", msg_id=new_msg_id())
    n = 12
    barrier = threading.Barrier(n)

    def deliver(_):
        barrier.wait()
        return fake.send(xml)

    with ThreadPoolExecutor(max_workers=n) as pool:
        deliveries = list(pool.map(deliver, range(n)))
    contents = {d.content for d in deliveries}
    assert len(contents) == 1 and None not in contents
    store = live_server.store()
    key = f"msg:{xml.split('<MsgId>')[1].split('<')[0]}"
    assert store.log.count_key(key) == 1
    store.close()


def test_live_concurrent_duplicate_events_are_logged_once(live_server):
    fake = live_server.wechat()
    xml = fake.event("CLICK", "TOPIC_4", create_time=int(time.time()))
    n = 8
    barrier = threading.Barrier(n)

    def deliver(_):
        barrier.wait()
        return fake.send(xml)

    with ThreadPoolExecutor(max_workers=n) as pool:
        deliveries = list(pool.map(deliver, range(n)))
    assert len({d.content for d in deliveries}) == 1
    store = live_server.store()
    n_rows = store.db.get().execute("SELECT count(*) FROM consultations WHERE kind = 'click' AND text = 'TOPIC_4'")
    assert n_rows.fetchone()[0] == 1
    store.close()


def test_live_distinct_messages_concurrently_give_n_rows(live_server):
    store = live_server.store()
    before = store.log.count()
    n = 24
    fakes = [live_server.wechat() for _ in range(4)]  # four users

    def deliver(i):
        fake = fakes[i % len(fakes)]
        return fake.send(fake.text(f"老板拖欠工资第{i}次了怎么办", msg_id=new_msg_id()))

    with ThreadPoolExecutor(max_workers=8) as pool:
        deliveries = list(pool.map(deliver, range(n)))
    assert all(d.content for d in deliveries)
    assert store.log.count() - before == n
    store.close()
