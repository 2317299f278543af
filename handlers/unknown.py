"""Message kinds we do not know: reply `success` (WeChat then shows nothing and does not retry)."""

from __future__ import annotations

from dialogue import Reply
from handlers.context import Context
from storage.vocab import Outcome


def on_unknown(msg, ctx: Context) -> Reply:
    return Reply(None, Outcome.OTHER)
