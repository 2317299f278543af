"""/admin/faq/<id>/history and /restore: who changed what (word by word), and going back without surprises.

Restoring is for admins: it changes what the bot answers at once, and undoes other people's work. The restore
page lists every field that would change and the later revisions it would overwrite; each field can be left out,
so restoring one version never silently undoes a later, unrelated change.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console.access import admin_required, load_user, not_found, require_login, services
from console.revisions import SIDES, describe_revision, restore_plan
from faq.loader import entry_problems
from storage.faq_store import FIELDS

bp = Blueprint("faq_history", __name__, url_prefix="/admin/faq")
bp.before_request(require_login)
bp.register_error_handler(404, not_found)


def _cut():
    return services().analyzer.tokenizer.cut


def _admins() -> list[str]:
    return [a["name"] for a in services().store.accounts.all() if a["role"] == "admin" and not a["disabled"]]


@bp.get("/<entry_id>/history")
def history(entry_id: str):
    store = services().store
    revisions = store.faq.revisions(entry_id)
    entry = store.faq.get(entry_id)
    if not revisions and entry is None:
        abort(404)
    cut = _cut()
    items = [describe_revision(r, oldest=(i == len(revisions) - 1), cut=cut) for i, r in enumerate(revisions)]
    question = entry["question"] if entry else next((_old_question(r) for r in revisions if _old_question(r)), "")
    is_admin = load_user()["role"] == "admin"
    return render_template(
        "faq_history.html",
        entry_id=entry_id,
        entry=entry,
        question=question,
        items=items,
        admins=[] if is_admin else _admins(),
    )


def _old_question(rev: dict) -> str | None:
    if rev.get("snapshot"):
        return rev["snapshot"].get("question")
    old = (rev.get("changes") or {}).get("question")
    return old[0] if old else None


def _revision(entry_id: str) -> tuple[dict, str]:
    rev = services().store.faq.revision(request.values.get("revision", type=int, default=0))
    side = request.values.get("side", "after")
    if rev is None or rev["entry_id"] != entry_id or side not in SIDES:
        abort(404)
    return rev, side


def _plan(entry_id: str, rev: dict, side: str) -> tuple[dict | None, dict, int]:
    store = services().store
    current = store.faq.get(entry_id)
    later = [r for r in reversed(store.faq.revisions(entry_id)) if r["id"] > rev["id"]]
    plan = restore_plan(rev, side, current, later, _cut())
    if plan["target"] is None:
        abort(404)
    return current, plan, store.faq.latest_revision_id(entry_id)


@bp.route("/<entry_id>/restore", methods=["GET", "POST"])
@admin_required
def restore(entry_id: str):
    rev, side = _revision(entry_id)
    current, plan, latest = _plan(entry_id, rev, side)
    if request.method == "GET":
        return _restore_page(entry_id, rev, side, current, plan, latest)
    base = request.form.get("base_revision")
    if base is not None and base != str(latest):
        notice = "打开这一页之后，这个条目又被修改过。下面是按最新内容重新列出的改动，请再核对一次。"
        return _restore_page(entry_id, rev, side, current, plan, latest, notice, 409)
    chosen = request.form.getlist("fields")
    if current is None or (not chosen and base is None):  # a deleted entry, or a whole-version restore
        state = plan["target"]
    else:
        fields = [f for f in chosen if f in FIELDS]
        if not fields:
            return _restore_page(entry_id, rev, side, current, plan, latest, "请至少勾选一项要恢复的内容。", 422)
        state = {"id": entry_id, **{f: plan["target"].get(f) for f in fields}}
    services().store.faq.save(state, load_user()["name"], "restore")
    flash(
        f"已恢复（{rev['created_at']} {rev['author']} 的那次修改{'之前' if side != 'after' else '之后'}的内容）。", "ok"
    )
    problems = entry_problems(services().store.faq.get(entry_id), services().knowledge)
    if problems:
        flash("注意，恢复后的条目有问题需要修改：" + "；".join(problems), "error")
    return redirect(url_for("faq.edit", entry_id=entry_id))


def _restore_page(entry_id, rev, side, current, plan, latest, notice: str = "", status: int = 200):
    return render_template(
        "faq_restore.html",
        entry_id=entry_id,
        rev=rev,
        side=side,
        current=current,
        plan=plan,
        latest=latest,
        notice=notice,
    ), status
