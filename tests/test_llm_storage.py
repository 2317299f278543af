"""Storage for model answers: the job states, the review functions the console calls, and token usage stats."""

from __future__ import annotations

import time

import pytest

from storage import Store
from storage.consultations import Consultation
from storage.llm_answers import LlmAnswerQuery
from storage.llm_jobs import LlmJobs
from storage.stats import Period, Stats


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "llm.db")
    yield s
    s.close()


def test_one_claim_per_message(store):
    jobs = LlmJobs(store.db)
    assert jobs.claim("msg:1", "u1") is True
    assert jobs.claim("msg:1", "u1") is False  # a retry, in this or any other worker
    assert LlmJobs(store.db).claim("msg:1", "u2") is False


def test_in_time_and_late_paths_are_exclusive(store):
    jobs = LlmJobs(store.db)
    jobs.claim("msg:1", "u1")
    assert jobs.finish("msg:1", "答案", "llm", {"a": 1})
    assert not jobs.mark_late("msg:1")  # too late to be late: the waiter takes the answer
    assert jobs.mark_delivered("msg:1")
    jobs.claim("msg:2", "u1")
    assert jobs.mark_late("msg:2")
    assert not jobs.finish("msg:2", "答案", "llm", {})  # the worker must deliver it itself
    assert jobs.open_job("u1", 3600)["key"] == "msg:2"
    assert jobs.settle_late("msg:2", "waiting", "答案", "llm", {}, "next_message")
    assert jobs.mark_delivered("msg:2", "waiting", "next_message")
    assert not jobs.mark_delivered("msg:2", "waiting", "next_message")  # delivered exactly once
    assert jobs.open_job("u1", 3600) is None


def test_purge_drops_week_old_jobs_and_keeps_every_recent_one(store):
    """Each worker purges when it starts: jobs still running, or answers kept for the user's next message, stay."""
    jobs = LlmJobs(store.db)
    for key in ("msg:old", "msg:running", "msg:waiting", "msg:yesterday"):
        assert jobs.claim(key, "u1")
    assert jobs.mark_late("msg:waiting")
    assert jobs.settle_late("msg:waiting", "waiting", "答案", "llm", {}, "next_message")
    ages = {"msg:old": 8 * 86400, "msg:yesterday": 86400}
    for key, age in ages.items():
        store.db.get().execute("UPDATE llm_jobs SET created = ? WHERE key = ?", [time.time() - age, key])
    assert jobs.purge() == 1
    assert jobs.get("msg:old") is None
    assert jobs.get("msg:running")["state"] == "running"
    assert jobs.get("msg:waiting")["state"] == "waiting" and jobs.get("msg:yesterday") is not None
    assert jobs.open_job("u1", 3600)["key"] == "msg:waiting"


def _log_answer(store, n: int, text: str, citations: list[str], topic: str | None = "wage_arrears") -> int:
    detail = {
        "answer": f"第{n}个答案。",
        "citations": citations,
        "removed_citations": [],
        "prompt_tokens": 800 + n,
        "completion_tokens": 200 + n,
        "llm_latency_ms": 1500.0,
        "model": "m",
        "delivery": "passive",
    }
    return store.log.record(Consultation("u1", "text", "llm", text, topic=topic, msg_key=f"msg:{n}", detail=detail))


def test_review_list_filters_and_marks(store):
    a = _log_answer(store, 1, "包工头跑了找谁", ["《保障农民工工资支付条例》第30条"])
    b = _log_answer(store, 2, "加班费怎么算", ["《劳动法》第44条"])
    store.log.record(Consultation("u1", "text", "answered", "别的", msg_key="msg:3"))
    answers = store.llm_answers
    assert [r["id"] for r in answers.list()] == [b, a] and answers.count() == 2
    row = answers.get(a)
    assert row["answer"] == "第1个答案。" and row["prompt_tokens"] == 801 and row["review_status"] is None

    assert answers.mark_wrong(a, "editor1", "引错了条文")
    assert answers.get(a)["review_status"] == "wrong" and answers.get(a)["review_note"] == "引错了条文"
    assert [r["id"] for r in answers.list(LlmAnswerQuery(status="wrong"))] == [a]
    assert [r["id"] for r in answers.list(LlmAnswerQuery(status="unreviewed"))] == [b]
    assert [r["id"] for r in answers.list(LlmAnswerQuery(text="加班"))] == [b]
    assert [r["id"] for r in answers.list(LlmAnswerQuery(citation="《劳动法》第44条"))] == [b]
    assert answers.count(LlmAnswerQuery(text="100%_")) == 0  # LIKE wildcards are literal
    assert answers.mark_wrong(999, "editor1") is False
    assert answers.clear_review(a) and answers.get(a)["review_status"] is None


def test_turn_into_faq_entry(store):
    a = _log_answer(store, 1, "包工头跑了找谁", ["《保障农民工工资支付条例》第30条"])
    draft = store.llm_answers.faq_draft(a)
    assert draft == {
        "id": f"wage-arrears-llm-{a}",
        "topic": "wage_arrears",
        "question": "包工头跑了找谁",
        "variants": ["包工头跑了找谁"],
        "answer": "第1个答案。",
        "legal_basis": ["《保障农民工工资支付条例》第30条"],
        "enabled": False,
    }
    store.faq.save(draft, "editor1")
    assert store.llm_answers.mark_converted(a, draft["id"], "editor1")
    row = store.llm_answers.get(a)
    assert row["review_status"] == "faq" and row["review_faq_id"] == draft["id"]
    assert store.faq.get(draft["id"])["enabled"] is False
    assert store.llm_answers.faq_draft(12345) is None


def test_llm_usage_in_stats(store):
    _log_answer(store, 1, "q1", [])
    _log_answer(store, 3, "q2", [])
    usage = Stats(store.db).summary(Period())["llm_usage"]
    assert usage == {
        "answers": 2,
        "prompt_tokens": 1604,
        "completion_tokens": 404,
        "avg_prompt_tokens": 802.0,
        "avg_completion_tokens": 202.0,
        "avg_latency_ms": 1500.0,
    }
    assert Stats(store.db).llm_usage(Period(since="2999-01-01"))["answers"] == 0
