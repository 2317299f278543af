"""The chat model: the official `openai` client pointed at any OpenAI-compatible endpoint (DeepSeek, Qwen,
vLLM, Ollama ...). Every failure becomes a ModelError, so the caller has one thing to catch.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

import openai

MAX_TOKENS = 800  # about 600 Chinese characters plus a little room
_THINK = re.compile(r"<think>.*?(</think>|$)", re.S)  # reasoning models served by Ollama/vLLM inline their thoughts


class ModelError(Exception):
    """The model gave no usable answer; `kind` is one of timeout, rate_limit, status, connection, malformed."""

    def __init__(self, kind: str, message: str = ""):
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind


@dataclass
class Completion:
    text: str
    model: str
    latency_ms: float
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    finish_reason: str | None = None


class ChatModel:
    """One endpoint and model. Thread-safe: the openai client shares one connection pool."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        timeout: float = 30.0,
        max_retries: int = 1,
        temperature: float = 0.2,
        max_tokens: int = MAX_TOKENS,
    ):
        self.model = model
        self.temperature = temperature
        self.max_tokens = max_tokens
        # Local servers (Ollama, vLLM) take any key, but the client insists on one.
        self.client = openai.OpenAI(
            base_url=base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=max_retries
        )

    def complete(self, messages: list[dict]) -> Completion:
        """The model's reply to `messages`, with token usage; raises ModelError."""
        started = time.perf_counter()
        try:
            response = self.client.chat.completions.create(
                model=self.model,
                messages=messages,
                temperature=self.temperature,
                max_tokens=self.max_tokens,
            )
        except openai.APITimeoutError as exc:
            raise ModelError("timeout", str(exc)) from exc
        except openai.RateLimitError as exc:
            raise ModelError("rate_limit", str(exc)) from exc
        except openai.APIStatusError as exc:
            raise ModelError("status", f"HTTP {exc.status_code}") from exc
        except openai.APIConnectionError as exc:
            raise ModelError("connection", str(exc)) from exc
        except (openai.OpenAIError, ValueError, TypeError) as exc:  # bad JSON, a body of the wrong shape
            raise ModelError("malformed", f"{type(exc).__name__}: {exc}") from exc
        latency = (time.perf_counter() - started) * 1000
        try:
            choice = response.choices[0]
            text = choice.message.content
        except (AttributeError, IndexError, TypeError) as exc:
            raise ModelError("malformed", "no choices[0].message") from exc
        if isinstance(text, str):
            text = _THINK.sub("", text)
        if not isinstance(text, str) or not text.strip():
            raise ModelError("malformed", "empty content")
        usage = getattr(response, "usage", None)
        return Completion(
            text=text,
            model=str(getattr(response, "model", None) or self.model),
            latency_ms=round(latency, 1),
            prompt_tokens=_int(getattr(usage, "prompt_tokens", None)),
            completion_tokens=_int(getattr(usage, "completion_tokens", None)),
            finish_reason=getattr(choice, "finish_reason", None),
        )


def _int(value) -> int | None:
    return value if isinstance(value, int) else None
