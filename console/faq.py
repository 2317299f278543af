"""/admin/faq: list, search, create, edit, enable/disable, delete, history and restore, and "试一试".

Every write goes through storage's FaqStore, which keeps a revision and bumps the FAQ version; each worker's
Dialogue rebuilds its matcher on the next message, so an edit is live in every process at once.

The editor shows the citation checker's findings (faq/lint.py) for the entry on the form. They are warnings, not
errors: a save whose answer has findings is held back once, with the list, until the editor ticks that they have
checked them (a law's new article may be missing from knowledge/ for a while).
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from console.access import admin_required, load_user, not_found, require_login, services
from console.citations import citation_groups, keep_order
from console.forms import entry_from_form
from console.paging import current_page
from console.revisions import describe_revision, restorable_state
from faq.lint import entry_findings
from faq.loader import MAX_REPLY_BYTES, TOPICS, entry_problems
from faq.render import render_answer
from storage.faq_store import FIELDS

bp = Blueprint("faq", __name__, url_prefix="/admin/faq")
PER_PAGE = 50
bp.before_request(require_login)
bp.register_error_handler(404, not_found)


def _store():
    return services().store


def _author() -> str:
    return load_user()["name"]


def _matches(entry: dict, q: str) -> bool:
    q = q.casefold()
    texts = [entry["id"], entry["question"], entry["answer"], *entry["variants"], *entry["legal_basis"]]
    return any(q in t.casefold() for t in texts)


@bp.get("")
def index():
    kb = services().knowledge
    q = request.args.get("q", "").strip()[:100]
    topic = request.args.get("topic", "")
    status = request.args.get("status", "")
    entries = _store().faq.all()
    problems = {e["id"]: entry_problems(e, kb) for e in entries}
    counts = {
        "all": len(entries),
        "disabled": sum(not e["enabled"] for e in entries),
        "problems": sum(bool(p) for p in problems.values()),
    }
    shown = [
        e
        for e in entries
        if (not q or _matches(e, q))
        and (not topic or e["topic"] == topic)
        and (status != "enabled" or e["enabled"])
        and (status != "disabled" or not e["enabled"])
        and (status != "problems" or problems[e["id"]])
    ]
    deleted = _store().faq.deleted() if load_user()["role"] == "admin" else []
    page, pages = current_page(len(shown), PER_PAGE)
    filters = {k: v for k, v in (("q", q), ("topic", topic), ("status", status)) if v}
    return render_template(
        "faq_list.html",
        entries=shown[(page - 1) * PER_PAGE : page * PER_PAGE],
        shown=len(shown),
        problems=problems,
        counts=counts,
        q=q,
        topic=topic,
        status=status,
        deleted=deleted,
        page=page,
        pages=pages,
        filters=filters,
    )


def _citation_warnings(entry: dict) -> list[str]:
    return [str(f) for f in entry_findings(entry, services().knowledge)] if entry.get("answer") else []


def _render_form(
    entry: dict,
    errors: list[str],
    creating: bool,
    status: int = 200,
    base_revision: int = 0,
    held: bool = False,
):
    """The editor; `held`: a save stopped to show the citation warnings (the form then asks to confirm them)."""
    groups, unknown = citation_groups(services().knowledge, entry.get("legal_basis") or [])
    preview = render_answer(entry) if entry.get("answer") else ""
    return render_template(
        "faq_form.html",
        entry=entry,
        errors=errors,
        creating=creating,
        groups=groups,
        unknown=unknown,
        preview=preview,
        preview_bytes=len(preview.encode("utf-8")),
        max_bytes=MAX_REPLY_BYTES,
        base_revision=base_revision,
        warnings=_citation_warnings(entry),
        held=held,
    ), status


def _hold_for_warnings(entry: dict) -> bool:
    """True when the citation checker has findings the editor has not yet confirmed."""
    return request.form.get("confirm_citations") != "1" and bool(_citation_warnings(entry))


def _flash_warnings(entry: dict) -> None:
    if warnings := _citation_warnings(entry):
        flash(f"已按确认保存，但法条引用还有 {len(warnings)} 处问题，请尽快修改（见下方引用检查）。", "error")


@bp.route("/new", methods=["GET", "POST"])
def create():
    if request.method == "POST":
        entry, errors = entry_from_form(request.form)
        errors += entry_problems(entry, services().knowledge)
        if entry["id"] and _store().faq.get(entry["id"]):
            errors.append(f"编号 {entry['id']} 已被另一个条目使用")
        if errors:
            return _render_form(entry, errors, creating=True, status=422)
        if _hold_for_warnings(entry):
            return _render_form(entry, [], creating=True, held=True)
        _store().faq.save(entry, _author(), "create")
        flash("已新建条目，机器人已按它答复。", "ok")
        _flash_warnings(entry)
        return redirect(url_for("faq.edit", entry_id=entry["id"]))
    # prefilled from the unanswered queue: ?question=...&variants=...&topic=...
    args = request.args
    variants = [v.strip() for v in args.getlist("variants") if v.strip()]
    entry = {
        "id": "",
        "topic": args.get("topic", "") if args.get("topic") in TOPICS else "",
        "question": args.get("question", "").strip(),
        "variants": variants,
        "answer": "",
        "legal_basis": [],
        "enabled": True,
        "position": 0,
    }
    return _render_form(entry, [], creating=True)


@bp.route("/<entry_id>/edit", methods=["GET", "POST"])
def edit(entry_id: str):
    store = _store()
    current = store.faq.get(entry_id) or abort(404)
    latest = store.faq.latest_revision_id(entry_id)
    if request.method == "GET":
        return _render_form(current, [], creating=False, base_revision=latest)
    entry, errors = entry_from_form(request.form, entry_id)
    entry["legal_basis"] = keep_order(current["legal_basis"], entry["legal_basis"])
    base = request.form.get("base_revision", "")
    if base != str(latest):
        rev = store.faq.revisions(entry_id)[0]
        errors.insert(
            0,
            f"保存前 {rev['author']} 已于 {rev['created_at']} 修改了这个条目。请先复制你的改动，"
            "刷新页面看最新内容后再改。",
        )
    errors += entry_problems(entry, services().knowledge)
    if errors:
        return _render_form(entry, errors, creating=False, status=422, base_revision=int(base or 0))
    if all(entry.get(k) == current.get(k) for k in FIELDS if k in entry):
        flash("没有改动。", "ok")
    elif _hold_for_warnings(entry):
        return _render_form(entry, [], creating=False, base_revision=int(base or 0), held=True)
    else:
        store.faq.save(entry, _author())
        flash("已保存，机器人已按新内容答复。", "ok")
        _flash_warnings(entry)
    return redirect(url_for("faq.edit", entry_id=entry_id))


@bp.post("/<entry_id>/toggle")
def toggle(entry_id: str):
    entry = _store().faq.get(entry_id) or abort(404)
    enabled = not entry["enabled"]
    problems = entry_problems(entry, services().knowledge) if enabled else []
    if problems:  # the same rule as saving the form: e.g. a draft from a model answer has one variant, not five
        flash("没有启用，请先修改：" + "；".join(problems), "error")
        return redirect(url_for("faq.edit", entry_id=entry_id))
    _store().faq.save({"id": entry_id, "enabled": enabled}, _author(), "enable" if enabled else "disable")
    flash(f"已{'启用' if enabled else '停用'}：{entry['question']}", "ok")
    if request.form.get("back") == "list":
        return redirect(url_for("faq.index"))
    return redirect(url_for("faq.edit", entry_id=entry_id))


@bp.route("/<entry_id>/delete", methods=["GET", "POST"])
def delete(entry_id: str):
    entry = _store().faq.get(entry_id) or abort(404)
    if request.method == "GET":
        return render_template("faq_delete.html", entry=entry)
    if request.form.get("confirm") != entry_id:
        flash("请输入条目编号以确认删除。", "error")
        return render_template("faq_delete.html", entry=entry), 422
    _store().faq.delete(entry_id, _author())
    flash(f"已删除：{entry['question']}（管理员可在历史记录中恢复）", "ok")
    return redirect(url_for("faq.index"))


@bp.get("/<entry_id>/history")
def history(entry_id: str):
    store = _store()
    revisions = store.faq.revisions(entry_id)
    entry = store.faq.get(entry_id)
    if not revisions and entry is None:
        abort(404)
    items = [describe_revision(r, oldest=(i == len(revisions) - 1)) for i, r in enumerate(revisions)]
    return render_template("faq_history.html", entry_id=entry_id, entry=entry, items=items)


@bp.post("/<entry_id>/restore")
@admin_required
def restore(entry_id: str):
    store = _store()
    rev = store.faq.revision(int(request.form.get("revision") or 0))
    if rev is None or rev["entry_id"] != entry_id:
        abort(404)
    state = restorable_state(rev, request.form.get("side", "after"))
    if state is None:
        abort(404)
    store.faq.save(state, _author(), "restore")
    problems = entry_problems(state, services().knowledge)
    flash(f"已恢复到 {rev['created_at']} 的版本。", "ok")
    if problems:
        flash("注意，恢复的版本有问题需要修改：" + "；".join(problems), "error")
    return redirect(url_for("faq.edit", entry_id=entry_id))


@bp.get("/try")
def try_question():
    q = request.args.get("q", "").strip()[:500]
    result = try_match(q) if q else None
    return render_template("faq_try.html", q=q, result=result)


def try_match(q: str) -> dict:
    """What the live matcher does with `q`: outcome, ranked candidates, choices, and the reply text."""
    matcher = services().dialogue.matcher()
    decision = matcher.decide(q)
    best = decision.best
    reply = ""
    if decision.outcome == "answered" and best:
        reply = render_answer(matcher.by_id[best.entry_id])
    return {
        "outcome": decision.outcome,
        "candidates": [vars(c) for c in decision.candidates],
        "choices": [c.entry_id for c in decision.choices],
        "reply": reply,
        "bands": vars(matcher.bands),
        "entries": len(matcher),
    }
