"""The LlmResponder: answers beyond the FAQ within WeChat's 5-second rule.

The model runs in a background thread. If it answers within LLM_BUDGET_SECONDS its answer is the passive reply.
If not, the user is told the answer is coming, and it is pushed through the customer-service API when ready
(WECHAT_APPSECRET set) or kept as the reply to the user's next message. Jobs are keyed by the message's dedup key
in SQLite (storage/llm_jobs.py), so a retry of the same MsgId, in any worker process, never calls the model twice.
Any failure returns None (the dialogue then gives its FAQ fallback), or, when late, delivers the fallback text.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from dialogue import Reply
from dialogue.texts import FALLBACK_TEXT
from faq.matcher import Decision
from llm import texts
from llm.client import ChatModel, ModelError
from llm.guard import AnswerRejected, check_answer, in_scope, names_work, screen_question
from llm.prompt import build_messages
from llm.retrieval import Material, Retriever
from storage import Store
from storage.llm_jobs import DELIVERED, LATE, READY, RUNNING, SENT, WAITING, LlmJobs
from storage.privacy import mask_pii
from storage.vocab import Outcome
from wechat.api import WeChatApi, WeChatApiError

log = logging.getLogger("pufa.llm")

LLM = Outcome.LLM
OPEN_JOB_HOURS = 24  # an answer kept for the next message is dropped after this
LOG_ROW_WAIT_SECONDS = 5.0  # a late answer waits this long for the webhook to have logged its message


@dataclass
class Job:
    key: str
    user_id: str
    openid: str  # in memory only: the customer-service API needs it, the database never sees it
    question: str  # PII-masked
    material: Material


@dataclass
class Result:
    ok: bool
    text: str | None  # checked answer with notice (ok), else None
    detail: dict = field(default_factory=dict)

    @property
    def outcome(self) -> str:
        return LLM if self.ok else Outcome.UNANSWERED


class LlmResponder:
    """Implements dialogue.LlmResponder over a ChatModel, a Retriever and (optionally) the WeChat API."""

    def __init__(
        self,
        store: Store,
        retriever: Retriever,
        model: ChatModel,
        budget_seconds: float = 4.0,
        wechat: WeChatApi | None = None,
        stale_seconds: float = 120.0,
        max_workers: int = 8,
    ):
        self.store = store
        self.jobs = LlmJobs(store.db)
        self.retriever = retriever
        self.domain_words = tuple(retriever.analyzer.lexicon.domain_words)
        self.model = model
        self.budget = budget_seconds
        self.wechat = wechat
        self.stale_seconds = stale_seconds  # a late job older than this was lost (worker restarted)
        self.max_workers = max_workers
        self.errors: list[BaseException] = []  # unexpected exceptions in background jobs (tests assert none)
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid: int | None = None
        self._pool_lock = threading.Lock()
        self.jobs.purge()

    # the LlmResponder protocol
    def answer(
        self, user_id: str, openid: str, text: str, decision: Decision, msg_key: str | None, outside: bool = False
    ) -> Reply | None:
        """The model's answer as a passive reply, a "coming soon" reply, or None for the FAQ fallback.

        `outside`: the scope classifier placed the question outside the FAQ's topics; the model may still answer
        a question about work it does not know (外卖骑手, 主播), but only when the question names work or rights."""
        started = time.monotonic()
        # Everything from here on (the screen, retrieval, the job, the model) sees only the masked text.
        text = mask_pii(text)
        reason = screen_question(text)
        if reason:
            log.info("question kept from the model (%s)", reason)
            return None
        material = self.retriever.retrieve(text, decision, self.store.faq.get)
        if outside and not names_work(text):
            log.info("question outside the topics and about no kind of work: kept from the model")
            return None
        if not in_scope(self.retriever.analyzer.canonical(text), material, self.domain_words):
            log.info(
                "question out of scope or no material (article %.1f, faq %.2f)",
                material.top_article_score,
                material.top_faq_score,
            )
            return None
        key = msg_key or f"llm:{uuid.uuid4().hex}"
        try:
            claimed = self.jobs.claim(key, user_id)
        except sqlite3.Error as exc:  # database locked, read-only, full: answer without the model (FAQ fallback)
            log.warning("no model answer: the job could not be recorded (%s)", exc)
            return None
        if not claimed:
            return self._existing(key)
        job = Job(key, user_id, openid, text, material)
        future = self._executor().submit(self._run, job)
        try:
            result = future.result(timeout=max(0.0, self.budget - (time.monotonic() - started)))
        except FutureTimeout:
            if self.jobs.mark_late(key):
                log.info("model slower than %.1f s: answer will be %s", self.budget, self._late_channel())
                return self._pending(key, material)
            row = self.jobs.get(key) or {}
            if row.get("state") != READY:  # a retry made it late meanwhile
                return self._pending(key, material)
            result = Result(row["outcome"] == LLM, row["answer"], row["detail"])  # finished just in time
        # Only READY can become FAILED or DELIVERED: if a retry made the job late, the late path delivers.
        if not result.ok:
            return None if self.jobs.mark_failed(key) else self._pending(key, material)
        if not self.jobs.mark_delivered(key, READY, "passive"):
            return self._pending(key, material)
        return Reply(result.text, LLM, topic=_topic(material), detail={**result.detail, "delivery": "passive"})

    def pending_reply(self, user_id: str) -> Reply | None:
        """A kept answer (or "still preparing") as the reply to whatever the user sent next."""
        for _ in range(3):
            job = self.jobs.open_job(user_id, OPEN_JOB_HOURS * 3600)
            if job is None:
                return None
            if job["state"] == WAITING:
                if self.jobs.mark_delivered(job["key"], WAITING, "next_message"):
                    detail = {"llm_job": job["key"], "delivery": "next_message"}
                    return Reply(texts.NEXT_HEAD + job["answer"], Outcome.OTHER, detail=detail)
                continue
            if time.time() - job["created"] > self.stale_seconds:  # late and lost: let it go
                self.jobs.abandon(job["key"])
                continue
            if self.wechat is not None:  # the push is on its way; answer the new message normally
                return None
            return Reply(texts.STILL_PREPARING, Outcome.OTHER, detail={"llm_job": job["key"], "llm_state": "preparing"})
        return None

    # jobs
    def _existing(self, key: str) -> Reply | None:
        """A retry of a message whose job exists: never a second model call."""
        job = self.jobs.get(key)
        if job is None:
            return None
        if job["state"] == RUNNING and self.jobs.mark_late(key):
            return self._pending(key, None)
        job = self.jobs.get(key) or job
        state, answer = job["state"], job["answer"]
        log.info("retry of %s found its model job %s", key.split(":")[0], state)
        if state == LATE:
            return self._pending(key, None)
        if state == WAITING and self.jobs.mark_delivered(key, WAITING, "retry"):
            return Reply(answer, Outcome.OTHER, detail={"llm_job": key, "delivery": "retry"})
        if state == READY or (state == DELIVERED and job["delivery"] == "passive"):
            if job["outcome"] == LLM and answer:
                return Reply(answer, LLM, detail=job["detail"])
            return None
        if state in (SENT, DELIVERED):  # already with the user: answer `success`
            return Reply(None, Outcome.OTHER, detail={"llm_job": key})
        return None  # failed: the FAQ fallback

    def _pending(self, key: str, material: Material | None) -> Reply:
        text = texts.PENDING_PUSH if self.wechat is not None else texts.PENDING_NEXT
        detail = {"llm_job": key, "delivery": self._late_channel()}
        return Reply(text, Outcome.PENDING, topic=_topic(material), detail=detail)

    def _late_channel(self) -> str:
        return "custom" if self.wechat is not None else "next_message"

    def _executor(self) -> ThreadPoolExecutor:
        # Created lazily and per process: gunicorn forks workers after the app is built.
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = ThreadPoolExecutor(max_workers=self.max_workers, thread_name_prefix="llm")
                self._pool_pid = os.getpid()
            return self._pool

    def close(self) -> None:
        """Stop taking jobs; running model calls finish in their threads."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    # the background part
    def _run(self, job: Job) -> Result:
        try:
            result = self._produce(job)
        except Exception as exc:  # a bug: log it, keep the user from silence
            log.exception("model job %s failed unexpectedly", job.key)
            self.errors.append(exc)
            result = Result(False, None, {"llm_error": "internal"})
        if self.jobs.finish(job.key, result.text, result.outcome, result.detail):
            return result  # the waiting request thread replies with it
        try:
            self._deliver_late(job, result)
        except Exception as exc:
            log.exception("late delivery of %s failed", job.key)
            self.errors.append(exc)
        return result

    def _produce(self, job: Job) -> Result:
        m = job.material
        detail: dict = {"llm_job": job.key, "retrieved": list(m.scores), "faq_refs": [e["id"] for e in m.entries]}
        try:
            c = self.model.complete(build_messages(job.question, m))
        except ModelError as exc:
            log.warning("model failed for %s: %s", job.key, exc)
            return Result(False, None, {**detail, "llm_error": exc.kind})
        detail.update(
            model=c.model,
            llm_latency_ms=c.latency_ms,
            prompt_tokens=c.prompt_tokens,
            completion_tokens=c.completion_tokens,
        )
        try:
            checked = check_answer(c.text, m.citations, self.retriever.kb, len(texts.NEXT_HEAD.encode("utf-8")))
        except AnswerRejected as exc:
            log.warning("model answer for %s rejected (%s); tokens %s+%s", job.key, exc.reason, *_tokens(c))
            return Result(False, None, {**detail, "llm_error": "rejected", "rejected": exc.reason})
        detail.update(citations=checked.citations, removed_citations=checked.removed, answer=checked.body)
        log.info(
            "model answer for %s: %d citations (%d removed), %.0f ms, tokens %s+%s",
            job.key,
            len(checked.citations),
            len(checked.removed),
            c.latency_ms,
            *_tokens(c),
        )
        return Result(True, checked.text, detail)

    def _deliver_late(self, job: Job, result: Result) -> None:
        text = result.text if result.ok else FALLBACK_TEXT
        detail = dict(result.detail)
        state, delivery = WAITING, "next_message"
        if self.wechat is not None:
            try:
                self.wechat.send_text(job.openid, text)
                state, delivery = SENT, "custom"
            except WeChatApiError as exc:
                # 45015: the 48-hour window closed (or the user unfollowed); 45047: quota used up; others:
                # WeChat unreachable. Keep the answer for the user's next message instead.
                log.warning("customer-service push for %s failed (%s); kept for the next message", job.key, exc)
                detail["push_error"] = exc.code
        detail["delivery"] = delivery
        self.jobs.settle_late(job.key, state, text, result.outcome, detail, delivery)
        self._update_log(job.key, result.outcome, detail)

    def _update_log(self, key: str, outcome: str, detail: dict) -> None:
        deadline = time.monotonic() + LOG_ROW_WAIT_SECONDS
        row_id = self.jobs.consultation_id(key)
        while row_id is None and time.monotonic() < deadline:
            time.sleep(0.05)
            row_id = self.jobs.consultation_id(key)
        if row_id is None:
            log.warning("no consultation row for %s: late answer not logged", key)
            return
        self.store.log.update_detail(row_id, outcome=outcome, detail=detail)


def _topic(material: Material | None) -> str | None:
    if material and material.entries:
        return material.entries[0].get("topic")
    return None


def _tokens(c) -> tuple:
    return c.prompt_tokens, c.completion_tokens
