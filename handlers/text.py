"""Text messages: answer from the FAQ (or the menu, a numbered choice, the fallback)."""

from __future__ import annotations

from dialogue import Reply
from handlers.context import Context


def on_text(msg, ctx: Context) -> Reply:
    return ctx.dialogue.answer_text(ctx.user_id, msg.content or "", ctx.openid, ctx.msg_key)
