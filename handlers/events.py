"""Events: subscribe (welcome), unsubscribe (log only), menu clicks (topic lists), the rest ignored."""

from __future__ import annotations

from dialogue import Reply, texts
from dialogue.intents import CLICK_KEYS
from handlers.context import Context
from storage.vocab import Outcome

# The CLICK keys of the account's menu: TOPIC_1 ... TOPIC_10, one per topic of the text menu, and the service
# requests of dialogue/intents.py (REGISTER, PROGRESS, LEAVE_MESSAGE, HANDOFF).
MENU_KEYS = {f"TOPIC_{number}": number for number, _, _ in texts.MENU}
KNOWN_KEYS = {*MENU_KEYS, *CLICK_KEYS}


def on_subscribe(msg, ctx: Context) -> Reply:
    reply = ctx.dialogue.welcome(ctx.user_id)
    reply.subscribed = True
    return reply


def on_unsubscribe(msg, ctx: Context) -> Reply:
    return Reply(None, Outcome.EVENT, chat_state={}, subscribed=False)


def known_click_key(msg) -> str | None:
    """The message's CLICK key when it is one of MENU_KEYS, else None (the key is whatever the sender wrote)."""
    key = getattr(msg, "key", None)
    return key if isinstance(key, str) and key in KNOWN_KEYS else None


def on_click(msg, ctx: Context) -> Reply:
    """Menu keys: TOPIC_<n> opens topic n of the text menu, a service key starts that request (登记, 查询进度, …);
    anything else shows the menu and is logged as unknown."""
    key = known_click_key(msg)
    if key in CLICK_KEYS:
        reply = ctx.dialogue.answer_click(ctx.user_id, CLICK_KEYS[key], ctx.openid, ctx.msg_key)
    elif key:
        reply = ctx.dialogue.topic_list(ctx.user_id, MENU_KEYS[key])
    else:
        reply = ctx.dialogue.menu(ctx.user_id)
    reply.detail["click"] = key or "unknown"
    reply.log_text = key or ""
    return reply


def on_uninteresting_event(msg, ctx: Context) -> Reply:
    return Reply(None, Outcome.EVENT)
