"""/admin/privacy (admins): the retention period and the last purge, deleting one user's data on request (by
pseudonym: the log's user filter links here), and the record of who deleted what."""

from __future__ import annotations

import logging

from flask import Blueprint, flash, redirect, render_template, request, url_for

from console.access import load_user, not_found, require_admin, services
from storage import retention

log = logging.getLogger("pufa.console")
bp = Blueprint("privacy", __name__, url_prefix="/admin/privacy")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)


@bp.get("")
def index():
    store = services().store
    user_id = (request.args.get("user") or "").strip()[:80]
    preview, problem = None, None
    if user_id:
        if not retention.is_user_id(user_id):
            problem = "用户化名的格式是 u_ 加字母数字（在咨询日志里点用户，地址栏里 user= 后面就是）。"
        else:
            preview = retention.preview_user(store.db, user_id)
            if not any(preview.values()):
                problem, preview = "没有这位用户的数据（可能已经删除过了）。", None
    return render_template(
        "privacy.html",
        user_id=user_id,
        preview=preview,
        problem=problem,
        names=retention.TABLE_NAMES,
        days=services().settings.RETENTION_DAYS,
        last_purge=next(iter(store.audit.recent(1, "purge")), None),
        records=store.audit.recent(50),
    )


@bp.post("/forget")
def forget():
    user_id = (request.form.get("user") or "").strip()[:80]
    if not retention.is_user_id(user_id):
        flash("用户化名不对。", "error")
        return redirect(url_for("privacy.index"))
    me = load_user()["name"]
    counts = retention.forget_user(services().store.db, user_id, me)
    log.warning("user data deleted: %s by %s (%s)", user_id[:10], me, counts)
    flash(
        f"已删除用户 {user_id} 的数据（咨询记录 {counts.get('consultations', 0)} 条已匿名化），已记入操作记录。", "ok"
    )
    return redirect(url_for("privacy.index"))
