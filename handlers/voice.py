"""Voice messages: answer WeChat's speech recognition; without it, ask the user to type."""

from __future__ import annotations

from dialogue import Reply, texts
from handlers.context import Context
from storage.vocab import Outcome


def on_voice(msg, ctx: Context) -> Reply:
    recognised = (getattr(msg, "recognition", None) or "").strip()
    if not recognised:
        return Reply(texts.VOICE_UNRECOGNISED, Outcome.UNANSWERED, detail={"voice": "unrecognised"})
    reply = ctx.dialogue.answer_text(ctx.user_id, recognised, ctx.openid, ctx.msg_key)
    reply.log_text = reply.log_text or recognised  # a flow may keep a placeholder instead (intake)
    return reply
