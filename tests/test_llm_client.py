"""The real openai client against the local chat-completions server: answers, usage, and every failure kind."""

from __future__ import annotations

import pytest

from llm.client import ChatModel, ModelError
from tests.llm_fakes import API_KEY, COMPLETION_TOKENS, PROMPT_TOKENS

pytest_plugins = ["tests.llm_fixtures"]

MESSAGES = [
    {"role": "system", "content": "规则\n\n【参考材料】\n《保障农民工工资支付条例》第30条（总包先行清偿）：……"},
    {"role": "user", "content": "包工头跑了怎么办"},
]


def test_answer_with_token_usage(fake_llm):
    c = ChatModel(fake_llm.url, "fake-model", API_KEY).complete(MESSAGES)
    assert "《保障农民工工资支付条例》第30条" in c.text
    assert (c.prompt_tokens, c.completion_tokens) == (PROMPT_TOKENS, COMPLETION_TOKENS)
    assert c.model == "fake-model" and c.latency_ms > 0 and c.finish_reason == "stop"
    sent = fake_llm.requests[0]
    assert sent["model"] == "fake-model" and sent["messages"] == MESSAGES and sent["max_tokens"] == 800


@pytest.mark.parametrize(
    "mode, kind, calls",
    [
        ("error", "status", 2),
        ("rate_limit", "rate_limit", 2),
        ("malformed", "malformed", 1),
        ("no_choices", "malformed", 1),
    ],
)
def test_failures_become_model_errors(fake_llm, mode, kind, calls):
    fake_llm.mode = mode
    with pytest.raises(ModelError) as exc:
        ChatModel(fake_llm.url, "fake-model", API_KEY).complete(MESSAGES)
    assert exc.value.kind == kind
    assert len(fake_llm.requests) == calls  # 5xx and 429 are retried once, nothing more


def test_timeout(fake_llm):
    fake_llm.hold()  # the model answers only after the client has given up
    with pytest.raises(ModelError) as exc:
        ChatModel(fake_llm.url, "fake-model", API_KEY, timeout=0.3, max_retries=0).complete(MESSAGES)
    assert exc.value.kind == "timeout"


@pytest.mark.parametrize("key", ["sk-wrong", ""])
def test_the_api_key_is_sent_as_a_bearer_token(fake_llm, key):
    with pytest.raises(ModelError) as exc:
        ChatModel(fake_llm.url, "fake-model", key).complete(MESSAGES)
    assert exc.value.kind == "status" and "401" in str(exc.value)
    assert len(fake_llm.requests) == 1  # an authentication error is not retried


def test_connection_refused():
    with pytest.raises(ModelError) as exc:
        ChatModel("http://127.0.0.1:9/v1", "m", max_retries=0).complete(MESSAGES)
    assert exc.value.kind in ("connection", "timeout")


def test_reasoning_is_stripped(fake_llm, monkeypatch):
    monkeypatch.setattr(type(fake_llm), "answer_for", lambda self, body: "<think>先想想……</think>可以找总包单位。")
    assert ChatModel(fake_llm.url, "m", API_KEY).complete(MESSAGES).text == "可以找总包单位。"
