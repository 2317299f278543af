"""/admin/logs (admins): the consultation log, filtered and paginated, and its CSV / Excel export.

Texts were masked (phone, ID and bank-card numbers) before they were stored; they are masked again on the way
out, in case an older row was not.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from console.access import not_found, require_admin, services
from console.exports import table_response
from console.filters import KIND_NAMES, OUTCOME_NAMES, score
from console.forms import parse_day
from console.paging import current_page
from faq.loader import TOPICS
from storage.consultations import OUTCOMES, LogQuery
from storage.privacy import mask_pii

bp = Blueprint("logs", __name__, url_prefix="/admin/logs")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)

PER_PAGE = 50
MAX_EXPORT_ROWS = 100_000
FILTER_KEYS = ("since", "until", "topic", "outcome", "kind", "q", "user")


def query_from_args(args) -> LogQuery:
    return LogQuery(
        since=parse_day(args.get("since")),
        until=parse_day(args.get("until")),
        topic=args.get("topic") or None,
        outcome=args.get("outcome") if args.get("outcome") in OUTCOMES else None,
        kind=(args.get("kind") or "")[:32] or None,
        text=(args.get("q") or "").strip()[:100] or None,
        user_id=(args.get("user") or "").strip()[:64] or None,
    )


def _questions() -> dict[str, str]:
    return {e["id"]: e["question"] for e in services().store.faq.all()}


@bp.get("")
def index():
    log = services().store.log
    query = query_from_args(request.args)
    total = log.search_count(query)
    page, pages = current_page(total, PER_PAGE)
    rows = log.search(query, PER_PAGE, (page - 1) * PER_PAGE)
    filters = {k: request.args.get(k, "") for k in FILTER_KEYS if request.args.get(k)}
    return render_template(
        "logs.html",
        rows=rows,
        total=total,
        page=page,
        pages=pages,
        query=query,
        filters=filters,
        kinds=log.kinds(),
        outcomes=OUTCOMES,
        questions=_questions(),
    )


@bp.app_template_filter("detail_text")
def detail_text(detail: dict) -> str:
    """The runner-up / choices / best guess of a logged decision, in one line."""
    parts = []
    if detail.get("runner_up"):
        parts.append("次选 {} ({})".format(detail["runner_up"][0], score(detail["runner_up"][1])))
    if detail.get("choices"):
        parts.append("选项 " + "、".join(f"{c[0]} ({score(c[1])})" for c in detail["choices"]))
    if detail.get("best"):
        parts.append("最接近 {} ({})".format(detail["best"][0], score(detail["best"][1])))
    if detail.get("choice"):
        parts.append(f"用户选了第 {detail['choice']} 项")
    return "；".join(parts)


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return render_template("error.html", code=404, message="只能导出 csv 或 xlsx。"), 404
    query = query_from_args(request.args)
    questions = _questions()
    header = (
        "时间",
        "用户（化名）",
        "类型",
        "内容",
        "结果",
        "答复条目",
        "条目问题",
        "主题",
        "得分",
        "耗时(ms)",
        "说明",
    )
    rows = (
        (
            r["created_at"],
            r["user_id"],
            KIND_NAMES.get(r["kind"], r["kind"]),
            mask_pii(r["text"] or ""),
            OUTCOME_NAMES.get(r["outcome"], r["outcome"]),
            r["faq_id"] or "",
            questions.get(r["faq_id"] or "", ""),
            TOPICS.get(r["topic"] or "", r["topic"] or ""),
            r["score"],
            r["latency_ms"],
            detail_text(r["detail"]),
        )
        for r in services().store.log.search(query, MAX_EXPORT_ROWS, 0)
    )
    span = f"{query.since or 'start'}_{query.until or 'now'}"
    return table_response([("咨询日志", header, rows)], fmt, f"consultations-{span}")
