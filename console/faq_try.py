"""/admin/faq/try: 试一试 — exactly what a user would receive for a question, from the running bot.

The reply comes from the same code the webhook uses (Dialogue.preview): a tentative answer with its
「我理解您问的是…」 head and the numbered alternatives, the choices, or the fallback, as sent; plus the outcome it
would be logged with and the matcher's ranking, by question.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from console.access import not_found, require_login, services
from storage.vocab import OUTCOME_LABELS, Outcome

bp = Blueprint("faq_try", __name__, url_prefix="/admin/faq")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

EXPLAIN = {
    Outcome.ANSWERED: "把握足够：直接发第一名的答复。",
    Outcome.TENTATIVE: "有一定把握但不确定：先说「我理解您问的是……」再发第一名的答复，并列出其他可能的问题让用户回复数字。",
    Outcome.SUGGESTED: "把握不够：列出几个可能的问题，让用户回复数字选择。",
    Outcome.UNANSWERED: "答不上：发兜底回复（说明能答什么、建议换个说法、拨打 12309）。",
    Outcome.MENU: "这是问候、数字或空白：机器人回复菜单或对应的问题列表。",
}


@bp.get("/try")
def try_question():
    q = request.args.get("q", "").strip()[:500]
    result = try_match(q) if q else None
    return render_template("faq_try.html", q=q, result=result)


def try_match(q: str) -> dict:
    """What the running bot does with `q`: the reply as sent, its outcome, the ranked candidates and choices."""
    dialogue = services().dialogue
    matcher = dialogue.matcher()
    reply, decision, model_first = dialogue.preview(q)
    outcome = Outcome(reply.outcome)
    return {
        "outcome": str(outcome),
        "outcome_label": OUTCOME_LABELS[outcome],
        "explain": EXPLAIN.get(outcome, ""),
        "reply": reply.text or "",
        "model_first": model_first,
        "candidates": [vars(c) for c in decision.candidates] if decision else [],
        "choices": [c.entry_id for c in decision.choices] if decision else [],
        "bands": vars(matcher.bands),
        "entries": len(matcher),
    }
