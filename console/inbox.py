"""/admin/inbox (caseworkers and admins): messages people left for staff, the longest-waiting first (or the newest),
each with the person's recent conversation beside it (masked, replies as sent), waiting time against the promised
date, assignment, replies in place (pushed when possible, else delivered with the person's next message; the page
shows which), closing, and the canned replies (managed by admins at /admin/inbox/canned)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console.access import admin_required, load_user, not_found, require_roles, services
from console.paging import current_page
from console.threads import view_rows
from inbox.delivery import describe
from inbox.replies import KIND, MAX_CHARS, ReplyError, reply_to_thread
from inbox.waiting import waiting
from storage.inbox import ORDERS, STATUS_LABELS
from storage.privacy import mask_pii
from storage.vocab import Role

bp = Blueprint("inbox", __name__, url_prefix="/admin/inbox")
bp.before_request(require_roles(Role.ADMIN, Role.CASEWORKER))
bp.register_error_handler(404, not_found)

PER_PAGE = 30
TABS = (("waiting", "等待回复"), ("answered", "已回复"), ("closed", "已关闭"), ("all", "全部"))
ORDER_NAMES = {"waiting": "等得最久的在前", "newest": "最新的在前"}
CONTEXT_ROWS = 30
MAX_CANNED_TITLE, MAX_CANNED_TEXT = 40, MAX_CHARS


def _author() -> str:
    return load_user()["name"]


def _waiting(thread: dict):
    s = services()
    return waiting(thread, s.settings.staff_hours, s.settings.STAFF_REPLY_PROMISE)


def _staff_names() -> list[str]:
    return [a["name"] for a in services().store.accounts.all() if a["role"] in (Role.ADMIN, Role.CASEWORKER)]


@bp.get("")
def index():
    inbox = services().store.inbox
    status = request.args.get("status", "waiting")
    status = status if status in dict(TABS) else "waiting"
    order = request.args.get("order", "waiting")
    order = order if order in ORDERS else "waiting"
    mine = _author() if request.args.get("mine") == "1" else None
    selected = None if status == "all" else status
    total = inbox.count(selected, mine)
    page, pages = current_page(total, PER_PAGE)
    threads = inbox.list(selected, order, mine, PER_PAGE, (page - 1) * PER_PAGE)
    outbox = services().store.outbox
    for t in threads:
        t["preview"] = mask_pii(t["latest"])[:80]
        t["wait"] = _waiting(t)
        sent = outbox.for_ref(KIND, str(t["id"]))
        t["last_reply"] = describe(sent[-1]) if sent else None
    counts = {key: inbox.count(None if key == "all" else key, mine) for key, _ in TABS}
    args = {k: v for k, v in (("status", status), ("order", order), ("mine", "1" if mine else "")) if v}
    return render_template(
        "inbox_list.html",
        threads=threads,
        tabs=TABS,
        counts=counts,
        status=status,
        order=order,
        orders=ORDER_NAMES,
        mine=bool(mine),
        page=page,
        pages=pages,
        args=args,
        status_labels=STATUS_LABELS,
        promise=services().settings.STAFF_REPLY_PROMISE,
    )


def _thread(thread_id: int) -> dict:
    return services().store.inbox.get(thread_id) or abort(404)


@bp.get("/<int:thread_id>")
def thread(thread_id: int):
    s = services()
    t = _thread(thread_id)
    sent = s.store.outbox.for_ref(KIND, str(thread_id))
    timeline = [{"who": "person", "at": m["created"], "text": m["text"]} for m in t["messages"]]
    for m in sent:
        label, css = describe(m)
        timeline.append({"who": "staff", "at": m["created"], "text": m["text"], "author": m["author"],
                         "delivery": label, "delivery_class": css})  # fmt: skip
    timeline.sort(key=lambda item: item["at"])
    questions = {e["id"]: e["question"] for e in s.store.faq.all()}
    context = s.store.conversations.recent(t["user_id"], limit=CONTEXT_ROWS)
    return render_template(
        "inbox_thread.html",
        t=t,
        wait=_waiting(t),
        timeline=timeline,
        context=view_rows(context, questions),
        canned=s.store.canned.all(),
        staff=_staff_names(),
        status_labels=STATUS_LABELS,
        can_push=s.messenger.can_push,
        reachable=s.messenger.can_push and s.store.openids.reachable(t["user_id"]) is not None,
        max_chars=MAX_CHARS,
    )


@bp.post("/<int:thread_id>/reply")
def reply(thread_id: int):
    s = services()
    _thread(thread_id)
    text = request.form.get("text") or ""
    if not text.strip() and (canned := s.store.canned.get(request.form.get("canned", type=int) or 0)):
        text = canned["text"]
    try:
        row = reply_to_thread(s.store, s.messenger, thread_id, text, _author())
    except ReplyError as exc:
        flash(str(exc), "error")
        return redirect(url_for("inbox.thread", thread_id=thread_id) + "#reply")
    label, css = describe(row)
    flash(f"已回复：{label}", "ok" if css == "ok" else "warn")
    return redirect(url_for("inbox.thread", thread_id=thread_id))


@bp.post("/<int:thread_id>/assign")
def assign(thread_id: int):
    _thread(thread_id)
    name = (request.form.get("assignee") or "").strip()
    if name and name not in _staff_names():
        flash("只能分给办案人员或管理员。", "error")
    else:
        services().store.inbox.assign(thread_id, name or None)
        flash(f"已分给 {name}。" if name else "已取消分配。", "ok")
    return redirect(url_for("inbox.thread", thread_id=thread_id))


@bp.post("/<int:thread_id>/close")
def close(thread_id: int):
    _thread(thread_id)
    services().store.inbox.close(thread_id, _author())
    flash("已关闭。对方再留言时会开一个新的。", "ok")
    return redirect(url_for("inbox.index"))


@bp.post("/<int:thread_id>/reopen")
def reopen(thread_id: int):
    _thread(thread_id)
    if services().store.inbox.reopen(thread_id):
        flash("已重新打开。", "ok")
    else:
        flash("这位用户已经有一个没关闭的留言，请在那里继续。", "error")
    return redirect(url_for("inbox.thread", thread_id=thread_id))


# canned replies: caseworkers pick them, admins keep the list
@bp.get("/canned")
def canned():
    return render_template(
        "inbox_canned.html", replies=services().store.canned.all(), max_title=MAX_CANNED_TITLE, max_text=MAX_CANNED_TEXT
    )


@bp.post("/canned")
@admin_required
def canned_save():
    title = (request.form.get("title") or "").strip()[:MAX_CANNED_TITLE]
    text = (request.form.get("text") or "").strip()
    reply_id = request.form.get("id", type=int)
    if not title or not text or len(text) > MAX_CANNED_TEXT:
        flash(f"标题和内容都要写，内容最多 {MAX_CANNED_TEXT} 个字。", "error")
        return redirect(url_for("inbox.canned"))
    if reply_id is not None and services().store.canned.get(reply_id) is None:
        abort(404)
    position = request.form.get("position", type=int) or 0
    services().store.canned.save(title, text, position, _author(), reply_id)
    flash(f"已保存常用回复“{title}”。", "ok")
    return redirect(url_for("inbox.canned"))


@bp.post("/canned/<int:reply_id>/delete")
@admin_required
def canned_delete(reply_id: int):
    if not services().store.canned.delete(reply_id):
        abort(404)
    flash("已删除。", "ok")
    return redirect(url_for("inbox.canned"))


@bp.app_template_filter("status_name")
def status_name(status: str) -> str:
    return STATUS_LABELS.get(status, status)
