"""Events: subscribe (welcome), unsubscribe (log only), menu clicks (topic lists), the rest ignored."""

from __future__ import annotations

import re

from dialogue import Reply
from handlers.context import Context
from storage.vocab import Outcome

_TOPIC_KEY = re.compile(r"^TOPIC_(\d{1,2})$")


def on_subscribe(msg, ctx: Context) -> Reply:
    reply = ctx.dialogue.welcome(ctx.user_id)
    reply.subscribed = True
    return reply


def on_unsubscribe(msg, ctx: Context) -> Reply:
    return Reply(None, Outcome.EVENT, chat_state={}, subscribed=False)


def on_click(msg, ctx: Context) -> Reply:
    """Menu keys: TOPIC_<n> opens topic n of the text menu; anything else shows the menu."""
    key = str(getattr(msg, "key", "") or "")
    m = _TOPIC_KEY.match(key)
    reply = ctx.dialogue.topic_list(ctx.user_id, int(m.group(1))) if m else ctx.dialogue.menu(ctx.user_id)
    reply.detail["click"] = key[:64]
    reply.log_text = key
    return reply


def on_uninteresting_event(msg, ctx: Context) -> Reply:
    return Reply(None, Outcome.EVENT)
