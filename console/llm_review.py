"""/admin/llm: the model's answers for staff review: filter and page through them, mark one wrong or right, or
turn it into an FAQ entry in one step.

"转为问答" saves storage's prefilled draft (disabled: the FAQ needs five variants before an entry may be enabled)
and opens its edit page, where staff add variants, correct the answer and enable it. All SQL is in
storage/llm_answers.py.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console.access import load_user, not_found, require_login, safe_next, services
from console.forms import parse_day
from console.paging import current_page
from faq.loader import MIN_VARIANTS
from faq.normalize import clean_display
from storage.llm_answers import LlmAnswerQuery
from storage.privacy import mask_pii

bp = Blueprint("llm_review", __name__, url_prefix="/admin/llm")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

PER_PAGE = 20
MAX_NOTE = 500
FILTER_KEYS = ("since", "until", "status", "q", "cite")
STATUS_NAMES = {"unreviewed": "待审核", "wrong": "有误", "ok": "正确", "faq": "已转问答"}
DELIVERY_NAMES = {"passive": "被动回复", "custom": "客服消息", "next_message": "随下一条消息"}


def query_from_args(args) -> LlmAnswerQuery:
    status = args.get("status")
    return LlmAnswerQuery(
        since=parse_day(args.get("since")),
        until=parse_day(args.get("until")),
        status=status if status in STATUS_NAMES else None,
        text=(args.get("q") or "").strip()[:100] or None,
        citation=(args.get("cite") or "").strip()[:100] or None,
    )


def wrong_count() -> int:
    """Model answers marked wrong and not yet dealt with (the console's navigation shows this)."""
    return services().store.llm_answers.count(LlmAnswerQuery(status="wrong"))


@bp.get("")
def index():
    answers = services().store.llm_answers
    query = query_from_args(request.args)
    total = answers.count(query)
    page, pages = current_page(total, PER_PAGE)
    rows = answers.list(query, PER_PAGE, (page - 1) * PER_PAGE)
    filters = {k: request.args[k] for k in FILTER_KEYS if request.args.get(k)}
    # the status tabs count within the other filters (dates, text, citation)
    counts = {
        s: answers.count(LlmAnswerQuery(query.since, query.until, s, query.text, query.citation)) for s in STATUS_NAMES
    }
    return render_template(
        "llm_review.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        query=query,
        filters=filters,
        counts=counts,
        status_names=STATUS_NAMES,
        max_note=MAX_NOTE,
        questions={e["id"]: e["question"] for e in services().store.faq.all()},
    )


@bp.app_template_filter("delivery_name")
def delivery_name(key: str | None) -> str:
    return DELIVERY_NAMES.get(key or "", key or "—")


def _answer(answer_id: int) -> dict:
    return services().store.llm_answers.get(answer_id) or abort(404)


def _reviewer() -> str:
    return load_user()["name"]


def _back(answer_id: int):
    """Back to the list page the form was sent from (a local /admin path only), at the answer's card."""
    target = safe_next(request.form.get("back")) or url_for("llm_review.index")
    return redirect(f"{target.split('#', 1)[0]}#answer-{answer_id}")


@bp.post("/<int:answer_id>/wrong")
def mark_wrong(answer_id: int):
    _answer(answer_id)
    note = clean_display(request.form.get("note"))[:MAX_NOTE]
    services().store.llm_answers.mark_wrong(answer_id, _reviewer(), note)
    flash("已标记为有误。可以“转为问答”写一个正确的答复，机器人以后就用它回答。", "ok")
    return _back(answer_id)


@bp.post("/<int:answer_id>/ok")
def mark_ok(answer_id: int):
    _answer(answer_id)
    services().store.llm_answers.mark_ok(answer_id, _reviewer())
    flash("已标记为正确。", "ok")
    return _back(answer_id)


@bp.post("/<int:answer_id>/clear")
def clear(answer_id: int):
    _answer(answer_id)
    services().store.llm_answers.clear_review(answer_id)
    flash("已撤销审核，这个答复回到“待审核”。", "ok")
    return _back(answer_id)


@bp.post("/<int:answer_id>/faq")
def to_faq(answer_id: int):
    """Save the answer as a disabled FAQ entry (with a revision) and open its edit page."""
    row = _answer(answer_id)
    answers, faq = services().store.llm_answers, services().store.faq
    reviewer = _reviewer()
    done = row["review_status"] == "faq" and row["review_faq_id"] and faq.get(row["review_faq_id"])
    if done:
        flash("这个答复已经转为问答条目，下面就是它。", "ok")
        return redirect(url_for("faq.edit", entry_id=row["review_faq_id"]))
    draft = answers.faq_draft(answer_id)
    # the user's words as the question and first variant: tidied and masked, like variants added from the queue
    question = mask_pii(clean_display(draft["question"]))[:500]
    draft.update(question=question, variants=[question] if question else [])
    if faq.get(draft["id"]) is None:
        faq.save(draft, reviewer, "create")
        flash(
            f"已转为问答条目（停用）。请补充口语问法（至少 {MIN_VARIANTS} 条），核对答复和法律依据，勾选“启用”后保存。",
            "ok",
        )
    else:  # converted before and the review was cleared since: open that entry rather than overwrite it
        flash("这个答复之前已转为问答条目，下面就是它。", "ok")
    answers.mark_converted(answer_id, draft["id"], reviewer)
    if row["review_status"] == "wrong":
        flash("注意：这个答复曾被标记为有误" + (f"：{row['review_note']}" if row["review_note"] else "。"), "error")
    return redirect(url_for("faq.edit", entry_id=draft["id"]))
