"""/admin/logs (admins): the consultation log, filtered and paginated, and its CSV / Excel export.

Texts were masked (phone, ID and bank-card numbers) before they were stored; they are masked again on the way
out, in case an older row was not. Pages and counts come from storage.log_search (a year of messages stays fast);
exports stream every matching row.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from console.access import not_found, require_admin, services
from console.exports import table_response
from console.filters import KIND_NAMES, OUTCOME_NAMES, score
from console.forms import parse_day, today
from console.xlsx import LocalTime
from faq.loader import TOPICS
from storage.consultations import OUTCOMES
from storage.log_search import Cursor, LogQuery
from storage.privacy import mask_pii

bp = Blueprint("logs", __name__, url_prefix="/admin/logs")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)

PER_PAGE = 50
MAX_EXPORT_ROWS = 1_048_575  # an Excel sheet's rows, less the header
MAX_PAGE = 1_000_000
FILTER_KEYS = ("since", "until", "topic", "outcome", "kind", "q", "user")
EXPORT_HEADER = (
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
EXPORT_WIDTHS = (20, 18, 8, 60, 12, 22, 40, 14, 7, 9, 40)


def query_from_args(args) -> LogQuery:
    since, until = parse_day(args.get("since")), parse_day(args.get("until"))
    if since and until and since > until:
        since, until = until, since
    return LogQuery(
        since=since,
        until=until,
        topic=(args.get("topic") or "")[:64] or None,
        outcome=args.get("outcome") if args.get("outcome") in OUTCOMES else None,
        kind=(args.get("kind") or "")[:32] or None,
        text=(args.get("q") or "").strip()[:100] or None,
        user_id=(args.get("user") or "").strip()[:64] or None,
    )


def _questions() -> dict[str, str]:
    return {e["id"]: e["question"] for e in services().store.faq.all()}


@bp.get("")
def index():
    search = services().store.log_search
    query = query_from_args(request.args)
    number = min(max(1, request.args.get("page", type=int, default=1)), MAX_PAGE)
    after = Cursor.decode(request.args.get("after"))
    result = search.page(query, number, after, PER_PAGE)
    if not result.rows and number > 1 and after is None and not result.capped:  # past the end: the last page
        number = max(1, -(-result.total // PER_PAGE))
        result = search.page(query, number, None, PER_PAGE)
    filters = {k: request.args.get(k, "") for k in FILTER_KEYS if request.args.get(k)}
    return render_template(
        "logs.html",
        rows=result.rows,
        total=result.total,
        capped=result.capped,
        page=number,
        pages=None if result.capped else max(1, -(-result.total // PER_PAGE)),
        next_cursor=result.next.encode() if result.next else None,
        query=query,
        filters=filters,
        kinds=search.kinds(),
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


def _export_row(r: dict, questions: dict[str, str]) -> tuple:
    return (
        LocalTime(r["created_at"] or ""),
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


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in ("csv", "xlsx"):
        return render_template("error.html", code=404, message="只能导出 csv 或 xlsx。"), 404
    search = services().store.log_search
    query = query_from_args(request.args)
    questions = _questions()
    rows = (_export_row(r, questions) for r in search.rows(query, MAX_EXPORT_ROWS))
    # the file says which days it covers, also when no dates were chosen: from the first logged day to today
    since = query.since or search.first_day() or today().isoformat()
    until = query.until or today().isoformat()
    widths = {"咨询日志": EXPORT_WIDTHS}
    return table_response([("咨询日志", EXPORT_HEADER, rows)], fmt, f"consultations-{since}_{until}", widths)
