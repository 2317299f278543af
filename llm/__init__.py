"""Answers beyond the FAQ from an OpenAI-compatible model, grounded in knowledge/ and the FAQ (see docs/llm.md).

retrieval.py  the articles and FAQ entries a question may be answered from
prompt.py     the system prompt (rules + material); the user's masked text goes only in the user message
guard.py      screening before the call, checks of the model's text after it
client.py     the openai client for any compatible endpoint
responder.py  the LlmResponder the dialogue calls: budget, late delivery, one job per message
"""

from __future__ import annotations

import logging

log = logging.getLogger("pufa.llm")
MAX_BUDGET_SECONDS = 4.5


def build_responder(settings, store, knowledge, analyzer, wechat=None):
    """The LlmResponder for these settings (call only when settings.llm_enabled); `wechat` is the app's one WeChat
    API client (pufa/services.py), for pushing late answers, or None."""
    from llm.client import ChatModel
    from llm.responder import LlmResponder
    from llm.retrieval import Retriever

    budget = settings.LLM_BUDGET_SECONDS
    if budget > MAX_BUDGET_SECONDS:  # WeChat gives up at 5 s and retries; the reply must be out before that
        log.warning("LLM_BUDGET_SECONDS=%s is too close to WeChat's 5 s: using %s", budget, MAX_BUDGET_SECONDS)
        budget = MAX_BUDGET_SECONDS
    model = ChatModel(
        settings.LLM_BASE_URL, settings.LLM_MODEL, settings.LLM_API_KEY, timeout=settings.LLM_TIMEOUT_SECONDS
    )
    return LlmResponder(
        store,
        Retriever.for_kb(knowledge, analyzer),
        model,
        budget_seconds=budget,
        wechat=wechat,
        # a late job can run at most two requests of LLM_TIMEOUT_SECONDS (one retry); after that it was lost
        stale_seconds=2 * settings.LLM_TIMEOUT_SECONDS + 30,
    )


__all__ = ["build_responder"]
