"""The issue's acceptance test: a 10-second model under the real 4-second budget, with WeChat's retries."""

from __future__ import annotations

import threading

import pytest

from llm import texts
from llm.guard import NOTICE
from storage.llm_jobs import LlmJobs
from tests.llm_fakes import QUESTION, Chat, wait_until

pytest_plugins = ["tests.llm_fixtures"]

CREATE_TIME = 1_700_000_123


@pytest.mark.slow
def test_ten_second_model_gets_a_timely_reply_and_later_the_answer(fake_llm, fake_wx_api, llm_app_factory):
    """Two accounts at once: one with the customer-service API (push), one without (next-message delivery)."""
    fake_llm.delay = 10.0
    push_app = llm_app_factory(
        fake_llm.url, fake_wx_api.url, db_name="push.db", LLM_BUDGET_SECONDS=4.0, LLM_TIMEOUT_SECONDS=30.0
    )
    next_app = llm_app_factory(fake_llm.url, db_name="next.db", LLM_BUDGET_SECONDS=4.0, LLM_TIMEOUT_SECONDS=30.0)
    push, nxt = Chat(push_app, "oPushUser"), Chat(next_app, "oNextUser")
    push_id, next_id = push.new_msg_id(), nxt.new_msg_id()
    results: dict[str, tuple[str, float]] = {}

    def deliver(name: str, chat: Chat, msg_id: int) -> None:
        results[name] = chat.send(QUESTION, msg_id=msg_id, create_time=CREATE_TIME)

    first = [
        threading.Thread(target=deliver, args=("push", push, push_id)),
        threading.Thread(target=deliver, args=("next", nxt, next_id)),
    ]
    for t in first:
        t.start()
    # both first deliveries have reached the model (so they are in flight) before WeChat retries them
    assert fake_llm.wait_for_request() and fake_llm.wait_for_request()
    # WeChat retries while the first delivery is still in flight: they wait for its reply, no second model call
    retry_push = push.send(QUESTION, msg_id=push_id, create_time=CREATE_TIME)
    retry_next = nxt.send(QUESTION, msg_id=next_id, create_time=CREATE_TIME)
    for t in first:
        t.join()

    assert results["push"][0] == texts.PENDING_PUSH and results["push"][1] < 5.0
    assert results["next"][0] == texts.PENDING_NEXT and results["next"][1] < 5.0
    assert retry_push[0] == texts.PENDING_PUSH and retry_next[0] == texts.PENDING_NEXT
    # and retries after the reply went out get the same reply at once
    assert push.send(QUESTION, msg_id=push_id, create_time=CREATE_TIME)[0] == texts.PENDING_PUSH
    assert len(fake_llm.requests) == 2  # one per account

    sent = fake_wx_api.wait_for_messages(1, timeout=15)
    assert len(sent) == 1 and sent[0]["touser"] == "oPushUser" and sent[0]["content"].endswith(NOTICE)

    jobs = LlmJobs(next_app.extensions["pufa"].store.db)
    assert wait_until(lambda: jobs.count("waiting") == 1, timeout=5)
    reply, elapsed = nxt.send("好的")
    assert reply.startswith(texts.NEXT_HEAD) and reply.endswith(NOTICE) and elapsed < 1
    assert len(fake_llm.requests) == 2
    for app in (push_app, next_app):
        store = app.extensions["pufa"].store

        def first_row_logged(store=store) -> bool:  # the push reaches WeChat a moment before the log is updated
            row = store.log.get(store.db.get().execute("SELECT min(id) FROM consultations").fetchone()[0])
            return row["outcome"] == "llm" and row["detail"].get("completion_tokens", 0) > 0

        assert wait_until(first_row_logged, timeout=5)
