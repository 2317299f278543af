"""Text messages: answer from the FAQ (or the menu, a numbered choice, the fallback)."""

from __future__ import annotations

from dialogue import Reply
from handlers.context import Context


def on_text(msg, ctx: Context) -> Reply:
    content = msg.content or ""
    reply = ctx.dialogue.answer_text(ctx.user_id, content, ctx.openid, ctx.msg_key)
    reply.log_text = reply.log_text or content  # a flow may keep a placeholder instead (intake)
    return reply
