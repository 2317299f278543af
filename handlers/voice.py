"""Voice messages: answer WeChat's speech recognition; without it, ask the user to type."""

from __future__ import annotations

from dialogue import Reply, texts
from handlers.context import Context


def on_voice(msg, ctx: Context) -> Reply:
    recognised = (getattr(msg, "recognition", None) or "").strip()
    if not recognised:
        return Reply(texts.VOICE_UNRECOGNISED, "unanswered", detail={"voice": "unrecognised"})
    return ctx.dialogue.answer_text(ctx.user_id, recognised, ctx.openid, ctx.msg_key)
