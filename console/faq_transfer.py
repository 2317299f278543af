"""/admin/faq/export.* and /admin/faq/import: the whole FAQ as YAML or Excel, checked row by row before import."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for

from console import faq_io
from console.access import admin_required, load_user, not_found, require_login, services
from console.forms import today

bp = Blueprint("faq_transfer", __name__, url_prefix="/admin/faq")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)

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


@bp.route("/import", methods=["GET", "POST"])
@admin_required
def import_faq():
    if request.method == "GET":
        return render_template("faq_import.html")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要导入的文件。", "error")
        return render_template("faq_import.html"), 422
    s = services()
    try:
        parsed = faq_io.read_file(upload.filename, upload.read())
    except faq_io.ImportFormatError as exc:
        return render_template("faq_import.html", filename=upload.filename, fatal=str(exc)), 422
    problems = faq_io.validate(parsed, s.knowledge)
    if problems:
        return render_template(
            "faq_import.html", filename=upload.filename, problems=problems, total=len(parsed.entries)
        ), 422
    if request.form.get("action") != "import":  # "只检查"
        result = faq_io.plan(s.store.faq.all(), faq_io.prepared(parsed))
        return render_template(
            "faq_import.html", filename=upload.filename, plan=result, checked=True, total=len(parsed.entries)
        )
    result = faq_io.import_entries(s.store, parsed, load_user()["name"])
    if result.empty:
        flash("文件与当前问答库完全相同，没有改动。", "ok")
    else:
        flash(
            f"已导入：新增 {len(result.added)} 条，修改 {len(result.changed)} 条，删除 {len(result.removed)} 条，"
            f"未变 {result.unchanged} 条。",
            "ok",
        )
    return redirect(url_for("faq.index"))
