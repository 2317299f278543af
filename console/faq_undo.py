"""/admin/faq/imports/<id>: what one import did, by question, and 撤销本次导入 for UNDO_DAYS afterwards.

Undo reverts, through the revision history, every entry the import touched that nobody has changed since;
entries changed after the import are listed and left as they are (their history can still restore them).
"""

from __future__ import annotations

import time

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from console.access import load_user, not_found, require_admin, services
from console.confirm import ask_first, confirmed

bp = Blueprint("faq_undo", __name__, url_prefix="/admin/faq/imports")
bp.before_request(require_admin)
bp.register_error_handler(404, not_found)

UNDO_DAYS = 7
SHOWN = 30


def question_of(rev: dict) -> str:
    """The standard question a revision is about (after it, or before a deletion)."""
    if rev.get("snapshot"):
        return rev["snapshot"].get("question") or rev["entry_id"]
    old = (rev.get("changes") or {}).get("question")
    return (old[0] if old else None) or rev["entry_id"]


def _batch(batch: int) -> dict:
    return services().store.faq_imports.get(batch) or abort(404)


def _can_undo(record: dict) -> bool:
    return not record["undone_at"] and time.time() - record["ts"] < UNDO_DAYS * 86400


@bp.get("/<int:batch>")
def show(batch: int):
    record = _batch(batch)
    imports = services().store.faq_imports
    revisions = imports.batch_revisions(batch)
    groups = {"create": [], "import": [], "delete": []}
    for rev in revisions:
        groups.setdefault(rev["action"], []).append(rev)
    skipped = imports.undo_plan(batch)[1] if _can_undo(record) else []
    return render_template(
        "faq_import_result.html",
        record=record,
        groups=groups,
        skipped=skipped,
        can_undo=_can_undo(record),
        undo_days=UNDO_DAYS,
        question_of=question_of,
    )


@bp.post("/<int:batch>/undo")
def undo(batch: int):
    record = _batch(batch)
    if not _can_undo(record):
        flash(f"这次导入已经撤销过，或已超过 {UNDO_DAYS} 天，不能一键撤销；可在各条目的修改历史中恢复。", "error")
        return redirect(url_for("faq_undo.show", batch=batch))
    imports = services().store.faq_imports
    if not confirmed():
        revert, skipped = imports.undo_plan(batch)
        items = [_undo_line(rev) for rev in revert[:SHOWN]]
        message = f"将把这次导入改动的 {len(revert)} 个条目恢复到导入前的样子。"
        if skipped:
            message += f"另有 {len(skipped)} 个条目在导入后又被修改过，不会撤销。"
        return ask_first("撤销本次导入？", message, "撤销本次导入", items, max(0, len(revert) - SHOWN))
    reverted, skipped = imports.undo(batch, load_user()["name"])
    flash(f"已撤销本次导入：{reverted} 个条目恢复到导入前。", "ok")
    if skipped:
        flash(
            "以下条目在导入后又被修改过，没有撤销：" + "；".join(question_of(r) for r in skipped[:10]),
            "error",
        )
    return redirect(url_for("faq_undo.show", batch=batch))


def _undo_line(rev: dict) -> str:
    verb = {"create": "删除导入新增的", "delete": "找回导入删除的", "import": "恢复导入前的"}.get(rev["action"], "恢复")
    return f"{verb}：{question_of(rev)}"
