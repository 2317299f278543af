"""Model-answer paths the main flow tests do not reach: FAQ answers in the prompt, an answer landing exactly at the
deadline, a lost job, retries that find the job in each state, bugs in background jobs, safe mode, and a worker
that starts while answers are waiting."""

from __future__ import annotations

import time

import pytest

from llm import texts
from llm.guard import NOTICE
from llm.prompt import FAQ_ANSWER_CHARS, build_messages
from llm.retrieval import Material
from storage.llm_jobs import LlmJobs
from tests.conftest import AES_KEY
from tests.fake_wechat import FakeWeChat, FlaskTransport
from tests.llm_fakes import APPID, FAQ_QUESTION, LATE_BUDGET, QUESTION, TOKEN, Chat, wait_until

pytest_plugins = ["tests.llm_fixtures"]


def _row(app, n: int = -1) -> dict:
    store = app.extensions["pufa"].store
    rows = list(store.db.get().query("SELECT id FROM consultations ORDER BY id"))
    return store.log.get(rows[n]["id"])


# the prompt


def test_faq_answers_in_the_prompt_are_cut_flattened_and_cite_their_basis():
    long_answer = "第一行\n" + "很长的答案。" * 80
    material = Material(
        entries=[
            {"question": "包工头跑了找谁", "answer": long_answer, "legal_basis": ["《A法》第1条", "《B法》第2条"]},
            {"question": "仲裁要钱吗", "answer": "不收费。", "legal_basis": []},
        ]
    )
    system, user = build_messages("用户的问题", material)
    assert user == {"role": "user", "content": "用户的问题"}
    assert "用户的问题" not in system["content"]
    lines = system["content"].split("\n")
    assert "一、法条（本项目的通俗概括，引用时写《简称》第N条）：" in lines and "（无）" in lines
    first = next(line for line in lines if line.startswith("问答1："))
    cut = long_answer.replace("\n", " ")[:FAQ_ANSWER_CHARS] + "…"
    assert first == f"问答1：问：包工头跑了找谁 答：{cut}（依据：《A法》第1条；《B法》第2条）"
    assert "问答2：问：仲裁要钱吗 答：不收费。" in lines  # no basis, no empty brackets
    assert lines.index("二、常见问答：") < lines.index(first)


def test_no_faq_section_without_entries():
    (system, _) = build_messages("问题", Material())
    assert "二、常见问答" not in system["content"]


# timing and lost jobs


def test_an_answer_landing_exactly_at_the_deadline_is_the_passive_reply(fake_llm, llm_app_factory, monkeypatch):
    """The budget runs out, and the model's answer is stored before the request thread can mark the job late: the
    request thread must reply with it, not promise a later answer that nothing would ever deliver."""
    fake_llm.hold()
    app = llm_app_factory(fake_llm.url, LLM_BUDGET_SECONDS=LATE_BUDGET)
    real = LlmJobs.mark_late

    def at_the_deadline(self, key):
        fake_llm.let_answer()
        assert wait_until(lambda: (self.get(key) or {}).get("state") == "ready")
        return real(self, key)

    monkeypatch.setattr(LlmJobs, "mark_late", at_the_deadline)
    reply, _ = Chat(app).send(QUESTION)
    assert reply.endswith(NOTICE) and "先行清偿" in reply
    row = _row(app)
    assert row["outcome"] == "llm" and row["detail"]["delivery"] == "passive"
    job = LlmJobs(app.extensions["pufa"].store.db).get(row["msg_key"])
    assert job["state"] == "delivered" and job["delivery"] == "passive"


@pytest.mark.parametrize("lost", [True, False])
def test_a_late_job_whose_worker_is_gone_is_abandoned(fake_llm, llm_app_factory, lost):
    app = llm_app_factory(fake_llm.url)
    services = app.extensions["pufa"]
    chat = Chat(app)
    jobs = LlmJobs(services.store.db)
    jobs.claim("msg:lost", services.pseudonym(chat.openid))
    jobs.mark_late("msg:lost")
    age = services.llm.stale_seconds + 1 if lost else 1
    services.store.db.get().execute("UPDATE llm_jobs SET created = ? WHERE key = 'msg:lost'", [time.time() - age])
    reply, _ = chat.send(FAQ_QUESTION)
    if lost:  # nothing will come: the user is answered as usual and the job is closed
        assert "150%" in reply and jobs.get("msg:lost")["state"] == "failed"
    else:  # still running somewhere: the user hears it is coming
        assert reply == texts.STILL_PREPARING and jobs.get("msg:lost")["state"] == "late"
    assert fake_llm.requests == []


def test_a_new_worker_keeps_the_answers_waiting_for_the_next_message(fake_llm, llm_app_factory):
    """Every worker purges old jobs when it starts; an answer kept for the user's next message must survive it."""
    fake_llm.hold()
    first = llm_app_factory(fake_llm.url, LLM_BUDGET_SECONDS=LATE_BUDGET)
    chat = Chat(first)
    assert chat.send(QUESTION)[0] == texts.PENDING_NEXT
    fake_llm.let_answer()
    jobs = LlmJobs(first.extensions["pufa"].store.db)
    assert wait_until(lambda: jobs.count("waiting") == 1)
    restarted = llm_app_factory(fake_llm.url)  # same database
    reply, _ = Chat(restarted, chat.openid).send("好了吗")
    assert reply.startswith(texts.NEXT_HEAD) and "先行清偿" in reply
    assert len(fake_llm.requests) == 1


