"""/admin/cases (caseworkers and admins): the registered cases on the green-channel clock, one case with its
history, and the record of who looked at which case.

A caseworker sees the cases of their own procuratorate, an admin all of them; editors none (require_roles). The
phone number is masked until "显示号码" is clicked, and every view of a case page, every reveal and every export
is recorded (storage/case_access.py), which admins read at /admin/cases/audit.
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from console.access import load_user, not_found, require_roles, services
from console.paging import current_page
from intake.casework import allowed_next
from intake.kinds import labels, spec
from intake.steps import CALL_TIMES, FOR_CHILD, FOR_WHOM
from intake.texts import mask_phone
from storage.case_access import ACCESS_LABELS
from storage.cases import CaseQuery
from storage.outbox import DELIVERED, PENDING, PUSHED, WITHDRAWN
from storage.vocab import CASE_ENDED, CASE_KIND_LABELS, CASE_STATUS_LABELS, REFERRAL_BODIES, Role

bp = Blueprint("cases", __name__, url_prefix="/admin/cases")
bp.before_request(require_roles(Role.ADMIN, Role.CASEWORKER))
bp.register_error_handler(404, not_found)

PER_PAGE = 50
OPEN = "open"
DELIVERY_LABELS = {
    PENDING: "等申请人下次发消息时送达",
    PUSHED: "已用客服消息推送",
    DELIVERED: "已在申请人下次发消息时送达",
    WITHDRAWN: "已撤回",
}
ERROR_LABELS = {"no_api": "未配置客服消息接口", "window_closed": "申请人 48 小时内没发过消息，不能推送"}


def scope() -> tuple[str, ...] | None:
    """The procuratorates whose cases the signed-in user may see (None: all, for admins)."""
    user = load_user()
    if user["role"] == Role.ADMIN:
        return None
    account = services().store.accounts.get(user["name"]) or {}
    return (account["procuratorate"],) if account.get("procuratorate") else ()


def actor() -> str:
    return load_user()["name"]


def case_or_404(number: str) -> dict:
    case = services().store.cases.get(number)
    allowed = scope()
    if case is None or (allowed is not None and case["procuratorate"] not in allowed):
        abort(404)
    return case


def in_scope(personal: bool = True, **filters) -> list[dict]:
    return services().store.cases.search(CaseQuery(procuratorates=scope(), **filters), personal=personal)


def badge() -> tuple[int, str, str] | None:
    """(count, tooltip, class) for the menu: cases waiting for their first call; red when any is overdue."""
    user = load_user()
    if user is None or user["role"] not in (Role.ADMIN, Role.CASEWORKER):
        return None
    waiting = [c for c in in_scope(False, status="registered") if not c["first_contact"]]
    if not waiting:
        return None
    work = services().casework
    overdue = sum(1 for c in waiting if work.clock(c).overdue)
    tip = f"{len(waiting)} 件待联系" + (f"，其中 {overdue} 件已超期" if overdue else "")
    return len(waiting), tip, "alert" if overdue else "count"


@bp.get("")
def index():
    store, work, args = services().store, services().casework, request.args
    status = args.get("status", OPEN)
    query = CaseQuery(
        procuratorates=scope(),
        status=status if status in CASE_STATUS_LABELS else None,
        open_only=status == OPEN,
        kind=args.get("kind") if args.get("kind") in CASE_KIND_LABELS else None,
        assignee=actor() if args.get("mine") else None,
    )
    if scope() is None and args.get("procuratorate"):
        query.procuratorates = (args["procuratorate"][:100],)
    rows = store.cases.search(query)
    for row in rows:
        row["clock"] = work.clock(row)
    if args.get("overdue"):
        rows = [r for r in rows if r["clock"].overdue]
    total = len(rows)
    page, pages = current_page(total, PER_PAGE)
    filters = {k: v for k, v in args.items() if k in ("status", "kind", "procuratorate", "overdue", "mine") and v}
    return render_template(
        "cases.html",
        rows=rows[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=total,
        overdue=sum(1 for r in rows if r["clock"].overdue),
        page=page,
        pages=pages,
        status=status,
        filters=filters,
        kinds=CASE_KIND_LABELS,
        statuses=CASE_STATUS_LABELS,
        places=services().settings.procuratorates.names if scope() is None else None,
        mine_scope=scope(),
        promise=work.promise_days,
    )


def render_case(case: dict, revealed: bool = False, problem: str | None = None, status: int = 200):
    store, work = services().store, services().casework
    history = store.cases.history(case["id"])
    messages = {m["id"]: m for m in store.outbox.for_ref("case_update", case["number"])}
    for event in history:
        event["delivery"] = messages.get(event["outbox_id"]) if event["outbox_id"] else None
    workers = store.accounts.caseworkers(case["procuratorate"])
    kind = spec(case["kind"])
    return (
        render_template(
            "case.html",
            for_whom=dict(FOR_WHOM + FOR_CHILD).get(case["for_whom"] or "", "—"),
            actions=labels(kind.actions, case["actions"]),
            evidence=labels(kind.evidence, case["evidence"]),
            call_time=dict(CALL_TIMES).get(case["call_time"] or "", ""),
            case=case,
            phone=case["phone"] if revealed else mask_phone(case["phone"]),
            revealed=revealed,
            clock=work.clock(case),
            history=history,
            next_statuses=[s for s in allowed_next(case["status"])],
            ended=case["status"] in CASE_ENDED,
            workers=workers,
            bodies=REFERRAL_BODIES,
            problem=problem,
            promise=work.promise_days,
        ),
        status,
    )


@bp.get("/<number>")
def show(number: str):
    case = case_or_404(number)
    services().store.case_access.record(actor(), "view", number)
    return render_case(case)


@bp.post("/<number>/reveal")
def reveal(number: str):
    case = case_or_404(number)
    services().store.case_access.record(actor(), "reveal", number)
    return render_case(case, revealed=True)


@bp.get("/audit")
def audit():
    if load_user()["role"] != Role.ADMIN:
        return render_template("error.html", code=403, message="查看记录只有管理员能看。"), 403
    number = (request.args.get("case") or "").strip()[:20] or None
    rows = services().store.case_access.recent(500, number)
    return render_template("case_audit.html", rows=rows, labels=ACCESS_LABELS, number=number)


@bp.app_template_filter("delivery_label")
def delivery_label(row: dict | None) -> str:
    if not row:
        return ""
    label = DELIVERY_LABELS.get(row["state"], row["state"])
    error = row.get("error") or ""
    if row["state"] == PENDING and error:
        label += "（" + ERROR_LABELS.get(error, f"推送失败 {error}") + "）"
    return label


@bp.app_template_filter("case_status_name")
def case_status_name(key: str | None) -> str:
    return CASE_STATUS_LABELS.get(key or "", key or "—")


@bp.app_template_filter("case_kind_name")
def case_kind_name(key: str | None) -> str:
    return CASE_KIND_LABELS.get(key or "", key or "—")


# The forms and the report add their routes to this blueprint.
from console import case_actions, case_report  # noqa: E402, F401
