"""/admin/faq/export.* and /admin/faq/import: the whole FAQ as YAML or Excel, checked row by row before import.

An import adds and updates; it deletes only when 「整体替换」 was chosen, after the deletions were shown (by their
questions) and their number typed back. A checked file waits server-side (HOLD_SECONDS, for the account and
browser session that checked it), so confirming needs no second upload. Each import is one batch that
/admin/faq/imports/<id> can undo for UNDO_DAYS (console/faq_undo.py).
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for

from console import faq_io
from console.access import admin_required, load_user, not_found, require_login, services
from console.forms import today
from console.import_limits import MAX_PROBLEMS_SHOWN
from faq.changes import MERGE, MODES, changed_fields, plan_import

bp = Blueprint("faq_transfer", __name__, url_prefix="/admin/faq")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

HOLD_SECONDS = 30 * 60
SESSION_KEY = "faq_import"
MIME = {
    "yaml": "application/x-yaml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def download(data: bytes | str, filename: str, mimetype: str) -> Response:
    """A file download; `filename` is ASCII so every browser keeps it."""
    return Response(data, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@bp.get("/export.<fmt>")
def export(fmt: str):
    if fmt not in faq_io.FORMATS:
        return render_template("error.html", code=404, message="只能导出 yaml 或 xlsx。"), 404
    s = services()
    entries = s.store.faq.all()
    name = f"faq-{today().isoformat()}.{fmt}"
    if fmt == "yaml":
        return download(faq_io.dump_yaml(entries).encode("utf-8"), name, MIME["yaml"])
    return download(faq_io.dump_xlsx(entries, s.knowledge), name, MIME["xlsx"])


def _upload_page(status: int = 200, **context):
    recent = services().store.faq_imports.recent(5)
    return render_template("faq_import.html", recent=recent, mode=context.pop("mode", MERGE), **context), status


def _mode(value: str | None) -> str:
    return value if value in MODES else MERGE


def _check_page(held: dict, token: str, mode: str, status: int = 200, **context):
    """The plan for a held upload, by question, with the confirmation form."""
    current = services().store.faq.all()
    plan = plan_import(current, held["rows"], mode)
    untouched = len(current) - len(plan.changed) - plan.unchanged - len(plan.removed)
    return render_template(
        "faq_import_check.html",
        filename=held["filename"],
        total=len(held["rows"]),
        plan=plan,
        mode=mode,
        token=token,
        untouched=untouched,
        changed_fields=changed_fields,
        **context,
    ), status


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_faq():
    if request.method == "GET":
        return _upload_page()
    mode = _mode(request.form.get("mode"))
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _upload_page(422, mode=mode, fatal="请选择要导入的文件。")
    s = services()
    try:
        parsed = faq_io.read_file(upload.filename, upload.read())
    except faq_io.ImportFormatError as exc:
        return _upload_page(422, mode=mode, filename=upload.filename, fatal=str(exc))
    problems = faq_io.validate(parsed, s.knowledge, [e["id"] for e in s.store.faq.all()])
    if problems:
        return _upload_page(
            422,
            mode=mode,
            filename=upload.filename,
            problems=problems[:MAX_PROBLEMS_SHOWN],
            problem_count=len(problems),
            total=len(parsed.entries),
        )
    rows = faq_io.prepared(parsed)
    plan = plan_import(s.store.faq.all(), rows, mode)
    if request.form.get("action") == "import" and not plan.removed:  # 「检查并导入」: nothing is deleted
        return _apply(rows, upload.filename, mode)
    token = s.store.faq_imports.hold(load_user()["name"], upload.filename, rows, HOLD_SECONDS)
    session[SESSION_KEY] = token
    return _check_page({"filename": upload.filename, "rows": rows}, token, mode)


@bp.post("/import/confirm")
@admin_required
def confirm_import():
    """Finish (or re-check in the other mode) an upload checked earlier, without picking the file again."""
    token = request.form.get("token", "")
    store = services().store
    held = None
    if token and session.get(SESSION_KEY) == token:
        held = store.faq_imports.held(token, load_user()["name"], HOLD_SECONDS)
    if held is None:
        message = f"检查结果已失效（超过 {HOLD_SECONDS // 60} 分钟、已经导入过或已重新登录），请重新选择文件。"
        return _upload_page(409, fatal=message)
    mode = _mode(request.form.get("mode"))
    if request.form.get("action") != "import":
        return _check_page(held, token, mode)
    plan = plan_import(store.faq.all(), held["rows"], mode)
    if request.form.get("digest") != plan.digest():
        notice = "问答库在你检查之后有人改动过，导入的结果也随之变了。请再核对一次下面的内容。"
        return _check_page(held, token, mode, 409, notice=notice)
    if plan.removed and request.form.get("confirm_count", "").strip() != str(len(plan.removed)):
        return _check_page(held, token, mode, 422, count_error=f"请输入要删除的条数 {len(plan.removed)} 确认删除。")
    store.faq_imports.drop(token)
    session.pop(SESSION_KEY, None)
    return _apply(held["rows"], held["filename"], mode)


def _apply(rows: list[dict], filename: str, mode: str):
    batch, plan = services().store.faq_imports.apply(rows, load_user()["name"], mode, filename)
    if batch is None:
        flash("文件与当前问答库完全相同，没有改动。", "ok")
        return redirect(url_for("faq.index"))
    flash(
        f"已导入：新增 {len(plan.added)} 条，修改 {len(plan.changed)} 条，删除 {len(plan.removed)} 条，"
        f"未变 {plan.unchanged} 条。",
        "ok",
    )
    return redirect(url_for("faq_undo.show", batch=batch))