# a retry (e.g. in another worker) that finds the message's job


ANSWER = "找施工总承包单位。" + NOTICE


@pytest.mark.parametrize(
    "state, outcome, delivery, expected",
    [
        ("ready", "llm", None, ANSWER),  # finished, the first delivery is about to send it
        ("delivered", "llm", "passive", ANSWER),  # the first delivery's passive reply
        ("ready", "unanswered", None, "fallback"),  # the model failed in time: the FAQ fallback again
        ("failed", "unanswered", None, "fallback"),
        ("sent", "llm", "custom", ""),  # already pushed to the user: `success`
        ("delivered", "llm", "next_message", ""),  # already given with a later message
    ],
)
def test_a_retry_gets_what_the_job_has(fake_llm, llm_app_factory, state, outcome, delivery, expected):
    app = llm_app_factory(fake_llm.url)
    services = app.extensions["pufa"]
    key = "msg:777"
    services.store.db.get().execute(
        "INSERT INTO llm_jobs (key, user_id, state, created, updated, answer, outcome, detail, delivery)"
        " VALUES (?, 'u_first', ?, ?, ?, ?, ?, '{}', ?)",
        [key, state, time.time(), time.time(), ANSWER if outcome == "llm" else None, outcome, delivery],
    )
    reply = services.dialogue.answer_text("u_retry", QUESTION, "oRetry", key)
    if expected == "fallback":
        assert reply.text and NOTICE not in reply.text and reply.outcome in ("unanswered", "suggested")
    else:
        assert (reply.text or "") == expected
    assert fake_llm.requests == []  # never a second model call
    assert LlmJobs(services.store.db).get(key)["state"] == state


# bugs in the background


def test_a_bug_in_a_model_job_gives_the_fallback_and_is_recorded(fake_llm, llm_app_factory, monkeypatch):
    app = llm_app_factory(fake_llm.url)
    responder = app.extensions["pufa"].llm

    def broken(job):
        raise RuntimeError("bug in the job")

    monkeypatch.setattr(responder, "_produce", broken)
    reply, _ = Chat(app).send(QUESTION)
    assert reply and NOTICE not in reply
    row = _row(app)
    assert row["outcome"] in ("unanswered", "suggested")
    assert LlmJobs(app.extensions["pufa"].store.db).get(row["msg_key"])["state"] == "failed"
    assert [str(e) for e in responder.errors] == ["bug in the job"]
    responder.errors.clear()  # seen: the fixture checks nothing else went wrong


def test_a_bug_in_late_delivery_is_recorded_and_the_bot_goes_on(fake_llm, fake_wx_api, llm_app_factory, monkeypatch):
    fake_llm.hold()
    app = llm_app_factory(fake_llm.url, fake_wx_api.url, LLM_BUDGET_SECONDS=LATE_BUDGET)
    responder = app.extensions["pufa"].llm

    def broken(openid, text):
        raise RuntimeError("bug in the push")

    monkeypatch.setattr(responder.wechat, "send_text", broken)
    chat = Chat(app)
    assert chat.send(QUESTION)[0] == texts.PENDING_PUSH
    fake_llm.let_answer()
    assert wait_until(lambda: responder.errors)
    assert [str(e) for e in responder.errors] == ["bug in the push"]
    assert "150%" in chat.send(FAQ_QUESTION)[0]
    responder.errors.clear()


# safe mode


def test_model_answers_in_safe_mode(fake_llm, fake_wx_api, llm_app_factory):
    """Encrypted pushes in, encrypted replies out, on both the in-time and the late path (checked with the tests'
    own AES implementation); the customer-service push itself is plain JSON over HTTPS, as WeChat wants it."""
    app = llm_app_factory(fake_llm.url, fake_wx_api.url, WECHAT_AES_KEY=AES_KEY)  # the AppID is the API's too
    wechat = FakeWeChat(FlaskTransport(app.test_client()), TOKEN, AES_KEY, APPID, mode="safe")
    in_time = wechat.send(wechat.text(QUESTION + "，电话13812345678"))
    assert in_time.envelope["Encrypt"] and in_time.content.endswith(NOTICE) and "先行清偿" in in_time.content
    assert "13812345678" not in fake_llm.requests[0]["messages"][1]["content"]

    late_app = llm_app_factory(
        fake_llm.url, fake_wx_api.url, db_name="late.db", LLM_BUDGET_SECONDS=LATE_BUDGET, WECHAT_AES_KEY=AES_KEY
    )
    late = FakeWeChat(FlaskTransport(late_app.test_client()), TOKEN, AES_KEY, APPID, mode="safe")
    fake_llm.hold()
    xml = late.text(QUESTION)
    first = late.send(xml)
    retry = late.send(xml, mode="compat")
    assert first.content == retry.content == texts.PENDING_PUSH
    fake_llm.let_answer()
    sent = fake_wx_api.wait_for_messages(1)
    assert len(sent) == 1 and sent[0]["touser"] == late.openid and sent[0]["content"].endswith(NOTICE)
    assert len(fake_llm.requests) == 2
